"""Cooperation rules (``aiact._cooperation``): doctests and the paths scenarios do not reach;
the legal cases are in ``scenarios/cooperation_clocks.yaml`` and ``scenarios/cooperation.yaml``."""

from __future__ import annotations

import doctest
import importlib
import json
from datetime import date
from pathlib import Path

import pytest

from aiact import cooperation_check, evaluate, load_law
from aiact._answer import InputError, Trace
from aiact._cli import main
from aiact._dispatch import CLOCKS, KINDS

COOPERATION_CLOCKS = (
    "msa-assessment",
    "resource-report",
    "sandbox-decision",
    "sandbox-report",
    "rwt-approval",
    "rwt-end",
    "term-end",
)


def test_docstring_examples_run() -> None:
    module = importlib.import_module("aiact._cooperation")
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0
    assert failed == 0


def test_the_cooperation_clocks_are_offered() -> None:
    assert set(COOPERATION_CLOCKS) <= set(CLOCKS)


def test_every_cooperation_parameter_is_dated_law_or_secondary() -> None:
    law = load_law()
    values = [v for v in law.all_values() if v.source == "cooperation.yaml"]
    assert values
    assert {v.status for v in values} <= {"LAW", "LAW-AMENDED", "SECONDARY"}


def test_the_kind_cooperation_is_offered() -> None:
    assert "cooperation" in KINDS


def test_every_answer_carries_rules_version_reasons_and_citations() -> None:
    law = load_law()
    answer = evaluate("clock", {"clock": "rwt-end", "from": "2026-09-01"}, law=law)
    assert answer["rules_version"] == law.rules_version
    assert answer["reasons"] and answer["citations"]
    answer = evaluate("cooperation", {"check": "consent"}, law=law)
    assert answer["rules_version"] == law.rules_version
    assert answer["check"] == "consent"
    assert answer["reasons"] and answer["citations"]


def test_the_as_of_date_overrides_the_input_date() -> None:
    answer = evaluate(
        "cooperation",
        {"check": "national-sandbox", "on": "2026-01-01"},
        law=load_law(),
        as_of=date(2027, 9, 1),
    )
    assert answer["result"] == {"deadline": "2027-08-02", "passed": True}


def test_a_bad_date_names_the_field() -> None:
    with pytest.raises(InputError) as info:
        evaluate("cooperation", {"check": "national-sandbox", "on": "2026-02-30"}, law=load_law())
    assert info.value.field == "on"
    with pytest.raises(InputError) as info:
        evaluate(
            "clock", {"clock": "sandbox-report", "from": "2026-09-01", "on": 5}, law=load_law()
        )
    assert info.value.field == "on"


def test_a_check_name_that_is_not_text_is_refused() -> None:
    with pytest.raises(InputError) as info:
        cooperation_check(["panel-size"], {}, on=date(2026, 11, 25), law=load_law(), trace=Trace())
    assert info.value.field == "check"


def test_the_command_line_runs_the_new_clocks_and_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["clock", "term-end", "--from", "2025-09-01", "--body", "board", "--renewals", "1"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["result"]["renewable"] is False
    args = ["clock", "rwt-approval", "--from", "2026-09-01", "--tacit-allowed"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["result"]["tacit_on"] == "2026-10-01"
    args = ["clock", "sandbox-report", "--from", "2026-09-01", "--on", "2027-09-02"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["result"]["due"] == "2028-09-01"
    assert main(["clock", "rwt-end", "--from", "2026-09-01", "--extended"]) == 0
    assert json.loads(capsys.readouterr().out)["result"]["end"] == "2027-09-01"
    assert main(["clock", "term-end", "--from", "2025-09-01"]) == 2
    assert capsys.readouterr().err.startswith("error: body:")
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"check": "panel-size", "members": 61}), encoding="utf-8")
    assert main(["cooperation", str(facts), "--as-of", "2026-11-25"]) == 0
    assert json.loads(capsys.readouterr().out)["result"] == {"cap": 60, "within_cap": False}


def test_the_board_majority_comes_with_its_reasons_and_citation() -> None:
    answer = evaluate(
        "cooperation",
        {"check": "board-vote", "in_favour": 18, "entitled": 27, "subject": "rules_of_procedure"},
        law=load_law(),
    )
    assert answer["result"] == {"required": "2/3", "met": True}
    assert any("18 of 27" in reason for reason in answer["reasons"])
    assert {c["label"] for c in answer["citations"]} == {"AI Act, Art. 65(4)"}


def test_the_forum_meetings_in_2025_are_counted_with_a_note_on_the_partial_year() -> None:
    law = load_law()
    partial = evaluate("cooperation", {"check": "forum-meetings", "held": 2, "year": 2025}, law=law)
    assert partial["result"] == {"minimum": 2, "met": True}
    assert any("2025-08-02" in reason for reason in partial["reasons"])
    full = evaluate("cooperation", {"check": "forum-meetings", "held": 2, "year": 2026}, law=law)
    assert not any("2025-08-02" in reason for reason in full["reasons"])
    assert {c["label"] for c in full["citations"]} == {"AI Act, Art. 67"}


def test_a_year_beyond_the_calendar_is_refused() -> None:
    with pytest.raises(InputError) as info:
        cooperation_check(
            "forum-meetings",
            {"held": 2, "year": 10_000},
            on=date(2026, 11, 25),
            law=load_law(),
            trace=Trace(),
        )
    assert info.value.field == "year"


def test_the_command_line_runs_the_board_and_forum_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "vote.json"
    vote = {"check": "board-vote", "in_favour": 17, "entitled": 27, "subject": "rules_of_procedure"}
    facts.write_text(json.dumps(vote), encoding="utf-8")
    assert main(["cooperation", str(facts)]) == 0
    assert json.loads(capsys.readouterr().out)["result"] == {"required": "2/3", "met": False}
    facts.write_text(json.dumps({"check": "forum-meetings", "held": 3, "year": 2026}), "utf-8")
    assert main(["cooperation", str(facts)]) == 0
    assert json.loads(capsys.readouterr().out)["result"] == {"minimum": 2, "met": True}
