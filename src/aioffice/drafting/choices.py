"""The drafting choices shared by several parts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    CODE_OF_PRACTICE = "code_of_practice", _("Code of practice")
    GUIDELINES = "guidelines", _("Guidelines")
    TEMPLATE = "template", _("Template")
    IMPLEMENTING_ACT = "implementing_act", _("Implementing act")
    DELEGATED_ACT = "delegated_act", _("Delegated act")


class LegalBasis(models.TextChoices):
    """What a project rests on: the adequacy procedure (aiact "drafting" rules) differs."""

    ART56 = "art56", _("Art. 56: code of practice for general-purpose AI models")
    ART50_7 = "art50_7", _("Art. 50(7): code on detecting, marking and labelling AI content")
    OTHER = "other", _("Other provision (named in the citation)")


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    DRAFTING = "drafting", _("Drafting")
    ADOPTED = "adopted", _("Adopted")
    CLOSED = "closed", _("Closed")


class StakeholderCategory(models.TextChoices):
    PROVIDER = "provider", _("General-purpose AI model provider")
    DOWNSTREAM_PROVIDER = "downstream_provider", _("Downstream provider")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia and independent experts")
    RIGHTHOLDER = "rightholder", _("Rightholder")
    MEMBER_STATE = "member_state", _("Member State")
    OBSERVER = "observer", _("Observer")
    # respondents to a public consultation may also be
    INDIVIDUAL = "individual", _("Individual")
    OTHER = "other", _("Other")


MEMBER_CATEGORIES = [
    (value, label)
    for value, label in StakeholderCategory.choices
    if value not in {StakeholderCategory.INDIVIDUAL, StakeholderCategory.OTHER}
]


class Visibility(models.TextChoices):
    """Who reads a draft or a meeting's papers besides the Office and the chairs."""

    OFFICE = "office", _("The Office and the chairs")
    WORKING_GROUPS = "working_groups", _("The project's working groups")
    PUBLIC = "public", _("Everyone")
