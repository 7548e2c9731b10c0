"""The drafts API (/api/v1/drafting/drafts/): every route for every principal (the public
routes answer everyone for a public draft; the Office's project runners write; the other
staff read and are refused writing; others do not learn a working version exists), plus
what the answers hold, bad input named by field, and round trips."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal, signed_in_client
from aioffice.drafting import services_drafts as services
from aioffice.drafting.models_drafts import Draft
from aioffice.drafting.models_projects import Project

from .drafts_world import DOCUMENT, document, keys_in_order, published_pair

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/drafting/drafts"
P = PREFIX + "/{slug}"
N = P + "/{number}"
RUNNERS = {Role.POLICY_OFFICER, Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT}
STAFF = {Role.TECHNICAL_OFFICER, Role.ADMINISTRATOR}


def _expected(route: tuple[str, str], name: str) -> int:
    method, path = route
    if method == "GET" and path in PUBLIC_ROUTES:
        return 200
    if name == ANONYMOUS:
        return 401
    if name in RUNNERS:
        return 201 if method == "POST" and not path.endswith("/publish") else 200
    if name in STAFF:
        return 403
    return 404 if "{number}" in path else 403  # a working version is not shown to them


def _send(client: Any, method: str, url: str, body: Any) -> Any:
    if body is None:
        return client.generic(method, url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(
    drafting_runner: User, drafting_project: Project, name: str
) -> None:
    published_pair(drafting_runner, drafting_project)
    services.draft_next(actor=drafting_runner, project=drafting_project)  # version 3, working
    other = Project.objects.create(
        slug="other-code",
        title="Another code (test)",
        kind=drafting_project.kind,
        legal_basis=drafting_project.legal_basis,
        public=True,
        gpai_code=True,
        created_by=drafting_runner,
    )
    who = principal(name)
    s = drafting_project.slug
    samples: dict[tuple[str, str], tuple[str, Any]] = {
        ("GET", P): (f"{PREFIX}/{s}", None),
        ("GET", N): (f"{PREFIX}/{s}/1", None),
        ("GET", N + "/document"): (f"{PREFIX}/{s}/1/document", None),
        ("GET", N + "/compare/{other}"): (f"{PREFIX}/{s}/2/compare/1", None),
        ("PATCH", N): (f"{PREFIX}/{s}/3", {"explanation": "Third round (test)."}),
        ("POST", N + "/sections"): (
            f"{PREFIX}/{s}/3/sections",
            {"key": "c-kpi", "kind": "kpi", "title": "Policies (test)", "parent": "c-measure-1"},
        ),
        ("PATCH", N + "/sections/{key}"): (
            f"{PREFIX}/{s}/3/sections/t-measure-1",
            {"explanation": "Clearer (test).", "move": True, "parent": None, "index": 1},
        ),
        ("DELETE", N + "/sections/{key}"): (f"{PREFIX}/{s}/3/sections/c-measure-2", None),
        ("POST", N + "/publish"): (f"{PREFIX}/{s}/3/publish", {"visibility": "public"}),
        ("POST", P + "/next"): (f"{PREFIX}/{s}/next", {}),
        ("POST", P): (f"{PREFIX}/{other.slug}", {"sections": DOCUMENT["sections"]}),
    }
    assert set(samples) == api_routes(api, PREFIX + "/")
    for route, (url, body) in samples.items():
        response = _send(who.client, route[0], url, body)
        assert response.status_code == _expected(route, name), (route, response.content[:300])
    if name in RUNNERS:
        third = Draft.objects.get(project=drafting_project, number=3)
        assert third.status == "published"
        assert keys_in_order(third)[0] == "t-measure-1"
        assert Draft.objects.filter(project=drafting_project, number=4, status="working").exists()
        assert keys_in_order(Draft.objects.get(project=other)) == keys_in_order(
            Draft.objects.get(project=drafting_project, number=1)
        )


def test_what_the_answers_hold(
    client: Any, drafting_runner: User, drafting_project: Project
) -> None:
    published_pair(drafting_runner, drafting_project)
    listed = client.get(f"{PREFIX}/{drafting_project.slug}").json()
    assert listed["count"] == 2
    assert [d["number"] for d in listed["items"]] == [2, 1]
    detail = client.get(f"{PREFIX}/{drafting_project.slug}/1").json()
    assert [s["key"] for s in detail["sections"]][:4] == [
        "transparency",
        "t-commit-1",
        "t-measure-1",
        "t-kpi-1",
    ]
    kpi = next(s for s in detail["sections"] if s["key"] == "t-kpi-1")
    assert (kpi["parent"], kpi["depth"], kpi["kind"]) == ("t-measure-1", 3, "kpi")
    doc = client.get(f"{PREFIX}/{drafting_project.slug}/1/document").json()
    assert doc["sections"] == DOCUMENT["sections"]
    compared = client.get(f"{PREFIX}/{drafting_project.slug}/1/compare/2?changed_only=true").json()
    assert (compared["old"], compared["new"]) == (1, 2)
    assert compared["counts"]["changed"] == 1
    rows = {r["key"]: r for r in compared["rows"]}
    assert set(rows) == {"copyright", "t-measure-1", "c-measure-2", "t-measure-2"}
    assert rows["t-measure-1"]["explanation"].startswith("The drafters set a floor")
    assert "<ins> &lt;on the market&gt;</ins>" in rows["t-measure-1"]["new_text_html"]
    assert rows["t-measure-2"]["status"] == "removed"
    assert rows["t-measure-2"]["new"] is None
    assert client.get(f"{PREFIX}/{drafting_project.slug}/9").status_code == 404
    assert client.get(f"{PREFIX}/no-such-code").status_code == 404


def test_bad_input_names_the_field(drafting_runner: User, drafting_project: Project) -> None:
    runner = signed_in_client(drafting_runner)
    doc = document()
    doc["sections"][0]["children"][0]["key"] = "transparency"
    response = runner.post(
        f"{PREFIX}/{drafting_project.slug}", json.dumps(doc), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sections.0.children.0.key"
    response = runner.post(
        f"{PREFIX}/{drafting_project.slug}", json.dumps(DOCUMENT), content_type="application/json"
    )
    assert response.status_code == 201
    response = runner.post(
        f"{PREFIX}/{drafting_project.slug}/1/sections",
        json.dumps({"key": "x", "kind": "kpi", "title": "Orphan"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"
    response = runner.post(
        f"{PREFIX}/{drafting_project.slug}/1/publish",
        json.dumps({"visibility": "friends"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    response = runner.patch(
        f"{PREFIX}/{drafting_project.slug}/1/sections/t-kpi-1",
        json.dumps({"move": True, "parent": "copyright"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent"
    response = runner.delete(f"{PREFIX}/{drafting_project.slug}/1/sections/nothing-here")
    assert response.status_code == 404
    response = runner.post(
        f"{PREFIX}/{drafting_project.slug}/next", "{}", content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "project"


def test_a_chair_writes_through_the_api(
    drafting_project: Project, drafting_chair: User, drafting_member: User
) -> None:
    chair = signed_in_client(drafting_chair)
    response = chair.post(
        f"{PREFIX}/{drafting_project.slug}", json.dumps(DOCUMENT), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["number"] == 1
    member = signed_in_client(drafting_member)
    assert member.get(f"{PREFIX}/{drafting_project.slug}/1").status_code == 404
    response = chair.post(
        f"{PREFIX}/{drafting_project.slug}/1/publish",
        json.dumps({"visibility": "working_groups", "published_on": "2026-11-02"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["published_on"] == "2026-11-02"
    assert member.get(f"{PREFIX}/{drafting_project.slug}/1").status_code == 200
    assert (
        signed_in_client(User.objects.get(username="drafting-runner"))
        .get(f"{PREFIX}/{drafting_project.slug}/1")
        .status_code
        == 200
    )
