"""The intake API (/api/v1/supervision/intake/): every route for every principal
(ALL_PRINCIPALS). The whistleblower routes are public by design; the rest needs a sign-in:
the panel sends alerts, a provider's people report its incidents and read them, the Office's
staff read and triage the queue. (No principal of the shared set is a downstream provider:
complaints are tested with one in test_intake_api.py.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, KIND_FOR_ROLE, api_routes, principal
from aioffice.registry.testing import registered_version
from aioffice.supervision import services_intake as services
from aioffice.supervision.models import Intake

from .test_intake_services import (
    ALERT,
    COMPLAINT,
    REPORT,
    TODAY,
    downstream_user,
    media_root,  # noqa: F401  (the autouse fixture: files under tmp_path)
    provider_user,
    staff,
)

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/supervision/intake/"
P = PREFIX
# The provider the shared organisation member works for (core.testing.organisation's name).
PROVIDER_ORGANISATION = f"Test {KIND_FOR_ROLE[Role.ORGANISATION_MEMBER]}"

# (method, path template, URL template filled from the world, JSON body)
SAMPLES: list[tuple[str, str, str, Any]] = [
    ("POST", P + "complaints", P + "complaints", {**COMPLAINT, "provider": "{provider}"}),
    ("POST", P + "alerts", P + "alerts", {**ALERT, "provider": "{provider}"}),
    (
        "POST",
        P + "incidents",
        P + "incidents",
        {
            "version": "{version}",
            "title": "Breach",
            "types": ["cyber_breach"],
            "occurred_on": "{today}",
            "aware_on": "{today}",
            **REPORT,
        },
    ),
    (
        "POST",
        P + "incidents/{intake_id}/reports",
        P + "incidents/{incident}/reports",
        {"kind": "intermediate", **REPORT},
    ),
    ("GET", P + "mine", P + "mine", None),
    ("GET", P + "mine/{intake_id}", P + "mine/{incident}", None),
    ("GET", P + "queue", P + "queue?kind=complaint&status=received", None),
    ("GET", P + "queue.csv", P + "queue.csv?kind=incident", None),
    ("GET", P + "queue/{intake_id}", P + "queue/{incident}", None),
    ("GET", P + "queue/{intake_id}/similar", P + "queue/{to_triage}/similar", None),
    ("POST", P + "queue/{intake_id}/triage", P + "queue/{to_triage}/triage", {"note": "n"}),
    (
        "POST",
        P + "queue/{intake_id}/link-versions",
        P + "queue/{to_triage}/link-versions",
        {"versions": ["{version}"]},
    ),
    ("POST", P + "queue/{intake_id}/link", P + "queue/{to_link}/link", {"other": "{link_to}"}),
    (
        "POST",
        P + "queue/{intake_id}/unlink",
        P + "queue/{linked}/unlink",
        {"other": "{linked_to}"},
    ),
    ("POST", P + "queue/{intake_id}/merge", P + "queue/{duplicate}/merge", {"into": "{into}"}),
    (
        "POST",
        P + "queue/{intake_id}/not-pursued",
        P + "queue/{to_drop}/not-pursued",
        {"reasons": "Outside Chapter V."},
    ),
    (
        "POST",
        P + "queue/{intake_id}/board-informed",
        P + "queue/{alert}/board-informed",
        {},
    ),
    ("POST", P + "queue/{intake_id}/reply", P + "queue/{anonymous}/reply", {"body": "Which?"}),
    (
        "POST",
        P + "whistleblower",
        P + "whistleblower",
        {"title": "Skipped tests", "body": "They skipped the CBRN evaluations."},
    ),
    ("POST", P + "whistleblower/thread", P + "whistleblower/thread", {"secret": "{secret}"}),
    (
        "POST",
        P + "whistleblower/reply",
        P + "whistleblower/reply",
        {"secret": "{secret}", "body": "More."},
    ),
]
PUBLIC = {P + "whistleblower", P + "whistleblower/thread", P + "whistleblower/reply"}
CREATED = {P + "complaints", P + "alerts", P + "incidents", P + "incidents/{intake_id}/reports"}


def _world() -> dict[str, Any]:
    """The organisation member's provider with a version and an incident; complaints,
    an alert and an anonymous report, one for each triage action."""
    version = registered_version(provider=PROVIDER_ORGANISATION, model="Orion", label="2")
    provider = version.model.provider
    incident = services.incident_submit(
        actor=provider_user(provider, "paul"),
        version=version,
        title="Outage",
        types=["critical_infrastructure"],
        occurred_on=TODAY,
        aware_on=TODAY,
        report=REPORT,
    )

    def complaint(n: int) -> Intake:
        return services.complaint_submit(
            actor=downstream_user(f"d{n}"), provider=provider, versions=[version], **COMPLAINT
        )

    c = [complaint(n) for n in range(8)]
    officer = staff(Role.HEAD_OF_UNIT, "hana")
    services.intake_link(actor=officer, intake=c[5], other=c[6])
    alert = services.alert_submit(
        actor=staff(Role.SCIENTIFIC_PANEL_MEMBER, "sara"), provider=provider, **ALERT
    )
    anonymous, secret = services.whistleblower_submit(title="Leak", body="See the logs.")
    return {
        "provider": provider.pk,
        "version": version.pk,
        "today": TODAY.isoformat(),
        "incident": incident.pk,
        "to_triage": c[0].pk,
        "to_link": c[1].pk,
        "link_to": c[2].pk,
        "duplicate": c[3].pk,
        "into": c[4].pk,
        "linked": c[5].pk,
        "linked_to": c[6].pk,
        "to_drop": c[7].pk,
        "alert": alert.pk,
        "anonymous": anonymous.pk,
        "secret": secret,
    }


def _fill(value: Any, world: dict[str, Any]) -> Any:
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in world:
            return world[value[1:-1]]
        return value.format(**world) if "{" in value else value
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value


def _expected(name: str, method: str, path: str) -> int:
    """The access rules, written out."""
    if path in PUBLIC:
        return 201 if path == P + "whistleblower" else 200
    if name == ANONYMOUS:
        return 401
    if path == P + "complaints":
        return 403  # only a downstream provider (none here)
    if path == P + "alerts":
        return 201 if name == Role.SCIENTIFIC_PANEL_MEMBER else 403
    if path in {P + "incidents", P + "incidents/{intake_id}/reports"}:
        return 201 if name == Role.ORGANISATION_MEMBER else 403
    if path == P + "mine":
        return 200
    if path == P + "mine/{intake_id}":
        return 200 if name == Role.ORGANISATION_MEMBER else 403
    return 200 if name in OFFICE_ROLES else 403  # the queue


def _send(client: Client, method: str, url: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_every_route_has_a_sample_request() -> None:
    assert {(method, path) for method, path, _, _ in SAMPLES} == api_routes(api, PREFIX)
    assert len(SAMPLES) == len({(m, p) for m, p, _, _ in SAMPLES})


def test_the_public_routes_are_the_whistleblowers() -> None:
    routes = {path for _, path in api_routes(api, PREFIX)}
    assert {path for path in routes if path in PUBLIC_ROUTES} == PUBLIC


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    who = principal(name)
    world = _world()
    for method, path, url, body in SAMPLES:
        response = _send(who.client, method, _fill(url, world), _fill(body, world))
        expected = _expected(name, method, path)
        assert response.status_code == expected, (name, method, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
        elif path.endswith(".csv"):
            assert response["Content-Type"].startswith("text/csv")
        if path in PUBLIC:
            assert response["Cache-Control"] == "no-store"


def test_unknown_reports_are_404_for_staff_and_senders() -> None:
    world = _world()
    officer = principal(Role.LEGAL_OFFICER)
    assert officer.client.get(f"{P}queue/999999").status_code == 404
    member = principal(Role.ORGANISATION_MEMBER)
    assert member.client.get(f"{P}mine/999999").status_code == 404
    assert member.client.get(f"{P}mine/{world['incident']}").status_code == 200
