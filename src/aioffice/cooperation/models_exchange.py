"""Cooperation, part exchange: documents the Office shares with named authorities, and the
requests between the Office, the market surveillance authorities and the Commission's
scientific services (Art. 75(2a), 75(3), 88(2), 74(11); ECAT and the JRC).

A case is shared through supervision's `CaseShare` (read-only, revocable); a document here
through `DocumentShare`, the same way. Every due date of a request is a
`supervision.Deadline` opened on receipt and closed on answer (services_exchange).
Confidentiality (Art. 78): a shared document carries its marking, and an authority reads it
only while a share with it is active."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.cooperation.models_authorities import Authority
from aioffice.registry.models import ModelVersion
from aioffice.supervision.models import Case

USER = settings.AUTH_USER_MODEL


class Confidentiality(models.TextChoices):
    """The interest Art. 78(1) protects that the document touches (shown with it)."""

    CONFIDENTIAL = "confidential", _("Confidential (Art. 78): need to know only")
    TRADE_SECRETS = "trade_secrets", _("Trade secrets, intellectual property, source code")
    INVESTIGATION = "investigation", _("Inspections, investigations and audits")
    SECURITY = "security", _("Public and national security interests")
    PROCEEDINGS = "proceedings", _("Criminal or administrative proceedings")
    CLASSIFIED = "classified", _("Classified information")


class RequestKind(models.TextChoices):
    """What a request between the Office and a counterpart is, by its legal basis."""

    MSA_INFORMATION = "msa_information", _("Information on a GPAI model (Art. 75(3))")
    MSA_ASSESSMENT = "msa_assessment", _("Request to assess a suspected infringement (Art. 75(2a))")
    MSA_CHAPTER_V = "msa_chapter_v", _("Request to use the Chapter V powers (Art. 88(2))")
    OFFICE_ASSISTANCE = (
        "office_assistance",
        _("The Office's request for assistance (Art. 75(1b), 74(11))"),
    )
    SUPPORT = "support", _("Technical or scientific support (ECAT, JRC)")


# the kinds a market surveillance authority sends to the Office; the others the Office sends
AUTHORITY_KINDS = (
    RequestKind.MSA_INFORMATION,
    RequestKind.MSA_ASSESSMENT,
    RequestKind.MSA_CHAPTER_V,
)
OFFICE_KINDS = (RequestKind.OFFICE_ASSISTANCE, RequestKind.SUPPORT)


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class Institution(models.TextChoices):
    """The Commission's scientific services the Office asks for support (item 6)."""

    ECAT = "ecat", _("European Centre for Algorithmic Transparency (ECAT)")
    JRC = "jrc", _("Joint Research Centre (JRC)")


class SharedDocument(models.Model):
    """A document the Office shares, read-only, with named authorities: stored with its
    SHA-256, size and content type, with its confidentiality marking (Art. 78)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.CONFIDENTIAL,
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="exchange_documents",
        null=True,
        blank=True,
        verbose_name=_("case"),
    )
    file = models.FileField(upload_to="cooperation/exchange/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"shared document {self.pk}"


class DocumentShare(models.Model):
    """A document shared, read-only, with one authority; revocable (`revoked_at`)."""

    document = models.ForeignKey(SharedDocument, on_delete=models.CASCADE, related_name="shares")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why it is shared"))
    shared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    shared_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "authority"],
                condition=Q(revoked_at__isnull=True),
                name="cooperation_document_share_active_once",
            )
        ]

    def __str__(self) -> str:
        return f"document {self.document_id} shared with {self.authority_id}"


class ExchangeRequest(models.Model):
    """A request between the Office and a counterpart: a market surveillance authority's
    request to the Office (Art. 75(3), 75(2a), 88(2)), the Office's request for an
    authority's assistance (Art. 75(1b), 74(11)), or a request for support to ECAT or the
    JRC. Its due date (if any) is computed by aiact or set by the Office, and kept on the
    one clock with the rules it was computed under."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="exchange_requests",
        null=True,
        blank=True,
        verbose_name=_("authority"),
        help_text=_("The requesting authority, or the one the Office asks."),
    )
    institution = models.CharField(
        _("institution"), max_length=10, choices=Institution.choices, blank=True
    )
    subject = models.CharField(_("subject"), max_length=200)
    facts = models.TextField(_("reasons, facts and provisions concerned"))
    operator_named = models.CharField(
        _("provider or deployer concerned"), max_length=200, blank=True
    )
    via_single_point_of_contact = models.BooleanField(
        _("sent through the single point of contact"), default=False
    )
    model_version = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        related_name="exchange_requests",
        null=True,
        blank=True,
        verbose_name=_("GPAI model version"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="exchange_requests",
        null=True,
        blank=True,
        verbose_name=_("case"),
    )
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    assigned_officer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    answer = models.TextField(_("answer"), blank=True)
    # Art. 75(2a): whether the Office acts under Art. 75a (and why not, in `answer`, if not)
    acts = models.BooleanField(_("the Office acts"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    late = models.BooleanField(_("answered late"), default=False)
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["authority", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="support", authority__isnull=True) & ~Q(institution="")
                | ~Q(kind="support") & Q(authority__isnull=False, institution=""),
                name="cooperation_exchange_request_counterpart",
                violation_error_message=_(
                    "A support request names an institution; any other request an authority."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def from_office(self) -> bool:
        return self.kind in OFFICE_KINDS

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class RequestFile(models.Model):
    """A file attached to a request's answer: stored with its SHA-256."""

    request = models.ForeignKey(ExchangeRequest, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="cooperation/exchange/requests/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"file {self.pk} of request {self.request_id}"


class ProgressReport(models.Model):
    """Art. 75(2a): once the Office acts, it reports to the single point of contact on
    major developments and the outcome, without confidential information."""

    request = models.ForeignKey(ExchangeRequest, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("progress"))
    outcome = models.BooleanField(_("final outcome"), default=False)
    reported_on = models.DateField(_("reported on"))
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["reported_on", "id"]

    def __str__(self) -> str:
        return f"report {self.pk} on request {self.request_id}"
