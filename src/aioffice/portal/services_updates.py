"""Sign-up for updates and the messages staff send: every change of state goes through here.

* Sign-up is a double opt-in: `subscriber_signup` stores a pending subscriber and mails a
  confirmation link; only `subscriber_confirm`, through that link, makes them active. The
  caller answers the same whatever happened (new address, known address, too many
  e-mails): nobody learns from the page whether an address is subscribed.
* The confirmation link carries a random token; only its SHA-256 is stored, with its expiry
  (settings.PORTAL_CONFIRM_HOURS). It is emptied once used, so a replayed link is refused.
* Every message but the confirmation carries an unsubscribe link signed with the site's
  secret (`unsubscribe_token`); it does not expire.
* Consent: the text is versioned in code (`CONSENT_VERSION`, `CONSENT_TEXT`); its English
  wording is stored once per version (`ConsentText`) and each subscriber points at the
  version they agreed to, with the time.
* Unsubscribing erases the address at once (and the topics); the row keeps the address's
  keyed digest (`email_digest`) and the times of consent and withdrawal, so that the Office
  can show when an address withdrew, and a new sign-up of it finds the same row.
* Staff write a bulletin (`bulletin_create`, `bulletin_update`) and queue it
  (`bulletin_queue`): the recipients are fixed then, one `Delivery` each, and the worker
  sends them (`aioffice.portal.tasks_updates`).

The audit trail never holds an e-mail address: subscribers appear as "subscriber #id".
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aioffice.core import audit, ratelimit
from aioffice.portal.choices import BulletinStatus, SubscriberStatus, Topic
from aioffice.portal.mail_errors import refusal
from aioffice.portal.models_updates import (
    Bulletin,
    ConsentText,
    Delivery,
    Subscriber,
    Subscription,
)

logger = logging.getLogger(__name__)

# The consent people give on the sign-up page. Change the wording only with a new version:
# the stored English text of a version never changes (`consent_current` checks it).
CONSENT_VERSION = "2026-1"
CONSENT_TEXT = _(
    "I agree that the European AI Office keeps my e-mail address, the topics I chose, my "
    "language and the time of my consent, in order to send me updates on these topics by "
    "e-mail. The Office uses them for nothing else and gives them to no one. I can "
    "withdraw my consent at any time with the unsubscribe link in every message; the "
    "Office then sends me nothing more."
)

# At most this many e-mails (confirmations, "already subscribed") to one address per hour,
# whoever asks: beyond it the sign-up answers the same but sends nothing (Office policy).
EMAIL_RATE = 3
EMAIL_RATE_WINDOW = 3600
EMAIL_SCOPE = "portal.updates.email"

UNSUBSCRIBE_SALT = "aioffice.portal.updates.unsubscribe"
EMAIL_DIGEST_SALT = "aioffice.portal.updates.email"
SUBJECT_MAX = 200
BODY_MAX = 20_000

_email_validator = EmailValidator()


@dataclass(frozen=True)
class Signup:
    """What a sign-up did; the page shows the same answer whatever it is.

    outcome: "pending" (a confirmation link was mailed), "already_active" (a reminder that
    they are subscribed was mailed), "throttled" (nothing done: too many e-mails to the
    address this hour). `token` is the confirmation token when one was made (the demo
    confirms with it; pages never show it)."""

    outcome: str
    subscriber_id: int | None = None
    token: str = ""


# --- helpers ----------------------------------------------------------------------------


def email_digest(address: str) -> str:
    """The stored digest of a subscriber's address (as `clean_email` gives it): an
    HMAC-SHA-256 under the site's secret, so a copy of the database alone cannot tell which
    address a row was."""
    return salted_hmac(EMAIL_DIGEST_SALT, address, algorithm="sha256").hexdigest()


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unsubscribe_token(subscriber_id: int) -> str:
    """The signed token of a subscriber's unsubscribe link (salted; never expires)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber_id))


def subscriber_id_from_token(token: str) -> int:
    """The subscriber id an unsubscribe token was signed for; a ValidationError naming the
    token when it was altered."""
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise ValidationError(
            {"token": _("This link is not valid: it was changed or cut short.")}, code="invalid"
        ) from exc


def _link(site_url: str, name: str, token: str, language: str) -> str:
    with translation.override(language):
        path = reverse(f"portal:{name}", args=[token])
    return site_url.rstrip("/") + path


def unsubscribe_url(site_url: str, subscriber: Subscriber) -> str:
    """The subscriber's unsubscribe page, in their language, on the site at `site_url`."""
    return _link(
        site_url, "updates_unsubscribe", unsubscribe_token(subscriber.pk), subscriber.language
    )


def language_code(language: str | None) -> str:
    """One of the site's languages (the reader's, as the page was shown), English otherwise."""
    code = (language or "").split("-")[0].lower()
    return code if code in {code for code, _name in settings.LANGUAGES} else "en"


def _subscriber_label(subscriber: Subscriber) -> str:
    return f"subscriber #{subscriber.pk}"


def _audit_subscriber(action: str, subscriber: Subscriber, **changes: Any) -> None:
    audit.record(
        actor=None,
        action=f"portal.subscriber.{action}",
        object_type="portal.subscriber",
        object_id=str(subscriber.pk),
        object_repr=_subscriber_label(subscriber),
        **changes,
    )


def clean_topics(topics: Iterable[str] | None) -> list[str]:
    """The topics in the order of `Topic`; a ValidationError naming `topics` when none or an
    unknown one is given."""
    chosen = set(topics or [])
    if not chosen:
        raise ValidationError({"topics": _("Choose at least one topic.")}, code="required")
    unknown = chosen - set(Topic.values)
    if unknown:
        raise ValidationError(
            {"topics": _("Choose topics from the list.")},
            code="invalid_choice",
        )
    return [value for value in Topic.values if value in chosen]


def clean_email(email: str) -> str:
    """The address as stored: trimmed, in lower case (one subscriber per address)."""
    value = (email or "").strip().lower()
    if not value:
        raise ValidationError({"email": _("Enter your e-mail address.")}, code="required")
    if len(value) > 254:
        raise ValidationError({"email": _("This e-mail address is too long.")}, code="max_length")
    try:
        _email_validator(value)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("Enter a valid e-mail address, like name@example.org.")},
            code="invalid",
        ) from exc
    return value


def consent_current() -> ConsentText:
    """The stored row of the current consent version, created the first time (in English,
    the wording of record; readers see it in their language)."""
    with translation.override("en"):
        text = str(CONSENT_TEXT)
    consent, _created = ConsentText.objects.get_or_create(
        version=CONSENT_VERSION, defaults={"text": text, "valid_from": timezone.now()}
    )
    if consent.text != text:
        raise ImproperlyConfigured(
            f"The consent text of version {CONSENT_VERSION} changed: give it a new "
            "CONSENT_VERSION (aioffice.portal.services_updates)."
        )
    return consent


def _replace_topics(subscriber: Subscriber, topics: list[str]) -> None:
    Subscription.objects.filter(subscriber=subscriber).delete()
    Subscription.objects.bulk_create(
        [Subscription(subscriber=subscriber, topic=topic) for topic in topics]
    )


def topic_labels(topics: Iterable[str]) -> list[str]:
    labels = dict(Topic.choices)
    return [str(labels.get(topic, topic)) for topic in topics]


# --- e-mails of the sign-up ---------------------------------------------------------------


def _mail(
    subscriber: Subscriber,
    subject: Any,
    template: str,
    context: dict[str, Any],
    *,
    connection: BaseEmailBackend | None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    with translation.override(subscriber.language):
        body = render_to_string(template, {"site_name": settings.SITE_NAME, **context})
        return EmailMessage(
            subject=str(subject),
            body=body,
            to=[subscriber.email],
            headers=headers,
            connection=connection,
        )


def _send_confirmation(
    subscriber: Subscriber,
    token: str,
    site_url: str,
    topics: list[str],
    connection: BaseEmailBackend | None,
) -> None:
    with translation.override(subscriber.language):
        labels = topic_labels(topics)
        subject = gettext("Confirm your subscription to the AI Office's updates")
    message = _mail(
        subscriber,
        subject,
        "portal/updates/email/confirm.txt",
        {
            "confirm_url": _link(site_url, "updates_confirm", token, subscriber.language),
            "hours": settings.PORTAL_CONFIRM_HOURS,
            "topics": labels,
        },
        connection=connection,
    )
    message.send(fail_silently=False)


def _send_already_subscribed(
    subscriber: Subscriber, site_url: str, connection: BaseEmailBackend | None
) -> None:
    url = unsubscribe_url(site_url, subscriber)
    topics = list(subscriber.topics.values_list("topic", flat=True))
    with translation.override(subscriber.language):
        labels = topic_labels(topic for topic in Topic.values if topic in topics)
        subject = gettext("You are already subscribed to the AI Office's updates")
    message = _mail(
        subscriber,
        subject,
        "portal/updates/email/already.txt",
        {"unsubscribe_url": url, "topics": labels},
        connection=connection,
        headers=list_unsubscribe_headers(url),
    )
    message.send(fail_silently=False)


def _after_commit(send: Callable[[], None], subscriber_id: int) -> None:
    """Hand a sign-up's e-mail to on_commit. A mail server that refuses it is logged by
    subscriber id and error code (its text names the address), never raised: the visitor
    gets the same answer as everyone (a 500 would also tell the address apart)."""

    def run() -> None:
        try:
            send()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning(
                "portal updates: the e-mail to subscriber #%s was not sent: %s",
                subscriber_id,
                refusal(exc),
            )

    transaction.on_commit(run)


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 (one-click) headers of a message with an unsubscribe link."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- subscribers ------------------------------------------------------------------------------


def subscriber_signup(
    *,
    actor: Any = None,
    email: str,
    topics: Iterable[str],
    consent: bool,
    language: str,
    site_url: str,
    connection: BaseEmailBackend | None = None,
) -> Signup:
    """Ask for updates on `topics` at `email` (double opt-in).

    * a new address, or one still pending: a pending subscriber with these topics and this
      consent, and a new confirmation link mailed (a previous link stops working);
    * an address that unsubscribed earlier: a fresh pending sign-up, the same way;
    * an active subscriber: nothing changes; a message tells them they are subscribed,
      with their unsubscribe link;
    * more than EMAIL_RATE e-mails to the address this hour: nothing at all.

    `actor` is whoever is signed in (usually no one); subscribers are not users, so the
    audit trail records the system. Bad input is a ValidationError naming the field.
    """
    errors: dict[str, list[ValidationError]] = {}
    address = ""
    chosen: list[str] = []
    try:
        address = clean_email(email)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        chosen = clean_topics(topics)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if not consent:
        errors["consent"] = [
            ValidationError(
                _("Tick the box to give your consent: without it we cannot send you updates."),
                code="required",
            )
        ]
    if errors:
        raise ValidationError(errors)
    language = language_code(language)
    if not ratelimit.hit(
        EMAIL_SCOPE, ratelimit.digest(address), limit=EMAIL_RATE, window=EMAIL_RATE_WINDOW
    ):
        return Signup("throttled")
    digest = email_digest(address)
    with transaction.atomic():
        consent_row = consent_current()
        now = timezone.now()
        # by its digest (kept after the address was erased), or by the address itself when
        # the digest was made under an earlier secret
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(Q(email_digest=digest) | Q(email=address))
            .first()
        )
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=address,
                        email_digest=digest,
                        language=language,
                        consent=consent_row,
                        consent_at=now,
                        status=SubscriberStatus.PENDING,
                    )
            except IntegrityError:  # the same address at the same moment
                subscriber = Subscriber.objects.select_for_update().get(email_digest=digest)
        if subscriber.status == SubscriberStatus.ACTIVE:
            active = subscriber
            _after_commit(lambda: _send_already_subscribed(active, site_url, connection), active.pk)
            return Signup("already_active", subscriber.pk)
        before = {"status": subscriber.status}
        token = secrets.token_urlsafe(32)
        subscriber.email = address  # again, if it was erased when they unsubscribed
        subscriber.email_digest = digest
        subscriber.status = SubscriberStatus.PENDING
        subscriber.language = language
        subscriber.consent = consent_row
        subscriber.consent_at = now
        subscriber.confirm_sha256 = token_sha256(token)
        subscriber.confirm_expires_at = now + timedelta(hours=settings.PORTAL_CONFIRM_HOURS)
        subscriber.confirmed_at = None
        subscriber.unsubscribed_at = None
        subscriber.save()
        _replace_topics(subscriber, chosen)
        _audit_subscriber(
            "signed_up",
            subscriber,
            before=before,
            after={
                "status": subscriber.status,
                "topics": chosen,
                "language": language,
                "consent_version": consent_row.version,
            },
        )
        pending = subscriber
        _after_commit(
            lambda: _send_confirmation(pending, token, site_url, chosen, connection), pending.pk
        )
    return Signup("pending", subscriber.pk, token)


def _refused(message: Any, code: str) -> ValidationError:
    return ValidationError({"token": ValidationError(message, code=code)})


INVALID_CONFIRMATION = _(
    "This confirmation link is not valid: it was already used, a newer link replaced it, or "
    "it was changed."
)
EXPIRED_CONFIRMATION = _("This confirmation link has expired.")


def check_confirmation(subscriber: Subscriber | None, now: Any = None) -> Subscriber:
    """The pending subscriber a confirmation token leads to, or a ValidationError naming the
    token (code "invalid": unknown, used or replaced; "expired")."""
    if subscriber is None or subscriber.status != SubscriberStatus.PENDING:
        raise _refused(INVALID_CONFIRMATION, "invalid")
    expires = subscriber.confirm_expires_at
    if expires is None or expires <= (now or timezone.now()):
        raise _refused(EXPIRED_CONFIRMATION, "expired")
    return subscriber


@transaction.atomic
def subscriber_confirm(*, actor: Any = None, token: str) -> Subscriber:
    """Confirm a sign-up through its link: the subscriber becomes active, the time is
    recorded and the token emptied (the link works once). A used, replaced, unknown or
    expired token is a ValidationError naming `token`, and nothing changes."""
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(confirm_sha256=token_sha256(token), status=SubscriberStatus.PENDING)
        .first()
        if token
        else None
    )
    subscriber = check_confirmation(subscriber)
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.confirmed_at = timezone.now()
    subscriber.confirm_sha256 = ""
    subscriber.confirm_expires_at = None
    subscriber.save(
        update_fields=["status", "confirmed_at", "confirm_sha256", "confirm_expires_at"]
    )
    _audit_subscriber(
        "confirmed",
        subscriber,
        before={"status": SubscriberStatus.PENDING},
        after={"status": subscriber.status},
    )
    return subscriber


def _erase(subscriber: Subscriber, now: datetime) -> None:
    """Unsubscribed, with the address and the topics erased (the digest and the times of
    consent and withdrawal stay); the caller holds the row's lock."""
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.unsubscribed_at = now
    subscriber.email = ""
    subscriber.confirm_sha256 = ""
    subscriber.confirm_expires_at = None
    subscriber.save(
        update_fields=[
            "status",
            "unsubscribed_at",
            "email",
            "confirm_sha256",
            "confirm_expires_at",
        ]
    )
    Subscription.objects.filter(subscriber=subscriber).delete()


@transaction.atomic
def subscriber_unsubscribe(*, actor: Any = None, subscriber: Subscriber) -> Subscriber:
    """Stop every message to the subscriber at once (their link, or one click in their mail
    program), and erase their address and topics: nothing is kept that could reach them.
    Unsubscribing twice changes nothing the second time."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return subscriber
    before = {"status": subscriber.status}
    _erase(subscriber, timezone.now())
    _audit_subscriber(
        "unsubscribed",
        subscriber,
        before=before,
        after={"status": subscriber.status, "address_erased": True},
    )
    return subscriber


@transaction.atomic
def subscriber_topics_change(
    *, actor: Any = None, subscriber: Subscriber, topics: Iterable[str]
) -> Subscriber:
    """Change an active subscriber's topics (from their unsubscribe link)."""
    chosen = clean_topics(topics)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != SubscriberStatus.ACTIVE:
        raise ValidationError(
            {"topics": _("You are not subscribed: sign up again to choose topics.")},
            code="not_active",
        )
    before = sorted(subscriber.topics.values_list("topic", flat=True))
    _replace_topics(subscriber, chosen)
    _audit_subscriber(
        "topics_changed", subscriber, before={"topics": before}, after={"topics": chosen}
    )
    return subscriber


# --- bulletins -----------------------------------------------------------------------------


def _clean_bulletin(subject: str, body: str, topics: Iterable[str]) -> tuple[str, str, list[str]]:
    errors: dict[str, list[ValidationError]] = {}
    subject = (subject or "").strip()
    body = (body or "").strip()
    if not subject:
        errors["subject"] = [ValidationError(_("Write a subject."), code="required")]
    elif "\n" in subject or "\r" in subject:
        errors["subject"] = [ValidationError(_("Write the subject on one line."), code="invalid")]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [
            ValidationError(
                _("Keep the subject to %(max)d characters.") % {"max": SUBJECT_MAX},
                code="max_length",
            )
        ]
    if not body:
        errors["body"] = [ValidationError(_("Write the text of the message."), code="required")]
    elif len(body) > BODY_MAX:
        errors["body"] = [
            ValidationError(
                _("Keep the text to %(max)d characters.") % {"max": BODY_MAX}, code="max_length"
            )
        ]
    chosen: list[str] = []
    try:
        chosen = clean_topics(topics)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    return subject, body, chosen


@transaction.atomic
def bulletin_create(*, actor: Any, subject: str, body: str, topics: Iterable[str]) -> Bulletin:
    """A draft message to the subscribers of `topics` (plain text)."""
    subject, body, chosen = _clean_bulletin(subject, body, topics)
    bulletin = Bulletin.objects.create(subject=subject, body=body, topics=chosen, created_by=actor)
    audit.record(
        actor=actor, action="portal.bulletin.created", obj=bulletin, after={"topics": chosen}
    )
    return bulletin


def _locked_draft(bulletin: Bulletin) -> Bulletin:
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if locked.status != BulletinStatus.DRAFT:
        raise ValidationError(
            {"status": _("This message was already sent or is being sent.")}, code="not_draft"
        )
    return locked


@transaction.atomic
def bulletin_update(
    *, actor: Any, bulletin: Bulletin, subject: str, body: str, topics: Iterable[str]
) -> Bulletin:
    """Change a draft (a queued or sent message never changes)."""
    subject, body, chosen = _clean_bulletin(subject, body, topics)
    bulletin = _locked_draft(bulletin)
    before = {"subject": bulletin.subject, "topics": bulletin.topics}
    bulletin.subject, bulletin.body, bulletin.topics = subject, body, chosen
    bulletin.save(update_fields=["subject", "body", "topics"])
    audit.record(
        actor=actor,
        action="portal.bulletin.updated",
        obj=bulletin,
        before=before,
        after={"subject": subject, "topics": chosen},
    )
    return bulletin


def recipients(topics: Iterable[str]) -> Any:
    """Ids of the active subscribers of any of `topics` (a queryset)."""
    return (
        Subscriber.objects.filter(status=SubscriberStatus.ACTIVE, topics__topic__in=list(topics))
        .values_list("pk", flat=True)
        .distinct()
    )


@transaction.atomic
def bulletin_queue(
    *, actor: Any, bulletin: Bulletin, site_url: str, enqueue: bool = True
) -> Bulletin:
    """Send a draft: under the bulletin's lock, one delivery for each subscriber active now
    on any of its topics (people who confirm later get nothing of it), the bulletin queued,
    and the sending task handed to the worker once committed (`enqueue=False`: the caller
    sends it itself, as `aioffice portal bulletins send` does).

    A message without a single recipient is refused, naming `topics`."""
    bulletin = _locked_draft(bulletin)
    if not site_url:
        raise ValidationError({"site_url": _("The site's address is needed for the links.")})
    ids = list(recipients(bulletin.topics).order_by("pk"))
    if not ids:
        raise ValidationError(
            {"topics": _("Nobody is subscribed to these topics yet: there is no one to send to.")},
            code="no_recipients",
        )
    Delivery.objects.bulk_create(
        [Delivery(bulletin=bulletin, subscriber_id=pk) for pk in ids], batch_size=500
    )
    bulletin.status = BulletinStatus.QUEUED
    bulletin.queued_by = actor if getattr(actor, "pk", None) else None
    bulletin.queued_at = timezone.now()
    bulletin.site_url = site_url[:200]
    bulletin.save(update_fields=["status", "queued_by", "queued_at", "site_url"])
    audit.record(
        actor=actor,
        action="portal.bulletin.queued",
        obj=bulletin,
        before={"status": BulletinStatus.DRAFT},
        after={"status": bulletin.status, "recipients": len(ids), "topics": bulletin.topics},
    )
    if enqueue:
        from aioffice.portal.tasks_updates import enqueue as hand_over

        hand_over(bulletin.pk)
    return bulletin


# --- housekeeping ----------------------------------------------------------------------------


def subscribers_purge_unconfirmed(now: datetime | None = None) -> int:
    """Delete the sign-ups never confirmed whose link has expired: nobody proved the
    address was theirs, so nothing of it is kept. A former subscriber's new sign-up that
    lapsed (their row counts in sent messages) goes back to unsubscribed, its address
    erased. Also erases any address still kept on an unsubscribed row. Returns how many
    sign-ups were deleted or erased; running it again does nothing more."""
    cutoff = now or timezone.now()
    with transaction.atomic():
        stale = Subscriber.objects.select_for_update().filter(
            status=SubscriberStatus.PENDING, confirm_expires_at__lt=cutoff
        )
        delivered = Delivery.objects.values("subscriber_id")
        deleted = list(stale.exclude(pk__in=delivered).values_list("pk", flat=True))
        lapsed = list(stale.filter(pk__in=delivered))
        left = list(
            Subscriber.objects.select_for_update()
            .filter(status=SubscriberStatus.UNSUBSCRIBED)
            .exclude(email="")
        )
        if not (deleted or lapsed or left):
            return 0
        Subscriber.objects.filter(pk__in=deleted).delete()
        for subscriber in lapsed:
            _erase(subscriber, cutoff)
        for subscriber in left:
            _erase(subscriber, subscriber.unsubscribed_at or cutoff)
        audit.record(
            actor=None,
            action="portal.subscriber.purged",
            object_type="portal.subscriber",
            object_repr="unconfirmed sign-ups and unsubscribed addresses",
            after={"deleted": len(deleted), "erased": len(lapsed) + len(left)},
        )
    return len(deleted) + len(lapsed) + len(left)
