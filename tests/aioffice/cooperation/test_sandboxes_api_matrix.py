"""The sandboxes API (/api/v1/cooperation/sandboxes): every route for every principal
(ALL_PRINCIPALS) on the world of sandboxes_world. The national-authority principal's
organisation operates the French sandbox; the organisation-member principal's organisation
is the applicant of every application; Office staff read everything, the list's keepers
(not technical officers) register and change sandboxes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal

from .sandboxes_world import build_world, media_root, today, upload  # noqa: F401

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/cooperation/sandboxes"
P = PREFIX
A = P + "/applications/{application_id}"

Body = Callable[[dict[str, int]], Any]

SAMPLES: dict[tuple[str, str], tuple[str, str, Body]] = {
    ("GET", P + "/"): ("{P}/?member_state=FR", "none", lambda ids: None),
    ("GET", P + "/published.csv"): ("{P}/published.csv", "none", lambda ids: None),
    ("GET", P + "/member-states"): ("{P}/member-states", "none", lambda ids: None),
    ("GET", P + "/{sandbox_id}"): ("{P}/{sandbox}", "none", lambda ids: None),
    ("GET", P + "/records"): ("{P}/records", "none", lambda ids: None),
    ("POST", P + "/records"): (
        "{P}/records",
        "json",
        lambda ids: {
            "name": "Another sandbox (test)",
            "member_state": "FR",
            "operating_authority": ids["authority"],
        },
    ),
    ("GET", P + "/records/{sandbox_id}"): ("{P}/records/{sandbox}", "none", lambda ids: None),
    ("PATCH", P + "/records/{sandbox_id}"): (
        "{P}/records/{sandbox}",
        "json",
        lambda ids: {"description": "Changed."},
    ),
    ("POST", P + "/records/{sandbox_id}/reports"): (
        "{P}/records/{sandbox}/reports",
        "multipart",
        lambda ids: {"kind": "annual", "file": upload(), "abstract": "Second year."},
    ),
    ("GET", P + "/records/{sandbox_id}/reports/{report_id}"): (
        "{P}/records/{sandbox}/reports/{report}",
        "none",
        lambda ids: None,
    ),
    ("POST", P + "/{sandbox_id}/applications"): (
        "{P}/{union}/applications",
        "json",
        lambda ids: {
            "applicant": ids["applicant"],
            "project": "Union project",
            "system_description": "A system under Art. 75(1).",
            "sme": True,
        },
    ),
    ("GET", P + "/applications"): ("{P}/applications", "none", lambda ids: None),
    ("GET", A): ("{P}/applications/{pending}", "none", lambda ids: None),
    ("POST", A + "/withdraw"): ("{P}/applications/{pending}/withdraw", "json", lambda ids: {}),
    ("POST", A + "/decision"): (
        "{P}/applications/{pending}/decision",
        "json",
        lambda ids: {"accept": True, "reasons": "Eligible."},
    ),
    ("POST", A + "/suspension"): (
        "{P}/applications/{accepted}/suspension",
        "json",
        lambda ids: {"reasons": "A significant risk."},
    ),
    ("POST", A + "/resume"): ("{P}/applications/{suspended}/resume", "json", lambda ids: {}),
    ("POST", A + "/immunity"): (
        "{P}/applications/{accepted}/immunity",
        "json",
        lambda ids: {"followed_plan": True, "good_faith": True},
    ),
    ("POST", A + "/plans"): (
        "{P}/applications/{accepted}/plans",
        "json",
        lambda ids: {
            "objectives": "o",
            "starts_on": today(),
            "ends_on": today() + timedelta(days=30),
            "terms": "t",
            "safeguards": "s",
        },
    ),
    ("POST", A + "/plans/{plan_id}/agree"): (
        "{P}/applications/{suspended}/plans/{plan}/agree",
        "json",
        lambda ids: {},
    ),
    ("POST", A + "/exit-report"): (
        "{P}/applications/{to_exit}/exit-report",
        "multipart",
        lambda ids: {"file": upload("exit.pdf"), "summary": "Done."},
    ),
    ("GET", A + "/exit-report"): (
        "{P}/applications/{exited}/exit-report",
        "none",
        lambda ids: None,
    ),
    ("POST", A + "/exit-report/consent"): (
        "{P}/applications/{exited}/exit-report/consent",
        "json",
        lambda ids: {"publication": True},
    ),
}

PUBLIC = {
    ("GET", P + "/"),
    ("GET", P + "/published.csv"),
    ("GET", P + "/member-states"),
    ("GET", P + "/{sandbox_id}"),
}
KEEPERS = OFFICE_ROLES - {Role.TECHNICAL_OFFICER}
STAFF_READS = {
    ("GET", P + "/records"),
    ("GET", P + "/records/{sandbox_id}"),
    ("GET", P + "/records/{sandbox_id}/reports/{report_id}"),
    ("GET", P + "/applications"),
    ("GET", A),
    ("GET", A + "/exit-report"),  # the provider agreed to the Commission's access
}
OPERATOR = {
    ("GET", P + "/records"): 200,
    ("POST", P + "/records"): 201,
    ("GET", P + "/records/{sandbox_id}"): 200,
    ("PATCH", P + "/records/{sandbox_id}"): 200,
    ("POST", P + "/records/{sandbox_id}/reports"): 201,
    ("GET", P + "/records/{sandbox_id}/reports/{report_id}"): 200,
    ("GET", P + "/applications"): 200,
    ("GET", A): 200,
    ("POST", A + "/decision"): 200,
    ("POST", A + "/suspension"): 200,
    ("POST", A + "/resume"): 200,
    ("POST", A + "/immunity"): 200,
    ("POST", A + "/plans"): 201,
    ("POST", A + "/plans/{plan_id}/agree"): 200,
    ("POST", A + "/exit-report"): 201,
    ("GET", A + "/exit-report"): 200,
    ("POST", A + "/exit-report/consent"): 200,
}
PROVIDER = {
    ("POST", P + "/{sandbox_id}/applications"): 201,
    ("GET", P + "/applications"): 200,
    ("GET", A): 200,
    ("POST", A + "/withdraw"): 200,
    ("POST", A + "/plans"): 201,
    ("POST", A + "/plans/{plan_id}/agree"): 200,
    ("GET", A + "/exit-report"): 200,
    ("POST", A + "/exit-report/consent"): 200,
}


def expected(name: str, method: str, path: str) -> int:
    """The access rules, written out."""
    route = (method, path)
    if route in PUBLIC:
        return 200
    if name == ANONYMOUS:
        return 401
    if name in OFFICE_ROLES:
        if route in STAFF_READS:
            return 200
        if route == ("POST", P + "/records"):
            return 201 if name in KEEPERS else 403
        if route == ("PATCH", P + "/records/{sandbox_id}"):
            return 200 if name in KEEPERS else 403
        return 403
    if name == Role.NATIONAL_AUTHORITY_MEMBER:
        return OPERATOR.get(route, 403)
    if name == Role.ORGANISATION_MEMBER:
        return PROVIDER.get(route, 403)
    return 403


def send(client: Client, method: str, url: str, encoding: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    if encoding == "multipart":
        return client.post(url, body)
    return client.generic(
        method, url, json.dumps(body, default=str), content_type="application/json"
    )


def test_every_route_has_a_sample_request() -> None:
    assert set(SAMPLES) == api_routes(api, PREFIX)


def test_the_public_routes_are_exactly_the_published_reads() -> None:
    public = {path for _, path in api_routes(api, PREFIX) if path in PUBLIC_ROUTES}
    assert public == {path for _, path in PUBLIC}


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    cache.clear()  # the public routes' rate limit
    who = principal(name)
    ids = build_world().ids()
    for (method, path), (template, encoding, body) in sorted(SAMPLES.items()):
        url = template.format(P=P, **ids)
        response = send(who.client, method, url, encoding, body(ids))
        want = expected(name, method, path)
        assert response.status_code == want, (name, method, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
        elif path.endswith(".csv"):
            assert response["Content-Type"].startswith("text/csv")
        elif method == "GET" and ("reports/{report_id}" in path or path.endswith("exit-report")):
            assert len(response["X-Content-SHA256"]) == 64
