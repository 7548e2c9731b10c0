"""What the portal publishes: guidance (documents, versions, files per language), news,
AI literacy practices, support structures; and questions from the public (enquiries)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aioffice.portal.choices import (
    EU_LANGUAGES,
    EnquiryStatus,
    GuidanceKind,
    OrganisationSize,
    Sector,
    SupportKind,
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class GuidanceVersion(models.Model):
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


class LiteracyPractice(models.Model):
    """An AI literacy practice (Art. 4) that an organisation shares with others."""

    title = models.CharField(_("title"), max_length=300)
    organisation = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    organisation_size = models.CharField(
        _("organisation size"), max_length=20, choices=OrganisationSize.choices
    )
    member_state = models.CharField(
        _("Member State"), max_length=2, choices=MEMBER_STATE_CHOICES, blank=True
    )
    language = models.CharField(_("language"), max_length=2, choices=EU_LANGUAGES, default="en")
    description = models.TextField(_("what they do"))
    audience = models.CharField(_("for whom"), max_length=300, blank=True)
    url = models.URLField(_("web page"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SupportStructure(models.Model):
    """A European support structure: sandbox, testing facility, innovation hub, AI factory."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    member_state = models.CharField(_("Member State"), max_length=2, choices=MEMBER_STATE_CHOICES)
    city = models.CharField(_("city"), max_length=120, blank=True)
    operator = models.CharField(_("run by"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["member_state", "name"]

    def __str__(self) -> str:
        return self.name


class Enquiry(models.Model):
    """A question to the Office from anyone, with a tracking number and a status page
    reached through a secret link (only its SHA-256 is stored)."""

    tracking_number = models.CharField(_("tracking number"), max_length=24, unique=True)
    key_sha256 = models.CharField(max_length=64)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=2, choices=EU_LANGUAGES, default="en")
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("question"))
    status = models.CharField(
        _("status"), max_length=20, choices=EnquiryStatus.choices, default=EnquiryStatus.RECEIVED
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT)
    answered_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(db_index=True)
    retain_until = models.DateField(_("kept until"))

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = _("enquiries")

    def __str__(self) -> str:
        return self.tracking_number
