"""The catalogue: every evaluation task the Office runs, grouped by the risk it speaks to.

Risk areas are the four systemic risks the Code of Practice requires every signatory to cover
(COP-07 in shared/legal/AI-ACT.md: CBRN, cyber offence, harmful manipulation, loss of control),
plus general capability and safeguards (refusing harmful requests without refusing harmless
ones). Importing this module imports no Inspect code: an entry names its task factory by
import path, and ``CatalogueEntry.task()`` imports it only when a task is built.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from inspect_ai import Task

__all__ = [
    "CATALOGUE",
    "SUITES",
    "SYSTEMIC_RISK_AREAS",
    "CatalogueEntry",
    "Offline",
    "RiskArea",
    "by_name",
    "entries",
    "suite",
]


class RiskArea(StrEnum):
    """What a task tells us about; the first four are the Code's systemic risks (COP-07)."""

    CBRN = "cbrn"
    CYBER_OFFENCE = "cyber_offence"
    HARMFUL_MANIPULATION = "harmful_manipulation"
    LOSS_OF_CONTROL = "loss_of_control"
    GENERAL_CAPABILITY = "general_capability"
    SAFEGUARDS = "safeguards"


class Offline(StrEnum):
    """Whether a task can run on a machine without network access."""

    READY = "ready"  # its data ships with the code or is generated
    LOCAL_DATA = "local_data"  # runs offline once the user's copy of the data is given
    NO = "no"  # needs a network, a container runtime or a second model it cannot have offline


@dataclass(frozen=True)
class CatalogueEntry:
    """One evaluation task and what the Office needs to know to use its results."""

    name: str
    risk_area: RiskArea
    measures: str
    data_source: str
    licence: str
    offline: Offline
    offline_note: str
    factory: str  # "module:function" returning an inspect_ai Task
    ours: bool = False  # written by this project (our probe sets)
    roles: tuple[str, ...] = ()  # other models the task needs (Inspect's model roles)
    # The sample-metadata key grouping items that share a context (a topic, a template), so
    # that their results are not independent: standard errors are clustered on it (Miller
    # 2024). None: the items are taken as independent.
    cluster_key: str | None = None

    def task_factory(self) -> Callable[..., Task]:
        """The ``@task`` function, imported on demand."""
        module_name, _, attribute = self.factory.partition(":")
        module = importlib.import_module(module_name)
        # getattr gives Any; the catalogue test builds every offline task, checking the type
        return cast("Callable[..., Task]", getattr(module, attribute))

    def task(self, **task_args: Any) -> Task:
        """Build the Inspect task, passing ``task_args`` to its factory."""
        return self.task_factory()(**task_args)


_PROBES = "gpai_evals._probes"
_WRAPPED = "gpai_evals._wrapped"
_OURS = "written for this project; in the gpai_evals package (data/)"
_OUR_LICENCE = "EUPL-1.2 (this project)"
_SHIPPED = "the probe set ships with the package"
_HUB_OR_LOCAL = (
    "reads the user's copy from a data directory (SHA-256 checked); otherwise the hub at the "
    "revision inspect-evals pins"
)
_WMDP_SOURCE = "Hugging Face cais/wmdp (WMDP, Li et al. 2024), revision pinned by inspect-evals"
_WMDP_LICENCE = "MIT (as stated upstream; not re-checked here)"

CATALOGUE: tuple[CatalogueEntry, ...] = (
    # --- safeguards -------------------------------------------------------------------------
    CatalogueEntry(
        name="refusal_probe",
        risk_area=RiskArea.SAFEGUARDS,
        measures="share of clearly harmful requests (no operational detail asked) that are refused",
        data_source=_OURS,
        licence=_OUR_LICENCE,
        offline=Offline.READY,
        offline_note=_SHIPPED,
        factory=f"{_PROBES}:refusal_probe",
        ours=True,
        cluster_key="area",
    ),
    CatalogueEntry(
        name="over_refusal_probe",
        risk_area=RiskArea.SAFEGUARDS,
        measures="share of harmless requests that sound alarming and are answered, not refused",
        data_source=_OURS,
        licence=_OUR_LICENCE,
        offline=Offline.READY,
        offline_note=_SHIPPED,
        factory=f"{_PROBES}:over_refusal_probe",
        ours=True,
        cluster_key="area",
    ),
    CatalogueEntry(
        name="xstest",
        risk_area=RiskArea.SAFEGUARDS,
        measures="exaggerated safety: refusal of safe prompts (or compliance with unsafe ones)",
        data_source="XSTest (Röttger et al. 2024): the xstest_prompts.csv file or Hugging Face "
        "walledai/XSTest at the revision inspect-evals pins",
        licence="CC-BY-4.0",
        offline=Offline.LOCAL_DATA,
        offline_note=_HUB_OR_LOCAL,
        factory=f"{_WRAPPED}:xstest",
        cluster_key="type",
    ),
    CatalogueEntry(
        name="strong_reject",
        risk_area=RiskArea.SAFEGUARDS,
        measures="how much harmful help a model gives to forbidden prompts, with jailbreaks",
        data_source="StrongREJECT prompts, downloaded by inspect-evals from GitHub at run time",
        licence="not verified here",
        offline=Offline.NO,
        offline_note="downloads its prompts at run time and needs a judge model",
        factory="inspect_evals.strong_reject:strong_reject",
        cluster_key="category",
    ),
    # --- CBRN -------------------------------------------------------------------------------
    CatalogueEntry(
        name="wmdp_bio",
        risk_area=RiskArea.CBRN,
        measures="hazardous biosecurity knowledge, as multiple-choice accuracy (a proxy)",
        data_source=_WMDP_SOURCE,
        licence=_WMDP_LICENCE,
        offline=Offline.LOCAL_DATA,
        offline_note=_HUB_OR_LOCAL,
        factory=f"{_WRAPPED}:wmdp_bio",
    ),
    CatalogueEntry(
        name="wmdp_chem",
        risk_area=RiskArea.CBRN,
        measures="hazardous chemical-security knowledge, as multiple-choice accuracy (a proxy)",
        data_source=_WMDP_SOURCE,
        licence=_WMDP_LICENCE,
        offline=Offline.LOCAL_DATA,
        offline_note=_HUB_OR_LOCAL,
        factory=f"{_WRAPPED}:wmdp_chem",
    ),
    # --- cyber offence ----------------------------------------------------------------------
    CatalogueEntry(
        name="wmdp_cyber",
        risk_area=RiskArea.CYBER_OFFENCE,
        measures="hazardous offensive-cyber knowledge, as multiple-choice accuracy (a proxy)",
        data_source=_WMDP_SOURCE,
        licence=_WMDP_LICENCE,
        offline=Offline.LOCAL_DATA,
        offline_note=_HUB_OR_LOCAL,
        factory=f"{_WRAPPED}:wmdp_cyber",
    ),
    CatalogueEntry(
        name="cybermetric_80",
        risk_area=RiskArea.CYBER_OFFENCE,
        measures="cybersecurity knowledge, 80 multiple-choice questions",
        data_source="CyberMetric, downloaded by inspect-evals from GitHub at a pinned commit",
        licence="none stated upstream; treat as all rights reserved",
        offline=Offline.NO,
        offline_note="downloads its questions at run time",
        factory="inspect_evals.cybermetric:cybermetric_80",
    ),
    CatalogueEntry(
        name="gdm_intercode_ctf",
        risk_area=RiskArea.CYBER_OFFENCE,
        measures="capture-the-flag solving by an agent with a shell",
        data_source="InterCode CTF tasks, downloaded by inspect-evals from GitHub (pinned commit)",
        licence="MIT",
        offline=Offline.NO,
        offline_note="downloads its tasks at run time and needs a Docker sandbox",
        factory="inspect_evals.gdm_intercode_ctf:gdm_intercode_ctf",
    ),
    CatalogueEntry(
        name="cybench",
        risk_area=RiskArea.CYBER_OFFENCE,
        measures="professional-level capture-the-flag challenges solved by an agent",
        data_source="Cybench challenges bundled in inspect-evals; images from a container registry",
        licence="not verified here",
        offline=Offline.NO,
        offline_note="needs a Docker or Kubernetes sandbox and challenge images",
        factory="inspect_evals.cybench:cybench",
    ),
    # --- harmful manipulation ---------------------------------------------------------------
    CatalogueEntry(
        name="make_me_pay",
        risk_area=RiskArea.HARMFUL_MANIPULATION,
        measures="how well a model talks another model into donating money (persuasion)",
        data_source="generated by inspect-evals (no external data)",
        licence="MIT (inspect-evals)",
        offline=Offline.READY,
        offline_note="no external data; needs a second model in the 'mark' role "
        "(--model-role mark=...), which may be a local one",
        factory="inspect_evals.make_me_pay:make_me_pay",
        roles=("mark",),
    ),
    # --- loss of control --------------------------------------------------------------------
    CatalogueEntry(
        name="self_knowledge_probe",
        risk_area=RiskArea.LOSS_OF_CONTROL,
        measures="stated knowledge of its own situation and stated acceptance of oversight",
        data_source=_OURS,
        licence=_OUR_LICENCE,
        offline=Offline.READY,
        offline_note=_SHIPPED,
        factory=f"{_PROBES}:self_knowledge_probe",
        ours=True,
    ),
    CatalogueEntry(
        name="gdm_self_reasoning_approved_directories",
        risk_area=RiskArea.LOSS_OF_CONTROL,
        measures="whether an agent notices and changes its own configuration to finish a task",
        data_source="bundled in inspect-evals (GDM self-reasoning tasks)",
        licence="not verified here",
        offline=Offline.NO,
        offline_note="needs a Docker sandbox",
        factory="inspect_evals.gdm_self_reasoning:gdm_self_reasoning_approved_directories",
    ),
    CatalogueEntry(
        name="gdm_oversight_pattern",
        risk_area=RiskArea.LOSS_OF_CONTROL,
        measures="whether an agent can get past an oversight mechanism unnoticed (stealth)",
        data_source="bundled in inspect-evals (GDM stealth tasks)",
        licence="not verified here",
        offline=Offline.NO,
        offline_note="needs a Docker sandbox and rater models",
        factory="inspect_evals.gdm_stealth:gdm_oversight_pattern",
    ),
    # --- general capability -----------------------------------------------------------------
    CatalogueEntry(
        name="arithmetic_probe",
        risk_area=RiskArea.GENERAL_CAPABILITY,
        measures="short arithmetic word problems answered with the right whole number",
        data_source=_OURS,
        licence=_OUR_LICENCE,
        offline=Offline.READY,
        offline_note=_SHIPPED,
        factory=f"{_PROBES}:arithmetic_probe",
        ours=True,
    ),
    CatalogueEntry(
        name="gsm8k",
        risk_area=RiskArea.GENERAL_CAPABILITY,
        measures="grade-school maths word problems, zero-shot, scored on the final number",
        data_source="GSM8K test set (Cobbe et al. 2021): a gsm8k-test.jsonl file or Hugging Face "
        "openai/gsm8k at the revision inspect-evals pins",
        licence="MIT",
        offline=Offline.LOCAL_DATA,
        offline_note=_HUB_OR_LOCAL,
        factory=f"{_WRAPPED}:gsm8k",
    ),
    CatalogueEntry(
        name="gpqa_diamond",
        risk_area=RiskArea.GENERAL_CAPABILITY,
        measures="graduate-level science questions that resist web search (multiple choice)",
        data_source="GPQA diamond, downloaded by inspect-evals from a public URL (hash checked "
        "by inspect-evals)",
        licence="not verified here",
        offline=Offline.NO,
        offline_note="downloads its questions at run time",
        factory="inspect_evals.gpqa:gpqa_diamond",
        cluster_key="subdomain",
    ),
    CatalogueEntry(
        name="mmlu_pro",
        risk_area=RiskArea.GENERAL_CAPABILITY,
        measures="broad academic knowledge and reasoning, ten-option multiple choice",
        data_source="Hugging Face TIGER-Lab/MMLU-Pro, loaded by inspect-evals",
        licence="not verified here",
        offline=Offline.NO,
        offline_note="loads its data from the hub at run time",
        factory="inspect_evals.mmlu_pro:mmlu_pro",
        cluster_key="subject",
    ),
)


def entries(risk_area: RiskArea | str | None = None) -> Iterator[CatalogueEntry]:
    """The catalogue's entries, optionally only those of one risk area."""
    area = None if risk_area is None else RiskArea(risk_area)
    return (entry for entry in CATALOGUE if area is None or entry.risk_area is area)


def by_name(name: str) -> CatalogueEntry:
    """The entry called ``name``; KeyError naming the known tasks if there is none."""
    for entry in CATALOGUE:
        if entry.name == name:
            return entry
    known = ", ".join(entry.name for entry in CATALOGUE)
    raise KeyError(f"no task called {name!r} in the catalogue; known tasks: {known}")


SYSTEMIC_RISK_AREAS = (
    RiskArea.CBRN,
    RiskArea.CYBER_OFFENCE,
    RiskArea.HARMFUL_MANIPULATION,
    RiskArea.LOSS_OF_CONTROL,
)


def _runnable_here(entry: CatalogueEntry) -> bool:
    # one target answers every prompt: tasks needing a second model (roles) are run by name
    return entry.offline is not Offline.NO and not entry.roles


# Named sets of tasks a run can ask for instead of listing them (`--suite NAME`).
SUITES: dict[str, tuple[str, ...]] = {
    # the Code's four systemic risks: every task of theirs that runs without a network
    # (tasks reading local data fall back to the hub when no data directory is given)
    "systemic-risk": tuple(
        e.name for e in CATALOGUE if e.risk_area in SYSTEMIC_RISK_AREAS and _runnable_here(e)
    ),
    "safeguards": tuple(
        e.name for e in CATALOGUE if e.risk_area is RiskArea.SAFEGUARDS and _runnable_here(e)
    ),
    # our own probe sets: a fast, offline check that a target answers sensibly
    "smoke": tuple(e.name for e in CATALOGUE if e.ours),
}


def suite(name: str) -> tuple[CatalogueEntry, ...]:
    """The entries of a named suite; KeyError naming the known suites if there is none."""
    if name not in SUITES:
        raise KeyError(f"no suite called {name!r}; known suites: {', '.join(SUITES)}")
    return tuple(by_name(task) for task in SUITES[name])
