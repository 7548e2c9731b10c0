"""Statistics that make evaluation results defensible: every number comes with its uncertainty.

Pure Python (``math`` and ``statistics`` only). The formulas and their sources are written out
in docs/evals/statistics.md; each function's docstring names the formula it uses.

Scores are floats, usually 0 or 1 (a sample scored correct or incorrect), sometimes a fraction
(partial credit, the mean over epochs). Intervals use the normal approximation unless the
function says otherwise; for small samples of 0/1 scores, ``wilson_interval`` behaves better.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist, fmean

__all__ = [
    "DEFAULT_LEVEL",
    "AreaAggregate",
    "Estimate",
    "McNemarResult",
    "PairedComparison",
    "StatisticsError",
    "TaskResult",
    "ZeroFailureBound",
    "bernoulli_sd",
    "clustered_estimate",
    "items_needed",
    "mcnemar_exact",
    "mean_estimate",
    "paired_comparison",
    "risk_area_profile",
    "rule_of_three",
    "wilson_interval",
    "z_value",
]

DEFAULT_LEVEL = 0.95


class StatisticsError(ValueError):
    """The input cannot give the estimate asked for (too few values, lengths differ, ...)."""


@dataclass(frozen=True)
class Estimate:
    """A mean with its standard error and a two-sided confidence interval."""

    mean: float
    stderr: float
    ci_low: float
    ci_high: float
    n: int
    level: float = DEFAULT_LEVEL
    clusters: int | None = None


@dataclass(frozen=True)
class PairedComparison:
    """Model A minus model B on the same items: the mean difference and its interval."""

    mean_a: float
    mean_b: float
    difference: Estimate
    p_value: float


@dataclass(frozen=True)
class McNemarResult:
    """McNemar's exact test on paired 0/1 scores.

    ``only_a`` counts the items A got right and B got wrong; ``only_b`` the reverse. Only these
    discordant items carry information about which model is better.
    """

    both: int
    only_a: int
    only_b: int
    neither: int
    p_value: float


@dataclass(frozen=True)
class ZeroFailureBound:
    """Upper confidence bound on a failure rate when n trials showed no failure."""

    n: int
    level: float
    rule_of_three: float
    exact: float


@dataclass(frozen=True)
class TaskResult:
    """One task's result, as fed into a risk-area profile."""

    task: str
    risk_area: str
    mean: float
    stderr: float
    n: int


@dataclass(frozen=True)
class AreaAggregate:
    """The capability profile of one risk area: the unweighted mean of its tasks' means."""

    risk_area: str
    estimate: Estimate
    tasks: tuple[str, ...]


def z_value(level: float = DEFAULT_LEVEL) -> float:
    """The standard normal quantile for a two-sided interval at ``level`` (1.96 for 0.95)."""
    if not 0 < level < 1:
        raise StatisticsError(f"level must lie strictly between 0 and 1, not {level}")
    return NormalDist().inv_cdf(0.5 + level / 2)


def _interval(
    mean: float,
    stderr: float,
    n: int,
    level: float,
    clusters: int | None,
    unit: bool = False,
    bounds: tuple[float, float] = (0.0, 1.0),
) -> Estimate:
    """The normal interval; with ``unit`` (every score in [0, 1]) clipped to ``bounds``,
    where the quantity must lie: [0, 1] for a mean of such scores, [-1, 1] for a mean of
    differences between two of them."""
    half = z_value(level) * stderr
    low, high = mean - half, mean + half
    if unit:
        low, high = max(bounds[0], low), min(bounds[1], high)
    return Estimate(mean, stderr, low, high, n, level, clusters)


def _unit(values: Iterable[float]) -> bool:
    return all(0.0 <= x <= 1.0 for x in values)


def _values(scores: Iterable[float]) -> list[float]:
    values = [float(x) for x in scores]
    if any(not math.isfinite(x) for x in values):
        raise StatisticsError("scores must be finite numbers")
    return values


def mean_estimate(scores: Iterable[float], *, level: float = DEFAULT_LEVEL) -> Estimate:
    """Mean, standard error s/sqrt(n) (s with n - 1 in the denominator) and normal interval.

    With fewer than two scores the standard error is undefined, so this raises. When every
    score lies in [0, 1] (the scale of every catalogue scorer) the interval is clipped to
    [0, 1]; for 0/1 scores on few items ``wilson_interval`` is the better interval.
    """
    values = _values(scores)
    n = len(values)
    if n < 2:
        raise StatisticsError(f"need at least 2 scores for a standard error, got {n}")
    mean = fmean(values)
    variance = sum((x - mean) ** 2 for x in values) / (n - 1)
    return _interval(mean, math.sqrt(variance / n), n, level, None, _unit(values))


def clustered_estimate(
    scores: Sequence[float], clusters: Sequence[Hashable], *, level: float = DEFAULT_LEVEL
) -> Estimate:
    """Mean with a cluster-robust standard error, for items that share a context.

    SE^2 = SE_plain^2 + (1/n^2) * sum over clusters c of sum over pairs i != j in c of
    (x_i - mean)(x_j - mean)  (Miller 2024, "Adding Error Bars to Evals", the clustered
    standard error). With one item per cluster the cross terms vanish and the result equals
    ``mean_estimate``. Items in the same cluster that fail or pass together widen the interval.
    """
    values = _values(scores)
    if len(values) != len(clusters):
        raise StatisticsError(
            f"scores and clusters differ in length ({len(values)} and {len(clusters)})"
        )
    plain = mean_estimate(values, level=level)
    groups: dict[Hashable, list[float]] = {}
    for value, cluster in zip(values, clusters, strict=True):
        groups.setdefault(cluster, []).append(value - plain.mean)
    cross = 0.0
    for deviations in groups.values():
        total = sum(deviations)
        cross += total * total - sum(d * d for d in deviations)
    variance = plain.stderr**2 + cross / plain.n**2
    return _interval(
        plain.mean, math.sqrt(max(variance, 0.0)), plain.n, level, len(groups), _unit(values)
    )


def wilson_interval(successes: int, n: int, *, level: float = DEFAULT_LEVEL) -> Estimate:
    """Wilson score interval for a proportion (Wilson 1927); stays inside [0, 1].

    The standard error reported is the plain sqrt(p(1 - p)/n); the interval is Wilson's.
    """
    if n < 1 or not 0 <= successes <= n:
        raise StatisticsError(f"need 0 <= successes <= n and n >= 1, got {successes} of {n}")
    p = successes / n
    z = z_value(level)
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    stderr = math.sqrt(p * (1 - p) / n)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Estimate(p, stderr, low, high, n, level)


def paired_comparison(
    scores_a: Sequence[float], scores_b: Sequence[float], *, level: float = DEFAULT_LEVEL
) -> PairedComparison:
    """Difference A - B on the same items: mean of per-item differences, its SE and interval.

    Pairing removes the item difficulty both models share, so the interval is narrower than
    comparing two independent means whenever the models' scores are positively correlated.
    The p-value is two-sided, from the normal approximation.
    """
    a, b = _values(scores_a), _values(scores_b)
    if len(a) != len(b):
        raise StatisticsError(f"the two models were scored on {len(a)} and {len(b)} items")
    plain = mean_estimate([x - y for x, y in zip(a, b, strict=True)], level=level)
    # a difference of two scores in [0, 1] lies in [-1, 1], whatever the signs observed
    difference = _interval(
        plain.mean, plain.stderr, plain.n, level, None, _unit(a) and _unit(b), (-1.0, 1.0)
    )
    if difference.stderr == 0:
        p_value = 1.0 if difference.mean == 0 else 0.0
    else:
        p_value = 2 * (1 - NormalDist().cdf(abs(difference.mean) / difference.stderr))
    return PairedComparison(fmean(a), fmean(b), difference, p_value)


def _binomial_cdf_half(k: int, n: int) -> float:
    """P(X <= k) for X ~ Binomial(n, 1/2), exact with integers."""
    return sum(math.comb(n, i) for i in range(k + 1)) / (1 << n)


def mcnemar_exact(scores_a: Sequence[float], scores_b: Sequence[float]) -> McNemarResult:
    """McNemar's exact test for two models' 0/1 scores on the same items (McNemar 1947).

    Under "neither model is better", each discordant item is A-only or B-only with probability
    1/2; the two-sided p-value is min(1, 2 * P(X <= min(only_a, only_b))), X ~ Bin(m, 1/2),
    m = only_a + only_b. With no discordant item, p = 1.
    """
    if len(scores_a) != len(scores_b):
        raise StatisticsError(
            f"the two models were scored on {len(scores_a)} and {len(scores_b)} items"
        )
    counts = {(1, 1): 0, (1, 0): 0, (0, 1): 0, (0, 0): 0}
    for x, y in zip(scores_a, scores_b, strict=True):
        if x not in (0, 1) or y not in (0, 1):
            raise StatisticsError("McNemar's test needs scores that are 0 or 1")
        counts[(int(x), int(y))] += 1
    only_a, only_b = counts[(1, 0)], counts[(0, 1)]
    m = only_a + only_b
    p_value = 1.0 if m == 0 else min(1.0, 2 * _binomial_cdf_half(min(only_a, only_b), m))
    return McNemarResult(counts[(1, 1)], only_a, only_b, counts[(0, 0)], p_value)


def bernoulli_sd(p: float) -> float:
    """Standard deviation of a 0/1 score with success probability p: sqrt(p(1 - p))."""
    if not 0 <= p <= 1:
        raise StatisticsError(f"a probability lies in [0, 1], not {p}")
    return math.sqrt(p * (1 - p))


def items_needed(
    difference: float,
    *,
    sd: float,
    correlation: float = 0.0,
    alpha: float = 0.05,
    power: float = 0.80,
) -> int:
    """Items needed to detect a true difference between two models scored on the same items.

    n = (z_{1-alpha/2} + z_{power})^2 * 2 * sd^2 * (1 - correlation) / difference^2, rounded up
    (the usual normal-approximation power formula for a paired difference, whose variance is
    2 sd^2 (1 - rho) when both models' scores have standard deviation sd and correlation rho;
    Miller 2024 section on power). ``correlation=0`` gives the unpaired case.
    """
    if difference == 0:
        raise StatisticsError("a difference of 0 cannot be detected with any number of items")
    if sd <= 0:
        raise StatisticsError(f"sd must be positive, not {sd}")
    if not -1 <= correlation < 1:
        raise StatisticsError(f"correlation must lie in [-1, 1), not {correlation}")
    if not 0 < power < 1:
        raise StatisticsError(f"power must lie strictly between 0 and 1, not {power}")
    z_alpha = z_value(1 - alpha)
    z_power = NormalDist().inv_cdf(power)
    variance = 2 * sd * sd * (1 - correlation)
    return math.ceil((z_alpha + z_power) ** 2 * variance / difference**2)


def rule_of_three(n: int, *, level: float = DEFAULT_LEVEL) -> ZeroFailureBound:
    """One-sided upper bound on the failure rate after n trials with no failure.

    Exact: the largest rate r with (1 - r)^n >= 1 - level, i.e. r = 1 - (1 - level)^(1/n).
    The rule of three, 3/n, approximates it at level 0.95 (Hanley and Lippman-Hand 1983).
    """
    if n < 1:
        raise StatisticsError(f"need at least one trial, got {n}")
    if not 0 < level < 1:
        raise StatisticsError(f"level must lie strictly between 0 and 1, not {level}")
    return ZeroFailureBound(n, level, min(1.0, 3 / n), 1 - (1 - level) ** (1 / n))


def risk_area_profile(
    results: Iterable[TaskResult], *, level: float = DEFAULT_LEVEL
) -> Mapping[str, AreaAggregate]:
    """Aggregate task results per risk area: equal weight per task, errors added in quadrature.

    mean_area = (1/k) sum_t mean_t;  SE_area = sqrt(sum_t SE_t^2) / k, treating the k tasks as
    independent samples. This is a simple average, not an item-response model: tasks of
    different difficulty count the same. ``n`` is the total number of samples in the area.
    """
    by_area: dict[str, list[TaskResult]] = {}
    for result in results:
        by_area.setdefault(result.risk_area, []).append(result)
    profile: dict[str, AreaAggregate] = {}
    for area, area_results in sorted(by_area.items()):
        k = len(area_results)
        mean = fmean(r.mean for r in area_results)
        stderr = math.sqrt(sum(r.stderr**2 for r in area_results)) / k
        n = sum(r.n for r in area_results)
        unit = all(0.0 <= r.mean <= 1.0 for r in area_results)
        estimate = _interval(mean, stderr, n, level, None, unit)
        profile[area] = AreaAggregate(area, estimate, tuple(r.task for r in area_results))
    return profile
