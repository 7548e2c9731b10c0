"""Application dates (Art. 113, Art. 111) and the timeline of every dated provision.

DATE-01 reads the table of application dates; DATE-03..05 are the Art. 111 transition rules;
TPL-03 is the training-summary domain cut-off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from aiact._answer import InputError, Trace, cite, rule
from aiact._params import Law

__all__ = [
    "Timeline",
    "art50_2_legacy_due",
    "large_scale_it_due",
    "legacy_high_risk",
    "timeline",
    "top_domains_cutoff",
]


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every application date under a law selection on a date."""

    rules_version: str
    law: str
    as_of: date
    entries: tuple[dict[str, object], ...]
    trace: Trace

    def to_json(self) -> dict[str, object]:
        return {
            "rules_version": self.rules_version,
            "law": self.law,
            "as_of": self.as_of.isoformat(),
            "dates": list(self.entries),
            "rules": list(self.trace.rules),
            "reasons": list(self.trace.reasons),
        }


@rule("DATE-01", cite("AIA", "113"), cite("OMNIBUS", "1", None, "40"))
def timeline(*, as_of: date, law: Law) -> Timeline:
    """Every dated provision with the date that holds on ``as_of`` under the selection, its
    status and citation, and whether it applies already; amended dates replace the original
    ones from 27 July 2026 under ``as-amended``.

    >>> from aiact import load_law
    >>> t = timeline(as_of=date(2026, 11, 25), law=load_law())
    >>> [e["date"] for e in t.entries if e["key"] == "high_risk_annex_iii_from"]
    ['2027-12-02']
    """
    trace = Trace()
    entries: list[dict[str, object]] = []
    for key in law.param_keys():
        history = law.history(key)
        if not history or history[0].kind != "date":
            continue
        if not any(v.covers(as_of) for v in history):
            continue
        p = law.param(key, as_of)
        assert isinstance(p.value, date)
        entries.append(
            {
                "key": key,
                "provision": p.title,
                "date": p.value.isoformat(),
                "status": p.status,
                "layer": p.layer,
                "citation": p.citation.to_json(),
                "reached": p.value <= as_of,
                "note": p.note,
            }
        )
    entries.sort(key=lambda e: (str(e["date"]), str(e["key"])))
    trace.fire("DATE-01", f"{len(entries)} dated provisions under {law.selection.value} on {as_of}")
    return Timeline(law.rules_version, law.selection.value, as_of, tuple(entries), trace)


@rule("DATE-03", cite("AIA", "111", "2"), cite("OMNIBUS", "1", None, "39"))
def legacy_high_risk(
    *,
    route: str,
    placed_on: date,
    significant_change: bool,
    public_authority: bool,
    on: date,
    law: Law,
    trace: Trace,
) -> dict[str, object]:
    """A high-risk system placed before the cut-off (original text: 2 August 2026; amended:
    the date Chapter III applies to its route) is covered only after a significant design
    change; systems for public authorities must comply by 2 August 2030 regardless."""
    if route not in {"annex_i", "annex_iii"}:
        raise InputError("route", "must be annex_i or annex_iii")
    cutoff = law.date(f"high_risk_legacy_cutoff_{route}", on, trace)
    legacy = placed_on < cutoff
    in_scope = (not legacy) or significant_change
    comply_by = (
        law.date("high_risk_public_authority_comply_by", on, trace) if public_authority else None
    )
    trace.fire(
        "DATE-03",
        f"placed {placed_on}, cut-off {cutoff}: "
        + (
            "new system, covered"
            if not legacy
            else (
                "legacy, covered after a significant change"
                if significant_change
                else "legacy, not covered unless changed significantly"
            )
        )
        + (f"; for public authorities comply by {comply_by}" if comply_by else ""),
    )
    return {"cutoff": cutoff, "legacy": legacy, "in_scope": in_scope, "comply_by": comply_by}


@rule("DATE-04", cite("AIA", "111", "1"))
def large_scale_it_due(*, placed_on: date, on: date, law: Law, trace: Trace) -> dict[str, object]:
    """Annex X large-scale IT components placed before 2 August 2027 comply by 31 December
    2030 (Art. 5 applies regardless)."""
    cutoff = law.date("large_scale_it_placed_before", on, trace)
    due = law.date("large_scale_it_comply_by", on, trace) if placed_on < cutoff else None
    trace.fire(
        "DATE-04",
        f"placed {placed_on}: "
        + (f"comply by {due}" if due else f"not before {cutoff}, no transition"),
    )
    return {"cutoff": cutoff, "comply_by": due}


@rule("DATE-05", cite("OMNIBUS", "1", None, "39"), cite("AIA", "50", "2"))
def art50_2_legacy_due(*, placed_on: date, on: date, law: Law, trace: Trace) -> dict[str, object]:
    """Under the amended text, generative systems placed before 2 August 2026 comply with
    Art. 50(2) by 2 December 2026; otherwise (and under the 2024 text) from 2 August 2026."""
    general = law.date("art50_from", on, trace)
    if law.selection.value == "as-amended" and any(
        v.covers(on) for v in law.history("art50_2_legacy_comply_by")
    ):
        cutoff = law.date("art50_2_legacy_placed_before", on, trace)
        if placed_on < cutoff:
            due = law.date("art50_2_legacy_comply_by", on, trace)
            trace.fire("DATE-05", f"placed {placed_on}, before {cutoff}: Art. 50(2) by {due}")
            return {"comply_by": due, "transition": True}
    due = max(general, placed_on)
    trace.fire("DATE-05", f"no Art. 111(4) transition: Art. 50(2) from {due}")
    return {"comply_by": due, "transition": False}


@rule("TPL-03", cite("TPL", "Section 2.3"))
def top_domains_cutoff(*, domains: int, sme: bool, on: date, law: Law, trace: Trace) -> int:
    """How many top domains the training summary lists: 10 % of them (rounded up); for an
    SME 5 % or 1 000, whichever is lower (reported figures)."""
    if domains < 0:
        raise InputError("domains", "must be a non-negative integer")
    if sme:
        share = law.decimal("tpl_top_domains_fraction_sme", on, trace)
        cap = law.integer("tpl_top_domains_cap_sme", on, trace)
        n = min(math.ceil(domains * share), cap)
    else:
        share = law.decimal("tpl_top_domains_fraction", on, trace)
        n = math.ceil(domains * share)
    trace.fire("TPL-03", f"{domains} domains{' (SME)' if sme else ''}: list the top {n}")
    return n
