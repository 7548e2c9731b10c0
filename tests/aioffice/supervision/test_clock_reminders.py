"""Reminder e-mails: once when a deadline comes within SUPERVISION_REMINDER_DAYS, once when
it is overdue, to the owner and (the provider's move) to the provider's members; never
twice, also when a run is repeated, when the due date is unchanged, or after a failure."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from typer.testing import CliRunner

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.cli import app
from aioffice.core.testing import make_user
from aioffice.registry.testing import registered_provider
from aioffice.supervision import clock, tasks
from aioffice.supervision.choices import DeadlineKind, DeadlineStatus
from aioffice.supervision.models import Deadline

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def add(days: int, **more: Any) -> Deadline:
    return Deadline.objects.create(
        kind=DeadlineKind.MEASURE,
        source=f"test.thing:{Deadline.objects.count() + 1}",
        title=more.pop("title", f"in {days} days"),
        due_on=DAY + timedelta(days=days),
        url="/x/",
        **more,
    )


def test_once_when_due_soon_and_once_when_overdue() -> None:
    officer = make_user(Role.POLICY_OFFICER, "po")
    deadline = add(5, owner=officer)
    add(6, owner=officer, title="not yet")
    report = tasks.send_reminders(on=DAY, days=5)
    assert (report.soon, report.overdue, report.messages) == (1, 0, 1)
    assert mail.outbox[0].to == ["po@test.example"]
    assert "Due on 2026-11-07" in mail.outbox[0].subject
    assert "Whose move: the AI Office's." in mail.outbox[0].body
    assert tasks.send_reminders(on=DAY, days=5).messages == 0  # a rerun sends nothing
    assert tasks.send_reminders(on=DAY + timedelta(days=3), days=5).soon == 1
    assert len(mail.outbox) == 2 and "not yet" in mail.outbox[1].subject  # the other one
    overdue_day = DAY + timedelta(days=6)
    report = tasks.send_reminders(on=overdue_day, days=5)
    assert report.overdue == 1 and "Overdue since 2026-11-07" in mail.outbox[-1].subject
    assert tasks.send_reminders(on=overdue_day, days=5).messages == 0
    later = tasks.send_reminders(on=overdue_day + timedelta(days=1), days=5)
    assert later.overdue == 1 and "not yet" in mail.outbox[-1].subject  # only the other one
    deadline.refresh_from_db()
    assert deadline.reminded_on == DAY and deadline.overdue_reminded_on == overdue_day


def test_an_already_overdue_deadline_gets_the_overdue_one_only() -> None:
    officer = make_user(Role.POLICY_OFFICER, "po")
    add(-3, owner=officer)
    report = tasks.send_reminders(on=DAY, days=5)
    assert (report.soon, report.overdue) == (0, 1)
    assert tasks.send_reminders(on=DAY, days=5).messages == 0
    assert len(mail.outbox) == 1


def test_the_providers_move_reaches_its_members_in_bcc() -> None:
    provider = registered_provider("Alpha AI")
    for name in ("m1", "m2"):
        accounts.membership_add(
            actor=None,
            user=make_user(None, name),
            organisation=provider.organisation,
            role=Role.ORGANISATION_MEMBER,
        )
    officer = make_user(Role.LEGAL_OFFICER, "lo")
    add(2, owner=officer, provider=provider, provider_to_act=True)
    add(2, provider=provider, provider_to_act=False, title="office's, no owner")
    report = tasks.send_reminders(on=DAY, days=5)
    assert report.messages == 2
    to_provider = next(m for m in mail.outbox if m.bcc)
    assert sorted(to_provider.bcc) == ["m1@test.example", "m2@test.example"]
    assert to_provider.to == [] and "Whose move: yours" in to_provider.body
    assert "Provider: Alpha AI." in to_provider.body


def test_a_closed_deadline_is_not_reminded() -> None:
    officer = make_user(Role.POLICY_OFFICER, "po")
    add(1, owner=officer, status=DeadlineStatus.MET)
    assert tasks.send_reminders(on=DAY, days=5).messages == 0


def test_a_refused_message_is_tried_again_and_then_sent_once(monkeypatch: Any) -> None:
    officer = make_user(Role.POLICY_OFFICER, "po")
    deadline = add(1, owner=officer)

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    report = tasks.send_reminders(on=DAY, days=5)
    assert report.failed == [deadline.pk] and report.soon == 0
    deadline.refresh_from_db()
    assert deadline.reminded_on is None  # the mark was taken back
    monkeypatch.undo()
    assert tasks.send_reminders(on=DAY, days=5).soon == 1
    assert tasks.send_reminders(on=DAY, days=5).soon == 0
    assert len(mail.outbox) == 1


def test_a_crash_after_marking_never_sends_twice(monkeypatch: Any) -> None:
    """The mark is committed before the e-mail goes: a process that dies in between loses
    that reminder instead of sending it twice."""
    officer = make_user(Role.POLICY_OFFICER, "po")
    add(1, owner=officer)

    class Died(BaseException):
        pass

    def die(*args: Any, **kwargs: Any) -> int:
        raise Died

    monkeypatch.setattr("django.core.mail.EmailMessage.send", die)
    with pytest.raises(Died):
        tasks.send_reminders(on=DAY, days=5)
    monkeypatch.undo()
    assert tasks.send_reminders(on=DAY, days=5).messages == 0
    assert mail.outbox == []


def test_moving_the_due_date_rearms_the_reminder() -> None:
    officer = make_user(Role.POLICY_OFFICER, "po")
    provider = registered_provider("Alpha AI")
    source = provider  # any row will do as the source
    clock.open_deadline(
        kind=DeadlineKind.MEASURE, source=source, due_on=DAY, title="t", owner=officer
    )
    assert tasks.send_reminders(on=DAY, days=5).soon == 1
    clock.open_deadline(
        kind=DeadlineKind.MEASURE,
        source=source,
        due_on=DAY + timedelta(days=2),
        title="t",
        owner=officer,
    )
    assert tasks.send_reminders(on=DAY, days=5).soon == 1
    assert len(mail.outbox) == 2


@override_settings(SUPERVISION_REMINDER_DAYS=2)
def test_the_task_and_the_command_use_the_setting() -> None:
    officer = make_user(Role.POLICY_OFFICER, "po")
    add(1, owner=officer)
    assert tasks.reminder_days() == 2
    result = tasks.send_deadline_reminders.call()
    assert result["overdue"] == 1 and result["messages"] == 1  # today it is overdue
    outcome = CliRunner().invoke(app, ["supervision", "reminders"])
    assert outcome.exit_code == 0 and "0 e-mails sent" in outcome.output


def test_the_sync_command() -> None:
    outcome = CliRunner().invoke(app, ["supervision", "deadlines", "sync"])
    assert outcome.exit_code == 0, outcome.output
    assert "registry records followed" in outcome.output
