"""What the EU database keeps in the cache for the public (views_database._whole_page_key,
api_database._kept_for_the_public): whole pages and API answers for visitors without a
session, each visitor's own CSRF token written in, never crossing scopes (the secure section
stays out of what the public gets, whoever asked first), never stale after a write, the
words of a search escaped, the API's throttle applied to kept answers too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from ninja.throttling import AnonRateThrottle

from aioffice.cooperation import services_database as services
from aioffice.cooperation.views_database import CSRF_PLACEHOLDER, WORDS_PLACEHOLDER
from aioffice.core.testing import signed_in_client

from .test_database_services import World, build_world, register_a, register_secure

pytestmark = pytest.mark.django_db

API = "/api/v1/cooperation/database/registrations"


@pytest.fixture
def world() -> World:
    return build_world()


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_a_kept_page_is_served_with_each_visitors_own_token(world: World) -> None:
    entry = register_a(world)
    search = reverse("cooperation:database_search")
    detail = reverse("cooperation:database_detail", args=[entry.number])
    for url in (search, detail):
        first, second = Client(), Client()
        one = first.get(url)
        two = second.get(url)  # from the cache
        assert one.status_code == two.status_code == 200
        for response, client in ((one, first), (two, second)):
            html = response.content.decode()
            assert entry.number in html
            assert CSRF_PLACEHOLDER not in html
            assert WORDS_PLACEHOLDER not in html
            assert client.cookies["csrftoken"].value
        assert _token(one.content.decode()) != _token(two.content.decode())


def test_a_kept_page_follows_every_write(world: World) -> None:
    entry = register_a(world)
    search = reverse("cooperation:database_search")
    detail = reverse("cooperation:database_detail", args=[entry.number])
    assert entry.number in Client().get(search).content.decode()
    assert Client().get(detail).status_code == 200
    assert Client().get(API).json()["count"] == 1
    services.registration_status_change(
        actor=world.provider, registration=entry, status="recalled", note="recalled (test)"
    )
    assert "Recalled" in Client().get(detail).content.decode()
    entry.refresh_from_db()
    services.registration_withdraw(actor=world.provider, registration=entry, note="in error")
    assert entry.number not in Client().get(search).content.decode()
    assert Client().get(detail).status_code == 404
    assert Client().get(API).json()["count"] == 0
    assert Client().get(reverse("cooperation:database_json")).json()["count"] == 0
    added = register_a(world)
    assert added.number in Client().get(search).content.decode()


@pytest.mark.parametrize("public_first", [True, False])
def test_kept_answers_never_cross_scopes(world: World, public_first: bool) -> None:
    public = register_a(world)
    secure = register_secure(world)
    authority = signed_in_client(world.art74_8)
    urls = [
        reverse("cooperation:database_search"),
        reverse("cooperation:database_json"),
        API,
        f"{API}?annex_iii_point=6",
    ]
    detail = reverse("cooperation:database_detail", args=[secure.number])
    for _ in range(2):  # the second round from the cache
        for url in urls:
            if public_first:
                anonymous = Client().get(url).content.decode()
                seen = authority.get(url).content.decode()
            else:
                seen = authority.get(url).content.decode()
                anonymous = Client().get(url).content.decode()
            assert secure.number in seen, url
            assert secure.number not in anonymous, url
            if "annex_iii_point" not in url:
                assert public.number in anonymous, url
        if public_first:
            assert Client().get(detail).status_code == 404
            assert authority.get(detail).status_code == 200
        else:
            assert authority.get(detail).status_code == 200
            assert Client().get(detail).status_code == 404


def test_the_words_of_a_search_are_escaped_in_a_kept_form(world: World) -> None:
    register_a(world)
    search = reverse("cooperation:database_search")
    first = Client().get(search, {"q": '<b>"x"</b>', "section": "A"}).content.decode()
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in first
    assert "<b>" not in first
    other = Client().get(search, {"q": "hire", "section": "A"}).content.decode()
    assert 'value="hire"' in other
    assert "&lt;b&gt;" not in other


def test_a_kept_api_answer_passes_the_throttle(world: World, monkeypatch: Any) -> None:
    register_a(world)
    assert Client().get(API).status_code == 200  # kept
    assert Client().get(API).status_code == 200  # from the cache
    monkeypatch.setattr(AnonRateThrottle, "allow_request", lambda self, request: False)
    monkeypatch.setattr(AnonRateThrottle, "wait", lambda self: 60.0)
    assert Client().get(API).status_code == 429


def test_a_session_is_never_served_a_kept_page(world: World) -> None:
    entry = register_a(world)
    search = reverse("cooperation:database_search")
    Client().get(search)  # kept for the public
    provider = signed_in_client(world.provider)
    html = provider.get(search).content.decode()
    assert entry.number in html
    assert world.provider.get_username() in html  # their own page around the results
