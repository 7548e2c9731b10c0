"""The projects API (/api/v1/drafting/projects): every route for every principal
(ALL_PRINCIPALS); what the public, members and staff read; bad input; query counts."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal, signed_in_client
from aioffice.drafting import services_projects as services
from aioffice.drafting.choices import Visibility
from aioffice.drafting.models_projects import MeetingKind, Project, ProjectRole, WorkingGroup

pytestmark = pytest.mark.django_db

P = "/api/v1/drafting/projects"
RUNNERS = {Role.POLICY_OFFICER, Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT}
STAFF = RUNNERS | {Role.TECHNICAL_OFFICER, Role.ADMINISTRATOR}
PUBLIC = {"GET " + P, "GET " + P + "/{slug}", "GET " + P + "/{slug}/meetings"}


@pytest.fixture
def ids(
    drafting_runner: User,
    drafting_project: Project,
    drafting_group: WorkingGroup,
    drafting_chair: User,
    drafting_member: User,
) -> dict[str, Any]:
    services.member_admit(
        actor=drafting_runner, working_group=drafting_group, category="provider", name="Hidden"
    )
    return {
        "slug": drafting_project.slug,
        "role": ProjectRole.objects.get(user=drafting_chair).pk,
        "member": drafting_group.members.get(name="Hidden").pk,
    }


# (method, route as OpenAPI names it) -> (url, body, status for runners)
SAMPLES: dict[tuple[str, str], tuple[str, Any, int]] = {
    ("GET", P): (P, None, 200),
    ("POST", P): (
        P,
        {"title": "New guidelines", "kind": "guidelines", "legal_basis": "other", "citation": "x"},
        201,
    ),
    ("GET", P + "/{slug}"): (P + "/{slug}", None, 200),
    ("PATCH", P + "/{slug}"): (P + "/{slug}", {"summary": "Changed."}, 200),
    ("POST", P + "/{slug}/status"): (P + "/{slug}/status", {"status": "closed"}, 200),
    ("GET", P + "/{slug}/meetings"): (P + "/{slug}/meetings", None, 200),
    ("GET", P + "/{slug}/members"): (P + "/{slug}/members", None, 200),
    ("GET", P + "/{slug}/members.csv"): (P + "/{slug}/members.csv", None, 200),
    ("POST", P + "/{slug}/roles"): (
        P + "/{slug}/roles",
        {
            "user": "drafting-member",
            "kind": "vice_chair",
            "affiliation": "U",
            "independence_statement": "I",
        },
        201,
    ),
    ("POST", P + "/{slug}/roles/{role_id}/end"): (P + "/{slug}/roles/{role}/end", {}, 200),
    ("POST", P + "/{slug}/groups"): (P + "/{slug}/groups", {"name": "Copyright"}, 201),
    ("POST", P + "/{slug}/groups/{number}/members"): (
        P + "/{slug}/groups/1/members",
        {"category": "academia", "name": "New Person"},
        201,
    ),
    ("POST", P + "/{slug}/members/{member_id}/leave"): (
        P + "/{slug}/members/{member}/leave",
        {},
        200,
    ),
    ("POST", P + "/{slug}/meetings"): (
        P + "/{slug}/meetings",
        {"kind": "plenary", "title": "Plenary", "starts_at": "2026-12-02T10:00:00Z"},
        201,
    ),
}


def _send(client: Client, method: str, url: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_every_route_has_a_sample() -> None:
    routes = {
        route for route in api_routes(api, P) if route[1] == P or route[1].startswith(P + "/")
    }
    assert routes == set(SAMPLES)


def test_public_routes_are_listed() -> None:
    public = {path for path in PUBLIC_ROUTES if path.startswith(P)}
    assert public == {route.split(" ", 1)[1] for route in PUBLIC}


def _want(name: str, method: str, route: str, runner_status: int) -> int:
    if f"{method} {route}" in PUBLIC:
        return runner_status
    if name == ANONYMOUS:
        return 401
    if route.startswith(P + "/{slug}/members") and method == "GET":
        return runner_status if name in STAFF else 403
    return runner_status if name in RUNNERS else 403


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str, ids: dict[str, Any]) -> None:
    who = principal(name)
    for (method, route), (template, body, status) in SAMPLES.items():
        url = template.format(**ids)
        response = _send(who.client, method, url, body)
        want = _want(name, method, route, status)
        assert response.status_code == want, (name, method, url, response.content[:300])
        if want >= 400:
            assert set(response.json()) >= {"code", "message"}


def test_the_public_read_counts_not_names(ids: dict[str, Any]) -> None:
    data = Client().get(f"{P}/{ids['slug']}").json()
    assert data["chairs"][0]["affiliation"] == "Test University"
    group = data["working_groups"][0]
    assert group["members"] is None and group["members_total"] == 2
    assert {c["category"]: c["members"] for c in group["counts"]} == {
        "provider": 1,
        "academia": 1,
    }
    assert "Hidden" not in json.dumps(data)


def test_members_read_their_group_chairs_read_declarations(
    ids: dict[str, Any], drafting_member: User, drafting_chair: User
) -> None:
    data = signed_in_client(drafting_member).get(f"{P}/{ids['slug']}").json()
    members = data["working_groups"][0]["members"]
    assert {m["name"] for m in members} == {"Hidden", "Test Member"}
    assert {m["declaration"] for m in members} == {None}
    response = signed_in_client(drafting_member).get(f"{P}/{ids['slug']}/members")
    assert response.status_code == 403
    response = signed_in_client(drafting_chair).get(f"{P}/{ids['slug']}/members.csv")
    assert response.status_code == 200
    assert b"Hidden" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_meetings_follow_the_viewer(
    ids: dict[str, Any], drafting_runner: User, drafting_project: Project
) -> None:
    past = timezone.now() - datetime.timedelta(days=1)
    shown = services.meeting_create(
        actor=drafting_runner,
        project=drafting_project,
        kind=MeetingKind.PLENARY,
        title="Public one",
        starts_at=past,
        visibility=Visibility.PUBLIC,
    )
    services.meeting_update(actor=drafting_runner, meeting=shown, minutes="Said.")
    services.meeting_create(
        actor=drafting_runner,
        project=drafting_project,
        kind=MeetingKind.WORKSHOP,
        title="Members only",
        starts_at=past,
    )
    assert Client().get(f"{P}/{ids['slug']}/meetings").json() == []
    services.meeting_publish_minutes(actor=drafting_runner, meeting=shown)
    public = Client().get(f"{P}/{ids['slug']}/meetings").json()
    assert [(m["title"], m["minutes"]) for m in public] == [("Public one", "Said.")]
    staff = signed_in_client(drafting_runner).get(f"{P}/{ids['slug']}/meetings").json()
    assert {m["title"] for m in staff} == {"Public one", "Members only"}


def test_private_projects_are_404_to_the_public(
    ids: dict[str, Any], drafting_runner: User, drafting_project: Project
) -> None:
    services.project_update(actor=drafting_runner, project=drafting_project, public=False)
    assert Client().get(f"{P}/{ids['slug']}").status_code == 404
    assert Client().get(P).json()["items"] == []
    assert signed_in_client(drafting_runner).get(P).json()["count"] == 1


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (P, {"title": "", "kind": "guidelines", "legal_basis": "other", "citation": "x"}, "title"),
        (P, {"title": "T", "kind": "poem", "legal_basis": "other"}, "kind"),
        (P, {"title": "T", "kind": "guidelines", "legal_basis": "other"}, "citation"),
        (P + "/{slug}/status", {"status": "adopted"}, "status"),
        (P + "/{slug}/roles", {"user": "nobody", "kind": "chair"}, "user"),
        (
            P + "/{slug}/roles",
            {"user": "drafting-member", "kind": "chair", "working_group": 999},
            "working_group",
        ),
        (
            P + "/{slug}/meetings",
            {"kind": "working_group", "title": "T", "starts_at": "2026-12-02T10:00:00Z"},
            "working_group",
        ),
        (P + "/{slug}/groups/1/members", {"category": "individual", "name": "X"}, "category"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    ids: dict[str, Any], drafting_runner: User, url: str, body: dict[str, Any], field: str
) -> None:
    response = signed_in_client(drafting_runner).post(
        url.format(**ids), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}


def test_patch_null_and_unknown_ids(ids: dict[str, Any], drafting_runner: User) -> None:
    client = signed_in_client(drafting_runner)
    response = client.patch(
        f"{P}/{ids['slug']}", json.dumps({"title": None}), content_type="application/json"
    )
    assert response.status_code == 422
    assert client.get(f"{P}/no-such").status_code == 404
    assert client.post(f"{P}/{ids['slug']}/roles/99999/end").status_code == 404
    assert client.post(
        f"{P}/{ids['slug']}/groups/7/members", "{}", content_type="application/json"
    ).status_code in {404, 422}


def test_list_query_count(
    ids: dict[str, Any], drafting_runner: User, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        Project.objects.create(
            slug=f"g{n}",
            title=f"G {n}",
            kind="guidelines",
            legal_basis="other",
            public=True,
            created_by=drafting_runner,
        )
    with django_assert_max_num_queries(4):
        data = Client().get(P).json()
    assert data["count"] == 31
    client = signed_in_client(drafting_runner)
    with django_assert_max_num_queries(12):
        assert client.get(f"{P}/{ids['slug']}/members").json()["count"] == 2
    with django_assert_max_num_queries(14):
        assert client.get(f"{P}/{ids['slug']}").status_code == 200
