"""Help for the public: AI literacy practices, European support structures, and questions
from the public to the Office (enquiries)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aioffice.portal.choices import (
    EU_LANGUAGES,
    EnquiryStatus,
    OrganisationSize,
    Sector,
    SupportKind,
)
from aioffice.portal.models_content import fold
from aioffice.registry.choices import MEMBER_STATE_CHOICES

USER = settings.AUTH_USER_MODEL


class LiteracyPractice(models.Model):
    """An AI literacy practice (Art. 4) that an organisation shares with others: what it
    does so that its staff and others operating AI systems for it understand them.

    Published by the Office's staff; one proposed through the public form waits
    unpublished until they have reviewed it."""

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
    proposed_by_public = models.BooleanField(_("proposed through the public form"), default=False)
    # The title, organisation and description folded (as the guidance search does), kept by
    # `save`: the search matches folded text, ignoring case alike on PostgreSQL and SQLite.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["published", "title"], name="portal_literacy_pub_title")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.title}\n{self.organisation}\n{self.description}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "organisation", "description"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class SupportStructure(models.Model):
    """A European support structure: sandbox, testing facility, innovation hub, AI factory.

    Sandboxes may be listed while planned (Art. 57(15): the AI Office publishes a list of
    planned and existing sandboxes); `active` False hides a structure from the public."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    member_state = models.CharField(_("Member State"), max_length=2, choices=MEMBER_STATE_CHOICES)
    city = models.CharField(_("city"), max_length=120, blank=True)
    operator = models.CharField(_("run by"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    operational = models.BooleanField(
        _("operational"), default=True, help_text=_("Untick for one that is only planned.")
    )
    active = models.BooleanField(
        _("shown to the public"), default=True, help_text=_("Untick to hide it from the public.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["member_state", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Enquiry(models.Model):
    """A question to the Office from anyone, with a tracking number and a status page
    reached through a secret link (only its SHA-256 is stored).

    Personal data (name, address, the question): the row is deleted once `retain_until`
    has passed (`services_help.enquiries_purge`)."""

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
    close_reason = models.TextField(_("reason for closing without answer"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(db_index=True)
    retain_until = models.DateField(_("kept until"), db_index=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name_plural = _("enquiries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=EnquiryStatus.ANSWERED) | ~Q(answer=""),
                name="portal_enquiry_answered_has_answer",
                violation_error_message=_("An answered question has an answer."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EnquiryStatus.CLOSED) | ~Q(close_reason=""),
                name="portal_enquiry_closed_has_reason",
                violation_error_message=_("A question closed without answer has a reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number
