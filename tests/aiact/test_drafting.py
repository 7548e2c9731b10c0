"""Codes-of-practice rules (``aiact._drafting``): doctests, the interface around them and the
paths scenarios do not reach; the legal cases are in ``scenarios/drafting.yaml``."""

from __future__ import annotations

import doctest
import importlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import aiact
from aiact import code_adequacy, code_readiness, code_report_due, evaluate, load_law
from aiact._answer import RULES, InputError, Trace
from aiact._cli import main
from aiact._dispatch import CLOCKS
from aiact._drafting import BASES, OPEN_QUESTION_12

NOV_2026 = date(2026, 11, 25)


def _obj(value: object) -> dict[str, Any]:
    assert isinstance(value, dict)
    return value


def _list(value: object) -> list[Any]:
    assert isinstance(value, list)
    return value


def test_docstring_examples_run() -> None:
    module = importlib.import_module("aiact._drafting")
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted >= 4
    assert failed == 0


def test_the_rules_are_registered_and_exported() -> None:
    assert {"COP-08", "COP-09", "COP-10"} <= set(RULES)
    assert "code-report" in CLOCKS
    assert {"code_adequacy", "code_readiness", "code_report_due", "drafting_check"} <= set(
        aiact.__all__
    )


def test_every_codes_parameter_is_cited_law_and_the_amendment_dates_are_law_amended() -> None:
    law = load_law()
    values = [v for v in law.all_values() if v.source == "codes.yaml"]
    assert {v.key for v in values} >= {
        "cop_ready_by",
        "cop_fallback_from",
        "cop_adequacy_amended_art56",
        "cop_adequacy_amended_art50_7",
    }
    assert {v.status for v in values} <= {"LAW", "LAW-AMENDED"}
    for key in ("cop_adequacy_amended_art56", "cop_adequacy_amended_art50_7"):
        (value,) = law.history(key)
        assert value.status == "LAW-AMENDED"
        assert value.citation.instrument == "OMNIBUS"
    assert law.history("cop_adequacy_amended_art56")[0].value == date(2026, 7, 27)


def test_the_amended_coverage_of_art50_7_starts_on_its_amendment_date() -> None:
    law = load_law()
    amended = [v for v in law.history("cop_covers_art50_7") if v.status == "LAW-AMENDED"]
    assert [v.valid_from for v in amended] == [law.history("cop_adequacy_amended_art50_7")[0].value]


def test_the_amended_dates_are_absent_from_the_2024_text() -> None:
    law = load_law("as-published")
    assert law.history("cop_adequacy_amended_art56") == []
    answer = evaluate(
        "drafting", {"check": "readiness", "on": "2026-11-25", "adequate": False}, law=law
    )
    assert _obj(answer["result"])["fallback_available"] is True
    assert not any("Commission's (amended" in r for r in _list(answer["reasons"]))


def test_every_answer_carries_rules_version_reasons_citations_and_rules() -> None:
    law = load_law()
    answer = evaluate(
        "drafting", {"check": "adequacy", "basis": "art56", "on": "2026-11-25"}, law=law
    )
    assert answer["rules_version"] == law.rules_version
    assert answer["check"] == "adequacy" and answer["as_of"] == "2026-11-25"
    assert answer["rules"] == ["COP-08"]
    labels = [c["label"] for c in _list(answer["citations"])]
    assert "Reg. (EU) 2026/1744, Art. 1(21)" in labels
    assert "Reg. (EU) 2026/1744, Recital 41" in labels
    assert len(labels) == len(set(labels))
    clock = evaluate(
        "clock", {"clock": "code-report", "from": "2027-01-31", "every_months": 6}, law=law
    )
    assert clock["rules_version"] == law.rules_version
    assert _list(clock["citations"])[0]["label"] == "AI Act, Art. 56(5)"
    assert any("not the law's" in r for r in _list(clock["reasons"]))


def test_the_amended_procedure_answers_with_the_board_opinion_problem_named() -> None:
    answer = code_adequacy(
        basis="art56", on=NOV_2026, board_opinion=False, used_on=None, law=load_law(), trace=Trace()
    )
    assert answer["presumption_of_conformity"] is False
    assert answer["problems"] == [
        {
            "field": "board_opinion",
            "message": "the Board's opinion is required before the Commission assesses the "
            "code's adequacy, and it is not on record",
        }
    ]


@pytest.mark.parametrize("basis", BASES)
@pytest.mark.parametrize("law_name", ["as-amended", "as-published"])
def test_a_code_never_gives_a_presumption_of_conformity(basis: str, law_name: str) -> None:
    for on in (date(2025, 8, 1), NOV_2026):
        trace = Trace()
        answer = code_adequacy(
            basis=basis,
            on=on,
            board_opinion=True,
            used_on=None,
            law=load_law(law_name),
            trace=trace,
        )
        assert answer["presumption_of_conformity"] is False
        assert any("no presumption of conformity" in r for r in trace.reasons)


def test_an_art50_7_assessment_before_chapter_iv_applies_says_so() -> None:
    trace = Trace()
    answer = code_adequacy(
        basis="art50_7",
        on=date(2026, 6, 10),
        board_opinion=False,
        used_on=date(2026, 9, 1),
        law=load_law(),
        trace=trace,
    )
    assert answer["procedure"] == "original"
    assert answer["open_question"] == OPEN_QUESTION_12
    assert any("Art. 50 applies from 2026-08-02" in r for r in trace.reasons)
    assert any("follows the procedure of Art. 56(6)" in r for r in trace.reasons)


def test_the_amended_art50_7_procedure_keeps_the_fallback_of_common_rules() -> None:
    trace = Trace()
    code_adequacy(
        basis="art50_7", on=NOV_2026, board_opinion=True, used_on=None, law=load_law(), trace=trace
    )
    assert any("implementing act with common rules" in r for r in trace.reasons)


def test_the_as_of_date_overrides_the_input_date() -> None:
    answer = evaluate(
        "drafting",
        {"check": "adequacy", "basis": "art56", "on": "2026-11-25"},
        law=load_law(),
        as_of=date(2026, 1, 5),
    )
    assert answer["as_of"] == "2026-01-05"
    assert _obj(answer["result"])["procedure"] == "original"


def test_without_a_date_the_default_date_is_used() -> None:
    answer = evaluate(
        "drafting",
        {"check": "readiness"},
        law=load_law(),
        default_date=date(2025, 7, 1),
    )
    assert answer["as_of"] == "2025-07-01"
    assert _obj(answer["result"])["fallback_available"] is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"check": "adequacy", "basis": "art56", "on": "26-11-2026"}, "on"),
        ({"check": "adequacy", "basis": "art56", "on": "2026-11-25", "used_on": 5}, "used_on"),
        ({"check": "adequacy", "on": "2026-11-25"}, "basis"),
        ({"check": "readiness", "on": "2026-11-25", "finalised_on": "soon"}, "finalised_on"),
        ({"check": 3, "on": "2026-11-25"}, "check"),
        ({"check": "adequacy", "basis": "art56", "board_opinion": None}, "none"),
    ],
)
def test_bad_input_names_the_field(data: dict[str, object], field: str) -> None:
    if field == "none":  # null counts as not given: no opinion on record
        answer = evaluate("drafting", data, law=load_law())
        assert _obj(answer["result"])["problems"][0]["field"] == "board_opinion"
        return
    with pytest.raises(InputError) as info:
        evaluate("drafting", data, law=load_law())
    assert info.value.field == field


@pytest.mark.parametrize(
    ("first", "every", "period", "due", "start", "end"),
    [
        (date(2027, 1, 31), 3, 0, date(2027, 1, 31), date(2026, 10, 31), date(2027, 1, 30)),
        (date(2027, 1, 31), 3, 1, date(2027, 4, 30), date(2027, 1, 31), date(2027, 4, 29)),
        (date(2027, 1, 31), 3, 2, date(2027, 7, 31), date(2027, 4, 30), date(2027, 7, 30)),
        (date(2028, 2, 29), 12, 1, date(2029, 2, 28), date(2028, 2, 29), date(2029, 2, 27)),
        (date(2027, 3, 1), 1, 0, date(2027, 3, 1), date(2027, 2, 1), date(2027, 2, 28)),
    ],
)
def test_code_reports_are_counted_from_the_first_due_date(
    first: date, every: int, period: int, due: date, start: date, end: date
) -> None:
    trace = Trace()
    result = code_report_due(first_due=first, every_months=every, period=period, trace=trace)
    assert result == {"due_on": due, "period_start": start, "period_end": end}
    assert trace.rules == ["COP-10"]


def test_consecutive_report_periods_meet_without_gap_or_overlap() -> None:
    first = date(2026, 8, 31)
    previous = code_report_due(first_due=first, every_months=4, period=0, trace=Trace())
    for period in range(1, 12):
        current = code_report_due(first_due=first, every_months=4, period=period, trace=Trace())
        assert current["period_start"] == previous["due_on"]
        assert (current["period_start"] - previous["period_end"]).days == 1
        previous = current


def test_readiness_in_python_reports_the_dates_from_the_parameters() -> None:
    law = load_law()
    answer = code_readiness(
        on=date(2025, 8, 3), finalised_on=None, adequate=None, law=law, trace=Trace()
    )
    assert answer["ready_by"] == law.date("cop_ready_by", date(2025, 8, 3))
    assert answer["fallback_from"] == law.date("cop_fallback_from", date(2025, 8, 3))
    assert answer["fallback_available"] is True


def test_the_command_line_runs_drafting_and_the_code_report_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "adequacy.json"
    path.write_text(
        json.dumps({"check": "adequacy", "basis": "art50_7", "on": "2026-11-25"}), "utf-8"
    )
    assert main(["drafting", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["result"]["procedure"] == "amended"
    assert out["result"]["covers"] == ["Art. 50(2)", "Art. 50(4)"]
    assert main(["drafting", str(path), "--law", "as-published"]) == 0
    assert json.loads(capsys.readouterr().out)["result"]["procedure"] == "original"
    argv = ["clock", "code-report", "--from", "2027-01-31", "--every-months", "6"]
    assert main([*argv, "--period", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["result"]["due_on"] == "2028-01-31"
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["result"]["due_on"] == "2027-01-31"


def test_bad_drafting_input_on_the_command_line_gives_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"check": "adequacy", "basis": "art99"}), "utf-8")
    assert main(["drafting", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: basis: must be one of art56, art50_7")
    assert err.count("\n") == 1
    assert main(["clock", "code-report", "--from", "2027-01-31"]) == 2
    assert capsys.readouterr().err.startswith("error: every_months:")
