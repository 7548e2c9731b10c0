"""Where a compute figure stands against the systemic-risk threshold on a day: aiact's.

The threshold (Art. 51(2), amendable by delegated act under Art. 51(3)) and the ±30 %
error margin of the Guidelines (Annex A.2) are aiact's dated parameters; the band test is
aiact's GL-06 (`is_near`). Nothing here holds a legal number: a delegated act that moves
the threshold changes the answer for the days it covers, and the watch-list shows both
the import's day and today.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from aiact import is_near, load_law
from aioffice.registry.watchlist.choices import Band


@dataclass(frozen=True, slots=True)
class Threshold:
    """aiact's values on one day, with the lines that explain them and the rules version."""

    on: date
    flop: Decimal
    margin: Decimal
    basis: tuple[str, ...]
    rules_version: str


@functools.lru_cache(maxsize=64)
def threshold_on(day: date) -> Threshold:
    law = load_law()
    threshold = law.param("sr_presumption_flop", day)
    margin = law.param("compute_error_margin", day)
    assert isinstance(threshold.value, Decimal) and isinstance(margin.value, Decimal)
    return Threshold(
        day, threshold.value, margin.value, (threshold.reason, margin.reason), law.rules_version
    )


def band_of(flop: float | None, threshold: Threshold) -> tuple[str, bool | None]:
    """(band, near): above when the figure is greater than the threshold (strictly: GPAI-
    CLS-01, Art. 51(2)); near when the threshold lies within the figure's error band (GL-06),
    whether above or not; the band names "near" only for figures not above."""
    if flop is None:
        return Band.UNKNOWN, None
    value = Decimal(repr(flop))  # the shortest decimal that gives back the float
    above = value > threshold.flop
    near = is_near(value, threshold.flop, threshold.margin)
    if above:
        return Band.ABOVE, near
    return (Band.NEAR if near else Band.BELOW), near
