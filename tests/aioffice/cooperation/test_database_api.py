"""The EU database's API (/api/v1/cooperation/database): every route for every principal
(ALL_PRINCIPALS) and the extra readers (a provider, a public body, a general and an
Art. 74(8) authority user), the samples covering `api_routes` exactly; bad input named with
422, unknown numbers 404, query counts pinned."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal, signed_in_client

from .test_database_services import A_POINTS, C_POINTS, World, build_world, register_a

pytestmark = pytest.mark.django_db

API = "/api/v1/cooperation/database"
PUBLIC = {f"{API}/registrations", f"{API}/registrations.csv", f"{API}/registrations/{{number}}"}


@pytest.fixture
def world() -> World:
    return build_world()


def _samples(number: str) -> dict[tuple[str, str], tuple[str, dict[str, Any] | None]]:
    return {
        ("GET", f"{API}/registrations"): (f"{API}/registrations?section=A", None),
        ("GET", f"{API}/registrations.csv"): (f"{API}/registrations.csv", None),
        ("GET", f"{API}/registrations/{{number}}"): (f"{API}/registrations/{number}", None),
        ("GET", f"{API}/mine"): (f"{API}/mine", None),
        ("POST", f"{API}/registrations"): (
            f"{API}/registrations",
            {"section": "A", "annex_iii_point": "4", "points": A_POINTS},
        ),
        ("POST", f"{API}/registrations/{{number}}/status"): (
            f"{API}/registrations/{number}/status",
            {"status": "recalled"},
        ),
        ("POST", f"{API}/registrations/{{number}}/withdraw"): (
            f"{API}/registrations/{number}/withdraw",
            {"note": "made twice"},
        ),
    }


def test_the_samples_cover_every_route_and_the_public_ones_are_listed() -> None:
    assert set(_samples("X")) == api_routes(api, API)
    assert {path for _, path in api_routes(api, API) if path in PUBLIC_ROUTES} == PUBLIC


def _expected(name: str, method: str, path: str) -> set[int]:
    if method == "GET" and path in PUBLIC:
        return {200}
    if name == ANONYMOUS:
        return {401}
    if path == f"{API}/mine":
        # members of a provider or a national authority register; the rest may not
        ok = name in (Role.ORGANISATION_MEMBER, Role.NATIONAL_AUTHORITY_MEMBER)
        return {200} if ok else {403}
    if path == f"{API}/registrations":
        if name == Role.ORGANISATION_MEMBER:
            return {201}  # a provider registers in section A
        if name == Role.NATIONAL_AUTHORITY_MEMBER:
            return {403}  # a national authority registers as a deployer (section C) only
        return {403}
    # status, withdraw: the entry is another organisation's, so it is not found
    return {404}


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(world: World, name: str) -> None:
    entry = register_a(world)
    client = principal(name).client
    for (method, path), (url, body) in _samples(entry.number).items():
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code in _expected(name, method, path), (
            name,
            method,
            path,
            response.status_code,
            response.content[:300],
        )
        if response.status_code == 403 and name in OFFICE_ROLES:
            assert "register" in response.json()["message"]


def test_the_registrant_and_the_public_body(world: World) -> None:
    entry = register_a(world)
    provider = signed_in_client(world.provider)
    mine = provider.get(f"{API}/mine").json()
    assert [item["number"] for item in mine["items"]] == [entry.number]
    changed = provider.post(
        f"{API}/registrations/{entry.number}/status",
        json.dumps({"status": "recalled", "note": "recall"}),
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert {p["key"]: p["value"] for p in changed.json()["points"]}["status"] == "Recalled"
    deployer = signed_in_client(world.deployer)
    made = deployer.post(
        f"{API}/registrations",
        json.dumps(
            {"section": "C", "annex_iii_point": "4", "points": {**C_POINTS, "system": entry.number}}
        ),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["system"] == entry.number
    refused = deployer.post(
        f"{API}/registrations",
        json.dumps({"section": "A", "annex_iii_point": "4", "points": A_POINTS}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    gone = provider.post(
        f"{API}/registrations/{entry.number}/withdraw",
        json.dumps({"note": "twice"}),
        content_type="application/json",
    )
    assert gone.status_code == 200 and gone.json()["state"] == "withdrawn"
    assert Client().get(f"{API}/registrations/{entry.number}").status_code == 404
    assert provider.get(f"{API}/registrations/{entry.number}").status_code == 200


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{API}/registrations?section=Z", "section"),
        (f"{API}/registrations?annex_iii_point=9", "annex_iii_point"),
        (f"{API}/registrations?status=lost", "status"),
        (f"{API}/registrations?member_state=UK", "member_state"),
        (f"{API}/registrations?q=%00", "q"),
        (f"{API}/registrations?q=" + "x" * 201, "q"),
        (f"{API}/registrations?page=0", "page"),
        (f"{API}/registrations?page=99999999999", "page"),
    ],
)
def test_a_bad_filter_is_a_422_naming_it(url: str, field: str) -> None:
    response = Client().get(url)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    "number", ["EU-DB-A-2026-999999", "x" * 40, "%00", "99999999999999999999", "EU-DB-A%00"]
)
def test_an_unknown_number_is_a_404(number: str) -> None:
    assert Client().get(f"{API}/registrations/{number}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"section": "Z", "annex_iii_point": "4", "points": A_POINTS}, "section"),
        ({"section": "A", "annex_iii_point": "2", "points": A_POINTS}, "annex_iii_point"),
        ({"section": "A", "annex_iii_point": "4", "points": {**A_POINTS, "x": "y"}}, "points.x"),
        (
            {"section": "A", "annex_iii_point": "4", "points": {**A_POINTS, "trade_name": "a\x00"}},
            "trade_name",
        ),
        ({"section": "A", "annex_iii_point": 4, "points": A_POINTS}, "annex_iii_point"),
        ({"section": "A", "annex_iii_point": "4", "points": "all"}, "points"),
    ],
)
def test_bad_registrations_are_422_naming_the_field(
    world: World, body: dict[str, Any], field: str
) -> None:
    response = signed_in_client(world.provider).post(
        f"{API}/registrations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("rows", [3, 30])
def test_the_query_counts_are_pinned(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    for _ in range(rows):
        register_a(world)
    client = Client()
    with django_assert_max_num_queries(3):  # audit head, count, page
        assert client.get(f"{API}/registrations", {"q": "acmehire"}).status_code == 200
    with django_assert_max_num_queries(3):  # the same from the cache: the head only
        assert client.get(f"{API}/registrations", {"q": "acmehire"}).json()["count"] == rows
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}/registrations/EU-DB-A-2026-000001").status_code in (200, 404)
