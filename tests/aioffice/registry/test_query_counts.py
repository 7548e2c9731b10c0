"""The list endpoints the registry bench measures (bench/registry.py) read a pinned number
of queries whatever the number of rows, and the version list shows only what it should."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import services
from aioffice.registry.models import ModelVersion, Provider

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 25)


@pytest.fixture
def catalogue(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> dict[str, Any]:
    """Three providers, four models each, two versions a model, half above the threshold."""
    providers = [provider_factory(f"Provider {p}") for p in range(3)]
    for provider in providers:
        for m in range(4):
            version_factory(
                provider, model_name=f"Model {m}", label="1", training_compute_flop=9e24
            )
            version_factory(provider, model_name=f"Model {m}", label="2")  # 3.8e25
    services.versions_reassess(actor=None, as_of=DAY)
    member = make_user(Role.ORGANISATION_MEMBER, "mona")
    accounts.membership_add(
        actor=None,
        user=member,
        organisation=providers[0].organisation,
        role=Role.ORGANISATION_MEMBER,
    )
    return {
        "providers": providers,
        "staff": signed_in_client(make_user(Role.HEAD_OF_UNIT, "hugo")),
        "member": signed_in_client(member),
    }


def test_the_version_list_is_filtered_paginated_and_pinned(
    catalogue: dict[str, Any], django_assert_num_queries: Any
) -> None:
    staff: Client = catalogue["staff"]
    assert staff.get("/api/v1/registry/versions").json()["count"] == 24
    # session, user, OTP device, roles, the audit head, count, page: whatever the page size.
    with django_assert_num_queries(7):
        body = staff.get(
            "/api/v1/registry/versions?systemic_risk_status=presumed&page=2&page_size=5"
        )
    # Staff's count is then kept under the audit head until the next change.
    with django_assert_num_queries(6):
        again = staff.get(
            "/api/v1/registry/versions?systemic_risk_status=presumed&page=1&page_size=5"
        )
    assert again.json()["count"] == 12
    assert body.status_code == 200
    assert body.json()["count"] == 12
    items = body.json()["items"]
    assert len(items) == 5
    assert {item["systemic_risk_status"] for item in items} == {"presumed"}
    assert [item["id"] for item in items] == sorted((item["id"] for item in items), reverse=True)
    assert set(items[0]) == {
        "id",
        "label",
        "model_id",
        "model",
        "provider_id",
        "provider",
        "placed_on_market",
        "training_compute_flop",
        "compute_method",
        "systemic_risk_status",
        "assessed_at",
    }
    first = catalogue["providers"][0]
    mine = staff.get(f"/api/v1/registry/versions?provider={first.pk}").json()
    assert mine["count"] == 8
    assert {item["provider"] for item in mine["items"]} == {"Provider 0"}
    model_id = mine["items"][0]["model_id"]
    assert staff.get(f"/api/v1/registry/versions?model={model_id}").json()["count"] == 2


def test_a_provider_sees_only_its_own_versions_in_pinned_queries(
    catalogue: dict[str, Any], django_assert_num_queries: Any
) -> None:
    member: Client = catalogue["member"]
    # session, user, roles, count, page (the member's providers are a subquery).
    with django_assert_num_queries(5):
        body = member.get("/api/v1/registry/versions?page_size=50").json()
    assert body["count"] == 8
    assert {item["provider"] for item in body["items"]} == {"Provider 0"}
    other = catalogue["providers"][1]
    assert member.get(f"/api/v1/registry/versions?provider={other.pk}").json()["count"] == 0


def test_bad_filters_name_the_field(catalogue: dict[str, Any]) -> None:
    staff: Client = catalogue["staff"]
    for query, field in [
        ("systemic_risk_status=lost", "systemic_risk_status"),
        ("provider=0", "provider"),
        ("page=0", "page"),
    ]:
        response = staff.get(f"/api/v1/registry/versions?{query}")
        assert response.status_code == 422, query
        assert response.json()["errors"][0]["field"] == field
    assert Client().get("/api/v1/registry/versions").status_code == 401


def test_a_model_detail_and_the_public_lists_are_pinned(
    catalogue: dict[str, Any], django_assert_num_queries: Any
) -> None:
    staff: Client = catalogue["staff"]
    model_id = staff.get("/api/v1/registry/versions").json()["items"][0]["model_id"]
    # session, user, OTP device, roles, the model, its versions with their status.
    with django_assert_num_queries(6):
        detail = staff.get(f"/api/v1/registry/models/{model_id}")
    assert [v["label"] for v in detail.json()["versions"]] == ["1", "2"]
    # The audit head, the order (sorted on the first read only, then cached), the page.
    with django_assert_num_queries(3):
        assert Client().get("/api/v1/registry/systemic-risk-models").json()["count"] == 12
    with django_assert_num_queries(2):
        assert Client().get("/api/v1/registry/systemic-risk-models").json()["count"] == 12
    with django_assert_num_queries(2):
        page = Client().get("/registers/systemic-risk-models/")
    assert page.status_code == 200


def test_a_cached_count_and_order_follow_the_next_change(catalogue: dict[str, Any]) -> None:
    staff: Client = catalogue["staff"]
    url = "/api/v1/registry/versions?systemic_risk_status=presumed"
    before = staff.get(url).json()["count"]
    public = Client().get("/api/v1/registry/systemic-risk-models").json()["count"]
    version = ModelVersion.objects.filter(systemic_risk_status="presumed").first()
    assert version is not None
    services.version_update(actor=None, version=version, training_compute_flop=1e24)
    services.version_assess(actor=None, version=version)
    assert staff.get(url).json()["count"] == before - 1
    assert Client().get("/api/v1/registry/systemic-risk-models").json()["count"] == public - 1
