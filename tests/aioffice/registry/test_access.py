"""Who sees which registry records: staff all, a provider (or its current representative)
its own, nobody else anything but the public list — per route, on the real database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import services
from aioffice.registry.models import Assessment, ModelVersion, Provider

pytestmark = pytest.mark.django_db


def _member_of(provider: Provider, username: str) -> Client:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return signed_in_client(user)


@pytest.fixture
def world(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> dict[str, Any]:
    alpha = provider_factory("Alpha AI")
    beta = provider_factory("Beta Labs", in_union=False)
    alpha_version = version_factory(alpha, model_name="Alpha-1")
    beta_version = version_factory(beta, model_name="Beta-1")
    for version in (alpha_version, beta_version):
        services.version_assess(actor=None, version=version)
    return {
        "alpha": alpha,
        "beta": beta,
        "alpha_version": alpha_version,
        "beta_version": beta_version,
        "alice": _member_of(alpha, "alice"),
    }


def _routes(version: ModelVersion) -> list[tuple[str, str]]:
    return [
        ("GET", f"/api/v1/registry/models/{version.model_id}"),
        ("GET", f"/api/v1/registry/versions/{version.pk}"),
        ("POST", f"/api/v1/registry/versions/{version.pk}/assess"),
    ]


def test_a_provider_cannot_reach_another_providers_records_by_any_route(
    world: dict[str, Any],
) -> None:
    alice: Client = world["alice"]
    for method, url in _routes(world["beta_version"]):
        response = alice.generic(method, url)
        assert response.status_code == 404, (method, url)
        assert response.json() == {"code": "not_found", "message": "Not found."}
    listed = alice.get("/api/v1/registry/models").json()
    assert [m["name"] for m in listed["items"]] == ["Alpha-1"]
    by_filter = alice.get(f"/api/v1/registry/models?provider={world['beta'].pk}").json()
    assert by_filter == {"items": [], "count": 0}
    assert Assessment.objects.filter(version=world["beta_version"]).count() == 1


def test_a_provider_sees_its_own_records_but_does_not_assess_them(world: dict[str, Any]) -> None:
    alice: Client = world["alice"]
    version = world["alpha_version"]
    model = alice.get(f"/api/v1/registry/models/{version.model_id}").json()
    assert model["provider"]["name"] == "Alpha AI"
    assert [v["systemic_risk_status"] for v in model["versions"]] == ["presumed"]
    detail = alice.get(f"/api/v1/registry/versions/{version.pk}").json()
    assert detail["current_assessment"]["systemic_risk_status"] == "presumed"
    assert detail["current_assessment"]["result"]["rules_version"]
    refused = alice.post(f"/api/v1/registry/versions/{version.pk}/assess")
    assert refused.status_code == 403


def test_staff_see_everything_and_assess(world: dict[str, Any]) -> None:
    staff = signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess"))
    assert staff.get("/api/v1/registry/models").json()["count"] == 2
    for method, url in _routes(world["beta_version"]):
        assert staff.generic(method, url).status_code in {200, 201}, (method, url)
    assert world["beta_version"].assessments.count() == 2


def test_staff_without_their_second_factor_see_nothing(world: dict[str, Any]) -> None:
    staff = signed_in_client(make_user(Role.LEGAL_OFFICER, "leo"), second_factor=False)
    assert staff.get("/api/v1/registry/models").status_code == 401


def test_people_of_other_organisations_see_nothing(world: dict[str, Any]) -> None:
    for role in (None, Role.NATIONAL_AUTHORITY_MEMBER, Role.SCIENTIFIC_PANEL_MEMBER):
        client = signed_in_client(make_user(role, f"user-{role}"))
        assert client.get("/api/v1/registry/models").json()["count"] == 0
        for method, url in _routes(world["alpha_version"]):
            assert client.generic(method, url).status_code == 404, (role, method, url)
    anonymous = Client()
    for method, url in [("GET", "/api/v1/registry/models"), *_routes(world["alpha_version"])]:
        assert anonymous.generic(method, url).status_code == 401


def test_a_representative_sees_its_provider_while_its_mandate_runs(world: dict[str, Any]) -> None:
    rep_org = accounts.organisation_create(
        actor=None,
        name="EU Rep SARL",
        kind=OrganisationKind.AUTHORISED_REPRESENTATIVE,
        country="IE",
        established_in_union=True,
    )
    rep_user = make_user(None, "rita")
    accounts.membership_add(
        actor=None, user=rep_user, organisation=rep_org, role=Role.ORGANISATION_MEMBER
    )
    rita = signed_in_client(rep_user)
    beta_version = world["beta_version"]
    url = f"/api/v1/registry/versions/{beta_version.pk}"
    assert rita.get(url).status_code == 404
    mandate = services.representative_appoint(
        actor=None,
        provider=world["beta"],
        representative=rep_org,
        document=ContentFile(b"mandate", name="mandate.pdf"),
        union_country="IE",
        tasks=["art54_3_a"],
        start=timezone.now().date() - timedelta(days=1),
    )
    assert rita.get(url).status_code == 200
    assert [m["name"] for m in rita.get("/api/v1/registry/models").json()["items"]] == ["Beta-1"]
    services.representative_terminate(actor=None, mandate=mandate, reasons="Breach of Art. 53.")
    assert rita.get(url).status_code == 404


def test_bad_filters_and_pages_name_the_field(world: dict[str, Any]) -> None:
    alice: Client = world["alice"]
    for query, field in [
        ("systemic_risk_status=doomed", "systemic_risk_status"),
        ("provider=abc", "provider"),
        ("page=0", "page"),
        ("page=99999999999999999999", "page"),
    ]:
        response = alice.get(f"/api/v1/registry/models?{query}")
        assert response.status_code == 422, query
        assert response.json()["errors"][0]["field"] == field


def test_the_list_filters_by_systemic_risk_status(
    world: dict[str, Any], version_factory: Callable[..., ModelVersion]
) -> None:
    small = version_factory(world["alpha"], model_name="Alpha-mini", training_compute_flop=1e24)
    services.version_assess(actor=None, version=small)
    staff = signed_in_client(make_user(Role.POLICY_OFFICER, "paula"))
    presumed = staff.get("/api/v1/registry/models?systemic_risk_status=presumed").json()
    assert [m["name"] for m in presumed["items"]] == ["Alpha-1", "Beta-1"]
    not_sr = staff.get("/api/v1/registry/models?systemic_risk_status=not_sr").json()
    assert [m["name"] for m in not_sr["items"]] == ["Alpha-mini"]
    mine = staff.get(f"/api/v1/registry/models?provider={world['alpha'].pk}").json()
    assert [m["name"] for m in mine["items"]] == ["Alpha-1", "Alpha-mini"]


def test_the_model_list_has_a_pinned_number_of_queries(
    provider_factory: Callable[..., Provider],
    version_factory: Callable[..., ModelVersion],
    django_assert_num_queries: Any,
) -> None:
    for p in range(4):
        provider = provider_factory(f"Provider {p}")
        for m in range(5):
            version_factory(provider, model_name=f"Model {p}-{m}")
    staff = signed_in_client(make_user(Role.HEAD_OF_UNIT, "hugo"))
    assert staff.get("/api/v1/registry/models?page_size=15").json()["count"] == 20
    # session, user, OTP device, roles, count, page: whatever the page size.
    with django_assert_num_queries(6):
        staff.get("/api/v1/registry/models?page_size=50&systemic_risk_status=presumed")
    member = _member_of(Provider.objects.get(organisation__name="Provider 0"), "mona")
    # session, user, roles, count, page (the member's providers are a subquery).
    with django_assert_num_queries(5):
        assert member.get("/api/v1/registry/models").json()["count"] == 5
    with django_assert_num_queries(2):  # count, page: the public list needs no session
        assert Client().get("/api/v1/registry/systemic-risk-models").json()["count"] == 0
