"""The API of international cooperation, mounted by `aioffice.cooperation.api` at
/api/v1/cooperation/international.

* Public (`auth=None`, rate-limited, listed in `aioffice.api.PUBLIC_ROUTES`): published
  partners and agreements, filtered, paginated, with their CSV twins; an agreement's
  public documents and rounds; a public document's download. Never a contact point.
* `/staff/...`: everything, for the Office's staff (after the second factor); policy
  officers, heads of unit and administrators write (partners, agreements, status, documents
  as multipart, rounds).

Refusals are 401, 403, 404 (an unknown or out-of-range id) or 422 naming the field; a
change of status that is not one is a 422 naming `status`.
"""

# No `from __future__ import annotations`: django-ninja reads the `Query[...]` filter
# schemas of the paginated routes from their live annotations.

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.cooperation import selectors_international as selectors
from aioffice.cooperation import services_international as services
from aioffice.cooperation.models_international import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementStatus,
    AgreementStatusChange,
    DialogueRound,
    Partner,
    PartnerKind,
    PartnerStatus,
)
from aioffice.cooperation.permissions_international import (
    can_edit_international,
    can_read_international,
)
from aioffice.core.exports import csv_response
from aioffice.core.files import download_row
from aioffice.core.paging import MappedRows, Pagination
from aioffice.core.schemas import MAX_ID
from aioffice.registry.choices import MEMBER_STATE_NAMES

router = Router(tags=["cooperation"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

MEMBER_STATE_CODES = "|".join(sorted(MEMBER_STATE_NAMES))
NO_NUL = r"^[^\x00]*$"  # PostgreSQL refuses a NUL in a string

PartnerKindName = Literal[
    "safety_institute",
    "regulator",
    "international_organisation",
    "standards_body",
    "research",
    "other",
]
PartnerStatusName = Literal["active", "dormant", "ended"]
AgreementKindName = Literal[
    "administrative_arrangement",
    "memorandum",
    "international_agreement",
    "dialogue",
    "network_membership",
    "joint_statement",
]
AgreementStatusName = Literal[
    "exploratory", "under_negotiation", "signed", "in_force", "suspended", "ended"
]
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
MemberState = Annotated[str, Field(pattern=f"^({MEMBER_STATE_CODES})$")]
Text = Annotated[str, Field(max_length=20_000, pattern=NO_NUL)]
Line = Annotated[str, Field(max_length=300, pattern=NO_NUL)]
Url = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- schemas -------------------------------------------------------------------------------


class PartnerFilter(Schema):
    kind: PartnerKindName | None = None
    status: PartnerStatusName | None = None
    country: Country | None = None


class AgreementFilter(Schema):
    kind: AgreementKindName | None = None
    status: AgreementStatusName | None = None
    country: Country | None = Field(None, description="A partner's country (ISO code)")
    member_state: MemberState | None = Field(None, description="A Member State involved")
    partner: RowId | None = None


class PartnerOut(Schema):
    id: int
    name: str
    country: str
    kind: str
    status: str
    website: str
    description: str
    updated_at: datetime


class PartnerStaffOut(PartnerOut):
    contact_point: str
    published: bool


class PartnerRef(Schema):
    id: int
    name: str
    country: str


class StatusStepOut(Schema):
    from_status: str
    to_status: str
    on: date
    note: str


class DocumentOut(Schema):
    id: int
    title: str
    filename: str
    content_type: str
    sha256: str
    size: int
    public: bool
    uploaded_at: datetime


class RoundOut(Schema):
    id: int
    held_on: date
    place: str
    summary: str
    public: bool


class AgreementOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    partners: list[PartnerRef]
    member_states: list[str]
    signed_on: date | None
    in_force_from: date | None
    ends_on: date | None
    summary: str
    member_state_support: str
    updated_at: datetime


class AgreementDetailOut(AgreementOut):
    history: list[StatusStepOut]
    documents: list[DocumentOut]
    rounds: list[RoundOut]


class AgreementStaffOut(AgreementDetailOut):
    published: bool


class PartnerIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
    country: Country
    kind: PartnerKindName
    website: Url = ""
    description: Text = ""
    status: PartnerStatusName = "active"
    contact_point: Text = ""
    published: bool = False


class PartnerPatch(Schema):
    name: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)] | None = None
    country: Country | None = None
    kind: PartnerKindName | None = None
    website: Url | None = None
    description: Text | None = None
    status: PartnerStatusName | None = None
    contact_point: Text | None = None
    published: bool | None = None


class AgreementIn(Schema):
    title: Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)]
    kind: AgreementKindName
    partners: list[RowId] = []
    member_states: list[MemberState] = []
    status: AgreementStatusName = "exploratory"
    status_on: date | None = None
    signed_on: date | None = None
    in_force_from: date | None = None
    ends_on: date | None = None
    summary: Text = ""
    member_state_support: Text = ""
    published: bool = False


class AgreementPatch(Schema):
    title: Annotated[str, Field(min_length=1, max_length=300, pattern=NO_NUL)] | None = None
    kind: AgreementKindName | None = None
    partners: list[RowId] | None = None
    member_states: list[MemberState] | None = None
    signed_on: date | None = None
    in_force_from: date | None = None
    ends_on: date | None = None
    summary: Text | None = None
    member_state_support: Text | None = None
    published: bool | None = None


class StatusIn(Schema):
    status: AgreementStatusName
    on: date
    note: Text = ""


class RoundIn(Schema):
    held_on: date
    summary: Annotated[str, Field(min_length=1, max_length=20_000, pattern=NO_NUL)]
    place: Line = ""
    public: bool = False


# --- helpers -------------------------------------------------------------------------------


def _id(value: int) -> int:
    """A row id from a path: one the database cannot hold is a 404, like an unknown one."""
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value


def _values(filters: Schema) -> dict[str, Any]:
    return {k: v for k, v in filters.dict().items() if v}


def _staff(request: HttpRequest) -> None:
    if not can_read_international(request):
        raise PermissionDenied


def _editor(request: HttpRequest) -> None:
    if not can_edit_international(request):
        raise PermissionDenied("Policy officers, heads of unit and administrators edit.")


def _partner_out(p: Partner, *, staff: bool = False) -> dict[str, Any]:
    out = {
        "id": p.pk,
        "name": p.name,
        "country": p.country,
        "kind": p.kind,
        "status": p.status,
        "website": p.website,
        "description": p.description,
        "updated_at": p.updated_at,
    }
    if staff:
        out.update(contact_point=p.contact_point, published=p.published)
    return out


def _agreement_out(a: Agreement) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "kind": a.kind,
        "status": a.status,
        "partners": [{"id": p.pk, "name": p.name, "country": p.country} for p in a.partners.all()],
        "member_states": [m.member_state for m in a.member_states.all()],
        "signed_on": a.signed_on,
        "in_force_from": a.in_force_from,
        "ends_on": a.ends_on,
        "summary": a.summary,
        "member_state_support": a.member_state_support,
        "updated_at": a.updated_at,
    }


def _step_out(s: AgreementStatusChange) -> dict[str, Any]:
    return {"from_status": s.from_status, "to_status": s.to_status, "on": s.on, "note": s.note}


def _document_out(d: AgreementDocument) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "filename": d.filename,
        "content_type": d.content_type,
        "sha256": d.sha256,
        "size": d.size,
        "public": d.public,
        "uploaded_at": d.uploaded_at,
    }


def _round_out(r: DialogueRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "held_on": r.held_on,
        "place": r.place,
        "summary": r.summary,
        "public": r.public,
    }


def _detail(a: Agreement, *, staff: bool) -> dict[str, Any]:
    documents = selectors.all_documents(a) if staff else selectors.public_documents(a)
    rounds = selectors.all_rounds(a) if staff else selectors.public_rounds(a)
    out = _agreement_out(a)
    out.update(
        history=[_step_out(s) for s in selectors.history(a)],
        documents=[_document_out(d) for d in documents],
        rounds=[_round_out(r) for r in rounds],
    )
    if staff:
        out["published"] = a.published
    return out


def _file(document: AgreementDocument) -> HttpResponse:
    response: Any = download_row(document)
    return response  # type: ignore[no-any-return]


PARTNER_CSV = ("id", "name", "country", "kind", "status", "website", "description")
AGREEMENT_CSV = (
    "id",
    "title",
    "kind",
    "status",
    "partners",
    "partner_countries",
    "member_states",
    "signed_on",
    "in_force_from",
    "ends_on",
    "summary",
)


def _agreement_row(a: Agreement) -> list[Any]:
    partners = list(a.partners.all())
    return [
        a.pk,
        a.title,
        a.kind,
        a.status,
        "; ".join(p.name for p in partners),
        " ".join(sorted({p.country for p in partners})),
        " ".join(m.member_state for m in a.member_states.all()),
        a.signed_on,
        a.in_force_from,
        a.ends_on,
        a.summary,
    ]


# --- the public ----------------------------------------------------------------------------


@router.get(
    "/partners",
    response=list[PartnerOut],
    auth=None,
    throttle=_throttle,
    summary="Published partner institutions, filtered by kind, status and country",
)
@paginate(Pagination)
def partners(request: HttpRequest, filters: Query[PartnerFilter]) -> Any:
    return selectors.partners_published(**_values(filters))


@router.get(
    "/partners.csv",
    auth=None,
    throttle=_throttle,
    summary="Published partner institutions as CSV (same filters)",
)
def partners_csv(request: HttpRequest, filters: Query[PartnerFilter]) -> StreamingHttpResponse:
    rows = selectors.partners_published(**_values(filters))
    lines = ([getattr(p, name) for name in PARTNER_CSV] for p in rows.iterator())
    return csv_response("international-partners.csv", PARTNER_CSV, lines)


@router.get(
    "/partners/{partner_id}",
    response=PartnerOut,
    auth=None,
    throttle=_throttle,
    summary="A published partner institution",
)
def partner(request: HttpRequest, partner_id: int) -> Any:
    return _partner_out(selectors.partner_published(_id(partner_id)))


@router.get(
    "/agreements",
    response=list[AgreementOut],
    auth=None,
    throttle=_throttle,
    summary="Published agreements and dialogues, filtered by kind, status, a partner's "
    "country, a Member State involved, a partner",
)
@paginate(Pagination)
def agreements(request: HttpRequest, filters: Query[AgreementFilter]) -> Any:
    return MappedRows(selectors.agreements_published(**_values(filters)), _agreement_out)


@router.get(
    "/agreements.csv",
    auth=None,
    throttle=_throttle,
    summary="Published agreements and dialogues as CSV (same filters)",
)
def agreements_csv(request: HttpRequest, filters: Query[AgreementFilter]) -> StreamingHttpResponse:
    rows = selectors.agreements_published(**_values(filters))
    lines = (_agreement_row(a) for a in rows.iterator(chunk_size=500))
    return csv_response("international-agreements.csv", AGREEMENT_CSV, lines)


@router.get(
    "/agreements/{agreement_id}",
    response=AgreementDetailOut,
    auth=None,
    throttle=_throttle,
    summary="A published agreement or dialogue: status history, public documents and rounds",
)
def agreement(request: HttpRequest, agreement_id: int) -> Any:
    found = selectors.agreement_visible_to(None, _id(agreement_id))
    return _detail(found, staff=False)


@router.get(
    "/agreements/{agreement_id}/documents/{document_id}",
    auth=None,
    throttle=_throttle,
    summary="Download a public document of a published agreement (SHA-256 in X-Content-SHA256)",
)
def agreement_document(request: HttpRequest, agreement_id: int, document_id: int) -> HttpResponse:
    return _file(selectors.public_document(None, _id(agreement_id), _id(document_id)))


# --- the Office ----------------------------------------------------------------------------


@router.get(
    "/staff/partners",
    response=list[PartnerStaffOut],
    summary="Every partner institution, with its contact point (staff)",
)
@paginate(Pagination)
def staff_partners(request: HttpRequest, filters: Query[PartnerFilter]) -> Any:
    _staff(request)
    return MappedRows(
        selectors.partners_for_staff(**_values(filters)), lambda p: _partner_out(p, staff=True)
    )


@router.post(
    "/staff/partners", response={201: PartnerStaffOut}, summary="Add a partner institution"
)
def staff_partner_create(request: HttpRequest, payload: PartnerIn) -> Any:
    _editor(request)
    made = services.partner_create(actor=request.user, **payload.dict())
    return Status(201, _partner_out(made, staff=True))


@router.get(
    "/staff/partners/{partner_id}",
    response=PartnerStaffOut,
    summary="A partner institution, with its contact point (staff)",
)
def staff_partner(request: HttpRequest, partner_id: int) -> Any:
    _staff(request)
    return _partner_out(selectors.partner_for_staff(_id(partner_id)), staff=True)


@router.patch(
    "/staff/partners/{partner_id}",
    response=PartnerStaffOut,
    summary="Change a partner institution (the fields sent)",
)
def staff_partner_update(request: HttpRequest, partner_id: int, payload: PartnerPatch) -> Any:
    _editor(request)
    found = selectors.partner_for_staff(_id(partner_id))
    changed = services.partner_update(
        actor=request.user, partner=found, **payload.dict(exclude_unset=True)
    )
    return _partner_out(changed, staff=True)


@router.get(
    "/staff/agreements",
    response=list[AgreementOut],
    summary="Every agreement and dialogue, published or not (staff)",
)
@paginate(Pagination)
def staff_agreements(request: HttpRequest, filters: Query[AgreementFilter]) -> Any:
    _staff(request)
    return MappedRows(selectors.agreements_for_staff(**_values(filters)), _agreement_out)


@router.post(
    "/staff/agreements",
    response={201: AgreementStaffOut},
    summary="Add an agreement or dialogue with its first status",
)
def staff_agreement_create(request: HttpRequest, payload: AgreementIn) -> Any:
    _editor(request)
    made = services.agreement_create(actor=request.user, **payload.dict())
    return Status(201, _detail(selectors.agreement_for_staff(made.pk), staff=True))


@router.get(
    "/staff/agreements/{agreement_id}",
    response=AgreementStaffOut,
    summary="An agreement or dialogue with all its documents and rounds (staff)",
)
def staff_agreement(request: HttpRequest, agreement_id: int) -> Any:
    _staff(request)
    return _detail(selectors.agreement_for_staff(_id(agreement_id)), staff=True)


@router.patch(
    "/staff/agreements/{agreement_id}",
    response=AgreementStaffOut,
    summary="Change an agreement's facts, partners, Member States or publication",
)
def staff_agreement_update(request: HttpRequest, agreement_id: int, payload: AgreementPatch) -> Any:
    _editor(request)
    found = selectors.agreement_for_staff(_id(agreement_id))
    services.agreement_update(
        actor=request.user, agreement=found, **payload.dict(exclude_unset=True)
    )
    return _detail(selectors.agreement_for_staff(found.pk), staff=True)


@router.post(
    "/staff/agreements/{agreement_id}/status",
    response={201: StatusStepOut},
    summary="Move an agreement to another status on a date (kept in its history)",
)
def staff_agreement_status(request: HttpRequest, agreement_id: int, payload: StatusIn) -> Any:
    _editor(request)
    found = selectors.agreement_for_staff(_id(agreement_id))
    step = services.agreement_status_change(
        actor=request.user, agreement=found, status=payload.status, on=payload.on, note=payload.note
    )
    return Status(201, _step_out(step))


@router.post(
    "/staff/agreements/{agreement_id}/documents",
    response={201: DocumentOut},
    summary="Add a document (multipart: file, title, public)",
)
def staff_document_add(
    request: HttpRequest,
    agreement_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
    public: Form[bool] = False,
) -> Any:
    _editor(request)
    found = selectors.agreement_for_staff(_id(agreement_id))
    made = services.agreement_document_add(
        actor=request.user, agreement=found, upload=file, title=title, public=public
    )
    return Status(201, _document_out(made))


@router.get(
    "/staff/agreements/{agreement_id}/documents/{document_id}",
    summary="Download any document of an agreement (staff; SHA-256 in X-Content-SHA256)",
)
def staff_document(request: HttpRequest, agreement_id: int, document_id: int) -> HttpResponse:
    _staff(request)
    return _file(selectors.staff_document(_id(agreement_id), _id(document_id)))


@router.post(
    "/staff/agreements/{agreement_id}/rounds",
    response={201: RoundOut},
    summary="Record a meeting or round",
)
def staff_round_add(request: HttpRequest, agreement_id: int, payload: RoundIn) -> Any:
    _editor(request)
    found = selectors.agreement_for_staff(_id(agreement_id))
    made = services.dialogue_round_add(actor=request.user, agreement=found, **payload.dict())
    return Status(201, _round_out(made))


# The values the API accepts are the models' choices (a test keeps them in step).
CHOICES = {
    "partner_kind": PartnerKind.values,
    "partner_status": PartnerStatus.values,
    "agreement_kind": AgreementKind.values,
    "agreement_status": AgreementStatus.values,
}
