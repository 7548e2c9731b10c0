"""Executing runs: the runner subprocess for real, results stored once, cancel, failure,
recovery of runs whose worker died. (The worker process itself: test_worker.py.)"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from inspect_ai.log import read_eval_log

from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.evaluations import execution, services
from aioffice.evaluations.choices import RunStatus
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget, MetricResult, TaskResult
from gpai_evals.runner import read_summary
from gpai_evals.stub_server import serve

pytestmark = pytest.mark.django_db


def actions(run: EvaluationRun) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="evaluations.evaluationrun", object_id=str(run.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def queue(target: EvaluationTarget, actor: User, tasks: list[str], **config: Any) -> EvaluationRun:
    return services.run_queue(
        actor=actor, version=target.version, target=target, tasks=tasks, enqueue=False, **config
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- a run on the mock model, stored ------------------------------------------------------------


def test_a_finished_run_stores_each_task_once_with_its_metrics_and_log(
    finished_run: EvaluationRun, evaluation_dirs: dict[str, Path], tmp_path: Path
) -> None:
    """One run (a subprocess costs seconds): stored as it should be, then stored again."""
    run = finished_run
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.error == "" and run.attempts == 1 and run.finished_at is not None
    assert (run.progress_done, run.progress_total) == (44, 44)  # (12 + 10 items) x 2 epochs
    assert run.progress_percent == 100
    assert run.packages["inspect_ai"] == "0.3.285" and run.packages["python"]
    assert actions(run) == [
        "evaluations.run.queued",
        "evaluations.run.started",
        "evaluations.run.succeeded",
    ]

    results = {result.task: result for result in run.results.all()}
    assert set(results) == {"arithmetic_probe", "self_knowledge_probe"}
    choice = results["self_knowledge_probe"]
    assert choice.status == "success" and choice.risk_area == "loss_of_control"
    assert choice.inspect_model == "gpai_mock/fixed" and choice.scorer == "choice"
    assert choice.items == 10 and choice.samples_total == choice.samples_completed == 20
    assert choice.value is not None and choice.stderr is not None
    assert choice.ci_low < choice.value < choice.ci_high  # type: ignore[operator]
    assert choice.task_version == "1" and choice.started_at and choice.completed_at
    assert len(choice.dataset["sha256"]) == 64 and choice.dataset["samples"] == 10
    assert choice.packages == {"inspect_ai": "0.3.285"}
    assert choice.generate_config["max_retries"] == execution.DEFAULT_MAX_RETRIES
    metrics = {(m.scorer, m.name): m for m in choice.metrics.all()}
    assert set(metrics) == {("choice", "accuracy"), ("choice", "stderr")}
    assert metrics["choice", "accuracy"].value == pytest.approx(choice.value)
    assert metrics["choice", "accuracy"].stderr == pytest.approx(metrics["choice", "stderr"].value)
    assert metrics["choice", "accuracy"].samples == 10

    for result in results.values():
        # the log is kept under the media root, with the SHA-256 and size of the stored bytes
        path = Path(result.log_file.path)
        assert path.is_relative_to(evaluation_dirs["media"])
        data = path.read_bytes()
        assert result.log_sha256 == hashlib.sha256(data).hexdigest()
        assert result.log_size == len(data)
        stored = AuditEvent.objects.get(
            action="evaluations.result.stored", object_id=str(result.pk)
        ).after
        assert stored["log_sha256"] == result.log_sha256 and stored["task"] == result.task
        assert stored["run"] == run.pk and stored["value"] == result.value
        log = read_eval_log(str(path))  # what `inspect view` reads
        assert log.status == "success" and log.eval.eval_id == result.eval_id
        assert log.samples is not None and len(log.samples) == result.samples_completed
    # the working copies went once stored; the spec and the runner's output stay
    directory = execution.run_directory(run)
    assert not (directory / "logs").exists() and (directory / "spec.json").is_file()

    # --- storing again stores nothing twice; executing again does nothing
    summary = read_summary(execution.run_directory(run) / "summary.json")
    assert summary is not None
    # the working logs are gone after success: point the summary at copies of the kept ones
    for item in summary["tasks"]:
        kept = TaskResult.objects.get(run=run, task=item["task"])
        copy = tmp_path / "copies" / Path(kept.log_file.name).name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(kept.log_file.path, copy)
        item["log"] = str(copy)
    counts = (TaskResult.objects.count(), MetricResult.objects.count())

    assert execution.ingest_summary(run, summary) == []  # stored before: nothing twice
    assert (TaskResult.objects.count(), MetricResult.objects.count()) == counts

    # a task lost after storing (say, a crash between two tasks) is stored again, once
    lost = TaskResult.objects.get(run=run, task="arithmetic_probe")
    lost_id, lost_sha = lost.eval_id, lost.log_sha256
    lost.delete()
    again = execution.ingest_summary(run, summary)
    assert [result.task for result in again] == ["arithmetic_probe"]
    assert again[0].eval_id == lost_id and again[0].log_sha256 == lost_sha
    assert execution.ingest_summary(run, summary) == []
    assert (TaskResult.objects.count(), MetricResult.objects.count()) == counts
    assert AuditEvent.objects.filter(action="evaluations.result.stored").count() == 3

    # executing a finished run again does nothing: no new attempt, no subprocess
    outcome = execution.execute(run.pk)
    assert outcome["status"] == RunStatus.SUCCEEDED and outcome["stored"] == []
    run.refresh_from_db()
    assert run.attempts == 1 and actions(run).count("evaluations.run.started") == 1


# --- cancelling ---------------------------------------------------------------------------------


def test_a_cancelled_queued_run_never_starts(
    evaluation_dirs: dict[str, Path], mock_target: EvaluationTarget, technical_officer: User
) -> None:
    run = queue(mock_target, technical_officer, ["arithmetic_probe"])
    services.run_cancel(actor=technical_officer, run=run)
    outcome = execution.execute(run.pk)
    run.refresh_from_db()
    assert outcome["status"] == run.status == RunStatus.CANCELLED
    assert run.attempts == 0 and run.started_at is None
    assert not execution.run_directory(run).exists()  # no subprocess was started
    assert "evaluations.run.started" not in actions(run)


def test_a_running_run_is_cancelled_then_retried_and_resumes(
    evaluation_dirs: dict[str, Path],
    model_version: Any,
    technical_officer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # 12 questions x 2 epochs, one at a time, 0.3 s each: seven seconds of model time, so the
    # cancel lands before the end even on a loaded machine
    items, epochs = 12, 2
    samples = items * epochs
    with serve(latency_ms=300) as stub:
        target = services.target_create(
            actor=technical_officer,
            version=model_version,
            name="slow",
            kind="openai_compatible",
            base_url=stub.base_url,
            model_name="slow-model",
        )
        run = queue(
            target, technical_officer, ["arithmetic_probe"], epochs=epochs, max_connections=1
        )
        seen: list[tuple[int, int, str]] = []

        def on_progress(done: int, total: int, task: str) -> None:
            seen.append((done, total, task))
            if done >= 2 and not EvaluationRun.objects.get(pk=run.pk).cancel_requested:
                services.run_cancel(actor=technical_officer, run=run)

        outcome = execution.execute(run.pk, on_progress=on_progress)
        asked_first = stub.total
        run.refresh_from_db()
        assert outcome["status"] == run.status == RunStatus.CANCELLED
        assert run.finished_at is not None and run.error == ""
        assert 2 <= run.progress_done < samples and run.progress_total == samples
        assert any(task == "arithmetic_probe" for _, _, task in seen)
        assert asked_first < samples  # stopped before the end
        assert not run.results.exists()
        assert actions(run)[-2:] == ["evaluations.run.cancelled", "evaluations.run.stopped"]
        pid = int((execution.run_directory(run) / execution.PID_FILE).read_text().split()[0])
        assert not Path(f"/proc/{pid}").exists() or (
            "State:\tZ" in Path(f"/proc/{pid}/status").read_text()
        )

        # retried, the run resumes: what was done is not asked again
        with django_capture_on_commit_callbacks(execute=False) as handed_over:
            services.run_retry(actor=technical_officer, run=run)
        assert len(handed_over) == 1  # the worker's task, which the test runs itself:
        outcome = execution.execute(run.pk)
        asked = dict(stub.requests)
    run.refresh_from_db()
    assert outcome["status"] == run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 2 and (run.progress_done, run.progress_total) == (samples, samples)
    (result,) = run.results.all()
    log = read_eval_log(result.log_file.path)
    keys = [(sample.id, sample.epoch) for sample in log.samples or []]
    assert len(keys) == len(set(keys)) == samples
    # only samples in progress when it was stopped may be asked a second time (Inspect runs
    # max_connections + 1 samples at once: at most 2 here)
    assert len(asked) == items and 0 <= sum(asked.values()) - samples <= 2, asked


# --- failing with an error a person can read ----------------------------------------------------


def test_an_endpoint_that_is_down_fails_the_run_with_a_clear_error(
    evaluation_dirs: dict[str, Path], model_version: Any, technical_officer: User
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    target = services.target_create(
        actor=technical_officer,
        version=model_version,
        name="down",
        kind="openai_compatible",
        base_url=url,
        model_name="m",
        api_key="sk-secret-key-never-written",
    )
    run = queue(target, technical_officer, ["arithmetic_probe"])
    outcome = execution.execute(run.pk)
    run.refresh_from_db()
    assert outcome["status"] == run.status == RunStatus.FAILED
    assert run.error == f"cannot reach the endpoint {url}: Connection refused"
    assert actions(run)[-1] == "evaluations.run.failed"
    assert not run.results.exists()
    # the API key reached the subprocess in its environment only: not the spec, not the audit
    directory = execution.run_directory(run)
    assert "sk-secret" not in (directory / "spec.json").read_text()
    audit = AuditEvent.objects.filter(object_id=str(run.pk)).values_list("after_json", flat=True)
    assert "sk-secret" not in json.dumps(list(audit))


def test_a_refused_api_key_fails_the_run_naming_the_reason(
    evaluation_dirs: dict[str, Path], model_version: Any, technical_officer: User
) -> None:
    with serve(api_key="the-right-key") as stub:
        target = services.target_create(
            actor=technical_officer,
            version=model_version,
            name="wrong-key",
            kind="openai_compatible",
            base_url=stub.base_url,
            model_name="m",
            api_key="a-wrong-key",
        )
        run = queue(target, technical_officer, ["arithmetic_probe"])
        execution.execute(run.pk)
        assert stub.unauthorised == 1 and stub.total == 0  # one look, no evaluation
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == (
        f"the endpoint {stub.base_url} refused the API key (HTTP 401: Incorrect API key provided.)"
    )
    assert not run.results.exists()


class _EchoingHandler(BaseHTTPRequestHandler):
    """An endpoint that refuses every request quoting the Authorization header it got (some
    proxies do): the key must not reach what the platform stores and shows."""

    def _refuse(self) -> None:
        quoted = f"invalid credentials: {self.headers.get('Authorization', '')}"
        data = json.dumps({"error": {"message": quoted, "type": "auth"}}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _refuse

    def log_message(self, format: str, *args: Any) -> None:
        return


def test_an_endpoint_echoing_the_key_does_not_put_it_in_the_error_or_the_audit_trail(
    evaluation_dirs: dict[str, Path], model_version: Any, technical_officer: User
) -> None:
    key = "sk-echoed-0123456789-secret"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = services.target_create(
            actor=technical_officer,
            version=model_version,
            name="echo",
            kind="openai_compatible",
            base_url=f"http://127.0.0.1:{server.server_address[1]}/v1",
            model_name="m",
            api_key=key,
        )
        services.target_check(actor=technical_officer, target=target)
        run = queue(target, technical_officer, ["arithmetic_probe"])
        outcome = execution.execute(run.pk)
    finally:
        server.shutdown()
        server.server_close()
    target.refresh_from_db()
    run.refresh_from_db()
    assert target.check_ok is False and "Bearer [API key]" in target.check_message
    assert run.status == RunStatus.FAILED and "Bearer [API key]" in run.error
    assert key not in target.check_message and key not in run.error
    assert key not in str(outcome)  # what the CLI prints
    stored = AuditEvent.objects.values_list("after_json", flat=True)
    assert stored and key not in json.dumps(list(stored))


def test_a_run_that_cannot_start_fails_instead_of_staying_running(
    evaluation_dirs: dict[str, Path],
    mock_target: EvaluationTarget,
    technical_officer: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Left running, the run would be recovered, queued again and fail the same way for ever."""

    def broken(run: EvaluationRun) -> dict[str, Any]:
        raise RuntimeError("no spec today")

    monkeypatch.setattr(execution, "build_spec", broken)
    run = queue(mock_target, technical_officer, ["arithmetic_probe"])
    outcome = execution.execute(run.pk)
    run.refresh_from_db()
    assert outcome["status"] == run.status == RunStatus.FAILED
    assert run.error == "the evaluation process could not start: RuntimeError: no spec today"
    assert actions(run)[-1] == "evaluations.run.failed"
    assert execution.recover_stale_runs(timezone.now() + timedelta(days=1)) == []


def test_results_that_cannot_be_stored_fail_the_run_instead_of_leaving_it_running(
    evaluation_dirs: dict[str, Path],
    mock_target: EvaluationTarget,
    technical_officer: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(run: EvaluationRun, summary: Any) -> list[TaskResult]:
        raise OSError("the media storage is full")

    monkeypatch.setattr(execution, "ingest_summary", broken)
    run = queue(mock_target, technical_officer, ["arithmetic_probe"], sample_limit=2)
    outcome = execution.execute(run.pk)
    run.refresh_from_db()
    assert outcome["status"] == run.status == RunStatus.FAILED
    assert run.error == "the results could not be stored: OSError: the media storage is full"
    assert execution.recover_stale_runs(timezone.now() + timedelta(days=1)) == []


# --- the runner's spec and environment ----------------------------------------------------------


def test_each_kind_of_target_becomes_an_inspect_model(
    model_version: Any, technical_officer: User, tmp_path: Path
) -> None:
    def target(name: str, kind: str, **fields: Any) -> EvaluationTarget:
        return services.target_create(
            actor=technical_officer, version=model_version, name=name, kind=kind, **fields
        )

    mock = target("m", "mock", model_name="fixed", model_args={"answer": "ANSWER: B"})
    assert execution.inspect_model(mock) == ("gpai_mock/fixed", {"answer": "ANSWER: B"}, {})

    endpoint = target(
        "my-api", "openai_compatible", base_url="http://h:1/v1", model_name="org/x", api_key="k1"
    )
    model, args, env = execution.inspect_model(endpoint)
    assert model == "openai-api/my-api/org/x" and args == {}
    assert env == {"MY_API_BASE_URL": "http://h:1/v1", "MY_API_API_KEY": "k1"}

    vllm = target("v", "vllm", base_url="http://h:2/v1", model_name="llama", api_key="k2")
    assert execution.inspect_model(vllm) == (
        "vllm/llama",
        {},
        {"VLLM_BASE_URL": "http://h:2/v1", "VLLM_API_KEY": "k2"},
    )

    directory = tmp_path / "tiny"
    local = target("t", "transformers", model_path=str(directory), model_args={"batch_size": 4})
    model, args, env = execution.inspect_model(local)
    assert model == "hf/tiny"
    assert args == {
        "model_path": str(directory),
        "device": "cpu",
        "do_sample": False,  # Inspect's hf provider samples unless told not to
        "batch_size": 4,
    }
    assert env == {"HF_HUB_OFFLINE": "1"}
    run = queue(local, technical_officer, ["arithmetic_probe"], temperature=0.0, seed=7)
    spec = execution.build_spec(run)
    assert "temperature" not in spec["generate"]  # transformers refuses 0; greedy already
    assert spec["generate"]["seed"] == 7 and spec["endpoint"] is None

    run = queue(
        endpoint,
        technical_officer,
        ["arithmetic_probe", "wmdp_bio"],
        task_args={"wmdp_bio": {"data_dir": "/data"}},
        epochs=3,
        temperature=0.5,
        max_tokens=64,
        token_limit=1000,
        time_limit=60,
        sample_limit=10,
        max_connections=16,
    )
    spec = execution.build_spec(run)
    assert spec["tasks"] == [
        {"name": "arithmetic_probe", "args": {}},
        {"name": "wmdp_bio", "args": {"data_dir": "/data"}},
    ]
    assert spec["generate"] == {"temperature": 0.5, "max_tokens": 64, "max_retries": 5}
    assert (spec["epochs"], spec["token_limit"], spec["time_limit"]) == (3, 1000, 60)
    assert (spec["sample_limit"], spec["max_connections"]) == (10, 16)
    assert spec["endpoint"] == "http://h:1/v1"
    assert spec["endpoint_key_variable"] == "MY_API_API_KEY"  # the variable, not the key
    assert "k1" not in json.dumps(spec)


def test_the_subprocess_does_not_inherit_the_platforms_secrets(
    monkeypatch: pytest.MonkeyPatch, mock_target: EvaluationTarget
) -> None:
    monkeypatch.setenv("AIOFFICE_SECRET_KEY", "platform-secret")
    monkeypatch.setenv("DATABASE_URL", "postgres://user:password@db/aioffice")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    env = execution.child_environment(mock_target)
    assert not {"AIOFFICE_SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"} & set(env)
    assert env["HF_HUB_OFFLINE"] == "1" and env["PATH"]


def test_the_workers_inspect_defaults_do_not_change_a_run_behind_its_spec(
    evaluation_dirs: dict[str, Path],
    model_version: Any,
    technical_officer: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Inspect reads INSPECT_EVAL_MODEL_ARGS as the model arguments of a run that gives none:
    inherited from the worker, it would evaluate with arguments the target does not show."""
    monkeypatch.setenv("INSPECT_EVAL_MODEL_ARGS", "answer=ANSWER:7")
    monkeypatch.setenv("INSPECT_TRACEBACK_LOCALS", "1")
    monkeypatch.setenv("INSPECT_LOG_LEVEL", "warning")  # others are the worker's to set
    target = services.target_create(
        actor=technical_officer, version=model_version, name="plain", kind="mock"
    )
    env = execution.child_environment(target)
    assert "INSPECT_EVAL_MODEL_ARGS" not in env and "INSPECT_TRACEBACK_LOCALS" not in env
    assert env["INSPECT_LOG_LEVEL"] == "warning"
    run = queue(target, technical_officer, ["arithmetic_probe"], sample_limit=2)
    execution.execute(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    (result,) = run.results.all()
    assert read_eval_log(result.log_file.path, header_only=True).eval.model_args == {}


# --- recovering runs whose worker died ----------------------------------------------------------


def _running(target: EvaluationTarget, actor: User, seconds_ago: float, **fields: Any) -> Any:
    run = queue(target, actor, ["arithmetic_probe"])
    beat = timezone.now() - timedelta(seconds=seconds_ago)
    values = {"status": RunStatus.RUNNING, "started_at": beat, "heartbeat_at": beat, "attempts": 1}
    EvaluationRun.objects.filter(pk=run.pk).update(**{**values, **fields})
    return run


def test_stale_running_runs_are_queued_again_and_live_ones_left(
    settings: Any,
    evaluation_dirs: dict[str, Path],
    mock_target: EvaluationTarget,
    technical_officer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EVALUATIONS_STALE_SECONDS = 30
    stale = _running(mock_target, technical_officer, 60, worker_pid=999_999)
    live = _running(mock_target, technical_officer, 5)
    cancelled = _running(mock_target, technical_officer, 60, cancel_requested=True)
    never_beat = _running(mock_target, technical_officer, 3600, heartbeat_at=None)

    # a leftover runner of the stale run (its worker died; its watchdog did not fire)
    directory = execution.run_directory(stale)
    directory.mkdir(parents=True)
    spec = directory / execution.SPEC_FILE
    leftover = subprocess.Popen(  # noqa: S603 - our interpreter
        [sys.executable, "-c", "import time; time.sleep(60)", "gpai_evals.runner", str(spec)]
    )
    (directory / execution.PID_FILE).write_text(f"{leftover.pid}\n{spec}\n")
    # a process that is not our runner is never killed, whatever the pid file says
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    other = execution.run_directory(never_beat)
    other.mkdir(parents=True)
    (other / execution.PID_FILE).write_text(f"{bystander.pid}\n{other / 'spec.json'}\n")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            recovered = execution.recover_stale_runs()
        assert sorted(recovered) == sorted([stale.pk, never_beat.pk])
        assert len(callbacks) == 2  # each handed to the worker again, after commit
        assert leftover.wait(timeout=10) == -signal.SIGKILL
        assert bystander.poll() is None
    finally:
        for process in (leftover, bystander):
            process.kill()
            process.wait()

    for run in (stale, live, cancelled, never_beat):
        run.refresh_from_db()
    assert stale.status == never_beat.status == RunStatus.QUEUED
    assert stale.worker_pid is None and stale.heartbeat_at is None
    assert live.status == RunStatus.RUNNING
    assert cancelled.status == RunStatus.CANCELLED and cancelled.finished_at is not None
    assert actions(stale)[-1] == "evaluations.run.recovered"
    assert actions(cancelled)[-1] == "evaluations.run.stopped"
    # nothing stale is left: a second sweep finds nothing
    assert execution.recover_stale_runs() == []
    # "now" can be given: an hour later the live run is stale too
    with django_capture_on_commit_callbacks(execute=False):
        later = execution.recover_stale_runs(now=timezone.now() + timedelta(hours=1))
    assert later == [live.pk]


def test_a_run_held_by_a_live_worker_is_not_taken_over(
    evaluation_dirs: dict[str, Path], mock_target: EvaluationTarget, technical_officer: User
) -> None:
    run = _running(mock_target, technical_officer, 1, worker_pid=4242)
    outcome = execution.execute(run.pk)
    run.refresh_from_db()
    assert outcome["status"] == RunStatus.RUNNING and outcome["stored"] == []
    assert run.attempts == 1 and run.worker_pid == 4242
    assert not execution.run_directory(run).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_run_at_once_give_it_to_one(
    mock_target: EvaluationTarget, technical_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim reads and marks the run in one locked transaction: a second worker that
    reads it meanwhile waits and then sees it running (the first holds the lock for 0.5 s
    here, so the two overlap)."""
    from django.db import connection

    run = queue(mock_target, technical_officer, ["arithmetic_probe"])
    real_versions = execution.package_versions

    def slow_versions() -> dict[str, str]:
        time.sleep(0.5)  # inside the claim's transaction
        return real_versions()

    monkeypatch.setattr(execution, "package_versions", slow_versions)
    start = threading.Barrier(2)
    claimed: list[Any] = []

    def claim() -> None:
        try:
            start.wait()
            claimed.append(execution._claim(run.pk))
        finally:
            connection.close()

    workers = [threading.Thread(target=claim) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert len(claimed) == 2
    assert sum(item is not None for item in claimed) == 1, claimed
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.attempts == 1
    assert actions(run).count("evaluations.run.started") == 1


def test_the_worker_command_starts_aioffice_worker() -> None:
    assert execution.worker_command() == [
        sys.executable,
        "-m",
        "aioffice",
        "worker",
        "--queue",
        "default",
    ]
    assert execution.worker_command(queue="evals", batch=True)[-3:] == [
        "--queue",
        "evals",
        "--batch",
    ]
