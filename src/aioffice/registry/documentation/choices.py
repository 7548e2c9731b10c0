"""The vocabularies of documentation (Art. 53 and 55)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """One per schema in `doctypes/` (the loader checks that the two lists are the same)."""

    ANNEX_XI_1 = "annex_xi_1", _("Technical documentation (Annex XI, section 1)")
    ANNEX_XI_2 = "annex_xi_2", _("Technical documentation, systemic risk (Annex XI, section 2)")
    ANNEX_XII = "annex_xii", _("Information for downstream providers (Annex XII)")
    TRAINING_SUMMARY = "training_summary", _("Public summary of training content")
    COPYRIGHT_POLICY = "copyright_policy", _("Copyright policy")
    FRAMEWORK = "framework", _("Safety and Security Framework")
    MODEL_REPORT = "model_report", _("Safety and Security Model Report")


class Audience(models.TextChoices):
    """Who a field is for, as the Code's Model Documentation Form marks its items."""

    AI_OFFICE = "ai_office", _("AI Office")
    NATIONAL_AUTHORITIES = "national_authorities", _("National competent authorities")
    DOWNSTREAM_PROVIDERS = "downstream_providers", _("Downstream providers")
    PUBLIC = "public", _("Public")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    FILE = "file", _("File")
    LIST = "list", _("List")


# aiact's obligation statuses under which an obligation does not bind the provider.
OBLIGATION_NOT_APPLICABLE = "not_applicable"
