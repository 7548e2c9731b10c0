"""Capability evaluations: the pages, for AI Office staff after their second factor.

Every member of staff reads (the catalogue, a version's targets, runs, results, kept logs and
sample transcripts); technical officers, heads of unit and administrators also add and
check targets, set their API keys, queue, cancel and retry runs. A run's page follows the
run live (an htmx fragment polled every two seconds until the run is finished) and works
without JavaScript (reload). Lists are paginated and each has a CSV export.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import can_operate_evaluations, is_office_staff, require
from aioffice.core.schemas import MAX_ID
from aioffice.evaluations import selectors, services
from aioffice.evaluations.choices import FINISHED_STATUSES, RunStatus
from aioffice.evaluations.forms import (
    ENDPOINT_KINDS,
    OFFLINE_LABELS,
    RISK_AREA_LABELS,
    CatalogueFilterForm,
    RunFilterForm,
    RunForm,
    TargetForm,
    TargetKeyForm,
)
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget, TaskResult
from aioffice.registry.models import ModelVersion
from aioffice.registry.selectors import versions_visible_to
from gpai_evals.catalogue import SUITES, CatalogueEntry, entries

RUNS_PER_PAGE = 25
RUNS_ON_TARGETS_PAGE = 20


def _add_errors(form: Any, exc: ValidationError) -> None:
    """A service's errors next to the field they name; the others above the form."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, errors in exc.message_dict.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


def _csv(filename: str, header: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> HttpResponse:
    """`core.exports.csv_response`; the permission decorators are typed for views answering
    an HttpResponse, which a streamed response is not a subclass of."""
    return cast(HttpResponse, csv_response(filename, header, rows))


def _version(request: HttpRequest, version_id: Any) -> ModelVersion:
    """The version, or 404 (unknown, out of the database's range, not a number)."""
    try:
        number = int(version_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= number <= MAX_ID:
        raise Http404
    return get_object_or_404(versions_visible_to(request), pk=number)


# --- the catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueRow:
    entry: CatalogueEntry
    risk_area_label: Any
    offline_label: Any
    suites: tuple[str, ...]


def _catalogue(request: HttpRequest) -> tuple[CatalogueFilterForm, list[CatalogueRow]]:
    form = CatalogueFilterForm(request.GET or None)
    area = None
    if form.is_valid():
        area = form.cleaned_data.get("risk_area") or None
    rows = [
        CatalogueRow(
            entry=entry,
            risk_area_label=RISK_AREA_LABELS[entry.risk_area],
            offline_label=OFFLINE_LABELS[entry.offline],
            suites=tuple(name for name, names in SUITES.items() if entry.name in names),
        )
        for entry in entries(area)
    ]
    return form, rows


@require(is_office_staff)
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every task the Office can run, what it measures and whether it runs offline."""
    form, rows = _catalogue(request)
    query = urlencode({k: v for k, v in form.cleaned_data.items() if v}) if form.is_bound else ""
    return render(
        request,
        "evaluations/catalogue.html",
        {"form": form, "rows": rows, "suites": SUITES, "query": query},
    )


CATALOGUE_COLUMNS = (
    "task",
    "risk_area",
    "measures",
    "data_source",
    "licence",
    "offline",
    "offline_note",
    "ours",
    "needs_models",
    "suites",
)


@require(is_office_staff)
@require_GET
def catalogue_csv(request: HttpRequest) -> HttpResponse:
    _form, rows = _catalogue(request)
    return _csv(
        "evaluation-catalogue.csv",
        CATALOGUE_COLUMNS,
        (
            (
                row.entry.name,
                row.entry.risk_area.value,
                row.entry.measures,
                row.entry.data_source,
                row.entry.licence,
                row.entry.offline.value,
                row.entry.offline_note,
                row.entry.ours,
                " ".join(row.entry.roles),
                " ".join(row.suites),
            )
            for row in rows
        ),
    )


# --- targets ----------------------------------------------------------------------------


@dataclass
class TargetRow:
    target: EvaluationTarget
    key_form: TargetKeyForm | None = None
    endpoint: bool = field(init=False)

    def __post_init__(self) -> None:
        self.endpoint = self.target.kind in ENDPOINT_KINDS


def _targets_page(
    request: HttpRequest,
    version: ModelVersion,
    form: TargetForm | None,
    bad_key: TargetKeyForm | None = None,
    bad_key_target: int | None = None,
    status: int = 200,
) -> HttpResponse:
    operator = can_operate_evaluations(request)
    rows = []
    for target in selectors.targets_visible_to(request).filter(version=version):
        key_form = None
        if operator:
            key_form = (
                bad_key
                if target.pk == bad_key_target
                else TargetKeyForm(prefix=f"key-{target.pk}", initial={"action": "set"})
            )
        rows.append(TargetRow(target, key_form))
    runs = list(selectors.runs_visible_to(request).filter(version=version)[:RUNS_ON_TARGETS_PAGE])
    return render(
        request,
        "evaluations/targets.html",
        {
            "version": version,
            "rows": rows,
            "form": form,
            "operator": operator,
            "runs": runs,
            "more_runs": len(runs) == RUNS_ON_TARGETS_PAGE,
        },
        status=status,
    )


@require(is_office_staff)
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest, version_id: int) -> HttpResponse:
    """A version's targets (and its latest runs); operators add targets here."""
    version = _version(request, version_id)
    operator = can_operate_evaluations(request)
    if request.method == "POST" and not operator:
        raise PermissionDenied
    form = TargetForm(request.POST or None) if operator else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            target = services.target_create(
                actor=request.user, version=version, **form.target_data()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Target %(name)s added.") % {"name": target.name})
            back = reverse("evaluations:targets", args=[version.pk])
            return redirect(f"{back}#target-{target.pk}")
    return _targets_page(request, version, form)


def _target(request: HttpRequest, target_id: int) -> EvaluationTarget:
    return get_object_or_404(selectors.targets_visible_to(request), pk=target_id)


def _back_to(target: EvaluationTarget) -> HttpResponse:
    back = reverse("evaluations:targets", args=[target.version_id])
    return redirect(f"{back}#target-{target.pk}")


@require(can_operate_evaluations)
@require_POST
def target_check(request: HttpRequest, target_id: int) -> HttpResponse:
    """Send the target one request now; the page shows whether and how fast it answered."""
    target = services.target_check(actor=request.user, target=_target(request, target_id))
    if target.check_ok:
        messages.success(
            request,
            _("%(name)s answered in %(ms)s ms.")
            % {"name": target.name, "ms": target.check_latency_ms},
        )
    else:
        messages.error(
            request,
            _("%(name)s failed the check: %(message)s")
            % {"name": target.name, "message": target.check_message},
        )
    return _back_to(target)


@require(can_operate_evaluations)
@require_POST
def target_key(request: HttpRequest, target_id: int) -> HttpResponse:
    """Replace or remove an endpoint target's API key."""
    target = _target(request, target_id)
    if target.kind not in ENDPOINT_KINDS:
        messages.error(request, _("Only endpoint targets take an API key."))
        return _back_to(target)
    form = TargetKeyForm(request.POST, prefix=f"key-{target.pk}")
    if form.is_valid():
        try:
            services.target_set_api_key(actor=request.user, target=target, api_key=form.new_key())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if form.new_key():
                messages.success(
                    request, _("The API key of %(name)s is replaced.") % {"name": target.name}
                )
            else:
                messages.success(
                    request, _("The API key of %(name)s is removed.") % {"name": target.name}
                )
            return _back_to(target)
    version = get_object_or_404(versions_visible_to(request), pk=target.version_id)
    create = TargetForm() if can_operate_evaluations(request) else None
    return _targets_page(request, version, create, form, target.pk)


# --- runs -------------------------------------------------------------------------------


@require(can_operate_evaluations)
@require_http_methods(["GET", "POST"])
def run_new(request: HttpRequest) -> HttpResponse:
    """Queue a run of the version named in the query string through one of its targets."""
    version = _version(request, request.GET.get("version"))
    targets = selectors.targets_visible_to(request).filter(version=version)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("target", "")
    if chosen.isascii() and chosen.isdigit() and len(chosen) <= 19:  # not "²", not 5,000 digits
        initial["target"] = int(chosen)
    form = RunForm(request.POST or None, targets=targets, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_queue(
                actor=request.user,
                version=version,
                target=form.cleaned_data["target"],
                **form.run_data(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Run #%(number)s is queued.") % {"number": run.pk})
            return redirect("evaluations:run_detail", run.pk)
    return render(
        request,
        "evaluations/run_form.html",
        {"version": version, "form": form, "has_targets": targets.exists()},
    )


def _runs(request: HttpRequest) -> tuple[RunFilterForm, QuerySet[EvaluationRun], str]:
    form = RunFilterForm(request.GET or None)
    runs = selectors.runs_visible_to(request).select_related(
        "version__model__provider__organisation"
    )
    query = ""
    if form.is_valid():
        data = form.cleaned_data
        if data.get("status"):
            runs = runs.filter(status=data["status"])
        if data.get("version"):
            runs = runs.filter(version_id=data["version"])
        query = urlencode({k: v for k, v in data.items() if v})
    return form, runs, query


@require(is_office_staff)
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    """Every run, newest first, with its progress; filtered by status and version."""
    form, runs, query = _runs(request)
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    version = None
    if form.is_valid() and form.cleaned_data.get("version"):
        version = versions_visible_to(request).filter(pk=form.cleaned_data["version"]).first()
    return render_page_or_fragment(
        request,
        "evaluations/run_list.html",
        "results",
        {"form": form, "page": page, "query": query, "version": version},
    )


RUN_COLUMNS = (
    "run",
    "status",
    "provider",
    "model",
    "version",
    "version_id",
    "target",
    "suite",
    "tasks",
    "epochs",
    "samples_done",
    "samples_total",
    "created_at",
    "started_at",
    "finished_at",
)


@require(is_office_staff)
@require_GET
def run_list_csv(request: HttpRequest) -> HttpResponse:
    _form, runs, _query = _runs(request)
    return _csv(
        "evaluation-runs.csv",
        RUN_COLUMNS,
        (
            (
                run.pk,
                run.status,
                run.version.model.provider.organisation.name,
                run.version.model.name,
                run.version.label,
                run.version_id,
                run.target.name,
                run.suite,
                " ".join(run.tasks),
                run.epochs,
                run.progress_done,
                run.progress_total,
                run.created_at,
                run.started_at,
                run.finished_at,
            )
            for run in runs.iterator(chunk_size=500)
        ),
    )


def _report_url(run: EvaluationRun, name: str = "evaluations:run_report") -> str | None:
    """The run's report (report_views), where that page exists."""
    try:
        return reverse(name, args=[run.pk])
    except NoReverseMatch:
        return None


@require(is_office_staff)
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run: its status and progress (live), configuration, results and kept logs."""
    run = get_object_or_404(
        selectors.runs_visible_to(request).select_related(
            "version__model__provider__organisation", "created_by"
        ),
        pk=run_id,
    )
    results: list[TaskResult] = list(run.results.prefetch_related("metrics"))
    finished = run.status in FINISHED_STATUSES
    return render_page_or_fragment(
        request,
        "evaluations/run_detail.html",
        "live",
        {
            "run": run,
            "results": results,
            "finished": finished,
            "operator": can_operate_evaluations(request),
            "can_retry": run.status in (RunStatus.FAILED, RunStatus.CANCELLED),
            "report_url": _report_url(run) if results or finished else None,
            "report_pdf_url": (
                _report_url(run, "evaluations:run_report_pdf") if results or finished else None
            ),
        },
    )


def _run_change(request: HttpRequest, run_id: int, change: Any, done: str) -> HttpResponse:
    run = get_object_or_404(selectors.runs_visible_to(request), pk=run_id)
    try:
        change(actor=request.user, run=run)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("evaluations:run_detail", run.pk)


@require(can_operate_evaluations)
@require_POST
def run_cancel(request: HttpRequest, run_id: int) -> HttpResponse:
    return _run_change(
        request, run_id, services.run_cancel, _("The run is cancelled (a running task stops).")
    )


@require(can_operate_evaluations)
@require_POST
def run_retry(request: HttpRequest, run_id: int) -> HttpResponse:
    return _run_change(
        request, run_id, services.run_retry, _("The run is queued again; finished work is kept.")
    )


# --- kept logs and sample transcripts -----------------------------------------------------


@require(is_office_staff)
@require_GET
def result_log(request: HttpRequest, result_id: int) -> HttpResponse:
    """A task's kept Inspect log (readable with `inspect view`), SHA-256 in the headers."""
    result = get_object_or_404(selectors.results_visible_to(request), pk=result_id)
    if not result.log_file:
        raise Http404
    response = download(
        result.log_file,
        filename=f"run-{result.run_id}-{result.task}.eval",
        content_type="application/zip",
        sha256=result.log_sha256,
    )
    return cast(HttpResponse, response)


@dataclass(frozen=True)
class Message:
    role: str
    text: str
    tool_calls: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreRow:
    scorer: str
    value: Any
    answer: str | None
    explanation: str | None


@dataclass(frozen=True)
class UsageRow:
    model: str
    input_tokens: int
    output_tokens: int
    total_tokens: int


@dataclass(frozen=True)
class Transcript:
    """What the page shows of one sample, read from the kept log."""

    sample_id: str
    epoch: int
    input: list[Message]
    target: str
    messages: list[Message]
    output: str
    output_model: str
    stop_reason: str
    scores: list[ScoreRow]
    usage: list[UsageRow]
    total_time: float | None
    working_time: float | None
    error: str
    metadata: dict[str, Any]


def _message(message: Any) -> Message:
    calls = tuple(call.function for call in (getattr(message, "tool_calls", None) or ()))
    return Message(role=str(message.role), text=message.text, tool_calls=calls)


def _read_sample(result: TaskResult, sample_id: str, epoch: int) -> Any:
    """One sample of the kept log, read alone (the log is a zip with one member per
    sample): Http404 when the file is gone, unreadable, or has no such sample."""
    from inspect_ai.log import read_eval_log_sample  # Inspect is heavy: only when needed

    if not result.log_file:
        raise Http404
    try:
        path = result.log_file.path
    except NotImplementedError:  # a storage without local paths
        raise Http404 from None
    ids: list[str | int] = [sample_id]
    # str.isdigit() also takes "²", which int() refuses, and int() refuses 5,000 digits
    digits = sample_id.isascii() and sample_id.isdigit() and len(sample_id) <= 30
    if digits and str(int(sample_id)) == sample_id:
        ids.append(int(sample_id))  # Inspect tells 7 from "7"
    for candidate in ids:
        try:
            return read_eval_log_sample(
                path,
                id=candidate,
                epoch=epoch,
                resolve_attachments=True,
                exclude_fields={"events", "store"},
            )
        except IndexError:  # no such sample in this log
            continue
        except (OSError, ValueError):  # gone, or not an Inspect log
            raise Http404 from None
    raise Http404


def _transcript(sample: Any) -> Transcript:
    raw_input = sample.input
    inputs = (
        [Message(role="user", text=raw_input)]
        if isinstance(raw_input, str)
        else [_message(m) for m in raw_input]
    )
    target = sample.target if isinstance(sample.target, str) else "\n".join(sample.target)
    output = sample.output
    scores = [
        ScoreRow(name, score.value, score.answer, score.explanation)
        for name, score in (sample.scores or {}).items()
    ]
    usage = [
        UsageRow(model, u.input_tokens, u.output_tokens, u.total_tokens)
        for model, u in (sample.model_usage or {}).items()
    ]
    return Transcript(
        sample_id=str(sample.id),
        epoch=sample.epoch,
        input=inputs,
        target=target,
        messages=[_message(m) for m in sample.messages],
        output=output.completion if output else "",
        output_model=output.model if output else "",
        stop_reason=str(output.stop_reason) if output and output.choices else "",
        scores=scores,
        usage=usage,
        total_time=sample.total_time,
        working_time=sample.working_time,
        error=sample.error.message if sample.error else "",
        metadata=dict(sample.metadata or {}),
    )


@require(is_office_staff)
@require_GET
def sample_transcript(
    request: HttpRequest, run_id: int, task: str, sample_id: str, epoch: int
) -> HttpResponse:
    """One sample of one task of a run as the model saw and answered it, and its score."""
    if "\x00" in task:  # no task has one, and PostgreSQL refuses it in a query
        raise Http404
    result = get_object_or_404(
        selectors.results_visible_to(request).select_related("run__version__model"),
        run_id=run_id,
        task=task,
    )
    transcript = _transcript(_read_sample(result, sample_id, epoch))
    return render(
        request,
        "evaluations/sample.html",
        {"result": result, "run": result.run, "t": transcript},
    )
