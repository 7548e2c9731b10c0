"""Compute watch-list: the records. Part of the registry (DESIGN.md).

The Office reads public estimates of training compute (datasets such as Epoch AI's) to
find models that may cross the systemic-risk threshold of Art. 51(2) without having been
notified under Art. 52(1). An import is one file; each row keeps its raw cells, the values
parsed from them and a message per cell that could not be parsed; matches link a row to a
registered model or version, suggested by name and confirmed or rejected by a person.

FLOP, parameter and dataset figures are floats, as in the registry: they are estimates
that reach 1e27, past any integer column (registry/models.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.registry.models import GPAIModel, ModelVersion
from aioffice.registry.watchlist.choices import Band, ImportStatus, MatchStatus


def _import_path(instance: WatchlistImport, filename: str) -> str:
    return f"watchlist/imports/{timezone.now():%Y/%m}/{filename}"


class WatchlistImport(models.Model):
    """One CSV file of public compute estimates, stored under MEDIA_ROOT with its SHA-256.

    `threshold_flop`, `margin` and `rules_version` are aiact's values on the day of the
    import (`as_of`), kept so the flags of its rows can be explained later even after a
    delegated act moves the threshold (Art. 51(3)).
    """

    file = models.FileField(_("file"), upload_to=_import_path)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    delimiter = models.CharField(max_length=1, editable=False)
    header = models.JSONField(default=list, editable=False)
    source_name = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    retrieved_on = models.DateField(_("retrieved on"), null=True, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.STAGED
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    imported_at = models.DateTimeField(null=True, editable=False)
    as_of = models.DateField(null=True, editable=False)
    threshold_flop = models.FloatField(null=True, editable=False)
    margin = models.DecimalField(max_digits=5, decimal_places=4, null=True, editable=False)
    rules_version = models.CharField(max_length=64, blank=True, editable=False)
    basis = models.JSONField(default=list, editable=False)  # aiact's lines for both values
    row_count = models.PositiveIntegerField(default=0, editable=False)
    error_row_count = models.PositiveIntegerField(default=0, editable=False)
    suggested_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="watchlist_import_sha256",
                violation_error_message=_("The file's SHA-256 must be 64 hexadecimal digits."),
            ),
            models.CheckConstraint(
                condition=Q(status=ImportStatus.STAGED)
                | Q(imported_at__isnull=False, as_of__isnull=False, threshold_flop__isnull=False),
                name="watchlist_import_imported_has_threshold",
                violation_error_message=_("An imported file records when and on which threshold."),
            ),
        ]

    def __str__(self) -> str:
        return f"import #{self.pk} {self.original_name} ({self.source_name})"


class WatchlistRow(models.Model):
    """One row of an import: its raw cells, the parsed values, the errors per field, and
    where its compute figure stood against the threshold on the import's day."""

    watchlist_import = models.ForeignKey(
        WatchlistImport, on_delete=models.CASCADE, related_name="rows"
    )
    number = models.PositiveIntegerField(_("row"))  # 1 = the first row after the header
    raw = models.JSONField(default=dict)
    model_name = models.CharField(_("model"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    parameters = models.FloatField(_("parameters"), null=True, blank=True)
    training_compute_flop = models.FloatField(_("training compute (FLOP)"), null=True, blank=True)
    dataset_size = models.FloatField(_("training dataset size"), null=True, blank=True)
    estimation_method = models.TextField(_("estimation method"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=100, blank=True)
    errors = models.JSONField(default=dict, blank=True)  # {field: message}
    has_errors = models.BooleanField(default=False, db_index=True)
    band = models.CharField(max_length=10, choices=Band.choices, default=Band.UNKNOWN)
    near = models.BooleanField(null=True)  # aiact's band test on the import's day

    class Meta:
        ordering = ["watchlist_import", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["watchlist_import", "number"], name="watchlist_row_unique_number"
            )
        ]
        indexes = [models.Index(fields=["watchlist_import", "band"], name="watchlist_row_band")]

    def __str__(self) -> str:
        return f"row {self.number} of import #{self.watchlist_import_id}: {self.model_name}"


class Match(models.Model):
    """A row linked to a registered model or one of its versions.

    Suggested by name similarity with a score and the reasons; a person confirms or
    rejects it. A row has at most one confirmed match.
    """

    row = models.ForeignKey(WatchlistRow, on_delete=models.CASCADE, related_name="matches")
    model = models.ForeignKey(
        GPAIModel, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    score = models.DecimalField(max_digits=4, decimal_places=3)
    why = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=20, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["row", "-score", "id"]
        verbose_name_plural = "matches"
        constraints = [
            models.CheckConstraint(
                condition=Q(model__isnull=False, version__isnull=True)
                | Q(model__isnull=True, version__isnull=False),
                name="watchlist_match_model_or_version",
                violation_error_message=_("A match links a model or a version, not both."),
            ),
            models.UniqueConstraint(
                fields=["row"],
                condition=Q(status=MatchStatus.CONFIRMED),
                name="watchlist_match_one_confirmed_per_row",
                violation_error_message=_("This row already has a confirmed match."),
            ),
            models.CheckConstraint(
                condition=Q(status=MatchStatus.SUGGESTED) | Q(decided_at__isnull=False),
                name="watchlist_match_decided_has_time",
                violation_error_message=_("A confirmed or rejected match records when."),
            ),
        ]

    def __str__(self) -> str:
        target = self.version if self.version_id else self.model
        return f"row {self.row_id} ~ {target} ({self.score})"
