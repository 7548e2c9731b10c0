"""The monitoring API: every route for every principal. Staff (after their second factor)
see every version; the organisation member works for the sample's provider and sees it;
everyone else signed in sees an empty list and a 404 for the version."""

from __future__ import annotations

from typing import Any

import pytest

from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.api import api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, organisation, principal
from aioffice.registry import services

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/monitoring/"


def _sample() -> int:
    """An assessed version of the provider the organisation-member principal works for."""
    provider = services.provider_register(
        actor=None, organisation=organisation(OrganisationKind.GPAI_PROVIDER)
    )
    model = services.model_create(actor=None, provider=provider, name="Sample")
    version = services.version_create(
        actor=None,
        model=model,
        label="1",
        placed_on_market="2025-09-01",
        generates=["text"],
        compute_method="reported",
        training_compute_flop=3.8e25,
    )
    services.version_assess(actor=None, version=version)
    return version.pk


def _samples(version_id: int) -> dict[tuple[str, str], str]:
    return {
        ("GET", f"{PREFIX}versions/{{version_id}}"): f"{PREFIX}versions/{version_id}",
        ("GET", f"{PREFIX}gaps"): f"{PREFIX}gaps",
        ("GET", f"{PREFIX}gaps.csv"): f"{PREFIX}gaps.csv",
    }


def _expected(name: str, path: str) -> int:
    if name == ANONYMOUS:
        return 401
    sees_sample = name in OFFICE_ROLES or name == Role.ORGANISATION_MEMBER
    if path.endswith("{version_id}"):
        return 200 if sees_sample else 404
    return 200


def test_every_route_has_a_sample_request() -> None:
    assert set(_samples(1)) == api_routes(api, PREFIX)


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(name: str) -> None:
    who = principal(name)
    version_id = _sample()
    sees_sample = name in OFFICE_ROLES or name == Role.ORGANISATION_MEMBER
    for (_method, path), url in sorted(_samples(version_id).items()):
        response = who.client.get(url)
        assert response.status_code == _expected(name, path), (name, path, response.content)
        if response.status_code >= 400:
            assert set(response.json()) >= {"code", "message"}
            continue
        if path.endswith(".csv"):
            assert response["Content-Type"].startswith("text/csv")
            body: Any = b"".join(response.streaming_content).decode()
            assert (str(version_id) in body) == sees_sample
        elif path.endswith("gaps"):
            assert response.json()["count"] == (1 if sees_sample else 0)
        else:
            assert response.json()["version_id"] == version_id
