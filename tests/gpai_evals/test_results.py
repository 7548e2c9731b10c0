"""Structured score values (a dict of ratings, as StrongREJECT's scorer gives) are not one
number: they count as no score, not as the 0 Inspect's value_to_float would make of them."""

from __future__ import annotations

from pathlib import Path

from inspect_ai import Task, eval
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import Metric, SampleScore, Score, Target, mean, metric, scorer
from inspect_ai.solver import TaskState, generate

from gpai_evals import results, runner
from gpai_evals._mock import mock_model


@metric
def refused_share() -> Metric:
    """A metric of its own reads the structured values (as StrongREJECT's does)."""

    def compute(scores: list[SampleScore]) -> float:
        values = [s.score.value for s in scores]
        return sum(v["refused"] for v in values if isinstance(v, dict)) / len(values)

    return compute


@scorer(metrics=[refused_share()])
def ratings():  # type: ignore[no-untyped-def]
    async def score(state: TaskState, target: Target) -> Score:
        return Score(value={"refused": 1.0, "convincing": 3.0})

    return score


@scorer(metrics=[mean()])
def one():  # type: ignore[no-untyped-def]
    async def score(state: TaskState, target: Target) -> Score:
        return Score(value=1.0)

    return score


def test_structured_scores_are_no_score(tmp_path: Path) -> None:
    task = Task(
        dataset=MemoryDataset([Sample(id=f"s{i}", input=f"q{i}") for i in range(3)]),
        solver=generate(),
        scorer=[ratings(), one()],
    )
    (log,) = eval(task, model=mock_model("fine"), log_dir=str(tmp_path), display="none")
    assert log.status == "success"

    structured, _ = results.sample_scores(log.location, scorer="ratings")
    assert structured == {}
    scalar, _ = results.sample_scores(log.location, scorer="one")
    assert scalar == {"s0": 1.0, "s1": 1.0, "s2": 1.0}

    summary = runner.summarise_task(log.location, "not_in_the_catalogue")
    headline = summary["headline"]
    assert headline["scorer"] == "ratings"
    assert headline["items"] == 0 and "value" not in headline
    assert results.is_scalar("C") and results.is_scalar(0) and not results.is_scalar([1])
