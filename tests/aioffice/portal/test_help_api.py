"""The public API of the portal's help: published practices (search, filters, pages) and
shown support structures (by Member State and kind), for everyone, bad filters named
with 422, and both routes listed in PUBLIC_ROUTES."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, api_routes, principal

from .api_help_samples import HELP_SAMPLES
from .test_help_services import practice, structure

pytestmark = pytest.mark.django_db

PRACTICES = "/api/v1/portal/literacy-practices"
STRUCTURES = "/api/v1/portal/support-structures"


def test_the_help_routes_are_public_and_sampled() -> None:
    help_routes = {("GET", PRACTICES), ("GET", STRUCTURES)}
    assert help_routes <= api_routes(api, "/api/v1/portal/")
    assert {path for _, path in help_routes} <= PUBLIC_ROUTES
    assert {(method, path) for method, path, _, _ in HELP_SAMPLES} == help_routes


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_principal_gets_the_samples(name: str) -> None:
    client = principal(name).client
    for method, _path, url, status in HELP_SAMPLES:
        target = url() if callable(url) else url
        response = client.generic(method, target)
        assert response.status_code == status, (name, target, response.content)
        assert response.json()["count"] == 1


def test_only_published_practices_with_search_filters_and_pages() -> None:
    practice(title="Hospital prompts", sector="health", organisation_size="large")
    practice(title="Bakery basics", sector="retail", member_state="FR", language="fr")
    practice(title="Draft", published=False)
    client = Client()

    def titles(**query: Any) -> list[str]:
        response = client.get(PRACTICES, query)
        assert response.status_code == 200, response.content
        return [item["title"] for item in response.json()["items"]]

    assert titles() == ["Bakery basics", "Hospital prompts"]
    assert titles(q="HOSPITAL") == ["Hospital prompts"]
    assert titles(sector="retail") == ["Bakery basics"]
    assert titles(organisation_size="large") == ["Hospital prompts"]
    assert titles(member_state="FR", language="fr") == ["Bakery basics"]
    assert titles(page_size=1, page=2) == ["Hospital prompts"]
    item = client.get(PRACTICES, {"q": "bakery"}).json()["items"][0]
    assert set(item) == {
        "id",
        "title",
        "organisation",
        "sector",
        "organisation_size",
        "member_state",
        "language",
        "description",
        "audience",
        "url",
        "updated_at",
    }


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{PRACTICES}?sector=astrology", "sector"),
        (f"{PRACTICES}?organisation_size=huge", "organisation_size"),
        (f"{PRACTICES}?member_state=XX", "member_state"),
        (f"{PRACTICES}?language=tlh", "language"),
        (f"{PRACTICES}?page=0", "page"),
        (f"{PRACTICES}?q=%00", "q"),
        (f"{PRACTICES}?q=" + "x" * 201, "q"),
        (f"{STRUCTURES}?kind=castle", "kind"),
        (f"{STRUCTURES}?member_state=UK", "member_state"),
    ],
)
def test_a_bad_filter_is_a_422_naming_it(url: str, field: str) -> None:
    response = Client().get(url)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_support_structures_shown_by_member_state_and_kind() -> None:
    structure()
    structure(name="Hub (demo)", kind="edih", member_state="DE", email="")
    structure(name="Hidden (demo)", active=False)
    client = Client()
    names = [s["name"] for s in client.get(STRUCTURES).json()["items"]]
    assert names == ["Hub (demo)", "National AI regulatory sandbox (demo)"]
    german = client.get(STRUCTURES, {"member_state": "DE"}).json()["items"]
    assert [s["kind"] for s in german] == ["edih"]
    assert client.get(STRUCTURES, {"kind": "sandbox"}).json()["items"][0]["operational"] is True


@pytest.mark.parametrize("rows", [3, 40])
def test_the_query_counts_are_pinned(rows: int, django_assert_num_queries: Any) -> None:
    for n in range(rows):
        practice(title=f"Practice {n:02d}")
        structure(name=f"Structure {n:02d}")
    client = Client()
    with django_assert_num_queries(2):  # count, page
        assert client.get(PRACTICES, {"q": "practice"}).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(STRUCTURES).status_code == 200
