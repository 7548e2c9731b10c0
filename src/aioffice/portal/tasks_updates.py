"""Sending a bulletin to its subscribers, by the worker: at most once per subscriber.

A queued bulletin has one `Delivery` per recipient, fixed when it was queued. `deliver`
sends them one at a time:

1. *claim* one waiting delivery in its own committed transaction (status `claimed`, with the
   time); on PostgreSQL the row is read with `SELECT ... FOR UPDATE SKIP LOCKED`, so a
   second sender running at the same time takes another one; the claim itself is an update
   conditional on the row still waiting, so two senders can never both win it (on SQLite,
   where writes are serialised, that condition is what decides);
2. send its e-mail;
3. mark it `sent`, or `failed` with the mail server's refusal (the bulletin goes on).

A subscriber who unsubscribed after the bulletin was queued is `skipped`. A sender that
dies between 1 and 3 leaves its delivery `claimed`: nobody knows whether that e-mail left,
so `resume_unfinished` (run when a worker starts) marks it `unknown` and never sends it
again, then hands the bulletin back to the worker, which sends the deliveries still
waiting. The bulletin is `sent` once no delivery waits or is being sent (`failed` when the
mail server refused any).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from aioffice.core import audit
from aioffice.portal.choices import BulletinStatus, DeliveryStatus, SubscriberStatus
from aioffice.portal.mail_errors import refusal
from aioffice.portal.models_updates import Bulletin, Delivery, Subscriber
from aioffice.portal.services_updates import list_unsubscribe_headers, unsubscribe_url

logger = logging.getLogger(__name__)

UNFINISHED = (BulletinStatus.QUEUED, BulletinStatus.SENDING)
WAITING = (DeliveryStatus.PENDING, DeliveryStatus.CLAIMED)
# What a mail server's refusal looks like from Django's SMTP backend (or a network failure
# on the way to it): the delivery failed, the bulletin goes on. Anything else is a bug or a
# crash: it stops the sender, and the delivery it held becomes "unknown".
REFUSALS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)


@dataclass
class SendReport:
    """What one `deliver` call did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    status: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Claim:
    delivery_id: int
    claimed_at: datetime
    subscriber: Subscriber | None  # None: skipped (unsubscribed since the bulletin was queued)


def enqueue(bulletin_id: int) -> None:
    """Hand the bulletin to the worker once the caller's transaction commits."""

    def hand_over() -> None:
        send_bulletin.enqueue(bulletin_id)

    transaction.on_commit(hand_over)


def message(bulletin: Bulletin, subscriber: Subscriber) -> EmailMessage:
    """The bulletin as this subscriber receives it: plain text, their own unsubscribe link
    (in the text and in the List-Unsubscribe headers), the frame in their language."""
    url = unsubscribe_url(bulletin.site_url, subscriber)
    with translation.override(subscriber.language):
        body = render_to_string(
            "portal/updates/email/bulletin.txt",
            {"bulletin": bulletin, "unsubscribe_url": url, "site_name": settings.SITE_NAME},
        )
    return EmailMessage(
        subject=bulletin.subject,
        body=body,
        to=[subscriber.email],
        headers=list_unsubscribe_headers(url),
    )


def _start(bulletin_id: int) -> Bulletin | None:
    """The bulletin, marked sending; None when it is not queued or sending (nothing to do)."""
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().filter(pk=bulletin_id).first()
        if bulletin is None or bulletin.status not in UNFINISHED:
            return None
        if bulletin.status == BulletinStatus.QUEUED:
            bulletin.status = BulletinStatus.SENDING
            bulletin.save(update_fields=["status"])
            audit.record(
                actor=None,
                action="portal.bulletin.sending",
                obj=bulletin,
                before={"status": BulletinStatus.QUEUED},
                after={"status": bulletin.status},
            )
        return bulletin


def _claim_next(bulletin_id: int) -> _Claim | None:
    """Claim the next waiting delivery (committed before its e-mail is sent); None when no
    delivery waits."""
    while True:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("subscriber")
                .filter(bulletin_id=bulletin_id, status=DeliveryStatus.PENDING)
                .order_by("pk")
                .first()
            )
            if delivery is None:
                return None
            now = timezone.now()
            active = delivery.subscriber.status == SubscriberStatus.ACTIVE
            won = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.CLAIMED if active else DeliveryStatus.SKIPPED,
                claimed_at=now if active else None,
            )
            if not won:  # another sender took it between the read and the update
                continue
            return _Claim(delivery.pk, now, delivery.subscriber if active else None)


def _settle(claim: _Claim, status: str, error: str = "") -> None:
    """Record the outcome of a claimed delivery (also when a worker that started meanwhile
    marked it unknown: the outcome is now known)."""
    changes: dict[str, Any] = {"status": status, "error": error[:300]}
    if status == DeliveryStatus.SENT:
        changes["sent_at"] = timezone.now()
    Delivery.objects.filter(
        pk=claim.delivery_id,
        status__in=(DeliveryStatus.CLAIMED, DeliveryStatus.UNKNOWN),
        claimed_at=claim.claimed_at,
    ).update(**changes)


def counts(bulletin_id: int) -> dict[str, int]:
    """Deliveries of a bulletin per status (every status present, zero when none)."""
    found = dict(
        Delivery.objects.filter(bulletin_id=bulletin_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in DeliveryStatus.values}


def _finish(bulletin_id: int) -> str:
    """Mark the bulletin sent (or failed) when no delivery waits; its status."""
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if bulletin.status != BulletinStatus.SENDING:
            return str(bulletin.status)
        by_status = counts(bulletin_id)
        if any(by_status[status] for status in WAITING):
            return str(bulletin.status)  # another sender is still at work
        failed = by_status[DeliveryStatus.FAILED]
        bulletin.status = BulletinStatus.FAILED if failed else BulletinStatus.SENT
        bulletin.finished_at = timezone.now()
        bulletin.save(update_fields=["status", "finished_at"])
        audit.record(
            actor=None,
            action="portal.bulletin.finished",
            obj=bulletin,
            before={"status": BulletinStatus.SENDING},
            after={"status": bulletin.status, **by_status},
        )
        return str(bulletin.status)


def _send(
    bulletin: Bulletin, claim: _Claim, subscriber: Subscriber, mailer: BaseEmailBackend
) -> bool:
    """Send one claimed delivery and record the outcome; False when the server refused it."""
    email = message(bulletin, subscriber)
    email.connection = mailer
    try:
        email.send(fail_silently=False)
    except REFUSALS as exc:  # its text names the address: only its kind and codes are kept
        logger.warning(
            "bulletin %s: delivery %s refused: %s", bulletin.pk, claim.delivery_id, refusal(exc)
        )
        _settle(claim, DeliveryStatus.FAILED, refusal(exc))
        with suppress(*REFUSALS):  # the next message on a fresh connection
            mailer.close()
            mailer.open()
        return False
    _settle(claim, DeliveryStatus.SENT)
    return True


def deliver(
    bulletin_id: int,
    *,
    connection: BaseEmailBackend | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SendReport:
    """Send the bulletin's waiting deliveries (see the module's docstring); safe to run
    again, and beside another sender. `progress(done, total)` is called after each one."""
    report = SendReport()
    bulletin = _start(bulletin_id)
    if bulletin is None:
        report.status = str(
            Bulletin.objects.filter(pk=bulletin_id).values_list("status", flat=True).first() or ""
        )
        return report
    mailer = connection or get_connection()
    total = Delivery.objects.filter(bulletin_id=bulletin_id).count()
    done = total - Delivery.objects.filter(bulletin_id=bulletin_id, status__in=WAITING).count()
    if progress is not None:
        progress(done, total)
    # one connection for the whole bulletin, opened before anything is claimed: a mail
    # server that does not answer stops the sender here, and the bulletin waits as it was
    with mailer:
        while (claim := _claim_next(bulletin_id)) is not None:
            if claim.subscriber is None:
                report.skipped += 1
            elif _send(bulletin, claim, claim.subscriber, mailer):
                report.sent += 1
            else:
                report.failed += 1
            done += 1
            if progress is not None:
                progress(done, total)
    report.status = _finish(bulletin_id)
    return report


def resume_unfinished() -> list[int]:
    """Run when a worker starts: every delivery left `claimed` is marked `unknown` (its
    sender stopped: the e-mail may or may not have left, so it is never sent again; staff
    see it), and every queued or sending bulletin is handed to the worker again, which
    sends what still waits. Returns the ids of those bulletins.

    A sender still alive elsewhere records the outcome of its delivery over `unknown` when
    it is done; marking it early never makes anything go twice."""
    resumed: list[int] = []
    ids = Bulletin.objects.filter(status__in=UNFINISHED).order_by("pk")
    for bulletin_id in ids.values_list("pk", flat=True):
        with transaction.atomic():
            bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
            if bulletin.status not in UNFINISHED:
                continue
            unknown = Delivery.objects.filter(
                bulletin_id=bulletin_id, status=DeliveryStatus.CLAIMED
            ).update(status=DeliveryStatus.UNKNOWN)
            audit.record(
                actor=None,
                action="portal.bulletin.resumed",
                obj=bulletin,
                after={"status": bulletin.status, "unknown": unknown},
            )
            enqueue(bulletin_id)
        resumed.append(bulletin_id)
    return resumed


@task()
def send_bulletin(bulletin_id: int) -> dict[str, Any]:
    """The worker's task: `deliver` one bulletin."""
    return deliver(bulletin_id).as_dict()
