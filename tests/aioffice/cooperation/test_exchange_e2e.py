"""End to end over HTTP, on the real database (issue 8): an authority user does not see a
case until the Office shares it with their authority (supervision's case page and API, the
exchange's page and API), sees it then, and loses it when the share is revoked; the same
for a shared document (page, download, API). A user of another authority never sees
either. Every share, revocation, opening and download is in the audit trail."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import signed_in_client

from .exchange_world import (
    es_member,
    fr_authority,
    fr_member,
    head,
    media_root,
    open_case,
    upload,
)

pytestmark = pytest.mark.django_db

EXCHANGE = "/api/v1/cooperation/exchange"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    media_root(settings, tmp_path)


def case_visible(client: Client, case_id: int, reference: str) -> dict[str, bool]:
    """What a person sees of the case through every door."""
    page = client.get(reverse("supervision:case_detail", args=[case_id]))
    api = client.get(f"/api/v1/supervision/cases/{case_id}")
    exchange_page = client.get(reverse("cooperation:exchange_home") + "?section=cases")
    exchange_api = client.get(f"{EXCHANGE}/cases")
    assert page.status_code in {200, 403}
    assert api.status_code in {200, 403}
    assert exchange_page.status_code == 200 and exchange_api.status_code == 200
    return {
        "case page": page.status_code == 200,
        "case API": api.status_code == 200,
        "exchange page": reference in exchange_page.content.decode(),
        "exchange API": case_id in [c["case"] for c in exchange_api.json()["items"]],
    }


def document_visible(client: Client, document_id: int, title: str) -> dict[str, bool]:
    page = client.get(reverse("cooperation:exchange_document", args=[document_id]))
    file = client.get(reverse("cooperation:exchange_document_file", args=[document_id]))
    api = client.get(f"{EXCHANGE}/documents/{document_id}")
    api_file = client.get(f"{EXCHANGE}/documents/{document_id}/file")
    listed = client.get(f"{EXCHANGE}/documents").json()["items"]
    home = client.get(reverse("cooperation:exchange_home") + "?section=documents")
    for response in (page, file, api, api_file):
        assert response.status_code in {200, 404}
    if file.status_code == 200:
        body = b"".join(file.streaming_content)  # type: ignore[attr-defined]
        assert hashlib.sha256(body).hexdigest() == file["X-Content-SHA256"]
    if page.status_code == 404:  # no leak of the title
        assert title not in page.content.decode()
        assert title not in api.content.decode()
    return {
        "page": page.status_code == 200,
        "download": file.status_code == 200,
        "API": api.status_code == 200,
        "API download": api_file.status_code == 200,
        "API list": document_id in [d["id"] for d in listed],
        "exchange page": title in home.content.decode(),
    }


def test_a_case_is_seen_only_while_shared_with_the_authority() -> None:
    lead = head()
    case = open_case("Cross-border investigation")
    office = signed_in_client(lead)
    fr = signed_in_client(fr_member())
    es = signed_in_client(es_member())
    nobody = dict.fromkeys(("case page", "case API", "exchange page", "exchange API"), False)
    everywhere = dict.fromkeys(nobody, True)

    assert case_visible(fr, case.pk, case.reference) == nobody
    response = office.post(
        f"/api/v1/supervision/cases/{case.pk}/shares",
        json.dumps({"authority": fr_authority().organisation_id, "reason": "Art. 74(11)."}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    share_id = response.json()["id"]
    assert case_visible(fr, case.pk, case.reference) == everywhere
    assert case_visible(es, case.pk, case.reference) == nobody
    # the Office's register lists the share too
    assert case.pk in [c["case"] for c in office.get(f"{EXCHANGE}/cases").json()["items"]]

    response = office.post(f"/api/v1/supervision/cases/{case.pk}/shares/{share_id}/revoke")
    assert response.status_code == 200, response.content
    assert case_visible(fr, case.pk, case.reference) == nobody
    assert case_visible(es, case.pk, case.reference) == nobody


def test_a_document_is_seen_only_while_shared_with_the_authority() -> None:
    office = signed_in_client(head())
    fr = signed_in_client(fr_member())
    es = signed_in_client(es_member())
    title = "Findings of the joint inspection"
    response = office.post(
        f"{EXCHANGE}/documents",
        {"file": upload("findings.txt", b"what we found\n"), "title": title},
    )
    assert response.status_code == 201, response.content
    document_id = response.json()["id"]
    nobody = dict.fromkeys(
        ("page", "download", "API", "API download", "API list", "exchange page"), False
    )
    everywhere = dict.fromkeys(nobody, True)

    assert document_visible(fr, document_id, title) == nobody
    response = office.post(
        f"{EXCHANGE}/documents/{document_id}/shares",
        json.dumps({"authority": fr_authority().pk, "reason": "Need to know (Art. 78)."}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    share_id = response.json()["id"]
    assert document_visible(fr, document_id, title) == everywhere
    assert document_visible(es, document_id, title) == nobody
    page = fr.get(reverse("cooperation:exchange_document", args=[document_id])).content.decode()
    assert "Confidential (Art. 78)" in page
    assert "Need to know" not in page  # the shares are the Office's register, not the reader's

    response = office.post(f"{EXCHANGE}/documents/{document_id}/shares/{share_id}/revoke")
    assert response.status_code == 200, response.content
    assert document_visible(fr, document_id, title) == nobody
    assert document_visible(es, document_id, title) == nobody

    actions = set(
        AuditEvent.objects.filter(
            object_type="cooperation.shareddocument", object_id=str(document_id)
        ).values_list("action", flat=True)
    )
    assert actions == {
        "cooperation.document.stored",
        "cooperation.document.shared",
        "cooperation.document.viewed",
        "cooperation.document.downloaded",
        "cooperation.document.share_revoked",
    }
    readers = set(
        AuditEvent.objects.filter(action="cooperation.document.downloaded").values_list(
            "actor_id", flat=True
        )
    )
    assert readers == {fr_member().pk}


def test_an_authority_sends_a_request_and_reads_the_answer() -> None:
    fr = signed_in_client(fr_member())
    es = signed_in_client(es_member())
    office = signed_in_client(head())
    response = fr.post(
        reverse("cooperation:exchange_request_new"),
        {
            "kind": "msa_assessment",
            "authority": fr_authority().pk,
            "subject": "Chatbot of a VLOP",
            "facts": "Facts, Art. 50 allegedly infringed, reasons.",
            "operator_named": "Exchange Labs",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    detail = response["Location"]
    assert "Art. 75(2a)" in fr.get(detail).content.decode()
    assert es.get(detail).status_code == 404
    request_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    response = office.post(
        reverse("cooperation:exchange_request_answer", args=[request_id]),
        {"answer": "The system is outside Art. 75(1).", "acts": "no"},
    )
    assert response.status_code == 302
    page = fr.get(detail).content.decode()
    assert "The Office does not act" in page and "outside Art. 75(1)" in page
    with_role = signed_in_client(head())
    assert with_role.get(detail).status_code == 200
    assert Role.NATIONAL_AUTHORITY_MEMBER in fr_member().roles
