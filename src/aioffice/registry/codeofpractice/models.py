"""Code of Practice: the records. Part of the registry (DESIGN.md).

The GPAI Code of Practice (AI-ACT.md §6.2) has three chapters that providers sign one by
one: transparency, copyright, safety and security. A `Signature` is one provider's
signature of one chapter, dated, with its withdrawal when there is one; the status of a
provider for a chapter on a day (COP-01: signed, not signed, opted out) is read from them
in `selectors.signatory_status`.

A signatory of the safety and security chapter with a model with systemic risk submits
its Safety and Security Framework (`FrameworkSubmission`, S&S Commitment 1) and a Model
Report per model version (`ModelReportSubmission`, Commitment 7). Each submission stores
the deadline aiact gives (COP-04, COP-05) with the rules version and aiact's reasons, and
whether it came late. The documents are stored under MEDIA_ROOT with SHA-256, size and
content type, and are served only through a view that checks access.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.registry.models import ModelVersion, Notification, Provider


class Chapter(models.TextChoices):
    TRANSPARENCY = "transparency", _("Transparency")
    COPYRIGHT = "copyright", _("Copyright")
    SAFETY_AND_SECURITY = "safety_and_security", _("Safety and security")


class SignatoryStatus(models.TextChoices):
    """COP-01's answer for a provider, a chapter and a day."""

    SIGNED = "signed", _("Signed")
    NOT_SIGNED = "not_signed", _("Not signed")
    OPTED_OUT = "opted_out", _("Opted out")


class ReportKind(models.TextChoices):
    """A Model Report, or the interim report that buys the grace period (S&S M7.7)."""

    FULL = "full", _("Model Report")
    INTERIM = "interim", _("Interim report")


class Signature(models.Model):
    """A provider's signature of one chapter of the Code, from `signed_on`; withdrawn on
    `withdrawn_on` with reasons. At most one signature per provider and chapter is current
    (not withdrawn); a provider that withdraws and signs again has two."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="cop_signatures")
    chapter = models.CharField(_("chapter"), max_length=30, choices=Chapter.choices)
    signed_on = models.DateField(_("signed on"))
    source = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where the signature is published, for example the Commission's list."),
    )
    notes = models.TextField(_("notes"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reasons = models.TextField(_("reasons for the withdrawal"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["chapter", "provider__organisation__name", "signed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "chapter"],
                condition=Q(withdrawn_on__isnull=True),
                name="cop_signature_one_current_per_chapter",
                violation_error_message=_("This provider already signed this chapter."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("signed_on")),
                name="cop_signature_withdrawn_after_signed",
                violation_error_message=_("A signature cannot be withdrawn before it was made."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | ~Q(withdrawal_reasons=""),
                name="cop_signature_withdrawal_has_reasons",
                violation_error_message=_("A withdrawal states its reasons."),
            ),
        ]
        indexes = [models.Index(fields=["provider", "chapter"], name="cop_signature_provider")]

    def __str__(self) -> str:
        return f"{self.provider} — {self.get_chapter_display()} from {self.signed_on}"

    def is_current_on(self, day: object) -> bool:
        return self.signed_on <= day and (  # type: ignore[operator]
            self.withdrawn_on is None or self.withdrawn_on > day  # type: ignore[operator]
        )


def current_on(day: object) -> Q:
    """Signatures in force on `day`: signed on or before it, not withdrawn by then."""
    return Q(signed_on__lte=day) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


def _framework_path(instance: FrameworkSubmission, filename: str) -> str:
    return f"codeofpractice/frameworks/{timezone.now():%Y/%m}/{filename}"


def _report_path(instance: ModelReportSubmission, filename: str) -> str:
    return f"codeofpractice/model-reports/{timezone.now():%Y/%m}/{filename}"


class FrameworkSubmission(models.Model):
    """A provider's Safety and Security Framework, as confirmed and given to the AI Office
    (S&S Measures 1.1 and 1.4).

    The deadline is aiact's COP-04 from the Art. 52(1) notification (`notification`, its
    date in `notified_on`) and the planned placing on the market (`placing_on`): confirm
    by `confirm_by`, AI Office access by `access_by`. Without a notification there is no
    COP-04 date and the deadline fields stay empty. `late` is set when the Framework was
    confirmed after `confirm_by` or submitted after `access_by`.
    """

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="cop_frameworks")
    framework_version = models.CharField(_("Framework version"), max_length=50)
    document = models.FileField(_("document"), upload_to=_framework_path)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    confirmed_on = models.DateField(_("confirmed on"))
    submitted_on = models.DateField(_("submitted on"), editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    notified_on = models.DateField(null=True, blank=True, editable=False)
    placing_on = models.DateField(_("planned placing on the market"), null=True, blank=True)
    confirm_by = models.DateField(null=True, blank=True, editable=False)
    access_by = models.DateField(null=True, blank=True, editable=False)
    rules_version = models.CharField(max_length=64, editable=False)
    reasons = models.JSONField(default=list, editable=False)
    citations = models.JSONField(default=list, editable=False)  # aiact's, with `reasons`
    late = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="cop_framework_sha256",
                violation_error_message=_("The SHA-256 must be 64 hexadecimal digits."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_on__lte=F("submitted_on")),
                name="cop_framework_confirmed_before_submitted",
                violation_error_message=_("A Framework is confirmed before it is submitted."),
            ),
        ]
        indexes = [models.Index(fields=["provider", "-submitted_on"], name="cop_framework_prov")]

    def __str__(self) -> str:
        return f"Framework {self.framework_version} of {self.provider}"


class ModelReportSubmission(models.Model):
    """A Safety and Security Model Report for a model version (S&S Commitment 7), or the
    interim report given while the full one is delayed in good faith (M7.7).

    The deadlines are aiact's COP-05 from the version's placing on the market, the
    previous full report and whether the model is among the provider's most capable:
    `report_by` (by placing), `report_by_with_interim`, and `refresh_by` (the next
    refresh this report starts, only for the most capable). `due` is the date this
    submission answered and `late` whether it came after it.
    """

    version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="cop_model_reports"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    most_capable = models.BooleanField(
        _("among the provider's most capable models on the market"), default=False
    )
    document = models.FileField(_("document"), upload_to=_report_path)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    submitted_on = models.DateField(_("submitted on"), editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    placing_on = models.DateField(editable=False)
    previous_report_on = models.DateField(null=True, blank=True, editable=False)
    report_by = models.DateField(editable=False)
    report_by_with_interim = models.DateField(editable=False)
    refresh_by = models.DateField(null=True, blank=True, editable=False)
    due = models.DateField(null=True, blank=True, editable=False)
    late = models.BooleanField(default=False, editable=False)
    rules_version = models.CharField(max_length=64, editable=False)
    reasons = models.JSONField(default=list, editable=False)
    citations = models.JSONField(default=list, editable=False)  # aiact's, with `reasons`
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="cop_report_sha256",
                violation_error_message=_("The SHA-256 must be 64 hexadecimal digits."),
            ),
        ]
        indexes = [models.Index(fields=["version", "-submitted_on"], name="cop_report_version")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for version {self.version_id} on {self.submitted_on}"
