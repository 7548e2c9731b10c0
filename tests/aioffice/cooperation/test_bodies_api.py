"""The bodies API: every route for every principal (and an authority user, an Art. 74(8)
authority user, a provider and a public-body deployer), the samples covering
api_routes(api, "/api/v1/cooperation/bodies") exactly; only published things in public
answers; bad input answered 422 naming the field or 404; query counts pinned."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.accounts.models import User
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.cooperation import services_bodies as services
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector, BodyKind, SeatRole
from aioffice.cooperation.models_authorities import Authority
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    api_routes,
    make_user,
    organisation,
    principal,
    signed_in_client,
)

from .test_bodies_services import body, editor, expert, held_meeting, opinion, representative

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/cooperation/bodies"
EDITORS = {Role.POLICY_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR}


def _authority_user(name: str, sector: str) -> User:
    user = make_user(None, name)
    org = organisation(OrganisationKind.NATIONAL_AUTHORITY, f"Org {name}")
    accounts.membership_add(
        actor=None, user=user, organisation=org, role=Role.NATIONAL_AUTHORITY_MEMBER
    )
    Authority.objects.create(
        organisation=org,
        member_state="ES" if sector == AuthoritySector.DATA_PROTECTION else "FR",
        name=f"Authority {name}",
        kind=AuthorityKind.MARKET_SURVEILLANCE,
        sector=sector,
    )
    return user


def _member_of(kind: str, name: str, role: str) -> User:
    user = make_user(None, name)
    accounts.membership_add(
        actor=None, user=user, organisation=organisation(kind, f"Org {name}"), role=role
    )
    return user


EXTRA: dict[str, Callable[[], User]] = {
    "authority": lambda: _authority_user("msa-user", AuthoritySector.GENERAL),
    "art74_8": lambda: _authority_user("dpa-user", AuthoritySector.DATA_PROTECTION),
    "provider": lambda: _member_of(
        OrganisationKind.GPAI_PROVIDER, "provider-user", Role.ORGANISATION_MEMBER
    ),
    "public_body": lambda: _member_of(
        OrganisationKind.PUBLIC_BODY, "city-user", Role.ORGANISATION_MEMBER
    ),
}


def _client(name: str) -> Client:
    if name in EXTRA:
        return signed_in_client(EXTRA[name]())
    return principal(name).client


# (method, path template, URL builder, body builder or None, public?)
Sample = tuple[str, str, Callable[[], str], Callable[[], dict[str, Any]] | None, bool]


def _world() -> dict[str, Any]:
    board = body()
    seat = representative(board)
    meeting = held_meeting(board)
    recorded = opinion(board)
    return {"board": board, "seat": seat, "meeting": meeting, "opinion": recorded}


SAMPLES: list[tuple[str, str, str, dict[str, Any] | None, bool, int]] = []


def _samples(w: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any] | None, bool, int]]:
    b, s, m, o = w["board"].pk, w["seat"].pk, w["meeting"].pk, w["opinion"].pk
    return [
        ("GET", f"{PREFIX}/bodies", f"{PREFIX}/bodies", None, True, 200),
        ("GET", f"{PREFIX}/bodies/{{body_id}}", f"{PREFIX}/bodies/{b}", None, True, 200),
        (
            "GET",
            f"{PREFIX}/bodies/{{body_id}}/members",
            f"{PREFIX}/bodies/{b}/members",
            None,
            True,
            200,
        ),
        ("GET", f"{PREFIX}/meetings", f"{PREFIX}/meetings?body={b}", None, True, 200),
        ("GET", f"{PREFIX}/opinions", f"{PREFIX}/opinions", None, True, 200),
        ("GET", f"{PREFIX}/bodies.csv", f"{PREFIX}/bodies.csv", None, True, 200),
        (
            "GET",
            f"{PREFIX}/bodies/{{body_id}}/members.csv",
            f"{PREFIX}/bodies/{b}/members.csv",
            None,
            True,
            200,
        ),
        ("GET", f"{PREFIX}/meetings.csv", f"{PREFIX}/meetings.csv?body={b}", None, True, 200),
        ("GET", f"{PREFIX}/opinions.csv", f"{PREFIX}/opinions.csv", None, True, 200),
        (
            "POST",
            f"{PREFIX}/bodies",
            f"{PREFIX}/bodies",
            {"kind": "scientific_panel", "name": "Panel"},
            False,
            201,
        ),
        (
            "POST",
            f"{PREFIX}/bodies/{{body_id}}/members",
            f"{PREFIX}/bodies/{b}/members",
            {
                "role": "representative",
                "person_name": "Rep DE",
                "member_state": "DE",
                "term_start": "2025-09-01",
            },
            False,
            201,
        ),
        (
            "POST",
            f"{PREFIX}/members/{{member_id}}/renew",
            f"{PREFIX}/members/{s}/renew",
            {},
            False,
            200,
        ),
        (
            "POST",
            f"{PREFIX}/members/{{member_id}}/end",
            f"{PREFIX}/members/{s}/end",
            {"on": "2026-01-01"},
            False,
            200,
        ),
        (
            "POST",
            f"{PREFIX}/bodies/{{body_id}}/meetings",
            f"{PREFIX}/bodies/{b}/meetings",
            {"title": "Second plenary", "date": "2026-06-01"},
            False,
            201,
        ),
        (
            "POST",
            f"{PREFIX}/meetings/{{meeting_id}}",
            f"{PREFIX}/meetings/{m}",
            {"published": True},
            False,
            200,
        ),
        (
            "POST",
            f"{PREFIX}/meetings/{{meeting_id}}/agenda",
            f"{PREFIX}/meetings/{m}/agenda",
            {"title": "Opening"},
            False,
            201,
        ),
        (
            "POST",
            f"{PREFIX}/meetings/{{meeting_id}}/minutes",
            f"{PREFIX}/meetings/{m}/minutes",
            {"minutes": "Notes", "status": "approved", "published": True},
            False,
            200,
        ),
        (
            "POST",
            f"{PREFIX}/opinions",
            f"{PREFIX}/opinions",
            {
                "body": b,
                "kind": "opinion",
                "subject": "On codes",
                "adopted_on": "2026-03-04",
                "adoption": "consensus",
            },
            False,
            201,
        ),
        (
            "POST",
            f"{PREFIX}/opinions/{{opinion_id}}/publish",
            f"{PREFIX}/opinions/{o}/publish",
            {"published": False},
            False,
            200,
        ),
    ]


def test_the_samples_cover_every_route_and_the_public_ones_are_listed() -> None:
    samples = _samples(_world())
    assert {(method, path) for method, path, *_ in samples} == api_routes(api, PREFIX)
    public = {path for _m, path, _u, _b, is_public, _s in samples if is_public}
    assert public == {p for p in PUBLIC_ROUTES if p.startswith(PREFIX)}


@pytest.mark.parametrize("name", [*ALL_PRINCIPALS, *EXTRA])
def test_every_route_for_every_principal(name: str) -> None:
    client = _client(name)
    for method, path, url, payload, is_public, status in _samples(_world()):
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, json.dumps(payload), content_type="application/json")
        if is_public or name in EDITORS:
            expected = status
        elif name == "anonymous":
            expected = 401
        else:
            expected = 403
        assert response.status_code == expected, (name, method, path, response.content)


def test_public_answers_hold_published_things_only() -> None:
    board = body()
    held_meeting(board, published=True, title="Public plenary")
    draft = held_meeting(board, published=False, title="Closed plenary")
    services.minutes_save(actor=editor(), meeting=draft, minutes="Secret notes")
    opinion(board, published=True, subject="Published opinion")
    opinion(board, published=False, subject="Draft opinion")
    client = Client()
    meetings = client.get(f"{PREFIX}/meetings").json()["items"]
    assert [m["title"] for m in meetings] == ["Public plenary"]
    assert meetings[0]["minutes"] is None
    opinions = client.get(f"{PREFIX}/opinions").json()["items"]
    assert [o["subject"] for o in opinions] == ["Published opinion"]
    assert "alert" not in opinions[0]


def test_panel_members_show_their_declarations_and_former_members_are_gone() -> None:
    panel = body(BodyKind.SCIENTIFIC_PANEL)
    current = expert(panel, 1, declaration="Consulting for nobody.")
    former = expert(panel, 2)
    services.member_end(actor=editor(), membership=former)
    items = Client().get(f"{PREFIX}/bodies/{panel.pk}/members").json()["items"]
    assert [(m["id"], m["declaration"]) for m in items] == [(current.pk, "Consulting for nobody.")]
    assert "gender" not in items[0]


def test_the_csv_twins_hold_the_published_rows() -> None:
    board = body()
    representative(board, "FR", person_name="=Formula name")
    held_meeting(board, title="Public plenary")
    held_meeting(board, published=False, title="Closed plenary")
    opinion(board, subject="Published opinion")
    opinion(board, published=False, subject="Draft opinion")
    client = Client()

    def text(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]

    members = text(f"{PREFIX}/bodies/{board.pk}/members.csv")
    assert "'=Formula name" in members and "representative" in members
    meetings = text(f"{PREFIX}/meetings.csv")
    assert "Public plenary" in meetings and "Closed plenary" not in meetings
    opinions = text(f"{PREFIX}/opinions.csv?body={board.pk}")
    assert "Published opinion" in opinions and "Draft opinion" not in opinions
    assert board.name in text(f"{PREFIX}/bodies.csv")
    assert client.get(f"{PREFIX}/bodies/99999999999999999999/members.csv").status_code == 404


def test_a_member_linked_to_an_account_by_username() -> None:
    panel = body(BodyKind.SCIENTIFIC_PANEL)
    user = make_user(Role.SCIENTIFIC_PANEL_MEMBER, "linked-expert")
    client = signed_in_client(editor())
    payload = {
        "role": "expert",
        "person_name": "Linked",
        "expertise": "ML",
        "username": "nobody-here",
    }
    url = f"{PREFIX}/bodies/{panel.pk}/members"
    refused = client.post(url, json.dumps(payload), content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "username"
    payload["username"] = user.username
    created = client.post(url, json.dumps(payload), content_type="application/json")
    assert created.status_code == 201
    assert panel.memberships.get().user == user


def test_list_query_counts_are_pinned(django_assert_max_num_queries: Any) -> None:
    board = body()
    for n in range(5):
        representative(board, ["FR", "DE", "ES", "IT", "PL"][n])
        held_meeting(board, title=f"Plenary {n}")
        opinion(board, subject=f"Opinion {n}")
    client = Client()
    for url, limit in (
        (f"{PREFIX}/bodies", 3),
        (f"{PREFIX}/bodies/{board.pk}/members", 5),
        (f"{PREFIX}/meetings", 5),
        (f"{PREFIX}/opinions", 6),
    ):
        with django_assert_max_num_queries(limit):
            response = client.get(url)
        assert response.status_code == 200 and response.json()["count"] >= 1


@pytest.mark.parametrize(
    ("method", "url", "payload", "status", "field"),
    [
        ("GET", f"{PREFIX}/bodies/99999999999999999999", None, 404, ""),
        ("GET", f"{PREFIX}/bodies/0/members", None, 404, ""),
        ("GET", f"{PREFIX}/meetings?body=abc", None, 422, "body"),
        ("GET", f"{PREFIX}/opinions?page=0", None, 422, "page"),
        ("POST", f"{PREFIX}/bodies", {"kind": "club", "name": "X"}, 422, "kind"),
        ("POST", f"{PREFIX}/bodies", {"kind": "board", "name": "A\x00B"}, 422, "name"),
        (
            "POST",
            f"{PREFIX}/bodies",
            {"kind": "board_subgroup", "name": "Orphan"},
            422,
            "parent",
        ),
        ("POST", f"{PREFIX}/members/99999999999999/renew", {}, 404, ""),
        (
            "POST",
            f"{PREFIX}/opinions",
            {
                "body": 1,
                "kind": "opinion",
                "subject": "S",
                "adopted_on": "not a date",
                "adoption": "vote",
            },
            422,
            "adopted_on",
        ),
    ],
)
def test_bad_input_is_named(
    method: str, url: str, payload: dict[str, Any] | None, status: int, field: str
) -> None:
    client = signed_in_client(editor())
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == status, response.content
    if field:
        assert field in {e["field"] for e in response.json()["errors"]}


def test_staff_who_do_not_edit_are_refused_writes() -> None:
    for role in OFFICE_ROLES - EDITORS:
        client = signed_in_client(make_user(role))
        response = client.post(
            f"{PREFIX}/bodies",
            json.dumps({"kind": "board", "name": "Board"}),
            content_type="application/json",
        )
        assert response.status_code == 403


def test_a_representative_twice_is_refused_through_the_api() -> None:
    board = body()
    representative(board, "FR")
    response = signed_in_client(editor()).post(
        f"{PREFIX}/bodies/{board.pk}/members",
        json.dumps(
            {
                "role": SeatRole.REPRESENTATIVE,
                "person_name": "Another",
                "member_state": "FR",
                "term_start": date(2025, 9, 1).isoformat(),
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "member_state"
