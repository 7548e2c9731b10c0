"""Help for the public: AI literacy practices, European support structures, and questions
from the public to the Office (enquiries)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aioffice.portal.choices import (
    EU_LANGUAGES,
    EnquiryStatus,
    OrganisationSize,
    Sector,
    SupportKind,
)
from aioffice.registry.choices import EU_MEMBER_STATES

USER = settings.AUTH_USER_MODEL
MEMBER_STATE_CHOICES = [(code, code) for code in EU_MEMBER_STATES]


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
