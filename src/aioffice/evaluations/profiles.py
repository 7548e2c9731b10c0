"""A model version's capability profile: per risk area, what its evaluations show, with
uncertainty; and the chart that draws it against reference versions.

The profile of a version takes, for each catalogue task, the latest task result of that
version whose Inspect status is "success" (optionally only results stored by a given
moment), and aggregates them per risk area with `gpai_evals.stats.risk_area_profile`:
equal weight per task, standard errors added in quadrature. A risk area without results
has no estimate (it is drawn as "no result", never as 0). A task whose result has no
standard error (fewer than two items) is shown on its own but left out of its area's
aggregate, which would otherwise claim a certainty it does not have.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aioffice.evaluations.models import TaskResult
from aioffice.registry.models import ModelVersion
from gpai_evals import stats
from gpai_evals.catalogue import RiskArea

__all__ = [
    "AREA_LABELS",
    "MAX_SERIES",
    "AreaEstimate",
    "Profile",
    "TaskEstimate",
    "profile_as_dict",
    "profile_svg",
    "profiles_for",
    "version_profile",
]

SUCCESS = "success"  # Inspect's status of a task that ran to the end

AREA_LABELS: dict[RiskArea, Promise] = {
    RiskArea.CBRN: _("CBRN"),
    RiskArea.CYBER_OFFENCE: _("Cyber offence"),
    RiskArea.HARMFUL_MANIPULATION: _("Harmful manipulation"),
    RiskArea.LOSS_OF_CONTROL: _("Loss of control"),
    RiskArea.GENERAL_CAPABILITY: _("General capability"),
    RiskArea.SAFEGUARDS: _("Safeguards"),
}

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision
# deficiencies. Yellow is left out (too pale on white). Each series also has its own marker.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "cross", "plus")
MAX_SERIES = len(PALETTE)


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

    @property
    def risk_area_label(self) -> str:
        try:
            return str(AREA_LABELS[RiskArea(self.risk_area)])
        except ValueError:
            return self.risk_area


@dataclass(frozen=True)
class AreaEstimate:
    """One risk area of a profile: the aggregate (None when no task of it has a result)."""

    risk_area: RiskArea
    estimate: stats.Estimate | None
    tasks: tuple[str, ...]  # the tasks aggregated
    without_stderr: tuple[str, ...]  # tasks with a value but no standard error (left out)

    @property
    def label(self) -> str:
        return str(AREA_LABELS[self.risk_area])


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

    @property
    def evaluated(self) -> bool:
        """Whether any task has a result."""
        return bool(self.tasks)

    def area(self, risk_area: RiskArea | str) -> AreaEstimate:
        """The entry of ``risk_area`` (ValueError for a name that is not a risk area)."""
        wanted = RiskArea(risk_area)
        return next(entry for entry in self.areas if entry.risk_area is wanted)


# --- reading -----------------------------------------------------------------------------


def _latest_results(version_ids: Iterable[int], as_of: datetime | None) -> list[dict[str, Any]]:
    """One query: per (version, task), the latest successful result with a value."""
    condition = Q(run__version_id__in=list(version_ids), status=SUCCESS, value__isnull=False)
    if as_of is not None:
        condition &= Q(stored_at__lte=as_of)
    rows = (
        TaskResult.objects.filter(condition)
        .annotate(
            version_id=F("run__version_id"),
            rank=Window(
                RowNumber(),
                partition_by=[F("run__version_id"), F("task")],
                order_by=[
                    F("completed_at").desc(nulls_last=True),
                    F("stored_at").desc(),
                    F("id").desc(),
                ],
            ),
        )
        .filter(rank=1)
        .order_by("version_id", "task")
        .values(
            "id",
            "version_id",
            "run_id",
            "task",
            "risk_area",
            "value",
            "stderr",
            "ci_low",
            "ci_high",
            "items",
            "completed_at",
        )
    )
    return list(rows)


def _profile(version: ModelVersion, rows: list[dict[str, Any]], as_of: datetime | None) -> Profile:
    tasks = tuple(
        TaskEstimate(
            task=row["task"],
            risk_area=row["risk_area"],
            value=row["value"],
            stderr=row["stderr"],
            ci_low=row["ci_low"],
            ci_high=row["ci_high"],
            items=row["items"],
            run_id=row["run_id"],
            result_id=row["id"],
            completed_at=row["completed_at"],
        )
        for row in rows
    )
    inputs: list[stats.TaskResult] = []
    without: dict[str, list[str]] = {}
    for item in tasks:
        if item.risk_area not in RiskArea.__members__.values():
            continue  # a risk area the catalogue no longer has: shown per task only
        if item.stderr is None or not math.isfinite(item.stderr) or not math.isfinite(item.value):
            without.setdefault(item.risk_area, []).append(item.task)
            continue
        inputs.append(
            stats.TaskResult(item.task, item.risk_area, item.value, item.stderr, item.items)
        )
    aggregates = stats.risk_area_profile(inputs)
    areas = tuple(
        AreaEstimate(
            risk_area=area,
            estimate=aggregates[area].estimate if area in aggregates else None,
            tasks=aggregates[area].tasks if area in aggregates else (),
            without_stderr=tuple(without.get(area, ())),
        )
        for area in RiskArea
    )
    model = version.model
    return Profile(
        version_id=version.pk,
        model_name=model.name,
        version_label=version.label,
        provider=model.provider.organisation.name,
        as_of=as_of,
        areas=areas,
        tasks=tasks,
    )


def version_profile(version: ModelVersion, *, as_of: datetime | None = None) -> Profile:
    """The capability profile of ``version`` from its latest successful result per task
    (stored at or before ``as_of`` when given). One query for the results (the version's
    model and provider are read from ``version`` as given: select them with it)."""
    return _profile(version, _latest_results([version.pk], as_of), as_of)


def profiles_for(
    versions: Sequence[ModelVersion | int], *, as_of: datetime | None = None
) -> list[Profile]:
    """Profiles of several versions (e.g. reference models), in the order given, in a
    constant number of queries (two: the versions with their models and providers, and the
    results), whatever the number of versions. Unknown ids are skipped."""
    ids = [item if isinstance(item, int) else item.pk for item in versions]
    if not ids:
        return []
    found = ModelVersion.objects.select_related("model__provider__organisation").in_bulk(ids)
    by_version: dict[int, list[dict[str, Any]]] = {}
    for row in _latest_results(found, as_of):
        by_version.setdefault(row["version_id"], []).append(row)
    return [
        _profile(found[pk], by_version.get(pk, []), as_of)
        for pk in dict.fromkeys(ids)
        if pk in found
    ]


def profile_as_dict(profile: Profile) -> dict[str, Any]:
    """The profile as JSON-ready data (for the API and the command line)."""

    def estimate(value: stats.Estimate | None) -> dict[str, Any] | None:
        if value is None:
            return None
        return {
            "mean": value.mean,
            "stderr": value.stderr,
            "ci_low": value.ci_low,
            "ci_high": value.ci_high,
            "n": value.n,
            "level": value.level,
        }

    return {
        "version_id": profile.version_id,
        "model": profile.model_name,
        "version": profile.version_label,
        "provider": profile.provider,
        "as_of": profile.as_of.isoformat() if profile.as_of else None,
        "areas": [
            {
                "risk_area": area.risk_area.value,
                "estimate": estimate(area.estimate),
                "tasks": list(area.tasks),
                "without_stderr": list(area.without_stderr),
            }
            for area in profile.areas
        ],
        "tasks": [
            {
                "task": item.task,
                "risk_area": item.risk_area,
                "value": item.value,
                "stderr": item.stderr,
                "ci_low": item.ci_low,
                "ci_high": item.ci_high,
                "items": item.items,
                "run_id": item.run_id,
                "result_id": item.result_id,
                "completed_at": item.completed_at.isoformat() if item.completed_at else None,
            }
            for item in profile.tasks
        ],
    }


# --- the chart ---------------------------------------------------------------------------

_WIDTH = 760
_PLOT_LEFT = 64
_PLOT_RIGHT = 16
_PLOT_TOP = 16
_PLOT_HEIGHT = 260
_AREA_LABEL_SPACE = 48
_LEGEND_ROW = 22
_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _num(value: float) -> str:
    """A coordinate, short and locale-free."""
    return f"{value:.1f}"


def _marker(shape: str, x: float, y: float, colour: str, size: float = 5.0) -> str:
    s = size
    fill = f'fill="{colour}" stroke="{colour}"'
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(s)}" {fill}/>'
    if shape == "square":
        return (
            f'<rect x="{_num(x - s)}" y="{_num(y - s)}" width="{_num(2 * s)}" '
            f'height="{_num(2 * s)}" {fill}/>'
        )
    points: list[tuple[float, float]]
    if shape == "triangle":
        points = [(x, y - s * 1.2), (x + s * 1.1, y + s * 0.8), (x - s * 1.1, y + s * 0.8)]
    elif shape == "triangle-down":
        points = [(x, y + s * 1.2), (x + s * 1.1, y - s * 0.8), (x - s * 1.1, y - s * 0.8)]
    elif shape == "diamond":
        points = [(x, y - s * 1.3), (x + s * 1.1, y), (x, y + s * 1.3), (x - s * 1.1, y)]
    else:  # cross and plus: two strokes
        d = s if shape == "plus" else s * 0.8
        if shape == "plus":
            lines = ((x - d, y, x + d, y), (x, y - d, x, y + d))
        else:
            lines = ((x - d, y - d, x + d, y + d), (x - d, y + d, x + d, y - d))
        return "".join(
            f'<line x1="{_num(a)}" y1="{_num(b)}" x2="{_num(c)}" y2="{_num(e)}" '
            f'stroke="{colour}" stroke-width="2.5"/>'
            for a, b, c, e in lines
        )
    coords = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
    return f'<polygon points="{coords}" {fill}/>'


def _describe(estimate: stats.Estimate | None) -> str:
    if estimate is None:
        return gettext("no result")
    return gettext("%(mean)s (95%% interval %(low)s to %(high)s)") % {
        "mean": _fmt(estimate.mean),
        "low": _fmt(estimate.ci_low),
        "high": _fmt(estimate.ci_high),
    }


def _area_label(label: str, x: float, y: float) -> str:
    """An area's name under the axis, on two lines when it has two words or more."""
    words = label.split()
    if len(words) < 2:
        lines = [label]
    else:
        half = (len(words) + 1) // 2
        lines = [" ".join(words[:half]), " ".join(words[half:])]
    spans = "".join(
        f'<tspan x="{_num(x)}" dy="{0 if i == 0 else 14}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="middle" font-size="12">{spans}</text>'


def profile_svg(profiles: Sequence[Profile], *, title: str, id_prefix: str = "") -> str:
    """A server-rendered, accessible SVG chart: risk areas along the horizontal axis, score
    0-1 upwards, one series per profile (point with its 95% interval as an error bar),
    a legend, <title> and <desc>, a colour-blind-safe palette with a distinct marker shape
    per series; no script. Returns the ``<svg>`` element as text (safe to embed: every
    name is escaped). At most MAX_SERIES profiles (ValueError beyond). Intervals are drawn
    clipped to 0-1 (the description gives them unclipped)."""
    if not profiles:
        raise ValueError("a chart needs at least one profile")
    if len(profiles) > MAX_SERIES:
        raise ValueError(f"a chart shows at most {MAX_SERIES} series, not {len(profiles)}")
    areas = list(RiskArea)
    if not id_prefix:
        seed = "|".join([title, *(str(p.version_id) for p in profiles)])
        id_prefix = "profile-" + hashlib.sha256(seed.encode()).hexdigest()[:10]
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    plot_width = _WIDTH - _PLOT_LEFT - _PLOT_RIGHT
    group = plot_width / len(areas)
    legend_top = _PLOT_TOP + _PLOT_HEIGHT + _AREA_LABEL_SPACE + 12
    legend_columns = 2
    legend_rows = math.ceil(len(profiles) / legend_columns)
    height = legend_top + legend_rows * _LEGEND_ROW + 24

    def y_of(value: float) -> float:
        clipped = min(1.0, max(0.0, value))
        return _PLOT_TOP + (1 - clipped) * _PLOT_HEIGHT

    # description: everything the chart shows, in words, for screen readers
    description = [
        gettext("Score from 0 to 1 per risk area, with 95%% confidence intervals, for: %(series)s.")
        % {"series": "; ".join(p.label for p in profiles)}
    ]
    for profile in profiles:
        parts = [f"{a.label}: {_describe(a.estimate)}" for a in profile.areas]
        description.append(f"{profile.label} — " + "; ".join(parts) + ".")
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="aio-profile-chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="Arial, Helvetica, sans-serif" '
        f'data-series="{len(profiles)}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(" ".join(description))}</desc>',
        '<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>',
    ]
    # grid and the score axis
    out.append('<g class="axis" aria-hidden="true">')
    for tick in _TICKS:
        y = y_of(tick)
        out.append(
            f'<line x1="{_PLOT_LEFT}" y1="{_num(y)}" x2="{_WIDTH - _PLOT_RIGHT}" y2="{_num(y)}" '
            f'stroke="{"#404040" if tick == 0 else "#d0d0d0"}" stroke-width="1"/>'
            f'<text x="{_PLOT_LEFT - 6}" y="{_num(y + 4)}" text-anchor="end" '
            f'font-size="11">{tick:.2f}</text>'
        )
    middle = _PLOT_TOP + _PLOT_HEIGHT / 2
    out.append(
        f'<text x="14" y="{_num(middle)}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 14 {_num(middle)})">{escape(gettext("Score (0 to 1)"))}</text>'
    )
    for index, area in enumerate(areas):
        centre = _PLOT_LEFT + group * (index + 0.5)
        if index:
            x = _num(_PLOT_LEFT + group * index)
            out.append(
                f'<line x1="{x}" y1="{_PLOT_TOP}" x2="{x}" y2="{_PLOT_TOP + _PLOT_HEIGHT}" '
                'stroke="#eeeeee" stroke-width="1"/>'
            )
        out.append(_area_label(str(AREA_LABELS[area]), centre, _PLOT_TOP + _PLOT_HEIGHT + 18))
    out.append("</g>")
    # the series
    count = len(profiles)
    for series, profile in enumerate(profiles):
        colour, shape = PALETTE[series], MARKERS[series]
        out.append(
            f'<g class="series" data-version="{profile.version_id}" '
            f'aria-label="{escape(profile.label)}">'
        )
        for index, entry in enumerate(profile.areas):
            estimate = entry.estimate
            if estimate is None:
                continue
            px = _PLOT_LEFT + group * index + group * (series + 1) / (count + 1)
            low, high, mid = y_of(estimate.ci_low), y_of(estimate.ci_high), y_of(estimate.mean)
            point_label = f"{profile.label} — {entry.label}: {_describe(estimate)}"
            out.append(
                f'<g class="point" data-area="{entry.risk_area.value}" '
                f'data-mean="{estimate.mean:.4f}"><title>{escape(point_label)}</title>'
                f'<line x1="{_num(px)}" y1="{_num(low)}" x2="{_num(px)}" y2="{_num(high)}" '
                f'stroke="{colour}" stroke-width="2"/>'
                f'<line x1="{_num(px - 5)}" y1="{_num(low)}" x2="{_num(px + 5)}" y2="{_num(low)}" '
                f'stroke="{colour}" stroke-width="2"/>'
                f'<line x1="{_num(px - 5)}" y1="{_num(high)}" x2="{_num(px + 5)}" '
                f'y2="{_num(high)}" stroke="{colour}" stroke-width="2"/>'
                f"{_marker(shape, px, mid, colour)}</g>"
            )
        out.append("</g>")
    # legend
    out.append(f'<g class="legend" transform="translate({_PLOT_LEFT} {legend_top})">')
    column_width = plot_width / legend_columns
    for series, profile in enumerate(profiles):
        lx = (series % legend_columns) * column_width
        ly = (series // legend_columns) * _LEGEND_ROW
        out.append(
            f'<g class="legend-item">{_marker(MARKERS[series], lx + 8, ly + 8, PALETTE[series])}'
            f'<text x="{_num(lx + 22)}" y="{_num(ly + 12)}" font-size="12">'
            f"{escape(profile.label)}</text></g>"
        )
    out.append(
        f'<text x="0" y="{_num(legend_rows * _LEGEND_ROW + 10)}" font-size="11" fill="#404040">'
        f"{escape(gettext('Bars: 95% confidence intervals. No point: no result in that area.'))}"
        "</text>"
    )
    out.append("</g></svg>")
    return "".join(out)
