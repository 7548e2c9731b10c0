"""The intake API beyond the role matrix: a downstream provider's complaint, errors as 422
naming the field, the incident reports, the queue's pinned query count, bearer tokens, and
the anonymous exchange storing no identity."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.core.testing import KIND_FOR_ROLE, signed_in_client
from aioffice.registry.testing import registered_version
from aioffice.supervision import services_intake as services

from .test_intake_pages import AGENT, IP, _all_rows
from .test_intake_services import (
    COMPLAINT,
    REPORT,
    TODAY,
    downstream_user,
    media_root,  # noqa: F401  (the autouse fixture: files under tmp_path)
    provider_user,
    staff,
)

pytestmark = pytest.mark.django_db

P = "/api/v1/supervision/intake/"
PROVIDER_ORGANISATION = f"Test {KIND_FOR_ROLE[Role.ORGANISATION_MEMBER]}"


def _post(client: Client, url: str, body: Any, **headers: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_a_downstream_provider_complains_through_the_api() -> None:
    version = registered_version(provider=PROVIDER_ORGANISATION, model="Orion", label="2")
    client = signed_in_client(downstream_user())
    refused = _post(client, P + "complaints", {**COMPLAINT, "facts": ""})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "facts", "message": refused.json()["errors"][0]["message"]}
    ]
    unknown = _post(client, P + "complaints", {**COMPLAINT, "versions": [999999]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "versions"
    no_provider = _post(client, P + "complaints", {**COMPLAINT, "provider": 999999})
    assert no_provider.json()["errors"][0]["field"] == "provider"
    made = _post(
        client,
        P + "complaints",
        {**COMPLAINT, "provider": version.model.provider_id, "versions": [version.pk]},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["tracking_number"].startswith("C-") and body["versions"] == [version.pk]
    assert body["complaint"]["provisions"] == COMPLAINT["provisions"]
    assert "AI Act, Art. 89(2)" in body["citations"]
    listed = client.get(P + "mine").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert client.get(f"{P}mine/{body['id']}").json()["status"] == "received"
    # someone else's report: 403; staff's view has the triage fields
    other = signed_in_client(downstream_user("dan"))
    assert other.get(f"{P}mine/{body['id']}").status_code == 403
    officer = signed_in_client(staff(Role.POLICY_OFFICER, "pol"))
    detail = officer.get(f"{P}queue/{body['id']}").json()
    assert detail["triage_note"] == "" and detail["related"] == []


def test_incident_reports_through_the_api_with_code_deadlines_and_the_legal_duty() -> None:
    version = registered_version(provider=PROVIDER_ORGANISATION, model="Orion", label="2")
    client = signed_in_client(provider_user(version.model.provider, "pia"))
    bad = _post(client, P + "incidents", {"version": version.pk, "types": ["alien"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"].startswith("types")
    missing = _post(
        client, P + "incidents", {"version": version.pk, "title": "t", "types": ["death"]}
    )
    assert missing.status_code == 422
    made = _post(
        client,
        P + "incidents",
        {
            "version": version.pk,
            "title": "A death",
            "types": ["death"],
            "occurred_on": TODAY.isoformat(),
            "aware_on": TODAY.isoformat(),
            **REPORT,
        },
    )
    assert made.status_code == 201, made.content
    incident = made.json()["incident"]
    assert "without undue delay" in incident["legal_duty"]
    assert {d["kind"] for d in incident["code_deadlines"]} == {
        "incident_initial",
        "incident_intermediate",
    }
    assert all(d["legal"] is False for d in incident["code_deadlines"])
    intake_id = made.json()["id"]
    final = _post(client, f"{P}incidents/{intake_id}/reports", {"kind": "final", **REPORT})
    assert final.status_code == 422
    assert {e["field"] for e in final.json()["errors"]} == {"resolved_on", "root_cause"}
    added = _post(
        client,
        f"{P}incidents/{intake_id}/reports",
        {"kind": "final", "resolved_on": TODAY.isoformat(), "root_cause": "r", **REPORT},
    )
    assert added.status_code == 201 and added.json()["kind"] == "final"
    assert added.json()["late"] is False


def test_the_queue_query_count_is_pinned_and_bearer_tokens_reach_it() -> None:
    for n in range(5):
        services.whistleblower_submit(title=f"R{n}", body="b")
    services.complaint_submit(actor=downstream_user(), provider=None, versions=[], **COMPLAINT)
    user = staff(Role.HEAD_OF_UNIT, "hugo")
    token = accounts.api_token_create(actor=user, user=user, name="triage").secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(P + "queue")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(P + "queue").json()["count"] == 6
    for n in range(5, 40):
        services.whistleblower_submit(title=f"R{n}", body="b")
    with CaptureQueriesContext(connection) as many:
        page = client.get(P + "queue?page_size=50").json()
    assert page["count"] == 41 and len(page["items"]) == 41
    assert len(many) == len(few) <= 8
    assert client.get(P + "queue?kind=nonsense").status_code == 422
    assert Client().get(P + "queue").status_code == 401


def test_an_anonymous_exchange_through_the_api_stores_no_identity() -> None:
    reporter = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    refused = _post(reporter, P + "whistleblower", {"title": "t", "body": ""})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "body"
    sent = _post(reporter, P + "whistleblower", {"title": "Skipped", "body": "They skipped it."})
    assert sent.status_code == 201
    secret = sent.json()["secret"]
    assert sent.json()["reply_url"].endswith(f"#k={secret}")
    assert sent["Cache-Control"] == "no-store" and sent["Referrer-Policy"] == "no-referrer"
    intake_id = sent.json()["tracking_number"]
    officer = signed_in_client(staff(Role.POLICY_OFFICER, "pol"))
    queued = officer.get(P + "queue?kind=whistleblower").json()["items"][0]
    assert queued["tracking_number"] == intake_id
    assert _post(officer, f"{P}queue/{queued['id']}/reply", {"body": "Which?"}).status_code == 200
    thread = _post(reporter, P + "whistleblower/thread", {"secret": secret}).json()
    assert [m["direction"] for m in thread["messages"]] == ["in", "out"]
    answered = _post(reporter, P + "whistleblower/reply", {"secret": secret, "body": "Bio."})
    assert [m["body"] for m in answered.json()["messages"]][-1] == "Bio."
    wrong = _post(reporter, P + "whistleblower/thread", {"secret": "guess"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "secret"
    everything = _all_rows()
    assert IP not in everything and "Whistle-Test-Agent" not in everything
    assert secret not in everything
