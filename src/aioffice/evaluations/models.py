"""Capability evaluations: targets, runs and their results (docs/design/evaluations.md).

A *target* is how the Office reaches a registered model version (an OpenAI-compatible
endpoint, a vLLM server, a local Transformers directory or Inspect's mock model). A *run*
names the version, the target, the catalogue tasks (gpai_evals) and the configuration; the
worker executes it with Inspect in a subprocess. Each task of a run gives one `TaskResult`
(the kept Inspect log with its SHA-256, the headline score with standard error and 95%
interval, the dataset hashes and package versions) and its `MetricResult` rows (every
metric Inspect computed). A result is stored once: (run, task) and Inspect's eval id are
unique, so a run retried after a crash cannot store a task twice.

API keys are kept encrypted (`secrets.py`); the database never holds one in plain text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.evaluations.choices import RunStatus, TargetKind
from aioffice.registry.models import ModelVersion


class EvaluationTarget(models.Model):
    """One way to reach a model version, named so runs and the CLI can refer to it."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="evaluation_targets"
    )
    name = models.SlugField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=30, choices=TargetKind.choices)
    base_url = models.URLField(_("base URL"), max_length=500, blank=True)
    model_name = models.CharField(_("model name"), max_length=200, blank=True)
    model_path = models.CharField(_("model directory"), max_length=500, blank=True)
    api_key_encrypted = models.TextField(blank=True, editable=False)  # Fernet token
    api_key_hint = models.CharField(max_length=12, blank=True, editable=False)  # "…abcd"
    model_args = models.JSONField(_("model arguments"), default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    check_ok = models.BooleanField(null=True, editable=False)
    check_message = models.TextField(blank=True, editable=False)
    check_latency_ms = models.PositiveIntegerField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["version_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="evaluations_target_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class EvaluationRun(models.Model):
    """One evaluation of a model version through one target: tasks, configuration, status."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="evaluation_runs"
    )
    target = models.ForeignKey(EvaluationTarget, on_delete=models.PROTECT, related_name="runs")
    suite = models.CharField(_("suite"), max_length=60, blank=True)
    tasks = models.JSONField(_("tasks"), default=list)  # catalogue names, in order
    task_args = models.JSONField(_("task arguments"), default=dict, blank=True)  # {task: {}}
    # configuration (elicitation settings recorded in the report)
    epochs = models.PositiveSmallIntegerField(_("epochs"), default=1)
    temperature = models.FloatField(_("temperature"), null=True, blank=True)
    max_tokens = models.PositiveIntegerField(_("maximum output tokens"), null=True, blank=True)
    token_limit = models.PositiveIntegerField(_("token limit per sample"), null=True, blank=True)
    time_limit = models.PositiveIntegerField(
        _("time limit per sample (seconds)"), null=True, blank=True
    )
    seed = models.IntegerField(_("seed"), null=True, blank=True)
    max_connections = models.PositiveSmallIntegerField(_("concurrency"), default=8)
    sample_limit = models.PositiveIntegerField(_("samples per task"), null=True, blank=True)
    notes = models.TextField(_("purpose and notes"), blank=True)
    # state
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0, editable=False)
    progress_total = models.PositiveIntegerField(default=0, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    cancel_requested = models.BooleanField(default=False, editable=False)
    heartbeat_at = models.DateTimeField(null=True, editable=False)
    worker_pid = models.IntegerField(null=True, editable=False)
    queue_task_id = models.CharField(max_length=64, blank=True, editable=False)
    error = models.TextField(blank=True, editable=False)
    packages = models.JSONField(default=dict, editable=False)  # {"inspect_ai": "0.3.285", …}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, editable=False)
    finished_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="evaluations_run_status")]

    def __str__(self) -> str:
        return f"Evaluation run #{self.pk}"

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


def _log_path(instance: TaskResult, filename: str) -> str:
    return f"evaluations/logs/{instance.run_id}/{filename}"


class TaskResult(models.Model):
    """One task of one run: the kept Inspect log and the headline score with its uncertainty.

    The headline is the mean of the task's first scorer over items (epochs averaged per
    item), with the standard error clustered on the task's cluster key where items share a
    context, and the 95% interval (gpai_evals.stats).
    """

    run = models.ForeignKey(EvaluationRun, on_delete=models.PROTECT, related_name="results")
    task = models.CharField(max_length=100)
    risk_area = models.CharField(max_length=40)
    status = models.CharField(max_length=20)  # Inspect's: success, error, cancelled
    eval_id = models.CharField(max_length=64, unique=True)  # Inspect's id of the task's eval
    log_file = models.FileField(upload_to=_log_path, max_length=300)
    log_sha256 = models.CharField(max_length=64)
    log_size = models.PositiveBigIntegerField()
    inspect_model = models.CharField(max_length=300)  # e.g. "openai-api/target/tiny"
    scorer = models.CharField(max_length=100, blank=True)
    value = models.FloatField(null=True)
    stderr = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    items = models.PositiveIntegerField(default=0)  # items scored (epochs averaged)
    clusters = models.PositiveIntegerField(null=True)  # when the SE is clustered
    samples_total = models.PositiveIntegerField(default=0)
    samples_completed = models.PositiveIntegerField(default=0)
    dataset = models.JSONField(default=dict)  # name, location, samples, sha256 of files
    packages = models.JSONField(default=dict)
    generate_config = models.JSONField(default=dict)
    task_version = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(null=True)
    completed_at = models.DateTimeField(null=True)
    stored_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["run_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "task"], name="evaluations_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.task} in run #{self.run_id}"


class MetricResult(models.Model):
    """A metric Inspect (or our statistics layer) computed for one scorer of one task."""

    result = models.ForeignKey(TaskResult, on_delete=models.CASCADE, related_name="metrics")
    scorer = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    value = models.FloatField()
    stderr = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    samples = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["result_id", "scorer", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "scorer", "name"], name="evaluations_metric_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scorer}/{self.name} = {self.value:.4g}"
