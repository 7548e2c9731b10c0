"""The sandboxes' pages for every principal: the public list with the national deadline and
its citation, the CSV twin, a published sandbox; a provider's applications and forms; the
working pages of Office staff and of the operating authority (and nobody else); bad ids,
bad input and pinned query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.cooperation.models_sandboxes import ApplicationStatus, SandboxApplication
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, make_user, principal, signed_in_client

from .sandboxes_world import (
    application,
    build_world,
    media_root,  # noqa: F401
    operator,
    provider,
    sandbox,
    upload,
)

pytestmark = pytest.mark.django_db

HUGE = 2**70


def test_the_public_list_shows_the_deadline_and_each_member_state() -> None:
    world = build_world()
    sandbox(name="Hidden (test)", published=False)
    page = Client().get(reverse("cooperation:sandbox_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.sandbox.name in html and world.union.name in html
    assert "Hidden (test)" not in html
    assert "2027" in html and "Art. 57(1)" in html and "2026/1744" in html
    assert 'data-member-state="FR"' in html and 'data-in-time="yes"' in html
    csv = Client().get(reverse("cooperation:sandbox_list_csv"), {"member_state": "FR"})
    body = b"".join(csv.streaming_content).decode()
    assert csv["Content-Type"].startswith("text/csv")
    assert world.sandbox.name in body and world.union.name not in body
    public = Client().get(reverse("cooperation:sandbox_public", args=[world.sandbox.pk]))
    assert "A year of testing." in public.content.decode()
    assert "It went well." not in public.content.decode()  # not agreed for publication


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_principal_reads_the_public_pages(name: str) -> None:
    world = build_world()
    client = principal(name).client
    assert client.get(reverse("cooperation:sandbox_list")).status_code == 200
    assert client.get(reverse("cooperation:sandbox_list_csv")).status_code == 200
    url = reverse("cooperation:sandbox_public", args=[world.sandbox.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("cooperation:sandbox_public", args=[HUGE])).status_code == 404
    assert client.post(reverse("cooperation:sandbox_list")).status_code == 405


def _admin_status(name: str) -> int:
    if name == ANONYMOUS:
        return 302
    if name in OFFICE_ROLES or name == Role.NATIONAL_AUTHORITY_MEMBER:
        return 200
    return 403


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_the_working_pages_are_for_staff_and_the_operating_authority(name: str) -> None:
    world = build_world()
    client = principal(name).client
    want = _admin_status(name)
    assert client.get(reverse("cooperation:sandbox_admin")).status_code == want
    detail = client.get(reverse("cooperation:sandbox_detail", args=[world.sandbox.pk]))
    assert detail.status_code == want
    report = reverse(
        "cooperation:sandbox_report_download", args=[world.sandbox.pk, world.report.pk]
    )
    response = client.get(report)
    assert response.status_code == want
    if want == 200:
        assert len(response["X-Content-SHA256"]) == 64
    application_page = client.get(
        reverse("cooperation:sandbox_application", args=[world.pending.pk])
    )
    provider_side = name == Role.ORGANISATION_MEMBER
    assert application_page.status_code == (200 if want == 200 or provider_side else want)
    mine = client.get(reverse("cooperation:sandbox_applications_mine"))
    assert mine.status_code == (200 if provider_side else 302 if name == ANONYMOUS else 403)
    create = client.get(reverse("cooperation:sandbox_create"))
    creators = OFFICE_ROLES - {Role.TECHNICAL_OFFICER} | {Role.NATIONAL_AUTHORITY_MEMBER}
    assert create.status_code == (200 if name in creators else 302 if name == ANONYMOUS else 403)


def test_an_authority_sees_only_its_sandboxes_and_staff_see_the_suspensions() -> None:
    world = build_world()
    union_page = signed_in_client(operator()).get(
        reverse("cooperation:sandbox_detail", args=[world.union.pk])
    )
    assert union_page.status_code == 403
    admin = signed_in_client(operator()).get(reverse("cooperation:sandbox_admin")).content
    assert world.sandbox.name in admin.decode() and world.union.name not in admin.decode()
    staff = signed_in_client(make_user(Role.HEAD_OF_UNIT)).get(reverse("cooperation:sandbox_admin"))
    html = staff.content.decode()
    assert world.union.name in html and 'data-testid="suspensions"' in html
    assert f'data-application="{world.suspended.pk}"' in html


def test_another_provider_cannot_open_the_application() -> None:
    world = build_world()
    other = make_user(Role.ORGANISATION_MEMBER, "other-provider")
    other.memberships.update(organisation=_other_org())
    client = signed_in_client(other)
    url = reverse("cooperation:sandbox_application", args=[world.pending.pk])
    assert client.get(url).status_code == 403
    exit_url = reverse("cooperation:sandbox_exit_report", args=[world.exited.pk])
    assert client.get(exit_url).status_code == 403
    assert client.get(reverse("cooperation:sandbox_application", args=[HUGE])).status_code == 404


def _other_org() -> Any:
    from aioffice.core.testing import organisation

    return organisation("downstream_provider", "Other provider (test)")


def test_a_provider_applies_and_the_authority_decides_through_the_pages() -> None:
    world = build_world()
    client = signed_in_client(provider())
    apply_url = reverse("cooperation:sandbox_apply", args=[world.union.pk])
    bad = client.post(
        apply_url,
        {"applicant": world.ids()["applicant"], "project": "a\x00b", "system_description": "d"},
    )
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.content.decode()
    done = client.post(
        apply_url,
        {"applicant": world.ids()["applicant"], "project": "Union", "system_description": "d"},
    )
    assert done.status_code == 302
    made = SandboxApplication.objects.get(project="Union")
    assert made.status == ApplicationStatus.PENDING
    assert "Union" in client.get(reverse("cooperation:sandbox_applications_mine")).content.decode()
    full = sandbox(name="Full (test)", capacity=1)
    application(full, ApplicationStatus.ACCEPTED)
    waiting = application(full, project="Waiting")
    decide = reverse("cooperation:sandbox_application_action", args=[waiting.pk, "decide"])
    authority = signed_in_client(operator())
    refused = authority.post(decide, {"accept": "yes", "reasons": "Fit."})
    assert refused.status_code == 422 and "The sandbox is full" in refused.content.decode()
    ok = authority.post(decide, {"accept": "no", "reasons": "No place."})
    assert ok.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.REFUSED
    assert (
        authority.post(
            reverse("cooperation:sandbox_application_action", args=[waiting.pk, "nonsense"])
        ).status_code
        == 404
    )
    assert client.post(decide, {"accept": "yes", "reasons": "x"}).status_code == 403


def test_the_authority_gives_an_exit_report_and_sends_a_report_through_the_pages() -> None:
    world = build_world()
    authority = signed_in_client(operator())
    exit_url = reverse("cooperation:sandbox_application_action", args=[world.to_exit.pk, "exit"])
    response = authority.post(exit_url, {"file": upload("exit.pdf"), "summary": "Done."})
    assert response.status_code == 302
    detail = reverse("cooperation:sandbox_detail", args=[world.sandbox.pk])
    sent = authority.post(
        detail, {"form": "report", "kind": "annual", "file": upload(), "abstract": "Year two."}
    )
    assert sent.status_code == 302
    refused = authority.post(
        detail, {"form": "report", "kind": "final", "file": upload(), "abstract": "End."}
    )
    assert refused.status_code == 422
    saved = authority.post(
        detail,
        {
            "form": "edit",
            "name": world.sandbox.name,
            "level": "national",
            "member_state": "FR",
            "operating_authority": world.ids()["authority"],
            "status": "operational",
            "established_on": world.sandbox.established_on.isoformat(),
            "capacity": "12",
        },
    )
    assert saved.status_code == 302


@pytest.mark.parametrize("rows", [2, 12])
def test_the_query_counts_are_pinned(rows: int, django_assert_max_num_queries: Any) -> None:
    for n in range(rows):
        sandbox(name=f"Sandbox {n:02d} (test)")
    client = Client()
    with django_assert_max_num_queries(4):
        assert client.get(reverse("cooperation:sandbox_list")).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/cooperation/sandboxes/").status_code == 200
    staff = signed_in_client(make_user(Role.POLICY_OFFICER))
    with django_assert_max_num_queries(14):
        assert staff.get(reverse("cooperation:sandbox_admin")).status_code == 200
