from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


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
