"""The parameter loader refuses invalid files; every parameter carries citation and status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from aiact import InputError, ParameterError, load_law
from aiact._params import PARAMS_DIR, STATUSES

GOOD = """
k:
  title: A value
  type: {type}
  values:
    - value: {value}
      status: LAW
      citation: {{instrument: AIA, article: "1"}}
"""


def _write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_every_parameter_has_a_citation_and_a_known_status() -> None:
    law = load_law()
    values = law.all_values()
    assert len(values) > 50
    for v in values:
        assert v.status in STATUSES
        assert v.citation.article and v.citation.label
        assert v.to_json()["citation"]
        if v.status in {"LAW", "LAW-AMENDED"}:
            assert v.citation.eli and v.citation.eli.startswith("http://data.europa.eu/eli/")


def test_rules_version_is_package_version_plus_content_hash() -> None:
    assert load_law().rules_version == load_law("as-published").rules_version
    assert len(load_law().rules_version.split("+")[1]) == 12


def test_a_proposal_never_changes_an_answer(tmp_path: Path) -> None:
    text = (
        GOOD.format(type="int", value=3)
        + """    - value: 9
      status: PROPOSAL
      citation: {instrument: PROP, article: "1"}
"""
    )
    for selection in ("as-amended", "as-published"):
        law = load_law(selection, params_dir=_write(tmp_path, text))
        assert law.integer("k", date(2030, 1, 1)) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k: [1]\n", "must be a mapping"),
        ("k: {title: t, type: int, values: [], extra: 1}\n", "unknown fields"),
        ("k: {type: int, values: [1]}\n", "a title is required"),
        ("k: {title: t, type: weird, values: [1]}\n", "unknown type"),
        ("k: {title: t, type: int, values: []}\n", "at least one value"),
        ("k: {title: t, type: int, values: [1]}\n", "must be a mapping"),
        ("k: {title: t, type: int, values: [{value: 1, status: LAW, x: 1}]}\n", "unknown fields"),
        ("k: {title: t, type: int, values: [{status: LAW}]}\n", "value is required"),
        (
            "k: {title: t, type: int, values: [{value: 1, status: RUMOUR, "
            "citation: {instrument: AIA, article: '1'}}]}\n",
            "unknown status",
        ),
        ("k: {title: t, type: int, values: [{value: 1, status: LAW}]}\n", "a citation is required"),
        (
            "k: {title: t, type: int, values: [{value: 1, status: LAW, "
            "citation: {instrument: AIA, article: '1', page: 2}}]}\n",
            "unknown citation fields",
        ),
        (
            "k: {title: t, type: int, values: [{value: 1, status: LAW, citation: {instrument: XX, "
            "article: '1'}}]}\n",
            "known instrument",
        ),
        (
            "k: {title: t, type: int, values: [{value: 1, status: LAW, "
            "citation: {instrument: AIA, article: ''}}]}\n",
            "needs an article",
        ),
        (
            "k: {title: t, type: int, values: [{value: 1, status: LAW, citation: {instrument: GL, "
            "article: '1'}}]}\n",
            "needs an ELI",
        ),
        (
            "k: {title: t, type: int, values: [{value: 1, status: LAW, from: 2026-01-02, "
            "until: 2026-01-01, citation: {instrument: AIA, article: '1'}}]}\n",
            "until must be after from",
        ),
        (
            "k: {title: t, type: int, values: [{value: 1, status: LAW, from: soon, "
            "citation: {instrument: AIA, article: '1'}}]}\n",
            "not a date",
        ),
        (
            "k: {title: t, type: int, values: [{value: x, status: LAW, "
            "citation: {instrument: AIA, article: '1'}}]}\n",
            "must be an integer",
        ),
        (
            "k: {title: t, type: date, values: [{value: null, status: LAW, "
            "citation: {instrument: AIA, article: '1'}}]}\n",
            "a date value is required",
        ),
        (
            "k: {title: t, type: dates, values: [{value: 1, status: LAW, "
            "citation: {instrument: AIA, article: '1'}}]}\n",
            "list of dates",
        ),
        (
            "k: {title: t, type: decimal, values: [{value: 0.5, status: LAW, "
            "citation: {instrument: AIA, article: '1'}}]}\n",
            "quoted strings",
        ),
        (
            "k: {title: t, type: decimal, values: [{value: 'abc', status: LAW, "
            "citation: {instrument: AIA, article: '1'}}]}\n",
            "not a number",
        ),
        (
            "k: {title: t, type: money, values: [{value: '1.001', status: LAW, "
            "citation: {instrument: AIA, article: '1'}}]}\n",
            "whole cents",
        ),
        (
            "k: {title: t, type: text, values: [{value: 1, status: LAW, "
            "citation: {instrument: AIA, article: '1'}}]}\n",
            "must be text",
        ),
        (
            "k: {title: t, type: int, values: [{value: 1, status: LAW, "
            "citation: {instrument: AIA, article: '1'}}, {value: 2, status: LAW, "
            "from: 2026-01-01, citation: {instrument: AIA, article: '1'}}]}\n",
            "overlapping",
        ),
        ("k: {title: t, type: int}\nk: {title: u, type: int}\n", "duplicate key 'k'"),
        ("k: {title: t, title: u}\n", "duplicate key 'title'"),
        ("- 1\n", "must map parameter keys"),
        ("1: {title: t}\n", "keys must be text"),
        ("k: [unclosed\n", "invalid YAML"),
    ],
)
def test_the_loader_refuses_an_invalid_file_naming_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ParameterError, match=message) as info:
        load_law(params_dir=_write(tmp_path, text))
    assert "p.yaml" in str(info.value)


def test_a_key_defined_in_two_files_is_refused(tmp_path: Path) -> None:
    text = GOOD.format(type="int", value=1)
    _write(tmp_path, text, "a.yaml")
    _write(tmp_path, text, "b.yaml")
    with pytest.raises(ParameterError, match="already defined"):
        load_law(params_dir=tmp_path)


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="no parameter files"):
        load_law(params_dir=tmp_path)


def test_typed_reads_and_their_errors(tmp_path: Path) -> None:
    text = (
        GOOD.format(type="text", value="hello")
        + GOOD.format(type="dates", value="[2026-01-02, 2026-01-01]").replace("k:", "d:")
        + GOOD.format(type="money", value='"12.50"').replace("k:", "m:")
        + GOOD.format(type="months", value=6).replace("k:", "p:")
        + GOOD.format(type="decimal", value='"0.5"').replace("k:", "x:")
        + GOOD.format(type="date", value="2026-01-01").replace("k:", "t:")
        + """
late:
  title: Only from 2027
  type: int
  values:
    - {value: 1, status: LAW, from: 2027-01-01, citation: {instrument: AIA, article: "1"}}
"""
    )
    law = load_law(params_dir=_write(tmp_path, text))
    on = date(2026, 6, 1)
    assert law.text("k", on) == "hello"
    assert law.dates("d", on) == (date(2026, 1, 1), date(2026, 1, 2))
    assert law.cents("m", on) == 1250
    assert law.param("m", on).display == "EUR 12.50"
    assert law.param("p", on).display == "6 months"
    assert law.param("d", on).display == "2026-01-01, 2026-01-02"
    assert law.param("x", on).display == "0.5"
    assert law.param("t", on).display == "2026-01-01"
    assert law.param("d", on).to_json()["value"] == ["2026-01-01", "2026-01-02"]
    assert law.param("m", on).to_json()["value"] == "12.50"
    assert law.param("x", on).to_json()["value"] == "0.5"
    assert law.param("t", on).to_json()["value"] == "2026-01-01"
    assert law.param("p", on).to_json()["value"] == 6
    assert law.decimal("x", on) == Decimal("0.5")
    with pytest.raises(ParameterError, match="is text, not date"):
        law.date("k", on)
    with pytest.raises(ParameterError, match="unknown parameter"):
        law.param("nothing", on)
    with pytest.raises(ParameterError, match="no value on 2026-06-01"):
        law.integer("late", on)


def test_an_unknown_law_selection_is_an_input_error() -> None:
    with pytest.raises(InputError, match="law: must be as-amended or as-published"):
        load_law("as-rumoured")


def test_the_shipped_parameters_load_from_the_package_directory() -> None:
    assert (PARAMS_DIR / "gpai.yaml").exists()
