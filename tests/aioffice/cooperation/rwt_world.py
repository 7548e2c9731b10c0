"""The world the real-world testing tests share: a French general market surveillance
authority, a Spanish data-protection one (Art. 74(8)), a provider established in the Union
and another provider, each with a person; a public test (provider's consent) submitted to
the French authority and a sensitive-context one submitted to the Spanish authority. Built
through the services, like real use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation, User
from aioffice.cooperation import services_rwt as services
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_rwt import RealWorldTest
from aioffice.core.testing import TEST_PASSWORD

ALL_CONDITIONS = {
    "transfer_safeguards": True,
    "vulnerable_protected": True,
    "deployers_informed": True,
    "informed_consent": True,
    "oversight": True,
    "reversible": True,
}


def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def plan(name: str = "plan.pdf", content: bytes = b"%PDF-1.4\nplan\n%%EOF\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _org(name: str, kind: str, country: str = "DE", eu: bool = True) -> Organisation:
    return accounts.organisation_create(
        actor=None, name=name, kind=kind, country=country, established_in_union=eu
    )


def person(username: str, organisation: Organisation, role: str) -> User:
    user = accounts.user_create(
        actor=None, username=username, email=f"{username}@test.example", password=TEST_PASSWORD
    )
    accounts.membership_add(actor=None, user=user, organisation=organisation, role=role)
    return user


@dataclass
class World:
    fr: Authority
    es: Authority
    fr_user: User
    es_user: User
    provider: Organisation
    provider_user: User
    other_user: User
    public: RealWorldTest
    sensitive: RealWorldTest


def register(
    world_or_user: Any, provider: Organisation, authority: Authority, **kw: Any
) -> RealWorldTest:
    values: dict[str, Any] = {
        "system_name": "Hiring assistant",
        "description": "Ranks applications (demo).",
        "plan_summary": "Six weeks with two employers.",
        "provider_contact": "rwt@provider.example",
        "scope": "annex_iii",
        "annex_iii_point": "4",
        "member_states": [authority.member_state],
        "plan": plan(),
        "conditions": ALL_CONDITIONS,
    }
    values.update(kw)
    return services.test_register(
        actor=world_or_user, provider=provider, authority=authority, **values
    )


def build() -> World:
    fr_org = _org("Autorité test (rwt)", OrganisationKind.NATIONAL_AUTHORITY, "FR")
    es_org = _org("Agencia test (rwt)", OrganisationKind.NATIONAL_AUTHORITY, "ES")
    fr = Authority.objects.create(
        member_state="FR",
        name="Autorité test (rwt)",
        kind="market_surveillance",
        sector="general",
        organisation=fr_org,
    )
    es = Authority.objects.create(
        member_state="ES",
        name="Agencia test (rwt)",
        kind="market_surveillance",
        sector="data_protection",
        organisation=es_org,
    )
    fr_user = person("rwt-fr", fr_org, Role.NATIONAL_AUTHORITY_MEMBER)
    es_user = person("rwt-es", es_org, Role.NATIONAL_AUTHORITY_MEMBER)
    provider = _org("Provider test (rwt)", OrganisationKind.DOWNSTREAM_PROVIDER)
    other = _org("Other provider (rwt)", OrganisationKind.DOWNSTREAM_PROVIDER)
    provider_user = person("rwt-provider", provider, Role.ORGANISATION_MEMBER)
    other_user = person("rwt-other", other, Role.ORGANISATION_MEMBER)
    public = register(provider_user, provider, fr, publication_consent=True)
    sensitive = register(
        provider_user,
        provider,
        es,
        system_name="Border risk scorer",
        plan_summary="Secret crossing plan.",
        annex_iii_point="7",
        sensitive_context=True,
        publication_consent=True,
    )
    return World(fr, es, fr_user, es_user, provider, provider_user, other_user, public, sensitive)
