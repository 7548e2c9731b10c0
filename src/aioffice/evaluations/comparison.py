"""Two evaluation runs compared task by task, on the items both scored.

For each task both runs have a result, the kept Inspect logs give each item's score (the
mean over epochs); the paired difference A − B with its 95% interval, McNemar's exact test
when every score is 0 or 1, the number of items a paired evaluation needs to detect the
observed difference (80% power, two-sided 5%), and, for a run that saw no failure on the
task, the rule-of-three upper bound on its failure rate (gpai_evals.stats).
"""

from __future__ import annotations

from dataclasses import dataclass

from gpai_evals import stats

from aioffice.evaluations.models import EvaluationRun

__all__ = ["RunComparison", "TaskComparison", "compare_runs"]


@dataclass(frozen=True)
class TaskComparison:
    """Run A against run B on one task."""

    task: str
    risk_area: str
    status_a: str
    status_b: str
    items: int  # items both scored
    items_only_a: int
    items_only_b: int
    paired: stats.PairedComparison | None  # None with fewer than two common items
    mcnemar: stats.McNemarResult | None  # only when every score is 0 or 1
    correlation: float | None  # of the two runs' item scores
    items_needed: int | None  # to detect the observed difference (None: cannot be computed)
    zero_failure_a: stats.ZeroFailureBound | None  # run A failed no common item
    zero_failure_b: stats.ZeroFailureBound | None
    note: str  # why a figure is missing, in words


@dataclass(frozen=True)
class RunComparison:
    run_a: EvaluationRun
    run_b: EvaluationRun
    tasks: tuple[TaskComparison, ...]
    only_a: tuple[str, ...]  # tasks only run A has a result for
    only_b: tuple[str, ...]


def compare_runs(run_a: EvaluationRun, run_b: EvaluationRun) -> RunComparison:
    """Compare two runs on every task both have a result for.

    Raises ValidationError naming the field: ``run_b`` when the runs are the same run or
    have no task in common; ``run_a``/``run_b`` when a kept log is missing or unreadable.
    """
    raise NotImplementedError
