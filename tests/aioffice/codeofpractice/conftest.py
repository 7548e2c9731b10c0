"""Code of Practice fixtures: providers, versions with systemic risk, PDF uploads.

Everything is made through the services, on the real database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import Organisation
from aioffice.registry import services as registry
from aioffice.registry.models import GPAIModel, ModelVersion, Provider

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded documents go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name: str = "framework.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


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
    return registry.provider_register(actor=None, organisation=org)


NOTIFICATION: dict[str, Any] = {
    "trigger": "compute_threshold",
    "compute_flop": 3.8e25,
    "estimation_method": "reported by the training cluster",
    "assumptions": "dense model",
    "uncertainty": "10%",
}


def make_version(
    provider: Provider,
    model_name: str = "Model",
    label: str = "1.0",
    *,
    placed_on_market: date | None = None,
    compute: float = 3.8e25,
    notify: bool = True,
) -> ModelVersion:
    """A version; with compute above the threshold and a notification, it has systemic
    risk (presumed) once the notification re-assesses it."""
    model = GPAIModel.objects.filter(provider=provider, name=model_name).first()
    if model is None:
        model = registry.model_create(actor=None, provider=provider, name=model_name)
    version = registry.version_create(
        actor=None,
        model=model,
        label=label,
        placed_on_market=placed_on_market or timezone.now().date(),
        generates=["text"],
        compute_method="reported",
        training_compute_flop=compute,
    )
    if notify:
        data = {**NOTIFICATION, "trigger_date": timezone.now().date().isoformat()}
        registry.notification_submit(actor=None, version=version, data=data)
    else:
        registry.version_assess(actor=None, version=version)
    return version
