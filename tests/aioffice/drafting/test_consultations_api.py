"""The consultations API (/api/v1/drafting/consultations): every route for every principal
(ALL_PRINCIPALS), then what each route promises: the period enforced (422 naming
`consultation`), what the public sees of published responses, working-group answers, the
feedback list's filters and query count."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from tests.aioffice.drafting.consultations_world import build_world, section

from aioffice.accounts.choices import Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal, signed_in_client
from aioffice.drafting.models_consultations import IdentityCheck, Response

pytestmark = pytest.mark.django_db

P = "/api/v1/drafting/consultations"
Body = Callable[[dict[str, int]], Any]
RUNNERS = {Role.POLICY_OFFICER, Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT}
STAFF = {*RUNNERS, Role.TECHNICAL_OFFICER, Role.ADMINISTRATOR}


def answer(ids: dict[str, int], email: str = "someone@example.org") -> dict[str, Any]:
    return {
        "name": "Someone",
        "organisation": "",
        "category": "individual",
        "email": email,
        "confidentiality": "anonymous",
        "items": [{"section": None, "position": "comment", "comment": "A view (test)."}],
    }


def opening(ids: dict[str, int]) -> dict[str, Any]:
    now = timezone.now()
    return {
        "draft": ids["draft"],
        "title": "Opened through the API",
        "audience": "public",
        "opens_at": now.isoformat(),
        "closes_at": (now + datetime.timedelta(days=20)).isoformat(),
    }


IMPORT = {
    "rows": [
        {
            "name": "Letter writer",
            "category": "rightholder",
            "confidentiality": "confidential",
            "section": "copyright",
            "position": "oppose",
            "comment": "By post (test).",
        }
    ]
}

SAMPLES: dict[tuple[str, str], tuple[str, Body]] = {
    ("GET", P): ("{P}", lambda ids: None),
    ("POST", P): ("{P}", opening),
    ("GET", P + "/{consultation_id}"): ("{P}/{pub}", lambda ids: None),
    ("POST", P + "/{consultation_id}/responses"): ("{P}/{pub}/responses", answer),
    ("POST", P + "/{consultation_id}/my-response"): ("{P}/{pub}/my-response", answer),
    ("PUT", P + "/{consultation_id}/my-response"): ("{P}/{pub}/my-response", answer),
    ("GET", P + "/{consultation_id}/feedback"): (
        "{P}/{pub}/feedback?position=support",
        lambda i: None,
    ),
    ("GET", P + "/{consultation_id}/feedback.csv"): ("{P}/{pub}/feedback.csv", lambda i: None),
    ("GET", P + "/{consultation_id}/feedback.json"): ("{P}/{pub}/feedback.json", lambda i: None),
    ("POST", P + "/{consultation_id}/import"): ("{P}/{pub}/import", lambda i: IMPORT),
    ("POST", P + "/{consultation_id}/close"): ("{P}/{to_close}/close", lambda i: {}),
    ("POST", P + "/{consultation_id}/publish"): ("{P}/{closed}/publish", lambda i: {}),
    ("GET", P + "/{consultation_id}/published"): ("{P}/{done}/published", lambda i: None),
    ("GET", P + "/{consultation_id}/published.csv"): ("{P}/{done}/published.csv", lambda i: None),
}
PUBLIC = {
    ("GET", P),
    ("GET", P + "/{consultation_id}"),
    ("GET", P + "/{consultation_id}/published"),
    ("GET", P + "/{consultation_id}/published.csv"),
}
READERS_ONLY = {
    ("GET", P + "/{consultation_id}/feedback"),
    ("GET", P + "/{consultation_id}/feedback.csv"),
    ("GET", P + "/{consultation_id}/feedback.json"),
}
RUNNERS_ONLY = {
    ("POST", P),
    ("POST", P + "/{consultation_id}/close"),
    ("POST", P + "/{consultation_id}/publish"),
}


def expected(name: str, method: str, path: str) -> int:
    route = (method, path)
    if route in PUBLIC:
        return 200
    if route == ("POST", P + "/{consultation_id}/responses"):
        return 201
    if name == ANONYMOUS:
        return 401
    if route == ("POST", P + "/{consultation_id}/my-response"):
        return 201
    if route == ("PUT", P + "/{consultation_id}/my-response"):
        return 200
    if route in READERS_ONLY:
        return 200 if name in STAFF else 403
    if route == ("POST", P + "/{consultation_id}/import"):
        return 201 if name in STAFF else 403
    if route in RUNNERS_ONLY:
        if name not in RUNNERS:
            return 403
        return 201 if route == ("POST", P) else 200
    raise AssertionError(route)


@pytest.fixture
def consultations_world(
    drafting_project: Any, drafting_group: Any, drafting_runner: Any, drafting_member: Any
) -> Any:
    return build_world(drafting_project, drafting_group, drafting_runner, drafting_member)


def send(client: Client, method: str, url: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    data = json.dumps(body, default=str)
    if method == "PUT":
        return client.put(url, data, content_type="application/json")
    return client.post(url, data, content_type="application/json")


def test_every_route_has_a_sample_request() -> None:
    assert set(SAMPLES) == api_routes(api, P)


def test_the_public_routes_are_listed() -> None:
    public = {path for method, path in {*PUBLIC, ("POST", P + "/{consultation_id}/responses")}}
    assert public <= PUBLIC_ROUTES
    others = {path for _, path in api_routes(api, P)} - public
    assert not others & PUBLIC_ROUTES


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str, consultations_world: Any) -> None:
    who = principal(name)
    ids = consultations_world.ids()
    for (method, path), (template, body) in sorted(SAMPLES.items()):
        url = template.format(P=P, **ids)
        response = send(who.client, method, url, body(ids))
        want = expected(name, method, path)
        assert response.status_code == want, (name, method, path, response.content[:300])


def test_after_the_close_a_422_names_the_consultation(consultations_world: Any) -> None:
    ids = consultations_world.ids()
    closes = consultations_world.public.closes_at
    client = Client()
    with mock.patch("aioffice.drafting.services_consultations._now", return_value=closes):
        response = client.post(
            f"{P}/{ids['pub']}/responses", answer(ids), content_type="application/json"
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "consultation"
    staff = signed_in_client(consultations_world.runner)
    with mock.patch("aioffice.drafting.services_consultations._now", return_value=closes):
        response = staff.post(f"{P}/{ids['pub']}/import", IMPORT, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "consultation"
    with mock.patch(
        "aioffice.drafting.services_consultations._now",
        return_value=closes - datetime.timedelta(microseconds=1),
    ):
        response = client.post(
            f"{P}/{ids['pub']}/responses", answer(ids), content_type="application/json"
        )
    assert response.status_code == 201


def test_public_answer_sends_a_confirmation_link(
    consultations_world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ids = consultations_world.ids()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"{P}/{ids['pub']}/responses",
            answer(ids, "me@example.org"),
            content_type="application/json",
        )
    assert response.status_code == 201
    body = response.json()
    assert body["identity_check"] == IdentityCheck.EMAIL_UNCONFIRMED
    assert len(mail.outbox) == 1
    assert body["reference"] in mail.outbox[0].body
    link = next(line for line in mail.outbox[0].body.splitlines() if "/confirm/" in line)
    page = Client().get(link.replace("http://testserver", ""))
    assert page.status_code == 200
    row = Response.objects.get(reference=body["reference"])
    assert row.identity_check == IdentityCheck.EMAIL_CONFIRMED


def test_public_answer_needs_an_email_and_valid_fields(consultations_world: Any) -> None:
    ids = consultations_world.ids()
    response = Client().post(
        f"{P}/{ids['pub']}/responses", answer(ids, ""), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"
    bad = {**answer(ids), "items": [{"section": 999999, "position": "support"}]}
    response = Client().post(f"{P}/{ids['pub']}/responses", bad, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "items[0].section"


def test_public_answers_are_rate_limited(consultations_world: Any) -> None:
    ids = consultations_world.ids()
    codes = [
        Client()
        .post(f"{P}/{ids['pub']}/responses", answer(ids), content_type="application/json")
        .status_code
        for _ in range(21)
    ]
    assert codes[:20] == [201] * 20
    assert codes[20] == 429


def test_working_group_consultation(consultations_world: Any) -> None:
    ids = consultations_world.ids()
    wg = f"{P}/{ids['wg']}"
    assert Client().get(wg).status_code == 404
    assert (
        Client().post(f"{wg}/responses", answer(ids), content_type="application/json").status_code
        == 404
    )
    outsider = principal(Role.ORGANISATION_MEMBER)
    assert outsider.client.get(wg).status_code == 404
    member = signed_in_client(consultations_world.member)
    assert member.get(wg).status_code == 200
    first = member.post(f"{wg}/my-response", answer(ids), content_type="application/json")
    assert first.status_code == 201
    assert first.json()["identity_check"] == IdentityCheck.ACCOUNT
    again = member.post(f"{wg}/my-response", answer(ids), content_type="application/json")
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "consultation"
    changed = {
        **answer(ids),
        "items": [
            {
                "section": section(consultations_world.wg_draft, "copyright").pk,
                "position": "oppose",
                "comment": "No.",
            }
        ],
    }
    edited = member.put(f"{wg}/my-response", changed, content_type="application/json")
    assert edited.status_code == 200
    assert (
        Response.objects.get(reference=first.json()["reference"]).items.get().position == "oppose"
    )


def test_published_responses_hide_what_they_must(consultations_world: Any) -> None:
    ids = consultations_world.ids()
    rows = Client().get(f"{P}/{ids['done']}/published").json()["items"]
    assert [r["confidentiality"] for r in rows] == ["public", "anonymous"]
    assert rows[0]["name"] == "Name public"
    assert rows[1]["name"] == "" and rows[1]["organisation"] == ""
    text = Client().get(f"{P}/{ids['done']}/published.csv").getvalue().decode()
    assert "Name public" in text
    assert "anonymous" in text and "Name anonymous" not in text and "Org anonymous" not in text
    assert "Name confidential" not in text and "Org confidential" not in text
    assert "@example.org" not in text
    assert Client().get(f"{P}/{ids['pub']}/published").status_code == 404


def test_feedback_filters_and_query_count(
    consultations_world: Any, django_assert_max_num_queries: Any
) -> None:
    ids = consultations_world.ids()
    client = signed_in_client(consultations_world.runner)
    url = f"{P}/{ids['pub']}/feedback"
    with django_assert_max_num_queries(12):
        body = client.get(url).json()
    assert body["count"] == 6
    assert {row["confidentiality"] for row in body["items"]} == {
        "public",
        "anonymous",
        "confidential",
    }
    assert client.get(url + "?confidentiality=confidential").json()["count"] == 2
    assert client.get(url + "?section=general").json()["count"] == 3
    assert client.get(url + "?q=anonymous%20respondent").json()["count"] == 2
    assert client.get(url + "?position=support&category=civil_society").json()["count"] == 3
    export = client.get(f"{P}/{ids['pub']}/feedback.json")
    rows = json.loads(b"".join(export.streaming_content))["feedback"]
    assert len(rows) == 6 and {"identity_check", "confidentiality", "email"} <= set(rows[0])
    chair_free = principal(Role.ORGANISATION_MEMBER).client
    assert chair_free.get(url).status_code == 403


def test_opening_through_the_api_refuses_bad_input(consultations_world: Any) -> None:
    ids = consultations_world.ids()
    client = signed_in_client(consultations_world.runner)
    body = {**opening(ids), "audience": "working_groups", "working_groups": [ids["group"]]}
    response = client.post(P, body, content_type="application/json")
    assert response.status_code == 201  # the public draft is readable by the groups too
    body = {**opening(ids), "audience": "working_groups", "working_groups": [999999]}
    response = client.post(P, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "working_groups"
