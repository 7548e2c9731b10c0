"""The evaluation report of a run: everything an Art. 92 evaluation file needs, as one
self-contained printable HTML document and the same document as PDF (WeasyPrint).

The report is built from what is stored (the run, its target, its task and metric results)
and from the kept Inspect logs (the plan the model was evaluated with: solvers, system
prompts, generation settings and limits; the samples, for the links to their transcripts).
It never carries a target's API key. Its content has a SHA-256 (`Report.content_sha256`,
over the canonical JSON form of `report_as_dict`, which leaves only that field out) printed
in the footer; the pages also send the SHA-256 of the bytes served in ``X-Content-SHA256``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aioffice.evaluations.choices import RunStatus, TargetKind
from aioffice.evaluations.comparison import local_log
from aioffice.evaluations.models import EvaluationRun, TaskResult
from aioffice.evaluations.profiles import AREA_LABELS
from gpai_evals.catalogue import RiskArea, by_name

__all__ = [
    "SAMPLES_LISTED",
    "SAMPLES_LISTED_TOTAL",
    "TEMPLATE",
    "DatasetInfo",
    "LogInfo",
    "MetricLine",
    "Report",
    "SampleLink",
    "TaskSection",
    "build_report",
    "render_report_html",
    "render_report_pdf",
    "report_as_dict",
    "report_filename",
    "transcript_url",
]

TEMPLATE = "evaluations/report.html"
# Samples listed per task and in the whole report, each with a link to its transcript; the
# kept log holds them all. The cap keeps the PDF quick to make (WeasyPrint lays out about
# 80 table rows a second on a small server).
SAMPLES_LISTED = 100
SAMPLES_LISTED_TOTAL = 600
_CHUNK = 1 << 20


@dataclass(frozen=True)
class MetricLine:
    scorer: str
    name: str
    value: float
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    samples: int


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    location: str
    samples: int | None
    sha256: dict[str, str]  # file -> SHA-256
    source: str
    revision: str = ""  # the hub revision, where the data came from a hub
    selected: int | None = None  # samples selected from it (a sample limit, ids)


@dataclass(frozen=True)
class LogInfo:
    file_name: str
    sha256: str
    size: int
    present: bool  # the file is still where it was kept
    verified: bool | None  # its bytes still have the recorded SHA-256 (None: not present)


@dataclass(frozen=True)
class SampleLink:
    sample_id: str
    epoch: int
    score: str
    url: str | None


@dataclass(frozen=True)
class TaskSection:
    task: str
    risk_area: str
    measures: str
    status: str
    scorer: str
    value: float | None
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    items: int
    clusters: int | None
    samples_total: int
    samples_completed: int
    task_version: str
    inspect_model: str
    metrics: tuple[MetricLine, ...]
    dataset: DatasetInfo
    log: LogInfo
    plan: tuple[dict[str, Any], ...]  # solver steps with their parameters, from the log
    generate_config: dict[str, Any]
    eval_config: dict[str, Any]  # Inspect's eval config (limits, epochs, ...), from the log
    packages: dict[str, str]
    samples: tuple[SampleLink, ...]
    samples_not_listed: int  # beyond the report's limit on listed samples
    started_at: datetime | None = None
    completed_at: datetime | None = None
    revision: str = ""  # the code revision Inspect recorded (git commit)
    risk_area_label: str = ""


@dataclass(frozen=True)
class Report:
    run_id: int
    run_status: str
    suite: str
    notes: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str
    # model version
    version_id: int
    model_name: str
    version_label: str
    provider: str
    # target (never the API key)
    target_name: str
    target_kind: str
    target_kind_label: str
    target_base_url: str
    target_model_name: str
    target_model_path: str
    # configuration and elicitation settings
    configuration: dict[str, Any]
    packages: dict[str, str]
    tasks: tuple[TaskSection, ...]
    tasks_without_result: tuple[str, ...]
    limitations: tuple[str, ...]
    catalogue_version: str
    rules_version: str
    generated_at: datetime
    run_status_label: str = ""
    content_sha256: str = field(default="")


def transcript_url(run_id: int, task: str, sample_id: str | int, epoch: int) -> str | None:
    """The page showing one sample's transcript (`evaluations:sample_transcript`), or None
    while no such page exists. The one place that knows the URL's name and arguments."""
    try:
        return reverse("evaluations:sample_transcript", args=(run_id, task, str(sample_id), epoch))
    except NoReverseMatch:
        return None


def report_filename(report: Report, extension: str) -> str:
    """``evaluation-run-<id>.<extension>``."""
    return f"evaluation-run-{report.run_id}.{extension}"


# --- building ----------------------------------------------------------------------------


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _catalogue_version() -> str:
    try:
        return importlib.metadata.version("aioffice")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _dataset(result: TaskResult, header: Any) -> DatasetInfo:
    stored = result.dataset if isinstance(result.dataset, dict) else {}
    hashes = stored.get("sha256") or {}
    if isinstance(hashes, str):
        hashes = {str(stored.get("location", "")): hashes}
    data: dict[str, Any] = {}
    if header is not None:
        data = dict((header.eval.metadata or {}).get("data", {}) or {})
        if not hashes and data.get("sha256"):
            sha = data["sha256"]
            hashes = sha if isinstance(sha, dict) else {str(data.get("location", "")): str(sha)}
    samples = stored.get("samples")
    if samples is None and header is not None:
        samples = header.eval.dataset.samples
    selected = stored.get("selected")
    if selected is None and header is not None and header.eval.dataset.sample_ids is not None:
        selected = len(header.eval.dataset.sample_ids)
    return DatasetInfo(
        name=str(stored.get("name") or (header.eval.dataset.name if header is not None else "")),
        location=str(
            stored.get("location") or (header.eval.dataset.location if header is not None else "")
        ),
        samples=int(samples) if isinstance(samples, int) else None,
        sha256={str(k): str(v) for k, v in dict(hashes).items()},
        source=str(stored.get("source") or data.get("source") or ""),
        revision=str(stored.get("revision") or data.get("revision") or ""),
        selected=selected if isinstance(selected, int) else None,
    )


def _sha256_of(result: TaskResult) -> tuple[bool, bool | None]:
    """(present, verified) for the kept log."""
    storage = result.log_file.storage
    name = result.log_file.name
    if not name or not storage.exists(name):
        return False, None
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return True, digest.hexdigest() == result.log_sha256


def _score_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    return text[:60]


def _from_log(result: TaskResult, run: EvaluationRun, limit: int) -> dict[str, Any]:
    """What the kept log adds: its header (plan, configs) and the first ``limit`` samples."""
    from inspect_ai.log import read_eval_log, read_eval_log_samples

    found: dict[str, Any] = {"header": None, "samples": [], "read_error": ""}
    try:
        with local_log(result) as path:
            header = read_eval_log(str(path), header_only=True)
            found["header"] = header
            links: list[SampleLink] = []
            for sample in read_eval_log_samples(str(path), all_samples_required=False):
                if len(links) >= limit:
                    break
                scores = sample.scores or {}
                score = scores.get(result.scorer) if result.scorer else None
                if score is None and scores:
                    score = next(iter(scores.values()))
                links.append(
                    SampleLink(
                        sample_id=str(sample.id),
                        epoch=int(sample.epoch),
                        score=_score_text(score.value) if score is not None else _("not scored"),
                        url=transcript_url(run.pk, result.task, sample.id, int(sample.epoch)),
                    )
                )
            found["samples"] = links
    except FileNotFoundError:
        found["read_error"] = "missing"
    except Exception as exc:  # noqa: BLE001 - Inspect's reader on a damaged or foreign file
        found["read_error"] = type(exc).__name__
    return found


def _plan(header: Any) -> tuple[dict[str, Any], ...]:
    if header is None or header.plan is None:
        return ()
    steps = []
    for step in header.plan.steps:
        steps.append({"solver": step.solver, "params": dict(step.params or {})})
    if header.plan.finish is not None:
        steps.append(
            {"solver": header.plan.finish.solver, "params": dict(header.plan.finish.params or {})}
        )
    return tuple(steps)


def _area_label(risk_area: str) -> str:
    try:
        return str(AREA_LABELS[RiskArea(risk_area)])
    except ValueError:
        return risk_area


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _section(result: TaskResult, run: EvaluationRun, limit: int) -> tuple[TaskSection, list[str]]:
    limitations: list[str] = []
    found = _from_log(result, run, limit)
    header = found["header"]
    present, verified = _sha256_of(result)
    try:
        measures = by_name(result.task).measures
    except KeyError:
        measures = ""
    eval_config: dict[str, Any] = {}
    generate_config: dict[str, Any] = dict(result.generate_config or {})
    revision = ""
    if header is not None:
        eval_config = _jsonable(header.eval.config.model_dump(exclude_none=True))
        if not generate_config:
            generate_config = header.eval.model_generate_config.model_dump(exclude_none=True)
        if header.plan is not None:
            generate_config = {
                **header.plan.config.model_dump(exclude_none=True),
                **generate_config,
            }
        if header.eval.revision is not None:
            revision = str(header.eval.revision.commit or "")
    samples: list[SampleLink] = found["samples"]
    listed_total = result.samples_total or len(samples)
    section = TaskSection(
        task=result.task,
        risk_area=result.risk_area,
        measures=measures,
        status=result.status,
        scorer=result.scorer,
        value=_finite(result.value),
        stderr=_finite(result.stderr),
        ci_low=_finite(result.ci_low),
        ci_high=_finite(result.ci_high),
        items=result.items,
        clusters=result.clusters,
        samples_total=result.samples_total,
        samples_completed=result.samples_completed,
        task_version=result.task_version,
        inspect_model=result.inspect_model,
        metrics=tuple(
            MetricLine(
                scorer=metric.scorer,
                name=metric.name,
                value=metric.value,
                stderr=_finite(metric.stderr),
                ci_low=_finite(metric.ci_low),
                ci_high=_finite(metric.ci_high),
                samples=metric.samples,
            )
            for metric in result.metrics.all()
        ),
        dataset=_dataset(result, header),
        log=LogInfo(
            file_name=result.log_file.name.rsplit("/", 1)[-1] if result.log_file.name else "",
            sha256=result.log_sha256,
            size=result.log_size,
            present=present,
            verified=verified,
        ),
        plan=_jsonable(_plan(header)),
        generate_config=_jsonable(generate_config),
        eval_config=eval_config,
        packages={str(k): str(v) for k, v in (result.packages or {}).items()},
        samples=tuple(samples),
        samples_not_listed=max(0, listed_total - len(samples)) if header is not None else 0,
        started_at=result.started_at,
        completed_at=result.completed_at,
        revision=revision,
        risk_area_label=_area_label(result.risk_area),
    )
    if result.status != "success":
        limitations.append(
            _("%(task)s ended with Inspect status “%(status)s”: its result is partial.")
            % {"task": result.task, "status": result.status}
        )
    if not present:
        limitations.append(
            _("The kept log of %(task)s is missing: its samples cannot be checked.")
            % {"task": result.task}
        )
    elif verified is False:
        limitations.append(
            _("The kept log of %(task)s no longer has the SHA-256 recorded when it was stored.")
            % {"task": result.task}
        )
    elif found["read_error"]:
        limitations.append(
            _("The kept log of %(task)s cannot be read (%(error)s).")
            % {"task": result.task, "error": found["read_error"]}
        )
    if section.value is not None and section.stderr is None:
        limitations.append(
            _("%(task)s has no standard error (fewer than two items scored).")
            % {"task": result.task}
        )
    return section, limitations


def _configuration(run: EvaluationRun) -> dict[str, Any]:
    return {
        "tasks": list(run.tasks),
        "suite": run.suite,
        "task_args": run.task_args or {},
        "epochs": run.epochs,
        "temperature": run.temperature,
        "max_tokens": run.max_tokens,
        "token_limit": run.token_limit,
        "time_limit": run.time_limit,
        "seed": run.seed,
        "max_connections": run.max_connections,
        "sample_limit": run.sample_limit,
        "model_args": dict(run.target.model_args or {}),
    }


def build_report(run: EvaluationRun) -> Report:
    """The report of ``run`` from the stored results and the kept logs.

    Three queries (the run with its version, model, provider, target and current
    assessment; its results; their metrics), then each task's log is read once (its header
    and its first samples: SAMPLES_LISTED a task, SAMPLES_LISTED_TOTAL in all) and hashed
    to check it is unchanged.
    """
    run = EvaluationRun.objects.select_related(
        "version__model__provider__organisation", "version__current_assessment", "target"
    ).get(pk=run.pk)
    results = {r.task: r for r in run.results.prefetch_related("metrics").order_by("id")}
    order = [task for task in run.tasks if task in results] + sorted(
        task for task in results if task not in run.tasks
    )
    sections: list[TaskSection] = []
    limitations: list[str] = []
    target = run.target
    if target.kind == TargetKind.MOCK:
        limitations.append(
            _(
                "The target is Inspect's mock model: the answers were made up, so the results "
                "say nothing about the model version; they show that the evaluation ran."
            )
        )
    if run.status != RunStatus.SUCCEEDED:
        limitations.append(
            _("The run has not succeeded (status: %(status)s); the report may be incomplete.")
            % {"status": run.get_status_display()}
        )
    if run.sample_limit:
        limitations.append(
            _(
                "Each task was run on at most %(limit)s samples (a sample limit was set): the "
                "results are not those of the full data sets."
            )
            % {"limit": run.sample_limit}
        )
    budget = SAMPLES_LISTED_TOTAL
    for task in order:
        section, notes = _section(results[task], run, max(0, min(SAMPLES_LISTED, budget)))
        budget -= len(section.samples)
        sections.append(section)
        limitations.extend(notes)
    missing = tuple(task for task in run.tasks if task not in results)
    for task in missing:
        limitations.append(_("%(task)s has no result.") % {"task": task})
    packages: dict[str, str] = {str(k): str(v) for k, v in (run.packages or {}).items()}
    for section in sections:
        for name, version in section.packages.items():
            packages.setdefault(name, version)
    assessment = run.version.current_assessment
    report = Report(
        run_id=run.pk,
        run_status=run.status,
        suite=run.suite,
        notes=run.notes,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        error=run.error,
        version_id=run.version_id,
        model_name=run.version.model.name,
        version_label=run.version.label,
        provider=run.version.model.provider.organisation.name,
        target_name=target.name,
        target_kind=target.kind,
        target_kind_label=str(target.get_kind_display()),
        target_base_url=target.base_url,
        target_model_name=target.model_name,
        target_model_path=target.model_path,
        configuration=_jsonable(_configuration(run)),
        packages=dict(sorted(packages.items())),
        tasks=tuple(sections),
        tasks_without_result=missing,
        limitations=tuple(limitations),
        catalogue_version=_catalogue_version(),
        rules_version=assessment.rules_version if assessment is not None else "",
        generated_at=timezone.now(),
        run_status_label=str(run.get_status_display()),
    )
    return dataclasses.replace(report, content_sha256=_content_sha256(report))


# --- output ------------------------------------------------------------------------------


def report_as_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (what the API returns; the content hash covers all of
    it but the hash itself)."""
    data: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(report), default=_iso))
    return data


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _content_sha256(report: Report) -> str:
    data = report_as_dict(report)
    data.pop("content_sha256", None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def render_report_html(report: Report, *, base_url: str = "") -> str:
    """One self-contained, printable HTML document (inline styles, no script, no external
    resource), with the content SHA-256 in its footer. ``base_url`` (scheme and host)
    makes the transcript links absolute, as a PDF needs."""
    return render_to_string(
        TEMPLATE,
        {
            "report": report,
            "base_url": base_url.rstrip("/"),
            "site_name": getattr(settings, "SITE_NAME", ""),
        },
    )


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the report fetches nothing ({url})")


def render_report_pdf(report: Report, *, base_url: str = "") -> bytes:
    """The same document as PDF, rendered by WeasyPrint from ``render_report_html`` (which
    refers to no external resource; WeasyPrint is not let fetch any)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_report_html(report, base_url=base_url)
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return pdf
