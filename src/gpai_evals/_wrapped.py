"""Tasks from the inspect-evals package, with data we can pin, hash and read offline.

Each factory reuses inspect-evals' own record conversion, prompts and scorers, and loads the
data through ``_data.load_records``: from ``data_dir`` when given (the user's copy, checked
against ``sha256``), otherwise from the hub at the revision inspect-evals pins.
"""

from __future__ import annotations

from typing import Literal

from inspect_ai import Task, task
from inspect_ai.scorer import INCORRECT, Scorer, choice, match, model_graded_qa
from inspect_ai.solver import generate, multiple_choice, prompt_template, system_message
from inspect_evals.gsm8k.gsm8k import DATASET_PATH as GSM8K_PATH
from inspect_evals.gsm8k.gsm8k import EVAL_VERSION as GSM8K_VERSION
from inspect_evals.gsm8k.gsm8k import GSM8K_DATASET_REVISION, MATH_PROMPT_TEMPLATE
from inspect_evals.gsm8k.gsm8k import record_to_sample as gsm8k_sample
from inspect_evals.utils.scorers import preset_score_on_no_response
from inspect_evals.wmdp.wmdp import DATASET_PATH as WMDP_PATH
from inspect_evals.wmdp.wmdp import EVAL_VERSION as WMDP_VERSION
from inspect_evals.wmdp.wmdp import WMDP_DATASET_REVISION
from inspect_evals.wmdp.wmdp import record_to_sample as wmdp_sample
from inspect_evals.xstest.xstest import DATASET_PATH as XSTEST_PATH
from inspect_evals.xstest.xstest import EVAL_VERSION as XSTEST_VERSION
from inspect_evals.xstest.xstest import (
    XSTEST_DATASET_REVISION,
    scorer_instructions,
    scorer_template,
)
from inspect_evals.xstest.xstest import record_to_sample as xstest_sample

from gpai_evals._data import HubDataset, load_records, to_dataset
from gpai_evals._scorers import refusal_behaviour

WMDP_FILES = {subset: f"wmdp-{subset}.jsonl" for subset in ("bio", "chem", "cyber")}
GSM8K_FILE = "gsm8k-test.jsonl"
XSTEST_FILE = "xstest_prompts.csv"


def _wmdp_task(
    subset: Literal["bio", "chem", "cyber"], data_dir: str | None, sha256: str | None
) -> Task:
    loaded = load_records(
        hub=HubDataset(WMDP_PATH, "test", WMDP_DATASET_REVISION, f"wmdp-{subset}"),
        local_file=WMDP_FILES[subset],
        data_dir=data_dir,
        sha256=sha256,
    )
    return Task(
        dataset=to_dataset(loaded, wmdp_sample, f"wmdp-{subset}"),
        solver=multiple_choice(),
        scorer=choice(),
        version=WMDP_VERSION.comparability_version,
        metadata={"data": loaded.provenance(), "wraps": f"inspect_evals/wmdp_{subset}"},
    )


@task
def wmdp_bio(data_dir: str | None = None, sha256: str | None = None) -> Task:
    """WMDP biosecurity questions (hazardous-knowledge proxy, multiple choice)."""
    return _wmdp_task("bio", data_dir, sha256)


@task
def wmdp_chem(data_dir: str | None = None, sha256: str | None = None) -> Task:
    """WMDP chemical-security questions (hazardous-knowledge proxy, multiple choice)."""
    return _wmdp_task("chem", data_dir, sha256)


@task
def wmdp_cyber(data_dir: str | None = None, sha256: str | None = None) -> Task:
    """WMDP cybersecurity questions (hazardous-knowledge proxy, multiple choice)."""
    return _wmdp_task("cyber", data_dir, sha256)


@task
def gsm8k(data_dir: str | None = None, sha256: str | None = None) -> Task:
    """GSM8K test problems, zero-shot, scored on the final number."""
    loaded = load_records(
        hub=HubDataset(GSM8K_PATH, "test", GSM8K_DATASET_REVISION, "main"),
        local_file=GSM8K_FILE,
        data_dir=data_dir,
        sha256=sha256,
    )
    return Task(
        dataset=to_dataset(loaded, gsm8k_sample, "gsm8k"),
        solver=[prompt_template(MATH_PROMPT_TEMPLATE), generate()],
        scorer=match(numeric=True),
        version=GSM8K_VERSION.comparability_version,
        metadata={"data": loaded.provenance(), "wraps": "inspect_evals/gsm8k (fewshot=0)"},
    )


@task
def xstest(
    subset: Literal["safe", "unsafe"] = "safe",
    grader: str | None = None,
    data_dir: str | None = None,
    sha256: str | None = None,
) -> Task:
    """XSTest prompts: ``safe`` ones must be answered, ``unsafe`` ones refused.

    With a ``grader`` model, inspect-evals' three-way grading template is used; without one,
    our refusal heuristic scores the responses (fast, offline, rougher).
    """
    loaded = load_records(
        hub=HubDataset(XSTEST_PATH, "test", XSTEST_DATASET_REVISION),
        local_file=XSTEST_FILE,
        data_dir=data_dir,
        sha256=sha256,
    )
    dataset = to_dataset(loaded, xstest_sample, f"xstest-{subset}")
    expect = "comply" if subset == "safe" else "refuse"
    kept = [s for s in dataset if s.metadata and s.metadata.get("label") == subset]
    for sample in kept:
        sample.metadata = {**(sample.metadata or {}), "expect": expect}
    dataset = type(dataset)(kept, name=dataset.name, location=dataset.location)
    scorer: Scorer
    if grader is None:
        scorer = refusal_behaviour()
    else:
        scorer = preset_score_on_no_response(
            model_graded_qa(
                model=grader,
                template=scorer_template,
                instructions=scorer_instructions,
            ),
            no_response_value=INCORRECT,
        )
    return Task(
        dataset=dataset,
        solver=[system_message("You are a helpful assistant."), generate()],
        scorer=scorer,
        version=XSTEST_VERSION.comparability_version,
        metadata={"data": loaded.provenance(), "wraps": f"inspect_evals/xstest ({subset})"},
    )
