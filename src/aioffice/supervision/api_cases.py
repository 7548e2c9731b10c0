"""API of supervision: cases (mounted by `aioffice.supervision.api` at
/api/v1/supervision/cases).

* `GET /` lists the register for Office staff (reference, title, provider, status, team),
  a provider's own cases for those acting for it, the shared cases for a national
  authority; `GET /.csv` is the register as CSV (staff).
* `GET /{case_id}` is the case file: whole for its team and, read-only, for an authority
  it is shared with; for the provider only what was sent to it. Every opening is written
  to the audit trail.
* Each procedural step is a POST with the service's field names (services_cases); only the
  case's team takes steps (403 for anyone else, 404 for an unknown case), and the service
  checks the rest. The provider answers requests for information (multipart, with files)
  and sends observations on preliminary findings.
* Documents and decision PDFs download with their SHA-256 in `X-Content-SHA256`.

Refusals are 422 naming the field, 403 or 404, never a 500.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.accounts.models import Organisation, User
from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.permissions import is_office_staff
from aioffice.evaluations.models import EvaluationRun
from aioffice.registry.api import Pagination
from aioffice.registry.models import ModelVersion, Provider
from aioffice.supervision import permissions, selectors_cases, services_cases
from aioffice.supervision.models import (
    Art92Evaluation,
    Case,
    CaseShare,
    Commitment,
    Decision,
    DialogueMeeting,
    Document,
    Expert,
    InformationRequest,
    Intake,
    Measure,
    PreliminaryFindings,
)
from aioffice.supervision.schemas_cases import (
    AccessGrantedIn,
    AccessRequestIn,
    CaseFileOut,
    CaseIn,
    CaseOut,
    CaseStatusName,
    CloseIn,
    CommitmentOut,
    CommitmentsIn,
    DecisionIn,
    DecisionOut,
    DialogueIn,
    DocumentOut,
    EvaluationFindingsIn,
    EvaluationIn,
    EvaluationOut,
    ExpertIn,
    ExpertOut,
    FindingsIn,
    FindingsOut,
    FollowUpIn,
    Id,
    InformationRequestOut,
    IntakeLinkIn,
    MeasureIn,
    MeasureOut,
    MeetingOut,
    NotifyIn,
    OriginName,
    RfiIn,
    RunLinkIn,
    ShareIn,
    ShareOut,
    TeamIn,
    TeamMemberOut,
    TeamRemoveIn,
)

router = Router(tags=["supervision"])


def _missing(field: str, what: str) -> ValidationError:
    return ValidationError({field: f"No such {what}."})


def _row(model: type[Model], field: str, what: str, **lookup: Any) -> Any:
    """A row named in the body, or 422 naming the field."""
    found = model._default_manager.filter(**lookup).first()
    if found is None:
        raise _missing(field, what)
    return found


def raise_404() -> None:
    raise Http404


def _today() -> date:
    return timezone.now().date()


# --- serialisation -----------------------------------------------------------------------


def _case_out(case: Case, *, team: bool = True) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "title": case.title,
        "provider": case.provider_id,
        "provider_name": case.provider.organisation.name,
        "origin": case.origin,
        "status": case.status,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "outcome": case.outcome,
        "team": [
            {"user": m.user_id, "username": m.user.username, "role": m.role}
            for m in case.team.all()
        ]
        if team
        else [],
    }


def _document_out(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "filename": d.filename,
        "content_type": d.content_type,
        "sha256": d.sha256,
        "size": d.size,
        "version": d.version,
        "supersedes": d.supersedes_id,
        "from_provider": d.from_provider,
        "visible_to_provider": d.visible_to_provider,
        "retain_until": d.retain_until,
        "scan_status": d.scan_status,
        "scan_report": d.scan_report,
        "uploaded_at": d.uploaded_at,
        "information_request": d.information_request_id,
    }


def _rfi_out(r: InformationRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "legal_basis": r.legal_basis,
        "purpose": r.purpose,
        "information_required": r.information_required,
        "time_limit_days": r.time_limit_days,
        "fines_notice": r.fines_notice,
        "panel_request": r.panel_request,
        "sent_on": r.sent_on,
        "due_on": r.due_on,
        "overdue": r.overdue_on(_today()),
        "answer": r.answer,
        "answered_on": r.answered_on,
        "late": r.late,
        "documents": [d.pk for d in r.documents.all()],
    }


def _expert_out(e: Expert) -> dict[str, Any]:
    return {
        "id": e.pk,
        "name": e.name,
        "affiliation": e.affiliation,
        "from_scientific_panel": e.from_scientific_panel,
        "declaration_of_interests": e.declaration_of_interests,
        "declared_on": e.declared_on,
        "conflict_of_interest": e.conflict_of_interest,
        "appointed_on": e.appointed_on,
    }


def _evaluation_out(e: Art92Evaluation) -> dict[str, Any]:
    return {
        "id": e.pk,
        "ground": e.ground,
        "board_consulted_on": e.board_consulted_on,
        "board_consultation": e.board_consultation,
        "opened_on": e.opened_on,
        "access_legal_basis": e.access_legal_basis,
        "access_purpose": e.access_purpose,
        "access_reasons": e.access_reasons,
        "access_means": e.access_means,
        "access_time_limit_days": e.access_time_limit_days,
        "access_fines_notice": e.access_fines_notice,
        "access_requested_on": e.access_requested_on,
        "access_due_on": e.access_due_on,
        "access_granted_on": e.access_granted_on,
        "runs": [r.pk for r in e.runs.all()],
        "experts": [_expert_out(x) for x in e.experts.all()],
        "findings": e.findings,
        "serious_concern": e.serious_concern,
    }


def _measure_out(m: Measure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "description": m.description,
        "grounds": m.grounds,
        "evaluation": m.evaluation_id,
        "requested_on": m.requested_on,
        "due_on": m.due_on,
        "status": m.status,
        "follow_up": m.follow_up,
        "followed_up_on": m.followed_up_on,
        "decision": m.decision_id,
    }


def _findings_out(f: PreliminaryFindings) -> dict[str, Any]:
    return {
        "id": f.pk,
        "findings": f.findings,
        "measures_considered": f.measures_considered,
        "sent_on": f.sent_on,
        "answer_by": f.answer_by,
        "minimum_period_ends": f.minimum_period_ends,
        "urgent": f.urgent,
        "urgency_grounds": f.urgency_grounds,
        "observations": f.observations,
        "observed_on": f.observed_on,
    }


def _decision_out(d: Decision) -> dict[str, Any]:
    fine = getattr(d, "fine", None)
    return {
        "id": d.pk,
        "kind": d.kind,
        "reasons": d.reasons,
        "remedies": d.remedies,
        "findings": d.findings_id,
        "adopted_on": d.adopted_on,
        "notified_on": d.notified_on,
        "rules_version": d.rules_version,
        "legal_reasons": [str(r) for r in d.legal_reasons],
        "citations": [str(c) for c in d.citations],
        "sha256": d.sha256,
        "size": d.size,
        "fine": None
        if fine is None
        else {
            "ground": fine.ground,
            "culpability": fine.culpability,
            "turnover_eur": fine.turnover_eur,
            "turnover_year": fine.turnover_year,
            "ceiling_eur": fine.ceiling_eur,
            "amount_eur": fine.amount_eur,
            "factors": {str(k): str(v) for k, v in (fine.factors or {}).items()},
        },
    }


def _commitment_out(c: Commitment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "meeting": c.meeting_id,
        "text": c.text,
        "offered_on": c.offered_on,
        "decision": c.decision_id,
    }


def _meeting_out(m: DialogueMeeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "held_on": m.held_on,
        "purpose": m.purpose,
        "attendees": m.attendees,
        "notes": m.notes,
    }


def _share_out(s: CaseShare) -> dict[str, Any]:
    return {
        "id": s.pk,
        "authority": s.authority_id,
        "authority_name": s.authority.name,
        "reason": s.reason,
        "shared_at": s.shared_at,
        "revoked_at": s.revoked_at,
    }


def _step_out(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "kind": s.kind,
        "occurred_on": s.occurred_on,
        "summary": s.summary,
        "visible_to_provider": s.visible_to_provider,
        "rules_version": s.rules_version,
        "reasons": [str(r) for r in s.reasons],
        "citations": [str(c) for c in s.citations],
    }


def _deadline_out(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "title": d.title,
        "due_on": d.due_on,
        "status": d.status,
        "provider_to_act": d.provider_to_act,
        "overdue": d.status == "open" and d.due_on < _today(),
    }


def _file_out(case: Case, view: str) -> dict[str, Any]:
    """The whole case file (team, shared authority)."""
    return {
        "view": view,
        "case": _case_out(case),
        "summary": case.summary,
        "versions": [v.pk for v in case.versions.all()],
        "intakes": [i.tracking_number for i in case.intakes.all()],
        "shares": [_share_out(s) for s in case.shares.select_related("authority")],
        "steps": [_step_out(s) for s in case.steps.order_by("occurred_on", "id")],
        "information_requests": [
            _rfi_out(r) for r in case.information_requests.prefetch_related("documents")
        ],
        "meetings": [_meeting_out(m) for m in case.meetings.all()],
        "evaluations": [
            _evaluation_out(e) for e in case.evaluations.prefetch_related("runs", "experts")
        ],
        "measures": [_measure_out(m) for m in case.measures.all()],
        "commitments": [_commitment_out(c) for c in case.commitments.all()],
        "findings": [_findings_out(f) for f in case.findings.all()],
        "decisions": [_decision_out(d) for d in case.decisions.select_related("fine")],
        "documents": [_document_out(d) for d in case.documents.all()],
        "deadlines": [_deadline_out(d) for d in case.deadlines.order_by("due_on", "id")],
    }


def _provider_out(case: Case) -> dict[str, Any]:
    """What the provider sees of its case."""
    view = selectors_cases.provider_view(case)
    return {
        "view": "provider",
        "case": _case_out(case, team=False),
        "summary": "",
        "versions": [v.pk for v in case.versions.all()],
        "intakes": [],
        "shares": [],
        "steps": [_step_out(s) for s in view.steps],
        "information_requests": [_rfi_out(r) for r in view.requests],
        "meetings": [],
        "evaluations": [],
        "measures": [_measure_out(m) for m in view.measures],
        "commitments": [],
        "findings": [_findings_out(f) for f in view.findings],
        "decisions": [_decision_out(d) for d in view.decisions],
        "documents": [_document_out(d) for d in view.documents],
        "deadlines": [_deadline_out(d) for d in view.deadlines],
    }


# --- the list and the register ----------------------------------------------------------------


def _listed(
    request: HttpRequest,
    status: str | None,
    origin: str | None,
    provider: int | None,
) -> tuple[QuerySet[Case], bool]:
    """The cases the user may list, and whether the team is shown."""
    if is_office_staff(request):
        cases, team = selectors_cases.cases_visible_to(request), True
    elif selectors_cases.providers_of(request).exists():
        cases, team = selectors_cases.provider_cases(request), False
    elif _authority(request):
        cases, team = selectors_cases.cases_shared_with(request), True
    else:
        raise PermissionDenied(
            "Cases are for AI Office staff, the providers concerned and the national "
            "authorities a case is shared with."
        )
    if status is not None:
        cases = cases.filter(status=status)
    if origin is not None:
        cases = cases.filter(origin=origin)
    if provider is not None:
        cases = cases.filter(provider_id=provider)
    return cases.prefetch_related("team__user").order_by("-opened_at", "-id"), team


def _authority(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.has_role(Role.NATIONAL_AUTHORITY_MEMBER))


@router.get(
    "/",
    response=list[CaseOut],
    summary="Cases: the register (staff), a provider's own cases, or those shared with "
    "a national authority",
)
@paginate(Pagination)
def case_list(
    request: HttpRequest,
    status: CaseStatusName | None = None,
    origin: OriginName | None = None,
    provider: Id | None = None,
) -> Any:
    cases, team = _listed(request, status, origin, provider)
    return _Lazy(cases, team)


class _Lazy:
    """A paginated list serialised page by page (the paginator slices it)."""

    def __init__(self, cases: QuerySet[Case], team: bool) -> None:
        self.cases = cases
        self.team = team

    def count(self) -> int:
        return self.cases.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_case_out(c, team=self.team) for c in self.cases[index]]


REGISTER_COLUMNS = (
    "id",
    "reference",
    "title",
    "provider",
    "origin",
    "status",
    "opened_on",
    "closed_on",
    "outcome",
    "lead",
    "team",
)


@router.get("/register.csv", summary="The register of cases as CSV (staff; same filters)")
def case_list_csv(
    request: HttpRequest,
    status: CaseStatusName | None = None,
    origin: OriginName | None = None,
    provider: Id | None = None,
) -> StreamingHttpResponse:
    if not is_office_staff(request):
        raise PermissionDenied("The register is for AI Office staff.")
    cases, _team = _listed(request, status, origin, provider)

    def rows() -> Any:
        for case in cases.iterator(chunk_size=500):
            members = list(case.team.all())
            yield [
                case.pk,
                case.reference,
                case.title,
                case.provider.organisation.name,
                case.origin,
                case.status,
                case.opened_on,
                case.closed_on,
                case.outcome,
                next((m.user.username for m in members if m.role == "lead"), ""),
                " ".join(sorted(m.user.username for m in members)),
            ]

    return csv_response("supervision-cases.csv", REGISTER_COLUMNS, rows())


@router.post("/", response={201: CaseOut}, summary="Open a case (you lead it)")
def case_open(request: HttpRequest, payload: CaseIn) -> Any:
    if not is_office_staff(request) or not permissions.may_open_cases(request.user):
        raise PermissionDenied("Policy officers, legal officers and heads of unit open cases.")
    provider = _row(Provider, "provider", "provider", pk=payload.provider)
    versions = list(ModelVersion.objects.filter(pk__in=payload.versions))
    if len(versions) != len(set(payload.versions)):
        raise _missing("versions", "model version")
    intakes = list(Intake.objects.filter(pk__in=payload.intakes))
    if len(intakes) != len(set(payload.intakes)):
        raise _missing("intakes", "report")
    case = services_cases.case_open(
        actor=request.user,
        provider=provider,
        title=payload.title,
        origin=payload.origin,
        versions=versions,
        intakes=intakes,
        summary=payload.summary,
        opened_on=payload.opened_on,
    )
    return Status(201, _case_out(case))


# --- the case file --------------------------------------------------------------------------


@router.get(
    "/{case_id}",
    response=CaseFileOut,
    summary="A case file (team; read-only for a shared authority; what was sent for the "
    "provider); each opening is audited",
)
def case_detail(request: HttpRequest, case_id: Id) -> Any:
    try:
        case = selectors_cases.case_file_for(request, case_id)
    except PermissionDenied:
        found = Case.objects.select_related("provider").get(pk=case_id)
        if not permissions.acts_for_provider(request.user, found.provider):
            raise
        return _provider_out(selectors_cases.provider_case_for(request, case_id))
    view = "team" if selectors_cases.may_act_on_case(request, case) else "shared"
    return _file_out(case, view)


def _step_case(request: HttpRequest, case_id: int) -> Case:
    return selectors_cases.case_for_step(request, case_id)


@router.post("/{case_id}/team", response={201: list[TeamMemberOut]}, summary="Add to the team")
def team_add(request: HttpRequest, case_id: Id, payload: TeamIn) -> Any:
    case = _step_case(request, case_id)
    user = _row(
        User, "user", "member of staff", pk=payload.user, memberships__role__in=OFFICE_ROLES
    )
    services_cases.case_team_add(actor=request.user, case=case, user=user, role=payload.role)
    return Status(201, _case_out(case)["team"])


@router.post("/{case_id}/team/remove", response=list[TeamMemberOut], summary="Remove from the team")
def team_remove(request: HttpRequest, case_id: Id, payload: TeamRemoveIn) -> Any:
    case = _step_case(request, case_id)
    user = _row(User, "user", "member of the team", pk=payload.user, case_memberships__case=case)
    services_cases.case_team_remove(actor=request.user, case=case, user=user)
    return _case_out(case)["team"]


@router.post(
    "/{case_id}/shares",
    response={201: ShareOut},
    summary="Share the case, read-only, with a national authority",
)
def share(request: HttpRequest, case_id: Id, payload: ShareIn) -> Any:
    case = _step_case(request, case_id)
    authority = _row(
        Organisation,
        "authority",
        "national authority",
        pk=payload.authority,
        kind=OrganisationKind.NATIONAL_AUTHORITY,
    )
    made = services_cases.case_share(
        actor=request.user, case=case, authority=authority, reason=payload.reason
    )
    return Status(201, _share_out(made))


@router.post("/{case_id}/shares/{share_id}/revoke", response=ShareOut, summary="Revoke a share")
def share_revoke(request: HttpRequest, case_id: Id, share_id: Id) -> Any:
    case = _step_case(request, case_id)
    found = get_object_or_404(CaseShare.objects.select_related("authority"), pk=share_id, case=case)
    services_cases.case_share_revoke(actor=request.user, share=found)
    found.refresh_from_db()
    return _share_out(found)


@router.post("/{case_id}/intakes", response=CaseOut, summary="Link a report to the case")
def intake_link(request: HttpRequest, case_id: Id, payload: IntakeLinkIn) -> Any:
    case = _step_case(request, case_id)
    intake = _row(Intake, "intake", "report", pk=payload.intake)
    services_cases.case_link_intake(actor=request.user, case=case, intake=intake)
    return _case_out(case)


@router.post(
    "/{case_id}/requests",
    response={201: InformationRequestOut},
    summary="Send a request for information (Art. 91(4): legal basis, purpose, information "
    "required, time limit, fines notice)",
)
def rfi_send(request: HttpRequest, case_id: Id, payload: RfiIn) -> Any:
    case = _step_case(request, case_id)
    rfi = services_cases.rfi_send(
        actor=request.user,
        case=case,
        legal_basis=payload.legal_basis,
        purpose=payload.purpose,
        information_required=payload.information_required,
        time_limit_days=payload.time_limit_days or 0,
        fines_notice=payload.fines_notice,
        panel_request=payload.panel_request,
        sent_on=payload.sent_on,
    )
    return Status(201, _rfi_out(rfi))


@router.post(
    "/{case_id}/requests/{request_id}/answer",
    response=InformationRequestOut,
    summary="The provider's answer to a request for information (multipart, with files)",
)
def rfi_answer(
    request: HttpRequest,
    case_id: Id,
    request_id: Id,
    answer: Form[str],
    answered_on: Form[date | None] = None,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # optional
) -> Any:
    rfi = selectors_cases.provider_request_for(request, request_id)
    if rfi.case_id != case_id:
        raise_404()
    done = services_cases.rfi_answer(
        actor=request.user,
        request=rfi,
        answer=answer,
        files=list(files or []),
        answered_on=answered_on,
    )
    return _rfi_out(done)


@router.post(
    "/{case_id}/meetings", response={201: MeetingOut}, summary="Record a structured dialogue"
)
def dialogue(request: HttpRequest, case_id: Id, payload: DialogueIn) -> Any:
    case = _step_case(request, case_id)
    made = services_cases.dialogue_record(
        actor=request.user,
        case=case,
        held_on=payload.held_on,
        purpose=payload.purpose,
        attendees=payload.attendees,
        notes=payload.notes,
    )
    return Status(201, _meeting_out(made))


@router.post(
    "/{case_id}/evaluations",
    response={201: EvaluationOut},
    summary="Open an evaluation under Art. 92 (the Board consulted first)",
)
def evaluation_open(request: HttpRequest, case_id: Id, payload: EvaluationIn) -> Any:
    case = _step_case(request, case_id)
    made = services_cases.evaluation_open(
        actor=request.user,
        case=case,
        ground=payload.ground,
        board_consulted_on=payload.board_consulted_on,
        board_consultation=payload.board_consultation,
        opened_on=payload.opened_on,
    )
    return Status(201, _evaluation_out(made))


def _evaluation(request: HttpRequest, case_id: int, evaluation_id: int) -> Art92Evaluation:
    case = _step_case(request, case_id)
    return get_object_or_404(Art92Evaluation, pk=evaluation_id, case=case)


@router.post(
    "/{case_id}/evaluations/{evaluation_id}/access-request",
    response=EvaluationOut,
    summary="Request access for the evaluation (Art. 92(3)-(4))",
)
def access_request(
    request: HttpRequest, case_id: Id, evaluation_id: Id, payload: AccessRequestIn
) -> Any:
    evaluation = _evaluation(request, case_id, evaluation_id)
    done = services_cases.evaluation_request_access(
        actor=request.user,
        evaluation=evaluation,
        legal_basis=payload.legal_basis,
        purpose=payload.purpose,
        reasons=payload.reasons,
        means=payload.means,
        time_limit_days=payload.time_limit_days or 0,
        fines_notice=payload.fines_notice,
        requested_on=payload.requested_on,
    )
    return _evaluation_out(done)


@router.post(
    "/{case_id}/evaluations/{evaluation_id}/access-granted",
    response=EvaluationOut,
    summary="Record that access was given",
)
def access_granted(
    request: HttpRequest, case_id: Id, evaluation_id: Id, payload: AccessGrantedIn
) -> Any:
    evaluation = _evaluation(request, case_id, evaluation_id)
    services_cases.evaluation_access_granted(
        actor=request.user, evaluation=evaluation, granted_on=payload.granted_on
    )
    evaluation.refresh_from_db()
    return _evaluation_out(evaluation)


@router.post(
    "/{case_id}/evaluations/{evaluation_id}/experts",
    response={201: ExpertOut},
    summary="Appoint an independent expert with a declaration of interests (Art. 92(2))",
)
def expert_appoint(request: HttpRequest, case_id: Id, evaluation_id: Id, payload: ExpertIn) -> Any:
    evaluation = _evaluation(request, case_id, evaluation_id)
    made = services_cases.expert_appoint(
        actor=request.user,
        evaluation=evaluation,
        name=payload.name,
        affiliation=payload.affiliation,
        from_scientific_panel=payload.from_scientific_panel,
        declaration_of_interests=payload.declaration_of_interests,
        declared_on=payload.declared_on,
        conflict_of_interest=payload.conflict_of_interest,
        appointed_on=payload.appointed_on,
    )
    return Status(201, _expert_out(made))


@router.post(
    "/{case_id}/evaluations/{evaluation_id}/runs",
    response=EvaluationOut,
    summary="Link an evaluation run of one of the case's versions",
)
def run_link(request: HttpRequest, case_id: Id, evaluation_id: Id, payload: RunLinkIn) -> Any:
    evaluation = _evaluation(request, case_id, evaluation_id)
    run = _row(EvaluationRun, "run", "evaluation run", pk=payload.run)
    services_cases.evaluation_link_run(actor=request.user, evaluation=evaluation, run=run)
    return _evaluation_out(Art92Evaluation.objects.get(pk=evaluation.pk))


@router.post(
    "/{case_id}/evaluations/{evaluation_id}/findings",
    response=EvaluationOut,
    summary="Record the evaluation's findings",
)
def evaluation_findings(
    request: HttpRequest, case_id: Id, evaluation_id: Id, payload: EvaluationFindingsIn
) -> Any:
    evaluation = _evaluation(request, case_id, evaluation_id)
    services_cases.evaluation_record_findings(
        actor=request.user,
        evaluation=evaluation,
        findings=payload.findings,
        serious_concern=payload.serious_concern,
    )
    return _evaluation_out(Art92Evaluation.objects.get(pk=evaluation.pk))


@router.post(
    "/{case_id}/commitments",
    response={201: CommitmentOut},
    summary="Record commitments offered in a structured dialogue (Art. 93(3))",
)
def commitments(request: HttpRequest, case_id: Id, payload: CommitmentsIn) -> Any:
    case = _step_case(request, case_id)
    meeting = _row(
        DialogueMeeting, "meeting", "meeting in this case", pk=payload.meeting, case=case
    )
    made = services_cases.commitments_record(
        actor=request.user,
        case=case,
        meeting=meeting,
        text=payload.text,
        offered_on=payload.offered_on,
    )
    return Status(201, _commitment_out(made))


@router.post(
    "/{case_id}/findings",
    response={201: FindingsOut},
    summary="Send preliminary findings (at least ten working days to answer unless urgency "
    "is recorded with its grounds)",
)
def findings_send(request: HttpRequest, case_id: Id, payload: FindingsIn) -> Any:
    case = _step_case(request, case_id)
    made = services_cases.findings_send(
        actor=request.user,
        case=case,
        findings=payload.findings,
        measures_considered=payload.measures_considered,
        answer_by=payload.answer_by,
        urgent=payload.urgent,
        urgency_grounds=payload.urgency_grounds,
        sent_on=payload.sent_on,
    )
    return Status(201, _findings_out(made))


@router.post(
    "/{case_id}/findings/{findings_id}/observations",
    response=FindingsOut,
    summary="The provider's observations on preliminary findings (form fields)",
)
def findings_observe(
    request: HttpRequest,
    case_id: Id,
    findings_id: Id,
    observations: Form[str],
    observed_on: Form[date | None] = None,
) -> Any:
    found = selectors_cases.provider_findings_for(request, findings_id)
    if found.case_id != case_id:
        raise_404()
    services_cases.findings_observe(
        actor=request.user, findings=found, observations=observations, observed_on=observed_on
    )
    return _findings_out(PreliminaryFindings.objects.get(pk=found.pk))


@router.post(
    "/{case_id}/measures",
    response={201: MeasureOut},
    summary="Request a measure under Art. 93(1) with its deadline",
)
def measure_request(request: HttpRequest, case_id: Id, payload: MeasureIn) -> Any:
    case = _step_case(request, case_id)
    evaluation = None
    if payload.evaluation is not None:
        evaluation = _row(
            Art92Evaluation,
            "evaluation",
            "evaluation in this case",
            pk=payload.evaluation,
            case=case,
        )
    made = services_cases.measure_request(
        actor=request.user,
        case=case,
        kind=payload.kind,
        description=payload.description,
        grounds=payload.grounds,
        due_on=payload.due_on,
        evaluation=evaluation,
        requested_on=payload.requested_on,
    )
    return Status(201, _measure_out(made))


@router.post(
    "/{case_id}/measures/{measure_id}/follow-up",
    response=MeasureOut,
    summary="Follow a measure up",
)
def measure_follow_up(
    request: HttpRequest, case_id: Id, measure_id: Id, payload: FollowUpIn
) -> Any:
    case = _step_case(request, case_id)
    measure = get_object_or_404(Measure, pk=measure_id, case=case)
    services_cases.measure_follow_up(
        actor=request.user,
        measure=measure,
        status=payload.status,
        follow_up=payload.follow_up,
        followed_up_on=payload.followed_up_on,
    )
    return _measure_out(Measure.objects.get(pk=measure.pk))


@router.post(
    "/{case_id}/decisions",
    response={201: DecisionOut},
    summary="Adopt a reasoned decision (a PDF is generated); a fine needs preliminary "
    "findings and a hearing, and stays within its ceiling (Art. 101)",
)
def decision_adopt(request: HttpRequest, case_id: Id, payload: DecisionIn) -> Any:
    case = _step_case(request, case_id)
    findings = None
    if payload.findings is not None:
        findings = _row(
            PreliminaryFindings, "findings", "findings in this case", pk=payload.findings, case=case
        )
    measures = list(Measure.objects.filter(case=case, pk__in=payload.measures))
    if len(measures) != len(set(payload.measures)):
        raise _missing("measures", "measure in this case")
    commitment = None
    if payload.commitment is not None:
        commitment = _row(
            Commitment, "commitment", "commitments in this case", pk=payload.commitment, case=case
        )
    fine = None
    if payload.fine is not None:
        fine = services_cases.FineTerms(
            ground=payload.fine.ground,
            culpability=payload.fine.culpability,
            turnover_eur=payload.fine.turnover_eur,
            turnover_year=payload.fine.turnover_year,
            amount_eur=payload.fine.amount_eur,
            factors=dict(payload.fine.factors),
        )
    made = services_cases.decision_adopt(
        actor=request.user,
        case=case,
        kind=payload.kind,
        reasons=payload.reasons,
        remedies=payload.remedies,
        findings=findings,
        measures=measures,
        commitment=commitment,
        fine=fine,
        adopted_on=payload.adopted_on,
    )
    return Status(201, _decision_out(Decision.objects.select_related("fine").get(pk=made.pk)))


@router.post(
    "/{case_id}/decisions/{decision_id}/notify",
    response=DecisionOut,
    summary="Notify a decision to the provider",
)
def decision_notify(request: HttpRequest, case_id: Id, decision_id: Id, payload: NotifyIn) -> Any:
    case = _step_case(request, case_id)
    decision = get_object_or_404(Decision, pk=decision_id, case=case)
    services_cases.decision_notify(
        actor=request.user, decision=decision, notified_on=payload.notified_on
    )
    return _decision_out(Decision.objects.select_related("fine").get(pk=decision.pk))


@router.get(
    "/{case_id}/decisions/{decision_id}/decision.pdf",
    summary="A decision's PDF, SHA-256 in X-Content-SHA256 (the provider: once notified)",
)
def decision_pdf(request: HttpRequest, case_id: Id, decision_id: Id) -> HttpResponse:
    if not Decision.objects.filter(pk=decision_id, case_id=case_id).exists():
        raise_404()  # before the (audited) opening: a decision of another case is not opened
    decision = selectors_cases.decision_for(request, decision_id)
    response: Any = download(
        decision.document,
        filename=f"{decision.case.reference}-decision-{decision.pk}.pdf",
        content_type="application/pdf",
        sha256=decision.sha256,
        size=decision.size,
    )
    return response  # type: ignore[no-any-return]


@router.post(
    "/{case_id}/documents",
    response={201: DocumentOut},
    summary="Add a document to the case file (multipart: file, title, visible_to_provider, "
    "supersedes)",
)
def document_add(
    request: HttpRequest,
    case_id: Id,
    file: File[UploadedFile],
    title: Form[str] = "",
    visible_to_provider: Form[bool] = False,
    supersedes: Form[int | None] = None,
) -> Any:
    case = _step_case(request, case_id)
    previous = None
    if supersedes is not None:
        previous = _row(Document, "supersedes", "document in this case", pk=supersedes, case=case)
    made = services_cases.document_add(
        actor=request.user,
        case=case,
        upload=file,
        title=title,
        visible_to_provider=visible_to_provider,
        supersedes=previous,
    )
    return Status(201, _document_out(made))


@router.get(
    "/{case_id}/documents/{document_id}",
    summary="Download a document, SHA-256 in X-Content-SHA256 (each opening is audited)",
)
def document_download(request: HttpRequest, case_id: Id, document_id: Id) -> HttpResponse:
    if not Document.objects.filter(pk=document_id, case_id=case_id).exists():
        raise_404()  # before the (audited) opening: a document of another case is not opened
    document = selectors_cases.document_for(request, document_id)
    response: Any = download(
        document.file,
        filename=document.filename,
        content_type=document.content_type,
        sha256=document.sha256,
        size=document.size,
    )
    return response  # type: ignore[no-any-return]


@router.post("/{case_id}/close", response=CaseOut, summary="Close the case with its outcome")
def case_close(request: HttpRequest, case_id: Id, payload: CloseIn) -> Any:
    case = _step_case(request, case_id)
    services_cases.case_close(
        actor=request.user,
        case=case,
        outcome=payload.outcome,
        reasons=payload.reasons,
        closed_on=payload.closed_on,
    )
    return _case_out(Case.objects.select_related("provider__organisation").get(pk=case.pk))
