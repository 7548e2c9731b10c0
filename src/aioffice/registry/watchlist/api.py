"""Compute watch-list: the API routes, mounted at /api/v1/watchlist/. AI Office staff only:
everyone else is refused (403) before anything is looked up."""

import json
from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from aioffice.core.exports import csv_response
from aioffice.core.permissions import is_office_staff
from aioffice.core.schemas import MAX_ID
from aioffice.registry.models import GPAIModel, ModelVersion
from aioffice.registry.watchlist import selectors, services
from aioffice.registry.watchlist.choices import ImportStatus
from aioffice.registry.watchlist.models import Match, WatchlistImport
from aioffice.registry.watchlist.schemas import (
    EntryOut,
    ImportRowsIn,
    MatchIn,
    MatchOut,
    WatchlistImportOut,
    WatchlistRowOut,
)

router = Router(tags=["Compute watch-list"])

MAX_PAGE = 1_000_000
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
BandName = Literal["above", "near", "below", "unknown"]
MatchStatusName = Literal["suggested", "confirmed", "rejected"]
RowMatchName = Literal["suggested", "confirmed", "rejected", "unmatched"]
OnName = Literal["today", "import"]
ReasonName = Literal["not_notified", "unmatched"]


class Pagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


def _staff(request: HttpRequest) -> Any:
    if not is_office_staff(request):
        raise PermissionDenied("The watch-list is for AI Office staff.")
    return request.auth  # type: ignore[attr-defined]


def _import(request: HttpRequest, import_id: int) -> WatchlistImport:
    return get_object_or_404(selectors.imports_visible_to(request), pk=import_id)


def _imported(request: HttpRequest, import_id: int | None) -> WatchlistImport:
    if import_id is not None:
        made = _import(request, import_id)
        if made.status != ImportStatus.IMPORTED:
            raise ValidationError({"import": f"Import #{made.pk} has no rows yet."})
        return made
    latest = selectors.import_or_latest(None)
    if latest is None:
        raise ValidationError({"import": "Nothing has been imported yet."})
    return latest


# --- imports -----------------------------------------------------------------------------------


@router.get("/imports", response=list[WatchlistImportOut], summary="Imports, newest first")
@paginate(Pagination)
def import_list(request: HttpRequest, status: Literal["staged", "imported"] | None = None) -> Any:
    _staff(request)
    found = selectors.imports_visible_to(request)
    return found.filter(status=status) if status else found


IMPORT_COLUMNS = (
    "id",
    "original_name",
    "sha256",
    "size",
    "source_name",
    "source_url",
    "retrieved_on",
    "status",
    "imported_at",
    "as_of",
    "threshold_flop",
    "row_count",
    "error_row_count",
    "suggested_count",
)


@router.get("/imports.csv", summary="Imports as CSV (same filters)")
def import_list_csv(
    request: HttpRequest, status: Literal["staged", "imported"] | None = None
) -> StreamingHttpResponse:
    _staff(request)
    found = selectors.imports_visible_to(request)
    if status:
        found = found.filter(status=status)
    rows = ([getattr(m, c) for c in IMPORT_COLUMNS] for m in found.iterator(chunk_size=500))
    return csv_response("watchlist-imports.csv", IMPORT_COLUMNS, rows)


@router.post(
    "/imports",
    response={201: WatchlistImportOut},
    summary="Upload a CSV of compute estimates (multipart); its rows are imported at once "
    "unless `stage_only`",
)
def import_create(
    request: HttpRequest,
    file: File[UploadedFile],
    source: Form[str],
    source_url: Form[str] = "",
    retrieved_on: Form[date | None] = None,
    mapping: Form[str] = "",
    stage_only: Form[bool] = False,
) -> Status[Any]:
    actor = _staff(request)
    try:
        chosen = json.loads(mapping) if mapping.strip() else {}
    except json.JSONDecodeError:
        chosen = None
    if not isinstance(chosen, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in chosen.items()
    ):
        raise ValidationError({"mapping": 'A JSON object such as {"model": "Model"}.'})
    if stage_only:
        made = services.watchlist_stage(
            actor=actor, file=file, source=source, source_url=source_url, retrieved_on=retrieved_on
        )
    else:
        made = services.watchlist_import(
            actor=actor,
            file=file,
            mapping=chosen,
            source=source,
            source_url=source_url,
            retrieved_on=retrieved_on,
        )
    return Status(201, made)


@router.get("/imports/{import_id}", response=WatchlistImportOut, summary="An import")
def import_detail(request: HttpRequest, import_id: Id) -> Any:
    _staff(request)
    return _import(request, import_id)


@router.post(
    "/imports/{import_id}/rows",
    response=WatchlistImportOut,
    summary="Import the rows of a staged file with a column mapping (our field -> column)",
)
def import_rows(request: HttpRequest, import_id: Id, payload: ImportRowsIn) -> Any:
    actor = _staff(request)
    made = _import(request, import_id)
    return services.watchlist_import_rows(
        actor=actor, watchlist_import=made, mapping=payload.mapping, use_defaults=False
    )


@router.get(
    "/imports/{import_id}/rows",
    response=list[WatchlistRowOut],
    summary="The rows of an import: raw cells, parsed values, errors, suggested matches",
)
@paginate(Pagination)
def row_list(
    request: HttpRequest,
    import_id: Id,
    band: BandName | None = None,
    errors: bool | None = None,
    match: RowMatchName | None = None,
) -> Any:
    _staff(request)
    made = _import(request, import_id)
    return selectors.rows_of(made, band=band, errors=errors, match_status=match)


ROW_COLUMNS = (
    "row",
    "model",
    "organisation",
    "publication_date",
    "parameters",
    "training_compute_flop",
    "dataset_size",
    "estimation_method",
    "confidence",
    "band",
    "near",
    "errors",
)


@router.get("/imports/{import_id}/rows.csv", summary="The rows of an import as CSV")
def row_list_csv(
    request: HttpRequest,
    import_id: Id,
    band: BandName | None = None,
    errors: bool | None = None,
    match: RowMatchName | None = None,
) -> StreamingHttpResponse:
    _staff(request)
    made = _import(request, import_id)
    found = (
        selectors.rows_of(made, band=band, errors=errors, match_status=match)
        .prefetch_related(None)
        .iterator(chunk_size=500)
    )
    rows = (
        [
            r.number,
            r.model_name,
            r.organisation,
            r.publication_date,
            r.parameters,
            r.training_compute_flop,
            r.dataset_size,
            r.estimation_method,
            r.confidence,
            r.band,
            r.near,
            "; ".join(f"{k}: {v}" for k, v in r.errors.items()),
        ]
        for r in found
    )
    return csv_response(f"watchlist-import-{made.pk}-rows.csv", ROW_COLUMNS, rows)


# --- matches -------------------------------------------------------------------------------------


@router.get("/matches", response=list[MatchOut], summary="Matches, suggested or decided")
@paginate(Pagination)
def match_list(
    request: HttpRequest,
    import_id: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    status: MatchStatusName | None = None,
) -> Any:
    _staff(request)
    return selectors.matches_of(import_id=import_id, status=status)


MATCH_COLUMNS = (
    "id",
    "import",
    "row",
    "target",
    "provider",
    "score",
    "why",
    "status",
    "decided_at",
)


@router.get("/matches.csv", summary="Matches as CSV (same filters)")
def match_list_csv(
    request: HttpRequest,
    import_id: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    status: MatchStatusName | None = None,
) -> StreamingHttpResponse:
    _staff(request)
    found = selectors.matches_of(import_id=import_id, status=status).iterator(chunk_size=500)
    rows = (
        [
            m.pk,
            m.row.watchlist_import_id,
            m.row.number,
            selectors.target_label(m),
            selectors.target_provider(m),
            m.score,
            m.why,
            m.status,
            m.decided_at,
        ]
        for m in found
    )
    return csv_response("watchlist-matches.csv", MATCH_COLUMNS, rows)


@router.post(
    "/imports/{import_id}/rows/{row_id}/matches",
    response={201: MatchOut},
    summary="Match a row by hand to a model or a version (confirmed at once)",
)
def match_create(request: HttpRequest, import_id: Id, row_id: Id, payload: MatchIn) -> Status[Any]:
    actor = _staff(request)
    row = get_object_or_404(_import(request, import_id).rows, pk=row_id)
    model = version = None
    if payload.model_id is not None:
        model = GPAIModel.objects.filter(pk=payload.model_id).first()
        if model is None:
            raise ValidationError({"model_id": "No such model."})
    if payload.version_id is not None:
        version = ModelVersion.objects.filter(pk=payload.version_id).first()
        if version is None:
            raise ValidationError({"version_id": "No such model version."})
    made = services.match_create(actor=actor, row=row, model=model, version=version)
    return Status(201, _match(request, made.pk))


def _match(request: HttpRequest, match_id: int) -> Match:
    return get_object_or_404(selectors.matches_with_targets(), pk=match_id)


@router.post("/matches/{match_id}/confirm", response=MatchOut, summary="Confirm a match")
def match_confirm(request: HttpRequest, match_id: Id) -> Any:
    actor = _staff(request)
    services.match_confirm(actor=actor, match=_match(request, match_id))
    return _match(request, match_id)


@router.post("/matches/{match_id}/reject", response=MatchOut, summary="Reject a match")
def match_reject(request: HttpRequest, match_id: Id) -> Any:
    actor = _staff(request)
    services.match_reject(actor=actor, match=_match(request, match_id))
    return _match(request, match_id)


# --- the watch-list ------------------------------------------------------------------------------


@router.get(
    "/entries",
    response=list[EntryOut],
    summary="The watch-list of an import (default: the latest): above the threshold or in "
    "the error-margin band (aiact's, for the day) with no notification, or above it with no "
    "registered model",
)
@paginate(Pagination)
def entry_list(
    request: HttpRequest,
    import_id: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    on: OnName = "today",
    reason: ReasonName | None = None,
    band: Literal["above", "near"] | None = None,
) -> Any:
    _staff(request)
    made = _imported(request, import_id)
    return selectors.watchlist_entries(made, on=on, reason=reason, band=band)


@router.get("/entries.csv", summary="The watch-list as CSV (same filters)")
def entry_list_csv(
    request: HttpRequest,
    import_id: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None,
    on: OnName = "today",
    reason: ReasonName | None = None,
    band: Literal["above", "near"] | None = None,
) -> StreamingHttpResponse:
    _staff(request)
    made = _imported(request, import_id)
    entries = selectors.watchlist_entries(made, on=on, reason=reason, band=band)
    return csv_response(
        f"watchlist-{made.pk}-{on}.csv",
        selectors.WATCHLIST_COLUMNS,
        selectors.watchlist_csv_rows(entries),
    )
