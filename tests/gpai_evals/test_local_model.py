"""Every catalogue task that can run offline runs on a local Transformers model, with no network.

The model is built here (``gpai_evals.tiny_model``): random weights from a small GPT-2-style
configuration and a tokenizer trained on our own sentences. It is run through Inspect's
``hf/local`` provider on the CPU, greedily (``do_sample=False``), a few samples per task and
a few tokens per answer. Its answers are nonsense, so no score is asserted: what is tested is
that the local-model path works for every task, records what it should, and repeats itself.

Needs torch (``make setup`` installs the CPU build where a local wheel is at hand); skipped
otherwise.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
from inspect_ai import eval as inspect_eval  # noqa: E402 - after the importorskip
from inspect_ai.log import EvalLog, ModelEvent, read_eval_log  # noqa: E402
from inspect_ai.model import GenerateConfig, Model, get_model  # noqa: E402

from gpai_evals import Offline, by_name, entries  # noqa: E402
from gpai_evals.tiny_model import build_tiny_model  # noqa: E402

OFFLINE = [e.name for e in entries() if e.offline is not Offline.NO]
LIMIT = 2  # samples per task
MAX_TOKENS = 4  # tokens per answer
# make_me_pay is a conversation: one turn each is enough to run every part of it
TASK_ARGS: dict[str, dict[str, Any]] = {"make_me_pay": {"turn_cap": 1, "num_experiments": LIMIT}}


def local_model(directory: Path) -> Model:
    return get_model(
        "hf/local",
        config=GenerateConfig(max_tokens=MAX_TOKENS),
        memoize=False,
        model_path=str(directory),
        device="cpu",
        do_sample=False,
    )


def tasks(names: list[str], data_dir: Path) -> list[Any]:
    built = []
    for name in names:
        entry = by_name(name)
        args = dict(TASK_ARGS.get(name, {}))
        if entry.offline is Offline.LOCAL_DATA:
            args["data_dir"] = str(data_dir)
        built.append(entry.task(**args))
    return built


def completions(log: EvalLog) -> dict[tuple[Any, int], str]:
    full = read_eval_log(log.location)
    return {(s.id, s.epoch): s.output.completion for s in full.samples or []}


def check_log(name: str, header: EvalLog, directory: Path) -> None:
    """What a local run of task ``name`` must have done and recorded."""
    assert header.status == "success", header.error
    log = read_eval_log(header.location)
    assert log.eval.model == "hf/local"
    # the evidence says which directory answered, on what device, and that it did not sample
    assert log.eval.model_args == {
        "model_path": str(directory),
        "device": "cpu",
        "do_sample": False,
    }
    assert log.samples
    assert len(log.samples) == min(LIMIT, log.eval.dataset.samples or 0)
    for sample in log.samples:
        assert sample.error is None, sample.error
        assert sample.scores, f"sample {sample.id} was not scored"
        calls = [event for event in sample.events if isinstance(event, ModelEvent)]
        assert calls, "the local model was asked"
        for call in calls:
            assert call.model == "hf/local"
            assert call.output.usage is not None
            assert call.output.usage.input_tokens > 0
            assert call.output.usage.output_tokens <= MAX_TOKENS
    assert log.stats.model_usage["hf/local"].input_tokens > 0
    if name != "make_me_pay":
        data = (log.eval.metadata or {})["data"]
        assert re.fullmatch(r"[0-9a-f]{64}", data["sha256"]), "the data's hash is in the log"


# One test for all tasks, not one per task: importing torch and transformers and loading the
# model is most of the cost, and pytest-xdist would pay it again on every worker given a share.
def test_every_offline_task_runs_on_a_local_transformers_model(
    fixture_data: Any, no_network: list[str], tmp_path: Path
) -> None:
    directory = build_tiny_model(tmp_path / "tiny-model")
    model = local_model(directory)
    run = tasks(OFFLINE, fixture_data.directory)
    logs = inspect_eval(
        run,
        model=model,
        # the tiny model plays the other parts as well (make_me_pay's mark)
        model_roles={role: model for e in entries() for role in e.roles},
        log_dir=str(tmp_path / "logs"),
        display="none",
        limit=LIMIT,
        max_tasks=len(run),
    )
    by_task = {log.eval.task.split("/")[-1]: log for log in logs}
    assert set(by_task) == set(OFFLINE)
    failures: dict[str, str] = {}
    for name, log in by_task.items():
        try:
            check_log(name, log, directory)
        except AssertionError as failure:
            failures[name] = str(failure)
    assert not failures, failures

    # greedy: a second load of the same directory answers the same samples with the same text
    names = ["arithmetic_probe", "wmdp_bio"]
    again = inspect_eval(
        tasks(names, fixture_data.directory),
        model=local_model(directory),
        log_dir=str(tmp_path / "again"),
        display="none",
        limit=LIMIT,
        max_tasks=len(names),
    )
    for name, log in zip(names, again, strict=True):
        first = completions(by_task[name])
        assert any(first.values()), f"{name}: only empty answers, nothing to compare"
        assert completions(log) == first, name

    # nothing tried to leave the machine, even where the error was caught and the run went on
    assert no_network == []

    check_tiny_model(directory, tmp_path)


def _file_hashes(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.iterdir()}


def check_tiny_model(tiny_model: Path, tmp_path: Path) -> None:
    """The tiny model is reproducible, leaves the random state alone, and loads offline."""
    from transformers import AutoConfig, AutoTokenizer

    state = torch.random.get_rng_state()
    same = build_tiny_model(tmp_path / "same")
    other = build_tiny_model(tmp_path / "other", seed=1)
    assert torch.equal(torch.random.get_rng_state(), state)
    hashes = _file_hashes(tiny_model)
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= set(hashes)
    assert _file_hashes(same) == hashes
    assert _file_hashes(other)["model.safetensors"] != hashes["model.safetensors"]
    assert _file_hashes(other)["tokenizer.json"] == hashes["tokenizer.json"]

    config = AutoConfig.from_pretrained(tiny_model)
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    assert config.model_type == "gpt2"
    assert config.vocab_size == len(tokenizer) <= 512
    text = "Évaluer « un modèle » : 12 x 7 = 84 €?"  # byte-level: anything round-trips
    assert tokenizer.decode(tokenizer.encode(text)) == text
    chat = tokenizer.apply_chat_template(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
        tokenize=False,
        add_generation_prompt=True,
    )
    assert chat == "system: Be brief.\nuser: Hi\nassistant:"
