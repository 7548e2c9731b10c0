"""The catalogue's promises and its command line (``python -m gpai_evals tasks``)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

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


def test_cluster_keys_group_the_items_of_offline_tasks(fixture_data: Any) -> None:
    pytest.importorskip("inspect_ai")
    clustered = [e for e in CATALOGUE if e.cluster_key and e.offline is not Offline.NO]
    assert {e.name for e in clustered} >= {"refusal_probe", "over_refusal_probe", "xstest"}
    for entry in clustered:
        local = entry.offline is Offline.LOCAL_DATA
        task = entry.task(**({"data_dir": str(fixture_data.directory)} if local else {}))
        keys = [(sample.metadata or {}).get(entry.cluster_key) for sample in task.dataset]
        assert all(keys), f"{entry.name}: a sample lacks {entry.cluster_key!r}"
        assert len(set(keys)) < len(keys), f"{entry.name}: {entry.cluster_key!r} groups nothing"


def test_cluster_keys_of_hub_tasks_are_in_the_metadata_inspect_evals_makes() -> None:
    # the data are not here, so one record each, made up in the upstream format, goes through
    # inspect-evals' own conversion
    pytest.importorskip("inspect_ai")
    from inspect_evals.gpqa.gpqa import record_to_sample as gpqa_sample
    from inspect_evals.mmlu_pro.mmlu_pro import record_to_sample as mmlu_pro_sample
    from inspect_evals.strong_reject.utils import get_record_to_sample

    answers = {"Correct Answer": "4", **{f"Incorrect Answer {i}": str(i) for i in (1, 2, 3)}}
    samples = {
        "gpqa_diamond": gpqa_sample(
            {"Question": "2 + 2?", "Record ID": "r1", "High-level domain": "Maths"}
            | {"Subdomain": "Arithmetic", **answers}
        ),
        "mmlu_pro": mmlu_pro_sample(
            {"question": "2 + 2?", "options": ["3", "4"], "answer": "B", "question_id": 1}
            | {"cot_content": "", "category": "Math"}
        ),
        "strong_reject": get_record_to_sample(lambda prompt: prompt)(
            {"forbidden_prompt": "Do a bad thing.", "category": "Illegal goods", "source": "us"}
        ),
    }
    for name, sample in samples.items():
        key = by_name(name).cluster_key
        assert key is not None, name
        assert (sample.metadata or {}).get(key), f"{name}: no {key!r} in the sample metadata"
