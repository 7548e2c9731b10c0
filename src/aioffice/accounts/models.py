"""People, the organisations they act for, their roles, and their API tokens."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role


class Organisation(models.Model):
    """A legal person or public body that takes part in AI Act procedures.

    GPAI providers, downstream providers, authorised representatives, national competent
    authorities, the AI Office itself and the scientific panel are all organisations;
    people act for them through memberships.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code of the seat")
    )
    established_in_union = models.BooleanField(_("established in the Union"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__regex=r"^[A-Z]{2}$"),
                name="accounts_organisation_country_iso2",
                violation_error_message=_("The country must be a two-letter ISO code."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. What they may do follows from their memberships."""

    organisations: models.ManyToManyField[Organisation, Membership] = models.ManyToManyField(
        Organisation, through="Membership", related_name="members", blank=True
    )

    @property
    def roles(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(self.memberships.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    @property
    def is_office_staff(self) -> bool:
        """AI Office staff: the people who must use a second factor."""
        return bool(self.roles & OFFICE_ROLES)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


class Membership(models.Model):
    """A person acting for an organisation in one role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="accounts_membership_unique_role",
                violation_error_message=_("This person already has this role here."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


TOKEN_STATUS_LABELS = {
    "active": _("active"),
    "expired": _("expired"),
    "revoked": _("revoked"),
}


class ApiToken(models.Model):
    """A bearer token for a machine client, acting as one user.

    The secret is shown once when the token is made; only its SHA-256 is kept. A token
    always expires and can be revoked.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="accounts_apitoken_expires_after_creation",
                violation_error_message=_("A token must expire after it is made."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > moment

    @property
    def status_label(self) -> str:
        return str(TOKEN_STATUS_LABELS[self.status])

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"
