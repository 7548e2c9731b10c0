"""`aioffice portal bulletins list|send|resume`: sending from the command line, resuming,
and one error line with exit status 2 on bad input."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from aioffice.accounts.choices import Role
from aioffice.cli import app, main
from aioffice.core.testing import make_user
from aioffice.portal import services_updates as services
from aioffice.portal import tasks_updates as tasks
from aioffice.portal.choices import BulletinStatus, DeliveryStatus
from aioffice.portal.models_updates import Bulletin, Delivery

from .test_updates_signup import Commit, active_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Commit:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def draft() -> Bulletin:
    for name in ("ana", "bob", "cleo"):
        active_subscriber(f"{name}@example.org")
    return services.bulletin_create(
        actor=make_user(Role.POLICY_OFFICER, "paula"),
        subject="Guidance published",
        body="Read it.",
        topics=["gpai"],
    )


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    return lines[0]


def test_list_shows_each_message_with_its_outcomes(draft: Bulletin) -> None:
    result = CliRunner().invoke(app, ["portal", "bulletins", "list"])
    assert result.exit_code == 0, result.output
    assert "Guidance published" in result.output and "draft" in result.output


def test_send_a_draft_in_this_process(draft: Bulletin, mailoutbox: list[Any]) -> None:
    result = CliRunner().invoke(
        app,
        ["portal", "bulletins", "send", str(draft.pk), "--site-url", "https://ai-office.example/"],
    )
    assert result.exit_code == 0, result.output
    assert f"message #{draft.pk}: 3 sent, 0 refused, 0 skipped; status sent" in result.output
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.SENT and draft.queued_by is None
    assert len(mailoutbox) == 3
    assert "https://ai-office.example/updates/unsubscribe/" in mailoutbox[0].body


def test_send_resumes_an_interrupted_message(draft: Bulletin, mailoutbox: list[Any]) -> None:
    services.bulletin_queue(
        actor=None, bulletin=draft, site_url="http://testserver/", enqueue=False
    )
    first = Delivery.objects.order_by("pk").first()
    assert first is not None
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.SENT)  # sent before
    result = CliRunner().invoke(app, ["portal", "bulletins", "send", str(draft.pk)])
    assert result.exit_code == 0, result.output
    assert "2 sent" in result.output
    assert len(mailoutbox) == 2 and first.subscriber.email not in {m.to[0] for m in mailoutbox}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["send", "999999"], "no message #999999"),
        (["send", "{draft}"], "--site-url"),
        (["send", "{sent}"], "is sent: there is nothing to send"),
        (["send", "abc"], "Invalid value for 'ID'"),
    ],
)
def test_bad_input_gives_one_error_line_and_exit_2(
    args: list[str],
    message: str,
    draft: Bulletin,
    capsys: pytest.CaptureFixture[str],
    mailoutbox: list[Any],
) -> None:
    sent = services.bulletin_create(
        actor=draft.created_by, subject="Old", body="B", topics=["gpai"]
    )
    Bulletin.objects.filter(pk=sent.pk).update(status=BulletinStatus.SENT)
    argv = [arg.format(draft=draft.pk, sent=sent.pk) for arg in args]
    assert main(["portal", "bulletins", *argv]) == 2
    assert message in _error_line(capsys)
    draft.refresh_from_db()
    assert draft.status == BulletinStatus.DRAFT
    assert mailoutbox == []


def test_send_refuses_a_draft_without_recipients(capsys: pytest.CaptureFixture[str]) -> None:
    lonely = services.bulletin_create(
        actor=make_user(Role.POLICY_OFFICER, "paula"), subject="S", body="B", topics=["events"]
    )
    code = main(["portal", "bulletins", "send", str(lonely.pk), "--site-url", "http://x.example/"])
    assert code == 2
    assert "Nobody is subscribed" in _error_line(capsys)


def test_resume_marks_the_claimed_unknown_and_sends_the_rest(
    draft: Bulletin, commit: Commit, mailoutbox: list[Any]
) -> None:
    services.bulletin_queue(
        actor=None, bulletin=draft, site_url="http://testserver/", enqueue=False
    )
    first = Delivery.objects.order_by("pk").first()
    assert first is not None
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.CLAIMED)
    Bulletin.objects.filter(pk=draft.pk).update(status=BulletinStatus.SENDING)
    with commit():
        result = CliRunner().invoke(app, ["portal", "bulletins", "resume"])
    assert result.exit_code == 0, result.output
    assert f"message #{draft.pk} handed to the worker again" in result.output
    assert tasks.counts(draft.pk)[DeliveryStatus.UNKNOWN] == 1
    assert len(mailoutbox) == 2
    again = CliRunner().invoke(app, ["portal", "bulletins", "resume"])
    assert "no message to resume" in again.output
