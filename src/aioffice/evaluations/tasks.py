"""The worker's side of an evaluation run: a django-tasks task per run."""

from __future__ import annotations

from django_tasks import task

from aioffice.evaluations import execution


@task()
def execute_run(run_id: int) -> dict[str, object]:
    """Execute (or resume) one run: Inspect in a subprocess, results stored once."""
    return execution.execute(run_id)
