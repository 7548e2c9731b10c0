"""The directory's pages for every principal (ALL_PRINCIPALS) and the extra users: the public
directory (the 27 Member States, gaps shown plainly, designated authorities only), a Member
State's page (reports: files for Office staff and the Member State's own authorities, the
date only for others), an authority's page ("you act for this authority"); the staff's
list, forms and steps; recording a report; pinned query counts; bad input never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.accounts.models import User
from aioffice.cooperation.models_authorities import Authority, ResourceReport
from aioffice.cooperation.permissions import DIRECTORY_EDITORS
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, make_user, principal

from .authorities_world import World, build_world, signed_in_client
from .test_authorities_services import PDF, authority, media_root, pdf  # noqa: F401

pytestmark = pytest.mark.django_db

FRENCH = Role.NATIONAL_AUTHORITY_MEMBER  # the principal acting for the French authority


def pages(world: World) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(key, URL, POST body or None for a GET)."""
    fr, report = world.fr, world.report
    return [
        ("directory", reverse("cooperation:authority_directory"), None),
        ("member_state", reverse("cooperation:authority_member_state", args=["FR"]), None),
        ("detail", reverse("cooperation:authority_detail", args=["FR", fr.pk]), None),
        ("report_new", reverse("cooperation:resource_report_new", args=["FR"]), None),
        (
            "report_file",
            reverse("cooperation:resource_report_file", args=["FR", report.pk]),
            None,
        ),
        ("admin", reverse("cooperation:authority_admin"), None),
        ("admin_new", reverse("cooperation:authority_admin_new"), None),
        ("admin_edit", reverse("cooperation:authority_admin_edit", args=[fr.pk]), None),
        ("admin_end", reverse("cooperation:authority_admin_end", args=[world.de.pk]), {}),
        (
            "admin_spoc",
            reverse("cooperation:authority_admin_spoc", args=[world.es_general.pk]),
            {},
        ),
    ]


def expected(name: str, key: str) -> int:
    if key in {"directory", "member_state", "detail"}:
        return 200
    if name == ANONYMOUS:
        return 302  # to the sign-in page
    if key == "report_new":
        return 200 if name in DIRECTORY_EDITORS or name == FRENCH else 403
    if key == "report_file":
        return 200 if name in OFFICE_ROLES or name == FRENCH else 403
    if key == "admin":
        return 200 if name in OFFICE_ROLES else 403
    if key in {"admin_new", "admin_edit"}:
        return 200 if name in DIRECTORY_EDITORS else 403
    return 302 if name in DIRECTORY_EDITORS else 403  # the steps redirect to the edit page


def visit(client: Client, world: World, who: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, url, body in pages(world):
        response = client.get(url) if body is None else client.post(url, body)
        assert response.status_code == expected(who, key), (who, key, response.status_code)
        seen[key] = response
    return seen


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_page_for_every_principal(name: str) -> None:
    world = build_world()
    seen = visit(principal(name).client, world, name)
    member_state = seen["member_state"].content.decode()
    files = name in OFFICE_ROLES or name == FRENCH
    assert ('data-testid="report-file"' in member_state) is files
    assert ("Budget and staff (test)." in member_state) is files
    assert world.report.received_on.strftime("%Y") in member_state  # when: for everyone
    assert ('data-testid="record-report"' in member_state) is (
        name in DIRECTORY_EDITORS or name == FRENCH
    )
    detail = seen["detail"].content.decode()
    assert ('data-testid="acting"' in detail) is (name == FRENCH)
    if seen["report_file"].status_code == 200:
        assert b"".join(seen["report_file"].streaming_content) == PDF
        assert seen["report_file"]["X-Content-SHA256"] == world.report.sha256
    if name in DIRECTORY_EDITORS:
        world.de.refresh_from_db()
        world.es_general.refresh_from_db()
        assert world.de.active is False and world.es_general.single_point_of_contact


@pytest.mark.parametrize("username", ["dpa", "city"])
def test_every_page_for_the_extra_users(username: str) -> None:
    """A Spanish Art. 74(8) authority's member (reads and records Spain's reports, not
    France's) and a public-body deployer (the public pages only)."""
    world = build_world()
    client = signed_in_client(User.objects.get(username=username))
    for key, url, body in pages(world):
        response = client.get(url) if body is None else client.post(url, body)
        want = 200 if key in {"directory", "member_state", "detail"} else 403
        assert response.status_code == want, (username, key)
    spain = client.get(reverse("cooperation:authority_member_state", args=["ES"])).content
    assert (b'data-testid="record-report"' in spain) is (username == "dpa")
    own = client.get(reverse("cooperation:resource_report_new", args=["ES"]))
    assert own.status_code == (200 if username == "dpa" else 403)


def test_staff_without_their_second_factor_are_sent_to_it() -> None:
    world = build_world()
    client = signed_in_client(make_user(Role.HEAD_OF_UNIT), second_factor=False)
    for key, url, body in pages(world):
        response = client.get(url) if body is None else client.post(url, body)
        if key in {"directory", "member_state", "detail"}:
            assert response.status_code == 200
            assert b'data-testid="report-file"' not in response.content
        else:
            assert response.status_code == 302 and "second" in response["Location"], key


def test_the_directory_shows_the_27_and_their_gaps_plainly() -> None:
    world = build_world()
    html = Client().get(reverse("cooperation:authority_directory")).content.decode()
    assert html.count('data-member-state="') == 27
    assert html.count('data-gap="none"') == 27 - 3  # FR, ES, DE have designations
    assert 'data-member-state="IT" data-gap="none"' in html  # an ended one is no designation
    assert world.it_ended.name not in html
    assert world.fr.name in html and 'data-testid="spoc"' in html
    assert 'data-report="overdue"' in html  # the 26 without a report
    portugal = Client().get(reverse("cooperation:authority_member_state", args=["PT"]))
    assert b'data-testid="no-designation"' in portugal.content
    assert b'data-testid="gaps"' in portugal.content


def test_the_directory_filters_and_links_its_machine_readable_twins() -> None:
    world = build_world()
    url = reverse("cooperation:authority_directory")
    html = Client().get(url, {"member_state": "ES", "kind": "market_surveillance"}).content
    text = html.decode()
    assert world.es_dpa.name in text and world.es_notifying.name not in text
    assert world.fr.name not in text.split('data-testid="directory-filter"')[1]
    assert "/api/v1/cooperation/authorities/directory.csv?member_state=ES" in text
    bad = Client().get(url, {"member_state": "UK", "q": "a\x00b"})
    assert bad.status_code == 200  # a wrong filter is shown next to its field


@pytest.mark.parametrize(
    "url",
    [
        "/cooperation/authorities/XX/",
        "/cooperation/authorities/FR/99999999999999999999/",
        "/cooperation/authorities/FR/0/",
        "/cooperation/authorities/XX/resource-reports/new/",
        "/cooperation/authorities/FR/resource-reports/99999999999999999999/file",
        "/office/cooperation/authorities/99999999999999999999/",
    ],
)
def test_unknown_things_are_404(url: str) -> None:
    build_world()
    assert principal(Role.HEAD_OF_UNIT).client.get(url).status_code == 404


def test_ended_designations_are_for_staff_only_and_urls_are_canonical() -> None:
    world = build_world()
    ended = reverse("cooperation:authority_detail", args=["IT", world.it_ended.pk])
    assert Client().get(ended).status_code == 404
    staff = principal(Role.TECHNICAL_OFFICER).client
    assert b'data-testid="ended"' in staff.get(ended).content
    wrong = reverse("cooperation:authority_detail", args=["DE", world.fr.pk])
    assert Client().get(wrong)["Location"] == reverse(
        "cooperation:authority_detail", args=["FR", world.fr.pk]
    )
    lower = Client().get("/cooperation/authorities/fr/")
    assert lower.status_code == 302 and lower["Location"] == "/cooperation/authorities/FR/"


def test_an_editor_creates_edits_and_sees_errors_on_the_field() -> None:
    build_world()
    client = principal(Role.POLICY_OFFICER).client
    new = reverse("cooperation:authority_admin_new")
    form = {
        "member_state": "NL",
        "name": "Toezichthouder (test)",
        "kind": "market_surveillance",
        "sector": "general",
        "website": "toezicht.example",
    }
    response = client.post(new, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Authority.objects.get(name="Toezichthouder (test)")
    assert created.website == "https://toezicht.example"
    again = client.post(new, form)
    assert again.status_code == 422
    assert b'id="id_name-error"' in again.content
    edit = reverse("cooperation:authority_admin_edit", args=[created.pk])
    assert client.post(edit, {**form, "kind": "notifying", "tasks": "T"}).status_code == 302
    created.refresh_from_db()
    assert created.kind == "notifying" and created.tasks == "T"
    spoc = client.post(reverse("cooperation:authority_admin_spoc", args=[created.pk]))
    assert spoc.status_code == 302  # refused, with a message on the edit page
    page = client.get(spoc["Location"]).content.decode()
    assert "market surveillance authority" in page
    created.refresh_from_db()
    assert created.single_point_of_contact is False


def test_recording_a_report_through_the_page() -> None:
    world = build_world()
    client = principal(FRENCH).client
    url = reverse("cooperation:resource_report_new", args=["FR"])
    form = {"received_on": world.report.received_on.isoformat(), "summary": "Second."}
    bad = client.post(url, {**form, "file": pdf(name="report.exe")})
    assert bad.status_code == 422 and b'id="id_file-error"' in bad.content
    twice = client.post(url, {**form, "file": pdf(), "due_on": world.report.due_on.isoformat()})
    assert twice.status_code == 422 and b'id="id_due_on-error"' in twice.content
    done = client.post(url, {**form, "file": pdf()})
    assert done.status_code == 302
    assert ResourceReport.objects.filter(member_state_id="FR").count() == 2


@pytest.mark.parametrize("rows", [3, 60])
def test_the_query_counts_are_pinned(rows: int, django_assert_num_queries: Any) -> None:
    for n in range(rows):
        authority(member_state="AT", name=f"Behörde {n:02d} (test)")
    client = Client()
    # overview (counts, contact points, reports), then the page's count and rows
    with django_assert_num_queries(5):
        assert client.get(reverse("cooperation:authority_directory")).status_code == 200
    with django_assert_num_queries(5):
        url = reverse("cooperation:authority_member_state", args=["AT"])
        assert client.get(url).status_code == 200
    staff = principal(Role.LEGAL_OFFICER).client
    before = staff.get(reverse("cooperation:authority_admin"))
    assert before.status_code == 200
    with django_assert_num_queries(6):
        assert staff.get(reverse("cooperation:authority_admin")).status_code == 200
