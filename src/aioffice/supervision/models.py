"""Supervision: intake, triage, cases with their procedural steps, evidence, deadlines.

Every state change goes through `services` (one transaction, one audit event); the models
hold what the law asks to be recorded. A decision affecting a provider is stored with the
facts it used, its reasons, its citations and the rules version (`rules_version`,
`reasons`, `citations` on the rows that carry one).

Confidentiality (Art. 78): a case file is for its team and the authorities it is shared
with (`selectors.cases_visible_to`); nothing here decides access.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.models import Organisation
from aioffice.registry.models import ModelVersion, Provider
from aioffice.supervision.choices import (
    AlertGround,
    CaseOrigin,
    CaseOutcome,
    CaseStatus,
    Culpability,
    DeadlineKind,
    DeadlineStatus,
    DecisionKind,
    EvaluationGround,
    FineGround,
    IncidentReportKind,
    IntakeKind,
    IntakeStatus,
    MeasureKind,
    MeasureStatus,
    MessageDirection,
    RfiLegalBasis,
    ScanStatus,
    StepKind,
    TeamRole,
)

USER = settings.AUTH_USER_MODEL


# --- intake ------------------------------------------------------------------------------


class Intake(models.Model):
    """One item that reached the Office: a complaint, a qualified alert, a serious-incident
    report or a whistleblower report. The kind-specific content is in the one-to-one row
    (`complaint`, `alert`, `incident`, `whistleblower`). All of them meet in one triage
    queue, where staff link them to models and to each other, merge duplicates, and open
    cases from them.

    `submitted_by` is empty for a whistleblower report: nothing identifying is stored.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=IntakeKind.choices)
    tracking_number = models.CharField(_("tracking number"), max_length=24, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=IntakeStatus.choices, default=IntakeStatus.RECEIVED
    )
    title = models.CharField(_("title"), max_length=200)
    received_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="intakes", null=True, blank=True
    )
    versions = models.ManyToManyField(ModelVersion, related_name="intakes", blank=True)
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="duplicates", null=True, blank=True
    )
    triaged_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    triage_note = models.TextField(_("triage note"), blank=True)
    # why a report is not pursued: shown to its sender
    outcome_reasons = models.TextField(_("reasons"), blank=True)
    # admissibility as aiact judged it on receipt (ENF-01/02): reasons, citations, version
    rules_version = models.CharField(max_length=100, blank=True, editable=False)
    reasons = models.JSONField(default=list, blank=True, editable=False)
    citations = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status=IntakeStatus.MERGED),
                name="supervision_intake_merged_has_status",
                violation_error_message=_("Only a merged report points to another."),
            )
        ]

    def __str__(self) -> str:
        return self.tracking_number


class Complaint(models.Model):
    """Art. 89(2): a duly reasoned complaint of a downstream provider, stating at least
    (a) the provider's point of contact, (b) the facts, the provisions concerned and why
    it is an infringement, (c) any other relevant information."""

    intake = models.OneToOneField(Intake, on_delete=models.CASCADE, related_name="complaint")
    provider_contact_point = models.TextField(_("point of contact of the provider"))
    facts = models.TextField(_("relevant facts"))
    provisions = models.TextField(_("provisions concerned"))
    reasons = models.TextField(_("why it is an infringement"))
    other_information = models.TextField(_("other relevant information"), blank=True)

    def __str__(self) -> str:
        return f"complaint {self.intake_id}"


class QualifiedAlert(models.Model):
    """Art. 90(1), (3): a qualified alert of the scientific panel, with its ground, the
    point of contact of the provider, the facts and reasons, and other information. The
    Board is informed before the Office uses its powers on it (Art. 90(2))."""

    intake = models.OneToOneField(Intake, on_delete=models.CASCADE, related_name="alert")
    ground = models.CharField(_("ground"), max_length=20, choices=AlertGround.choices)
    provider_contact_point = models.TextField(_("point of contact of the provider"))
    facts = models.TextField(_("relevant facts"))
    reasons = models.TextField(_("reasons for the alert"))
    other_information = models.TextField(_("other relevant information"), blank=True)
    board_informed_on = models.DateField(_("Board informed on"), null=True, blank=True)

    def __str__(self) -> str:
        return f"alert {self.intake_id}"


class Incident(models.Model):
    """A serious incident reported by a provider of a model with systemic risk. The Code's
    deadlines (COP-02 initial, COP-03 intermediate and final) are aiact's answer, stored
    apart from the legal duty to report without undue delay (Art. 55(1)(c)), which has no
    number of days (open question 10)."""

    intake = models.OneToOneField(Intake, on_delete=models.CASCADE, related_name="incident")
    types = models.JSONField(_("incident types"), default=list)
    occurred_on = models.DateField(_("incident started on"))
    ended_on = models.DateField(_("incident ended on"), null=True, blank=True)
    aware_on = models.DateField(_("provider became aware on"))
    causal_link_on = models.DateField(
        _("causal link established or suspected on"), null=True, blank=True
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    initial_due = models.DateField(_("initial report due (Code)"), editable=False)
    final_due = models.DateField(_("final report due (Code)"), null=True, editable=False)
    keep_until = models.DateField(_("documentation kept until"), null=True, editable=False)
    rules_version = models.CharField(max_length=100, editable=False)
    reasons = models.JSONField(default=list, editable=False)
    citations = models.JSONField(default=list, editable=False)

    def __str__(self) -> str:
        return f"incident {self.intake_id}"


class IncidentReport(models.Model):
    """One report on an incident: initial, intermediate (at least every four weeks while
    unresolved) or final (within 60 days of resolution); items (1)-(9) of Measure 9.2."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("report"), max_length=20, choices=IncidentReportKind.choices)
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    harm = models.TextField(_("resulting harm and affected persons"))
    chain_of_events = models.TextField(_("chain of events"))
    model_involvement = models.TextField(_("the model's involvement"))
    response = models.TextField(_("the provider's intended or actual response"))
    recommendations = models.TextField(_("recommendations to the AI Office"), blank=True)
    root_cause = models.TextField(_("root cause analysis"), blank=True)
    related_patterns = models.TextField(_("related post-market monitoring patterns"), blank=True)
    due_on = models.DateField(_("due on (Code)"), null=True, editable=False)
    late = models.BooleanField(_("after the Code's period"), default=False, editable=False)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} report on incident {self.incident_id}"


class WhistleblowerReport(models.Model):
    """An anonymous report. The reporter holds a secret reply link; only its SHA-256 is
    stored. No account, IP address, user agent or other identifying metadata is kept."""

    intake = models.OneToOneField(Intake, on_delete=models.CASCADE, related_name="whistleblower")
    secret_sha256 = models.CharField(max_length=64, unique=True, editable=False)

    def __str__(self) -> str:
        return f"whistleblower report {self.intake_id}"


class WhistleblowerMessage(models.Model):
    """One message of the two-way exchange; `sent_on` is a date, not a time, so that the
    moment of writing cannot be matched with other logs."""

    report = models.ForeignKey(
        WhistleblowerReport, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=MessageDirection.choices)
    body = models.TextField(_("message"))
    sent_on = models.DateField(default=date.today, editable=False)
    author = models.ForeignKey(  # Office staff only; never the reporter
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.direction})"


# --- cases -------------------------------------------------------------------------------


class Case(models.Model):
    """A case file: its subject (a provider and some of its versions), its origin, the team
    assigned and the authorities it is shared with; the timeline is `steps`."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    title = models.CharField(_("title"), max_length=200)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="cases")
    versions = models.ManyToManyField(ModelVersion, related_name="cases", blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=CaseOrigin.choices)
    intakes = models.ManyToManyField(Intake, related_name="cases", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    summary = models.TextField(_("summary"), blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    opened_on = models.DateField(_("opened on"))
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=CaseOutcome.choices, blank=True)
    outcome_reasons = models.TextField(_("outcome reasons"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "opened_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CaseStatus.OPEN, closed_on__isnull=True)
                | Q(status=CaseStatus.CLOSED, closed_on__isnull=False) & ~Q(outcome=""),
                name="supervision_case_closed_with_outcome",
                violation_error_message=_("A closed case has a closing date and an outcome."),
            )
        ]

    def __str__(self) -> str:
        return self.reference


class CaseMember(models.Model):
    """A member of the Office assigned to a case; only they open the case file."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_memberships")
    role = models.CharField(max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="supervision_case_member"),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role=TeamRole.LEAD),
                name="supervision_case_one_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on case {self.case_id} ({self.role})"


class CaseShare(models.Model):
    """A case shared, read-only, with a national authority; revocable (`revoked_at`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why it is shared"))
    shared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    shared_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "authority"],
                condition=Q(revoked_at__isnull=True),
                name="supervision_case_share_active_once",
            )
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} shared with {self.authority_id}"


class CaseStep(models.Model):
    """One entry of a case's timeline, written by the service that took the step, with
    what it rested on: aiact's reasons and citations and the rules version."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=30, choices=StepKind.choices)
    occurred_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    summary = models.TextField(_("summary"))
    # the row the step made, if any (an RFI, a meeting, a decision ...): "<model>:<id>"
    subject = models.CharField(max_length=60, blank=True)
    visible_to_provider = models.BooleanField(default=False)
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.occurred_on}"


class InformationRequest(models.Model):
    """Art. 91(4): a request states its legal basis, purpose, the information required, the
    time limit and the fines of Art. 101 for incorrect, incomplete or misleading
    information; the provider answers with text and documents."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="information_requests")
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=RfiLegalBasis.choices)
    purpose = models.TextField(_("purpose"))
    information_required = models.TextField(_("information required"))
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (days)"))
    fines_notice = models.TextField(_("notice of fines (Art. 101)"))
    panel_request = models.TextField(_("the panel's substantiated request"), blank=True)
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due on"), editable=False, db_index=True)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    late = models.BooleanField(default=False, editable=False)
    rules_version = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"request for information {self.pk} on {self.case_id}"

    def overdue_on(self, day: date) -> bool:
        return self.answered_on is None and day > self.due_on


class DialogueMeeting(models.Model):
    """A structured dialogue (Arts 91(2), 92(7), 93(2)): a meeting, who attended, notes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("held on"))
    purpose = models.TextField(_("purpose"))
    attendees = models.TextField(_("attendees"))
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"dialogue meeting on {self.held_on}"


class Art92Evaluation(models.Model):
    """An evaluation of a model under Art. 92: the Board consulted first, its ground, the
    access request (legal basis, purpose, reasons, time limit, fines notice), the experts
    appointed and the evaluation runs that carry it out."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evaluations")
    ground = models.CharField(_("ground"), max_length=30, choices=EvaluationGround.choices)
    board_consulted_on = models.DateField(_("Board consulted on"))
    board_consultation = models.TextField(_("how the Board was consulted"))
    opened_on = models.DateField(_("opened on"))
    access_legal_basis = models.TextField(_("access request: legal basis"), blank=True)
    access_purpose = models.TextField(_("access request: purpose"), blank=True)
    access_reasons = models.TextField(_("access request: reasons"), blank=True)
    access_means = models.TextField(_("access requested (APIs, source code ...)"), blank=True)
    access_time_limit_days = models.PositiveSmallIntegerField(null=True, blank=True)
    access_fines_notice = models.TextField(_("access request: fines notice"), blank=True)
    access_requested_on = models.DateField(null=True, blank=True)
    access_due_on = models.DateField(null=True, blank=True, editable=False)
    access_granted_on = models.DateField(null=True, blank=True)
    runs = models.ManyToManyField(
        "evaluations.EvaluationRun", related_name="art92_evaluations", blank=True
    )
    findings = models.TextField(_("findings"), blank=True)
    serious_concern = models.BooleanField(
        _("shows serious and substantiated concern of Union-level systemic risk"), default=False
    )
    rules_version = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["opened_on", "id"]

    def __str__(self) -> str:
        return f"Art. 92 evaluation {self.pk} in case {self.case_id}"


class Expert(models.Model):
    """An independent expert appointed for an evaluation (Art. 92(2)) with the declaration
    of interests; a declared conflict of interest refuses the appointment."""

    evaluation = models.ForeignKey(
        Art92Evaluation, on_delete=models.CASCADE, related_name="experts"
    )
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    from_scientific_panel = models.BooleanField(default=False)
    declaration_of_interests = models.TextField(_("declaration of interests"))
    declared_on = models.DateField(_("declared on"))
    conflict_of_interest = models.BooleanField(default=False)
    appointed_on = models.DateField(_("appointed on"))

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """A measure the Office requests under Art. 93(1)(a)-(c), with its deadline and
    follow-up."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("measure"), max_length=20, choices=MeasureKind.choices)
    description = models.TextField(_("what the provider must do"))
    grounds = models.TextField(_("grounds"))
    evaluation = models.ForeignKey(
        Art92Evaluation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("to be implemented by"))
    status = models.CharField(
        max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.REQUESTED
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    followed_up_on = models.DateField(null=True, blank=True)
    decision = models.ForeignKey(
        "Decision", on_delete=models.PROTECT, related_name="measures", null=True, blank=True
    )
    rules_version = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} measure due {self.due_on}"


class Commitment(models.Model):
    """Commitments a provider of a model with systemic risk offers in a structured dialogue
    (Art. 93(3)); a decision may make them binding."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="commitments")
    meeting = models.ForeignKey(DialogueMeeting, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("commitments"))
    offered_on = models.DateField(_("offered on"))
    decision = models.OneToOneField(
        "Decision", on_delete=models.PROTECT, related_name="commitment", null=True, blank=True
    )

    def __str__(self) -> str:
        return f"commitments offered on {self.offered_on}"


class PreliminaryFindings(models.Model):
    """The right to be heard (Art. 94; Reg. 2019/1020 Art. 18(3)): findings sent, a period
    of at least ten working days (aiact's hearing clock) unless urgency is recorded with
    its grounds; the provider's observations."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="findings")
    findings = models.TextField(_("preliminary findings"))
    measures_considered = models.TextField(_("measures or decision considered"))
    sent_on = models.DateField(_("sent on"))
    answer_by = models.DateField(_("observations due by"))
    minimum_period_ends = models.DateField(editable=False)  # aiact's hearing clock
    urgent = models.BooleanField(_("urgency"), default=False)
    urgency_grounds = models.TextField(_("grounds of urgency"), blank=True)
    observations = models.TextField(_("the provider's observations"), blank=True)
    observed_on = models.DateField(null=True, blank=True)
    rules_version = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["sent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgent=False) | ~Q(urgency_grounds=""),
                name="supervision_findings_urgency_has_grounds",
                violation_error_message=_("Urgency is recorded with its grounds."),
            )
        ]

    def __str__(self) -> str:
        return f"preliminary findings sent on {self.sent_on}"


class Decision(models.Model):
    """A reasoned Commission decision in a case, generated as a PDF and notified; stored
    with the facts it used, its reasons and citations and the rules version."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=30, choices=DecisionKind.choices)
    reasons = models.TextField(_("reasons"))
    findings = models.ForeignKey(
        PreliminaryFindings, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    adopted_on = models.DateField(_("adopted on"))
    adopted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    remedies = models.TextField(_("remedies and time limits"))
    facts = models.JSONField(default=dict)
    rules_version = models.CharField(max_length=100)
    legal_reasons = models.JSONField(default=list)
    citations = models.JSONField(default=list)
    document = models.FileField(upload_to="supervision/decisions/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["adopted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reasons=""),
                name="supervision_decision_has_reasons",
                violation_error_message=_("A decision states its reasons."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} decision of {self.adopted_on}"


class Fine(models.Model):
    """Art. 101: the amount, the provider's worldwide turnover of the preceding financial
    year, the ceiling aiact computed (FINE-01), the ground, intent or negligence, and the
    factors weighed (FINE-02)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="fine")
    ground = models.CharField(max_length=20, choices=FineGround.choices)
    culpability = models.CharField(max_length=20, choices=Culpability.choices)
    turnover_eur = models.DecimalField(max_digits=20, decimal_places=2)
    turnover_year = models.PositiveSmallIntegerField()
    ceiling_eur = models.DecimalField(max_digits=20, decimal_places=2)
    amount_eur = models.DecimalField(max_digits=20, decimal_places=2)
    factors = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_eur__lte=models.F("ceiling_eur")) & Q(amount_eur__gt=0),
                name="supervision_fine_within_ceiling",
                violation_error_message=_("A fine is positive and within its ceiling."),
            )
        ]

    def __str__(self) -> str:
        return f"fine of EUR {self.amount_eur}"


# --- evidence ----------------------------------------------------------------------------


class Document(models.Model):
    """A document in a case file or attached to an intake: stored with its SHA-256,
    versioned (`supersedes`), with a retention date and the malware scanner's verdict."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    intake = models.ForeignKey(
        Intake, on_delete=models.PROTECT, related_name="documents", null=True, blank=True
    )
    information_request = models.ForeignKey(
        InformationRequest,
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="supervision/documents/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="superseded_by", null=True, blank=True
    )
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    from_provider = models.BooleanField(default=False)
    visible_to_provider = models.BooleanField(default=False)
    retain_until = models.DateField(_("keep until"))
    scan_status = models.CharField(max_length=20, choices=ScanStatus.choices)
    scan_report = models.TextField(blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(intake__isnull=False),
                name="supervision_document_belongs",
                violation_error_message=_("A document belongs to a case or a report."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


# --- the one clock -----------------------------------------------------------------------


class Deadline(models.Model):
    """One due date, computed by aiact (or set within aiact's bounds by a step) and kept
    for the dashboards and the reminders. `source` names the row it belongs to
    ("<app>.<model>:<id>"); there is at most one open deadline per source and kind.

    `owner` is the officer who answers for it (a case lead, an assigned officer); `case`
    and `provider` let the team and the provider see it."""

    kind = models.CharField(max_length=30, choices=DeadlineKind.choices)
    title = models.CharField(max_length=300)
    due_on = models.DateField(db_index=True)
    status = models.CharField(
        max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    source = models.CharField(max_length=80)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="deadlines", null=True, blank=True
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="deadlines", null=True, blank=True
    )
    owner = models.ForeignKey(
        USER, on_delete=models.SET_NULL, related_name="deadlines", null=True, blank=True
    )
    # whose move it is: the provider's (an answer, a report) or the Office's
    provider_to_act = models.BooleanField(default=False)
    url = models.CharField(max_length=300, blank=True)
    legal = models.BooleanField(default=True)  # False: a Code of Practice period (voluntary)
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)  # last reminder e-mail
    overdue_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["provider", "status", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind"],
                condition=Q(status=DeadlineStatus.OPEN),
                name="supervision_deadline_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} due {self.due_on}"
