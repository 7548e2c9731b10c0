"""Consultations: a published draft opened to working groups or to the public from
`opens_at` to `closes_at` (enforced: nothing is accepted after it); responses with the
kind of identity check made and the confidentiality each respondent chose; feedback per
section (support, oppose, comment, proposed wording)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.drafting.choices import StakeholderCategory
from aioffice.drafting.models_drafts import Draft, Section
from aioffice.drafting.models_projects import Member, WorkingGroup

USER = settings.AUTH_USER_MODEL


class Audience(models.TextChoices):
    WORKING_GROUPS = "working_groups", _("Members of the chosen working groups")
    PUBLIC = "public", _("The public")


class Consultation(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(_("open to"), max_length=20, choices=Audience.choices)
    working_groups = models.ManyToManyField(
        WorkingGroup, related_name="consultations", blank=True, verbose_name=_("working groups")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    closed_early_at = models.DateTimeField(_("closed early at"), null=True, blank=True)
    responses_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="drafting_consultation_period",
            )
        ]

    def __str__(self) -> str:
        return self.title


class IdentityCheck(models.TextChoices):
    """How the respondent's identity was checked when they answered."""

    ACCOUNT_SECOND_FACTOR = "account_2fa", _("Signed in with a second factor")
    ACCOUNT = "account", _("Signed in with a registered account")
    EMAIL_CONFIRMED = "email_confirmed", _("E-mail address confirmed")
    EMAIL_UNCONFIRMED = "email_unconfirmed", _("E-mail address given, not confirmed")
    OFFICE_IMPORT = "office_import", _("Entered by the Office from a letter or e-mail")


class Confidentiality(models.TextChoices):
    """What the respondent chose for publication."""

    PUBLIC = "public", _("Publish with my name or organisation")
    ANONYMOUS = "anonymous", _("Publish without my name or organisation")
    CONFIDENTIAL = "confidential", _("Do not publish (the Office and the chairs read it)")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    IMPORT = "import", _("Imported by the Office")


class Response(models.Model):
    """One respondent's answer to a consultation: one or more `Feedback` items."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="responses", null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    category = models.CharField(_("category"), max_length=30, choices=StakeholderCategory.choices)
    identity_check = models.CharField(
        _("identity check"), max_length=20, choices=IdentityCheck.choices
    )
    confirm_token_hash = models.CharField(max_length=64, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    confidentiality = models.CharField(
        _("publication"), max_length=20, choices=Confidentiality.choices
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["consultation", "submitted_at", "id"]
        indexes = [models.Index(fields=["consultation", "confidentiality", "id"])]

    def __str__(self) -> str:
        return self.reference


class Position(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    COMMENT = "comment", _("Comment")


class Feedback(models.Model):
    """One piece of feedback on one section (or on the draft as a whole where `section` is
    empty: the AI tools then suggest the section it is about)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="feedback", null=True, blank=True
    )
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    comment = models.TextField(_("comment"), blank=True)
    proposed_wording = models.TextField(_("proposed wording"), blank=True)
    suggested_section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    suggested_score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["response", "id"]
        indexes = [models.Index(fields=["section", "position"])]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.pk} {self.position}"
