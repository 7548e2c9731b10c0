"""`aioffice eval …`: the catalogue, targets, runs, reports and comparisons from the command line.

Bad input gives one line starting with "error:" on standard error and exit status 2; a run
that executes and fails exits with 1. Runs use the offline mock target and small limits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind
from aioffice.cli import main
from aioffice.core.models import AuditEvent
from aioffice.evaluations import services
from aioffice.evaluations.choices import RunStatus
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget
from aioffice.registry import services as registry
from aioffice.registry.models import ModelVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVALUATIONS_DIR = tmp_path / "evaluations"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def version(db: None) -> ModelVersion:
    org = accounts.organisation_create(
        actor=None,
        name="Acme AI",
        kind=OrganisationKind.GPAI_PROVIDER,
        country="FR",
        established_in_union=True,
    )
    provider = registry.provider_register(actor=None, organisation=org)
    model = registry.model_create(
        actor=None, provider=provider, name="Quill", public_description="A model."
    )
    return registry.version_create(
        actor=None,
        model=model,
        label="2",
        placed_on_market="2025-09-01",
        generates=["text"],
        compute_method="reported",
        training_compute_flop=3.8e25,
    )


@pytest.fixture
def mock_target(version: ModelVersion) -> EvaluationTarget:
    return services.target_create(
        actor=None, version=version, name="mock", kind="mock", model_args={"answer": "ANSWER: A"}
    )


def _eval(*args: Any) -> int:
    return main(["eval", *(str(a) for a in args)])


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: "), err
    assert "Traceback" not in err[0]
    return err[0]


# --- the catalogue ------------------------------------------------------------------------


def test_tasks_lists_the_catalogue_with_offline_readiness_and_suites(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _eval("tasks") == 0
    out = capsys.readouterr().out
    header, *rows = out.splitlines()
    assert header.split()[:4] == ["task", "risk", "area", "offline"]
    by_task = {row.split()[0]: row for row in rows if row and not row.startswith("offline:")}
    assert "ready" in by_task["refusal_probe"] and "smoke" in by_task["refusal_probe"]
    assert "local_data" in by_task["wmdp_bio"] and "systemic-risk" in by_task["wmdp_bio"]
    assert by_task["cybench"].split()[2] == "no"


def test_tasks_filters_by_risk_area_and_writes_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert _eval("tasks", "--risk-area", "cbrn", "--json") == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["name"] for r in records] == ["wmdp_bio", "wmdp_chem"]
    assert {r["risk_area"] for r in records} == {"cbrn"}
    assert records[0]["offline"] == "local_data" and records[0]["suites"] == ["systemic-risk"]


def test_tasks_refuses_an_unknown_risk_area(capsys: pytest.CaptureFixture[str]) -> None:
    assert _eval("tasks", "--risk-area", "weather") == 2
    assert "--risk-area" in _one_error_line(capsys)


# --- targets ------------------------------------------------------------------------------


def test_target_add_list_and_check_a_mock_target(
    version: ModelVersion, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _eval(
        "target-add", "--model-version", version.pk, "--name", "Offline",
        "--kind", "mock", "--answer", "ANSWER: B",
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    target = EvaluationTarget.objects.get(version=version)
    assert (target.name, target.kind, target.model_args) == (
        "offline",
        "mock",
        {"answer": "ANSWER: B"},
    )
    assert "target offline (mock) added to Quill 2" in capsys.readouterr().out

    assert _eval("targets", "--model-version", version.pk) == 0
    out = capsys.readouterr().out
    assert "offline" in out and "never" in out

    assert _eval("target-check", "--model-version", version.pk, "--target", "offline") == 0
    assert "target offline answered" in capsys.readouterr().out
    target.refresh_from_db()
    assert target.check_ok is True
    assert _eval("targets", "--model-version", version.pk) == 0
    assert "answered 20" in capsys.readouterr().out


def test_an_api_key_is_read_from_the_environment_and_kept_encrypted(
    version: ModelVersion, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAB_KEY", "sk-very-secret-4242")
    code = _eval(
        "target-add", "--model-version", version.pk, "--name", "api", "--kind", "openai-compatible",
        "--base-url", "http://127.0.0.1:9/v1/", "--model-name", "quill-2",
        "--api-key-env", "LAB_KEY",
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    target = EvaluationTarget.objects.get(name="api")
    assert target.kind == "openai_compatible" and target.base_url == "http://127.0.0.1:9/v1"
    assert "sk-very-secret" not in target.api_key_encrypted
    assert target.api_key_hint == "…4242"
    event = AuditEvent.objects.filter(action="evaluations.target.created").get()
    assert "sk-very-secret" not in json.dumps(event.after) and event.actor_id is None
    capsys.readouterr()
    assert _eval("targets", "--model-version", version.pk) == 0
    out = capsys.readouterr().out
    assert "…4242" in out and "sk-very-secret" not in out


def test_target_check_of_an_endpoint_that_does_not_answer_exits_1(
    version: ModelVersion, capsys: pytest.CaptureFixture[str]
) -> None:
    services.target_create(
        actor=None,
        version=version,
        name="down",
        kind="openai_compatible",
        base_url="http://127.0.0.1:9/v1",  # the discard port: nothing listens
        model_name="m",
    )
    assert _eval("target-check", "--model-version", version.pk, "--target", "down") == 1
    err = capsys.readouterr().err
    assert "target down did not answer" in err and "No answer from" in err
    assert EvaluationTarget.objects.get(name="down").check_ok is False


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--name", "x", "--kind", "mock", "--model-version", "999"], {}, "no model version #999"),
        (["--name", "x", "--kind", "mock", "--model-version", "0"], {}, "--model-version"),
        (["--name", "x", "--kind", "mock", "--model-version", "x"], {}, "--model-version"),
        (["--name", "x y", "--kind", "mock"], {}, "'--name'"),
        (["--name", "x", "--kind", "gguf"], {}, "'--kind': Choose one of"),
        (["--name", "x", "--kind", "openai_compatible"], {}, "'--base-url'"),
        (
            ["--name", "x", "--kind", "vllm", "--base-url", "ftp://h", "--model-name", "m"],
            {},
            "'--base-url': Give an http",
        ),
        (["--name", "x", "--kind", "transformers", "--model-path", "rel/dir"], {}, "absolute"),
        (["--name", "x", "--kind", "vllm", "--api-key-env", "NOPE_KEY"], {}, "NOPE_KEY is not set"),
        (["--name", "x", "--kind", "vllm", "--api-key-env", "EMPTY"], {"EMPTY": " "}, "empty"),
        (["--name", "x", "--kind", "mock", "--api-key-env", "K"], {"K": "k"}, "'--api-key-env'"),
        (["--name", "x", "--kind", "vllm", "--answer", "A"], {}, "only mock targets"),
        (["--name", "mock", "--kind", "mock"], {}, "already has a target called mock"),
        (["--kind", "mock"], {}, "Missing option '--name'"),
    ],
)  # fmt: skip
def test_target_add_refuses_bad_input_with_exit_2(
    mock_target: EvaluationTarget,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    monkeypatch.delenv("NOPE_KEY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if "--model-version" not in args:
        args = [*args, "--model-version", str(mock_target.version_id)]
    assert _eval("target-add", *args) == 2
    assert message in _one_error_line(capsys)
    assert EvaluationTarget.objects.count() == 1


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["targets", "--model-version", "424242"], "no model version #424242"),
        (["target-check", "--model-version", "{v}", "--target", "nope"], "no target called 'nope'"),
        (["target-check", "--model-version", "424242", "--target", "mock"], "no model version"),
    ],
)
def test_targets_and_check_refuse_unknown_versions_and_targets(
    mock_target: EvaluationTarget,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    message: str,
) -> None:
    args = [part.format(v=mock_target.version_id) for part in command]
    assert _eval(*args) == 2
    line = _one_error_line(capsys)
    assert message in line
    if "nope" in message:
        assert "its targets: mock" in line


# --- runs: refused before anything runs ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "'TASK': Name at least one task or a suite"),
        (["--suite", "everything"], "'--suite': unknown suite 'everything'"),
        (["no_such_task"], "no task called 'no_such_task'"),
        (["make_me_pay"], "needs a second model"),
        (["refusal_probe", "--epochs", "0"], "'--epochs'"),
        (["refusal_probe", "--epochs", "many"], "'--epochs'"),
        (["refusal_probe", "--temperature", "3"], "'--temperature': Give a value from 0 to 2"),
        (["refusal_probe", "--concurrency", "0"], "'--concurrency'"),
        (["refusal_probe", "--limit", "0"], "'--limit'"),
        (["refusal_probe", "--time-limit", "999999999"], "'--time-limit'"),
        (["refusal_probe", "--task-arg", "refusal_probe=grader"], "is not TASK:KEY=VALUE"),
        (["refusal_probe", "--task-arg", "gsm8k:data_dir=/d"], "gsm8k is not one of the run's"),
        (["refusal_probe", "--task-arg", "refusal_probe:bad key=1"], "'--task-arg'"),
        (["refusal_probe", "--target", "nope"], "no target called 'nope'"),
        (["refusal_probe", "--model-version", "77777"], "no model version #77777"),
    ],
)
def test_run_refuses_bad_input_with_exit_2_and_creates_nothing(
    mock_target: EvaluationTarget,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    base = {"--model-version": str(mock_target.version_id), "--target": "mock"}
    for option in list(base):
        if option in args:
            del base[option]
    flat = [part for pair in base.items() for part in pair]
    assert _eval("run", *flat, *args) == 2
    assert message in _one_error_line(capsys)
    assert not EvaluationRun.objects.exists()


def test_run_detach_only_queues_the_run(
    mock_target: EvaluationTarget,
    capsys: pytest.CaptureFixture[str],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        code = _eval(
            "run", "--model-version", mock_target.version_id, "--target", "MOCK",
            "--suite", "smoke", "refusal_probe", "--epochs", "2", "--temperature", "0.5",
            "--seed", "7", "--limit", "3", "--concurrency", "4",
            "--task-arg", "refusal_probe:grader=none/x", "--detach",
        )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    run = EvaluationRun.objects.get()
    assert f"run #{run.pk} queued" in out
    assert run.status == RunStatus.QUEUED and run.queue_task_id
    assert run.suite == "smoke" and run.tasks[0] == "refusal_probe" and len(run.tasks) == 4
    assert (run.epochs, run.temperature, run.seed, run.sample_limit, run.max_connections) == (
        2, 0.5, 7, 3, 4,
    )  # fmt: skip
    assert run.task_args == {"refusal_probe": {"grader": "none/x"}}
    assert run.created_by is None


def test_task_arguments_are_typed() -> None:
    from aioffice.evaluations.cli import parse_task_args

    assert parse_task_args(["a:n=3", "a:x=0.5", "a:flag=true", "b:dir=/data", "b:s="]) == {
        "a": {"n": 3, "x": 0.5, "flag": True},
        "b": {"dir": "/data", "s": ""},
    }


# --- status, cancel, view -----------------------------------------------------------------


def _queued_run(target: EvaluationTarget, **config: Any) -> EvaluationRun:
    return services.run_queue(
        actor=None,
        version=target.version,
        target=target,
        tasks=["refusal_probe"],
        enqueue=False,
        **config,
    )


def test_status_shows_the_run_and_its_configuration(
    mock_target: EvaluationTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _queued_run(mock_target, epochs=3, seed=11, task_args={"refusal_probe": {"g": "x"}})
    assert _eval("status", run.pk) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"run #{run.pk}: queued")
    assert "Quill 2" in out and "mock (mock)" in out and "refusal_probe" in out
    assert "epochs 3" in out and "seed 11" in out and "refusal_probe:g=x" in out


def test_cancel_a_queued_run_then_refuse_to_cancel_it_again(
    mock_target: EvaluationTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _queued_run(mock_target)
    assert _eval("cancel", run.pk) == 0
    assert f"run #{run.pk} cancelled" in capsys.readouterr().out
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert _eval("cancel", run.pk) == 2
    assert "'RUN': The run has already cancelled" in _one_error_line(capsys)


def test_cancel_a_running_run_asks_the_worker(
    mock_target: EvaluationTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _queued_run(mock_target)
    EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    assert _eval("cancel", run.pk) == 0
    assert "cancellation requested" in capsys.readouterr().out
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.cancel_requested
    assert _eval("status", run.pk) == 0
    assert "requested; the worker stops the run shortly" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["status", "cancel", "view", "report"])
def test_run_commands_refuse_unknown_runs(
    db: None, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    assert _eval(command, "31337") == 2
    assert "no evaluation run #31337" in _one_error_line(capsys)
    assert _eval(command, "0") == 2
    assert "RUN" in _one_error_line(capsys)


def test_view_refuses_a_run_without_logs(
    mock_target: EvaluationTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _queued_run(mock_target)
    assert _eval("view", run.pk) == 2
    assert "has no kept logs yet (status: queued)" in _one_error_line(capsys)


# --- report and compare (results stored from real Inspect logs of the mock model) ---------


def test_report_as_text_html_and_pdf(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ._factories import make_run, make_version, store_result

    run = make_run(make_version(), ["arithmetic_probe"], epochs=1)
    stored = store_result(run, "arith_a")
    assert _eval("report", run.pk) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Evaluation report, run #{run.pk} (succeeded)")
    assert "arithmetic_probe" in out and f"sha256 {stored.log_sha256} (verified)" in out
    assert f"{stored.value:.3f} ± {stored.stderr:.3f}" in out
    assert "content sha256 " in out

    html = tmp_path / "report.html"
    assert _eval("report", run.pk, "--format", "html", "--output", html) == 0
    assert f"written to {html}" in capsys.readouterr().out
    assert html.read_text().lstrip().lower().startswith("<!doctype html")
    pdf = tmp_path / "report.pdf"
    assert _eval("report", run.pk, "--format", "pdf", "--output", pdf) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "docx"], "'--format'"),
        (["--output", "{tmp}/missing/report.html"], "is not a directory"),
        (["--output", "{tmp}"], "is a directory; give a file name"),
    ],
)
def test_report_refuses_bad_input_with_exit_2(
    mock_target: EvaluationTarget,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    run = _queued_run(mock_target)
    assert _eval("report", run.pk, *(a.format(tmp=tmp_path) for a in args)) == 2
    assert message in _one_error_line(capsys)


def test_compare_two_runs_as_a_table_and_as_json(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from ._factories import make_run, make_version, store_result

    run_a = make_run(make_version(), ["arithmetic_probe"])
    run_b = make_run(make_version(label="2.0"), ["arithmetic_probe"])
    store_result(run_a, "arith_a")
    store_result(run_b, "arith_b")
    assert _eval("compare", run_a.pk, run_b.pk) == 0
    out = capsys.readouterr().out
    assert f"run #{run_a.pk} (Model 1.0 (#{run_a.version_id}), mock) against run #{run_b.pk}" in out
    row = next(line for line in out.splitlines() if line.startswith("arithmetic_probe"))
    assert "McNemar p=" in row

    assert _eval("compare", run_a.pk, run_b.pk, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["run_a"]["id"], data["run_b"]["id"]) == (run_a.pk, run_b.pk)
    (task,) = data["tasks"]
    assert task["task"] == "arithmetic_probe" and task["items"] > 0
    assert task["mcnemar"]["p_value"] >= 0 and "difference" in task["paired"]


def test_compare_refuses_the_same_run_and_unknown_runs(
    mock_target: EvaluationTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _queued_run(mock_target)
    assert _eval("compare", run.pk, run.pk) == 2
    assert "'RUN_B': Choose a run other than run A" in _one_error_line(capsys)
    other = _queued_run(mock_target)
    assert _eval("compare", run.pk, other.pk) == 2
    assert "no task result in common" in _one_error_line(capsys)
    assert _eval("compare", "9999", run.pk) == 2
    assert "'RUN_A': no evaluation run #9999" in _one_error_line(capsys)
    assert _eval("compare", run.pk, "9999") == 2
    assert "'RUN_B': no evaluation run #9999" in _one_error_line(capsys)


# --- runs executed in the foreground (Inspect in its subprocess, on the mock model) -------


@pytest.fixture
def dummy_queue(settings: Any) -> None:
    """Runs queued again stay queued (the tests' immediate backend would execute them)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }


def test_run_in_the_foreground_prints_results_and_the_run_id(
    version: ModelVersion, capsys: pytest.CaptureFixture[str]
) -> None:
    services.target_create(
        actor=None,
        version=version,
        name="refuser",
        kind="mock",
        model_args={"answer": "I can't help with that."},
    )
    code = _eval(
        "run", "--model-version", version.pk, "--target", "refuser", "refusal_probe",
        "--limit", "3", "--concurrency", "2",
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    run = EvaluationRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED and run.sample_limit == 3
    assert (
        f"run #{run.pk}: refusal_probe on Quill 2 (#{version.pk}) through refuser" in captured.err
    )
    row = next(line for line in captured.out.splitlines() if line.startswith("refusal_probe"))
    assert row.split()[1:5] == ["safeguards", "1.000", "±", "0.000"]
    assert row.split()[7] == "3" and row.split()[-1] == "success"  # items (clusters), status
    assert captured.out.rstrip().endswith(f"run #{run.pk} succeeded")

    assert _eval("status", run.pk) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"run #{run.pk}: succeeded, 3/3 samples (100%)")
    assert "refusal_probe  safeguards  1.000 ± 0.000" in out
    assert _eval("view", run.pk) == 0
    command = capsys.readouterr().out.split()
    assert command[1:3] == ["view", "--log-dir"] and Path(command[3]).is_dir()
    assert list(Path(command[3]).glob("*.eval"))


def test_a_failed_run_exits_1_with_its_error_and_can_be_retried(
    mock_target: EvaluationTarget,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    dummy_queue: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    missing = tmp_path / "no-data-here"
    code = _eval(
        "run", "--model-version", mock_target.version_id, "--target", "mock", "wmdp_bio",
        "--task-arg", f"wmdp_bio:data_dir={missing}", "--limit", "2",
    )  # fmt: skip
    err = capsys.readouterr().err
    run = EvaluationRun.objects.get()
    assert code == 1
    assert run.status == RunStatus.FAILED and run.error
    assert f"run #{run.pk} failed: {run.error}" in err
    assert "Traceback" not in err

    with django_capture_on_commit_callbacks(execute=True):
        assert _eval("retry", run.pk) == 0
    assert f"run #{run.pk} queued again for the worker" in capsys.readouterr().out
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED and run.queue_task_id
    assert _eval("retry", run.pk) == 2
    assert "'RUN': Only a failed or cancelled run can be retried" in _one_error_line(capsys)


def test_recover_queues_again_the_runs_whose_worker_stopped(
    mock_target: EvaluationTarget, capsys: pytest.CaptureFixture[str], dummy_queue: None
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    assert _eval("recover") == 0
    assert "no stale runs" in capsys.readouterr().out
    stale, alive = _queued_run(mock_target), _queued_run(mock_target)
    long_ago = timezone.now() - timedelta(hours=1)
    EvaluationRun.objects.filter(pk=stale.pk).update(
        status=RunStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    EvaluationRun.objects.filter(pk=alive.pk).update(
        status=RunStatus.RUNNING, started_at=long_ago, heartbeat_at=timezone.now()
    )
    assert _eval("recover") == 0
    assert capsys.readouterr().out.splitlines() == [f"run #{stale.pk} queued again"]
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert (stale.status, alive.status) == (RunStatus.QUEUED, RunStatus.RUNNING)


def test_the_worker_recovers_stale_runs_before_taking_tasks(
    db: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import django.core.management

    from aioffice.evaluations import execution

    calls: list[str] = []
    monkeypatch.setattr(execution, "recover_stale_runs", lambda: calls.append("recover") or [7])
    monkeypatch.setattr(
        django.core.management,
        "call_command",
        lambda *args, **kwargs: calls.append(" ".join(args)),
    )
    assert main(["worker", "--batch"]) == 0
    assert calls == ["recover", "db_worker --queue-name default --batch"]
    assert "evaluation run #7 queued again" in capsys.readouterr().err


def test_a_pdf_is_not_written_to_a_terminal(
    mock_target: EvaluationTarget, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    import sys

    run = _queued_run(mock_target)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert _eval("report", run.pk, "--format", "pdf") == 2
    assert "'--output': a PDF is not written to a terminal" in _one_error_line(capsys)


def test_view_serve_starts_inspect_view_on_the_runs_logs(
    db: None, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    import subprocess

    from ._factories import make_run, make_version, store_result

    run = make_run(make_version(), ["arithmetic_probe"])
    stored = store_result(run, "arith_a")
    started: list[list[str]] = []

    def fake_run(command: list[str], check: bool) -> subprocess.CompletedProcess[str]:
        started.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    assert _eval("view", run.pk, "--serve", "--port", "7601") == 0
    (command,) = started
    assert command[1:] == [
        "view", "--log-dir", str(Path(stored.log_file.path).parent),
        "--host", "127.0.0.1", "--port", "7601",
    ]  # fmt: skip
    assert Path(command[0]).name == "inspect"
    assert "http://127.0.0.1:7601/" in capsys.readouterr().err
