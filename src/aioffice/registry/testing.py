"""Test helpers of the registry (like aioffice.core.testing): registered providers and model
versions built through the registry's own services, for the tests of the parts that build on
the registry."""

from __future__ import annotations

from typing import Any

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import Organisation
from aioffice.registry import services
from aioffice.registry.models import GPAIModel, ModelVersion, Provider

# The facts of a version unless a test says otherwise: a text model on the market since
# 2025, with a reported training compute above the presumption threshold.
VERSION_FACTS: dict[str, Any] = {
    "placed_on_market": "2025-09-01",
    "generates": ["text"],
    "compute_method": "reported",
    "training_compute_flop": 3.8e25,
}


def registered_provider(name: str) -> Provider:
    """The provider of the organisation called ``name`` (established in the Union), made as
    needed; an organisation of that name that exists already is used."""
    found = Provider.objects.filter(organisation__name=name).first()
    if found is not None:
        return found
    organisation = Organisation.objects.filter(name=name).first() or accounts.organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.GPAI_PROVIDER,
        country="FR",
        established_in_union=True,
    )
    return services.provider_register(actor=None, organisation=organisation)


def registered_version(
    *, provider: str, model: str = "Model", label: str = "1.0", **facts: Any
) -> ModelVersion:
    """A new version ``label`` of ``model`` (made as needed) of ``provider``'s; ``facts``
    override VERSION_FACTS."""
    owner = registered_provider(provider)
    found = GPAIModel.objects.filter(provider=owner, name=model).first()
    if found is None:
        found = services.model_create(
            actor=None, provider=owner, name=model, public_description="A model."
        )
    return services.version_create(
        actor=None, model=found, label=label, **{**VERSION_FACTS, **facts}
    )
