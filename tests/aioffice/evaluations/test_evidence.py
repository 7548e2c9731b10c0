"""Evaluation results as Annex XIII(e) evidence on a model version (evaluations.evidence, the
source the app registers with the registry core): per task, the latest result of a succeeded
run of that version, with its interval, its report and the SHA-256 of its kept log."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from aioffice.evaluations.choices import RunStatus
from aioffice.evaluations.evidence import annex_xiii_evidence
from aioffice.evaluations.models import EvaluationRun
from aioffice.registry.evidence import capability_evidence

from .test_api import make_version, mock_target, queued_run, store_result

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _ended(run: EvaluationRun, status: str, days_ago: int) -> EvaluationRun:
    EvaluationRun.objects.filter(pk=run.pk).update(
        status=status, finished_at=timezone.now() - timedelta(days=days_ago)
    )
    run.refresh_from_db()
    return run


def test_the_latest_succeeded_result_per_task_is_the_evidence(
    django_assert_num_queries: Any,
) -> None:
    version = make_version()
    target = mock_target(version)
    older = _ended(queued_run(target), RunStatus.SUCCEEDED, days_ago=10)
    newer = _ended(queued_run(target), RunStatus.SUCCEEDED, days_ago=2)
    failed = _ended(queued_run(target), RunStatus.FAILED, days_ago=1)
    store_result(older, "refusal_probe", value=0.5)
    store_result(older, "over_refusal_probe", value=0.9)
    latest = store_result(newer, "refusal_probe", value=0.75)
    store_result(failed, "refusal_probe", value=0.1)  # a failed run's result is not cited
    other = make_version("Lumen 4")
    store_result(_ended(queued_run(mock_target(other)), RunStatus.SUCCEEDED, 0), value=0.2)

    with django_assert_num_queries(1):
        items = annex_xiii_evidence(version)
    by_key = {item.key: item for item in items}
    assert [item.key.split(":")[0] for item in items] == ["evaluations.result"] * 2
    cited = by_key[f"evaluations.result:{latest.pk}"]
    assert cited.label == "refusal_probe (safeguards): 0.750, 95% CI 0.652 to 0.848, 40 items"
    assert cited.url == reverse("evaluations:run_report", args=[newer.pk])
    assert cited.sha256 == latest.log_sha256
    assert f"run #{newer.pk} through mock, finished " in cited.detail
    assert {item.label.split(" ")[0] for item in items} == {"refusal_probe", "over_refusal_probe"}
    # the registry core sees the same through the source the app registered
    assert [item.key for item in capability_evidence(version)] == [item.key for item in items]
    assert capability_evidence(make_version("Nothing 1")) == []


def test_a_result_without_a_score_or_interval_says_so() -> None:
    version = make_version()
    run = _ended(queued_run(mock_target(version)), RunStatus.SUCCEEDED, days_ago=0)
    result = store_result(run)
    type(result).objects.filter(pk=result.pk).update(value=None, ci_low=None, ci_high=None)
    (item,) = annex_xiii_evidence(version)
    assert item.label == "refusal_probe (safeguards): no score"
