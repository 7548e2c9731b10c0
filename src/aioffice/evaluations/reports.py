"""The evaluation report of a run: everything an Art. 92 evaluation file needs, as one
self-contained printable HTML document and the same document as PDF (WeasyPrint).

The report is built from what is stored (the run, its target, its task and metric results)
and from the kept Inspect logs (the plan the model was evaluated with: solvers, system
prompts, generation settings; the samples, for the links to their transcripts). It never
carries a target's API key. Its content has a SHA-256 (`Report.content_sha256`, over a
canonical JSON form of the report) printed in the footer; the pages also send the SHA-256
of the bytes served in ``X-Content-SHA256``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aioffice.evaluations.models import EvaluationRun

__all__ = [
    "DatasetInfo",
    "LogInfo",
    "MetricLine",
    "Report",
    "SampleLink",
    "TaskSection",
    "build_report",
    "render_report_html",
    "render_report_pdf",
    "report_as_dict",
    "transcript_url",
]


@dataclass(frozen=True)
class MetricLine:
    scorer: str
    name: str
    value: float
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    samples: int


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    location: str
    samples: int | None
    sha256: dict[str, str]  # file -> SHA-256 (or {"": sha} for a single file)
    source: str


@dataclass(frozen=True)
class LogInfo:
    file_name: str
    sha256: str
    size: int
    present: bool  # the file is still where it was kept
    verified: bool | None  # its bytes still have the recorded SHA-256 (None: not present)


@dataclass(frozen=True)
class SampleLink:
    sample_id: str
    epoch: int
    score: str
    url: str | None


@dataclass(frozen=True)
class TaskSection:
    task: str
    risk_area: str
    measures: str
    status: str
    scorer: str
    value: float | None
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    items: int
    clusters: int | None
    samples_total: int
    samples_completed: int
    task_version: str
    inspect_model: str
    metrics: tuple[MetricLine, ...]
    dataset: DatasetInfo
    log: LogInfo
    plan: tuple[dict[str, Any], ...]  # solver steps with their parameters, from the log
    generate_config: dict[str, Any]
    eval_config: dict[str, Any]  # Inspect's eval config (limits, epochs, ...), from the log
    packages: dict[str, str]
    samples: tuple[SampleLink, ...]
    samples_not_listed: int  # beyond the report's limit on listed samples


@dataclass(frozen=True)
class Report:
    run_id: int
    run_status: str
    suite: str
    notes: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str
    # model version
    version_id: int
    model_name: str
    version_label: str
    provider: str
    # target (never the API key)
    target_name: str
    target_kind: str
    target_kind_label: str
    target_base_url: str
    target_model_name: str
    target_model_path: str
    # configuration and elicitation settings
    configuration: dict[str, Any]
    packages: dict[str, str]
    tasks: tuple[TaskSection, ...]
    tasks_without_result: tuple[str, ...]
    limitations: tuple[str, ...]
    catalogue_version: str
    rules_version: str
    generated_at: datetime
    content_sha256: str = field(default="")


def transcript_url(run_id: int, task: str, sample_id: str | int, epoch: int) -> str | None:
    """The page showing one sample's transcript (`evaluations:sample_transcript`), or None
    while no such page exists. The one place that knows the URL's name and arguments."""
    raise NotImplementedError


def build_report(run: EvaluationRun) -> Report:
    """The report of ``run`` from the stored results and the kept logs."""
    raise NotImplementedError


def report_as_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (what the API returns and the content hash covers)."""
    raise NotImplementedError


def render_report_html(report: Report) -> str:
    """One self-contained, printable HTML document (inline styles, no script, no external
    resource), with the content SHA-256 in its footer."""
    raise NotImplementedError


def render_report_pdf(report: Report) -> bytes:
    """The same document as PDF, rendered by WeasyPrint from ``render_report_html``."""
    raise NotImplementedError
