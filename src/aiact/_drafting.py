"""Codes of practice: who assesses a code's adequacy and how (COP-08), the Art. 56(9) dates
and the fallback of common rules by implementing acts (COP-09), and the rhythm of the
signatories' implementation reports (COP-10); AI-ACT.md §6.1, §11.5, §13.3 DATE-06, §17 Q12.

COP-08, COP-09 and COP-10 are this engine's IDs: AI-ACT.md §6.5 numbers its code-of-practice
rules COP-01 to COP-07 and gives these three none.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Final

from aiact._answer import Citation, InputError, Trace, cite, rule
from aiact._dates import add_months, parse_date
from aiact._params import Law

__all__ = [
    "BASES",
    "CHECKS",
    "OPEN_QUESTION_12",
    "code_adequacy",
    "code_readiness",
    "code_report_due",
    "drafting_check",
]

BASES: Final = ("art56", "art50_7")
"""The provisions a code of practice is drawn up under: Art. 56 (general-purpose AI models)
and Art. 50(7) (detection, marking and labelling of generated or manipulated content)."""

CHECKS: Final = ("adequacy", "readiness")
"""The checks of the kind ``drafting``."""

OPEN_QUESTION_12: Final = (
    "AI-ACT.md §17 Q12: this adequacy assessment is dated before the amended procedure took "
    "effect and is relied on after it. Whether an assessment made under the original text "
    "(such as the 2025 assessment of the GPAI code) counts as the Commission's assessment "
    "under the amended text, or a fresh one is needed, is unclear; keep each assessment as "
    "a dated record per code version."
)
"""The open question raised when an assessment made under the original procedure is used
after the amended procedure took effect (AI-ACT.md §17 Q12, in this engine's words)."""

_AMENDED_FROM: Final = {
    "art56": "cop_adequacy_amended_art56",
    "art50_7": "cop_adequacy_amended_art50_7",
}
_COVERS: Final = {"art56": "cop_covers_art56", "art50_7": "cop_covers_art50_7"}
_PROVISION: Final = {"art56": "Art. 56(6)", "art50_7": "Art. 50(7)"}
_ORIGINAL_CITE: Final = {
    "art56": cite("AIA", "56", "6", None),
    "art50_7": cite("AIA", "50", "7", None),
}
_AMENDED_CITE: Final = {
    "art56": cite("OMNIBUS", "1", None, "21"),
    "art50_7": cite("OMNIBUS", "1", None, "20"),
}
_NO_PRESUMPTION: Final[tuple[Citation, ...]] = (
    cite("OMNIBUS", "Recital 41"),
    cite("AIA", "53", "4", None),
    cite("AIA", "55", "2", None),
)


def _amended_from(law: Law, basis: str, on: date, trace: Trace | None = None) -> date | None:
    """The first day of the amended procedure for ``basis`` (recorded in ``trace``); None
    under a law selection without Regulation (EU) 2026/1744."""
    key = _AMENDED_FROM[basis]
    if not law.history(key):
        return None
    return law.date(key, on, trace)


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@rule("COP-08", cite("AIA", "56", "6", None))
def code_adequacy(
    *,
    basis: str,
    on: date,
    board_opinion: bool,
    used_on: date | None,
    law: Law,
    trace: Trace,
) -> dict[str, object]:
    """How the adequacy of a code of practice drawn up under ``basis`` (Art. 56 or Art.
    50(7)) is assessed on ``on``. Under the original Art. 56(6) the AI Office and the Board
    assess whether the code covers Arts 53 and 55 and publish their assessment, and the
    Commission may approve the code by implementing act (Art. 50(7) follows that procedure).
    Under the text amended by Regulation (EU) 2026/1744 (Art. 56: from 27 July 2026; Art.
    50(7): from 2 August 2026) the Commission assesses, taking utmost account of the Board's
    opinion, and publishes its assessment; approval by implementing act is gone. A code never
    gives a presumption of conformity. ``used_on``, when given, is the day the assessment is
    relied on: an assessment made under the original procedure and relied on after the
    amendment raises open question 12. A missing Board opinion where one is required is a
    problem named by field (COP-08 is this engine's ID).

    >>> from aiact import load_law
    >>> answer = code_adequacy(
    ...     basis="art56", on=date(2026, 11, 25), board_opinion=False, used_on=None,
    ...     law=load_law(), trace=Trace(),
    ... )
    >>> answer["procedure"], answer["assessor"], answer["covers"]
    ('amended', 'commission', ['Art. 53', 'Art. 55'])
    >>> answer["problems"][0]["field"]
    'board_opinion'
    """
    if basis not in BASES:
        raise InputError("basis", f"must be one of {', '.join(BASES)}")
    if used_on is not None and used_on < on:
        raise InputError("used_on", "must be on or after the date of the assessment (on)")
    provision = _PROVISION[basis]
    amended_from = _amended_from(law, basis, on, trace)
    amended = amended_from is not None and on >= amended_from
    covers = _list(law.text(_COVERS[basis], on, trace))
    problems: list[dict[str, str]] = []
    if basis == "art50_7":
        applies_from = law.date("art50_from", on, trace)
        if on < applies_from:
            trace.note(
                f"Art. 50 applies from {applies_from}: this assessment comes before the "
                "obligations it concerns apply"
            )
    if amended:
        trace.fire(
            "COP-08",
            f"{provision} as amended (from {amended_from}): the Commission assesses whether "
            f"the code covers {' and '.join(covers)}, taking utmost account of the Board's "
            "opinion, and publishes its assessment of adequacy; no approval by implementing act",
            _AMENDED_CITE[basis],
        )
        if basis == "art50_7":
            trace.note(
                "if the Commission finds the code not adequate it may adopt an implementing act "
                "with common rules (Art. 98(2) procedure)",
                cite("AIA", "50", "7", None),
            )
        if not board_opinion:
            problems.append(
                {
                    "field": "board_opinion",
                    "message": "the Board's opinion is required before the Commission assesses "
                    "the code's adequacy, and it is not on record",
                }
            )
        result: dict[str, object] = {
            "procedure": "amended",
            "assessor": "commission",
            "board_role": "utmost_account",
            "board_opinion_required": True,
            "implementing_act_approval": False,
        }
    else:
        how = (
            "the AI Office and the Board assess whether the code covers "
            f"{' and '.join(covers)} and publish their assessment; the Commission may approve "
            "the code by implementing act, giving it general validity"
        )
        if basis == "art50_7":
            how += (
                " (Art. 50(7) follows the procedure of Art. 56(6); this engine's reading: the "
                "AI Office and the Board assess); if the code is not adequate the Commission "
                "may adopt common rules by implementing act"
            )
        when = "" if amended_from is None else f" (until {amended_from - timedelta(days=1)})"
        trace.fire(
            "COP-08", f"{provision} in its original text{when}: {how}", _ORIGINAL_CITE[basis]
        )
        result = {
            "procedure": "original",
            "assessor": "ai_office_and_board",
            "board_role": "joint_assessment",
            "board_opinion_required": False,
            "implementing_act_approval": True,
        }
    trace.note(
        "adherence to a code gives no presumption of conformity (only harmonised standards "
        "do); providers may rely on a code assessed as adequate to show compliance. Recital 41 "
        "of Regulation (EU) 2026/1744 cites Art. 54(2) where Art. 55(2) is meant (AI-ACT.md "
        "§17 Q19(b))",
        *_NO_PRESUMPTION,
    )
    open_question = None
    if used_on is not None and amended_from is not None and on < amended_from <= used_on:
        open_question = OPEN_QUESTION_12
        trace.note(
            f"assessed on {on} under the original {provision}, relied on on {used_on}, "
            f"after the amended text took effect on {amended_from}: open question 12",
            _AMENDED_CITE[basis],
        )
    result.update(
        {
            "amended_from": amended_from,
            "covers": covers,
            "presumption_of_conformity": False,
            "open_question": open_question,
            "problems": problems,
        }
    )
    return result


@rule("COP-09", cite("AIA", "56", "9", None))
def code_readiness(
    *, on: date, finalised_on: date | None, adequate: bool | None, law: Law, trace: Trace
) -> dict[str, object]:
    """Codes of practice under Art. 56 are to be ready by 2 May 2025. If no code can be
    finalised by 2 August 2025, or if the code is found not adequate, the Commission may lay
    down common rules for Arts 53 and 55 by implementing acts. On ``on``, given the day the
    code was finalised (None: not yet) and whether it was found adequate (None: not yet
    assessed), returns those dates, whether the code was ready in time and whether the
    fallback of implementing acts is open (COP-09 is this engine's ID).

    >>> from aiact import load_law
    >>> code_readiness(
    ...     on=date(2025, 9, 1), finalised_on=date(2025, 7, 10), adequate=True,
    ...     law=load_law(), trace=Trace(),
    ... )
    {'ready_by': datetime.date(2025, 5, 2), 'fallback_from': datetime.date(2025, 8, 2), \
'ready_in_time': False, 'fallback_available': False}
    """
    if finalised_on is not None and finalised_on > on:
        raise InputError("finalised_on", "must be on or before the date asked (on)")
    ready_by = law.date("cop_ready_by", on, trace)
    fallback_from = law.date("cop_fallback_from", on, trace)
    ready_in_time = None if finalised_on is None else finalised_on <= ready_by
    not_finalised = finalised_on is None or finalised_on > fallback_from
    by_date = not_finalised and on > fallback_from
    by_inadequacy = adequate is False
    if finalised_on is None:
        state = f"no code finalised by {on}"
    else:
        timing = "in time" if ready_in_time else "after the date it was to be ready by"
        state = f"code finalised on {finalised_on}, {timing} ({ready_by})"
    if by_inadequacy:
        why = "the code was found not adequate: the Commission may adopt implementing acts"
    elif by_date:
        why = (
            f"no code was finalised by {fallback_from}: the Commission may adopt implementing acts"
        )
    elif not_finalised:
        why = f"the fallback opens if no code is finalised by {fallback_from}"
    else:
        why = f"a code was finalised by {fallback_from}: no fallback unless found not adequate"
    trace.fire("COP-09", f"{state}; {why}")
    amended_from = _amended_from(law, "art56", on)
    if by_inadequacy and amended_from is not None and on >= amended_from:
        trace.note(
            "Art. 56(9) still speaks of the AI Office finding the code not adequate; since "
            f"{amended_from} the adequacy assessment is the Commission's (amended Art. 56(6))",
            cite("OMNIBUS", "1", None, "21"),
        )
    return {
        "ready_by": ready_by,
        "fallback_from": fallback_from,
        "ready_in_time": ready_in_time,
        "fallback_available": by_date or by_inadequacy,
    }


@rule("COP-10", cite("AIA", "56", "5", None))
def code_report_due(
    *, first_due: date, every_months: int, period: int, trace: Trace
) -> dict[str, date]:
    """The participants in a code of practice report regularly to the AI Office on its
    implementation, the measures taken and their outcomes, proportionately to their size.
    The Act sets no rhythm: the Office sets one per code. Report number ``period`` (0 for the
    first) is due ``period`` times ``every_months`` calendar months after the first due date
    (counted from it, so a month-end date stays at month end) and covers the ``every_months``
    before it: from the previous due date to the day before this one (COP-10 is this engine's
    ID).

    >>> code_report_due(first_due=date(2027, 1, 31), every_months=6, period=1, trace=Trace())
    {'due_on': datetime.date(2027, 7, 31), 'period_start': datetime.date(2027, 1, 31), \
'period_end': datetime.date(2027, 7, 30)}
    """
    if every_months < 1:
        raise InputError("every_months", "must be a whole number of months, 1 or more")
    if period < 0:
        raise InputError("period", "must be a report number, 0 (the first) or more")
    due_on = add_months(first_due, period * every_months)
    period_start = add_months(first_due, (period - 1) * every_months)
    period_end = due_on - timedelta(days=1)
    trace.fire(
        "COP-10",
        f"report {period + 1} on the code's implementation due {due_on}, covering "
        f"{period_start} to {period_end}; the Act asks for regular reports proportionate to "
        f"the participant's size: the rhythm of every {every_months} month(s) is the Office's, "
        "set for this code, not the law's",
    )
    return {"due_on": due_on, "period_start": period_start, "period_end": period_end}


def _flag(data: Mapping[str, object], name: str) -> bool:
    value = data.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InputError(name, "must be true or false")
    return value


def _maybe_flag(data: Mapping[str, object], name: str) -> bool | None:
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise InputError(name, "must be true, false or null")


def _maybe_date(data: Mapping[str, object], name: str) -> date | None:
    value = data.get(name)
    return None if value is None else parse_date(value, name)


def drafting_check(
    check: object, data: Mapping[str, object], *, on: date, law: Law, trace: Trace
) -> dict[str, object]:
    """Run one check of the kind ``drafting`` (one of :data:`CHECKS`) on ``data``.

    >>> from aiact import load_law
    >>> drafting_check(
    ...     "adequacy", {"basis": "art50_7", "board_opinion": True}, on=date(2026, 11, 25),
    ...     law=load_law(), trace=Trace(),
    ... )["covers"]
    ['Art. 50(2)', 'Art. 50(4)']
    """
    if check == "adequacy":
        return code_adequacy(
            basis=str(data.get("basis")),
            on=on,
            board_opinion=_flag(data, "board_opinion"),
            used_on=_maybe_date(data, "used_on"),
            law=law,
            trace=trace,
        )
    if check == "readiness":
        return code_readiness(
            on=on,
            finalised_on=_maybe_date(data, "finalised_on"),
            adequate=_maybe_flag(data, "adequate"),
            law=law,
            trace=trace,
        )
    raise InputError("check", f"must be one of {', '.join(CHECKS)}")
