"""Every route under /api/v1/code-of-practice/ for every principal (the role matrix of this
delegated prefix, see aioffice.core.testing.DELEGATED_API_PREFIXES)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, organisation, principal
from aioffice.registry.codeofpractice import services
from aioffice.registry.codeofpractice.models import Chapter

from .conftest import make_version, pdf, provider_of

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/code-of-practice/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _sample() -> dict[str, int]:
    """The provider the organisation-member principal works for: a version with systemic
    risk, a signature of the safety and security chapter, and one of copyright to withdraw."""
    provider = provider_of(organisation(OrganisationKind.GPAI_PROVIDER))
    version = make_version(provider)
    today = timezone.now().date()
    services.signature_add(
        actor=None, provider=provider, chapter=Chapter.SAFETY_AND_SECURITY, signed_on=today
    )
    copyright_ = services.signature_add(
        actor=None, provider=provider, chapter=Chapter.COPYRIGHT, signed_on=date(2025, 8, 1)
    )
    return {"provider": provider.pk, "version": version.pk, "signature": copyright_.pk}


Sample = tuple[str, Callable[[], dict[str, Any]] | None, bool]  # url, body, multipart


def _samples(ids: dict[str, int]) -> dict[tuple[str, str], Sample]:
    p, v, s = ids["provider"], ids["version"], ids["signature"]
    today = timezone.now().date().isoformat()
    return {
        ("GET", PREFIX + "signatories"): (PREFIX + "signatories?chapter=copyright", None, False),
        ("GET", PREFIX + "signatories.csv"): (PREFIX + "signatories.csv", None, False),
        ("POST", PREFIX + "signatures"): (
            PREFIX + "signatures",
            lambda: {"provider_id": p, "chapter": "transparency", "signed_on": today},
            False,
        ),
        ("POST", PREFIX + "signatures/{signature_id}/withdraw"): (
            f"{PREFIX}signatures/{s}/withdraw",
            lambda: {"withdrawn_on": today, "reasons": "The provider left the Code."},
            False,
        ),
        ("GET", PREFIX + "providers/{provider_id}/status"): (
            f"{PREFIX}providers/{p}/status",
            None,
            False,
        ),
        ("GET", PREFIX + "frameworks"): (PREFIX + "frameworks", None, False),
        ("GET", PREFIX + "frameworks.csv"): (PREFIX + "frameworks.csv", None, False),
        ("POST", PREFIX + "frameworks"): (
            PREFIX + "frameworks",
            lambda: {
                "provider_id": p,
                "framework_version": "1.0",
                "confirmed_on": today,
                "document": pdf(),
            },
            True,
        ),
        ("GET", PREFIX + "model-reports"): (PREFIX + "model-reports?late=false", None, False),
        ("GET", PREFIX + "model-reports.csv"): (PREFIX + "model-reports.csv", None, False),
        ("POST", PREFIX + "versions/{version_id}/model-reports"): (
            f"{PREFIX}versions/{v}/model-reports",
            lambda: {"kind": "full", "most_capable": "true", "document": pdf("report.pdf")},
            True,
        ),
        ("GET", PREFIX + "deadlines"): (PREFIX + "deadlines", None, False),
        ("GET", PREFIX + "deadlines.csv"): (PREFIX + "deadlines.csv", None, False),
    }


def _expected(name: str, method: str, path: str) -> int:
    """The access rules, written out."""
    if path in PUBLIC_ROUTES:
        return 200
    if name == ANONYMOUS:
        return 401
    staff = name in OFFICE_ROLES
    own = name == Role.ORGANISATION_MEMBER
    if path.endswith("/signatures"):
        return 201 if staff else 403
    if path.endswith("/withdraw"):
        return 200 if staff else 403
    if path.endswith("/status"):
        return 200 if staff or own else 404
    if method == "POST":  # Frameworks and Model Reports: the provider's own
        return 201 if own else 403 if staff else 404
    return 200


def test_every_route_has_a_sample_request() -> None:
    assert set(_samples({"provider": 1, "version": 1, "signature": 1})) == api_routes(api, PREFIX)


def test_the_public_routes_are_the_signatories() -> None:
    public = {path for _, path in api_routes(api, PREFIX) if path in PUBLIC_ROUTES}
    assert public == {PREFIX + "signatories", PREFIX + "signatories.csv"}


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    ids = _sample()
    who = principal(name)
    for (method, path), (url, body, multipart) in sorted(_samples(ids).items()):
        if method == "GET":
            response = who.client.get(url)
        elif multipart:
            response = who.client.post(url, body() if body else {})
        else:
            response = who.client.post(url, body() if body else {}, content_type="application/json")
        assert response.status_code == _expected(name, method, path), (
            name,
            method,
            path,
            response.content[:300],
        )
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}


@pytest.mark.parametrize(
    "url",
    [
        f"{PREFIX}providers/{2**64}/status",
        f"{PREFIX}providers/0/status",
    ],
)
def test_ids_outside_the_database_range_are_refused_not_a_server_error(url: str) -> None:
    who = principal(Role.TECHNICAL_OFFICER)
    response = who.client.get(url)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    withdraw = who.client.post(
        f"{PREFIX}signatures/{2**64}/withdraw",
        {"withdrawn_on": "2025-01-01", "reasons": "x"},
        content_type="application/json",
    )
    assert withdraw.status_code == 422


def test_a_withdrawal_by_someone_not_staff_is_refused_before_the_signature_is_looked_up() -> None:
    """No oracle: an existing and a missing signature give the same refusal."""
    who = principal(Role.ORGANISATION_MEMBER)
    answers = {
        who.client.post(
            f"{PREFIX}signatures/{pk}/withdraw",
            {"withdrawn_on": "2025-01-01", "reasons": "x"},
            content_type="application/json",
        ).status_code
        for pk in (1, 10**9)
    }
    assert answers == {403}


def test_nul_characters_are_a_422_naming_the_field_not_a_500() -> None:
    """PostgreSQL refuses NUL in text: the API names the field instead of failing."""
    from aioffice.registry.codeofpractice import services
    from aioffice.registry.codeofpractice.models import Chapter

    from .conftest import make_provider

    provider = make_provider("Nul AI")
    today = timezone.now().date()
    staff = principal(Role.POLICY_OFFICER).client
    added = staff.post(
        f"{PREFIX}signatures",
        {
            "provider_id": provider.pk,
            "chapter": "copyright",
            "signed_on": str(today),
            "notes": "a\x00",
        },
        content_type="application/json",
    )
    assert added.status_code == 422 and added.json()["errors"][0]["field"] == "notes"
    signature = services.signature_add(
        actor=None, provider=provider, chapter=Chapter.SAFETY_AND_SECURITY, signed_on=today
    )
    withdrawn = staff.post(
        f"{PREFIX}signatures/{signature.pk}/withdraw",
        {"withdrawn_on": str(today), "reasons": "r\x00"},
        content_type="application/json",
    )
    assert withdrawn.status_code == 422 and withdrawn.json()["errors"][0]["field"] == "reasons"
