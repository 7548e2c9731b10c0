"""The EU database's services: registering in each section with aiact's answer kept on the
row, the secure section's points only, Annex III point 2 refused (national level), numbers,
status history, withdrawal, files with SHA-256, who may register and change what.

Also the world the other database tests build on (`World`, `build_world`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation, User
from aioffice.cooperation import services_database as services
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.cooperation.models import Authority
from aioffice.cooperation.models_database import (
    EntryState,
    Registration,
    RegistrationStatusChange,
    Visibility,
)
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user

pytestmark = pytest.mark.django_db

A_POINTS: dict[str, Any] = {
    "registrant_name": "Acme Vision (test)",
    "registrant_address": "1 Rue de la Loi, Brussels",
    "registrant_contact": "registry@acme.example",
    "submitter_name": "Jo Tester",
    "trade_name": "AcmeHire",
    "reference": "AH-2026-1",
    "intended_purpose": "Ranks job applications for recruiters",
    "information_and_logic": "CVs and job descriptions; gradient-boosted ranking",
    "status": "on_market",
    "member_states": ["FR", "DE"],
}
# Annex III point 6 (law enforcement): points 1-5, 7 and 10 only (Art. 49(4)(a))
SECURE_POINTS: dict[str, Any] = {
    "registrant_name": "Secure Analytics (test)",
    "registrant_contact": "secure@analytics.example",
    "submitter_name": "Sam Secret",
    "trade_name": "CrimeCast",
    "reference": "CC-9",
    "intended_purpose": "Assesses the risk of re-offending",
    "status": "on_market",
    "member_states": ["ES"],
}
C_POINTS: dict[str, Any] = {
    "registrant_name": "Stadt Testhausen",
    "registrant_contact": "it@testhausen.example",
    "submitter_name": "Kim Clerk",
    "fria_summary": "Risks to applicants weighed; human review of every ranking",
}


def organisation(name: str, kind: str) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    return found or accounts.organisation_create(
        actor=None, name=name, kind=kind, country="FR", established_in_union=True
    )


def member(username: str, org: Organisation, role: str = Role.ORGANISATION_MEMBER) -> User:
    user = make_user(None, username)
    accounts.membership_add(actor=None, user=user, organisation=org, role=role)
    return user


def authority_user(username: str, sector: str) -> User:
    org = organisation(f"Authority {username}", OrganisationKind.NATIONAL_AUTHORITY)
    Authority.objects.create(
        organisation=org,
        member_state="FR" if sector == AuthoritySector.GENERAL else "ES",
        name=f"Authority {username}",
        kind=AuthorityKind.MARKET_SURVEILLANCE,
        sector=sector,
    )
    return member(username, org, Role.NATIONAL_AUTHORITY_MEMBER)


@dataclass
class World:
    provider: User
    provider_org: Organisation
    other_provider: User
    deployer: User
    deployer_org: Organisation
    authority: User  # a general market surveillance authority
    art74_8: User  # a data-protection market surveillance authority (Art. 74(8))
    staff: User


def build_world() -> World:
    provider_org = organisation("Acme Vision (test)", OrganisationKind.DOWNSTREAM_PROVIDER)
    other_org = organisation("Other Provider (test)", OrganisationKind.GPAI_PROVIDER)
    deployer_org = organisation("Stadt Testhausen", OrganisationKind.PUBLIC_BODY)
    return World(
        provider=member("db-provider", provider_org),
        provider_org=provider_org,
        other_provider=member("db-other-provider", other_org),
        deployer=member("db-deployer", deployer_org),
        deployer_org=deployer_org,
        authority=authority_user("db-authority", AuthoritySector.GENERAL),
        art74_8=authority_user("db-art74-8", AuthoritySector.DATA_PROTECTION),
        staff=make_user(Role.POLICY_OFFICER, "db-staff"),
    )


def register_a(world: World, **overrides: Any) -> Registration:
    values = {**A_POINTS, **overrides.pop("values", {})}
    arguments: dict[str, Any] = {"annex_iii_point": "4", **overrides}
    return services.registration_create(
        actor=world.provider,
        organisation=world.provider_org,
        section="A",
        values=values,
        **arguments,
    )


def register_secure(world: World) -> Registration:
    return services.registration_create(
        actor=world.provider,
        organisation=world.provider_org,
        section="A",
        annex_iii_point="6",
        sensitive_context=True,
        values=SECURE_POINTS,
    )


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def test_a_section_a_registration_keeps_aiacts_answer(world: World) -> None:
    entry = register_a(world)
    assert entry.number.startswith("EU-DB-A-") and entry.number.endswith("-000001")
    assert entry.visibility == Visibility.PUBLIC
    assert {"1", "4", "5", "6", "7", "10"} <= set(entry.fields)
    assert entry.rules_version and entry.reasons and entry.citations
    assert entry.member_states == "|DE|FR|"
    assert "acmehire" in entry.search and "recruiters" in entry.search
    assert entry.details["information_and_logic"].startswith("CVs")
    assert register_a(world).number.endswith("-000002")
    steps = RegistrationStatusChange.objects.filter(registration=entry)
    assert [s.event for s in steps] == ["registered"]
    event = AuditEvent.objects.get(
        action="cooperation.registration.registered", object_id=str(entry.pk)
    )
    assert "AcmeHire" not in (event.after_json or "")  # no entry text in the trail


def test_the_secure_section_takes_only_its_points(world: World) -> None:
    entry = register_secure(world)
    assert entry.visibility == Visibility.RESTRICTED
    assert "6" not in entry.fields and "8" not in entry.fields and "9" not in entry.fields
    with pytest.raises(ValidationError) as caught:
        services.registration_create(
            actor=world.provider,
            organisation=world.provider_org,
            section="A",
            annex_iii_point="6",
            values={**SECURE_POINTS, "information_and_logic": "secret logic"},
        )
    assert "secure section" in caught.value.message_dict["information_and_logic"][0]


def test_annex_iii_point_2_is_registered_at_national_level(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        register_a(world, annex_iii_point="2")
    assert "national level" in caught.value.message_dict["annex_iii_point"][0]
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("section", "point", "values", "field"),
    [
        ("Z", "4", {}, "section"),
        ("A", "9", {}, "annex_iii_point"),
        ("A", "4", {**A_POINTS, "trade_name": "bad\x00name"}, "trade_name"),
        ("A", "4", {**A_POINTS, "member_states": ["XX"]}, "member_states"),
        ("A", "4", {**A_POINTS, "status": "lost"}, "status"),
        ("A", "4", {**A_POINTS, "trade_name": ""}, "trade_name"),
        ("A", "4", {**A_POINTS, "colour": "blue"}, "colour"),
        ("A", "4", {**A_POINTS, "more_info_url": "not a url"}, "more_info_url"),
    ],
)
def test_bad_input_names_the_field(
    world: World, section: str, point: str, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.registration_create(
            actor=world.provider,
            organisation=world.provider_org,
            section=section,
            annex_iii_point=point,
            values=values,
        )
    assert field in caught.value.message_dict


def test_who_registers_in_which_section(world: World) -> None:
    with pytest.raises(PermissionDenied):  # not their organisation
        services.registration_create(
            actor=world.other_provider,
            organisation=world.provider_org,
            section="A",
            annex_iii_point="4",
            values=A_POINTS,
        )
    with pytest.raises(PermissionDenied):  # a provider does not register a public use
        services.registration_create(
            actor=world.provider,
            organisation=world.provider_org,
            section="C",
            annex_iii_point="4",
            values=C_POINTS,
        )
    with pytest.raises(PermissionDenied):  # the Office does not register
        services.registration_create(
            actor=world.staff,
            organisation=world.provider_org,
            section="A",
            annex_iii_point="4",
            values=A_POINTS,
        )


def test_a_section_c_use_points_to_the_providers_entry_it_sees(world: World) -> None:
    system = register_a(world)
    use = services.registration_create(
        actor=world.deployer,
        organisation=world.deployer_org,
        section="C",
        annex_iii_point="4",
        values={**C_POINTS, "system": system.number},
    )
    assert use.system == system and use.visibility == Visibility.PUBLIC
    secure = register_secure(world)
    with pytest.raises(ValidationError) as caught:  # the deployer does not see it
        services.registration_create(
            actor=world.deployer,
            organisation=world.deployer_org,
            section="C",
            annex_iii_point="4",
            values={**C_POINTS, "system": secure.number},
        )
    assert "system" in caught.value.message_dict
    by_url = services.registration_create(
        actor=world.deployer,
        organisation=world.deployer_org,
        section="C",
        annex_iii_point="4",
        values={**C_POINTS, "system": "https://elsewhere.example/entry/1"},
    )
    assert by_url.system is None and by_url.system_url.startswith("https://")


def test_section_b_as_amended_and_annex_ix_without_consent(world: World) -> None:
    b = services.registration_create(
        actor=world.provider,
        organisation=world.provider_org,
        section="B",
        annex_iii_point="4",
        values={
            "registrant_name": "Acme Vision (test)",
            "registrant_contact": "registry@acme.example",
            "submitter_name": "Jo Tester",
            "trade_name": "AcmeSort",
            "reference": "AS-1",
            "intended_purpose": "Sorts applications by date",
            "art6_3_conditions": "narrow procedural task (Art. 6(3)(a))",
            "status": "on_market",
        },
    )
    assert "7" not in b.fields and "9" not in b.fields  # deleted from 27 July 2026
    test = services.registration_create(
        actor=world.provider,
        organisation=world.provider_org,
        section="IX",
        annex_iii_point="4",
        values={
            "registrant_name": "Acme Vision (test)",
            "registrant_contact": "registry@acme.example",
            "trade_name": "AcmeHire 2",
            "intended_purpose": "Testing the ranking with real recruiters",
            "testing_plan": "Three months, two deployers",
        },
    )
    assert test.visibility == Visibility.AUTHORITIES


def test_status_changes_are_kept_and_withdrawal_ends_updates(world: World) -> None:
    entry = register_a(world)
    with pytest.raises(PermissionDenied):
        services.registration_status_change(
            actor=world.other_provider, registration=entry, status="recalled"
        )
    services.registration_status_change(
        actor=world.provider, registration=entry, status="recalled", note="Recall 2026/1"
    )
    with pytest.raises(ValidationError) as caught:
        services.registration_status_change(
            actor=world.provider, registration=entry, status="recalled"
        )
    assert "status" in caught.value.message_dict
    updated = services.registration_update(
        actor=world.provider,
        registration=entry,
        values={**A_POINTS, "status": "recalled", "trade_name": "AcmeHire Pro"},
    )
    assert updated.trade_name == "AcmeHire Pro" and "acmehire pro" in updated.search
    withdrawn = services.registration_withdraw(
        actor=world.provider, registration=entry, note="Registered twice"
    )
    assert withdrawn.state == EntryState.WITHDRAWN
    with pytest.raises(ValidationError):
        services.registration_status_change(
            actor=world.provider, registration=entry, status="on_market"
        )
    history = list(entry.history.values_list("event", "status", "state"))
    assert history == [
        ("registered", "on_market", "registered"),
        ("status", "recalled", "registered"),
        ("updated", "recalled", "registered"),
        ("withdrawn", "recalled", "withdrawn"),
    ]
    actions = set(
        AuditEvent.objects.filter(object_id=str(entry.pk)).values_list("action", flat=True)
    )
    assert {
        "cooperation.registration.registered",
        "cooperation.registration.status_changed",
        "cooperation.registration.updated",
        "cooperation.registration.withdrawn",
    } <= actions


def test_files_are_kept_with_their_sha256(world: World, media_root: Path) -> None:
    pdf = b"%PDF-1.7 declaration of conformity"
    entry = register_a(world)
    updated = services.registration_update(
        actor=world.provider,
        registration=entry,
        values=A_POINTS,
        files={"declaration_file": SimpleUploadedFile("declaration.pdf", pdf)},
    )
    stored = updated.files.get()
    assert stored.point == "11" and stored.sha256 == hashlib.sha256(pdf).hexdigest()
    assert stored.content_type == "application/pdf"
    with pytest.raises(ValidationError) as caught:
        services.registration_update(
            actor=world.provider,
            registration=entry,
            values=A_POINTS,
            files={"declaration_file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")},
        )
    assert "declaration_file" in caught.value.message_dict
    secure = register_secure(world)
    with pytest.raises(ValidationError) as caught:  # point 9 is not in the secure section
        services.registration_update(
            actor=world.provider,
            registration=secure,
            values=SECURE_POINTS,
            files={"certificate_file": SimpleUploadedFile("c.pdf", pdf)},
        )
    assert "certificate_file" in caught.value.message_dict
