"""Test data for the report, profile and comparison tests: model versions, runs, and task
results stored from real Inspect logs (catalogue probe tasks run on the mock model).

The logs are made once per test process (Inspect's first eval in a process takes seconds,
the next ones under one); the results are stored the way execution stores them: the log
kept in storage with its SHA-256, the headline with its uncertainty, every metric.

Load it from a test file with ``load_factories()`` (the tests are not a package).
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any

from django.utils import timezone

from aioffice.evaluations import services as evaluations
from aioffice.evaluations.choices import RunStatus
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget, TaskResult
from aioffice.registry.models import ModelVersion
from aioffice.registry.testing import registered_version

# the organisation principal("organisation_member") belongs to: its members are the provider
PROVIDER = "Test gpai_provider"


def _arithmetic_targets() -> dict[str, str]:
    from gpai_evals._data import read_records
    from gpai_evals._probes import probe_file

    return {r["input"]: str(r["target"]) for r in read_records(probe_file("arithmetic"))}


def _answer_first(correct: int) -> Any:
    """A mock that answers the first ``correct`` arithmetic items right, the rest wrong."""
    targets = list(_arithmetic_targets().items())

    def respond(prompt: str) -> str:
        for index, (question, answer) in enumerate(targets):
            if question in prompt:
                return f"ANSWER: {answer if index < correct else int(answer) + 1}"
        return "ANSWER: 0"

    return respond


def _answer_last(correct: int) -> Any:
    """Right on the last ``correct`` items (so paired with _answer_first, items disagree)."""
    targets = list(_arithmetic_targets().items())

    def respond(prompt: str) -> str:
        for index, (question, answer) in enumerate(targets):
            if question in prompt:
                right = index >= len(targets) - correct
                return f"ANSWER: {answer if right else int(answer) + 1}"
        return "ANSWER: 0"

    return respond


@functools.cache
def logs() -> dict[str, Path]:
    """Inspect logs of catalogue probe tasks on the mock model, made once per process."""
    os.environ.setdefault("INSPECT_CACHE_DIR", tempfile.mkdtemp(prefix="inspect-cache-"))
    from inspect_ai import eval as inspect_eval

    from gpai_evals._mock import mock_model
    from gpai_evals.catalogue import by_name

    directory = Path(tempfile.mkdtemp(prefix="report-logs-"))
    plan: dict[str, tuple[str, Any, dict[str, Any]]] = {
        # name: (task, mock answer, eval options)
        "arith_a": ("arithmetic_probe", _answer_first(9), {}),
        "arith_b": ("arithmetic_probe", _answer_last(5), {}),
        "arith_limited": ("arithmetic_probe", _answer_first(3), {"limit": 4}),
        "refusal_all": ("refusal_probe", "I can't help with that.", {}),
        "refusal_none": ("refusal_probe", "Sure, here is how.", {}),
        "self_knowledge": ("self_knowledge_probe", "ANSWER: A", {"epochs": 2}),
    }
    made: dict[str, Path] = {}
    for name, (task, answer, options) in plan.items():
        (log,) = inspect_eval(
            by_name(task).task(),
            model=mock_model(answer),
            log_dir=str(directory / name),
            display="none",
            **options,
        )
        assert log.status == "success", (name, log.status)
        made[name] = Path(log.location)
    return made


# --- registry and runs -------------------------------------------------------------------


def make_version(
    model_name: str = "Model", label: str = "1.0", provider: str = PROVIDER
) -> ModelVersion:
    return registered_version(provider=provider, model=model_name, label=label)


def make_target(version: ModelVersion, name: str = "mock", **fields: Any) -> EvaluationTarget:
    existing = EvaluationTarget.objects.filter(version=version, name=name).first()
    if existing is not None:
        return existing
    fields.setdefault("kind", "mock")
    return evaluations.target_create(actor=None, version=version, name=name, **fields)


def make_run(
    version: ModelVersion,
    tasks: list[str],
    *,
    target: EvaluationTarget | None = None,
    status: str = RunStatus.SUCCEEDED,
    **config: Any,
) -> EvaluationRun:
    run = evaluations.run_queue(
        actor=None,
        version=version,
        target=target or make_target(version),
        tasks=tasks,
        enqueue=False,
        **config,
    )
    now = timezone.now()
    EvaluationRun.objects.filter(pk=run.pk).update(
        status=status,
        started_at=now,
        finished_at=now if status != RunStatus.RUNNING else None,
        packages={"inspect_ai": "0.3.285"},
    )
    run.refresh_from_db()
    return run


def store_result(
    run: EvaluationRun, log_name: str, *, status: str = "success", stored_at: Any = None
) -> TaskResult:
    """Store one task result from a made log the way execution does (the runner's summary
    of the log, ingested by `execution.ingest_task`); then, for a test, another Inspect
    status or storing time."""
    from inspect_ai.log import read_eval_log

    from aioffice.evaluations.execution import ingest_task
    from gpai_evals.runner import summarise_task

    path = logs()[log_name]
    task = read_eval_log(str(path), header_only=True).eval.task.split("/")[-1]
    item = dict(summarise_task(str(path), task))
    item["eval_id"] = f"{item['eval_id']}-{run.pk}"  # one log may serve several runs here
    result = ingest_task(run, item)
    assert result is not None, (log_name, run.pk)
    changes: dict[str, Any] = {}
    if status != "success":
        changes["status"] = status
    if stored_at is not None:
        changes["stored_at"] = stored_at
    if changes:
        TaskResult.objects.filter(pk=result.pk).update(**changes)
        result.refresh_from_db()
    return result


def add_result_row(
    run: EvaluationRun,
    task: str,
    risk_area: str,
    value: float | None,
    stderr: float | None,
    *,
    items: int = 10,
    status: str = "success",
    completed_at: Any = None,
    stored_at: Any = None,
) -> TaskResult:
    """A result row without a log (for the profile, which reads only the rows)."""
    z = 1.959963984540054
    result = TaskResult(
        run=run,
        task=task,
        risk_area=risk_area,
        status=status,
        eval_id=f"row-{run.pk}-{task}",
        log_file=f"evaluations/logs/{run.pk}/{task}.eval",
        log_sha256="0" * 64,
        log_size=0,
        inspect_model="mockllm/model",
        value=value,
        stderr=stderr,
        ci_low=None if value is None or stderr is None else value - z * stderr,
        ci_high=None if value is None or stderr is None else value + z * stderr,
        items=items,
        completed_at=completed_at or timezone.now(),
    )
    if stored_at is not None:
        result.stored_at = stored_at
    result.save()
    return result
