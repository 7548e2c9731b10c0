"""The exchange's pages for every principal (anonymous, no role, each role) and the
authority: who gets which page; the forms (errors on their field, 422), the actions
(share, revoke, assign, answer, report, withdraw), huge ids, pinned query counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.cooperation.permissions import EXCHANGE_OFFICERS
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, principal, signed_in_client

from .exchange_world import (
    World,
    build_world,
    document,
    es_authority,
    es_member,
    fr_authority,
    fr_member,
    head,
    media_root,
    msa_request,
    upload,
)

pytestmark = pytest.mark.django_db

STAFF = {
    Role.POLICY_OFFICER,
    Role.TECHNICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.HEAD_OF_UNIT,
    Role.ADMINISTRATOR,
}
AUTHORITY = Role.NATIONAL_AUTHORITY_MEMBER


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    media_root(settings, tmp_path)


def pages(world: World) -> dict[str, str]:
    ids = world.ids()
    return {
        "home": reverse("cooperation:exchange_home"),
        "home cases": reverse("cooperation:exchange_home") + "?section=cases",
        "home documents": reverse("cooperation:exchange_home") + "?section=documents&page=9",
        "document new": reverse("cooperation:exchange_document_new"),
        "document": reverse("cooperation:exchange_document", args=[ids["document"]]),
        "document file": reverse("cooperation:exchange_document_file", args=[ids["document"]]),
        "request new": reverse("cooperation:exchange_request_new"),
        "request": reverse("cooperation:exchange_request", args=[ids["request"]]),
        "request file": reverse(
            "cooperation:exchange_request_file", args=[ids["request"], ids["file"]]
        ),
    }


def expected(name: str, page: str) -> int:
    if name == ANONYMOUS:
        return 302  # to sign in
    if name in STAFF:
        if page in {"document new", "request new"}:
            return 200 if name in EXCHANGE_OFFICERS else 403
        return 200
    if name == AUTHORITY:
        return 403 if page == "document new" else 200
    return 403


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_page_for_every_principal(name: str) -> None:
    who = principal(name)
    world = build_world()
    for page, url in pages(world).items():
        response = who.client.get(url)
        assert response.status_code == expected(name, page), (name, page)
        if name in STAFF and page == "home documents":
            assert world.document.title in response.content.decode()


def test_another_authority_gets_404_for_what_is_not_its_own() -> None:
    world = build_world()
    client = signed_in_client(es_member())
    for page in ("document", "document file", "request", "request file"):
        assert client.get(pages(world)[page]).status_code == 404, page
    home = client.get(pages(world)["home cases"]).content.decode()
    assert world.case.reference not in home


@pytest.mark.parametrize("suffix", [f"{2**63}/", f"{2**64}/", "0/"])
def test_huge_ids_are_404(suffix: str) -> None:
    client = signed_in_client(head())
    for base in ("/cooperation/exchange/documents/", "/cooperation/exchange/requests/"):
        assert client.get(base + suffix).status_code == 404


def test_staff_store_share_and_revoke_a_document_through_the_pages() -> None:
    client = signed_in_client(head())
    response = client.post(
        reverse("cooperation:exchange_document_new"),
        {"title": "", "confidentiality": "confidential", "file": upload()},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(
        reverse("cooperation:exchange_document_new"),
        {"title": "Memo", "confidentiality": "confidential", "case": "NOPE", "file": upload()},
    )
    assert "No case has this reference." in response.content.decode()
    response = client.post(
        reverse("cooperation:exchange_document_new"),
        {"title": "Memo", "confidentiality": "security", "file": upload()},
    )
    assert response.status_code == 302
    url = response["Location"]
    document_id = int(url.rstrip("/").rsplit("/", 1)[1])
    share_url = reverse("cooperation:exchange_document_share", args=[document_id])
    response = client.post(share_url, {"authority": fr_authority().pk, "reason": ""})
    assert response.status_code == 422
    response = client.post(share_url, {"authority": es_authority().pk, "reason": "Need to know."})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Agencia de prueba" in page and "Public and national security" in page
    share_id = document_from(document_id).shares.get().pk
    revoke = reverse("cooperation:exchange_document_revoke", args=[document_id, share_id])
    assert client.post(revoke).status_code == 302
    assert client.post(revoke).status_code == 302  # already revoked: a message, not a 500
    assert document_from(document_id).shares.get().revoked_at is not None


def document_from(document_id: int) -> Any:
    from aioffice.cooperation.models_exchange import SharedDocument

    return SharedDocument.objects.get(pk=document_id)


def test_the_request_page_actions() -> None:
    office = signed_in_client(head())
    request = msa_request("msa_assessment")
    url = reverse("cooperation:exchange_request", args=[request.pk])
    page = office.get(url).content.decode()
    assert 'data-testid="assign-form"' in page and 'data-testid="answer-form"' in page
    response = office.post(
        reverse("cooperation:exchange_request_assign", args=[request.pk]), {"officer": 2**40}
    )
    assert response.status_code == 422
    response = office.post(
        reverse("cooperation:exchange_request_assign", args=[request.pk]),
        {"officer": head().pk},
    )
    assert response.status_code == 302
    answer = reverse("cooperation:exchange_request_answer", args=[request.pk])
    response = office.post(answer, {"answer": "We will see."})
    assert response.status_code == 422
    assert "Art. 75a" in response.content.decode()
    assert office.post(answer, {"answer": "We act.", "acts": "yes"}).status_code == 302
    report = reverse("cooperation:exchange_request_report", args=[request.pk])
    response = office.post(report, {"text": "Investigation opened."})
    assert response.status_code == 422
    response = office.post(report, {"text": "Opened.", "no_confidential_information": "on"})
    assert response.status_code == 302
    assert "Opened." in office.get(url).content.decode()
    # the authority reads it, cannot answer or report
    fr = signed_in_client(fr_member())
    page = fr.get(url).content.decode()
    assert "Opened." in page and 'data-testid="report-form"' not in page
    assert fr.post(report, {"text": "x", "no_confidential_information": "on"}).status_code == 403


def test_the_authority_withdraws_its_request_from_the_page() -> None:
    request = msa_request()
    fr = signed_in_client(fr_member())
    withdraw = reverse("cooperation:exchange_request_withdraw", args=[request.pk])
    assert fr.post(withdraw).status_code == 302
    assert fr.post(withdraw).status_code == 302  # already withdrawn: a message
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_the_new_request_form_offers_each_side_its_kinds() -> None:
    fr = signed_in_client(fr_member())
    page = fr.get(reverse("cooperation:exchange_request_new")).content.decode()
    assert 'value="msa_information"' in page and 'value="support"' not in page
    office = signed_in_client(head())
    page = office.get(reverse("cooperation:exchange_request_new")).content.decode()
    assert 'value="support"' in page and 'value="msa_information"' not in page
    response = office.post(
        reverse("cooperation:exchange_request_new"),
        {"kind": "support", "subject": "Help", "facts": "f", "institution": "jrc"},
    )
    assert response.status_code == 200
    assert "Set the date the answer is due." in response.content.decode()
    response = fr.post(
        reverse("cooperation:exchange_request_new"),
        {"kind": "msa_information", "subject": "S\x00", "facts": "f", "authority": ""},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 12])
def test_the_query_counts_are_pinned(rows: int, django_assert_max_num_queries: Any) -> None:
    from aioffice.cooperation import services_exchange as services

    build_world()
    for n in range(rows):
        made = document(f"Memo {n}")
        services.document_share(actor=head(), document=made, authority=fr_authority(), reason="r")
        msa_request(subject=f"Request {n}")
    clients: list[Client] = [signed_in_client(head()), signed_in_client(fr_member())]
    for client in clients:
        for section in ("requests", "documents", "cases"):
            with django_assert_max_num_queries(14):
                response = client.get(reverse("cooperation:exchange_home"), {"section": section})
                assert response.status_code == 200
