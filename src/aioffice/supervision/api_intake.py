"""API of supervision: intake (mounted by `aioffice.supervision.api` at /intake).

Senders submit and read their own reports (`/complaints`, `/alerts`, `/incidents`,
`/mine`); the Office's staff read the triage queue and act on it (`/queue`). A whistleblower
needs no account (`/whistleblower`, public routes): the secret key travels in the body of a
POST, never in an address, and the answers are never cached.
"""

from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from ninja import Field, Router
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.core.exports import csv_response
from aioffice.core.permissions import is_office_staff
from aioffice.core.schemas import MAX_ID
from aioffice.registry.api import Pagination
from aioffice.registry.models import ModelVersion, Provider
from aioffice.registry.selectors import versions_visible_to
from aioffice.supervision import selectors_intake as selectors
from aioffice.supervision import services_intake as services
from aioffice.supervision import similar
from aioffice.supervision.choices import IntakeKind
from aioffice.supervision.clock import source_of
from aioffice.supervision.models import Deadline, Intake
from aioffice.supervision.permissions import acts_for_provider
from aioffice.supervision.schemas_intake import (
    AlertIn,
    BoardInformedIn,
    ComplaintIn,
    IncidentIn,
    IncidentReportIn,
    IncidentReportOut,
    IntakeDetailOut,
    IntakeOut,
    MergeIn,
    MessageIn,
    NoteIn,
    OtherIn,
    ReasonsIn,
    SecretIn,
    SimilarReportsOut,
    StaffIntakeOut,
    VersionsIn,
    WhistleblowerIn,
    WhistleblowerReplyIn,
    WhistleblowerSentOut,
    WhistleblowerThreadOut,
)

router = Router(tags=["supervision"])

KindName = Literal["complaint", "alert", "incident", "whistleblower"]
StatusName = Literal["received", "in_triage", "merged", "case_opened", "not_pursued"]
IntakeId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _provider(provider_id: int | None) -> Provider | None:
    if provider_id is None:
        return None
    found = Provider.objects.filter(pk=provider_id).first()
    if found is None:
        raise ValidationError({"provider": "No such provider."})
    return found


def _versions(ids: list[int]) -> list[ModelVersion]:
    found = list(ModelVersion.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"versions": "No such model version."})
    return found


# --- what the sender and the Office read -----------------------------------------------------


def _detail(intake: Intake, *, staff: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": intake.pk,
        "tracking_number": intake.tracking_number,
        "kind": intake.kind,
        "status": intake.status,
        "title": intake.title,
        "provider_id": intake.provider_id,
        "received_on": intake.received_at.date(),
        "merged_into": intake.merged_into.tracking_number if intake.merged_into else None,
        "versions": sorted(intake.versions.values_list("pk", flat=True)),
        "outcome_reasons": intake.outcome_reasons,
        "rules_version": intake.rules_version,
        "reasons": intake.reasons,
        "citations": intake.citations,
        "documents": list(intake.documents.order_by("id")),
    }
    if intake.kind == IntakeKind.COMPLAINT:
        out["complaint"] = intake.complaint
    elif intake.kind == IntakeKind.ALERT:
        out["alert"] = intake.alert
    elif intake.kind == IntakeKind.INCIDENT:
        incident = intake.incident
        out["incident"] = {
            **{
                name: getattr(incident, name)
                for name in (
                    "types",
                    "occurred_on",
                    "ended_on",
                    "aware_on",
                    "causal_link_on",
                    "resolved_on",
                    "initial_due",
                    "final_due",
                    "keep_until",
                    "rules_version",
                    "reasons",
                    "citations",
                )
            },
            "code_deadlines": list(
                Deadline.objects.filter(source=source_of(incident)).order_by("due_on", "id")
            ),
            "reports": list(incident.reports.order_by("submitted_at", "id")),
        }
    if staff:
        out["triage_note"] = intake.triage_note
        out["triaged_by"] = intake.triaged_by.get_username() if intake.triaged_by else None
        out["related"] = list(intake.related.values_list("tracking_number", flat=True))
        out["duplicates"] = list(intake.duplicates.values_list("tracking_number", flat=True))
        out["messages"] = (
            list(intake.whistleblower.messages.order_by("id"))
            if intake.kind == IntakeKind.WHISTLEBLOWER
            else []
        )
    return out


# --- submitting ----------------------------------------------------------------------------


@router.post(
    "/complaints",
    response={201: IntakeDetailOut},
    summary="Lodge a complaint (Art. 89(2); a downstream provider)",
)
def complaint_submit(request: HttpRequest, payload: ComplaintIn) -> Status[Any]:
    if not selectors.may_complain(request):
        raise PermissionDenied("Only a downstream provider lodges a complaint.")
    intake = services.complaint_submit(
        actor=_user(request),
        provider=_provider(payload.provider),
        versions=_versions(payload.versions),
        title=payload.title,
        provider_contact_point=payload.provider_contact_point,
        facts=payload.facts,
        provisions=payload.provisions,
        reasons=payload.reasons,
        other_information=payload.other_information,
    )
    return Status(201, _detail(intake, staff=False))


@router.post(
    "/alerts",
    response={201: IntakeDetailOut},
    summary="Send a qualified alert (Art. 90; the scientific panel)",
)
def alert_submit(request: HttpRequest, payload: AlertIn) -> Status[Any]:
    if not selectors.may_alert(request):
        raise PermissionDenied("Only the scientific panel sends qualified alerts.")
    intake = services.alert_submit(
        actor=_user(request),
        provider=_provider(payload.provider),
        versions=_versions(payload.versions),
        title=payload.title,
        ground=payload.ground,
        provider_contact_point=payload.provider_contact_point,
        facts=payload.facts,
        reasons=payload.reasons,
        other_information=payload.other_information,
    )
    return Status(201, _detail(intake, staff=False))


@router.post(
    "/incidents",
    response={201: IntakeDetailOut},
    summary="Report a serious incident: the initial report (the model's provider)",
)
def incident_submit(request: HttpRequest, payload: IncidentIn) -> Status[Any]:
    if is_office_staff(request):
        raise PermissionDenied("The provider reports its serious incidents.")
    version = versions_visible_to(request).filter(pk=payload.version).first()
    if version is None:
        raise PermissionDenied("Only the model's provider reports its serious incidents.")
    intake = services.incident_submit(
        actor=_user(request),
        version=version,
        title=payload.title,
        types=list(payload.types),
        occurred_on=payload.occurred_on,
        ended_on=payload.ended_on,
        aware_on=payload.aware_on,
        causal_link_on=payload.causal_link_on,
        report=payload.report(),
    )
    return Status(201, _detail(intake, staff=False))


@router.post(
    "/incidents/{intake_id}/reports",
    response={201: IncidentReportOut},
    summary="An intermediate or final report on a serious incident (the model's provider)",
)
def incident_report_add(
    request: HttpRequest, intake_id: IntakeId, payload: IncidentReportIn
) -> Status[Any]:
    if is_office_staff(request):
        raise PermissionDenied("The provider reports on its serious incidents.")
    intake = selectors.own_intakes(request).filter(pk=intake_id, kind=IntakeKind.INCIDENT).first()
    if intake is None or not acts_for_provider(_user(request), intake.provider):
        raise PermissionDenied("Not an incident of a provider you act for.")
    added = services.incident_report_add(
        actor=_user(request),
        incident=intake.incident,
        kind=payload.kind,
        report=payload.report(),
        resolved_on=payload.resolved_on,
    )
    return Status(201, added)


# --- the sender's own reports ----------------------------------------------------------------


@router.get("/mine", response=list[IntakeOut], summary="The reports I sent (and my provider's)")
@paginate(Pagination)
def mine(request: HttpRequest) -> Any:
    return selectors.own_intakes(request)


@router.get("/mine/{intake_id}", response=IntakeDetailOut, summary="One of my reports")
def mine_detail(request: HttpRequest, intake_id: IntakeId) -> Any:
    found = selectors.own_intakes(request).filter(pk=intake_id).first()
    if found is None:
        if not Intake.objects.filter(pk=intake_id).exists():
            raise Http404
        raise PermissionDenied("Not one of your reports.")
    return _detail(found, staff=False)


# --- the Office's triage queue --------------------------------------------------------------


def _staff(request: HttpRequest) -> None:
    if not is_office_staff(request):
        raise PermissionDenied("The triage queue is the Office's.")


@router.get("/queue", response=list[IntakeOut], summary="The triage queue (Office staff)")
@paginate(Pagination)
def queue(
    request: HttpRequest, kind: KindName | None = None, status: StatusName | None = None
) -> Any:
    _staff(request)
    return selectors.intake_queue(request, kind=kind, status=status)


@router.get("/queue.csv", summary="The triage queue as CSV (same filters)")
def queue_csv(
    request: HttpRequest, kind: KindName | None = None, status: StatusName | None = None
) -> StreamingHttpResponse:
    _staff(request)
    rows = (
        (
            i.tracking_number,
            i.kind,
            i.status,
            i.title,
            i.provider.organisation.name if i.provider else "",
            i.received_at.date(),
            i.merged_into.tracking_number if i.merged_into else "",
            i.incident.initial_due if i.kind == IntakeKind.INCIDENT else None,
        )
        for i in selectors.intake_queue(request, kind=kind, status=status).iterator(chunk_size=500)
    )
    return csv_response("reports.csv", selectors.QUEUE_CSV_COLUMNS, rows)


def _queued(request: HttpRequest, intake_id: int) -> Intake:
    return selectors.intake_for_staff(request, intake_id)


def _other(intake_id: int, field: str) -> Intake:
    found = Intake.objects.filter(pk=intake_id).first()
    if found is None:
        raise ValidationError({field: "No such report."})
    return found


@router.get("/queue/{intake_id}", response=StaffIntakeOut, summary="A report (Office staff)")
def queue_detail(request: HttpRequest, intake_id: IntakeId) -> Any:
    return _detail(_queued(request, intake_id), staff=True)


@router.get(
    "/queue/{intake_id}/similar",
    response=SimilarReportsOut,
    summary="The complaints (or incidents) nearest in meaning to one (Office staff)",
    description=(
        "A complaint is compared with complaints, an incident with incidents, by the offline "
        "embedding model the Office runs (named in `model`); `score` is the cosine "
        "similarity. Other kinds of report: 422."
    ),
)
def queue_similar(request: HttpRequest, intake_id: IntakeId) -> Any:
    found = similar.similar_reports(request, _queued(request, intake_id))
    return {
        "model": found.model,
        "items": [
            {
                "id": other.pk,
                "tracking_number": other.tracking_number,
                "kind": other.kind,
                "status": other.status,
                "title": other.title,
                "provider_id": other.provider_id,
                "received_on": other.received_at.date(),
                "score": score,
            }
            for other, score in found.reports
        ],
    }


@router.post("/queue/{intake_id}/triage", response=StaffIntakeOut, summary="Take into triage")
def triage(request: HttpRequest, intake_id: IntakeId, payload: NoteIn) -> Any:
    intake = _queued(request, intake_id)
    services.intake_triage(actor=_user(request), intake=intake, note=payload.note)
    return _detail(_queued(request, intake_id), staff=True)


@router.post(
    "/queue/{intake_id}/link-versions",
    response=StaffIntakeOut,
    summary="Link the report to model versions",
)
def link_versions(request: HttpRequest, intake_id: IntakeId, payload: VersionsIn) -> Any:
    intake = _queued(request, intake_id)
    services.intake_link_versions(
        actor=_user(request), intake=intake, versions=_versions(payload.versions)
    )
    return _detail(_queued(request, intake_id), staff=True)


@router.post("/queue/{intake_id}/link", response=StaffIntakeOut, summary="Link another report")
def link(request: HttpRequest, intake_id: IntakeId, payload: OtherIn) -> Any:
    intake = _queued(request, intake_id)
    services.intake_link(actor=_user(request), intake=intake, other=_other(payload.other, "other"))
    return _detail(_queued(request, intake_id), staff=True)


@router.post(
    "/queue/{intake_id}/unlink", response=StaffIntakeOut, summary="Remove a link to a report"
)
def unlink(request: HttpRequest, intake_id: IntakeId, payload: OtherIn) -> Any:
    intake = _queued(request, intake_id)
    services.intake_unlink(
        actor=_user(request), intake=intake, other=_other(payload.other, "other")
    )
    return _detail(_queued(request, intake_id), staff=True)


@router.post(
    "/queue/{intake_id}/merge",
    response=StaffIntakeOut,
    summary="Merge this report, a duplicate, into another",
)
def merge(request: HttpRequest, intake_id: IntakeId, payload: MergeIn) -> Any:
    intake = _queued(request, intake_id)
    services.intake_merge(actor=_user(request), duplicate=intake, into=_other(payload.into, "into"))
    return _detail(_queued(request, intake_id), staff=True)


@router.post(
    "/queue/{intake_id}/not-pursued",
    response=StaffIntakeOut,
    summary="Close as not pursued, with reasons (shown to the sender)",
)
def not_pursued(request: HttpRequest, intake_id: IntakeId, payload: ReasonsIn) -> Any:
    intake = _queued(request, intake_id)
    services.intake_not_pursued(actor=_user(request), intake=intake, reasons=payload.reasons)
    return _detail(_queued(request, intake_id), staff=True)


@router.post(
    "/queue/{intake_id}/board-informed",
    response=StaffIntakeOut,
    summary="Record that the Board was informed of a qualified alert (Art. 90(2))",
)
def board_informed(request: HttpRequest, intake_id: IntakeId, payload: BoardInformedIn) -> Any:
    intake = _queued(request, intake_id)
    services.alert_board_informed(
        actor=_user(request), intake=intake, informed_on=payload.informed_on
    )
    return _detail(_queued(request, intake_id), staff=True)


@router.post(
    "/queue/{intake_id}/reply",
    response=StaffIntakeOut,
    summary="Write to an anonymous reporter (read through their secret key)",
)
def reply(request: HttpRequest, intake_id: IntakeId, payload: MessageIn) -> Any:
    intake = _queued(request, intake_id)
    services.whistleblower_office_reply(actor=_user(request), intake=intake, body=payload.body)
    return _detail(_queued(request, intake_id), staff=True)


# --- whistleblowers: public, nothing identifying kept -----------------------------------------


def _private(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"


@router.post(
    "/whistleblower",
    auth=None,
    response={201: WhistleblowerSentOut},
    summary="Report anonymously; answers the secret key (shown once, kept only as a hash)",
)
def whistleblower_submit(
    request: HttpRequest, response: HttpResponse, payload: WhistleblowerIn
) -> Status[Any]:
    _private(response)
    intake, secret = services.whistleblower_submit(
        title=payload.title, body=payload.body, provider=_provider(payload.provider)
    )
    inbox = request.build_absolute_uri(reverse("supervision:whistleblower_inbox"))
    return Status(
        201,
        {
            "tracking_number": intake.tracking_number,
            "secret": secret,
            "reply_url": f"{inbox}#k={secret}",
            "notice": "Keep the secret key: the Office keeps only its hash and cannot send it "
            "again. Whoever loses it loses access to the exchange.",
        },
    )


def _thread(secret: str) -> dict[str, Any]:
    report = selectors.whistleblower_by_secret(secret)
    if report is None:
        raise ValidationError({"secret": "This key opens no report."})
    return {
        "tracking_number": report.intake.tracking_number,
        "status": report.intake.status,
        "messages": list(report.messages.order_by("id")),
    }


@router.post(
    "/whistleblower/thread",
    auth=None,
    response=WhistleblowerThreadOut,
    summary="Read the exchange of an anonymous report (the key in the body)",
)
def whistleblower_thread(request: HttpRequest, response: HttpResponse, payload: SecretIn) -> Any:
    _private(response)
    return _thread(payload.secret)


@router.post(
    "/whistleblower/reply",
    auth=None,
    response=WhistleblowerThreadOut,
    summary="Answer the Office in the exchange of an anonymous report",
)
def whistleblower_reply(
    request: HttpRequest, response: HttpResponse, payload: WhistleblowerReplyIn
) -> Any:
    _private(response)
    services.whistleblower_reply(secret=payload.secret, body=payload.body)
    return _thread(payload.secret)
