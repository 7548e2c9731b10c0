"""A small directory for the page and API tests of the authorities part.

France: a general market surveillance authority, single point of contact, linked to the
organisation of the national-authority principal (`core.testing`), with its first resource
report received. Spain: a data-protection market surveillance authority (Art. 74(8)) with
its own member (`dpa`), a general one not yet named contact point, a notifying authority.
Germany: one authority to end. Italy: an ended designation (never public). The other 23
Member States have no designation recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import User
from aioffice.cooperation import services_authorities as services
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.cooperation.models_authorities import Authority, ResourceReport
from aioffice.core.testing import TEST_PASSWORD, organisation, signed_in_client

from .test_authorities_services import authority, editor, pdf


@dataclass
class World:
    fr: Authority
    es_dpa: Authority
    es_general: Authority
    es_notifying: Authority
    de: Authority
    it_ended: Authority
    report: ResourceReport
    dpa: User
    deployer: User

    def ids(self) -> dict[str, int | str]:
        return {
            "fr": self.fr.pk,
            "es_dpa": self.es_dpa.pk,
            "es_general": self.es_general.pk,
            "es_notifying": self.es_notifying.pk,
            "de": self.de.pk,
            "it_ended": self.it_ended.pk,
            "report": self.report.pk,
        }


def today() -> date:
    return timezone.now().date()


def build_world() -> World:
    fr = authority(
        name="Autorité de surveillance (test)",
        email="contact@msa.example",
        website="https://msa.example",
        contact_published_on=date(2025, 8, 1),
        organisation=organisation(OrganisationKind.NATIONAL_AUTHORITY),
    )
    fr = services.authority_set_single_point_of_contact(actor=editor(), authority=fr)
    agency = accounts.organisation_create(
        actor=None,
        name="Agencia de datos (test)",
        kind=OrganisationKind.NATIONAL_AUTHORITY,
        country="ES",
        established_in_union=True,
    )
    es_dpa = authority(
        member_state="ES",
        name="Agencia de datos (test)",
        sector=AuthoritySector.DATA_PROTECTION,
        organisation=agency,
    )
    es_general = authority(member_state="ES", name="Autoridad general (test)")
    es_notifying = authority(
        member_state="ES", name="Autoridad notificante (test)", kind=AuthorityKind.NOTIFYING
    )
    de = authority(member_state="DE", name="Marktaufsicht (test)")
    it_ended = authority(member_state="IT", name="Autorità cessata (test)")
    it_ended = services.authority_end(actor=editor(), authority=it_ended)
    report = services.resource_report_record(
        actor=editor(),
        member_state="FR",
        received_on=today(),
        upload=pdf(),
        summary="Budget and staff (test).",
    )
    dpa = accounts.user_create(
        actor=None, username="dpa", email="dpa@test.example", password=TEST_PASSWORD
    )
    accounts.membership_add(
        actor=None, user=dpa, organisation=agency, role=Role.NATIONAL_AUTHORITY_MEMBER
    )
    city = accounts.organisation_create(
        actor=None,
        name="City (test)",
        kind=OrganisationKind.PUBLIC_BODY,
        country="DE",
        established_in_union=True,
    )
    deployer = accounts.user_create(
        actor=None, username="city", email="city@test.example", password=TEST_PASSWORD
    )
    accounts.membership_add(
        actor=None, user=deployer, organisation=city, role=Role.ORGANISATION_MEMBER
    )
    return World(fr, es_dpa, es_general, es_notifying, de, it_ended, report, dpa, deployer)


__all__ = ["World", "build_world", "signed_in_client", "today"]
