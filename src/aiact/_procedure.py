"""Procedural checks of the Office's supervision of GPAI providers (AI-ACT.md §9.4).

Each check takes the facts of one step as plain data (a mapping) and answers whether the
step may be taken: the problems found, each naming the field it concerns, and the reasons
and citations it rests on. Supervision refuses a step whose check has problems and stores
the reasons, citations and rules version with the step it takes.

The checks are registered in :data:`CHECKS` by name; :func:`procedure_check` runs one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from aiact._answer import InputError, Trace
from aiact._params import Law

__all__ = ["CHECKS", "ProcedureCheck", "procedure_check"]


@dataclass(frozen=True, slots=True)
class ProcedureCheck:
    """The answer of a procedural check.

    ``problems`` maps a field of the input to a plain-words reason for refusing the step;
    empty when the step may be taken. ``data`` carries dates or amounts the check computed
    (e.g. ``{"due": date(...)}``)."""

    step: str
    on: date
    problems: tuple[tuple[str, str], ...]
    data: Mapping[str, object]
    reasons: tuple[str, ...]
    citations: tuple[str, ...]
    rules: tuple[str, ...]
    rules_version: str

    @property
    def allowed(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        return {
            "step": self.step,
            "on": self.on.isoformat(),
            "allowed": self.allowed,
            "problems": [{"field": f, "message": m} for f, m in self.problems],
            "data": {k: v.isoformat() if isinstance(v, date) else v for k, v in self.data.items()},
            "reasons": list(self.reasons),
            "citations": list(self.citations),
            "rules": list(self.rules),
            "rules_version": self.rules_version,
        }


@dataclass(slots=True)
class Problems:
    """What a check collects: the problems by field and the computed data."""

    items: list[tuple[str, str]] = field(default_factory=list)
    data: dict[str, object] = field(default_factory=dict)

    def add(self, field_name: str, message: str) -> None:
        self.items.append((field_name, message))


CheckFn = Callable[[Mapping[str, object], date, Law, Trace, Problems], None]

CHECKS: dict[str, CheckFn] = {}


def register(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``name`` (a module of checks does this on import)."""

    def decorator(fn: CheckFn) -> CheckFn:
        CHECKS[name] = fn
        return fn

    return decorator


def procedure_check(
    step: str, facts: Mapping[str, object], *, on: date, law: Law
) -> ProcedureCheck:
    """Run the check registered for ``step`` on ``facts`` as of ``on``.

    An unknown step is an :class:`InputError` naming ``step``.

    >>> from aiact import load_law
    >>> check = procedure_check("hearing", {"sent_on": "2026-11-27", "answer_by":
    ...     "2026-12-04"}, on=date(2026, 11, 27), law=load_law())
    >>> check.problems[0][0], check.data["minimum_period_ends"].isoformat()
    ('answer_by', '2026-12-11')
    """
    try:
        check = CHECKS[step]
    except KeyError:
        raise InputError("step", f"must be one of {', '.join(sorted(CHECKS))}") from None
    trace = Trace()
    problems = Problems()
    check(facts, on, law, trace, problems)
    return ProcedureCheck(
        step,
        on,
        tuple(problems.items),
        dict(problems.data),
        tuple(trace.reasons),
        tuple(dict.fromkeys(c.label for c in trace.citations)),
        tuple(trace.rules),
        law.rules_version,
    )
