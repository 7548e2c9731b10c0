"""The API shapes of the one clock."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Schema

# The choices as literals, so the OpenAPI document lists them (a test keeps them equal to
# choices.DeadlineKind).
DeadlineKindName = Literal[
    "notification",
    "registry_rfi",
    "registry_hearing",
    "reassessment",
    "cop_framework",
    "cop_model_report",
    "rfi_answer",
    "access",
    "hearing",
    "measure",
    "incident_initial",
    "incident_intermediate",
    "incident_final",
    "triage",
]
BasisName = Literal["legal", "code"]
MoveName = Literal["provider", "office"]
StateName = Literal["overdue", "soon", "later"]


class DeadlineOut(Schema):
    """An open deadline: what is due, by when, whose move it is, on what basis, and what
    the rules engine gave as its reasons (rules version, reasons, citations)."""

    id: int
    kind: str
    kind_label: str
    title: str
    due_on: date
    state: StateName
    whose_move: MoveName
    basis: BasisName
    provider: int | None
    provider_name: str | None
    case: str | None  # the case's reference
    owner: str | None  # the owner's username (staff only; None for providers)
    url: str
    rules_version: str
    reasons: list[str]
    citations: list[str]
