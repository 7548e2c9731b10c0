"""The checker's flows as data: they load and are checked on load, every option sets facts
that aiact accepts, every routing rule is reached by some walk and every walk ends in an
answer of aiact, the Annex III points and aiact's ids all have their place, and
flow_strings.py is up to date with the YAML."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import aiact
from aiact._obligations import OBLIGATION_IDS as MODEL_OBLIGATION_IDS
from aiact._systems import ANNEX_III_POINTS, PRACTICES, SystemFacts
from aiact._systems import OBLIGATION_IDS as SYSTEM_OBLIGATION_IDS
from aioffice.portal.checker import (
    FLOW_KEYS,
    RESULT,
    FlowError,
    _flows,
    current,
    names,
    read,
    strings,
    versions,
)
from aioffice.portal.checker._answers import Walk
from aioffice.portal.checker._flows import Flow, Question
from aioffice.portal.checker.examples import EXAMPLES

ON = date(2026, 11, 26)
SAMPLE = {"date": "2026-03-15", "number": "3e25"}
KIND = {"system": "system", "gpai": "model"}


def _raw(key: str) -> dict[str, Any]:
    data = yaml.safe_load((_flows.FLOWS_DIR / f"{key}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# --- loading and checking ------------------------------------------------------------------


def test_both_flows_load_with_a_version_and_their_questions() -> None:
    for key in FLOW_KEYS:
        flow = current(key)
        assert flow.key == key
        assert flow.version in versions(key)
        assert flow.questions[0].kind == "radio"
        assert all(q.text for q in flow.questions)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"][0].update(id="v"), "reserved"),
        (lambda d: d["questions"][0].update(kind="slider"), "kind must be"),
        (lambda d: d["questions"][0]["routes"].insert(0, {"goto": "nowhere"}), "neither result"),
        (
            lambda d: d["questions"][1]["routes"].append({"goto": d["questions"][0]["id"]}),
            "neither",
        ),
        (lambda d: d["questions"][1]["routes"][0]["when"][0].update(any_of=["x"]), "no option"),
        (
            lambda d: d["questions"][0]["options"].append(dict(d["questions"][0]["options"][0])),
            "repeat",
        ),
        (lambda d: d["questions"][0]["options"][0].update(exclusive=True), "exclusive"),
        (lambda d: d["questions"][0].update(text="50% of it"), "'%'"),
        (lambda d: d.update(version="v1"), "version"),
        (lambda d: d["questions"][0]["options"][0].update(facts={"Role": "provider"}), "fact name"),
    ],
)
def test_a_malformed_flow_is_refused_naming_the_place(change: Any, message: str) -> None:
    data = copy.deepcopy(_raw("system"))
    change(data)
    with pytest.raises(FlowError, match=message):
        _flows._flow(data, "system.yaml")


def test_the_last_route_of_a_question_has_no_condition() -> None:
    data = copy.deepcopy(_raw("system"))
    routes = data["questions"][0]["routes"]
    routes[-1]["when"] = [{"question": "role", "any_of": ["provider"]}]
    with pytest.raises(FlowError, match="last route"):
        _flows._flow(data, "system.yaml")


# --- facts: every option speaks aiact's input --------------------------------------------


def _facts_base(key: str) -> dict[str, object]:
    return (
        {"as_of": ON.isoformat(), "role": "provider"}
        if key == "system"
        else {"as_of": ON.isoformat()}
    )


@pytest.mark.parametrize("key", FLOW_KEYS)
def test_every_option_sets_facts_that_aiact_accepts(key: str) -> None:
    flow = current(key)
    for question in flow.questions:
        for option in question.options:
            walk = Walk(flow, {question.id: _answer(question, option.value)}, (question,), None)
            facts = {**_facts_base(key), **walk.facts()}
            if "annex_i" in facts:
                assert isinstance(facts["annex_i"], dict)
                facts["annex_i"] = {
                    "safety_component_or_product": True,
                    "third_party_conformity_assessment": False,
                    **facts["annex_i"],
                }
            if "modifies" in facts:
                facts["modification_compute_flop"] = 1e24
            aiact.evaluate(KIND[key], facts, law=aiact.load_law("as-amended"))


def _answer(question: Question, value: str) -> Any:
    from aioffice.portal.checker import Answer

    return Answer(question.id, (value,))


def test_the_annex_iii_options_are_aiacts_points_each_once() -> None:
    flow = current("system")
    points = [
        fact
        for q in flow.questions
        for o in q.options
        for name, fact in o.facts.items()
        if name == "annex_iii"
    ]
    assert sorted(points) == sorted(ANNEX_III_POINTS)


def test_every_prohibited_practice_of_aiact_has_an_option_including_ba_and_bb() -> None:
    practices = current("system").by_id["practices"]
    offered = {f for o in practices.options for f in o.facts.get("practices", [])}  # type: ignore[union-attr]
    assert offered == set(PRACTICES)
    assert {"art5_1_ba", "art5_1_bb"} <= offered


def test_every_role_of_aiact_is_offered() -> None:
    role = current("system").by_id["role"]
    assert {o.facts["role"] for o in role.options} == set(aiact._systems.ROLES)


def test_every_id_aiact_returns_has_a_human_name() -> None:
    assert set(names.SYSTEM_OBLIGATIONS) == set(SYSTEM_OBLIGATION_IDS)
    assert set(names.GPAI_OBLIGATIONS) == set(MODEL_OBLIGATION_IDS)
    assert set(names.PRACTICES) == set(PRACTICES)
    assert set(names.TIERS) == set(aiact._systems.TIERS)
    assert set(names.TRANSPARENCY) == {"art50_1", "art50_2", "art50_3", "art50_4"}


def test_the_obligation_names_cite_the_article_of_their_id() -> None:
    for oid, named in {**names.SYSTEM_OBLIGATIONS, **names.GPAI_OBLIGATIONS}.items():
        assert oid.startswith(f"art{named.provision.article}_"), oid


# --- routing: every rule is reached, every walk ends in an answer of aiact ------------------


def _first_value(question: Question) -> list[str]:
    return [question.options[-1].value] if question.options else [SAMPLE[question.kind]]


def _walk(flow: Flow, answers: dict[str, list[str]]) -> Walk:
    return read(flow, list(answers.items()))


def _complete(flow: Flow, answers: dict[str, list[str]]) -> tuple[Walk, dict[str, list[str]]]:
    """Answer every further question with its last option (usually none or no) or a sample."""
    answers = dict(answers)
    while True:
        walk = _walk(flow, answers)
        assert not walk.problems, walk.problems
        if walk.current is None:
            return walk, answers
        answers[walk.current.id] = _first_value(walk.current)


def _walks(flow: Flow) -> Iterator[Walk]:
    """For every question and each of its options (or a sample value), a walk that reaches
    the question, gives that answer and goes on to the result; and the examples."""
    paths: dict[str, dict[str, list[str]]] = {flow.first.id: {}}
    frontier = [flow.first.id]
    while frontier:
        qid = frontier.pop(0)
        question = flow.by_id[qid]
        choices = [[o.value] for o in question.options] or [[SAMPLE[question.kind]]]
        for choice in choices:
            answers = {**paths[qid], qid: choice}
            walk = _walk(flow, answers)
            nxt = walk.current
            if nxt is not None and nxt.id not in paths:
                paths[nxt.id] = answers
                frontier.append(nxt.id)
            yield _complete(flow, answers)[0]
    for example in EXAMPLES.values():
        if example.flow == flow.key:
            given = {k: [v] if isinstance(v, str) else list(v) for k, v in example.answers.items()}
            yield _walk(flow, given)


def _routes_taken(walk: Walk) -> set[tuple[str, int]]:
    given = {
        qid: (a.values[0] if walk.flow.by_id[qid].kind == "radio" else a.values)
        for qid, a in walk.answers.items()
    }
    taken = set()
    for question in walk.path:
        for index, route in enumerate(question.routes):
            if all(c.holds(given.get(c.question)) for c in route.when):
                taken.add((question.id, index))
                break
    return taken


EXTRA_WALKS = {
    "system": [
        # a deployer using the system for purely personal purposes ends the walk early
        {"role": ["deployer"], "exclusions": ["personal_use"]},
    ],
    "gpai": [],
}


@pytest.mark.parametrize("key", FLOW_KEYS)
def test_every_routing_rule_is_taken_by_some_walk_and_every_question_is_asked(key: str) -> None:
    flow = current(key)
    taken: set[tuple[str, int]] = set()
    asked: set[str] = set()
    walks = [*_walks(flow), *(_complete(flow, w)[0] for w in EXTRA_WALKS[key])]
    for walk in walks:
        assert walk.complete, (walk.current, walk.problems)
        taken |= _routes_taken(walk)
        asked |= {q.id for q in walk.path}
    every = {(q.id, i) for q in flow.questions for i in range(len(q.routes))}
    assert every - taken == set()
    assert asked == set(flow.by_id)


@pytest.mark.parametrize("key", FLOW_KEYS)
def test_every_walk_ends_in_an_answer_of_aiact_under_both_texts(key: str) -> None:
    flow = current(key)
    for walk in [*_walks(flow), *(_complete(flow, w)[0] for w in EXTRA_WALKS[key])]:
        facts = {**walk.facts(), "as_of": ON.isoformat()}
        for law in ("as-amended", "as-published"):
            aiact.evaluate(KIND[key], facts, law=aiact.load_law(law))


def test_an_early_result_is_out_of_scope_in_aiacts_answer() -> None:
    """The routes that end the walk early (an Art. 2 exclusion) only skip questions whose
    answers could not change aiact's answer: aiact says out of scope."""
    flow = current("system")
    for answers in (
        {"role": ["provider"], "exclusions": ["military"]},
        {"role": ["importer"], "exclusions": ["scientific_research"]},
        {"role": ["deployer"], "exclusions": ["personal_use"]},
    ):
        walk = _walk(flow, answers)
        assert walk.complete
        facts = {**walk.facts(), "as_of": ON.isoformat()}
        SystemFacts.from_json(facts)
        for law in ("as-amended", "as-published"):
            assert (
                aiact.evaluate("system", facts, law=aiact.load_law(law))["tier"] == "out_of_scope"
            )


def test_a_changed_answer_drops_the_answers_off_the_new_path_from_the_facts() -> None:
    flow = current("system")
    walk = _walk(
        flow,
        {
            "role": ["provider"],
            "exclusions": ["none"],
            "practices": ["none"],
            "annex_i": ["no"],
            "annex_iii_area": ["none"],
            "annex_iii_4": ["4_a"],  # left over from an earlier walk through area 4
            "features": ["none"],
            "placed": ["not_yet"],
        },
    )
    assert walk.complete
    assert "annex_iii" not in walk.facts()
    assert "annex_iii_4" not in dict(walk.pairs())
    assert "annex_iii_4" in dict(walk.pairs(everything=True))


# --- strings -----------------------------------------------------------------------------


def test_flow_strings_is_up_to_date_with_the_flows() -> None:
    """Regenerate with `python -m aioffice.portal.checker.strings` when this fails."""
    assert strings.TARGET.read_text(encoding="utf-8") == strings.render()


def test_flow_strings_lists_every_text_of_every_version() -> None:
    from aioffice.portal.checker import flow_strings

    for key in FLOW_KEYS:
        for flow in versions(key).values():
            assert set(flow.texts()) <= set(flow_strings.TEXTS)


def test_flow_strings_marks_each_text_with_gettext_noop_for_makemessages() -> None:
    text = Path(strings.TARGET).read_text(encoding="utf-8")
    assert text.count("gettext_noop(") == len(strings.texts())
    assert "from django.utils.translation import gettext_noop" in text


def test_the_result_route_is_named_result() -> None:
    assert RESULT == "result"
