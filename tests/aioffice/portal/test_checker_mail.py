"""E-mailing a checker result: the one time the checker keeps something about a visitor.
The address is kept with the result link, the e-mail leaves after the commit, sent_at is
recorded, requests are limited per address and per client, the row is erased after the
retention period, and the audit trail never holds the address."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail as outbox
from django.test import Client
from django.utils import timezone

from aioffice.core.models import AuditEvent
from aioffice.portal.checker import mail
from aioffice.portal.checker.examples import EXAMPLES, result_path
from aioffice.portal.models import CheckerEmail

pytestmark = pytest.mark.django_db

ADDRESS = "visitor@example.org"


def _path(name: str = "annex_iii_provider", prefix: str = "") -> str:
    example = EXAMPLES[name]
    return prefix + result_path(example.flow, example.answers)


def _post(client: Client, email: str = ADDRESS, **kwargs: Any) -> Any:
    return client.post(_path(**kwargs), {"email": email}, REMOTE_ADDR="198.51.100.7")


def test_the_form_shows_the_retention_period(client: Client) -> None:
    html = client.get(_path()).content.decode()
    assert 'data-testid="email-form"' in html
    assert f"erase it {mail.retention_days()} days after sending" in html
    assert 'for="id_email"' in html


def test_asking_for_the_result_by_email_keeps_the_address_and_sends_the_link(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client)
    assert response.status_code == 200
    assert 'data-testid="email-sent"' in response.content.decode()
    row = CheckerEmail.objects.get()
    assert (row.email, row.flow, row.language) == (ADDRESS, "system", "en")
    assert row.result_path == _path()
    assert row.sent_at is not None
    assert len(outbox.outbox) == 1
    message = outbox.outbox[0]
    assert message.to == [ADDRESS]
    assert "http://testserver" + _path() in message.body
    assert f"{mail.retention_days()} days" in message.body


def test_the_email_waits_for_the_commit(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _post(client)
    assert len(callbacks) == 1
    assert outbox.outbox == []
    assert CheckerEmail.objects.get().sent_at is None


def test_the_language_of_the_page_is_kept_and_the_link_keeps_it(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, prefix="/fr").status_code == 200
    row = CheckerEmail.objects.get()
    assert row.language == "fr"
    assert row.result_path.startswith("/fr/compliance-checker/system/result/?")
    assert "http://testserver/fr/compliance-checker/" in outbox.outbox[0].body


def test_the_audit_trail_records_the_request_without_the_address(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _post(client)
    event = AuditEvent.objects.get(action="portal.checker_email.requested")
    assert event.object_id == str(CheckerEmail.objects.get().pk)
    stored = " ".join(str(v) for v in (event.object_repr, event.before_json, event.after_json))
    assert ADDRESS not in stored
    assert "visitor" not in stored


@pytest.mark.parametrize("email", ["", "not an address", "a@", "x" * 300 + "@example.org"])
def test_a_bad_address_is_refused_next_to_the_field_and_nothing_is_kept(
    client: Client, email: str
) -> None:
    response = _post(client, email=email)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_email-error"' in html
    assert 'aria-describedby="id_email-error"' in html
    assert CheckerEmail.objects.count() == 0
    assert outbox.outbox == []


def test_a_result_with_bad_answers_sends_nothing(client: Client) -> None:
    response = client.post("/compliance-checker/system/result/?role=emperor", {"email": ADDRESS})
    assert response.status_code == 400
    assert CheckerEmail.objects.count() == 0


def test_one_address_gets_a_few_results_an_hour_then_a_429(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(mail.PER_ADDRESS_PER_HOUR):
            assert _post(client).status_code == 200
        refused = _post(client, email=ADDRESS.upper())
    assert refused.status_code == 429
    assert "Too many results were sent to this address" in refused.content.decode()
    assert CheckerEmail.objects.count() == mail.PER_ADDRESS_PER_HOUR
    assert len(outbox.outbox) == mail.PER_ADDRESS_PER_HOUR


def test_one_client_is_limited_whatever_the_address(
    client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PORTAL_FORM_RATE = 2
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, email="a@example.org").status_code == 200
        assert _post(client, email="b@example.org").status_code == 200
        refused = _post(client, email="c@example.org")
    assert refused.status_code == 429
    assert "Too many requests from your connection" in refused.content.decode()
    assert CheckerEmail.objects.count() == 2


def test_a_mail_server_that_refuses_leaves_the_row_unsent_without_an_error_page(
    client: Client, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise smtplib.SMTPException("no")

    monkeypatch.setattr(mail, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client)
    assert response.status_code == 200
    assert CheckerEmail.objects.get().sent_at is None


def test_sending_twice_sends_once(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _post(client)
    row = CheckerEmail.objects.get()
    assert mail.send_result_email(row.pk, base_url="http://testserver/") is False
    assert len(outbox.outbox) == 1


def _row(*, requested_days_ago: int, sent_days_ago: int | None) -> CheckerEmail:
    now = timezone.now()
    return CheckerEmail.objects.create(
        email=ADDRESS,
        flow="system",
        result_path="/compliance-checker/system/result/?role=provider",
        requested_at=now - timedelta(days=requested_days_ago),
        sent_at=None if sent_days_ago is None else now - timedelta(days=sent_days_ago),
    )


def test_purge_erases_the_rows_sent_longer_ago_than_the_retention_period() -> None:
    days = mail.retention_days()
    old = _row(requested_days_ago=days + 2, sent_days_ago=days + 1)
    recent = _row(requested_days_ago=days, sent_days_ago=days - 1)
    never_sent_old = _row(requested_days_ago=days + 1, sent_days_ago=None)
    never_sent_new = _row(requested_days_ago=1, sent_days_ago=None)
    assert mail.purge_sent() == 2
    kept = set(CheckerEmail.objects.values_list("pk", flat=True))
    assert kept == {recent.pk, never_sent_new.pk}
    assert old.pk not in kept and never_sent_old.pk not in kept
    event = AuditEvent.objects.get(action="portal.checker_email.purged")
    assert ADDRESS not in (event.after_json or "")
    assert mail.purge_sent() == 0


def test_purge_takes_the_time_it_is_given(settings: Any) -> None:
    settings.PORTAL_CHECKER_EMAIL_RETENTION_DAYS = 10
    row = _row(requested_days_ago=12, sent_days_ago=11)
    assert mail.purge_sent(now=timezone.now() - timedelta(days=5)) == 0
    assert mail.purge_sent() == 1
    assert not CheckerEmail.objects.filter(pk=row.pk).exists()
