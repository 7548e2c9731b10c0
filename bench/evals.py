"""Benchmark of capability evaluations: orchestration overhead and throughput.

    .venv/bin/python bench/evals.py                       # 1,000 samples, 3 repetitions each
    .venv/bin/python bench/evals.py --samples 200 --repeats 5
    .venv/bin/python bench/evals.py --skip-throughput     # only (a); --skip-overhead: only (b)

(a) Overhead. One synthetic multiple-choice data file of N items (arithmetic questions, four
choices, in the WMDP file format) is evaluated by the catalogue task ``wmdp_bio`` reading it
from a local data directory, on the offline mock model, two ways:

- ``aioffice eval run --model-version V --target mock wmdp_bio --task-arg
  wmdp_bio:data_dir=DIR --concurrency C``: a fresh, migrated SQLite database in a temporary
  folder, a mock target; the whole command is timed (Django start-up, the run's creation,
  Inspect in its subprocess, the log kept with its SHA-256, the results with their intervals
  stored);
- ``inspect eval .../gpai_evals/_wrapped.py@wmdp_bio -T data_dir=DIR --model gpai_mock/NAME
  -M answer=... --max-connections C --log-format eval --display none``: the same task
  function, data, model, answer, log format and concurrency.

The two commands alternate, R repetitions each; the median and the interquartile range are
printed, and the ratio of the medians (goal: at most 1.10). Where the time of the aioffice
command goes is taken from the run's own timestamps (created, started, Inspect's start and
end of the eval, result stored, finished).

(b) Throughput against the local OpenAI-compatible stub (``python -m gpai_evals.stub_server``,
a separate process, with a simulated latency), at concurrency 1, 8 and 32: the same task
through ``aioffice eval run --concurrency C`` on an endpoint target (samples per second of the
whole command, and of Inspect's eval alone, from its log's start and end), against a bare
``httpx.AsyncClient`` sending the same number of chat-completion requests with at most C in
flight.

Everything is written under a temporary folder (database, media, Inspect's logs, caches);
nothing reaches the network but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ANSWER = "ANSWER: A"
TASK = "wmdp_bio"
DATA_FILE = "wmdp-bio.jsonl"
# the catalogue's own task function, as a task file for plain `inspect eval` (FILE@TASK)
TASK_FILE = ROOT / "src" / "gpai_evals" / "_wrapped.py"


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds, the whole command
    detail: dict[str, float]  # phases, where known


def write_items(directory: Path, count: int, seed: int = 25) -> Path:
    """N multiple-choice arithmetic questions in the WMDP record format (question, choices,
    answer as the index of the right choice); every question distinct."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / DATA_FILE
    with path.open("w", encoding="utf-8") as handle:
        for index in range(count):
            a, b = rng.randint(100, 999), rng.randint(100, 999)
            right = a + b
            choices = [str(right + delta) for delta in (0, 1, -1, 10)]
            rng.shuffle(choices)
            record = {
                "question": f"Question {index + 1}: what is {a} + {b}?",
                "choices": choices,
                "answer": choices.index(str(right)),
            }
            handle.write(json.dumps(record) + "\n")
    return path


def environment(tmp: Path) -> dict[str, str]:
    """A fresh platform under ``tmp``: SQLite database, media, run folders, caches."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "AIOFFICE_MEDIA_ROOT": str(tmp / "media"),
        "AIOFFICE_EVALUATIONS_DIR": str(tmp / "evaluations"),
        "AIOFFICE_VAR_DIR": str(tmp / "var"),
        "AIOFFICE_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "aioffice.settings",
        "XDG_CACHE_HOME": str(tmp / "xdg-cache"),
        "XDG_DATA_HOME": str(tmp / "xdg-data"),
        "INSPECT_CACHE_DIR": str(tmp / "inspect-cache"),
        "HF_HUB_OFFLINE": "1",
        "PYTHONPATH": str(ROOT / "src"),
    }


def timed(command: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - our own commands
        list(command), env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-3000:] + completed.stderr[-3000:])
        raise SystemExit(f"failed ({completed.returncode}): {' '.join(command)}")
    return elapsed


def summary(values: Sequence[float]) -> tuple[float, float, float]:
    """Median and the interquartile range (first and third quartile)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return median, q1, q3


def setup_platform(env: dict[str, str]) -> Any:
    """Migrate the fresh database and make one model version (Django in this process)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from aioffice.accounts import services as accounts
    from aioffice.registry import services as registry

    call_command("migrate", interactive=False, verbosity=0)
    org = accounts.organisation_create(
        actor=None,
        name="Bench Lab",
        kind="gpai_provider",
        country="FR",
        established_in_union=True,
    )
    provider = registry.provider_register(actor=None, organisation=org)
    model = registry.model_create(
        actor=None, provider=provider, name="Bench Model", public_description="Benchmark."
    )
    return registry.version_create(
        actor=None,
        model=model,
        label="1",
        placed_on_market="2025-09-01",
        generates=["text"],
        compute_method="reported",
        training_compute_flop=1e25,
    )


def run_phases(run_id: int) -> dict[str, float]:
    """Where the run's time went, from its stored timestamps (seconds)."""
    from aioffice.evaluations.models import EvaluationRun

    run = EvaluationRun.objects.get(pk=run_id)
    result = run.results.get()
    phases: dict[str, float] = {}

    def gap(name: str, start: Any, end: Any) -> None:
        if start is not None and end is not None:
            phases[name] = (end - start).total_seconds()

    gap("created -> started", run.created_at, run.started_at)
    gap("started -> Inspect eval start", run.started_at, result.started_at)
    gap("Inspect eval", result.started_at, result.completed_at)
    gap("Inspect eval end -> result stored", result.completed_at, result.stored_at)
    gap("result stored -> finished", result.stored_at, run.finished_at)
    gap("created -> finished", run.created_at, run.finished_at)
    return phases


def latest_run_id() -> int:
    from aioffice.evaluations.models import EvaluationRun

    run = EvaluationRun.objects.order_by("-pk").first()
    assert run is not None and run.status == "succeeded", run and (run.status, run.error)
    return run.pk


def inspect_log_seconds(log_dir: Path) -> float:
    """Inspect's own start-to-end time of the newest log in ``log_dir``."""
    from datetime import datetime

    from inspect_ai.log import read_eval_log

    newest = max(log_dir.glob("*.eval"), key=lambda p: p.stat().st_mtime)
    stats = read_eval_log(str(newest), header_only=True).stats
    start = datetime.fromisoformat(stats.started_at)
    end = datetime.fromisoformat(stats.completed_at)
    return (end - start).total_seconds()


def sample_span(log_file: Path) -> float:
    """Seconds from the first sample's start to the last sample's end, in a kept log (the
    samples carry microsecond timestamps; the eval's own start and end are whole seconds)."""
    from datetime import datetime

    from inspect_ai.log import read_eval_log_samples

    starts, ends = [], []
    for sample in read_eval_log_samples(str(log_file), all_samples_required=False):
        if sample.started_at and sample.completed_at:
            starts.append(datetime.fromisoformat(sample.started_at))
            ends.append(datetime.fromisoformat(sample.completed_at))
    return (max(ends) - min(starts)).total_seconds()


def overhead(tmp: Path, env: dict[str, str], version: Any, samples: int, repeats: int) -> None:
    from aioffice.evaluations import services

    data_dir = tmp / "data"
    write_items(data_dir, samples)
    target = services.target_create(
        actor=None, version=version, name="mock", kind="mock", model_args={"answer": ANSWER}
    )
    concurrency = 8
    aioffice = [
        str(BIN / "aioffice"), "eval", "run", "--model-version", str(version.pk),
        "--target", target.name, TASK, "--task-arg", f"{TASK}:data_dir={data_dir}",
        "--concurrency", str(concurrency),
    ]  # fmt: skip
    plain_logs = tmp / "plain-logs"

    def inspect_command() -> list[str]:
        return [
            str(BIN / "inspect"), "eval", f"{TASK_FILE}@{TASK}", "-T", f"data_dir={data_dir}",
            "--model", f"gpai_mock/{target.model_name}", "-M", f"answer={ANSWER}",
            "--max-connections", str(concurrency), "--log-format", "eval",
            "--log-dir", str(plain_logs), "--display", "none",
        ]  # fmt: skip

    print(f"\n(a) overhead: {samples} samples, task {TASK}, mock model, concurrency {concurrency}")
    print("    aioffice: " + " ".join(aioffice))
    print("    inspect:  " + " ".join(inspect_command()))
    # one unmeasured round of each: the first start-up of a fresh virtual environment
    # compiles bytecode and fills the file cache
    timed(aioffice, env, tmp)
    timed(inspect_command(), env, tmp)
    ours: list[float] = []
    theirs: list[float] = []
    phases: list[dict[str, float]] = []
    inspect_eval: list[float] = []
    for repetition in range(repeats):
        pair: list[tuple[str, Callable[[], float]]] = [
            ("aioffice", lambda: timed(aioffice, env, tmp)),
            ("inspect", lambda: timed(inspect_command(), env, tmp)),
        ]
        if repetition % 2:
            pair.reverse()  # alternate which goes first
        for name, measure in pair:
            elapsed = measure()
            if name == "aioffice":
                ours.append(elapsed)
                phases.append(run_phases(latest_run_id()))
                phases[-1]["command start-up and exit (the rest)"] = (
                    elapsed - phases[-1]["created -> finished"]
                )
            else:
                theirs.append(elapsed)
                inspect_eval.append(inspect_log_seconds(plain_logs))
            print(f"    repetition {repetition + 1}: {name:<8} {elapsed:6.2f} s", flush=True)
    ours_m, ours_q1, ours_q3 = summary(ours)
    theirs_m, theirs_q1, theirs_q3 = summary(theirs)
    print(f"    aioffice eval run: median {ours_m:.2f} s (IQR {ours_q1:.2f}-{ours_q3:.2f})")
    print(f"    inspect eval:      median {theirs_m:.2f} s (IQR {theirs_q1:.2f}-{theirs_q3:.2f})")
    print(f"    overhead ratio (medians): {ours_m / theirs_m:.3f}  (goal <= 1.10)")
    rest = [wall - inside for wall, inside in zip(theirs, inspect_eval, strict=True)]
    print(
        "    inspect eval, Inspect's own eval (start to end, whole seconds): median "
        f"{summary(inspect_eval)[0]:.2f} s; the rest of the command (start-up, extensions, "
        f"exit): median {summary(rest)[0]:.2f} s"
    )
    print("    aioffice eval run, phases (median over repetitions):")
    for name in phases[0]:
        values = [p[name] for p in phases if name in p]
        print(f"      {name:<36} {summary(values)[0]:6.2f} s")


async def bare_client(base_url: str, prompts: Sequence[str], concurrency: int, key: str) -> float:
    """Seconds for a bare httpx.AsyncClient to get every completion, ``concurrency`` at once."""
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)  # no line per request
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:

        async def one(prompt: str) -> None:
            async with gate:
                body = {"model": "stub-model", "messages": [{"role": "user", "content": prompt}]}
                response = await client.post("/chat/completions", json=body, headers=headers)
                response.raise_for_status()
                response.json()["choices"][0]["message"]

        started = time.perf_counter()
        await asyncio.gather(*(one(prompt) for prompt in prompts))
        return time.perf_counter() - started


# The stub (`python -m gpai_evals.stub_server`) turns Nagle's algorithm off on its sockets:
# with it on, each response's body waited for the client's delayed acknowledgement of its
# headers (measured: 44 ms per sequential request at --latency-ms 0, 0.6 ms without).
STUB = ["-m", "gpai_evals.stub_server"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def throughput(
    tmp: Path, env: dict[str, str], version: Any, samples: int, latency_ms: float
) -> None:
    from aioffice.evaluations import services
    from aioffice.evaluations.models import EvaluationRun

    data_dir = tmp / "data-throughput"
    path = write_items(data_dir, samples, seed=26)
    prompts = []
    for line in path.read_text().splitlines():
        record = json.loads(line)
        letters = "ABCD"
        options = "\n".join(f"{letters[i]}) {c}" for i, c in enumerate(record["choices"]))
        prompts.append(
            "Answer the following multiple choice question. The entire content of your "
            "response should be of the following format: 'ANSWER: $LETTER' (without quotes) "
            f"where LETTER is one of A,B,C,D.\n\n{record['question']}\n\n{options}"
        )
    key = "bench-key-0000"
    port = free_port()
    stub = subprocess.Popen(  # noqa: S603 - our own stub
        [sys.executable, *STUB, "--port", str(port), "--latency-ms", str(latency_ms),
         "--api-key", key, "--answer", ANSWER],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert stub.stdout is not None
        stub.stdout.readline()  # "serving ..." once it listens
        base_url = f"http://127.0.0.1:{port}/v1"
        target = services.target_create(
            actor=None,
            version=version,
            name="stub",
            kind="openai_compatible",
            base_url=base_url,
            model_name="stub-model",
            api_key=key,
        )
        print(
            f"\n(b) throughput: {samples} samples against the stub (latency {latency_ms:g} ms, "
            f"separate process), task {TASK}; samples/s from the first sample's start to the "
            "last one's end in the kept log, and for the whole command"
        )
        header = (
            "concurrency", "aioffice eval run", "(whole command)", "plain inspect eval",
            "bare httpx client (median of 3)", "aioffice/bare",
        )  # fmt: skip
        print("    " + "  ".join(header))
        plain_logs = tmp / "plain-throughput-logs"
        plain_env = {**env, "STUB_BASE_URL": base_url, "STUB_API_KEY": key}
        for concurrency in (1, 8, 32):
            command = [
                str(BIN / "aioffice"), "eval", "run", "--model-version", str(version.pk),
                "--target", target.name, TASK, "--task-arg", f"{TASK}:data_dir={data_dir}",
                "--concurrency", str(concurrency),
            ]  # fmt: skip
            wall = timed(command, env, tmp)
            run = EvaluationRun.objects.get(pk=latest_run_id())
            ours = samples / sample_span(Path(run.results.get().log_file.path))
            plain = [
                str(BIN / "inspect"), "eval", f"{TASK_FILE}@{TASK}",
                "-T", f"data_dir={data_dir}", "--model", "openai-api/stub/stub-model",
                "--max-connections", str(concurrency), "--log-format", "eval",
                "--log-dir", str(plain_logs), "--display", "none",
            ]  # fmt: skip
            timed(plain, plain_env, tmp)
            newest = max(plain_logs.glob("*.eval"), key=lambda p: p.stat().st_mtime)
            theirs = samples / sample_span(newest)
            bare = statistics.median(
                samples / asyncio.run(bare_client(base_url, prompts, concurrency, key))
                for _ in range(3)
            )
            print(
                f"    {concurrency:>11}  {ours:>10.1f} /s  {samples / wall:>6.1f} /s "
                f"({wall:5.1f} s)  {theirs:>13.1f} /s  {bare:>25.1f} /s  {ours / bare:>12.2f}",
                flush=True,
            )
    finally:
        stub.terminate()
        stub.wait(timeout=10)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000, help="items in (a)")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions of each in (a)")
    parser.add_argument("--throughput-samples", type=int, default=400, help="items in (b)")
    parser.add_argument("--latency-ms", type=float, default=20.0, help="the stub's latency")
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="aioffice-bench-evals-"))
    env = environment(tmp)
    try:
        version = setup_platform(env)
        print(
            f"machine: {platform.node()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}; load average at the start "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        if not args.skip_overhead:
            overhead(tmp, env, version, args.samples, args.repeats)
        if not args.skip_throughput:
            throughput(tmp, env, version, args.throughput_samples, args.latency_ms)
        print(f"\nload average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
