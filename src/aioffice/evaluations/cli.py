"""`aioffice eval …`: the evaluation catalogue, targets, runs, reports and comparisons.

Imported by `aioffice.cli` before Django is set up, so Django and the app's modules are
imported inside the commands. Bad arguments and refused input raise Click's usage errors,
which the `aioffice` entry point prints as one line starting with "error:" with exit status 2.
A run that executes and fails exits with status 1.

The command line acts as the system (no user): changes are audited with no actor, as the
registry's and the watch-list's commands are.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gpai_evals.catalogue import SUITES, RiskArea, entries

if TYPE_CHECKING:
    from aioffice.evaluations.models import EvaluationRun, EvaluationTarget, TaskResult
    from aioffice.registry.models import ModelVersion

app = typer.Typer(
    help="Capability evaluations on Inspect AI: catalogue, targets, runs, reports.",
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True)

# Largest id accepted (the tables' big-integer keys); larger numbers are refused by Click.
MAX_ID = 2**63 - 1  # aioffice.core.schemas.MAX_ID; not imported: the CLI starts without ninja

# The services name the field at fault; the user typed an option: say which.
OPTION_OF_FIELD = {
    "name": "--name",
    "kind": "--kind",
    "base_url": "--base-url",
    "model_name": "--model-name",
    "model_path": "--model-path",
    "api_key": "--api-key-env",
    "model_args": "--answer",
    "target": "--target",
    "suite": "--suite",
    "tasks": "TASK",
    "task_args": "--task-arg",
    "epochs": "--epochs",
    "temperature": "--temperature",
    "max_tokens": "--max-tokens",
    "token_limit": "--token-limit",
    "time_limit": "--time-limit",
    "seed": "--seed",
    "max_connections": "--concurrency",
    "sample_limit": "--limit",
    "notes": "--notes",
    "status": "RUN",
}


class ReportFormat(StrEnum):
    TEXT = "text"
    HTML = "html"
    PDF = "pdf"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    import django

    django.setup()


def _refuse(message: str, hint: str) -> NoReturn:
    raise typer.BadParameter(message, param_hint=f"'{hint}'")


def _refuse_validation(exc: Any) -> NoReturn:
    """A service's ValidationError as a usage error naming the option at fault."""
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
    else:
        field, messages = "", list(exc.messages)
    _refuse(" ".join(messages), OPTION_OF_FIELD.get(field, field or "input"))


def _version(version_id: int) -> ModelVersion:
    from aioffice.registry.models import ModelVersion

    version = ModelVersion.objects.select_related("model__provider").filter(pk=version_id).first()
    if version is None:
        _refuse(f"no model version #{version_id}", "--model-version")
    return version


def _target(version: ModelVersion, name: str) -> EvaluationTarget:
    from aioffice.evaluations.models import EvaluationTarget

    target = EvaluationTarget.objects.filter(version=version, name=name.strip().lower()).first()
    if target is None:
        known = ", ".join(version.evaluation_targets.values_list("name", flat=True)) or "none"
        _refuse(
            f"model version #{version.pk} has no target called {name!r} (its targets: {known}; "
            "add one with `aioffice eval target-add`)",
            "--target",
        )
    return target


def _run(run_id: int, hint: str = "RUN") -> EvaluationRun:
    from aioffice.evaluations.models import EvaluationRun

    run = EvaluationRun.objects.select_related("version__model", "target").filter(pk=run_id).first()
    if run is None:
        _refuse(f"no evaluation run #{run_id}", hint)
    return run


def _version_label(version: ModelVersion) -> str:
    return f"{version.model.name} {version.label} (#{version.pk})"


def _number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def aligned(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Plain columns separated by two spaces, never truncated (the last one runs on)."""
    lines = [list(header), *(list(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    text = []
    for line in lines:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        text.append("  ".join([*cells, line[-1]]).rstrip())
    return "\n".join(text)


def result_rows(results: Iterable[TaskResult]) -> list[tuple[str, ...]]:
    """Task, risk area, value ± standard error, 95% interval, items and status per task."""
    rows: list[tuple[str, ...]] = []
    for result in results:
        value = _number(result.value)
        if result.stderr is not None:
            value += f" ± {result.stderr:.3f}"
        interval = (
            f"[{result.ci_low:.3f}, {result.ci_high:.3f}]"
            if result.ci_low is not None and result.ci_high is not None
            else "-"
        )
        items = str(result.items)
        if result.clusters:
            items += f" ({result.clusters} clusters)"
        rows.append((result.task, result.risk_area, value, interval, items, result.status))
    return rows


RESULT_HEADER = ("task", "risk area", "value ± SE", "95% CI", "items", "status")


def _print(text: str) -> None:
    console.print(text, highlight=False, soft_wrap=True, markup=False)


def _print_results(run: EvaluationRun) -> None:
    results = list(run.results.order_by("id"))
    if results:
        _print(aligned(RESULT_HEADER, result_rows(results)))


# --- the catalogue ------------------------------------------------------------------------


@app.command("tasks")
def tasks_(
    risk_area: Annotated[
        RiskArea | None, typer.Option(help="Only the tasks of this risk area.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per task.")] = False,
) -> None:
    """The catalogue: each task's risk area, whether it runs offline, and its suites."""
    rows = list(entries(risk_area))
    suites_of = {e.name: [s for s, names in SUITES.items() if e.name in names] for e in rows}
    if as_json:
        for entry in rows:
            record = {**asdict(entry), "suites": suites_of[entry.name]}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    header = ("task", "risk area", "offline", "suites", "why / how")
    _print(
        aligned(
            header,
            (
                (
                    e.name,
                    e.risk_area.value,
                    e.offline.value,
                    ", ".join(suites_of[e.name]) or "-",
                    e.offline_note,
                )
                for e in rows
            ),
        )
    )
    console.print(
        "offline: ready = runs without a network; local_data = give your copy of the data "
        "(--task-arg TASK:data_dir=DIR); no = needs a network, a sandbox or a second model",
        highlight=False,
        soft_wrap=True,
    )


# --- targets ------------------------------------------------------------------------------


@app.command("targets")
def targets(
    model_version: Annotated[int, typer.Option(min=1, max=MAX_ID, help="The model version id.")],
) -> None:
    """The evaluation targets of a model version and their last check."""
    _django()
    version = _version(model_version)
    rows = list(version.evaluation_targets.order_by("name"))
    if not rows:
        console.print(f"{_version_label(version)} has no evaluation targets.", highlight=False)
        return
    table = []
    for target in rows:
        reaches = target.model_path or " ".join(filter(None, [target.base_url, target.model_name]))
        if target.checked_at is None:
            check = "never"
        else:
            outcome = "answered" if target.check_ok else "FAILED"
            check = f"{outcome} {target.checked_at:%Y-%m-%d %H:%M} UTC"
        table.append((target.name, target.kind, target.api_key_hint or "-", check, reaches))
    _print(f"Targets of {_version_label(version)}:")
    _print(aligned(("name", "kind", "key", "last check", "reaches"), table))


@app.command("target-add")
def target_add(
    model_version: Annotated[int, typer.Option(min=1, max=MAX_ID, help="The model version id.")],
    name: Annotated[str, typer.Option(help="A short name for the target (letters, digits, -_).")],
    kind: Annotated[str, typer.Option(help="openai_compatible, vllm, transformers or mock.")],
    base_url: Annotated[str, typer.Option(help="Endpoint address, e.g. http://host/v1.")] = "",
    model_name: Annotated[str, typer.Option(help="The model's name at the endpoint.")] = "",
    model_path: Annotated[str, typer.Option(help="A Transformers directory (absolute).")] = "",
    api_key_env: Annotated[
        str, typer.Option(help="Environment variable holding the API key (never the key).")
    ] = "",
    answer: Annotated[
        str | None, typer.Option(help="Mock targets: the text the model answers every prompt.")
    ] = None,
) -> None:
    """Add a way to reach a model version (the API key is read from an environment variable)."""
    api_key = ""
    if api_key_env:
        if api_key_env not in os.environ:
            _refuse(f"the environment variable {api_key_env} is not set", "--api-key-env")
        api_key = os.environ[api_key_env]
        if not api_key.strip():
            _refuse(f"the environment variable {api_key_env} is empty", "--api-key-env")
    normalised_kind = kind.strip().lower().replace("-", "_")
    if answer is not None and normalised_kind != "mock":
        _refuse("only mock targets take a fixed answer", "--answer")
    _django()
    from django.core.exceptions import ValidationError

    from aioffice.evaluations import services

    version = _version(model_version)
    try:
        target = services.target_create(
            actor=None,
            version=version,
            name=name,
            kind=normalised_kind,
            base_url=base_url,
            model_name=model_name,
            model_path=model_path,
            api_key=api_key,
            model_args={"answer": answer} if answer is not None else None,
        )
    except ValidationError as exc:
        _refuse_validation(exc)
    console.print(
        f"target {target.name} ({target.kind}) added to {_version_label(version)}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("target-check")
def target_check(
    model_version: Annotated[int, typer.Option(min=1, max=MAX_ID, help="The model version id.")],
    target: Annotated[str, typer.Option(help="The target's name.")],
) -> None:
    """Send the target one request now; exit status 1 if it did not answer."""
    _django()
    from aioffice.evaluations import services

    checked = services.target_check(actor=None, target=_target(_version(model_version), target))
    latency = f" in {checked.check_latency_ms} ms" if checked.check_latency_ms is not None else ""
    if not checked.check_ok:
        err_console.print(
            f"target {checked.name} did not answer{latency}: {checked.check_message}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1)
    console.print(
        f"target {checked.name} answered{latency}: {checked.check_message}",
        highlight=False,
        soft_wrap=True,
    )


# --- runs ---------------------------------------------------------------------------------


def _scalar(text: str) -> str | int | float | bool:
    """A task argument's value as typed: true/false, a whole number, a number, or text."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def parse_task_args(pairs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``TASK:KEY=VALUE`` pairs as ``{task: {key: value}}`` (values typed as `_scalar` reads)."""
    parsed: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        task, colon, assignment = pair.partition(":")
        key, equals, value = assignment.partition("=")
        if not colon or not equals or not task.strip() or not key.strip():
            _refuse(f"{pair!r} is not TASK:KEY=VALUE", "--task-arg")
        parsed.setdefault(task.strip(), {})[key.strip()] = _scalar(value)
    return parsed


def _check_suite(suite: str | None) -> None:
    if suite is not None and suite not in SUITES:
        _refuse(f"unknown suite {suite!r}; known: {', '.join(SUITES)}", "--suite")


def _execute_in_foreground(run: EvaluationRun) -> EvaluationRun:
    from aioffice.evaluations import execution

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        bar = progress.add_task(f"run #{run.pk}", total=None)

        def on_progress(done: int, total: int, current_task: str | None) -> None:
            description = f"run #{run.pk}" + (f" {current_task}" if current_task else "")
            progress.update(bar, completed=done, total=total or None, description=description)

        execution.execute(run.pk, on_progress=on_progress)
    run.refresh_from_db()
    return run


@app.command("run")
def run_(
    model_version: Annotated[int, typer.Option(min=1, max=MAX_ID, help="The model version id.")],
    target: Annotated[str, typer.Option(help="The target's name.")],
    tasks: Annotated[
        list[str] | None,
        typer.Argument(metavar="TASK", help="Catalogue tasks (see `aioffice eval tasks`)."),
    ] = None,
    suite: Annotated[
        str | None, typer.Option(help=f"A named set of tasks: {', '.join(SUITES)}.")
    ] = None,
    epochs: Annotated[int, typer.Option(help="Times each item is asked.")] = 1,
    temperature: Annotated[float | None, typer.Option(help="Sampling temperature.")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Most output tokens per answer.")] = None,
    token_limit: Annotated[int | None, typer.Option(help="Most tokens per sample.")] = None,
    time_limit: Annotated[int | None, typer.Option(help="Most seconds per sample.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed given to the model.")] = None,
    concurrency: Annotated[int, typer.Option(help="Requests to the model at once.")] = 8,
    limit: Annotated[int | None, typer.Option(help="Samples per task (default: all).")] = None,
    task_arg: Annotated[
        list[str] | None,
        typer.Option(help="A task's argument, TASK:KEY=VALUE, e.g. wmdp_bio:data_dir=/data."),
    ] = None,
    notes: Annotated[str, typer.Option(help="Purpose of the run, for the report.")] = "",
    detach: Annotated[
        bool, typer.Option(help="Only queue the run for the worker and print its id.")
    ] = False,
) -> None:
    """Evaluate a model version through a target, here with a live progress display (or
    queued for the worker with --detach); exit status 1 if the run fails."""
    task_args = parse_task_args(task_arg or [])
    _check_suite(suite)
    _django()
    from django.core.exceptions import ValidationError

    from aioffice.evaluations import services
    from aioffice.evaluations.choices import RunStatus

    version = _version(model_version)
    chosen = _target(version, target)
    try:
        run = services.run_queue(
            actor=None,
            version=version,
            target=chosen,
            tasks=tasks or [],
            suite=suite,
            task_args=task_args,
            epochs=epochs,
            temperature=temperature,
            max_tokens=max_tokens,
            token_limit=token_limit,
            time_limit=time_limit,
            seed=seed,
            max_connections=concurrency,
            sample_limit=limit,
            notes=notes,
            enqueue=detach,
        )
    except ValidationError as exc:
        _refuse_validation(exc)
    if detach:
        console.print(
            f"run #{run.pk} queued for the worker ({', '.join(run.tasks)}); follow it with "
            f"`aioffice eval status {run.pk}`",
            highlight=False,
            soft_wrap=True,
        )
        return
    err_console.print(
        f"run #{run.pk}: {', '.join(run.tasks)} on {_version_label(version)} through {chosen.name}",
        highlight=False,
        soft_wrap=True,
    )
    try:
        run = _execute_in_foreground(run)
    except KeyboardInterrupt:
        # execute() stops Inspect and marks the run cancelled before passing this on
        err_console.print(
            f"run #{run.pk} interrupted and cancelled; `aioffice eval retry {run.pk}` resumes it",
            highlight=False,
        )
        raise typer.Exit(1) from None
    _print_results(run)
    if run.status != RunStatus.SUCCEEDED:
        reason = f": {run.error}" if run.error else ""
        err_console.print(f"run #{run.pk} {run.status}{reason}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(f"run #{run.pk} succeeded", highlight=False)


@app.command("status")
def status(
    run_id: Annotated[int, typer.Argument(metavar="RUN", min=1, max=MAX_ID, help="A run id.")],
) -> None:
    """A run's status, progress, configuration and results."""
    _django()
    run = _run(run_id)
    progress = ""
    if run.progress_total:
        progress = f", {run.progress_done}/{run.progress_total} samples ({run.progress_percent}%)"
    console.print(f"run #{run.pk}: {run.status}{progress}", highlight=False)
    lines = [
        ("model version", _version_label(run.version)),
        ("target", f"{run.target.name} ({run.target.kind})"),
        ("tasks", ", ".join(run.tasks) + (f" (suite {run.suite})" if run.suite else "")),
        ("configuration", _configuration(run)),
        ("attempts", str(run.attempts)),
        ("created", f"{run.created_at:%Y-%m-%d %H:%M:%S} UTC"),
    ]
    if run.started_at:
        lines.append(("started", f"{run.started_at:%Y-%m-%d %H:%M:%S} UTC"))
    if run.finished_at:
        lines.append(("finished", f"{run.finished_at:%Y-%m-%d %H:%M:%S} UTC"))
    if run.cancel_requested and run.status == "running":
        lines.append(("cancel", "requested; the worker stops the run shortly"))
    if run.error:
        lines.append(("error", run.error))
    for label, value in lines:
        console.print(f"  {label + ':':<15}{value}", highlight=False, soft_wrap=True)
    _print_results(run)


def _configuration(run: EvaluationRun) -> str:
    parts = [f"epochs {run.epochs}", f"concurrency {run.max_connections}"]
    optional = [
        ("temperature", run.temperature),
        ("max tokens", run.max_tokens),
        ("token limit", run.token_limit),
        ("time limit", run.time_limit),
        ("seed", run.seed),
        ("samples per task", run.sample_limit),
    ]
    parts += [f"{label} {value}" for label, value in optional if value is not None]
    for task, args in (run.task_args or {}).items():
        parts += [f"{task}:{key}={value}" for key, value in args.items()]
    return ", ".join(parts)


@app.command("cancel")
def cancel(
    run_id: Annotated[int, typer.Argument(metavar="RUN", min=1, max=MAX_ID, help="A run id.")],
) -> None:
    """Cancel a queued run, or ask the worker to stop a running one."""
    _django()
    from django.core.exceptions import ValidationError

    from aioffice.evaluations import services
    from aioffice.evaluations.choices import RunStatus

    try:
        run = services.run_cancel(actor=None, run=_run(run_id))
    except ValidationError as exc:
        _refuse_validation(exc)
    if run.status == RunStatus.CANCELLED:
        console.print(f"run #{run.pk} cancelled", highlight=False)
    else:
        console.print(
            f"run #{run.pk}: cancellation requested; the worker stops it shortly", highlight=False
        )


@app.command("retry")
def retry(
    run_id: Annotated[int, typer.Argument(metavar="RUN", min=1, max=MAX_ID, help="A run id.")],
) -> None:
    """Queue a failed or cancelled run again for the worker; it resumes from what it kept."""
    _django()
    from django.core.exceptions import ValidationError

    from aioffice.evaluations import services

    try:
        run = services.run_retry(actor=None, run=_run(run_id))
    except ValidationError as exc:
        _refuse_validation(exc)
    console.print(
        f"run #{run.pk} queued again for the worker; follow it with `aioffice eval status "
        f"{run.pk}`",
        highlight=False,
        soft_wrap=True,
    )


@app.command("recover")
def recover() -> None:
    """Queue again every running run whose worker stopped (no heartbeat for a while)."""
    _django()
    from django.conf import settings

    from aioffice.evaluations.execution import recover_stale_runs

    recovered = recover_stale_runs()
    if not recovered:
        console.print(
            f"no stale runs (a running run is stale after {settings.EVALUATIONS_STALE_SECONDS} s "
            "without a heartbeat)",
            highlight=False,
        )
        return
    for run_id in recovered:
        console.print(f"run #{run_id} queued again", highlight=False)


@app.command("view")
def view(
    run_id: Annotated[int, typer.Argument(metavar="RUN", min=1, max=MAX_ID, help="A run id.")],
    serve: Annotated[bool, typer.Option(help="Start Inspect's log viewer now.")] = False,
    port: Annotated[int, typer.Option(min=1, max=65535, help="The viewer's port.")] = 7575,
) -> None:
    """The `inspect view` command for a run's kept logs (or start it with --serve)."""
    _django()
    from django.core.files.storage import default_storage

    run = _run(run_id)
    kept = [result.log_file.name for result in run.results.order_by("id") if result.log_file]
    if not kept:
        _refuse(f"run #{run.pk} has no kept logs yet (status: {run.status})", "RUN")
    log_dir = str(Path(default_storage.path(kept[0])).parent)
    inspect = shutil.which("inspect") or str(Path(sys.executable).with_name("inspect"))
    command = [inspect, "view", "--log-dir", log_dir, "--host", "127.0.0.1", "--port", str(port)]
    if not serve:
        console.print(shlex.join(command), highlight=False, soft_wrap=True)
        return
    err_console.print(f"serving run #{run.pk}'s logs at http://127.0.0.1:{port}/", highlight=False)
    completed = subprocess.run(command, check=False)  # noqa: S603 - Inspect's own command
    raise typer.Exit(completed.returncode)


# --- reports and comparisons --------------------------------------------------------------


def _interval(low: float | None, high: float | None) -> str:
    return "-" if low is None or high is None else f"[{low:.3f}, {high:.3f}]"


def _settings_text(settings: dict[str, Any]) -> str:
    """``{"epochs": 1, "tasks": [...], "task_args": {...}}`` as one line, empty values left out."""
    parts = []
    for key, value in settings.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(str(item) for item in value)
        elif isinstance(value, dict):
            value = "; ".join(f"{k}={v}" for k, v in value.items())
        parts.append(f"{key.replace('_', ' ')} {value}")
    return ", ".join(parts)


def report_text(report: Any) -> str:
    """The report as plain text: what an Art. 92 evaluation file needs, for a terminal."""
    lines = [
        f"Evaluation report, run #{report.run_id} ({report.run_status})",
        f"model version: {report.model_name} {report.version_label} (#{report.version_id}), "
        f"provider {report.provider}",
        f"target: {report.target_name} ({report.target_kind_label})"
        + "".join(
            f", {part}"
            for part in (report.target_base_url, report.target_model_name, report.target_model_path)
            if part
        ),
        "configuration: " + _settings_text(report.configuration),
        "packages: " + ", ".join(f"{k} {v}" for k, v in sorted(report.packages.items())),
    ]
    if report.suite:
        lines.append(f"suite: {report.suite}")
    if report.notes:
        lines.append(f"notes: {report.notes}")
    if report.error:
        lines.append(f"error: {report.error}")
    rows = []
    for section in report.tasks:
        value = _number(section.value)
        if section.stderr is not None:
            value += f" ± {section.stderr:.3f}"
        items = str(section.items) + (f" ({section.clusters} clusters)" if section.clusters else "")
        rows.append(
            (
                section.task,
                section.risk_area,
                value,
                _interval(section.ci_low, section.ci_high),
                items,
                section.status,
            )
        )
    lines += ["", aligned(RESULT_HEADER, rows)]
    for section in report.tasks:
        lines += ["", f"{section.task}: {section.measures}"]
        lines.append(f"  model: {section.inspect_model}; scorer: {section.scorer}")
        dataset = section.dataset
        lines.append(
            f"  dataset: {dataset.name} ({dataset.source}), {dataset.samples} samples, "
            f"{dataset.location}"
        )
        for file_name, digest in dataset.sha256.items():
            lines.append(f"    sha256 {digest} {file_name}".rstrip())
        log = section.log
        state = {True: "verified", False: "CHANGED", None: "missing"}[log.verified]
        lines.append(f"  log: {log.file_name}, {log.size} bytes, sha256 {log.sha256} ({state})")
        for metric in section.metrics:
            lines.append(
                f"  {metric.scorer}/{metric.name} = {metric.value:.4g}"
                + (f" ± {metric.stderr:.3g}" if metric.stderr is not None else "")
            )
    if report.tasks_without_result:
        lines += ["", "tasks without a result: " + ", ".join(report.tasks_without_result)]
    if report.limitations:
        lines += ["", "limitations:", *(f"  - {item}" for item in report.limitations)]
    lines += [
        "",
        f"catalogue {report.catalogue_version}"
        + (f", rules {report.rules_version}" if report.rules_version else "")
        + f"; generated {report.generated_at:%Y-%m-%d %H:%M:%S} UTC; content sha256 "
        f"{report.content_sha256}",
    ]
    return "\n".join(lines)


@app.command("report")
def report(
    run_id: Annotated[int, typer.Argument(metavar="RUN", min=1, max=MAX_ID, help="A run id.")],
    format_: Annotated[
        ReportFormat, typer.Option("--format", help="text, html or pdf.")
    ] = ReportFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option(help="Write to this file (default: standard output).")
    ] = None,
) -> None:
    """A run's evaluation report, as an Article 92 evaluation file needs it (text, HTML, PDF)."""
    if output is not None and not output.parent.is_dir():
        _refuse(f"{str(output.parent)!r} is not a directory", "--output")
    if output is not None and output.is_dir():
        _refuse(f"{str(output)!r} is a directory; give a file name", "--output")
    if format_ is ReportFormat.PDF and output is None and sys.stdout.isatty():
        _refuse("a PDF is not written to a terminal; give --output FILE", "--output")
    _django()
    from django.core.exceptions import ValidationError

    from aioffice.evaluations import reports

    run = _run(run_id)
    try:
        built = reports.build_report(run)
    except ValidationError as exc:
        _refuse_validation(exc)
    if format_ is ReportFormat.PDF:
        content = reports.render_report_pdf(built)
    elif format_ is ReportFormat.HTML:
        content = reports.render_report_html(built).encode()
    else:
        content = (report_text(built) + "\n").encode()
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(content)
    console.print(
        f"report of run #{run.pk} written to {output} ({len(content)} bytes; content sha256 "
        f"{built.content_sha256})",
        highlight=False,
        soft_wrap=True,
    )


def _comparison_row(task: Any) -> tuple[str, ...]:
    paired = task.paired
    if paired is None:
        return (task.task, "-", "-", "-", "-", "-", str(task.items), "-")
    difference = paired.difference
    if task.mcnemar is not None:
        test = f"McNemar p={task.mcnemar.p_value:.3g}"
    else:
        test = f"paired p={paired.p_value:.3g}"
    return (
        task.task,
        f"{paired.mean_a:.3f}",
        f"{paired.mean_b:.3f}",
        f"{difference.mean:+.3f} ± {difference.stderr:.3f}",
        _interval(difference.ci_low, difference.ci_high),
        test + (" *" if task.significant else ""),
        str(task.items),
        "-" if task.items_needed is None else str(task.items_needed),
    )


@app.command("compare")
def compare(
    run_a: Annotated[int, typer.Argument(metavar="RUN_A", min=1, max=MAX_ID, help="Run A.")],
    run_b: Annotated[int, typer.Argument(metavar="RUN_B", min=1, max=MAX_ID, help="Run B.")],
    as_json: Annotated[bool, typer.Option("--json", help="The comparison as JSON.")] = False,
) -> None:
    """Compare two runs task by task on the items both scored (paired difference A - B)."""
    _django()
    from django.core.exceptions import ValidationError

    from aioffice.evaluations.comparison import compare_runs, comparison_as_dict

    first, second = _run(run_a, "RUN_A"), _run(run_b, "RUN_B")
    try:
        comparison = compare_runs(first, second)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        _refuse(" ".join(messages), {"run_a": "RUN_A"}.get(field, "RUN_B"))
    if as_json:
        sys.stdout.write(json.dumps(comparison_as_dict(comparison), indent=2) + "\n")
        return
    _print(
        f"run #{first.pk} ({_version_label(first.version)}, {first.target.name}) against "
        f"run #{second.pk} ({_version_label(second.version)}, {second.target.name})"
    )
    header = ("task", "A", "B", "A - B ± SE", "95% CI", "test", "items", "items needed")
    _print(aligned(header, [_comparison_row(task) for task in comparison.tasks]))
    for task in comparison.tasks:
        if task.note:
            _print(f"{task.task}: {task.note}")
        for label, bound in (("A", task.zero_failure_a), ("B", task.zero_failure_b)):
            if bound is not None:
                _print(
                    f"{task.task}: run {label} failed none of {bound.n} items; failure rate "
                    f"below {bound.exact:.3f} ({bound.level:.0%}, rule of three "
                    f"{bound.rule_of_three:.3f})"
                )
    if comparison.only_a or comparison.only_b:
        _print(
            f"not compared: only in A {', '.join(comparison.only_a) or '-'}; "
            f"only in B {', '.join(comparison.only_b) or '-'}"
        )
    _print("* significant at 5%; items needed: to detect this difference (80% power, 5%)")
