"""The procedural checks of Chapter IX, Section 5 (ENF-01..06, FINE-01/02; AI-ACT.md §9.4).

Registered in `aiact._procedure.CHECKS`; run through `aiact.procedure_check(step, facts,
on=..., law=...)`. Each check reads the facts of one step (plain JSON-like values; dates
as ``datetime.date`` or ISO strings), names the field of every problem it finds, and
records the rule that decided with its reasons and citations.

Enforcement steps under Arts 91 to 94 are refused on a date before Chapter IX applies
(``chapter_ix_from``), a fine before Art. 101 applies (``art101_from``): the problem is
keyed ``on`` and gives the date.

>>> from datetime import date
>>> from aiact import load_law, procedure_check
>>> check = procedure_check("rfi", {"legal_basis": "art91_1", "purpose": "p",
...     "information_required": "i", "time_limit_days": 14, "fines_notice": "f"},
...     on=date(2026, 9, 1), law=load_law())
>>> check.allowed, check.data["due"].isoformat()
(True, '2026-09-15')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from aiact._answer import InputError, Trace, cents_to_eur, cite, rule
from aiact._dates import add_calendar_days, parse_date
from aiact._enforcement import hearing_earliest_decision, rfi_due
from aiact._fines_gpai import _cap, _grounds, parse_turnover
from aiact._params import Law
from aiact._procedure import Problems, register

__all__ = ["FINE_FACTORS"]

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

FINE_FACTORS: tuple[tuple[str, str], ...] = (
    ("nature", "the nature of the infringement"),
    ("gravity", "its gravity"),
    ("duration", "its duration"),
    ("proportionality", "proportionality and appropriateness"),
    ("commitments", "commitments made under Art. 93(3) or in relevant codes of practice"),
)
"""The factors Art. 101(1), second subparagraph, has the Commission weigh (FINE-02)."""


# --- reading facts ---------------------------------------------------------------------


def _long(day: date) -> str:
    """``2 August 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _text(facts: Mapping[str, object], key: str) -> str:
    value = facts.get(key)
    return value.strip() if isinstance(value, str) else ""


def _flag(facts: Mapping[str, object], key: str) -> bool:
    return facts.get(key) is True


def _required(facts: Mapping[str, object], problems: Problems, fields: Mapping[str, str]) -> None:
    """Add a problem for each blank field of ``fields`` (key → what it states)."""
    for key, what in fields.items():
        if not _text(facts, key):
            problems.add(key, f"The {what} is required.")


def _date(facts: Mapping[str, object], key: str, problems: Problems) -> date | None:
    value = facts.get(key)
    if value is None or value == "":
        return None
    try:
        return parse_date(value, key)
    except InputError:
        problems.add(key, "The date is given as YYYY-MM-DD.")
        return None


def _days(facts: Mapping[str, object], key: str, problems: Problems) -> int | None:
    value = facts.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        problems.add(key, "The time limit is a positive number of days.")
        return None
    return value


def _applies(
    what: str,
    article: str,
    key: str,
    on: date,
    law: Law,
    trace: Trace,
    problems: Problems,
) -> None:
    """Refuse a step dated before the provision applies, giving the date."""
    _not_before(what, article, law.date(key, on, trace), on, problems)


def _not_before(what: str, article: str, start: date, on: date, problems: Problems) -> None:
    if on < start:
        problems.add(
            "on",
            f"{what} under Art. {article} applies from {_long(start)} ({start.isoformat()}); "
            f"this step is dated {on.isoformat()}.",
        )


def _refused(problems: Problems) -> str:
    """The fields a refusal names, for the reason."""
    return ", ".join(dict.fromkeys(k for k, _ in problems.items))


def _board_informed_after_alert(
    facts: Mapping[str, object], trace: Trace, problems: Problems
) -> None:
    """Art. 90(2) (ENF-02): on a case that rests on a qualified alert, the Office uses its
    Section 5 powers only after informing the Board (facts ``after_alert`` and
    ``board_informed``)."""
    if not _flag(facts, "after_alert"):
        return
    if _flag(facts, "board_informed"):
        trace.fire("ENF-02", "the Board was informed of the qualified alert before this step")
        return
    problems.add(
        "board_informed",
        "This case rests on a qualified alert: the Board is informed before the Office uses "
        "its powers under Arts 91 to 93 (Art. 90(2)). Record when the Board was informed.",
    )
    trace.fire("ENF-02", "step refused: the Board has not been informed of the qualified alert")


# --- intake: ENF-01, ENF-02 ------------------------------------------------------------


@register("complaint")
@rule("ENF-01", cite("AIA", "89", "2"), cite("AIA", "3", "68"))
def complaint(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """A complaint is lodged by a downstream provider and is duly reasoned: it states (a)
    the point of contact of the provider of the model, (b) the relevant facts, the
    provisions concerned and why it is an infringement, (c) any other relevant information."""
    if not _flag(facts, "complainant_is_downstream_provider"):
        problems.add(
            "complainant",
            "Only a downstream provider (Art. 3(68)) may lodge a complaint under Art. 89(2).",
        )
    _required(
        facts,
        problems,
        {
            "provider_contact_point": "point of contact of the provider concerned",
            "facts": "statement of the relevant facts",
            "provisions": "statement of the provisions concerned",
            "reasons": "reason why it is an infringement",
        },
    )
    trace.fire(
        "ENF-01",
        "admissible complaint of a downstream provider"
        if not problems.items
        else f"not admissible as lodged ({_refused(problems)})",
    )


@register("alert")
@rule("ENF-02", cite("AIA", "90", "1"), cite("AIA", "90", "2"), cite("AIA", "90", "3"))
def alert(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """A qualified alert comes from the scientific panel, on one of two grounds: a concrete
    identifiable risk at Union level, or a model meeting the conditions of Art. 51. It
    states the provider's point of contact, the facts and reasons, and other relevant
    information. The Board is informed before the Office uses its powers on it."""
    if not _flag(facts, "sender_is_panel_member"):
        problems.add("sender", "Only the scientific panel sends a qualified alert (Art. 90(1)).")
    if facts.get("ground") not in ("union_risk", "meets_art51"):
        problems.add(
            "ground",
            "The ground is a concrete identifiable risk at Union level (Art. 90(1)(a)) or a "
            "model meeting the conditions of Art. 51 (Art. 90(1)(b)).",
        )
    _required(
        facts,
        problems,
        {
            "provider_contact_point": "point of contact of the provider concerned",
            "facts": "statement of the relevant facts",
            "reasons": "statement of reasons for the alert",
        },
    )
    problems.data["inform_board"] = True
    trace.fire(
        "ENF-02",
        (
            "qualified alert of the scientific panel"
            if not problems.items
            else f"not a qualified alert as sent ({_refused(problems)})"
        )
        + "; the Board is informed before the Office uses its powers (Art. 90(2))",
    )


# --- requests for information: ENF-03 ---------------------------------------------------


@register("rfi")
def information_request(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """Art. 91(4) (ENF-03): legal basis, purpose, information required, time limit and the
    fines notice; a request on the panel's behalf (Art. 91(3)) rests on its substantiated
    request. The answer is due when the time limit runs out (``data["due"]``)."""
    _applies("A request for information", "91", "chapter_ix_from", on, law, trace, problems)
    _board_informed_after_alert(facts, trace, problems)
    basis = facts.get("legal_basis")
    if basis not in ("art91_1", "art91_3"):
        problems.add(
            "legal_basis",
            "A request for information states its legal basis: Art. 91(1) or Art. 91(3).",
        )
    _required(
        facts,
        problems,
        {
            "purpose": "purpose of the request",
            "information_required": "statement of the information required",
            "fines_notice": "notice of the fines of Art. 101(1)(b) for incorrect, incomplete "
            "or misleading information",
        },
    )
    if basis == "art91_3" and not _text(facts, "panel_request"):
        problems.add(
            "panel_request",
            "A request under Art. 91(3) rests on a duly substantiated request of the "
            "scientific panel.",
        )
    days = _days(facts, "time_limit_days", problems)
    if days is not None:
        problems.data["due"] = rfi_due(sent_on=on, time_limit_days=days, law=law, trace=trace)
    if problems.items:
        trace.fire("ENF-03", f"request refused ({_refused(problems)})")


@register("dialogue")
def dialogue(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """Arts 91(2), 92(7), 93(2) (ENF-03's optional first step): a structured dialogue with
    the provider, recorded with its purpose, who attended and notes."""
    _applies("A structured dialogue", "91", "chapter_ix_from", on, law, trace, problems)
    _required(
        facts,
        problems,
        {"purpose": "purpose of the meeting", "attendees": "list of attendees", "notes": "notes"},
    )
    trace.fire(
        "ENF-03",
        "structured dialogue with the provider recorded"
        if not problems.items
        else f"dialogue not recorded ({_refused(problems)})",
        cite("AIA", "91", "2"),
        cite("AIA", "92", "7"),
        cite("AIA", "93", "2"),
    )


# --- evaluation: ENF-04 ------------------------------------------------------------------


@register("evaluation")
@rule("ENF-04", cite("AIA", "92", "1"), cite("AIA", "92", "2"), cite("AIA", "92", "4"))
def evaluation(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """After consulting the Board, the Office may evaluate a model (a) where the information
    gathered under Art. 91 is insufficient to assess compliance, or (b) to investigate
    Union-level systemic risks of a model with systemic risk. Access is requested stating
    the legal basis, purpose and reasons, the time limit and the Art. 101 fines; experts
    are independent."""
    _applies("An evaluation", "92", "chapter_ix_from", on, law, trace, problems)
    _board_informed_after_alert(facts, trace, problems)
    consulted = _date(facts, "board_consulted_on", problems)
    if consulted is None:
        if not any(k == "board_consulted_on" for k, _ in problems.items):
            problems.add(
                "board_consulted_on",
                "The Board is consulted before an evaluation (Art. 92(1)).",
            )
    elif consulted > on:
        problems.add(
            "board_consulted_on",
            f"The Board is consulted before the evaluation opens ({on.isoformat()}).",
        )
    ground = facts.get("ground")
    if ground == "insufficient_information":
        if not _flag(facts, "rfi_answered"):
            problems.add(
                "ground",
                "An evaluation under Art. 92(1)(a) follows information gathered under "
                "Art. 91: no request for information in this case has been answered.",
            )
    elif ground == "systemic_risk":
        if not _flag(facts, "systemic_risk"):
            problems.add(
                "ground",
                "An evaluation under Art. 92(1)(b) concerns a model with systemic risk: no "
                "model of this case is classified with systemic risk.",
            )
    else:
        problems.add(
            "ground",
            "The ground is insufficient information (Art. 92(1)(a)) or systemic risk "
            "(Art. 92(1)(b)).",
        )
    trace.fire(
        "ENF-04",
        f"evaluation on ground {ground!s} after consulting the Board"
        if not problems.items
        else f"evaluation refused ({_refused(problems)})",
    )


@register("access_request")
def access_request(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """Art. 92(3)-(4) (ENF-04): access through APIs or other technical means, including
    source code, requested stating the legal basis, purpose and reasons, the time limit
    and the Art. 101(1)(d) fines for failing to give access (``data["due"]``)."""
    _applies("A request for access", "92", "chapter_ix_from", on, law, trace, problems)
    _board_informed_after_alert(facts, trace, problems)
    _required(
        facts,
        problems,
        {
            "legal_basis": "legal basis of the request",
            "purpose": "purpose of the request",
            "reasons": "reasons for the request",
            "means": "statement of the access requested (APIs, source code, other means)",
            "fines_notice": "notice of the fines of Art. 101(1)(d) for failing to give access",
        },
    )
    days = _days(facts, "time_limit_days", problems)
    if days is not None:
        due = add_calendar_days(on, days)
        problems.data["due"] = due
    trace.fire(
        "ENF-04",
        f"access requested on {on} with a {days}-day time limit: access due {problems.data['due']}"
        if days is not None and not problems.items
        else f"access request refused ({_refused(problems)})",
        cite("AIA", "92", "3"),
        cite("AIA", "101", "1", "d"),
    )


@register("expert")
def expert(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """Art. 92(2) (ENF-04): an expert appointed for an evaluation meets the criteria of
    Art. 68(2), including independence from providers of AI systems and models: the
    declaration of interests is on file and declares no conflict of interest."""
    _applies("The appointment of experts", "92", "chapter_ix_from", on, law, trace, problems)
    _required(facts, problems, {"declaration_of_interests": "declaration of interests"})
    declared = _date(facts, "declared_on", problems)
    if declared is None:
        if not any(k == "declared_on" for k, _ in problems.items):
            problems.add("declared_on", "The date of the declaration of interests is required.")
    elif declared > on:
        problems.add(
            "declared_on",
            f"The declaration of interests precedes the appointment ({on.isoformat()}).",
        )
    if _flag(facts, "conflict_of_interest"):
        problems.add(
            "conflict_of_interest",
            "An expert with a conflict of interest is not independent (Art. 68(2)(c)) and "
            "cannot be appointed.",
        )
    trace.fire(
        "ENF-04",
        "independent expert with a declaration of interests and no conflict"
        if not problems.items
        else f"expert not appointed ({_refused(problems)})",
        cite("AIA", "68", "2"),
    )


# --- measures, hearing, decisions: ENF-05 -----------------------------------------------


_MEASURE_POINT = {
    "compliance": "(a)",
    "mitigation": "(b)",
    "restrict": "(c)",
    "withdraw": "(c)",
    "recall": "(c)",
}


@register("measure")
def measure(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """Art. 93(1) (ENF-05): compliance measures (a), mitigation measures where an Art. 92
    evaluation shows serious and substantiated concern of Union-level systemic risk (b),
    restriction, withdrawal or recall (c); grounds stated; the provider heard first unless
    urgency is recorded (Art. 94, Reg. 2019/1020 Art. 18(3))."""
    _applies("A measure", "93", "chapter_ix_from", on, law, trace, problems)
    _board_informed_after_alert(facts, trace, problems)
    kind = facts.get("kind")
    if kind not in _MEASURE_POINT:
        problems.add(
            "kind",
            "The measure is one of Art. 93(1): compliance, mitigation, restrict, withdraw or "
            "recall.",
        )
    if kind == "mitigation" and not _flag(facts, "evaluation_serious_concern"):
        problems.add(
            "evaluation",
            "A mitigation measure (Art. 93(1)(b)) needs an Art. 92 evaluation showing serious "
            "and substantiated concern of Union-level systemic risk.",
        )
    _required(facts, problems, {"grounds": "statement of the grounds"})
    urgent = _flag(facts, "urgent")
    if not _flag(facts, "heard") and not urgent:
        problems.add(
            "findings",
            "The provider is heard before a measure (Art. 94; Reg. 2019/1020 Art. 18(3)): "
            "send preliminary findings and wait for the observations or the end of the "
            "period, unless urgency is recorded.",
        )
    trace.fire(
        "ENF-05",
        (
            f"measure under Art. 93(1){_MEASURE_POINT[str(kind)]} may be requested"
            + (" (urgency recorded: hearing follows)" if urgent else " after the hearing")
        )
        if not problems.items
        else f"measure refused ({_refused(problems)})",
        cite("AIA", "93", "1"),
    )


@register("hearing")
def hearing(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """Art. 94, Reg. 2019/1020 Art. 18(3) (ENF-05): preliminary findings give the provider at
    least ten working days to answer, unless urgency is recorded with its grounds
    (``data["minimum_period_ends"]``)."""
    _applies("A hearing", "94", "chapter_ix_from", on, law, trace, problems)
    sent = _date(facts, "sent_on", problems) or on
    answer_by = _date(facts, "answer_by", problems)
    urgent = _flag(facts, "urgent")
    grounds = _text(facts, "urgency_grounds")
    end = hearing_earliest_decision(heard_from=sent, law=law, trace=trace)
    problems.data["minimum_period_ends"] = end
    if urgent and not grounds:
        problems.add("urgency_grounds", "Urgency is recorded with its grounds.")
    if answer_by is None:
        if not any(k == "answer_by" for k, _ in problems.items):
            problems.add("answer_by", "The date by which observations are due is required.")
    elif answer_by < sent:
        problems.add("answer_by", "Observations are due after the findings are sent.")
    elif answer_by < end and not (urgent and grounds):
        problems.add(
            "answer_by",
            f"The provider has at least ten working days to be heard: observations may be "
            f"due on {end.isoformat()} at the earliest, unless urgency is recorded with its "
            "grounds.",
        )
    if urgent and grounds:
        trace.fire("ENF-05", f"urgency recorded ({grounds}): the hearing may be shorter")


@register("decision")
def decision(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """Art. 94, Reg. 2019/1020 Art. 18(1)-(3) (ENF-05); Arts 93, 101: a decision states its
    exact grounds and the remedies; a decision requesting measures follows the hearing
    unless urgency is recorded; a fine follows preliminary findings and a hearing."""
    kind = facts.get("kind")
    if kind == "fine":
        _applies("A fine", "101", "art101_from", on, law, trace, problems)
    else:
        _applies("A decision", "93", "chapter_ix_from", on, law, trace, problems)
    if kind not in ("measures", "commitments_binding", "fine", "no_grounds"):
        problems.add(
            "kind",
            "The decision requests measures, makes commitments binding, fines, or closes "
            "the proceedings.",
        )
    _required(
        facts,
        problems,
        {
            "reasons": "statement of the grounds of the decision",
            "remedies": "statement of the remedies and their time limits",
        },
    )
    heard = _flag(facts, "heard")
    if kind == "fine" and not heard:
        problems.add(
            "findings",
            "There is no fine decision without preliminary findings and a hearing (Art. 101(2)).",
        )
    elif kind == "measures" and not heard and not _flag(facts, "urgent"):
        problems.add(
            "findings",
            "The provider is heard before a decision requesting measures (Art. 94; Reg. "
            "2019/1020 Art. 18(3)), unless urgency is recorded.",
        )
    trace.fire(
        "ENF-05",
        f"{kind} decision: grounds and remedies stated; "
        + ("the provider was heard" if heard else "no hearing needed or urgency recorded")
        if not problems.items
        else f"decision refused ({_refused(problems)})",
        cite("MSR", "18", "1"),
        cite("MSR", "18", "2"),
        *((cite("AIA", "93", "3"),) if kind == "commitments_binding" else ()),
    )


# --- commitments: ENF-06 -----------------------------------------------------------------


@register("commitments")
@rule("ENF-06", cite("AIA", "93", "3"))
def commitments(
    facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems
) -> None:
    """Commitments to implement mitigation measures may be made binding when a provider of
    a model with systemic risk offers them during a structured dialogue; the decision
    declares that there are no further grounds for action."""
    _applies("Binding commitments", "93", "chapter_ix_from", on, law, trace, problems)
    if not _flag(facts, "systemic_risk"):
        problems.add(
            "case",
            "Only a provider of a model with systemic risk offers commitments under "
            "Art. 93(3): no model of this case is classified with systemic risk.",
        )
    if not _flag(facts, "in_dialogue"):
        problems.add(
            "meeting",
            "Commitments are offered in a structured dialogue of this case (Art. 93(2)-(3)).",
        )
    _required(facts, problems, {"text": "text of the commitments"})
    trace.fire(
        "ENF-06",
        "commitments offered in a structured dialogue by a provider of a model with "
        "systemic risk; a decision may make them binding"
        if not problems.items
        else f"commitments refused ({_refused(problems)})",
    )


# --- fines: FINE-01, FINE-02 -------------------------------------------------------------


def _amount(facts: Mapping[str, object], key: str, problems: Problems) -> Decimal | None:
    try:
        return parse_turnover(facts.get(key), key)
    except InputError as exc:
        problems.add(key, f"The amount {exc.message} (e.g. 1500000.00).")
        return None


@register("fine")
def fine(facts: Mapping[str, object], on: date, law: Law, trace: Trace, problems: Problems) -> None:
    """Art. 101 (FINE-01, FINE-02): preliminary findings and a hearing first; intent or
    negligence and one of the grounds (a)-(d); the amount within the ceiling (the higher of
    3 % of worldwide turnover of the preceding financial year and EUR 15 million); the
    factors of Art. 101(1), second subparagraph, weighed (``data["ceiling_eur"]``)."""
    _in_force, start = _grounds(on=on, law=law, trace=trace)
    _not_before("A fine", "101", start, on, problems)
    if not (_flag(facts, "findings_sent") and _flag(facts, "heard")):
        problems.add(
            "findings",
            "There is no fine decision without preliminary findings and a hearing (Art. 101(2)).",
        )
    if facts.get("ground") not in ("infringement", "information", "measure", "access"):
        problems.add("ground", "The ground is one of Art. 101(1)(a)-(d).")
    if facts.get("culpability") not in ("intent", "negligence"):
        problems.add(
            "culpability",
            "A fine needs a finding that the provider acted intentionally or negligently.",
        )
    raw = facts.get("factors")
    factors = raw if isinstance(raw, Mapping) else {}
    unweighed = [
        what
        for key, what in FINE_FACTORS
        if not (isinstance(factors.get(key), str) and str(factors.get(key)).strip())
    ]
    if unweighed:
        problems.add(
            "factors",
            "The amount weighs every factor of Art. 101(1), second subparagraph; not "
            f"weighed: {', '.join(unweighed)}.",
        )
    turnover = _amount(facts, "turnover_eur", problems)
    amount = _amount(facts, "amount_eur", problems)
    if turnover is not None:
        cap, basis = _cap(turnover, on=on, law=law, trace=trace)
        problems.data["ceiling_eur"] = cents_to_eur(cap)
        problems.data["basis"] = basis
        if amount is not None and amount * 100 > cap:
            problems.add(
                "amount_eur",
                f"The fine exceeds its ceiling of EUR {cents_to_eur(cap)} (Art. 101(1)).",
            )
    if amount is not None and amount <= 0:
        problems.add("amount_eur", "A fine is a positive amount.")
    trace.fire(
        "FINE-02",
        "fine within its ceiling after preliminary findings and a hearing; factors weighed: "
        + ", ".join(what for _, what in FINE_FACTORS)
        if not problems.items
        else f"fine refused ({_refused(problems)})",
    )
