"""The sandboxes API with bad input: unknown and huge ids are 404, NUL characters, wrong
types and values out of range are 422 naming the field, a refused step is 422 with the
service's field; the public list's filters and pages; never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client

from .sandboxes_world import build_world, media_root, operator, provider  # noqa: F401

pytestmark = pytest.mark.django_db

P = "/api/v1/cooperation/sandboxes"
HUGE = 2**70


def _post(client: Client, url: str, body: Any, method: str = "POST") -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def _fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def test_unknown_and_huge_ids_are_404() -> None:
    cache.clear()
    world = build_world()
    staff = signed_in_client(make_user(Role.LEGAL_OFFICER))
    for url in (
        f"{P}/{HUGE}",
        f"{P}/999999",
        f"{P}/records/{HUGE}",
        f"{P}/applications/{HUGE}",
        f"{P}/applications/{world.pending.pk}/plans/{HUGE}/agree",
        f"{P}/records/{world.sandbox.pk}/reports/{HUGE}",
        f"{P}/records/{world.union.pk}/reports/{world.report.pk}",
    ):
        method = "POST" if url.endswith("agree") else "GET"
        response = staff.generic(method, url)
        assert response.status_code == 404, (url, response.content)
    hidden = _post(
        staff, f"{P}/records", {"name": "Hidden", "level": "union", "published": False}
    ).json()
    assert Client().get(f"{P}/{hidden['id']}").status_code == 404  # not published


def test_bad_input_is_a_422_naming_the_field() -> None:
    cache.clear()
    world = build_world()
    ids = world.ids()
    client = signed_in_client(provider())
    apply = f"{P}/{world.union.pk}/applications"
    good = {"applicant": ids["applicant"], "project": "p", "system_description": "d"}
    for changes, field in [
        ({"project": "a\x00b"}, "project"),
        ({"applicant": HUGE}, "applicant"),
        ({"applicant": 999999}, "applicant"),
        ({"sme": "perhaps"}, "sme"),
        ({"applied_on": "2999-01-01"}, "applied_on"),
        ({"system_description": ""}, "system_description"),
    ]:
        response = _post(client, apply, {**good, **changes})
        assert response.status_code == 422, (changes, response.content)
        assert _fields(response) == [field]
    authority = signed_in_client(operator())
    response = _post(
        authority, f"{P}/applications/{world.pending.pk}/decision", {"accept": "x", "reasons": "r"}
    )
    assert response.status_code == 422 and _fields(response) == ["accept"]
    response = _post(
        authority, f"{P}/records/{world.sandbox.pk}", {"joint_member_states": ["XX"]}, "PATCH"
    )
    assert response.status_code == 422 and _fields(response) == ["joint_member_states"]
    response = _post(
        authority, f"{P}/records/{world.sandbox.pk}", {"website": "not a url"}, "PATCH"
    )
    assert response.status_code == 422 and _fields(response) == ["website"]
    response = _post(  # already decided: a refused step names the service's field
        authority,
        f"{P}/applications/{world.accepted.pk}/decision",
        {"accept": True, "reasons": "r"},
    )
    assert response.status_code == 422 and _fields(response) == ["status"]
    for url in (f"{P}/?member_state=XX", f"{P}/?status=open", f"{P}/?page=0"):
        response = Client().get(url)
        assert response.status_code == 422, url


def test_the_public_list_filters_and_pages() -> None:
    cache.clear()
    world = build_world()
    client = Client()
    items = client.get(f"{P}/").json()["items"]
    assert [i["name"] for i in items] == [world.union.name, world.sandbox.name]
    assert set(items[0]) >= {"id", "level", "member_state", "status", "capacity"}
    assert "published" not in items[0] and "rules_version" not in items[0]
    french = client.get(f"{P}/", {"member_state": "FR", "status": "operational"}).json()
    assert [i["id"] for i in french["items"]] == [world.sandbox.pk]
    assert client.get(f"{P}/", {"page_size": 1, "page": 2}).json()["items"][0]["id"] == (
        world.sandbox.pk
    )
    overview = client.get(f"{P}/member-states").json()
    assert overview["deadline"] == "2027-08-02" and "AI Act, Art. 57(1)" in overview["citations"]
    france = next(s for s in overview["member_states"] if s["code"] == "FR")
    assert france["operational"] == 1 and france["operational_by_deadline"] is True
    assert len(overview["member_states"]) == 27
