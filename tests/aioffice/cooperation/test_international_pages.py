"""The pages of international cooperation: each page for every principal (ALL_PRINCIPALS,
an authority's staff); unpublished partners and agreements invisible to the public on every
page and CSV, a contact point shown to staff only; an authority's staff see the unpublished
agreements that involve their Member State and no other; the staff's forms end to end
(partner, agreement, status with its history, document, round) with errors next to their
field; huge ids 404; pinned query counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.cooperation.models_international import (
    Agreement,
    AgreementDocument,
    DialogueRound,
    Partner,
)
from aioffice.core.schemas import MAX_ID
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, principal, signed_in_client

from .test_international_services import (
    PDF,
    agreement,
    authority_user,
    document,
    partner,
    upload,
)

pytestmark = pytest.mark.django_db

EDITORS = {Role.POLICY_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR}
AUTHORITY_USER = "authority_user"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _world() -> dict[str, Any]:
    shown = partner()
    item = agreement(partners=[shown.pk])
    return {"partner": shown, "agreement": item, "document": document(item)}


def _pages(w: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """name -> (URL, who: public, staff or editor) for every GET page."""
    a, p, d = w["agreement"].pk, w["partner"].pk, w["document"].pk
    c = "cooperation:"
    return {
        "international_public": (reverse(c + "international_public"), "public"),
        "international_agreements_csv": (reverse(c + "international_agreements_csv"), "public"),
        "international_agreement": (reverse(c + "international_agreement", args=[a]), "public"),
        "international_document": (
            reverse(c + "international_document", args=[a, d]),
            "public",
        ),
        "international_partners": (reverse(c + "international_partners"), "public"),
        "international_partners_csv": (reverse(c + "international_partners_csv"), "public"),
        "international_partner": (reverse(c + "international_partner", args=[p]), "public"),
        "international_admin": (reverse(c + "international_admin"), "staff"),
        "international_admin_partners": (reverse(c + "international_admin_partners"), "staff"),
        "international_partner_admin": (
            reverse(c + "international_partner_admin", args=[p]),
            "staff",
        ),
        "international_agreement_admin": (
            reverse(c + "international_agreement_admin", args=[a]),
            "staff",
        ),
        "international_document_admin": (
            reverse(c + "international_document_admin", args=[a, d]),
            "staff",
        ),
        "international_partner_new": (reverse(c + "international_partner_new"), "editor"),
        "international_agreement_new": (reverse(c + "international_agreement_new"), "editor"),
        "international_agreement_edit": (
            reverse(c + "international_agreement_edit", args=[a]),
            "editor",
        ),
    }


POST_ONLY = {
    "international_agreement_status",
    "international_document_add",
    "international_round_add",
}


def test_every_page_of_the_part_is_in_the_matrix() -> None:
    from aioffice.cooperation import urls_international

    names = {p.name for p in urls_international.urlpatterns}
    assert names == set(_pages(_world())) | POST_ONLY


def _expected(name: str, who: str) -> int:
    if who == "public":
        return 200
    if name == ANONYMOUS:
        return 302
    if name not in OFFICE_ROLES:
        return 403
    if who == "editor" and name not in EDITORS:
        return 403
    return 200


@pytest.mark.parametrize("name", [*ALL_PRINCIPALS, AUTHORITY_USER])
def test_every_page_for_every_principal(name: str) -> None:
    if name == AUTHORITY_USER:
        client = signed_in_client(authority_user())
    else:
        client = principal(name).client
    world = _world()
    for page, (url, who) in _pages(world).items():
        response = client.get(url)
        assert response.status_code == _expected(name, who), (name, page, response.status_code)
    forms = [page for page, (_url, who) in _pages(world).items() if who == "editor"]
    for page in [*forms, "international_partner_admin"]:
        url = _pages(world)[page][0]
        response = client.post(url, {})
        want = _expected(name, "editor")
        assert response.status_code == (422 if want == 200 else want), (name, page)
    for page in POST_ONLY:
        url = reverse(f"cooperation:{page}", args=[world["agreement"].pk])
        response = client.post(url, {})
        want = _expected(name, "editor")
        assert response.status_code in ({want} if want != 200 else {422}), (name, page)


def test_unpublished_items_and_contact_points_are_invisible_to_the_public() -> None:
    world = _world()
    hidden = partner(name="Hidden institute (demo)", country="SG", published=False)
    draft = agreement(title="Draft arrangement (demo)", published=False, partners=[hidden.pk])
    client = Client()
    listing = client.get(reverse("cooperation:international_public")).content.decode()
    assert "Test dialogue on evaluations (demo)" in listing and "Draft arrangement" not in listing
    partners = client.get(reverse("cooperation:international_partners")).content.decode()
    assert "Test AI Safety Institute" in partners and "Hidden institute" not in partners
    for url in (
        reverse("cooperation:international_agreement", args=[draft.pk]),
        reverse("cooperation:international_partner", args=[hidden.pk]),
    ):
        assert client.get(url).status_code == 404
    for url in (
        reverse("cooperation:international_agreements_csv"),
        reverse("cooperation:international_partners_csv"),
    ):
        body = b"".join(client.get(url).streaming_content).decode()
        assert "Draft arrangement" not in body and "Hidden institute" not in body
        assert "Ms Example" not in body
    public_partner = reverse("cooperation:international_partner", args=[world["partner"].pk])
    assert "Ms Example" not in client.get(public_partner).content.decode()
    staff = principal(Role.TECHNICAL_OFFICER).client
    staff_page = reverse("cooperation:international_partner_admin", args=[world["partner"].pk])
    page = staff.get(staff_page).content.decode()
    assert "Ms Example" in page and 'data-testid="partner-form"' not in page  # reads only
    staff_list = staff.get(reverse("cooperation:international_admin")).content.decode()
    assert "Draft arrangement" in staff_list


def test_an_internal_document_is_for_staff_only() -> None:
    world = _world()
    internal = document(world["agreement"], public=False, title="Internal note")
    a = world["agreement"].pk
    public_url = reverse("cooperation:international_document", args=[a, internal.pk])
    assert Client().get(public_url).status_code == 404
    page = Client().get(reverse("cooperation:international_agreement", args=[a])).content.decode()
    assert "The text" in page and "Internal note" not in page
    staff = principal(Role.LEGAL_OFFICER).client
    response = staff.get(reverse("cooperation:international_document_admin", args=[a, internal.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-SHA256"] == internal.sha256


def test_an_authority_sees_the_unpublished_agreements_of_its_member_state_only() -> None:
    french = agreement(title="Support to France (demo)", published=False, member_states=["FR"])
    german = agreement(title="Support to Germany (demo)", published=False, member_states=["DE"])
    client = signed_in_client(authority_user("FR"))
    listing = client.get(reverse("cooperation:international_public")).content.decode()
    assert "Support to France" in listing and "Support to Germany" not in listing
    page = client.get(reverse("cooperation:international_agreement", args=[french.pk]))
    assert page.status_code == 200 and 'data-testid="not-published"' in page.content.decode()
    assert (
        client.get(reverse("cooperation:international_agreement", args=[german.pk])).status_code
        == 404
    )
    csv_body = b"".join(
        client.get(reverse("cooperation:international_agreements_csv")).streaming_content
    ).decode()
    assert "Support to France" in csv_body and "Support to Germany" not in csv_body
    # a national authority member whose organisation is no designated authority sees no more
    other = principal(Role.NATIONAL_AUTHORITY_MEMBER).client
    assert (
        "Support to France"
        not in other.get(reverse("cooperation:international_public")).content.decode()
    )


def test_the_staff_forms_end_to_end() -> None:
    editor = principal(Role.POLICY_OFFICER).client
    created = editor.post(
        reverse("cooperation:international_partner_new"),
        {
            "name": "Japan AI Safety Institute (test)",
            "country": "jp",
            "kind": "safety_institute",
            "status": "active",
            "published": "on",
            "contact_point": "Desk",
        },
    )
    assert created.status_code == 302
    japan = Partner.objects.get()
    assert japan.country == "JP" and japan.published
    changed = editor.post(
        reverse("cooperation:international_partner_admin", args=[japan.pk]),
        {"name": japan.name, "country": "JP", "kind": "safety_institute", "status": "dormant"},
    )
    assert changed.status_code == 302
    japan.refresh_from_db()
    assert japan.status == "dormant" and not japan.published
    made = editor.post(
        reverse("cooperation:international_agreement_new"),
        {
            "title": "Dialogue (test)",
            "kind": "dialogue",
            "partners": [japan.pk],
            "member_states": ["FR", "ES"],
            "status": "under_negotiation",
            "status_on": "2026-02-01",
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    item = Agreement.objects.get()
    assert [m.member_state for m in item.member_states.all()] == ["ES", "FR"]
    status_url = reverse("cooperation:international_agreement_status", args=[item.pk])
    moved = editor.post(status_url, {"status-status": "signed", "status-on": "2026-03-01"})
    assert moved.status_code == 302
    refused = editor.post(status_url, {"status-status": "in_force", "status-on": "2026-01-01"})
    assert refused.status_code == 422
    assert 'id="id_status-on-error"' in refused.content.decode()
    stored = editor.post(
        reverse("cooperation:international_document_add", args=[item.pk]),
        {"document-file": upload(), "document-title": "Text", "document-public": "on"},
    )
    assert stored.status_code == 302
    assert AgreementDocument.objects.get().public
    bad_file = editor.post(
        reverse("cooperation:international_document_add", args=[item.pk]),
        {"document-file": upload("x.pdf", b"nope")},
    )
    assert (
        bad_file.status_code == 422 and 'id="id_document-file-error"' in bad_file.content.decode()
    )
    recorded = editor.post(
        reverse("cooperation:international_round_add", args=[item.pk]),
        {"round-held_on": "2026-03-02", "round-summary": "First round.", "round-place": "Brussels"},
    )
    assert recorded.status_code == 302 and DialogueRound.objects.get().place == "Brussels"
    edited = editor.post(
        reverse("cooperation:international_agreement_edit", args=[item.pk]),
        {
            "title": "Dialogue (test)",
            "kind": "dialogue",
            "partners": [japan.pk],
            "signed_on": "2026-03-01",
            "in_force_from": "2026-02-01",
            "published": "on",
        },
    )
    assert edited.status_code == 422  # in force before it was signed (2026-03-01)
    assert 'id="id_in_force_from-error"' in edited.content.decode()
    page = editor.get(reverse("cooperation:international_agreement_admin", args=[item.pk]))
    history = page.content.decode().split('data-testid="history"')[1].split("</table>")[0]
    assert history.count("<tr") == 3  # the header, the first status, signed
    assert item.history.count() == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"country": "Japan"}, "country"),
        ({"name": "x\x00"}, "name"),
        ({"website": "not a url at all"}, "website"),
    ],
)
def test_a_bad_partner_form_names_the_field(values: dict[str, str], field: str) -> None:
    editor = principal(Role.ADMINISTRATOR).client
    data = {"name": "Institute (test)", "country": "JP", "kind": "regulator", "status": "active"}
    response = editor.post(reverse("cooperation:international_partner_new"), {**data, **values})
    assert response.status_code == 422
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not Partner.objects.exists()


def test_a_partner_page_refuses_a_reader_s_post() -> None:
    japan = partner()
    reader = principal(Role.TECHNICAL_OFFICER).client
    url = reverse("cooperation:international_partner_admin", args=[japan.pk])
    assert reader.post(url, {"name": "Changed"}).status_code == 403
    japan.refresh_from_db()
    assert japan.name == "Test AI Safety Institute (demo)"


def test_huge_and_unknown_ids_are_404() -> None:
    staff = principal(Role.HEAD_OF_UNIT).client
    for number in (MAX_ID + 1, 99999999999999999999, 123456):
        assert Client().get(f"/cooperation/international/agreements/{number}/").status_code == 404
        assert Client().get(f"/cooperation/international/partners/{number}/").status_code == 404
        assert (
            staff.get(f"/office/cooperation/international/agreements/{number}/").status_code == 404
        )
        assert (
            staff.post(f"/office/cooperation/international/agreements/{number}/status/").status_code
            == 404
        )


def test_bad_filters_are_shown_not_applied() -> None:
    _world()
    response = Client().get(
        reverse("cooperation:international_public"), {"country": "J\x00", "kind": "x"}
    )
    assert response.status_code == 200
    assert 'id="id_country-error"' in response.content.decode()
    assert "Test dialogue on evaluations (demo)" in response.content.decode()
    filtered = Client().get(reverse("cooperation:international_public"), {"country": "gb"})
    assert "Test dialogue on evaluations (demo)" not in filtered.content.decode()


@pytest.mark.parametrize("rows", [2, 12])
def test_the_query_counts_are_pinned(rows: int, django_assert_max_num_queries: Any) -> None:
    for n in range(rows):
        shown = partner(name=f"Partner {n:02d} (demo)")
        agreement(title=f"Agreement {n:02d} (demo)", partners=[shown.pk], member_states=["FR"])
    client = Client()
    with django_assert_max_num_queries(4):  # count, page, partners, Member States
        assert client.get(reverse("cooperation:international_public")).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("cooperation:international_partners")).status_code == 200
    staff = principal(Role.POLICY_OFFICER).client
    with django_assert_max_num_queries(12):
        assert staff.get(reverse("cooperation:international_admin")).status_code == 200
    with django_assert_max_num_queries(10):
        assert staff.get(reverse("cooperation:international_admin_partners")).status_code == 200
    item = Agreement.objects.first()
    assert item is not None
    with django_assert_max_num_queries(8):
        url = reverse("cooperation:international_agreement", args=[item.pk])
        assert client.get(url).status_code == 200


def test_dates_on_the_public_page() -> None:
    item = agreement(status="signed", signed_on=date(2026, 4, 2))
    page = Client().get(reverse("cooperation:international_agreement", args=[item.pk]))
    assert "2026" in page.content.decode()
