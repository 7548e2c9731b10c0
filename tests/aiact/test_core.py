"""The core answer types and parameter readers: lazy traces, findings, typed readers, and
the Python entry points that the scenario files do not reach."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aiact._params as params_module
from aiact import (
    RULES,
    Finding,
    InputError,
    LawSelection,
    ModelFacts,
    ParameterError,
    Trace,
    assess_model,
    cite,
    evaluate,
    load_law,
)
from aiact._answer import LazyTrace, json_value
from aiact._gpai import act_version
from aiact._obligations import compliance_routes

ON = date(2026, 11, 25)


def _both(build: Callable[[Trace | LazyTrace], None]) -> tuple[Trace, LazyTrace]:
    plain, lazy = Trace(), LazyTrace()
    build(plain)
    build(lazy)
    return plain, lazy


def _record(t: Trace | LazyTrace) -> None:
    t.fire("GL-01", "first", cite("AIA", "3", "63"))
    t.fire_lazy("GL-01", lambda: "second")
    t.note("a note", cite("AIA", "51", "2"))
    t.note_lazy(lambda: "a lazy note", cite("AIA", "51", "2"))
    t.add_citations([cite("GL", "§2.1", "17"), cite("AIA", "52", "1")])


def test_a_lazy_trace_reads_exactly_like_a_trace() -> None:
    plain, lazy = _both(_record)
    assert lazy.rules == plain.rules == ["GL-01"]
    assert lazy.reasons == plain.reasons
    assert lazy.reasons == ["GL-01: first", "GL-01: second", "a note", "a lazy note"]
    assert lazy.citations == plain.citations
    assert lazy.finding(True, "x") == plain.finding(True, "x")


def test_merging_traces_of_either_kind() -> None:
    plain, lazy = _both(_record)
    for target in (Trace(), LazyTrace()):
        target.fire("GPAI-CLS-01", "own")
        target.merge(plain)
        target.merge(lazy)
        assert target.rules == ["GPAI-CLS-01", "GL-01"]
        assert len(target.reasons) == 1 + 2 * 4
        assert target.citations[-1] == cite("AIA", "52", "1")
        assert len(target.citations) == len({id(c) for c in target.citations})


def test_findings_from_a_lazy_trace_settle_once_and_compare_by_content() -> None:
    lazy = LazyTrace()
    lazy.fire_lazy("GL-01", lambda: "why")
    f = lazy.finding([1, 2], "basis")
    assert f.rules == ("GL-01",)  # read first: settles rules, reasons and citations
    assert f.reasons == ("GL-01: why",) and f.citations == RULES["GL-01"].citations
    g = Finding([1, 2], "basis", ("GL-01: why",), f.citations, ("GL-01",))
    assert f == g and hash(f) == hash(g) and f != "basis"
    assert "GL-01: why" in repr(f)
    for read in ("reasons", "citations"):
        fresh = lazy.finding(None)
        assert getattr(fresh, read) == getattr(f, read)


def test_json_value_of_every_kind() -> None:
    assert json_value(None) is None and json_value(True) is True and json_value("x") == "x"
    assert json_value(Decimal("0.07")) == "0.07"
    assert json_value(LawSelection.AS_PUBLISHED) == "as-published"
    assert json_value((ON, [1.5])) == ["2026-11-25", [1.5]]


def test_typed_readers_refuse_another_kind() -> None:
    law = load_law()
    readers = [law.date, law.decimal, law.cents, law.integer, law.text, law.dates]
    for reader in readers:
        wrong = "sr_presumption_flop" if reader != law.decimal else "chapter_v_from"
        with pytest.raises(ParameterError, match=r"is (decimal|date), not"):
            reader(wrong, ON)  # type: ignore[operator]
    trace = Trace()
    assert law.param("chapter_v_from", ON, trace).value == date(2025, 8, 2)
    assert trace.reasons == [law.param("chapter_v_from", ON).reason]
    with pytest.raises(ParameterError, match="no value"):
        load_law("as-published").param("omnibus_in_force", ON)


def test_the_lookup_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    law = load_law()
    monkeypatch.setattr(params_module, "_CACHE_SIZE", 2)
    for day in range(1, 6):
        law.date("chapter_v_from", date(2030, 1, day))
    assert len(law._cache) <= 2


def test_a_citation_with_its_own_eli_link(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "k:\n  title: A value\n  type: int\n  values:\n"
        "    - value: 1\n      status: GUIDELINES\n"
        "      citation: {instrument: GL, article: '§1', eli: 'https://example.eu/gl'}\n"
        "holidays:\n  title: Holidays\n  type: dates\n  values:\n"
        "    - value: [2026-12-25, 2026-01-01]\n      status: GUIDELINES\n"
        "      citation: {instrument: GL, article: '§2'}\n"
    )
    law = load_law(params_dir=tmp_path)
    trace = Trace()
    assert law.dates("holidays", ON, trace) == (date(2026, 1, 1), date(2026, 12, 25))
    assert trace.reasons == ["Holidays: 2026-01-01, 2026-12-25 (GUIDELINES; GPAI Guidelines, §2)"]
    p = law.param("k", ON)
    assert p.citation.eli == "https://example.eu/gl" and p.citation is not cite("GL", "§1")
    assert p.reason == "A value: 1 (GUIDELINES; GPAI Guidelines, §1)"


def test_entry_points_that_scenarios_do_not_reach() -> None:
    law = load_law()
    assert act_version(ON, law).value == "2024/1689 as amended by 2026/1744"
    assert compliance_routes(ON, law).value[0]["route"] == "harmonised_standard"
    a = assess_model(
        ModelFacts.from_json(
            {"as_of": "2026-11-25", "training_compute_flop": 3.8e25, "generates": ["text"]}
        ),
        law=law,
    )
    assert a.classification.is_gpai is True
    with pytest.raises(InputError, match="input: must be a JSON object"):
        ModelFacts.from_json([])  # type: ignore[arg-type]


def test_evaluate_refuses_unknown_kinds_and_non_objects() -> None:
    law = load_law()
    with pytest.raises(InputError, match="kind"):
        evaluate("poem", {}, law=law)
    with pytest.raises(InputError, match="input"):
        evaluate("model", [], law=law)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="type"):
        evaluate(
            "incident", {"regime": "art73", "types": "death", "aware_on": "2026-11-02"}, law=law
        )
    out = evaluate("system", {"as_of": "2026-01-01", "role": "deployer"}, law=law, as_of=ON)
    assert out["as_of"] == "2026-11-25"
    assert evaluate("timeline", {}, law=law)["as_of"] == "2026-11-25"  # the reference date
    assert evaluate("timeline", {}, law=law, default_date=date(2030, 1, 1))["as_of"] == "2030-01-01"


TURNOVER = st.decimals(min_value=0, max_value=Decimal("1e12"), places=2)


@settings(max_examples=150, deadline=None)
@given(
    turnover=TURNOVER,
    tier=st.sampled_from(["art5", "obligations", "information"]),
    on=st.dates(min_value=date(2025, 8, 2), max_value=date(2030, 12, 31)),
    law=st.sampled_from(["as-amended", "as-published"]),
)
def test_an_sme_ceiling_is_never_above_a_large_company_ceiling(
    turnover: Decimal, tier: str, on: date, law: str
) -> None:
    """Art. 99(6): for an SME the lower of the two amounts applies, never the higher."""
    selected = load_law(law)

    def ceiling(size: str) -> Decimal:
        data = {"regime": "operator", "tier": tier, "turnover": str(turnover), "size": size}
        out = evaluate("fine", {**data, "on": on.isoformat()}, law=selected)
        return Decimal(str(out["maximum_eur"]))

    assert ceiling("sme") <= ceiling("large")
