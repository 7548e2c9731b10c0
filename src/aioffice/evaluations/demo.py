"""Demo data for evaluations: a mock target on a fictional model version, and one smoke run.

The run is queued for the worker, not executed here: an evaluation starts Inspect in a
subprocess, which costs the demo load more than it should (see `load`). `aioffice worker
--batch` (or the running worker) executes it; the run's page, its report and the version's
capability profile then show real results of the mock model (made-up answers, as the report
says).
"""

from __future__ import annotations

from typing import Any

from aioffice.evaluations import services
from aioffice.evaluations.choices import TargetKind
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget
from aioffice.registry.models import ModelVersion

DEMO_TARGET = "offline-mock"
DEMO_ANSWER = "I can't help with that."  # refuses everything: the smoke run shows over-refusal
DEMO_SAMPLES = 6  # per task: enough for an error bar, quick on the mock model
FICTIONAL_NOTE = "Fictional model, invented figures: demo data."


def load(*, version: ModelVersion, officer: Any, execute: bool = False) -> EvaluationRun | None:
    """Give ``version`` a mock target and one smoke run, once (None when already there).

    ``execute=True`` runs it here and now (Inspect in a subprocess) instead of queueing it.
    """
    if EvaluationTarget.objects.filter(version=version, name=DEMO_TARGET).exists():
        return None
    target = services.target_create(
        actor=officer,
        version=version,
        name=DEMO_TARGET,
        kind=TargetKind.MOCK,
        model_args={"answer": DEMO_ANSWER},
    )
    services.target_check(actor=officer, target=target)
    run = services.run_queue(
        actor=officer,
        version=version,
        target=target,
        suite="smoke",
        sample_limit=DEMO_SAMPLES,
        max_connections=4,
        notes=f"A smoke run on Inspect's mock model, to show the pages. {FICTIONAL_NOTE}",
        enqueue=not execute,
    )
    if execute:
        from aioffice.evaluations import execution

        execution.execute(run.pk)
        run.refresh_from_db()
    return run
