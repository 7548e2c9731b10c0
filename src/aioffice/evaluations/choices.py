from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    """How the Office reaches the model it evaluates."""

    OPENAI_COMPATIBLE = "openai_compatible", _("OpenAI-compatible endpoint")
    VLLM = "vllm", _("vLLM server")
    TRANSFORMERS = "transformers", _("Local Transformers directory")
    MOCK = "mock", _("Inspect mock model (offline)")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED_STATUSES = frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED})
