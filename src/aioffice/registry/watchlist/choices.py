"""The vocabularies of the compute watch-list."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    """A file is stored first (staged: its header read), then its rows are imported."""

    STAGED = "staged", _("Stored, columns to map")
    IMPORTED = "imported", _("Imported")


class Field(models.TextChoices):
    """Our fields, which a column mapping maps to the file's columns."""

    MODEL = "model", _("Model")
    ORGANISATION = "organisation", _("Organisation")
    PUBLICATION_DATE = "publication_date", _("Publication date")
    PARAMETERS = "parameters", _("Parameters")
    TRAINING_COMPUTE_FLOP = "training_compute_flop", _("Training compute (FLOP)")
    DATASET_SIZE = "dataset_size", _("Training dataset size")
    ESTIMATION_METHOD = "estimation_method", _("Estimation method")
    CONFIDENCE = "confidence", _("Confidence")


# Fields an import cannot do without.
REQUIRED_FIELDS: tuple[str, ...] = (Field.MODEL, Field.TRAINING_COMPUTE_FLOP)


class Band(models.TextChoices):
    """Where an estimate stands against the systemic-risk threshold on a day (aiact)."""

    ABOVE = "above", _("Above the threshold")
    NEAR = "near", _("Within the error-margin band, not above")
    BELOW = "below", _("Below")
    UNKNOWN = "unknown", _("No figure")


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class Reason(models.TextChoices):
    """Why a row is on the watch-list."""

    NOT_NOTIFIED = "not_notified", _("Matched model without a notification")
    UNMATCHED = "unmatched", _("No registered model: provider to contact")
