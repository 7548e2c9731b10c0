"""AI regulatory sandboxes (Arts 57-59; SBX-01..04): the sandboxes the Member States'
competent authorities (and the AI Office, at Union level, Art. 57(3a)) operate, the
providers' applications, the sandbox plans agreed with each participant, the exit reports,
and the annual and final reports to the AI Office and the Board.

Real-world testing outside sandboxes (Art. 60) is its own part (models_rwt)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.models import Organisation
from aioffice.cooperation.models_authorities import Authority
from aioffice.registry.choices import MEMBER_STATE_CHOICES

USER = settings.AUTH_USER_MODEL


class SandboxLevel(models.TextChoices):
    NATIONAL = "national", _("National (Art. 57(1)-(2))")
    UNION = "union", _("Union level, run by the AI Office (Art. 57(3a))")


class SandboxStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPERATIONAL = "operational", _("Operational")
    CLOSED = "closed", _("Closed")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    ACCEPTED = "accepted", _("Accepted: participating")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    SUSPENDED = "suspended", _("Participation suspended (Art. 57(11))")
    TERMINATED = "terminated", _("Participation ended by the authority (Art. 57(11))")
    EXITED = "exited", _("Exited with an exit report")


# who holds a participant's place in the sandbox (capacity counts them)
PARTICIPATING = (ApplicationStatus.ACCEPTED, ApplicationStatus.SUSPENDED)


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("Annual report (Art. 57(16))")
    FINAL = "final", _("Final report (Art. 57(16))")


class Sandbox(models.Model):
    """An AI regulatory sandbox: national (one Member State, possibly joint with others,
    operated by a competent authority of the directory) or the AI Office's Union-level
    sandbox for the systems of Art. 75(1), with priority access for SMEs, start-ups and
    small mid-caps. The AI Office publishes the list of planned and existing sandboxes
    (Art. 57(15)); `published` puts one on it."""

    level = models.CharField(
        _("level"), max_length=10, choices=SandboxLevel.choices, default=SandboxLevel.NATIONAL
    )
    member_state = models.CharField(
        _("Member State"), max_length=2, choices=MEMBER_STATE_CHOICES, blank=True
    )
    joint_member_states = models.JSONField(
        _("joint with the Member States"),
        default=list,
        blank=True,
        help_text=_("Codes of the other Member States of a joint sandbox (Art. 57(1))."),
    )
    operating_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sandboxes",
        verbose_name=_("operating authority"),
    )
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=15, choices=SandboxStatus.choices, default=SandboxStatus.PLANNED
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=1, help_text=_("Participants at a time.")
    )
    focus_sectors = models.CharField(_("focus sectors"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published on the AI Office's list"), default=False)
    # the next annual report (aiact clock "sandbox-report", SBX-02), with aiact's answer
    report_due_on = models.DateField(_("next annual report due"), null=True, blank=True)
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("AI regulatory sandbox")
        verbose_name_plural = _("AI regulatory sandboxes")
        ordering = ["member_state", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_state", "name"], name="cooperation_sandbox_unique_name"
            ),
            models.CheckConstraint(
                condition=(
                    Q(level="national", operating_authority__isnull=False) & ~Q(member_state="")
                )
                | Q(level="union", operating_authority__isnull=True, member_state=""),
                name="cooperation_sandbox_level",
                violation_error_message=_(
                    "A national sandbox has a Member State and an operating authority; the "
                    "Union-level sandbox has neither (the AI Office runs it)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="cooperation_sandbox_capacity",
                violation_error_message=_("A sandbox takes at least one participant."),
            ),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(established_on__isnull=False),
                name="cooperation_sandbox_established",
                violation_error_message=_("An operational or closed sandbox has its date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SandboxApplication(models.Model):
    """A provider's (or prospective provider's) application to take part in a sandbox,
    the decision on it (due three months after applying, SBX-03, Art. 58(2)(a)) and, once
    accepted, its participation: suspension or termination by the authority (Art. 57(11)),
    and the authority's finding on plan observance and good faith (Art. 57(12), SBX-04)."""

    sandbox = models.ForeignKey(
        Sandbox, on_delete=models.PROTECT, related_name="applications", verbose_name=_("sandbox")
    )
    applicant = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sandbox_applications",
        verbose_name=_("applicant"),
    )
    submitted_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    project = models.CharField(_("project"), max_length=200)
    system_description = models.TextField(_("the AI system"))
    sme = models.BooleanField(
        _("SME, start-up or small mid-cap"),
        default=False,
        help_text=_("Free participation (Art. 58(2)(d)); priority at Union level (Art. 57(3a))."),
    )
    real_world_testing_planned = models.BooleanField(
        _("real-world testing planned in the sandbox"), default=False
    )
    applied_on = models.DateField(_("applied on"))
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    # the decision's due date (aiact clock "sandbox-decision") and aiact's answer
    decision_due_on = models.DateField(_("decision due"))
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    # Art. 57(11): the authority suspends or ends participation and informs the AI Office
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspension_reasons = models.TextField(_("reasons for the suspension"), blank=True)
    office_informed_on = models.DateField(_("AI Office informed on"), null=True, blank=True)
    # Art. 57(12), SBX-04: what the authority found, and aiact's answer
    followed_plan = models.BooleanField(_("observed the plan and terms"), null=True, blank=True)
    good_faith = models.BooleanField(
        _("followed the guidance in good faith"), null=True, blank=True
    )
    immune = models.BooleanField(_("no administrative fines (Art. 57(12))"), null=True, blank=True)
    immunity_recorded_on = models.DateField(null=True, blank=True)
    immunity_rules_version = models.CharField(max_length=100, blank=True)
    immunity_reasons = models.JSONField(default=list, blank=True)
    immunity_citations = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sandbox application")
        verbose_name_plural = _("sandbox applications")
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["sandbox", "status"], name="coop_sbx_app_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(status="withdrawn") | Q(decided_on__isnull=False),
                name="cooperation_sandbox_application_decided",
                violation_error_message=_("A decided application has its decision date."),
            ),
        ]

    def __str__(self) -> str:
        return f"Sandbox application #{self.pk}"


class SandboxPlan(models.Model):
    """One version of a participant's sandbox plan (Art. 57(5), as amended: it incorporates
    any real-world testing plan), agreed by the provider and the authority. A new version
    replaces the previous one and is agreed afresh."""

    application = models.ForeignKey(
        SandboxApplication, on_delete=models.CASCADE, related_name="plans"
    )
    version = models.PositiveIntegerField(_("version"))
    objectives = models.TextField(_("objectives"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    terms = models.TextField(_("terms and conditions"))
    safeguards = models.TextField(_("safeguards"))
    real_world_testing_included = models.BooleanField(
        _("includes a real-world testing plan"), default=False
    )
    real_world_testing_plan = models.TextField(_("real-world testing plan"), blank=True)
    proposed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now, editable=False)
    provider_agreed_at = models.DateTimeField(null=True, blank=True)
    authority_agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sandbox plan")
        ordering = ["application", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "version"], name="cooperation_sandbox_plan_version"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="cooperation_sandbox_plan_dates",
                violation_error_message=_("The plan ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"Sandbox plan #{self.application_id} v{self.version}"

    @property
    def agreed(self) -> bool:
        return self.provider_agreed_at is not None and self.authority_agreed_at is not None


class ExitReport(models.Model):
    """The exit report the authority gives a participant (Art. 57(7)). The Commission and
    the Board may read it with the provider's agreement; it is published only if the
    provider and the authority both agree (Art. 57(8))."""

    application = models.OneToOneField(
        SandboxApplication, on_delete=models.PROTECT, related_name="exit_report"
    )
    file = models.FileField(upload_to="cooperation/sandboxes/exit/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    summary = models.TextField(_("summary"))
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    provider_agrees_publication = models.BooleanField(default=False)
    authority_agrees_publication = models.BooleanField(default=False)
    provider_agrees_access = models.BooleanField(
        _("the Commission and the Board may read it"), default=False
    )

    class Meta:
        verbose_name = _("exit report")

    def __str__(self) -> str:
        return f"Exit report #{self.pk}"

    @property
    def published(self) -> bool:
        return self.provider_agrees_publication and self.authority_agrees_publication


class SandboxReport(models.Model):
    """An annual report of a sandbox to the AI Office and the Board (from one year after
    its establishment, SBX-02) or its final report; the abstract is published
    (Art. 57(16))."""

    sandbox = models.ForeignKey(Sandbox, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    due_on = models.DateField(_("was due on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"))
    file = models.FileField(upload_to="cooperation/sandboxes/reports/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    abstract = models.TextField(_("abstract (published)"))
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sandbox report")
        ordering = ["sandbox", "-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sandbox"],
                condition=Q(kind="final"),
                name="cooperation_sandbox_one_final_report",
            ),
        ]

    def __str__(self) -> str:
        return f"Sandbox report #{self.pk}"
