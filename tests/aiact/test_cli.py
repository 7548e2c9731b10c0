"""The ``aioffice rules`` command line (run as ``python -m aiact`` and through ``main``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import aiact._cli
from aiact._cli import main
from aiact._dispatch import systems_module
from aiact._schema import model_input_schema

DOCS = Path(__file__).resolve().parents[2] / "docs" / "aiact" / "schema"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_model_from_a_file_with_both_law_selections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "m.json"
    f.write_text(
        json.dumps({"as_of": "2026-01-01", "training_compute_flop": 3.8e25, "generates": ["text"]})
    )
    for law in ("as-amended", "as-published"):
        code, out, err = run(["model", str(f), "--law", law, "--as-of", "2026-11-25"], capsys)
        data = json.loads(out)
        assert code == 0 and err == ""
        assert data["law"] == law and data["as_of"] == "2026-11-25"
        assert data["systemic_risk"]["status"] == "presumed"
        assert {o["id"] for o in data["obligations"]} >= {"art52_1", "art55_1_d"}


def test_model_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO('{"as_of": "2026-11-25"}'))
    code, out, _ = run(["model", "-"], capsys)
    assert code == 0 and json.loads(out)["gpai"]["value"] is False


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"as_of": "2026-11-25", "training_compute_flop": "x"}',
            "error: training_compute_flop: must be a number or null",
        ),
        ("{not json", "error: input: invalid JSON at line 1"),
        ("[1, 2]", "error: input: must be a JSON object"),
        (b"\xff\xfe", "error: FILE: cannot read"),
    ],
)
def test_bad_model_input_gives_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    f = tmp_path / "bad.json"
    if isinstance(content, bytes):
        f.write_bytes(content)
    else:
        f.write_text(content)
    code, out, err = run(["model", str(f)], capsys)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_unreadable_file_bad_date_bad_law_and_unknown_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["model", "/no/such/file.json"], capsys)[2].startswith("error: FILE: cannot read")
    assert (
        run(["timeline", "--as-of", "2026-02-30"], capsys)[2]
        == "error: as_of: must be a date YYYY-MM-DD\n"
    )
    assert run(["timeline", "--law", "as-rumoured"], capsys)[2].startswith("error: law:")
    code, _, err = run(["fine", "--regim", "gpai"], capsys)
    assert code == 2 and err.startswith("error: No such option: --regim") and err.count("\n") == 1
    code, _, err = run([], capsys)
    assert code == 2 and "Usage" in err


def test_conflicting_decisions_exit_with_status_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "c.json"
    f.write_text(
        json.dumps(
            {
                "as_of": "2026-11-25",
                "training_compute_flop": 2e25,
                "generates": ["text"],
                "decisions": [
                    {"type": "arguments_accepted", "date": "2026-01-05"},
                    {"type": "designated_annex_xiii", "date": "2026-01-05"},
                ],
            }
        )
    )
    code, _, err = run(["model", str(f)], capsys)
    assert code == 3 and err.startswith("conflict: ")


def test_compute_fine_incident_timeline_clock(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["compute", "--params", "405e9", "--tokens", "15.6e12"], capsys)
    assert code == 0 and json.loads(out)["flop_2sf"] == "3.8e25"
    code, out, _ = run(
        [
            "compute",
            "--gpus",
            "5000",
            "--hours",
            "100",
            "--peak-flops",
            "1e15",
            "--utilisation",
            "0.4",
        ],
        capsys,
    )
    assert json.loads(out)["method"] == "hardware_nlhu"
    code, out, _ = run(
        ["fine", "--regime", "gpai", "--turnover", "2000000000", "--on", "2026-09-01"], capsys
    )
    assert json.loads(out)["maximum_eur"] == "60000000.00"
    code, out, _ = run(
        ["fine", "--regime", "gpai", "--turnover", "1", "--on", "2026-11-25"], capsys
    )
    assert json.loads(out)["as_of"] == "2026-11-25"
    code, out, _ = run(
        [
            "incident",
            "--regime",
            "gpai-code",
            "--type",
            "death",
            "--type",
            "cyber_breach",
            "--aware-on",
            "2026-03-03",
        ],
        capsys,
    )
    assert json.loads(out)["initial_report_due"] == "2026-03-08"
    code, out, _ = run(["timeline", "--law", "as-published", "--as-of", "2026-11-25"], capsys)
    assert json.loads(out)["law"] == "as-published"
    code, out, _ = run(["clock", "hearing", "--from", "2026-11-27"], capsys)
    assert json.loads(out)["result"]["period_ends"] == "2026-12-11"
    code, out, _ = run(["clock", "rfi", "--from", "2026-09-01", "--days", "14"], capsys)
    assert json.loads(out)["result"]["due"] == "2026-09-15"


def test_schema_model_matches_the_published_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schema", "model"], capsys)
    assert code == 0
    assert json.loads(out) == model_input_schema()
    assert json.loads((DOCS / "model.json").read_text()) == json.loads(out)
    assert run(["schema", "pets"], capsys)[2] == "error: schema: must be model or system\n"


def test_python_dash_m_aiact_runs_standalone() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aiact", "compute", "--params", "1e9", "--tokens"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
    )
    assert done.returncode == 2 and done.stderr.startswith("error: ")


def test_schema_system_matches_the_published_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["schema", "system"], capsys)
    assert code == 0 and err == ""
    assert json.loads(out) == systems_module().system_input_schema()
    assert json.loads((DOCS / "system.json").read_text()) == json.loads(out)


def test_system_with_both_law_selections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "s.json"
    f.write_text(json.dumps({"as_of": "2026-01-01", "role": "provider", "annex_iii": "4_a"}))
    for law in ("as-amended", "as-published"):
        code, out, err = run(["system", str(f), "--law", law, "--as-of", "2028-01-03"], capsys)
        data = json.loads(out)
        assert code == 0 and err == ""
        assert data["law"] == law and data["as_of"] == "2028-01-03"
        assert {
            "tier",
            "prohibited_practices",
            "high_risk",
            "transparency",
            "obligations",
            "reasons",
            "citations",
        } <= set(data)
        assert data["tier"] == "high_risk" and data["high_risk"]["route"] == "annex_iii"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["system", "-"], "error: role: "),
        (["fine", "--regime", "operator", "--tier", "bogus", "--turnover", "1"], "error: tier: "),
        (["fine", "--regime", "operator", "--tier", "art5", "--turnover", "x"], "error: turnover"),
        (["fine", "--regime", "union-body", "--tier", "bogus"], "error: tier: "),
        (["fine", "--regime", "court"], "error: regime: "),
        (
            ["incident", "--regime", "art73", "--type", "alien", "--aware-on", "2026-11-02"],
            "error: ",
        ),
        (["incident", "--regime", "art73", "--type", "death", "--aware-on", "soon"], "error: "),
    ],
)
def test_bad_system_fine_and_incident_input_gives_one_line_and_status_2(
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO('{"as_of": "2026-11-25", "role": "king"}'))
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_operator_and_union_body_fines(capsys: pytest.CaptureFixture[str]) -> None:
    keys = {"maximum_eur", "basis", "citations", "in_force", "applicable_from", "rules"}
    large = ["fine", "--regime", "operator", "--tier", "art5", "--turnover", "1000000000"]
    code, out, _ = run([*large, "--on", "2026-11-25"], capsys)
    big = json.loads(out)
    assert code == 0 and keys <= set(big) and big["regime"] == "operator"
    assert big["maximum_eur"] == "70000000.00"  # 7 % of EUR 1 bn is more than EUR 35 m
    code, out, _ = run([*large, "--size", "sme", "--on", "2026-11-25"], capsys)
    sme = json.loads(out)
    assert sme["maximum_eur"] == "35000000.00"  # the lower of the two for an SME
    for tier in ("art5", "other"):
        code, out, _ = run(
            ["fine", "--regime", "union-body", "--tier", tier, "--on", "2026-11-25"], capsys
        )
        body = json.loads(out)
        assert code == 0 and keys <= set(body) and body["regime"] == "union-body"
        assert body["maximum_eur"].endswith(".00")


def test_art73_incident(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["incident", "--regime", "art73", "--type", "death", "--aware-on", "2026-11-02"], capsys
    )
    data = json.loads(out)
    assert code == 0
    assert {"initial_report_due", "reasons", "citations", "rules"} <= set(data)
    assert data["initial_report_due"] == "2026-11-12"  # 10 days after awareness (Art. 73(4))
    assert data["as_of"] == "2026-11-02"


def test_commands_without_a_date_use_today_in_utc(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    monkeypatch.setattr(aiact._cli, "today", lambda: date(2031, 5, 6))
    code, out, _ = run(["fine", "--regime", "gpai", "--turnover", "1"], capsys)
    assert code == 0 and json.loads(out)["as_of"] == "2031-05-06"
    code, out, _ = run(["timeline"], capsys)
    assert code == 0 and json.loads(out)["as_of"] == "2031-05-06"
    _, out, _ = run(["clock", "hearing"], capsys)
    assert json.loads(out)["from"] == "2031-05-06"
    _, out, _ = run(
        ["fine", "--regime", "gpai", "--turnover", "1", "--as-of", "2026-01-01"], capsys
    )
    assert json.loads(out)["as_of"] == "2026-01-01"


def test_today_reads_the_clock_in_utc() -> None:
    from datetime import UTC, datetime, timedelta

    before = datetime.now(UTC).date()
    assert before <= aiact._cli.today() <= before + timedelta(days=1)


def test_python_dash_m_aiact_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import runpy

    monkeypatch.setattr(sys, "argv", ["aiact", "compute", "--params", "1e9", "--tokens", "1e12"])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("aiact", run_name="__main__")
    assert done.value.code == 0
    assert json.loads(capsys.readouterr().out)["flop_2sf"] == "6.0e21"


def test_notification_check_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "n.json"
    f.write_text(
        json.dumps(
            {
                "trigger": "compute_threshold",
                "compute_flop": 1.26e25,
                "trigger_date": "2026-06-01",
                "submitted_on": "2026-06-20",
            }
        )
    )
    code, out, err = run(["notification", str(f)], capsys)
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["as_of"] == "2026-06-20"
    assert (data["complete"], data["late"], data["due"]) == (False, True, "2026-06-15")
    assert {p["field"] for p in data["problems"]} == {
        "estimation_method",
        "assumptions",
        "uncertainty",
    }
    assert data["compute_flop_2sf"] == "1.3e25"
    f.write_text(json.dumps({"trigger": "whim"}))
    code, out, err = run(["notification", str(f)], capsys)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert err.startswith("error: trigger:")
