"""The deadlines API (/api/v1/supervision/deadlines/): every route for every principal.

Staff (second factor) list their own deadlines; a head of unit may list anyone's
(`owner=all` or an id); a provider's members list their provider's where it is its move;
everyone else is refused. SAMPLES holds one request per route and per principal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.api import api
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    api_routes,
    make_user,
    organisation,
    principal,
    signed_in_client,
)
from aioffice.registry import services as registry
from aioffice.registry.testing import registered_provider
from aioffice.supervision import clock
from aioffice.supervision.choices import DeadlineKind
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/supervision/deadlines/"
LIST = ("GET", PREFIX)

# One request per route, for every principal of ALL_PRINCIPALS (the same request each: the
# answer depends on who asks).
SAMPLES: dict[tuple[str, str], str] = {LIST: PREFIX + "?page=1"}


def expected(name: str) -> int:
    if name == ANONYMOUS:
        return 401
    if name in OFFICE_ROLES or name == Role.ORGANISATION_MEMBER:
        return 200
    return 403


def world(me: Any) -> dict[str, Any]:
    """Three open deadlines: mine (staff) or my provider's to act on (member), someone
    else's, and another provider's move."""
    today = timezone.now().date()
    own_org = organisation(OrganisationKind.GPAI_PROVIDER)
    mine_provider = registry.provider_register(actor=None, organisation=own_org)
    other_provider = registered_provider("Other AI")
    someone = make_user(Role.POLICY_OFFICER, "someone")
    rows = {}
    for name, provider, owner, to_act, due in (
        ("mine", mine_provider, me if me is not None and me.is_office_staff else None, True, 1),
        ("theirs", other_provider, someone, False, -3),
        ("other_provider", other_provider, None, True, 20),
    ):
        rows[name] = clock.open_deadline(
            kind=DeadlineKind.MEASURE,
            source=provider if name != "theirs" else someone,
            due_on=today + timedelta(days=due),
            title=f"deadline {name}",
            provider=provider,
            owner=owner,
            provider_to_act=to_act,
            answer={"rules_version": "test-1", "reasons": ["r"], "citations": ["Art. 93(1)"]},
        )
    return rows


def test_the_samples_cover_every_route() -> None:
    assert set(SAMPLES) == api_routes(api, PREFIX)


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    who = principal(name)
    rows = world(who.user)
    for (method, path), url in sorted(SAMPLES.items()):
        response = who.client.generic(method, url)
        assert response.status_code == expected(name), (name, path, response.content[:300])
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
            continue
        titles = {item["title"] for item in response.json()["items"]}
        assert titles == {"deadline mine"}, (name, titles)
        item = response.json()["items"][0]
        assert item["rules_version"] == "test-1" and item["citations"] == ["Art. 93(1)"]
        assert item["state"] == "soon"
        if name == Role.ORGANISATION_MEMBER:
            assert item["owner"] is None and item["whose_move"] == "provider"
    assert Deadline.objects.filter(pk=rows["theirs"].pk).exists()


def test_a_head_of_unit_lists_everyones_and_others_may_not() -> None:
    head = make_user(Role.HEAD_OF_UNIT, "hou")
    rows = world(head)
    client = signed_in_client(head)
    everyone = client.get(PREFIX + "?owner=all").json()
    assert everyone["count"] == 3
    theirs = client.get(f"{PREFIX}?owner={rows['theirs'].owner_id}").json()
    assert [i["title"] for i in theirs["items"]] == ["deadline theirs"]
    assert theirs["items"][0]["state"] == "overdue" and theirs["items"][0]["owner"] == "someone"
    officer = make_user(Role.POLICY_OFFICER, "po")
    refused = signed_in_client(officer).get(PREFIX + "?owner=all")
    assert refused.status_code == 403
    member = make_user(Role.ORGANISATION_MEMBER, "member")
    assert signed_in_client(member).get(PREFIX + "?owner=all").status_code == 403


def test_filters_and_bad_values() -> None:
    head = make_user(Role.HEAD_OF_UNIT, "hou")
    world(head)
    client = signed_in_client(head)
    assert client.get(PREFIX + "?owner=all&state=overdue").json()["count"] == 1
    assert client.get(PREFIX + "?owner=all&move=provider").json()["count"] == 2
    assert client.get(PREFIX + "?owner=all&basis=code").json()["count"] == 0
    assert client.get(PREFIX + "?owner=all&kind=measure").json()["count"] == 3
    for bad in ("kind=nope", "state=x", "owner=me", "provider=0", "basis=z", "page=0"):
        response = client.get(PREFIX + "?" + bad)
        assert response.status_code == 422, bad


def test_staff_without_their_second_factor_are_refused() -> None:
    user = make_user(Role.POLICY_OFFICER, "po")
    assert signed_in_client(user, second_factor=False).get(PREFIX).status_code == 401
