"""Calls for expression of interest (the Office's jobs) and the applications to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aioffice.portal.choices import ApplicationStatus, CallStatus, ContractType
from aioffice.portal.storage import private_storage

USER = settings.AUTH_USER_MODEL


class Call(models.Model):
    """A call for expression of interest: drafted by a head of unit or an administrator,
    published on /jobs/ until its deadline (or closed early, or cancelled). Applications
    are accepted only while it is published and its deadline has not passed."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    profile = models.CharField(_("profile"), max_length=300)
    contract_type = models.CharField(
        _("contract type"), max_length=40, choices=ContractType.choices
    )
    grade = models.CharField(_("grade or function group"), max_length=40, blank=True)
    description = models.TextField(_("description"))
    place = models.CharField(_("place of employment"), max_length=120, default="Brussels")
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # closed early or cancelled
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CallStatus.DRAFT)
                | Q(published_at__isnull=False)
                | Q(status=CallStatus.CANCELLED),
                name="portal_call_published_has_date",
                violation_error_message=_("A published call has its publication time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Application(models.Model):
    """An application with its CV (a PDF in private storage, outside the web root, with its
    SHA-256). Personal data are deleted after the retention period (`purged_at` set, the
    row kept as a statistic with its status)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    tracking_number = models.CharField(_("tracking number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    motivation = models.TextField(_("motivation"))
    cv = models.FileField(_("CV"), storage=private_storage, upload_to="calls/%Y/", blank=True)
    cv_sha256 = models.CharField(max_length=64, blank=True)
    cv_size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    status_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(db_index=True)
    retain_until = models.DateField(_("kept until"), db_index=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    # the random token of the form page it was sent from: the same form sent twice (a
    # double click, a reload) is one application
    form_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "form_token"],
                condition=~Q(form_token=""),
                name="portal_application_form_once",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number


class ApplicationStatusChange(models.Model):
    """One step of an application's history: its status from then on, and the reviewer's
    note. The note may speak of the applicant, so it lives here (purged with the
    application's personal data), never in the audit trail."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.status}"
