"""E-mailing a checker result to the visitor who asks for it, and erasing the address.

The checker stores nothing about a visitor, except here: an address typed into the result
page's form is kept in a :class:`CheckerEmail` row with the result link, the e-mail leaves
after the commit, ``sent_at`` records when, and :func:`purge_sent` (run by the worker's
housekeeping) erases the row once ``retention_days()`` have passed. Requests are limited
per address and per client. Audit events hold the row's id and the flow, never the address.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aioffice.core import audit
from aioffice.core.ratelimit import digest, hit
from aioffice.portal.mail_errors import refusal
from aioffice.portal.models_checker import CheckerEmail

__all__ = [
    "PER_ADDRESS_PER_HOUR",
    "checker_email_request",
    "is_rate_limited",
    "purge_sent",
    "retention_days",
    "send_result_email",
]

logger = logging.getLogger(__name__)

PER_ADDRESS_PER_HOUR: Final = 3
"""Result e-mails one address may receive per hour (Office policy, against mail bombing)."""
_WINDOW: Final = 3600


def retention_days() -> int:
    """Days a result e-mail's row is kept after it is sent (Office policy, shown on the
    form): the setting PORTAL_CHECKER_EMAIL_RETENTION_DAYS, 30 when it is not set."""
    return int(getattr(settings, "PORTAL_CHECKER_EMAIL_RETENTION_DAYS", 30))


def _per_client_per_hour() -> int:
    return int(settings.PORTAL_FORM_RATE)


def _limited(message: str) -> ValidationError:
    return ValidationError({"email": ValidationError(message, code="rate_limited")})


def is_rate_limited(error: ValidationError) -> bool:
    """Whether ``error`` (from :func:`checker_email_request`) is a limit reached."""
    return any(e.code == "rate_limited" for e in getattr(error, "error_dict", {}).get("email", []))


def checker_email_request(
    *,
    actor: Any,
    email: str,
    flow: str,
    result_path: str,
    language: str,
    client: str,
    base_url: str,
    now: datetime | None = None,
) -> CheckerEmail:
    """Keep the address and the result link, and send the e-mail after the commit.

    ``client`` is :func:`aioffice.core.ratelimit.client_key` of the request, ``base_url``
    the site's address the link starts with (``https://example.eu``). Raises
    ValidationError naming ``email`` for a malformed address or when a limit is reached
    (``code="rate_limited"``)."""
    if not hit("portal.checker_email.client", client, limit=_per_client_per_hour(), window=_WINDOW):
        raise _limited(_("Too many requests from your connection: try again in an hour."))
    address = email.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if not hit(
        "portal.checker_email.address",
        digest(address),
        limit=PER_ADDRESS_PER_HOUR,
        window=_WINDOW,
    ):
        raise _limited(_("Too many results were sent to this address: try again in an hour."))
    with transaction.atomic():
        row = CheckerEmail.objects.create(
            email=address,
            flow=flow,
            result_path=result_path,
            language=language,
            requested_at=now or timezone.now(),
        )
        audit.record(
            actor=actor,
            action="portal.checker_email.requested",
            obj=row,
            after={"flow": flow, "language": language},
        )
        transaction.on_commit(partial(send_result_email, row.pk, base_url=base_url))
    return row


def send_result_email(pk: int, *, base_url: str, now: datetime | None = None) -> bool:
    """Send the e-mail of row ``pk`` if it has not been sent; record ``sent_at``. A mail
    server that refuses is logged (the row stays unsent and is erased with the others)."""
    row = CheckerEmail.objects.filter(pk=pk, sent_at__isnull=True).first()
    if row is None:
        return False
    with translation.override(row.language):
        subject = _("Your result from the AI Act compliance checker")
        body = render_to_string(
            "portal/checker/email.txt",
            {
                "link": base_url.rstrip("/") + row.result_path,
                "retention_days": retention_days(),
                "site_name": settings.SITE_NAME,
            },
        )
    try:
        send_mail(subject, body, None, [row.email])
    except (smtplib.SMTPException, OSError) as exc:  # no traceback: it names the address
        logger.warning("checker result e-mail %s was not sent: %s", pk, refusal(exc))
        return False
    CheckerEmail.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=now or timezone.now())
    return True


def purge_sent(*, now: datetime | None = None) -> int:
    """Erase the rows sent more than ``retention_days()`` ago, and the rows never sent that
    were asked for that long ago; return how many were erased."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    with transaction.atomic():
        erased, _per_model = CheckerEmail.objects.filter(
            Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, requested_at__lt=cutoff)
        ).delete()
        if erased:
            audit.record(
                actor=None,
                action="portal.checker_email.purged",
                object_type="portal.checkeremail",
                after={"erased": erased, "retention_days": retention_days()},
            )
    return erased
