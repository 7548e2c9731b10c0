"""Training compute: how to estimate it and what to count (Guidelines Annex, AI-ACT.md §8.5).

FLOP figures are physical quantities, not money: they are held as :class:`~decimal.Decimal`
so that the strict "greater than" comparisons of Art. 51(2) and the Guidelines are exact.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal

from aiact._answer import AnyTrace, InputError, LazyTrace, Trace, cite, rule
from aiact._params import Law

__all__ = [
    "COUNTED_COMPONENTS",
    "EXCLUDED_COMPONENTS",
    "ComputeEstimate",
    "HardwarePeriod",
    "cumulative_compute",
    "estimate_6pd",
    "estimate_compute",
    "estimate_hardware",
    "is_near",
    "threshold_proximity",
    "two_significant_figures",
]

_SECONDS_PER_HOUR = 3600
_TWO_FIGURES = Context(prec=2, rounding=ROUND_HALF_UP)

COUNTED_COMPONENTS = frozenset(
    {
        "pre_training",
        "fine_tuning",
        "reinforcement_learning",
        "post_training",
        "synthetic_data_non_public",
        "merged_or_initialising_weights",
    }
)
EXCLUDED_COMPONENTS = frozenset(
    {
        "synthetic_data_public",
        "evaluation_red_teaming",
        "exploratory_research",
        "distillation_parent_training",
        "auxiliary_model_training",
        "activation_recomputation",
    }
)


@dataclass(frozen=True, slots=True)
class ComputeEstimate:
    """A compute estimate, the method used and its explanation."""

    flop: Decimal
    method: str
    trace: AnyTrace

    @property
    def flop_2sf(self) -> str:
        return two_significant_figures(self.flop)

    def to_json(self) -> dict[str, object]:
        basis = self.trace.finding(None)  # rules, reasons and citations, put together once
        return {
            "flop": float(self.flop),
            "method": self.method,
            "flop_2sf": self.flop_2sf,
            "reasons": list(basis.reasons),
            "citations": [c.to_json() for c in basis.citations],
            "rules": list(basis.rules),
        }


@dataclass(frozen=True, slots=True)
class HardwarePeriod:
    """A period with a constant number of accelerators (N), its length in seconds (L),
    peak FLOP/s per accelerator (H) and average utilisation (U)."""

    accelerators: Decimal
    seconds: Decimal
    peak_flops: Decimal
    utilisation: Decimal


def two_significant_figures(flop: Decimal) -> str:
    """Format a FLOP figure with two significant figures, as the notification needs.

    >>> two_significant_figures(Decimal("3.7908e25")), two_significant_figures(Decimal(0))
    ('3.8e25', '0.0e0')
    >>> two_significant_figures(Decimal("9.96e22"))
    '1.0e23'
    """
    if not flop:
        return "0.0e0"
    _, digits, exponent = _TWO_FIGURES.plus(flop).as_tuple()  # rounded half up, exactly
    assert isinstance(exponent, int)
    n = len(digits)
    return f"{digits[0]}.{digits[1] if n > 1 else 0}e{exponent + n - 1}"


@rule("GL-04", cite("GL", "Annex A.2"))
def estimate_6pd(
    parameters: Decimal,
    tokens: Decimal,
    *,
    on: date,
    law: Law,
    shown: tuple[str, str, str] | None = None,
) -> ComputeEstimate:
    """Architecture-based estimate for a large dense transformer: C = 6 · P · D.

    ``shown``: the texts of P, D and C in the reason (by default formatted from the numbers).

    >>> e = estimate_6pd(Decimal("3.8e9"), Decimal("3.3e12"), on=date(2026, 1, 1), law=_law())
    >>> e.flop_2sf, e.method
    ('7.5e22', 'architecture_6pd')
    """
    trace = LazyTrace()
    factor = law.integer("compute_6pd_factor", on, trace)
    flop = factor * parameters * tokens
    trace.fire_lazy(
        "GL-04",
        lambda: _gl04_reason(
            factor,
            *(shown or (f"{parameters:g}", f"{tokens:g}", two_significant_figures(flop))),
        ),
    )
    return ComputeEstimate(flop, "architecture_6pd", trace)


def _gl04_reason(factor: int, parameters: str, tokens: str, flop: str) -> str:
    return (
        f"{factor} x {parameters} parameters x {tokens} tokens = {flop}"
        " FLOP; for a mixture-of-experts model give the active parameters (a practice, not"
        " stated in the Guidelines)"
    )


@rule("GL-03", cite("GL", "Annex A.2"))
def estimate_hardware(periods: Sequence[HardwarePeriod]) -> ComputeEstimate:
    """Hardware-based estimate: C = sum over constant-N periods of N · L · H · U.

    >>> p = HardwarePeriod(Decimal(1), Decimal(200000 * 3600), Decimal("300e12"), Decimal("0.5"))
    >>> estimate_hardware([p]).flop_2sf
    '1.1e23'
    """
    trace = Trace()
    total = Decimal(0)
    for p in periods:
        total += p.accelerators * p.seconds * p.peak_flops * p.utilisation
    trace.fire(
        "GL-03",
        f"N x L x H x U summed over {len(periods)} period(s) = {two_significant_figures(total)}"
        " FLOP (all operations counted equally, whatever their precision)",
    )
    return ComputeEstimate(total, "hardware_nlhu", trace)


@rule("GL-05", cite("GL", "Annex A.1"), cite("AIA", "Recital 111"))
def cumulative_compute(components: Sequence[tuple[str, Decimal]], trace: AnyTrace) -> Decimal:
    """Cumulative training compute: add what contributes to capabilities, leave out the rest.

    Counted: pre-training, fine-tuning, RL and other post-training, non-public synthetic
    data generation (discarded samples included), merged or initialising weights. Left out:
    public synthetic data, evaluations and red-teaming, exploratory research, training of a
    distillation parent or of auxiliary (reward, value) models, activation recomputation.
    """
    total = Decimal(0)
    counted: list[str] = []
    excluded: list[str] = []
    for kind, flop in components:
        if kind in COUNTED_COMPONENTS:
            total += flop
            counted.append(kind)
        else:
            excluded.append(kind)
    trace.fire(
        "GL-05",
        f"cumulative compute {two_significant_figures(total)} FLOP counting "
        f"{', '.join(counted) or 'nothing'}; left out: {', '.join(excluded) or 'nothing'}",
    )
    return total


@rule("GL-06", cite("GL", "Annex A.2", "123"))
def threshold_proximity(
    flop: Decimal, threshold: Decimal, *, on: date, law: Law, trace: AnyTrace
) -> bool:
    """Flag an estimate whose ±30 % error band contains the threshold (for triage only).

    The legal test stays the provider's best estimate against Art. 51(2).
    """
    margin = law.decimal("compute_error_margin", on, trace)
    near = is_near(flop, threshold, margin)
    trace.fire_lazy(
        "GL-06",
        lambda: (
            f"the threshold {threshold:g} {'lies' if near else 'does not lie'} within the "
            f"±{margin * 100:g}% band around the estimate: "
            + ("flag for scrutiny" if near else "no flag")
        ),
    )
    return near


def is_near(flop: Decimal, threshold: Decimal, margin: Decimal) -> bool:
    """Whether ``threshold`` lies within ``flop`` ± ``margin`` (a fraction): the test of GL-06.

    >>> is_near(Decimal("8e24"), Decimal("1e25"), Decimal("0.3"))
    True
    """
    low, high = _band(margin)
    return flop * low <= threshold <= flop * high


@functools.lru_cache(maxsize=16)
def _band(margin: Decimal) -> tuple[Decimal, Decimal]:
    """The factors 1 - margin and 1 + margin (computed once per margin)."""
    return 1 - margin, 1 + margin


def _positive(value: object, field: str, *, allow_zero: bool = False) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InputError(field, "must be a number")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise InputError(field, "must be a number") from None
    if not number.is_finite() or number < 0 or (number == 0 and not allow_zero):
        raise InputError(field, "must be a positive number")
    return number


def estimate_compute(
    *,
    params: object = None,
    tokens: object = None,
    gpus: object = None,
    hours: object = None,
    gpu_hours: object = None,
    peak_flops: object = None,
    utilisation: object = None,
    on: date,
    law: Law,
) -> ComputeEstimate:
    """Estimate training compute from either ``params`` and ``tokens`` (6·P·D) or from
    hardware: (``gpus`` and ``hours``) or ``gpu_hours``, with ``peak_flops`` and ``utilisation``.

    >>> estimate_compute(params=1.54e9, tokens=18e12, on=date(2026, 1, 1), law=_law()).flop_2sf
    '1.7e23'
    >>> estimate_compute(gpu_hours=370000, peak_flops=989e12, utilisation=0.5,
    ...                  on=date(2026, 1, 1), law=_law()).flop_2sf
    '6.6e23'
    """
    if params is not None or tokens is not None:
        if gpus is not None or hours is not None or gpu_hours is not None:
            raise InputError("params", "give either params and tokens, or hardware figures")
        if params is None:
            raise InputError("params", "is required with tokens")
        if tokens is None:
            raise InputError("tokens", "is required with params")
        return estimate_6pd(
            _positive(params, "params"), _positive(tokens, "tokens"), on=on, law=law
        )
    if gpu_hours is not None:
        if gpus is not None or hours is not None:
            raise InputError("gpu_hours", "give either gpu_hours or gpus and hours")
        n, seconds = Decimal(1), _positive(gpu_hours, "gpu_hours") * _SECONDS_PER_HOUR
    elif gpus is not None or hours is not None:
        if gpus is None:
            raise InputError("gpus", "is required with hours")
        if hours is None:
            raise InputError("hours", "is required with gpus")
        n, seconds = _positive(gpus, "gpus"), _positive(hours, "hours") * _SECONDS_PER_HOUR
    else:
        raise InputError("params", "give params and tokens, or gpus and hours, or gpu_hours")
    if peak_flops is None:
        raise InputError("peak_flops", "is required for a hardware estimate")
    if utilisation is None:
        raise InputError("utilisation", "is required for a hardware estimate")
    u = _positive(utilisation, "utilisation")
    if u > 1:
        raise InputError("utilisation", "must be a fraction between 0 and 1")
    return estimate_hardware([HardwarePeriod(n, seconds, _positive(peak_flops, "peak_flops"), u)])


def _law() -> Law:  # helper for the doctests
    from aiact._params import load_law

    return load_law()
