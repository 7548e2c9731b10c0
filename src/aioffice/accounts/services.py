"""Every change to accounts goes through these functions; each writes the audit trail."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from aioffice.accounts.choices import ROLES_BY_KIND, Role
from aioffice.accounts.models import ApiToken, Membership, Organisation, User
from aioffice.core import audit

TOKEN_PREFIX = "aio"  # noqa: S105  (a public marker at the start of every token, not a secret)


def _organisation_data(org: Organisation) -> dict[str, object]:
    return {
        "name": org.name,
        "kind": org.kind,
        "country": org.country,
        "established_in_union": org.established_in_union,
    }


def organisation_create(
    *, actor: User | None, name: str, kind: str, country: str, established_in_union: bool
) -> Organisation:
    org = Organisation(
        name=name, kind=kind, country=country.upper(), established_in_union=established_in_union
    )
    org.full_clean()
    with transaction.atomic():
        org.save()
        audit.record(
            actor=actor,
            action="accounts.organisation.created",
            obj=org,
            after=_organisation_data(org),
        )
    return org


def user_create(
    *,
    actor: User | None,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        audit.record(
            actor=actor,
            action="accounts.user.created",
            obj=user,
            after={"username": username, "email": email},
        )
    return user


def membership_add(
    *, actor: User | None, user: User, organisation: Organisation, role: str
) -> Membership:
    """Give a person a role in an organisation, if that kind of organisation has that role."""
    allowed = ROLES_BY_KIND.get(organisation.kind, frozenset())
    if role not in allowed:
        raise ValidationError(
            {
                "role": f"The role {Role(role).label if role in Role.values else role!r} "
                f"is not available in a {organisation.get_kind_display()} organisation."
            }
        )
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    # AI Office administrators reach Django's (read-only) admin site: that is is_staff.
    admin_site = role == Role.ADMINISTRATOR and not user.is_staff
    with transaction.atomic():
        membership.save()
        if admin_site:
            User.objects.filter(pk=user.pk).update(is_staff=True)
            user.is_staff = True
        audit.record(
            actor=actor,
            action="accounts.membership.added",
            obj=membership,
            after={
                "user": user.username,
                "organisation": organisation.name,
                "role": role,
                **({"admin_site": True} if admin_site else {}),
            },
        )
    user.__dict__.pop("_roles_cache", None)
    return membership


@dataclass(frozen=True)
class NewToken:
    """A token just made: `secret` is the only time the full value is available."""

    token: ApiToken
    secret: str


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *, actor: User, user: User, name: str, expires_at: datetime | None = None
) -> NewToken:
    now = timezone.now()
    longest = now + timedelta(days=settings.API_TOKEN_MAX_DAYS)
    if expires_at is None:
        expires_at = now + timedelta(days=min(90, settings.API_TOKEN_MAX_DAYS))
    if expires_at <= now:
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    if expires_at > longest:
        raise ValidationError(
            {"expires_at": f"A token may live at most {settings.API_TOKEN_MAX_DAYS} days."}
        )
    if not name.strip():
        raise ValidationError({"name": "Give the token a name."})
    prefix = secrets.token_hex(5)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=prefix,
        secret_hash=_hash_secret(secret),
        created_at=now,
        expires_at=expires_at,
    )
    with transaction.atomic():
        token.save()
        audit.record(
            actor=actor,
            action="accounts.token.created",
            obj=token,
            after={"user": user.username, "name": token.name, "expires_at": expires_at},
        )
    return NewToken(token=token, secret=secret)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="accounts.token.revoked",
            obj=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The user a bearer token acts for, or None if it is unknown, expired or revoked."""
    parts = secret.split("_", 2)  # the random part may itself contain "_"
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None:
        return None
    if not secrets.compare_digest(token.secret_hash, _hash_secret(secret)):
        return None
    now = timezone.now()
    if not token.is_active_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user to scan; replaces any earlier unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the authenticator once the person types a valid code from it."""
    if device.user_id != user.pk or device.confirmed:
        return False
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(
            actor=user,
            action="accounts.second_factor.enrolled",
            obj=user,
            after={"device": "totp"},
        )
    return True
