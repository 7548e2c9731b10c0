"""Drafts: versioned, structured documents. A draft's sections carry a `key` that stays the
same from one version to the next, so versions are compared section by section; each
section carries the drafters' explanation of what changed and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.drafting.choices import Visibility
from aioffice.drafting.models_projects import Project

USER = settings.AUTH_USER_MODEL


class DraftStatus(models.TextChoices):
    WORKING = "working", _("Being written")
    PUBLISHED = "published", _("Published")
    FINAL = "final", _("Final (adopted)")


class Draft(models.Model):
    """Version `number` of a project's text. Editable while `working`; frozen once
    published; `final` is the adopted text."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=DraftStatus.choices, default=DraftStatus.WORKING
    )
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=Visibility.choices, default=Visibility.OFFICE
    )
    explanation = models.TextField(_("what changed and why"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="drafting_draft_number")
        ]

    def __str__(self) -> str:
        return f"{self.project} v{self.number}"


class SectionKind(models.TextChoices):
    CHAPTER = "chapter", _("Chapter")
    SECTION = "section", _("Section")
    OBJECTIVE = "objective", _("Objective")
    COMMITMENT = "commitment", _("Commitment")
    MEASURE = "measure", _("Measure")
    KPI = "kpi", _("Key performance indicator")


class Section(models.Model):
    """One section of one draft, in document order (`position`), under `parent`. A
    chapter of the GPAI Code names the registry's chapter it is signed as
    (`registry_chapter`: transparency, copyright, safety_and_security)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("key"), max_length=80)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="children", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind.choices)
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    explanation = models.TextField(_("what changed and why"), blank=True)
    position = models.PositiveIntegerField(_("position"))
    registry_chapter = models.CharField(_("registry chapter"), max_length=30, blank=True)

    class Meta:
        ordering = ["draft", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "key"], name="drafting_section_key")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()
