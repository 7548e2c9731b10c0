"""Documentation (Art. 53 and 55): the API routes, mounted at /api/v1/documentation/.

Access: a version's documentation is seen by whoever sees the version (`provider_scope`:
staff after their second factor, the provider's people, its current representative's);
only the provider's side writes it. Annex XII requests are made by members of a
downstream-provider organisation, answered by the provider, seen by both and by staff.
Lists are paginated, with `.csv` siblings (same filters, same access rule).
"""

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Router, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.core.exports import csv_response
from aioffice.core.schemas import MAX_ID
from aioffice.registry import selectors as registry_selectors
from aioffice.registry.api import Pagination
from aioffice.registry.documentation import selectors, services
from aioffice.registry.documentation.choices import Audience
from aioffice.registry.documentation.doctypes import load_doctypes
from aioffice.registry.documentation.models import AnnexXIIRequest, DocumentSubmission
from aioffice.registry.documentation.schemas import (
    AnswerIn,
    DocTypeOut,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    SubmissionContentIn,
    SubmissionDetailOut,
    SubmissionIn,
    SubmissionOut,
    VersionDocumentationOut,
)
from aioffice.registry.models import ModelVersion

router = Router(tags=["Documentation"])

AudienceName = Literal["ai_office", "national_authorities", "downstream_providers", "public"]
DocTypeName = Literal[
    "annex_xi_1",
    "annex_xi_2",
    "annex_xii",
    "training_summary",
    "copyright_policy",
    "framework",
    "model_report",
]
StatusName = Literal["draft", "submitted"]
VersionFilter = Annotated[int | None, Field(ge=1, le=MAX_ID)]
# Ids in paths stay inside the database's integer range (422 beyond it, never a 500).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _writer_version(request: HttpRequest, version_id: int) -> ModelVersion:
    version = get_object_or_404(registry_selectors.versions_visible_to(request), pk=version_id)
    if not selectors.may_write_documentation(request):
        raise PermissionDenied("Staff read documentation; the provider files it.")
    return version


def _writer_submission(request: HttpRequest, submission_id: int) -> DocumentSubmission:
    submission = get_object_or_404(selectors.submissions_visible_to(request), pk=submission_id)
    if not selectors.may_write_documentation(request):
        raise PermissionDenied("Staff read documentation; the provider files it.")
    return submission


@router.get("/types", response=list[DocTypeOut], summary="The document types and their fields")
def doctype_list(request: HttpRequest) -> Any:
    return [kind.to_json() for kind in load_doctypes().values()]


@router.get(
    "/versions/{version_id}",
    response=VersionDocumentationOut,
    summary="A version's documentation: each type, whether needed, current submission, gaps",
)
def version_documentation(request: HttpRequest, version_id: Id) -> Any:
    version = get_object_or_404(registry_selectors.versions_visible_to(request), pk=version_id)
    rows = selectors.version_documentation(version)
    return {
        "version_id": version.pk,
        "model": version.model.name,
        "version": version.label,
        "provider": version.model.provider.organisation.name,
        "types": [
            {
                "doc_type": row.doctype.type,
                "title": row.doctype.title,
                "basis": row.doctype.basis,
                "required": row.required,
                "obligation": row.doctype.obligation,
                "obligation_status": row.obligation_status,
                "current_id": row.current.pk if row.current else None,
                "current_number": row.current.number if row.current else None,
                "current_complete": row.current.complete if row.current else None,
                "missing": [m.to_json() for m in row.missing],
                "draft_id": row.draft.pk if row.draft else None,
                "submissions": len(row.history),
            }
            for row in rows
        ],
    }


# --- submissions -----------------------------------------------------------------------------


def _submissions(
    request: HttpRequest,
    version: int | None,
    doc_type: str | None,
    status: str | None,
) -> QuerySet[DocumentSubmission]:
    submissions = selectors.submissions_visible_to(request).order_by("-created_at", "-id")
    if version is not None:
        submissions = submissions.filter(version_id=version)
    if doc_type is not None:
        submissions = submissions.filter(doc_type=doc_type)
    if status is not None:
        submissions = submissions.filter(status=status)
    return submissions.defer("content")


@router.get("/submissions", response=list[SubmissionOut], summary="Documents I may see")
@paginate(Pagination)
def submission_list(
    request: HttpRequest,
    version: VersionFilter = None,
    doc_type: DocTypeName | None = None,
    status: StatusName | None = None,
) -> Any:
    return _submissions(request, version, doc_type, status)


SUBMISSION_COLUMNS = (
    "id",
    "provider",
    "model",
    "version",
    "doc_type",
    "number",
    "status",
    "submitted_at",
    "complete",
    "missing",
)


@router.get("/submissions.csv", summary="Documents I may see, as CSV (same filters)")
def submission_list_csv(
    request: HttpRequest,
    version: VersionFilter = None,
    doc_type: DocTypeName | None = None,
    status: StatusName | None = None,
) -> StreamingHttpResponse:
    def rows() -> Iterator[list[Any]]:
        for s in _submissions(request, version, doc_type, status).iterator(chunk_size=500):
            yield [
                s.pk,
                s.version.model.provider.organisation.name,
                s.version.model.name,
                s.version.label,
                s.doc_type,
                s.number,
                s.status,
                s.submitted_at,
                s.complete,
                "; ".join(m["answers"] for m in s.missing),
            ]

    return csv_response("documentation-submissions.csv", SUBMISSION_COLUMNS, rows())


def _shown(submission: DocumentSubmission, audience: str | None) -> DocumentSubmission:
    """The submission with what `SubmissionDetailOut` shows: the fields for `audience` (all
    when None), the completeness check, the attachments of those fields."""
    kind = load_doctypes()[submission.doc_type]
    shown = {f.key for f in kind.fields_for(audience)}
    s: Any = submission
    s.shown_audience = audience
    s.shown_content = {k: v for k, v in submission.content.items() if k in shown}
    s.missing_items = [m.to_json() for m in selectors.missing_now(submission)]
    s.shown_attachments = [a for a in submission.attachments.all() if a.field_key in shown]
    return submission


@router.get(
    "/submissions/{submission_id}",
    response=SubmissionDetailOut,
    summary="A document: content (optionally as one audience sees it), gaps, attachments",
)
def submission_detail(
    request: HttpRequest, submission_id: Id, audience: AudienceName | None = None
) -> Any:
    submission = get_object_or_404(selectors.submissions_visible_to(request), pk=submission_id)
    return _shown(submission, audience)


@router.post(
    "/versions/{version_id}/submissions",
    response={201: SubmissionDetailOut},
    summary="Save the draft of a document for a version (the provider)",
)
def submission_save_draft(
    request: HttpRequest, version_id: Id, payload: SubmissionIn
) -> Status[Any]:
    version = _writer_version(request, version_id)
    draft = services.submission_save_draft(
        actor=_user(request), version=version, doc_type=payload.doc_type, content=payload.content
    )
    return Status(201, _shown(draft, None))


@router.put(
    "/submissions/{submission_id}",
    response=SubmissionDetailOut,
    summary="Change a draft's content (the provider)",
)
def submission_update(request: HttpRequest, submission_id: Id, payload: SubmissionContentIn) -> Any:
    submission = _writer_submission(request, submission_id)
    if not submission.is_draft:
        raise ValidationError({"status": "A submitted document cannot change; start a new draft."})
    draft = services.submission_save_draft(
        actor=_user(request),
        version=submission.version,
        doc_type=submission.doc_type,
        content=payload.content,
    )
    return _shown(draft, None)


@router.post(
    "/submissions/{submission_id}/submit",
    response=SubmissionDetailOut,
    summary="Submit a draft; the gaps are recorded with it (the provider)",
)
def submission_submit(request: HttpRequest, submission_id: Id) -> Any:
    submission = _writer_submission(request, submission_id)
    done = services.submission_submit(actor=_user(request), submission=submission)
    return _shown(done, None)


@router.post(
    "/submissions/{submission_id}/attachments",
    response={201: SubmissionDetailOut},
    summary="Attach a file to a file field of a draft (multipart; the provider)",
)
def attachment_add(
    request: HttpRequest,
    submission_id: Id,
    field: Form[str],
    file: File[UploadedFile],
) -> Status[Any]:
    submission = _writer_submission(request, submission_id)
    services.attachment_add(
        actor=_user(request), submission=submission, field_key=field, upload=file
    )
    return Status(201, _shown(submission, None))


# --- Annex XII requests ----------------------------------------------------------------------


def _requests(
    request: HttpRequest, version: int | None, overdue: bool | None, answered: bool | None
) -> QuerySet[AnnexXIIRequest]:
    requests = selectors.requests_visible_to(request).order_by("-asked_at", "-id")
    if version is not None:
        requests = requests.filter(version_id=version)
    if overdue is not None:
        late = selectors.overdue_condition(timezone.now().date())
        requests = requests.filter(late) if overdue else requests.exclude(late)
    if answered is not None:
        requests = requests.filter(answer__isnull=not answered)
    return requests


@router.get("/requests", response=list[RequestOut], summary="Annex XII requests I may see")
@paginate(Pagination)
def request_list(
    request: HttpRequest,
    version: VersionFilter = None,
    overdue: bool | None = None,
    answered: bool | None = None,
) -> Any:
    return _requests(request, version, overdue, answered)


REQUEST_COLUMNS = (
    "id",
    "requester",
    "provider",
    "model",
    "version",
    "asked_at",
    "due_on",
    "overdue",
    "answered_on",
    "answer_id",
)


@router.get("/requests.csv", summary="Annex XII requests I may see, as CSV (same filters)")
def request_list_csv(
    request: HttpRequest,
    version: VersionFilter = None,
    overdue: bool | None = None,
    answered: bool | None = None,
) -> StreamingHttpResponse:
    today = timezone.now().date()

    def rows() -> Iterator[list[Any]]:
        for r in _requests(request, version, overdue, answered).iterator(chunk_size=500):
            yield [
                r.pk,
                r.requester.name,
                r.version.model.provider.organisation.name,
                r.version.model.name,
                r.version.label,
                r.asked_at,
                r.due_on,
                r.overdue_on(today),
                r.answered_on,
                r.answer_id,
            ]

    return csv_response("annex-xii-requests.csv", REQUEST_COLUMNS, rows())


def _request_shown(made: AnnexXIIRequest) -> AnnexXIIRequest:
    """The request with its answer as downstream providers see it."""
    m: Any = made
    m.answer_content = None
    m.answer_attachments = []
    if made.answer is not None:
        answer: Any = _shown(made.answer, Audience.DOWNSTREAM_PROVIDERS)
        m.answer_content = answer.shown_content
        m.answer_attachments = answer.shown_attachments
    return made


@router.get(
    "/requests/{request_id}",
    response=RequestDetailOut,
    summary="An Annex XII request, with the answer's fields for downstream providers",
)
def request_detail(request: HttpRequest, request_id: Id) -> Any:
    return _request_shown(get_object_or_404(selectors.requests_visible_to(request), pk=request_id))


@router.post(
    "/versions/{version_id}/requests",
    response={201: RequestDetailOut},
    summary="Ask a model's provider for the Annex XII information (a downstream provider)",
)
def request_create(request: HttpRequest, version_id: Id, payload: RequestIn) -> Status[Any]:
    organisations = selectors.downstream_organisations(request)
    if not organisations.exists():
        raise PermissionDenied("Only a downstream provider asks for the Annex XII information.")
    version = get_object_or_404(
        selectors.versions_open_to_requests(timezone.now().date()), pk=version_id
    )
    if payload.requester_id is not None:
        requester = organisations.filter(pk=payload.requester_id).first()
        if requester is None:
            raise ValidationError({"requester_id": "You do not act for this organisation."})
    else:
        requester = organisations.order_by("name", "pk").first()
    assert requester is not None
    made = services.annex_xii_request_create(
        actor=_user(request), requester=requester, version=version, message=payload.message
    )
    return Status(201, _request_shown(made))


@router.post(
    "/requests/{request_id}/answer",
    response=RequestDetailOut,
    summary="Answer an Annex XII request with a submitted Annex XII document (the provider)",
)
def request_answer(request: HttpRequest, request_id: Id, payload: AnswerIn) -> Any:
    made = get_object_or_404(selectors.requests_visible_to(request), pk=request_id)
    versions = registry_selectors.versions_visible_to(request)
    if not versions.filter(pk=made.version_id).exists():
        raise PermissionDenied("The model's provider answers.")
    if not selectors.may_write_documentation(request):
        raise PermissionDenied("The model's provider answers.")
    submission = (
        selectors.submissions_visible_to(request)
        .filter(pk=payload.submission_id, version_id=made.version_id)
        .first()
    )
    if submission is None:
        raise ValidationError({"submission_id": "No such document for this model version."})
    done = services.annex_xii_request_answer(
        actor=_user(request), made=made, submission=submission, note=payload.note
    )
    return _request_shown(selectors.requests_visible_to(request).get(pk=done.pk))
