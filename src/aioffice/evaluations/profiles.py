"""A model version's capability profile: per risk area, what its evaluations show, with
uncertainty; and the chart that draws it against reference versions.

The profile of a version takes, for each catalogue task, the latest task result of that
version whose Inspect status is "success" (optionally only results stored by a given
moment), and aggregates them per risk area with `gpai_evals.stats.risk_area_profile`:
equal weight per task, standard errors added in quadrature. A risk area without results
has no estimate (it is drawn as "not evaluated", never as 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from gpai_evals import stats
from gpai_evals.catalogue import RiskArea

from aioffice.registry.models import ModelVersion

__all__ = [
    "AreaEstimate",
    "Profile",
    "TaskEstimate",
    "profile_svg",
    "profiles_for",
    "version_profile",
]


@dataclass(frozen=True)
class TaskEstimate:
    """The latest successful result of one task for one version."""

    task: str
    risk_area: str
    value: float
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    items: int
    run_id: int
    result_id: int
    completed_at: datetime | None


@dataclass(frozen=True)
class AreaEstimate:
    """One risk area of a profile: the aggregate (None when no task of it has a result)."""

    risk_area: RiskArea
    estimate: stats.Estimate | None
    tasks: tuple[str, ...]  # the tasks aggregated
    without_stderr: tuple[str, ...]  # tasks with a value but no standard error (left out)


@dataclass(frozen=True)
class Profile:
    """A version's capability profile: every risk area (in RiskArea order) and every task."""

    version_id: int
    model_name: str
    version_label: str
    provider: str
    as_of: datetime | None
    areas: tuple[AreaEstimate, ...]
    tasks: tuple[TaskEstimate, ...]

    @property
    def label(self) -> str:
        return f"{self.model_name} {self.version_label}"

    def area(self, risk_area: RiskArea | str) -> AreaEstimate:
        """The entry of ``risk_area``."""
        raise NotImplementedError


def version_profile(version: ModelVersion, *, as_of: datetime | None = None) -> Profile:
    """The capability profile of ``version`` from its latest successful result per task
    (stored at or before ``as_of`` when given). One query for the results."""
    raise NotImplementedError


def profiles_for(
    versions: Sequence[ModelVersion | int], *, as_of: datetime | None = None
) -> list[Profile]:
    """Profiles of several versions (e.g. reference models), in the order given, in a
    constant number of queries (two), whatever the number of versions."""
    raise NotImplementedError


def profile_svg(profiles: Sequence[Profile], *, title: str) -> str:
    """A server-rendered, accessible SVG chart: risk areas along the horizontal axis, score
    0–1 upwards, one series per profile (point with its 95% interval as an error bar),
    a legend, <title> and <desc>, a colour-blind-safe palette with a distinct marker shape
    per series; no script. Returns the ``<svg>`` element as text (safe to embed)."""
    raise NotImplementedError
