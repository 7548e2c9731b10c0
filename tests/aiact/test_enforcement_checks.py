"""The procedural checks of the Office's enforcement steps (ENF-01..06, FINE-01/02)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aiact import InputError, evaluate, load_law, procedure_check
from aiact._enforcement_checks import FINE_FACTORS
from aiact._procedure import CHECKS, ProcedureCheck

LAW = load_law()
BEFORE = date(2026, 8, 1)
FROM = date(2026, 8, 2)
ON = date(2026, 11, 27)  # a Friday


def check(step: str, facts: dict[str, Any], on: date = ON) -> ProcedureCheck:
    return procedure_check(step, facts, on=on, law=LAW)


def fields(result: ProcedureCheck) -> list[str]:
    return [f for f, _ in result.problems]


def message(result: ProcedureCheck, field: str) -> str:
    return next(m for f, m in result.problems if f == field)


COMPLAINT = {
    "complainant_is_downstream_provider": True,
    "provider_contact_point": "legal@provider.example",
    "facts": "The provider refused the Annex XII information.",
    "provisions": "Art. 53(1)(b)",
    "reasons": "The information is needed to comply.",
    "other_information": "",
}
ALERT = {
    "sender_is_panel_member": True,
    "ground": "union_risk",
    "provider_contact_point": "x",
    "facts": "x",
    "reasons": "x",
}
RFI = {
    "legal_basis": "art91_1",
    "purpose": "Assess compliance with Art. 53(1)(a).",
    "information_required": "The technical documentation.",
    "time_limit_days": 14,
    "fines_notice": "Art. 101(1)(b) fines.",
    "panel_request": "",
}
DIALOGUE = {"purpose": "Documentation", "attendees": "Office; provider", "notes": "Agreed."}
EVALUATION = {
    "board_consulted_on": date(2026, 11, 20),
    "ground": "insufficient_information",
    "rfi_answered": True,
    "systemic_risk": False,
}
ACCESS = {
    "legal_basis": "Art. 92(3)",
    "purpose": "Evaluate",
    "reasons": "Insufficient information",
    "time_limit_days": 10,
    "fines_notice": "Art. 101(1)(d)",
    "means": "API access",
}
EXPERT = {
    "declaration_of_interests": "None.",
    "declared_on": "2026-11-20",
    "conflict_of_interest": False,
}
MEASURE = {
    "kind": "compliance",
    "grounds": "No documentation",
    "evaluation_serious_concern": False,
    "heard": True,
    "urgent": False,
}
HEARING = {
    "sent_on": ON,
    "answer_by": date(2026, 12, 11),
    "urgent": False,
    "urgency_grounds": "",
}
COMMITMENTS = {"systemic_risk": True, "in_dialogue": True, "text": "We will mitigate."}
FACTORS = {key: f"{key} weighed" for key, _ in FINE_FACTORS}
FINE = {
    "findings_sent": True,
    "heard": True,
    "ground": "information",
    "culpability": "negligence",
    "turnover_eur": "2000000000.00",
    "amount_eur": "1000000.00",
    "factors": FACTORS,
}
DECISION = {"kind": "fine", "heard": True, "urgent": False, "reasons": "r", "remedies": "CJEU"}

ALLOWED = [
    ("complaint", COMPLAINT, ["ENF-01"]),
    ("alert", ALERT, ["ENF-02"]),
    ("rfi", RFI, ["ENF-03"]),
    ("dialogue", DIALOGUE, ["ENF-03"]),
    ("evaluation", EVALUATION, ["ENF-04"]),
    ("access_request", ACCESS, ["ENF-04"]),
    ("expert", EXPERT, ["ENF-04"]),
    ("measure", MEASURE, ["ENF-05"]),
    ("hearing", HEARING, ["ENF-05"]),
    ("commitments", COMMITMENTS, ["ENF-06"]),
    ("fine", FINE, ["FINE-02", "FINE-01"]),
    ("decision", DECISION, ["ENF-05"]),
]


def test_every_step_is_registered() -> None:
    assert {s for s, _, _ in ALLOWED} == set(CHECKS)


@pytest.mark.parametrize(("step", "facts", "rules"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_allowed_with_reasons_citations_and_version(
    step: str, facts: dict[str, Any], rules: list[str]
) -> None:
    result = check(step, facts)
    assert result.allowed, result.problems
    assert list(result.rules) == rules
    assert result.reasons and result.citations
    assert result.rules_version == LAW.rules_version
    assert result.to_json()["allowed"] is True


@pytest.mark.parametrize(("step", "facts", "rules"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_every_required_text_is_named_when_blank(
    step: str, facts: dict[str, Any], rules: list[str]
) -> None:
    for key, value in facts.items():
        if isinstance(value, str) and value and key not in ("ground", "kind", "legal_basis"):
            if key in ("turnover_eur", "amount_eur", "declared_on"):
                continue
            result = check(step, {**facts, key: "  "})
            assert key in fields(result), (step, key)
            assert rules[0] in result.rules
            assert not result.allowed


# --- dates: the day before and the day Chapter IX and Art. 101 apply -------------------

DATED = [
    ("rfi", RFI, "Art. 91"),
    ("dialogue", DIALOGUE, "Art. 91"),
    ("evaluation", {**EVALUATION, "board_consulted_on": date(2026, 7, 1)}, "Art. 92"),
    ("access_request", ACCESS, "Art. 92"),
    ("expert", {**EXPERT, "declared_on": date(2026, 7, 1)}, "Art. 92"),
    ("measure", MEASURE, "Art. 93"),
    ("hearing", {**HEARING, "sent_on": None, "answer_by": date(2026, 8, 31)}, "Art. 94"),
    ("commitments", COMMITMENTS, "Art. 93"),
    ("fine", FINE, "Art. 101"),
    ("decision", DECISION, "Art. 101"),
    ("decision", {**DECISION, "kind": "no_grounds"}, "Art. 93"),
]


@pytest.mark.parametrize(("step", "facts", "article"), DATED, ids=[d[0] for d in DATED])
def test_steps_before_2_august_2026_are_refused_giving_the_date(
    step: str, facts: dict[str, Any], article: str
) -> None:
    before = check(step, facts, BEFORE)
    assert fields(before) == ["on"], before.problems
    text = message(before, "on")
    assert f"under {article} applies from 2 August 2026 (2026-08-02)" in text
    assert "this step is dated 2026-08-01." in text
    assert check(step, facts, FROM).allowed, check(step, facts, FROM).problems


# --- ENF-01, ENF-02 ----------------------------------------------------------------------


def test_complaint_from_someone_not_a_downstream_provider() -> None:
    result = check("complaint", {**COMPLAINT, "complainant_is_downstream_provider": "yes"})
    assert fields(result) == ["complainant"]
    assert "downstream provider" in message(result, "complainant")
    assert "not admissible as lodged (complainant)" in result.reasons[-1]


def test_complaint_with_nothing_names_every_field() -> None:
    result = check("complaint", {})
    assert fields(result) == [
        "complainant",
        "provider_contact_point",
        "facts",
        "provisions",
        "reasons",
    ]


def test_alert_sender_and_ground() -> None:
    result = check("alert", {**ALERT, "sender_is_panel_member": False, "ground": "other"})
    assert fields(result) == ["sender", "ground"]
    assert result.data == {"inform_board": True}
    assert "Board is informed" in result.reasons[-1]
    assert check("alert", {**ALERT, "ground": "meets_art51"}).allowed


# --- ENF-03 -----------------------------------------------------------------------------


def test_rfi_due_date_and_refusals() -> None:
    assert check("rfi", RFI, date(2026, 9, 1)).data == {"due": date(2026, 9, 15)}
    no_basis = check("rfi", {**RFI, "legal_basis": ""})
    assert fields(no_basis) == ["legal_basis"]
    assert "legal basis" in message(no_basis, "legal_basis")
    assert "request refused (legal_basis)" in no_basis.reasons[-1]
    for days in (0, -3, True, "14", None):
        bad = check("rfi", {**RFI, "time_limit_days": days})
        assert fields(bad) == ["time_limit_days"] and "due" not in bad.data
    panel = check("rfi", {**RFI, "legal_basis": "art91_3"})
    assert fields(panel) == ["panel_request"]
    assert check("rfi", {**RFI, "legal_basis": "art91_3", "panel_request": "The panel"}).allowed


# --- ENF-04 -----------------------------------------------------------------------------


def test_evaluation_needs_the_board_consulted_first() -> None:
    for value in (None, ""):
        result = check("evaluation", {**EVALUATION, "board_consulted_on": value})
        assert fields(result) == ["board_consulted_on"]
        assert "Board is consulted" in message(result, "board_consulted_on")
    bad = check("evaluation", {**EVALUATION, "board_consulted_on": "2026-02-30"})
    assert bad.problems == (("board_consulted_on", "The date is given as YYYY-MM-DD."),)
    late = check("evaluation", {**EVALUATION, "board_consulted_on": "2026-11-28"})
    assert "before the evaluation opens" in message(late, "board_consulted_on")
    assert "evaluation refused (board_consulted_on)" in late.reasons[-1]


def test_evaluation_grounds() -> None:
    no_rfi = check("evaluation", {**EVALUATION, "rfi_answered": False})
    assert "Art. 91" in message(no_rfi, "ground")
    no_sr = check("evaluation", {**EVALUATION, "ground": "systemic_risk"})
    assert "systemic risk" in message(no_sr, "ground")
    assert check("evaluation", {**EVALUATION, "ground": "systemic_risk", "systemic_risk": True})
    assert check(
        "evaluation", {**EVALUATION, "ground": "systemic_risk", "systemic_risk": True}
    ).allowed
    assert fields(check("evaluation", {**EVALUATION, "ground": "curiosity"})) == ["ground"]


def test_access_request_due_and_time_limit() -> None:
    result = check("access_request", ACCESS, date(2026, 10, 1))
    assert result.data == {"due": date(2026, 10, 11)}
    assert "access due 2026-10-11" in result.reasons[-1]
    bad = check("access_request", {**ACCESS, "time_limit_days": 0})
    assert fields(bad) == ["time_limit_days"]
    assert "access request refused (time_limit_days)" in bad.reasons[-1]
    assert "AI Act, Art. 101(1)(d)" in bad.citations


def test_expert_with_conflict_of_interest_is_refused() -> None:
    result = check("expert", {**EXPERT, "conflict_of_interest": True})
    assert fields(result) == ["conflict_of_interest"]
    assert "not independent" in message(result, "conflict_of_interest")
    assert "AI Act, Art. 68(2)" in result.citations
    assert fields(check("expert", {**EXPERT, "declared_on": None})) == ["declared_on"]
    assert fields(check("expert", {**EXPERT, "declared_on": "2026-11-28"})) == ["declared_on"]
    assert fields(check("expert", {**EXPERT, "declared_on": "soon"})) == ["declared_on"]


# --- ENF-05 -----------------------------------------------------------------------------


def test_mitigation_needs_an_evaluation_showing_serious_concern() -> None:
    result = check("measure", {**MEASURE, "kind": "mitigation"})
    assert fields(result) == ["evaluation"]
    assert "serious and substantiated concern" in message(result, "evaluation")
    ok = check("measure", {**MEASURE, "kind": "mitigation", "evaluation_serious_concern": True})
    assert ok.allowed and "Art. 93(1)(b)" in ok.reasons[-1]


def test_measure_kind_and_hearing() -> None:
    assert fields(check("measure", {**MEASURE, "kind": "ban"})) == ["kind"]
    unheard = check("measure", {**MEASURE, "kind": "recall", "heard": False})
    assert fields(unheard) == ["findings"]
    assert "heard before a measure" in message(unheard, "findings")
    urgent = check("measure", {**MEASURE, "kind": "recall", "heard": False, "urgent": True})
    assert urgent.allowed and "urgency recorded" in urgent.reasons[-1]
    assert "AI Act, Art. 93(1)" in urgent.citations


def test_hearing_of_at_least_ten_working_days() -> None:
    short = check("hearing", {**HEARING, "answer_by": date(2026, 12, 10)})
    assert short.data == {"minimum_period_ends": date(2026, 12, 11)}
    assert fields(short) == ["answer_by"]
    assert "2026-12-11 at the earliest" in message(short, "answer_by")
    assert check("hearing", HEARING).allowed


def test_hearing_urgency_needs_its_grounds() -> None:
    short = {**HEARING, "answer_by": date(2026, 11, 30), "urgent": True}
    assert fields(check("hearing", short)) == ["urgency_grounds", "answer_by"]
    urgent = check("hearing", {**short, "urgency_grounds": "Imminent harm"})
    assert urgent.allowed
    assert "urgency recorded (Imminent harm)" in urgent.reasons[-1]


def test_hearing_dates() -> None:
    assert fields(check("hearing", {**HEARING, "answer_by": None})) == ["answer_by"]
    assert fields(check("hearing", {**HEARING, "answer_by": "31/12/2026"})) == ["answer_by"]
    before = check("hearing", {**HEARING, "answer_by": date(2026, 11, 20)})
    assert "after the findings are sent" in message(before, "answer_by")
    # without sent_on the findings are sent on the day of the step
    assert check("hearing", {**HEARING, "sent_on": None}).data["minimum_period_ends"] == (
        date(2026, 12, 11)
    )


def test_decisions_and_the_hearing() -> None:
    unheard = check("decision", {**DECISION, "heard": False})
    assert fields(unheard) == ["findings"]
    assert "no fine decision without preliminary findings and a hearing" in message(
        unheard, "findings"
    )
    urgent_fine = check("decision", {**DECISION, "heard": False, "urgent": True})
    assert fields(urgent_fine) == ["findings"]  # no urgency exception for a fine
    measures = {**DECISION, "kind": "measures", "heard": False}
    assert fields(check("decision", measures)) == ["findings"]
    urgent = check("decision", {**measures, "urgent": True})
    assert urgent.allowed and "no hearing needed or urgency recorded" in urgent.reasons[-1]
    binding = check("decision", {**DECISION, "kind": "commitments_binding", "heard": False})
    assert binding.allowed and "AI Act, Art. 93(3)" in binding.citations
    assert fields(check("decision", {**DECISION, "kind": "warning"})) == ["kind"]
    refused = check("decision", {**DECISION, "reasons": "", "remedies": ""})
    assert fields(refused) == ["reasons", "remedies"]
    assert "decision refused (reasons, remedies)" in refused.reasons[-1]


# --- ENF-06 -----------------------------------------------------------------------------


def test_commitments_only_from_a_systemic_risk_provider_in_dialogue() -> None:
    result = check("commitments", {**COMMITMENTS, "systemic_risk": False, "in_dialogue": False})
    assert fields(result) == ["case", "meeting"]
    assert "model with systemic risk" in message(result, "case")
    assert "commitments refused (case, meeting)" in result.reasons[-1]


# --- FINE-01, FINE-02 -------------------------------------------------------------------


def test_fine_ceiling_and_basis() -> None:
    result = check("fine", FINE)
    assert result.data == {"ceiling_eur": "60000000.00", "basis": "turnover_share"}
    small = check("fine", {**FINE, "turnover_eur": "1000000"})
    assert small.data == {"ceiling_eur": "15000000.00", "basis": "fixed_amount"}


def test_fine_above_the_ceiling_is_refused() -> None:
    at = check("fine", {**FINE, "amount_eur": "60000000.00"})
    assert at.allowed
    above = check("fine", {**FINE, "amount_eur": "60000000.01"})
    assert fields(above) == ["amount_eur"]
    assert "ceiling of EUR 60000000.00" in message(above, "amount_eur")


def test_fine_without_findings_or_hearing() -> None:
    for facts in ({**FINE, "findings_sent": False}, {**FINE, "heard": False}):
        result = check("fine", facts)
        assert fields(result) == ["findings"]
        assert "without preliminary findings and a hearing" in message(result, "findings")
        assert "fine refused (findings)" in result.reasons[-1]


def test_fine_ground_culpability_factors_and_amounts() -> None:
    result = check(
        "fine",
        {
            **FINE,
            "ground": "rudeness",
            "culpability": "strict",
            "factors": {"nature": "x", "gravity": " "},
        },
    )
    assert fields(result) == ["ground", "culpability", "factors"]
    assert "not weighed: its gravity, its duration" in message(result, "factors")
    assert fields(check("fine", {**FINE, "factors": "all"})) == ["factors"]
    assert fields(check("fine", {**FINE, "amount_eur": "0"})) == ["amount_eur"]
    assert fields(check("fine", {**FINE, "amount_eur": "1.001"})) == ["amount_eur"]
    no_turnover = check("fine", {**FINE, "turnover_eur": None})
    assert fields(no_turnover) == ["turnover_eur"] and "ceiling_eur" not in no_turnover.data
    both = check("fine", {**FINE, "amount_eur": "-5", "turnover_eur": "x"})
    assert fields(both) == ["turnover_eur", "amount_eur"]


# --- the JSON interface -----------------------------------------------------------------


def test_the_procedure_command() -> None:
    out = evaluate("procedure", {"step": "rfi", "facts": RFI, "on": "2026-09-01"}, law=LAW)
    assert out["as_of"] == "2026-09-01" and out["allowed"] is True
    assert out["data"] == {"due": "2026-09-15"}
    assert out["rules_version"] == LAW.rules_version
    default = evaluate("procedure", {"step": "complaint", "facts": {}}, law=LAW, as_of=ON)
    assert default["as_of"] == ON.isoformat()
    with pytest.raises(InputError) as info:
        evaluate("procedure", {"step": "rfi", "facts": []}, law=LAW)
    assert info.value.field == "facts"


@pytest.mark.parametrize(
    ("step", "facts"),
    [("rfi", RFI), ("evaluation", EVALUATION)],
)
def test_after_a_qualified_alert_the_board_is_informed_before_the_powers_are_used(
    step: str, facts: dict[str, Any]
) -> None:
    refused = check(step, {**facts, "after_alert": True, "board_informed": False})
    assert "board_informed" in fields(refused)
    assert "Art. 90(2)" in message(refused, "board_informed")
    assert "ENF-02" in refused.rules
    informed = check(step, {**facts, "after_alert": True, "board_informed": True})
    assert informed.allowed and "ENF-02" in informed.rules
    assert check(step, facts).allowed  # a case without an alert: nothing to inform
