"""Dated, cited parameters: the YAML files under ``aiact/params`` and the :class:`Law`.

A parameter file maps each key (unique across all files) to::

    sr_presumption_flop:
      title: Cumulative training compute above which high-impact capabilities are presumed
      type: decimal            # date | decimal | money | int | calendar_days | working_days
                               # | months | years | text | dates
      values:
        - value: "1e25"
          status: LAW          # one of STATUSES (AI-ACT.md §0.1)
          from: null           # first day the value holds (inclusive); null = from the start
          until: null          # first day it no longer holds (exclusive); null = open-ended
          citation: {instrument: AIA, article: "51", paragraph: "2", point: null}
          note: optional plain-words remark

Values with status ``LAW-AMENDED`` form the overlay layer ``reg-2026-1744``; ``PROPOSAL``
and ``DRAFT-IMPL`` values form layers that no law selection includes, so a proposal never
changes an answer. Every other status belongs to the ``base`` layer. Within one layer the
periods of a key must not overlap. On a date, the newest selected layer with a value for
that date wins.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Final, NoReturn

import yaml

from aiact._answer import (
    INSTRUMENTS,
    AnyTrace,
    Citation,
    InputError,
    LawSelection,
    ParameterError,
    cents_to_eur,
    cite,
)

__all__ = [
    "ENGINE_VERSION",
    "LAYERS",
    "PARAMS_DIR",
    "STATUSES",
    "TYPES",
    "Law",
    "ParamValue",
    "load_law",
]

ENGINE_VERSION: Final = "0.5.0"
"""Raised whenever a rule changes (0.2.0: Art. 52(5) decisions lifting a designation; 0.3.0:
the cooperation clocks and the kind ``cooperation``, GOV-01..04, AIO-02, SBX-01..04,
RWT-01..03, DB-01..03 for Sections C and Annex IX; 0.4.0: GOV-05 Board majority, GOV-06
advisory forum meetings; 0.5.0: codes of practice, the kind ``drafting`` with COP-08
adequacy and COP-09 readiness, the clock ``code-report`` COP-10)."""
PARAMS_DIR: Final = Path(__file__).parent / "params"

STATUSES: Final = frozenset(
    {
        "LAW",
        "LAW-AMENDED",
        "PROPOSAL",
        "GUIDELINES",
        "CODE",
        "TEMPLATE",
        "IMPL",
        "DRAFT-IMPL",
        "SECONDARY",
    }
)
_LAYER_OF_STATUS: Final = {
    "LAW-AMENDED": "reg-2026-1744",
    "PROPOSAL": "com-2025-836",
    "DRAFT-IMPL": "drafts",
}
LAYERS: Final[Mapping[LawSelection, tuple[str, ...]]] = {
    LawSelection.AS_PUBLISHED: ("base",),
    LawSelection.AS_AMENDED: ("base", "reg-2026-1744"),
}
TYPES: Final = frozenset(
    {
        "date",
        "decimal",
        "money",
        "int",
        "calendar_days",
        "working_days",
        "months",
        "years",
        "text",
        "dates",
    }
)
_KEY_FIELDS: Final = frozenset({"title", "type", "values"})
_VALUE_FIELDS: Final = frozenset({"value", "status", "from", "until", "citation", "note"})
_CITATION_FIELDS: Final = frozenset({"instrument", "article", "paragraph", "point", "eli"})


@dataclass(frozen=True, slots=True)
class ParamValue:
    """One dated value of a parameter with its status and citation."""

    key: str
    title: str
    kind: str
    value: object
    status: str
    layer: str
    valid_from: date | None
    valid_until: date | None
    citation: Citation
    note: str | None
    source: str
    reason: str = field(init=False, compare=False, repr=False)
    """The reason line that records the value in a trace (built once)."""

    def __post_init__(self) -> None:
        reason = f"{self.title}: {self.display} ({self.status}; {self.citation.label})"
        object.__setattr__(self, "reason", reason)

    def covers(self, on: date) -> bool:
        """Whether the value holds on ``on``."""
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_until is None or on < self.valid_until

    @property
    def display(self) -> str:
        """The value in words, e.g. ``EUR 15000000.00`` or ``14 calendar days``."""
        v = self.value
        if self.kind == "money":
            assert isinstance(v, int)
            return f"EUR {cents_to_eur(v)}"
        if self.kind in {"calendar_days", "working_days", "months", "years"}:
            return f"{v} {self.kind.replace('_', ' ')}"
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, tuple):
            return ", ".join(d.isoformat() for d in v)
        return str(v)

    def to_json(self) -> dict[str, object]:
        v = self.value
        if isinstance(v, date):
            shown: object = v.isoformat()
        elif isinstance(v, tuple):
            shown = [d.isoformat() for d in v]
        elif self.kind == "money":
            assert isinstance(v, int)
            shown = cents_to_eur(v)
        elif isinstance(v, Decimal):
            shown = str(v)
        else:
            shown = v
        return {
            "key": self.key,
            "title": self.title,
            "type": self.kind,
            "value": shown,
            "status": self.status,
            "layer": self.layer,
            "from": self.valid_from.isoformat() if self.valid_from else None,
            "until": self.valid_until.isoformat() if self.valid_until else None,
            "citation": self.citation.to_json(),
            "note": self.note,
        }


# --- loading -------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses duplicate keys in any mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[object, object]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise ParameterError(f"duplicate key {key!r} (line {key_node.start_mark.line + 1})")
        seen.add(key)
    return dict(loader.construct_mapping(node))


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _date(raw: object, where: str) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise ParameterError(f"{where}: not a date: {raw!r}")


def _parse_value(kind: str, raw: object, where: str) -> object:
    if kind == "date":
        parsed = _date(raw, where)
        if parsed is None:
            raise ParameterError(f"{where}: a date value is required")
        return parsed
    if kind == "dates":
        if not isinstance(raw, list):
            raise ParameterError(f"{where}: must be a list of dates")
        return tuple(sorted(d for d in (_date(x, where) for x in raw) if d is not None))
    if kind in {"decimal", "money"}:
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise ParameterError(f"{where}: write {kind} values as quoted strings or integers")
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise ParameterError(f"{where}: not a number: {raw!r}") from None
        if kind == "decimal":
            return number
        cents = number * 100
        if cents != cents.to_integral_value():
            raise ParameterError(f"{where}: money must be whole cents: {raw!r}")
        return int(cents)
    if kind == "text":
        if not isinstance(raw, str):
            raise ParameterError(f"{where}: must be text")
        return raw
    # int and the periods
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ParameterError(f"{where}: must be an integer")
    return raw


def _parse_citation(raw: object, where: str) -> Citation:
    if not isinstance(raw, dict) or not raw:
        raise ParameterError(f"{where}: a citation is required")
    unknown = set(raw) - _CITATION_FIELDS
    if unknown:
        raise ParameterError(f"{where}: unknown citation fields {sorted(map(str, unknown))}")
    instrument = raw.get("instrument")
    if not isinstance(instrument, str) or instrument not in INSTRUMENTS:
        raise ParameterError(f"{where}: citation needs a known instrument, got {instrument!r}")
    article = raw.get("article")
    if article is None or str(article).strip() == "":
        raise ParameterError(f"{where}: citation needs an article (or section)")
    paragraph = raw.get("paragraph")
    point = raw.get("point")
    eli = raw.get("eli", INSTRUMENTS[instrument].eli)
    if eli == INSTRUMENTS[instrument].eli:  # share the object with the rules' citations
        return cite(
            instrument,
            str(article),
            None if paragraph is None else str(paragraph),
            None if point is None else str(point),
        )
    return Citation(
        instrument,
        str(article),
        None if paragraph is None else str(paragraph),
        None if point is None else str(point),
        None if eli is None else str(eli),
    )


def _parse_key(key: str, spec: object, source: str) -> list[ParamValue]:
    where = f"{source}: {key}"
    if not isinstance(spec, dict):
        raise ParameterError(f"{where}: must be a mapping with title, type and values")
    unknown = set(spec) - _KEY_FIELDS
    if unknown:
        raise ParameterError(f"{where}: unknown fields {sorted(map(str, unknown))}")
    title, kind, raw_values = spec.get("title"), spec.get("type"), spec.get("values")
    if not isinstance(title, str) or not title:
        raise ParameterError(f"{where}: a title is required")
    if kind not in TYPES:
        raise ParameterError(f"{where}: unknown type {kind!r}")
    assert isinstance(kind, str)
    if not isinstance(raw_values, list) or not raw_values:
        raise ParameterError(f"{where}: at least one value is required")
    values: list[ParamValue] = []
    for index, raw in enumerate(raw_values):
        vwhere = f"{where}[{index}]"
        if not isinstance(raw, dict):
            raise ParameterError(f"{vwhere}: must be a mapping")
        unknown = set(raw) - _VALUE_FIELDS
        if unknown:
            raise ParameterError(f"{vwhere}: unknown fields {sorted(map(str, unknown))}")
        if "value" not in raw:
            raise ParameterError(f"{vwhere}: value is required")
        status = raw.get("status")
        if status not in STATUSES:
            raise ParameterError(f"{vwhere}: unknown status {status!r}")
        assert isinstance(status, str)
        citation = _parse_citation(raw.get("citation"), vwhere)
        if status in {"LAW", "LAW-AMENDED"} and citation.eli is None:
            raise ParameterError(f"{vwhere}: a {status} value needs an ELI link")
        valid_from = _date(raw.get("from"), f"{vwhere}.from")
        valid_until = _date(raw.get("until"), f"{vwhere}.until")
        if valid_from and valid_until and valid_until <= valid_from:
            raise ParameterError(f"{vwhere}: until must be after from")
        note = raw.get("note")
        values.append(
            ParamValue(
                key=key,
                title=title,
                kind=kind,
                value=_parse_value(kind, raw["value"], f"{vwhere}.value"),
                status=status,
                layer=_LAYER_OF_STATUS.get(status, "base"),
                valid_from=valid_from,
                valid_until=valid_until,
                citation=citation,
                note=None if note is None else str(note),
                source=source,
            )
        )
    _check_overlaps(values, where)
    return values


def _check_overlaps(values: Sequence[ParamValue], where: str) -> None:
    by_layer: dict[str, list[ParamValue]] = {}
    for v in values:
        by_layer.setdefault(v.layer, []).append(v)
    for layer, items in by_layer.items():
        ordered = sorted(items, key=lambda v: v.valid_from or date.min)
        for earlier, later in itertools.pairwise(ordered):
            end = earlier.valid_until or date.max
            start = later.valid_from or date.min
            if start < end:
                raise ParameterError(f"{where}: overlapping periods in layer {layer}")


@dataclass(frozen=True, slots=True)
class _Tree:
    values: Mapping[str, tuple[ParamValue, ...]]
    content_hash: str


@functools.cache
def _load_tree(directory: Path) -> _Tree:
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ParameterError(f"{directory}: no parameter files")
    digest = hashlib.sha256()
    values: dict[str, tuple[ParamValue, ...]] = {}
    for path in files:
        raw_bytes = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw_bytes + b"\0")
        try:
            data = yaml.load(raw_bytes, Loader=_StrictLoader)  # noqa: S506  # a SafeLoader subclass
        except ParameterError as exc:
            raise ParameterError(f"{path.name}: {exc}") from None
        except yaml.YAMLError as exc:
            raise ParameterError(f"{path.name}: invalid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise ParameterError(f"{path.name}: must map parameter keys to their definitions")
        for key, spec in data.items():
            if not isinstance(key, str):
                raise ParameterError(f"{path.name}: parameter keys must be text: {key!r}")
            if key in values:
                raise ParameterError(f"{path.name}: {key}: key already defined in another file")
            values[key] = tuple(_parse_key(key, spec, path.name))
    return _Tree(values, digest.hexdigest()[:12])


_CACHE_SIZE: Final = 65_536
"""At most this many (key, date) lookups are kept per law selection."""

Day = date  # the method Law.date shadows the type inside the class body


class Law:
    """The parameters under one law selection, read on a date.

    >>> law = load_law()
    >>> law.decimal("sr_presumption_flop", date(2026, 1, 1))
    Decimal('1E+25')
    >>> law.selection.value, law.rules_version.startswith("0.5.0+")
    ('as-amended', True)
    """

    def __init__(self, selection: LawSelection, tree: _Tree) -> None:
        self.selection = selection
        self.selection_name: str = selection.value
        """``selection.value``, read once (the enum's property is slow on the hot path)."""
        self.layers = LAYERS[selection]
        self.rules_version = f"{ENGINE_VERSION}+{tree.content_hash}"
        self._tree = tree
        self._cache: dict[tuple[str, Day], ParamValue] = {}
        bounds: set[Day] = set()
        for values in tree.values.values():
            for v in values:
                bounds.update(d for d in (v.valid_from, v.valid_until) if d is not None)
                if isinstance(v.value, Day):
                    bounds.add(v.value)
                elif isinstance(v.value, tuple):
                    bounds.update(v.value)
        self._bounds = sorted(bounds)

    def epoch(self, on: Day) -> int:
        """The stretch of days ``on`` lies in, between two dates where a parameter changes or
        that a parameter names: on every day of a stretch each parameter has the same value,
        and ``on`` compares the same way with every date a parameter holds. Rules that read
        the date only through parameters can be cached by stretch instead of by day.

        >>> law = load_law()
        >>> law.epoch(date(2026, 1, 1)) == law.epoch(date(2026, 1, 2))
        True
        >>> law.epoch(date(2025, 8, 1)) == law.epoch(date(2025, 8, 2))
        False
        """
        return bisect.bisect_right(self._bounds, on)

    def param_keys(self) -> list[str]:
        """All parameter keys, sorted."""
        return sorted(self._tree.values)

    def history(self, key: str) -> list[ParamValue]:
        """Every value of ``key`` in the selected layers, base layer first, by start date."""
        values = self._values(key)
        return [v for layer in self.layers for v in values if v.layer == layer]

    def all_values(self) -> list[ParamValue]:
        """Every value of every key, in every layer (used by meta-tests and the timeline)."""
        return [v for key in self.param_keys() for v in self._tree.values[key]]

    def _values(self, key: str) -> tuple[ParamValue, ...]:
        try:
            return self._tree.values[key]
        except KeyError:
            raise ParameterError(f"unknown parameter {key!r}") from None

    def param(self, key: str, on: Day, trace: AnyTrace | None = None) -> ParamValue:
        """The value of ``key`` that holds on ``on``; recorded in ``trace`` when given."""
        found = self._cache.get((key, on)) or self._find(key, on)
        if trace is not None:
            trace.note(found.reason, found.citation)
        return found

    def _find(self, key: str, on: Day) -> ParamValue:
        values = self._values(key)
        for layer in reversed(self.layers):
            found = next((v for v in values if v.layer == layer and v.covers(on)), None)
            if found is not None:
                break
        else:
            raise ParameterError(f"{key}: no value on {on} under {self.selection.value}")
        if len(self._cache) >= _CACHE_SIZE:  # bounded: many dates in a long-lived process
            self._cache.clear()
        self._cache[(key, on)] = found
        return found

    # The typed readers below are on the hot path: each does its lookup itself.

    def _wrong_kind(self, key: str, p: ParamValue, kinds: frozenset[str]) -> NoReturn:
        raise ParameterError(f"{key}: is {p.kind}, not {'/'.join(sorted(kinds))}")

    def _typed(
        self, key: str, on: Day, kinds: frozenset[str], trace: AnyTrace | None
    ) -> ParamValue:
        """The value of ``key`` on ``on``, checked to be of one of ``kinds``, noted in
        ``trace`` (its reason and citation) when one is given."""
        p = self._cache.get((key, on)) or self._find(key, on)
        if p.kind not in kinds:
            self._wrong_kind(key, p, kinds)
        if trace is not None:
            trace.note(p.reason, p.citation)
        return p

    def date(self, key: str, on: Day, trace: AnyTrace | None = None) -> Day:
        """A date parameter."""
        v = self._typed(key, on, _DATE, trace).value
        assert isinstance(v, Day)
        return v

    def decimal(self, key: str, on: Day, trace: AnyTrace | None = None) -> Decimal:
        """A decimal parameter (thresholds, fractions, percentages)."""
        v = self._typed(key, on, _DECIMAL, trace).value
        assert isinstance(v, Decimal)
        return v

    def cents(self, key: str, on: Day, trace: AnyTrace | None = None) -> int:
        """A money parameter, in integer euro cents."""
        v = self._typed(key, on, _MONEY, trace).value
        assert isinstance(v, int)
        return v

    def integer(self, key: str, on: Day, trace: AnyTrace | None = None) -> int:
        """An integer or a period length (days, working days, months, years)."""
        v = self._typed(key, on, _INTEGER, trace).value
        assert isinstance(v, int)
        return v

    def text(self, key: str, on: Day, trace: AnyTrace | None = None) -> str:
        """A text parameter."""
        v = self._typed(key, on, _TEXT, trace).value
        assert isinstance(v, str)
        return v

    def dates(self, key: str, on: Day, trace: AnyTrace | None = None) -> tuple[Day, ...]:
        """A list of dates (e.g. a holiday calendar)."""
        v = self._typed(key, on, _DATES, trace).value
        assert isinstance(v, tuple)
        return v


_DATE: Final = frozenset({"date"})
_DECIMAL: Final = frozenset({"decimal"})
_MONEY: Final = frozenset({"money"})
_INTEGER: Final = frozenset({"int", "calendar_days", "working_days", "months", "years"})
_TEXT: Final = frozenset({"text"})
_DATES: Final = frozenset({"dates"})


@functools.cache
def _law(selection: LawSelection, directory: Path) -> Law:
    return Law(selection, _load_tree(directory))


def load_law(
    selection: LawSelection | str = LawSelection.AS_AMENDED,
    *,
    params_dir: Path | None = None,
) -> Law:
    """Load (once, then from cache) the parameters under a law selection.

    ``selection`` is ``"as-amended"`` (default) or ``"as-published"``.

    >>> load_law("as-published").selection
    <LawSelection.AS_PUBLISHED: 'as-published'>
    """
    try:
        chosen = LawSelection(selection)
    except ValueError:
        raise InputError("law", "must be as-amended or as-published") from None
    return _law(chosen, (params_dir or PARAMS_DIR).resolve())
