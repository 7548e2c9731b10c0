"""Two evaluation runs compared task by task, on the items both scored.

For each task both runs have a result, the kept Inspect logs give each item's score (the
mean over epochs, `gpai_evals.results.sample_scores`); the paired difference A - B with
its 95% interval, McNemar's exact test when every score is 0 or 1, the number of items a
paired evaluation needs to detect the observed difference (80% power, two-sided 5%), and,
for a run that failed no item of the task, the rule-of-three upper bound on its failure
rate (gpai_evals.stats). A "failure" is an item scored below 1 (for a refusal probe: a
harmful request not refused).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean
from tempfile import NamedTemporaryFile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from aioffice.evaluations.models import EvaluationRun, TaskResult
from gpai_evals import stats

__all__ = ["RunComparison", "TaskComparison", "compare_runs", "comparison_as_dict", "local_log"]

POWER = 0.80
ALPHA = 0.05


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

    @property
    def significant(self) -> bool | None:
        """Whether the difference is significant at 5% (McNemar's test where it applies)."""
        if self.mcnemar is not None:
            return self.mcnemar.p_value < ALPHA
        if self.paired is not None:
            return self.paired.p_value < ALPHA
        return None


@dataclass(frozen=True)
class RunComparison:
    run_a: EvaluationRun
    run_b: EvaluationRun
    tasks: tuple[TaskComparison, ...]
    only_a: tuple[str, ...]  # tasks only run A has a result for
    only_b: tuple[str, ...]


@contextmanager
def local_log(result: TaskResult) -> Iterator[Path]:
    """A path on this machine to the kept log of ``result`` (a temporary copy when the
    storage is not a local directory). FileNotFoundError when the file is gone."""
    field = result.log_file
    if not field.name:
        raise FileNotFoundError("no log kept")
    try:
        path = Path(field.path)
    except NotImplementedError:  # a remote storage: copy it here for Inspect's reader
        with (
            field.storage.open(field.name, "rb") as source,
            NamedTemporaryFile(suffix=Path(field.name).suffix) as copy,
        ):
            for chunk in iter(lambda: source.read(1 << 20), b""):
                copy.write(chunk)
            copy.flush()
            yield Path(copy.name)
        return
    if not path.is_file():
        raise FileNotFoundError(str(path))
    yield path


def _scores(result: TaskResult, field: str) -> dict[str, float]:
    label = "A" if field == "run_a" else "B"
    try:
        with local_log(result) as path:
            from gpai_evals import results  # loads Inspect: only when logs are read

            scores, _metadata = results.sample_scores(path, scorer=result.scorer or None)
    except FileNotFoundError:
        raise ValidationError(
            {
                field: _("The log of %(task)s in run %(label)s (#%(run)s) is missing.")
                % {"task": result.task, "label": label, "run": result.run_id}
            }
        ) from None
    except KeyError:
        raise ValidationError(
            {
                field: _("The log of %(task)s in run %(label)s has no scorer %(scorer)s.")
                % {"task": result.task, "label": label, "scorer": result.scorer}
            }
        ) from None
    except Exception as exc:  # Inspect's reader: a truncated or foreign file
        raise ValidationError(
            {
                field: _(
                    "The log of %(task)s in run %(label)s (#%(run)s) cannot be read: %(error)s."
                )
                % {
                    "task": result.task,
                    "label": label,
                    "run": result.run_id,
                    "error": type(exc).__name__,
                }
            }
        ) from exc
    return scores


def _correlation(a: list[float], b: list[float]) -> float | None:
    if len(a) < 2:
        return None
    mean_a, mean_b = fmean(a), fmean(b)
    sa = math.sqrt(sum((x - mean_a) ** 2 for x in a))
    sb = math.sqrt(sum((y - mean_b) ** 2 for y in b))
    if sa == 0 or sb == 0:
        return None
    return sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True)) / (sa * sb)


def _zero_failure(scores: list[float]) -> stats.ZeroFailureBound | None:
    if scores and all(x >= 1.0 for x in scores):
        return stats.rule_of_three(len(scores))
    return None


def _compare_task(result_a: TaskResult, result_b: TaskResult) -> TaskComparison:
    scores_a = _scores(result_a, "run_a")
    scores_b = _scores(result_b, "run_b")
    common = sorted(scores_a.keys() & scores_b.keys())
    a = [scores_a[key] for key in common]
    b = [scores_b[key] for key in common]
    notes: list[str] = []
    paired = mcnemar = None
    correlation = None
    needed: int | None = None
    if len(common) < 2:
        notes.append(
            _("%(count)s item(s) in common: too few for a paired comparison.")
            % {"count": len(common)}
        )
    else:
        paired = stats.paired_comparison(a, b)
        if all(x in (0.0, 1.0) for x in a + b):
            mcnemar = stats.mcnemar_exact(a, b)
        correlation = _correlation(a, b)
        observed = paired.difference.mean
        # the score's spread: the pooled standard deviation of both runs' item scores
        sd = math.sqrt((_variance(a) + _variance(b)) / 2)
        if observed == 0:
            notes.append(_("No difference observed: no number of items detects a zero effect."))
        elif sd == 0:
            notes.append(_("Every item has the same score in each run: no spread to size from."))
        else:
            needed = stats.items_needed(
                observed,
                sd=sd,
                correlation=max(-1.0, min(correlation or 0.0, 0.99)),
                alpha=ALPHA,
                power=POWER,
            )
    return TaskComparison(
        task=result_a.task,
        risk_area=result_a.risk_area,
        status_a=result_a.status,
        status_b=result_b.status,
        items=len(common),
        items_only_a=len(scores_a.keys() - scores_b.keys()),
        items_only_b=len(scores_b.keys() - scores_a.keys()),
        paired=paired,
        mcnemar=mcnemar,
        correlation=correlation,
        items_needed=needed,
        zero_failure_a=_zero_failure(a),
        zero_failure_b=_zero_failure(b),
        note=" ".join(notes),
    )


def _variance(values: list[float]) -> float:
    mean = fmean(values)
    return sum((x - mean) ** 2 for x in values) / (len(values) - 1)


def _results(run: EvaluationRun) -> dict[str, TaskResult]:
    return {result.task: result for result in run.results.all()}


def compare_runs(run_a: EvaluationRun, run_b: EvaluationRun) -> RunComparison:
    """Compare two runs on every task both have a result for, in run A's task order.

    Raises ValidationError naming the field: ``run_b`` when the runs are the same run or
    have no task in common; ``run_a``/``run_b`` when a kept log is missing or unreadable.
    Two queries (each run's results), then the logs.
    """
    if run_a.pk == run_b.pk:
        raise ValidationError({"run_b": _("Choose a run other than run A.")})
    results_a, results_b = _results(run_a), _results(run_b)
    order = {name: index for index, name in enumerate(run_a.tasks)}
    common = sorted(results_a.keys() & results_b.keys(), key=lambda t: (order.get(t, 1e9), t))
    if not common:
        raise ValidationError(
            {
                "run_b": _(
                    "Run #%(b)s has no task result in common with run #%(a)s (a comparison "
                    "needs the same task in both)."
                )
                % {"a": run_a.pk, "b": run_b.pk}
            }
        )
    return RunComparison(
        run_a=run_a,
        run_b=run_b,
        tasks=tuple(_compare_task(results_a[task], results_b[task]) for task in common),
        only_a=tuple(sorted(results_a.keys() - results_b.keys())),
        only_b=tuple(sorted(results_b.keys() - results_a.keys())),
    )


def comparison_as_dict(comparison: RunComparison) -> dict[str, Any]:
    """The comparison as JSON-ready data (for the API and the command line): the two runs
    by id, version and target, and per task every figure (None where it cannot be had)."""

    def run(item: EvaluationRun) -> dict[str, Any]:
        return {
            "id": item.pk,
            "version_id": item.version_id,
            "target": item.target.name,
            "status": item.status,
        }

    return {
        "run_a": run(comparison.run_a),
        "run_b": run(comparison.run_b),
        "tasks": [
            {**dataclasses.asdict(row), "significant": row.significant} for row in comparison.tasks
        ],
        "only_a": list(comparison.only_a),
        "only_b": list(comparison.only_b),
    }
