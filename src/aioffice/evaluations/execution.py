"""Executing an evaluation run: the worker's side (and the CLI's, in the foreground).

`execute(run_id)` claims a queued run, writes the spec the runner reads into the run's
working directory (``settings.EVALUATIONS_DIR/<run id>/``), starts ``python -m
gpai_evals.runner`` in a subprocess (Inspect never runs in the worker's own process, so a
crash there cannot take the worker down), and follows it: progress and a heartbeat go to
the database every half second, and a cancellation asked for meanwhile stops the subprocess
(SIGTERM, then SIGKILL). When the subprocess ends, each task that finished is stored once:
its Inspect log is copied to the media storage with its SHA-256, its headline score with
standard error and 95% interval and every metric become `TaskResult` and `MetricResult`
rows, in one transaction per task. The run ends succeeded, failed (with the subprocess's
last error line, readable by a person) or cancelled.

A run whose worker died is found by `recover_stale_runs` (its heartbeat stopped) and queued
again. Retried, the runner works on the same directory: Inspect's ``eval_set`` keeps the
tasks that finished and the samples that finished in an interrupted task, and a task
already stored is not stored again ((run, task) and Inspect's eval id are unique).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from aioffice.core import audit
from aioffice.core.files import removed_on_failure, stored_sha256
from aioffice.evaluations import secrets
from aioffice.evaluations.choices import FINISHED_STATUSES, RunStatus, TargetKind
from aioffice.evaluations.models import (
    EvaluationRun,
    EvaluationTarget,
    MetricResult,
    TaskResult,
)
from gpai_evals.catalogue import by_name
from gpai_evals.runner import (
    EXIT_BAD_SPEC,
    EXIT_ORPHANED,
    read_progress,
    read_summary,
)

__all__ = [
    "ProgressCallback",
    "build_spec",
    "child_environment",
    "execute",
    "ingest_summary",
    "inspect_model",
    "package_versions",
    "recover_stale_runs",
    "run_directory",
    "worker_command",
]

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]

RUNNER_MODULE = "gpai_evals.runner"
POLL_SECONDS = 0.25  # how often the subprocess's progress file is read
HEARTBEAT_SECONDS = 0.5  # how often progress and the heartbeat are written to the database
TERMINATE_GRACE_SECONDS = 5.0  # after SIGTERM, before SIGKILL
# Inspect retries a model call that failed for a transient reason (a refused connection, a
# 429, a 5xx) with exponential backoff from 3 s; without a bound it retries for ever.
DEFAULT_MAX_RETRIES = 5
# Variables of the worker that the evaluation subprocess must not see: the platform's
# secrets and database, and the settings module (the runner is not Django).
PRIVATE_ENVIRONMENT_PREFIXES = ("AIOFFICE_", "DJANGO_")
PRIVATE_ENVIRONMENT = frozenset({"DATABASE_URL"})
# Variables through which the worker's environment would change a run behind its spec:
# Inspect reads INSPECT_EVAL_* as defaults (INSPECT_EVAL_MODEL_ARGS gives a target without
# model arguments some, a base_url among them), and INSPECT_TRACEBACK_LOCALS writes the
# local variables of every frame of an error's traceback into the kept log.
INSPECT_OVERRIDE_PREFIXES = ("INSPECT_EVAL_",)
INSPECT_OVERRIDES = frozenset({"INSPECT_TRACEBACK_LOCALS"})
PACKAGES = ("inspect_ai", "inspect_evals", "openai", "transformers", "torch", "aioffice")
SPEC_FILE = "spec.json"
PID_FILE = "runner.pid"


# --- paths, spec and environment ------------------------------------------------------------


def run_directory(run: EvaluationRun | int) -> Path:
    """The run's working directory: the spec, Inspect's logs while it runs, its progress."""
    run_id = run if isinstance(run, int) else run.pk
    return Path(settings.EVALUATIONS_DIR) / str(run_id)


def _service(target: EvaluationTarget) -> str:
    """The name Inspect's ``openai-api`` provider gives the endpoint (its variables' prefix)."""
    return target.name


def _env_prefix(service: str) -> str:
    return service.upper().replace("-", "_")


def inspect_model(target: EvaluationTarget) -> tuple[str, dict[str, Any], dict[str, str]]:
    """How Inspect reaches ``target``: the model, its arguments, and environment variables
    (the API key among them; never written to the spec).

    vLLM servers are reached with Inspect's ``vllm`` provider pointed at the server
    (``VLLM_BASE_URL``): it starts no server of its own when one is given, and needs no
    ``vllm`` package on this machine.
    """
    args = dict(target.model_args or {})
    env: dict[str, str] = {}
    if target.kind == TargetKind.MOCK:
        return f"gpai_mock/{target.model_name or 'model'}", args, env
    if target.kind == TargetKind.TRANSFORMERS:
        # Inspect's hf provider samples unless told not to; a run is reproducible by default
        args = {"model_path": target.model_path, "device": "cpu", "do_sample": False, **args}
        env["HF_HUB_OFFLINE"] = "1"  # a local directory: nothing to fetch from the hub
        return f"hf/{target.model_name or 'local'}", args, env
    key = secrets.decrypt(target.api_key_encrypted)
    if target.kind == TargetKind.VLLM:
        env["VLLM_BASE_URL"] = target.base_url
        if key:
            env["VLLM_API_KEY"] = key
        return f"vllm/{target.model_name}", args, env
    service = _service(target)
    prefix = _env_prefix(service)
    env[f"{prefix}_BASE_URL"] = target.base_url
    # the provider insists on a key; an endpoint without one ignores what it is sent
    env[f"{prefix}_API_KEY"] = key or "no-key"
    return f"openai-api/{service}/{target.model_name}", args, env


def build_spec(run: EvaluationRun) -> dict[str, Any]:
    """The runner's spec for ``run`` (paths relative to the run's directory)."""
    target = run.target
    model, model_args, _ = inspect_model(target)
    generate: dict[str, Any] = {
        "temperature": run.temperature,
        "max_tokens": run.max_tokens,
        "seed": run.seed,
        "max_retries": int(getattr(settings, "EVALUATIONS_MAX_RETRIES", DEFAULT_MAX_RETRIES)),
    }
    if target.kind == TargetKind.TRANSFORMERS and not run.temperature:
        # transformers refuses temperature 0; do_sample=False is already greedy decoding
        generate["temperature"] = None
    endpoint = key_variable = None
    if target.kind == TargetKind.OPENAI_COMPATIBLE:
        endpoint, key_variable = target.base_url, f"{_env_prefix(_service(target))}_API_KEY"
    elif target.kind == TargetKind.VLLM:
        endpoint, key_variable = target.base_url, "VLLM_API_KEY"
    return {
        "version": 1,
        "run": run.pk,
        "tasks": [{"name": name, "args": dict(run.task_args.get(name, {}))} for name in run.tasks],
        "model": model,
        "model_args": model_args,
        "generate": {key: value for key, value in generate.items() if value is not None},
        "epochs": run.epochs,
        "token_limit": run.token_limit,
        "time_limit": run.time_limit,
        "sample_limit": run.sample_limit,
        "max_connections": run.max_connections,
        "endpoint": endpoint,
        "endpoint_key_variable": key_variable,  # the variable's name; the key is not here
        "log_dir": "logs",
        "progress_file": "progress.json",
        "summary_file": "summary.json",
        "state_dir": "state",
    }


def child_environment(target: EvaluationTarget) -> dict[str, str]:
    """The subprocess's environment: the worker's, less its secrets and the variables that
    would change the run behind its spec, plus the target's."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in PRIVATE_ENVIRONMENT
        and not name.startswith(PRIVATE_ENVIRONMENT_PREFIXES)
        and name not in INSPECT_OVERRIDES
        and not name.startswith(INSPECT_OVERRIDE_PREFIXES)
    }
    env.update(inspect_model(target)[2])
    env["PYTHONUNBUFFERED"] = "1"
    return env


def package_versions() -> dict[str, str]:
    """Versions of what evaluates: Python, Inspect, inspect-evals, the provider clients."""
    versions = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name.replace("_", "-"))
    return versions


def worker_command(*, queue: str = "default", batch: bool = False) -> list[str]:
    """The command that starts a worker (``aioffice worker``), as an argument list."""
    command = [sys.executable, "-m", "aioffice", "worker", "--queue", queue]
    if batch:
        command.append("--batch")
    return command


# --- claiming and finishing ------------------------------------------------------------------


def _stale(run: EvaluationRun, now: datetime) -> bool:
    limit = now - timedelta(seconds=settings.EVALUATIONS_STALE_SECONDS)
    seen = run.heartbeat_at or run.started_at
    return seen is None or seen < limit


def _claim(run_id: int) -> EvaluationRun | None:
    """Mark the run running for this process, or None when there is nothing to do."""
    with transaction.atomic():
        run = (
            EvaluationRun.objects.select_for_update()
            .select_related("target")
            .filter(pk=run_id)
            .first()
        )
        if run is None or run.status in FINISHED_STATUSES:
            return None
        now = timezone.now()
        if run.cancel_requested:
            run.status = RunStatus.CANCELLED
            run.finished_at = now
            run.save(update_fields=["status", "finished_at"])
            audit.record(actor=None, action="evaluations.run.stopped", obj=run)
            return None
        if run.status == RunStatus.RUNNING:
            if not _stale(run, now):
                return None  # another worker has it and is alive
            _kill_leftover(run_directory(run))  # taken over: its old runner must not write on
        run.status = RunStatus.RUNNING
        run.attempts += 1
        run.started_at = run.started_at or now
        run.heartbeat_at = now
        run.worker_pid = os.getpid()
        run.error = ""
        run.packages = package_versions()
        run.save(
            update_fields=[
                "status",
                "attempts",
                "started_at",
                "heartbeat_at",
                "worker_pid",
                "error",
                "packages",
            ]
        )
        audit.record(
            actor=None,
            action="evaluations.run.started",
            obj=run,
            after={"attempt": run.attempts, "worker_pid": run.worker_pid},
        )
        return run


def _finish(run: EvaluationRun, status: str, error: str = "", **details: Any) -> bool:
    """Record the run's end, if this attempt still owns it; False if it does not.

    The error is stored without the target's API key: an endpoint's answer, quoted by the
    runner or by Inspect, may echo the key it was sent."""
    error = secrets.redact(error, secrets.decrypt_or_empty(run.target.api_key_encrypted))
    with transaction.atomic():
        current = EvaluationRun.objects.select_for_update().get(pk=run.pk)
        if current.status != RunStatus.RUNNING or current.attempts != run.attempts:
            return False  # recovered and handed to another worker meanwhile
        current.status = status
        current.error = error[:4000]
        current.finished_at = timezone.now()
        current.heartbeat_at = current.finished_at
        current.progress_done = run.progress_done
        current.progress_total = run.progress_total
        current.save(
            update_fields=[
                "status",
                "error",
                "finished_at",
                "heartbeat_at",
                "progress_done",
                "progress_total",
            ]
        )
        verb = {
            RunStatus.SUCCEEDED: "succeeded",
            RunStatus.FAILED: "failed",
            RunStatus.CANCELLED: "stopped",
        }[RunStatus(status)]
        audit.record(
            actor=None,
            action=f"evaluations.run.{verb}",
            obj=current,
            after={"attempt": current.attempts, "error": current.error, **details},
        )
    run.status = status
    run.error = error
    return True


# --- ingesting results -----------------------------------------------------------------------


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def ingest_task(run: EvaluationRun, item: Mapping[str, Any]) -> TaskResult | None:
    """Store one finished task of ``run`` (its log and numbers), once.

    Returns the new result, or None when the task was stored before (a second ingest of
    the same summary stores nothing) or did not succeed.
    """
    if item.get("status") != "success":
        return None
    log_path = Path(str(item["log"]))
    name = str(item["task"])
    try:
        with removed_on_failure() as stored, transaction.atomic():
            EvaluationRun.objects.select_for_update().filter(pk=run.pk).first()  # one at a time
            if TaskResult.objects.filter(run=run, task=name).exists():
                return None
            if TaskResult.objects.filter(eval_id=str(item["eval_id"])).exists():
                return None
            headline = item.get("headline") or {}
            result = TaskResult(
                run=run,
                task=name,
                risk_area=str(by_name(name).risk_area),
                status=str(item["status"]),
                eval_id=str(item["eval_id"]),
                inspect_model=str(item.get("model") or "")[:300],
                scorer=str(headline.get("scorer") or "")[:100],
                value=_float(headline.get("value")),
                stderr=_float(headline.get("stderr")),
                ci_low=_float(headline.get("ci_low")),
                ci_high=_float(headline.get("ci_high")),
                items=int(headline.get("items") or 0),
                clusters=headline.get("clusters"),
                samples_total=int(item.get("samples_total") or 0),
                samples_completed=int(item.get("samples_completed") or 0),
                dataset=dict(item.get("dataset") or {}),
                packages=dict(item.get("packages") or {}),
                generate_config=dict(item.get("generate_config") or {}),
                task_version=str(item.get("task_version") or "")[:40],
                started_at=_when(item.get("started_at")),
                completed_at=_when(item.get("completed_at")),
            )
            with log_path.open("rb") as handle:
                result.log_file.save(log_path.name, File(handle), save=False)
            stored.append(result.log_file)
            result.log_sha256, result.log_size = stored_sha256(result.log_file)
            result.save()
            MetricResult.objects.bulk_create(
                MetricResult(
                    result=result,
                    scorer=str(metric["scorer"])[:100],
                    name=str(metric["name"])[:100],
                    value=float(metric["value"]),
                    stderr=_float(metric.get("stderr")),
                    ci_low=_float(metric.get("ci_low")),
                    ci_high=_float(metric.get("ci_high")),
                    samples=int(metric.get("samples") or 0),
                )
                for metric in item.get("metrics") or []
            )
            # the evidence enters the audit chain with the SHA-256 of its kept log
            audit.record(
                actor=None,
                action="evaluations.result.stored",
                obj=result,
                after={
                    "run": run.pk,
                    "task": name,
                    "eval_id": result.eval_id,
                    "log_sha256": result.log_sha256,
                    "log_size": result.log_size,
                    "value": result.value,
                    "stderr": result.stderr,
                    "items": result.items,
                },
            )
            return result
    except IntegrityError:  # stored meanwhile by another process: once is enough
        return None


def ingest_summary(run: EvaluationRun, summary: Mapping[str, Any]) -> list[TaskResult]:
    """Store every finished task of a runner's summary; tasks stored before are skipped."""
    stored = []
    for item in summary.get("tasks") or []:
        result = ingest_task(run, item)
        if result is not None:
            stored.append(result)
    return stored


# --- following the subprocess ----------------------------------------------------------------


def _last_error_line(path: Path, returncode: int) -> str:
    """What went wrong, from the subprocess's stderr: its 'error:' line, else its last line."""
    try:
        lines = [line.strip() for line in path.read_text(errors="replace").splitlines()]
    except OSError:
        lines = []
    lines = [line for line in lines if line]
    for line in reversed(lines):
        if line.startswith("error: "):
            return line.removeprefix("error: ")
    if lines:
        return lines[-1]
    return f"the evaluation process ended with exit status {returncode}"


def _terminate(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (Inspect closes its logs as cancelled), then SIGKILL after a grace period."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=TERMINATE_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait()


def _start(run: EvaluationRun, directory: Path) -> tuple[subprocess.Popen[bytes], Path]:
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in ("summary.json", "progress.json"):
        (directory / leftover).unlink(missing_ok=True)
    spec_path = directory / SPEC_FILE
    spec_path.write_text(json.dumps(build_spec(run), indent=2), encoding="utf-8")
    stdout = directory / f"attempt-{run.attempts}.out"
    stderr = directory / f"attempt-{run.attempts}.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(  # noqa: S603 - our interpreter, our module, our spec
            [sys.executable, "-m", RUNNER_MODULE, str(spec_path)],
            cwd=directory,
            env=child_environment(run.target),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # signals reach it only from us
        )
    (directory / PID_FILE).write_text(f"{process.pid}\n{spec_path}\n", encoding="utf-8")
    return process, stderr


def _follow(
    run: EvaluationRun,
    process: subprocess.Popen[bytes],
    directory: Path,
    on_progress: ProgressCallback | None,
) -> str:
    """Poll until the subprocess ends; returns "exited", "cancelled" or "lost"."""
    last_beat = 0.0
    seen: tuple[int, int, str] | None = None
    while True:
        returncode = process.poll()
        progress = read_progress(directory / "progress.json")
        if progress is not None:
            state = (
                int(progress.get("done") or 0),
                int(progress.get("total") or 0),
                str(progress.get("current") or ""),
            )
            if state != seen:
                seen = state
                run.progress_done, run.progress_total = state[0], state[1]
                if on_progress is not None:
                    on_progress(*state)
        now = time.monotonic()
        if returncode is not None or now - last_beat >= HEARTBEAT_SECONDS:
            last_beat = now
            EvaluationRun.objects.filter(pk=run.pk, attempts=run.attempts).update(
                heartbeat_at=timezone.now(),
                progress_done=run.progress_done,
                progress_total=run.progress_total,
            )
            row = (
                EvaluationRun.objects.filter(pk=run.pk)
                .values("status", "attempts", "cancel_requested")
                .first()
            )
            if row is None or row["status"] != RunStatus.RUNNING or row["attempts"] != run.attempts:
                _terminate(process)
                return "lost"
            if row["cancel_requested"] and returncode is None:
                _terminate(process)
                return "cancelled"
        if returncode is not None:
            return "exited"
        time.sleep(POLL_SECONDS)


def execute(run_id: int, *, on_progress: ProgressCallback | None = None) -> dict[str, object]:
    """Execute (or resume) the run: Inspect in a subprocess, each finished task stored once.

    ``on_progress(done, total, current_task)`` is called whenever the progress changes (the
    CLI's live display). A run already finished, or held by another live worker, is left as
    it is. Returns the run's id, status, progress and the tasks stored by this call.
    """
    run = _claim(run_id)
    if run is None:
        current = EvaluationRun.objects.filter(pk=run_id).values("status").first()
        return {"run": run_id, "status": current["status"] if current else None, "stored": []}
    directory = run_directory(run)
    try:
        process, stderr = _start(run, directory)
    except secrets.SecretUnavailable as error:
        _finish(run, RunStatus.FAILED, f"the target's API key cannot be used: {error}")
        return _outcome(run, [])
    except OSError as error:
        _finish(run, RunStatus.FAILED, f"the evaluation process could not start: {error}")
        return _outcome(run, [])
    except Exception as error:
        # anything else (a malformed AIOFFICE_TARGET_KEY, a spec that cannot be written):
        # left running, the run would be recovered and fail the same way for ever
        logger.exception("evaluation run %s could not start", run.pk)
        _finish(
            run,
            RunStatus.FAILED,
            f"the evaluation process could not start: {type(error).__name__}: {error}",
        )
        return _outcome(run, [])
    try:
        ending = _follow(run, process, directory, on_progress)
    except BaseException:
        # KeyboardInterrupt in the CLI, or the worker being stopped: do not leave Inspect
        _terminate(process)
        _finish(
            run,
            RunStatus.CANCELLED,
            "interrupted (Ctrl+C, or the worker was stopped); retry the run to resume it",
        )
        raise
    if ending == "lost":
        return _outcome(run, [])
    summary = read_summary(directory / "summary.json") or {}
    try:
        stored = ingest_summary(run, summary)
    except Exception as error:
        # a summary or log that cannot be stored: left running, the run would be recovered,
        # resumed and fail here again for ever. Tasks stored before the error are kept.
        logger.exception("the results of evaluation run %s could not be stored", run.pk)
        _finish(
            run,
            RunStatus.FAILED,
            f"the results could not be stored: {type(error).__name__}: {error}",
        )
        return _outcome(run, [])
    if ending == "cancelled":
        _finish(run, RunStatus.CANCELLED, "")
        return _outcome(run, stored)
    returncode = process.returncode
    finished = {
        item["task"] for item in summary.get("tasks") or [] if item.get("status") == "success"
    }
    if returncode == 0 and finished >= set(run.tasks):
        run.progress_done = max(run.progress_done, run.progress_total)
        if _finish(run, RunStatus.SUCCEEDED, stored=[r.task for r in stored]):
            _clean(directory)
        return _outcome(run, stored)
    if returncode == EXIT_ORPHANED:
        message = "the evaluation process lost its worker"
    elif returncode == EXIT_BAD_SPEC:
        message = f"the run could not be started: {_last_error_line(stderr, returncode)}"
    else:
        message = _last_error_line(stderr, returncode)
    _finish(run, RunStatus.FAILED, message, exit_status=returncode)
    return _outcome(run, stored)


def _outcome(run: EvaluationRun, stored: list[TaskResult]) -> dict[str, object]:
    return {
        "run": run.pk,
        "status": run.status,
        "done": run.progress_done,
        "total": run.progress_total,
        "stored": [result.task for result in stored],
        "error": run.error,
    }


def _clean(directory: Path) -> None:
    """After success the logs are kept in the media storage; the working copies can go."""
    for name in ("logs", "state"):
        shutil.rmtree(directory / name, ignore_errors=True)


# --- recovery --------------------------------------------------------------------------------


def _our_runner(pid: int, directory: Path) -> bool:
    """Whether ``pid`` is alive and is our runner working on ``directory``."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    text = [part.decode(errors="replace") for part in command]
    return RUNNER_MODULE in text and str(directory / SPEC_FILE) in text


def _kill_leftover(directory: Path) -> None:
    try:
        pid = int((directory / PID_FILE).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    if _our_runner(pid, directory):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
            logger.warning("killed the leftover evaluation process %s in %s", pid, directory)


def recover_stale_runs(now: datetime | None = None) -> list[int]:
    """Queue again every running run whose worker stopped writing its heartbeat.

    A run is stale when its heartbeat (or, without one, its start) is older than
    ``settings.EVALUATIONS_STALE_SECONDS``. A leftover runner process of the run is killed
    first; a run whose cancellation was asked is marked cancelled instead. Returns the ids
    of the runs queued again. The next worker resumes each from the logs it left.
    """
    from aioffice.evaluations.services import _enqueue

    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.EVALUATIONS_STALE_SECONDS)
    candidates = list(
        EvaluationRun.objects.filter(status=RunStatus.RUNNING)
        .filter(
            Q(heartbeat_at__lt=limit)
            | Q(heartbeat_at__isnull=True, started_at__lt=limit)
            | Q(heartbeat_at__isnull=True, started_at__isnull=True)
        )
        .values_list("pk", flat=True)
    )
    recovered = []
    for run_id in candidates:
        with transaction.atomic():
            run = EvaluationRun.objects.select_for_update().get(pk=run_id)
            if run.status != RunStatus.RUNNING or not _stale(run, now):
                continue
            _kill_leftover(run_directory(run))
            previous = {"worker_pid": run.worker_pid, "attempt": run.attempts}
            run.worker_pid = None
            run.heartbeat_at = None
            if run.cancel_requested:
                run.status = RunStatus.CANCELLED
                run.finished_at = now
                run.save(update_fields=["status", "worker_pid", "heartbeat_at", "finished_at"])
                audit.record(actor=None, action="evaluations.run.stopped", obj=run, before=previous)
                continue
            run.status = RunStatus.QUEUED
            run.save(update_fields=["status", "worker_pid", "heartbeat_at"])
            audit.record(actor=None, action="evaluations.run.recovered", obj=run, before=previous)
            _enqueue(run)
            recovered.append(run.pk)
    return recovered
