"""Reminder e-mails of the one clock, sent by the worker.

`send_reminders` writes to each deadline's owner (and, when it is the provider's move, to
the members of the provider's organisation) once when the deadline comes within
`SUPERVISION_REMINDER_DAYS` days, and once when it becomes overdue.

Never twice: each deadline is *marked first*, in its own transaction that re-reads the row
under a lock (`reminded_on` / `overdue_reminded_on`), and the e-mail is sent after that
transaction committed. A second run, or a worker running at the same time, finds the mark
and sends nothing. A process that dies between the commit and the e-mail loses that one
reminder rather than sending it twice (at most once: the dashboard still shows the
deadline). When sending raises (the mail server refused it), the mark is taken back so the
next run tries again; a refusal means the message was not accepted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from aioffice.supervision.choices import DeadlineStatus
from aioffice.supervision.models import Deadline

logger = logging.getLogger(__name__)

SOON = "soon"
OVERDUE = "overdue"


def reminder_days() -> int:
    return int(getattr(settings, "SUPERVISION_REMINDER_DAYS", 5))


@dataclass
class ReminderReport:
    soon: int = 0
    overdue: int = 0
    messages: int = 0
    failed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "soon": self.soon,
            "overdue": self.overdue,
            "messages": self.messages,
            "failed": self.failed,
        }


def _provider_addresses(provider_id: int | None, cache: dict[int, list[str]]) -> list[str]:
    from aioffice.accounts.models import User
    from aioffice.registry.models import Provider

    if provider_id is None:
        return []
    if provider_id not in cache:
        organisation = Provider.objects.filter(pk=provider_id).values("organisation_id").first()
        addresses: list[str] = []
        if organisation is not None:
            addresses = sorted(
                set(
                    User.objects.filter(
                        memberships__organisation_id=organisation["organisation_id"],
                        is_active=True,
                    )
                    .exclude(email="")
                    .values_list("email", flat=True)
                )
            )
        cache[provider_id] = addresses
    return cache[provider_id]


def _mark(deadline_id: int, which: str, day: date) -> Deadline | None:
    """Mark one deadline as reminded, in its own transaction; None when it is no longer
    open or someone marked it meanwhile (then nothing is sent)."""
    with transaction.atomic():
        row = (
            Deadline.objects.select_for_update(of=("self",))
            .select_related("owner", "provider__organisation")
            .filter(pk=deadline_id, status=DeadlineStatus.OPEN)
            .first()
        )
        if row is None:
            return None
        if which == OVERDUE:
            if row.overdue_reminded_on is not None:
                return None
            row.overdue_reminded_on = day
            if row.reminded_on is None:
                row.reminded_on = day  # no "soon" e-mail after the overdue one
            row.save(update_fields=["overdue_reminded_on", "reminded_on"])
        else:
            if row.reminded_on is not None:
                return None
            row.reminded_on = day
            row.save(update_fields=["reminded_on"])
        return row


def _unmark(deadline_id: int, which: str) -> None:
    changes: dict[str, Any] = (
        {"overdue_reminded_on": None} if which == OVERDUE else {"reminded_on": None}
    )
    Deadline.objects.filter(pk=deadline_id).update(**changes)


def _subject(row: Deadline, which: str) -> str:
    if which == OVERDUE:
        return f"[AI Office] Overdue since {row.due_on:%Y-%m-%d}: {row.title}"[:200]
    return f"[AI Office] Due on {row.due_on:%Y-%m-%d}: {row.title}"[:200]


def _body(row: Deadline, which: str, for_provider: bool) -> str:
    whose = "yours (the provider's)" if row.provider_to_act else "the AI Office's"
    basis = (
        "a period of the AI Act"
        if row.legal
        else "a period of the GPAI Code of Practice (voluntary commitment)"
    )
    state = (
        f"was due on {row.due_on:%Y-%m-%d} and is overdue"
        if which == OVERDUE
        else f"is due on {row.due_on:%Y-%m-%d}"
    )
    if not for_provider:
        whose = "the provider's" if row.provider_to_act else "the AI Office's"
    lines = [f"{row.title} {state}.", "", f"Whose move: {whose}.", f"Basis: {basis}."]
    if row.provider is not None:
        lines.append(f"Provider: {row.provider.organisation.name}.")
    if row.url:
        lines.append(f"Open it in aioffice: {row.url}")
    lines += ["", "This is an automatic reminder of aioffice; it is sent once."]
    return "\n".join(lines)


def _send(row: Deadline, which: str, cache: dict[int, list[str]]) -> int:
    """The e-mails of one reminder: to the owner, and to the provider's members when it is
    the provider's move. Returns the number of messages sent."""
    messages: list[EmailMessage] = []
    owner = row.owner
    if owner is not None and owner.is_active and owner.email:
        messages.append(
            EmailMessage(_subject(row, which), _body(row, which, False), to=[owner.email])
        )
    if row.provider_to_act:
        addresses = _provider_addresses(row.provider_id, cache)
        if addresses:
            # one message, the members in Bcc: they do not see each other's addresses
            messages.append(
                EmailMessage(_subject(row, which), _body(row, which, True), bcc=addresses)
            )
    for message in messages:
        message.send(fail_silently=False)
    return len(messages)


def _candidates(day: date, days: int) -> Iterable[tuple[int, str]]:
    """(id, which) of the deadlines a reminder is due for, read once without locks (each
    is re-read under a lock before it is marked)."""
    open_rows = Deadline.objects.filter(status=DeadlineStatus.OPEN).order_by("due_on", "id")
    for pk in open_rows.filter(due_on__lt=day, overdue_reminded_on__isnull=True).values_list(
        "pk", flat=True
    ):
        yield pk, OVERDUE
    for pk in open_rows.filter(
        due_on__gte=day, due_on__lte=day + timedelta(days=days), reminded_on__isnull=True
    ).values_list("pk", flat=True):
        yield pk, SOON


def send_reminders(*, on: date | None = None, days: int | None = None) -> ReminderReport:
    """Send the reminders due on `on` (today): see the module's docstring."""
    day = on or timezone.now().date()
    window = reminder_days() if days is None else days
    report = ReminderReport()
    cache: dict[int, list[str]] = {}
    for pk, which in list(_candidates(day, window)):
        row = _mark(pk, which, day)
        if row is None:
            continue
        try:
            report.messages += _send(row, which, cache)
        except Exception:
            logger.exception("reminder for deadline %s not sent; it will be tried again", pk)
            _unmark(pk, which)
            report.failed.append(pk)
            continue
        if which == OVERDUE:
            report.overdue += 1
        else:
            report.soon += 1
    return report


@task()
def send_deadline_reminders() -> dict[str, Any]:
    """The worker's task: `send_reminders` for today."""
    return send_reminders().as_dict()
