"""Code of Practice: the API routes, mounted at /api/v1/code-of-practice/.

The signatories are public by design. Staff record signatures and withdrawals; a provider
(or its current representative) submits its Framework and Model Reports and sees its own;
staff see all. Who sees which provider is the registry's `provider_scope`.
"""

from datetime import date
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, File, Form, Router, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.core.exports import csv_response
from aioffice.core.permissions import is_office_staff
from aioffice.core.schemas import MAX_ID
from aioffice.registry import selectors as registry_selectors
from aioffice.registry.api import Pagination
from aioffice.registry.codeofpractice import selectors, services
from aioffice.registry.codeofpractice.models import Signature
from aioffice.registry.codeofpractice.schemas import (
    ChapterName,
    DeadlineOut,
    FrameworkIn,
    FrameworkOut,
    ModelReportIn,
    ModelReportOut,
    ProviderStatusOut,
    SignatoryOut,
    SignatureIn,
    SignatureOut,
    WithdrawIn,
)
from aioffice.registry.models import Provider

router = Router(tags=["Code of Practice"])

# Path ids inside the database's integer range (a larger one is a 422, not a 500).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _staff_only(request: HttpRequest, what: str) -> None:
    if not is_office_staff(request):
        raise PermissionDenied(f"Only AI Office staff {what}.")


# --- signatories (public) -----------------------------------------------------------------------

SIGNATORY_COLUMNS = ("provider", "chapter", "signed_on", "withdrawn_on", "source")


@router.get(
    "/signatories",
    response=list[SignatoryOut],
    auth=None,
    summary="The signatories of the GPAI Code of Practice, per chapter, with withdrawals",
)
@paginate(Pagination)
def signatory_list(request: HttpRequest, chapter: ChapterName | None = None) -> Any:
    return selectors.public_signatures(chapter)


@router.get(
    "/signatories.csv",
    auth=None,
    summary="The signatories as CSV (same filter, not paginated)",
)
def signatory_csv(
    request: HttpRequest, chapter: ChapterName | None = None
) -> StreamingHttpResponse:
    rows = (
        [selectors.public_signature(s)[c] for c in SIGNATORY_COLUMNS]
        for s in selectors.public_signatures(chapter).iterator()
    )
    return csv_response("code-of-practice-signatories.csv", SIGNATORY_COLUMNS, rows)


# --- signatures (staff) -------------------------------------------------------------------------


@router.post(
    "/signatures",
    response={201: SignatureOut},
    summary="Record a provider's signature of a chapter (AI Office staff)",
)
def signature_create(request: HttpRequest, payload: SignatureIn) -> Status[Any]:
    _staff_only(request, "record signatures")
    provider = Provider.objects.filter(pk=payload.provider_id).first()
    if provider is None:
        raise ValidationError({"provider_id": "No such provider."})
    signature = services.signature_add(
        actor=_user(request),
        provider=provider,
        chapter=payload.chapter,
        signed_on=payload.signed_on,
        source=payload.source,
        notes=payload.notes,
    )
    return Status(201, signature)


@router.post(
    "/signatures/{signature_id}/withdraw",
    response=SignatureOut,
    summary="Record the withdrawal of a signature, with reasons (AI Office staff)",
)
def signature_withdraw(request: HttpRequest, signature_id: Id, payload: WithdrawIn) -> Any:
    _staff_only(request, "record withdrawals")  # before the lookup: no 404/403 oracle
    signature = get_object_or_404(Signature, pk=signature_id)
    return services.signature_withdraw(
        actor=_user(request),
        signature=signature,
        withdrawn_on=payload.withdrawn_on,
        reasons=payload.reasons,
    )


@router.get(
    "/providers/{provider_id}/status",
    response=ProviderStatusOut,
    summary="A provider's status for each chapter on a day (COP-01)",
)
def provider_status(request: HttpRequest, provider_id: Id, on: date | None = None) -> Any:
    provider = get_object_or_404(registry_selectors.providers_visible_to(request), pk=provider_id)
    day = on or timezone.now().date()
    return {
        "provider_id": provider.pk,
        "provider": provider.name,
        "on": day,
        "chapters": selectors.statuses_of([provider.pk], day)[provider.pk],
    }


# --- Frameworks and Model Reports (the provider) ---------------------------------------------

FRAMEWORK_COLUMNS = (
    "id",
    "provider",
    "framework_version",
    "confirmed_on",
    "submitted_on",
    "notified_on",
    "placing_on",
    "confirm_by",
    "access_by",
    "late",
    "sha256",
    "size",
    "rules_version",
)
REPORT_COLUMNS = (
    "id",
    "provider",
    "model",
    "version",
    "kind",
    "most_capable",
    "submitted_on",
    "placing_on",
    "report_by",
    "report_by_with_interim",
    "refresh_by",
    "due",
    "late",
    "sha256",
    "size",
    "rules_version",
)


@router.get("/frameworks", response=list[FrameworkOut], summary="Safety and Security Frameworks")
@paginate(Pagination)
def framework_list(request: HttpRequest, late: bool | None = None) -> Any:
    frameworks = selectors.frameworks_visible_to(request)
    return frameworks if late is None else frameworks.filter(late=late)


@router.get("/frameworks.csv", summary="Safety and Security Frameworks as CSV")
def framework_csv(request: HttpRequest, late: bool | None = None) -> StreamingHttpResponse:
    frameworks = selectors.frameworks_visible_to(request)
    if late is not None:
        frameworks = frameworks.filter(late=late)
    rows = (
        [f.provider.name if c == "provider" else getattr(f, c) for c in FRAMEWORK_COLUMNS]
        for f in frameworks.iterator()
    )
    return csv_response("frameworks.csv", FRAMEWORK_COLUMNS, rows)


@router.post(
    "/frameworks",
    response={201: FrameworkOut},
    summary="Submit the confirmed Safety and Security Framework (the provider; a PDF)",
)
def framework_submit(
    request: HttpRequest, payload: Form[FrameworkIn], document: File[UploadedFile]
) -> Status[Any]:
    provider = get_object_or_404(
        registry_selectors.providers_visible_to(request), pk=payload.provider_id
    )
    if is_office_staff(request):
        raise PermissionDenied("The provider submits its Framework.")
    submission = services.framework_submit(
        actor=_user(request),
        provider=provider,
        document=document,
        framework_version=payload.framework_version,
        confirmed_on=payload.confirmed_on,
        placing_on=payload.placing_on,
    )
    return Status(201, submission)


def _report_cell(report: Any, column: str) -> Any:
    if column == "provider":
        return report.version.model.provider.name
    if column == "model":
        return report.version.model.name
    if column == "version":
        return report.version.label
    return getattr(report, column)


@router.get("/model-reports", response=list[ModelReportOut], summary="Model Reports")
@paginate(Pagination)
def model_report_list(request: HttpRequest, late: bool | None = None) -> Any:
    reports = selectors.reports_visible_to(request)
    return reports if late is None else reports.filter(late=late)


@router.get("/model-reports.csv", summary="Model Reports as CSV")
def model_report_csv(request: HttpRequest, late: bool | None = None) -> StreamingHttpResponse:
    reports = selectors.reports_visible_to(request)
    if late is not None:
        reports = reports.filter(late=late)
    rows = ([_report_cell(r, c) for c in REPORT_COLUMNS] for r in reports.iterator())
    return csv_response("model-reports.csv", REPORT_COLUMNS, rows)


@router.post(
    "/versions/{version_id}/model-reports",
    response={201: ModelReportOut},
    summary="Submit a version's Model Report or interim report (the provider; a PDF)",
)
def model_report_submit(
    request: HttpRequest,
    version_id: Id,
    payload: Form[ModelReportIn],
    document: File[UploadedFile],
) -> Status[Any]:
    version = get_object_or_404(registry_selectors.versions_visible_to(request), pk=version_id)
    if is_office_staff(request):
        raise PermissionDenied("The provider submits its Model Reports.")
    submission = services.model_report_submit(
        actor=_user(request),
        version=version,
        document=document,
        kind=payload.kind,
        most_capable=payload.most_capable,
    )
    return Status(201, submission)


# --- deadlines ---------------------------------------------------------------------------------


@router.get(
    "/deadlines",
    response=list[DeadlineOut],
    summary="Framework and Model Report deadlines of the versions with systemic risk",
)
@paginate(Pagination)
def deadline_list(request: HttpRequest, on: date | None = None) -> Any:
    day = on or timezone.now().date()
    return selectors.DeadlineRows(selectors.sr_versions_visible_to(request), day)


@router.get("/deadlines.csv", summary="The deadlines as CSV")
def deadline_csv(request: HttpRequest, on: date | None = None) -> StreamingHttpResponse:
    day = on or timezone.now().date()
    rows = selectors.DeadlineRows(selectors.sr_versions_visible_to(request), day).iterate()
    return csv_response(
        "code-of-practice-deadlines.csv",
        selectors.DEADLINE_COLUMNS,
        ([row[c] for c in selectors.DEADLINE_COLUMNS] for row in rows),
    )
