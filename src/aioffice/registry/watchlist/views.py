"""The watch-list's pages, for AI Office staff after their second factor: the imports,
the upload and column mapping, an import's rows with their errors and suggested matches
(confirm or reject; plain forms, no JavaScript needed), the watch-list and its CSV."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core.exports import csv_response
from aioffice.core.permissions import is_office_staff, require
from aioffice.registry.models import GPAIModel, ModelVersion
from aioffice.registry.watchlist import selectors, services
from aioffice.registry.watchlist.choices import ImportStatus, MatchStatus
from aioffice.registry.watchlist.forms import (
    EntryFilterForm,
    ImportUploadForm,
    ManualMatchForm,
    MappingForm,
    RowFilterForm,
)
from aioffice.registry.watchlist.models import WatchlistImport


def _add_errors(form: Any, exc: ValidationError) -> None:
    """The service's errors next to their field (`mapping.<field>` on <field>)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        field = name.removeprefix("mapping.")
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@require(is_office_staff)
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.imports_visible_to(request), 25).get_page(request.GET.get("page"))
    return render(request, "watchlist/import_list.html", {"page": page})


@require(is_office_staff)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.watchlist_stage(
                actor=request.user,
                file=data["file"],
                source=data["source"],
                source_url=data.get("source_url") or "",
                retrieved_on=data.get("retrieved_on"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The file is stored. Check the columns, then import."))
            return redirect("watchlist:import_detail", made.pk)
    return render(request, "watchlist/import_form.html", {"form": form})


@require(is_office_staff)
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    made = get_object_or_404(selectors.imports_visible_to(request), pk=import_id)
    if made.status == ImportStatus.STAGED:
        form = MappingForm(
            request.POST if request.method == "POST" else None, watchlist_import=made
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.watchlist_import_rows(
                    actor=request.user,
                    watchlist_import=made,
                    mapping=form.mapping(),
                    use_defaults=False,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The rows are imported."))
                return redirect("watchlist:import_detail", made.pk)
        return render(request, "watchlist/import_detail.html", {"made": made, "form": form})
    if request.method == "POST":
        return redirect("watchlist:import_detail", made.pk)
    filters = RowFilterForm(request.GET or None)
    band = errors = None
    query = ""
    if filters.is_valid():
        band = filters.cleaned_data.get("band") or None
        choice = filters.cleaned_data.get("with_errors")
        errors = None if not choice else choice == "yes"
        query = urlencode({k: v for k, v in filters.cleaned_data.items() if v})
    return _rows_page(request, made, filters, band, errors, query, ManualMatchForm())


def _rows_page(
    request: HttpRequest,
    made: WatchlistImport,
    filters: RowFilterForm,
    band: str | None,
    errors: bool | None,
    query: str,
    match_form: ManualMatchForm,
) -> HttpResponse:
    rows = selectors.rows_of(made, band=band, errors=errors)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "watchlist/import_detail.html",
        {
            "made": made,
            "filters": filters,
            "page": page,
            "query": query,
            "match_form": match_form,
        },
    )


@require(is_office_staff)
@require_POST
def row_match(request: HttpRequest, import_id: int) -> HttpResponse:
    """Match a row by hand to a model or a version the suggestions missed."""
    made = get_object_or_404(selectors.imports_visible_to(request), pk=import_id)
    form = ManualMatchForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        row = made.rows.filter(number=data["row"]).first()
        model = version = None
        if data.get("model_id"):
            model = GPAIModel.objects.filter(pk=data["model_id"]).first()
        if data.get("version_id"):
            version = ModelVersion.objects.filter(pk=data["version_id"]).first()
        if row is None:
            form.add_error("row", _("This import has no such row."))
        elif data.get("model_id") and model is None:
            form.add_error("model_id", _("No such model."))
        elif data.get("version_id") and version is None:
            form.add_error("version_id", _("No such model version."))
        else:
            try:
                services.match_create(actor=request.user, row=row, model=model, version=version)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Match recorded."))
                back = reverse("watchlist:import_detail", args=[made.pk])
                return redirect(f"{back}#row-{row.number}")
    return _rows_page(request, made, RowFilterForm(), None, None, "", form)


@require(is_office_staff)
@require_GET
def import_file(request: HttpRequest, import_id: int) -> HttpResponse:
    """The stored file, to staff only, as a download (never rendered by the browser)."""
    made: WatchlistImport = get_object_or_404(selectors.imports_visible_to(request), pk=import_id)
    try:
        with made.file.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type="text/csv; charset=utf-8")
    except FileNotFoundError:  # the record outlived its file (a restore, a storage fault)
        raise Http404 from None
    response["Content-Disposition"] = f'attachment; filename="import-{made.pk}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require(is_office_staff)
@require_POST
def match_decide(request: HttpRequest, match_id: int, decision: str) -> HttpResponse:
    if decision not in {"confirm", "reject"}:
        raise Http404
    match = get_object_or_404(selectors.matches_with_targets().select_related("row"), pk=match_id)
    service = services.match_confirm if decision == "confirm" else services.match_reject
    try:
        service(actor=request.user, match=match)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if decision == "confirm":
            messages.success(request, _("Match confirmed."))
        else:
            messages.success(request, _("Match rejected."))
    back = reverse("watchlist:import_detail", args=[match.row.watchlist_import_id])
    return redirect(f"{back}#row-{match.row.number}")


def _entries(request: HttpRequest) -> tuple[EntryFilterForm, WatchlistImport | None, Any, str]:
    imports = list(selectors.imports_visible_to(request).filter(status=ImportStatus.IMPORTED)[:200])
    form = EntryFilterForm(request.GET or None, imports=imports)
    import_id = on = reason = band = None
    if form.is_valid():
        import_id = form.cleaned_data.get("import_id") or None
        on = form.cleaned_data.get("on") or None
        reason = form.cleaned_data.get("reason") or None
        band = form.cleaned_data.get("band") or None
    made = selectors.import_or_latest(import_id)
    entries = (
        selectors.watchlist_entries(made, on=on or "today", reason=reason, band=band)
        if made is not None
        else []
    )
    query = urlencode({k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v})
    return form, made, entries, query


@require(is_office_staff)
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    form, made, entries, query = _entries(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "watchlist/entries.html",
        {"form": form, "made": made, "page": page, "query": query, "statuses": MatchStatus},
    )


@require(is_office_staff)
@require_GET
def entry_list_csv(request: HttpRequest) -> HttpResponse:
    _, made, entries, _query = _entries(request)
    name = f"watchlist-{made.pk if made else 'none'}.csv"
    rows = selectors.watchlist_csv_rows(entries)
    # A streamed response: `require` is typed for HttpResponse, the stream is one too at run time.
    return csv_response(name, selectors.WATCHLIST_COLUMNS, rows)  # type: ignore[return-value]
