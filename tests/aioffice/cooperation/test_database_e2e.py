"""End to end, on the real database, through HTTP (issue 8): a section A registration a
provider makes through the page and the API appears in the public search (page, JSON, CSV,
API); a registration in the secure section (Art. 49(4)) is invisible to the public, to
providers other than the registrant, to a general market surveillance authority and to a
public body, and visible to Office staff and to an Art. 74(8) authority, through EVERY page
and API route of the database: the probes below are checked against the URL patterns and
the OpenAPI document, so a route added later without a probe fails here."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OFFICE_ROLES
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.cooperation import urls_database
from aioffice.cooperation.models_database import Registration
from aioffice.core.testing import ALL_PRINCIPALS, api_routes, principal, signed_in_client

from .test_database_services import A_POINTS, SECURE_POINTS, World, build_world, register_a

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


API = "/api/v1/cooperation/database"


def _register_through_the_page(
    client: Client, org_id: int, points: dict[str, Any], **extra: Any
) -> str:
    data: dict[str, Any] = {"organisation": org_id, **extra, **points}
    response = client.post(reverse("cooperation:database_register", args=["A"]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def test_a_section_a_registration_appears_in_the_public_search(world: World) -> None:
    provider = signed_in_client(world.provider)
    by_page = _register_through_the_page(
        provider, world.provider_org.pk, {**A_POINTS, "trade_name": "PageHire"}, annex_iii_point="4"
    )
    response = provider.post(
        f"{API}/registrations",
        json.dumps(
            {
                "section": "A",
                "annex_iii_point": "3",
                "points": {**A_POINTS, "trade_name": "ApiGrade", "reference": "AG-1"},
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    by_api = response.json()["number"]

    public = Client()
    for number, name in ((by_page, "PageHire"), (by_api, "ApiGrade")):
        page = public.get(reverse("cooperation:database_search"), {"q": name.lower()})
        assert number in page.content.decode() and name in page.content.decode()
        items = public.get(reverse("cooperation:database_json"), {"q": name}).json()["items"]
        assert [item["number"] for item in items] == [number]
        assert number in _body(public.get(reverse("cooperation:database_csv")))
        listed = public.get(f"{API}/registrations", {"q": name}).json()
        assert listed["count"] == 1 and listed["items"][0]["trade_name"] == name
        assert number in _body(public.get(f"{API}/registrations.csv"))
        detail = public.get(f"{API}/registrations/{number}").json()
        assert {p["key"]: p["value"] for p in detail["points"]}["trade_name"] == name
        assert (
            name
            in public.get(reverse("cooperation:database_detail", args=[number])).content.decode()
        )
    filtered = public.get(f"{API}/registrations", {"annex_iii_point": "3", "member_state": "FR"})
    assert [item["number"] for item in filtered.json()["items"]] == [by_api]


# --- the secure section through every route ---------------------------------------------------


@dataclass
class Reader:
    client: Client
    headers: dict[str, str]


@dataclass
class Secure:
    number: str
    public_number: str
    public_file: int


Probe = Callable[[Reader, Secure], bool]  # True when the response reveals the entry


def _body(response: Any) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _shows(response: Any, secure: Secure) -> bool:
    assert response.status_code < 500, response
    if response.status_code >= 400:
        return False
    body = _body(response)
    return secure.number in body or SECURE_POINTS["trade_name"] in body


def _get(url: Callable[[Secure], str]) -> Probe:
    return lambda r, s: _shows(r.client.get(url(s), **r.headers), s)


def _post(url: Callable[[Secure], str], body: dict[str, Any]) -> Probe:
    return lambda r, s: _shows(
        r.client.post(url(s), json.dumps(body), content_type="application/json", **r.headers), s
    )


def _search_page(r: Reader, s: Secure) -> bool:
    """The search for its words: neither the row nor a count that betrays it."""
    response = r.client.get(reverse("cooperation:database_search"), {"q": "crimecast"}, **r.headers)
    shown = _shows(response, s)
    assert shown or 'data-testid="database-empty"' in _body(response)
    by_area = r.client.get(
        reverse("cooperation:database_search"), {"annex_iii_point": "6"}, **r.headers
    )
    assert shown or 'data-testid="database-empty"' in _body(by_area)
    return shown


def _json_page(r: Reader, s: Secure) -> bool:
    found = r.client.get(reverse("cooperation:database_json"), {"q": "crimecast"}, **r.headers)
    shown = _shows(found, s)
    assert shown or found.json()["count"] == 0
    return shown


def _api_list(r: Reader, s: Secure) -> bool:
    found = r.client.get(f"{API}/registrations", {"annex_iii_point": "6"}, **r.headers)
    shown = _shows(found, s)
    assert shown or found.json()["count"] == 0
    return shown


def _use_of(s: Secure) -> str:
    return Registration.objects.get(
        section="C", system__number=s.number, visibility="public"
    ).number


def _section_c_page(r: Reader, s: Secure) -> bool:
    """A public section C use of the secure system: no link, no number, no name."""
    url = reverse("cooperation:database_detail", args=[_use_of(s)])
    return _shows(r.client.get(url, **r.headers), s)


def _section_c_api(r: Reader, s: Secure) -> bool:
    detail = r.client.get(f"{API}/registrations/{_use_of(s)}", **r.headers)
    listed = r.client.get(f"{API}/registrations", {"section": "C"}, **r.headers)
    return _shows(detail, s) or _shows(listed, s)


PAGE_PROBES: dict[str, Probe] = {
    "database_search": lambda r, s: _search_page(r, s) or _section_c_page(r, s),
    "database_json": _json_page,
    "database_csv": _get(lambda s: reverse("cooperation:database_csv")),
    "database_mine": _get(lambda s: reverse("cooperation:database_mine")),
    "database_register": _get(lambda s: reverse("cooperation:database_register", args=["A"])),
    "database_manage": _get(lambda s: reverse("cooperation:database_manage", args=[s.number])),
    "database_detail": lambda r, s: (
        _get(lambda s: reverse("cooperation:database_detail", args=[s.number]))(r, s)
        or _get(lambda s: reverse("cooperation:database_detail", args=[s.number.lower()]))(r, s)
    ),
    # the secure section takes no file (points 9 and 11 are not entered there); another
    # entry's file asked under the secure number is not found either
    "database_file": _get(
        lambda s: reverse("cooperation:database_file", args=[s.number, s.public_file])
    ),
    "database_admin": _get(lambda s: reverse("cooperation:database_admin")),
    "database_admin_detail": _get(
        lambda s: reverse("cooperation:database_admin_detail", args=[s.number])
    ),
}
API_PROBES: dict[tuple[str, str], Probe] = {
    ("GET", f"{API}/registrations"): _api_list,
    ("GET", f"{API}/registrations.csv"): _get(lambda s: f"{API}/registrations.csv"),
    ("GET", f"{API}/registrations/{{number}}"): lambda r, s: (
        _get(lambda s: f"{API}/registrations/{s.number}")(r, s) or _section_c_api(r, s)
    ),
    ("GET", f"{API}/mine"): _get(lambda s: f"{API}/mine"),
    # a registration that would refer to it as the provider's entry (section C point 3)
    ("POST", f"{API}/registrations"): lambda r, s: _post(
        lambda s: f"{API}/registrations",
        {"section": "C", "annex_iii_point": "6", "points": {"system": s.number}},
    )(r, s),
    # the status it already has: refused for the registrant, not found for everyone else
    ("POST", f"{API}/registrations/{{number}}/status"): _post(
        lambda s: f"{API}/registrations/{s.number}/status", {"status": "on_market"}
    ),
    ("POST", f"{API}/registrations/{{number}}/withdraw"): _post(
        lambda s: f"{API}/registrations/{s.number}/withdraw", {"note": ""}
    ),
}
# who sees the secure entry on each route: readers of the secure section and the registrant
# (pages read the session; the API reads a bearer token too)
READ = {"office", "art74_8", "registrant"}
READ_API = READ | {"art74_8_token"}
SEES: dict[str, set[str]] = {
    "database_search": READ,
    "database_json": READ,
    "database_csv": READ,
    "database_detail": READ,
    "database_mine": {"registrant"},
    "database_manage": {"registrant"},
    "database_register": set(),
    "database_file": set(),
    "database_admin": {"office"},
    "database_admin_detail": {"office"},
    f"GET {API}/registrations": READ_API,
    f"GET {API}/registrations.csv": READ_API,
    f"GET {API}/registrations/{{number}}": READ_API,
    f"GET {API}/mine": {"registrant"},
    f"POST {API}/registrations": set(),
    f"POST {API}/registrations/{{number}}/status": set(),
    f"POST {API}/registrations/{{number}}/withdraw": set(),
}


def test_every_route_of_the_database_has_a_probe() -> None:
    names = {pattern.name for pattern in urls_database.urlpatterns}
    assert names == set(PAGE_PROBES)
    assert api_routes(api, API) == set(API_PROBES)
    public = {path for _, path in api_routes(api, API) if path in PUBLIC_ROUTES}
    assert public == {
        f"{API}/registrations",
        f"{API}/registrations.csv",
        f"{API}/registrations/{{number}}",
    }


def _readers(world: World) -> dict[str, tuple[str, Reader]]:
    """Each reader with the group it belongs to (office, art74_8, registrant or other)."""
    readers: dict[str, tuple[str, Reader]] = {}
    for name in ALL_PRINCIPALS:
        group = "office" if name in OFFICE_ROLES else "other"
        readers[name] = (group, Reader(principal(name).client, {}))
    token = accounts.api_token_create(actor=world.art74_8, user=world.art74_8, name="t").secret
    readers.update(
        {
            "registrant": ("registrant", Reader(signed_in_client(world.provider), {})),
            "other provider": ("other", Reader(signed_in_client(world.other_provider), {})),
            "general authority": ("other", Reader(signed_in_client(world.authority), {})),
            "public body": ("other", Reader(signed_in_client(world.deployer), {})),
            "art74_8": ("art74_8", Reader(signed_in_client(world.art74_8), {})),
            "art74_8 token": (
                "art74_8_token",
                Reader(Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
            ),
        }
    )
    return readers


def test_the_secure_section_is_seen_only_by_the_commission_and_art_74_8(
    world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    provider = signed_in_client(world.provider)
    number = _register_through_the_page(
        provider,
        world.provider_org.pk,
        SECURE_POINTS,
        annex_iii_point="6",
        sensitive_context="on",
    )
    secure_entry = Registration.objects.get(number=number)
    assert secure_entry.visibility == "restricted"
    public = register_a(world)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aioffice.cooperation import services_database as services

    services.registration_update(
        actor=world.provider,
        registration=public,
        values=A_POINTS,
        files={"declaration_file": SimpleUploadedFile("d.pdf", b"%PDF-1.7 doc")},
    )
    # a public body's use of the secure system, by URL (it cannot see the entry), linked to
    # the entry as the Office's data would have it
    use = services.registration_create(
        actor=world.deployer,
        organisation=world.deployer_org,
        section="C",
        annex_iii_point="4",
        values={
            "registrant_name": "Stadt Testhausen",
            "registrant_contact": "it@testhausen.example",
            "submitter_name": "Kim Clerk",
            "fria_summary": "Weighed",
            "system": "https://example.org/entry",
        },
    )
    Registration.objects.filter(pk=use.pk).update(system=secure_entry, system_url="")
    secure = Secure(number, public.number, public.files.get().pk)

    failures: list[tuple[str, str, bool]] = []
    for name, (group, reader) in _readers(world).items():
        for route, probe in [
            *PAGE_PROBES.items(),
            *((f"{m} {p}", f) for (m, p), f in API_PROBES.items()),
        ]:
            shown = probe(reader, secure)
            if shown != (group in SEES[route]):
                failures.append((name, route, shown))
    assert not failures
    # nothing changed on the way
    secure_entry.refresh_from_db()
    assert secure_entry.state == "registered" and secure_entry.status == "on_market"
