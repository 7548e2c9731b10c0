"""Choices of the supervision app. The legal meaning of each lives in aiact; these are
the names the database stores."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint by a downstream provider (Art. 89(2))")
    ALERT = "alert", _("Qualified alert of the scientific panel (Art. 90)")
    INCIDENT = "incident", _("Serious-incident report (Art. 55(1)(c))")
    WHISTLEBLOWER = "whistleblower", _("Whistleblower report")


# tracking-number prefix of each kind of intake
TRACKING_PREFIX: dict[str, str] = {
    IntakeKind.COMPLAINT: "C",
    IntakeKind.ALERT: "A",
    IntakeKind.INCIDENT: "I",
    IntakeKind.WHISTLEBLOWER: "W",
}


class IntakeStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_TRIAGE = "in_triage", _("In triage")
    MERGED = "merged", _("Merged into another report")
    CASE_OPENED = "case_opened", _("Case opened")
    NOT_PURSUED = "not_pursued", _("Not pursued")


OPEN_INTAKE_STATUSES = (IntakeStatus.RECEIVED, IntakeStatus.IN_TRIAGE)


class AlertGround(models.TextChoices):
    UNION_RISK = "union_risk", _("Concrete identifiable risk at Union level (Art. 90(1)(a))")
    MEETS_ART51 = "meets_art51", _("Meets the conditions of Art. 51 (Art. 90(1)(b))")


class IncidentType(models.TextChoices):
    """The Code's incident types (S&S Measure 9.3); the names are aiact's INCIDENT_TYPES."""

    DEATH = "death", _("Death of a person")
    CRITICAL_INFRASTRUCTURE = (
        "critical_infrastructure",
        _("Serious and irreversible disruption of critical infrastructure"),
    )
    CYBER_BREACH = "cyber_breach", _("Serious cybersecurity breach (incl. weight exfiltration)")
    WIDESPREAD_INFRINGEMENT = (
        "widespread_infringement",
        _("Infringement of obligations under Union law protecting fundamental rights"),
    )
    OTHER = "other", _("Serious harm to health, property or the environment")


class IncidentReportKind(models.TextChoices):
    INITIAL = "initial", _("Initial report")
    INTERMEDIATE = "intermediate", _("Intermediate report")
    FINAL = "final", _("Final report")


class MessageDirection(models.TextChoices):
    FROM_REPORTER = "in", _("From the reporter")
    FROM_OFFICE = "out", _("From the AI Office")


class CaseOrigin(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    ALERT = "alert", _("Qualified alert")
    INCIDENT = "incident", _("Serious incident")
    WHISTLEBLOWER = "whistleblower", _("Whistleblower report")
    EX_OFFICIO = "ex_officio", _("Ex officio (the Office's own monitoring)")
    MSA_REQUEST = "msa_request", _("Request of a market surveillance authority (Art. 88(2))")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    NO_INFRINGEMENT = "no_infringement", _("No infringement found")
    COMPLIED = "complied", _("The provider complied")
    COMMITMENTS_BINDING = "commitments_binding", _("Commitments made binding (Art. 93(3))")
    MEASURES_IMPOSED = "measures_imposed", _("Measures imposed (Art. 93(1))")
    FINED = "fined", _("Fine imposed (Art. 101)")
    DISCONTINUED = "discontinued", _("Discontinued")


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Case lead")
    MEMBER = "member", _("Case team member")


class StepKind(models.TextChoices):
    """The entries of a case's timeline; each is written by one service."""

    OPENED = "opened", _("Case opened")
    INTAKE_LINKED = "intake_linked", _("Report linked")
    TEAM_CHANGED = "team_changed", _("Team changed")
    SHARED = "shared", _("Shared with an authority")
    SHARE_REVOKED = "share_revoked", _("Sharing revoked")
    RFI_SENT = "rfi_sent", _("Request for information sent (Art. 91)")
    RFI_ANSWERED = "rfi_answered", _("Request for information answered")
    DIALOGUE = "dialogue", _("Structured dialogue meeting")
    BOARD_CONSULTED = "board_consulted", _("Board consulted (Art. 92(1))")
    EVALUATION_OPENED = "evaluation_opened", _("Evaluation opened (Art. 92)")
    ACCESS_REQUESTED = "access_requested", _("Access requested (Art. 92(3)-(4))")
    ACCESS_GRANTED = "access_granted", _("Access given for the evaluation")
    EXPERT_APPOINTED = "expert_appointed", _("Independent expert appointed (Art. 92(2))")
    RUN_LINKED = "run_linked", _("Evaluation run linked")
    EVALUATION_FINDINGS = "evaluation_findings", _("Findings of the evaluation recorded")
    MEASURE_REQUESTED = "measure_requested", _("Measure requested (Art. 93(1))")
    MEASURE_FOLLOWED_UP = "measure_followed_up", _("Measure followed up")
    COMMITMENTS_OFFERED = "commitments_offered", _("Commitments offered (Art. 93(3))")
    FINDINGS_SENT = "findings_sent", _("Preliminary findings sent (right to be heard)")
    HEARING_ANSWERED = "hearing_answered", _("Provider's observations received")
    DECISION = "decision", _("Decision adopted")
    DECISION_NOTIFIED = "decision_notified", _("Decision notified")
    DOCUMENT_ADDED = "document_added", _("Document added")
    CLOSED = "closed", _("Case closed")


class RfiLegalBasis(models.TextChoices):
    ART_91_1 = "art91_1", _("Art. 91(1): documentation and information to assess compliance")
    ART_91_3 = "art91_3", _("Art. 91(3): on a substantiated request of the scientific panel")


class EvaluationGround(models.TextChoices):
    INSUFFICIENT_INFORMATION = (
        "insufficient_information",
        _("Information gathered under Art. 91 insufficient to assess compliance (Art. 92(1)(a))"),
    )
    SYSTEMIC_RISK = (
        "systemic_risk",
        _("Investigating Union-level systemic risks of a model with systemic risk (Art. 92(1)(b))"),
    )


class MeasureKind(models.TextChoices):
    COMPLIANCE = "compliance", _("Comply with Arts 53 and 54 (Art. 93(1)(a))")
    MITIGATION = "mitigation", _("Implement mitigation measures (Art. 93(1)(b))")
    RESTRICT = "restrict", _("Restrict making available (Art. 93(1)(c))")
    WITHDRAW = "withdraw", _("Withdraw the model (Art. 93(1)(c))")
    RECALL = "recall", _("Recall the model (Art. 93(1)(c))")


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    COMPLIED = "complied", _("Complied")
    NOT_COMPLIED = "not_complied", _("Not complied with")
    WITHDRAWN = "withdrawn", _("Withdrawn by the Office")


class DecisionKind(models.TextChoices):
    MEASURES = "measures", _("Decision requesting measures (Art. 93(1))")
    COMMITMENTS_BINDING = (
        "commitments_binding",
        _("Decision making commitments binding (Art. 93(3))"),
    )
    FINE = "fine", _("Decision imposing a fine (Art. 101)")
    NO_GROUNDS = "no_grounds", _("Decision closing the proceedings (no grounds for action)")


class FineGround(models.TextChoices):
    """Art. 101(1)(a)-(d)."""

    INFRINGEMENT = "infringement", _("Infringed the relevant provisions (Art. 101(1)(a))")
    INFORMATION = (
        "information",
        _(
            "Failed to comply with a request for information or gave incorrect, incomplete or "
            "misleading information (Art. 101(1)(b))"
        ),
    )
    MEASURE = "measure", _("Failed to comply with a measure under Art. 93 (Art. 101(1)(c))")
    ACCESS = "access", _("Failed to give access for an evaluation under Art. 92 (Art. 101(1)(d))")


class Culpability(models.TextChoices):
    INTENT = "intent", _("Intentionally")
    NEGLIGENCE = "negligence", _("Negligently")


class ScanStatus(models.TextChoices):
    NOT_SCANNED = "not_scanned", _("Not scanned (no scanner configured)")
    CLEAN = "clean", _("No threat found")
    INFECTED = "infected", _("Threat found: quarantined")
    FAILED = "failed", _("Scan failed")


class DeadlineKind(models.TextChoices):
    """Every due date aioffice keeps. The first group comes from the registry's procedures,
    the rest from supervision."""

    NOTIFICATION = "notification", _("Art. 52(1) notification due")
    REGISTRY_RFI = "registry_rfi", _("Answer to an information request on a notification")
    REGISTRY_HEARING = "registry_hearing", _("Hearing period on a draft Art. 52 decision")
    REASSESSMENT = "reassessment", _("Reassessment request awaiting a decision (Art. 52(5))")
    COP_FRAMEWORK = "cop_framework", _("Safety and Security Framework (Code of Practice)")
    COP_MODEL_REPORT = "cop_model_report", _("Safety and Security Model Report (Code of Practice)")
    RFI_ANSWER = "rfi_answer", _("Answer to a request for information (Art. 91)")
    ACCESS = "access", _("Access for an evaluation (Art. 92)")
    HEARING = "hearing", _("Right to be heard: observations on preliminary findings")
    MEASURE = "measure", _("Measure to be implemented (Art. 93)")
    INCIDENT_INITIAL = "incident_initial", _("Initial serious-incident report")
    INCIDENT_INTERMEDIATE = "incident_intermediate", _("Intermediate serious-incident report")
    INCIDENT_FINAL = "incident_final", _("Final serious-incident report")
    TRIAGE = "triage", _("Report awaiting triage")
    # cooperation (aioffice.cooperation) keeps its due dates on the same clock
    MUTUAL_ASSISTANCE = "mutual_assistance", _("Answer to a request for mutual assistance")
    MSA_ASSESSMENT = "msa_assessment", _("Answer to an authority's request to assess (Art. 75(2a))")
    SUPPORT_REQUEST = "support_request", _("Support requested from ECAT or the JRC")
    RESOURCE_REPORT = "resource_report", _("Report on national authorities' resources (Art. 70(6))")
    SANDBOX_DECISION = "sandbox_decision", _("Decision on a sandbox application")
    SANDBOX_REPORT = (
        "sandbox_report",
        _("Sandbox report to the AI Office and the Board (Art. 57(16))"),
    )
    RWT_APPROVAL = "rwt_approval", _("Real-world testing plan awaiting approval (Art. 60(4)(b))")
    RWT_END = "rwt_end", _("End of a real-world test (Art. 60(4)(f))")
    TERM_END = "term_end", _("End of a term in the Board or an advisory body")
    # drafting (aioffice.drafting): codes of practice and their signatories
    CODE_REPORT = "code_report", _("Report on implementing a code of practice (Art. 56(5))")
    CONSULTATION_CLOSE = "consultation_close", _("A consultation closes")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("No longer due")
