"""The Python API: doctests of every public module, properties, and the answer types."""

from __future__ import annotations

import doctest
import importlib
import inspect
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aiact
from aiact import (
    NOT_IN_FORCE,
    RULES,
    ModelFacts,
    ParameterError,
    Trace,
    assess_model,
    cite,
    load_law,
)
from aiact._answer import json_value

MODULES = [
    "aiact",
    "aiact._answer",
    "aiact._params",
    "aiact._dates",
    "aiact._compute",
    "aiact._facts",
    "aiact._gpai",
    "aiact._obligations",
    "aiact._fines_gpai",
    "aiact._code",
    "aiact._enforcement",
    "aiact._timeline",
    "aiact._dispatch",
    "aiact._schema",
    "aiact._systems",
    "aiact._systems_penalties",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_public_name_is_documented() -> None:
    for name in aiact.__all__:
        obj = getattr(aiact, name)
        if callable(obj):
            assert obj.__doc__, name


def test_every_public_function_has_a_runnable_example() -> None:
    functions = [getattr(aiact, n) for n in aiact.__all__ if inspect.isfunction(getattr(aiact, n))]
    assert {f.__name__ for f in functions} >= {"assess_model", "assess_system", "load_law"}
    for function in functions:
        assert ">>>" in (function.__doc__ or ""), function.__name__


def test_every_rule_has_a_plain_words_statement_and_a_citation() -> None:
    assert len(RULES) >= 40
    for info in RULES.values():
        assert info.doc and info.citations


def test_not_in_force_is_neither_true_nor_false() -> None:
    with pytest.raises(TypeError):
        bool(NOT_IN_FORCE)
    assert json_value(NOT_IN_FORCE) == "not_in_force"
    assert json_value([date(2026, 1, 1)]) == ["2026-01-01"]


def test_cite_refuses_an_unknown_instrument_and_rules_refuse_duplicates() -> None:
    with pytest.raises(ParameterError):
        cite("XYZ", "1")
    with pytest.raises(ParameterError, match="registered twice"):
        aiact.rule("GL-01")(lambda: None)


def test_citation_labels_and_trace_merge() -> None:
    assert cite("AIA", "5", "1", "h").label == "AI Act, Art. 5(1)(h)"
    assert (
        cite("COP", "S&S Measure 9.3", None, "(1)").label
        == "GPAI Code of Practice, S&S Measure 9.3 (1)"
    )
    a, b = Trace(), Trace()
    b.fire("GL-01", "x")
    a.merge(b)
    a.merge(b)
    assert a.rules == ["GL-01"] and len(a.reasons) == 2


def _assess(flop: float, decisions: list[dict[str, str]] | None = None) -> str:
    facts = ModelFacts.from_json(
        {
            "as_of": "2026-11-25",
            "training_compute_flop": flop,
            "generates": ["text"],
            "decisions": decisions,
        }
    )
    return assess_model(facts, law=load_law()).classification.sr_status


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=1e20, max_value=1e28), st.floats(min_value=1.0, max_value=1e3))
def test_more_compute_never_removes_the_presumption(flop: float, factor: float) -> None:
    if _assess(flop) == "presumed":
        assert _assess(flop * factor) == "presumed"


_DECISIONS = st.sampled_from(
    [
        "arguments_accepted",
        "arguments_rejected",
        "designated_annex_xiii",
        "designated_failure_to_notify",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.floats(min_value=1e22, max_value=1e27),
    st.lists(
        st.tuples(_DECISIONS, st.integers(min_value=0, max_value=400)),
        min_size=1,
        max_size=4,
        unique_by=lambda d: d[1],
    ),
)
def test_the_latest_commission_decision_always_wins_over_the_presumption(
    flop: float, decisions: list[tuple[str, int]]
) -> None:
    start = date(2025, 8, 2).toordinal()
    given_ = [{"type": t, "date": date.fromordinal(start + d).isoformat()} for t, d in decisions]
    latest = max(decisions, key=lambda d: d[1])[0]
    expected = {
        "arguments_accepted": "not_sr_by_acceptance",
        "arguments_rejected": "confirmed",
        "designated_annex_xiii": "designated",
        "designated_failure_to_notify": "designated",
    }[latest]
    assert _assess(flop, given_) == expected


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_the_gpai_fine_ceiling_is_never_below_the_fixed_amount_and_grows_with_turnover(
    euros: int,
) -> None:
    from aiact._fines_gpai import gpai_fine_ceiling

    low = gpai_fine_ceiling(turnover_eur=Decimal(euros), on=date(2026, 9, 1), law=load_law())
    high = gpai_fine_ceiling(turnover_eur=Decimal(euros) * 2, on=date(2026, 9, 1), law=load_law())
    assert 1_500_000_000 <= low.maximum_cents <= high.maximum_cents


def test_a_notification_check_refuses_anything_but_an_object() -> None:
    from aiact import InputError, check_notification

    with pytest.raises(InputError) as info:
        check_notification(["trigger"], law=load_law())  # type: ignore[arg-type]
    assert info.value.field == "input"
