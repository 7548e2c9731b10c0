"""The Art. 52 notification itself: is it complete (GPAI-PROC-02), are the arguments
against classification receivable (GPAI-PROC-03), and is it late (GPAI-PROC-01).

The registry calls :func:`check_notification` before it accepts a notification; the
answer lists every missing item with the field it concerns, so a form or the API can show
each problem next to its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from aiact._answer import Citation, InputError, Trace, cite, rule
from aiact._compute import two_significant_figures
from aiact._dates import parse_date
from aiact._gpai import notification_due
from aiact._params import Law

__all__ = [
    "ARGUMENT_GROUNDS",
    "TRIGGERS",
    "NotificationCheck",
    "check_notification",
]

TRIGGERS = ("compute_threshold", "modification_of_high_impact_model")
"""The two facts that oblige a provider to notify while no delegated act adds others
(GL fn. 6-7): its own compute meets the threshold, or it modified a model with systemic risk
and the modification meets the one-third criterion."""

ARGUMENT_GROUNDS = (
    "capabilities",
    "benchmarks",
    "scaling_forecast",
    "architecture",
    "parameters",
    "training_data",
    "training_techniques",
    "modalities",
    "tool_use",
    "context_length",
    "mitigations",
    "other",
)
"""What Art. 52(2) arguments may rest on (GL ¶35-40). ``mitigations`` alone never suffices."""

_KNOWN = frozenset(
    {
        "trigger",
        "compute_flop",
        "estimation_method",
        "assumptions",
        "uncertainty",
        "trigger_date",
        "submitted_on",
        "modified_model",
        "modification_compute_flop",
        "arguments",
    }
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One missing or inadmissible item, named by the field it concerns."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class NotificationCheck:
    """What the Office can say about a notification on receipt."""

    complete: bool
    problems: tuple[Problem, ...]
    compute_flop_2sf: str | None
    due: date | None
    late: bool | None
    arguments_admissible: bool | None
    arguments_late: bool
    submitted_on: date | None
    reasons: tuple[str, ...]
    citations: tuple[Citation, ...]
    rules: tuple[str, ...]

    def received_or(self, default: date) -> date:
        """The date the answer speaks for: the day of receipt, else ``default``."""
        return self.submitted_on or default

    def to_json(self) -> dict[str, object]:
        return {
            "complete": self.complete,
            "problems": [{"field": p.field, "message": p.message} for p in self.problems],
            "compute_flop_2sf": self.compute_flop_2sf,
            "due": self.due.isoformat() if self.due else None,
            "late": self.late,
            "arguments": {
                "admissible": self.arguments_admissible,
                "filed_late": self.arguments_late,
            },
            "reasons": list(self.reasons),
            "citations": [c.to_json() for c in self.citations],
            "rules": list(self.rules),
        }


def _text(data: Mapping[str, object], field: str) -> str:
    value = data.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(field, "must be text")
    return value.strip()


def _flop(data: Mapping[str, object], field: str) -> Decimal | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(field, "must be a number of FLOP")
    try:
        flop = Decimal(str(value))
    except InvalidOperation:
        raise InputError(field, "must be a number of FLOP") from None
    if not flop.is_finite() or flop <= 0:
        raise InputError(field, "must be a positive number of FLOP")
    return flop


def _date(data: Mapping[str, object], field: str) -> date | None:
    value = data.get(field)
    return None if value is None else parse_date(value, field)


@rule(
    "GPAI-PROC-02",
    cite("AIA", "52", "1"),
    cite("AIA", "52", "2"),
    cite("GL", "§2.3.2", "32"),
    cite("GL", "§2.3.3", "35"),
)
def notification_problems(data: Mapping[str, object], trace: Trace) -> list[Problem]:
    """A notification shows that the condition is met: which trigger, the compute that
    triggered it (in FLOP, given to two significant figures), how it was estimated with
    the assumptions and uncertainty, and the date the condition was met or became known;
    for a modification, which model was modified and the compute of the modification."""
    problems: list[Problem] = []
    trigger = data.get("trigger")
    if trigger is None:
        problems.append(Problem("trigger", f"is required: one of {', '.join(TRIGGERS)}"))
    elif trigger not in TRIGGERS:
        raise InputError("trigger", f"must be one of {', '.join(TRIGGERS)}")
    if _flop(data, "compute_flop") is None:
        problems.append(Problem("compute_flop", "is required: the estimated training compute"))
    for field, what in (
        ("estimation_method", "how the compute was estimated"),
        ("assumptions", "the assumptions and approximations of the estimate"),
        ("uncertainty", "the uncertainty of the estimate"),
    ):
        if not _text(data, field):
            problems.append(Problem(field, f"is required: {what}"))
    if _date(data, "trigger_date") is None:
        problems.append(
            Problem("trigger_date", "is required: when the condition was met or became known")
        )
    if trigger == "modification_of_high_impact_model":
        if not _text(data, "modified_model"):
            problems.append(Problem("modified_model", "is required: the model that was modified"))
        if _flop(data, "modification_compute_flop") is None:
            problems.append(
                Problem("modification_compute_flop", "is required: the compute of the modification")
            )
    if problems:
        trace.fire(
            "GPAI-PROC-02",
            "incomplete: " + "; ".join(f"{p.field} {p.message}" for p in problems),
        )
    else:
        trace.fire("GPAI-PROC-02", "complete: every item Art. 52(1) and the Guidelines ask for")
    return problems


@rule("GPAI-PROC-03", cite("AIA", "52", "2"), cite("GL", "§2.3.3", "33-40"))
def arguments_admissible(
    arguments: Mapping[str, object], notified_on: date | None, trace: Trace
) -> tuple[bool, bool]:
    """Arguments that the model exceptionally presents no systemic risk come with the
    notification and rest on capabilities, not on mitigations: mitigations count only
    under Art. 55. Arguments filed after the notification are received but flagged, since
    the text says "with its notification" (an open question; see open-questions.md, 8).

    Returns (admissible, filed late)."""
    grounds_raw = arguments.get("grounds")
    if not isinstance(grounds_raw, list) or not grounds_raw:
        raise InputError("arguments.grounds", "must list what the arguments rest on")
    unknown = [g for g in grounds_raw if g not in ARGUMENT_GROUNDS]
    if unknown:
        raise InputError(
            "arguments.grounds",
            f"unknown ground {unknown[0]!r}; one of {', '.join(ARGUMENT_GROUNDS)}",
        )
    grounds = set(grounds_raw)
    filed_on = _date(arguments, "filed_on") if "filed_on" in arguments else notified_on
    late = filed_on is not None and notified_on is not None and filed_on > notified_on
    if grounds == {"mitigations"}:
        trace.fire(
            "GPAI-PROC-03",
            "not receivable: arguments resting only on mitigations do not show the absence "
            "of high-impact capabilities (mitigations count under Art. 55)",
        )
        return False, late
    if late:
        trace.fire(
            "GPAI-PROC-03",
            f"received but filed on {filed_on}, after the notification of {notified_on}: "
            "flagged for the Office to decide whether to consider them",
        )
    else:
        trace.fire(
            "GPAI-PROC-03",
            "receivable: filed with the notification, resting on " + ", ".join(sorted(grounds)),
        )
    return True, late


def check_notification(data: Mapping[str, object], *, law: Law) -> NotificationCheck:
    """Check an Art. 52 notification on receipt: completeness, the arguments, lateness.

    >>> from aiact import load_law
    >>> check = check_notification(
    ...     {"trigger": "compute_threshold", "compute_flop": 3.79e25,
    ...      "estimation_method": "6 x parameters x tokens", "assumptions": "dense model",
    ...      "uncertainty": "+/- 10%", "trigger_date": "2026-03-02", "submitted_on": "2026-03-20"},
    ...     law=load_law())
    >>> check.complete, check.compute_flop_2sf, check.due.isoformat(), check.late
    (True, '3.8e25', '2026-03-16', True)
    >>> check_notification({"trigger": "compute_threshold"}, law=load_law()).problems[0].field
    'compute_flop'
    """
    if not isinstance(data, Mapping):
        raise InputError("input", "must be a JSON object")
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise InputError(unknown[0], "is not a notification field")
    trace = Trace()
    problems = notification_problems(data, trace)
    flop = _flop(data, "compute_flop")
    trigger_date = _date(data, "trigger_date")
    submitted_on = _date(data, "submitted_on")
    on = submitted_on or trigger_date
    due = (
        notification_due(True, trigger_date, on=on, law=law, trace=trace)
        if trigger_date is not None and on is not None
        else None
    )
    late = None if due is None or submitted_on is None else submitted_on > due
    admissible: bool | None = None
    arguments_late = False
    arguments = data.get("arguments")
    if arguments is not None:
        if not isinstance(arguments, Mapping):
            raise InputError("arguments", "must be an object with grounds (and filed_on)")
        admissible, arguments_late = arguments_admissible(arguments, submitted_on, trace)
    return NotificationCheck(
        complete=not problems,
        problems=tuple(problems),
        compute_flop_2sf=None if flop is None else two_significant_figures(flop),
        due=due,
        late=late,
        arguments_admissible=admissible,
        arguments_late=arguments_late,
        submitted_on=submitted_on,
        reasons=tuple(trace.reasons),
        citations=tuple(trace.citations),
        rules=tuple(trace.rules),
    )
