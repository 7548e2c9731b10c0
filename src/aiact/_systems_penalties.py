"""Penalties and serious-incident periods for AI systems: Art. 99, Art. 100 and Art. 73.

* PEN-01 — ceiling of a fine on an operator (Art. 99(3)-(6), new 99(6a));
* PEN-02 — ceiling of a fine on a Union institution, body, office or agency (Art. 100);
* PEN-03 — the factors the authority weighs when it sets the amount (Art. 99(7), 100(1));
* INC-01 — when the initial report of a serious incident with a high-risk system is due
  (Art. 73(2)-(4)).

Money is integer euro cents; shares of turnover are ``Decimal``; a share of turnover is
rounded *down* to the cent, so a ceiling is never above what the text allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Final

from aiact._answer import (
    FineCeiling,
    IncidentDeadline,
    InputError,
    Trace,
    cents_to_eur,
    cite,
    rule,
)
from aiact._dates import add_calendar_days
from aiact._params import Law

__all__ = [
    "ART73_TYPES",
    "OPERATOR_FINE_SIZES",
    "OPERATOR_FINE_TIERS",
    "UNION_BODY_FINE_TIERS",
    "art73_initial_report_due",
    "operator_fine_ceiling",
    "union_body_fine_ceiling",
]

OPERATOR_FINE_TIERS: Final = ("art5", "obligations", "information")
OPERATOR_FINE_SIZES: Final = ("large", "sme", "smc")
UNION_BODY_FINE_TIERS: Final = ("art5", "other")
ART73_TYPES: Final = (
    "death",
    "critical_infrastructure",
    "cyber_breach",
    "widespread_infringement",
    "other",
)

_TIER_KEYS: Final = {
    "art5": ("op_fine_art5_fixed", "op_fine_art5_share", "3"),
    "obligations": ("op_fine_obligations_fixed", "op_fine_obligations_share", "4"),
    "information": ("op_fine_information_fixed", "op_fine_information_share", "5"),
}
_TIER_WORDS: Final = {
    "art5": "a prohibited AI practice (Art. 5)",
    "obligations": "an obligation listed in Art. 99(4)",
    "information": "incorrect, incomplete or misleading information (Art. 99(5))",
}

# Art. 99(7)(a)-(j) and Art. 100(1)(a)-(g), in our own words.
_OPERATOR_FACTORS: Final = (
    "(a) nature, gravity, duration and consequences, the system's purpose, persons affected and "
    "damage",
    "(b) fines already imposed by other market surveillance authorities for the same infringement",
    "(c) fines imposed by other authorities under other law for the same act or omission",
    "(d) size, annual turnover and market share of the operator",
    "(e) other aggravating or mitigating factors, such as financial benefit gained or loss avoided",
    "(f) cooperation with the national competent authorities",
    "(g) degree of responsibility given the technical and organisational measures taken",
    "(h) how the authority learned of the infringement, including self-notification",
    "(i) intent or negligence",
    "(j) action taken to mitigate the harm suffered by affected persons",
)
_UNION_FACTORS: Final = (
    "(a) nature, gravity, duration and consequences",
    "(b) degree of responsibility",
    "(c) action taken to mitigate the damage",
    "(d) cooperation with the EDPS, including compliance with earlier measures",
    "(e) similar previous infringements",
    "(f) how the EDPS learned of the infringement, including self-notification",
    "(g) the annual budget of the body",
)


@rule("PEN-03", cite("AIA", "99", "7"), cite("AIA", "100", "1"))
def fine_factors(regime: str, trace: Trace) -> tuple[str, ...]:
    """The circumstances the authority weighs when it fixes a fine below the ceiling:
    Art. 99(7)(a)-(j) for operators, Art. 100(1)(a)-(g) for Union bodies (fined by the EDPS)."""
    factors = _UNION_FACTORS if regime == "union-body" else _OPERATOR_FACTORS
    where = "Art. 100(1)" if regime == "union-body" else "Art. 99(7)"
    trace.fire(
        "PEN-03", f"the amount within the ceiling is set weighing {where}: " + "; ".join(factors)
    )
    return factors


def _chapter_xii(law: Law, on: date, trace: Trace) -> tuple[date, bool]:
    """Chapter XII (Arts 99-100) applies from 2 August 2025 (Art. 113(3)(b))."""
    start = law.date("chapter_v_from", on, trace)
    in_force = on >= start
    if not in_force:
        trace.note(
            f"on {on} the fining provisions of Chapter XII do not apply yet; they apply from "
            f"{start}"
        )
    return start, in_force


def _share_cents(turnover_eur: Decimal, share: Decimal) -> int:
    """A share of turnover in whole cents, rounded down."""
    return int((turnover_eur * share * 100).to_integral_value(rounding=ROUND_DOWN))


def _turnover(value: object) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InputError("turnover", "must be a non-negative amount in euros")
    return value


@rule(
    "PEN-01",
    cite("AIA", "99", "3"),
    cite("AIA", "99", "4"),
    cite("AIA", "99", "5"),
    cite("AIA", "99", "6"),
)
def operator_fine_ceiling(
    *, tier: str, turnover_eur: Decimal, size: str, on: date, law: Law
) -> FineCeiling:
    """Ceiling of a fine on an operator: the higher of a fixed amount and a share of total
    worldwide annual turnover of the preceding financial year (Art. 99(3)-(5)); for SMEs,
    including start-ups, the lower of the two (Art. 99(6)); for small mid-caps the lower of
    the two for the Art. 99(4) and 99(5) tiers only, from 27 July 2026 (new Art. 99(6a)).

    >>> from aiact import load_law
    >>> c = operator_fine_ceiling(tier="art5", turnover_eur=Decimal("1000000000"), size="large",
    ...                           on=date(2026, 11, 25), law=load_law())
    >>> c.to_json()["maximum_eur"]
    '70000000.00'
    """
    if tier not in _TIER_KEYS:
        raise InputError("tier", "must be one of " + ", ".join(OPERATOR_FINE_TIERS))
    if size not in OPERATOR_FINE_SIZES:
        raise InputError("size", "must be one of " + ", ".join(OPERATOR_FINE_SIZES))
    turnover = _turnover(turnover_eur)
    trace = Trace()
    start, in_force = _chapter_xii(law, on, trace)
    fixed_key, share_key, paragraph = _TIER_KEYS[tier]
    fixed = law.cents(fixed_key, on, trace)
    share = law.decimal(share_key, on, trace)
    by_share = _share_cents(turnover, share)
    lower_of = size == "sme"
    smc_tiers: list[str] = []
    if size == "smc":
        smc_tiers = [t for t in law.text("op_fine_smc_lower_of_tiers", on, trace).split(",") if t]
        lower_of = tier in smc_tiers
    use_share = by_share < fixed if lower_of else by_share > fixed
    maximum = by_share if use_share else fixed
    basis = "turnover_share" if use_share else "fixed_amount"
    how = "lower" if lower_of else "higher"
    who = {"large": "an undertaking", "sme": "an SME or start-up", "smc": "a small mid-cap"}[size]
    trace.fire(
        "PEN-01",
        f"for {_TIER_WORDS[tier]} by {who} the ceiling is the {how} of EUR {cents_to_eur(fixed)} "
        f"and {share} of worldwide annual turnover (EUR {cents_to_eur(by_share)}): "
        f"EUR {cents_to_eur(maximum)} (Art. 99({paragraph})"
        + (", 99(6))" if size == "sme" else ", 99(6a))" if lower_of else ")"),
        *((cite("OMNIBUS", "1", None, "38"),) if size == "smc" and lower_of else ()),
    )
    if size == "smc" and not lower_of:
        why = (
            "the Art. 5 tier of Art. 99(3) is not covered by Art. 99(6a)"
            if smc_tiers
            else f"the text applied on {on} has no lower-of rule for small mid-caps"
        )
        trace.note(f"a small mid-cap is fined like any undertaking here: {why}")
    fine_factors("operator", trace)
    return FineCeiling(
        regime="operator",
        maximum_cents=maximum,
        basis=basis,
        reasons=tuple(trace.reasons),
        citations=tuple(trace.citations),
        rules=tuple(trace.rules),
        applicable_from=start,
        in_force=in_force,
    )


@rule("PEN-02", cite("AIA", "100", "2"), cite("AIA", "100", "3"))
def union_body_fine_ceiling(*, tier: str, on: date, law: Law) -> FineCeiling:
    """Ceiling of a fine the EDPS may impose on a Union institution, body, office or agency:
    a fixed amount for a prohibited practice (Art. 100(2)) and a lower one for any other
    non-compliance (Art. 100(3)); no share of turnover or budget.

    >>> from aiact import load_law
    >>> union_body_fine_ceiling(tier="other", on=date(2026, 1, 1), law=load_law()).maximum_cents
    75000000
    """
    if tier not in UNION_BODY_FINE_TIERS:
        raise InputError("tier", "must be one of " + ", ".join(UNION_BODY_FINE_TIERS))
    trace = Trace()
    start, in_force = _chapter_xii(law, on, trace)
    key = "union_fine_art5" if tier == "art5" else "union_fine_other"
    maximum = law.cents(key, on, trace)
    what = "a prohibited AI practice" if tier == "art5" else "non-compliance other than Art. 5"
    trace.fire(
        "PEN-02", f"for {what} the EDPS may fine a Union body up to EUR {cents_to_eur(maximum)}"
    )
    fine_factors("union-body", trace)
    return FineCeiling(
        regime="union-body",
        maximum_cents=maximum,
        basis="fixed_amount",
        reasons=tuple(trace.reasons),
        citations=tuple(trace.citations),
        rules=tuple(trace.rules),
        applicable_from=start,
        in_force=in_force,
    )


_ART73_KEYS: Final = {
    "death": "art73_days_death",
    "critical_infrastructure": "art73_days_critical_infrastructure",
    "widespread_infringement": "art73_days_widespread_infringement",
    "cyber_breach": "art73_days_general",
    "other": "art73_days_general",
}
ART73_COUNTING: Final = (
    "calendar days; the day of awareness is not counted; the report is due at the latest on "
    "awareness + N days, with no roll-over when that day is a weekend or public holiday"
)


@rule("INC-01", cite("AIA", "73", "2"), cite("AIA", "73", "3"), cite("AIA", "73", "4"))
def art73_initial_report_due(*, types: Sequence[str], aware_on: date, law: Law) -> IncidentDeadline:
    """Latest day for the initial report of a serious incident by the provider of a high-risk
    AI system: 2 days for a widespread infringement or a serious and irreversible disruption of
    critical infrastructure (Art. 73(3)), 10 days for a death (Art. 73(4)), otherwise 15 days
    (Art. 73(2)), all counted from awareness; with several types, the earliest. The report is
    due immediately once a causal link is established (for a death: suspected); the periods
    are outer limits.

    >>> from aiact import load_law
    >>> art73_initial_report_due(types=["death"], aware_on=date(2026, 9, 1),
    ...                          law=load_law()).initial_report_due
    datetime.date(2026, 9, 11)
    """
    if isinstance(types, str) or not types:
        raise InputError("types", "give at least one of " + ", ".join(ART73_TYPES))
    for t in types:
        if t not in _ART73_KEYS:
            raise InputError("types", f"unknown type {t!r}; use " + ", ".join(ART73_TYPES))
    trace = Trace()
    start = law.date("chapter_ix_from", aware_on, trace)
    if aware_on < start:
        trace.note(
            f"Art. 73 (Chapter IX) does not apply yet on {aware_on}; it applies from {start}; "
            "the date below is what the period would give"
        )
    ordered = tuple(dict.fromkeys(types))
    best: tuple[date, str] | None = None
    for t in ordered:
        days = law.integer(_ART73_KEYS[t], aware_on, trace)
        due = add_calendar_days(aware_on, days)
        if t == "cyber_breach":
            trace.note(
                "Art. 73 has no separate period for a cybersecurity breach (the 5 days of the "
                "GPAI Code of Practice do not apply to high-risk systems): the general period "
                "applies"
            )
        if best is None or due < best[0]:
            best = (due, t)
    assert best is not None
    trace.fire(
        "INC-01",
        f"aware on {aware_on}; the initial report is due at the latest on {best[0]} "
        f"({best[1].replace('_', ' ')}, the earliest of the types given); report immediately "
        "once a causal link is established or, for a death, suspected",
    )
    trace.note(
        "an incomplete initial report may be completed later (Art. 73(5))", cite("AIA", "73", "5")
    )
    return IncidentDeadline(
        regime="art73",
        types=ordered,
        aware_on=aware_on,
        initial_report_due=best[0],
        counting=ART73_COUNTING,
        reasons=tuple(trace.reasons),
        citations=tuple(trace.citations),
        rules=tuple(trace.rules),
    )
