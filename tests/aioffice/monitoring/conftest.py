"""Monitoring fixtures: providers in and outside the Union, assessed versions, their people.

Everything is made through the registry's services, on the real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry import services
from aioffice.registry.codeofpractice import services as codeofpractice
from aioffice.registry.documentation import services as documentation
from aioffice.registry.models import AuthorisedRepresentative, GPAIModel, ModelVersion, Provider

TODAY = timezone.now().date()


@pytest.fixture(autouse=True)
def _no_cached_counts() -> Iterator[None]:
    """The pages keep their counts a minute in the process-wide cache: none across tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_provider(name: str, *, in_union: bool = True) -> Provider:
    org = accounts.organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.GPAI_PROVIDER,
        country="FR" if in_union else "US",
        established_in_union=in_union,
    )
    return services.provider_register(actor=None, organisation=org)


def assessed_version(
    provider: Provider, model_name: str = "Model", label: str = "1.0", **facts: Any
) -> ModelVersion:
    """A version with its facts, assessed by aiact today."""
    model = GPAIModel.objects.filter(provider=provider, name=model_name).first()
    if model is None:
        model = services.model_create(actor=None, provider=provider, name=model_name)
    defaults: dict[str, Any] = {
        "placed_on_market": "2025-09-01",
        "generates": ["text"],
        "compute_method": "reported",
        "training_compute_flop": 3.8e25,
    }
    version = services.version_create(actor=None, model=model, label=label, **{**defaults, **facts})
    services.version_assess(actor=None, version=version)
    return version


def notify(version: ModelVersion, trigger_date: date) -> Any:
    return services.notification_submit(
        actor=None,
        version=version,
        data={
            "trigger": "compute_threshold",
            "compute_flop": 3.8e25,
            "estimation_method": "6 x parameters x tokens",
            "assumptions": "dense transformer, one epoch",
            "uncertainty": "+/- 10%",
            "trigger_date": trigger_date.isoformat(),
        },
    )


def appoint(provider: Provider, start: date) -> AuthorisedRepresentative:
    representative = accounts.organisation_create(
        actor=None,
        name=f"Representative of {provider.organisation.name} {start}",
        kind=OrganisationKind.AUTHORISED_REPRESENTATIVE,
        country="BE",
        established_in_union=True,
    )
    return services.representative_appoint(
        actor=None,
        provider=provider,
        representative=representative,
        document=ContentFile(b"%PDF-1.4 mandate", name="mandate.pdf"),
        union_country="BE",
        tasks=["art54_3_a"],
        start=start,
    )


def document(version: ModelVersion, doc_type: str, content: dict[str, Any]) -> Any:
    """A submitted document of the documentation sub-app (its completeness is stored)."""
    draft = documentation.submission_save_draft(
        actor=None, version=version, doc_type=doc_type, content=content
    )
    return documentation.submission_submit(actor=None, submission=draft)


def sign(provider: Provider, signed_on: date) -> Any:
    """The provider signs the Code of Practice's safety and security chapter."""
    return codeofpractice.signature_add(
        actor=None, provider=provider, chapter="safety_and_security", signed_on=signed_on
    )


def member_client(provider: Provider, username: str) -> Client:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return signed_in_client(user)


class Make:
    """The helpers above, as one fixture (test modules cannot import the conftest)."""

    provider = staticmethod(make_provider)
    version = staticmethod(assessed_version)
    notify = staticmethod(notify)
    appoint = staticmethod(appoint)
    document = staticmethod(document)
    sign = staticmethod(sign)
    member_client = staticmethod(member_client)


@pytest.fixture
def make(db: None) -> type[Make]:
    return Make
