"""The compliance pages: one version's, the Office-wide view (staff) and a provider's own;
access, filters, the chart and table, the CSV export and pinned query counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()


@pytest.fixture
def world(make: Any) -> dict[str, Any]:
    alpha = make.provider("Alpha AI")
    gamma = make.provider("Gamma Inc", in_union=False)
    alpha_1 = make.version(alpha, model_name="Alpha", label="1")
    make.notify(alpha_1, TODAY)
    make.document(alpha_1, "annex_xi_1", {})
    make.sign(alpha, TODAY - timedelta(days=30))
    alpha_2 = make.version(alpha, model_name="Alpha", label="2", training_compute_flop=1e24)
    gamma_1 = make.version(gamma, model_name="Gamma", label="1")
    return {
        "alpha": alpha,
        "gamma": gamma,
        "alpha_1": alpha_1,
        "alpha_2": alpha_2,
        "gamma_1": gamma_1,
        "alpha_client": make.member_client(alpha, "alice"),
        "staff": signed_in_client(make_user(Role.POLICY_OFFICER, "officer")),
    }


def _csv(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_a_provider_sees_the_compliance_of_its_own_version(world: dict[str, Any]) -> None:
    url = f"/registry/versions/{world['alpha_1'].pk}/compliance/"
    response = world["alpha_client"].get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-obligation="art52_1"' in html
    assert "Notification N-" in html  # the evidence, linked
    assert "/registry/notifications/N-" in html
    assert "No evidence expected in the registry" in html
    assert "provider established in the Union" in html  # Art. 54(1) does not apply
    assert "Technical documentation" in html and "/documentation/" in html  # Annex XI, linked
    assert "Safety and Security Framework" in html  # the Code of Practice's evidence
    other = f"/registry/versions/{world['gamma_1'].pk}/compliance/"
    assert world["alpha_client"].get(other).status_code == 404


def test_staff_see_any_version_after_their_second_factor(world: dict[str, Any]) -> None:
    url = f"/registry/versions/{world['gamma_1'].pk}/compliance/"
    response = world["staff"].get(url)
    assert response.status_code == 200
    assert 'data-obligation="art54_1"' in response.content.decode()
    no_2fa = signed_in_client(make_user(Role.LEGAL_OFFICER, "legal"), second_factor=False)
    assert no_2fa.get(url).status_code == 302
    assert Client().get(url).status_code == 302  # to sign in


def test_the_office_view_counts_by_obligation_and_by_provider(world: dict[str, Any]) -> None:
    response = world["staff"].get("/office/compliance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="obligation-chart"' in html and "<rect" in html
    assert 'data-testid="obligation-counts"' in html
    assert 'data-testid="provider-counts"' in html
    assert "Alpha AI" in html and "Gamma Inc" in html
    summary = response.context["summary"]
    counts = {c.obligation: (c.due, c.later) for c in summary.by_obligation}
    assert counts["art53_1_a"] == (3, 0)
    assert counts["art54_1"] == (1, 0)
    assert counts["art55_1_a"] == (2, 0)  # alpha 2 has no systemic risk


def test_the_office_view_is_for_staff(world: dict[str, Any]) -> None:
    assert world["alpha_client"].get("/office/compliance/").status_code == 403
    assert world["alpha_client"].get("/office/compliance.csv").status_code == 403
    assert Client().get("/office/compliance/").status_code == 302


def test_filters_by_obligation_status_provider_and_systemic_risk(world: dict[str, Any]) -> None:
    staff = world["staff"]
    response = staff.get("/office/compliance/", {"obligation": "art54_1"})
    rows = response.context["rows"]
    assert {(c.version.pk, i.obligation, i.status) for c, i in rows} == {
        (world["gamma_1"].pk, "art54_1", "overdue")
    }
    response = staff.get("/office/compliance/", {"obligation": "art52_1", "status": "met"})
    assert [c.version.pk for c, _ in response.context["rows"]] == [world["alpha_1"].pk]
    response = staff.get("/office/compliance/", {"provider": world["gamma"].pk})
    assert {c.version.pk for c, _ in response.context["rows"]} == {world["gamma_1"].pk}
    response = staff.get("/office/compliance/", {"systemic_risk": "on"})
    assert world["alpha_2"].pk not in {c.version.pk for c, _ in response.context["rows"]}
    response = staff.get("/office/compliance/", {"status": "not_expected"})
    assert {i.obligation for _, i in response.context["rows"]} == {"art53_3", "art55_1_c"}
    bad = staff.get("/office/compliance/", {"status": "bogus"})
    assert bad.status_code == 200
    assert "bogus" in bad.content.decode()  # the choice error, next to the field


def test_a_provider_sees_only_its_own_gaps(world: dict[str, Any]) -> None:
    response = world["alpha_client"].get("/registry/compliance/")
    assert response.status_code == 200
    versions = {c.version.pk for c, _ in response.context["rows"]}
    assert versions == {world["alpha_1"].pk, world["alpha_2"].pk}
    assert "provider" not in response.context["form"].fields
    assert 'data-testid="provider-counts"' not in response.content.decode()
    rows = _csv(world["alpha_client"].get("/registry/compliance.csv"))
    assert {row["provider"] for row in rows} == {"Alpha AI"}


def test_the_csv_export_holds_every_matching_row(world: dict[str, Any]) -> None:
    response = world["staff"].get("/office/compliance.csv", {"status": "overdue"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows and {row["status"] for row in rows} == {"overdue"}
    gamma = [r for r in rows if r["obligation"] == "art54_1"]
    assert gamma[0]["version_id"] == str(world["gamma_1"].pk)
    assert gamma[0]["due"] == "2025-09-01"


def test_the_page_query_count_does_not_grow_with_the_versions(
    make: Any, world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    staff = world["staff"]
    staff.get("/office/compliance/")  # warm the session
    cache.clear()
    with django_assert_num_queries(QUERIES_OFFICE):
        staff.get("/office/compliance/")
    with django_assert_num_queries(QUERIES_OFFICE - 2):  # the counts, kept a minute
        staff.get("/office/compliance/", {"status": "overdue"})
    for n in range(6):
        make.version(world["gamma"], model_name="Gamma", label=f"extra-{n}")
        make.version(world["alpha"], model_name="Beta", label=f"extra-{n}")
    cache.clear()
    with django_assert_num_queries(QUERIES_OFFICE):
        response = staff.get("/office/compliance/")
    assert response.context["page"].paginator.count == 15
    assert response.context["summary"].versions == 15


# session, user, OTP device, roles (navigation); summary (groups, provider names); count;
# page; the sources (notifications 1, mandates 1, documentation 2, code of practice 5).
QUERIES_OFFICE = 17


def test_a_version_page_on_later_days_stays_not_yet_due(make: Any) -> None:
    provider = make.provider("Delta")
    later = (TODAY + timedelta(days=30)).isoformat()
    version = make.version(provider, placed_on_market=later)
    client = make.member_client(provider, "dora")
    response = client.get(f"/registry/versions/{version.pk}/compliance/")
    statuses = {i.obligation: i.status for i in response.context["compliance"].obligations}
    assert statuses["art53_1_a"] == "not_yet_due"


def test_htmx_gets_only_the_results_and_the_page_works_without_it(world: dict[str, Any]) -> None:
    fragment = world["staff"].get(
        "/office/compliance/", {"status": "overdue"}, HTTP_HX_REQUEST="true"
    )
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="compliance-results">')
    assert "<form" not in html
    page = world["staff"].get("/office/compliance/", {"status": "overdue"}).content.decode()
    assert "<form" in page and 'id="compliance-results"' in page
    assert 'href="compliance.csv?status=overdue"' not in page  # the link is absolute
    assert "/office/compliance.csv?status=overdue" in page


def test_a_provider_page_counts_afresh_when_the_scope_changes(make: Any) -> None:
    """The summary is not kept for a provider's people: once a mandate ends, the former
    representative's page counts nothing at once, not a minute later."""
    from aioffice.registry import services as registry

    from ..documentation.conftest import member_of

    provider = make.provider("Omega AI", in_union=False)
    make.version(provider, model_name="Omega", label="1")
    mandate = make.appoint(provider, TODAY)
    client = signed_in_client(member_of(mandate.representative, "rep"))
    assert client.get("/registry/compliance/").context["summary"].versions == 1
    registry.representative_terminate(actor=None, mandate=mandate, reasons="Ended.")
    assert client.get("/registry/compliance/").context["summary"].versions == 0
