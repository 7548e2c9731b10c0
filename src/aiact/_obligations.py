"""Obligations of GPAI providers (Arts 52-55, 111(3)), the open-source exemption (Arts 53(2),
54(6)) and the assessment the ``aioffice rules model`` command returns."""

from __future__ import annotations

import functools
from datetime import date
from typing import Final, NamedTuple

from aiact._answer import (
    NOT_IN_FORCE,
    AnyTrace,
    Citation,
    Finding,
    InputError,
    LazyTrace,
    Template,
    Trace,
    cite,
    copy_json,
    rule,
)
from aiact._dates import add_years
from aiact._facts import RIGHTS, ModelFacts, OpenSource
from aiact._gpai import Classification, classify_model, remember
from aiact._params import Law

__all__ = ["OBLIGATION_IDS", "ModelAssessment", "Obligation", "assess_model"]

OBLIGATION_IDS = (
    "art52_1",
    "art53_1_a",
    "art53_1_b",
    "art53_1_c",
    "art53_1_d",
    "art53_3",
    "art54_1",
    "art55_1_a",
    "art55_1_b",
    "art55_1_c",
    "art55_1_d",
)
_CITATION = {
    "art52_1": cite("AIA", "52", "1"),
    "art53_1_a": cite("AIA", "53", "1", "a"),
    "art53_1_b": cite("AIA", "53", "1", "b"),
    "art53_1_c": cite("AIA", "53", "1", "c"),
    "art53_1_d": cite("AIA", "53", "1", "d"),
    "art53_3": cite("AIA", "53", "3"),
    "art54_1": cite("AIA", "54", "1"),
    "art55_1_a": cite("AIA", "55", "1", "a"),
    "art55_1_b": cite("AIA", "55", "1", "b"),
    "art55_1_c": cite("AIA", "55", "1", "c"),
    "art55_1_d": cite("AIA", "55", "1", "d"),
}
_DISQUALIFYING = (
    "non_commercial",
    "research_only",
    "no_distribution",
    "user_scale_threshold",
    "separate_commercial_licence",
)


class Obligation(NamedTuple):
    """One obligation of the model's provider on the date asked (an immutable record).

    ``status`` is ``applicable``, ``pending`` (applies from a later date), ``not_in_force``
    (Chapter V does not apply yet on the date asked) or ``not_applicable``.
    """

    id: str
    applies: bool
    applicable_from: date | None
    comply_by: date | None
    status: str
    scope: str
    reasons: tuple[str, ...]
    citations: tuple[Citation, ...]

    def to_json(self) -> dict[str, object]:
        oid, applies, start, by, status, scope, why, cited = self.json_parts()
        return {
            "id": oid,
            "applies": applies,
            "applicable_from": start,
            "comply_by": by,
            "status": status,
            "scope": scope,
            "reasons": [*why],
            "citations": list(map(copy_json, cited)),
        }

    def json_parts(self) -> _ObligationJson:
        """The fields in the order of the JSON, dates as text and citations as JSON (kept
        by the memo and never handed out: ``to_json`` copies them)."""
        start, by = self.applicable_from, self.comply_by
        return (
            self.id,
            self.applies,
            None if start is None else start.isoformat(),
            None if by is None else by.isoformat(),
            self.status,
            self.scope,
            self.reasons,
            tuple([c._json for c in self.citations]),
        )


_ObligationJson = tuple[
    str,
    bool,
    str | None,
    str | None,
    str,
    str,
    tuple[str, ...],
    tuple[dict[str, str | None], ...],
]
"""An obligation's JSON fields, in order (see :meth:`Obligation.json_parts`)."""


class ModelAssessment(NamedTuple):
    """The answer of ``assess_model``: every key of the public JSON interface (immutable)."""

    rules_version: str
    law: str
    as_of: date
    classification: Classification
    open_source_exempt: Finding
    failing_conditions: tuple[str, ...]
    obligations: tuple[Obligation, ...]
    compliance_routes: Finding
    obligations_basis: Finding
    """The reasons, citations and rules of the obligations (its value is None)."""
    obligations_json: tuple[dict[str, object], ...]
    """The obligations as JSON, rendered once and shared (read-only)."""

    def to_json(self) -> dict[str, object]:
        """The JSON output of ``aioffice rules model``.

        **Read-only**: the dict itself is new each time, but what it holds (findings,
        obligations, reasons, citations) is rendered once and shared with other answers and
        with the engine's memo. Copy it (``copy.deepcopy``) before changing anything in it.
        """
        c = self.classification
        sr_value, sr_reasons, sr_citations, sr_rules = c.systemic_risk.json_parts()
        exempt = self.open_source_exempt.json_view()
        notification = c.notification.json_view()
        basis = self.obligations_basis.json_view()
        out: dict[str, object] = {
            "rules_version": self.rules_version,
            "law": self.law,
            "as_of": self.as_of.isoformat(),
            "act_version": c.act_version.json_view(),
            "training_compute": c.compute.to_json(),
            "gpai": c.gpai.json_view(),
            "provider": c.provider.json_view(),
            "systemic_risk": {
                "value": sr_value,
                "basis": c.systemic_risk.basis,
                "reasons": [*sr_reasons],
                "citations": sr_citations,
                "rules": sr_rules,
                "status": c.sr_status,
                "since": _iso(c.sr_since),
                "until": _iso(c.sr_until),
                "presumption_met": c.presumption_met,
            },
            "open_source_exempt": {
                **exempt,
                "failing_conditions": [*self.failing_conditions],
            },
            "notification": {
                **notification,
                "required": c.notification_required,
                "due": _iso(c.notification_due),
            },
            "reassessment_earliest": _iso(c.reassessment_earliest),
            "reassessment": c.reassessment.json_view(),
            "obligations": [*self.obligations_json],
            "obligations_basis": {
                "reasons": basis["reasons"],
                "citations": basis["citations"],
                "rules": basis["rules"],
            },
            "compliance_routes": self.compliance_routes.json_view(),
        }
        if c.designation_review is not None:
            out["designation_review"] = c.designation_review.json_view()
        return out


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


# --- open source ----------------------------------------------------------------------------


@rule(
    "GPAI-OS-01",
    cite("AIA", "53", "2"),
    cite("AIA", "54", "6"),
    cite("AIA", "Recital 102-104"),
    cite("GL", "§4", "72-92"),
)
def open_source_exemption(release: OpenSource | None, has_sr: bool, trace: AnyTrace) -> list[str]:
    """A model released under a free and open-source licence granting access, use,
    modification and distribution, with public weights, architecture and usage information,
    not monetised, is exempt from Art. 53(1)(a)-(b) and Art. 54 — unless it has systemic risk.
    Returns the conditions that fail (none: exempt)."""
    failing: list[str] = []
    os_ = release
    if os_ is None:
        failing.append("no_open_source_release")
    else:
        failing += [f"licence_lacks_{r}" for r in RIGHTS if r not in os_.rights]
        failing += [f"restriction_{r}" for r in _DISQUALIFYING if r in os_.restrictions]
        if os_.monetised:
            failing.append("monetised")
        if not os_.weights_public:
            failing.append("weights_not_public")
        if not os_.architecture_public:
            failing.append("architecture_not_public")
        if not os_.usage_info_public:
            failing.append("usage_info_not_public")
    if has_sr:
        failing.append("systemic_risk")
    if failing:
        trace.fire_lazy("GPAI-OS-01", lambda: f"no open-source exemption: {', '.join(failing)}")
    else:
        allowed = (
            " (a proportionate safety restriction is allowed)"
            if os_ is not None and "safety_restriction_proportionate" in os_.restrictions
            else ""
        )
        trace.fire("GPAI-OS-01", "all conditions of the open-source exemption are met" + allowed)
    return failing


@rule("GPAI-OS-02", cite("AIA", "Recital 104"), cite("GL", "§4", "75"))
def still_required_when_exempt(trace: AnyTrace) -> tuple[str, ...]:
    """The exemption never covers the copyright policy and the training-content summary."""
    trace.fire(
        "GPAI-OS-02",
        "the copyright policy (Art. 53(1)(c)) and training summary (Art. 53(1)(d)) remain",
    )
    return ("art53_1_c", "art53_1_d")


# --- obligations ----------------------------------------------------------------------------


@rule("DATE-02", cite("AIA", "111", "3"), cite("AIA", "113", "3", "b"), cite("GL", "§5", "109-114"))
def gpai_compliance_due(placed: date, start: date, *, on: date, law: Law, trace: AnyTrace) -> date:
    """A model placed on the market before 2 August 2025 must comply by 2 August 2027;
    otherwise the obligations apply from placing (fines only from 2 August 2026)."""
    cutoff = law.date("gpai_legacy_placed_before", on, trace)
    if placed < cutoff:
        due = law.date("gpai_legacy_comply_by", on, trace)
        trace.fire_lazy(
            "DATE-02", lambda: f"placed on {placed}, before {cutoff}: legacy model, comply by {due}"
        )
        return due
    trace.fire_lazy("DATE-02", lambda: f"placed on {placed}: obligations apply from {start}")
    return start


@rule(
    "GPAI-OBL-01",
    cite("AIA", "52"),
    cite("AIA", "53"),
    cite("AIA", "54"),
    cite("AIA", "55"),
    cite("AIA", "Recital 97"),
)
def applicable_obligations(
    c: Classification, exempt: bool, established_in_eu: bool, trace: AnyTrace
) -> dict[str, tuple[bool, str]]:
    """Which obligations attach to the model's provider: the copyright policy, training summary
    and cooperation always; documentation unless open-source exempt; an authorised
    representative for a provider outside the Union unless exempt; Art. 55 with systemic risk;
    notification when the presumption is met. Nothing attaches before placing on the market
    except the notification, and nothing attaches to a modifier who did not become provider."""
    out: dict[str, tuple[bool, str]] = {}
    placed = c.gpai.value is not False and c.is_provider
    for oid in OBLIGATION_IDS:
        out[oid] = (False, "")
    if c.notification_required:
        out["art52_1"] = (True, "the notification condition of Art. 52(1) is met")
    if not c.is_provider:
        trace.fire("GPAI-OBL-01", "the modifier is not the provider: no obligations for this model")
        return out
    if c.gpai.value is False:
        trace.fire("GPAI-OBL-01", "not a GPAI model: Chapter V obligations do not attach")
        return out
    if not placed:  # pragma: no cover  # placed is gpai and provider, both checked above
        return out
    for oid in ("art53_1_c", "art53_1_d", "art53_3"):
        out[oid] = (True, "applies to every GPAI provider, open-source included")
    if exempt:
        out["art53_1_a"] = (False, "open-source exemption (Art. 53(2))")
        out["art53_1_b"] = (False, "open-source exemption (Art. 53(2))")
    else:
        out["art53_1_a"] = (True, "documentation for the AI Office and national authorities")
        out["art53_1_b"] = (True, "information for downstream providers")
    if not established_in_eu:
        out["art54_1"] = (
            (False, "open-source exemption (Art. 54(6))")
            if exempt
            else (True, "provider established outside the Union: written mandate before placing")
        )
    else:
        out["art54_1"] = (False, "provider established in the Union")
    if c.has_systemic_risk:
        for oid in ("art55_1_a", "art55_1_b", "art55_1_c", "art55_1_d"):
            out[oid] = (True, f"systemic risk ({c.sr_status})")
    applied = sorted(k for k, (v, _) in out.items() if v)
    trace.fire_lazy("GPAI-OBL-01", lambda: f"obligations attaching: {', '.join(applied) or 'none'}")
    return out


@rule("GPAI-OBL-02", cite("AIA", "53", "4"), cite("AIA", "55", "2"), cite("OMNIBUS", "Recital 41"))
def compliance_routes(on: date, law: Law) -> Finding:
    """Compliance can be shown by a harmonised standard (presumption of conformity), by an
    adequate code of practice (demonstration only, no presumption) or by other adequate means
    assessed by the Commission."""
    return _compliance_routes(on, law)


@functools.lru_cache(maxsize=4096)
def _compliance_routes(on: date, law: Law) -> Finding:
    """:func:`compliance_routes`, once per date and law (it depends on nothing else)."""
    trace = Trace()
    routes = [
        {"route": "harmonised_standard", "presumption_of_conformity": True},
        {"route": "code_of_practice", "presumption_of_conformity": False},
        {"route": "alternative_adequate_means", "presumption_of_conformity": False},
    ]
    trace.fire(
        "GPAI-OBL-02",
        "only harmonised standards give a presumption of conformity; a code of practice "
        "demonstrates compliance"
        + (
            " where the Commission assessed it as adequate (amended Art. 56(6))"
            if law.selection.value == "as-amended" and on >= law.date("chapter_v_from", on)
            else ""
        ),
    )
    return trace.finding(routes, "art53_4")


@rule("GPAI-SR-01", cite("AIA", "55", "1"), cite("AIA", "Recital 114-115"))
def sr_checklist(trace: AnyTrace) -> None:
    """A provider of a model with systemic risk evaluates it (with documented adversarial
    testing), assesses and mitigates Union-level systemic risks, tracks and reports serious
    incidents without undue delay, and ensures cybersecurity of model and infrastructure."""
    trace.fire(
        "GPAI-SR-01",
        "Art. 55(1): (a) evaluation incl. adversarial testing, (b) risk assessment and "
        "mitigation, (c) serious incidents, (d) cybersecurity",
    )


@rule("GPAI-DOC-01", cite("AIA", "Annex XI"), cite("AIA", "53", "1", "a"))
def annex_xi_sections(has_sr: bool, trace: AnyTrace) -> tuple[str, ...]:
    """Technical documentation follows Annex XI Section 1; with systemic risk, Section 2 too
    (evaluation strategies, adversarial testing, system architecture)."""
    if has_sr:
        trace.fire("GPAI-DOC-01", "Annex XI section 1 and section 2")
        return ("section_1", "section_2")
    trace.fire("GPAI-DOC-01", "Annex XI section 1")
    return ("section_1",)


@rule("GPAI-DOC-02", cite("AIA", "Annex XII"), cite("AIA", "53", "1", "b"))
def annex_xii_required(trace: AnyTrace) -> None:
    """Downstream providers receive at least the Annex XII information."""
    trace.fire("GPAI-DOC-02", "information for downstream providers per Annex XII")


@rule("GPAI-AR-01", cite("AIA", "54", "1"), cite("AIA", "54", "3"))
def representative_retention(placed: date, *, on: date, law: Law, trace: AnyTrace) -> date:
    """The authorised representative keeps the Annex XI documentation and the provider's
    contact details for ten years after placing on the market."""
    years = law.integer("ar_documentation_retention", on, trace)
    until = add_years(placed, years)
    trace.fire_lazy(
        "GPAI-AR-01",
        lambda: f"written mandate before placing; copy of the documentation kept until {until}",
    )
    return until


@rule("TPL-01", cite("AIA", "53", "1", "d"), cite("AIA", "53", "2"))
def training_summary_required(trace: AnyTrace) -> None:
    """Every GPAI provider, open-source included, publishes a summary of training content
    using the AI Office template."""
    trace.fire("TPL-01", "publish the training-content summary using the AI Office template")


@rule("TPL-02", cite("AIA", "111", "3"), cite("TPL", "Explanatory notice"))
def training_summary_update(comply_by: date, *, on: date, law: Law, trace: AnyTrace) -> None:
    """The summary is due at placing (legacy models: by 2 August 2027) and is updated at least
    every six months while training continues (reported)."""
    months = law.integer("training_summary_update_interval", on, trace)
    trace.fire_lazy(
        "TPL-02",
        lambda: (
            f"summary due by {comply_by}; update every {months} months while training continues"
        ),
    )


_NOT_PLACED: Final = "not placed on the market"
_RECITAL_97: Final = "not placed on the market: obligations attach from placing (Recital 97)"
_SPECS: Final = tuple(
    (
        oid,
        (_CITATION[oid],),
        "art52" if oid == "art52_1" else "art55" if oid.startswith("art55") else "other",
        oid.startswith("art53_1"),
    )
    for oid in OBLIGATION_IDS
)
"""Per obligation id: its citations, its group, and whether a modifier's scope applies."""


_INACTIVE: dict[tuple[str, str, str], Obligation] = {}
"""Obligations that do not apply, by (id, reason, scope): the same record every time."""


def _obligations(
    c: Classification,
    attach: dict[str, tuple[bool, str]],
    placed: date | None,
    start: date | None,
    comply_by: date | None,
    chapter_v: date,
    on: date,
) -> tuple[Obligation, ...]:
    """The eleven obligations, each with its dates, status, scope and reason."""
    is_provider = c.is_provider
    scope = "modification_only" if c.provider.value == "modifier_is_provider" else "full"
    no_reason = _NOT_PLACED if placed is None and is_provider else "conditions not met"
    recital_97 = placed is None and is_provider and c.gpai.value is not False
    sr_since = c.sr_since
    sr_start = max(start, sr_since) if start and sr_since else start
    sr_by = max(comply_by, sr_start) if comply_by and sr_start else comply_by
    in_force = on >= chapter_v
    out: list[Obligation] = []
    for oid, citations, group, modifiable in _SPECS:
        applies, why = attach[oid]
        o_from: date | None
        o_by: date | None
        if group == "art52":
            o_from = chapter_v if applies else None
            o_by = c.notification_due if applies else None
            o_scope = "full"
        else:
            applies = applies and placed is not None
            if group == "art55":
                o_from, o_by = (sr_start, sr_by) if applies else (None, None)
                o_scope = "full"
            else:
                o_from, o_by = (start, comply_by) if applies else (None, None)
                o_scope = scope if modifiable else "full"
            if not applies and why and recital_97:
                why = _RECITAL_97
        if not applies:
            if not why:
                why = no_reason
            inactive = _INACTIVE.get((oid, why, o_scope))
            if inactive is None:
                inactive = Obligation(
                    oid, False, None, None, "not_applicable", o_scope, (why,), citations
                )
                if len(_INACTIVE) < 1024:
                    _INACTIVE[(oid, why, o_scope)] = inactive
            out.append(inactive)
            continue
        if not in_force:
            status = "not_in_force"
        elif o_from is not None and on < o_from:
            status = "pending"
        else:
            status = "applicable"
        out.append(Obligation(oid, applies, o_from, o_by, status, o_scope, (why,), citations))
    return tuple(out)


def assess_model(facts: ModelFacts, *, law: Law, as_of: date | None = None) -> ModelAssessment:
    """Assess a GPAI model on a date: everything the ``model`` command returns.

    >>> from aiact import load_law, ModelFacts
    >>> facts = ModelFacts.from_json({
    ...     "as_of": "2026-11-25", "training_compute_flop": 3.8e25, "generates": ["text"],
    ...     "placed_on_market": "2024-07-23", "threshold_known_on": "2024-07-23"})
    >>> a = assess_model(facts, law=load_law())
    >>> a.classification.sr_status, a.classification.notification_due.isoformat()
    ('presumed', '2025-08-16')
    >>> [o.comply_by.isoformat() for o in a.obligations if o.id == "art55_1_a"]
    ['2027-08-02']
    """
    on = as_of or facts.as_of
    if on is None:
        raise InputError("as_of", "is required (in the input or as --as-of)")
    c = classify_model(facts, on=on, law=law)
    has_sr = c.has_systemic_risk

    key: tuple[object, ...] = (facts.open_source, has_sr)
    failing, exempt_finding = _OPEN_SOURCE.get(key) or remember(
        _OPEN_SOURCE, key, _open_source(facts.open_source, has_sr)
    )
    exempt = not failing

    placed = facts.placed_on_market
    sr_since = c.sr_since
    key = (
        law,
        law.epoch(on),
        c.notification_required,
        c.notification_due,
        c.provider.value,
        c.gpai.value is False,
        c.sr_status,
        sr_since,
        None if sr_since is None else on < sr_since,
        exempt,
        facts.provider_established_in_eu,
        placed,
        None if placed is None else on < placed,
    )
    obligations, basis, rendered = _OBLIGATIONS.get(key) or remember(
        _OBLIGATIONS, key, _obligations_of(c, exempt, facts, on, law)
    )
    return ModelAssessment(
        law.rules_version,
        law.selection_name,
        on,
        c,
        exempt_finding,
        failing,
        obligations,
        _compliance_routes(on, law),
        basis,
        rendered,
    )


_OPEN_SOURCE: dict[tuple[object, ...], tuple[tuple[str, ...], Finding]] = {}
_OBLIGATIONS: dict[
    tuple[object, ...], tuple[tuple[Obligation, ...], Finding, tuple[dict[str, object], ...]]
] = {}
"""Findings by everything their rules read (see ``aiact._gpai``): the open-source exemption
by the release and systemic risk; the obligations by the law, the stretch of days, the
classification, the exemption, the establishment and the date of placing (and whether the
date asked is before it and before the start of systemic risk)."""


def _open_source(release: OpenSource | None, has_sr: bool) -> tuple[tuple[str, ...], Finding]:
    os_trace = LazyTrace()
    failing = open_source_exemption(release, has_sr, os_trace)
    exempt = not failing
    if exempt:
        still_required_when_exempt(os_trace)
    return tuple(failing), Template(os_trace.finding(exempt, "art53_2")).finding


def _obligations_of(
    c: Classification, exempt: bool, facts: ModelFacts, on: date, law: Law
) -> tuple[tuple[Obligation, ...], Finding, tuple[dict[str, object], ...]]:
    """The eleven obligations, the finding that explains them, and their JSON."""
    chapter_v = law.date("chapter_v_from", on)
    ob_trace = LazyTrace()
    attach = applicable_obligations(c, exempt, facts.provider_established_in_eu, ob_trace)
    placed = facts.placed_on_market
    start: date | None = None
    comply_by: date | None = None
    if placed is not None:
        start = max(placed, chapter_v)
        comply_by = gpai_compliance_due(placed, start, on=on, law=law, trace=ob_trace)
        if attach["art53_1_d"][0]:
            training_summary_required(ob_trace)
            training_summary_update(comply_by, on=on, law=law, trace=ob_trace)
        if attach["art53_1_a"][0]:
            annex_xi_sections(c.has_systemic_risk, ob_trace)
        if attach["art53_1_b"][0]:
            annex_xii_required(ob_trace)
        if attach["art54_1"][0]:
            representative_retention(placed, on=on, law=law, trace=ob_trace)
    if c.has_systemic_risk and c.is_provider:
        sr_checklist(ob_trace)
    obligations = _obligations(c, attach, placed, start, comply_by, chapter_v, on)
    basis = Template(ob_trace.finding(None)).finding
    return obligations, basis, tuple([o.to_json() for o in obligations])


_ = NOT_IN_FORCE  # re-exported through the package; kept for readers of this module
