"""The analysis API (/api/v1/drafting/analysis): every route for every principal
(ALL_PRINCIPALS): Office staff use the AI tools on every project, policy officers, legal
officers and heads of unit also file comments under a suggested section; nobody else gets
anything (404: the records are not confirmed to exist); a chair of the project gets what
staff get. Plus: findings in the run detail, bad input, query counts, summaries."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from aioffice.accounts.choices import OFFICE_ROLES
from aioffice.accounts.models import User
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal, signed_in_client
from aioffice.drafting import services_analysis as services
from aioffice.drafting.models_analysis import AnalysisRun, GroupKind, RunStatus
from aioffice.drafting.permissions import PROJECT_RUNNERS
from gpai_evals.stub_server import serve

from .analysis_world import CAMPAIGN, World

pytestmark = pytest.mark.django_db

P = "/api/v1/drafting/analysis"
Body = Callable[[dict[str, int]], Any]

STAFF = OFFICE_ROLES

SAMPLES: dict[tuple[str, str], tuple[str, Body | None]] = {
    ("POST", P + "/consultations/{consultation_id}/runs"): (
        "{P}/consultations/{consultation}/runs",
        lambda ids: {"campaign_min_size": 3},
    ),
    ("GET", P + "/consultations/{consultation_id}/runs"): (
        "{P}/consultations/{consultation}/runs",
        None,
    ),
    ("GET", P + "/runs/{run_id}"): ("{P}/runs/{run}", None),
    ("GET", P + "/groups/{group_id}/members"): ("{P}/groups/{group}/members", None),
    ("GET", P + "/consultations/{consultation_id}/search"): (
        "{P}/consultations/{consultation}/search?q=energy+reporting",
        None,
    ),
    ("GET", P + "/feedback/{feedback_id}/similar"): ("{P}/feedback/{feedback}/similar", None),
    ("POST", P + "/feedback/{feedback_id}/accept-section"): (
        "{P}/feedback/{general}/accept-section",
        lambda ids: {},
    ),
    ("POST", P + "/consultations/{consultation_id}/summaries"): (
        "{P}/consultations/{consultation}/summaries",
        lambda ids: {"section": ids["section"]},
    ),
}
CREATED = {
    ("POST", P + "/consultations/{consultation_id}/runs"),
    ("POST", P + "/consultations/{consultation_id}/summaries"),
}
SORTING = ("POST", P + "/feedback/{feedback_id}/accept-section")


def expected(name: str, method: str, path: str) -> int:
    if name == ANONYMOUS:
        return 401
    if name not in STAFF:
        return 404
    route = (method, path)
    if route == SORTING and name not in PROJECT_RUNNERS:
        return 403
    return 201 if route in CREATED else 200


def world_ids(world: World, runner: User) -> dict[str, int]:
    run = services.run_request(actor=runner, consultation=world.consultation, enqueue=False)
    services.run_execute(run.pk)
    return {
        "consultation": world.consultation.pk,
        "run": run.pk,
        "group": run.groups.filter(kind=GroupKind.CAMPAIGN).get().pk,
        "feedback": world.campaign[0].pk,
        "general": world.general["energy"].pk,
        "section": world.sections["energy"].pk,
    }


def send(client: Client, method: str, url: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    return client.post(url, json.dumps(body), content_type="application/json")


def test_every_route_has_a_sample_request() -> None:
    assert set(SAMPLES) == api_routes(api, P + "/")


def test_no_analysis_route_is_public() -> None:
    assert not {path for _, path in api_routes(api, P + "/")} & PUBLIC_ROUTES


@pytest.fixture
def analysis_api_llm(settings: Any) -> Any:
    with serve(answer="A short neutral summary.") as stub:
        settings.LLM_BASE_URL = stub.base_url
        settings.LLM_MODEL = "stub-summariser"
        yield stub


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(
    name: str, analysis_world: World, drafting_runner: User, analysis_api_llm: Any
) -> None:
    ids = world_ids(analysis_world, drafting_runner)
    who = principal(name)
    for (method, path), (template, body) in sorted(SAMPLES.items()):
        url = template.format(P=P, **ids)
        response = send(who.client, method, url, body(ids) if body else None)
        assert response.status_code == expected(name, method, path), (
            name,
            method,
            path,
            response.content[:300],
        )


def test_a_chair_uses_every_route(
    analysis_world: World, drafting_runner: User, drafting_chair: User, analysis_api_llm: Any
) -> None:
    ids = world_ids(analysis_world, drafting_runner)
    client = signed_in_client(drafting_chair)
    for (method, path), (template, body) in sorted(SAMPLES.items()):
        response = send(client, method, template.format(P=P, **ids), body(ids) if body else None)
        assert response.status_code == (201 if (method, path) in CREATED else 200), path


def test_the_run_detail_holds_the_findings(
    analysis_world: World, drafting_runner: User, django_assert_max_num_queries: Any
) -> None:
    ids = world_ids(analysis_world, drafting_runner)
    client = signed_in_client(drafting_runner)
    with django_assert_max_num_queries(8):
        data = client.get(f"{P}/runs/{ids['run']}").json()
    assert data["status"] == "done"
    assert data["model"] == "lexical-hash-v1"
    assert data["params"]["campaign_min_size"] == 3
    campaign = next(g for g in data["groups"] if g["kind"] == "campaign")
    assert (campaign["size"], campaign["respondents"]) == (6, 6)
    assert campaign["quotes"][0]["comment"] in CAMPAIGN
    themes = [g for g in data["groups"] if g["kind"] == "theme"]
    assert any("energy" in g["keywords"] for g in themes)
    with django_assert_max_num_queries(8):
        members = client.get(f"{P}/groups/{ids['group']}/members?page_size=3").json()
    assert members["count"] == 6 and len(members["items"]) == 3
    with django_assert_max_num_queries(8):
        runs = client.get(f"{P}/consultations/{ids['consultation']}/runs").json()
    assert runs["count"] == 1
    found = client.get(
        f"{P}/consultations/{ids['consultation']}/search", {"q": "energy used in training"}
    ).json()
    assert found and all(-1 <= hit["score"] <= 1 for hit in found)
    assert found[0]["feedback"]["id"] in {row.pk for row in analysis_world.energy} | {
        analysis_world.general["energy"].pk
    }
    similar = client.get(f"{P}/feedback/{ids['feedback']}/similar?k=5").json()
    assert {hit["feedback"]["id"] for hit in similar} == {
        row.pk for row in analysis_world.campaign[1:]
    }


def test_bad_input_is_a_422_naming_the_field(
    analysis_world: World, drafting_runner: User, settings: Any
) -> None:
    client = signed_in_client(drafting_runner)
    pk = analysis_world.consultation.pk
    bad = client.post(
        f"{P}/consultations/{pk}/runs",
        json.dumps({"theme_threshold": 5}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "theme_threshold"
    assert not AnalysisRun.objects.exists()
    empty = client.get(f"{P}/consultations/{pk}/search?q=")
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "q"
    settings.LLM_BASE_URL = ""
    off = client.post(
        f"{P}/consultations/{pk}/summaries",
        json.dumps({"section": analysis_world.sections["energy"].pk}),
        content_type="application/json",
    )
    assert off.status_code == 422
    assert off.json()["errors"] == [
        {"field": "summary", "message": "No summary service is configured."}
    ]
    foreign = client.post(
        f"{P}/consultations/{pk}/summaries",
        json.dumps({"section": 999999}),
        content_type="application/json",
    )
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "section"


def test_a_second_run_while_one_is_queued_is_refused(
    analysis_world: World, drafting_runner: User
) -> None:
    run = services.run_request(
        actor=drafting_runner, consultation=analysis_world.consultation, enqueue=False
    )
    assert run.status == RunStatus.QUEUED
    again = signed_in_client(drafting_runner).post(
        f"{P}/consultations/{analysis_world.consultation.pk}/runs",
        "{}",
        content_type="application/json",
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "consultation"
