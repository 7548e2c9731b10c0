"""From an Inspect log to numbers with error bars, and from two logs to a paired comparison.

Reads ``.eval`` (or ``.json``) logs with Inspect's own reader, streaming the samples. A sample
run for several epochs contributes the mean of its epochs, so each item counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_ai.log import read_eval_log, read_eval_log_samples
from inspect_ai.scorer import value_to_float

from gpai_evals import stats

__all__ = ["LogComparison", "TaskSummary", "compare_logs", "sample_scores", "summarise_log"]


@dataclass(frozen=True)
class TaskSummary:
    """One task of one run: what was run, on what, and the score with its uncertainty."""

    task: str
    model: str
    status: str
    scorer: str
    estimate: stats.Estimate
    packages: dict[str, str]
    data: dict[str, Any]


@dataclass(frozen=True)
class LogComparison:
    """Run A against run B on the items both scored."""

    task: str
    model_a: str
    model_b: str
    paired: stats.PairedComparison
    mcnemar: stats.McNemarResult | None  # only when every score is 0 or 1
    items: int


def is_scalar(value: Any) -> bool:
    """Whether a score value is one number (or a letter grade such as "C"/"I" Inspect turns
    into one). A structured value (StrongREJECT's dict of ratings) is not: Inspect's
    ``value_to_float`` would turn it into 0, a score no one gave."""
    return isinstance(value, str | int | float | bool)


def sample_scores(
    log_file: str | Path, *, scorer: str | None = None
) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    """Per item: the score (mean over epochs) and the item's metadata, keyed by sample id.

    ``scorer`` picks one scorer of several (default: the first). Returns the scores and the
    items' metadata, from which a cluster key can be taken. Structured score values are
    left out (`is_scalar`): a scorer that gives only those has no items here.
    """
    to_float = value_to_float()
    totals: dict[str, list[float]] = {}
    metadata: dict[str, dict[str, Any]] = {}
    for sample in read_eval_log_samples(log_file, all_samples_required=False):
        if not sample.scores:
            continue  # an errored sample has no score; the run's status says so
        name = scorer if scorer is not None else next(iter(sample.scores))
        key = str(sample.id)
        value = sample.scores[name].value
        if not is_scalar(value):
            continue
        totals.setdefault(key, []).append(to_float(value))
        metadata[key] = dict(sample.metadata or {})
    return {key: sum(v) / len(v) for key, v in totals.items()}, metadata


def summarise_log(
    log_file: str | Path,
    *,
    scorer: str | None = None,
    cluster_key: str | None = None,
    level: float = stats.DEFAULT_LEVEL,
) -> TaskSummary:
    """The task's mean score with standard error and interval, clustered on a metadata key."""
    header = read_eval_log(str(log_file), header_only=True)
    scores, metadata = sample_scores(log_file, scorer=scorer)
    values = list(scores.values())
    if cluster_key is None:
        estimate = stats.mean_estimate(values, level=level)
    else:
        # an item without the key is a cluster of its own
        clusters = [str(metadata[key].get(cluster_key, key)) for key in scores]
        estimate = stats.clustered_estimate(values, clusters, level=level)
    results = header.results
    scorer_name = scorer or (results.scores[0].name if results and results.scores else "")
    return TaskSummary(
        task=header.eval.task,
        model=header.eval.model,
        status=header.status,
        scorer=scorer_name,
        estimate=estimate,
        packages=dict(header.eval.packages or {}),
        data=dict((header.eval.metadata or {}).get("data", {})),
    )


def compare_logs(
    log_a: str | Path, log_b: str | Path, *, scorer: str | None = None
) -> LogComparison:
    """Paired comparison of two runs of the same task, on the sample ids both have."""
    header_a = read_eval_log(str(log_a), header_only=True)
    header_b = read_eval_log(str(log_b), header_only=True)
    if header_a.eval.task != header_b.eval.task:
        raise stats.StatisticsError(
            f"the runs are of different tasks ({header_a.eval.task}, {header_b.eval.task})"
        )
    scores_a, _ = sample_scores(log_a, scorer=scorer)
    scores_b, _ = sample_scores(log_b, scorer=scorer)
    common = sorted(scores_a.keys() & scores_b.keys())
    a = [scores_a[key] for key in common]
    b = [scores_b[key] for key in common]
    binary = all(x in (0.0, 1.0) for x in a + b)
    return LogComparison(
        task=header_a.eval.task,
        model_a=header_a.eval.model,
        model_b=header_b.eval.model,
        paired=stats.paired_comparison(a, b),
        mcnemar=stats.mcnemar_exact(a, b) if binary else None,
        items=len(common),
    )
