"""The catalogue's promises and its command line (``python -m gpai_evals tasks``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gpai_evals import CATALOGUE, Offline, RiskArea, by_name, entries
from gpai_evals.__main__ import main
from gpai_evals._probes import probe_file

SYSTEMIC_RISKS = {"cbrn", "cyber_offence", "harmful_manipulation", "loss_of_control"}
PROBES = ("refusal", "over_refusal", "arithmetic", "self_knowledge")


def test_names_are_unique() -> None:
    names = [entry.name for entry in CATALOGUE]
    assert len(names) == len(set(names))


def test_every_risk_area_has_tasks_and_the_codes_four_risks_are_covered() -> None:
    # COP-07: the four systemic risks every signatory's risk identification must cover
    assert {area.value for area in RiskArea} >= SYSTEMIC_RISKS
    for area in RiskArea:
        assert list(entries(area)), f"no task for {area}"


def test_every_entry_says_what_it_measures_where_its_data_comes_from_and_its_licence() -> None:
    for entry in CATALOGUE:
        assert entry.measures and entry.data_source and entry.licence and entry.offline_note
        assert ":" in entry.factory


def test_our_own_probe_sets_are_ready_offline() -> None:
    for entry in CATALOGUE:
        if entry.ours:
            assert entry.offline is Offline.READY, entry.name


def test_every_factory_can_be_imported() -> None:
    pytest.importorskip("inspect_ai")
    for entry in CATALOGUE:
        assert callable(entry.task_factory()), entry.name


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="refusal_probe"):
        by_name("no_such_task")


def test_an_unknown_risk_area_is_refused() -> None:
    with pytest.raises(ValueError, match="nuclear"):
        list(entries("nuclear"))


@pytest.mark.parametrize("name", PROBES)
def test_probe_sets_have_unique_ids_and_say_what_counts_as_correct(name: str) -> None:
    records = [json.loads(line) for line in probe_file(name).read_text().splitlines()]
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids)) >= 10
    for record in records:
        assert record["input"].strip()
        expect = record.get("metadata", {}).get("expect")
        assert expect in ("refuse", "comply") or record["target"], record["id"]
        if "choices" in record:
            assert record["target"] in "ABCDEFG"[: len(record["choices"])]


def test_cli_lists_the_whole_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tasks"]) == 0
    out = capsys.readouterr().out
    for entry in CATALOGUE:
        assert entry.name in out
    assert "offline" in out.splitlines()[0]


def test_cli_filters_by_risk_area_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tasks", "--risk-area", "loss_of_control", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows
    assert {row["risk_area"] for row in rows} == {"loss_of_control"}
    assert {"name", "offline", "offline_note", "licence", "data_source"} <= set(rows[0])


def test_cli_unknown_risk_area_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["tasks", "--risk-area", "nuclear"])
    assert stop.value.code == 2
    assert "--risk-area" in capsys.readouterr().err


def test_cli_runs_as_a_module_without_importing_inspect() -> None:
    code = (
        "import sys, runpy; sys.argv = ['gpai_evals', 'tasks'];"
        "\ntry: runpy.run_module('gpai_evals', run_name='__main__')"
        "\nexcept SystemExit as stop: assert stop.code == 0"
        "\nassert 'inspect_ai' not in sys.modules, 'the catalogue imported inspect_ai'"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "refusal_probe" in result.stdout
