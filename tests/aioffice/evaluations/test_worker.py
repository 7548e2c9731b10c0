"""The real worker (`aioffice worker`: Django's tasks framework on the database) executing
runs queued from the API against an OpenAI-compatible server the test starts on 127.0.0.1,
and a worker killed in the middle of a run: restarted, it finishes the run with each sample
scored once.

The worker is a separate process on the test database (a file under SQLite, see settings),
so these tests commit (``transaction=True``) and queue through the database backend.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from inspect_ai.log import read_eval_log

from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.core.testing import signed_in_client
from aioffice.evaluations import execution, services
from aioffice.evaluations.choices import RunStatus
from aioffice.evaluations.models import EvaluationRun, TaskResult
from aioffice.registry.models import ModelVersion
from gpai_evals import results
from gpai_evals.runner import read_summary
from gpai_evals.stub_server import StubServer, serve

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
STALE_SECONDS = 2
STUB_KEY = "sk-worker-test-key-5678"  # a test fixture, not a secret


def database_url() -> str:
    """The test database, as the worker process must be told."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{credentials}{host}/{db['NAME']}"


@pytest.fixture
def database_queue(settings: Any) -> None:
    """Runs queued here go to the database, where the worker process takes them."""
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND, "QUEUES": ["default"]}}


@pytest.fixture
def start_worker(
    evaluation_dirs: dict[str, Path], tmp_path: Path, database_queue: None
) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start `aioffice worker` processes on the test database; all stopped at the end."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "AIOFFICE_TASKS_BACKEND": DATABASE_BACKEND,
        "AIOFFICE_SECRET_KEY": django_settings.SECRET_KEY,  # the targets' keys decrypt
        "AIOFFICE_VAR_DIR": str(tmp_path / "var"),
        "AIOFFICE_MEDIA_ROOT": str(evaluation_dirs["media"]),
        "AIOFFICE_EVALUATIONS_DIR": str(evaluation_dirs["evaluations"]),
        "AIOFFICE_EVALUATIONS_STALE_SECONDS": str(STALE_SECONDS),
    }
    env.pop("AIOFFICE_DEBUG", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    workers: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(workers)}.log").open("wb")
        worker = subprocess.Popen(  # noqa: S603 - our interpreter and command
            execution.worker_command(),
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=30)
    # a runner left by a worker would keep the database busy; there must be none
    for pid_file in evaluation_dirs["evaluations"].glob(f"*/{execution.PID_FILE}"):
        pid = int(pid_file.read_text().split()[0])
        assert not _alive(pid), "a runner outlived its worker"


def _alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def wait_for(
    condition: Callable[[], bool], what: str, timeout: float = 120, logs: Path | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    detail = ""
    if logs is not None:
        detail = "\n".join(p.read_text(errors="replace")[-3000:] for p in logs.glob("worker-*"))
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


def run_state(run_id: int) -> dict[str, Any]:
    return EvaluationRun.objects.filter(pk=run_id).values().get()


def endpoint_target(version: ModelVersion, actor: User, stub: StubServer) -> Any:
    return services.target_create(
        actor=actor,
        version=version,
        name="provider-api",
        kind="openai_compatible",
        base_url=stub.base_url,
        model_name="stub-model",
        api_key=STUB_KEY,
    )


def answer_five_right() -> Callable[[str], str]:
    """Right on five of the twelve arithmetic questions, wrong on the others."""
    from gpai_evals._data import read_records
    from gpai_evals._probes import probe_file

    targets = [(r["input"], str(r["target"])) for r in read_records(probe_file("arithmetic"))]

    def answer(prompt: str) -> str:
        for index, (question, target) in enumerate(targets):
            if question in prompt:
                return f"ANSWER: {target if index < 5 else int(target) + 1}"
        return "ANSWER: 0"

    return answer


def test_a_run_queued_from_the_api_survives_a_killed_worker_and_lands_on_the_version(
    start_worker: Callable[[], subprocess.Popen[bytes]],
    model_version: ModelVersion,
    technical_officer: User,
    tmp_path: Path,
) -> None:
    """The issue's two worker scenarios in one run (each worker start and each Inspect start
    costs seconds): a run queued from the API against an OpenAI-compatible endpoint with an
    API key; the worker killed in the middle; a new worker recovers the run and finishes it,
    each sample scored once; the results and the log are on the model version."""
    client = signed_in_client(technical_officer)
    # 12 questions asked 5 times (epochs): 60 samples, each (question, epoch) scored once
    items, epochs, connections = 12, 5, 2
    samples = items * epochs
    with serve(answer=answer_five_right(), latency_ms=100, api_key=STUB_KEY) as stub:
        target = endpoint_target(model_version, technical_officer, stub)
        response = client.post(
            "/api/v1/evaluations/runs",
            json.dumps(
                {
                    "version": model_version.pk,
                    "target": target.pk,
                    "tasks": ["arithmetic_probe"],
                    "epochs": epochs,
                    "temperature": 0.0,
                    "max_connections": connections,
                }
            ),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        run_id = response.json()["id"]
        assert response.json()["status"] == RunStatus.QUEUED

        first = start_worker()
        wait_for(
            lambda: run_state(run_id)["progress_done"] >= 12,
            "the run to be under way",
            logs=tmp_path,
        )
        state = run_state(run_id)
        assert state["status"] == RunStatus.RUNNING and state["worker_pid"] == first.pid
        assert state["progress_total"] == samples
        runner_pid = int(
            (execution.run_directory(run_id) / execution.PID_FILE).read_text().split()[0]
        )

        first.send_signal(signal.SIGKILL)  # no chance to clean up
        first.wait()
        asked_before = stub.total
        # its runner notices and stops: no process is left writing the run's logs
        wait_for(lambda: not _alive(runner_pid), "the orphaned runner to stop", timeout=10)
        assert run_state(run_id)["status"] == RunStatus.RUNNING  # as the dead worker left it
        time.sleep(STALE_SECONDS + 0.5)  # its heartbeat goes stale

        start_worker()  # recovers the run at start and resumes it
        wait_for(
            lambda: run_state(run_id)["status"] not in (RunStatus.QUEUED, RunStatus.RUNNING),
            "the second worker to finish the run",
            logs=tmp_path,
        )
        asked = collections.Counter(stub.requests)
        assert stub.unauthorised == 0  # every request carried the target's key

    # --- the run, through the API
    detail = client.get(f"/api/v1/evaluations/runs/{run_id}").json()
    assert detail["status"] == RunStatus.SUCCEEDED, detail["error"]
    assert detail["attempts"] == 2
    assert (detail["progress_done"], detail["progress_total"]) == (samples, samples)
    assert detail["packages"]["inspect_ai"] == "0.3.285"
    (result,) = detail["results"]
    assert result["task"] == "arithmetic_probe"
    assert result["inspect_model"] == "openai-api/provider-api/stub-model"
    assert {(m["scorer"], m["name"]) for m in result["metrics"]} >= {("match", "accuracy")}
    events = list(
        AuditEvent.objects.filter(object_id=str(run_id), object_type="evaluations.evaluationrun")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert events == [
        "evaluations.run.queued",
        "evaluations.run.started",
        "evaluations.run.recovered",
        "evaluations.run.started",
        "evaluations.run.succeeded",
    ]

    # --- stored once, each sample scored once
    (stored,) = TaskResult.objects.filter(run__version=model_version)
    assert stored.samples_completed == samples and stored.items == items
    log = read_eval_log(stored.log_file.path)
    assert log.status == "success" and log.samples is not None
    assert log.eval.model == result["inspect_model"]
    keys = [(sample.id, sample.epoch) for sample in log.samples]
    assert len(keys) == len(set(keys)) == samples
    assert all(sample.scores for sample in log.samples)
    # finished samples were not asked again: Inspect resumed them from the first attempt's
    # log and sample buffer; only samples in progress when the worker died may have been
    # asked a second time (Inspect runs max_connections + 1 samples at once; 1 or 2 here)
    assert len(asked) == items and asked_before >= 12
    again = sum(asked.values()) - samples
    assert 0 <= again <= connections + 1, asked
    # the samples reused from the first attempt were never seen by the second runner's hook:
    # it read the scores from the final log, and they are those of the whole log
    summary = read_summary(execution.run_directory(run_id) / "summary.json")
    assert summary is not None and summary["tasks"][0]["headline"]["from"] == "log"
    from_log = results.summarise_log(stored.log_file.path).estimate
    assert stored.value == pytest.approx(5 / 12) and stored.stderr
    assert (stored.value, stored.stderr) == (
        pytest.approx(from_log.mean),
        pytest.approx(from_log.stderr),
    )

    # --- the results and the log are on the model version
    download = client.get(f"/api/v1/evaluations/runs/{run_id}/results/arithmetic_probe/log")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == stored.log_sha256
    assert download["X-Content-SHA256"] == stored.log_sha256
    profile = client.get(f"/api/v1/evaluations/versions/{model_version.pk}/profile").json()
    assert "arithmetic_probe" in {task["task"] for task in profile["profile"]["tasks"]}
    # the key is nowhere in what was written
    for path in execution.run_directory(run_id).rglob("*"):
        if path.is_file():
            assert STUB_KEY.encode() not in path.read_bytes(), path
