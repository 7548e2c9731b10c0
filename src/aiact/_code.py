"""GPAI Code of Practice timelines: serious incidents, Framework, Model Report (COP-02..05).

The Code is voluntary (status CODE): the legal duty of Art. 55(1)(c) is to report "without
undue delay"; the Code's periods say what that typically means for signatories.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from aiact._answer import IncidentDeadline, InputError, Trace, cite, rule
from aiact._dates import add_calendar_days, add_months, add_working_days, add_years
from aiact._params import Law

__all__ = [
    "INCIDENT_TYPES",
    "framework_deadlines",
    "gpai_code_incident_due",
    "incident_followups",
    "model_report_deadlines",
]

INCIDENT_TYPES = (
    "death",
    "critical_infrastructure",
    "cyber_breach",
    "widespread_infringement",
    "other",
)
_COP_KEY = {
    "critical_infrastructure": "cop_incident_days_critical_infrastructure",
    "cyber_breach": "cop_incident_days_cyber_breach",
    "death": "cop_incident_days_death",
    "widespread_infringement": "cop_incident_days_other",
    "other": "cop_incident_days_other",
}


def check_types(types: Sequence[str]) -> tuple[str, ...]:
    """Validate incident types (at least one, each known)."""
    if not types:
        raise InputError("type", "give at least one incident type")
    for t in types:
        if t not in INCIDENT_TYPES:
            raise InputError("type", f"must be one of {', '.join(INCIDENT_TYPES)}")
    return tuple(dict.fromkeys(types))


@rule(
    "COP-02", cite("COP", "S&S Measure 9.3"), cite("AIA", "55", "1", "c"), cite("GL", "§5", "103")
)
def gpai_code_incident_due(*, types: Sequence[str], aware_on: date, law: Law) -> IncidentDeadline:
    """Initial report of a serious incident involving a model with systemic risk, counted in
    calendar days from awareness: 2 (critical infrastructure), 5 (cybersecurity breach),
    10 (death), 15 (other serious harm, incl. an infringement of fundamental rights); with
    several types, the earliest.

    >>> from aiact import load_law
    >>> d = gpai_code_incident_due(types=["death"], aware_on=date(2026, 3, 3), law=load_law())
    >>> d.initial_report_due
    datetime.date(2026, 3, 13)
    """
    kinds = check_types(types)
    trace = Trace()
    best: date | None = None
    for kind in kinds:
        days = law.integer(_COP_KEY[kind], aware_on, trace)
        due = add_calendar_days(aware_on, days)
        trace.fire("COP-02", f"{kind}: {days} calendar days after awareness ({aware_on}) = {due}")
        if best is None or due < best:
            best = due
    assert best is not None
    trace.note(
        "a Code of Practice period (voluntary); the legal duty is to report without undue delay "
        "(Art. 55(1)(c)); for non-signatories only that applies (open question 10)"
    )
    return IncidentDeadline(
        "gpai-code",
        kinds,
        aware_on,
        best,
        "calendar_days",
        tuple(trace.reasons),
        tuple(trace.citations),
        tuple(trace.rules),
    )


@rule("COP-03", cite("COP", "S&S Measure 9.3"), cite("COP", "S&S Measure 9.4"))
def incident_followups(
    *, initial_on: date, resolved_on: date | None, incident_on: date | None, law: Law, trace: Trace
) -> dict[str, object]:
    """Intermediate reports at least every four weeks until resolution; the final report
    within 60 days of resolution; documentation kept five years from the later of its date
    and the incident."""
    step = law.integer("cop_intermediate_interval", initial_on, trace)
    end = resolved_on
    intermediates: list[date] = []
    current = add_calendar_days(initial_on, step)
    while end is not None and current < end:
        intermediates.append(current)
        current = add_calendar_days(current, step)
    out: dict[str, object] = {"next_intermediate": add_calendar_days(initial_on, step)}
    if resolved_on is not None:
        if resolved_on < initial_on:
            raise InputError("resolved_on", "must not be before the initial report")
        final_days = law.integer("cop_final_report_after_resolution", initial_on, trace)
        out["intermediate_reports"] = intermediates
        out["final_report_due"] = add_calendar_days(resolved_on, final_days)
        years = law.integer("cop_incident_retention", initial_on, trace)
        out["keep_until"] = add_years(max(resolved_on, incident_on or resolved_on), years)
    trace.fire(
        "COP-03",
        f"intermediate reports every {step} days from {initial_on}"
        + (f"; final report by {out['final_report_due']}" if resolved_on else "; unresolved"),
    )
    return out


@rule("COP-04", cite("COP", "S&S Measure 1.1"), cite("COP", "S&S Measure 1.4"))
def framework_deadlines(
    *, notified_on: date, placing_on: date | None, law: Law, trace: Trace
) -> dict[str, object]:
    """Confirm the Safety and Security Framework within four weeks of the Art. 52(1)
    notification and at least two weeks before placing on the market, whichever is earlier;
    the AI Office has access within five business days of confirmation."""
    after = law.integer("cop_framework_after_notification", notified_on, trace)
    confirm_by = add_calendar_days(notified_on, after)
    if placing_on is not None:
        before = law.integer("cop_framework_before_placing", notified_on, trace)
        confirm_by = min(confirm_by, add_calendar_days(placing_on, -before))
    access = law.integer("cop_framework_access", notified_on, trace)
    access_by = add_working_days(confirm_by, access)
    trace.fire(
        "COP-04",
        f"confirm the Framework by {confirm_by}; AI Office access by {access_by} if confirmed on "
        "that day (business days counted Monday to Friday)",
    )
    return {"confirm_by": confirm_by, "ai_office_access_by": access_by}


@rule("COP-05", cite("COP", "S&S Measure 7.6"), cite("COP", "S&S Measure 7.7"))
def model_report_deadlines(
    *, placing_on: date, last_report_on: date | None, most_capable: bool, law: Law, trace: Trace
) -> dict[str, object]:
    """The Model Report is available to the AI Office by placing (at the latest 15 business
    days later with an interim report, in good faith); while the model is among the
    provider's most capable it is refreshed at least every six months."""
    grace = law.integer("cop_model_report_grace", placing_on, trace)
    out: dict[str, object] = {
        "report_by": placing_on,
        "report_by_with_interim": add_working_days(placing_on, grace),
        "refresh_by": None,
    }
    if most_capable:
        months = law.integer("cop_model_report_refresh", placing_on, trace)
        out["refresh_by"] = add_months(last_report_on or placing_on, months)
    trace.fire(
        "COP-05",
        f"Model Report by {placing_on} (or {out['report_by_with_interim']} with an interim "
        f"report); refresh {'by ' + str(out['refresh_by']) if most_capable else 'not required'}",
    )
    return out
