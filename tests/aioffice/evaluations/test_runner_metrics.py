"""The runner's summary of a task's metrics: a scorer's standard error is the error of the
mean of its scores, so it belongs to the metrics that are that mean (accuracy, mean) and to
no other metric of the scorer (a standard deviation, a rate on a subset, ...); their
intervals are clipped to [0, 1] as the headline's are when the scores lie in [0, 1]."""

from __future__ import annotations

from pathlib import Path

import pytest
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.scorer import accuracy, match, std, stderr
from inspect_ai.solver import generate

from gpai_evals import runner, stats
from gpai_evals._mock import mock_model


def test_a_scorers_standard_error_is_given_only_to_its_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # the mock answers 7 to everything: 3 of 5 items right
    targets = ["7", "7", "7", "8", "9"]
    task = Task(
        name="metrics_probe",
        dataset=[Sample(id=i, input=f"q{i}", target=t) for i, t in enumerate(targets)],
        solver=generate(),
        scorer=match(),
        metrics=[accuracy(), stderr(), std()],
    )
    (log,) = eval(task, model=mock_model("7"), log_dir=str(tmp_path / "logs"), display="none")
    assert log.status == "success"
    summary = runner.summarise_task(log, "metrics_probe")
    metrics = {item["name"]: item for item in summary["metrics"]}
    assert set(metrics) == {"accuracy", "stderr", "std"}
    plain = stats.mean_estimate([1, 1, 1, 0, 0])
    assert metrics["accuracy"]["value"] == pytest.approx(0.6)
    assert metrics["accuracy"]["stderr"] == pytest.approx(plain.stderr)
    assert metrics["accuracy"]["ci_low"] == pytest.approx(plain.ci_low)
    assert metrics["accuracy"]["ci_high"] == pytest.approx(plain.ci_high)
    # 0.6 + 1.96 x 0.245 = 1.08: clipped to 1 as the headline's interval is (stats)
    assert metrics["accuracy"]["ci_high"] == 1.0 == summary["headline"]["ci_high"]
    # the spread of the scores has no interval from the error of their mean
    assert metrics["std"]["value"] == pytest.approx(0.5477, abs=1e-3)
    assert metrics["std"]["stderr"] is None
    assert metrics["std"]["ci_low"] is None and metrics["std"]["ci_high"] is None
    assert metrics["stderr"]["stderr"] is None
    headline = summary["headline"]
    assert headline["value"] == pytest.approx(0.6) and headline["items"] == 5
    assert headline["stderr"] == pytest.approx(plain.stderr)
