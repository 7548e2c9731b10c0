"""The statistics layer: hand-computed cases first, then properties that hold for any input."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpai_evals import stats
from gpai_evals.stats import StatisticsError, TaskResult

Z95 = 1.959963984540054

binary = st.lists(st.sampled_from([0.0, 1.0]), min_size=2, max_size=60)
fractions = st.lists(st.floats(min_value=0, max_value=1), min_size=2, max_size=60)


def test_mean_of_three_right_one_wrong_has_stderr_one_quarter() -> None:
    # mean 0.75; s^2 = (3 * 0.25^2 + 0.75^2) / 3 = 0.25; SE = sqrt(0.25 / 4) = 0.25
    estimate = stats.mean_estimate([1, 0, 1, 1])
    assert estimate.mean == 0.75
    assert estimate.stderr == pytest.approx(0.25)
    assert estimate.ci_low == pytest.approx(0.75 - Z95 * 0.25)
    assert estimate.ci_high == 1.0  # 0.75 + 1.96 * 0.25 clipped: 0/1 scores cannot pass 1
    assert estimate.n == 4


def test_z_value_for_95_and_99_percent() -> None:
    assert stats.z_value() == pytest.approx(1.95996, abs=1e-5)
    assert stats.z_value(0.99) == pytest.approx(2.57583, abs=1e-5)


def test_one_score_has_no_standard_error() -> None:
    with pytest.raises(StatisticsError, match="at least 2"):
        stats.mean_estimate([1.0])


def test_non_finite_scores_are_refused() -> None:
    with pytest.raises(StatisticsError, match="finite"):
        stats.mean_estimate([1.0, math.nan])


def test_clustered_stderr_by_hand() -> None:
    # scores 1,1 in cluster a and 0,0 in cluster b: mean 0.5, deviations +-0.5.
    # plain SE^2 = (4 * 0.25 / 3) / 4 = 1/12; cross terms: a gives 2 * 0.25, b gives 2 * 0.25
    # -> 1.0 / n^2 = 1/16; SE^2 = 1/12 + 1/16 = 7/48
    estimate = stats.clustered_estimate([1, 1, 0, 0], ["a", "a", "b", "b"])
    assert estimate.stderr == pytest.approx(math.sqrt(7 / 48))
    assert estimate.clusters == 2


def test_clusters_must_match_scores() -> None:
    with pytest.raises(StatisticsError, match="differ in length"):
        stats.clustered_estimate([1, 0, 1], ["a", "b"])


def test_wilson_interval_by_hand() -> None:
    # 8 of 10, z = 1.96: centre (0.8 + 0.19208) / 1.38415 = 0.71675, half 0.23995
    estimate = stats.wilson_interval(8, 10)
    assert estimate.ci_low == pytest.approx(0.4902, abs=1e-4)
    assert estimate.ci_high == pytest.approx(0.9433, abs=1e-4)
    assert stats.wilson_interval(0, 5).ci_low == 0.0
    with pytest.raises(StatisticsError):
        stats.wilson_interval(6, 5)


def test_paired_comparison_by_hand() -> None:
    # differences 1, 0, 1, 0: mean 0.5, s^2 = 1/3, SE = sqrt(1/12)
    result = stats.paired_comparison([1, 1, 1, 0], [0, 1, 0, 0])
    assert result.mean_a == 0.75
    assert result.mean_b == 0.25
    assert result.difference.mean == 0.5
    assert result.difference.stderr == pytest.approx(math.sqrt(1 / 12))
    assert 0 < result.p_value < 0.1


def test_paired_comparison_needs_the_same_items() -> None:
    with pytest.raises(StatisticsError, match="3 and 2 items"):
        stats.paired_comparison([1, 0, 1], [1, 0])


def test_mcnemar_exact_by_hand() -> None:
    # one item only A got right, six only B got right: p = 2 * (1 + 7) / 2^7 = 0.125
    a = [1] + [0] * 6 + [1, 1, 0]
    b = [0] + [1] * 6 + [1, 1, 0]
    result = stats.mcnemar_exact(a, b)
    assert (result.both, result.only_a, result.only_b, result.neither) == (2, 1, 6, 1)
    assert result.p_value == pytest.approx(0.125)


def test_mcnemar_without_discordant_items_is_one() -> None:
    assert stats.mcnemar_exact([1, 0, 1], [1, 0, 1]).p_value == 1.0


def test_mcnemar_refuses_partial_credit() -> None:
    with pytest.raises(StatisticsError, match="0 or 1"):
        stats.mcnemar_exact([0.5, 1], [1, 1])


def test_items_needed_by_hand() -> None:
    # p = 0.5 (sd 0.5), difference 0.03, unpaired: (1.95996 + 0.84162)^2 * 0.5 / 0.0009 = 4361
    assert stats.items_needed(0.03, sd=stats.bernoulli_sd(0.5)) == 4361
    # positively correlated paired scores need fewer items
    assert stats.items_needed(0.03, sd=0.5, correlation=0.5) == 2181
    with pytest.raises(StatisticsError, match="difference of 0"):
        stats.items_needed(0, sd=0.5)


def test_rule_of_three() -> None:
    bound = stats.rule_of_three(300)
    assert bound.rule_of_three == 0.01
    assert bound.exact == pytest.approx(1 - 0.05 ** (1 / 300))
    assert bound.exact < bound.rule_of_three
    with pytest.raises(StatisticsError):
        stats.rule_of_three(0)


def test_risk_area_profile_by_hand() -> None:
    profile = stats.risk_area_profile(
        [
            TaskResult("a", "cyber_offence", 0.4, 0.03, 100),
            TaskResult("b", "cyber_offence", 0.6, 0.04, 50),
            TaskResult("c", "cbrn", 0.2, 0.1, 10),
        ]
    )
    cyber = profile["cyber_offence"]
    assert cyber.estimate.mean == pytest.approx(0.5)
    assert cyber.estimate.stderr == pytest.approx(0.025)  # sqrt(0.03^2 + 0.04^2) / 2
    assert cyber.estimate.n == 150
    assert cyber.tasks == ("a", "b")
    assert list(profile) == ["cbrn", "cyber_offence"]


@given(fractions)
def test_interval_contains_the_mean(scores: list[float]) -> None:
    estimate = stats.mean_estimate(scores)
    assert estimate.ci_low <= estimate.mean <= estimate.ci_high
    assert estimate.stderr >= 0


@given(fractions)
def test_singleton_clusters_give_the_plain_stderr(scores: list[float]) -> None:
    clustered = stats.clustered_estimate(scores, list(range(len(scores))))
    assert clustered.stderr == pytest.approx(stats.mean_estimate(scores).stderr, abs=1e-12)


@given(binary)
def test_one_cluster_of_identical_scores_never_narrows(scores: list[float]) -> None:
    # duplicating every item into a cluster of two can only widen the interval
    doubled = [x for x in scores for _ in range(2)]
    clusters = [i for i in range(len(scores)) for _ in range(2)]
    clustered = stats.clustered_estimate(doubled, clusters)
    assert clustered.stderr >= stats.mean_estimate(doubled).stderr - 1e-12


@given(binary, binary)
def test_mcnemar_is_symmetric_and_a_probability(a: list[float], b: list[float]) -> None:
    n = min(len(a), len(b))
    forward = stats.mcnemar_exact(a[:n], b[:n])
    backward = stats.mcnemar_exact(b[:n], a[:n])
    assert forward.p_value == backward.p_value
    assert 0 < forward.p_value <= 1


@given(fractions)
def test_a_model_compared_with_itself_differs_by_nothing(scores: list[float]) -> None:
    result = stats.paired_comparison(scores, scores)
    assert result.difference.mean == 0
    assert result.p_value == 1.0


@given(
    st.floats(min_value=0.01, max_value=0.5),
    st.floats(min_value=0.01, max_value=0.5),
    st.floats(min_value=0.05, max_value=0.5),
)
def test_smaller_differences_need_more_items(d1: float, d2: float, sd: float) -> None:
    small, large = sorted((d1, d2))
    assert stats.items_needed(small, sd=sd) >= stats.items_needed(large, sd=sd)


@given(st.integers(min_value=1, max_value=100_000))
def test_exact_zero_failure_bound_is_below_three_over_n(n: int) -> None:
    bound = stats.rule_of_three(n)
    assert 0 < bound.exact <= bound.rule_of_three


def test_an_interval_of_scores_in_zero_to_one_stays_in_zero_to_one() -> None:
    """A mean of 0/1 scores near the edge: the normal interval would pass 1; it is clipped,
    the standard error is not. Scores on another scale are left alone."""
    high = stats.mean_estimate([1, 1, 1, 0])
    assert high.mean + 1.96 * high.stderr > 1
    assert high.ci_high == 1.0 and high.ci_low == pytest.approx(0.75 - Z95 * high.stderr)
    clustered = stats.clustered_estimate([1, 1, 1, 0], ["a", "a", "b", "b"])
    assert clustered.ci_high == 1.0
    low = stats.mean_estimate([0, 0, 0, 1])
    assert low.ci_low == 0.0
    other = stats.mean_estimate([3, 5, 9, 10])
    assert other.ci_high == pytest.approx(other.mean + Z95 * other.stderr)


def test_a_paired_difference_is_bounded_by_minus_one_and_one_not_zero_and_one() -> None:
    """Every observed difference is 0 or +1: the interval of the mean difference must still
    reach below 0 (B may be better on other items), and stays within [-1, 1]."""
    a = [1, 1, 0, 1, 0, 0, 1, 0]
    b = [0, 1, 0, 0, 0, 0, 1, 0]
    found = stats.paired_comparison(a, b)
    assert found.difference.mean == pytest.approx(0.25)
    assert found.difference.ci_low < 0
    assert found.difference.ci_low == pytest.approx(0.25 - Z95 * found.difference.stderr)
    all_better = stats.paired_comparison([1, 1, 1, 0], [0, 0, 0, 0])
    assert all_better.difference.ci_high == 1.0
