"""AI systems under the AI Act: scope, roles, literacy, prohibitions, high-risk, transparency.

The public entry points are :meth:`SystemFacts.from_json` (validates the input of
``aioffice rules system`` once) and :func:`assess_system` (applies the rules on the date
asked under the selected text of the law). Rule IDs are those of AI-ACT.md:

* DEF-02, DEF-05 — who is a deployer; whether the Act applies at all (Art. 2, Art. 3(4));
* AIS-LIT-01 — AI literacy (Art. 4, original and as replaced by Reg. (EU) 2026/1744);
* AIS-PRO-01 — prohibited practices (Art. 5(1), with points (ba) and (bb) as amended);
* AIS-HR-01..03 — high-risk through Annex I or Annex III, the Art. 6(3) derogation with
  the profiling override, and the Art. 6(4) documentation duty;
* AIS-VC-01 — value chain: the product manufacturer as provider (Art. 25(3));
* AIS-TR-01..02 — transparency duties of Art. 50 and the Art. 111(4) transition;
* DB-01..03 — registration in the EU database (Art. 49, Annex VIII) and its visibility.

The fines of Arts 99-100 and the Art. 73 periods live in :mod:`aiact._systems_penalties`
and are re-exported here.

"Not yet applicable" is never ``False``: an obligation that will apply later carries
``applies == NOT_IN_FORCE`` and its ``applicable_from`` date; one that does not apply to the
system at all carries ``applies is False``.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Generic, NamedTuple, TypeAlias, TypeVar

from aiact._answer import (
    NOT_IN_FORCE,
    RULES,
    Citation,
    Finding,
    InputError,
    LawSelection,
    NotInForce,
    ParameterError,
    Trace,
    cite,
    rule,
)
from aiact._dates import parse_date
from aiact._params import Law
from aiact._systems_penalties import (
    ART73_TYPES,
    OPERATOR_FINE_SIZES,
    OPERATOR_FINE_TIERS,
    UNION_BODY_FINE_TIERS,
    art73_initial_report_due,
    operator_fine_ceiling,
    union_body_fine_ceiling,
)

__all__ = [
    "ANNEX_III_POINTS",
    "ART6_3_CONDITIONS",
    "ART73_TYPES",
    "EXCLUSIONS",
    "FEATURES",
    "OBLIGATION_IDS",
    "OPERATOR_FINE_SIZES",
    "OPERATOR_FINE_TIERS",
    "PRACTICES",
    "ROLES",
    "TIERS",
    "UNION_BODY_FINE_TIERS",
    "VALUE_CHAIN_EVENTS",
    "AnnexIFacts",
    "DatedDuty",
    "HighRisk",
    "Obligation",
    "SystemAssessment",
    "SystemFacts",
    "art73_initial_report_due",
    "assess_system",
    "becomes_provider",
    "operator_fine_ceiling",
    "system_input_schema",
    "union_body_fine_ceiling",
]

# --- citations: one canonical object per distinct citation ---------------------------------

_CANONICAL: dict[Citation, Citation] = {}
_CANONICAL_IDS: set[int] = set()


def _canonical(c: Citation) -> Citation:
    """The one object kept for citations equal to ``c`` (kept alive, so its id is stable)."""
    canon = _CANONICAL.setdefault(c, c)
    _CANONICAL_IDS.add(id(canon))
    return canon


@functools.cache
def _c(
    instrument: str, article: str, paragraph: str | None = None, point: str | None = None
) -> Citation:
    """:func:`aiact.cite`, returning the canonical object."""
    return _canonical(cite(instrument, article, paragraph, point))


# --- vocabulary of the public JSON interface -----------------------------------------------

ROLES: Final = (
    "provider",
    "deployer",
    "importer",
    "distributor",
    "authorised_representative",
    "product_manufacturer",
)
EXCLUSIONS: Final = (
    "military_defence_national_security",
    "scientific_research_only",
    "pre_market_research",
    "personal_non_professional",
    "free_open_source_licence",
)
PRACTICES: Final = (
    "art5_1_a",
    "art5_1_b",
    "art5_1_ba",
    "art5_1_bb",
    "art5_1_c",
    "art5_1_d",
    "art5_1_e",
    "art5_1_f",
    "art5_1_g",
    "art5_1_h",
)
ART6_3_CONDITIONS: Final = (
    "narrow_procedural_task",
    "improves_completed_human_activity",
    "detects_patterns_with_human_review",
    "preparatory_task",
)
FEATURES: Final = (
    "interacts_with_persons",
    "generates_synthetic_content",
    "emotion_recognition",
    "biometric_categorisation",
    "deep_fake",
    "public_interest_text",
)
TIERS: Final = ("out_of_scope", "prohibited", "high_risk", "limited_risk", "minimal_risk")

# Annex III use cases (Art. 6(2)); labels in our own words. Area 2 has no points.
ANNEX_III_POINTS: Final[Mapping[str, str]] = {
    "1_a": "remote biometric identification",
    "1_b": "biometric categorisation by sensitive or protected attributes",
    "1_c": "emotion recognition",
    "2": "safety component of critical infrastructure",
    "3_a": "access or admission to education and training",
    "3_b": "evaluation of learning outcomes",
    "3_c": "assessment of the appropriate level of education",
    "3_d": "monitoring of students during tests",
    "4_a": "recruitment and selection",
    "4_b": "decisions on work relationships, task allocation and performance monitoring",
    "5_a": "eligibility for essential public assistance benefits and services",
    "5_b": "creditworthiness and credit scoring",
    "5_c": "risk assessment and pricing in life and health insurance",
    "5_d": "evaluation of emergency calls and emergency triage",
    "6_a": "law enforcement: risk of becoming a victim",
    "6_b": "law enforcement: polygraphs and similar tools",
    "6_c": "law enforcement: reliability of evidence",
    "6_d": "law enforcement: risk of offending or re-offending",
    "6_e": "law enforcement: profiling in criminal investigations",
    "7_a": "migration and border control: polygraphs and similar tools",
    "7_b": "migration and border control: security, migration or health risk",
    "7_c": "migration and border control: asylum, visa and residence applications",
    "7_d": "migration and border control: detecting or identifying persons",
    "8_a": "assisting judicial authorities and alternative dispute resolution",
    "8_b": "influencing elections, referendums or voting behaviour",
}

_ANNEX_III_LABELS: Final = {
    point: f"Annex III point {point.replace('_', '(')}{')' if '_' in point else ''} ({words})"
    for point, words in ANNEX_III_POINTS.items()
}

OBLIGATION_IDS: Final = (
    "art4_ai_literacy",
    "art6_4_document_assessment",
    "art16_provider_obligations",
    "art22_authorised_representative",
    "art23_importer",
    "art24_distributor",
    "art25_4_written_agreement",
    "art26_deployer_obligations",
    "art49_1_register_system",
    "art49_2_register_derogation",
    "art49_5_register_nationally",
    "art73_report_serious_incidents",
)

_INPUT_KEYS: Final = frozenset(
    {
        "as_of",
        "role",
        "exclusions",
        "practices",
        "annex_i",
        "annex_iii",
        "art6_3",
        "profiling",
        "features",
        "placed_on_market",
    }
)
_ANNEX_I_KEYS: Final = frozenset(
    {"safety_component_or_product", "third_party_conformity_assessment"}
)
_AMENDED_PRACTICES: Final = frozenset({"art5_1_ba", "art5_1_bb"})
_SECURE_AREAS: Final = frozenset({"6", "7"})

# --- input ---------------------------------------------------------------------------------


def _subset(data: Mapping[str, object], key: str, allowed: tuple[str, ...]) -> frozenset[str]:
    raw = data.get(key)
    if raw is None:
        return frozenset()
    if not isinstance(raw, list | tuple):
        raise InputError(key, "must be a list")
    out: set[str] = set()
    for item in raw:
        if not isinstance(item, str) or item not in allowed:
            raise InputError(key, f"unknown value {item!r}; allowed: " + ", ".join(allowed))
        if item in out:
            raise InputError(key, f"{item!r} is given twice")
        out.add(item)
    return frozenset(out)


def _day(value: object, field: str) -> date:
    """A calendar date; a date with a time of day is refused (the Act counts in days)."""
    if isinstance(value, datetime):
        raise InputError(field, "must be a date YYYY-MM-DD without a time")
    return parse_date(value, field)


def _boolean(data: Mapping[str, object], key: str, default: bool = False) -> bool:
    raw = data.get(key, default)
    if raw is None:
        return default
    if not isinstance(raw, bool):
        raise InputError(key, "must be true or false")
    return raw


@dataclass(frozen=True, slots=True)
class AnnexIFacts:
    """Art. 6(1): is the system a safety component of (or itself) an Annex I product, and
    must that product undergo third-party conformity assessment? From 27 July 2026 both
    answers are to be given as clarified by Art. 3(14) and Art. 6(1a)-(1c) (as amended)."""

    safety_component_or_product: bool
    third_party_conformity_assessment: bool


@dataclass(frozen=True, slots=True)
class SystemFacts:
    """The facts about one AI system and one operator's role, as given to ``rules system``.

    >>> f = SystemFacts.from_json({"as_of": "2026-11-25", "role": "provider", "annex_iii": "4_a"})
    >>> f.annex_iii, f.role
    ('4_a', 'provider')
    """

    as_of: date
    role: str
    exclusions: frozenset[str] = frozenset()
    practices: frozenset[str] = frozenset()
    annex_i: AnnexIFacts | None = None
    annex_iii: str | None = None
    art6_3: frozenset[str] = frozenset()
    profiling: bool = False
    features: frozenset[str] = frozenset()
    placed_on_market: date | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SystemFacts:
        """Validate the JSON input once; raise :class:`InputError` naming the bad field."""
        if not isinstance(data, Mapping):
            raise InputError("input", "must be a JSON object")
        for key in data:
            if key not in _INPUT_KEYS:
                raise InputError(str(key), "unknown field")
        if data.get("as_of") is None:
            raise InputError("as_of", "is required (a date YYYY-MM-DD)")
        as_of = _day(data["as_of"], "as_of")
        role = data.get("role")
        if role not in ROLES:
            raise InputError("role", "must be one of " + ", ".join(ROLES))
        assert isinstance(role, str)
        annex_i: AnnexIFacts | None = None
        raw_i = data.get("annex_i")
        if raw_i is not None:
            if not isinstance(raw_i, Mapping):
                raise InputError("annex_i", "must be null or an object")
            for key in raw_i:
                if key not in _ANNEX_I_KEYS:
                    raise InputError(f"annex_i.{key}", "unknown field")
            for k in sorted(_ANNEX_I_KEYS):
                if not isinstance(raw_i.get(k), bool):
                    raise InputError(f"annex_i.{k}", "is required: true or false")
            annex_i = AnnexIFacts(
                safety_component_or_product=raw_i["safety_component_or_product"] is True,
                third_party_conformity_assessment=raw_i["third_party_conformity_assessment"]
                is True,
            )
        annex_iii = data.get("annex_iii")
        if annex_iii is not None and annex_iii not in ANNEX_III_POINTS:
            raise InputError("annex_iii", "must be null or an Annex III point such as 4_a or 2")
        assert annex_iii is None or isinstance(annex_iii, str)
        raw_placed = data.get("placed_on_market")
        placed = None if raw_placed is None else _day(raw_placed, "placed_on_market")
        return cls(
            as_of=as_of,
            role=role,
            exclusions=_subset(data, "exclusions", EXCLUSIONS),
            practices=_subset(data, "practices", PRACTICES),
            annex_i=annex_i,
            annex_iii=annex_iii,
            art6_3=_subset(data, "art6_3", ART6_3_CONDITIONS),
            profiling=_boolean(data, "profiling"),
            features=_subset(data, "features", FEATURES),
            placed_on_market=placed,
        )


# --- parameters, read once per (law, date) -------------------------------------------------

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Val(Generic[T]):
    """A parameter value with the reason line that records it."""

    value: T
    note: str
    citation: Citation

    def use(self, trace: Trace) -> T:
        trace.note(self.note, self.citation)
        return self.value


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """The parameters this module reads, as they stand on one date under one law."""

    chapters_i_ii: _Val[date]
    general: _Val[date]
    art50: _Val[date]
    chapter_ix: _Val[date]
    annex_iii: _Val[date]
    annex_i: _Val[date]
    cutoff_iii: _Val[date]
    cutoff_i: _Val[date]
    public_authority_by: _Val[date]
    ncii: _Val[date] | None
    art50_2_before: _Val[date] | None
    art50_2_by: _Val[date] | None
    literacy: _Val[str]
    section_b_fields: _Val[str]
    secure_a: _Val[str]
    secure_b: _Val[str]


def _val(law: Law, key: str, on: date) -> _Val[object]:
    p = law.param(key, on)
    note = f"{p.title}: {p.display} ({p.status}; {p.citation.label})"
    return _Val(p.value, note, _canonical(p.citation))


def _date_val(law: Law, key: str, on: date) -> _Val[date]:
    v = _val(law, key, on)
    assert isinstance(v.value, date)
    return _Val(v.value, v.note, v.citation)


def _text_val(law: Law, key: str, on: date) -> _Val[str]:
    v = _val(law, key, on)
    assert isinstance(v.value, str)
    return _Val(v.value, v.note, v.citation)


def _maybe_date(law: Law, key: str, on: date) -> _Val[date] | None:
    """A date that exists only in the amended text: ``None`` where the text has none."""
    if law.selection is LawSelection.AS_PUBLISHED:
        return None
    try:
        return _date_val(law, key, on)
    except ParameterError:
        return None


_SNAPSHOT_KEYS: Final = (
    "chapters_i_ii_from",
    "general_application",
    "art50_from",
    "chapter_ix_from",
    "high_risk_annex_iii_from",
    "high_risk_annex_i_from",
    "high_risk_legacy_cutoff_annex_iii",
    "high_risk_legacy_cutoff_annex_i",
    "high_risk_public_authority_comply_by",
    "ncii_csam_prohibition_from",
    "art50_2_legacy_placed_before",
    "art50_2_legacy_comply_by",
    "art4_literacy_duty",
    "db_section_b_fields",
    "db_secure_fields_section_a",
    "db_secure_fields_section_b",
)


class _LawInfo(NamedTuple):
    """What the hot path needs of a :class:`Law`: its names, and the days on which any
    parameter this module reads changes value (between two such days, one snapshot)."""

    law: Law
    selection: str
    rules_version: str
    boundaries: tuple[date, ...]


_LAW_INFO: dict[int, _LawInfo] = {}


def _law_info(law: Law) -> _LawInfo:
    info = _LAW_INFO.get(id(law))
    if info is None or info.law is not law:
        days: set[date] = set()
        for key in _SNAPSHOT_KEYS:
            for v in law.history(key):
                days.update(d for d in (v.valid_from, v.valid_until) if d is not None)
        info = _LawInfo(law, law.selection.value, law.rules_version, tuple(sorted(days)))
        _LAW_INFO[id(law)] = info
    return info


_SNAPSHOTS: dict[tuple[int, int], _Snapshot] = {}


def _snapshot(law: Law, info: _LawInfo, on: date) -> _Snapshot:
    """The parameters on ``on``: one snapshot per period in which none of them changes."""
    cache_key = (id(law), bisect.bisect_right(info.boundaries, on))
    snap = _SNAPSHOTS.get(cache_key)
    if snap is None:
        snap = _Snapshot(
            chapters_i_ii=_date_val(law, "chapters_i_ii_from", on),
            general=_date_val(law, "general_application", on),
            art50=_date_val(law, "art50_from", on),
            chapter_ix=_date_val(law, "chapter_ix_from", on),
            annex_iii=_date_val(law, "high_risk_annex_iii_from", on),
            annex_i=_date_val(law, "high_risk_annex_i_from", on),
            cutoff_iii=_date_val(law, "high_risk_legacy_cutoff_annex_iii", on),
            cutoff_i=_date_val(law, "high_risk_legacy_cutoff_annex_i", on),
            public_authority_by=_date_val(law, "high_risk_public_authority_comply_by", on),
            ncii=_maybe_date(law, "ncii_csam_prohibition_from", on),
            art50_2_before=_maybe_date(law, "art50_2_legacy_placed_before", on),
            art50_2_by=_maybe_date(law, "art50_2_legacy_comply_by", on),
            literacy=_text_val(law, "art4_literacy_duty", on),
            section_b_fields=_text_val(law, "db_section_b_fields", on),
            secure_a=_text_val(law, "db_secure_fields_section_a", on),
            secure_b=_text_val(law, "db_secure_fields_section_b", on),
        )
        _SNAPSHOTS[cache_key] = snap
    return snap


# --- a trace that de-duplicates citations in constant time ---------------------------------


@dataclass(slots=True)
class _Trace(Trace):
    """A :class:`Trace` for the hot path: citations are gathered as tuples and de-duplicated
    once, by identity of their canonical object (see :func:`_canonical`), in :meth:`cited`.
    Read the citations with :meth:`cited`, not the ``citations`` attribute."""

    parts: list[tuple[Citation, ...]] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)

    def fire(self, rule_id: str, reason: str, *citations: Citation) -> None:
        if rule_id not in self.fired:
            self.fired.add(rule_id)
            self.rules.append(rule_id)
            self.parts.append(RULES[rule_id].citations)
        self.reasons.append(f"{rule_id}: {reason}")
        if citations:
            self.parts.append(citations)

    def note(self, reason: str, *citations: Citation) -> None:
        self.reasons.append(reason)
        if citations:
            self.parts.append(citations)

    def add_citations(self, citations: Iterable[Citation]) -> None:
        self.parts.append(tuple(citations))

    def cited(self) -> tuple[Citation, ...]:
        """Every citation gathered, first occurrence first, each distinct citation once."""
        flat = [c for part in self.parts for c in part]
        ids = list(map(id, flat))
        if not _CANONICAL_IDS.issuperset(ids):
            flat = [_canonical(c) for c in flat]
            ids = list(map(id, flat))
        return tuple(dict(zip(ids, flat, strict=True)).values())


class _Chunk(NamedTuple):
    """What a group of rules recorded for one combination of facts and parameters: replayed
    into later traces with the same inputs instead of re-running the rules."""

    reasons: tuple[str, ...]
    parts: tuple[tuple[Citation, ...], ...]
    rules: tuple[str, ...]

    @classmethod
    def of(cls, trace: _Trace) -> _Chunk:
        return cls(tuple(trace.reasons), tuple(trace.parts), tuple(trace.rules))

    def replay(self, trace: _Trace) -> None:
        trace.reasons.extend(self.reasons)
        trace.parts.extend(self.parts)
        fired = trace.fired
        for rule_id in self.rules:
            if rule_id not in fired:
                fired.add(rule_id)
                trace.rules.append(rule_id)


_CHUNK_LIMIT: Final = 200_000
_ART50_CHUNKS: dict[
    tuple[int, frozenset[str], date | None], tuple[_Chunk, tuple[DatedDuty, ...]]
] = {}
_OBLIGATION_CHUNKS: dict[tuple[object, ...], tuple[_Chunk, tuple[Obligation, ...]]] = {}


# --- output --------------------------------------------------------------------------------

Applies: TypeAlias = bool | NotInForce


class DatedDuty(NamedTuple):
    """A prohibition or transparency duty that the system meets, and from when it applies."""

    id: str
    applicable_from: date

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "applicable_from": self.applicable_from.isoformat()}


def _applies_json(applies: Applies) -> object:
    return "not_in_force" if applies is NOT_IN_FORCE else applies


class Obligation(NamedTuple):
    """One obligation id: ``applies`` is true, false or ``NOT_IN_FORCE`` (applies later)."""

    id: str
    applies: Applies
    applicable_from: date | None

    def to_json(self) -> dict[str, object]:
        start = self.applicable_from
        return {
            "id": self.id,
            "applies": _applies_json(self.applies),
            "applicable_from": None if start is None else start.isoformat(),
        }


class HighRisk(NamedTuple):
    """High-risk classification: ``value`` is true, false or ``NOT_IN_FORCE`` (the system meets
    a route but Chapter III does not apply to it yet on the date asked)."""

    value: Applies
    route: str | None
    annex_iii_point: str | None
    derogation: bool
    applicable_from: date | None

    def to_json(self) -> dict[str, object]:
        start = self.applicable_from
        return {
            "value": _applies_json(self.value),
            "route": self.route,
            "annex_iii_point": self.annex_iii_point,
            "derogation": self.derogation,
            "applicable_from": None if start is None else start.isoformat(),
        }


def _dated(oid: str, start: date, as_of: date) -> Obligation:
    """An obligation that applies to the system, in force on ``as_of`` or from ``start``."""
    return Obligation(oid, True if as_of >= start else NOT_IN_FORCE, start)


_NO: Final[Mapping[str, Obligation]] = {oid: Obligation(oid, False, None) for oid in OBLIGATION_IDS}
_NONE_APPLIES: Final = tuple(_NO[oid] for oid in OBLIGATION_IDS)
_OBLIGATION_INDEX: Final = {oid: index for index, oid in enumerate(OBLIGATION_IDS)}


_CITATION_JSON: dict[int, dict[str, str | None]] = {}


def _citation_json(c: Citation) -> dict[str, str | None]:
    """The JSON of a citation, computed once per canonical citation."""
    done = _CITATION_JSON.get(id(c))
    if done is None:
        if id(c) not in _CANONICAL_IDS:
            return c.to_json()
        done = _CITATION_JSON[id(c)] = c.to_json()
    return dict(done)


class SystemAssessment(NamedTuple):
    """The answer of :func:`assess_system`, with its reasons, citations and fired rules
    (a named tuple: immutable, and cheap to build on the hot path)."""

    rules_version: str
    law: str
    as_of: date
    tier: str
    prohibited_practices: tuple[DatedDuty, ...]
    high_risk: HighRisk
    transparency: tuple[DatedDuty, ...]
    obligations: tuple[Obligation, ...]
    reasons: tuple[str, ...]
    citations: tuple[Citation, ...]
    rules: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The JSON output of ``aioffice rules system``."""
        cache = _CITATION_JSON
        return {
            "rules_version": self.rules_version,
            "law": self.law,
            "as_of": self.as_of.isoformat(),
            "tier": self.tier,
            "prohibited_practices": [p.to_json() for p in self.prohibited_practices],
            "high_risk": self.high_risk.to_json(),
            "transparency": [t.to_json() for t in self.transparency],
            "obligations": [
                {"id": o.id, "applies": False, "applicable_from": None}
                if o.applies is False
                else o.to_json()
                for o in self.obligations
            ],
            "reasons": list(self.reasons),
            "citations": [
                dict(done) if (done := cache.get(id(c))) is not None else _citation_json(c)
                for c in self.citations
            ],
            "rules": list(self.rules),
        }


# --- rules: scope and roles ----------------------------------------------------------------


@rule("DEF-02", _c("AIA", "3", "4"), _c("AIA", "2", "10"))
def is_deployer(*, personal_non_professional: bool, trace: Trace) -> bool:
    """Someone using an AI system under its own authority is a deployer, unless the use is
    in the course of a purely personal, non-professional activity."""
    if personal_non_professional:
        trace.fire(
            "DEF-02",
            "a natural person using the system for a purely personal, non-professional activity "
            "is not a deployer",
        )
        return False
    trace.fire(
        "DEF-02",
        "the operator uses the system under its own authority, not for purely personal use: a "
        "deployer",
    )
    return True


_EXCLUSION_WORDS: Final = {
    "military_defence_national_security": (
        "placed, put into service or used exclusively for military, defence or national security "
        "purposes",
        _c("AIA", "2", "3"),
    ),
    "scientific_research_only": (
        "developed and put into service for the sole purpose of scientific research and "
        "development",
        _c("AIA", "2", "6"),
    ),
}


@rule("DEF-05", _c("AIA", "2"))
def excluded_before_classification(facts: SystemFacts, trace: Trace) -> bool:
    """The Act does not apply to systems used exclusively for military, defence or national
    security purposes (Art. 2(3)), to systems built and put into service solely for scientific
    research (Art. 2(6)), to research, testing and development before placing on the market
    (Art. 2(8)), or to the duties of a deployer using a system for purely personal purposes
    (Art. 2(10)). The free and open-source exclusion (Art. 2(12)) is decided after
    classification, by :func:`excluded_open_source`."""
    ex = facts.exclusions
    for key, (words, citation) in _EXCLUSION_WORDS.items():
        if key in ex:
            trace.fire("DEF-05", f"out of scope: the system is {words}", citation)
            return True
    if "pre_market_research" in ex:
        placed = facts.placed_on_market
        if placed is None or placed > facts.as_of:
            trace.fire(
                "DEF-05",
                "out of scope: research, testing or development before the system is placed on "
                "the market or put into service",
                _c("AIA", "2", "8"),
            )
            return True
        trace.fire(
            "DEF-05",
            f"the system was placed on the market on {placed}: the pre-market research exclusion "
            "no longer covers it",
            _c("AIA", "2", "8"),
        )
    if "personal_non_professional" in ex and facts.role != "deployer":
        trace.fire(
            "DEF-05",
            "the personal-use exclusion concerns deployers only; it does not relieve the "
            + facts.role.replace("_", " "),
            _c("AIA", "2", "10"),
        )
    return False


def excluded_open_source(*, facts: SystemFacts, counters: list[str], trace: Trace) -> bool:
    """Art. 2(12): free and open-source AI systems are outside the Act unless placed on the
    market or put into service as high-risk systems or as systems under Art. 5 or Art. 50
    (part of DEF-05)."""
    if "free_open_source_licence" not in facts.exclusions:
        trace.fire(
            "DEF-05",
            "no exclusion of Art. 2 applies: the Act applies to the system",
            _c("AIA", "2", "1"),
        )
        return False
    if counters:
        trace.fire(
            "DEF-05",
            "released under a free and open-source licence, but it is "
            + " and ".join(counters)
            + ": the open-source exclusion does not apply",
            _c("AIA", "2", "12"),
        )
        return False
    trace.fire(
        "DEF-05",
        "out of scope: released under a free and open-source licence and neither high-risk nor "
        "under Art. 5 or Art. 50",
        _c("AIA", "2", "12"),
    )
    return True


# --- rules: literacy, prohibitions ---------------------------------------------------------


@rule("AIS-LIT-01", _c("AIA", "4"))
def literacy_duty(
    *, provider_like: bool, role: str, snap: _Snapshot, as_of: date, trace: Trace
) -> Obligation | None:
    """Providers and deployers of AI systems take measures on the AI literacy of their staff
    and of others operating or using the systems on their behalf (Art. 4). The wording is
    the one in force on the date asked: from 27 July 2026 an effort to support literacy,
    with no level to guarantee."""
    if not (provider_like or role == "deployer"):
        trace.fire(
            "AIS-LIT-01", f"Art. 4 binds providers and deployers; not a {role.replace('_', ' ')}"
        )
        return None
    start = snap.chapters_i_ii.use(trace)
    duty = snap.literacy.use(trace)
    trace.fire("AIS-LIT-01", f"as {'provider' if provider_like else 'deployer'}: {duty}")
    return _dated("art4_ai_literacy", start, as_of)


_PRACTICE_WORDS: Final = {
    "art5_1_a": "subliminal, manipulative or deceptive techniques causing significant harm",
    "art5_1_b": "exploitation of vulnerabilities due to age, disability or social or economic "
    "situation",
    "art5_1_ba": "realistic intimate or sexually explicit images of an identifiable person "
    "without consent",
    "art5_1_bb": "child sexual abuse material",
    "art5_1_c": "social scoring with detrimental or disproportionate treatment",
    "art5_1_d": "predicting criminal offences solely from profiling or personality traits",
    "art5_1_e": "untargeted scraping of facial images for facial recognition databases",
    "art5_1_f": "emotion recognition at the workplace or in education",
    "art5_1_g": "biometric categorisation to infer sensitive characteristics",
    "art5_1_h": "real-time remote biometric identification in public spaces for law enforcement",
}


@rule("AIS-PRO-01", _c("AIA", "5", "1"))
def prohibited_practices(
    facts: SystemFacts, snap: _Snapshot, trace: Trace
) -> tuple[DatedDuty, ...]:
    """Placing on the market, putting into service or using an AI system for a practice
    listed in Art. 5(1) is prohibited from 2 February 2025; points (ba) and (bb), added by
    Reg. (EU) 2026/1744, from 2 December 2026. A point that is not in the text in force on
    the date asked (as published, or before 27 July 2026) is not applied."""
    if not facts.practices:
        return ()
    found: list[DatedDuty] = []
    for pid in PRACTICES:
        if pid not in facts.practices:
            continue
        point = pid[7:]
        citations: tuple[Citation, ...] = (_c("AIA", "5", "1", point),)
        if pid in _AMENDED_PRACTICES:
            if snap.ncii is None:
                trace.fire(
                    "AIS-PRO-01",
                    f"Art. 5(1)({point}) is not part of the text applied on {facts.as_of}: not "
                    "applied",
                    _c("OMNIBUS", "1", None, "7"),
                )
                continue
            start = snap.ncii.use(trace)
            citations += (_c("OMNIBUS", "1", None, "7"),)
        else:
            start = snap.chapters_i_ii.use(trace)
        when = "prohibited" if facts.as_of >= start else f"prohibited from {start}"
        trace.fire("AIS-PRO-01", f"Art. 5(1)({point}) — {_PRACTICE_WORDS[pid]}: {when}", *citations)
        found.append(DatedDuty(pid, start))
    return tuple(found)


# --- rules: high-risk ----------------------------------------------------------------------


@rule("AIS-HR-01", _c("AIA", "6", "1"))
def high_risk_annex_i(facts: SystemFacts, trace: Trace) -> bool:
    """A system is high-risk when it is a safety component of a product, or itself a product,
    covered by Annex I and that product must undergo third-party conformity assessment
    (Art. 6(1)(a) and (b)). Both facts are taken as answered under Art. 3(14) and
    Art. 6(1a)-(1c) where the amended text applies."""
    a = facts.annex_i
    assert a is not None
    if a.safety_component_or_product and a.third_party_conformity_assessment:
        trace.fire(
            "AIS-HR-01",
            "a safety component of (or itself) an Annex I product that needs third-party "
            "conformity assessment: high-risk by Art. 6(1)",
        )
        return True
    missing = (
        "is not a safety component or product under Annex I"
        if not a.safety_component_or_product
        else "does not need third-party conformity assessment"
    )
    trace.fire("AIS-HR-01", f"not high-risk by Art. 6(1): the system {missing}")
    return False


@dataclass(frozen=True, slots=True)
class _AnnexIII:
    high_risk: bool
    derogation: bool


@rule("AIS-HR-02", _c("AIA", "6", "2"), _c("AIA", "6", "3"))
def high_risk_annex_iii(facts: SystemFacts, trace: Trace) -> _AnnexIII:
    """A system listed in Annex III is high-risk (Art. 6(2)); it is not where it poses no
    significant risk because one of the conditions of Art. 6(3)(a)-(d) holds (the
    provider's own documented assessment); but a system that profiles natural persons is
    always high-risk (Art. 6(3), last subparagraph), whatever the conditions."""
    point = facts.annex_iii
    assert point is not None
    label = _ANNEX_III_LABELS[point]
    if facts.profiling:
        extra = " despite the Art. 6(3) conditions given" if facts.art6_3 else ""
        trace.fire(
            "AIS-HR-02",
            f"{label}: the system profiles natural persons, so it is high-risk{extra}",
            _c("AIA", "6", "3"),
        )
        return _AnnexIII(True, False)
    if facts.art6_3:
        conditions = ", ".join(c.replace("_", " ") for c in ART6_3_CONDITIONS if c in facts.art6_3)
        trace.fire(
            "AIS-HR-02",
            f"{label}: not high-risk under the Art. 6(3) derogation ({conditions}), on the "
            "provider's documented assessment",
            _c("AIA", "6", "3"),
        )
        return _AnnexIII(False, True)
    trace.fire("AIS-HR-02", f"{label}: high-risk by Art. 6(2)")
    return _AnnexIII(True, False)


@rule("AIS-HR-03", _c("AIA", "6", "4"))
def derogation_documentation(*, snap: _Snapshot, as_of: date, trace: Trace) -> Obligation:
    """A provider relying on Art. 6(3) documents its assessment before placing the system on
    the market or putting it into service, registers under Art. 49(2) and hands the
    documentation to national competent authorities on request (Art. 6(4)). Art. 6(4) is in
    Chapter III Section 1, so it applies with the Annex III regime."""
    start = snap.annex_iii.use(trace)
    trace.fire(
        "AIS-HR-03",
        "the provider documents the Art. 6(3) assessment before placing the system on the "
        f"market and shows it to the authorities on request, from {start}",
    )
    return _dated("art6_4_document_assessment", start, as_of)


@rule("AIS-VC-01", _c("AIA", "25", "3"), _c("AIA", "25", "4"))
def product_manufacturer_is_provider(*, annex_i_high_risk: bool, trace: Trace) -> bool:
    """For an Annex I product, the product manufacturer is the provider of the high-risk AI
    system placed on the market or put into service with the product under its name
    (Art. 25(3)), with the provider's obligations of Art. 16."""
    if annex_i_high_risk:
        trace.fire(
            "AIS-VC-01",
            "the product manufacturer of an Annex I product is the provider of the high-risk AI "
            "system in it",
        )
        return True
    trace.fire(
        "AIS-VC-01",
        "a product manufacturer becomes provider under Art. 25(3) only for a high-risk Annex I "
        "system: not the case",
    )
    return False


VALUE_CHAIN_EVENTS: Final = ("rebrand", "substantial_modification", "repurpose")
_EVENT_WORDS: Final = {
    "rebrand": ("a", "puts its name or trademark on a high-risk system already on the market"),
    "substantial_modification": (
        "b",
        "substantially modifies a high-risk system that remains high-risk",
    ),
    "repurpose": (
        "c",
        "changes the intended purpose of a system (including a general-purpose AI system) so "
        "that it becomes high-risk",
    ),
}


def becomes_provider(
    *,
    event: str,
    route: str,
    high_risk_after: bool,
    initial_provider_excluded_high_risk_use: bool = False,
    on: date,
    law: Law,
) -> Finding:
    """Art. 25(1): a distributor, importer, deployer or other third party becomes the provider
    of a high-risk system (with the duties of Art. 16) when it rebrands a high-risk system,
    substantially modifies one that stays high-risk, or repurposes a system so that it becomes
    high-risk. The initial provider then cooperates (Art. 25(2)), unless it clearly excluded
    the change into a high-risk system. Python API only: the JSON input has no event field.

    ``value`` is true, false or ``NOT_IN_FORCE`` (Chapter III not yet applicable to the route
    on ``on``); ``basis`` is the point of Art. 25(1).

    >>> from aiact import load_law
    >>> f = becomes_provider(event="repurpose", route="annex_iii", high_risk_after=True,
    ...                      on=date(2028, 1, 1), law=load_law())
    >>> f.value, f.basis
    (True, 'art25_1_c')
    """
    if event not in _EVENT_WORDS:
        raise InputError("event", "must be one of " + ", ".join(VALUE_CHAIN_EVENTS))
    if route not in ("annex_i", "annex_iii"):
        raise InputError("route", "must be annex_i or annex_iii")
    trace = _Trace()
    snap = _snapshot(law, _law_info(law), on)
    point, words = _EVENT_WORDS[event]
    citation = _c("AIA", "25", "1", point)
    if not high_risk_after:
        trace.fire(
            "AIS-VC-01",
            f"Art. 25(1)({point}) needs a system that is high-risk after the "
            f"{event.replace('_', ' ')}: not the case, so the operator does not become provider",
            citation,
        )
        return Finding(False, None, tuple(trace.reasons), trace.cited(), tuple(trace.rules))
    start = (snap.annex_i if route == "annex_i" else snap.annex_iii).use(trace)
    trace.fire(
        "AIS-VC-01",
        f"the operator {words}: it becomes the provider with the duties of Art. 16 from {start}",
        citation,
        _c("AIA", "16"),
    )
    if initial_provider_excluded_high_risk_use:
        trace.note(
            "the initial provider clearly excluded the change into a high-risk system: it owes "
            "no cooperation under Art. 25(2)",
            _c("AIA", "25", "2"),
        )
    else:
        trace.note(
            "the initial provider is no longer the provider of this system but must cooperate: "
            "information, technical access and assistance (Art. 25(2))",
            _c("AIA", "25", "2"),
        )
    value: Applies = True if on >= start else NOT_IN_FORCE
    return Finding(
        value, f"art25_1_{point}", tuple(trace.reasons), trace.cited(), tuple(trace.rules)
    )


# --- rules: transparency -------------------------------------------------------------------

_ART50: Final = (
    (
        "art50_1",
        "provider",
        frozenset({"interacts_with_persons"}),
        "inform persons that they interact with an AI system",
    ),
    (
        "art50_2",
        "provider",
        frozenset({"generates_synthetic_content", "deep_fake", "public_interest_text"}),
        "mark synthetic outputs in a machine-readable, detectable way",
    ),
    (
        "art50_3",
        "deployer",
        frozenset({"emotion_recognition", "biometric_categorisation"}),
        "inform exposed persons of the emotion recognition or biometric categorisation",
    ),
    (
        "art50_4",
        "deployer",
        frozenset({"deep_fake", "public_interest_text"}),
        "disclose that the deep fake or public-interest text is artificially generated or "
        "manipulated",
    ),
)


@rule("AIS-TR-02", _c("AIA", "50", "2"), _c("AIA", "111", "4"))
def art50_2_from(facts: SystemFacts, snap: _Snapshot, trace: Trace) -> date:
    """Art. 50(2) applies from 2 August 2026; a generative system placed on the market before
    that day has until 2 December 2026 (new Art. 111(4), as amended)."""
    general = snap.art50.value
    before, by = snap.art50_2_before, snap.art50_2_by
    placed = facts.placed_on_market
    if before is None or by is None:
        trace.fire(
            "AIS-TR-02",
            f"the text applied has no transition for Art. 50(2): it applies from {general}",
        )
        return general
    if placed is not None and placed < before.use(trace):
        deadline = by.use(trace)
        trace.fire(
            "AIS-TR-02",
            f"placed on the market on {placed}, before {before.value}: Art. 50(2) applies from "
            f"{deadline}",
        )
        return deadline
    trace.fire(
        "AIS-TR-02",
        f"not placed on the market before {before.value}: Art. 50(2) applies from {general}",
    )
    return general


@rule("AIS-TR-01", _c("AIA", "50"))
def art50_duties(facts: SystemFacts, snap: _Snapshot, trace: Trace) -> tuple[DatedDuty, ...]:
    """Art. 50 duties triggered by what the system does, whoever bears them: providers of
    systems interacting with persons (50(1)) or generating synthetic content (50(2));
    deployers of emotion recognition or biometric categorisation (50(3)) and of deep fakes
    or public-interest text (50(4)). Exceptions (obvious interaction, authorised crime
    prevention, editorial control, artistic works) are not in the input and are not applied.
    Called only for a system with at least one feature."""
    duties: list[DatedDuty] = []
    start = snap.art50.use(trace)
    for duty_id, bearer, triggers, words in _ART50:
        if facts.features.isdisjoint(triggers):
            continue
        when = art50_2_from(facts, snap, trace) if duty_id == "art50_2" else start
        paragraph = duty_id[6:]
        trace.fire(
            "AIS-TR-01",
            f"Art. 50({paragraph}): the {bearer} must {words}, from {when}",
            _c("AIA", "50", paragraph),
        )
        duties.append(DatedDuty(duty_id, when))
    return tuple(duties)


# --- rules: EU database --------------------------------------------------------------------


def _later(a: date, b: date) -> date:
    return a if a >= b else b


@rule("DB-01", _c("AIA", "49"))
def registration(
    *, point: str, derogation: bool, as_of: date, snap: _Snapshot, trace: Trace
) -> Obligation:
    """Before placing an Annex III high-risk system on the market, its provider registers
    itself and the system in the EU database (Art. 49(1), Annex VIII Section A), except for
    Annex III point 2, registered at national level (Art. 49(5)); a provider relying on
    Art. 6(3) registers under Art. 49(2) (Annex VIII Section B). Art. 49 nominally applies
    from 2 August 2026 but only bites once the system is high-risk (AI-ACT.md §17 Q25): the
    later of the two dates is used."""
    start = _later(snap.general.use(trace), snap.annex_iii.value)
    area = point.split("_")[0]
    if derogation:
        fields = snap.section_b_fields.use(trace)
        trace.fire(
            "DB-01",
            "the provider registers itself and the system under Art. 49(2) "
            f"(Annex VIII Section B points {fields}) from {start}",
            _c("AIA", "49", "2"),
        )
        visibility(area=area, section="B", snap=snap, trace=trace)
        return _dated("art49_2_register_derogation", start, as_of)
    if area == "2":
        trace.fire(
            "DB-01",
            "an Annex III point 2 system is registered at national level (Art. 49(5)) from "
            f"{start}",
            _c("AIA", "49", "5"),
        )
        return _dated("art49_5_register_nationally", start, as_of)
    trace.fire(
        "DB-01",
        "the provider registers itself and the system in the EU database before placing "
        f"it on the market (Art. 49(1), Annex VIII Section A) from {start}",
        _c("AIA", "49", "1"),
    )
    visibility(area=area, section="A", snap=snap, trace=trace)
    return _dated("art49_1_register_system", start, as_of)


@rule("DB-02", _c("AIA", "49", "4"))
def secure_fields(*, section: str, snap: _Snapshot, trace: Trace) -> str:
    """For Annex III points 1, 6 and 7 in law enforcement, migration, asylum and border
    control, registration goes to a secure non-public section holding only the Annex VIII
    points listed in Art. 49(4)."""
    fields = (snap.secure_a if section == "A" else snap.secure_b).use(trace)
    trace.fire(
        "DB-02",
        f"only Annex VIII Section {section} points {fields} are entered in the secure non-public "
        "section",
    )
    return fields


@rule("DB-03", _c("AIA", "71", "4"), _c("AIA", "49", "4"))
def visibility(*, area: str, section: str, snap: _Snapshot, trace: Trace) -> str:
    """Registered Art. 49 information is public, user-friendly and machine-readable
    (Art. 71(4)), except entries in the Art. 49(4) secure section, which only the Commission
    and the authorities of Art. 74(8) see."""
    if area in _SECURE_AREAS:
        secure_fields(section=section, snap=snap, trace=trace)
        trace.fire(
            "DB-03",
            f"Annex III area {area} (law enforcement, migration, asylum, border control): the "
            "entry is not public",
        )
        return "restricted"
    extra = (
        "; if the biometric system is used in law enforcement, migration, asylum or border "
        "control the secure section applies instead"
        if area == "1"
        else ""
    )
    trace.fire("DB-03", f"the entry is publicly accessible and machine-readable{extra}")
    return "public"


# --- the assessment ------------------------------------------------------------------------


_SECTION_3: Final = (
    ("art16_provider_obligations", "provider", "the provider obligations of Art. 16", "16", None),
    (
        "art22_authorised_representative",
        "authorised_representative",
        "the authorised representative's tasks of Art. 22",
        "22",
        None,
    ),
    ("art23_importer", "importer", "the importer obligations of Art. 23", "23", None),
    ("art24_distributor", "distributor", "the distributor obligations of Art. 24", "24", None),
    (
        "art25_4_written_agreement",
        "provider",
        "a written agreement with suppliers of AI systems, models, tools and components",
        "25",
        "4",
    ),
    ("art26_deployer_obligations", "deployer", "the deployer obligations of Art. 26", "26", None),
)


def _hr_obligations(
    *, bearer: str, as_of: date, hr_from: date, snap: _Snapshot, trace: Trace
) -> list[Obligation]:
    """Chapter III Section 3 duties of the operator's role (Arts 16, 22-24, 25(4), 26) and,
    for the provider, Art. 73 incident reporting."""
    out: list[Obligation] = []
    for oid, who, words, article, paragraph in _SECTION_3:
        if who == bearer:
            trace.note(
                f"as {who.replace('_', ' ')} of a high-risk system: {words}, from {hr_from}",
                _c("AIA", article, paragraph),
            )
            out.append(_dated(oid, hr_from, as_of))
    if bearer == "provider":
        ix = snap.chapter_ix.use(trace)
        start = _later(ix, hr_from)
        trace.note(
            f"the provider reports serious incidents under Art. 73 from {start}: Chapter IX "
            f"applies from {ix}, but only to systems already high-risk (AI-ACT.md §17 Q25)",
            _c("AIA", "73", "1"),
        )
        out.append(_dated("art73_report_serious_incidents", start, as_of))
    return out


_NOT_HIGH_RISK: Final = HighRisk(False, None, None, False, None)


def _obligations(
    *,
    facts: SystemFacts,
    provider_like: bool,
    bearer: str,
    derogation: bool,
    route: str | None,
    hr_from: date | None,
    snap: _Snapshot,
    trace: Trace,
) -> tuple[Obligation, ...]:
    """The obligations that apply to the role, now or later (their ``applies`` is settled by
    the caller against the date asked): Art. 4, 6(4), Chapter III Section 3, Art. 49, 73.
    Nothing here depends on the date asked beyond the parameter snapshot, so the result is
    shared between answers with the same inputs."""
    some_day = snap.chapters_i_ii.value
    found: list[Obligation | None] = [
        literacy_duty(
            provider_like=provider_like, role=facts.role, snap=snap, as_of=some_day, trace=trace
        )
    ]
    if provider_like and derogation:
        found.append(derogation_documentation(snap=snap, as_of=some_day, trace=trace))
    if hr_from is not None:
        found.extend(
            _hr_obligations(bearer=bearer, as_of=some_day, hr_from=hr_from, snap=snap, trace=trace)
        )
    if (
        provider_like
        and facts.annex_iii is not None
        and (derogation or (hr_from is not None and route == "annex_iii"))
    ):
        found.append(
            registration(
                point=facts.annex_iii, derogation=derogation, as_of=some_day, snap=snap, trace=trace
            )
        )
    return tuple(o for o in found if o is not None)


def assess_system(facts: SystemFacts, *, law: Law) -> SystemAssessment:
    """Apply the AI-system rules to ``facts`` on ``facts.as_of`` under ``law``.

    The tier is the most severe that applies on the date: ``out_of_scope`` (Art. 2),
    ``prohibited`` (Art. 5), ``high_risk`` (Art. 6, Chapter III applicable), ``limited_risk``
    (an Art. 50 duty applicable, whoever bears it), else ``minimal_risk``.

    >>> from aiact import load_law
    >>> f = SystemFacts.from_json({"as_of": "2027-12-02", "role": "provider", "annex_iii": "4_a"})
    >>> a = assess_system(f, law=load_law("as-amended"))
    >>> a.tier, a.high_risk.route, a.high_risk.applicable_from.isoformat()
    ('high_risk', 'annex_iii', '2027-12-02')
    >>> assess_system(f, law=load_law("as-published")).high_risk.applicable_from.isoformat()
    '2026-08-02'
    """
    info = _law_info(law)
    snap = _snapshot(law, info, facts.as_of)
    trace = _Trace()
    as_of = facts.as_of
    role = facts.role
    if role == "deployer" and not is_deployer(
        personal_non_professional="personal_non_professional" in facts.exclusions, trace=trace
    ):
        trace.fire(
            "DEF-05",
            "out of scope: the Act imposes no deployer duties for purely personal use",
            _c("AIA", "2", "10"),
        )
        return _out_of_scope(facts, info, trace)
    if facts.exclusions and excluded_before_classification(facts, trace):
        return _out_of_scope(facts, info, trace)

    practices = prohibited_practices(facts, snap, trace)

    # High-risk: Annex I route, Annex III route with the derogation and the profiling override.
    annex_i_hr = facts.annex_i is not None and high_risk_annex_i(facts, trace)
    annex_iii = None if facts.annex_iii is None else high_risk_annex_iii(facts, trace)
    derogation = annex_iii is not None and annex_iii.derogation and not annex_i_hr
    if annex_iii is not None and annex_iii.derogation and annex_i_hr:
        trace.note(
            "the Art. 6(3) derogation covers Annex III only; the system is high-risk through "
            "Annex I",
            _c("AIA", "6", "3"),
        )
    route: str | None = None
    hr_from: date | None = None
    if annex_i_hr:
        route, hr_from = "annex_i", snap.annex_i.use(trace)
    if annex_iii is not None and annex_iii.high_risk:
        iii_from = snap.annex_iii.use(trace)
        if hr_from is None or iii_from < hr_from:
            route, hr_from = "annex_iii", iii_from
    if route is None and facts.annex_i is None and facts.annex_iii is None:
        trace.note("no Annex I product and no Annex III use case: not high-risk", _c("AIA", "6"))

    duties: tuple[DatedDuty, ...] = ()
    if facts.features:
        key50 = (id(snap), facts.features, facts.placed_on_market)
        hit50 = _ART50_CHUNKS.get(key50)
        if hit50 is None:
            scratch = _Trace()
            found50 = art50_duties(facts, snap, scratch)
            hit50 = (_Chunk.of(scratch), found50)
            if len(_ART50_CHUNKS) >= _CHUNK_LIMIT:  # pragma: no cover  # bounded memory
                _ART50_CHUNKS.clear()
            _ART50_CHUNKS[key50] = hit50
        hit50[0].replay(trace)
        duties = hit50[1]

    counters = []
    if route is not None:
        counters.append("high-risk")
    if practices:
        counters.append("under Art. 5")
    if duties:
        counters.append("under Art. 50")
    if excluded_open_source(facts=facts, counters=counters, trace=trace):
        return _out_of_scope(facts, info, trace)

    # Legacy high-risk systems (Art. 111(2)): covered only after a significant design change.
    legacy = False
    if route is not None and facts.placed_on_market is not None:
        cutoff_val = snap.cutoff_i if route == "annex_i" else snap.cutoff_iii
        if facts.placed_on_market < cutoff_val.value:
            cutoff_val.use(trace)
            by = snap.public_authority_by.use(trace)
            legacy = True
            trace.note(
                f"placed on the market on {facts.placed_on_market}, before {cutoff_val.value}: "
                "the high-risk regime applies only if the design changes significantly "
                "afterwards (none is given); a system intended for use by public authorities "
                f"must comply by {by}",
                _c("AIA", "111", "2"),
            )

    provider_like = role == "provider"
    if role == "product_manufacturer":
        provider_like = product_manufacturer_is_provider(annex_i_high_risk=annex_i_hr, trace=trace)
    bearer = "provider" if provider_like else role

    if route is None:
        high_risk = HighRisk(False, None, facts.annex_iii, derogation, None)
    elif legacy:
        high_risk = HighRisk(False, route, facts.annex_iii, False, None)
    else:
        assert hr_from is not None
        high_risk = HighRisk(
            True if as_of >= hr_from else NOT_IN_FORCE, route, facts.annex_iii, False, hr_from
        )

    # Obligations that apply (now or later); every other id is listed as not applying.
    okey = (
        id(snap),
        role,
        provider_like,
        derogation,
        route,
        high_risk.applicable_from,
        facts.annex_iii,
    )
    hit = _OBLIGATION_CHUNKS.get(okey)
    if hit is None:
        scratch = _Trace()
        found = _obligations(
            facts=facts,
            provider_like=provider_like,
            bearer=bearer,
            derogation=derogation,
            route=route,
            hr_from=high_risk.applicable_from,
            snap=snap,
            trace=scratch,
        )
        hit = (_Chunk.of(scratch), found)
        if len(_OBLIGATION_CHUNKS) >= _CHUNK_LIMIT:  # pragma: no cover  # bounded memory
            _OBLIGATION_CHUNKS.clear()
        _OBLIGATION_CHUNKS[okey] = hit
    hit[0].replay(trace)
    listed = list(_NONE_APPLIES)
    for o in hit[1]:
        start = o.applicable_from
        assert start is not None
        listed[_OBLIGATION_INDEX[o.id]] = Obligation(
            o.id, True if as_of >= start else NOT_IN_FORCE, start
        )
    obligations = tuple(listed)
    transparency = tuple(d for d in duties if _ART50_BEARER[d.id] == bearer)

    # Tier: the most severe that applies on the date.
    if any(p.applicable_from <= as_of for p in practices):
        tier = "prohibited"
    elif high_risk.value is True:
        tier = "high_risk"
    elif any(d.applicable_from <= as_of for d in duties):
        tier = "limited_risk"
    else:
        tier = "minimal_risk"
    trace.note(f"tier on {as_of}: {tier.replace('_', ' ')}")
    return SystemAssessment(
        rules_version=info.rules_version,
        law=info.selection,
        as_of=as_of,
        tier=tier,
        prohibited_practices=practices,
        high_risk=high_risk,
        transparency=transparency,
        obligations=obligations,
        reasons=tuple(trace.reasons),
        citations=trace.cited(),
        rules=tuple(trace.rules),
    )


_ART50_BEARER: Final = {entry[0]: entry[1] for entry in _ART50}


def _out_of_scope(facts: SystemFacts, info: _LawInfo, trace: _Trace) -> SystemAssessment:
    return SystemAssessment(
        rules_version=info.rules_version,
        law=info.selection,
        as_of=facts.as_of,
        tier="out_of_scope",
        prohibited_practices=(),
        high_risk=_NOT_HIGH_RISK,
        transparency=(),
        obligations=_NONE_APPLIES,
        reasons=tuple(trace.reasons),
        citations=trace.cited(),
        rules=tuple(trace.rules),
    )


# --- JSON Schema of the input --------------------------------------------------------------


def system_input_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of the input of ``aioffice rules system``.

    >>> sorted(system_input_schema()["properties"])[:3]
    ['annex_i', 'annex_iii', 'art6_3']
    """

    def subset(values: tuple[str, ...], words: str) -> dict[str, object]:
        return {
            "type": ["array", "null"],
            "items": {"enum": list(values)},
            "uniqueItems": True,
            "description": words,
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://aioffice.eu/schema/aiact/system.json",
        "title": "AI system facts (aioffice rules system)",
        "type": "object",
        "additionalProperties": False,
        "required": ["as_of", "role"],
        "properties": {
            "as_of": {
                "type": "string",
                "format": "date",
                "description": "Date the law is applied on.",
            },
            "role": {
                "enum": list(ROLES),
                "description": "Role of the operator asking (Art. 3(3)-(8)).",
            },
            "exclusions": subset(EXCLUSIONS, "Art. 2 exclusions that the facts meet."),
            "practices": subset(
                PRACTICES, "Art. 5(1) points the system meets (ba, bb as amended)."
            ),
            "annex_i": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": sorted(_ANNEX_I_KEYS),
                        "properties": {k: {"type": "boolean"} for k in sorted(_ANNEX_I_KEYS)},
                    },
                ],
                "description": "Art. 6(1) facts for a product covered by Annex I.",
            },
            "annex_iii": {
                "oneOf": [{"type": "null"}, {"enum": list(ANNEX_III_POINTS)}],
                "description": "Annex III area and point, e.g. 4_a; area 2 has no points.",
            },
            "art6_3": subset(ART6_3_CONDITIONS, "Art. 6(3) conditions the provider documented."),
            "profiling": {
                "type": ["boolean", "null"],
                "default": False,
                "description": "Profiles natural persons.",
            },
            "features": subset(FEATURES, "What the system does, for Art. 50."),
            "placed_on_market": {
                "oneOf": [{"type": "null"}, {"type": "string", "format": "date"}],
                "description": "Date first placed on the market or put into service, if any.",
            },
        },
    }
