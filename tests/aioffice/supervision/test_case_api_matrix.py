"""The cases API (/api/v1/supervision/cases/): every route for every principal
(ALL_PRINCIPALS), on a world where no principal is on any case's team. The register is for
staff; a case file is for its team (nobody here), read-only for the national authority it
is shared with (the national-authority principal's), and in part for the provider concerned
(the organisation-member principal's); steps are for the team only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from aioffice.accounts.choices import Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal
from aioffice.supervision.permissions import CASE_OPENERS

from .test_case_api import RFI, build_world, media_root, today, upload  # noqa: F401

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/supervision/cases/"
P = PREFIX.rstrip("/")

Body = Callable[[dict[str, int]], Any]


# One request per route: (how the body is sent, the body from the world's ids), and the URL.
# Keys are the routes as the OpenAPI document names them.
SAMPLES: dict[tuple[str, str], tuple[str, str, Body]] = {
    ("GET", P + "/"): ("{P}/?status=open", "none", lambda ids: None),
    ("GET", P + "/register.csv"): ("{P}/register.csv", "none", lambda ids: None),
    ("POST", P + "/"): (
        "{P}/",
        "json",
        lambda ids: {"provider": ids["provider"], "title": "New", "origin": "ex_officio"},
    ),
    ("GET", P + "/{case_id}"): ("{P}/{case}", "none", lambda ids: None),
    ("POST", P + "/{case_id}/team"): ("{P}/{case}/team", "json", lambda ids: {"user": ids["lead"]}),
    ("POST", P + "/{case_id}/team/remove"): (
        "{P}/{case}/team/remove",
        "json",
        lambda ids: {"user": ids["member"]},
    ),
    ("POST", P + "/{case_id}/shares"): (
        "{P}/{case}/shares",
        "json",
        lambda ids: {"authority": ids["authority"], "reason": "r"},
    ),
    ("POST", P + "/{case_id}/shares/{share_id}/revoke"): (
        "{P}/{case}/shares/{share}/revoke",
        "json",
        lambda ids: {},
    ),
    ("POST", P + "/{case_id}/intakes"): ("{P}/{case}/intakes", "json", lambda ids: {"intake": 1}),
    ("POST", P + "/{case_id}/requests"): ("{P}/{case}/requests", "json", lambda ids: RFI),
    ("POST", P + "/{case_id}/requests/{request_id}/answer"): (
        "{P}/{case}/requests/{rfi}/answer",
        "multipart",
        lambda ids: {"answer": "Here it is.", "files": [upload("answer.txt", b"answer")]},
    ),
    ("POST", P + "/{case_id}/meetings"): (
        "{P}/{case}/meetings",
        "json",
        lambda ids: {"held_on": today(), "purpose": "p", "attendees": "a", "notes": "n"},
    ),
    ("POST", P + "/{case_id}/evaluations"): (
        "{P}/{case}/evaluations",
        "json",
        lambda ids: {"ground": "systemic_risk", "board_consulted_on": today()},
    ),
    ("POST", P + "/{case_id}/evaluations/{evaluation_id}/access-request"): (
        "{P}/{case}/evaluations/1/access-request",
        "json",
        lambda ids: {"legal_basis": "b"},
    ),
    ("POST", P + "/{case_id}/evaluations/{evaluation_id}/access-granted"): (
        "{P}/{case}/evaluations/1/access-granted",
        "json",
        lambda ids: {},
    ),
    ("POST", P + "/{case_id}/evaluations/{evaluation_id}/experts"): (
        "{P}/{case}/evaluations/1/experts",
        "json",
        lambda ids: {"name": "E", "declared_on": today()},
    ),
    ("POST", P + "/{case_id}/evaluations/{evaluation_id}/runs"): (
        "{P}/{case}/evaluations/1/runs",
        "json",
        lambda ids: {"run": ids["run"]},
    ),
    ("POST", P + "/{case_id}/evaluations/{evaluation_id}/findings"): (
        "{P}/{case}/evaluations/1/findings",
        "json",
        lambda ids: {"findings": "f"},
    ),
    ("POST", P + "/{case_id}/commitments"): (
        "{P}/{case}/commitments",
        "json",
        lambda ids: {"meeting": 1, "text": "t"},
    ),
    ("POST", P + "/{case_id}/findings"): (
        "{P}/{case}/findings",
        "json",
        lambda ids: {
            "findings": "f",
            "measures_considered": "m",
            "answer_by": today() + timedelta(days=30),
        },
    ),
    ("POST", P + "/{case_id}/findings/{findings_id}/observations"): (
        "{P}/{case}/findings/{findings}/observations",
        "multipart",
        lambda ids: {"observations": "We were heard."},
    ),
    ("POST", P + "/{case_id}/measures"): (
        "{P}/{case}/measures",
        "json",
        lambda ids: {
            "kind": "compliance",
            "description": "d",
            "grounds": "g",
            "due_on": today() + timedelta(days=30),
        },
    ),
    ("POST", P + "/{case_id}/measures/{measure_id}/follow-up"): (
        "{P}/{case}/measures/1/follow-up",
        "json",
        lambda ids: {"status": "complied", "follow_up": "f"},
    ),
    ("POST", P + "/{case_id}/decisions"): (
        "{P}/{case}/decisions",
        "json",
        lambda ids: {"kind": "no_grounds", "reasons": "r", "remedies": "x"},
    ),
    ("POST", P + "/{case_id}/decisions/{decision_id}/notify"): (
        "{P}/{case}/decisions/{decision}/notify",
        "json",
        lambda ids: {},
    ),
    ("GET", P + "/{case_id}/decisions/{decision_id}/decision.pdf"): (
        "{P}/{case}/decisions/{decision}/decision.pdf",
        "none",
        lambda ids: None,
    ),
    ("POST", P + "/{case_id}/documents"): (
        "{P}/{case}/documents",
        "multipart",
        lambda ids: {"file": upload("memo.txt", b"memo"), "title": "Memo"},
    ),
    ("GET", P + "/{case_id}/documents/{document_id}"): (
        "{P}/{case}/documents/{visible}",
        "none",
        lambda ids: None,
    ),
    ("POST", P + "/{case_id}/close"): (
        "{P}/{case}/close",
        "json",
        lambda ids: {"outcome": "discontinued", "reasons": "r"},
    ),
}

STAFF = {
    Role.POLICY_OFFICER,
    Role.TECHNICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.HEAD_OF_UNIT,
    Role.ADMINISTRATOR,
}
PROVIDER = Role.ORGANISATION_MEMBER
AUTHORITY = Role.NATIONAL_AUTHORITY_MEMBER
# what the provider concerned does here, and what a shared authority reads
PROVIDER_ROUTES = {
    ("GET", P + "/"),
    ("GET", P + "/{case_id}"),
    ("POST", P + "/{case_id}/requests/{request_id}/answer"),
    ("POST", P + "/{case_id}/findings/{findings_id}/observations"),
    ("GET", P + "/{case_id}/decisions/{decision_id}/decision.pdf"),
    ("GET", P + "/{case_id}/documents/{document_id}"),
}
AUTHORITY_ROUTES = {
    ("GET", P + "/"),
    ("GET", P + "/{case_id}"),
    ("GET", P + "/{case_id}/decisions/{decision_id}/decision.pdf"),
    ("GET", P + "/{case_id}/documents/{document_id}"),
}


def expected(name: str, method: str, path: str) -> int:
    """The access rules, written out: nobody here is on a team."""
    if name == ANONYMOUS:
        return 401
    route = (method, path)
    if name in STAFF:
        if route in {("GET", P + "/"), ("GET", P + "/register.csv")}:
            return 200
        if route == ("POST", P + "/"):
            return 201 if name in CASE_OPENERS else 403
        return 403  # not on the case's team: neither the file nor a step
    if name == PROVIDER and route in PROVIDER_ROUTES:
        return 200
    if name == AUTHORITY and route in AUTHORITY_ROUTES:
        return 200
    return 403


def send(client: Client, method: str, url: str, encoding: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    if encoding == "multipart":
        return client.post(url, body)
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def world_ids() -> dict[str, int]:
    world = build_world()
    ids = world.ids()
    ids["provider"] = world.case.provider_id
    ids["authority"] = world.case.shares.get().authority_id
    ids["share"] = world.case.shares.get().pk
    return ids


def test_every_route_has_a_sample_request() -> None:
    assert set(SAMPLES) == api_routes(api, PREFIX)


def test_no_case_route_is_public() -> None:
    assert not {path for _, path in api_routes(api, PREFIX)} & PUBLIC_ROUTES


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    who = principal(name)
    ids = world_ids()
    for (method, path), (template, encoding, body) in sorted(SAMPLES.items()):
        url = template.format(P=P, **ids)
        response = send(who.client, method, url, encoding, body(ids))
        want = expected(name, method, path)
        assert response.status_code == want, (name, method, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
        elif path.endswith(".csv"):
            assert response["Content-Type"].startswith("text/csv")
        elif method == "GET" and ("{document_id}" in path or path.endswith(".pdf")):
            assert response["X-Content-SHA256"]
        elif path == P + "/{case_id}" and name == PROVIDER:
            data = response.json()
            assert data["view"] == "provider"
            assert data["shares"] == [] and data["case"]["team"] == []
            assert ids["hidden"] not in {d["id"] for d in data["documents"]}
        elif path == P + "/" and name == PROVIDER:
            assert [c["id"] for c in response.json()["items"]] == [ids["case"]]


@pytest.mark.parametrize("name", [PROVIDER, AUTHORITY, Role.HEAD_OF_UNIT])
def test_the_other_providers_case_is_refused_on_every_route(name: str) -> None:
    """The same requests on the other provider's case (not shared): 403 for all but the
    register (staff)."""
    who = principal(name)
    ids = world_ids()
    other = {
        **ids,
        "case": ids["other"],
        "rfi": ids["other_rfi"],
        "findings": ids["other_findings"],
        "visible": ids["other_document"],
        "decision": ids["other_decision"],
    }
    for (method, path), (template, encoding, body) in sorted(SAMPLES.items()):
        if "{case_id}" not in path:
            continue
        url = template.format(P=P, **other)
        response = send(who.client, method, url, encoding, body(other))
        assert response.status_code == 403, (name, method, path, response.content[:300])
