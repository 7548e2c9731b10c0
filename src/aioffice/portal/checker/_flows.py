"""The question flows of the compliance checker: YAML data, read once, checked on load.

A flow is a decision graph in the manner of the Commission's own checker (a list of
questions, each with options and ordered routing rules, the first rule that matches wins),
with one difference: an option does not raise an outcome flag, it sets *facts* of the
``aiact`` input (``role``, ``practices``, ``annex_iii``...). The outcome is computed by
``aiact`` from those facts; the flow only decides which question to ask next.

The current version of a flow lives in ``flows/<key>.yaml``; earlier versions, kept so that
old shared links still load, in ``flows/archive/<key>-<version>.yaml``. Loading checks the
graph: known question ids, routes that only go forward (so every walk ends), a last rule
without a condition, option values unique, an exclusive option only in a checkbox question.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, NamedTuple

import yaml

__all__ = [
    "FLOW_KEYS",
    "KINDS",
    "RESERVED",
    "RESULT",
    "Condition",
    "Flow",
    "FlowError",
    "Option",
    "Question",
    "Route",
    "current",
    "flow_version",
    "versions",
]

FLOWS_DIR: Final = Path(__file__).resolve().parent / "flows"
FLOW_KEYS: Final = ("system", "gpai")
KINDS: Final = ("radio", "checkbox", "date", "number")
RESULT: Final = "result"
RESERVED: Final = frozenset({"v", "as_of", "print", "q", "edit"})
"""Query-string names the pages use for themselves; no question may take one."""

_ID: Final = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_VALUE: Final = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")
_VERSION: Final = re.compile(r"^\d{4}-\d{2}-\d{2}\.\d+$")
_FACT: Final = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
FactValue = str | bool | int | float | list[str] | dict[str, object]


class FlowError(ValueError):
    """A flow file is malformed; the message names the file and the place."""


@dataclass(frozen=True, slots=True)
class Option:
    """One answer a visitor may choose, with the aiact facts it sets."""

    value: str
    label: str
    help: str = ""
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    exclusive: bool = False


@dataclass(frozen=True, slots=True)
class Condition:
    """A test on an answer already given: ``any_of`` (the answer, or one of the boxes
    ticked, is among the values) or ``none_of`` (none of them is)."""

    question: str
    any_of: frozenset[str] = frozenset()
    none_of: frozenset[str] = frozenset()

    def holds(self, answer: str | tuple[str, ...] | None) -> bool:
        chosen = set() if answer is None else {answer} if isinstance(answer, str) else set(answer)
        if self.any_of:
            return bool(chosen & self.any_of)
        return not (chosen & self.none_of)


@dataclass(frozen=True, slots=True)
class Route:
    """Go to ``goto`` (a question id or ``result``) when every condition holds."""

    goto: str
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question: its kind, English texts (gettext msgids), options or the fact its
    value sets (date and number questions), and its routing rules."""

    id: str
    kind: str
    text: str
    help: str
    options: tuple[Option, ...]
    routes: tuple[Route, ...]
    fact: str | None = None
    minimum: float | None = None

    @functools.cached_property
    def by_value(self) -> Mapping[str, Option]:
        return {o.value: o for o in self.options}

    def facts_set(self) -> frozenset[str]:
        """Every fact (dotted path) an answer to this question can set."""
        if self.fact is not None:
            return frozenset({self.fact})
        return frozenset(key for o in self.options for key in o.facts)


@dataclass(frozen=True)
class Flow:
    """One version of one flow: questions in the order they may be asked."""

    key: str
    version: str
    title: str
    summary: str
    questions: tuple[Question, ...]

    @functools.cached_property
    def by_id(self) -> Mapping[str, Question]:
        return {q.id: q for q in self.questions}

    @property
    def first(self) -> Question:
        return self.questions[0]

    def next_id(self, question: Question, answers: Mapping[str, str | tuple[str, ...]]) -> str:
        """The id the first matching routing rule of ``question`` goes to."""
        for route in question.routes:
            if all(c.holds(answers.get(c.question)) for c in route.when):
                return route.goto
        raise FlowError(f"{self.key}: no route of {question.id} matches")  # pragma: no cover

    def texts(self) -> list[str]:
        """Every English text of the flow, in order, without repeats (the msgids)."""
        seen: dict[str, None] = {self.title: None, self.summary: None}
        for q in self.questions:
            seen[q.text] = None
            if q.help:
                seen[q.help] = None
            for o in q.options:
                seen[o.label] = None
                if o.help:
                    seen[o.help] = None
        return [t for t in seen if t]


# --- loading -------------------------------------------------------------------------------


def _text(data: Mapping[str, object], key: str, where: str, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise FlowError(f"{where}: {key} must be a non-empty text")
    if "%" in value:
        raise FlowError(f"{where}: {key} may not contain '%' (it is a gettext msgid)")
    return " ".join(value.split())


def _facts(raw: object, where: str) -> dict[str, FactValue]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise FlowError(f"{where}: facts must be a mapping")
    out: dict[str, FactValue] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not _FACT.match(key):
            raise FlowError(f"{where}: fact name {key!r} is not a name or a dotted pair")
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise FlowError(f"{where}: fact {key} lists only texts")
        elif isinstance(value, dict):
            if value:
                raise FlowError(f"{where}: fact {key} may only be an empty object")
        elif not isinstance(value, str | bool | int | float):
            raise FlowError(f"{where}: fact {key} has a value of an unknown type")
        out[key] = value
    return out


def _conditions(raw: object, ids: Sequence[str], where: str) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise FlowError(f"{where}: when must be a non-empty list of conditions")
    out: list[Condition] = []
    for item in raw:
        if not isinstance(item, Mapping) or set(item) - {"question", "any_of", "none_of"}:
            raise FlowError(f"{where}: a condition has question and any_of or none_of")
        question = item.get("question")
        if question not in ids:
            raise FlowError(f"{where}: condition on an unknown or later question {question!r}")
        any_of, none_of = item.get("any_of"), item.get("none_of")
        if (any_of is None) == (none_of is None):
            raise FlowError(f"{where}: a condition has exactly one of any_of and none_of")
        values = any_of if any_of is not None else none_of
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise FlowError(f"{where}: any_of and none_of list option values")
        assert isinstance(question, str)
        out.append(
            Condition(
                question=question,
                any_of=frozenset(any_of or ()),
                none_of=frozenset(none_of or ()),
            )
        )
    return tuple(out)


def _question(raw: object, index: int, where: str) -> Question:
    if not isinstance(raw, Mapping):
        raise FlowError(f"{where}: question {index} must be a mapping")
    qid = raw.get("id")
    if not isinstance(qid, str) or not _ID.match(qid) or qid in RESERVED or qid == RESULT:
        raise FlowError(f"{where}: question {index} has a bad or reserved id {qid!r}")
    here = f"{where}: {qid}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise FlowError(f"{here}: kind must be one of {', '.join(KINDS)}")
    assert isinstance(kind, str)
    known = {"id", "kind", "text", "help", "options", "routes", "fact", "min"}
    if set(raw) - known:
        raise FlowError(f"{here}: unknown keys {sorted(set(raw) - known)}")
    options: list[Option] = []
    fact: str | None = None
    minimum: float | None = None
    if kind in ("radio", "checkbox"):
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            raise FlowError(f"{here}: a {kind} question has at least two options")
        for o in raw_options:
            if not isinstance(o, Mapping) or set(o) - {
                "value",
                "label",
                "help",
                "facts",
                "exclusive",
            }:
                raise FlowError(f"{here}: an option has value, label, help, facts, exclusive")
            value = o.get("value")
            if not isinstance(value, str) or not _VALUE.match(value):
                raise FlowError(f"{here}: bad option value {value!r}")
            exclusive = o.get("exclusive", False)
            if not isinstance(exclusive, bool) or (exclusive and kind != "checkbox"):
                raise FlowError(f"{here}: exclusive is true or false, in checkbox questions")
            options.append(
                Option(
                    value=value,
                    label=_text(o, "label", f"{here}.{value}"),
                    help=_text(o, "help", f"{here}.{value}", required=False),
                    facts=_facts(o.get("facts"), f"{here}.{value}"),
                    exclusive=exclusive,
                )
            )
        if len({o.value for o in options}) != len(options):
            raise FlowError(f"{here}: option values repeat")
        if "fact" in raw or "min" in raw:
            raise FlowError(f"{here}: fact and min belong to date and number questions")
    else:
        if "options" in raw:
            raise FlowError(f"{here}: a {kind} question has no options")
        raw_fact = raw.get("fact")
        if not isinstance(raw_fact, str) or not _FACT.match(raw_fact):
            raise FlowError(f"{here}: a {kind} question names the fact its answer sets")
        fact = raw_fact
        raw_min = raw.get("min")
        if raw_min is not None:
            if (
                kind != "number"
                or isinstance(raw_min, bool)
                or not isinstance(raw_min, int | float)
            ):
                raise FlowError(f"{here}: min is a number, in number questions")
            minimum = float(raw_min)
    return Question(
        id=qid,
        kind=kind,
        text=_text(raw, "text", here),
        help=_text(raw, "help", here, required=False),
        options=tuple(options),
        routes=(),  # filled by _flow once every id is known
        fact=fact,
        minimum=minimum,
    )


def _routes(raw: object, question: Question, ids: Sequence[str], where: str) -> tuple[Route, ...]:
    here = f"{where}: {question.id}"
    if not isinstance(raw, list) or not raw:
        raise FlowError(f"{here}: routes must be a non-empty list")
    position = ids.index(question.id)
    earlier = ids[: position + 1]
    later = ids[position + 1 :]
    out: list[Route] = []
    for item in raw:
        if not isinstance(item, Mapping) or set(item) - {"goto", "when"}:
            raise FlowError(f"{here}: a route has goto and optional when")
        goto = item.get("goto")
        if goto != RESULT and goto not in later:
            raise FlowError(f"{here}: goto {goto!r} is neither result nor a later question")
        assert isinstance(goto, str)
        out.append(Route(goto=goto, when=_conditions(item.get("when"), earlier, here)))
    if out[-1].when:
        raise FlowError(f"{here}: the last route has no condition (it always matches)")
    return tuple(out)


def _flow(raw: object, where: str) -> Flow:
    if not isinstance(raw, Mapping) or set(raw) - {
        "key",
        "version",
        "title",
        "summary",
        "questions",
    }:
        raise FlowError(f"{where}: a flow has key, version, title, summary and questions")
    key, version = raw.get("key"), raw.get("version")
    if key not in FLOW_KEYS:
        raise FlowError(f"{where}: key must be one of {', '.join(FLOW_KEYS)}")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise FlowError(f"{where}: version must look like 2026-11-26.1")
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise FlowError(f"{where}: questions must be a non-empty list")
    questions = [_question(q, i, where) for i, q in enumerate(raw_questions)]
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise FlowError(f"{where}: question ids repeat")
    routed: list[Question] = []
    for q, q_raw in zip(questions, raw_questions, strict=True):
        routes = _routes(q_raw.get("routes"), q, ids, where)
        for route in routes:
            for c in route.when:
                asked = questions[ids.index(c.question)]
                unknown = (c.any_of | c.none_of) - {o.value for o in asked.options}
                if unknown:
                    raise FlowError(f"{where}: {q.id}: no option {sorted(unknown)} in {asked.id}")
        routed.append(
            Question(
                id=q.id,
                kind=q.kind,
                text=q.text,
                help=q.help,
                options=q.options,
                routes=routes,
                fact=q.fact,
                minimum=q.minimum,
            )
        )
    assert isinstance(key, str)
    return Flow(
        key=key,
        version=version,
        title=_text(raw, "title", where),
        summary=_text(raw, "summary", where),
        questions=tuple(routed),
    )


def load_file(path: Path) -> Flow:
    """Read and check one flow file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FlowError(f"{path.name}: not valid YAML: {exc}") from None
    return _flow(raw, path.name)


class _Registry(NamedTuple):
    flows: Mapping[str, Mapping[str, Flow]]
    current: Mapping[str, str]


@functools.cache
def _registry() -> _Registry:
    """Every flow, every version (``{key: {version: Flow}}``) and the current version of
    each, read once per process."""
    flows: dict[str, dict[str, Flow]] = {key: {} for key in FLOW_KEYS}
    now: dict[str, str] = {}
    for key in FLOW_KEYS:
        flow = load_file(FLOWS_DIR / f"{key}.yaml")
        if flow.key != key:
            raise FlowError(f"{key}.yaml: holds the flow {flow.key}")
        flows[key][flow.version] = flow
        now[key] = flow.version
    archive = FLOWS_DIR / "archive"
    for path in sorted(archive.glob("*.yaml")) if archive.is_dir() else []:
        flow = load_file(path)
        if flow.version in flows[flow.key]:
            raise FlowError(f"{path.name}: version {flow.version} of {flow.key} is loaded twice")
        flows[flow.key][flow.version] = flow
    return _Registry(flows, now)


def versions(key: str) -> Mapping[str, Flow]:
    """Every loadable version of the flow ``key`` (KeyError for an unknown key)."""
    return _registry().flows[key]


def current(key: str) -> Flow:
    """The version of the flow ``key`` that visitors answer now (KeyError if unknown)."""
    registry = _registry()
    return registry.flows[key][registry.current[key]]


def flow_version(key: str, version: str | None) -> Flow | None:
    """The flow ``key`` in ``version`` (the current one when None); None if unknown."""
    if version is None:
        return current(key)
    return _registry().flows[key].get(version)
