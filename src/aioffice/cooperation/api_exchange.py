"""The API of cooperation, part exchange, mounted by `aioffice.cooperation.api` at
/api/v1/cooperation/exchange. For Office staff and members of designated authorities; no
public route.

* `GET /cases`: the active case shares (staff: all; an authority: its own); the case file
  itself is supervision's (`/api/v1/supervision/cases/{id}`), which checks the share.
* `/documents`: shared documents; staff upload (multipart), share with and revoke from an
  authority; an authority reads and downloads a document only while a share with it is
  active (404 otherwise). Every opening and download is audited.
* `/requests`: requests between the Office and the authorities (Art. 75(3), 75(2a), 88(2),
  75(1b)/74(11)) and support requests to ECAT or the JRC; an authority submits the first
  three kinds and reads its own; staff send the others, assign, answer and report.

Access: 401 without a session or token; 403 for people who are neither staff nor an
authority's members (or staff without the function); 404 for a record the person may not
see. Bad input is a 422 naming the field.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.accounts.models import User
from aioffice.cooperation import selectors_exchange as selectors
from aioffice.cooperation import services_exchange as services
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_exchange import (
    DocumentShare,
    ExchangeRequest,
    SharedDocument,
)
from aioffice.core.files import download_row
from aioffice.core.paging import MappedRows, Pagination
from aioffice.core.schemas import Id
from aioffice.registry.models import ModelVersion
from aioffice.supervision.models import Case

router = Router(tags=["cooperation"])

Text = Annotated[str, Field(max_length=20000)]
ShortText = Annotated[str, Field(max_length=200)]
KindName = Literal[
    "msa_information", "msa_assessment", "msa_chapter_v", "office_assistance", "support"
]
StatusName = Literal["received", "in_progress", "answered", "declined", "withdrawn"]
ConfidentialityName = Literal[
    "confidential", "trade_secrets", "investigation", "security", "proceedings", "classified"
]
InstitutionName = Literal["ecat", "jrc"]


# --- schemas -----------------------------------------------------------------------------------


class CaseShareOut(Schema):
    id: int
    case: int
    case_reference: str
    case_title: str
    provider_name: str
    authority_organisation: int
    authority_name: str
    reason: str
    shared_at: datetime
    url: str


class DocumentShareOut(Schema):
    id: int
    authority: int
    authority_name: str
    reason: str
    shared_at: datetime
    revoked_at: datetime | None


class SharedDocumentOut(Schema):
    id: int
    title: str
    description: str
    confidentiality: str
    confidentiality_label: str
    case: int | None
    filename: str
    content_type: str
    sha256: str
    size: int
    uploaded_at: datetime
    shares: list[DocumentShareOut] | None  # staff only


class ShareIn(Schema):
    authority: Id
    reason: Text


class RequestFileOut(Schema):
    id: int
    filename: str
    content_type: str
    sha256: str
    size: int


class ProgressReportOut(Schema):
    id: int
    text: str
    outcome: bool
    reported_on: date


class RequestOut(Schema):
    id: int
    reference: str
    kind: str
    kind_label: str
    authority: int | None
    authority_name: str
    institution: str
    subject: str
    facts: str
    operator_named: str
    via_single_point_of_contact: bool
    model_version: int | None
    case: int | None
    received_on: date
    due_on: date | None
    status: str
    assigned_officer: int | None
    answer: str
    acts: bool | None
    answered_on: date | None
    late: bool
    overdue: bool
    rules_version: str
    reasons: list[str]
    citations: list[str]


class RequestDetailOut(RequestOut):
    files: list[RequestFileOut]
    reports: list[ProgressReportOut]


class RequestIn(Schema):
    kind: KindName
    subject: ShortText
    facts: Text
    authority: Id | None = None
    institution: InstitutionName | None = None
    operator_named: ShortText = ""
    model_version: Id | None = None
    case: Id | None = None
    due_on: date | None = None
    received_on: date | None = None


class AssignIn(Schema):
    officer: Id


class ReportIn(Schema):
    text: Text
    no_confidential_information: bool
    outcome: bool = False
    reported_on: date | None = None


# --- helpers -----------------------------------------------------------------------------------


def _user_of(request: HttpRequest) -> Any:
    return request.user


def _may_use(request: HttpRequest) -> None:
    if not selectors.may_use_exchange(request):
        raise PermissionDenied("The exchange is for the Office's staff and national authorities.")


def _may_act(request: HttpRequest) -> None:
    if not selectors.may_act(request):
        raise PermissionDenied(
            "Only the Office's policy, legal officers and heads of unit do this."
        )


def _row(model: Any, field: str, what: str, pk: int | None) -> Any:
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"No such {what}."})
    return found


def _today() -> date:
    return services._today()


def _case_share_out(share: Any) -> dict[str, Any]:
    return {
        "id": share.pk,
        "case": share.case_id,
        "case_reference": share.case.reference,
        "case_title": share.case.title,
        "provider_name": share.case.provider.organisation.name,
        "authority_organisation": share.authority_id,
        "authority_name": share.authority.name,
        "reason": share.reason,
        "shared_at": share.shared_at,
        "url": f"/api/v1/supervision/cases/{share.case_id}",
    }


def _share_out(share: DocumentShare) -> dict[str, Any]:
    return {
        "id": share.pk,
        "authority": share.authority_id,
        "authority_name": share.authority.name,
        "reason": share.reason,
        "shared_at": share.shared_at,
        "revoked_at": share.revoked_at,
    }


def _document_out(document: SharedDocument, *, staff: bool) -> dict[str, Any]:
    return {
        "id": document.pk,
        "title": document.title,
        "description": document.description,
        "confidentiality": document.confidentiality,
        "confidentiality_label": str(document.get_confidentiality_display()),
        "case": document.case_id,
        "filename": document.filename,
        "content_type": document.content_type,
        "sha256": document.sha256,
        "size": document.size,
        "uploaded_at": document.uploaded_at,
        "shares": [_share_out(s) for s in document.shares.all()] if staff else None,
    }


def _request_out(row: ExchangeRequest) -> dict[str, Any]:
    return {
        "id": row.pk,
        "reference": row.reference,
        "kind": row.kind,
        "kind_label": str(row.get_kind_display()),
        "authority": row.authority_id,
        "authority_name": row.authority.name if row.authority is not None else "",
        "institution": row.institution,
        "subject": row.subject,
        "facts": row.facts,
        "operator_named": row.operator_named,
        "via_single_point_of_contact": row.via_single_point_of_contact,
        "model_version": row.model_version_id,
        "case": row.case_id,
        "received_on": row.received_on,
        "due_on": row.due_on,
        "status": row.status,
        "assigned_officer": row.assigned_officer_id,
        "answer": row.answer,
        "acts": row.acts,
        "answered_on": row.answered_on,
        "late": row.late,
        "overdue": row.is_open and row.due_on is not None and row.due_on < _today(),
        "rules_version": row.rules_version,
        "reasons": [str(r) for r in row.reasons],
        "citations": [str(c) for c in row.citations],
    }


def _request_detail_out(row: ExchangeRequest) -> dict[str, Any]:
    return {
        **_request_out(row),
        "files": [
            {
                "id": f.pk,
                "filename": f.filename,
                "content_type": f.content_type,
                "sha256": f.sha256,
                "size": f.size,
            }
            for f in row.files.all()
        ],
        "reports": [
            {"id": r.pk, "text": r.text, "outcome": r.outcome, "reported_on": r.reported_on}
            for r in row.reports.all()
        ],
    }


# --- cases -------------------------------------------------------------------------------------


@router.get(
    "/cases", response=list[CaseShareOut], summary="Cases shared with authorities (active shares)"
)
@paginate(Pagination)
def case_share_list(request: HttpRequest) -> Any:
    _may_use(request)
    return MappedRows(selectors.case_shares_visible_to(request), _case_share_out)


# --- documents ---------------------------------------------------------------------------------


@router.get("/documents", response=list[SharedDocumentOut], summary="Shared documents I may read")
@paginate(Pagination)
def document_list(request: HttpRequest, q: ShortText = "") -> Any:
    _may_use(request)
    if "\x00" in q:
        raise ValidationError({"q": "The search contains a NUL character."})
    rows = selectors.documents_visible_to(request)
    if q.strip():
        rows = rows.filter(title__icontains=q.strip())
    staff = selectors.is_staff(request)
    return MappedRows(rows, lambda d: _document_out(d, staff=staff))


@router.post(
    "/documents",
    response={201: SharedDocumentOut},
    summary="Store a document to share (multipart: file, title, description, confidentiality, "
    "case)",
)
def document_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str],
    description: Form[str] = "",
    confidentiality: Form[ConfidentialityName] = "confidential",
    case: Form[int | None] = None,
) -> Any:
    _may_act(request)
    made = services.document_upload(
        actor=_user_of(request),
        upload=file,
        title=title,
        description=description,
        confidentiality=confidentiality,
        case=_row(Case, "case", "case", case),
    )
    return Status(201, _document_out(made, staff=True))


@router.get(
    "/documents/{document_id}",
    response=SharedDocumentOut,
    summary="A shared document (each opening is audited)",
)
def document_detail(request: HttpRequest, document_id: Id) -> Any:
    _may_use(request)
    document = selectors.document_for(request, document_id)
    services.document_opened(actor=_user_of(request), document=document, download=False)
    return _document_out(document, staff=selectors.is_staff(request))


@router.get(
    "/documents/{document_id}/file",
    summary="Download a shared document, SHA-256 in X-Content-SHA256 (audited)",
)
def document_download(request: HttpRequest, document_id: Id) -> FileResponse:
    _may_use(request)
    document = selectors.document_for(request, document_id)
    response = download_row(document)
    services.document_opened(actor=_user_of(request), document=document, download=True)
    return response


@router.post(
    "/documents/{document_id}/shares",
    response={201: DocumentShareOut},
    summary="Share a document, read-only, with an authority of the directory",
)
def document_share(request: HttpRequest, document_id: Id, payload: ShareIn) -> Any:
    _may_act(request)
    document = selectors.document_for(request, document_id)
    authority = _row(Authority, "authority", "authority", payload.authority)
    made = services.document_share(
        actor=_user_of(request), document=document, authority=authority, reason=payload.reason
    )
    return Status(201, _share_out(made))


@router.post(
    "/documents/{document_id}/shares/{share_id}/revoke",
    response=DocumentShareOut,
    summary="Revoke a share",
)
def document_revoke(request: HttpRequest, document_id: Id, share_id: Id) -> Any:
    _may_act(request)
    document = selectors.document_for(request, document_id)
    share = selectors.share_for(document, share_id)
    done = services.document_revoke(actor=_user_of(request), share=share)
    return _share_out(DocumentShare.objects.select_related("authority").get(pk=done.pk))


# --- requests ----------------------------------------------------------------------------------


@router.get("/requests", response=list[RequestOut], summary="Requests I may read")
@paginate(Pagination)
def request_list(
    request: HttpRequest, kind: KindName | None = None, status: StatusName | None = None
) -> Any:
    _may_use(request)
    rows = selectors.requests_visible_to(request)
    if kind is not None:
        rows = rows.filter(kind=kind)
    if status is not None:
        rows = rows.filter(status=status)
    return MappedRows(rows, _request_out)


@router.post(
    "/requests",
    response={201: RequestDetailOut},
    summary="Submit a request: an authority's (Art. 75(3), 75(2a), 88(2)) or the Office's "
    "(assistance, ECAT or JRC support)",
)
def request_submit(request: HttpRequest, payload: RequestIn) -> Any:
    _may_use(request)
    made = services.request_submit(
        actor=_user_of(request),
        kind=payload.kind,
        subject=payload.subject,
        facts=payload.facts,
        authority=_row(Authority, "authority", "authority", payload.authority),
        institution=payload.institution or "",
        operator_named=payload.operator_named,
        model_version=_row(ModelVersion, "model_version", "model version", payload.model_version),
        case=_row(Case, "case", "case", payload.case),
        due_on=payload.due_on,
        received_on=payload.received_on,
    )
    return Status(201, _request_detail_out(selectors.request_for(request, made.pk)))


@router.get("/requests/{request_id}", response=RequestDetailOut, summary="A request")
def request_detail(request: HttpRequest, request_id: Id) -> Any:
    _may_use(request)
    return _request_detail_out(selectors.request_for(request, request_id))


@router.post(
    "/requests/{request_id}/assign",
    response=RequestDetailOut,
    summary="Assign the request to an officer (its deadline becomes theirs)",
)
def request_assign(request: HttpRequest, request_id: Id, payload: AssignIn) -> Any:
    _may_act(request)
    row = selectors.request_for(request, request_id)
    officer = _row(User, "officer", "person", payload.officer)
    services.request_assign(actor=_user_of(request), request=row, officer=officer)
    return _request_detail_out(selectors.request_for(request, request_id))


@router.post(
    "/requests/{request_id}/answer",
    response=RequestDetailOut,
    summary="Answer the request (multipart: answer, acts for Art. 75(2a), answered_on, files)",
)
def request_answer(
    request: HttpRequest,
    request_id: Id,
    answer: Form[str],
    acts: Form[bool | None] = None,
    answered_on: Form[date | None] = None,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # optional
) -> Any:
    _may_use(request)
    row = selectors.request_for(request, request_id)
    services.request_answer(
        actor=_user_of(request),
        request=row,
        answer=answer,
        acts=acts,
        files=list(files or []),
        answered_on=answered_on,
    )
    return _request_detail_out(selectors.request_for(request, request_id))


@router.post(
    "/requests/{request_id}/withdraw", response=RequestDetailOut, summary="Withdraw a request"
)
def request_withdraw(request: HttpRequest, request_id: Id) -> Any:
    _may_use(request)
    row = selectors.request_for(request, request_id)
    services.request_withdraw(actor=_user_of(request), request=row)
    return _request_detail_out(selectors.request_for(request, request_id))


@router.post(
    "/requests/{request_id}/reports",
    response={201: RequestDetailOut},
    summary="Report progress on an Art. 75(2a) request the Office acts on",
)
def request_report(request: HttpRequest, request_id: Id, payload: ReportIn) -> Any:
    _may_act(request)
    row = selectors.request_for(request, request_id)
    services.request_report(
        actor=_user_of(request),
        request=row,
        text=payload.text,
        no_confidential_information=payload.no_confidential_information,
        outcome=payload.outcome,
        reported_on=payload.reported_on,
    )
    return Status(201, _request_detail_out(selectors.request_for(request, request_id)))


@router.get(
    "/requests/{request_id}/files/{file_id}",
    summary="Download a file of an answer, SHA-256 in X-Content-SHA256 (audited)",
)
def request_file(request: HttpRequest, request_id: Id, file_id: Id) -> FileResponse:
    _may_use(request)
    row = selectors.request_for(request, request_id)
    found = selectors.request_file_for(row, file_id)
    response = download_row(found)
    services.request_file_opened(actor=_user_of(request), row=found)
    return response
