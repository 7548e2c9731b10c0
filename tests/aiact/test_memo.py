"""The memos of the model assessment: a finding reused from a memo is the finding the rules
give, the memos stay bounded, and every answer's JSON is fresh (changing one answer never
changes another)."""

from __future__ import annotations

import copy
import importlib.util
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

import aiact._gpai as gpai_module
import aiact._obligations as obligations_module
from aiact import ModelFacts, assess_model, load_law
from aiact._gpai import remember

_SPEC = importlib.util.spec_from_file_location(
    "bench_rules", Path(__file__).resolve().parents[2] / "bench" / "rules.py"
)
assert _SPEC is not None and _SPEC.loader is not None
_BENCH = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_BENCH)
model_fact_sets: Callable[[int, random.Random], list[ModelFacts]] = _BENCH.model_fact_sets
"""The benchmark's varied fact sets (every path of the model rules the benchmark times)."""

_MEMOS = (
    gpai_module._COMPUTE,
    gpai_module._GPAI,
    gpai_module._SR,
    gpai_module._NOTIFICATION,
    gpai_module._REASSESSMENT,
    gpai_module._LIMITS,
    obligations_module._OPEN_SOURCE,
    obligations_module._OBLIGATIONS,
)


def _clear() -> None:
    for memo in _MEMOS:
        memo.clear()


@pytest.mark.parametrize("selection", ["as-amended", "as-published"])
def test_an_answer_from_the_memos_is_the_answer_of_the_rules(selection: str) -> None:
    law = load_law(selection)
    facts = model_fact_sets(400, random.Random(3))
    _clear()
    fresh = [json.dumps(assess_model(f, law=law).to_json(), sort_keys=True) for f in facts]
    again = [json.dumps(assess_model(f, law=law).to_json(), sort_keys=True) for f in facts]
    _clear()
    reverse = [
        json.dumps(assess_model(f, law=law).to_json(), sort_keys=True) for f in reversed(facts)
    ]
    assert fresh == again == reverse[::-1]


def test_a_full_memo_starts_again_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gpai_module, "MEMO_LIMIT", 2)
    memo: dict[int, str] = {}
    for n in range(5):
        assert remember(memo, n, str(n)) == str(n)
    assert memo == {4: "4"}


def test_a_deep_copy_of_an_answer_can_be_changed_without_changing_the_next() -> None:
    """The model JSON shares its rendered parts between answers (it is read-only); a deep
    copy is the caller's to change, and a finding's own ``to_json`` is always a copy."""
    law = load_law()
    facts = ModelFacts.from_json(
        {
            "as_of": "2026-11-25",
            "training_compute_flop": 3.8e25,
            "generates": ["text"],
            "placed_on_market": "2025-09-01",
            "threshold_known_on": "2025-06-01",
        }
    )
    answer = assess_model(facts, law=law)
    expected = json.dumps(answer.to_json(), sort_keys=True)
    first = copy.deepcopy(answer.to_json())
    for key in ("gpai", "systemic_risk", "act_version", "training_compute", "compliance_routes"):
        part = first[key]
        assert isinstance(part, dict)
        part["citations"][0]["label"] = "changed"
        part["reasons"].append("changed")
    obligations = first["obligations"]
    assert isinstance(obligations, list)
    obligations[0]["citations"][0]["label"] = "changed"
    obligations[0]["reasons"].append("changed")
    own = answer.classification.act_version.to_json()
    own["citations"][0]["label"] = "changed"  # type: ignore[index]
    own["reasons"].append("changed")  # type: ignore[attr-defined]
    assert answer.to_json() is not answer.to_json()
    assert json.dumps(assess_model(facts, law=law).to_json(), sort_keys=True) == expected


def test_each_obligation_renders_as_in_the_answer() -> None:
    facts = model_fact_sets(50, random.Random(5))
    for f in facts:
        answer = assess_model(f, law=load_law())
        assert [o.to_json() for o in answer.obligations] == answer.to_json()["obligations"]
