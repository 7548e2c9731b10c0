"""The public register page keeps its results (table and pagination) in the cache per page
and language under the audit chain's head (bench/portal.py measures it): a cached page costs
one query, an uncached one a pinned number whatever the list's length, a state change shows
at once, and what is cached is what an uncached page shows, never a visitor's token."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from aioffice.registry import services, views
from aioffice.registry.models import ModelVersion, Provider

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 25)
URL = "/registers/systemic-risk-models/"
PAGE_SIZE = 4  # the view's 50, made small so that a few versions make several pages


@pytest.fixture
def register(
    provider_factory: Callable[..., Provider],
    version_factory: Callable[..., ModelVersion],
    monkeypatch: pytest.MonkeyPatch,
) -> list[ModelVersion]:
    """Ten listed versions (three pages of four) and two below the threshold."""
    monkeypatch.setattr(views, "PUBLIC_PAGE_SIZE", PAGE_SIZE)
    provider = provider_factory("Frontier Inc")
    listed = [
        version_factory(
            provider,
            model_name=f"Model {m:02d}",
            label="1",
            parameters=400_000_000_000 + m,
            public_fields=["parameters"],
        )
        for m in range(10)
    ]
    for m in range(2):
        version_factory(provider, model_name=f"Small {m}", training_compute_flop=2e23)
    services.versions_reassess(actor=None, as_of=DAY)
    return listed


def _results(html: str) -> str:
    """The cached part of a page: from the results' opening tag to the end of <main>."""
    start = html.index('<div id="register-results">')
    return html[start : html.index("</main>", start)]


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_a_cached_page_costs_one_query_and_an_uncached_one_three(
    register: list[ModelVersion], django_assert_num_queries: Any
) -> None:
    cache.clear()
    # The audit head, the order (sorted on the first read only), the page's rows.
    with django_assert_num_queries(3):
        first = Client().get(URL)
    assert first.status_code == 200
    # Cached: the audit head only.
    with django_assert_num_queries(1):
        again = Client().get(URL)
    assert _results(again.content.decode()) == _results(first.content.decode())
    # Another page, another language: the head and that page's rows (the order is cached).
    with django_assert_num_queries(2):
        assert Client().get(f"{URL}?page=2").status_code == 200
    with django_assert_num_queries(2):
        assert Client().get(f"/fr{URL}").status_code == 200
    with django_assert_num_queries(1):
        fragment = Client().get(URL, HTTP_HX_REQUEST="true")
    assert fragment.content.decode().strip() == _results(first.content.decode()).strip()
    assert "HX-Request" in fragment["Vary"]


def test_the_cache_key_is_the_page_the_paginator_shows(
    register: list[ModelVersion], django_assert_num_queries: Any
) -> None:
    cache.clear()
    first = _results(Client().get(URL).content.decode())
    last = _results(Client().get(f"{URL}?page=3").content.decode())
    assert "Model 00" in first and "Model 08" in last and "Model 09" in last
    # Junk is the first page and beyond the end the last, served from the same entries:
    # a visitor cannot fill the cache with pages of their own naming.
    for junk in ("abc", "1.0", "", "%00"):
        with django_assert_num_queries(1):
            html = Client().get(f"{URL}?page={junk}").content.decode()
        assert _results(html) == first
    for beyond in ("4", "99999", "0", "-1"):
        with django_assert_num_queries(1):
            html = Client().get(f"{URL}?page={beyond}").content.decode()
        assert _results(html) == last


def test_each_language_has_its_own_results(register: list[ModelVersion]) -> None:
    english = Client().get(URL).content.decode()
    french = Client().get(f"/fr{URL}").content.decode()
    german = Client().get(f"/de{URL}").content.decode()
    assert "Presumed (Art. 51(2))" in english and "10 model versions" in english
    assert "Présumé (Art. 51(2))" in french and "Presumed" not in french
    assert "Vermutet (Art. 51(2))" in german and "Presumed" not in german
    assert Client().get(URL).content.decode().count("Présumé") == 0


def test_the_page_around_the_results_is_not_cached(register: list[ModelVersion]) -> None:
    one, two = Client().get(URL), Client().get(URL)
    assert _results(one.content.decode()) == _results(two.content.decode())
    assert _token(one.content.decode()) != _token(two.content.decode())
    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value


def test_a_state_change_shows_at_once(
    register: list[ModelVersion],
    provider_factory: Callable[..., Provider],
    version_factory: Callable[..., ModelVersion],
) -> None:
    client = Client()
    pages = [client.get(f"{URL}?page={n}").content.decode() for n in (1, 2, 3)]
    french = client.get(f"/fr{URL}").content.decode()
    assert "10 model versions" in pages[0] and "Model 00" in pages[0]

    # A version leaves the list: every page, in every language, shows it on the next read.
    gone = register[0]
    services.version_update(actor=None, version=gone, training_compute_flop=1e24)
    services.version_assess(actor=None, version=gone)
    after = client.get(URL).content.decode()
    assert "9 model versions" in after and "Model 00" not in after
    assert "Model 01" in after and "Model 04" in after  # the next ones moved up
    assert client.get(f"/fr{URL}").content.decode() != french
    assert "Model 09" in client.get(f"{URL}?page=3").content.decode()

    # A new version is listed: it shows at once, in its place in the order.
    newcomer = version_factory(
        provider_factory("Aardvark AI"), model_name="Zebra", label="1", public_fields=[]
    )
    services.version_assess(actor=None, version=newcomer)
    now = client.get(URL).content.decode()
    assert "10 model versions" in now and "Aardvark AI" in now and "Zebra" in now


def test_a_public_field_change_shows_at_once(register: list[ModelVersion]) -> None:
    client = Client()
    assert "400000000000" in client.get(URL).content.decode()
    services.version_update(actor=None, version=register[0], parameters=123_456_789_012)
    html = client.get(URL).content.decode()
    assert "123456789012" in html and "400000000000" not in html
