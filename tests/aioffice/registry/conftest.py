"""Registry fixtures: providers inside and outside the Union, models and versions.

Everything is made through the services, on the real database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind
from aioffice.registry import services
from aioffice.registry.models import GPAIModel, ModelVersion, Provider


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded documents go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_provider(name: str, *, in_union: bool = True, country: str = "FR") -> Provider:
    org = accounts.organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.GPAI_PROVIDER,
        country=country if in_union else "US",
        established_in_union=in_union,
    )
    return services.provider_register(actor=None, organisation=org)


def make_version(
    provider: Provider, model_name: str = "Model", label: str = "1.0", **facts: Any
) -> ModelVersion:
    model = GPAIModel.objects.filter(provider=provider, name=model_name).first()
    if model is None:
        model = services.model_create(
            actor=None, provider=provider, name=model_name, public_description="A model."
        )
    defaults: dict[str, Any] = {
        "placed_on_market": "2025-09-01",
        "generates": ["text"],
        "compute_method": "reported",
        "training_compute_flop": 3.8e25,
    }
    return services.version_create(actor=None, model=model, label=label, **{**defaults, **facts})


@pytest.fixture
def provider_factory(db: None) -> Callable[..., Provider]:
    return make_provider


@pytest.fixture
def version_factory(db: None) -> Callable[..., ModelVersion]:
    return make_version
