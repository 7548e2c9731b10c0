"""The registry over HTTP. Who sees what is decided in `selectors.provider_scope`: staff
see everything, a provider (or its current representative) its own records, others only
the public list of models with systemic risk."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import Membership, Organisation, User
from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.permissions import can_take_art52_decisions, is_office_staff
from aioffice.core.schemas import MAX_ID
from aioffice.registry import selectors, services
from aioffice.registry.evidence import capability_evidence
from aioffice.registry.models import (
    AuthorisedRepresentative,
    Decision,
    DecisionLetter,
    GPAIModel,
    Hearing,
    InformationRequest,
    ModelVersion,
    Notification,
    NotificationDocument,
    Provider,
    ReassessmentRequest,
)
from aioffice.registry.schemas import (
    AssessmentOut,
    AssignIn,
    DecisionIn,
    DecisionOut,
    DocumentOut,
    GPAIModelDetailOut,
    GPAIModelOut,
    HearingIn,
    HearingOut,
    InformationRequestIn,
    InformationRequestListOut,
    InformationRequestOut,
    MandateOut,
    ModelIn,
    ModelVersionOut,
    NotificationDetailOut,
    NotificationIn,
    NotificationOut,
    ProviderDetailOut,
    ProviderOut,
    PublicEntryOut,
    ReassessmentDecisionIn,
    ReassessmentIn,
    ReassessmentOut,
    TerminationIn,
    TerminationOut,
    VersionIn,
    VersionPatchIn,
    VersionRowOut,
    WithdrawalIn,
)

router = Router(tags=["registry"])

# Bounds that keep every generated request inside the database's integer range.
MAX_PAGE = 1_000_000


class Pagination(PageNumberPagination):
    """Page numbers as everywhere in the API, with an upper bound (422 above it)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


StatusName = Literal["not_sr", "presumed", "confirmed", "designated", "not_sr_by_acceptance"]
LawName = Literal["as-amended", "as-published"]
NotificationStatusName = Literal[
    "submitted", "under_assessment", "more_information_requested", "hearing", "decided", "withdrawn"
]


def _models(
    request: HttpRequest, provider: int | None, systemic_risk_status: str | None
) -> QuerySet[GPAIModel]:
    models = selectors.models_visible_to(request).order_by("name", "id")
    if provider is not None:
        models = models.filter(provider_id=provider)
    if systemic_risk_status is not None:
        models = models.filter(
            Exists(
                ModelVersion.objects.filter(
                    model=OuterRef("pk"),
                    current_assessment__systemic_risk_status=systemic_risk_status,
                )
            )
        )
    return models


@router.get("/models", response=list[GPAIModelOut], summary="GPAI models I may see")
@paginate(Pagination)
def model_list(
    request: HttpRequest,
    provider: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    systemic_risk_status: StatusName | None = None,
) -> Any:
    return _models(request, provider, systemic_risk_status)


@router.get("/models.csv", summary="GPAI models I may see, as CSV (same filters)")
def model_list_csv(
    request: HttpRequest,
    provider: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    systemic_risk_status: StatusName | None = None,
) -> StreamingHttpResponse:
    models = _models(request, provider, systemic_risk_status)
    rows = (
        (m.pk, m.name, m.provider.organisation.name, m.public_description, m.created_at)
        for m in models.iterator(chunk_size=500)
    )
    return csv_response(
        "models.csv", ("id", "name", "provider", "public_description", "created_at"), rows
    )


@router.get(
    "/models/{model_id}", response=GPAIModelDetailOut, summary="A GPAI model and its versions"
)
def model_detail(request: HttpRequest, model_id: int) -> Any:
    versions = ModelVersion.objects.select_related("current_assessment").defer(
        "current_assessment__facts", "current_assessment__result"
    )
    models = selectors.models_visible_to(request).prefetch_related(
        Prefetch("versions", queryset=versions.order_by("id"))
    )
    return get_object_or_404(models, pk=model_id)


@router.get("/versions", response=list[VersionRowOut], summary="Model versions I may see")
@paginate(Pagination)
def version_list(
    request: HttpRequest,
    provider: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    model: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    systemic_risk_status: StatusName | None = None,
) -> Any:
    return selectors.version_rows(
        request, provider=provider, model=model, systemic_risk_status=systemic_risk_status
    )


@router.get(
    "/versions/{version_id}",
    response=ModelVersionOut,
    summary="A model version with its current assessment",
)
def version_detail(request: HttpRequest, version_id: int) -> Any:
    return get_object_or_404(selectors.versions_visible_to(request), pk=version_id)


@router.post(
    "/versions/{version_id}/assess",
    response={201: AssessmentOut},
    summary="Assess a version with aiact and store the answer (AI Office staff)",
)
def version_assess(
    request: HttpRequest, version_id: int, law: LawName = "as-amended"
) -> Status[Any]:
    version = get_object_or_404(selectors.versions_visible_to(request), pk=version_id)
    if not is_office_staff(request):
        raise PermissionDenied("Only AI Office staff assess model versions.")
    user: Any = request.auth  # type: ignore[attr-defined]
    return Status(201, services.version_assess(actor=user, version=version, law=law))


# --- notifications, hearings, decisions (Art. 52) ---------------------------------------------


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.post(
    "/versions/{version_id}/notifications",
    response={201: NotificationDetailOut},
    summary="Notify the Commission under Art. 52(1) (the provider or its representative)",
)
def notification_submit(
    request: HttpRequest, version_id: int, payload: NotificationIn
) -> Status[Any]:
    versions = selectors.versions_visible_to(request)
    version = get_object_or_404(versions, pk=version_id)
    if is_office_staff(request):
        raise PermissionDenied("Staff do not notify on a provider's behalf.")
    data = payload.dict()
    modified_id = data.pop("modified_version_id")
    if modified_id is not None:
        modified = versions.filter(pk=modified_id).first()
        if modified is None:
            raise ValidationError({"modified_version": "No such model version."})
        data["modified_version"] = modified
    notification = services.notification_submit(actor=_user(request), version=version, data=data)
    return Status(201, _notification_detail(request, notification.pk))


def _notification_detail(request: HttpRequest, notification_id: int) -> Any:
    notifications = (
        selectors.notifications_visible_to(request)
        .defer(None)
        .prefetch_related(
            "documents",
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.order_by("asked_at", "id"),
            ),
            Prefetch("hearings", queryset=Hearing.objects.order_by("opened_on", "id")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("letter").order_by("decided_on", "id"),
            ),
        )
    )
    return get_object_or_404(notifications, pk=notification_id)


def _notifications(
    request: HttpRequest, status: str | None, late: bool | None
) -> QuerySet[Notification]:
    notifications = selectors.notifications_visible_to(request).order_by("-submitted_at", "-id")
    if status is not None:
        notifications = notifications.filter(status=status)
    if late is not None:
        notifications = notifications.filter(late=late)
    return notifications


@router.get("/notifications", response=list[NotificationOut], summary="Art. 52 notifications")
@paginate(Pagination)
def notification_list(
    request: HttpRequest,
    status: NotificationStatusName | None = None,
    late: bool | None = None,
) -> Any:
    return _notifications(request, status, late)


_NOTIFICATION_CSV = (
    "tracking_number",
    "provider",
    "model",
    "version",
    "trigger",
    "status",
    "submitted_on",
    "trigger_date",
    "due",
    "late",
    "compute_flop_2sf",
)


@router.get("/notifications.csv", summary="Art. 52 notifications as CSV (same filters)")
def notification_list_csv(
    request: HttpRequest,
    status: NotificationStatusName | None = None,
    late: bool | None = None,
) -> StreamingHttpResponse:
    rows = (
        (
            n.tracking_number,
            n.provider.organisation.name,
            n.version.model.name,
            n.version.label,
            n.trigger,
            n.status,
            n.submitted_on,
            n.trigger_date,
            n.due,
            n.late,
            n.compute_flop_2sf,
        )
        for n in _notifications(request, status, late).iterator(chunk_size=500)
    )
    return csv_response("notifications.csv", _NOTIFICATION_CSV, rows)


@router.get(
    "/notifications/{notification_id}",
    response=NotificationDetailOut,
    summary="A notification: status, due date, late flag, hearings and decisions",
)
def notification_detail(request: HttpRequest, notification_id: int) -> Any:
    return _notification_detail(request, notification_id)


@router.post(
    "/notifications/{notification_id}/assign",
    response=NotificationOut,
    summary="Assign a notification to an officer of the AI Office (AI Office staff)",
)
def notification_assign(request: HttpRequest, notification_id: int, payload: AssignIn) -> Any:
    notification = get_object_or_404(
        selectors.notifications_visible_to(request), pk=notification_id
    )
    if not is_office_staff(request):
        raise PermissionDenied("Only AI Office staff assign notifications.")
    officer = User.objects.filter(pk=payload.officer_id, is_active=True).first()
    if officer is None or not officer.is_office_staff:
        raise ValidationError({"officer_id": "No such officer of the AI Office."})
    services.notification_assign(actor=_user(request), notification=notification, officer=officer)
    return selectors.notifications_visible_to(request).get(pk=notification.pk)


@router.post(
    "/notifications/{notification_id}/hearing",
    response={201: HearingOut},
    summary="Send the draft decision and open the hearing (AI Office staff)",
)
def hearing_open(request: HttpRequest, notification_id: int, payload: HearingIn) -> Status[Any]:
    notification = get_object_or_404(
        selectors.notifications_visible_to(request), pk=notification_id
    )
    if not is_office_staff(request):
        raise PermissionDenied("Only AI Office staff open hearings.")
    hearing = services.hearing_open(
        actor=_user(request),
        notification=notification,
        draft_reasons=payload.draft_reasons,
        draft_kind=payload.draft_kind,
        opened_on=payload.opened_on,
    )
    return Status(201, hearing)


@router.post(
    "/notifications/{notification_id}/decisions",
    response={201: DecisionOut},
    summary="Decide on a notification (head of unit, legal officer)",
)
def notification_decide(
    request: HttpRequest, notification_id: int, payload: DecisionIn
) -> Status[Any]:
    notification = get_object_or_404(
        selectors.notifications_visible_to(request), pk=notification_id
    )
    if not can_take_art52_decisions(request):
        raise PermissionDenied("Only a head of unit or a legal officer decides.")
    fields = payload.dict()
    if fields.pop("evidence"):
        raise ValidationError(
            {"evidence": "Evaluation results are cited by an Annex XIII designation only."}
        )
    decision = services.decision_take(actor=_user(request), notification=notification, **fields)
    return Status(201, decision)


@router.post(
    "/versions/{version_id}/decisions",
    response={201: DecisionOut},
    summary="Designate a version ex officio, or maintain a designation (Art. 52(4)-(5))",
)
def version_decide(request: HttpRequest, version_id: int, payload: DecisionIn) -> Status[Any]:
    version = get_object_or_404(selectors.versions_visible_to(request), pk=version_id)
    if not can_take_art52_decisions(request):
        raise PermissionDenied("Only a head of unit or a legal officer decides.")
    fields = payload.dict()
    on_record = {item.key: item for item in capability_evidence(version)}
    unknown = [key for key in fields["evidence"] if key not in on_record]
    if unknown:
        raise ValidationError(
            {"evidence": f"{unknown[0]!r} is not an evaluation result on record for this version."}
        )
    fields["evidence"] = [on_record[key] for key in dict.fromkeys(fields["evidence"])]
    decision = services.decision_take(actor=_user(request), version=version, **fields)
    return Status(201, decision)


@router.post(
    "/versions/{version_id}/reassessment-requests",
    response={201: ReassessmentOut},
    summary="Ask for a designation to be reassessed (Art. 52(5); the provider)",
)
def reassessment_request(
    request: HttpRequest, version_id: int, payload: ReassessmentIn
) -> Status[Any]:
    version = get_object_or_404(selectors.versions_visible_to(request), pk=version_id)
    if is_office_staff(request):
        raise PermissionDenied("The provider asks for a reassessment.")
    made = services.reassessment_request(
        actor=_user(request), version=version, reasons=payload.reasons
    )
    return Status(201, made)


# --- the rest of the procedure: information, withdrawal, evidence, reassessment decisions -----


def _visible_notification(request: HttpRequest, notification_id: int) -> Notification:
    return get_object_or_404(selectors.notifications_visible_to(request), pk=notification_id)


def _information_requests(request: HttpRequest) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.select_related("notification__provider__organisation").filter(
        notification__in=selectors.notifications_visible_to(request).values("pk")
    )


@router.post(
    "/notifications/{notification_id}/information-requests",
    response={201: InformationRequestOut},
    summary="Ask the provider for more information by a date (AI Office staff)",
)
def notification_request_information(
    request: HttpRequest, notification_id: int, payload: InformationRequestIn
) -> Status[Any]:
    notification = _visible_notification(request, notification_id)
    if not is_office_staff(request):
        raise PermissionDenied("Only AI Office staff ask for more information.")
    made = services.notification_request_information(
        actor=_user(request),
        notification=notification,
        questions=payload.questions,
        due_on=payload.due_on,
    )
    return Status(201, made)


def _filtered_requests(
    request: HttpRequest, answered: bool | None, overdue: bool | None, notification: int | None
) -> QuerySet[InformationRequest]:
    requests = _information_requests(request).order_by("due_on", "id")
    if notification is not None:
        requests = requests.filter(notification_id=notification)
    if answered is not None:
        requests = requests.filter(answered_on__isnull=not answered)
    if overdue is not None:
        late = {"answered_on__isnull": True, "due_on__lt": timezone.now().date()}
        requests = requests.filter(**late) if overdue else requests.exclude(**late)
    return requests


@router.get(
    "/information-requests",
    response=list[InformationRequestListOut],
    summary="Requests for more information, soonest due first (filters: answered, overdue)",
)
@paginate(Pagination)
def information_request_list(
    request: HttpRequest,
    answered: bool | None = None,
    overdue: bool | None = None,
    notification: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
) -> Any:
    return _filtered_requests(request, answered, overdue, notification)


@router.get(
    "/information-requests.csv",
    summary="Requests for more information as CSV (same filters)",
)
def information_request_list_csv(
    request: HttpRequest,
    answered: bool | None = None,
    overdue: bool | None = None,
    notification: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
) -> StreamingHttpResponse:
    today = timezone.now().date()
    rows = (
        (
            r.pk,
            r.notification.tracking_number,
            r.notification.provider.organisation.name,
            r.asked_on,
            r.due_on,
            r.answered_on,
            r.late,
            r.overdue_on(today),
        )
        for r in _filtered_requests(request, answered, overdue, notification).iterator(
            chunk_size=500
        )
    )
    header = (
        "id",
        "tracking_number",
        "provider",
        "asked_on",
        "due_on",
        "answered_on",
        "late",
        "overdue",
    )
    return csv_response("information-requests.csv", header, rows)


@router.post(
    "/information-requests/{request_id}/answer",
    response=InformationRequestOut,
    summary="Answer a request for more information, with documents (the provider; multipart)",
)
def information_request_answer(
    request: HttpRequest,
    request_id: int,
    answer: Form[str],
    documents: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # optional
) -> Any:
    asked = get_object_or_404(_information_requests(request), pk=request_id)
    if is_office_staff(request):
        raise PermissionDenied("The provider answers its requests.")
    return services.information_request_answer(
        actor=_user(request), request=asked, answer=answer, documents=documents or ()
    )


@router.post(
    "/notifications/{notification_id}/withdraw",
    response=NotificationOut,
    summary="Withdraw a notification before any decision on it (the provider)",
)
def notification_withdraw(request: HttpRequest, notification_id: int, payload: WithdrawalIn) -> Any:
    notification = _visible_notification(request, notification_id)
    if is_office_staff(request):
        raise PermissionDenied("The provider withdraws its notification.")
    services.notification_withdraw(
        actor=_user(request), notification=notification, reasons=payload.reasons
    )
    return selectors.notifications_visible_to(request).get(pk=notification.pk)


@router.post(
    "/notifications/{notification_id}/documents",
    response={201: list[DocumentOut]},
    summary="Add evidence documents to an open notification (the provider; multipart)",
)
def notification_add_documents(
    request: HttpRequest,
    notification_id: int,
    documents: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # the service names it
) -> Status[Any]:
    notification = _visible_notification(request, notification_id)
    if is_office_staff(request):
        raise PermissionDenied("The provider adds its evidence.")
    stored: list[NotificationDocument] = services.notification_add_documents(
        actor=_user(request), notification=notification, documents=documents or ()
    )
    return Status(201, stored)


@router.post(
    "/reassessment-requests/{request_id}/decision",
    response={201: DecisionOut},
    summary="Decide on a reassessment request (Art. 52(5); head of unit, legal officer)",
)
def reassessment_decide(
    request: HttpRequest, request_id: int, payload: ReassessmentDecisionIn
) -> Status[Any]:
    asked = get_object_or_404(
        ReassessmentRequest.objects.filter(
            version__in=selectors.versions_visible_to(request).values("pk")
        ),
        pk=request_id,
    )
    if not can_take_art52_decisions(request):
        raise PermissionDenied("Only a head of unit or a legal officer decides.")
    decision = services.reassessment_decide(
        actor=_user(request),
        request=asked,
        kind=payload.kind,
        reasons=payload.reasons,
        decided_on=payload.decided_on,
    )
    return Status(201, decision)


@router.get(
    "/decisions/{decision_id}/letter",
    response={200: None},
    summary="The decision letter (HTML, printable); its SHA-256 in the Repr-Digest header",
)
def decision_letter(request: HttpRequest, decision_id: int) -> FileResponse:
    decision = get_object_or_404(
        Decision.objects.filter(version__in=selectors.versions_visible_to(request).values("pk")),
        pk=decision_id,  # a primary-key lookup: out-of-range ids find nothing (404)
    )
    letter = get_object_or_404(DecisionLetter, decision=decision)
    return download(
        letter.document,
        filename=f"decision-{decision_id}.html",
        content_type=letter.content_type,
        sha256=letter.sha256,
        size=letter.size,
    )


@router.get(
    "/systemic-risk-models",
    response=list[PublicEntryOut],
    auth=None,
    summary="The public list of GPAI models with systemic risk (Art. 52(6))",
)
@paginate(Pagination)
def systemic_risk_models(request: HttpRequest) -> Any:
    return _PublicEntries(selectors.PublicList())


class _PublicEntries:
    """A queryset seen through `public_entry`: paginated (count, slice) like the queryset."""

    def __init__(self, versions: Any) -> None:
        self.versions = versions

    def count(self) -> int:
        return int(self.versions.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [selectors.public_entry(v) for v in self.versions[index]]


@router.get(
    "/systemic-risk-models.csv",
    auth=None,
    summary="The public list of GPAI models with systemic risk as CSV (Art. 52(6))",
)
def systemic_risk_models_csv(request: HttpRequest) -> StreamingHttpResponse:
    header = ("model", "provider", "version", "systemic_risk_status", *selectors.PUBLIC_COLUMNS)

    def rows() -> Iterator[list[Any]]:
        for version in selectors.systemic_risk_versions().iterator(chunk_size=500):
            entry = selectors.public_entry(version)
            fields = entry["fields"]
            yield [
                entry["model"],
                entry["provider"],
                entry["version"],
                entry["systemic_risk_status"],
                *(_cell(fields.get(name)) for name in selectors.PUBLIC_COLUMNS),
            ]

    return csv_response("systemic-risk-models.csv", header, rows())


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return value


# --- providers register their models, versions and representatives (issue 4, items 1-2) ------


def _acting_organisation(request: HttpRequest, organisation_id: int | None) -> Organisation:
    """The provider organisation a person registers a model for: their only one, or the
    one they name among those they act for (their own, or one they represent)."""
    if is_office_staff(request):
        raise PermissionDenied("Providers register their own models.")
    candidates = services.provider_organisations_of(_user(request))
    if not candidates:
        raise PermissionDenied("Only a GPAI provider's people or its representative's do this.")
    if organisation_id is None:
        if len(candidates) > 1:
            raise ValidationError({"organisation_id": "Name the provider organisation."})
        return candidates[0]
    for organisation in candidates:
        if organisation.pk == organisation_id:
            return organisation
    raise ValidationError({"organisation_id": "You do not act for this organisation."})


@router.post(
    "/models",
    response={201: GPAIModelOut},
    summary="Register a model (the provider's people or its representative's)",
)
def model_register(request: HttpRequest, payload: ModelIn) -> Status[Any]:
    organisation = _acting_organisation(request, payload.organisation_id)
    model = services.model_register(
        actor=_user(request),
        organisation=organisation,
        name=payload.name,
        public_description=payload.public_description,
    )
    return Status(201, selectors.models_visible_to(request).get(pk=model.pk))


def _version_fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The service's keyword arguments: `modifies_id` becomes a version the person sees."""
    if "modifies_id" in data:
        modifies_id = data.pop("modifies_id")
        data["modifies"] = None
        if modifies_id is not None:
            original = selectors.versions_visible_to(request).filter(pk=modifies_id).first()
            if original is None:
                raise ValidationError({"modifies_id": "No such model version."})
            data["modifies"] = original
    return data


@contextmanager
def _modifies_as_id() -> Iterator[None]:
    """The service's `modifies` is the API's `modifies_id`."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "modifies" in exc.error_dict:
            errors = exc.message_dict
            errors["modifies_id"] = errors.pop("modifies")
            raise ValidationError(errors) from exc
        raise


@router.post(
    "/models/{model_id}/versions",
    response={201: ModelVersionOut},
    summary="Add a version with its facts; aiact assesses it (the provider)",
)
def version_register(request: HttpRequest, model_id: int, payload: VersionIn) -> Status[Any]:
    model = get_object_or_404(selectors.models_visible_to(request), pk=model_id)
    if is_office_staff(request):
        raise PermissionDenied("Providers register their own versions.")
    fields = _version_fields(request, payload.dict())
    with _modifies_as_id():
        version = services.version_create_assessed(actor=_user(request), model=model, **fields)
    return Status(201, selectors.versions_visible_to(request).get(pk=version.pk))


@router.patch(
    "/versions/{version_id}",
    response=ModelVersionOut,
    summary="Change facts of a version; audited and assessed again (the provider)",
)
def version_change(request: HttpRequest, version_id: int, payload: VersionPatchIn) -> Any:
    version = get_object_or_404(selectors.versions_visible_to(request), pk=version_id)
    if is_office_staff(request):
        raise PermissionDenied("Providers change their own versions' facts.")
    changes = _version_fields(request, payload.dict(exclude_unset=True))
    if changes.get("label", "") is None:
        raise ValidationError({"label": "A version keeps a label."})
    with _modifies_as_id():
        services.version_update_assessed(actor=_user(request), version=version, **changes)
    return selectors.versions_visible_to(request).get(pk=version.pk)


def _providers(request: HttpRequest, lacks_representative: bool | None) -> QuerySet[Provider]:
    providers = selectors.providers_visible_to(request).order_by("organisation__name", "id")
    if lacks_representative is not None:
        providers = providers.filter(lacks_representative=lacks_representative)
    return providers


@router.get(
    "/providers",
    response=list[ProviderOut],
    summary="GPAI providers (staff: all; others: those they act for)",
)
@paginate(Pagination)
def provider_list(request: HttpRequest, lacks_representative: bool | None = None) -> Any:
    return _providers(request, lacks_representative)


_PROVIDER_CSV = (
    "id",
    "name",
    "country",
    "established_in_union",
    "lacks_representative",
    "lacks_representative_since",
)


@router.get("/providers.csv", summary="GPAI providers as CSV (same filter)")
def provider_list_csv(
    request: HttpRequest, lacks_representative: bool | None = None
) -> StreamingHttpResponse:
    rows = (
        (
            p.pk,
            p.organisation.name,
            p.organisation.country,
            p.organisation.established_in_union,
            p.lacks_representative,
            p.lacks_representative_since,
        )
        for p in _providers(request, lacks_representative).iterator(chunk_size=500)
    )
    return csv_response("providers.csv", _PROVIDER_CSV, rows)


@router.get(
    "/providers/{provider_id}",
    response=ProviderDetailOut,
    summary="A provider, its models and its current authorised representatives",
)
def provider_detail(request: HttpRequest, provider_id: int) -> Any:
    providers = selectors.providers_visible_to(request).prefetch_related(
        Prefetch("mandates", AuthorisedRepresentative.objects.select_related("representative")),
        Prefetch("models", GPAIModel.objects.order_by("name", "id")),
    )
    return get_object_or_404(providers, pk=provider_id)


def _is_member(request: HttpRequest, organisation_id: int) -> bool:
    return Membership.objects.filter(user=_user(request), organisation_id=organisation_id).exists()


@router.post(
    "/providers/{provider_id}/mandates",
    response={201: MandateOut},
    summary="Record the written mandate of an authorised representative (Art. 54; multipart)",
)
def mandate_record(
    request: HttpRequest,
    provider_id: int,
    representative_id: Form[int],
    union_country: Form[str],
    tasks: Form[list[str]],
    start: Form[date],
    end: Form[date | None] = None,
    mandate_document: File[UploadedFile] = None,  # type: ignore[assignment]  # the service names it
) -> Status[Any]:
    provider = get_object_or_404(selectors.providers_visible_to(request), pk=provider_id)
    if not is_office_staff(request) and not _is_member(request, provider.organisation_id):
        raise PermissionDenied("The provider's people (or AI Office staff) record its mandates.")
    if mandate_document is None:
        raise ValidationError({"mandate_document": "Attach the written mandate (PDF)."})
    # Only representatives are looked up: another organisation's name is not told.
    representative = Organisation.objects.filter(
        pk=representative_id, kind=OrganisationKind.AUTHORISED_REPRESENTATIVE
    ).first()
    if representative is None:
        raise ValidationError({"representative_id": "No such authorised representative."})
    mandate = services.mandate_record(
        actor=_user(request),
        provider=provider,
        representative=representative,
        document=mandate_document,
        union_country=union_country,
        tasks=tasks,
        start=start,
        end=end,
    )
    return Status(
        201, AuthorisedRepresentative.objects.select_related("representative").get(pk=mandate.pk)
    )


def _mandates(request: HttpRequest) -> QuerySet[AuthorisedRepresentative]:
    return selectors.mandates_visible_to(request)


TERMINATION_MESSAGE = (
    "The mandate is terminated. The AI Office is informed of the termination and its "
    "reasons (Art. 54(5))."
)


@router.post(
    "/mandates/{mandate_id}/terminate",
    response=TerminationOut,
    summary="Terminate a mandate with reasons (Art. 54(5); the representative's people)",
)
def mandate_terminate(request: HttpRequest, mandate_id: int, payload: TerminationIn) -> Any:
    mandate = get_object_or_404(_mandates(request), pk=mandate_id)
    if is_office_staff(request) or not _is_member(request, mandate.representative_id):
        raise PermissionDenied("The representative terminates its mandate.")
    services.representative_terminate(
        actor=_user(request), mandate=mandate, reasons=payload.reasons
    )
    mandate = _mandates(request).get(pk=mandate.pk)
    mandate.office_informed = True  # type: ignore[attr-defined]
    mandate.message = TERMINATION_MESSAGE  # type: ignore[attr-defined]
    mandate.provider_lacks_representative = (  # type: ignore[attr-defined]
        mandate.provider.lacks_representative
    )
    return mandate


@router.get(
    "/mandates/{mandate_id}/document",
    response={200: None},
    summary="The written mandate (PDF); its SHA-256 in the Repr-Digest header",
)
def mandate_document(request: HttpRequest, mandate_id: int) -> FileResponse:
    mandate = get_object_or_404(_mandates(request), pk=mandate_id)
    return download(
        mandate.mandate_document,
        filename=f"mandate-{mandate_id}.pdf",
        content_type="application/pdf",
        sha256=mandate.mandate_sha256,
        size=mandate.mandate_size,
    )
