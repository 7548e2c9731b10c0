"""Documentation (Art. 53 and 55, Annexes XI and XII): the records. Part of the registry.

Every submission of a document is kept: numbered within its version and type, the newest
submitted one is current. A draft can change until it is submitted; a submitted document
never changes (the Code's Transparency Measure 1.3 asks that documentation be protected
from unintended alteration). Attachments are stored under MEDIA_ROOT with their SHA-256.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.models import Organisation
from aioffice.registry.documentation.choices import DocumentType, SubmissionStatus
from aioffice.registry.models import ModelVersion


class DocumentSubmission(models.Model):
    """One submission of one document type for one model version.

    `content` holds the answers by field key of the type's schema (`doctypes/<type>.yaml`,
    version `schema_version`). `missing` is the completeness check at submission: the
    required items left unanswered, by their legal reference; it stays with the record.
    """

    version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="document_submissions"
    )
    doc_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    schema_version = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    missing = models.JSONField(default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["version_id", "doc_type", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "doc_type", "number"],
                name="documentation_submission_number",
                violation_error_message=_("This number is taken for this document type."),
            ),
            models.UniqueConstraint(
                fields=["version", "doc_type"],
                condition=Q(status=SubmissionStatus.DRAFT),
                name="documentation_one_draft",
                violation_error_message=_("There is already a draft of this document."),
            ),
            models.CheckConstraint(
                condition=Q(status=SubmissionStatus.DRAFT, submitted_at__isnull=True)
                | Q(status=SubmissionStatus.SUBMITTED, submitted_at__isnull=False),
                name="documentation_submitted_at",
                violation_error_message=_("A submitted document records when; a draft does not."),
            ),
        ]
        indexes = [
            models.Index(fields=["version", "doc_type", "-number"], name="documentation_current"),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} #{self.number} of version {self.version_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == SubmissionStatus.DRAFT

    @property
    def complete(self) -> bool | None:
        """Whether nothing required was missing at submission; None for a draft."""
        return None if self.is_draft else not self.missing


def _attachment_path(instance: DocumentAttachment, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"documentation/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class DocumentAttachment(models.Model):
    """A file that answers a file field of a submission; stored with SHA-256, size and the
    content type that was checked when it arrived. Added only while the submission is a
    draft; read only through the access-checked download view."""

    submission = models.ForeignKey(
        DocumentSubmission, on_delete=models.PROTECT, related_name="attachments"
    )
    field_key = models.CharField(_("field"), max_length=60)
    file = models.FileField(_("file"), upload_to=_attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="documentation_attachment_sha256",
                violation_error_message=_("The SHA-256 must be 64 hexadecimal digits."),
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class AnnexXIIRequest(models.Model):
    """A downstream provider's request to a model's provider for the Annex XII information
    (Art. 53(1)(b)).

    The AI Act sets no period for the answer; `due_on` comes from the period aiact holds for
    it (the Code's Transparency Measure 1.2, status CODE), recorded in `period_basis`. The
    answer links a submitted Annex XII document of the same version.
    """

    requester = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="annex_xii_requests"
    )
    version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="annex_xii_requests"
    )
    message = models.TextField(_("message"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    asked_at = models.DateTimeField(default=timezone.now, editable=False)
    asked_on = models.DateField(_("asked on"))
    due_on = models.DateField(_("answer due on"))
    period_basis = models.CharField(max_length=300, editable=False)
    period_status = models.CharField(max_length=20, editable=False)
    rules_version = models.CharField(max_length=64, blank=True, editable=False)
    answer = models.ForeignKey(
        DocumentSubmission,
        on_delete=models.PROTECT,
        related_name="answers_to",
        null=True,
        blank=True,
    )
    answer_note = models.TextField(_("note"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__isnull=True, answered_on__isnull=True)
                | Q(answer__isnull=False, answered_on__isnull=False),
                name="documentation_request_answered",
                violation_error_message=_("An answer records its document and its date."),
            ),
            models.CheckConstraint(
                condition=~Q(message=""),
                name="documentation_request_message",
                violation_error_message=_("Say what you need."),
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="documentation_request_due")]

    def __str__(self) -> str:
        return f"Annex XII request #{self.pk} to version {self.version_id}"

    def overdue_on(self, day: date) -> bool:
        """Past the due date on `day` and not answered by then."""
        answered = self.answered_on is not None and self.answered_on <= day
        return day > self.due_on and not answered

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.due_on
