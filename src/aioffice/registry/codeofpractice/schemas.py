"""Shapes of the Code of Practice API."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Field, Schema

ChapterName = Literal["transparency", "copyright", "safety_and_security"]
ReportKindName = Literal["full", "interim"]


class SignatoryOut(Schema):
    """One signature as the public register shows it."""

    provider: str
    chapter: str
    signed_on: date
    withdrawn_on: date | None
    source: str

    @staticmethod
    def resolve_provider(obj: Any) -> str:
        return str(obj.provider.organisation.name)


class SignatureIn(Schema):
    provider_id: int = Field(..., ge=1, le=2**63 - 1)
    chapter: ChapterName
    signed_on: date
    source: str = Field("", max_length=500)
    notes: str = ""


class WithdrawIn(Schema):
    withdrawn_on: date
    reasons: str


class SignatureOut(Schema):
    id: int
    provider_id: int
    chapter: str
    signed_on: date
    withdrawn_on: date | None
    withdrawal_reasons: str
    source: str
    notes: str


class ProviderStatusOut(Schema):
    """COP-01 for each chapter on a day."""

    provider_id: int
    provider: str
    on: date
    chapters: dict[str, str]


class FrameworkIn(Schema):
    provider_id: int = Field(..., ge=1, le=2**63 - 1)
    framework_version: str = Field(..., max_length=50)
    confirmed_on: date
    placing_on: date | None = None


class FrameworkOut(Schema):
    id: int
    provider_id: int
    framework_version: str
    sha256: str
    size: int
    content_type: str
    confirmed_on: date
    submitted_on: date
    notified_on: date | None
    placing_on: date | None
    confirm_by: date | None
    access_by: date | None
    late: bool
    rules_version: str
    reasons: list[str]
    citations: list[str]


class ModelReportIn(Schema):
    kind: ReportKindName = "full"
    most_capable: bool = False


class ModelReportOut(Schema):
    id: int
    version_id: int
    kind: str
    most_capable: bool
    sha256: str
    size: int
    content_type: str
    submitted_on: date
    placing_on: date
    previous_report_on: date | None
    report_by: date
    report_by_with_interim: date
    refresh_by: date | None
    due: date | None
    late: bool
    rules_version: str
    reasons: list[str]
    citations: list[str]


class DeadlineOut(Schema):
    """Where a version with systemic risk stands with its Framework and Model Report."""

    version_id: int
    provider: str
    model: str
    version: str
    signed_safety_and_security: bool
    framework_status: str | None
    framework_due: date | None
    framework_detail: str
    model_report_status: str | None
    model_report_due: date | None
    model_report_detail: str
    rules_version: str
