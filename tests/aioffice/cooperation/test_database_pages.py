"""The EU database's pages for every principal (ALL_PRINCIPALS) and the extra users: the
public part for everyone, the registrants' pages for members of providers and public
bodies, the Office's list for staff after the second factor; registering through the forms
(errors on their fields), status and withdrawal; bad input never a 500; query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.cooperation.models_database import Registration
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, make_user, principal, signed_in_client

from .test_database_services import A_POINTS, World, build_world, register_a, register_secure

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _pages(number: str) -> dict[str, str]:
    return {
        "database_search": reverse("cooperation:database_search"),
        "database_json": reverse("cooperation:database_json"),
        "database_csv": reverse("cooperation:database_csv"),
        "database_detail": reverse("cooperation:database_detail", args=[number]),
        "database_mine": reverse("cooperation:database_mine"),
        "database_register": reverse("cooperation:database_register", args=["A"]),
        "database_manage": reverse("cooperation:database_manage", args=[number]),
        "database_admin": reverse("cooperation:database_admin"),
        "database_admin_detail": reverse("cooperation:database_admin_detail", args=[number]),
    }


def _expected(name: str, page: str) -> int:
    if page in ("database_search", "database_json", "database_csv", "database_detail"):
        return 200
    if name == ANONYMOUS:
        return 302
    if page in ("database_admin", "database_admin_detail"):
        return 200 if name in OFFICE_ROLES else 403
    if page == "database_mine":
        return 200 if name in (Role.ORGANISATION_MEMBER, Role.NATIONAL_AUTHORITY_MEMBER) else 403
    if page == "database_register":  # section A: providers only
        return 200 if name == Role.ORGANISATION_MEMBER else 403
    # database_manage: another organisation's entry
    return 404 if name in (Role.ORGANISATION_MEMBER, Role.NATIONAL_AUTHORITY_MEMBER) else 403


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_page_for_every_principal(world: World, name: str) -> None:
    entry = register_a(world)
    client = principal(name).client
    for page, url in _pages(entry.number).items():
        response = client.get(url)
        assert response.status_code == _expected(name, page), (name, page, response.status_code)


def test_staff_without_the_second_factor_see_the_public_part_only(world: World) -> None:
    secure = register_secure(world)
    client = signed_in_client(make_user(Role.LEGAL_OFFICER), second_factor=False)
    detail = reverse("cooperation:database_detail", args=[secure.number])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("cooperation:database_admin")).status_code == 302
    staff = signed_in_client(world.staff)
    assert staff.get(detail).status_code == 200
    admin = staff.get(reverse("cooperation:database_admin_detail", args=[secure.number]))
    page = admin.content.decode()
    assert ("cooperation.registration.registered" in page and "Art. 49(4)" in page) or "49" in page


def test_a_provider_registers_changes_the_status_and_withdraws(world: World) -> None:
    client = signed_in_client(world.provider)
    url = reverse("cooperation:database_register", args=["A"])
    bad = client.post(
        url, {"organisation": world.provider_org.pk, "annex_iii_point": "2", **A_POINTS}
    )
    assert bad.status_code == 422
    assert "national level" in bad.content.decode()
    assert 'aria-invalid="true"' in bad.content.decode()
    secure_bad = client.post(
        url,
        {
            "organisation": world.provider_org.pk,
            "annex_iii_point": "6",
            "sensitive_context": "on",
            **A_POINTS,
        },
    )
    assert secure_bad.status_code == 422 and "secure section" in secure_bad.content.decode()
    made = client.post(
        url, {"organisation": world.provider_org.pk, "annex_iii_point": "4", **A_POINTS}
    )
    assert made.status_code == 302
    entry = Registration.objects.get()
    manage = reverse("cooperation:database_manage", args=[entry.number])
    assert made["Location"] == manage
    assert client.post(manage, {"action": "status", "status": "recalled"}).status_code == 302
    same = client.post(manage, {"action": "status", "status": "recalled"})
    assert same.status_code == 422 and "already" in same.content.decode()
    assert client.post(manage, {"action": "withdraw", "note": ""}).status_code == 422
    assert client.post(manage, {"action": "withdraw", "note": "twice"}).status_code == 302
    entry.refresh_from_db()
    assert entry.state == "withdrawn" and entry.status == "recalled"
    page = client.get(manage).content.decode()
    assert "withdrawn" in page and "recalled" in page.lower()
    public = Client().get(reverse("cooperation:database_search")).content.decode()
    assert entry.number not in public


def test_the_public_search_filters_and_marks(world: World) -> None:
    public = register_a(world)
    other = register_a(
        world,
        annex_iii_point="3",
        values={"trade_name": "GradeBot", "status": "no_longer", "member_states": ["IT"]},
    )
    secure = register_secure(world)
    client = Client()
    search = reverse("cooperation:database_search")

    def numbers(**query: str) -> list[str]:
        response = client.get(search, query)
        assert response.status_code == 200
        page = response.content.decode()
        return [n for n in (public.number, other.number, secure.number) if n in page]

    assert numbers() == [public.number, other.number]
    assert numbers(q="GRADEBOT") == [other.number]
    assert numbers(annex_iii_point="3") == [other.number]
    assert numbers(status="no_longer") == [other.number]
    assert numbers(member_state="IT") == [other.number]
    assert numbers(section="B") == []
    assert numbers(annex_iii_point="6") == []
    art74_8 = signed_in_client(world.art74_8)
    page = art74_8.get(search, {"annex_iii_point": "6"}).content.decode()
    assert secure.number in page and 'data-restricted="true"' in page
    fragment = client.get(search, {"q": "gradebot"}, HTTP_HX_REQUEST="true").content.decode()
    assert other.number in fragment and "<html" not in fragment


@pytest.mark.parametrize(
    "query",
    [
        {"q": "a\x00b"},
        {"q": "x" * 500},
        {"section": "Z"},
        {"annex_iii_point": "99"},
        {"member_state": "UK"},
        {"page": "99999999999999999999"},
        {"page": "-1"},
        {"page": "junk"},
    ],
)
def test_bad_input_on_the_public_pages_is_never_a_500(world: World, query: dict[str, str]) -> None:
    register_a(world)
    client = Client()
    assert client.get(reverse("cooperation:database_search"), query).status_code == 200
    assert client.get(reverse("cooperation:database_json"), query).status_code in (200, 422)
    assert client.get(reverse("cooperation:database_csv"), query).status_code in (200, 422)


@pytest.mark.parametrize("number", ["EU-DB-A-2026-999999", "x" * 100, "9" * 30])
def test_unknown_entries_are_404(number: str) -> None:
    client = Client()
    assert client.get(reverse("cooperation:database_detail", args=[number])).status_code == 404
    url = reverse("cooperation:database_file", args=[number, 2**62])
    assert client.get(url).status_code == 404


def test_an_unknown_section_is_404(world: World) -> None:
    client = signed_in_client(world.provider)
    assert client.get("/eu-database/mine/register/Z/").status_code == 404
    assert client.get(reverse("cooperation:database_register", args=["C"])).status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_the_query_counts_are_pinned(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    for _ in range(rows):
        register_a(world)
    client = Client()
    search = reverse("cooperation:database_search")
    with django_assert_max_num_queries(3):  # audit head, count, page
        assert client.get(search, {"q": "acmehire", "page": "2"}).status_code == 200
    with django_assert_max_num_queries(4):  # audit head, count, the order's ids, page
        assert client.get(reverse("cooperation:database_json")).status_code == 200
    staff = signed_in_client(world.staff)
    with django_assert_max_num_queries(12):  # session, user, device, roles; count, page
        assert staff.get(reverse("cooperation:database_admin")).status_code == 200
    provider = signed_in_client(world.provider)
    with django_assert_max_num_queries(10):
        assert provider.get(reverse("cooperation:database_mine")).status_code == 200
