"""The evaluations API: every route for every principal. The catalogue is public; the rest
is for AI Office staff (after their second factor), and changing targets and runs for those
who operate evaluations (technical officers, heads of unit, administrators)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.permissions import EVALUATION_OPERATORS
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    api_routes,
    make_user,
    principal,
    signed_in_client,
)
from aioffice.evaluations.choices import RunStatus
from aioffice.evaluations.models import EvaluationRun

from .test_api import (
    SECRET,
    endpoint_target,
    finished_run,
    make_version,
    media_root,  # noqa: F401  (the autouse fixture: logs written under tmp_path)
    mock_target,
    queued_run,
)

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/evaluations/"
# Public methodology: what each task measures, its data and licence. Nothing about a model.
PUBLIC = {PREFIX + "tasks", PREFIX + "tasks.csv"}
CREATES = {PREFIX + "targets", PREFIX + "runs"}
NEW_KEY = "sk-replaced-key-4321"


def _world() -> dict[str, int]:
    """A version with a mock and an endpoint target, a queued run to cancel, a failed run
    to retry, and a finished run with a kept log."""
    version = make_version()
    mock = mock_target(version)
    endpoint = endpoint_target(version)
    to_cancel = queued_run(mock)
    to_retry = queued_run(mock)
    EvaluationRun.objects.filter(pk=to_retry.pk).update(status=RunStatus.FAILED)
    done = finished_run(version, "refuses")
    other = finished_run(make_version("Lumen 4"), "complies")
    return {
        "version": version.pk,
        "other_version": other.version_id,
        "mock": mock.pk,
        "endpoint": endpoint.pk,
        "cancel": to_cancel.pk,
        "retry": to_retry.pk,
        "done": done.pk,
        "other": other.pk,
    }


def _samples(w: dict[str, int]) -> dict[tuple[str, str], tuple[str, Any]]:
    """One request per route: the URL and the JSON body (None for none)."""
    p = PREFIX
    return {
        ("GET", p + "tasks"): (p + "tasks?risk_area=safeguards", None),
        ("GET", p + "tasks.csv"): (p + "tasks.csv", None),
        ("GET", p + "suites"): (p + "suites", None),
        ("GET", p + "targets"): (f"{p}targets?version={w['version']}", None),
        ("GET", p + "targets.csv"): (p + "targets.csv", None),
        ("POST", p + "targets"): (
            p + "targets",
            {"version": w["version"], "name": "another-mock", "kind": "mock"},
        ),
        ("GET", p + "targets/{target_id}"): (f"{p}targets/{w['endpoint']}", None),
        ("POST", p + "targets/{target_id}/check"): (f"{p}targets/{w['mock']}/check", {}),
        ("PUT", p + "targets/{target_id}/api-key"): (
            f"{p}targets/{w['endpoint']}/api-key",
            {"api_key": NEW_KEY},
        ),
        ("GET", p + "runs"): (p + "runs?status=queued", None),
        ("GET", p + "runs.csv"): (p + "runs.csv", None),
        ("POST", p + "runs"): (
            p + "runs",
            {"version": w["version"], "target": w["mock"], "suite": "smoke", "epochs": 1},
        ),
        ("GET", p + "runs/{run_id}"): (f"{p}runs/{w['done']}", None),
        ("POST", p + "runs/{run_id}/cancel"): (f"{p}runs/{w['cancel']}/cancel", {}),
        ("POST", p + "runs/{run_id}/retry"): (f"{p}runs/{w['retry']}/retry", {}),
        ("GET", p + "runs/{run_id}/results/{task}/log"): (
            f"{p}runs/{w['done']}/results/refusal_probe/log",
            None,
        ),
        ("GET", p + "runs/{run_id}/report"): (f"{p}runs/{w['done']}/report", None),
        ("GET", p + "runs/{run_id}/report.pdf"): (f"{p}runs/{w['done']}/report.pdf", None),
        ("GET", p + "versions/{version_id}/profile"): (
            f"{p}versions/{w['version']}/profile?reference={w['other_version']}",
            None,
        ),
        ("GET", p + "compare"): (f"{p}compare?run_a={w['done']}&run_b={w['other']}", None),
    }


def _expected(name: str, method: str, path: str) -> int:
    """The access rules, written out."""
    if path in PUBLIC:
        return 200
    if name == ANONYMOUS:
        return 401
    if name not in OFFICE_ROLES:
        return 403
    if method == "GET":
        return 200
    if name not in EVALUATION_OPERATORS:
        return 403
    return 201 if path in CREATES else 200


def _send(client: Client, method: str, url: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_every_route_has_a_sample_request() -> None:
    fake = dict.fromkeys(
        ("version", "other_version", "mock", "endpoint", "cancel", "retry", "done", "other"), 1
    )
    assert set(_samples(fake)) == api_routes(api, PREFIX)


def test_the_public_routes_are_the_catalogue() -> None:
    routes = {path for _, path in api_routes(api, PREFIX)}
    assert routes >= PUBLIC
    # Listed in aioffice.api.PUBLIC_ROUTES (or not yet): no other route of ours may be.
    assert {path for path in routes if path in PUBLIC_ROUTES} <= PUBLIC


def test_the_operators_are_the_technical_officers_heads_of_unit_and_administrators() -> None:
    assert set(EVALUATION_OPERATORS) == {
        Role.TECHNICAL_OFFICER,
        Role.HEAD_OF_UNIT,
        Role.ADMINISTRATOR,
    }
    assert set(EVALUATION_OPERATORS) < OFFICE_ROLES


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    who = principal(name)
    world = _world()
    for (method, path), (url, body) in sorted(_samples(world).items()):
        response = _send(who.client, method, url, body)
        expected = _expected(name, method, path)
        assert response.status_code == expected, (name, method, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
        elif path.endswith(".csv"):
            assert response["Content-Type"].startswith("text/csv")
        elif path.endswith(("/log", "/report", "/report.pdf")):
            assert response["X-Content-SHA256"]
        else:
            text = response.content.decode()
            assert SECRET not in text and NEW_KEY not in text, (name, path)  # no key, ever


def test_staff_without_their_second_factor_are_refused() -> None:
    user = make_user(Role.TECHNICAL_OFFICER, "tom")
    client = signed_in_client(user, second_factor=False)
    assert client.get(f"{PREFIX}runs").status_code == 401
    assert client.get(f"{PREFIX}tasks").status_code == 200  # the catalogue is public


def test_bearer_tokens_reach_the_api() -> None:
    from aioffice.accounts import services as accounts

    user = make_user(Role.HEAD_OF_UNIT, "hugo")
    token = accounts.api_token_create(actor=user, user=user, name="evaluations").secret
    world = _world()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    assert client.get(f"{PREFIX}runs/{world['done']}", **headers).status_code == 200
    made = client.post(
        f"{PREFIX}runs",
        json.dumps({"version": world["version"], "target": world["mock"], "tasks": ["xstest"]}),
        content_type="application/json",
        **headers,
    )
    assert made.status_code == 201, made.content
    assert client.get(f"{PREFIX}runs").status_code == 401  # no token, no session
