"""Unit tests of the AI-system rules: input validation, output shape, fines, Art. 73 periods.

The legal cases themselves are scenarios (``scenarios/system_*.yaml``); these tests pin the
Python interface and the properties a lawyer expects of every answer.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiact import NOT_IN_FORCE, InputError, load_law
from aiact._systems import (
    ANNEX_III_POINTS,
    ART6_3_CONDITIONS,
    EXCLUSIONS,
    FEATURES,
    OBLIGATION_IDS,
    PRACTICES,
    ROLES,
    TIERS,
    SystemFacts,
    art73_initial_report_due,
    assess_system,
    operator_fine_ceiling,
    system_input_schema,
    union_body_fine_ceiling,
)

AMENDED = load_law("as-amended")
PUBLISHED = load_law("as-published")
LAWS = st.sampled_from([AMENDED, PUBLISHED])
DATES = st.dates(min_value=date(2024, 8, 1), max_value=date(2031, 12, 31))


# --- input -----------------------------------------------------------------------------------


def test_from_json_reads_every_field() -> None:
    facts = SystemFacts.from_json(
        {
            "as_of": "2027-01-01",
            "role": "provider",
            "exclusions": ["free_open_source_licence"],
            "practices": ["art5_1_a"],
            "annex_i": {
                "safety_component_or_product": True,
                "third_party_conformity_assessment": False,
            },
            "annex_iii": "5_b",
            "art6_3": ["preparatory_task"],
            "profiling": True,
            "features": ["deep_fake"],
            "placed_on_market": date(2026, 1, 1),
        }
    )
    assert facts.as_of == date(2027, 1, 1)
    assert facts.annex_i is not None
    assert facts.annex_i.safety_component_or_product is True
    assert facts.annex_i.third_party_conformity_assessment is False
    assert facts.practices == frozenset({"art5_1_a"})
    assert facts.profiling is True
    assert facts.placed_on_market == date(2026, 1, 1)


def test_from_json_treats_null_lists_and_flags_as_empty() -> None:
    facts = SystemFacts.from_json(
        {"as_of": "2027-01-01", "role": "deployer", "features": None, "profiling": None}
    )
    assert facts.features == frozenset()
    assert facts.profiling is False
    assert facts.annex_i is None and facts.annex_iii is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([1, 2], "input"),
        ({"as_of": None, "role": "provider"}, "as_of"),
        ({"as_of": 20270101, "role": "provider"}, "as_of"),
        ({"as_of": "2027-01-01", "role": None}, "role"),
        ({"as_of": "2027-01-01", "role": "provider", "practices": [1]}, "practices"),
        ({"as_of": "2027-01-01", "role": "provider", "annex_iii": 4}, "annex_iii"),
        (
            {
                "as_of": "2027-01-01",
                "role": "provider",
                "annex_i": {
                    "safety_component_or_product": 1,
                    "third_party_conformity_assessment": True,
                },
            },
            "annex_i.safety_component_or_product",
        ),
    ],
)
def test_from_json_names_the_bad_field(data: object, field: str) -> None:
    with pytest.raises(InputError) as info:
        SystemFacts.from_json(data)  # type: ignore[arg-type]  # deliberately malformed input
    assert info.value.field == field


def test_schema_lists_exactly_the_input_keys_and_vocabularies() -> None:
    schema = system_input_schema()
    props = schema["properties"]
    assert isinstance(props, dict)
    assert set(props) == {
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
    assert schema["additionalProperties"] is False
    assert props["role"]["enum"] == list(ROLES)
    assert props["practices"]["items"]["enum"] == list(PRACTICES)
    assert props["annex_iii"]["oneOf"][1]["enum"] == list(ANNEX_III_POINTS)


# --- output ----------------------------------------------------------------------------------

FACTS = st.builds(
    dict,
    as_of=DATES.map(date.isoformat),
    role=st.sampled_from(ROLES),
    exclusions=st.lists(st.sampled_from(EXCLUSIONS), max_size=2, unique=True),
    practices=st.lists(st.sampled_from(PRACTICES), max_size=2, unique=True),
    annex_i=st.none()
    | st.fixed_dictionaries(
        {
            "safety_component_or_product": st.booleans(),
            "third_party_conformity_assessment": st.booleans(),
        }
    ),
    annex_iii=st.none() | st.sampled_from(list(ANNEX_III_POINTS)),
    art6_3=st.lists(st.sampled_from(ART6_3_CONDITIONS), max_size=2, unique=True),
    profiling=st.booleans(),
    features=st.lists(st.sampled_from(FEATURES), max_size=3, unique=True),
    placed_on_market=st.none() | DATES.map(date.isoformat),
)


@settings(max_examples=300, deadline=None)
@given(data=FACTS, law=LAWS)
def test_every_answer_has_the_documented_shape(data: dict[str, object], law: object) -> None:
    from aiact import Law

    assert isinstance(law, Law)
    result = assess_system(SystemFacts.from_json(data), law=law).to_json()
    assert set(result) == {
        "rules_version",
        "law",
        "as_of",
        "tier",
        "prohibited_practices",
        "high_risk",
        "transparency",
        "obligations",
        "reasons",
        "citations",
        "rules",
    }
    assert result["tier"] in TIERS
    assert result["law"] == law.selection.value
    obligations = result["obligations"]
    assert isinstance(obligations, list)
    assert [o["id"] for o in obligations] == list(OBLIGATION_IDS)
    for o in obligations:
        # "not yet" carries its date; "does not apply" carries none.
        assert o["applies"] in (True, False, "not_in_force")
        assert (o["applicable_from"] is None) == (o["applies"] is False)
        if o["applies"] == "not_in_force":
            assert o["applicable_from"] > result["as_of"]
        if o["applies"] is True:
            assert o["applicable_from"] <= result["as_of"]
    hr = result["high_risk"]
    assert isinstance(hr, dict)
    assert set(hr) == {"value", "route", "annex_iii_point", "derogation", "applicable_from"}
    assert (hr["value"] is True) == (result["tier"] == "high_risk") or result[
        "tier"
    ] == "prohibited"
    citations = result["citations"]
    assert isinstance(citations, list) and citations
    assert all(c["eli"] for c in citations if c["instrument"].startswith("Regulation"))
    assert len({c["label"] for c in citations}) == len(citations)
    assert result["reasons"] and result["rules"]


@settings(max_examples=200, deadline=None)
@given(data=FACTS)
def test_the_2024_text_never_lists_the_points_added_in_2026(data: dict[str, object]) -> None:
    result = assess_system(SystemFacts.from_json(data), law=PUBLISHED)
    assert not {p.id for p in result.prohibited_practices} & {"art5_1_ba", "art5_1_bb"}


def test_not_in_force_is_distinct_from_false() -> None:
    facts = SystemFacts.from_json({"as_of": "2027-01-01", "role": "provider", "annex_iii": "4_a"})
    result = assess_system(facts, law=AMENDED)
    assert result.high_risk.value is NOT_IN_FORCE
    assert result.to_json()["high_risk"]["value"] == "not_in_force"  # type: ignore[index]
    by_id = {o.id: o for o in result.obligations}
    assert by_id["art16_provider_obligations"].applies is NOT_IN_FORCE
    assert by_id["art26_deployer_obligations"].applies is False


def test_assessment_repeats_identically() -> None:
    facts = SystemFacts.from_json(
        {"as_of": "2028-01-01", "role": "provider", "annex_iii": "6_a", "features": ["deep_fake"]}
    )
    assert (
        assess_system(facts, law=AMENDED).to_json() == assess_system(facts, law=AMENDED).to_json()
    )


# --- fines -----------------------------------------------------------------------------------

TURNOVER = st.decimals(
    min_value=0, max_value=Decimal("1e13"), places=2, allow_nan=False, allow_infinity=False
)


@settings(max_examples=300, deadline=None)
@given(
    turnover=TURNOVER,
    tier=st.sampled_from(["art5", "obligations", "information"]),
    size=st.sampled_from(["sme", "smc"]),
    on=DATES,
    law=LAWS,
)
def test_a_smaller_enterprise_never_faces_a_higher_ceiling_than_a_large_one(
    turnover: Decimal, tier: str, size: str, on: date, law: object
) -> None:
    from aiact import Law

    assert isinstance(law, Law)
    small = operator_fine_ceiling(tier=tier, turnover_eur=turnover, size=size, on=on, law=law)
    large = operator_fine_ceiling(tier=tier, turnover_eur=turnover, size="large", on=on, law=law)
    assert small.maximum_cents <= large.maximum_cents
    sme = operator_fine_ceiling(tier=tier, turnover_eur=turnover, size="sme", on=on, law=law)
    assert sme.maximum_cents <= small.maximum_cents


@settings(max_examples=100, deadline=None)
@given(turnover=TURNOVER, on=DATES, law=LAWS)
def test_fine_tiers_are_ordered(turnover: Decimal, on: date, law: object) -> None:
    from aiact import Law

    assert isinstance(law, Law)
    caps = [
        operator_fine_ceiling(
            tier=t, turnover_eur=turnover, size="large", on=on, law=law
        ).maximum_cents
        for t in ("art5", "obligations", "information")
    ]
    assert caps == sorted(caps, reverse=True)
    union = [
        union_body_fine_ceiling(tier=t, on=on, law=law).maximum_cents for t in ("art5", "other")
    ]
    assert union == [150_000_000, 75_000_000]


def test_fine_money_is_exact() -> None:
    c = operator_fine_ceiling(
        tier="art5",
        turnover_eur=Decimal("500000000.01"),
        size="large",
        on=date(2026, 1, 1),
        law=AMENDED,
    )
    assert c.maximum_cents == 3_500_000_000  # 7 % of 500 000 000.01 = 35 000 000.0007, rounded down
    assert c.to_json()["maximum_eur"] == "35000000.00"
    c = operator_fine_ceiling(
        tier="art5",
        turnover_eur=Decimal("500000001.00"),
        size="large",
        on=date(2026, 1, 1),
        law=AMENDED,
    )
    assert c.to_json()["maximum_eur"] == "35000000.07"
    assert c.basis == "turnover_share"


@pytest.mark.parametrize("turnover", [Decimal("-1"), Decimal("NaN"), Decimal("Infinity"), 5])
def test_fine_refuses_a_bad_turnover(turnover: object) -> None:
    with pytest.raises(InputError) as info:
        operator_fine_ceiling(
            tier="art5",
            turnover_eur=turnover,
            size="large",
            on=date(2026, 1, 1),
            law=AMENDED,  # type: ignore[arg-type]  # deliberately wrong
        )
    assert info.value.field == "turnover"


def test_smc_reason_explains_why_no_lower_ceiling() -> None:
    before = operator_fine_ceiling(
        tier="obligations", turnover_eur=Decimal("1"), size="smc", on=date(2026, 7, 26), law=AMENDED
    )
    assert any("has no lower-of rule" in r for r in before.reasons)
    art5 = operator_fine_ceiling(
        tier="art5", turnover_eur=Decimal("1"), size="smc", on=date(2026, 7, 27), law=AMENDED
    )
    assert any("not covered by Art. 99(6a)" in r for r in art5.reasons)
    assert art5.maximum_cents == 3_500_000_000


# --- Art. 73 ---------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    types=st.lists(
        st.sampled_from(
            ["death", "critical_infrastructure", "cyber_breach", "widespread_infringement", "other"]
        ),
        min_size=1,
        max_size=5,
    ),
    aware_on=DATES,
    law=LAWS,
)
def test_several_types_give_the_earliest_deadline(
    types: list[str], aware_on: date, law: object
) -> None:
    from aiact import Law

    assert isinstance(law, Law)
    together = art73_initial_report_due(types=types, aware_on=aware_on, law=law)
    alone = [
        art73_initial_report_due(types=[t], aware_on=aware_on, law=law).initial_report_due
        for t in types
    ]
    assert together.initial_report_due == min(alone)
    assert (
        aware_on + timedelta(days=2) <= together.initial_report_due <= aware_on + timedelta(days=15)
    )
    assert together.rules == ("INC-01",)


@pytest.mark.parametrize("types", [[], "death", ["death", "meteor"]])
def test_art73_refuses_bad_types(types: object) -> None:
    with pytest.raises(InputError) as info:
        art73_initial_report_due(types=types, aware_on=date(2026, 9, 1), law=AMENDED)  # type: ignore[arg-type]  # deliberately wrong
    assert info.value.field == "types"


def test_art73_counts_calendar_days_and_says_so() -> None:
    d = art73_initial_report_due(types=["death", "death"], aware_on=date(2026, 9, 1), law=AMENDED)
    assert d.types == ("death",)
    assert "calendar days" in d.counting
    assert d.to_json()["initial_report_due"] == "2026-09-11"


def test_equal_citations_from_elsewhere_are_not_repeated() -> None:
    from aiact import Citation, cite
    from aiact._systems import _citation_json, _Trace

    fresh = Citation("AIA", "6", "2", None, cite("AIA", "6", "2").eli)
    other = Citation("AIA", "999", None, None, None)
    trace = _Trace()
    trace.note("one", cite("AIA", "6", "2"))
    trace.note("two", fresh, other)
    trace.add_citations([Citation("AIA", "999", None, None, None)])
    assert [c.label for c in trace.cited()] == ["AI Act, Art. 6(2)", "AI Act, Art. 999"]
    assert _citation_json(Citation("AIA", "998", None, None, None))["label"] == "AI Act, Art. 998"


@settings(max_examples=200, deadline=None)
@given(data=FACTS)
def test_the_schema_accepts_every_valid_input(data: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, system_input_schema())
    nulls = {k: None for k in ("exclusions", "practices", "annex_i", "annex_iii", "art6_3")}
    jsonschema.validate({**data, **nulls, "profiling": None}, system_input_schema())


@pytest.mark.parametrize(
    "data",
    [
        {"as_of": "2027-01-01"},
        {"as_of": "2027-01-01", "role": "king"},
        {"as_of": "2027-01-01", "role": "provider", "risk": "high"},
        {"as_of": "2027-01-01", "role": "provider", "annex_iii": "4"},
        {
            "as_of": "2027-01-01",
            "role": "provider",
            "annex_i": {"safety_component_or_product": True},
        },
        {"as_of": "2027-01-01", "role": "provider", "features": ["telepathy"]},
    ],
)
def test_the_schema_refuses_what_from_json_refuses(data: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, system_input_schema())
    with pytest.raises(InputError):
        SystemFacts.from_json(data)


def test_the_published_schema_is_the_one_the_code_uses() -> None:
    import json
    from pathlib import Path

    published = Path(__file__).resolve().parents[2] / "docs" / "aiact" / "schema" / "system.json"
    assert json.loads(published.read_text(encoding="utf-8")) == system_input_schema()


@settings(max_examples=200, deadline=None)
@given(data=FACTS, law=LAWS, later=st.integers(min_value=1, max_value=2000))
def test_what_applies_keeps_applying_later(
    data: dict[str, object], law: object, later: int
) -> None:
    from aiact import Law

    assert isinstance(law, Law)
    first = SystemFacts.from_json(data)
    second = SystemFacts.from_json(
        {**data, "as_of": (first.as_of + timedelta(days=later)).isoformat()}
    )
    before = assess_system(first, law=law)
    after = assess_system(second, law=law)
    for a, b in zip(before.obligations, after.obligations, strict=True):
        if a.applies is True:
            assert b.applies is True, (a, b)
    if before.tier == "prohibited":
        assert after.tier == "prohibited"
    assert {p.id for p in before.prohibited_practices if p.applicable_from <= first.as_of} <= {
        p.id for p in after.prohibited_practices
    }


# --- Art. 25(1) value chain ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "basis"),
    [
        ("rebrand", "art25_1_a"),
        ("substantial_modification", "art25_1_b"),
        ("repurpose", "art25_1_c"),
    ],
)
def test_a_third_party_becomes_provider_of_a_high_risk_system(event: str, basis: str) -> None:
    from aiact._systems import becomes_provider

    found = becomes_provider(
        event=event, route="annex_iii", high_risk_after=True, on=date(2028, 1, 1), law=AMENDED
    )
    assert (found.value, found.basis, found.rules) == (True, basis, ("AIS-VC-01",))
    assert any("must cooperate" in r for r in found.reasons)


def test_becoming_provider_follows_the_high_risk_dates() -> None:
    from aiact._systems import becomes_provider

    kwargs = {"event": "repurpose", "route": "annex_i", "high_risk_after": True}
    assert becomes_provider(**kwargs, on=date(2028, 8, 1), law=AMENDED).value is NOT_IN_FORCE  # type: ignore[arg-type]
    assert becomes_provider(**kwargs, on=date(2028, 8, 2), law=AMENDED).value is True  # type: ignore[arg-type]
    assert becomes_provider(**kwargs, on=date(2027, 8, 2), law=PUBLISHED).value is True  # type: ignore[arg-type]


def test_no_provider_change_without_a_high_risk_system_or_with_an_opt_out() -> None:
    from aiact._systems import becomes_provider

    no = becomes_provider(
        event="substantial_modification",
        route="annex_iii",
        high_risk_after=False,
        on=date(2028, 1, 1),
        law=AMENDED,
    )
    assert no.value is False and no.basis is None
    opted = becomes_provider(
        event="rebrand",
        route="annex_iii",
        high_risk_after=True,
        initial_provider_excluded_high_risk_use=True,
        on=date(2028, 1, 1),
        law=AMENDED,
    )
    assert any("owes no cooperation" in r for r in opted.reasons)


@pytest.mark.parametrize(
    ("event", "route", "field"), [("merge", "annex_iii", "event"), ("rebrand", "annex_x", "route")]
)
def test_value_chain_refuses_unknown_events_and_routes(event: str, route: str, field: str) -> None:
    from aiact._systems import becomes_provider

    with pytest.raises(InputError) as info:
        becomes_provider(
            event=event, route=route, high_risk_after=True, on=date(2028, 1, 1), law=AMENDED
        )
    assert info.value.field == field


BEFORE_OMNIBUS = st.dates(min_value=date(2024, 8, 1), max_value=date(2026, 7, 26))


@settings(max_examples=200, deadline=None)
@given(data=FACTS, on=BEFORE_OMNIBUS)
def test_both_texts_agree_before_the_omnibus_entered_into_force(
    data: dict[str, object], on: date
) -> None:
    facts = SystemFacts.from_json({**data, "as_of": on.isoformat()})
    amended = assess_system(facts, law=AMENDED).to_json()
    published = assess_system(facts, law=PUBLISHED).to_json()
    amended.pop("law")
    published.pop("law")
    assert amended == published


@settings(max_examples=100, deadline=None)
@given(
    turnover=TURNOVER,
    tier=st.sampled_from(["art5", "obligations", "information"]),
    on=BEFORE_OMNIBUS,
)
def test_small_mid_caps_are_fined_alike_under_both_texts_before_the_omnibus(
    turnover: Decimal, tier: str, on: date
) -> None:
    a = operator_fine_ceiling(tier=tier, turnover_eur=turnover, size="smc", on=on, law=AMENDED)
    p = operator_fine_ceiling(tier=tier, turnover_eur=turnover, size="smc", on=on, law=PUBLISHED)
    assert a.to_json() == p.to_json()
