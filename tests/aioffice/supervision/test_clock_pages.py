"""The deadline dashboard (staff), its CSV twin, and the provider's deadlines page: access
for every principal, the three sections, filters, the chart, pinned query counts, and the
counts on the Office dashboard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    make_user,
    organisation,
    principal,
    signed_in_client,
)
from aioffice.registry import services as registry
from aioffice.registry.testing import registered_provider
from aioffice.supervision import clock
from aioffice.supervision.choices import DeadlineKind
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("supervision:dashboard")
CSV = reverse("supervision:dashboard_csv")
PROVIDER_PAGE = reverse("supervision:my_deadlines")


def add(
    owner: Any, days: int, *, provider: Any = None, kind: str = DeadlineKind.MEASURE, **more: Any
) -> Deadline:
    today = timezone.now().date()
    return Deadline.objects.create(
        kind=kind,
        source=f"test.thing:{Deadline.objects.count() + 1}",
        title=more.pop("title", f"{kind} in {days} days"),
        due_on=today + timedelta(days=days),
        owner=owner,
        provider=provider,
        url=more.pop("url", "/somewhere/"),
        **more,
    )


def content(response: Any) -> str:
    """The body, streamed (the CSV) or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return str(response.content.decode())


def dashboard_status(name: str) -> int:
    if name == ANONYMOUS:
        return 302
    return 200 if name in OFFICE_ROLES else 403


def provider_page_status(name: str) -> int:
    if name == ANONYMOUS:
        return 302
    return 200 if name == Role.ORGANISATION_MEMBER else 403


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_page_for_every_principal(name: str) -> None:
    who = principal(name)
    provider = registry.provider_register(
        actor=None, organisation=organisation(OrganisationKind.GPAI_PROVIDER)
    )
    staff = who.user is not None and who.user.is_office_staff
    add(who.user if staff else None, 3, provider=provider, provider_to_act=True, title="ours")
    add(make_user(Role.POLICY_OFFICER, "else"), 3, title="someone else's")
    add(None, 3, provider=registered_provider("Other AI"), provider_to_act=True, title="zq-other")
    for url, status in (
        (DASHBOARD, dashboard_status(name)),
        (CSV, dashboard_status(name)),
        (PROVIDER_PAGE, provider_page_status(name)),
    ):
        response = who.client.get(url)
        assert response.status_code == status, (name, url)
        if status == 200:
            text = content(response)
            assert "ours" in text and "zq-other" not in text and "someone else" not in text
        if status == 302:
            assert "/accounts/" in response["Location"]


def test_staff_without_the_second_factor_are_sent_to_it() -> None:
    user = make_user(Role.POLICY_OFFICER, "po")
    response = signed_in_client(user, second_factor=False).get(DASHBOARD)
    assert response.status_code == 302 and "second" in response["Location"]


def test_the_dashboard_splits_overdue_soon_and_later_with_whose_move_and_basis() -> None:
    user = make_user(Role.POLICY_OFFICER, "po")
    provider = registered_provider("Alpha AI")
    add(user, -2, provider=provider, title="late one", url="/late/")
    add(user, 0, title="today's", provider_to_act=True)
    add(user, 13, title="in thirteen", legal=False, kind=DeadlineKind.COP_MODEL_REPORT)
    add(user, 14, title="in fourteen")
    add(user, 200, title="far away")
    response = signed_in_client(user).get(DASHBOARD)
    text = response.content.decode()
    overdue = text.split('data-testid="deadlines-overdue"')[1].split("</table>")[0]
    soon = text.split('data-testid="deadlines-soon"')[1].split("</table>")[0]
    later = text.split('data-testid="deadlines-later"')[1].split("</table>")[0]
    assert "late one" in overdue and 'href="/late/"' in overdue and "Alpha AI" in overdue
    assert "today" in soon and "in thirteen" in soon and "Code of Practice" in soon
    assert "Provider" in soon  # whose move: the provider's
    assert "in fourteen" in later and "far away" in later
    assert response.context["counts"] == {"overdue": 1, "soon": 2, "later": 2}
    weeks = response.context["weeks"]
    assert len(weeks) == 12  # today (week 0), day 13 (week 1), day 14 (week 2)
    assert [w.count for w in weeks[:4]] == [1, 1, 1, 0] and weeks[0].percent == 100
    assert 'data-testid="deadline-chart"' in text and "<svg" in text
    assert reverse("registry:deadlines") in text


def test_filters_and_the_csv_twin() -> None:
    user = make_user(Role.POLICY_OFFICER, "po")
    alpha, beta = registered_provider("Alpha AI"), registered_provider("Beta AI")
    add(user, 1, provider=alpha, title="alpha law")
    add(user, 2, provider=beta, title="beta code", legal=False, kind=DeadlineKind.COP_FRAMEWORK)
    add(user, 3, provider=beta, title="beta move", provider_to_act=True)
    client = signed_in_client(user)

    def titles(query: str) -> set[str]:
        context = client.get(DASHBOARD + "?" + query).context
        return {d.title for _, _, page in context["sections"] for d in page.object_list}

    assert titles(f"provider={alpha.pk}") == {"alpha law"}
    assert titles("basis=code") == {"beta code"}
    assert titles("basis=legal") == {"alpha law", "beta move"}
    assert titles("move=provider") == {"beta move"}
    assert titles("move=office") == {"alpha law", "beta code"}
    assert titles("kind=cop_framework") == {"beta code"}
    # unknown values are ignored, never an error page
    assert titles("kind=nope&provider=x%C2%B2&basis=z&s=999999") == {
        "alpha law",
        "beta code",
        "beta move",
    }
    response = client.get(CSV + "?basis=legal")
    assert response["Content-Type"].startswith("text/csv")
    lines = content(response).strip().splitlines()
    assert lines[0].startswith("due_on,state,kind,title,whose_move,basis")
    assert len(lines) == 3 and "beta move" in lines[2] and ",provider," in lines[2]


def test_an_officer_sees_only_their_own_and_a_head_of_unit_anyones() -> None:
    officer, head = make_user(Role.POLICY_OFFICER, "po"), make_user(Role.HEAD_OF_UNIT, "hou")
    add(officer, 1, title="officer's")
    add(head, 1, title="head's")
    own = signed_in_client(officer).get(f"{DASHBOARD}?owner={head.pk}").text
    assert "officer&#x27;s" in own and "head&#x27;s" not in own  # the owner filter is ignored
    assert "head&#x27;s" not in signed_in_client(officer).get(DASHBOARD + "?owner=all").text
    client = signed_in_client(head)
    assert "officer&#x27;s" not in client.get(DASHBOARD).text
    everyone = client.get(DASHBOARD + "?owner=all").text
    assert "officer&#x27;s" in everyone and "head&#x27;s" in everyone
    one = client.get(f"{DASHBOARD}?owner={officer.pk}").text
    assert "officer&#x27;s" in one and "head&#x27;s" not in one
    assert client.get(DASHBOARD + "?owner=nobody").status_code == 200


# session, user, OTP device, roles (rule and navigation); providers (filter); counts (one
# aggregate); three pages of rows; the chart (one grouped query). A head of unit: the owners.
QUERIES_OFFICER = 10
QUERIES_HEAD = 11


@pytest.mark.parametrize("rows", [3, 90])
def test_the_dashboards_query_count_is_pinned(rows: int) -> None:
    officer, head = make_user(Role.POLICY_OFFICER, "po"), make_user(Role.HEAD_OF_UNIT, "hou")
    provider = registered_provider("Alpha AI")
    for i in range(rows):
        add(officer if i % 2 else head, i % 60 - 20, provider=provider)
    for user, pinned, query in ((officer, QUERIES_OFFICER, ""), (head, QUERIES_HEAD, "?owner=all")):
        client = signed_in_client(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DASHBOARD + query)
        assert response.status_code == 200
        assert len(queries) <= pinned, [q["sql"][:120] for q in queries]


def test_the_provider_page_shows_what_the_office_waits_for() -> None:
    member = make_user(Role.ORGANISATION_MEMBER, "pm")
    mine = registry.provider_register(
        actor=None, organisation=organisation(OrganisationKind.GPAI_PROVIDER)
    )
    add(None, -1, provider=mine, provider_to_act=True, title="answer overdue")
    add(None, 5, provider=mine, provider_to_act=False, title="office decides")
    add(None, 5, provider=registered_provider("Other AI"), provider_to_act=True, title="not ours")
    response = signed_in_client(member).get(PROVIDER_PAGE)
    text = response.content.decode()
    assert "answer overdue" in text and "office decides" not in text and "not ours" not in text
    assert response.context["counts"]["overdue"] == 1


def test_the_office_dashboard_shows_my_counts_and_the_nav_points_to_the_clock() -> None:
    officer = make_user(Role.POLICY_OFFICER, "po")
    add(officer, -1)
    add(officer, -5)
    add(officer, 3)
    text = signed_in_client(officer).get(reverse("core:dashboard")).content.decode()
    summary = text.split('data-testid="deadline-summary"')[1].split("</p>")[0]
    assert "2 overdue" in summary and "1 due in the next 14 days" in summary
    assert f'href="{DASHBOARD}"' in text
    assert clock.counts_of(officer) == {"overdue": 2, "soon": 1}
