from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GPAI_PROVIDER = "gpai_provider", _("GPAI model provider")
    DOWNSTREAM_PROVIDER = "downstream_provider", _("Downstream provider")
    AUTHORISED_REPRESENTATIVE = "authorised_representative", _("Authorised representative")
    NATIONAL_AUTHORITY = "national_authority", _("National competent authority")
    AI_OFFICE = "ai_office", _("AI Office")
    SCIENTIFIC_PANEL = "scientific_panel", _("Scientific panel")
    # a deployer that is a public authority, Union institution or body (Art. 49(3))
    PUBLIC_BODY = "public_body", _("Public authority or Union body")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    """What a person may do for an organisation. The first five are AI Office staff."""

    POLICY_OFFICER = "policy_officer", _("AI Office policy officer")
    TECHNICAL_OFFICER = "technical_officer", _("AI Office technical officer")
    LEGAL_OFFICER = "legal_officer", _("AI Office legal officer")
    HEAD_OF_UNIT = "head_of_unit", _("AI Office head of unit")
    ADMINISTRATOR = "administrator", _("AI Office administrator")
    ORGANISATION_MEMBER = "organisation_member", _("Organisation member")
    NATIONAL_AUTHORITY_MEMBER = "national_authority_member", _("National authority member")
    SCIENTIFIC_PANEL_MEMBER = "scientific_panel_member", _("Scientific panel member")


OFFICE_ROLES = frozenset(
    {
        Role.POLICY_OFFICER,
        Role.TECHNICAL_OFFICER,
        Role.LEGAL_OFFICER,
        Role.HEAD_OF_UNIT,
        Role.ADMINISTRATOR,
    }
)

# Which roles a membership may carry in which kind of organisation.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrganisationKind.AI_OFFICE: frozenset(OFFICE_ROLES),
    OrganisationKind.NATIONAL_AUTHORITY: frozenset({Role.NATIONAL_AUTHORITY_MEMBER}),
    OrganisationKind.SCIENTIFIC_PANEL: frozenset({Role.SCIENTIFIC_PANEL_MEMBER}),
    OrganisationKind.GPAI_PROVIDER: frozenset({Role.ORGANISATION_MEMBER}),
    OrganisationKind.DOWNSTREAM_PROVIDER: frozenset({Role.ORGANISATION_MEMBER}),
    OrganisationKind.AUTHORISED_REPRESENTATIVE: frozenset({Role.ORGANISATION_MEMBER}),
    OrganisationKind.PUBLIC_BODY: frozenset({Role.ORGANISATION_MEMBER}),
    OrganisationKind.OTHER: frozenset({Role.ORGANISATION_MEMBER}),
}
