"""Named walks through the checker, for the tests, the browser test and the bench.

Each example is a flow and the answers a visitor gives, option values as they travel in the
URL. What the result says is aiact's business: the tests compare the page with aiact's own
answer for the same facts, never with a copy written here.

>>> result_path("system", {"role": "provider", "exclusions": ["military"]})
'/compliance-checker/system/result/?role=provider&exclusions=military&v=2026-11-26.1'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from aioffice.portal.checker._flows import current

__all__ = ["EXAMPLES", "Example", "result_path", "step_path"]


@dataclass(frozen=True)
class Example:
    """A flow key and the answers, by question id (a list for checkbox questions)."""

    flow: str
    answers: Mapping[str, str | list[str]]
    description: str


EXAMPLES: Final[Mapping[str, Example]] = {
    "annex_iii_provider": Example(
        "system",
        {
            "role": "provider",
            "exclusions": ["none"],
            "practices": ["none"],
            "annex_i": "no",
            "annex_iii_area": "4",
            "annex_iii_4": "4_a",
            "art6_3": ["none"],
            "profiling": "yes",
            "features": ["none"],
            "placed": "not_yet",
        },
        "A provider of a recruitment system that filters applications (Annex III 4(a)), "
        "not yet on the market.",
    ),
    "prohibited_social_scoring": Example(
        "system",
        {
            "role": "provider",
            "exclusions": ["none"],
            "practices": ["c"],
            "annex_i": "no",
            "annex_iii_area": "none",
            "features": ["none"],
            "placed": "yes",
            "placed_on": "2025-06-01",
        },
        "A provider of a social scoring system (Art. 5(1)(c)) on the market since June 2025.",
    ),
    "chatbot_deployer": Example(
        "system",
        {
            "role": "deployer",
            "exclusions": ["none"],
            "practices": ["none"],
            "annex_i": "no",
            "annex_iii_area": "none",
            "features": ["interacts", "synthetic_content"],
            "placed": "yes",
            "placed_on": "2026-09-01",
        },
        "A company that uses a customer-service chatbot (Art. 50).",
    ),
    "out_of_scope_military": Example(
        "system",
        {"role": "provider", "exclusions": ["military"]},
        "A provider of a system used exclusively for defence (Art. 2(3)).",
    ),
    "gpai_systemic": Example(
        "gpai",
        {
            "compute": "flop",
            "compute_flop": "3e25",
            "generates": ["text", "code"],
            "placed": "yes",
            "placed_on": "2026-01-15",
            "established": "yes",
            "open_source": "no",
            "modifies": "no",
        },
        "A model trained with 3e25 FLOP, on the market since January 2026.",
    ),
    "gpai_small": Example(
        "gpai",
        {
            "compute": "params_tokens",
            "parameters": "1e9",
            "tokens": "1e12",
            "generates": ["text"],
            "placed": "not_yet",
            "established": "yes",
            "open_source": "no",
            "modifies": "no",
        },
        "A small language model (1 billion parameters, 1 trillion tokens).",
    ),
    "gpai_open_source": Example(
        "gpai",
        {
            "compute": "flop",
            "compute_flop": "5e23",
            "generates": ["text"],
            "placed": "yes",
            "placed_on": "2026-03-01",
            "established": "no",
            "open_source": "yes",
            "os_rights": ["access", "use", "modify", "distribute"],
            "os_public": ["weights", "architecture", "usage"],
            "os_restrictions": ["none"],
            "os_monetised": "no",
            "modifies": "no",
        },
        "An open-weights model released under a free and open-source licence by a provider "
        "established outside the Union.",
    ),
    "gpai_modifier": Example(
        "gpai",
        {
            "compute": "flop",
            "compute_flop": "3.2e25",
            "generates": ["text"],
            "placed": "yes",
            "placed_on": "2026-05-01",
            "established": "yes",
            "open_source": "no",
            "modifies": "yes",
            "original_systemic_risk": "yes",
            "original_compute": "known",
            "original_flop": "3e25",
            "modification_flop": "2e25",
        },
        "A fine-tune of a model with systemic risk, using two thirds of its training compute.",
    ),
}


def _query(flow: str, answers: Mapping[str, str | list[str]]) -> str:
    the_flow = current(flow)
    pairs: list[tuple[str, str]] = []
    for question in the_flow.questions:
        value = answers.get(question.id)
        if value is None:
            continue
        pairs += [(question.id, v) for v in ([value] if isinstance(value, str) else value)]
    unknown = set(answers) - {q.id for q in the_flow.questions}
    if unknown:
        raise KeyError(f"{flow}: no question {sorted(unknown)}")
    return urlencode([*pairs, ("v", the_flow.version)])


def result_path(flow: str, answers: Mapping[str, str | list[str]]) -> str:
    """The path of the result page for these answers, with its query string, without a
    language prefix (the site's default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("portal:checker_result", kwargs={"flow": flow})
    return f"{path}?{_query(flow, answers)}"


def step_path(flow: str, answers: Mapping[str, str | list[str]]) -> str:
    """The path of the step page that asks the question after these answers."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("portal:checker_step", kwargs={"flow": flow})
    return f"{path}?{_query(flow, answers)}"
