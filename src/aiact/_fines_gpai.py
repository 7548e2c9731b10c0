"""Fines on providers of GPAI models (Art. 101; AI-ACT.md §9.1, FINE-01/02)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal

from aiact._answer import FineCeiling, InputError, Trace, cents_to_eur, cite, rule
from aiact._params import Law

__all__ = ["gpai_fine_ceiling", "parse_turnover"]


def parse_turnover(value: object, field: str = "turnover") -> Decimal:
    """Read a turnover in euros (number or decimal string, at most two decimals).

    >>> parse_turnover("1000000000.50")
    Decimal('1000000000.50')
    >>> parse_turnover("-1")
    Traceback (most recent call last):
    ...
    aiact._answer.InputError: turnover: must be a non-negative amount in euros
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InputError(field, "must be a non-negative amount in euros")
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise InputError(field, "must be a non-negative amount in euros") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(field, "must be a non-negative amount in euros")
    if amount != amount.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        raise InputError(field, "must be whole cents")
    return amount


@rule("FINE-01", cite("AIA", "101", "1"))
def _cap(turnover_eur: Decimal, *, on: date, law: Law, trace: Trace) -> tuple[int, str]:
    """The ceiling is 3 % of the worldwide annual turnover of the preceding financial year or
    EUR 15 million, whichever is higher; Art. 101 has no lower ceiling for SMEs."""
    fixed = law.cents("gpai_fine_fixed", on, trace)
    share = law.decimal("gpai_fine_turnover_share", on, trace)
    from_turnover = int((turnover_eur * 100 * share).to_integral_value(rounding=ROUND_DOWN))
    if from_turnover > fixed:
        basis, cap = "turnover_share", from_turnover
    else:
        basis, cap = "fixed_amount", fixed
    trace.fire(
        "FINE-01",
        f"{share * 100:g}% of EUR {cents_to_eur(int(turnover_eur * 100))} = EUR "
        f"{cents_to_eur(from_turnover)}; fixed EUR {cents_to_eur(fixed)}; the higher applies: "
        f"EUR {cents_to_eur(cap)} (no SME lower-of rule in Art. 101; open question 13(e))",
    )
    return cap, basis


@rule("FINE-02", cite("AIA", "101", "1"), cite("AIA", "101", "2"), cite("AIA", "113", "3", "b"))
def _grounds(*, on: date, law: Law, trace: Trace) -> tuple[bool, date]:
    """A fine needs intent or negligence and one of the grounds (a)-(d) of Art. 101(1); its
    amount weighs nature, gravity, duration, proportionality and Art. 93(3) or code-of-
    practice commitments; preliminary findings and a hearing come first. Fines are possible
    only from 2 August 2026."""
    start = law.date("art101_from", on, trace)
    in_force = on >= start
    trace.fire(
        "FINE-02",
        (
            f"on {on} Art. 101 applies (since {start})"
            if in_force
            else f"on {on} Art. 101 does not apply yet (from {start})"
        )
        + "; grounds: (a) infringement, (b) requests under Art. 91, (c) measures under Art. 93, "
        "(d) access for evaluation under Art. 92 — intentionally or negligently",
    )
    return in_force, start


def gpai_fine_ceiling(*, turnover_eur: Decimal, on: date, law: Law) -> FineCeiling:
    """The maximum fine on a GPAI provider (Art. 101) for a given turnover, on a date.

    >>> from aiact import load_law
    >>> c = gpai_fine_ceiling(
    ...     turnover_eur=Decimal("2000000000"), on=date(2026, 9, 1), law=load_law())
    >>> c.to_json()["maximum_eur"], c.basis, c.in_force
    ('60000000.00', 'turnover_share', True)
    """
    trace = Trace()
    in_force, start = _grounds(on=on, law=law, trace=trace)
    cap, basis = _cap(turnover_eur, on=on, law=law, trace=trace)
    return FineCeiling(
        "gpai",
        cap,
        basis,
        tuple(trace.reasons),
        tuple(trace.citations),
        tuple(trace.rules),
        applicable_from=start,
        in_force=in_force,
    )
