"""The exchange API (/api/v1/cooperation/exchange): every route for every principal
(ALL_PRINCIPALS), on a world where the national-authority principal acts for the French
authority everything is shared with. Staff read the register; policy, legal officers and
heads of unit act; the authority reads its own and sends its requests; nobody else gets
anything. Plus: bad ids, bad input, query counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.cooperation.permissions import EXCHANGE_OFFICERS
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal

from .exchange_world import (
    build_world,
    document,
    es_member,
    fr_authority,
    fr_member,
    head,
    media_root,
    msa_request,
    upload,
)

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/cooperation/exchange"
P = PREFIX
Body = Callable[[dict[str, int], str], Any]

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


def _request_body(ids: dict[str, int], name: str) -> dict[str, Any]:
    if name == AUTHORITY:
        return {
            "kind": "msa_information",
            "authority": ids["fr"],
            "subject": "Information please",
            "facts": "Art. 75(3).",
        }
    return {
        "kind": "support",
        "institution": "jrc",
        "subject": "Support please",
        "facts": "Benchmarks.",
        "due_on": str(timezone.now().date() + timedelta(days=30)),
    }


# (URL template, encoding, body); keys are the routes as the OpenAPI document names them
SAMPLES: dict[tuple[str, str], tuple[str, str, Body]] = {
    ("GET", P + "/cases"): ("{P}/cases", "none", lambda ids, n: None),
    ("GET", P + "/documents"): ("{P}/documents?q=memo", "none", lambda ids, n: None),
    ("POST", P + "/documents"): (
        "{P}/documents",
        "multipart",
        lambda ids, n: {"file": upload(), "title": "New memo", "confidentiality": "security"},
    ),
    ("GET", P + "/documents/{document_id}"): (
        "{P}/documents/{document}",
        "none",
        lambda i, n: None,
    ),
    ("GET", P + "/documents/{document_id}/file"): (
        "{P}/documents/{document}/file",
        "none",
        lambda ids, n: None,
    ),
    ("POST", P + "/documents/{document_id}/shares"): (
        "{P}/documents/{document}/shares",
        "json",
        lambda ids, n: {"authority": ids["es"], "reason": "Need to know."},
    ),
    ("POST", P + "/documents/{document_id}/shares/{share_id}/revoke"): (
        "{P}/documents/{document}/shares/{share}/revoke",
        "json",
        lambda ids, n: {},
    ),
    ("GET", P + "/requests"): ("{P}/requests?kind=msa_information", "none", lambda i, n: None),
    ("POST", P + "/requests"): ("{P}/requests", "json", _request_body),
    ("GET", P + "/requests/{request_id}"): ("{P}/requests/{request}", "none", lambda i, n: None),
    ("POST", P + "/requests/{request_id}/assign"): (
        "{P}/requests/{to_assign}/assign",
        "json",
        lambda ids, n: {"officer": ids["officer"]},
    ),
    ("POST", P + "/requests/{request_id}/answer"): (
        "{P}/requests/{open_request}/answer",
        "multipart",
        lambda ids, n: {"answer": "Answered.", "files": [upload("a.txt", b"answer")]},
    ),
    ("POST", P + "/requests/{request_id}/withdraw"): (
        "{P}/requests/{open_request}/withdraw",
        "json",
        lambda ids, n: {},
    ),
    ("POST", P + "/requests/{request_id}/reports"): (
        "{P}/requests/{acting}/reports",
        "json",
        lambda ids, n: {"text": "Opened.", "no_confidential_information": True},
    ),
    ("GET", P + "/requests/{request_id}/files/{file_id}"): (
        "{P}/requests/{request}/files/{file}",
        "none",
        lambda ids, n: None,
    ),
}

READS = {
    ("GET", P + "/cases"),
    ("GET", P + "/documents"),
    ("GET", P + "/documents/{document_id}"),
    ("GET", P + "/documents/{document_id}/file"),
    ("GET", P + "/requests"),
    ("GET", P + "/requests/{request_id}"),
    ("GET", P + "/requests/{request_id}/files/{file_id}"),
}
CREATED = {
    ("POST", P + "/documents"),
    ("POST", P + "/documents/{document_id}/shares"),
    ("POST", P + "/requests"),
    ("POST", P + "/requests/{request_id}/reports"),
}


def expected(name: str, method: str, path: str) -> int:
    """The access rules, written out. Answers and withdrawals run on the same open request:
    the answer comes first in the sorted order, so a withdrawal that would be allowed finds
    it answered (422)."""
    if name == ANONYMOUS:
        return 401
    route = (method, path)
    if name in STAFF:
        if route in READS:
            return 200
        if name not in EXCHANGE_OFFICERS:
            return 403
        if route == ("POST", P + "/requests/{request_id}/withdraw"):
            return 403  # an authority's request: only the authority withdraws it
        return 201 if route in CREATED else 200
    if name == AUTHORITY:
        if route in READS:
            return 200
        if route == ("POST", P + "/requests"):
            return 201
        if route == ("POST", P + "/requests/{request_id}/withdraw"):
            return 200
        return 403
    return 403


def send(client: Client, method: str, url: str, encoding: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    if encoding == "multipart":
        return client.post(url, body)
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def test_every_route_has_a_sample_request() -> None:
    assert set(SAMPLES) == api_routes(api, PREFIX)


def test_no_exchange_route_is_public() -> None:
    assert not {path for _, path in api_routes(api, PREFIX)} & PUBLIC_ROUTES


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    who = principal(name)
    ids = build_world().ids()
    for (method, path), (template, encoding, body) in sorted(SAMPLES.items()):
        url = template.format(P=P, **ids)
        response = send(who.client, method, url, encoding, body(ids, name))
        want = expected(name, method, path)
        assert response.status_code == want, (name, method, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
        elif path.endswith("/file") or "{file_id}" in path:
            assert response["X-Content-SHA256"]
        elif path == P + "/documents" and method == "GET":
            items = response.json()["items"]
            assert [d["id"] for d in items] == [ids["document"]]
            assert (items[0]["shares"] is None) == (name == AUTHORITY)


def test_another_authority_sees_none_of_it() -> None:
    ids = build_world().ids()
    client = principal("no_role").client
    client.force_login(es_member())
    assert client.get(f"{P}/cases").json()["items"] == []
    assert client.get(f"{P}/documents").json()["items"] == []
    assert client.get(f"{P}/requests").json()["items"] == []
    for url in (
        f"{P}/documents/{ids['document']}",
        f"{P}/documents/{ids['document']}/file",
        f"{P}/requests/{ids['request']}",
        f"{P}/requests/{ids['request']}/files/{ids['file']}",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"{P}/requests/{ids['open_request']}/withdraw")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"{P}/documents/{2**63}",
        f"{P}/documents/0",
        f"{P}/documents/999999/file",
        f"{P}/requests/{2**70}",
        f"{P}/requests/abc",
        f"{P}/requests/1/files/{2**63}",
    ],
)
def test_bad_ids_are_404_or_422_never_500(url: str) -> None:
    build_world()
    client = principal(Role.HEAD_OF_UNIT).client
    assert client.get(url).status_code in {404, 422}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "gossip", "subject": "s", "facts": "f"}, "kind"),
        ({"kind": "support", "subject": "s", "facts": "f", "institution": "ecat"}, "due_on"),
        ({"kind": "support", "subject": "s\x00", "facts": "f", "due_on": "2999-01-01"}, None),
        ({"kind": "office_assistance", "subject": "s", "facts": "f", "authority": 2**62}, None),
        ({"kind": "support", "subject": 5, "facts": "f"}, "subject"),
        ({"kind": "support", "subject": "x" * 201, "facts": "f"}, "subject"),
    ],
)
def test_bad_request_input_is_a_422_naming_the_field(
    body: dict[str, Any], field: str | None
) -> None:
    client = principal(Role.HEAD_OF_UNIT).client
    response = client.post(f"{P}/requests", json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    names = {e["field"] for e in response.json()["errors"]}
    if field is not None:
        assert field in names


def test_bad_share_and_upload_input_is_named() -> None:
    made = document()
    client = principal(Role.HEAD_OF_UNIT).client
    response = client.post(
        f"{P}/documents/{made.pk}/shares",
        json.dumps({"authority": 2**40, "reason": "r"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "authority"
    response = client.post(f"{P}/documents", {"title": "T", "file": upload("x.exe", b"MZ")})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    response = client.post(f"{P}/documents", {"title": "T"})
    assert response.status_code == 422


def test_revoking_twice_is_a_422() -> None:
    ids = build_world().ids()
    client = principal(Role.HEAD_OF_UNIT).client
    url = f"{P}/documents/{ids['document']}/shares/{ids['share']}/revoke"
    assert client.post(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "share"


@pytest.mark.parametrize("rows", [2, 12])
def test_the_query_counts_are_pinned(rows: int, django_assert_max_num_queries: Any) -> None:
    build_world()
    for n in range(rows):
        made = document(f"Memo {n}")
        from aioffice.cooperation import services_exchange as services

        services.document_share(actor=head(), document=made, authority=fr_authority(), reason="r")
        msa_request(subject=f"Request {n}")
    staff = principal(Role.HEAD_OF_UNIT).client
    authority = principal("no_role").client
    authority.force_login(fr_member())
    for client in (staff, authority):
        for url in (f"{P}/cases", f"{P}/documents", f"{P}/requests"):
            with django_assert_max_num_queries(12):
                assert client.get(url).status_code == 200, url
