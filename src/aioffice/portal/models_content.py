"""What the portal publishes: guidance (documents, versions, files per language) and news.
(AI literacy practices, support structures and enquiries are in `models_help`.)"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aioffice.portal.choices import (
    EU_LANGUAGES,
    GuidanceKind,
    Topic,
)
from aioffice.registry.choices import EU_MEMBER_STATES

USER = settings.AUTH_USER_MODEL
MEMBER_STATE_CHOICES = [(code, code) for code in EU_MEMBER_STATES]


class GuidanceDocument(models.Model):
    """A published document of the Office (guidelines, a template, a code...). Its text
    lives in versions, each with files in one or more languages."""

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=GuidanceKind.choices)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    published = models.BooleanField(_("published"), default=False)
    # The title and summary folded (Unicode case folding, NFKC), kept by `save`: the library's
    # search compares folded text with `contains`, so it ignores case the same way on
    # PostgreSQL and SQLite (whose LIKE and lower() fold ASCII only).
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.title}\n{self.summary}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "summary"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


def fold(text: str) -> str:
    """Text as the guidance search compares it: NFKC-normalised and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


class GuidanceVersion(models.Model):
    """One version of a guidance document, with what changed since the one before; the
    current version is the latest published (`published_on`, then the latest added)."""

    document = models.ForeignKey(
        GuidanceDocument, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.CharField(_("version"), max_length=20)
    published_on = models.DateField(_("published on"))
    change_note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="portal_guidance_version")
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.number}"


class GuidanceFile(models.Model):
    """One language of one version: a real file on disk with its SHA-256."""

    version = models.ForeignKey(GuidanceVersion, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=2, choices=EU_LANGUAGES)
    file = models.FileField(_("file"), upload_to="portal/guidance/%Y/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["version", "language"]
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="portal_guidance_file")
        ]

    def __str__(self) -> str:
        return f"{self.version} [{self.language}]"


class NewsItem(models.Model):
    """A news item in one language; public once `published_at` is set and has come."""

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=EU_LANGUAGES, default="en")
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("text"))
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title
