"""The registry over HTTP. Who sees what is decided in `selectors.provider_scope`: staff
see everything, a provider (or its current representative) its own records, others only
the public list of models with systemic risk."""

from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from aioffice.core.permissions import is_office_staff
from aioffice.registry import selectors, services
from aioffice.registry.models import ModelVersion
from aioffice.registry.schemas import (
    AssessmentOut,
    GPAIModelDetailOut,
    GPAIModelOut,
    ModelVersionOut,
    PublicEntryOut,
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
