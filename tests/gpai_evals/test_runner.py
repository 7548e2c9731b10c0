"""The evaluation runner on its own (no Django), and the stub endpoint the tests use.

One real run on the mock model; the other tests fail before Inspect is imported (bad spec,
endpoint down) or stop the runner as it starts (parent gone), so the whole file is quick.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from inspect_ai.log import read_eval_log

from gpai_evals import results, runner
from gpai_evals.stub_server import serve


def write_spec(directory: Path, **fields: Any) -> Path:
    spec = {"tasks": [{"name": "arithmetic_probe"}], "model": "gpai_mock/fixed", "log_dir": "logs"}
    spec.update(fields)
    path = directory / "spec.json"
    path.write_text(json.dumps(spec))
    return path


def run_runner(spec: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our interpreter and module
        [sys.executable, "-m", "gpai_evals.runner", str(spec)],
        cwd=spec.parent,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- a real run --------------------------------------------------------------------------------


def test_a_run_on_the_mock_model_writes_logs_progress_and_a_summary(tmp_path: Path) -> None:
    spec = write_spec(
        tmp_path,
        tasks=[{"name": "arithmetic_probe"}, {"name": "self_knowledge_probe", "args": {}}],
        model_args={"answer": "ANSWER: A"},
        epochs=2,
        sample_limit=5,
        max_connections=4,
    )
    result = run_runner(spec)
    assert result.returncode == runner.EXIT_OK, result.stderr

    progress = runner.read_progress(tmp_path / "progress.json")
    assert progress is not None
    assert progress["phase"] == "finished"
    # 5 samples (the limit) x 2 epochs per task, all done
    assert progress["tasks"] == [
        {"task": "arithmetic_probe", "done": 10, "total": 10},
        {"task": "self_knowledge_probe", "done": 10, "total": 10},
    ]
    assert (progress["done"], progress["total"]) == (20, 20)

    summary = runner.read_summary(tmp_path / "summary.json")
    assert summary is not None and summary["succeeded"] is True
    by_task = {item["task"]: item for item in summary["tasks"]}
    assert set(by_task) == {"arithmetic_probe", "self_knowledge_probe"}
    choice = by_task["self_knowledge_probe"]
    assert choice["status"] == "success" and choice["model"] == "gpai_mock/fixed"
    assert choice["samples_total"] == 10 and choice["samples_completed"] == 10
    headline = choice["headline"]
    assert headline["items"] == 5 and headline["scorer"] == "choice"
    assert headline["ci_low"] <= headline["value"] <= headline["ci_high"]
    assert {(m["scorer"], m["name"]) for m in choice["metrics"]} == {
        ("choice", "accuracy"),
        ("choice", "stderr"),
    }
    accuracy = next(m for m in choice["metrics"] if m["name"] == "accuracy")
    assert accuracy["value"] == pytest.approx(headline["value"])
    # the headline came from the scores seen as samples finished, and agrees with the log
    assert headline["from"] == "run"
    for item in summary["tasks"]:
        from_log = results.summarise_log(item["log"]).estimate
        assert item["headline"]["value"] == pytest.approx(from_log.mean)
        assert item["headline"]["stderr"] == pytest.approx(from_log.stderr)
        assert item["headline"]["items"] == from_log.n
        # summarised from the log alone (as after a resumed attempt): the same figures
        again = runner.summarise_task(item["log"], item["task"])
        assert again["headline"].pop("from") == "log"
        assert again["headline"] == {k: v for k, v in item["headline"].items() if k != "from"}
        assert again["metrics"] == item["metrics"] and again["dataset"] == item["dataset"]
    # provenance: our probe file's SHA-256, Inspect's version
    assert len(choice["dataset"]["sha256"]) == 64 and choice["dataset"]["selected"] == 5
    assert choice["packages"]["inspect_ai"]
    # the log is a real Inspect log, in the run's log directory
    log = read_eval_log(choice["log"])
    assert Path(choice["log"]).parent == tmp_path / "logs"
    assert log.status == "success" and log.eval.eval_id == choice["eval_id"]
    assert log.samples is not None and len(log.samples) == 10
    # Inspect's state went to the run's directory, not the user's
    assert (tmp_path / "state" / "data" / "inspect_ai").is_dir()


def test_items_sharing_a_context_give_a_clustered_error(tmp_path: Path) -> None:
    """The refusal probe's items are grouped by risk area (its catalogue cluster key): the
    headline's standard error is clustered on it, both as samples finish and from the log."""
    spec = write_spec(
        tmp_path, tasks=[{"name": "refusal_probe"}], model_args={"answer": "I can't help."}
    )
    result = run_runner(spec)
    assert result.returncode == runner.EXIT_OK, result.stderr
    summary = runner.read_summary(tmp_path / "summary.json")
    assert summary is not None
    (item,) = summary["tasks"]
    areas = {str(sample.metadata["area"]) for sample in read_eval_log(item["log"]).samples or []}
    assert len(areas) >= 2
    assert item["headline"]["clusters"] == len(areas)
    again = runner.summarise_task(item["log"], "refusal_probe")
    assert again["headline"]["clusters"] == len(areas)
    assert again["headline"]["stderr"] == pytest.approx(item["headline"]["stderr"])


# --- failing early, in one line -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"tasks": []}, "tasks"),
        ({"model": "no-provider"}, "model"),
        ({"epochs": 0}, "epochs"),
        ({"tasks": ["arithmetic_probe", "arithmetic_probe"]}, "tasks"),
        ({"tasks": [{"name": "no_such_task"}]}, "no_such_task"),
        ({"generate": ["not", "an", "object"]}, "generate"),
    ],
)
def test_a_bad_spec_is_refused_naming_the_field(
    tmp_path: Path, fields: dict[str, Any], named: str
) -> None:
    result = run_runner(write_spec(tmp_path, **fields))
    assert result.returncode == runner.EXIT_BAD_SPEC
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and named in lines[0]
    assert "Traceback" not in result.stderr


def test_a_spec_that_is_not_json_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text("{not json")
    result = run_runner(spec)
    assert result.returncode == runner.EXIT_BAD_SPEC
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_an_endpoint_that_is_down_fails_at_once_saying_so(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    spec = write_spec(tmp_path, model="openai-api/down/model", endpoint=url)
    started = time.monotonic()
    result = run_runner(spec, DOWN_BASE_URL=url, DOWN_API_KEY="k")
    assert result.returncode == runner.EXIT_FAILED
    assert result.stderr.strip() == f"error: cannot reach the endpoint {url}: Connection refused"
    assert time.monotonic() - started < 30  # no retries for minutes against a closed port
    assert not (tmp_path / "logs").exists()


def test_a_refused_api_key_fails_at_once_saying_so(tmp_path: Path) -> None:
    with serve(api_key="right") as stub:
        spec = write_spec(
            tmp_path,
            model="openai-api/keyed/model",
            endpoint=stub.base_url,
            endpoint_key_variable="KEYED_API_KEY",
        )
        result = run_runner(spec, KEYED_BASE_URL=stub.base_url, KEYED_API_KEY="wrong")
        assert stub.unauthorised == 1 and stub.total == 0
    assert result.returncode == runner.EXIT_FAILED
    assert result.stderr.strip() == (
        f"error: the endpoint {stub.base_url} refused the API key "
        "(HTTP 401: Incorrect API key provided.)"
    )
    assert "wrong" not in result.stderr


def test_the_runner_stops_when_its_parent_dies(tmp_path: Path) -> None:
    """A worker killed with SIGKILL must not leave its runner writing logs."""
    spec = write_spec(tmp_path)
    parent = subprocess.Popen(  # noqa: S603 - our interpreter
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "child = subprocess.Popen([sys.executable, '-m', 'gpai_evals.runner', sys.argv[1]])\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(120)\n",
            str(spec),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    time.sleep(0.5)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.1)
    assert not _alive(child), "the runner outlived its parent"


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited; only its entry is left


# --- progress ----------------------------------------------------------------------------------


def test_progress_counts_each_sample_once_across_attempts(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    first = runner.Progress(path, {"a": 4, "b": 2}, interval=3600)
    first.task_started("a")
    first.sample_done("a", "s1", 1)
    first.sample_done("a", "s1", 1)  # reported twice: counted once
    first.sample_done("a", "s1", 2)  # another epoch
    first.close("failed")
    assert runner.read_progress(path)["done"] == 2  # type: ignore[index]

    # a later attempt: samples of the first one count, even those Inspect does not report
    second = runner.Progress(path, {"a": 4, "b": 2}, interval=3600)
    second.sample_done("a", "s1", 1)
    second.sample_done("a", "s2", 1)
    second.sample_done("b", "x", 1)
    second.settle("b", 2)  # the final log says both of b's samples are done
    second.close("finished")
    snapshot = runner.read_progress(path)
    assert snapshot is not None
    assert snapshot["tasks"] == [
        {"task": "a", "done": 3, "total": 4},
        {"task": "b", "done": 2, "total": 2},
    ]
    assert (snapshot["done"], snapshot["total"], snapshot["phase"]) == (5, 6, "finished")
    assert not list(tmp_path.glob(".*.tmp"))  # written by rename, no half-written file left


def test_progress_is_written_at_most_every_interval(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    progress = runner.Progress(path, {"a": 100}, interval=3600)
    progress.write(force=True)
    for index in range(50):
        progress.sample_done("a", index, 1)
    assert runner.read_progress(path)["done"] == 0  # type: ignore[index]
    progress.close("finished")
    assert runner.read_progress(path)["done"] == 50  # type: ignore[index]


# --- the stub endpoint -------------------------------------------------------------------------


def _ask(base_url: str, prompt: str, key: str | None = "k") -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {"model": "m", "messages": [{"role": "user", "content": prompt}]}
    return httpx.post(f"{base_url}/chat/completions", json=body, headers=headers, timeout=30)


def test_the_stub_answers_like_openai_and_counts_each_prompt() -> None:
    with serve(answer=lambda prompt: f"ANSWER: {prompt[-1]}", api_key="k") as stub:
        response = _ask(stub.base_url, "pick B")
        assert response.status_code == 200
        body = response.json()
        assert body["object"] == "chat.completion"
        assert body["choices"][0]["message"] == {"role": "assistant", "content": "ANSWER: B"}
        assert body["usage"]["total_tokens"] == (
            body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
        )
        _ask(stub.base_url, "pick B")
        assert stub.requests == {"pick B": 2} and stub.total == 2

        assert _ask(stub.base_url, "no key", key=None).status_code == 401
        assert _ask(stub.base_url, "bad key", key="wrong").status_code == 401
        assert stub.unauthorised == 2 and stub.total == 2  # refused requests are not answered
        models = httpx.get(f"{stub.base_url}/models", headers={"Authorization": "Bearer k"})
        assert models.json()["data"][0]["id"] == "stub-model"
        bad = httpx.post(
            f"{stub.base_url}/chat/completions",
            content=b"{",
            headers={"Authorization": "Bearer k"},
        )
        assert bad.status_code == 400


def test_the_stub_serves_32_requests_at_once() -> None:
    with serve(latency_ms=300) as stub:
        results: list[int] = []

        def one(index: int) -> None:
            results.append(_ask(stub.base_url, f"prompt {index}", key=None).status_code)

        threads = [threading.Thread(target=one, args=(index,)) for index in range(32)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    assert results == [200] * 32 and stub.total == 32
    assert elapsed < 32 * 0.3 / 4  # concurrent, not one after another (which takes 9.6 s)
