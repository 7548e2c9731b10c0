from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from ninja import Field, Schema


class ProviderRefOut(Schema):
    id: int
    name: str


class GPAIModelOut(Schema):
    id: int
    name: str
    public_description: str
    provider: ProviderRefOut
    created_at: datetime


class VersionSummaryOut(Schema):
    id: int
    label: str
    placed_on_market: date | None
    systemic_risk_status: str | None


class VersionRowOut(Schema):
    """A line of the version list: what a list shows, without the facts sent or the answer."""

    id: int
    label: str
    model_id: int
    model: str
    provider_id: int
    provider: str
    placed_on_market: date | None
    training_compute_flop: float | None
    compute_method: str
    systemic_risk_status: str | None
    assessed_at: datetime | None

    @staticmethod
    def resolve_model(obj: Any) -> str:
        return str(obj.model.name)

    @staticmethod
    def resolve_provider_id(obj: Any) -> int:
        return int(obj.model.provider_id)

    @staticmethod
    def resolve_provider(obj: Any) -> str:
        return str(obj.model.provider.organisation.name)

    @staticmethod
    def resolve_assessed_at(obj: Any) -> datetime | None:
        current = obj.current_assessment
        return None if current is None else current.computed_at


class GPAIModelDetailOut(GPAIModelOut):
    versions: list[VersionSummaryOut]


class AssessmentOut(Schema):
    id: int
    version_id: int
    computed_at: datetime
    rules_version: str
    law: str
    as_of: date
    gpai: str
    systemic_risk_status: str
    training_compute_flop: float | None
    obligations: dict[str, str]
    facts: dict[str, Any]
    result: dict[str, Any]


class ModelVersionOut(Schema):
    id: int
    model: GPAIModelOut
    label: str
    placed_on_market: date | None
    generates: list[str]
    parameters: int | None
    training_tokens: int | None
    training_compute_flop: float | None
    compute_method: str
    compute_gpu_hours: Decimal | None
    compute_peak_flops: float | None
    compute_utilisation: Decimal | None
    compute_uncertainty_percent: Decimal | None
    compute_assumptions: str
    open_source: dict[str, Any] | None
    modifies_id: int | None
    modification_compute_flop: float | None
    eu_business_users: int | None
    eu_end_users: int | None
    reach_counted_on: date | None
    distribution_channels: list[str]
    public_fields: list[str]
    current_assessment: AssessmentOut | None


class PublicEntryOut(Schema):
    model: str
    provider: str
    version: str
    description: str
    systemic_risk_status: str
    assessed_at: datetime
    fields: dict[str, Any]


class NotificationIn(Schema):
    trigger: str
    compute_flop: float | None = None
    estimation_method: str = ""
    assumptions: str = ""
    uncertainty: str = ""
    trigger_date: date | None = None
    modified_version_id: int | None = None
    modification_compute_flop: float | None = None
    arguments_text: str = ""
    arguments_grounds: list[str] = []


class DocumentOut(Schema):
    id: int
    name: str
    sha256: str
    size: int
    content_type: str
    information_request_id: int | None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.document.name).rsplit("/", 1)[-1]


class LetterOut(Schema):
    sha256: str
    size: int
    content_type: str
    generated_at: datetime
    rules_version: str


class DecisionOut(Schema):
    id: int
    version_id: int
    notification_id: int | None
    kind: str
    annex_xiii: dict[str, str]
    evidence: list[dict[str, str]]
    reasons: str
    decided_on: date
    hearing_id: int | None
    reassessment_request_id: int | None
    letter: LetterOut | None

    @staticmethod
    def resolve_letter(obj: Any) -> Any:
        try:
            return obj.letter
        except ObjectDoesNotExist:
            return None


class HearingOut(Schema):
    id: int
    notification_id: int
    draft_kind: str
    draft_reasons: str
    opened_on: date
    ends_on: date


class InformationRequestOut(Schema):
    id: int
    notification_id: int
    questions: str
    due_on: date
    asked_on: date
    asked_at: datetime
    answer: str
    answered_on: date | None
    answered_at: datetime | None
    late: bool
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.overdue_on(timezone.now().date()))


class InformationRequestListOut(InformationRequestOut):
    tracking_number: str
    provider: str

    @staticmethod
    def resolve_tracking_number(obj: Any) -> str:
        return str(obj.notification.tracking_number)

    @staticmethod
    def resolve_provider(obj: Any) -> str:
        return str(obj.notification.provider.organisation.name)


class NotificationOut(Schema):
    id: int
    tracking_number: str
    provider: ProviderRefOut
    version_id: int
    model: str
    version: str
    trigger: str
    status: str
    submitted_at: datetime
    submitted_on: date
    trigger_date: date | None
    due: date | None
    late: bool
    compute_flop_2sf: str

    @staticmethod
    def resolve_model(obj: Any) -> str:
        return str(obj.version.model.name)

    @staticmethod
    def resolve_version(obj: Any) -> str:
        return str(obj.version.label)


class NotificationDetailOut(NotificationOut):
    compute_flop: float | None
    estimation_method: str
    assumptions: str
    uncertainty: str
    modified_version_id: int | None
    modification_compute_flop: float | None
    arguments_text: str
    arguments_grounds: list[str]
    assigned_officer_id: int | None
    aiact_check: dict[str, Any]
    withdrawn_on: date | None
    withdrawal_reasons: str
    documents: list[DocumentOut]
    information_requests: list[InformationRequestOut]
    hearings: list[HearingOut]
    decisions: list[DecisionOut]


class HearingIn(Schema):
    draft_reasons: str
    draft_kind: str = "arguments_rejected"
    opened_on: date | None = None


class DecisionIn(Schema):
    kind: str
    reasons: str
    decided_on: date | None = None
    annex_xiii: dict[str, str] | None = None
    # keys of the capability evaluations on record cited under Annex XIII(e), as the
    # designation page lists them (an Annex XIII designation of a version only)
    evidence: list[str] = []


class ReassessmentIn(Schema):
    reasons: str


class ReassessmentOut(Schema):
    id: int
    version_id: int
    requested_on: date
    reasons: str
    earliest: date


class AssignIn(Schema):
    officer_id: int


class InformationRequestIn(Schema):
    questions: str
    due_on: date


class WithdrawalIn(Schema):
    reasons: str


class ReassessmentDecisionIn(Schema):
    kind: str = Field(
        "designation_maintained",
        description="designation_maintained or designation_lifted (Art. 52(5))",
    )
    reasons: str
    decided_on: date | None = None


# --- providers register their models, versions and representatives --------------------------


class ModelIn(Schema):
    name: str = Field(..., max_length=200)
    public_description: str = ""
    organisation_id: int | None = Field(
        None, description="The provider organisation, for a person who acts for several"
    )


class VersionFactsIn(Schema):
    """The facts of a version that aiact reads (see `services.VERSION_FIELDS`)."""

    placed_on_market: date | None = None
    generates: list[str] = []
    parameters: int | None = Field(None, ge=0)
    training_tokens: int | None = Field(None, ge=0)
    training_compute_flop: float | None = Field(None, ge=0)
    compute_method: str = Field("", description="reported, six_pd or hardware")
    compute_gpu_hours: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=2)
    compute_peak_flops: float | None = Field(None, ge=0)
    compute_utilisation: Decimal | None = Field(None, max_digits=5, decimal_places=4)
    compute_uncertainty_percent: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=2)
    compute_assumptions: str = ""
    open_source: dict[str, Any] | None = None
    modifies_id: int | None = Field(None, ge=1, description="The version this one modifies")
    modification_compute_flop: float | None = Field(None, ge=0)
    eu_business_users: int | None = Field(None, ge=0)
    eu_end_users: int | None = Field(None, ge=0)
    reach_counted_on: date | None = None
    distribution_channels: list[str] = []
    public_fields: list[str] = []


class VersionIn(VersionFactsIn):
    label: str = Field(..., max_length=100)


class VersionPatchIn(VersionFactsIn):
    """Only the facts sent are changed."""

    label: str | None = Field(None, max_length=100)


class ProviderOut(Schema):
    id: int
    name: str
    organisation_id: int
    country: str
    established_in_union: bool
    lacks_representative: bool
    lacks_representative_since: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.organisation.country)

    @staticmethod
    def resolve_established_in_union(obj: Any) -> bool:
        return bool(obj.organisation.established_in_union)


class MandateOut(Schema):
    id: int
    provider_id: int
    representative_id: int
    representative: str
    union_country: str
    tasks: list[str]
    start: date
    end: date | None
    current: bool
    mandate_sha256: str
    mandate_size: int
    terminated_at: datetime | None
    termination_reasons: str

    @staticmethod
    def resolve_representative(obj: Any) -> str:
        return str(obj.representative.name)

    @staticmethod
    def resolve_current(obj: Any) -> bool:
        return bool(obj.is_current_on(timezone.now().date()))


class ProviderDetailOut(ProviderOut):
    mandates: list[MandateOut]
    models: list[ProviderRefOut]

    @staticmethod
    def resolve_mandates(obj: Any) -> list[Any]:
        return [m for m in obj.mandates.all() if m.is_current_on(timezone.now().date())]

    @staticmethod
    def resolve_models(obj: Any) -> list[Any]:
        return list(obj.models.all())


class TerminationIn(Schema):
    reasons: str


class TerminationOut(MandateOut):
    office_informed: bool = True
    message: str
    provider_lacks_representative: bool
