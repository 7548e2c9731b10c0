"""The worker's side of drafting: a django-tasks task per analysis run (it takes the run's
id; `services_analysis.run_execute` does the work and records a failure on the run)."""

from __future__ import annotations

from django_tasks import task

from aioffice.drafting import services_analysis


@task()
def analyse_consultation(run_id: int) -> dict[str, object]:
    """Analyse one consultation's feedback for the queued run `run_id`."""
    try:
        run = services_analysis.run_execute(run_id)
    except Exception as exc:  # noqa: BLE001  (recorded on the run as failed; the worker goes on)
        return {"run": run_id, "status": "failed", "error": type(exc).__name__}
    return {"run": run.pk, "status": run.status, "feedback": run.feedback_count}
