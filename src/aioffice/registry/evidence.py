"""What meets an obligation: the interface between compliance monitoring and the parts of
the registry that hold evidence.

aiact says which obligations apply to a model version and from when (the `obligations` of
its answer, keyed by ids such as ``art52_1``, ``art53_1_a`` … ``art55_1_d``). Each part of
the registry that holds something that meets an obligation (the notification and the
authorised representative's mandate here; documents in `documentation`; signatures,
Frameworks and Model Reports in `codeofpractice`) exposes one function with the signature
of `EvidenceSource`. Compliance monitoring (`registry.monitoring`) calls every source once
for a page of versions and combines what they say with aiact's answer; a source never
decides whether an obligation applies, and monitoring never reads another part's models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from aioffice.registry.models import ModelVersion

# How far a piece of evidence goes towards meeting its obligation, as its source sees it.
# Monitoring adds "not_yet_due" (the obligation applies only later) and "missing" (no
# source offered anything) itself, and "overdue" when a source gives a due date that passed.
EvidenceStatus = Literal["met", "incomplete", "overdue", "pending"]


@dataclass(frozen=True, slots=True)
class Evidence:
    version_id: int
    obligation: str  # aiact's obligation id, e.g. "art53_1_a"
    kind: str  # what it is, e.g. "notification", "document:annex_xi_1", "cop:framework"
    label: str  # one line a person reads in the list, e.g. "Technical documentation v3"
    status: EvidenceStatus
    due: date | None = None  # when it is or was due, where the source knows
    detail: str = ""  # why it is incomplete or overdue: the missing items, the late days
    url: str = ""  # the page that shows it to whoever may see it


# version objects (with provider and model loaded), the day to judge on -> the evidence
EvidenceSource = Callable[[Sequence["ModelVersion"], date], Iterable[Evidence]]


# --- Annex XIII(e): capability evaluations on record ----------------------------------------
#
# A designation under Art. 52(4) rests on the Annex XIII criteria; criterion (e) is
# "benchmarks and capability evaluations". The parts that hold evaluation results (the
# `evaluations` app) register a source here when Django starts (their AppConfig.ready), so
# the registry core shows and cites them without importing those parts.


@dataclass(frozen=True, slots=True)
class CapabilityEvidence:
    """One evaluation result on record for a version, as a designation may cite it."""

    key: str  # stable across requests, e.g. "evaluations.result:42"
    label: str  # one line, e.g. "refusal_probe (safeguards): 0.83, 95% CI 0.71 to 0.95, 40 items"
    detail: str  # where it comes from: run, target, date
    url: str  # the page (report) that shows it to staff
    sha256: str  # of the file that holds it (the Inspect log)


CapabilitySource = Callable[["ModelVersion"], Iterable[CapabilityEvidence]]
_capability_sources: list[CapabilitySource] = []


def register_capability_source(source: CapabilitySource) -> None:
    """Add a source of capability evidence (idempotent; called from AppConfig.ready)."""
    if source not in _capability_sources:
        _capability_sources.append(source)


def capability_evidence(version: ModelVersion) -> list[CapabilityEvidence]:
    """Every registered source's evidence for ``version``, in registration order."""
    return [item for source in _capability_sources for item in source(version)]
