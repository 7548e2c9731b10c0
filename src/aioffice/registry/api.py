"""The registry over HTTP. Who sees what is decided in `selectors.provider_scope`: staff
see everything, a provider (or its current representative) its own records, others only
the public list of models with systemic risk."""

from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from aioffice.accounts.models import User
from aioffice.core.permissions import can_take_art52_decisions, is_office_staff
from aioffice.registry import selectors, services
from aioffice.registry.models import Decision, Hearing, ModelVersion
from aioffice.registry.schemas import (
    AssessmentOut,
    AssignIn,
    DecisionIn,
    DecisionOut,
    GPAIModelDetailOut,
    GPAIModelOut,
    HearingIn,
    HearingOut,
    ModelVersionOut,
    NotificationDetailOut,
    NotificationIn,
    NotificationOut,
    PublicEntryOut,
    ReassessmentIn,
    ReassessmentOut,
    VersionRowOut,
)

router = Router(tags=["registry"])

# Bounds that keep every generated request inside the database's integer range.
MAX_PAGE = 1_000_000
MAX_ID = 2**63 - 1


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


@router.get("/models", response=list[GPAIModelOut], summary="GPAI models I may see")
@paginate(Pagination)
def model_list(
    request: HttpRequest,
    provider: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    systemic_risk_status: StatusName | None = None,
) -> Any:
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
            Prefetch("hearings", queryset=Hearing.objects.order_by("opened_on", "id")),
            Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "id")),
        )
    )
    return get_object_or_404(notifications, pk=notification_id)


@router.get("/notifications", response=list[NotificationOut], summary="Art. 52 notifications")
@paginate(Pagination)
def notification_list(
    request: HttpRequest,
    status: NotificationStatusName | None = None,
    late: bool | None = None,
) -> Any:
    notifications = selectors.notifications_visible_to(request).order_by("-submitted_at", "-id")
    if status is not None:
        notifications = notifications.filter(status=status)
    if late is not None:
        notifications = notifications.filter(late=late)
    return notifications


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
    decision = services.decision_take(
        actor=_user(request), notification=notification, **payload.dict()
    )
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
    decision = services.decision_take(actor=_user(request), version=version, **payload.dict())
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


@router.get(
    "/systemic-risk-models",
    response=list[PublicEntryOut],
    auth=None,
    summary="The public list of GPAI models with systemic risk (Art. 52(6))",
)
@paginate(Pagination)
def systemic_risk_models(request: HttpRequest) -> Any:
    return _PublicEntries(selectors.systemic_risk_versions())


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
