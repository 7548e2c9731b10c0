"""The API of the authorities directory, mounted at /api/v1/cooperation/authorities.

* Public (listed in `aioffice.api.PUBLIC_ROUTES`, rate-limited): the designated authorities
  (`GET ""`, paginated, filters; `GET /directory.csv`, the same as CSV; `GET /{id}`) and
  the 27 Member States with their gaps and where they stand with their resource reports
  (`GET /member-states`). Ended designations are not public.
* The directory's editors: `POST ""`, `PATCH /{id}`, `POST /{id}/end`,
  `POST /{id}/single-point-of-contact`.
* Resource reports (Art. 70(6)): recorded (multipart) by the editors and by the Member
  State's own authorities; the files are read by Office staff and those authorities.

Refusals are 422 naming the field, 403 or 404, never a 500.
"""

# No `from __future__ import annotations`: django-ninja reads the `Query[...]` filter
# schemas of the paginated routes from their live annotations.

from datetime import date, datetime
from typing import Annotated, Any, Literal, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.cooperation import permissions
from aioffice.cooperation import selectors_authorities as selectors
from aioffice.cooperation import services_authorities as services
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.cooperation.models_authorities import Authority
from aioffice.core.exports import csv_response
from aioffice.core.files import download_row
from aioffice.core.paging import Pagination
from aioffice.core.schemas import Id
from aioffice.registry.choices import EU_MEMBER_STATES

router = Router(tags=["cooperation"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

NO_NUL = r"^[^\x00]*$"  # PostgreSQL refuses a NUL in a string
MemberStateCode = Annotated[str, Field(pattern=f"^({'|'.join(sorted(EU_MEMBER_STATES))})$")]
KindName = Literal["notifying", "market_surveillance"]
SectorName = Literal["general", "financial", "annex_i_sectoral", "data_protection"]
assert set(KindName.__args__) == set(AuthorityKind.values)  # type: ignore[attr-defined]  # Literal
assert set(SectorName.__args__) == set(AuthoritySector.values)  # type: ignore[attr-defined]  # Literal


class AuthorityFilter(Schema):
    member_state: MemberStateCode | None = None
    kind: KindName | None = None
    sector: SectorName | None = None
    q: str = Field("", max_length=200, pattern=NO_NUL, description="Words in name or tasks")


class AuthorityOut(Schema):
    id: int
    member_state: str
    name: str
    kind: str
    sector: str
    single_point_of_contact: bool
    email: str
    phone: str
    website: str
    address: str
    contact_published_on: date | None
    updated_at: datetime


class AuthorityDetailOut(AuthorityOut):
    tasks: str


class AuthorityStaffOut(AuthorityDetailOut):
    organisation: int | None = Field(None, alias="organisation_id")
    active: bool


class AuthorityIn(Schema):
    member_state: MemberStateCode
    name: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL)
    kind: KindName
    sector: SectorName = "general"
    tasks: str = Field("", max_length=20000, pattern=NO_NUL)
    email: str = Field("", max_length=254, pattern=NO_NUL)
    phone: str = Field("", max_length=40, pattern=NO_NUL)
    website: str = Field("", max_length=200, pattern=NO_NUL)
    address: str = Field("", max_length=2000, pattern=NO_NUL)
    contact_published_on: date | None = None
    organisation: Id | None = None


class AuthorityPatch(Schema):
    member_state: MemberStateCode | None = None
    name: str | None = Field(None, min_length=1, max_length=200, pattern=NO_NUL)
    kind: KindName | None = None
    sector: SectorName | None = None
    tasks: str | None = Field(None, max_length=20000, pattern=NO_NUL)
    email: str | None = Field(None, max_length=254, pattern=NO_NUL)
    phone: str | None = Field(None, max_length=40, pattern=NO_NUL)
    website: str | None = Field(None, max_length=200, pattern=NO_NUL)
    address: str | None = Field(None, max_length=2000, pattern=NO_NUL)
    contact_published_on: date | None = None
    organisation: Id | None = None


class ReportStandingOut(Schema):
    due_on: date
    overdue: bool


class MemberStateOut(Schema):
    code: str
    name: str
    notifying: int
    market_surveillance: int
    single_point_of_contact: int | None
    gaps: list[str]
    last_report_received_on: date | None
    report: ReportStandingOut


class ResourceReportOut(Schema):
    id: int
    member_state: str = Field(..., alias="member_state_id")
    due_on: date
    received_on: date
    summary: str
    filename: str
    content_type: str
    sha256: str
    size: int
    rules_version: str
    citations: list[str]


def _editor(request: HttpRequest) -> None:
    if not permissions.may_edit_directory(request.user):
        raise PermissionDenied("The directory is edited by the Office's directory editors.")


def _values(filters: Schema) -> dict[str, str]:
    return {k: str(v) for k, v in filters.dict().items() if v}


# --- public ------------------------------------------------------------------------------


@router.get(
    "",
    response=list[AuthorityOut],
    auth=None,
    throttle=_throttle,
    summary="Designated national competent authorities (Art. 70): filters, pages",
)
@paginate(Pagination)
def authority_list(request: HttpRequest, filters: Query[AuthorityFilter]) -> Any:
    return selectors.directory(**_values(filters))


CSV_COLUMNS = (
    "id",
    "member_state",
    "name",
    "kind",
    "sector",
    "single_point_of_contact",
    "email",
    "phone",
    "website",
    "address",
    "contact_published_on",
    "updated_at",
)


@router.get(
    "/directory.csv",
    auth=None,
    throttle=_throttle,
    summary="Designated national competent authorities as CSV (same filters)",
)
def authority_list_csv(
    request: HttpRequest, filters: Query[AuthorityFilter]
) -> StreamingHttpResponse:
    rows = selectors.directory(**_values(filters))

    def lines() -> Any:
        for authority in rows.iterator(chunk_size=500):
            yield [getattr(authority, column) for column in CSV_COLUMNS]

    return csv_response("authorities.csv", CSV_COLUMNS, lines())


@router.get(
    "/member-states",
    response=list[MemberStateOut],
    auth=None,
    throttle=_throttle,
    summary="The 27 Member States: designations, single point of contact, gaps, and where "
    "each stands with its report on its authorities' resources (Art. 70(6))",
)
def member_state_list(request: HttpRequest) -> Any:
    return [
        {
            "code": row.code,
            "name": row.name,
            "notifying": row.notifying,
            "market_surveillance": row.market_surveillance,
            "single_point_of_contact": (
                None if row.single_point_of_contact is None else row.single_point_of_contact.pk
            ),
            "gaps": row.gaps,
            "last_report_received_on": row.last_received_on,
            "report": {"due_on": row.report.due_on, "overdue": row.report.overdue},
        }
        for row in selectors.overview(timezone.now().date())
    ]


@router.get(
    "/{authority_id}",
    response=AuthorityDetailOut,
    auth=None,
    throttle=_throttle,
    summary="One designated authority",
)
def authority_detail(request: HttpRequest, authority_id: Id) -> Any:
    return selectors.authority_shown(None, authority_id)


# --- the directory's editors -------------------------------------------------------------


def _resolved(values: dict[str, Any]) -> dict[str, Any]:
    if "organisation" in values:
        values["organisation"] = services.organisation_for(values["organisation"])
    return values


@router.post(
    "",
    response={201: AuthorityStaffOut},
    summary="Record a designation (directory editors)",
)
def authority_create(request: HttpRequest, payload: AuthorityIn) -> Any:
    _editor(request)
    created = services.authority_create(actor=request.user, **_resolved(payload.dict()))
    return Status(201, created)


def _editable(authority_id: int) -> Authority:
    return selectors.authority_for_editing(authority_id)


@router.patch(
    "/{authority_id}",
    response=AuthorityStaffOut,
    summary="Change a designation (directory editors)",
)
def authority_update(request: HttpRequest, authority_id: Id, payload: AuthorityPatch) -> Any:
    _editor(request)
    authority = _editable(authority_id)
    values = payload.dict(exclude_unset=True)
    for name in ("member_state", "name", "kind", "sector"):
        if name in values and values[name] is None:
            values.pop(name)
    for name in ("tasks", "email", "phone", "website", "address"):
        if name in values and values[name] is None:
            values[name] = ""
    return services.authority_update(actor=request.user, authority=authority, **_resolved(values))


@router.post(
    "/{authority_id}/end",
    response=AuthorityStaffOut,
    summary="End a designation (kept for history, no longer public)",
)
def authority_end(request: HttpRequest, authority_id: Id) -> Any:
    _editor(request)
    return services.authority_end(actor=request.user, authority=_editable(authority_id))


@router.post(
    "/{authority_id}/single-point-of-contact",
    response=AuthorityStaffOut,
    summary="Name the Member State's single point of contact (Art. 70(2))",
)
def authority_spoc(request: HttpRequest, authority_id: Id) -> Any:
    _editor(request)
    return services.authority_set_single_point_of_contact(
        actor=request.user, authority=_editable(authority_id)
    )


# --- resource reports (Art. 70(6)) ------------------------------------------------------


def _required_date(value: str, field: str) -> date:
    found = _form_date(value, field)
    if found is None:
        raise ValidationError({field: "Give the date (YYYY-MM-DD)."})
    return found


def _form_date(value: str, field: str) -> date | None:
    """A date of a multipart form (YYYY-MM-DD), or a refusal naming the field."""
    if not value:
        return None
    try:
        if len(value) != len("YYYY-MM-DD"):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: "Give a date as YYYY-MM-DD."}) from None


@router.post(
    "/member-states/{code}/resource-reports",
    response={201: ResourceReportOut},
    summary="Record a Member State's report on its authorities' resources (multipart)",
)
def resource_report_record(
    request: HttpRequest,
    code: MemberStateCode,
    file: File[UploadedFile],
    received_on: Form[str] = "",
    summary: Form[str] = "",
    due_on: Form[str] = "",
) -> Any:
    if not permissions.may_record_resource_report(request.user, code):
        raise PermissionDenied(
            "Reports are recorded by the directory's editors and the Member State's authorities."
        )
    report = services.resource_report_record(
        actor=request.user,
        member_state=code,
        received_on=_required_date(received_on, "received_on"),
        due_on=_form_date(due_on, "due_on"),
        upload=file,
        summary=summary,
    )
    return Status(201, report)


@router.get(
    "/member-states/{code}/resource-reports/{report_id}/file",
    summary="A resource report's file (Office staff and the Member State's authorities)",
)
def resource_report_file(
    request: HttpRequest, code: MemberStateCode, report_id: Id
) -> HttpResponse:
    if not permissions.may_see_resource_report_files(request.user, code):
        raise PermissionDenied("The reports go to the Commission; they are not public.")
    report = selectors.resource_report(code, report_id)
    # a streamed file: the decorators' and ninja's type is HttpResponse
    return cast(
        HttpResponse,
        download_row(report),
    )
