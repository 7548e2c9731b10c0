"""The authorities directory (Art. 70, GOV-01): each Member State's notifying authorities
and market surveillance authorities, with their sector, the single point of contact and the
published contact details. An authority is linked to the aioffice organisation its staff
sign in with, which is how a person acts for an authority (sharing, requests, the secure
section of the EU database for the authorities of Art. 74(8))."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.models import Organisation
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.registry.choices import MEMBER_STATE_CHOICES


class Authority(models.Model):
    """A national competent authority as the Member State designated it."""

    member_state = models.CharField(_("Member State"), max_length=2, choices=MEMBER_STATE_CHOICES)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("designated as"), max_length=30, choices=AuthorityKind.choices)
    sector = models.CharField(
        _("sector"),
        max_length=30,
        choices=AuthoritySector.choices,
        default=AuthoritySector.GENERAL,
        help_text=_("For market surveillance authorities: the remit (Art. 74)."),
    )
    single_point_of_contact = models.BooleanField(
        _("single point of contact"),
        default=False,
        help_text=_("The market surveillance authority the Member State named (Art. 70(2))."),
    )
    tasks = models.TextField(_("tasks"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    contact_published_on = models.DateField(
        _("contact details published on"), null=True, blank=True
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authority",
        verbose_name=_("organisation its staff sign in with"),
    )
    active = models.BooleanField(_("designated"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("national competent authority")
        verbose_name_plural = _("national competent authorities")
        ordering = ["member_state", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_state", "name"], name="cooperation_authority_unique_name"
            ),
            # one single point of contact per Member State, and it is a market surveillance
            # authority (Art. 70(2))
            models.UniqueConstraint(
                fields=["member_state"],
                condition=Q(single_point_of_contact=True, active=True),
                name="cooperation_authority_one_spoc",
            ),
            models.CheckConstraint(
                condition=Q(single_point_of_contact=False) | Q(kind="market_surveillance"),
                name="cooperation_authority_spoc_is_msa",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.member_state})"

    @property
    def is_art74_8(self) -> bool:
        """A market surveillance authority of Art. 74(8): it sees the secure section of the
        EU database (Art. 49(4))."""
        return (
            self.active
            and self.kind == AuthorityKind.MARKET_SURVEILLANCE
            and self.sector == AuthoritySector.DATA_PROTECTION
        )


class MemberState(models.Model):
    """A Member State as the directory follows it: the anchor of its resource reports and
    of the one open deadline for the next one (`supervision.Deadline.source` is
    "cooperation.memberstate:<code>"). Rows are made when first needed (the services and
    `aioffice cooperation authorities sync-deadlines`); the 27 codes are the registry's."""

    code = models.CharField(
        _("Member State"), max_length=2, primary_key=True, choices=MEMBER_STATE_CHOICES
    )

    class Meta:
        verbose_name = _("Member State")
        verbose_name_plural = _("Member States")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ResourceReport(models.Model):
    """A Member State's report to the Commission on the resources of its national
    competent authorities (Art. 70(6); GOV-01), due on the dates aiact's "resource-report"
    clock gives. The file goes to the Commission, which passes it to the Board: it is never
    public; the public sees only that a report was received and when."""

    member_state = models.ForeignKey(
        MemberState,
        on_delete=models.PROTECT,
        related_name="resource_reports",
        verbose_name=_("Member State"),
    )
    due_on = models.DateField(_("report due on"))
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file"), upload_to="cooperation/resource-reports/%Y/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    rules_version = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    citations = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("resource report")
        verbose_name_plural = _("resource reports")
        ordering = ["member_state", "-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_state", "due_on"], name="cooperation_resource_report_once"
            ),
        ]

    def __str__(self) -> str:
        return f"resource report of {self.member_state_id} due {self.due_on}"
