"""Reads of the updates part: the links people follow, the staff's list and progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from aioffice.portal.choices import DeliveryStatus, SubscriberStatus
from aioffice.portal.models_updates import Bulletin, Subscriber
from aioffice.portal.services_updates import (
    check_confirmation,
    recipients,
    subscriber_id_from_token,
    token_sha256,
)


def subscriber_for_confirmation(token: str) -> Subscriber:
    """The pending subscriber a confirmation link leads to, without changing anything; a
    ValidationError naming `token` (code "invalid" or "expired") otherwise."""
    subscriber = Subscriber.objects.filter(
        confirm_sha256=token_sha256(token), status=SubscriberStatus.PENDING
    ).first()
    return check_confirmation(subscriber)


def subscriber_for_unsubscribe(token: str) -> Subscriber:
    """The subscriber an unsubscribe link was signed for: a ValidationError naming `token`
    when it was altered, 404 when the subscriber no longer exists."""
    subscriber_id = subscriber_id_from_token(token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).prefetch_related("topics").first()
    if subscriber is None:
        raise Http404
    return subscriber


def recipient_count(topics: list[str]) -> int:
    """How many people a message on `topics` reaches if it is sent now."""
    if not topics:
        return 0
    return int(recipients(topics).count())


def _count(status: str | tuple[str, ...]) -> Count:
    statuses = (status,) if isinstance(status, str) else status
    return Count("deliveries", filter=Q(deliveries__status__in=statuses))


def bulletins_with_progress() -> QuerySet[Bulletin]:
    """Every bulletin, newest first, with its deliveries counted per outcome (one query)."""
    return (
        Bulletin.objects.select_related("created_by", "queued_by")
        .annotate(
            n_total=Count("deliveries"),
            n_sent=_count(DeliveryStatus.SENT),
            n_failed=_count(DeliveryStatus.FAILED),
            n_unknown=_count(DeliveryStatus.UNKNOWN),
            n_skipped=_count(DeliveryStatus.SKIPPED),
            n_waiting=_count((DeliveryStatus.PENDING, DeliveryStatus.CLAIMED)),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Progress:
    """The deliveries of one bulletin per outcome."""

    total: int
    sent: int
    failed: int
    unknown: int
    skipped: int
    waiting: int

    @property
    def done(self) -> int:
        return self.total - self.waiting

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_of(bulletin: Bulletin) -> Progress:
    """The progress of an annotated bulletin (from `bulletins_with_progress`)."""
    return Progress(
        total=getattr(bulletin, "n_total", 0),
        sent=getattr(bulletin, "n_sent", 0),
        failed=getattr(bulletin, "n_failed", 0),
        unknown=getattr(bulletin, "n_unknown", 0),
        skipped=getattr(bulletin, "n_skipped", 0),
        waiting=getattr(bulletin, "n_waiting", 0),
    )


def bulletin_with_progress(bulletin_id: int) -> Bulletin:
    """One bulletin with its counts (404 when unknown)."""
    bulletin = bulletins_with_progress().filter(pk=bulletin_id).first()
    if bulletin is None:
        raise Http404
    return bulletin
