"""Cooperation rules: the national authorities' resource reports (GOV-01), Board and advisory
forum terms (GOV-02, GOV-03), the AI Office's answer to a market surveillance authority's
request for an assessment (AIO-02), AI regulatory sandboxes (SBX-02, SBX-03) and testing in
real-world conditions (RWT-01, RWT-02); AI-ACT.md §9.3, §12.1, §12.2, §12.5.

GOV-02 (Board term), GOV-03 (advisory forum terms) and GOV-04 (scientific panel size) are
this engine's IDs: AI-ACT.md §12.1 describes those rules without giving them one.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from aiact._answer import InputError, Trace, cite, rule
from aiact._dates import add_calendar_days, add_months, add_years
from aiact._params import Law

__all__ = [
    "BODIES",
    "board_term_end",
    "forum_term_end",
    "msa_assessment_due",
    "resource_report_due",
    "rwt_approval_due",
    "rwt_end",
    "sandbox_decision_due",
    "sandbox_report_due",
    "term_end",
]

BODIES: Final = ("board", "forum", "forum_cochair")
"""The bodies whose terms :func:`term_end` knows."""


def _has(law: Law, key: str, on: date) -> bool:
    return any(v.covers(on) for v in law.history(key))


@rule("AIO-02", cite("AIA", "75", "2a"), cite("OMNIBUS", "1", None, "31"), cite("AIA", "70", "2"))
def msa_assessment_due(*, received_on: date, law: Law, trace: Trace) -> date:
    """A market surveillance authority that suspects an infringement by an operator of a
    system under the AI Office's competence may ask the AI Office, through its single point of
    contact, to assess the matter; the AI Office tells the single point of contact within four
    months of receipt whether it will act under Art. 75a, and why not if it will not.

    >>> from aiact import load_law
    >>> msa_assessment_due(received_on=date(2026, 9, 1), law=load_law(), trace=Trace())
    datetime.date(2027, 1, 1)
    """
    key = "ai_office_assessment_reply_to_msa"
    if not _has(law, key, received_on):
        raise InputError(
            "from",
            "Art. 75(2a) exists only in the amended text, for requests received from "
            "2026-07-27 (Regulation (EU) 2026/1744)",
        )
    months = law.integer(key, received_on, trace)
    due = add_months(received_on, months)
    trace.fire(
        "AIO-02",
        f"request received {received_on}: the AI Office says by {due} whether it will act "
        "under Art. 75a (and why not, if it will not)",
    )
    return due


@rule("GOV-01", cite("AIA", "70", "6"))
def resource_report_due(*, on: date, law: Law, trace: Trace) -> dict[str, date | None]:
    """Each Member State reports to the Commission on the financial and human resources of its
    national competent authorities by 2 August 2025 and every two years thereafter. Returns the
    next report due on or after ``on`` and the one due before it (None before the first).

    >>> from aiact import load_law
    >>> resource_report_due(on=date(2026, 11, 25), law=load_law(), trace=Trace())
    {'due': datetime.date(2027, 8, 2), 'previous': datetime.date(2025, 8, 2)}
    """
    first = law.date("resource_report_first", on, trace)
    years = law.integer("resource_report_interval", on, trace)
    count = 0
    due = first
    while due < on:
        count += 1
        due = add_years(first, years * count)
    previous = None if count == 0 else add_years(first, years * (count - 1))
    trace.fire(
        "GOV-01",
        f"on {on}: the next report on the national competent authorities' resources is due "
        f"{due}" + ("" if previous is None else f" (the previous one was due {previous})"),
    )
    return {"due": due, "previous": previous}


@rule("SBX-03", cite("AIA", "58", "2", "a"))
def sandbox_decision_due(*, applied_on: date, law: Law, trace: Trace) -> date:
    """An application to take part in an AI regulatory sandbox is decided within three months
    (the Art. 58 implementing acts must ensure it).

    >>> from aiact import load_law
    >>> sandbox_decision_due(applied_on=date(2026, 11, 30), law=load_law(), trace=Trace())
    datetime.date(2027, 2, 28)
    """
    months = law.integer("sandbox_decision", applied_on, trace)
    due = add_months(applied_on, months)
    trace.fire("SBX-03", f"application made {applied_on}: decision due by {due}")
    return due


@rule("SBX-02", cite("AIA", "57", "15"), cite("AIA", "57", "16"))
def sandbox_report_due(*, established_on: date, on: date, law: Law, trace: Trace) -> date:
    """National competent authorities inform the AI Office and the Board of each sandbox (the
    AI Office keeps the public list) and send them annual reports, starting one year after the
    sandbox is established, until it ends, then a final report. Returns the next annual report
    due on or after ``on``.

    >>> from aiact import load_law
    >>> law = load_law()
    >>> sandbox_report_due(
    ...     established_on=date(2026, 9, 1), on=date(2027, 9, 2), law=law, trace=Trace()
    ... )
    datetime.date(2028, 9, 1)
    """
    years = law.integer("sandbox_report_interval", on, trace)
    count = 1
    due = add_years(established_on, years)
    while due < on:
        count += 1
        due = add_years(established_on, years * count)
    trace.fire(
        "SBX-02",
        f"sandbox established {established_on}: annual report number {count} due {due}; a "
        "final report follows when the sandbox ends",
    )
    return due


@rule("RWT-01", cite("AIA", "60", "4"))
def rwt_approval_due(
    *, submitted_on: date, tacit_allowed: bool, law: Law, trace: Trace
) -> dict[str, date | None]:
    """Testing in real-world conditions outside a sandbox needs the approval of the market
    surveillance authority to which the testing plan was submitted; where national law does not
    require explicit authorisation, silence for 30 days counts as approval (Art. 60(4)(b)). All
    conditions of Art. 60(4)(a) to (k) must hold.

    >>> from aiact import load_law
    >>> rwt_approval_due(
    ...     submitted_on=date(2026, 9, 1), tacit_allowed=True, law=load_law(), trace=Trace()
    ... )
    {'due': datetime.date(2026, 10, 1), 'tacit_on': datetime.date(2026, 10, 1)}
    """
    days = law.integer("rwt_tacit_approval", submitted_on, trace)
    due = add_calendar_days(submitted_on, days)
    if tacit_allowed:
        reason = f"no answer by {due} counts as approval (national law allows tacit approval)"
    else:
        reason = "national law requires explicit authorisation: silence is not approval"
    trace.fire("RWT-01", f"testing plan submitted {submitted_on}: {reason}")
    return {"due": due, "tacit_on": due if tacit_allowed else None}


@rule("RWT-02", cite("AIA", "60", "4", "f"))
def rwt_end(*, start: date, extended: bool, law: Law, trace: Trace) -> dict[str, date | None]:
    """Testing in real-world conditions lasts no longer than necessary and at most six months;
    it may be extended once by six months after prior notification to the market surveillance
    authority with a justification. Returns the end and, while no extension is taken, the day
    by which the extension must be notified (the last day of the first period); the extended
    end is counted from the start (six plus six months).

    >>> from aiact import load_law
    >>> rwt_end(start=date(2026, 8, 31), extended=False, law=load_law(), trace=Trace())
    {'end': datetime.date(2027, 2, 28), 'extension_notice_by': datetime.date(2027, 2, 28)}
    """
    months = law.integer("rwt_max_duration", start, trace)
    first_end = add_months(start, months)
    if extended:
        extension = law.integer("rwt_extension", start, trace)
        law.integer("rwt_max_extensions", start, trace)
        end = add_months(start, months + extension)
        trace.fire(
            "RWT-02",
            f"testing started {start}, extended once: it ends by {end}; no further extension",
        )
        return {"end": end, "extension_notice_by": None}
    trace.fire(
        "RWT-02",
        f"testing started {start}: it ends by {first_end}; one extension of six months may be "
        f"notified, with a justification, by {first_end}",
    )
    return {"end": first_end, "extension_notice_by": first_end}


def _term(
    rule_id: str, *, start: date, body: str, renewals: int, law: Law, trace: Trace
) -> dict[str, object]:
    if body == "board":
        years = law.integer("board_term", start, trace)
        max_renewals = law.integer("board_renewals", start, trace)
        how = f"renewable {max_renewals} time(s)"
    elif body == "forum":
        years = law.integer("forum_term", start, trace)
        extension = law.integer("forum_extension_max", start, trace)
        max_renewals = extension // years
        how = (
            f"extendable by up to {extension} years, counted in whole terms of {years} years "
            f"(this engine's reading): at most {max_renewals} renewals"
        )
    else:
        years = law.integer("forum_cochair_term", start, trace)
        max_renewals = law.integer("forum_cochair_renewals", start, trace)
        how = f"renewable {max_renewals} time(s)"
    end = add_years(start, years)
    renewable = 0 <= renewals < max_renewals
    trace.fire(
        rule_id,
        f"{body} term of {years} years from {start} ends {end}; {how}; after {renewals} "
        f"renewal(s) it is {'renewable' if renewable else 'not renewable'}",
    )
    return {"end": end, "renewable": renewable, "max_renewals": max_renewals}


@rule("GOV-02", cite("AIA", "65", "3"))
def board_term_end(*, start: date, renewals: int, law: Law, trace: Trace) -> dict[str, object]:
    """A Member State designates its representative on the Board for three years, renewable
    once. Returns the end of the term starting on ``start`` after ``renewals`` renewals and
    whether it can be renewed again (GOV-02 is this engine's ID).

    >>> from aiact import load_law
    >>> board_term_end(start=date(2025, 9, 1), renewals=0, law=load_law(), trace=Trace())
    {'end': datetime.date(2028, 9, 1), 'renewable': True, 'max_renewals': 1}
    """
    return _term("GOV-02", start=start, body="board", renewals=renewals, law=law, trace=trace)


@rule("GOV-03", cite("AIA", "67", "4"), cite("AIA", "67"))
def forum_term_end(
    *, start: date, cochair: bool, renewals: int, law: Law, trace: Trace
) -> dict[str, object]:
    """Members of the advisory forum serve two years, extendable by up to four years (counted
    here in whole two-year terms, so at most two renewals); its two co-chairs serve two years,
    renewable once (GOV-03 is this engine's ID).

    >>> from aiact import load_law
    >>> forum_term_end(
    ...     start=date(2025, 9, 1), cochair=False, renewals=2, law=load_law(), trace=Trace()
    ... )
    {'end': datetime.date(2027, 9, 1), 'renewable': False, 'max_renewals': 2}
    """
    body = "forum_cochair" if cochair else "forum"
    return _term("GOV-03", start=start, body=body, renewals=renewals, law=law, trace=trace)


def term_end(*, start: date, body: str, renewals: int, law: Law, trace: Trace) -> dict[str, object]:
    """The end of a term of office of ``body`` (one of :data:`BODIES`) starting on ``start``
    (the start of the current term) after ``renewals`` renewals, whether it can be renewed
    again, and how many renewals the law allows. A count of renewals outside the allowed range
    is not an error: the term is then not renewable.

    >>> from aiact import load_law
    >>> term_end(
    ...     start=date(2025, 9, 1), body="forum_cochair", renewals=1, law=load_law(), trace=Trace()
    ... )
    {'end': datetime.date(2027, 9, 1), 'renewable': False, 'max_renewals': 1}
    """
    if body == "board":
        return board_term_end(start=start, renewals=renewals, law=law, trace=trace)
    if body in {"forum", "forum_cochair"}:
        return forum_term_end(
            start=start, cochair=body == "forum_cochair", renewals=renewals, law=law, trace=trace
        )
    raise InputError("body", f"must be one of {', '.join(BODIES)}")
