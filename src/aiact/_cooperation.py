"""Cooperation rules: the national authorities' resource reports (GOV-01), Board and advisory
forum terms (GOV-02, GOV-03), the Board's majority for its rules of procedure (GOV-05), the
advisory forum's meetings (GOV-06) and co-chairs (GOV-07), the AI Office's answer to a
market surveillance authority's request for an assessment (AIO-02), AI regulatory sandboxes
(SBX-02, SBX-03) and testing in real-world conditions (RWT-01, RWT-02); AI-ACT.md §9.3,
§12.1, §12.2, §12.5.

GOV-02 (Board term), GOV-03 (advisory forum terms), GOV-04 (scientific panel size), GOV-05
(Board majority), GOV-06 (advisory forum meetings) and GOV-07 (advisory forum co-chairs) are
this engine's IDs: AI-ACT.md §12.1
describes those rules without giving them one.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Final

from aiact._answer import InputError, Trace, cite, rule
from aiact._dates import add_calendar_days, add_months, add_years
from aiact._params import Law

__all__ = [
    "BOARD_VOTE_SUBJECTS",
    "BODIES",
    "CHECKS",
    "CONSENT_ELEMENTS",
    "RWT_CONDITIONS",
    "SECTIONS",
    "board_term_end",
    "board_vote",
    "consent_valid",
    "cooperation_check",
    "database_visibility",
    "forum_cochairs",
    "forum_meetings",
    "forum_term_end",
    "msa_assessment_due",
    "msa_request_valid",
    "national_sandbox",
    "panel_size",
    "resource_report_due",
    "rwt_approval_due",
    "rwt_conditions",
    "rwt_end",
    "sandbox_decision_due",
    "sandbox_immunity",
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


# --- the kind "cooperation": checks ---------------------------------------------------------


def _flag(data: Mapping[str, object], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise InputError(name, "must be true or false")
    return value


def _points(text: str) -> list[str]:
    return [p for p in text.split(",") if p]


def _ensure_db_rules() -> None:
    """DB-01 to DB-03 are registered by the AI-system rules, imported when first needed."""
    importlib.import_module("aiact._systems")


SECTIONS: Final = ("A", "B", "C", "IX")
"""The parts of the EU database: Annex VIII Sections A, B and C, and Annex IX."""

_SECTION_FIELDS: Final = {
    "A": "db_section_a_fields",
    "B": "db_section_b_fields",
    "C": "db_section_c_fields",
    "IX": "db_annex_ix_fields",
}
_SECURE_FIELDS: Final = {
    "A": "db_secure_fields_section_a",
    "B": "db_secure_fields_section_b",
    "C": "db_secure_fields_section_c",
    "IX": "db_secure_fields_annex_ix",
}
_SECTION_NAMES: Final = {
    "A": "Annex VIII Section A (provider, Art. 49(1))",
    "B": "Annex VIII Section B (provider relying on Art. 6(3), Art. 49(2))",
    "C": "Annex VIII Section C (public-authority deployer, Art. 49(3))",
    "IX": "Annex IX (testing in real-world conditions, Art. 60(4)(c))",
}
_ALWAYS_SECURE_POINTS: Final = frozenset({"6", "7"})
"""Annex III points 6 (law enforcement) and 7 (migration, asylum, border control) are in the
areas of Art. 49(4) by definition; point 1 (biometrics) only when used there."""


def database_visibility(
    *,
    section: str,
    annex_iii_point: str | None,
    sensitive_context: bool,
    publication_consent: bool,
    on: date,
    law: Law,
    trace: Trace,
) -> dict[str, object]:
    """Who sees a registration in the EU database and which points are entered (DB-01 to
    DB-03): ``national`` for Annex III point 2 (Art. 49(5), Art. 60(4)(c)), nothing entered in
    the EU database; ``restricted`` for Annex III points 6 and 7, and point 1 in law
    enforcement, migration, asylum or border control: the Art. 49(4) secure section, seen by
    the Commission and the Art. 74(8) authorities, with only the listed points; ``authorities``
    for Annex IX data the provider has not agreed to publish (Art. 71(4)): market surveillance
    authorities and the Commission; else ``public``. A Section B registration concerns a system
    its provider found not high-risk, so Art. 49(5) does not send it to national level.

    >>> from aiact import load_law
    >>> database_visibility(
    ...     section="C", annex_iii_point="6", sensitive_context=True, publication_consent=False,
    ...     on=date(2026, 11, 25), law=load_law(), trace=Trace(),
    ... )
    {'visibility': 'restricted', 'fields': ['1', '2', '3']}
    """
    _ensure_db_rules()
    if section not in SECTIONS:
        raise InputError("section", f"must be one of {', '.join(SECTIONS)}")
    if annex_iii_point is None:
        if section != "IX":
            raise InputError("annex_iii_point", "the Annex III point (1 to 8) is required")
    elif annex_iii_point not in {str(n) for n in range(1, 9)}:
        raise InputError("annex_iii_point", "must be an Annex III point from 1 to 8")
    name = _SECTION_NAMES[section]
    if annex_iii_point == "2" and section != "B":
        trace.fire(
            "DB-01",
            f"{name}: an Annex III point 2 (critical infrastructure) system is registered at "
            "national level, not in the EU database",
            cite("AIA", "49", "5"),
            cite("AIA", "60", "4", "c"),
        )
        trace.fire("DB-03", "the EU database holds nothing on it: visibility national")
        return {"visibility": "national", "fields": []}
    trace.fire("DB-01", f"registration in the EU database under {name}")
    secure = annex_iii_point in _ALWAYS_SECURE_POINTS or (
        annex_iii_point == "1" and sensitive_context
    )
    if secure:
        fields = _points(law.text(_SECURE_FIELDS[section], on, trace))
        trace.fire(
            "DB-02",
            f"Annex III point {annex_iii_point} in law enforcement, migration, asylum or border "
            f"control: only points {', '.join(fields)} are entered, in the secure non-public "
            "section",
        )
        if section == "B" and "9" not in _points(law.text(_SECTION_FIELDS["B"], on)):
            trace.note(
                "open question (AI-ACT.md §17 Q19(a)): Art. 49(4)(b) still names Section B point "
                "9, which Regulation (EU) 2026/1744 deleted from Annex VIII; only point 8 of the "
                "two is left to enter",
                cite("AIA", "49", "4", "b"),
            )
        trace.fire(
            "DB-03",
            "the entry is not public: only the Commission and the authorities of Art. 74(8) see it",
        )
        return {"visibility": "restricted", "fields": fields}
    fields = _points(law.text(_SECTION_FIELDS[section], on, trace))
    if section == "IX" and not publication_consent:
        trace.fire(
            "DB-03",
            "Art. 60 testing data without the provider's consent to publication: only market "
            "surveillance authorities and the Commission see it",
        )
        return {"visibility": "authorities", "fields": fields}
    consent = " (the provider consented to publication)" if section == "IX" else ""
    trace.fire(
        "DB-03",
        f"the entry is publicly accessible, user-friendly and machine-readable{consent}",
    )
    return {"visibility": "public", "fields": fields}


RWT_CONDITIONS: Final = (
    ("plan_submitted", "a", "a real-world testing plan drawn up and submitted to the authority"),
    ("approved", "b", "the market surveillance authority approved it (or tacitly)"),
    ("registered", "c", "registered with a Union-wide unique identification number (Annex IX)"),
    ("established_in_union", "d", "provider established in the Union or with a representative"),
    ("transfer_safeguards", "e", "data transferred to third countries only with safeguards"),
    ("within_duration", "f", "no longer than necessary, at most six months plus one extension"),
    ("vulnerable_protected", "g", "subjects vulnerable by age or disability protected"),
    ("deployers_informed", "h", "deployers informed, instructed and bound by an agreement"),
    (
        "informed_consent",
        "i",
        "informed consent of the subjects (Art. 61), or the law enforcement alternative",
    ),
    ("oversight", "j", "effective oversight by qualified persons"),
    ("reversible", "k", "outputs can be effectively reversed and disregarded"),
)
"""The conditions of Art. 60(4), each with its point and a plain-words statement."""


def rwt_conditions(data: Mapping[str, object], *, trace: Trace) -> dict[str, object]:
    """Testing in real-world conditions outside a sandbox is allowed only if every condition
    of Art. 60(4)(a) to (k) holds; a condition not given counts as not met.

    >>> rwt_conditions({"plan_submitted": True}, trace=Trace())["missing"][:2]
    ['approved', 'registered']
    """
    missing = [name for name, _, _ in RWT_CONDITIONS if not _flag(data, name)]
    for name, point, words in RWT_CONDITIONS:
        if name in missing:
            trace.note(f"Art. 60(4)({point}) not met: {words}", cite("AIA", "60", "4", point))
    allowed = not missing
    trace.fire(
        "RWT-01",
        "all conditions of Art. 60(4) hold: the testing may take place"
        if allowed
        else f"{len(missing)} condition(s) of Art. 60(4) missing: the testing may not take place",
    )
    return {"allowed": allowed, "missing": missing}


CONSENT_ELEMENTS: Final = (
    ("nature", "61(1)(a)", "the nature and objectives of the testing and possible inconvenience"),
    ("conditions", "61(1)(b)", "the conditions, including the expected duration of participation"),
    ("rights", "61(1)(c)", "the rights and guarantees, including to refuse and to withdraw"),
    ("reversal", "61(1)(d)", "how to ask for outputs to be reversed or disregarded"),
    ("identification", "61(1)(e)", "the unique identification number and the contact details"),
    ("dated", "61(2)", "the consent is dated"),
    ("documented", "61(2)", "the consent is documented"),
    ("copy_given", "61(2)", "a copy is given to the subject or the legal representative"),
    ("before_participation", "61(1)", "the consent was obtained before participation"),
)
"""What informed consent under Art. 61 needs, with the provision and a plain-words statement."""


@rule("RWT-03", cite("AIA", "61"))
def consent_valid(data: Mapping[str, object], *, trace: Trace) -> dict[str, object]:
    """Informed consent to testing in real-world conditions is freely given before
    participation, after clear information on points (a) to (e) of Art. 61(1), and is dated
    and documented, with a copy to the subject or the legal representative; an element not
    given counts as missing.

    >>> consent_valid({name: True for name, _, _ in CONSENT_ELEMENTS}, trace=Trace())
    {'valid': True, 'missing': []}
    """
    missing = [name for name, _, _ in CONSENT_ELEMENTS if not _flag(data, name)]
    for name, where, words in CONSENT_ELEMENTS:
        if name in missing:
            trace.note(f"Art. {where} not met: {words}")
    valid = not missing
    trace.fire(
        "RWT-03",
        "the informed consent is valid"
        if valid
        else f"the informed consent is not valid: {len(missing)} element(s) missing",
    )
    return {"valid": valid, "missing": missing}


def msa_request_valid(
    data: Mapping[str, object], *, on: date, law: Law, trace: Trace
) -> dict[str, object]:
    """A market surveillance authority's request that the AI Office assess a suspected
    infringement (Art. 75(2a)) goes through its single point of contact and states (a) the
    provider or deployer, (b) the facts, the provisions allegedly infringed and the reasons
    for the suspicion, (c) the requesting authority.

    >>> from aiact import load_law
    >>> msa_request_valid(
    ...     {"operator_named": True}, on=date(2026, 11, 25), law=load_law(), trace=Trace()
    ... )["missing"]
    ['via_single_point_of_contact', 'facts_and_provisions', 'requesting_authority']
    """
    key = "msa_request_content"
    if not _has(law, key, on):
        raise InputError(
            "on",
            "Art. 75(2a) exists only in the amended text, from 2026-07-27 (Regulation (EU) "
            "2026/1744)",
        )
    names = _points(law.text(key, on, trace))
    missing = [name for name in names if not _flag(data, name)]
    valid = not missing
    trace.fire(
        "AIO-02",
        "the request may be assessed; the AI Office answers within four months"
        if valid
        else f"the request lacks: {', '.join(missing)}",
    )
    return {"valid": valid, "missing": missing}


@rule("GOV-04", cite("AIA", "68", "1"))
def panel_size(*, members: int, on: date, law: Law, trace: Trace) -> dict[str, object]:
    """The scientific panel of independent experts has at most 60 members, a number the
    Commission sets with the Board (Implementing Regulation (EU) 2025/454, known here from a
    secondary summary; GOV-04 is this engine's ID).

    >>> from aiact import load_law
    >>> panel_size(members=61, on=date(2026, 11, 25), law=load_law(), trace=Trace())
    {'cap': 60, 'within_cap': False}
    """
    if members < 0:
        raise InputError("members", "must be a number of members, 0 or more")
    cap = law.integer("scientific_panel_max", on, trace)
    within = members <= cap
    trace.fire(
        "GOV-04",
        f"{members} member(s) against a cap of {cap}: "
        + ("within the cap" if within else "above the cap"),
    )
    return {"cap": cap, "within_cap": within}


@rule("GOV-07", cite("AIA", "67"))
def forum_cochairs(*, cochairs: int, on: date, law: Law, trace: Trace) -> dict[str, object]:
    """The advisory forum has two co-chairs (Art. 67; GOV-07 is this engine's ID): whether
    a forum with `cochairs` co-chairs (counting one about to be appointed) keeps to it.

    >>> from aiact import load_law
    >>> forum_cochairs(cochairs=3, on=date(2026, 11, 25), law=load_law(), trace=Trace())
    {'cap': 2, 'within_cap': False}
    """
    if cochairs < 0:
        raise InputError("cochairs", "must be a number of co-chairs, 0 or more")
    cap = law.integer("forum_cochairs", on, trace)
    within = cochairs <= cap
    trace.fire(
        "GOV-07",
        f"{cochairs} co-chair(s) of the advisory forum against the {cap} the Act provides: "
        + ("within" if within else "one too many"),
    )
    return {"cap": cap, "within_cap": within}


@rule("SBX-04", cite("AIA", "57", "12"))
def sandbox_immunity(*, followed_plan: bool, good_faith: bool, trace: Trace) -> dict[str, object]:
    """Participants in an AI regulatory sandbox stay liable for damage, but no administrative
    fines are imposed for infringements of the AI Act where they observe the sandbox plan and
    the terms of participation and follow the authority's guidance in good faith.

    >>> sandbox_immunity(followed_plan=True, good_faith=False, trace=Trace())
    {'immune': False}
    """
    immune = followed_plan and good_faith
    trace.fire(
        "SBX-04",
        "no administrative fine for AI Act infringements (liability for damage remains)"
        if immune
        else "the plan, the terms or the guidance were not followed in good faith: fines remain "
        "possible",
    )
    return {"immune": immune}


@rule("SBX-01", cite("AIA", "57", "1"), cite("OMNIBUS", "1", None, "22"))
def national_sandbox(*, on: date, law: Law, trace: Trace) -> dict[str, object]:
    """Each Member State ensures that its competent authorities have at least one AI regulatory
    sandbox at national level operational by 2 August 2026; 2 August 2027 under Regulation
    (EU) 2026/1744.

    >>> from aiact import load_law
    >>> national_sandbox(on=date(2026, 11, 25), law=load_law(), trace=Trace())
    {'deadline': datetime.date(2027, 8, 2), 'passed': False}
    """
    deadline = law.date("national_sandbox_by", on, trace)
    passed = on > deadline
    trace.fire(
        "SBX-01",
        f"at least one national sandbox operational by {deadline}"
        + (" (the deadline has passed)" if passed else ""),
    )
    return {"deadline": deadline, "passed": passed}


BOARD_VOTE_SUBJECTS: Final = ("rules_of_procedure", "other")
"""What a Board vote is on, for :func:`board_vote`: the law sets a majority only for the
rules of procedure."""


def _whole(data: Mapping[str, object], name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(name, "must be a whole number")
    return value


@rule("GOV-05", cite("AIA", "65", "4"))
def board_vote(
    *, in_favour: int, entitled: int, subject: str, on: date, law: Law, trace: Trace
) -> dict[str, object]:
    """The Board adopts its rules of procedure by a two-thirds majority of the Member State
    representatives (the AI Office attends without voting): met when the votes in favour are
    at least that fraction of the representatives entitled to vote. The law sets no majority
    for the Board's other votes: ``required`` and ``met`` are then None (GOV-05 is this
    engine's ID).

    >>> from aiact import load_law
    >>> board_vote(
    ...     in_favour=18, entitled=27, subject="rules_of_procedure", on=date(2026, 11, 25),
    ...     law=load_law(), trace=Trace(),
    ... )
    {'required': '2/3', 'met': True}
    """
    if subject not in BOARD_VOTE_SUBJECTS:
        raise InputError("subject", f"must be one of {', '.join(BOARD_VOTE_SUBJECTS)}")
    if entitled < 1:
        raise InputError("entitled", "must be 1 or more representatives entitled to vote")
    if not 0 <= in_favour <= entitled:
        raise InputError("in_favour", "must be from 0 to the number entitled to vote")
    if subject != "rules_of_procedure":
        trace.fire(
            "GOV-05",
            "the AI Act sets a majority only for the Board's rules of procedure: none for this "
            "vote",
        )
        return {"required": None, "met": None}
    required = Fraction(law.text("board_rules_majority", on, trace))
    met = Fraction(in_favour, entitled) >= required
    trace.fire(
        "GOV-05",
        f"rules of procedure: {in_favour} of {entitled} representatives entitled to vote in "
        f"favour against a required {required}: "
        + ("the majority is reached" if met else "the majority is not reached"),
    )
    return {"required": str(required), "met": met}


@rule("GOV-06", cite("AIA", "67"))
def forum_meetings(*, held: int, year: int, law: Law, trace: Trace) -> dict[str, object]:
    """The advisory forum meets at least twice a year: met when ``held`` meetings in the
    calendar year ``year`` reach the minimum that applies on the year's last day. Chapter VII
    applies from 2 August 2025: an earlier year is an error, and 2025 is counted against the
    full minimum with a note that it was partial. Whether the year is over is the caller's
    to say (GOV-06 is this engine's ID).

    >>> from aiact import load_law
    >>> forum_meetings(held=1, year=2026, law=load_law(), trace=Trace())
    {'minimum': 2, 'met': False}
    """
    key = "forum_meetings_min"
    if held < 0:
        raise InputError("held", "must be a number of meetings, 0 or more")
    if not 1 <= year <= 9999:
        raise InputError("year", "must be a calendar year")
    last_day = date(year, 12, 31)
    if not _has(law, key, last_day):
        raise InputError("year", "the advisory forum's rules (Chapter VII) apply from 2025-08-02")
    value = law.param(key, last_day, trace)
    minimum = law.integer(key, last_day)
    if value.valid_from is not None and value.valid_from > date(year, 1, 1):
        trace.note(
            f"the rule applies from {value.valid_from}: {year} is counted in full against the "
            "minimum although only part of it was under the rule (this engine's reading)"
        )
    met = held >= minimum
    trace.fire(
        "GOV-06",
        f"{held} meeting(s) of the advisory forum in {year} against a minimum of {minimum}: "
        + ("the minimum is met" if met else "below the minimum"),
    )
    return {"minimum": minimum, "met": met}


CHECKS: Final = (
    "database-visibility",
    "rwt-conditions",
    "consent",
    "msa-request",
    "panel-size",
    "sandbox-immunity",
    "national-sandbox",
    "board-vote",
    "forum-meetings",
    "forum-cochairs",
)
"""The checks of the kind ``cooperation``."""


def cooperation_check(
    check: object, data: Mapping[str, object], *, on: date, law: Law, trace: Trace
) -> dict[str, object]:
    """Run one check of the kind ``cooperation`` (one of :data:`CHECKS`) on ``data``.

    >>> from aiact import load_law
    >>> cooperation_check(
    ...     "panel-size", {"members": 12}, on=date(2026, 11, 25), law=load_law(), trace=Trace()
    ... )
    {'cap': 60, 'within_cap': True}
    """
    if check == "database-visibility":
        point = data.get("annex_iii_point")
        if point is not None and not isinstance(point, str):
            raise InputError("annex_iii_point", "must be an Annex III point from 1 to 8")
        return database_visibility(
            section=str(data.get("section")),
            annex_iii_point=point,
            sensitive_context=_flag(data, "sensitive_context"),
            publication_consent=_flag(data, "publication_consent"),
            on=on,
            law=law,
            trace=trace,
        )
    if check == "rwt-conditions":
        return rwt_conditions(data, trace=trace)
    if check == "consent":
        return consent_valid(data, trace=trace)
    if check == "msa-request":
        return msa_request_valid(data, on=on, law=law, trace=trace)
    if check == "panel-size":
        members = data.get("members")
        if isinstance(members, bool) or not isinstance(members, int):
            raise InputError("members", "must be a whole number of members")
        return panel_size(members=members, on=on, law=law, trace=trace)
    if check == "sandbox-immunity":
        return sandbox_immunity(
            followed_plan=_flag(data, "followed_plan"),
            good_faith=_flag(data, "good_faith"),
            trace=trace,
        )
    if check == "national-sandbox":
        return national_sandbox(on=on, law=law, trace=trace)
    if check == "board-vote":
        return board_vote(
            in_favour=_whole(data, "in_favour"),
            entitled=_whole(data, "entitled"),
            subject=str(data.get("subject")),
            on=on,
            law=law,
            trace=trace,
        )
    if check == "forum-meetings":
        return forum_meetings(
            held=_whole(data, "held"), year=_whole(data, "year"), law=law, trace=trace
        )
    if check == "forum-cochairs":
        return forum_cochairs(cochairs=_whole(data, "cochairs"), on=on, law=law, trace=trace)
    raise InputError("check", f"must be one of {', '.join(CHECKS)}")
