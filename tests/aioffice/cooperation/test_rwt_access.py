"""Real-world testing: every API route and page for every principal, and the sensitive test
invisible to the public, to other providers and to authorities outside Art. 74(8) through
every page and route; public list and CSV; query counts pinned."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.aioffice.cooperation.rwt_world import World, build, media_root

from aioffice.accounts.choices import OFFICE_ROLES
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal, signed_in_client

pytestmark = pytest.mark.django_db
PREFIX = "/api/v1/cooperation/real-world-tests"

# (method, OpenAPI path, body): one sample per route; {id} is the sensitive test's id
SAMPLES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/public", None),
    ("GET", "/public.csv", None),
    ("GET", "", None),
    ("POST", "", None),
    ("GET", "/{test_id}", None),
    ("GET", "/{test_id}/plan", None),
    ("GET", "/{test_id}/conditions", None),
    ("PUT", "/{test_id}/conditions", {"oversight": True}),
    ("POST", "/{test_id}/decision", {"approve": True}),
    ("POST", "/{test_id}/start", {}),
    ("POST", "/{test_id}/extension", {"justification": "x"}),
    ("POST", "/{test_id}/suspension", {"reasons": "x"}),
    ("POST", "/{test_id}/resumption", None),
    ("POST", "/{test_id}/termination", {"reasons": "x"}),
    ("POST", "/{test_id}/end", None),
    ("POST", "/{test_id}/outcome", {"outcome": "x"}),
    ("POST", "/{test_id}/consents", {"participants": 1}),
    ("PUT", "/{test_id}/publication", {"consent": True}),
]


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    media_root(settings, tmp_path)
    return build()


def test_the_samples_cover_every_route() -> None:
    assert {(m, PREFIX + p) for m, p, _ in SAMPLES} == api_routes(api, PREFIX)
    assert {PREFIX + "/public", PREFIX + "/public.csv"} <= PUBLIC_ROUTES


def _call(client: Client, method: str, path: str, body: dict[str, Any] | None) -> Any:
    if method == "GET":
        return client.get(path)
    data = json.dumps(body or {})
    return client.generic(method, path, data, content_type="application/json")


def _clients(world: World) -> dict[str, Client]:
    clients = {name: principal(name).client for name in ALL_PRINCIPALS}
    clients["fr_authority"] = signed_in_client(world.fr_user)
    clients["other_provider"] = signed_in_client(world.other_user)
    return clients


def test_the_sensitive_test_is_hidden_through_every_route(world: World) -> None:
    """Anyone but its provider, the Commission (Office staff: Annex IX points 1, 2, 3 and 5
    only) and the Art. 74(8) authority: never its data."""
    test = world.sensitive
    for name, client in _clients(world).items():
        for method, path, body in SAMPLES:
            url = PREFIX + path.replace("{test_id}", str(test.pk))
            response = _call(client, method, url, body)
            assert response.status_code < 500, (name, method, path)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            assert b"Secret crossing plan" not in content, (name, method, path)
            if name in OFFICE_ROLES:
                continue  # the Commission sees the secure section (Art. 49(4))
            assert b"Border risk scorer" not in content, (name, method, path)
            assert test.identification_number.encode() not in content, (name, method, path)
            if "{test_id}" in path:
                expected = 401 if name == ANONYMOUS else 404
                assert response.status_code == expected, (name, method, path)


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(world: World, name: str) -> None:
    client = principal(name).client
    for method, path, body in SAMPLES:
        url = PREFIX + path.replace("{test_id}", str(world.public.pk))
        response = _call(client, method, url, body)
        public = path in ("/public", "/public.csv")
        if public:
            assert response.status_code == 200
        elif name == ANONYMOUS:
            assert response.status_code == 401, (method, path)
        elif name in OFFICE_ROLES:
            # the Office sees every test, takes none of the provider's or authority's steps
            if method == "GET":
                assert response.status_code in (200, 403), (method, path, response.status_code)
            else:
                assert response.status_code in (403, 422), (method, path, response.status_code)
        elif path == "" and method == "GET":
            # the provider principal acts for a provider organisation: its (empty) list
            assert response.status_code in (200, 403)
        else:
            assert response.status_code in (403, 404, 422), (method, path, response.status_code)


def test_the_provider_and_the_authorities_through_the_api(world: World) -> None:
    provider = signed_in_client(world.provider_user)
    fr = signed_in_client(world.fr_user)
    es = signed_in_client(world.es_user)
    other = signed_in_client(world.other_user)
    sensitive = f"{PREFIX}/{world.sensitive.pk}"
    assert provider.get(sensitive).json()["system_name"] == "Border risk scorer"
    assert es.get(sensitive).json()["plan_summary"]  # the deciding authority sees the plan
    assert fr.get(sensitive).status_code == 404
    assert other.get(sensitive).status_code == 404
    assert fr.get(f"{PREFIX}/{world.public.pk}").json()["plan_summary"]
    assert {t["id"] for t in fr.get(PREFIX).json()["items"]} == {world.public.pk}
    assert {t["id"] for t in es.get(PREFIX).json()["items"]} == {
        world.public.pk,
        world.sensitive.pk,
    }
    assert other.get(PREFIX).json()["items"] == []
    # decisions and steps
    assert (
        fr.post(
            f"{sensitive}/decision", {"approve": True}, content_type="application/json"
        ).status_code
        == 404
    )
    response = es.post(f"{sensitive}/decision", {"approve": True}, content_type="application/json")
    assert response.status_code == 200 and response.json()["approval"] == "explicit"
    response = es.post(f"{sensitive}/decision", {"approve": True}, content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "approve"
    assert provider.get(f"{sensitive}/conditions").json()["allowed"] is True
    assert (
        provider.post(f"{sensitive}/start", {}, content_type="application/json").status_code == 200
    )
    plan = provider.get(f"{sensitive}/plan")
    assert plan.status_code == 200 and plan["X-Content-SHA256"] == world.sensitive.plan_sha256
    # the Office sees the secure section's points only (no plan)
    staff = principal("legal_officer").client
    record = staff.get(sensitive).json()
    assert record["annex_ix_points"] == ["1", "2", "3", "5"] and "plan_summary" not in record
    assert staff.get(f"{sensitive}/plan").status_code == 403


def test_registration_through_the_api(world: World) -> None:
    from tests.aioffice.cooperation.rwt_world import plan

    client = signed_in_client(world.provider_user)
    fields = {
        "provider": world.provider.pk,
        "authority": world.fr.pk,
        "system_name": "Exam proctor",
        "description": "Flags irregularities (test).",
        "plan_summary": "Two universities.",
        "provider_contact": "rwt@provider.example",
        "scope": "annex_iii",
        "annex_iii_point": "3",
        "member_states": "FR",
    }
    response = client.post(PREFIX, {**fields, "plan": plan()})
    assert response.status_code == 201, response.content
    assert response.json()["identification_number"].startswith("EU-RWT-")
    response = client.post(PREFIX, {**fields, "annex_iii_point": "2", "plan": plan()})
    assert (
        response.status_code == 422 and response.json()["errors"][0]["field"] == "annex_iii_point"
    )
    response = client.post(PREFIX, {**fields, "authority": 2**62, "plan": plan()})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "authority"


def test_bad_ids_and_input(world: World) -> None:
    client = signed_in_client(world.provider_user)
    assert client.get(f"{PREFIX}/{2**62}").status_code == 404
    assert client.get(f"{PREFIX}/{2**70}").status_code == 422
    assert client.get(f"{PREFIX}/abc").status_code == 422
    assert Client().get(f"{PREFIX}/public?q=a%00b").status_code == 422
    assert Client().get(f"{PREFIX}/public?member_state=XX").status_code == 422
    response = client.post(
        f"{PREFIX}/{world.public.pk}/consents",
        {"participants": "many"},
        content_type="application/json",
    )
    assert response.status_code == 422
    page = client.get(reverse("cooperation:rwt_detail", args=[2**62]))
    assert page.status_code == 404
    assert client.get(f"/real-world-testing/{2**70}/").status_code == 404


def test_the_public_list_json_and_csv(world: World, django_assert_max_num_queries: Any) -> None:
    anonymous = Client()
    with django_assert_max_num_queries(3):
        items = anonymous.get(f"{PREFIX}/public").json()["items"]
    assert [i["identification_number"] for i in items] == [world.public.identification_number]
    csv = b"".join(anonymous.get(f"{PREFIX}/public.csv").streaming_content).decode()
    assert world.public.identification_number in csv and "Border" not in csv
    with django_assert_max_num_queries(4):
        page = anonymous.get(reverse("cooperation:rwt_public")).content.decode()
    assert world.public.identification_number in page
    assert world.sensitive.identification_number not in page
    page_csv = b"".join(anonymous.get(reverse("cooperation:rwt_public_csv")).streaming_content)
    assert b"Border" not in page_csv
    assert anonymous.get(f"{PREFIX}/public?member_state=DE").json()["items"] == []
    assert len(anonymous.get(f"{PREFIX}/public?member_state=FR").json()["items"]) == 1


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_the_pages_for_every_principal(world: World, name: str) -> None:
    client = principal(name).client
    listing = client.get(reverse("cooperation:rwt_list"))
    detail = client.get(reverse("cooperation:rwt_detail", args=[world.sensitive.pk]))
    plan = client.get(reverse("cooperation:rwt_plan", args=[world.sensitive.pk]))
    register = client.get(reverse("cooperation:rwt_register"))
    decide = client.get(reverse("cooperation:rwt_action", args=[world.public.pk, "decide"]))
    assert client.get(reverse("cooperation:rwt_public")).status_code == 200
    if name == ANONYMOUS:
        for response in (listing, detail, plan, register, decide):
            assert response.status_code == 302
        return
    assert b"Secret crossing plan" not in listing.content + detail.content
    assert decide.status_code in (403, 404)
    if name in OFFICE_ROLES:
        assert listing.status_code == 200
        assert detail.status_code == 200 and b"Border risk scorer" in detail.content
        assert plan.status_code == 403
    else:
        assert b"Border risk scorer" not in listing.content
    if name in OFFICE_ROLES:
        assert register.status_code == 403
    else:
        assert detail.status_code == 404 and plan.status_code == 404
        assert listing.status_code in (200, 403)
        assert register.status_code in (200, 403)


def test_the_pages_for_the_provider_and_the_authorities(
    world: World, django_assert_max_num_queries: Any
) -> None:
    provider = signed_in_client(world.provider_user)
    fr = signed_in_client(world.fr_user)
    es = signed_in_client(world.es_user)
    other = signed_in_client(world.other_user)
    sensitive = reverse("cooperation:rwt_detail", args=[world.sensitive.pk])
    assert b"Border risk scorer" in provider.get(sensitive).content
    assert b"Border risk scorer" in es.get(sensitive).content
    assert fr.get(sensitive).status_code == 404 and other.get(sensitive).status_code == 404
    for client in (fr, other):
        assert b"Border risk scorer" not in client.get(reverse("cooperation:rwt_list")).content
    with django_assert_max_num_queries(12):
        page = es.get(reverse("cooperation:rwt_list")).content
    assert b"Border risk scorer" in page
    # the authority decides through its form; a refusal without reasons names the field
    decide = reverse("cooperation:rwt_action", args=[world.public.pk, "decide"])
    response = fr.post(decide, {"approve": "no", "reasons": ""})
    assert response.status_code == 200 and b"reasons" in response.content.lower()
    response = fr.post(decide, {"approve": "yes"})
    assert response.status_code == 302
    assert (
        provider.get(
            reverse("cooperation:rwt_action", args=[world.public.pk, "decide"])
        ).status_code
        == 403
    )
    start = reverse("cooperation:rwt_action", args=[world.public.pk, "start"])
    assert provider.post(start, {}).status_code == 302
    assert (
        b"running"
        in provider.get(reverse("cooperation:rwt_detail", args=[world.public.pk])).content.lower()
    )
    assert provider.get(reverse("cooperation:rwt_register")).status_code == 200
    assert fr.get(reverse("cooperation:rwt_register")).status_code == 403
