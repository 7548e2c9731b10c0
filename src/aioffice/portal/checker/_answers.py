"""The visitor's answers: read from the query string, checked against the flow, walked along
the routing rules, and turned into the facts of aiact's input.

Nothing here is stored: the answers travel in the URL (GET forms with hidden inputs), so
the Back button works and a result link can be shared. Every value is checked; a problem
names the question (or the unknown name) it is about, and the pages answer 400 with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from aioffice.portal.checker._flows import RESERVED, RESULT, FactValue, Flow, Question

__all__ = ["Answer", "Walk", "question_for_field", "read"]

_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER: Final = re.compile(r"^[0-9]+(\.[0-9]+)?([eE][+]?[0-9]{1,3})?$")
_MAX_LENGTH: Final = 64


@dataclass(frozen=True, slots=True)
class Answer:
    """A checked answer: the values as they travel in the URL, and the value of the fact a
    date or number question sets."""

    question: str
    values: tuple[str, ...]
    fact_value: str | float | None = None

    @property
    def value(self) -> str:
        """The single value of a radio, date or number answer."""
        return self.values[0]


@dataclass(frozen=True)
class Walk:
    """The answers read along the routing rules: the questions answered on the way
    (``path``), the next question to ask (``current``, None when the walk reached the
    result), and every problem found, by question id (or by the unknown name sent)."""

    flow: Flow
    answers: Mapping[str, Answer]
    path: tuple[Question, ...]
    current: Question | None
    problems: Mapping[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.current is None and not self.problems

    def path_answers(self) -> list[Answer]:
        return [self.answers[q.id] for q in self.path]

    def facts(self) -> dict[str, object]:
        """The aiact input the answers on the path give (``as_of`` is added by the caller)."""
        facts: dict[str, object] = {}
        for q in self.path:
            answer = self.answers[q.id]
            if q.fact is not None:
                assert answer.fact_value is not None
                _put(facts, q.fact, answer.fact_value)
                continue
            for value in answer.values:
                for key, fact in q.by_value[value].facts.items():
                    _put(facts, key, fact)
        return facts

    def pairs(self, *, skip: str | None = None, everything: bool = False) -> list[tuple[str, str]]:
        """The answers as query-string pairs, in the order of the questions: those on the
        path, or every answer given (``everything``, to carry answers beyond a changed one),
        leaving out the question ``skip``."""
        ids = (
            [q.id for q in self.flow.questions if q.id in self.answers]
            if everything
            else [q.id for q in self.path]
        )
        return [(qid, v) for qid in ids if qid != skip for v in self.answers[qid].values]

    def query(self, **extra: str) -> str:
        """The query string of the result of this walk: the answers on the path, the flow
        version and ``extra`` parameters (``as_of``...)."""
        return urlencode([*self.pairs(), ("v", self.flow.version), *extra.items()])


def _put(facts: dict[str, object], key: str, value: FactValue) -> None:
    """Set one fact: a dotted key in its object, lists joined, an empty object created."""
    target = facts
    *parents, name = key.split(".")
    for parent in parents:
        inner = target.setdefault(parent, {})
        assert isinstance(inner, dict)
        target = inner
    if isinstance(value, list):
        existing = target.setdefault(name, [])
        assert isinstance(existing, list)
        existing.extend(v for v in value if v not in existing)
    elif isinstance(value, dict):
        target.setdefault(name, {})
    else:
        target[name] = value


def _named(question: Question) -> str:
    return _(question.text)


def _check(question: Question, raw: Sequence[str]) -> Answer | str | None:
    """The answer to ``question``, a problem (text), or None when nothing was given."""
    values = [v.strip() for v in raw]
    if any(len(v) > _MAX_LENGTH for v in values):
        return _("“%(question)s”: the answer is too long.") % {"question": _named(question)}
    values = [v for v in values if v]
    if not values:
        return None
    if question.kind == "checkbox":
        unique = list(dict.fromkeys(values))
        unknown = [v for v in unique if v not in question.by_value]
        if unknown:
            return _("“%(question)s”: “%(value)s” is not one of the options offered.") % {
                "question": _named(question),
                "value": unknown[0],
            }
        exclusive = [v for v in unique if question.by_value[v].exclusive]
        if exclusive and len(unique) > 1:
            return _("“%(question)s”: “%(option)s” cannot be combined with other options.") % {
                "question": _named(question),
                "option": _(question.by_value[exclusive[0]].label),
            }
        order = [o.value for o in question.options]
        return Answer(question.id, tuple(sorted(unique, key=order.index)))
    if len(values) > 1:
        return _("“%(question)s”: give one answer only.") % {"question": _named(question)}
    value = values[0]
    if question.kind == "radio":
        if value not in question.by_value:
            return _("“%(question)s”: “%(value)s” is not one of the options offered.") % {
                "question": _named(question),
                "value": value,
            }
        return Answer(question.id, (value,))
    if question.kind == "date":
        try:
            day = date.fromisoformat(value) if _DATE.match(value) else None
        except ValueError:
            day = None
        if day is None:
            return _("“%(question)s”: write a date as year-month-day, for example 2026-03-15.") % {
                "question": _named(question)
            }
        return Answer(question.id, (value,), day.isoformat())
    number = float(value) if _NUMBER.match(value) else math.nan
    if not math.isfinite(number):
        return _("“%(question)s”: write a number, for example 3e25.") % {
            "question": _named(question)
        }
    if question.minimum is not None and number < question.minimum:
        return _("“%(question)s”: the number is too small.") % {"question": _named(question)}
    return Answer(question.id, (value,), number)


def read(
    flow: Flow,
    query: Iterable[tuple[str, Sequence[str]]],
    *,
    asked: str | None = None,
    reserved: frozenset[str] = RESERVED,
) -> Walk:
    """Check every answer in ``query`` (name, values) against ``flow`` and walk the routing
    rules from the first question. ``asked`` is the question the submitted form showed: an
    empty answer to it is a problem, not simply the next question to ask."""
    answers: dict[str, Answer] = {}
    problems: dict[str, str] = {}
    for name, raw in query:
        if name in reserved:
            continue
        question = flow.by_id.get(name)
        if question is None:
            problems[name[:_MAX_LENGTH]] = _("There is no question “%(name)s” in this checker.") % {
                "name": name[:_MAX_LENGTH]
            }
            continue
        checked = _check(question, raw)
        if isinstance(checked, str):
            problems[name] = checked
        elif checked is not None:
            answers[name] = checked
    if asked is not None and asked in flow.by_id and asked not in answers:
        problems.setdefault(
            asked, _("“%(question)s”: choose an answer.") % {"question": _named(flow.by_id[asked])}
        )
    path: list[Question] = []
    at: Question | None = flow.first
    given = {
        qid: (a.values[0] if flow.by_id[qid].kind == "radio" else a.values)
        for qid, a in answers.items()
    }
    while at is not None:
        if at.id in problems or at.id not in answers:
            break
        path.append(at)
        goto = flow.next_id(at, given)
        at = None if goto == RESULT else flow.by_id[goto]
    return Walk(flow, answers, tuple(path), at, problems)


def question_for_field(walk: Walk, field_name: str) -> Question | None:
    """The question whose answer set the aiact input field ``field_name`` (as an
    ``InputError`` names it: ``placed_on_market``, ``open_source.rights``, ``generates[0]``),
    preferring a question on the path; None when no question sets it."""
    name = re.sub(r"\[\d+\]", "", field_name)
    candidates = [name]
    while "." in name:
        name = name.rsplit(".", 1)[0]
        candidates.append(name)
    for candidate in candidates:
        for pool in (reversed(walk.path), walk.flow.questions):
            for q in pool:
                facts = q.facts_set()
                if candidate in facts or any(f.startswith(candidate + ".") for f in facts):
                    return q
    return None
