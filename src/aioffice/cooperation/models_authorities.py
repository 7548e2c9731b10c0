"""The authorities directory (Art. 70, GOV-01): each Member State's notifying authorities
and market surveillance authorities, with their sector, the single point of contact and the
published contact details. An authority is linked to the aioffice organisation its staff
sign in with, which is how a person acts for an authority (sharing, requests, the secure
section of the EU database for the authorities of Art. 74(8))."""

from __future__ import annotations

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
