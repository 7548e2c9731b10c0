"""Cooperation, part real-world testing: testing of high-risk AI systems in real-world
conditions outside AI regulatory sandboxes (Art. 60, 60a, 61; Annex IX; Art. 71(4)).

A `RealWorldTest` is the plan a provider submits to the market surveillance authority of
the Member State of testing, registered in the EU database with its Union-wide unique
identification number (Annex IX point 1). The authority approves or refuses it, or it is
deemed approved after the period aiact gives where national law allows tacit approval
(`TacitApprovalRule`, per Member State). `RwtStep` is its timeline (each step with aiact's
rules version, reasons and citations); `ConsentBatch` records the Art. 61 checklist of a
batch of informed consents: how many participants, never who (no personal data of subjects).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.models import Organisation
from aioffice.cooperation.models_authorities import Authority
from aioffice.registry.choices import MEMBER_STATE_CHOICES


class RwtScope(models.TextChoices):
    """Which high-risk systems Art. 60 covers (and Art. 60a for Annex I Section B)."""

    ANNEX_III = "annex_iii", _("Annex III high-risk AI system")
    ANNEX_I_A = "annex_i_a", _("High-risk AI system under Annex I Section A legislation")
    ANNEX_I_B = "annex_i_b", _("AI-enabled product under Annex I Section B (Art. 60a)")


class RwtStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Plan submitted, awaiting approval")
    APPROVED = "approved", _("Approved, not started")
    REFUSED = "refused", _("Refused")
    RUNNING = "running", _("Running")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")
    ENDED = "ended", _("Ended")


class RwtApproval(models.TextChoices):
    EXPLICIT = "explicit", _("Approved by the authority")
    TACIT = "tacit", _("Deemed approved (no answer within the period)")
    REFUSED = "refused", _("Refused by the authority")


class RwtStepKind(models.TextChoices):
    SUBMITTED = "submitted", _("Plan submitted")
    APPROVED = "approved", _("Approved")
    TACIT = "tacit", _("Deemed approved")
    REFUSED = "refused", _("Refused")
    STARTED = "started", _("Started")
    EXTENDED = "extended", _("Extension notified")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    TERMINATED = "terminated", _("Terminated")
    ENDED = "ended", _("Ended")
    OUTCOME = "outcome", _("Final outcome notified")
    CONSENT = "consent", _("Consent batch recorded")
    PUBLICATION = "publication", _("Publication consent changed")
    CONDITIONS = "conditions", _("Conditions declared")


# the Art. 60(4) conditions the provider declares (aiact "rwt-conditions"; the others —
# plan submitted, approved, registered, established in the Union, within duration — follow
# from the record)
DECLARED_CONDITIONS: tuple[str, ...] = (
    "transfer_safeguards",
    "vulnerable_protected",
    "deployers_informed",
    "informed_consent",
    "oversight",
    "reversible",
)

# the Art. 61 checklist of a consent batch (aiact "consent")
CONSENT_ITEMS: tuple[str, ...] = (
    "nature",
    "conditions",
    "rights",
    "reversal",
    "identification",
    "dated",
    "documented",
    "copy_given",
    "before_participation",
)


class TacitApprovalRule(models.Model):
    """What a Member State's law says about tacit approval of a testing plan (Art. 60(4)(b)):
    without a row, the Act's default (deemed approved after the period) applies."""

    member_state = models.CharField(
        _("Member State"), max_length=2, choices=MEMBER_STATE_CHOICES, unique=True
    )
    tacit_allowed = models.BooleanField(
        _("tacit approval allowed"),
        help_text=_("False where national law requires an explicit authorisation."),
    )
    source = models.CharField(_("source in national law"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("national rule on tacit approval of real-world testing")
        ordering = ["member_state"]

    def __str__(self) -> str:
        return f"{self.member_state}: tacit={self.tacit_allowed}"


class RealWorldTest(models.Model):
    """A real-world testing plan and its registration (Annex IX)."""

    # Annex IX point 1: allocated from the row's id in the registering transaction
    identification_number = models.CharField(
        _("Union-wide unique identification number"), max_length=30, unique=True
    )
    # Annex IX point 2
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="real_world_tests",
        verbose_name=_("provider"),
    )
    legal_representative = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_real_world_tests",
        verbose_name=_("legal representative in the Union"),
        help_text=_("Required when the provider is not established in the Union (Art. 60(4)(d))."),
    )
    provider_contact = models.TextField(_("provider's contact details"))
    deployers = models.TextField(_("deployers involved (names and contact details)"), blank=True)
    # Annex IX point 3
    system_name = models.CharField(_("AI system"), max_length=200)
    description = models.TextField(_("brief description, intended purpose, identification"))
    scope = models.CharField(_("scope"), max_length=20, choices=RwtScope.choices)
    annex_iii_point = models.CharField(_("Annex III point"), max_length=1, blank=True)
    sensitive_context = models.BooleanField(
        _("law enforcement, migration, asylum or border control"), default=False
    )
    # Annex IX point 4
    plan_summary = models.TextField(_("summary of the main characteristics of the testing plan"))
    # Annex IX point 5 (kept up to date by the suspension and termination steps)
    suspension_information = models.TextField(
        _("information on suspension or termination"), blank=True
    )
    member_states = models.JSONField(_("Member States of testing"), default=list)
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="real_world_tests",
        verbose_name=_("market surveillance authority"),
    )
    # the plan as submitted
    plan = models.FileField(_("testing plan"), upload_to="cooperation/rwt/%Y/", max_length=300)
    plan_filename = models.CharField(max_length=255)
    plan_content_type = models.CharField(max_length=100)
    plan_sha256 = models.CharField(max_length=64)
    plan_size = models.PositiveBigIntegerField()
    # approval (Art. 60(4)(b))
    submitted_on = models.DateField(_("submitted on"))
    tacit_allowed = models.BooleanField(_("national law allows tacit approval"))
    approval_due = models.DateField(_("approval due"))
    tacit_on = models.DateField(_("deemed approved on"), null=True, blank=True)
    approval = models.CharField(
        _("approval"), max_length=10, choices=RwtApproval.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    # the provider's declarations of the Art. 60(4) conditions
    conditions = models.JSONField(_("conditions declared"), default=dict)
    status = models.CharField(
        _("status"), max_length=12, choices=RwtStatus.choices, default=RwtStatus.SUBMITTED
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    extended = models.BooleanField(_("extended"), default=False)
    extension_justification = models.TextField(_("justification of the extension"), blank=True)
    stopped_on = models.DateField(_("suspended, terminated or ended on"), null=True, blank=True)
    outcome = models.TextField(_("final outcome"), blank=True)
    outcome_notified_on = models.DateField(_("final outcome notified on"), null=True, blank=True)
    # Art. 71(4)
    publication_consent = models.BooleanField(_("provider consents to publication"), default=False)
    # aiact "database-visibility" (section IX): who sees the record, which Annex IX points
    visibility = models.CharField(_("visibility"), max_length=20)
    fields_shown = models.JSONField(_("Annex IX points shown"), default=list)
    visibility_rules_version = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("real-world test")
        verbose_name_plural = _("real-world tests")
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["visibility", "-submitted_on"], name="coop_rwt_visibility"),
            models.Index(fields=["status", "tacit_on"], name="coop_rwt_tacit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(annex_iii_point="2"), name="cooperation_rwt_not_annex_iii_point_2"
            ),
        ]

    def __str__(self) -> str:
        return self.identification_number


class RwtStep(models.Model):
    """One step of a test's timeline, with what aiact said where it decided something."""

    test = models.ForeignKey(RealWorldTest, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=12, choices=RwtStepKind.choices)
    on = models.DateField()
    text = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list)
    citations = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["test", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.test_id}: {self.kind} on {self.on}"


class ConsentBatch(models.Model):
    """A batch of informed consents (Art. 61): the checklist and the number of participants,
    never who they are."""

    test = models.ForeignKey(RealWorldTest, on_delete=models.CASCADE, related_name="consents")
    recorded_on = models.DateField()
    participants = models.PositiveIntegerField()
    checklist = models.JSONField(default=dict)
    valid = models.BooleanField()
    missing = models.JSONField(default=list)
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list)
    citations = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["test", "recorded_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(participants__gte=1), name="coop_rwt_consent_some")
        ]

    def __str__(self) -> str:
        return f"{self.test_id}: {self.participants} on {self.recorded_on}"
