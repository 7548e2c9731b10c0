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
    "INSTRUMENTS",
    "NOT_IN_FORCE",
    "RULES",
    "Citation",
    "ConflictError",
    "Finding",
    "FineCeiling",
    "IncidentDeadline",
    "InputError",
    "Instrument",
    "LawSelection",
    "NotInForce",
    "ParameterError",
    "RuleInfo",
    "Trace",
    "cents_to_eur",
    "cite",
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
        object.__setattr__(self, "label", f"{inst.short}, {text}")

    def to_json(self) -> dict[str, str | None]:
        return {
            "label": self.label,
            "instrument": INSTRUMENTS[self.instrument].title,
            "article": self.article,
            "paragraph": self.paragraph,
            "point": self.point,
            "eli": self.eli,
        }


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

    def add_citations(self, citations: Iterable[Citation]) -> None:
        seen = self._seen
        for c in citations:
            if id(c) not in seen:
                seen.add(id(c))
                self.citations.append(c)

    def merge(self, other: Trace) -> None:
        """Add everything another trace recorded."""
        for r in other.rules:
            if r not in self.rules:
                self.rules.append(r)
        self.reasons.extend(other.reasons)
        self.add_citations(other.citations)

    def finding(self, value: object, basis: str | None = None) -> Finding:
        return Finding(value, basis, tuple(self.reasons), tuple(self.citations), tuple(self.rules))


@dataclass(frozen=True, slots=True)
class Finding:
    """One answer with its explanation."""

    value: object
    basis: str | None
    reasons: tuple[str, ...]
    citations: tuple[Citation, ...]
    rules: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "value": json_value(self.value),
            "basis": self.basis,
            "reasons": list(self.reasons),
            "citations": [c.to_json() for c in self.citations],
            "rules": list(self.rules),
        }


def json_value(value: object) -> object:
    """Turn an answer value into JSON: dates as ISO strings, ``NOT_IN_FORCE`` as a string.

    >>> json_value(date(2025, 8, 2)), json_value(NOT_IN_FORCE), json_value(Decimal("0.03"))
    ('2025-08-02', 'not_in_force', '0.03')
    """
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
