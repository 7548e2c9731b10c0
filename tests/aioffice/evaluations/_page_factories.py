"""Builders for the evaluation page tests: fictional providers and versions, targets, runs,
and results with a real (small) Inspect log.

The log is made once per test session by running our `arithmetic_probe` task on
`gpai_evals._mock.mock_model` with Inspect (`display="none"`), three samples, offline; each
test copies it into its own media folder. Results are stored here as rows, as the worker's
code stores them, so the pages can be tested apart from the execution.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File

from aioffice.evaluations import services
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget, MetricResult, TaskResult
from aioffice.registry.models import ModelVersion, Provider
from aioffice.registry.testing import registered_provider, registered_version

PROBE_TASK = "arithmetic_probe"
PROBE_SAMPLES = 3
PROBE_ANSWER = "ANSWER: 168"  # right for the first item (24 bottles x 7 crates), wrong after


def make_provider(name: str = "Alpha AI") -> Provider:
    return registered_provider(name)


def make_version(
    label: str = "1.0", model_name: str = "Alpha-1", provider: str = "Alpha AI"
) -> ModelVersion:
    return registered_version(provider=provider, model=model_name, label=label)


def make_target(
    version: ModelVersion, name: str = "mock", kind: str = "mock", **fields: Any
) -> EvaluationTarget:
    return services.target_create(actor=None, version=version, name=name, kind=kind, **fields)


def make_run(
    target: EvaluationTarget,
    *,
    tasks: list[str] | None = None,
    status: str = "queued",
    done: int = 0,
    total: int = 0,
    error: str = "",
    **config: Any,
) -> EvaluationRun:
    """A run queued through the service (not handed to the worker), then put in ``status``
    as the worker would."""
    run = services.run_queue(
        actor=None,
        version=target.version,
        target=target,
        tasks=tasks or [PROBE_TASK],
        enqueue=False,
        **config,
    )
    EvaluationRun.objects.filter(pk=run.pk).update(
        status=status, progress_done=done, progress_total=total, error=error
    )
    run.refresh_from_db()
    return run


def _inspect_probe_log(directory: Path) -> Path:
    from inspect_ai import eval as inspect_eval

    from gpai_evals._mock import mock_model
    from gpai_evals.catalogue import by_name

    with pytest.MonkeyPatch.context() as patch:
        # Inspect writes traces and caches under the user's folders: keep them here
        for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "INSPECT_CACHE_DIR"):
            patch.setenv(variable, str(directory / variable.lower()))
        logs = inspect_eval(
            by_name(PROBE_TASK).task(),
            model=mock_model(PROBE_ANSWER),
            display="none",
            log_dir=str(directory / "logs"),
            limit=PROBE_SAMPLES,
        )
    assert logs[0].status == "success", logs[0].error
    return Path(logs[0].location)


def probe_log(factory: pytest.TempPathFactory) -> Path:
    """The session's one real Inspect log (made on first use)."""
    directory = factory.getbasetemp() / "evaluation-probe-log"
    found = sorted(directory.glob("logs/*.eval")) if directory.exists() else []
    if found:
        return found[0]
    directory.mkdir(parents=True, exist_ok=True)
    return _inspect_probe_log(directory)


def probe_sample_ids(log: Path) -> list[str]:
    from inspect_ai.log import read_eval_log_sample_summaries

    return [str(summary.id) for summary in read_eval_log_sample_summaries(str(log))]


def store_result(
    run: EvaluationRun,
    log: Path,
    *,
    task: str = PROBE_TASK,
    value: float = 1 / 3,
    stderr: float = 0.333,
    metrics: int = 2,
) -> TaskResult:
    """A task's result row and its metrics, with the log kept in storage."""
    data = log.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    result = TaskResult(
        run=run,
        task=task,
        risk_area="general_capability",
        status="success",
        eval_id=f"{run.pk}-{task}-{digest[:12]}",
        log_sha256=digest,
        log_size=len(data),
        inspect_model="mockllm/model",
        scorer="match",
        value=value,
        stderr=stderr,
        ci_low=max(0.0, value - 1.96 * stderr),
        ci_high=min(1.0, value + 1.96 * stderr),
        items=PROBE_SAMPLES,
        samples_total=PROBE_SAMPLES,
        samples_completed=PROBE_SAMPLES,
    )
    with log.open("rb") as handle:
        result.log_file.save(log.name, File(handle), save=False)
    result.save()
    names = ["accuracy", "stderr", "mean", "count"][:metrics]
    MetricResult.objects.bulk_create(
        MetricResult(
            result=result,
            scorer="match",
            name=name,
            value=value if name != "stderr" else stderr,
            samples=PROBE_SAMPLES,
        )
        for name in names
    )
    return result
