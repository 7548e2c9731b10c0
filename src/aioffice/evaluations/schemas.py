"""The API shapes of capability evaluations.

A target's API key goes in (`TargetIn.api_key`, `ApiKeyIn`) but never comes out: a target
answers with `api_key_set` and the hint (the key's last four characters).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from aioffice.core.schemas import MAX_ID
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget, TaskResult
from aioffice.evaluations.services import LIMITS, MAX_TASKS_PER_RUN

# The choices as literals, so the OpenAPI document lists them (a test keeps them equal to
# choices.TargetKind and choices.RunStatus).
TargetKindName = Literal["openai_compatible", "vllm", "transformers", "mock"]
RunStatusName = Literal["queued", "running", "succeeded", "failed", "cancelled"]
RiskAreaName = Literal[
    "cbrn",
    "cyber_offence",
    "harmful_manipulation",
    "loss_of_control",
    "general_capability",
    "safeguards",
]


def _no_nul(value: Any, where: str = "") -> None:
    """Refuse NUL characters anywhere in a JSON value (a database cannot store them)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"{where or 'a value'} contains a NUL character")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _no_nul(key, where)
            _no_nul(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list | tuple):
        for item in value:
            _no_nul(item, where)


# --- the catalogue ------------------------------------------------------------------------------


class CatalogueTaskOut(Schema):
    """A task of the gpai_evals catalogue: what it measures and whether it runs offline."""

    name: str
    risk_area: str
    measures: str
    data_source: str
    licence: str
    offline: str
    offline_note: str
    ours: bool
    roles: list[str]


class SuiteOut(Schema):
    name: str
    tasks: list[str]


# --- targets ------------------------------------------------------------------------------------


class TargetIn(Schema):
    """A way to reach a model version. Endpoint kinds (openai_compatible, vllm) need
    base_url and model_name; transformers needs model_path (absolute); mock needs neither."""

    version: int = Field(ge=1, le=MAX_ID, description="The model version's id")
    name: str = Field(max_length=60, description="Letters, digits, hyphens, underscores")
    kind: TargetKindName
    base_url: str | None = Field("", max_length=500)
    model_name: str | None = Field("", max_length=200)
    model_path: str | None = Field("", max_length=500)
    api_key: str | None = Field("", max_length=4000, description="Kept encrypted; never returned")
    model_args: dict[str, Any] | None = None

    @field_validator("model_args")
    @classmethod
    def _model_args_without_nul(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        _no_nul(value)
        return value


class ApiKeyIn(Schema):
    """The new API key of an endpoint target; an empty key removes it."""

    api_key: str = Field(max_length=4000)


class TargetOut(Schema):
    id: int
    version_id: int
    model: str
    version: str
    name: str
    kind: str
    base_url: str
    model_name: str
    model_path: str
    api_key_set: bool
    api_key_hint: str
    model_args: dict[str, Any]
    checked_at: datetime | None
    check_ok: bool | None
    check_message: str
    check_latency_ms: int | None
    created_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_model(obj: EvaluationTarget) -> str:
        return obj.version.model.name

    @staticmethod
    def resolve_version(obj: EvaluationTarget) -> str:
        return obj.version.label

    @staticmethod
    def resolve_api_key_set(obj: EvaluationTarget) -> bool:
        return bool(obj.api_key_encrypted)

    @staticmethod
    def resolve_created_by(obj: EvaluationTarget) -> str | None:
        return obj.created_by.get_username() if obj.created_by is not None else None


class TargetCheckOut(Schema):
    """What one request to the target showed."""

    ok: bool
    message: str
    latency_ms: int | None
    checked_at: datetime | None

    @staticmethod
    def resolve_ok(obj: EvaluationTarget) -> bool:
        return bool(obj.check_ok)

    @staticmethod
    def resolve_message(obj: EvaluationTarget) -> str:
        return obj.check_message

    @staticmethod
    def resolve_latency_ms(obj: EvaluationTarget) -> int | None:
        return obj.check_latency_ms


# --- runs ---------------------------------------------------------------------------------------


def _low(name: str) -> int:
    return int(LIMITS[name][0])


def _high(name: str) -> int:
    return int(LIMITS[name][1])


class RunIn(Schema):
    """An evaluation of a model version through one of its targets: tasks by name, a suite,
    or both; the configuration is recorded with the results."""

    version: int = Field(ge=1, le=MAX_ID, description="The model version's id")
    target: int = Field(ge=1, le=MAX_ID, description="The id of one of the version's targets")
    tasks: list[str] | None = Field(None, max_length=MAX_TASKS_PER_RUN)
    suite: str | None = Field(None, max_length=60)
    task_args: dict[str, dict[str, Any]] | None = Field(
        None, description="{task: {argument: value}}"
    )
    # null for epochs, max_connections or notes means the default
    epochs: int | None = Field(1, ge=_low("epochs"), le=_high("epochs"))
    temperature: float | None = Field(
        None, ge=LIMITS["temperature"][0], le=LIMITS["temperature"][1]
    )
    max_tokens: int | None = Field(None, ge=_low("max_tokens"), le=_high("max_tokens"))
    token_limit: int | None = Field(None, ge=_low("token_limit"), le=_high("token_limit"))
    time_limit: int | None = Field(None, ge=_low("time_limit"), le=_high("time_limit"))
    seed: int | None = Field(None, ge=_low("seed"), le=_high("seed"))
    max_connections: int | None = Field(8, ge=_low("max_connections"), le=_high("max_connections"))
    sample_limit: int | None = Field(None, ge=_low("sample_limit"), le=_high("sample_limit"))
    notes: str | None = Field("", max_length=10_000)

    @field_validator("task_args")
    @classmethod
    def _task_args_without_nul(
        cls, value: dict[str, dict[str, Any]] | None
    ) -> dict[str, dict[str, Any]] | None:
        _no_nul(value)
        return value


class ConfigurationOut(Schema):
    """The elicitation settings of a run, as given when it was queued."""

    epochs: int
    temperature: float | None
    max_tokens: int | None
    token_limit: int | None
    time_limit: int | None
    seed: int | None
    max_connections: int
    sample_limit: int | None
    task_args: dict[str, Any]


class RunOut(Schema):
    id: int
    version_id: int
    model: str
    version: str
    provider: str
    target_id: int
    target: str
    target_kind: str
    suite: str
    tasks: list[str]
    status: str
    progress_done: int
    progress_total: int
    progress_percent: int
    attempts: int
    cancel_requested: bool
    error: str
    notes: str
    configuration: ConfigurationOut
    created_by: str | None
    created_at: datetime
    started_at: datetime | None
    heartbeat_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_model(obj: EvaluationRun) -> str:
        return obj.version.model.name

    @staticmethod
    def resolve_version(obj: EvaluationRun) -> str:
        return obj.version.label

    @staticmethod
    def resolve_provider(obj: EvaluationRun) -> str:
        return obj.version.model.provider.organisation.name

    @staticmethod
    def resolve_target(obj: EvaluationRun) -> str:
        return obj.target.name

    @staticmethod
    def resolve_target_kind(obj: EvaluationRun) -> str:
        return obj.target.kind

    @staticmethod
    def resolve_configuration(obj: EvaluationRun) -> dict[str, Any]:
        return {
            "epochs": obj.epochs,
            "temperature": obj.temperature,
            "max_tokens": obj.max_tokens,
            "token_limit": obj.token_limit,
            "time_limit": obj.time_limit,
            "seed": obj.seed,
            "max_connections": obj.max_connections,
            "sample_limit": obj.sample_limit,
            "task_args": obj.task_args,
        }

    @staticmethod
    def resolve_created_by(obj: EvaluationRun) -> str | None:
        return obj.created_by.get_username() if obj.created_by is not None else None


class MetricOut(Schema):
    scorer: str
    name: str
    value: float
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    samples: int


class TaskResultOut(Schema):
    """One task of a run: the headline score with its uncertainty, every metric, and the
    kept Inspect log (its SHA-256, size and where to download it)."""

    task: str
    risk_area: str
    status: str
    eval_id: str
    inspect_model: str
    scorer: str
    value: float | None
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    items: int
    clusters: int | None
    samples_total: int
    samples_completed: int
    dataset: dict[str, Any]
    packages: dict[str, Any]
    generate_config: dict[str, Any]
    task_version: str
    started_at: datetime | None
    completed_at: datetime | None
    stored_at: datetime
    log_sha256: str
    log_size: int
    log_url: str
    metrics: list[MetricOut]

    @staticmethod
    def resolve_log_url(obj: TaskResult) -> str:
        return f"/api/v1/evaluations/runs/{obj.run_id}/results/{obj.task}/log"

    @staticmethod
    def resolve_metrics(obj: TaskResult) -> list[Any]:
        return list(obj.metrics.all())


class RunDetailOut(RunOut):
    packages: dict[str, Any]
    results: list[TaskResultOut]

    @staticmethod
    def resolve_results(obj: EvaluationRun) -> list[Any]:
        return list(obj.results.all())


# --- capability profiles ------------------------------------------------------------------------


class ProfileTaskOut(Schema):
    """The latest successful result of one task for the version."""

    task: str
    risk_area: str
    value: float | None
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    items: int
    run_id: int
    completed_at: datetime | None


class ProfileAreaOut(Schema):
    """One risk area: the mean of its tasks' scores (equal weight per task) with its standard
    error and 95% interval; no estimate when none of its tasks has a result."""

    risk_area: str
    label: str
    estimate: float | None
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    tasks: list[str]
    without_stderr: list[str] = Field(description="Tasks shown alone: no standard error")


class ProfileOut(Schema):
    version_id: int
    model: str
    version: str
    provider: str
    evaluated: bool
    areas: list[ProfileAreaOut]
    tasks: list[ProfileTaskOut]


class VersionProfileOut(Schema):
    profile: ProfileOut
    references: list[ProfileOut]


# --- comparisons --------------------------------------------------------------------------------


class ComparedRunOut(Schema):
    id: int
    version_id: int
    model: str
    version: str
    target: str
    status: str


class PairedOut(Schema):
    """A - B on the items both runs scored: the mean difference, its 95% interval, p."""

    mean_a: float | None
    mean_b: float | None
    difference: float | None
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


class McNemarOut(Schema):
    both: int
    only_a: int
    only_b: int
    neither: int
    p_value: float | None


class ZeroFailureOut(Schema):
    """No failure in n items: the upper bound on the failure rate (rule of three, exact)."""

    n: int
    level: float
    rule_of_three: float | None
    exact: float | None


class TaskComparisonOut(Schema):
    task: str
    risk_area: str
    status_a: str
    status_b: str
    items: int
    items_only_a: int
    items_only_b: int
    paired: PairedOut | None
    mcnemar: McNemarOut | None
    correlation: float | None
    items_needed: int | None
    zero_failure_a: ZeroFailureOut | None
    zero_failure_b: ZeroFailureOut | None
    note: str


class ComparisonOut(Schema):
    run_a: ComparedRunOut
    run_b: ComparedRunOut
    tasks: list[TaskComparisonOut]
    only_a: list[str]
    only_b: list[str]
