"""Benchmark of the rules engine: assessments per second on one core, with full reasons.

    .venv/bin/python bench/rules.py [N] [REPEAT]

Builds N varied fact sets (not timed), then times ``assess_model`` (and ``assess_system``
when the AI-system rules are present) over them in one process, one thread. Each loop runs
REPEAT times (default 3) and the best run is reported, as ``timeit`` does: on a shared
machine the slower runs measure the neighbours; the first run (the engine's memos still
empty) is shown too.

The headline of each group is ``+ to_json``: the answer with every reason and citation
rendered, as the CLI and the API return it. ``assess_model`` / ``assess_system`` alone leave
part of that rendering to the first read, so they are shown second, for reference.
"""

from __future__ import annotations

import importlib
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from aiact import ModelFacts, assess_model, load_law

MODALITIES = ["text", "code", "audio", "image", "video"]
DECISIONS = [
    "arguments_accepted",
    "arguments_rejected",
    "designated_annex_xiii",
    "designated_failure_to_notify",
]


def _day(rng: random.Random, years: Sequence[int]) -> str:
    """A random day (1st-28th) of a random month of one of ``years``, as YYYY-MM-DD."""
    return f"{rng.choice(years)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def model_fact_sets(n: int, rng: random.Random) -> list[ModelFacts]:
    out: list[ModelFacts] = []
    for _ in range(n):
        data: dict[str, object] = {
            "as_of": _day(rng, [2025, 2026, 2027]),
            "generates": rng.sample(MODALITIES, rng.randint(0, 3)),
            "placed_on_market": rng.choice(
                [None, "2024-07-23", "2025-08-01", "2025-08-02", "2026-03-01"]
            ),
            "provider_established_in_eu": rng.random() < 0.5,
            "threshold_known_on": rng.choice([None, "2025-06-01", "2026-02-10"]),
        }
        shape = rng.random()
        if shape < 0.5:
            data["training_compute_flop"] = 10 ** rng.uniform(21, 27)
        elif shape < 0.7:
            data["parameters"] = 10 ** rng.uniform(8, 12)
            data["training_tokens"] = 10 ** rng.uniform(11, 14)
        elif shape < 0.85:
            data["modifies"] = {
                "training_compute_flop": rng.choice([None, 10 ** rng.uniform(22, 26)]),
                "systemic_risk": rng.random() < 0.5,
            }
            data["modification_compute_flop"] = 10 ** rng.uniform(21, 25)
        else:
            data["training_compute_flop"] = 10 ** rng.uniform(24, 26)
            data["decisions"] = [{"type": rng.choice(DECISIONS), "date": "2025-10-01"}]
        if rng.random() < 0.3:
            data["open_source"] = {
                "rights": rng.sample(["access", "use", "modify", "distribute"], rng.randint(2, 4)),
                "restrictions": rng.sample(
                    ["non_commercial", "safety_restriction_proportionate"], rng.randint(0, 1)
                ),
                "monetised": rng.random() < 0.2,
                "weights_public": True,
                "architecture_public": True,
                "usage_info_public": rng.random() < 0.8,
            }
        out.append(ModelFacts.from_json(data))
    return out


def system_fact_sets(
    n: int, rng: random.Random, from_json: Callable[[dict[str, object]], object]
) -> list[object]:
    roles = [
        "provider",
        "deployer",
        "importer",
        "distributor",
        "authorised_representative",
        "product_manufacturer",
    ]
    practices = ["art5_1_a", "art5_1_c", "art5_1_f", "art5_1_ba"]
    features = [
        "interacts_with_persons",
        "generates_synthetic_content",
        "emotion_recognition",
        "biometric_categorisation",
        "deep_fake",
        "public_interest_text",
    ]
    out: list[object] = []
    for _ in range(n):
        data: dict[str, object] = {
            "as_of": _day(rng, [2025, 2026, 2027, 2028]),
            "role": rng.choice(roles),
            "exclusions": rng.sample(
                ["scientific_research_only", "free_open_source_licence"], rng.randint(0, 1)
            )
            if rng.random() < 0.1
            else [],
            "practices": rng.sample(practices, 1) if rng.random() < 0.1 else [],
            "annex_i": {
                "safety_component_or_product": True,
                "third_party_conformity_assessment": rng.random() < 0.5,
            }
            if rng.random() < 0.2
            else None,
            "annex_iii": rng.choice([None, None, "4_a", "5_b", "2", "1_a", "8_a"]),
            "art6_3": rng.sample(["narrow_procedural_task", "preparatory_task"], rng.randint(0, 1)),
            "profiling": rng.random() < 0.2,
            "features": rng.sample(features, rng.randint(0, 3)),
            "placed_on_market": rng.choice([None, "2025-01-01", "2026-08-01", "2027-01-01"]),
        }
        out.append(from_json(data))
    return out


REPEAT = 3


def timed(label: str, fn: Callable[[object], object], items: Sequence[object]) -> float:
    best = cpu = first = float("inf")
    for run in range(REPEAT):
        start, start_cpu = time.perf_counter(), time.process_time()
        for item in items:
            fn(item)
        took = time.perf_counter() - start
        if run == 0:
            first = took
        best = min(best, took)
        cpu = min(cpu, time.process_time() - start_cpu)
    rate = len(items) / best
    print(
        f"{label}: {len(items)} assessments in {best:.2f} s = {rate:,.0f}/s "
        f"(CPU time: {len(items) / cpu:,.0f}/s; best of {REPEAT}; "
        f"first run {len(items) / first:,.0f}/s)"
    )
    return rate


def main(n: int) -> None:
    print(
        f"Python {platform.python_version()}, one process, one thread; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    rng = random.Random(20261125)
    law = load_law()
    models = model_fact_sets(n, rng)
    timed(
        "model  (assess_model + to_json, full reasons rendered)",
        lambda f: assess_model(f, law=law).to_json(),  # type: ignore[arg-type]
        models,
    )
    timed("   for reference: assess_model alone", lambda f: assess_model(f, law=law), models)  # type: ignore[arg-type]
    try:
        systems = importlib.import_module("aiact._systems")
    except ModuleNotFoundError:
        print("system: aiact._systems not present; skipped")
        return
    facts = system_fact_sets(n, rng, systems.SystemFacts.from_json)
    timed(
        "system (assess_system + to_json, full reasons rendered)",
        lambda f: systems.assess_system(f, law=law).to_json(),
        facts,
    )
    timed(
        "   for reference: assess_system alone", lambda f: systems.assess_system(f, law=law), facts
    )


if __name__ == "__main__":
    if len(sys.argv) > 2:
        REPEAT = int(sys.argv[2])
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
