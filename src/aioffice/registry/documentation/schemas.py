"""API schemas of documentation: `ThingIn` for what comes in, `ThingOut` for what goes out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema


class DocFieldOut(Schema):
    key: str
    label: str
    help: str
    type: str
    required: bool
    answers: str = Field(description="The legal item the field answers, e.g. Annex XI 1(2)(d)")
    audiences: list[str]
    content_types: list[str]
    choices: list[str]


class DocTypeOut(Schema):
    type: str
    version: int
    title: str
    basis: str
    status: str
    obligation: str
    required_when: list[str]
    fields: list[DocFieldOut]


class MissingItemOut(Schema):
    key: str
    label: str
    answers: str


class SubmissionIn(Schema):
    doc_type: str
    content: dict[str, Any] = Field(default_factory=dict)


class SubmissionContentIn(Schema):
    content: dict[str, Any] = Field(default_factory=dict)


class SubmissionOut(Schema):
    """A line of the submission list."""

    id: int
    version_id: int
    model: str
    version: str
    provider: str
    doc_type: str
    number: int
    schema_version: int
    status: str
    created_at: datetime
    submitted_at: datetime | None
    complete: bool | None = Field(description="None for a draft")
    missing_count: int | None

    @staticmethod
    def resolve_model(obj: Any) -> str:
        return str(obj.version.model.name)

    @staticmethod
    def resolve_version(obj: Any) -> str:
        return str(obj.version.label)

    @staticmethod
    def resolve_provider(obj: Any) -> str:
        return str(obj.version.model.provider.organisation.name)

    @staticmethod
    def resolve_missing_count(obj: Any) -> int | None:
        return None if obj.is_draft else len(obj.missing)


class AttachmentOut(Schema):
    id: int
    field: str
    name: str
    sha256: str
    size: int
    content_type: str
    uploaded_at: datetime
    url: str

    @staticmethod
    def resolve_field(obj: Any) -> str:
        return str(obj.field_key)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.original_name)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("documentation:attachment_download", args=[obj.pk])


class SubmissionDetailOut(SubmissionOut):
    """A document as `api._shown` prepared it: for one audience, or whole."""

    audience: str | None
    content: dict[str, Any]
    missing: list[MissingItemOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_audience(obj: Any) -> str | None:
        return obj.shown_audience  # type: ignore[no-any-return]

    @staticmethod
    def resolve_content(obj: Any) -> dict[str, Any]:
        return obj.shown_content  # type: ignore[no-any-return]

    @staticmethod
    def resolve_missing(obj: Any) -> list[dict[str, str]]:
        return obj.missing_items  # type: ignore[no-any-return]

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return obj.shown_attachments  # type: ignore[no-any-return]


class RequestIn(Schema):
    message: str
    requester_id: int | None = Field(
        None, description="Your downstream-provider organisation, if you act for several"
    )


class AnswerIn(Schema):
    submission_id: int = Field(ge=1)
    note: str = ""


class RequestOut(Schema):
    id: int
    version_id: int
    model: str
    version: str
    provider: str
    requester: str
    message: str
    asked_at: datetime
    due_on: date
    period_basis: str
    period_status: str
    rules_version: str
    overdue: bool = Field(description="Past the due date and not answered")
    answered_on: date | None
    answered_late: bool
    answer_id: int | None
    answer_note: str

    @staticmethod
    def resolve_model(obj: Any) -> str:
        return str(obj.version.model.name)

    @staticmethod
    def resolve_version(obj: Any) -> str:
        return str(obj.version.label)

    @staticmethod
    def resolve_provider(obj: Any) -> str:
        return str(obj.version.model.provider.organisation.name)

    @staticmethod
    def resolve_requester(obj: Any) -> str:
        return str(obj.requester.name)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        from django.utils import timezone

        return bool(obj.overdue_on(timezone.now().date()))


class RequestDetailOut(RequestOut):
    """A request; its answer as `api._request_shown` prepared it (downstream fields)."""

    answer_content: dict[str, Any] | None = Field(
        None, description="The answer's fields for downstream providers"
    )
    answer_attachments: list[AttachmentOut] = Field(default_factory=list)

    @staticmethod
    def resolve_answer_content(obj: Any) -> dict[str, Any] | None:
        return obj.answer_content  # type: ignore[no-any-return]

    @staticmethod
    def resolve_answer_attachments(obj: Any) -> list[Any]:
        return obj.answer_attachments  # type: ignore[no-any-return]


class TypeOverviewOut(Schema):
    doc_type: str
    title: str
    basis: str
    required: bool
    obligation: str
    obligation_status: str
    current_id: int | None
    current_number: int | None
    current_complete: bool | None
    missing: list[MissingItemOut]
    draft_id: int | None
    submissions: int


class VersionDocumentationOut(Schema):
    version_id: int
    model: str
    version: str
    provider: str
    types: list[TypeOverviewOut]
