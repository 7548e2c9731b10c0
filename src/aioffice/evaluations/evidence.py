"""Evaluation results as Annex XIII(e) evidence on a model version.

Registered with the registry core when Django starts (`apps.EvaluationsConfig.ready`): the
designation page lists, per task, the latest result of a succeeded run of the version, and
a designation that cites one stores it with the decision (`registry.services.decision_take`).
Supervision reads the same results for Art. 92 evaluations through `results_on_record`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from aioffice.evaluations.choices import RunStatus
from aioffice.evaluations.models import TaskResult
from aioffice.registry.evidence import CapabilityEvidence
from aioffice.registry.models import ModelVersion


def results_on_record(version_ids: Iterable[int]) -> QuerySet[TaskResult]:
    """The latest result per (version, task) among the versions' succeeded runs."""
    return (
        TaskResult.objects.filter(
            run__version_id__in=list(version_ids), run__status=RunStatus.SUCCEEDED
        )
        .select_related("run__target")
        .order_by("run__version_id", "task", "-run__finished_at", "-id")
    )


def _label(result: TaskResult) -> str:
    if result.value is None:
        return _("%(task)s (%(area)s): no score") % {"task": result.task, "area": result.risk_area}
    interval = ""
    if result.ci_low is not None and result.ci_high is not None:
        interval = _(", 95%% CI %(low).3f to %(high).3f") % {
            "low": result.ci_low,
            "high": result.ci_high,
        }
    return _("%(task)s (%(area)s): %(value).3f%(interval)s, %(items)s items") % {
        "task": result.task,
        "area": result.risk_area,
        "value": result.value,
        "interval": interval,
        "items": result.items,
    }


def annex_xiii_evidence(version: ModelVersion) -> list[CapabilityEvidence]:
    """One item per task: the latest succeeded result on record for ``version`` (one query)."""
    seen: set[str] = set()
    items = []
    for result in results_on_record([version.pk]):
        if result.task in seen:
            continue
        seen.add(result.task)
        run = result.run
        finished = run.finished_at.date().isoformat() if run.finished_at else ""
        items.append(
            CapabilityEvidence(
                key=f"evaluations.result:{result.pk}",
                label=_label(result),
                detail=_("run #%(run)s through %(target)s, finished %(day)s")
                % {"run": run.pk, "target": run.target.name, "day": finished},
                url=reverse("evaluations:run_report", args=[run.pk]),
                sha256=result.log_sha256,
            )
        )
    return items
