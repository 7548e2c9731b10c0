"""Cooperation, part international (Art. 64, Art. 66(i) and (m); docs/design/cooperation.md):
the Office's partner institutions worldwide, the agreements and dialogues it takes part in
with them (with their dated status history, the support given to Member States in them,
their documents and their meetings or rounds).

What the public sees is what staff publish: a partner or an agreement with `published`,
an agreement's documents and rounds marked public. A partner's contact point is for staff
only, on every page and API route."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.registry.choices import MEMBER_STATE_CHOICES

USER = settings.AUTH_USER_MODEL


class PartnerKind(models.TextChoices):
    SAFETY_INSTITUTE = "safety_institute", _("AI safety or security institute")
    REGULATOR = "regulator", _("Regulator")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    STANDARDS_BODY = "standards_body", _("Standards body")
    RESEARCH = "research", _("Research institution")
    OTHER = "other", _("Other")


class PartnerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    ENDED = "ended", _("Ended")


class AgreementKind(models.TextChoices):
    ADMINISTRATIVE_ARRANGEMENT = "administrative_arrangement", _("Administrative arrangement")
    MOU = "memorandum", _("Memorandum of understanding")
    INTERNATIONAL_AGREEMENT = "international_agreement", _("International agreement")
    DIALOGUE = "dialogue", _("Dialogue")
    NETWORK = "network_membership", _("Network membership")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")


class AgreementStatus(models.TextChoices):
    EXPLORATORY = "exploratory", _("Exploratory")
    NEGOTIATION = "under_negotiation", _("Under negotiation")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


# ISO 3166-1 alpha-2: any country, in or outside the Union; "ZZ" for an international
# organisation with no seat country worth naming is not used: give the seat's.
COUNTRY_CODE = r"^[A-Z]{2}$"


class Partner(models.Model):
    """An institution outside the Office it cooperates with: another AI safety or security
    institute, a regulator, an international organisation, a standards body, a research
    institution (Art. 64, 66(i))."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code of the seat, e.g. JP.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PartnerStatus.choices, default=PartnerStatus.ACTIVE
    )
    contact_point = models.TextField(
        _("contact point"),
        blank=True,
        help_text=_("Who the Office deals with there. Seen by the Office's staff only."),
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partner institution")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__regex=COUNTRY_CODE),
                name="cooperation_partner_country_iso2",
                violation_error_message=_("The country must be a two-letter ISO code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class Agreement(models.Model):
    """An agreement or a dialogue with partners: an administrative arrangement, a
    memorandum of understanding, an international agreement, a dialogue, a network the
    Office belongs to, a joint statement. Its status changes only through
    `services_international.agreement_status_change`, which keeps the dated history."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    partners = models.ManyToManyField(
        Partner, related_name="agreements", verbose_name=_("partners"), blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.EXPLORATORY,
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    member_state_support = models.TextField(
        _("support given to Member States"),
        blank=True,
        help_text=_("How the Office supports the Member States involved in it."),
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement or dialogue")
        verbose_name_plural = _("agreements and dialogues")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True)
                | Q(in_force_from__isnull=True)
                | Q(in_force_from__gte=F("signed_on")),
                name="cooperation_agreement_in_force_after_signature",
                violation_error_message=_("It cannot be in force before it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(in_force_from__isnull=True)
                | Q(ends_on__gte=F("in_force_from")),
                name="cooperation_agreement_ends_after_start",
                violation_error_message=_("It cannot end before it is in force."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgreementMemberState(models.Model):
    """A Member State involved in an agreement or a dialogue, which the Office supports in
    it; its authorities' staff see the agreement even before it is published."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="member_states")
    member_state = models.CharField(_("Member State"), max_length=2, choices=MEMBER_STATE_CHOICES)

    class Meta:
        ordering = ["member_state"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "member_state"], name="cooperation_agreement_member_state"
            )
        ]

    def __str__(self) -> str:
        return self.member_state


class AgreementStatusChange(models.Model):
    """One step of an agreement's status history: from what, to what, on which date, why."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("from"), max_length=20, choices=AgreementStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=AgreementStatus.choices)
    on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.from_status or '-'} → {self.to_status} ({self.on})"


class AgreementDocument(models.Model):
    """A document of an agreement (its text, a joint statement, minutes), stored with its
    SHA-256; public ones are downloadable by everyone once the agreement is published."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="cooperation/international/%Y/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class DialogueRound(models.Model):
    """A meeting or round of a dialogue or of an agreement's work: when, where, what was
    discussed; public or not."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="rounds")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agreement_id} ({self.held_on})"
