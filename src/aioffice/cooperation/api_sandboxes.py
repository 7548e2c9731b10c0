"""The API of AI regulatory sandboxes, mounted by `aioffice.cooperation.api` at
/api/v1/cooperation/sandboxes.

* Public (`auth=None`, in `aioffice.api.PUBLIC_ROUTES`, rate-limited): the published list
  (Art. 57(15)) as JSON and CSV, the Member States' overview with the national deadline
  (SBX-01), a published sandbox with its reports' abstracts and the exit reports both sides
  agreed to publish (Art. 57(8), (16)).
* Office staff and the operating authorities: the sandboxes' records, registering and
  changing them, decisions, suspensions, plans, immunity, exit and annual reports.
* Providers: apply, read their own applications, agree plans, consent to the use of their
  exit reports.

Refusals are 401, 403, 404 or 422 naming the field, never a 500.
"""

# No `from __future__ import annotations`: django-ninja reads the `Query[...]` filter
# schemas of the paginated routes from their live annotations.

from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle, BaseThrottle

from aioffice.accounts.models import Organisation
from aioffice.cooperation import permissions_sandboxes as rules
from aioffice.cooperation import selectors_sandboxes as selectors
from aioffice.cooperation import services_sandboxes as services
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_sandboxes import (
    ExitReport,
    Sandbox,
    SandboxApplication,
    SandboxPlan,
)
from aioffice.core.exports import csv_response
from aioffice.core.files import download_row
from aioffice.core.paging import MappedRows, Pagination
from aioffice.core.schemas import MAX_ID
from aioffice.registry.choices import MEMBER_STATE_NAMES

router = Router(tags=["cooperation"])
_throttle: list[BaseThrottle] = [AnonRateThrottle(settings.PUBLIC_API_RATE)]

MEMBER_STATE_CODES = "|".join(sorted(MEMBER_STATE_NAMES))
Text = Field(..., min_length=1, max_length=20000, pattern=r"^[^\x00]*$")
StatusName = Literal["planned", "operational", "closed"]
LevelName = Literal["national", "union"]
ReportKindName = Literal["annual", "final"]
ApplicationStatusName = Literal[
    "pending", "accepted", "refused", "withdrawn", "suspended", "terminated", "exited"
]


# --- schemas ---------------------------------------------------------------------------------


class SandboxFilter(Schema):
    member_state: str | None = Field(None, pattern=f"^({MEMBER_STATE_CODES})$")
    status: StatusName | None = None


class SandboxOut(Schema):
    id: int
    name: str
    level: str
    member_state: str
    joint_member_states: list[str]
    operating_authority: str
    status: str
    established_on: date | None
    closed_on: date | None
    capacity: int
    focus_sectors: str
    website: str
    description: str
    updated_at: datetime


class SandboxRecordOut(SandboxOut):
    operating_authority_id: int | None
    published: bool
    report_due_on: date | None
    rules_version: str
    reasons: list[str]
    citations: list[str]
    pending: int
    participants: int


class StateOut(Schema):
    code: str
    name: str
    planned: int
    operational: int
    operational_by_deadline: bool


class OverviewOut(Schema):
    deadline: date
    rules_version: str
    reasons: list[str]
    citations: list[str]
    member_states: list[StateOut]


class AbstractOut(Schema):
    id: int
    kind: str
    submitted_on: date
    abstract: str


class ExitSummaryOut(Schema):
    id: int
    project: str
    summary: str


class PublicSandboxOut(SandboxOut):
    reports: list[AbstractOut]
    exit_reports: list[ExitSummaryOut]


class SandboxIn(Schema):
    name: str = Field(..., min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    level: LevelName = "national"
    member_state: str = Field("", pattern=f"^({MEMBER_STATE_CODES}|)$")
    joint_member_states: list[str] = Field(default_factory=list, max_length=27)
    operating_authority: int | None = Field(None, ge=1, le=MAX_ID)
    status: StatusName = "planned"
    established_on: date | None = None
    capacity: int = Field(1, ge=1, le=100000)
    focus_sectors: str = Field("", max_length=300)
    website: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    published: bool = False


class SandboxPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    level: LevelName | None = None
    member_state: str | None = Field(None, pattern=f"^({MEMBER_STATE_CODES}|)$")
    joint_member_states: list[str] | None = Field(None, max_length=27)
    operating_authority: int | None = Field(None, ge=1, le=MAX_ID)
    status: StatusName | None = None
    established_on: date | None = None
    closed_on: date | None = None
    capacity: int | None = Field(None, ge=1, le=100000)
    focus_sectors: str | None = Field(None, max_length=300)
    website: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    published: bool | None = None


class ApplicationIn(Schema):
    applicant: int = Field(..., ge=1, le=MAX_ID)
    project: str = Field(..., min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    system_description: str = Text
    sme: bool = False
    real_world_testing_planned: bool = False
    applied_on: date | None = None


class DecisionIn(Schema):
    accept: bool
    reasons: str = Text
    decided_on: date | None = None


class SuspensionIn(Schema):
    reasons: str = Text
    permanent: bool = False
    suspended_on: date | None = None


class ImmunityIn(Schema):
    followed_plan: bool
    good_faith: bool


class PlanIn(Schema):
    objectives: str = Text
    starts_on: date
    ends_on: date
    terms: str = Text
    safeguards: str = Text
    real_world_testing_included: bool = False
    real_world_testing_plan: str = Field("", max_length=20000)


class ConsentIn(Schema):
    publication: bool | None = None
    access: bool | None = None


class PlanOut(Schema):
    id: int
    version: int
    objectives: str
    starts_on: date
    ends_on: date
    terms: str
    safeguards: str
    real_world_testing_included: bool
    real_world_testing_plan: str
    provider_agreed_at: datetime | None
    authority_agreed_at: datetime | None
    agreed: bool


class ExitReportOut(Schema):
    id: int
    filename: str
    sha256: str
    size: int
    summary: str
    uploaded_at: datetime
    provider_agrees_publication: bool
    authority_agrees_publication: bool
    provider_agrees_access: bool
    published: bool


class ApplicationOut(Schema):
    id: int
    sandbox: int
    sandbox_name: str
    applicant: int
    applicant_name: str
    project: str
    system_description: str
    sme: bool
    real_world_testing_planned: bool
    applied_on: date
    status: str
    decision_due_on: date
    rules_version: str
    reasons: list[str]
    citations: list[str]
    decided_on: date | None
    decision_reasons: str
    suspended_on: date | None
    suspension_reasons: str
    office_informed_on: date | None
    followed_plan: bool | None
    good_faith: bool | None
    immune: bool | None
    immunity_rules_version: str
    immunity_reasons: list[str]
    immunity_citations: list[str]


class ApplicationFileOut(ApplicationOut):
    plans: list[PlanOut]
    exit_report: ExitReportOut | None


class ReportOut(Schema):
    id: int
    kind: str
    due_on: date | None
    submitted_on: date
    filename: str
    sha256: str
    size: int
    abstract: str
    next_report_due_on: date | None


# --- serialisation ---------------------------------------------------------------------------


def _sandbox_out(sandbox: Sandbox) -> dict[str, Any]:
    authority = sandbox.operating_authority
    return {
        "id": sandbox.pk,
        "name": sandbox.name,
        "level": sandbox.level,
        "member_state": sandbox.member_state,
        "joint_member_states": list(sandbox.joint_member_states),
        "operating_authority": "" if authority is None else authority.name,
        "status": sandbox.status,
        "established_on": sandbox.established_on,
        "closed_on": sandbox.closed_on,
        "capacity": sandbox.capacity,
        "focus_sectors": sandbox.focus_sectors,
        "website": sandbox.website,
        "description": sandbox.description,
        "updated_at": sandbox.updated_at,
    }


def _record_out(sandbox: Sandbox) -> dict[str, Any]:
    return {
        **_sandbox_out(sandbox),
        "operating_authority_id": sandbox.operating_authority_id,
        "published": sandbox.published,
        "report_due_on": sandbox.report_due_on,
        "rules_version": sandbox.rules_version,
        "reasons": sandbox.reasons,
        "citations": sandbox.citations,
        "pending": getattr(sandbox, "pending", 0),
        "participants": getattr(sandbox, "participants", 0),
    }


def _application_out(a: SandboxApplication) -> dict[str, Any]:
    return {
        "id": a.pk,
        "sandbox": a.sandbox_id,
        "sandbox_name": a.sandbox.name,
        "applicant": a.applicant_id,
        "applicant_name": a.applicant.name,
        **{
            name: getattr(a, name)
            for name in (
                "project",
                "system_description",
                "sme",
                "real_world_testing_planned",
                "applied_on",
                "status",
                "decision_due_on",
                "rules_version",
                "reasons",
                "citations",
                "decided_on",
                "decision_reasons",
                "suspended_on",
                "suspension_reasons",
                "office_informed_on",
                "followed_plan",
                "good_faith",
                "immune",
                "immunity_rules_version",
                "immunity_reasons",
                "immunity_citations",
            )
        },
    }


def _plan_out(p: SandboxPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "version": p.version,
        "objectives": p.objectives,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "terms": p.terms,
        "safeguards": p.safeguards,
        "real_world_testing_included": p.real_world_testing_included,
        "real_world_testing_plan": p.real_world_testing_plan,
        "provider_agreed_at": p.provider_agreed_at,
        "authority_agreed_at": p.authority_agreed_at,
        "agreed": p.agreed,
    }


def _exit_out(r: ExitReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "filename": r.filename,
        "sha256": r.sha256,
        "size": r.size,
        "summary": r.summary,
        "uploaded_at": r.uploaded_at,
        "provider_agrees_publication": r.provider_agrees_publication,
        "authority_agrees_publication": r.authority_agrees_publication,
        "provider_agrees_access": r.provider_agrees_access,
        "published": r.published,
    }


def _file_out(a: SandboxApplication) -> dict[str, Any]:
    report = ExitReport.objects.filter(application=a).first()
    return {
        **_application_out(a),
        "plans": [_plan_out(p) for p in a.plans.order_by("-version")],
        "exit_report": None if report is None else _exit_out(report),
    }


def _user(request: HttpRequest) -> Any:
    return request.user


def _missing(field: str, what: str) -> ValidationError:
    return ValidationError({field: f"No such {what}."})


def _authority(pk: int | None) -> Authority | None:
    if pk is None:
        return None
    found = Authority.objects.filter(pk=pk).first()
    if found is None:
        raise _missing("operating_authority", "authority")
    return found


# --- public --------------------------------------------------------------------------------


@router.get(
    "/",
    response=list[SandboxOut],
    auth=None,
    throttle=_throttle,
    summary="The published list of planned and existing AI regulatory sandboxes (Art. 57(15))",
)
@paginate(Pagination)
def sandbox_list(request: HttpRequest, filters: Query[SandboxFilter]) -> Any:
    values = {k: str(v) for k, v in filters.dict().items() if v}
    return MappedRows(selectors.sandboxes_published(**values), _sandbox_out)


CSV_COLUMNS = (
    "id",
    "name",
    "level",
    "member_state",
    "joint_member_states",
    "operating_authority",
    "status",
    "established_on",
    "closed_on",
    "capacity",
    "focus_sectors",
    "website",
)


@router.get(
    "/published.csv",
    auth=None,
    throttle=_throttle,
    summary="The published list of sandboxes as CSV (same filters)",
)
def sandbox_list_csv(request: HttpRequest, filters: Query[SandboxFilter]) -> StreamingHttpResponse:
    values = {k: str(v) for k, v in filters.dict().items() if v}
    return csv_response("ai-regulatory-sandboxes.csv", CSV_COLUMNS, sandbox_csv_rows(**values))


def sandbox_csv_rows(**filters: str) -> Any:
    for sandbox in selectors.sandboxes_published(**filters).iterator(chunk_size=500):
        out = _sandbox_out(sandbox)
        out["joint_member_states"] = " ".join(out["joint_member_states"])
        yield [out[name] for name in CSV_COLUMNS]


@router.get(
    "/member-states",
    response=OverviewOut,
    auth=None,
    throttle=_throttle,
    summary="Per Member State: published sandboxes and whether one was operational by the "
    "national deadline (SBX-01, Art. 57(1))",
)
def member_states(request: HttpRequest) -> Any:
    found = selectors.national_deadline(timezone.now().date())
    return {
        "deadline": found.deadline,
        "rules_version": found.rules_version,
        "reasons": found.reasons,
        "citations": found.citations,
        "member_states": selectors.member_state_overview(found.deadline),
    }


# --- records of staff and authorities -------------------------------------------------------


@router.get(
    "/records",
    response=list[SandboxRecordOut],
    summary="The sandboxes' records: all for Office staff, its own for an operating authority",
)
@paginate(Pagination)
def sandbox_records(request: HttpRequest) -> Any:
    if not rules.may_open_admin(_user(request)):
        raise PermissionDenied("Sandbox records are for the AI Office and national authorities.")
    return MappedRows(selectors.sandboxes_visible_to(_user(request)), _record_out)


@router.post("/records", response={201: SandboxRecordOut}, summary="Register a sandbox")
def sandbox_create(request: HttpRequest, payload: SandboxIn) -> Any:
    data = payload.dict()
    data["operating_authority"] = _authority(data.pop("operating_authority"))
    sandbox = services.sandbox_create(actor=_user(request), **data)
    return Status(201, _record_out(sandbox))


@router.get(
    "/applications",
    response=list[ApplicationOut],
    summary="Applications: all for Office staff, to its sandboxes for an authority, its own "
    "for a provider",
)
@paginate(Pagination)
def application_list(request: HttpRequest, status: ApplicationStatusName | None = None) -> Any:
    user = _user(request)
    if not (rules.may_open_admin(user) or rules.applicant_organisations(user).exists()):
        raise PermissionDenied("Applications are for the AI Office, authorities and applicants.")
    rows = selectors.applications_visible_to(user)
    if status:
        rows = rows.filter(status=status)
    return MappedRows(rows, _application_out)


def _application(request: HttpRequest, application_id: int) -> SandboxApplication:
    return selectors.application_for(_user(request), application_id)


@router.get(
    "/applications/{application_id}",
    response=ApplicationFileOut,
    summary="An application with its plans and exit report",
)
def application_detail(request: HttpRequest, application_id: int) -> Any:
    return _file_out(_application(request, application_id))


@router.post(
    "/applications/{application_id}/withdraw",
    response=ApplicationOut,
    summary="Withdraw a pending application (the applicant)",
)
def application_withdraw(request: HttpRequest, application_id: int) -> Any:
    done = services.application_withdraw(
        actor=_user(request), application=_application(request, application_id)
    )
    return _application_out(done)


@router.post(
    "/applications/{application_id}/decision",
    response=ApplicationOut,
    summary="Accept or refuse, with reasons (the operating authority)",
)
def application_decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> Any:
    done = services.application_decide(
        actor=_user(request), application=_application(request, application_id), **payload.dict()
    )
    return _application_out(done)


@router.post(
    "/applications/{application_id}/suspension",
    response=ApplicationOut,
    summary="Suspend a participant, or end its participation; the AI Office is informed "
    "(Art. 57(11))",
)
def participation_suspend(request: HttpRequest, application_id: int, payload: SuspensionIn) -> Any:
    done = services.participation_suspend(
        actor=_user(request), application=_application(request, application_id), **payload.dict()
    )
    return _application_out(done)


@router.post(
    "/applications/{application_id}/resume",
    response=ApplicationOut,
    summary="End a temporary suspension",
)
def participation_resume(request: HttpRequest, application_id: int) -> Any:
    done = services.participation_resume(
        actor=_user(request), application=_application(request, application_id)
    )
    return _application_out(done)


@router.post(
    "/applications/{application_id}/immunity",
    response=ApplicationOut,
    summary="Record plan observance and good faith; aiact says whether fines are excluded "
    "(Art. 57(12))",
)
def immunity_record(request: HttpRequest, application_id: int, payload: ImmunityIn) -> Any:
    done = services.immunity_record(
        actor=_user(request), application=_application(request, application_id), **payload.dict()
    )
    return _application_out(done)


@router.post(
    "/applications/{application_id}/plans",
    response={201: PlanOut},
    summary="Propose a new version of the sandbox plan (provider or authority)",
)
def plan_propose(request: HttpRequest, application_id: int, payload: PlanIn) -> Any:
    plan = services.plan_propose(
        actor=_user(request), application=_application(request, application_id), **payload.dict()
    )
    return Status(201, _plan_out(plan))


@router.post(
    "/applications/{application_id}/plans/{plan_id}/agree",
    response=PlanOut,
    summary="Agree to the latest version of the plan",
)
def plan_agree(request: HttpRequest, application_id: int, plan_id: int) -> Any:
    application = _application(request, application_id)
    if not 1 <= plan_id <= MAX_ID:
        raise Http404
    plan = SandboxPlan.objects.filter(pk=plan_id, application=application).first()
    if plan is None:
        raise Http404
    return _plan_out(services.plan_agree(actor=_user(request), plan=plan))


@router.post(
    "/applications/{application_id}/exit-report",
    response={201: ExitReportOut},
    summary="Give the participant its exit report (multipart: file, summary; the authority)",
)
def exit_report_add(
    request: HttpRequest,
    application_id: int,
    file: File[UploadedFile],
    summary: Form[str] = "",
    authority_agrees_publication: Form[bool] = False,
) -> Any:
    report = services.exit_report_add(
        actor=_user(request),
        application=_application(request, application_id),
        upload=file,
        summary=summary,
        authority_agrees_publication=authority_agrees_publication,
    )
    return Status(201, _exit_out(report))


def _exit_report(request: HttpRequest, application_id: int) -> ExitReport:
    application = _application(request, application_id)
    report = ExitReport.objects.filter(application=application).first()
    if report is None:
        raise Http404
    return report


@router.post(
    "/applications/{application_id}/exit-report/consent",
    response=ExitReportOut,
    summary="Agree (or not) to publication, and the provider to the Commission's and the "
    "Board's access (Art. 57(8))",
)
def exit_report_consent(request: HttpRequest, application_id: int, payload: ConsentIn) -> Any:
    report = services.exit_report_consent(
        actor=_user(request), report=_exit_report(request, application_id), **payload.dict()
    )
    return _exit_out(report)


@router.get(
    "/applications/{application_id}/exit-report",
    summary="Download the exit report, SHA-256 in X-Content-SHA256",
)
def exit_report_download(request: HttpRequest, application_id: int) -> HttpResponse:
    report = _exit_report(request, application_id)
    selectors.exit_report_for(_user(request), report.pk)
    response: Any = download_row(report)
    return response  # type: ignore[no-any-return]


# --- one sandbox -------------------------------------------------------------------------


@router.get(
    "/{sandbox_id}",
    response=PublicSandboxOut,
    auth=None,
    throttle=_throttle,
    summary="A published sandbox with its reports' abstracts and published exit reports",
)
def sandbox_detail(request: HttpRequest, sandbox_id: int) -> Any:
    sandbox = selectors.sandbox_published(sandbox_id)
    return {
        **_sandbox_out(sandbox),
        "reports": list(selectors.published_reports(sandbox)),
        "exit_reports": [
            {"id": r.pk, "project": r.application.project, "summary": r.summary}
            for r in selectors.published_exit_reports(sandbox)
        ],
    }


@router.get(
    "/records/{sandbox_id}",
    response=SandboxRecordOut,
    summary="A sandbox's record (Office staff and the operating authority)",
)
def sandbox_record(request: HttpRequest, sandbox_id: int) -> Any:
    found = selectors.sandbox_for(_user(request), sandbox_id)
    return _record_out(selectors.sandboxes_visible_to(_user(request)).get(pk=found.pk))


@router.patch(
    "/records/{sandbox_id}", response=SandboxRecordOut, summary="Change a sandbox's record"
)
def sandbox_update(request: HttpRequest, sandbox_id: int, payload: SandboxPatchIn) -> Any:
    sandbox = selectors.sandbox_for(_user(request), sandbox_id)
    changes = payload.dict(exclude_unset=True)
    if "operating_authority" in changes:
        changes["operating_authority"] = _authority(changes["operating_authority"])
    done = services.sandbox_update(actor=_user(request), sandbox=sandbox, **changes)
    return _record_out(selectors.sandboxes_visible_to(_user(request)).get(pk=done.pk))


@router.post(
    "/{sandbox_id}/applications",
    response={201: ApplicationOut},
    summary="Apply to a published sandbox (a member of the applicant organisation)",
)
def application_submit(request: HttpRequest, sandbox_id: int, payload: ApplicationIn) -> Any:
    sandbox = selectors.sandbox_published(sandbox_id)
    data = payload.dict()
    applicant = Organisation.objects.filter(pk=data.pop("applicant")).first()
    if applicant is None:
        raise _missing("applicant", "organisation")
    application = services.application_submit(
        actor=_user(request), sandbox=sandbox, applicant=applicant, **data
    )
    return Status(201, _application_out(application))


@router.post(
    "/records/{sandbox_id}/reports",
    response={201: ReportOut},
    summary="An annual or final report to the AI Office and the Board (multipart: kind, "
    "file, abstract; the operating authority)",
)
def report_add(
    request: HttpRequest,
    sandbox_id: int,
    file: File[UploadedFile],
    kind: Form[ReportKindName],
    abstract: Form[str] = "",
    submitted_on: Form[date | None] = None,
) -> Any:
    sandbox = selectors.sandbox_for(_user(request), sandbox_id)
    report = services.report_add(
        actor=_user(request),
        sandbox=sandbox,
        kind=kind,
        upload=file,
        abstract=abstract,
        submitted_on=submitted_on,
    )
    return Status(
        201,
        {
            "id": report.pk,
            "kind": report.kind,
            "due_on": report.due_on,
            "submitted_on": report.submitted_on,
            "filename": report.filename,
            "sha256": report.sha256,
            "size": report.size,
            "abstract": report.abstract,
            "next_report_due_on": Sandbox.objects.get(pk=sandbox.pk).report_due_on,
        },
    )


@router.get(
    "/records/{sandbox_id}/reports/{report_id}",
    summary="Download a sandbox report (Office staff and the operating authority)",
)
def report_download(request: HttpRequest, sandbox_id: int, report_id: int) -> HttpResponse:
    report = selectors.report_for(_user(request), report_id)
    if report.sandbox_id != sandbox_id:
        raise Http404
    response: Any = download_row(report)
    return response  # type: ignore[no-any-return]
