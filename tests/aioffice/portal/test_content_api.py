"""The portal's public API (/api/v1/portal/): every route for every principal (ALL_PRINCIPALS),
all public by design and listed in PUBLIC_ROUTES; the samples of the help routes come from
api_help_samples.HELP_SAMPLES (owned with those routes), and together they cover every route
under the prefix exactly, so a route added without a sample fails here. Then what the
content routes answer: search, filters, bad input as 422 naming the field, unpublished
content as 404, links and checksums of the files, pinned queries."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, api_routes, principal
from aioffice.portal.choices import GuidanceKind, Topic

from .api_help_samples import HELP_SAMPLES
from .test_content_services import (
    document,
    media_root,  # noqa: F401  (the autouse fixture: files under tmp_path)
    news,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/portal/"
P = "/api/v1/portal"

# (method, path template, URL or a callable making the data and returning the URL, status)
CONTENT_SAMPLES: list[tuple[str, str, str | Callable[[], str], int]] = [
    ("GET", P + "/guidance", P + "/guidance?q=guidelines&kind=guidelines&language=fr", 200),
    ("GET", P + "/guidance/{slug}", P + "/guidance/gpai-guidelines", 200),
    ("GET", P + "/guidance/{slug}/similar", P + "/guidance/gpai-guidelines/similar", 200),
    ("GET", P + "/news", P + "/news?topic=code_of_practice&language=en&page=1", 200),
]
SAMPLES = CONTENT_SAMPLES + list(HELP_SAMPLES)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """The public routes' rate limits count in the process-wide cache."""
    cache.clear()
    yield
    cache.clear()


def _world() -> None:
    document("gpai-guidelines", title="Guidelines on general-purpose AI models")
    document("gpai-template", title="Template for the summary of a model's training content")
    document("draft", published=False)
    news("code-published")


def test_every_route_has_a_sample_request() -> None:
    sampled = [(method, path) for method, path, _url, _status in SAMPLES]
    assert len(sampled) == len(set(sampled)), "one sample per route"
    missing = api_routes(api, PREFIX) - set(sampled)
    assert not missing, f"routes without a sample (add them to HELP_SAMPLES): {missing}"
    assert set(sampled) == api_routes(api, PREFIX)


def test_every_portal_route_is_public_by_design() -> None:
    routes = {path for _method, path in api_routes(api, PREFIX)}
    assert routes <= PUBLIC_ROUTES, routes - PUBLIC_ROUTES
    assert {f"{P}/guidance", f"{P}/guidance/{{slug}}", f"{P}/news"} <= routes


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    _world()
    who = principal(name)
    for method, path, url, status in SAMPLES:
        target = url() if callable(url) else url
        response = who.client.generic(method, target)
        assert response.status_code == status, (name, path, response.content[:300])
        body = response.json()
        if status >= 400:
            assert set(body) >= {"code", "message"}
        elif "items" in body:
            assert body["items"], (name, path, "the sample lists something")


def test_unknown_and_unpublished_documents_are_404() -> None:
    _world()
    client = Client()
    for slug in ("draft", "no-such-document", "x" * 300, "%00", "draft%0A", "a%20b"):
        response = client.get(f"{P}/guidance/{slug}")
        assert response.status_code == 404, slug
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=novel", "kind"),
        ("topic=weather", "topic"),
        ("language=xx", "language"),
        ("language=english", "language"),
        ("q=" + "x" * 201, "q"),
        ("q=%00", "q"),
        ("page=0", "page"),
        ("page=x", "page"),
    ],
)
def test_bad_input_is_422_naming_the_field(query: str, field: str) -> None:
    response = Client().get(f"{P}/guidance?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_news_bad_input_is_422_naming_the_field() -> None:
    for query, field in (("topic=x", "topic"), ("language=xx", "language")):
        response = Client().get(f"{P}/news?{query}")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field


def test_the_list_is_searched_filtered_and_paged(django_assert_num_queries: Any) -> None:
    document("gpai-guidelines", title="Guidelines on GPAI", kind=GuidanceKind.GUIDELINES)
    document(
        "template",
        title="Template for the training summary",
        kind=GuidanceKind.TEMPLATE,
        topic=Topic.GUIDANCE,
        languages=("en",),
    )
    document("draft", title="Draft guidelines", published=False)
    client = Client()

    def slugs(query: str) -> list[str]:
        return [d["slug"] for d in client.get(f"{P}/guidance?{query}").json()["items"]]

    assert slugs("") == ["gpai-guidelines", "template"]
    assert slugs("q=GUIDELINES") == ["gpai-guidelines"]
    assert slugs("q=training+TEMPLATE") == ["template"]
    assert slugs("kind=template") == ["template"]
    assert slugs("topic=gpai") == ["gpai-guidelines"]
    assert slugs("language=de") == ["gpai-guidelines"]
    with django_assert_num_queries(4):  # count, documents, versions, files
        body = client.get(f"{P}/guidance?page_size=1&page=2").json()
    assert body["count"] == 2
    assert [d["slug"] for d in body["items"]] == ["template"]
    first = slugs("q=gpai")
    assert first == ["gpai-guidelines"]


def test_a_document_has_its_versions_and_files_with_checksums() -> None:
    document("gpai-guidelines", versions=2, languages=("en", "fr"))
    body = Client().get(f"{P}/guidance/gpai-guidelines").json()
    assert body["current_version"] == "2.0"
    assert body["languages"] == ["en", "fr"]
    assert body["url"] == "http://testserver/guidance/gpai-guidelines/"
    assert [v["number"] for v in body["versions"]] == ["2.0", "1.0"]
    assert body["versions"][0]["change_note"] == "Change 2."
    files = {f["language"]: f for f in body["versions"][0]["files"]}
    assert files["fr"]["language_name"] == "français"
    assert files["fr"]["url"] == "http://testserver/guidance/gpai-guidelines/2.0/fr/"
    expected = pdf_bytes("gpai-guidelines 2 fr")
    assert files["fr"]["sha256"] == hashlib.sha256(expected).hexdigest()
    assert files["fr"]["size"] == len(expected)
    download = Client().get(files["fr"]["url"].removeprefix("http://testserver"))
    assert b"".join(download.streaming_content) == expected


def test_news_lists_only_what_is_published(django_assert_num_queries: Any) -> None:
    news("old", published_at=timezone.now() - timedelta(days=2))
    news("new", language="fr", title="Nouveau", topic=Topic.GPAI)
    news("draft", published_at=None)
    news("future", published_at=timezone.now() + timedelta(hours=1))
    client = Client()
    with django_assert_num_queries(2):
        body = client.get(f"{P}/news").json()
    assert [n["slug"] for n in body["items"]] == ["new", "old"]
    assert body["items"][0]["url"] == "http://testserver/news/new/"
    assert [n["slug"] for n in client.get(f"{P}/news?language=fr").json()["items"]] == ["new"]
    assert [n["slug"] for n in client.get(f"{P}/news?topic=gpai").json()["items"]] == ["new"]
