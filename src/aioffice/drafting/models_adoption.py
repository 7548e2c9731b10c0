"""Adoption and after: the final version, the opening for signature (per chapter; for the
GPAI Code each signature is also the registry's Code of Practice signature), the adequacy
assessment with the Board's opinion (Art. 56(6) as amended by Reg. 2026/1744; aiact says
which procedure applied on the day), publication in the portal's library in its languages,
and the signatories' implementation reports with their indicators (Art. 56(5)), due on the
one clock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.cooperation.models_bodies import Opinion
from aioffice.drafting.models_drafts import Draft, Section
from aioffice.drafting.models_projects import Project
from aioffice.registry.codeofpractice.models import Signature as RegistrySignature
from aioffice.registry.models import Provider

USER = settings.AUTH_USER_MODEL


class Adoption(models.Model):
    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="adoption")
    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="adoption")
    adopted_on = models.DateField(_("adopted on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    adopted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # the library entry it was published as (portal.GuidanceDocument), with its languages
    library_slug = models.CharField(max_length=120, blank=True)
    published_languages = models.JSONField(default=list, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.project} adopted {self.adopted_on}"


class SignatureOpening(models.Model):
    """The adopted code open for signature from `opens_on`; signatories report on its
    implementation every `report_every_months` from `first_report_due` (the Office sets
    the rhythm: Art. 56(5) says "regularly", proportionate to the signatory's size)."""

    adoption = models.OneToOneField(
        Adoption, on_delete=models.PROTECT, related_name="signature_opening"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    report_every_months = models.PositiveSmallIntegerField(_("report every (months)"))
    first_report_due = models.DateField(_("first report due"))
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.adoption.project} open for signature from {self.opens_on}"


class CodeSignature(models.Model):
    """A provider's signature of one chapter of an adopted code; for the GPAI Code the
    registry's `Signature` it made. Withdrawn on `withdrawn_on`."""

    opening = models.ForeignKey(
        SignatureOpening, on_delete=models.PROTECT, related_name="signatures"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    chapter = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"))
    signed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    registry_signature = models.OneToOneField(
        RegistrySignature, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["opening", "provider", "chapter__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "provider", "chapter"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="drafting_signature_current_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} signed {self.chapter} on {self.signed_on}"


class Outcome(models.TextChoices):
    ADEQUATE = "adequate", _("Adequate")
    PARTLY = "partly", _("Adequate in part")
    INADEQUATE = "inadequate", _("Not adequate")


class AdequacyAssessment(models.Model):
    """The assessment of one version of a code (open question 12: kept per version, dated,
    with the procedure aiact says applied on `assessed_on`)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="assessments")
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    procedure = models.CharField(_("procedure"), max_length=30)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    covers = models.JSONField(_("provisions covered"), default=list, blank=True)
    board_opinion = models.ForeignKey(
        Opinion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    board_opinion_note = models.TextField(
        _("how the Board's opinion was taken into account"), blank=True
    )
    reasons = models.TextField(_("reasons"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    rules_version = models.CharField(max_length=100)
    law_reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.draft}: {self.outcome} ({self.assessed_on})"


class ImplementationReport(models.Model):
    """A signatory's report for one period (Art. 56(5)), with its indicator values."""

    opening = models.ForeignKey(SignatureOpening, on_delete=models.PROTECT, related_name="reports")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    narrative = models.TextField(_("measures taken and outcomes"))
    file = models.FileField(_("report"), upload_to="drafting/reports/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(default=False)

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "provider", "due_on"], name="drafting_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} report due {self.due_on}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        ImplementationReport, on_delete=models.CASCADE, related_name="indicators"
    )
    indicator = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("value"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="drafting_indicator_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"
