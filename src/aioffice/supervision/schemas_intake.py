"""Schemas of the intake API: what a sender sends, what the sender and the Office read."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Field, Schema

from aioffice.core.schemas import MAX_ID

LEGAL_DUTY = (
    "Art. 55(1)(c): report serious incidents to the AI Office without undue delay. The Act "
    "sets no number of days; the due dates given here are the Code of Practice's periods "
    "(S&S Measures 9.3-9.4), a voluntary commitment of its signatories."
)

IncidentTypeName = Literal[
    "death", "critical_infrastructure", "cyber_breach", "widespread_infringement", "other"
]
Id = Field(..., ge=1, le=MAX_ID)
Text = Field("", max_length=20_000)


class ComplaintIn(Schema):
    provider: int | None = Field(None, ge=1, le=MAX_ID)
    versions: list[int] = Field(default_factory=list, max_length=100)
    title: str = Field("", max_length=300)
    provider_contact_point: str = Text
    facts: str = Text
    provisions: str = Text
    reasons: str = Text
    other_information: str = Text


class AlertIn(Schema):
    provider: int | None = Field(None, ge=1, le=MAX_ID)
    versions: list[int] = Field(default_factory=list, max_length=100)
    title: str = Field("", max_length=300)
    ground: str = Field("", max_length=40)
    provider_contact_point: str = Text
    facts: str = Text
    reasons: str = Text
    other_information: str = Text


class ReportIn(Schema):
    """Items (2)-(9) of Measure 9.2 of the Code's Safety and Security chapter."""

    harm: str = Text
    chain_of_events: str = Text
    model_involvement: str = Text
    response: str = Text
    recommendations: str = Text
    root_cause: str = Text
    related_patterns: str = Text


class IncidentIn(ReportIn):
    version: int = Id
    title: str = Field("", max_length=300)
    types: list[IncidentTypeName] = Field(default_factory=list, max_length=5)
    occurred_on: date | None = None
    ended_on: date | None = None
    aware_on: date | None = None
    causal_link_on: date | None = None

    def report(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in ReportIn.model_fields}


class IncidentReportIn(ReportIn):
    kind: Literal["intermediate", "final"]
    resolved_on: date | None = None

    def report(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in ReportIn.model_fields}


class NoteIn(Schema):
    note: str = Field("", max_length=20_000)


class ReasonsIn(Schema):
    reasons: str = Field("", max_length=20_000)


class VersionsIn(Schema):
    versions: list[int] = Field(..., max_length=100)


class OtherIn(Schema):
    other: int = Id


class MergeIn(Schema):
    into: int = Id


class BoardInformedIn(Schema):
    informed_on: date | None = None


class MessageIn(Schema):
    body: str = Field("", max_length=20_000)


class WhistleblowerIn(Schema):
    title: str = Field("", max_length=300)
    body: str = Field("", max_length=20_000)
    provider: int | None = Field(None, ge=1, le=MAX_ID)


class SecretIn(Schema):
    secret: str = Field(..., min_length=1, max_length=200)


class WhistleblowerReplyIn(SecretIn):
    body: str = Field("", max_length=20_000)


# --- out -----------------------------------------------------------------------------------


class IntakeOut(Schema):
    id: int
    tracking_number: str
    kind: str
    status: str
    title: str
    provider: int | None = Field(None, alias="provider_id")
    received_on: date
    merged_into: str | None = None

    @staticmethod
    def resolve_received_on(obj: Any) -> date:
        if isinstance(obj, dict):
            return obj["received_on"]  # type: ignore[no-any-return]
        return obj.received_at.date()  # type: ignore[no-any-return]

    @staticmethod
    def resolve_merged_into(obj: Any) -> str | None:
        if isinstance(obj, dict):
            return obj["merged_into"]  # type: ignore[no-any-return]
        return obj.merged_into.tracking_number if obj.merged_into_id else None


class DeadlineOut(Schema):
    kind: str
    due_on: date
    status: str
    legal: bool
    title: str


class IncidentReportOut(Schema):
    id: int
    kind: str
    submitted_on: date
    due_on: date | None
    late: bool
    harm: str
    chain_of_events: str
    model_involvement: str
    response: str
    recommendations: str
    root_cause: str
    related_patterns: str

    @staticmethod
    def resolve_submitted_on(obj: Any) -> date:
        return obj.submitted_at.date()  # type: ignore[no-any-return]


class IncidentOut(Schema):
    types: list[str]
    occurred_on: date
    ended_on: date | None
    aware_on: date
    causal_link_on: date | None
    resolved_on: date | None
    initial_due: date
    final_due: date | None
    keep_until: date | None
    legal_duty: str = LEGAL_DUTY
    code_deadlines: list[DeadlineOut]
    reports: list[IncidentReportOut]
    rules_version: str
    reasons: list[str]
    citations: list[str]


class ComplaintOut(Schema):
    provider_contact_point: str
    facts: str
    provisions: str
    reasons: str
    other_information: str


class AlertOut(Schema):
    ground: str
    provider_contact_point: str
    facts: str
    reasons: str
    other_information: str
    board_informed_on: date | None


class DocumentOut(Schema):
    id: int
    title: str
    filename: str
    sha256: str
    size: int
    scan_status: str


class IntakeDetailOut(IntakeOut):
    versions: list[int]
    outcome_reasons: str
    rules_version: str
    reasons: list[str]
    citations: list[str]
    complaint: ComplaintOut | None = None
    alert: AlertOut | None = None
    incident: IncidentOut | None = None
    documents: list[DocumentOut]


class MessageOut(Schema):
    direction: str
    body: str
    sent_on: date


class StaffIntakeOut(IntakeDetailOut):
    triage_note: str
    triaged_by: str | None = None
    related: list[str]
    duplicates: list[str]
    messages: list[MessageOut]


class IncidentReportAddedOut(IncidentReportOut):
    pass


class WhistleblowerSentOut(Schema):
    tracking_number: str
    secret: str
    reply_url: str
    notice: str


class WhistleblowerThreadOut(Schema):
    tracking_number: str
    status: str
    messages: list[MessageOut]


class SimilarReportOut(Schema):
    id: int
    tracking_number: str
    kind: str
    status: str
    title: str
    provider_id: int | None
    received_on: date
    score: float


class SimilarReportsOut(Schema):
    """The reports of the same kind nearest in meaning, best first, and the model used."""

    model: str
    items: list[SimilarReportOut]
