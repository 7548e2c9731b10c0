"""The child process of an evaluation run: ``python -m gpai_evals.runner SPEC.json``.

The Office's worker (``aioffice.evaluations.execution``) writes a spec and starts this module
in a subprocess, so that whatever Inspect or a model provider does cannot take the worker
down. No Django here, and no Inspect import before it is needed: a bad spec or an endpoint
that cannot be reached fails in a fraction of a second.

What it does:

- isolates Inspect's state in the run's directory (``XDG_CACHE_HOME``, ``XDG_DATA_HOME``,
  ``INSPECT_CACHE_DIR``; the sample buffer that lets a killed run resume lives there);
- runs the catalogue tasks with Inspect's ``eval_set`` on the run's log directory. Run again
  on the same directory (a retry, or after the worker was killed), ``eval_set`` keeps the
  tasks that finished and, for a task that was interrupted, the samples that finished:
  those already written to the log and those in the sample buffer;
- writes its progress (samples done and total, per task) to the progress file, atomically,
  at most every half second, through an Inspect hook;
- exits when its parent dies (a watchdog thread), so a killed worker leaves no process
  writing logs behind it;
- at the end writes a summary (per task: the log, its status, the headline score with its
  uncertainty, every metric, the dataset and package provenance), from each final log's
  header and the scores the hook kept as samples finished, so neither this process nor the
  worker reads the logs again (reading a 1,000-sample log back costs seconds). Samples
  Inspect reused from an interrupted attempt were not seen by the hook: for such a task
  the scores are read from its log.

The API key never appears in the spec: the worker passes it in the environment variable
the provider reads (``<SERVICE>_API_KEY`` for ``openai-api/<service>/<model>``,
``VLLM_API_KEY``).

Exit status: 0 every task succeeded; 1 a task failed, or the endpoint cannot be reached or
refuses the key (one line on stderr says why); 2 the spec is unusable; 3 the parent died;
143 stopped by SIGTERM (a cancellation).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "EXIT_BAD_SPEC",
    "EXIT_CANCELLED",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_ORPHANED",
    "Progress",
    "RunSpec",
    "SpecError",
    "main",
    "read_progress",
    "read_summary",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_SPEC = 2
EXIT_ORPHANED = 3
EXIT_CANCELLED = 143  # 128 + SIGTERM, as a shell reports it

PROGRESS_INTERVAL = 0.5  # seconds between two writes of the progress file
WATCHDOG_INTERVAL = 0.5
CONNECT_TIMEOUT = 10.0
SPEC_VERSION = 1
MEAN_METRICS = frozenset({"accuracy", "mean"})  # Inspect's metrics that are the scores' mean


class SpecError(ValueError):
    """The spec cannot be run; the message names the field."""


@dataclass(frozen=True)
class TaskSpec:
    name: str  # catalogue name
    args: dict[str, Any]


@dataclass(frozen=True)
class RunSpec:
    """What to run, read from the spec file (see ``RunSpec.from_mapping`` for the fields)."""

    tasks: tuple[TaskSpec, ...]
    model: str
    log_dir: Path
    progress_file: Path
    summary_file: Path
    state_dir: Path
    model_args: dict[str, Any] = field(default_factory=dict)
    model_base_url: str | None = None
    generate: dict[str, Any] = field(default_factory=dict)
    epochs: int = 1
    token_limit: int | None = None
    time_limit: int | None = None
    sample_limit: int | None = None
    max_connections: int = 8
    endpoint: str | None = None  # checked to be reachable before Inspect is started
    endpoint_key_variable: str | None = None  # the variable holding its key (not the key)
    log_buffer: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, base: Path | None = None) -> RunSpec:
        """Check a spec read from JSON; relative paths are taken from ``base``."""
        if not isinstance(data, Mapping):
            raise SpecError("the spec must be a JSON object")
        version = data.get("version", SPEC_VERSION)
        if version != SPEC_VERSION:
            raise SpecError(f"version: this runner reads version {SPEC_VERSION}, not {version!r}")
        raw_tasks = data.get("tasks")
        if not isinstance(raw_tasks, list) or not raw_tasks:
            raise SpecError("tasks: give a non-empty list of {name, args}")
        tasks = []
        for index, item in enumerate(raw_tasks):
            if isinstance(item, str):
                item = {"name": item}
            if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
                raise SpecError(f"tasks[{index}]: give an object with a name")
            args = item.get("args") or {}
            if not isinstance(args, Mapping):
                raise SpecError(f"tasks[{index}].args: give an object")
            tasks.append(TaskSpec(item["name"], dict(args)))
        if len({task.name for task in tasks}) != len(tasks):
            raise SpecError("tasks: each task may be named once")
        model = data.get("model")
        if not isinstance(model, str) or "/" not in model:
            raise SpecError("model: give an Inspect model such as gpai_mock/model")

        def path(name: str, default: str | None = None) -> Path:
            value = data.get(name, default)
            if not isinstance(value, str) or not value:
                raise SpecError(f"{name}: give a path")
            result = Path(value)
            return result if result.is_absolute() or base is None else base / result

        def optional_int(name: str, low: int = 1) -> int | None:
            value = data.get(name)
            if value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise SpecError(f"{name}: give a whole number of at least {low}")
            return int(value)

        def mapping(name: str) -> dict[str, Any]:
            value = data.get(name) or {}
            if not isinstance(value, Mapping):
                raise SpecError(f"{name}: give an object")
            return dict(value)

        return cls(
            tasks=tuple(tasks),
            model=model,
            log_dir=path("log_dir"),
            progress_file=path("progress_file", "progress.json"),
            summary_file=path("summary_file", "summary.json"),
            state_dir=path("state_dir", "state"),
            model_args=mapping("model_args"),
            model_base_url=data.get("model_base_url") or None,
            generate={k: v for k, v in mapping("generate").items() if v is not None},
            epochs=optional_int("epochs") or 1,
            token_limit=optional_int("token_limit"),
            time_limit=optional_int("time_limit"),
            sample_limit=optional_int("sample_limit"),
            max_connections=optional_int("max_connections") or 8,
            endpoint=data.get("endpoint") or None,
            endpoint_key_variable=data.get("endpoint_key_variable") or None,
            log_buffer=optional_int("log_buffer"),
        )


# --- progress -------------------------------------------------------------------------------


def _write_json_atomically(path: Path, payload: Mapping[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(payload, allow_nan=False, default=str), encoding="utf-8")
    temporary.replace(path)


class Progress:
    """Samples done per task, written to the progress file at most every ``interval``.

    Samples finished are also appended, one line each, to ``<progress file>.done``; a later
    attempt on the same run reads them back, so samples Inspect reuses from the earlier
    attempt's log (which it does not report again) still count as done.
    """

    def __init__(self, path: Path, totals: Mapping[str, int], interval: float = PROGRESS_INTERVAL):
        self.path = path
        self.totals = dict(totals)
        self.interval = interval
        self.done: dict[str, set[str]] = {task: set() for task in self.totals}
        self.settled: dict[str, int] = {}  # samples completed, read from a task's final log
        self.current: str | None = None
        self.phase = "starting"
        self._last_write = 0.0
        self._lock = threading.Lock()
        self._journal_path = path.with_name(path.name + ".done")
        if self._journal_path.exists():
            for line in self._journal_path.read_text(encoding="utf-8").splitlines():
                task, _, key = line.partition("\t")
                if task in self.done and key:
                    self.done[task].add(key)
        self._journal = self._journal_path.open("a", encoding="utf-8")

    def sample_done(self, task: str, sample_id: object, epoch: int) -> None:
        key = f"{sample_id}#{epoch}"
        with self._lock:
            self.current = task
            if task in self.done and key not in self.done[task]:
                self.done[task].add(key)
                self._journal.write(f"{task}\t{key}\n")
                self._journal.flush()
        self.write()

    def settle(self, task: str, completed: int) -> None:
        """A task's final count, from its log: samples that finished just before a kill
        are in the log (Inspect recovered them) but were never reported to the hook."""
        with self._lock:
            self.settled[task] = completed

    def task_started(self, task: str) -> None:
        self.current = task
        self.phase = "running"
        self.write(force=True)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            tasks = [
                {
                    "task": task,
                    "done": min(self.settled.get(task, len(self.done[task])), total),
                    "total": total,
                }
                for task, total in self.totals.items()
            ]
        return {
            "pid": os.getpid(),
            "phase": self.phase,
            "current": self.current,
            "done": sum(item["done"] for item in tasks),
            "total": sum(item["total"] for item in tasks),
            "tasks": tasks,
            "updated": time.time(),
        }

    def write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < self.interval:
            return
        self._last_write = now
        with contextlib.suppress(OSError):  # progress is best effort; the run goes on
            _write_json_atomically(self.path, self.snapshot())

    def close(self, phase: str) -> None:
        self.phase = phase
        self.write(force=True)
        self._journal.close()


def read_progress(path: Path) -> dict[str, Any] | None:
    """The last progress a runner wrote, or None if there is none (yet) or it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_summary(path: Path) -> dict[str, Any] | None:
    """The summary a runner wrote at its end, or None."""
    return read_progress(path)


# --- the child's guards ---------------------------------------------------------------------


def _start_watchdog(parent: int) -> None:
    """Leave at once if the parent goes: a killed worker must not leave us writing logs."""

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_INTERVAL)
            if os.getppid() != parent:
                sys.stderr.write("error: the worker that started this run is gone; stopping\n")
                sys.stderr.flush()
                os._exit(EXIT_ORPHANED)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _on_sigterm(signum: int, frame: object) -> None:
    # Inspect treats KeyboardInterrupt as a cancellation: it closes the logs as "cancelled"
    raise KeyboardInterrupt


def _isolate_state(state_dir: Path) -> None:
    """Inspect's cache, sample buffers and traces go to the run's directory, not the user's."""
    state_dir.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(state_dir / "cache")
    os.environ["XDG_DATA_HOME"] = str(state_dir / "data")
    os.environ["INSPECT_CACHE_DIR"] = str(state_dir / "cache" / "inspect_ai")


def _check_endpoint(url: str, key: str | None) -> str | None:
    """None if the endpoint answers and takes the key; otherwise why not, in one line.

    One ``GET <base>/models`` (every OpenAI-compatible server we know has it): a refused
    connection or a refused key fails the run in a second instead of after Inspect's
    retries. Any other answer (a 404 from a server without the route included) lets the
    run go on.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"the endpoint {url} is not an http(s) address"
    request = urllib.request.Request(f"{url.rstrip('/')}/models", method="GET")  # noqa: S310
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=CONNECT_TIMEOUT):  # noqa: S310 - http(s)
            return None
    except urllib.error.HTTPError as error:
        if error.code not in (401, 403):
            return None
        detail = _error_message(error.read(2000))
        return f"the endpoint {url} refused the API key (HTTP {error.code}{detail})"
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
        return f"cannot reach the endpoint {url}: {text}"


def _error_message(body: bytes) -> str:
    """': <message>' from an OpenAI-style error body, or ''."""
    try:
        message = json.loads(body)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return ""
    return f": {' '.join(str(message).split())[:200]}"


def _fail(message: str, code: int) -> int:
    text = " ".join(str(message).split())  # one line, whatever the message
    sys.stderr.write(f"error: {text}\n")
    sys.stderr.flush()
    return code


# --- running --------------------------------------------------------------------------------


@dataclass
class TaskScores:
    """Scores of a task's samples as they finish, so the summary need not read the log."""

    cluster_key: str | None = None
    scores: dict[tuple[str, int], dict[str, float]] = field(default_factory=dict)
    clusters: dict[str, str] = field(default_factory=dict)  # item id -> cluster


def _install_hook(
    progress: Progress, names: Mapping[str, str], collected: dict[str, TaskScores]
) -> None:
    """Register (once per process) the Inspect hook that feeds ``progress`` and keeps each
    finished sample's scores in ``collected`` (by catalogue name).

    ``names`` maps Inspect's task names to catalogue names.
    """
    from inspect_ai.hooks import Hooks, SampleEnd, TaskStart, hooks
    from inspect_ai.scorer import value_to_float

    from gpai_evals.results import is_scalar

    to_float = value_to_float()
    tasks_by_eval: dict[str, str] = {}

    @hooks(name="gpai_evals_progress", description="Run progress for the AI Office worker.")
    class RunProgress(Hooks):
        async def on_task_start(self, data: TaskStart) -> None:
            name = names.get(data.spec.task, data.spec.task)
            tasks_by_eval[data.eval_id] = name
            collected[name] = TaskScores(cluster_key=_cluster_key(name))
            progress.task_started(name)

        async def on_sample_end(self, data: SampleEnd) -> None:
            name = tasks_by_eval.get(data.eval_id)
            if name is None:
                return
            sample = data.sample
            progress.sample_done(name, sample.id, sample.epoch)
            if sample.scores:
                task = collected[name]
                values = {}
                for scorer, score in sample.scores.items():
                    if not is_scalar(score.value):
                        continue  # a structured value is no one number (results.is_scalar)
                    with contextlib.suppress(ValueError, TypeError):
                        values[scorer] = to_float(score.value)
                task.scores[(str(sample.id), sample.epoch)] = values
                if task.cluster_key:
                    cluster = (sample.metadata or {}).get(task.cluster_key, sample.id)
                    task.clusters[str(sample.id)] = str(cluster)


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _cluster_key(catalogue_name: str) -> str | None:
    """The sample-metadata key grouping the task's items that share a context (catalogue)."""
    from gpai_evals.catalogue import by_name

    try:
        return by_name(catalogue_name).cluster_key
    except KeyError:
        return None


def _item_scores(
    log_location: str,
    scorer: str | None,
    collected: TaskScores | None,
    completed: int,
    cluster_key: str | None = None,
) -> tuple[dict[str, float], dict[str, str] | None, str]:
    """Per item (epochs averaged): its score, its cluster (None without a cluster key), and
    where they were read: from the samples as they finished, or, when some were not seen
    here (samples Inspect reused from an interrupted attempt), from the log."""
    if collected is not None and len(collected.scores) == completed:
        totals: dict[str, list[float]] = {}
        for (item, _epoch), values in collected.scores.items():
            name = scorer if scorer is not None else next(iter(values), None)
            if name in values:
                totals.setdefault(item, []).append(values[name])
        means = {item: sum(v) / len(v) for item, v in totals.items()}
        clusters = (
            {item: collected.clusters.get(item, item) for item in means}
            if collected.cluster_key
            else None
        )
        return means, clusters, "run"
    from gpai_evals import results

    means, metadata = results.sample_scores(log_location, scorer=scorer)
    key = collected.cluster_key if collected is not None else cluster_key
    clusters = {item: str(metadata[item].get(key, item)) for item in means} if key else None
    return means, clusters, "log"


def summarise_task(
    header: Any, catalogue_name: str, collected: TaskScores | None = None
) -> dict[str, Any]:
    """What the worker stores for one task: from its log's header (as ``eval_set`` returns
    it, or the log's path) and its samples' scores (``collected`` here as they finished,
    else read from the log).
    """
    from gpai_evals import stats

    if isinstance(header, str | Path):
        from inspect_ai.log import read_eval_log

        header = read_eval_log(str(header), header_only=True)
    spec = header.eval
    log_location = str(header.location)
    summary: dict[str, Any] = {
        "task": catalogue_name,
        "inspect_task": spec.task,
        "eval_id": spec.eval_id,
        "status": header.status,
        "error": header.error.message if header.error else None,
        "log": str(Path(log_location).resolve()) if "://" not in log_location else log_location,
        "model": spec.model,
        "task_version": str(spec.task_version),
        "packages": dict(spec.packages or {}),
        "generate_config": spec.model_generate_config.model_dump(exclude_none=True, mode="json"),
        "dataset": _dataset_provenance(header),
        "started_at": header.stats.started_at or None,
        "completed_at": header.stats.completed_at or None,
        "samples_total": header.results.total_samples if header.results else 0,
        "samples_completed": header.results.completed_samples if header.results else 0,
        "metrics": [],
        "headline": None,
    }
    if header.status != "success" or header.results is None:
        return summary
    first = header.results.scores[0].name if header.results.scores else None
    scores, clusters, source = _item_scores(
        log_location,
        first,
        collected,
        int(summary["samples_completed"] or 0),
        _cluster_key(catalogue_name),
    )
    # the first scorer's items all lie in [0, 1]: the intervals of its means are clipped to
    # [0, 1] as the headline's are (gpai_evals.stats); other scorers' ranges are not known here
    unit_scorer = first if scores and all(0.0 <= v <= 1.0 for v in scores.values()) else None
    z = stats.z_value()
    for score in header.results.scores:
        label = score.name if score.reducer in (None, "mean") else f"{score.name}/{score.reducer}"
        error = _finite(score.metrics["stderr"].value) if "stderr" in score.metrics else None
        for name, metric in score.metrics.items():
            value = _finite(metric.value)
            if value is None:
                continue  # a metric Inspect could not compute (NaN) is left out
            # Inspect's stderr is the error of the mean of the scorer's values: it belongs
            # to the metrics that are that mean, not to a spread, a rate on a subset, ...
            own_error = error if name in MEAN_METRICS else None
            low = high = None
            if own_error is not None:
                low, high = value - z * own_error, value + z * own_error
                if score.name == unit_scorer:
                    low, high = max(0.0, low), min(1.0, high)
            summary["metrics"].append(
                {
                    "scorer": label,
                    "name": name,
                    "value": value,
                    "stderr": own_error,
                    "ci_low": low,
                    "ci_high": high,
                    "samples": score.scored_samples or 0,
                }
            )
    values = list(scores.values())
    headline: dict[str, Any] = {"scorer": first or "", "items": len(values), "from": source}
    if len(values) >= 2:
        if clusters is not None:
            estimate = stats.clustered_estimate(values, [clusters[item] for item in scores])
        else:
            estimate = stats.mean_estimate(values)
        headline.update(
            value=estimate.mean,
            stderr=estimate.stderr,
            ci_low=estimate.ci_low,
            ci_high=estimate.ci_high,
            clusters=estimate.clusters,
        )
    elif values:  # one item: a value, no error bar
        headline.update(value=values[0], stderr=None, ci_low=None, ci_high=None, clusters=None)
    summary["headline"] = headline
    return summary


def _dataset_provenance(header: Any) -> dict[str, Any]:
    dataset = header.eval.dataset
    provenance: dict[str, Any] = {
        "name": dataset.name,
        "location": dataset.location,
        "samples": dataset.samples,
        "selected": len(dataset.sample_ids) if dataset.sample_ids is not None else None,
        "shuffled": dataset.shuffled,
    }
    data = (header.eval.metadata or {}).get("data")
    if isinstance(data, Mapping):  # our tasks record where their data came from, with SHA-256
        provenance.update({key: value for key, value in data.items() if key != "samples"})
    return provenance


def _load_extensions(*, skip_inspect_evals: bool) -> None:
    """Load the packages that extend Inspect (model providers, sandboxes, hooks), once.

    Inspect loads every ``inspect_ai`` entry point when it starts an evaluation; the one of
    inspect-evals imports its hundred-odd evaluations, which takes 4 to 9 s of CPU. When no
    task of the run comes from inspect-evals unchanged, that one is skipped: our own tasks
    (wrapped ones included) import what they use. Of our own entry point only the mock model
    provider is needed. Every other extension is loaded as usual.
    """
    from importlib.metadata import entry_points

    from inspect_ai._util import entrypoints

    if not skip_inspect_evals or not hasattr(entrypoints, "_inspect_ai_eps_loaded_all"):
        return  # Inspect loads everything itself
    import gpai_evals._mock  # noqa: F401 - registers gpai_mock; the tasks are built already

    for point in entry_points(group="inspect_ai"):
        if point.name in ("inspect_evals", "gpai_evals"):
            continue  # gpai_evals' entry point would import every wrapped task's data library
        try:
            point.load()
        except Exception as error:  # noqa: BLE001 - a broken plugin is Inspect's warning too
            sys.stderr.write(f"warning: extension {point.value} did not load: {error}\n")
    entrypoints._inspect_ai_eps_loaded_all = True


def _task_totals(tasks: list[Any], spec: RunSpec) -> dict[str, int]:
    totals = {}
    for task_spec, task in zip(spec.tasks, tasks, strict=True):
        try:
            size = len(task.dataset)
        except TypeError:  # a streamed dataset of unknown length
            size = 0
        if spec.sample_limit is not None:
            size = min(size, spec.sample_limit)
        totals[task_spec.name] = size * spec.epochs
    return totals


def run(spec: RunSpec) -> int:
    """Run the spec's tasks; returns the exit status."""
    _isolate_state(spec.state_dir)
    if spec.endpoint:
        key = os.environ.get(spec.endpoint_key_variable or "") or None
        problem = _check_endpoint(spec.endpoint, key)
        if problem is not None:
            return _fail(problem, EXIT_FAILED)

    from gpai_evals.catalogue import by_name

    try:
        entries = [by_name(task.name) for task in spec.tasks]
    except KeyError as error:
        return _fail(f"tasks: {error.args[0]}", EXIT_BAD_SPEC)
    try:
        tasks = [entry.task(**task.args) for entry, task in zip(entries, spec.tasks, strict=True)]
    except Exception as error:  # noqa: BLE001 - a task that cannot be built (data, argument)
        return _fail(f"a task could not be built: {type(error).__name__}: {error}", EXIT_FAILED)

    from inspect_ai import eval_set

    _load_extensions(
        skip_inspect_evals=not any(e.factory.startswith("inspect_evals") for e in entries)
    )

    spec.log_dir.mkdir(parents=True, exist_ok=True)
    names = {task.name: task_spec.name for task, task_spec in zip(tasks, spec.tasks, strict=True)}
    progress = Progress(spec.progress_file, _task_totals(tasks, spec))
    progress.write(force=True)
    collected: dict[str, TaskScores] = {}
    _install_hook(progress, names, collected)
    try:
        succeeded, logs = eval_set(
            tasks,
            log_dir=str(spec.log_dir),
            model=spec.model,
            model_args=spec.model_args,
            model_base_url=spec.model_base_url,
            epochs=spec.epochs,
            limit=spec.sample_limit,
            token_limit=spec.token_limit,
            time_limit=spec.time_limit,
            max_connections=spec.max_connections,
            max_tasks=1,
            retry_attempts=0,
            retry_immediate=False,
            display="none",
            log_format="eval",
            log_buffer=spec.log_buffer,
            **spec.generate,
        )
    except KeyboardInterrupt:
        progress.close("cancelled")
        return _fail("stopped on request", EXIT_CANCELLED)
    except Exception as error:  # noqa: BLE001 - whatever Inspect raised, said in one line
        progress.close("failed")
        return _fail(f"{type(error).__name__}: {error}", EXIT_FAILED)
    progress.phase = "summarising"
    progress.write(force=True)
    summaries = []
    for log in logs:
        name = names.get(log.eval.task, log.eval.task)
        summary = summarise_task(log, name, collected.get(name))
        if summary["status"] == "success":
            progress.settle(name, int(summary["samples_completed"] or 0))
        summaries.append(summary)
    _write_json_atomically(spec.summary_file, {"succeeded": bool(succeeded), "tasks": summaries})
    progress.close("finished" if succeeded else "failed")
    if not succeeded:
        failed = [item for item in summaries if item["status"] != "success"]
        reasons = "; ".join(
            f"{item['task']} {item['status']}" + (f": {item['error']}" if item["error"] else "")
            for item in failed
        )
        return _fail(reasons or "the evaluation did not finish", EXIT_FAILED)
    return EXIT_OK


@contextlib.contextmanager
def _guarded() -> Iterator[None]:
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        return _fail("usage: python -m gpai_evals.runner SPEC.json", EXIT_BAD_SPEC)
    spec_path = Path(args[0])
    try:
        data = json.loads(spec_path.read_text(encoding="utf-8"))
        spec = RunSpec.from_mapping(data, base=spec_path.resolve().parent)
    except OSError as error:
        return _fail(f"cannot read {spec_path}: {error.strerror}", EXIT_BAD_SPEC)
    except ValueError as error:  # SpecError, or JSON that does not parse
        return _fail(f"{spec_path}: {error}", EXIT_BAD_SPEC)
    _start_watchdog(os.getppid())
    with _guarded():
        try:
            return run(spec)
        except KeyboardInterrupt:
            return _fail("stopped on request", EXIT_CANCELLED)


if __name__ == "__main__":
    raise SystemExit(main())
