"""Watch-list fixtures: a registry with fictional providers and models, CSV files written
here (no downloaded data; every name is invented)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind
from aioffice.registry import services as registry
from aioffice.registry.models import GPAIModel, ModelVersion, Provider

EPOCH_HEADER = (
    "Model,Organization,Publication date,Parameters,Training compute (FLOP),"
    "Training dataset size (datapoints),Training compute estimation method,Confidence"
)
# Fictional rows: above, above and unknown provider, near, below, broken, above and notified.
ROWS = (
    'Fictional Atlas-9,Imaginary Labs,2026-03-01,4.0e11,3.8e25,1.5e13,"6 x P x D",Confident',
    "Quill-2,Nowhere Research,2026-01-15,,2.1e25,,Hardware,Likely",
    'Lumen 4,Imaginary Labs Inc.,2025-12-01,,"8,5E+24",,Benchmarks,Speculative',
    "Tiny-1,Small Org,2025-01-01,1e9,1e22,2e10,6PD,Confident",
    "Broken Example,Nowhere Research,not a date,lots,unknown,,,",
    "Notified Prime,Imaginary Labs,2026-02-01,,5e25,,Reported,Confident",
)
NOTIFICATION: dict[str, Any] = {
    "trigger": "compute_threshold",
    "compute_flop": 5e25,
    "estimation_method": "reported by the training cluster",
    "assumptions": "dense model",
    "uncertainty": "10%",
}


def csv_bytes(*rows: str, header: str = EPOCH_HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def upload(content: bytes, name: str = "estimates.csv", kind: str = "text/csv") -> Any:
    return SimpleUploadedFile(name, content, content_type=kind)


def make_provider(name: str) -> Provider:
    org = accounts.organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.GPAI_PROVIDER,
        country="FR",
        established_in_union=True,
    )
    return registry.provider_register(actor=None, organisation=org)


def make_version(provider: Provider, model: str, label: str = "1", flop: float = 3e24) -> Any:
    found = GPAIModel.objects.filter(provider=provider, name=model).first()
    if found is None:
        found = registry.model_create(actor=None, provider=provider, name=model)
    return registry.version_create(
        actor=None,
        model=found,
        label=label,
        placed_on_market="2025-09-01",
        generates=["text"],
        compute_method="reported",
        training_compute_flop=flop,
    )


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def registered(db: None) -> dict[str, ModelVersion]:
    """Imaginary Labs with three models; one of them notified under Art. 52(1)."""
    labs = make_provider("Imaginary Labs")
    versions = {
        "atlas": make_version(labs, "Fictional Atlas-9"),
        "lumen": make_version(labs, "Lumen 4"),
        "prime": make_version(labs, "Notified Prime", flop=5e25),
    }
    registry.notification_submit(
        actor=None,
        version=versions["prime"],
        data={**NOTIFICATION, "trigger_date": timezone.now().date().isoformat()},
    )
    return versions
