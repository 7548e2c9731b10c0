"""The evaluations demo: a mock target on a version and one smoke run, once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aioffice.evaluations import demo
from aioffice.evaluations.choices import RunStatus
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget
from gpai_evals.catalogue import SUITES

from ._factories import make_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVALUATIONS_DIR = tmp_path / "evaluations"


def test_the_demo_queues_a_smoke_run_through_a_checked_mock_target_once() -> None:
    version = make_version()
    run = demo.load(version=version, officer=None)
    assert run is not None
    target = EvaluationTarget.objects.get(version=version)
    assert (target.name, target.kind, target.check_ok) == (demo.DEMO_TARGET, "mock", True)
    assert run.status == RunStatus.QUEUED and run.suite == "smoke"
    assert run.tasks == list(SUITES["smoke"]) and run.sample_limit == demo.DEMO_SAMPLES
    assert "demo data" in run.notes
    assert demo.load(version=version, officer=None) is None  # once
    assert EvaluationRun.objects.count() == 1


def test_the_demo_run_executed_has_a_result_for_every_smoke_task() -> None:
    run = demo.load(version=make_version(), officer=None, execute=True)
    assert run is not None and run.status == RunStatus.SUCCEEDED, run and run.error
    results = {r.task: r for r in run.results.all()}
    assert set(results) == set(SUITES["smoke"])
    assert results["refusal_probe"].value == 1.0  # the demo model refuses everything
    assert results["over_refusal_probe"].value == 0.0
    assert all(r.items == demo.DEMO_SAMPLES and r.log_sha256 for r in results.values())
