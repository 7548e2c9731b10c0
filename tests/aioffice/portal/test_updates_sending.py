"""Sending a message to subscribers: the recipients fixed when it is queued, one e-mail per
subscriber at most, a refusal that does not stop the rest, a crash that never sends twice,
two senders at once."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.portal import services_updates as services
from aioffice.portal import tasks_updates as tasks
from aioffice.portal.choices import BulletinStatus, DeliveryStatus, SubscriberStatus
from aioffice.portal.models_updates import Bulletin, Delivery, Subscriber

from .test_updates_signup import Commit, active_subscriber

pytestmark = pytest.mark.django_db

SITE = "http://testserver/"


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Commit:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def author() -> Any:
    return make_user(Role.POLICY_OFFICER, "paula")


def draft(author: Any, topics: Sequence[str] = ("gpai",), subject: str = "News") -> Bulletin:
    return services.bulletin_create(
        actor=author, subject=subject, body="Dear subscriber,\nthe news.", topics=topics
    )


def queued(author: Any, topics: Sequence[str] = ("gpai",)) -> Bulletin:
    """A bulletin queued but not handed to the worker (the test sends it)."""
    return services.bulletin_queue(
        actor=author, bulletin=draft(author, topics), site_url=SITE, enqueue=False
    )


def address_of(subscriber: Subscriber) -> str:
    """The subscriber's address, or for one erased when they unsubscribed, the test's
    address its digest is of."""
    if subscriber.email:
        return subscriber.email
    known = (f"{name}@example.org" for name in ("ana", "bob", "cleo", "dan", "eva", "late"))
    return next(a for a in known if services.email_digest(a) == subscriber.email_digest)


def statuses(bulletin: Bulletin) -> dict[str, str]:
    return {
        address_of(d.subscriber): d.status
        for d in Delivery.objects.filter(bulletin=bulletin).select_related("subscriber")
    }


class RefusingBackend(EmailBackend):
    """The mail server refuses the addresses in `refuse`."""

    def __init__(self, refuse: set[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.refuse = refuse

    def send_messages(self, messages: Sequence[Any]) -> int:
        for message in messages:
            refused = set(message.to) & self.refuse
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"mailbox unavailable") for address in refused}
                )
        return super().send_messages(messages)


class Killed(BaseException):
    """Stands for SIGKILL: nothing of the sender runs after it."""


class CrashingBackend(EmailBackend):
    """The sender's process dies while sending message number `at` (1-based)."""

    def __init__(self, at: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.at = at
        self.count = 0

    def send_messages(self, messages: Sequence[Any]) -> int:
        self.count += 1
        if self.count == self.at:
            raise Killed
        return super().send_messages(messages)


def test_queueing_fixes_the_recipients_and_each_gets_one_personal_message(
    author: Any, commit: Commit, mailoutbox: list[Any]
) -> None:
    for name in ("ana", "bob", "cleo"):
        active_subscriber(f"{name}@example.org", ("gpai", "guidance"))
    active_subscriber("dan@example.org", ("jobs",))  # another topic
    active_subscriber("eva@example.org", ("gpai",), language="fr")
    services.subscriber_signup(
        email="late@example.org", topics=["gpai"], consent=True, language="en", site_url=SITE
    )
    late = Subscriber.objects.get(email="late@example.org")
    bulletin = draft(author, ("gpai", "guidance"))
    with commit():
        services.bulletin_queue(actor=author, bulletin=bulletin, site_url=SITE, enqueue=False)
    assert set(statuses(bulletin)) == {
        "ana@example.org",
        "bob@example.org",
        "cleo@example.org",
        "eva@example.org",
    }
    # someone who confirms after the message was queued is not added to it
    Subscriber.objects.filter(pk=late.pk).update(status=SubscriberStatus.ACTIVE)
    report = tasks.deliver(bulletin.pk)
    assert (report.sent, report.failed, report.skipped, report.status) == (4, 0, 0, "sent")
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ana@example.org",
        "bob@example.org",
        "cleo@example.org",
        "eva@example.org",
    ]
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT and bulletin.finished_at is not None
    assert set(statuses(bulletin).values()) == {DeliveryStatus.SENT}

    # each message is plain text with its reader's own unsubscribe link, in the headers too
    for message in mailoutbox:
        assert message.subject == "News" and message.content_subtype == "plain"
        assert "the news." in message.body
        subscriber = Subscriber.objects.get(email=message.to[0])
        path = re.search(r"http://testserver(/\S*updates/unsubscribe/(\S+)/)", message.body)
        assert path and path.group(2) == services.unsubscribe_token(subscriber.pk)
        assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{path.group(1)}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    french = next(m for m in mailoutbox if m.to == ["eva@example.org"])
    assert "/fr/updates/unsubscribe/" in french.body

    # a second run sends nothing more
    assert tasks.deliver(bulletin.pk).sent == 0
    assert len(mailoutbox) == 4

    # the unsubscribe link of a message works (one click too)
    ana = next(m for m in mailoutbox if m.to == ["ana@example.org"])
    url = ana.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    unsubscribed = Subscriber.objects.get(email_digest=services.email_digest("ana@example.org"))
    assert unsubscribed.status == SubscriberStatus.UNSUBSCRIBED


def test_sending_through_the_worker_task(
    author: Any, commit: Commit, mailoutbox: list[Any]
) -> None:
    active_subscriber("ana@example.org")
    bulletin = draft(author)
    with commit():  # the immediate task backend of the tests sends it when handed over
        services.bulletin_queue(actor=author, bulletin=bulletin, site_url=SITE)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    actions = list(
        AuditEvent.objects.filter(object_type="portal.bulletin", object_id=str(bulletin.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "portal.bulletin.created",
        "portal.bulletin.queued",
        "portal.bulletin.sending",
        "portal.bulletin.finished",
    ]


def test_someone_who_unsubscribed_since_the_queueing_is_skipped(
    author: Any, mailoutbox: list[Any]
) -> None:
    ana = active_subscriber("ana@example.org")
    active_subscriber("bob@example.org")
    bulletin = queued(author)
    services.subscriber_unsubscribe(subscriber=ana)
    report = tasks.deliver(bulletin.pk)
    assert (report.sent, report.skipped) == (1, 1)
    assert statuses(bulletin) == {
        "ana@example.org": DeliveryStatus.SKIPPED,
        "bob@example.org": DeliveryStatus.SENT,
    }
    assert [m.to for m in mailoutbox] == [["bob@example.org"]]
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT


def test_a_refused_mail_fails_alone_and_the_bulletin_goes_on(
    author: Any, mailoutbox: list[Any]
) -> None:
    for name in ("ana", "bob", "cleo"):
        active_subscriber(f"{name}@example.org")
    bulletin = queued(author)
    report = tasks.deliver(bulletin.pk, connection=RefusingBackend({"bob@example.org"}))
    assert (report.sent, report.failed, report.status) == (2, 1, BulletinStatus.FAILED)
    assert statuses(bulletin) == {
        "ana@example.org": DeliveryStatus.SENT,
        "bob@example.org": DeliveryStatus.FAILED,
        "cleo@example.org": DeliveryStatus.SENT,
    }
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert "SMTPRecipientsRefused" in failed.error and "550" in failed.error
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "cleo@example.org"]
    # a refusal is final: running again sends nothing
    assert tasks.deliver(bulletin.pk).sent == 0 and len(mailoutbox) == 2


def test_after_a_crash_the_delivery_in_flight_is_unknown_and_never_sent_again(
    author: Any, commit: Commit, mailoutbox: list[Any]
) -> None:
    for name in ("ana", "bob", "cleo", "dan"):
        active_subscriber(f"{name}@example.org")
    bulletin = queued(author)
    with pytest.raises(Killed):
        tasks.deliver(bulletin.pk, connection=CrashingBackend(at=2))
    by_status = tasks.counts(bulletin.pk)
    assert by_status[DeliveryStatus.SENT] == 1
    assert by_status[DeliveryStatus.CLAIMED] == 1  # committed before its e-mail went
    assert by_status[DeliveryStatus.PENDING] == 2
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENDING
    in_flight = Delivery.objects.get(status=DeliveryStatus.CLAIMED).subscriber.email

    # the worker starts again: the claimed one becomes unknown, the rest is sent
    with commit():
        assert tasks.resume_unfinished() == [bulletin.pk]
    by_status = tasks.counts(bulletin.pk)
    assert by_status[DeliveryStatus.UNKNOWN] == 1
    assert by_status[DeliveryStatus.SENT] == 3
    assert by_status[DeliveryStatus.PENDING] == by_status[DeliveryStatus.CLAIMED] == 0
    assert Delivery.objects.get(status=DeliveryStatus.UNKNOWN).subscriber.email == in_flight
    sent_to = [m.to[0] for m in mailoutbox]
    assert len(sent_to) == len(set(sent_to)) == 3 and in_flight not in sent_to
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT

    # resuming again finds nothing to do
    with commit():
        assert tasks.resume_unfinished() == []
    assert len(mailoutbox) == 3


def test_two_senders_at_once_send_each_message_once(author: Any, mailoutbox: list[Any]) -> None:
    for name in ("ana", "bob", "cleo", "dan", "eva"):
        active_subscriber(f"{name}@example.org")
    bulletin = queued(author)
    second: dict[str, Any] = {}

    class InterleavingBackend(EmailBackend):
        """While the first sender sends its first message, a second sender runs."""

        def send_messages(self, messages: Sequence[Any]) -> int:
            if not second:
                second["report"] = tasks.deliver(bulletin.pk, connection=EmailBackend())
            return super().send_messages(messages)

    first = tasks.deliver(bulletin.pk, connection=InterleavingBackend())
    assert first.sent == 1 and second["report"].sent == 4
    sent_to = sorted(m.to[0] for m in mailoutbox)
    assert sent_to == sorted(f"{n}@example.org" for n in ("ana", "bob", "cleo", "dan", "eva"))
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT  # finished by the sender that ended last


def test_a_delivery_marked_unknown_while_its_sender_lives_gets_its_real_outcome(
    author: Any, commit: Commit, mailoutbox: list[Any]
) -> None:
    active_subscriber("ana@example.org")
    bulletin = queued(author)

    class RestartingBackend(EmailBackend):
        """A worker starts elsewhere while this sender is sending."""

        def send_messages(self, messages: Sequence[Any]) -> int:
            Delivery.objects.filter(status=DeliveryStatus.CLAIMED).update(
                status=DeliveryStatus.UNKNOWN
            )
            return super().send_messages(messages)

    report = tasks.deliver(bulletin.pk, connection=RestartingBackend())
    assert report.sent == 1 and report.status == BulletinStatus.SENT
    assert statuses(bulletin) == {"ana@example.org": DeliveryStatus.SENT}


def test_queueing_refuses_a_message_without_recipients_or_already_sent(author: Any) -> None:
    bulletin = draft(author, ("jobs",))
    with pytest.raises(ValidationError) as caught:
        services.bulletin_queue(actor=author, bulletin=bulletin, site_url=SITE)
    assert set(caught.value.message_dict) == {"topics"}
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT and not Delivery.objects.exists()

    active_subscriber("ana@example.org", ("jobs",))
    services.bulletin_queue(actor=author, bulletin=bulletin, site_url=SITE, enqueue=False)
    with pytest.raises(ValidationError) as caught:
        services.bulletin_queue(actor=author, bulletin=bulletin, site_url=SITE, enqueue=False)
    assert set(caught.value.message_dict) == {"status"}
    with pytest.raises(ValidationError):
        services.bulletin_update(
            actor=author, bulletin=bulletin, subject="Changed", body="x", topics=["jobs"]
        )
    assert Delivery.objects.count() == 1


def test_a_bulletin_names_each_bad_field(author: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.bulletin_create(actor=author, subject=" ", body="", topics=["astrology"])
    assert set(caught.value.message_dict) == {"subject", "body", "topics"}
    with pytest.raises(ValidationError) as caught:
        services.bulletin_create(actor=author, subject="x" * 201, body="b", topics=["gpai"])
    assert set(caught.value.message_dict) == {"subject"}
    with pytest.raises(ValidationError) as caught:  # no header injection through the subject
        services.bulletin_create(
            actor=author, subject="Hi\nBcc: all@example.org", body="b", topics=["gpai"]
        )
    assert set(caught.value.message_dict) == {"subject"}
    assert not Bulletin.objects.exists()


def test_deliver_does_nothing_for_a_draft_or_a_finished_bulletin(
    author: Any, mailoutbox: list[Any]
) -> None:
    active_subscriber("ana@example.org")
    bulletin = draft(author)
    assert tasks.deliver(bulletin.pk).status == BulletinStatus.DRAFT
    assert tasks.deliver(999_999).status == ""
    assert mailoutbox == []


def test_the_demo_loads_subscribers_and_a_sent_bulletin_once(mailoutbox: list[Any]) -> None:
    from aioffice.demo_data import portal_updates

    users = {"policy": make_user(Role.POLICY_OFFICER, "policy")}
    portal_updates.load(users=users)
    portal_updates.load(users=users)
    assert Subscriber.objects.filter(status=SubscriberStatus.ACTIVE).count() == len(
        portal_updates.SUBSCRIBERS
    )
    assert all(
        email.endswith("@example.org")
        for email in Subscriber.objects.values_list("email", flat=True)
    )
    bulletin = Bulletin.objects.get()
    assert bulletin.status == BulletinStatus.SENT
    assert tasks.counts(bulletin.pk)[DeliveryStatus.SENT] == 3  # the three on GPAI
    assert mailoutbox == []  # the demo's e-mails go nowhere
