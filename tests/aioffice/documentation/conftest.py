"""Documentation fixtures: providers, assessed versions, downstream providers, files.

Everything is made through the services, on the real database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation, User
from aioffice.core.testing import make_user
from aioffice.registry import services as registry
from aioffice.registry.models import GPAIModel, ModelVersion, Provider


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded documents go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def provider_of(organisation: Organisation) -> Provider:
    existing = Provider.objects.filter(organisation=organisation).first()
    return existing or registry.provider_register(actor=None, organisation=organisation)


def make_provider(name: str) -> Provider:
    org = accounts.organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.GPAI_PROVIDER,
        country="FR",
        established_in_union=True,
    )
    return provider_of(org)


def make_version(
    provider: Provider, label: str = "1.0", *, flop: float = 3.8e25, assess: bool = True
) -> ModelVersion:
    """An assessed version (placed on the market in 2025): with systemic risk by default."""
    model = GPAIModel.objects.filter(provider=provider, name="Model").first()
    if model is None:
        model = registry.model_create(actor=None, provider=provider, name="Model")
    version = registry.version_create(
        actor=None,
        model=model,
        label=label,
        placed_on_market="2025-09-01",
        generates=["text"],
        compute_method="reported",
        training_compute_flop=flop,
    )
    if assess:
        registry.version_assess(actor=None, version=version)
    return ModelVersion.objects.select_related("current_assessment").get(pk=version.pk)


def member_of(organisation: Organisation, username: str) -> User:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=organisation, role=Role.ORGANISATION_MEMBER
    )
    return user


def downstream(name: str = "Integrator SA") -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return accounts.organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.DOWNSTREAM_PROVIDER,
        country="DE",
        established_in_union=True,
    )


def pdf(name: str = "policy.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf")


# A complete Annex XII content (every required field answered).
ANNEX_XII: dict[str, Any] = {
    "intended_tasks": "Text generation and summarisation in chat assistants.",
    "acceptable_use_policy": "https://provider.example/aup",
    "release_date": "2025-09-01",
    "distribution_methods": ["API", "cloud marketplace"],
    "architecture": "Decoder-only transformer.",
    "parameters": 70000000000,
    "input_modalities": ["text"],
    "output_modalities": ["text"],
    "io_format": "UTF-8 text; JSON for tool calls.",
    "licence": "Proprietary licence.",
    "integration_means": "REST API with SDKs; see the integration guide.",
    "io_max_size": "128k token context window; 8k output tokens.",
    "training_data": "Public web text, licensed corpora, synthetic data; deduplicated, filtered.",
}
