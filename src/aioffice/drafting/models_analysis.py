"""What the AI tools made of a consultation: an analysis run (the embedding model, the
thresholds, when), its near-duplicate campaigns and themes with their members, counts and
representative quotes, and summaries by an LLM endpoint with model, prompt and time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.drafting.models_consultations import Consultation, Feedback
from aioffice.drafting.models_drafts import Section

USER = settings.AUTH_USER_MODEL


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AnalysisRun(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="analysis_runs"
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    model = models.CharField(_("embedding model"), max_length=120, blank=True)
    params = models.JSONField(default=dict, blank=True)
    feedback_count = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent, while running
    step = models.CharField(max_length=40, blank=True)  # what the worker is doing
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"analysis {self.pk} of {self.consultation_id}"


class GroupKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Near-duplicate campaign")
    THEME = "theme", _("Theme")


class Group(models.Model):
    """A campaign (near-identical feedback sent by many) or a theme (feedback on the same
    point), with its size, its dominant section and representative quotes."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(max_length=10, choices=GroupKind.choices)
    position = models.PositiveIntegerField()
    label = models.CharField(_("label"), max_length=300)
    keywords = models.JSONField(default=list, blank=True)
    size = models.PositiveIntegerField()
    respondents = models.PositiveIntegerField(default=0)  # distinct responses among members
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    positions = models.JSONField(default=dict, blank=True)  # support/oppose/comment counts
    representatives = models.JSONField(default=list, blank=True)  # feedback ids, best first

    class Meta:
        ordering = ["run", "kind", "position"]

    def __str__(self) -> str:
        return self.label


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "feedback"], name="drafting_group_member")
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id} in {self.group_id}"


class Summary(models.Model):
    """A summary written by the LLM endpoint the Office configured, with what it was asked
    and when; never required, always labelled as machine-written."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="summaries"
    )
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, related_name="summaries", null=True, blank=True
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    endpoint = models.CharField(max_length=300)
    model = models.CharField(max_length=200)
    prompt = models.TextField()
    text = models.TextField()
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"summary by {self.model} at {self.received_at}"
