"""Capability evaluations: the API routes, mounted at /api/v1/evaluations/.

The catalogue (`/tasks`) is public methodology: anyone may read it. Everything else is for
AI Office staff after their second factor (`is_office_staff`); queuing, cancelling and
retrying runs and changing targets is for those who operate evaluations
(`can_operate_evaluations`: technical officers, heads of unit, administrators). Others are
refused (403) before anything is looked up; an unknown id is a 404.
"""

import hashlib
import math
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.permissions import can_operate_evaluations, is_office_staff
from aioffice.core.schemas import MAX_ID
from aioffice.evaluations import profiles, selectors, services
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget
from aioffice.evaluations.schemas import (
    ApiKeyIn,
    CatalogueTaskOut,
    ComparisonOut,
    RiskAreaName,
    RunDetailOut,
    RunIn,
    RunOut,
    RunStatusName,
    SuiteOut,
    TargetCheckOut,
    TargetIn,
    TargetOut,
    VersionProfileOut,
)
from aioffice.registry.api import Pagination
from aioffice.registry.selectors import versions_visible_to
from gpai_evals.catalogue import SUITES, CatalogueEntry, entries

if TYPE_CHECKING:  # both read Inspect logs, so import Inspect: imported where used
    from aioffice.evaluations import comparison, reports

router = Router(tags=["Capability evaluations"])

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Field(ge=1, le=MAX_ID)]
TaskName = Annotated[str, Field(min_length=1, max_length=100)]


def _staff(request: HttpRequest) -> Any:
    if not is_office_staff(request):
        raise PermissionDenied("Capability evaluations are for AI Office staff.")
    return request.auth  # type: ignore[attr-defined]


def _operator(request: HttpRequest) -> Any:
    if not can_operate_evaluations(request):
        raise PermissionDenied(
            "Technical officers, heads of unit and administrators run evaluations."
        )
    return request.auth  # type: ignore[attr-defined]


def _targets(request: HttpRequest) -> QuerySet[EvaluationTarget]:
    return selectors.targets_visible_to(request).select_related("created_by")


def _target(request: HttpRequest, target_id: int) -> EvaluationTarget:
    return get_object_or_404(_targets(request), pk=target_id)


def _runs(request: HttpRequest) -> QuerySet[EvaluationRun]:
    return selectors.runs_visible_to(request).select_related(
        "version__model__provider__organisation", "created_by"
    )


def _run(request: HttpRequest, run_id: int) -> EvaluationRun:
    return get_object_or_404(_runs(request), pk=run_id)


def _run_detail(request: HttpRequest, run_id: int) -> EvaluationRun:
    return get_object_or_404(_runs(request).prefetch_related("results__metrics"), pk=run_id)


# --- the catalogue (public) ---------------------------------------------------------------------


def _catalogue(risk_area: str | None) -> list[CatalogueEntry]:
    return list(entries(risk_area))


@router.get(
    "/tasks",
    response=list[CatalogueTaskOut],
    auth=None,
    summary="The evaluation catalogue: each task's risk area, what it measures, its data "
    "source and licence, and whether it runs offline (public)",
)
@paginate(Pagination)
def task_list(request: HttpRequest, risk_area: RiskAreaName | None = None) -> Any:
    return _catalogue(risk_area)


TASK_COLUMNS = (
    "name",
    "risk_area",
    "measures",
    "data_source",
    "licence",
    "offline",
    "offline_note",
    "ours",
    "roles",
)


@router.get("/tasks.csv", auth=None, summary="The catalogue as CSV (same filter; public)")
def task_list_csv(
    request: HttpRequest, risk_area: RiskAreaName | None = None
) -> StreamingHttpResponse:
    rows = (
        [
            e.name,
            e.risk_area.value,
            e.measures,
            e.data_source,
            e.licence,
            e.offline.value,
            e.offline_note,
            e.ours,
            " ".join(e.roles),
        ]
        for e in _catalogue(risk_area)
    )
    return csv_response("evaluation-tasks.csv", TASK_COLUMNS, rows)


@router.get("/suites", response=list[SuiteOut], summary="Named sets of tasks a run can ask for")
def suite_list(request: HttpRequest) -> Any:
    _staff(request)
    return [{"name": name, "tasks": list(tasks)} for name, tasks in SUITES.items()]


# --- targets ------------------------------------------------------------------------------------


@router.get("/targets", response=list[TargetOut], summary="Evaluation targets")
@paginate(Pagination)
def target_list(request: HttpRequest, version: OptionalId = None) -> Any:
    _staff(request)
    found = _targets(request)
    return found.filter(version_id=version) if version is not None else found


TARGET_COLUMNS = (
    "id",
    "version_id",
    "model",
    "version",
    "name",
    "kind",
    "base_url",
    "model_name",
    "model_path",
    "api_key_set",
    "api_key_hint",
    "checked_at",
    "check_ok",
    "check_latency_ms",
    "check_message",
    "created_at",
)


@router.get("/targets.csv", summary="Evaluation targets as CSV (same filter; never a key)")
def target_list_csv(request: HttpRequest, version: OptionalId = None) -> StreamingHttpResponse:
    _staff(request)
    found = _targets(request)
    if version is not None:
        found = found.filter(version_id=version)
    rows = (
        [
            t.pk,
            t.version_id,
            t.version.model.name,
            t.version.label,
            t.name,
            t.kind,
            t.base_url,
            t.model_name,
            t.model_path,
            bool(t.api_key_encrypted),
            t.api_key_hint,
            t.checked_at,
            t.check_ok,
            t.check_latency_ms,
            t.check_message,
            t.created_at,
        ]
        for t in found.iterator(chunk_size=500)
    )
    return csv_response("evaluation-targets.csv", TARGET_COLUMNS, rows)


@router.post(
    "/targets",
    response={201: TargetOut},
    summary="Add a way to reach a model version (endpoint, vLLM, local Transformers directory "
    "or the mock model); the API key is stored encrypted and never returned",
)
def target_create(request: HttpRequest, payload: TargetIn) -> Status[Any]:
    actor = _operator(request)
    version = versions_visible_to(request).filter(pk=payload.version).first()
    if version is None:
        raise ValidationError({"version": "No such model version."})
    made = services.target_create(
        actor=actor,
        version=version,
        name=payload.name,
        kind=payload.kind,
        base_url=payload.base_url or "",
        model_name=payload.model_name or "",
        model_path=payload.model_path or "",
        api_key=payload.api_key or "",
        model_args=payload.model_args,
    )
    return Status(201, _target(request, made.pk))


@router.get("/targets/{target_id}", response=TargetOut, summary="An evaluation target")
def target_detail(request: HttpRequest, target_id: Id) -> Any:
    _staff(request)
    return _target(request, target_id)


@router.post(
    "/targets/{target_id}/check",
    response=TargetCheckOut,
    summary="Send the target one request now (or look at its directory) and record whether "
    "and how fast it answered",
)
def target_check(request: HttpRequest, target_id: Id) -> Any:
    actor = _operator(request)
    return services.target_check(actor=actor, target=_target(request, target_id))


@router.put(
    "/targets/{target_id}/api-key",
    response=TargetOut,
    summary="Replace an endpoint target's API key (an empty key removes it)",
)
def target_api_key(request: HttpRequest, target_id: Id, payload: ApiKeyIn) -> Any:
    actor = _operator(request)
    target = _target(request, target_id)
    services.target_set_api_key(actor=actor, target=target, api_key=payload.api_key)
    return _target(request, target_id)


# --- runs ---------------------------------------------------------------------------------------


def _filtered_runs(
    request: HttpRequest, version: int | None, status: str | None
) -> QuerySet[EvaluationRun]:
    found = _runs(request)
    if version is not None:
        found = found.filter(version_id=version)
    if status is not None:
        found = found.filter(status=status)
    return found


@router.get("/runs", response=list[RunOut], summary="Evaluation runs, newest first")
@paginate(Pagination)
def run_list(
    request: HttpRequest, version: OptionalId = None, status: RunStatusName | None = None
) -> Any:
    _staff(request)
    return _filtered_runs(request, version, status)


RUN_COLUMNS = (
    "id",
    "version_id",
    "model",
    "version",
    "provider",
    "target",
    "target_kind",
    "suite",
    "tasks",
    "status",
    "progress_done",
    "progress_total",
    "attempts",
    "epochs",
    "temperature",
    "max_tokens",
    "token_limit",
    "time_limit",
    "seed",
    "max_connections",
    "sample_limit",
    "created_by",
    "created_at",
    "started_at",
    "finished_at",
    "error",
)


@router.get("/runs.csv", summary="Evaluation runs as CSV (same filters)")
def run_list_csv(
    request: HttpRequest, version: OptionalId = None, status: RunStatusName | None = None
) -> StreamingHttpResponse:
    _staff(request)
    found = _filtered_runs(request, version, status).iterator(chunk_size=500)
    rows = (
        [
            r.pk,
            r.version_id,
            r.version.model.name,
            r.version.label,
            r.version.model.provider.organisation.name,
            r.target.name,
            r.target.kind,
            r.suite,
            " ".join(r.tasks),
            r.status,
            r.progress_done,
            r.progress_total,
            r.attempts,
            r.epochs,
            r.temperature,
            r.max_tokens,
            r.token_limit,
            r.time_limit,
            r.seed,
            r.max_connections,
            r.sample_limit,
            r.created_by.get_username() if r.created_by is not None else "",
            r.created_at,
            r.started_at,
            r.finished_at,
            r.error,
        ]
        for r in found
    )
    return csv_response("evaluation-runs.csv", RUN_COLUMNS, rows)


@router.post(
    "/runs",
    response={201: RunDetailOut},
    summary="Queue an evaluation of a model version through one of its targets; the worker "
    "executes it",
)
def run_create(request: HttpRequest, payload: RunIn) -> Status[Any]:
    actor = _operator(request)
    version = versions_visible_to(request).filter(pk=payload.version).first()
    if version is None:
        raise ValidationError({"version": "No such model version."})
    target = selectors.targets_visible_to(request).filter(pk=payload.target).first()
    if target is None:
        raise ValidationError({"target": "No such evaluation target."})
    made = services.run_queue(
        actor=actor,
        version=version,
        target=target,
        tasks=payload.tasks,
        suite=payload.suite or None,
        task_args=payload.task_args,
        epochs=1 if payload.epochs is None else payload.epochs,
        temperature=payload.temperature,
        max_tokens=payload.max_tokens,
        token_limit=payload.token_limit,
        time_limit=payload.time_limit,
        seed=payload.seed,
        max_connections=8 if payload.max_connections is None else payload.max_connections,
        sample_limit=payload.sample_limit,
        notes=payload.notes or "",
    )
    return Status(201, _run_detail(request, made.pk))


@router.get(
    "/runs/{run_id}",
    response=RunDetailOut,
    summary="A run: status, progress, configuration and its results per task and metric",
)
def run_detail(request: HttpRequest, run_id: Id) -> Any:
    _staff(request)
    return _run_detail(request, run_id)


@router.post(
    "/runs/{run_id}/cancel",
    response=RunDetailOut,
    summary="Cancel a queued run, or ask a running one to stop",
)
def run_cancel(request: HttpRequest, run_id: Id) -> Any:
    actor = _operator(request)
    services.run_cancel(actor=actor, run=_run(request, run_id))
    return _run_detail(request, run_id)


@router.post(
    "/runs/{run_id}/retry",
    response=RunDetailOut,
    summary="Queue a failed or cancelled run again; it resumes from the logs it left",
)
def run_retry(request: HttpRequest, run_id: Id) -> Any:
    actor = _operator(request)
    services.run_retry(actor=actor, run=_run(request, run_id))
    return _run_detail(request, run_id)


@router.get(
    "/runs/{run_id}/results/{task}/log",
    summary="The kept Inspect log of one task of a run (.eval, readable with `inspect view`; "
    "its SHA-256 in X-Content-SHA256)",
)
def result_log(request: HttpRequest, run_id: Id, task: TaskName) -> FileResponse:
    _staff(request)
    if "\x00" in task:  # no task has one, and PostgreSQL refuses it in a query
        raise Http404
    result = get_object_or_404(selectors.results_visible_to(request), run_id=run_id, task=task)
    return download(
        result.log_file,
        filename=f"evaluation-run-{run_id}-{result.task}.eval",
        content_type="application/zip",
        sha256=result.log_sha256,
        size=result.log_size,
    )


# --- reports, profiles, comparisons -------------------------------------------------------------


def _finite(value: float | None) -> float | None:
    """A number JSON can carry (NaN and infinities become null)."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _private(response: HttpResponse, content: bytes, report: "reports.Report") -> HttpResponse:
    response["X-Content-SHA256"] = hashlib.sha256(content).hexdigest()
    response["X-Report-SHA256"] = report.content_sha256
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get(
    "/runs/{run_id}/report",
    summary="The run's evaluation report (Art. 92 evaluation file): one self-contained HTML "
    "document; SHA-256 of the bytes in X-Content-SHA256, of the content in X-Report-SHA256",
)
def run_report(request: HttpRequest, run_id: Id) -> HttpResponse:
    from aioffice.evaluations import reports

    _staff(request)
    report = reports.build_report(_run(request, run_id))
    content = reports.render_report_html(report, base_url=request.build_absolute_uri("/")).encode(
        "utf-8"
    )
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="{reports.report_filename(report, "html")}"'
    )
    return _private(response, content, report)


@router.get("/runs/{run_id}/report.pdf", summary="The same report as PDF")
def run_report_pdf(request: HttpRequest, run_id: Id) -> HttpResponse:
    from aioffice.evaluations import reports

    _staff(request)
    report = reports.build_report(_run(request, run_id))
    content = reports.render_report_pdf(report, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{reports.report_filename(report, "pdf")}"'
    )
    return _private(response, content, report)


def _profile_out(profile: profiles.Profile) -> dict[str, Any]:
    areas = []
    for area in profile.areas:
        estimate = area.estimate
        areas.append(
            {
                "risk_area": area.risk_area.value,
                "label": area.label,
                "estimate": _finite(estimate.mean) if estimate else None,
                "stderr": _finite(estimate.stderr) if estimate else None,
                "ci_low": _finite(estimate.ci_low) if estimate else None,
                "ci_high": _finite(estimate.ci_high) if estimate else None,
                "tasks": list(area.tasks),
                "without_stderr": list(area.without_stderr),
            }
        )
    return {
        "version_id": profile.version_id,
        "model": profile.model_name,
        "version": profile.version_label,
        "provider": profile.provider,
        "evaluated": profile.evaluated,
        "areas": areas,
        "tasks": [
            {
                "task": t.task,
                "risk_area": t.risk_area,
                "value": _finite(t.value),
                "stderr": _finite(t.stderr),
                "ci_low": _finite(t.ci_low),
                "ci_high": _finite(t.ci_high),
                "items": t.items,
                "run_id": t.run_id,
                "completed_at": t.completed_at,
            }
            for t in profile.tasks
        ],
    }


MAX_REFERENCES = profiles.MAX_SERIES - 1  # the version itself is the first series


@router.get(
    "/versions/{version_id}/profile",
    response=VersionProfileOut,
    summary="A version's capability profile per risk area (estimate, standard error, 95% "
    "interval, tasks), with reference versions (`?reference=ID`, repeatable)",
)
def version_profile(
    request: HttpRequest, version_id: Id, reference: Query[list[Id] | None] = None
) -> Any:
    _staff(request)
    version = get_object_or_404(versions_visible_to(request), pk=version_id)
    asked = list(dict.fromkeys(reference or ()))
    references = [number for number in asked if number != version.pk]
    if len(references) > MAX_REFERENCES:
        raise ValidationError({"reference": f"Give at most {MAX_REFERENCES} reference versions."})
    visible = set(
        versions_visible_to(request).filter(pk__in=references).values_list("pk", flat=True)
    )
    unknown = [number for number in references if number not in visible]
    if unknown:
        raise ValidationError({"reference": f"There is no version #{unknown[0]}."})
    series = profiles.profiles_for([version, *references])
    return {
        "profile": _profile_out(series[0]),
        "references": [_profile_out(p) for p in series[1:]],
    }


def _compared_run(run: EvaluationRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "version_id": run.version_id,
        "model": run.version.model.name,
        "version": run.version.label,
        "target": run.target.name,
        "status": run.status,
    }


def _zero_failure(bound: Any) -> dict[str, Any] | None:
    if bound is None:
        return None
    return {
        "n": bound.n,
        "level": bound.level,
        "rule_of_three": _finite(bound.rule_of_three),
        "exact": _finite(bound.exact),
    }


def _task_comparison(item: "comparison.TaskComparison") -> dict[str, Any]:
    paired = item.paired
    mcnemar = item.mcnemar
    return {
        "task": item.task,
        "risk_area": item.risk_area,
        "status_a": item.status_a,
        "status_b": item.status_b,
        "items": item.items,
        "items_only_a": item.items_only_a,
        "items_only_b": item.items_only_b,
        "paired": None
        if paired is None
        else {
            "mean_a": _finite(paired.mean_a),
            "mean_b": _finite(paired.mean_b),
            "difference": _finite(paired.difference.mean),
            "stderr": _finite(paired.difference.stderr),
            "ci_low": _finite(paired.difference.ci_low),
            "ci_high": _finite(paired.difference.ci_high),
            "p_value": _finite(paired.p_value),
        },
        "mcnemar": None
        if mcnemar is None
        else {
            "both": mcnemar.both,
            "only_a": mcnemar.only_a,
            "only_b": mcnemar.only_b,
            "neither": mcnemar.neither,
            "p_value": _finite(mcnemar.p_value),
        },
        "correlation": _finite(item.correlation),
        "items_needed": item.items_needed,
        "zero_failure_a": _zero_failure(item.zero_failure_a),
        "zero_failure_b": _zero_failure(item.zero_failure_b),
        "note": item.note,
    }


@router.get(
    "/compare",
    response=ComparisonOut,
    summary="Two runs compared task by task on the items both scored: paired difference with "
    "its 95% interval, McNemar's exact test, items needed, rule-of-three bounds",
)
def compare(request: HttpRequest, run_a: Id, run_b: Id) -> Any:
    from aioffice.evaluations import comparison

    _staff(request)
    runs = _runs(request).in_bulk([run_a, run_b])
    for field, number in (("run_a", run_a), ("run_b", run_b)):
        if number not in runs:
            raise ValidationError({field: f"There is no run #{number}."})
    found = comparison.compare_runs(runs[run_a], runs[run_b])
    return {
        "run_a": _compared_run(found.run_a),
        "run_b": _compared_run(found.run_b),
        "tasks": [_task_comparison(item) for item in found.tasks],
        "only_a": list(found.only_a),
        "only_b": list(found.only_b),
    }
