"""Shared answer types: citations, reasons, errors, the rule registry and result records.

Every rule module builds its answer with a :class:`Trace`: the rule fires (its ID and a
plain-words reason are recorded, with the rule's citations), the parameters it reads are
recorded with their own citations, and the trace is turned into a :class:`Finding`.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, TypeVar

__all__ = [
    "HOLES",
    "INSTRUMENTS",
    "NOT_IN_FORCE",
    "RULES",
    "AnyTrace",
    "Citation",
    "ConflictError",
    "Finding",
    "FineCeiling",
    "IncidentDeadline",
    "InputError",
    "Instrument",
    "LawSelection",
    "LazyTrace",
    "NotInForce",
    "ParameterError",
    "Reason",
    "RuleInfo",
    "Template",
    "Trace",
    "cents_to_eur",
    "cite",
    "copy_json",
    "json_value",
    "rule",
]


class LawSelection(enum.StrEnum):
    """Which text of the law an answer is computed under.

    ``as-amended`` is the text in force on the date asked, including Regulation (EU)
    2026/1744 from its entry into force; ``as-published`` is the 2024 text only.
    """

    AS_AMENDED = "as-amended"
    AS_PUBLISHED = "as-published"


class InputError(ValueError):
    """Facts given to the engine are malformed; names the offending field.

    >>> str(InputError("training_compute_flop", "must be a number or null"))
    'training_compute_flop: must be a number or null'
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ConflictError(Exception):
    """Two exceptions to a general rule both apply: a conflict to report, not a tie to break."""

    def __init__(self, rule_ids: Sequence[str], message: str) -> None:
        super().__init__(f"conflict between {', '.join(rule_ids)}: {message}")
        self.rule_ids = tuple(rule_ids)
        self.message = message


class ParameterError(Exception):
    """A parameter file is invalid, or a parameter was asked for that does not exist."""


class NotInForce:
    """The provision does not apply yet on the date asked: distinct from ``False``.

    >>> NOT_IN_FORCE
    NOT_IN_FORCE
    >>> bool(NOT_IN_FORCE)
    Traceback (most recent call last):
    ...
    TypeError: 'not in force' is neither true nor false
    """

    _instance: NotInForce | None = None

    def __new__(cls) -> NotInForce:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_IN_FORCE"

    def __bool__(self) -> bool:
        raise TypeError("'not in force' is neither true nor false")


NOT_IN_FORCE: Final = NotInForce()


@dataclass(frozen=True, slots=True)
class Instrument:
    """A legal or soft-law instrument that parameters and rules cite."""

    key: str
    title: str
    short: str
    eli: str | None
    status: str


INSTRUMENTS: Final[Mapping[str, Instrument]] = {
    i.key: i
    for i in (
        Instrument(
            "AIA",
            "Regulation (EU) 2024/1689 (Artificial Intelligence Act)",
            "AI Act",
            "http://data.europa.eu/eli/reg/2024/1689/oj",
            "LAW",
        ),
        Instrument(
            "OMNIBUS",
            "Regulation (EU) 2026/1744 (Digital Omnibus on AI)",
            "Reg. (EU) 2026/1744",
            "http://data.europa.eu/eli/reg/2026/1744/oj",
            "LAW-AMENDED",
        ),
        Instrument(
            "MSR",
            "Regulation (EU) 2019/1020 (market surveillance)",
            "Reg. (EU) 2019/1020",
            "http://data.europa.eu/eli/reg/2019/1020/oj",
            "LAW",
        ),
        Instrument(
            "GL",
            "Commission Guidelines on the scope of obligations for providers of "
            "general-purpose AI models, C(2025) 5045 final",
            "GPAI Guidelines",
            None,
            "GUIDELINES",
        ),
        Instrument(
            "COP",
            "General-Purpose AI Code of Practice (10 July 2025)",
            "GPAI Code of Practice",
            None,
            "CODE",
        ),
        Instrument(
            "TPL",
            "AI Office template for the public summary of training content, C(2025) 5235 final",
            "Training-content template",
            None,
            "TEMPLATE",
        ),
        Instrument(
            "PROP",
            "Commission proposal COM(2025) 836 final (Digital Omnibus on AI)",
            "COM(2025) 836",
            None,
            "PROPOSAL",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer into an instrument: article, paragraph and point, with its ELI link.

    >>> cite("AIA", "51", "2").label
    'AI Act, Art. 51(2)'
    >>> cite("GL", "§2.1", "17").label
    'GPAI Guidelines, §2.1 ¶17'
    """

    instrument: str
    article: str
    paragraph: str | None = None
    point: str | None = None
    eli: str | None = None

    label: str = field(init=False, compare=False)
    _json: dict[str, str | None] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        inst = INSTRUMENTS[self.instrument]
        if self.article[:1].isdigit():
            text = f"Art. {self.article}"
            if self.paragraph:
                text += f"({self.paragraph})"
            if self.point:
                text += f"({self.point})"
        else:
            text = self.article
            if self.paragraph:
                text += f" ¶{self.paragraph}"
            if self.point:
                text += f" {self.point}"
        label = f"{inst.short}, {text}"
        object.__setattr__(self, "label", label)
        as_json = {
            "label": label,
            "instrument": inst.title,
            "article": self.article,
            "paragraph": self.paragraph,
            "point": self.point,
            "eli": self.eli,
        }
        object.__setattr__(self, "_json", as_json)

    def to_json(self) -> dict[str, str | None]:
        """The citation as JSON (a fresh dict; the fields are built once per citation)."""
        return dict(self._json)


@functools.cache
def cite(
    instrument: str,
    article: str,
    paragraph: str | None = None,
    point: str | None = None,
) -> Citation:
    """Build a citation; the ELI link comes from the instrument.

    >>> cite("AIA", "101", "1").eli
    'http://data.europa.eu/eli/reg/2024/1689/oj'
    """
    try:
        inst = INSTRUMENTS[instrument]
    except KeyError:
        raise ParameterError(f"unknown instrument {instrument!r}") from None
    return Citation(instrument, article, paragraph, point, inst.eli)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A registered rule: its ID from AI-ACT.md, its citations and its plain-words statement."""

    rule_id: str
    citations: tuple[Citation, ...]
    doc: str


RULES: dict[str, RuleInfo] = {}
"""Every rule registered with :func:`rule`, by rule ID (meta-tests check each is exercised)."""

F = TypeVar("F", bound=Callable[..., object])


def rule(rule_id: str, *citations: Citation) -> Callable[[F], F]:
    """Register a rule function under its rule ID with the provisions it rests on.

    The function is returned unchanged; inside, it calls ``trace.fire(rule_id, reason)``.

    >>> @rule("DOC-00", cite("AIA", "3", "63"))
    ... def example(trace: Trace) -> bool:
    ...     '''An example rule.'''
    ...     trace.fire("DOC-00", "the example rule fired")
    ...     return True
    >>> RULES["DOC-00"].citations[0].label
    'AI Act, Art. 3(63)'
    >>> del RULES["DOC-00"]
    """

    def register(fn: F) -> F:
        if rule_id in RULES:
            raise ParameterError(f"rule {rule_id} registered twice")
        RULES[rule_id] = RuleInfo(rule_id, tuple(citations), (fn.__doc__ or "").strip())
        return fn

    return register


Reason = Callable[[], str]
"""A reason formatted only when it is read (see :meth:`LazyTrace.fire_lazy`)."""


@dataclass(slots=True)
class Trace:
    """Collects what an answer rests on: fired rule IDs, reasons and citations (no duplicates).

    >>> t = Trace()
    >>> t.note("a plain reason", cite("AIA", "51", "2"))
    >>> t.reasons, [c.label for c in t.citations]
    (['a plain reason'], ['AI Act, Art. 51(2)'])
    """

    rules: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set, repr=False, compare=False)

    def fire(self, rule_id: str, reason: str, *citations: Citation) -> None:
        """Record that ``rule_id`` fired, why, and the provisions it rests on."""
        info = RULES[rule_id]
        if rule_id not in self.rules:
            self.rules.append(rule_id)
        self.reasons.append(f"{rule_id}: {reason}")
        self.add_citations(info.citations)
        self.add_citations(citations)

    def note(self, reason: str, *citations: Citation) -> None:
        """Record a reason that is not a rule firing (e.g. a parameter value used)."""
        self.reasons.append(reason)
        self.add_citations(citations)

    def fire_lazy(self, rule_id: str, reason: Reason, *citations: Citation) -> None:
        """Like :meth:`fire`, with the reason given as a function (formatted at once here)."""
        self.fire(rule_id, reason(), *citations)

    def note_lazy(self, reason: Reason, *citations: Citation) -> None:
        """Like :meth:`note`, with the reason given as a function (formatted at once here)."""
        self.note(reason(), *citations)

    def add_citations(self, citations: Iterable[Citation]) -> None:
        seen = self._seen
        for c in citations:
            if id(c) not in seen:
                seen.add(id(c))
                self.citations.append(c)

    def merge(self, other: Trace | LazyTrace) -> None:
        """Add everything another trace recorded."""
        for r in other.rules:
            if r not in self.rules:
                self.rules.append(r)
        self.reasons.extend(other.reasons)
        self.add_citations(other.citations)

    def finding(self, value: object, basis: str | None = None) -> Finding:
        return Finding(value, basis, tuple(self.reasons), tuple(self.citations), tuple(self.rules))


_Entry = tuple[str | None, str | Reason | None, tuple[Citation, ...] | None]
"""One record of a :class:`LazyTrace`: (rule ID, reason, extra citations).

A rule firing has a rule ID and a reason (its citations are the rule's and the extra ones); a
note has no rule ID; citations alone have neither. A rule ID with neither reason nor
citations only lists the rule (a merged plain trace). A reason is text or a function."""


def _replay(log: Iterable[_Entry]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Citation, ...]]:
    """Rules (each once), reasons (formatted) and citations (each once, by identity), in the
    order a :class:`Trace` would have recorded them."""
    rules: dict[str, None] = {}
    reasons: list[str] = []
    cites: dict[int, Citation] = {}
    for rule_id, reason, extra in log:
        if reason is not None:
            text = reason if type(reason) is str else reason()  # type: ignore[operator]
            if rule_id is None:
                reasons.append(text)
            else:
                rules[rule_id] = None
                reasons.append(f"{rule_id}: {text}")
                for c in RULES[rule_id].citations:
                    cites.setdefault(id(c), c)
        elif rule_id is not None:
            rules[rule_id] = None
        if extra:
            for c in extra:
                cites.setdefault(id(c), c)
    return tuple(rules), tuple(reasons), tuple(cites.values())


class LazyTrace:
    """A :class:`Trace` for the hot path, with the same answers: it only logs what happens,
    and rules, reasons (given as text or as a function) and citations are put together when
    they are read.

    Functions passed to :meth:`fire_lazy` and :meth:`note_lazy` must only read values that do
    not change afterwards.

    >>> t = LazyTrace()
    >>> t.fire_lazy("GL-01", lambda: f"{6 * 7} reasons")
    >>> t.note("a plain reason", cite("AIA", "51", "2"))
    >>> t.rules, t.reasons
    (['GL-01'], ['GL-01: 42 reasons', 'a plain reason'])
    >>> t.finding(True).to_json()["reasons"]
    ['GL-01: 42 reasons', 'a plain reason']
    """

    __slots__ = ("_log",)

    def __init__(self) -> None:
        self._log: list[_Entry] = []

    @property
    def rules(self) -> list[str]:
        """The rule IDs that fired, each once, in order."""
        return list(_replay(self._log)[0])

    @property
    def reasons(self) -> list[str]:
        """The reasons, formatted now."""
        return list(_replay(self._log)[1])

    @property
    def citations(self) -> list[Citation]:
        """The citations, each once, in the order they were first recorded."""
        return list(_replay(self._log)[2])

    def fire(self, rule_id: str, reason: str, *citations: Citation) -> None:
        """Record that ``rule_id`` fired, why, and the provisions it rests on."""
        self._log.append((rule_id, reason, citations))

    def fire_lazy(self, rule_id: str, reason: Reason, *citations: Citation) -> None:
        """Like :meth:`fire`; ``reason()`` is called when the reasons are read."""
        self._log.append((rule_id, reason, citations))

    def note(self, reason: str, *citations: Citation) -> None:
        """Record a reason that is not a rule firing (e.g. a parameter value used)."""
        self._log.append((None, reason, citations))

    def note_lazy(self, reason: Reason, *citations: Citation) -> None:
        """Like :meth:`note`; ``reason()`` is called when the reasons are read."""
        self._log.append((None, reason, citations))

    def add_citations(self, citations: Iterable[Citation]) -> None:
        self._log.append((None, None, tuple(citations)))

    def merge(self, other: Trace | LazyTrace) -> None:
        """Add everything another trace recorded."""
        if isinstance(other, LazyTrace):
            self._log.extend(other._log)
            return
        log = self._log
        log.extend((r, None, None) for r in other.rules)
        log.extend((None, r, None) for r in other.reasons)
        log.append((None, None, tuple(other.citations)))

    def finding(self, value: object, basis: str | None = None) -> Finding:
        return Finding.pending(value, basis, tuple(self._log))


AnyTrace = Trace | LazyTrace
"""Either kind of trace: rule functions accept both."""


class Finding:
    """One answer with its explanation: ``value``, ``basis``, ``reasons``, ``citations`` and
    the ``rules`` that fired. Built by ``trace.finding(value, basis)``; a finding from a
    :class:`LazyTrace` formats its reasons when they are first read. Treat it as immutable.

    >>> f = Finding(True, "x", ("a reason",), (cite("AIA", "51", "2"),), ("GL-01",))
    >>> f.reasons, f.to_json()["citations"][0]["label"]
    (('a reason',), 'AI Act, Art. 51(2)')
    """

    __slots__ = ("_citations", "_json", "_log", "_reasons", "_rules", "_view", "basis", "value")

    value: object
    basis: str | None

    def __init__(
        self,
        value: object,
        basis: str | None,
        reasons: tuple[str, ...],
        citations: tuple[Citation, ...],
        rules: tuple[str, ...],
    ) -> None:
        self.value = value
        self.basis = basis
        self._rules: tuple[str, ...] | None = rules
        self._reasons: tuple[str, ...] | None = reasons
        self._citations: tuple[Citation, ...] | None = citations
        self._log: tuple[_Entry, ...] = ()
        self._json: _FindingJson | None = None
        self._view: dict[str, object] | None = None

    @classmethod
    def pending(cls, value: object, basis: str | None, log: tuple[_Entry, ...]) -> Finding:
        """A finding whose rules, reasons and citations are put together when first read."""
        self = cls.__new__(cls)
        self.value = value
        self.basis = basis
        self._rules = self._reasons = self._citations = None
        self._log = log
        self._json = None
        self._view = None
        return self

    def _settle(self) -> None:
        self._rules, self._reasons, self._citations = _replay(self._log)
        self._log = ()

    @property
    def rules(self) -> tuple[str, ...]:
        if self._rules is None:
            self._settle()
        assert self._rules is not None
        return self._rules

    @property
    def reasons(self) -> tuple[str, ...]:
        if self._reasons is None:
            self._settle()
        assert self._reasons is not None
        return self._reasons

    @property
    def citations(self) -> tuple[Citation, ...]:
        if self._citations is None:
            self._settle()
        assert self._citations is not None
        return self._citations

    def _key(self) -> tuple[object, ...]:
        return (self.value, self.basis, self.reasons, self.citations, self.rules)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.basis, self.reasons, self.citations, self.rules))

    def __repr__(self) -> str:
        return (
            f"Finding(value={self.value!r}, basis={self.basis!r}, reasons={self.reasons!r}, "
            f"citations={self.citations!r}, rules={self.rules!r})"
        )

    def with_reasons(self, reasons: tuple[str, ...]) -> Finding:
        """The same finding with other reason texts (rendered parts shared, not copied)."""
        value, _, citations, rules = self._json or self.json_parts()
        other = Finding.__new__(Finding)
        other.value = self.value
        other.basis = self.basis
        other._reasons = reasons
        other._citations = self._citations
        other._rules = self._rules
        other._log = ()
        other._json = (value, reasons, citations, rules)
        other._view = None
        return other

    def json_parts(self) -> _FindingJson:
        """The value, reasons, citations and rules as JSON, rendered once and kept (a list
        value is kept as a tuple): read-only, like :meth:`json_view`."""
        parts = self._json
        if parts is None:
            value = json_value(self.value)
            parts = self._json = (
                tuple(value) if type(value) is list else value,
                self.reasons,
                [c._json for c in self.citations],
                [*self.rules],
            )
        return parts

    def json_view(self) -> dict[str, object]:
        """The finding as JSON, built once and then shared (by every answer that holds this
        finding, and its citations and rules by every finding of the same template):
        read-only. :meth:`to_json` gives a copy to change."""
        view = self._view
        if view is None:
            value, reasons, citations, rules = self._json or self.json_parts()
            view = self._view = {
                "value": [*value] if type(value) is tuple else value,
                "basis": self.basis,
                "reasons": [*reasons],
                "citations": citations,
                "rules": rules,
            }
        return view

    def to_json(self) -> dict[str, object]:
        """The finding as JSON: fresh dicts and lists, built from parts rendered once."""
        value, reasons, citations, rules = self._json or self.json_parts()
        return {
            "value": [*value] if type(value) is tuple else value,
            "basis": self.basis,
            "reasons": [*reasons],
            "citations": list(map(_copy, citations)),
            "rules": [*rules],
        }


_copy: Final = dict.copy
copy_json: Final = _copy
"""Copies a citation's JSON (the rendered one is never handed out)."""

_FindingJson = tuple[object, tuple[str, ...], list[dict[str, str | None]], list[str]]
"""A finding's value, reasons, citations and rules as JSON (shared: read-only)."""

HOLES: Final = ("\x00", "\x01", "\x02")
"""Stand-ins for text that differs between otherwise identical findings (see :class:`Template`)."""


class Template:
    """A finding rendered once for every input that leads to the same rules, citations and
    reasons, except for a few per-input texts (a FLOP figure): the rules ran with the stand-ins
    of :data:`HOLES` in place of those texts, which :meth:`fill` puts back.

    >>> t = Template(Finding(True, "b", (f"GL-01: {HOLES[0]} FLOP", "fixed"), (), ("GL-01",)))
    >>> t.fill("3.8e25").reasons
    ('GL-01: 3.8e25 FLOP', 'fixed')
    >>> Template(Finding(True, "b", (f"{HOLES[0]} x {HOLES[1]}",), (), ())).fill("6", "7").reasons
    ('6 x 7',)
    >>> f = Finding(True, "b", ("fixed",), (), ())
    >>> Template(f).fill() is f
    True
    """

    __slots__ = ("_spots", "finding")

    def __init__(self, finding: Finding) -> None:
        finding.json_parts()
        self.finding = finding
        spots: list[tuple[int, str, str | None]] = []
        for i, text in enumerate(finding.reasons):
            if text.count(HOLES[0]) == 1 and not any(h in text for h in HOLES[1:]):
                head, tail = text.split(HOLES[0])  # the common case: one figure
                spots.append((i, head, tail))
            elif any(h in text for h in HOLES):
                spots.append((i, text, None))
        self._spots = tuple(spots)

    def fill(self, *shown: str) -> Finding:
        """The finding with ``shown[i]`` in place of ``HOLES[i]`` (the shared one if none)."""
        finding = self.finding
        if not self._spots:
            return finding
        reasons = list(finding.reasons)
        for i, text, tail in self._spots:
            if tail is not None:
                reasons[i] = text + shown[0] + tail
                continue
            for hole, value in zip(HOLES, shown, strict=False):
                text = text.replace(hole, value)
            reasons[i] = text
        return finding.with_reasons(tuple(reasons))


_PLAIN: Final = frozenset({str, bool, int, float})


def json_value(value: object) -> object:
    """Turn an answer value into JSON: dates as ISO strings, ``NOT_IN_FORCE`` as a string.

    >>> json_value(date(2025, 8, 2)), json_value(NOT_IN_FORCE), json_value(Decimal("0.03"))
    ('2025-08-02', 'not_in_force', '0.03')
    """
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, NotInForce):
        return "not_in_force"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def cents_to_eur(cents: int) -> str:
    """Integer cents as a euro amount with two decimals.

    >>> cents_to_eur(1_500_000_000), cents_to_eur(5)
    ('15000000.00', '0.05')
    """
    return str((Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class IncidentDeadline:
    """When the initial report of a serious incident is due (the earliest if several types).

    ``counting`` says how the days were counted (see docs/aiact/periods.md).
    """

    regime: str
    types: tuple[str, ...]
    aware_on: date
    initial_report_due: date
    counting: str
    reasons: tuple[str, ...]
    citations: tuple[Citation, ...]
    rules: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "regime": self.regime,
            "types": list(self.types),
            "aware_on": self.aware_on.isoformat(),
            "initial_report_due": self.initial_report_due.isoformat(),
            "counting": self.counting,
            "reasons": list(self.reasons),
            "citations": [c.to_json() for c in self.citations],
            "rules": list(self.rules),
        }


@dataclass(frozen=True, slots=True)
class FineCeiling:
    """The maximum of a fine, in integer euro cents, with what it rests on."""

    regime: str
    maximum_cents: int
    basis: str
    reasons: tuple[str, ...]
    citations: tuple[Citation, ...]
    rules: tuple[str, ...]
    applicable_from: date | None = None
    in_force: bool = True

    def to_json(self) -> dict[str, object]:
        """``maximum_eur`` is a decimal string with two decimals; ``in_force`` is false when
        the fining provision does not apply yet on the date asked."""
        return {
            "regime": self.regime,
            "maximum_eur": cents_to_eur(self.maximum_cents),
            "basis": self.basis,
            "in_force": self.in_force,
            "applicable_from": None
            if self.applicable_from is None
            else self.applicable_from.isoformat(),
            "reasons": list(self.reasons),
            "citations": [c.to_json() for c in self.citations],
            "rules": list(self.rules),
        }
