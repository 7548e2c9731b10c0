"""Enforcement clocks against GPAI providers (Arts 52(5), 75(3), 91, 94; AI-ACT.md §9)."""

from __future__ import annotations

from datetime import date

from aiact._answer import InputError, Trace, cite, rule
from aiact._dates import add_calendar_days, add_working_days
from aiact._params import Law

__all__ = ["hearing_earliest_decision", "msa_reply_due", "rfi_due"]


@rule("ENF-03", cite("AIA", "91", "1"), cite("AIA", "91", "4"))
def rfi_due(*, sent_on: date, time_limit_days: int, law: Law, trace: Trace) -> date:
    """A request for information states its legal basis, purpose, the information required,
    the time limit and the Art. 101 fines for incorrect, incomplete or misleading answers;
    the answer is due when the time limit set in the request runs out (calendar days)."""
    if time_limit_days <= 0:
        raise InputError("days", "the time limit must be a positive number of days")
    due = add_calendar_days(sent_on, time_limit_days)
    trace.fire(
        "ENF-03",
        f"request sent {sent_on} with a {time_limit_days}-day time limit: answer due {due}; the "
        "request must state legal basis, purpose, items, time limit and the Art. 101(1)(b) fines",
    )
    return due


@rule("ENF-05", cite("AIA", "94"), cite("MSR", "18", "3"))
def hearing_earliest_decision(*, heard_from: date, law: Law, trace: Trace) -> date:
    """Before a measure or decision the provider is heard within a period of at least ten
    working days (urgency excepted): the earliest decision date follows that period."""
    days = law.integer("hearing_minimum", heard_from, trace)
    end = add_working_days(heard_from, days)
    trace.fire(
        "ENF-05",
        f"hearing opened {heard_from}: at least {days} working days (Monday to Friday, no "
        f"holiday calendar), so the period runs to {end}; a decision may follow after that",
    )
    return end


@rule("ENF-07", cite("AIA", "75", "3"), cite("AIA", "88", "2"))
def msa_reply_due(*, received_on: date, law: Law, trace: Trace) -> date:
    """The AI Office answers a reasoned request of a market surveillance authority for
    information on a GPAI model without delay and within 30 days."""
    days = law.integer("ai_office_reply_to_msa", received_on, trace)
    due = add_calendar_days(received_on, days)
    trace.fire("ENF-07", f"request received {received_on}: answer without delay and by {due}")
    return due
