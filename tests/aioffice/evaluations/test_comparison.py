"""Two runs compared task by task on the items both scored, from the kept Inspect logs:
paired difference with its interval, McNemar, items needed, the rule-of-three bound; and
the comparison page."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, principal
from aioffice.evaluations.comparison import compare_runs, comparison_as_dict
from aioffice.evaluations.models import EvaluationRun
from aioffice.registry.models import ModelVersion
from gpai_evals import results, stats


def _load_factories() -> ModuleType:
    name = "aioffice_evaluations_test_factories"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("_factories.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


F = _load_factories()
TASKS = ["arithmetic_probe", "refusal_probe", "self_knowledge_probe"]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def versions(db: None) -> tuple[ModelVersion, ModelVersion]:
    return F.make_version("Alpha", "1.0"), F.make_version("Beta", "2.0")


@pytest.fixture
def runs(versions: tuple[ModelVersion, ModelVersion]) -> tuple[EvaluationRun, EvaluationRun]:
    alpha, beta = versions
    run_a = F.make_run(alpha, TASKS)
    run_b = F.make_run(beta, ["refusal_probe", "arithmetic_probe", "gsm8k"])
    F.store_result(run_a, "arith_a")  # right on the first 9 of 12 items
    F.store_result(run_a, "refusal_all")  # refuses every harmful request
    F.store_result(run_a, "self_knowledge")
    F.store_result(run_b, "arith_b")  # right on the last 5 of 12
    F.store_result(run_b, "refusal_none")  # refuses none
    return run_a, run_b


def test_paired_comparison_from_the_logs(runs: tuple[EvaluationRun, EvaluationRun]) -> None:
    run_a, run_b = runs
    result = compare_runs(run_a, run_b)
    assert [row.task for row in result.tasks] == ["arithmetic_probe", "refusal_probe"]
    assert result.only_a == ("self_knowledge_probe",)
    assert result.only_b == ()  # gsm8k has no result in B: it is not listed as compared
    arithmetic, refusal = result.tasks

    # arithmetic: A right on items 1-9, B on 8-12: both 8, 9; only A 1-7; only B 10-12
    assert arithmetic.items == 12 and arithmetic.items_only_a == arithmetic.items_only_b == 0
    assert arithmetic.paired is not None
    assert arithmetic.paired.mean_a == pytest.approx(9 / 12)
    assert arithmetic.paired.mean_b == pytest.approx(5 / 12)
    assert arithmetic.paired.difference.mean == pytest.approx(4 / 12)
    a = [1.0] * 9 + [0.0] * 3
    b = [0.0] * 7 + [1.0] * 5
    assert arithmetic.paired == stats.paired_comparison(a, b)
    assert arithmetic.mcnemar == stats.mcnemar_exact(a, b)
    assert (arithmetic.mcnemar.both, arithmetic.mcnemar.only_a, arithmetic.mcnemar.only_b) == (
        2,
        7,
        3,
    )
    # the same numbers as gpai_evals.results.compare_logs on the two log files
    logs = F.logs()
    direct = results.compare_logs(logs["arith_a"], logs["arith_b"])
    assert direct.paired == arithmetic.paired and direct.mcnemar == arithmetic.mcnemar
    assert arithmetic.correlation is not None and arithmetic.correlation < 0
    sd = (
        (stats.mean_estimate(a).stderr ** 2 * 12 + stats.mean_estimate(b).stderr ** 2 * 12) / 2
    ) ** 0.5
    assert arithmetic.items_needed == stats.items_needed(
        4 / 12, sd=sd, correlation=arithmetic.correlation
    )
    assert arithmetic.zero_failure_a is None and arithmetic.zero_failure_b is None
    assert arithmetic.significant is False  # 7 against 3 on 12 items: not at 5%

    # refusal: A refused all 12 (no failure: the rule of three bounds its failure rate)
    assert refusal.paired is not None and refusal.paired.difference.mean == 1.0
    assert refusal.mcnemar is not None and refusal.mcnemar.only_a == 12
    assert refusal.significant is True
    assert refusal.zero_failure_a == stats.rule_of_three(12)
    assert refusal.zero_failure_a.rule_of_three == pytest.approx(0.25)
    assert refusal.zero_failure_b is None
    # every item scored the same within each run: no spread to size a sample from
    assert refusal.items_needed is None and "spread" in refusal.note


def test_the_interval_of_a_difference_may_go_below_zero(
    versions: tuple[ModelVersion, ModelVersion],
) -> None:
    """A is right wherever B is (items 1-4 against 1-3): no observed difference is negative,
    yet the true one may be; the interval says so, as its p-value does (stats alone clipped
    the interval to [0, 1], as for scores: 0.00 to 0.74 beside p = 0.32)."""
    alpha, beta = versions
    run_a, run_b = F.make_run(alpha, ["arithmetic_probe"]), F.make_run(beta, ["arithmetic_probe"])
    F.store_result(run_a, "arith_a")  # right on the first 9 of 12
    F.store_result(run_b, "arith_limited")  # 4 items, right on the first 3
    (row,) = compare_runs(run_a, run_b).tasks
    assert row.items == 4 and row.paired is not None
    difference = row.paired.difference
    assert difference.mean == pytest.approx(0.25) and difference.stderr == pytest.approx(0.25)
    half = stats.z_value() * 0.25
    assert difference.ci_low == pytest.approx(0.25 - half) and difference.ci_low < 0
    assert difference.ci_high == pytest.approx(0.25 + half)
    assert row.paired.p_value > 0.05 and row.significant is False
    assert row.mcnemar is not None and (row.mcnemar.only_a, row.mcnemar.only_b) == (1, 0)


def test_comparison_as_json(runs: tuple[EvaluationRun, EvaluationRun]) -> None:
    run_a, run_b = runs
    data = json.loads(json.dumps(comparison_as_dict(compare_runs(run_a, run_b))))
    assert data["run_a"]["id"] == run_a.pk and data["run_b"]["target"] == "mock"
    arithmetic, refusal = data["tasks"]
    assert arithmetic["paired"]["difference"]["mean"] == pytest.approx(4 / 12)
    assert arithmetic["mcnemar"]["only_a"] == 7 and arithmetic["significant"] is False
    assert refusal["zero_failure_a"]["n"] == 12 and refusal["zero_failure_b"] is None
    assert data["only_a"] == ["self_knowledge_probe"]


def test_comparison_is_directional(runs: tuple[EvaluationRun, EvaluationRun]) -> None:
    run_a, run_b = runs
    forward, backward = compare_runs(run_a, run_b), compare_runs(run_b, run_a)
    assert [r.task for r in backward.tasks] == ["refusal_probe", "arithmetic_probe"]
    assert backward.tasks[1].paired.difference.mean == pytest.approx(  # type: ignore[union-attr]
        -forward.tasks[0].paired.difference.mean  # type: ignore[union-attr]
    )
    assert backward.tasks[0].zero_failure_b == forward.tasks[1].zero_failure_a


def test_no_difference_and_items_only_in_one_run(
    versions: tuple[ModelVersion, ModelVersion],
) -> None:
    alpha, beta = versions
    run_a, run_b = F.make_run(alpha, ["arithmetic_probe"]), F.make_run(beta, ["arithmetic_probe"])
    F.store_result(run_a, "arith_a")
    F.store_result(run_b, "arith_limited")  # the first 4 items only, right on the first 3
    (row,) = compare_runs(run_a, run_b).tasks
    assert (row.items, row.items_only_a, row.items_only_b) == (4, 8, 0)
    assert row.paired is not None
    assert row.paired.difference.mean == pytest.approx(0.25)  # item 4: A right, B wrong
    same_a, same_b = F.make_run(alpha, ["arithmetic_probe"]), F.make_run(beta, ["arithmetic_probe"])
    F.store_result(same_a, "arith_a")
    F.store_result(same_b, "arith_a")
    (same,) = compare_runs(same_a, same_b).tasks
    assert same.paired is not None and same.paired.difference.mean == 0
    assert same.items_needed is None and "zero" in same.note
    assert same.mcnemar is not None and same.mcnemar.p_value == 1.0


def test_errors_name_the_field(
    runs: tuple[EvaluationRun, EvaluationRun], versions: tuple[ModelVersion, ModelVersion]
) -> None:
    run_a, run_b = runs
    with pytest.raises(ValidationError) as same:
        compare_runs(run_a, run_a)
    assert "run_b" in same.value.message_dict
    nothing = F.make_run(versions[1], ["gsm8k"])
    with pytest.raises(ValidationError) as disjoint:
        compare_runs(run_a, nothing)
    assert "no task result in common" in disjoint.value.message_dict["run_b"][0]
    # a kept log that is gone
    result = run_b.results.get(task="arithmetic_probe")
    Path(result.log_file.path).unlink()
    with pytest.raises(ValidationError) as missing:
        compare_runs(run_a, run_b)
    assert "arithmetic_probe" in missing.value.message_dict["run_b"][0]
    assert "missing" in missing.value.message_dict["run_b"][0]
    # a kept log that is not an Inspect log
    result_a = run_a.results.get(task="arithmetic_probe")
    Path(result_a.log_file.path).write_bytes(b"not a zip file")
    with pytest.raises(ValidationError) as broken:
        compare_runs(run_a, run_b)
    assert "cannot be read" in broken.value.message_dict["run_a"][0]


# --- the page ----------------------------------------------------------------------------

STAFF = {str(role) for role in OFFICE_ROLES}


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_compare_page_is_for_office_staff_only(
    name: str, runs: tuple[EvaluationRun, EvaluationRun]
) -> None:
    run_a, run_b = runs
    response = principal(name).client.get(
        reverse("evaluations:compare"), {"a": run_a.pk, "b": run_b.pk}
    )
    if name == ANONYMOUS:
        assert response.status_code == 302
    elif name in STAFF:
        assert response.status_code == 200
        assert b'data-testid="comparison"' in response.content
    else:
        assert response.status_code == 403
        assert b"arithmetic_probe" not in response.content


@pytest.fixture
def staff(db: None) -> Any:
    return principal(Role.TECHNICAL_OFFICER).client


def test_compare_page(
    staff: Any, runs: tuple[EvaluationRun, EvaluationRun], django_assert_num_queries: Any
) -> None:
    run_a, run_b = runs
    url = reverse("evaluations:compare")
    empty = staff.get(url)
    assert empty.status_code == 200
    assert b'data-testid="comparison"' not in empty.content
    assert f'<option value="{run_a.pk}"'.encode() in empty.content  # runs with results offered
    # session, user, memberships, device; the offered runs; the two runs; their results
    with django_assert_num_queries(8):
        response = staff.get(url, {"a": run_a.pk, "b": run_b.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-task="arithmetic_probe"' in html and 'data-task="refusal_probe"' in html
    assert "0.333 (" in html  # the difference on arithmetic
    assert "7 / 3" in html  # McNemar's discordant pairs
    assert "rule of three" in html
    assert 'data-testid="not-compared"' in html and "self_knowledge_probe" in html
    assert reverse("evaluations:run_report", args=[run_a.pk]) in html


@pytest.mark.parametrize(
    ("query", "field_error"),
    [
        ({"a": "x", "b": "1"}, "a"),
        ({"a": "1"}, "b"),
        ({"a": "1", "b": "999999"}, "b"),
        ({"a": str(10**30), "b": "1"}, "a"),
        ({"a": "-1", "b": "1"}, "a"),
        ({"a": "same", "b": "same"}, "b"),
        ({"a": "nothing", "b": "a"}, "b"),
    ],
)
def test_bad_input_is_a_form_error(
    staff: Any,
    runs: tuple[EvaluationRun, EvaluationRun],
    versions: tuple[ModelVersion, ModelVersion],
    query: dict[str, str],
    field_error: str,
) -> None:
    run_a, _ = runs
    nothing = F.make_run(versions[1], ["gsm8k"])
    values = {"same": str(run_a.pk), "nothing": str(nothing.pk)}
    query = {
        key: values.get(value, str(run_a.pk) if value == "a" else value)
        for key, value in query.items()
    }
    response = staff.get(reverse("evaluations:compare"), query)
    assert response.status_code == 400
    assert f'id="id_{field_error}-error"'.encode() in response.content
    assert b'data-testid="comparison"' not in response.content


def test_missing_log_is_a_form_error_not_a_500(
    staff: Any, runs: tuple[EvaluationRun, EvaluationRun]
) -> None:
    run_a, run_b = runs
    Path(run_b.results.get(task="refusal_probe").log_file.path).unlink()
    response = staff.get(reverse("evaluations:compare"), {"a": run_a.pk, "b": run_b.pk})
    assert response.status_code == 400
    assert b'id="id_b-error"' in response.content
    assert b"is missing" in response.content
