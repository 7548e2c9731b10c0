"""Schemas of the cases API (api_cases). Inputs carry the field names of the services
(services_cases), so a refusal names the field the client sent."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from aioffice.core.schemas import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, Field(max_length=20000)]
ShortText = Annotated[str, Field(max_length=200)]
Days = Annotated[int, Field(ge=1, le=365)]
Euros = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=2)]

CaseStatusName = Literal["open", "closed"]
OriginName = Literal["complaint", "alert", "incident", "whistleblower", "ex_officio", "msa_request"]
TeamRoleName = Literal["lead", "member"]
LegalBasisName = Literal["art91_1", "art91_3"]
EvaluationGroundName = Literal["insufficient_information", "systemic_risk"]
MeasureKindName = Literal["compliance", "mitigation", "restrict", "withdraw", "recall"]
MeasureStatusName = Literal["requested", "complied", "not_complied", "withdrawn"]
DecisionKindName = Literal["measures", "commitments_binding", "fine", "no_grounds"]
FineGroundName = Literal["infringement", "information", "measure", "access"]
CulpabilityName = Literal["intent", "negligence"]
OutcomeName = Literal[
    "no_infringement",
    "complied",
    "commitments_binding",
    "measures_imposed",
    "fined",
    "discontinued",
]


# --- outputs ------------------------------------------------------------------------------


class TeamMemberOut(Schema):
    user: int
    username: str
    role: str


class CaseOut(Schema):
    """A row of the register (staff) or of the provider's own cases (without the team)."""

    id: int
    reference: str
    title: str
    provider: int
    provider_name: str
    origin: str
    status: str
    opened_on: date
    closed_on: date | None
    outcome: str
    team: list[TeamMemberOut]


class ShareOut(Schema):
    id: int
    authority: int
    authority_name: str
    reason: str
    shared_at: datetime
    revoked_at: datetime | None


class StepOut(Schema):
    id: int
    kind: str
    occurred_on: date
    summary: str
    visible_to_provider: bool
    rules_version: str
    reasons: list[str]
    citations: list[str]


class DocumentOut(Schema):
    id: int
    title: str
    filename: str
    content_type: str
    sha256: str
    size: int
    version: int
    supersedes: int | None
    from_provider: bool
    visible_to_provider: bool
    retain_until: date
    scan_status: str
    scan_report: str
    uploaded_at: datetime
    information_request: int | None


class InformationRequestOut(Schema):
    id: int
    legal_basis: str
    purpose: str
    information_required: str
    time_limit_days: int
    fines_notice: str
    panel_request: str
    sent_on: date
    due_on: date
    overdue: bool
    answer: str
    answered_on: date | None
    late: bool
    documents: list[int]


class MeetingOut(Schema):
    id: int
    held_on: date
    purpose: str
    attendees: str
    notes: str


class ExpertOut(Schema):
    id: int
    name: str
    affiliation: str
    from_scientific_panel: bool
    declaration_of_interests: str
    declared_on: date
    conflict_of_interest: bool
    appointed_on: date


class EvaluationOut(Schema):
    id: int
    ground: str
    board_consulted_on: date
    board_consultation: str
    opened_on: date
    access_legal_basis: str
    access_purpose: str
    access_reasons: str
    access_means: str
    access_time_limit_days: int | None
    access_fines_notice: str
    access_requested_on: date | None
    access_due_on: date | None
    access_granted_on: date | None
    runs: list[int]
    experts: list[ExpertOut]
    findings: str
    serious_concern: bool


class MeasureOut(Schema):
    id: int
    kind: str
    description: str
    grounds: str
    evaluation: int | None
    requested_on: date
    due_on: date
    status: str
    follow_up: str
    followed_up_on: date | None
    decision: int | None


class CommitmentOut(Schema):
    id: int
    meeting: int
    text: str
    offered_on: date
    decision: int | None


class FindingsOut(Schema):
    id: int
    findings: str
    measures_considered: str
    sent_on: date
    answer_by: date
    minimum_period_ends: date
    urgent: bool
    urgency_grounds: str
    observations: str
    observed_on: date | None


class FineOut(Schema):
    ground: str
    culpability: str
    turnover_eur: Decimal
    turnover_year: int
    ceiling_eur: Decimal
    amount_eur: Decimal
    factors: dict[str, str]


class DecisionOut(Schema):
    id: int
    kind: str
    reasons: str
    remedies: str
    findings: int | None
    adopted_on: date
    notified_on: date | None
    rules_version: str
    legal_reasons: list[str]
    citations: list[str]
    sha256: str
    size: int
    fine: FineOut | None


class DeadlineOut(Schema):
    id: int
    kind: str
    title: str
    due_on: date
    status: str
    provider_to_act: bool
    overdue: bool


class CaseFileOut(Schema):
    """A case file. `view` says whose: "team" and "shared" (a national authority,
    read-only) see it all; "provider" sees only what was sent to it (no team, shares,
    meetings, evaluations or commitments; only the steps, documents and deadlines meant for
    it, and decisions once notified)."""

    view: Literal["team", "shared", "provider"]
    case: CaseOut
    summary: str
    versions: list[int]
    intakes: list[str]
    shares: list[ShareOut]
    steps: list[StepOut]
    information_requests: list[InformationRequestOut]
    meetings: list[MeetingOut]
    evaluations: list[EvaluationOut]
    measures: list[MeasureOut]
    commitments: list[CommitmentOut]
    findings: list[FindingsOut]
    decisions: list[DecisionOut]
    documents: list[DocumentOut]
    deadlines: list[DeadlineOut]


# --- inputs -------------------------------------------------------------------------------


class CaseIn(Schema):
    provider: Id
    title: ShortText
    origin: OriginName
    versions: list[Id] = []
    intakes: list[Id] = []
    summary: Text = ""
    opened_on: date | None = None


class TeamIn(Schema):
    user: Id
    role: TeamRoleName = "member"


class TeamRemoveIn(Schema):
    user: Id


class ShareIn(Schema):
    authority: Id
    reason: Text


class IntakeLinkIn(Schema):
    intake: Id


class RfiIn(Schema):
    legal_basis: str = Field("", max_length=20)
    purpose: Text = ""
    information_required: Text = ""
    time_limit_days: int | None = Field(None, ge=0, le=3650)
    fines_notice: Text = ""
    panel_request: Text = ""
    sent_on: date | None = None


class DialogueIn(Schema):
    held_on: date
    purpose: Text
    attendees: Text
    notes: Text


class EvaluationIn(Schema):
    ground: EvaluationGroundName
    board_consulted_on: date | None = None
    board_consultation: Text = ""
    opened_on: date | None = None


class AccessRequestIn(Schema):
    legal_basis: Text = ""
    purpose: Text = ""
    reasons: Text = ""
    means: Text = ""
    time_limit_days: int | None = Field(None, ge=0, le=3650)
    fines_notice: Text = ""
    requested_on: date | None = None


class AccessGrantedIn(Schema):
    granted_on: date | None = None


class ExpertIn(Schema):
    name: ShortText
    affiliation: ShortText = ""
    from_scientific_panel: bool = False
    declaration_of_interests: Text = ""
    declared_on: date
    conflict_of_interest: bool = False
    appointed_on: date | None = None


class RunLinkIn(Schema):
    run: Id


class EvaluationFindingsIn(Schema):
    findings: Text
    serious_concern: bool = False


class CommitmentsIn(Schema):
    meeting: Id
    text: Text
    offered_on: date | None = None


class FindingsIn(Schema):
    findings: Text
    measures_considered: Text
    answer_by: date
    urgent: bool = False
    urgency_grounds: Text = ""
    sent_on: date | None = None


class MeasureIn(Schema):
    kind: MeasureKindName
    description: Text
    grounds: Text
    due_on: date
    evaluation: Id | None = None
    requested_on: date | None = None


class FollowUpIn(Schema):
    status: MeasureStatusName
    follow_up: Text
    followed_up_on: date | None = None


class FineIn(Schema):
    ground: FineGroundName
    culpability: CulpabilityName
    turnover_eur: Euros
    turnover_year: int = Field(ge=2000, le=2100)
    amount_eur: Euros
    factors: dict[Annotated[str, Field(max_length=40)], Text] = {}


class DecisionIn(Schema):
    kind: DecisionKindName
    reasons: Text
    remedies: Text
    findings: Id | None = None
    measures: list[Id] = []
    commitment: Id | None = None
    fine: FineIn | None = None
    adopted_on: date | None = None


class NotifyIn(Schema):
    notified_on: date | None = None


class CloseIn(Schema):
    outcome: OutcomeName
    reasons: Text
    closed_on: date | None = None
