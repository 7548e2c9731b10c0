"""The public list of GPAI models with systemic risk (Art. 52(6)): HTML, JSON, CSV and the
API show the listed versions with their names, status and only the fields marked public."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from aioffice.registry import services
from aioffice.registry.models import ModelVersion, Provider

pytestmark = pytest.mark.django_db

SECRET_TOKENS = 14_700_000_000_000  # confidential: never on the list
PUBLIC_PARAMETERS = 405_000_000_000


@pytest.fixture
def listed(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> dict[str, ModelVersion]:
    provider = provider_factory("Frontier Inc", in_union=False)
    big = version_factory(
        provider,
        model_name="Giant",
        label="3.1",
        training_compute_flop=3.8e25,
        parameters=PUBLIC_PARAMETERS,
        training_tokens=SECRET_TOKENS,
        distribution_channels=["api", "weights_download"],
        public_fields=["parameters", "distribution_channels"],
    )
    hidden = version_factory(
        provider, model_name="Giant", label="3.2-secret", training_compute_flop=5.5e25
    )
    small = version_factory(provider, model_name="Pocket", training_compute_flop=2e23)
    unassessed = version_factory(provider, model_name="Fresh", training_compute_flop=9e25)
    for version in (big, hidden, small):
        services.version_assess(actor=None, version=version)
    return {"big": big, "hidden": hidden, "small": small, "unassessed": unassessed}


def _assert_only_public(text: str) -> None:
    assert str(SECRET_TOKENS) not in text
    assert "1.47e" not in text.lower()
    assert "3.8e" not in text.lower() and "5.5e" not in text.lower()
    assert "Pocket" not in text and "Fresh" not in text


def test_the_page_lists_versions_with_systemic_risk_for_anyone(listed: Any) -> None:
    response = Client().get("/registers/systemic-risk-models/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<table class="ecl-table' in html and '<th class="ecl-table__header" scope="col">' in html
    )
    assert "General-purpose AI models with systemic risk" in html
    assert html.count('data-status="presumed"') == 2
    assert "Giant" in html and "Frontier Inc" in html and "3.2-secret" in html
    assert str(PUBLIC_PARAMETERS) in html and "weights_download" in html
    _assert_only_public(html)


def test_the_page_is_translatable_and_paginated(listed: Any) -> None:
    assert Client().get("/fr/registers/systemic-risk-models/").status_code == 200
    assert Client().get("/registers/systemic-risk-models/?page=999").status_code == 200
    fragment = Client().get("/registers/systemic-risk-models/", HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"Giant" in fragment.content


def test_the_json_shows_only_public_fields(listed: Any) -> None:
    response = Client().get("/registers/systemic-risk-models.json")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["model"], first["version"], first["provider"]) == ("Giant", "3.1", "Frontier Inc")
    assert first["systemic_risk_status"] == "presumed"
    assert first["fields"] == {
        "parameters": PUBLIC_PARAMETERS,
        "distribution_channels": ["api", "weights_download"],
    }
    assert body["items"][1]["fields"] == {}
    _assert_only_public(response.content.decode())


def test_the_csv_leaves_fields_not_public_empty(listed: Any) -> None:
    response = Client().get("/registers/systemic-risk-models.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["model"], r["version"]) for r in rows] == [("Giant", "3.1"), ("Giant", "3.2-secret")]
    assert rows[0]["parameters"] == str(PUBLIC_PARAMETERS)
    assert rows[0]["distribution_channels"] == "api, weights_download"
    assert rows[0]["training_tokens"] == "" and rows[0]["training_compute_flop"] == ""
    assert all(value == "" for key, value in rows[1].items() if key not in {
        "model", "provider", "version", "systemic_risk_status"
    })  # fmt: skip
    _assert_only_public(response.content.decode())


def test_the_api_route_is_public_and_paginated(listed: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(3):  # the audit head, the order (sorted once), the page
        body = Client().get("/api/v1/registry/systemic-risk-models?page_size=1").json()
    assert body["count"] == 2
    with django_assert_num_queries(2):  # the audit head, the page (the order from the cache)
        again = Client().get("/api/v1/registry/systemic-risk-models?page_size=1").json()
    assert again == body
    assert [item["version"] for item in body["items"]] == ["3.1"]
    assert body["items"][0]["fields"]["parameters"] == PUBLIC_PARAMETERS
    _assert_only_public(str(body))


def test_a_version_leaves_the_list_when_its_current_assessment_finds_no_systemic_risk(
    listed: Any,
) -> None:
    hidden = listed["hidden"]
    services.version_update(actor=None, version=hidden, training_compute_flop=5e24)
    services.version_assess(actor=None, version=hidden)
    body = Client().get("/registers/systemic-risk-models.json").json()
    assert [item["version"] for item in body["items"]] == ["3.1"]
