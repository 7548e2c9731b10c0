"""Demo data for drafting: each part adds its loader to PARTS (in order: projects, drafts,
consultations, analysis, adoption); each loader is idempotent (loads once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aioffice.demo_data import (
    drafting_adoption,
    drafting_analysis,
    drafting_consultations,
    drafting_drafts,
    drafting_projects,
)

PARTS: list[Callable[..., None]] = [
    drafting_projects.load,
    drafting_drafts.load,
    drafting_consultations.load,
    drafting_analysis.load,  # after the consultations: it analyses the public one
    drafting_adoption.load,  # last: it adopts what the parts before it wrote
]


def load(*, users: dict[str, Any]) -> None:
    for part in PARTS:
        part(users=users)
