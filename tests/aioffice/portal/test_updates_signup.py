"""Sign-up for updates, as the public uses it: the form, the links in the e-mails (double
opt-in, unsubscribe, one click), the same answer for every address, refused links, limits.

The helpers at the top are shared with the other test_updates_* modules."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aioffice.core.models import AuditEvent
from aioffice.portal import services_updates as services
from aioffice.portal.choices import SubscriberStatus
from aioffice.portal.models_updates import ConsentText, Subscriber

pytestmark = pytest.mark.django_db

SIGNUP = reverse("portal:updates_signup")
SENT = reverse("portal:updates_sent")
Commit = Callable[[], AbstractContextManager[Any]]


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Commit:
    """`with commit(): ...` runs what the code hands to on_commit (e-mails, tasks)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sign_up(
    client: Client,
    email: str = "ana@example.org",
    topics: tuple[str, ...] = ("gpai",),
    *,
    consent: bool = True,
    url: str = SIGNUP,
    address: str = "198.51.100.1",
) -> Any:
    data: dict[str, Any] = {"email": email, "topics": list(topics)}
    if consent:
        data["consent"] = "on"
    return client.post(url, data, REMOTE_ADDR=address)


def link(message: mail.EmailMessage, kind: str) -> str:
    """The path of the confirm or unsubscribe link in an e-mail."""
    found = re.search(rf"http://testserver(/\S*updates/{kind}/\S+/)", str(message.body))
    assert found, message.body
    return found.group(1)


def active_subscriber(
    email: str, topics: tuple[str, ...] = ("gpai",), language: str = "en"
) -> Subscriber:
    """A confirmed subscriber, made through the services (no e-mail kept)."""
    signup = services.subscriber_signup(
        email=email,
        topics=topics,
        consent=True,
        language=language,
        site_url="http://testserver/",
    )
    return services.subscriber_confirm(token=signup.token)


def without_csrf(content: bytes) -> str:
    """A page with its per-response CSRF tokens blanked (they differ on every response)."""
    text = content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


# --- the page -------------------------------------------------------------------------------


def test_the_sign_up_page_is_public_and_shows_the_consent_text_in_full() -> None:
    response = Client().get(SIGNUP)
    assert response.status_code == 200
    page = response.content.decode()
    assert str(services.CONSENT_TEXT) in page
    assert f'data-version="{services.CONSENT_VERSION}"' in page
    for name in ("email", "topics", "consent"):
        assert f'for="id_{name}' in page or f'id="id_{name}"' in page
    # stored once, in English, with its version
    stored = ConsentText.objects.get()
    assert stored.version == services.CONSENT_VERSION
    assert stored.text.startswith("I agree that the European AI Office keeps my e-mail address")
    Client().get(SIGNUP)
    assert ConsentText.objects.count() == 1


def test_a_changed_consent_text_needs_a_new_version(monkeypatch: pytest.MonkeyPatch) -> None:
    services.consent_current()
    monkeypatch.setattr(services, "CONSENT_TEXT", "I agree to something else.")
    with pytest.raises(ImproperlyConfigured, match="CONSENT_VERSION"):
        services.consent_current()


def test_head_is_answered_and_wrong_methods_are_405() -> None:
    assert Client().head(SIGNUP).status_code == 200 and Client().head(SENT).status_code == 200
    assert Client().put(SIGNUP).status_code == 405
    assert Client().post(SENT).status_code == 405


# --- sign up, confirm, unsubscribe --------------------------------------------------------------


def test_sign_up_confirm_and_unsubscribe_through_the_links_in_the_mail(
    commit: Commit, mailoutbox: list[Any]
) -> None:
    client = Client()
    with commit():
        response = sign_up(client, "Ana@Example.org", ("gpai", "guidance"))
    assert response.status_code == 302 and response["Location"] == SENT
    assert "Check your inbox" in client.get(SENT).content.decode()

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ana@example.org"
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.consent.version == services.CONSENT_VERSION
    assert subscriber.consent_at is not None and subscriber.language == "en"
    assert sorted(subscriber.topics.values_list("topic", flat=True)) == ["gpai", "guidance"]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana@example.org"]
    confirm = link(mailoutbox[0], "confirm")
    token = confirm.rstrip("/").rsplit("/", 1)[1]
    assert subscriber.confirm_sha256 == services.token_sha256(token)  # only the digest is kept
    assert token not in subscriber.confirm_sha256
    assert (
        "unsubscribe" not in mailoutbox[0].body.lower()
        and "List-Unsubscribe" not in mailoutbox[0].extra_headers
    )

    # a GET or HEAD (a mail scanner) changes nothing; the button's POST confirms
    assert client.head(confirm).status_code == 200
    page = client.get(confirm)
    assert page.status_code == 200 and 'data-testid="confirm-form"' in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    assert client.post(confirm).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.confirmed_at is not None
    assert subscriber.confirm_sha256 == "" and subscriber.confirm_expires_at is None

    # replayed: refused, nothing changes
    confirmed_at = subscriber.confirmed_at
    for replay in (client.get(confirm), client.post(confirm)):
        assert replay.status_code == 400
        assert "not valid" in replay.content.decode()
        assert reverse("portal:updates_signup") in replay.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE and subscriber.confirmed_at == confirmed_at

    # signing up again: told they are subscribed, with their unsubscribe link; nothing changes
    with commit():
        assert sign_up(client, "ana@example.org", ("jobs",))["Location"] == SENT
    assert len(mailoutbox) == 2
    reminder = mailoutbox[1]
    assert "already subscribed" in reminder.subject
    unsubscribe = link(reminder, "unsubscribe")
    assert reminder.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sorted(subscriber.topics.values_list("topic", flat=True)) == ["gpai", "guidance"]

    page = client.get(unsubscribe)
    assert page.status_code == 200 and 'data-testid="unsubscribe-form"' in page.content.decode()
    assert "ana@example.org" not in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    done = client.post(unsubscribe)
    assert done.status_code == 200 and 'data-testid="unsubscribed"' in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    # the link still answers, and says so
    again = client.get(unsubscribe)
    assert again.status_code == 200 and 'data-testid="not-subscribed"' in again.content.decode()


def test_the_reader_language_is_kept_for_the_messages(
    commit: Commit, mailoutbox: list[Any]
) -> None:
    with commit():
        sign_up(Client(), "jean@example.org", url="/fr/updates/")
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "fr"
    assert link(mailoutbox[0], "confirm").startswith("/fr/updates/confirm/")


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(
    commit: Commit, mailoutbox: list[Any]
) -> None:
    active_subscriber("known@example.org")
    with commit():
        sign_up(Client(), "pending@example.org")
    gone = active_subscriber("gone@example.org")
    services.subscriber_unsubscribe(subscriber=gone)
    mailoutbox.clear()

    answers = []
    for email in (
        "new@example.org",
        "known@example.org",
        "pending@example.org",
        "gone@example.org",
    ):
        client = Client()
        with commit():
            response = sign_up(client, email)
        followed = client.get(response["Location"])
        answers.append(
            (
                response.status_code,
                response["Location"],
                response.content,
                sorted(response.cookies),
                followed.status_code,
                without_csrf(followed.content),
            )
        )
    assert all(answer == answers[0] for answer in answers)
    # every one of them got a mail: the new and the pending ones a link, the active a reminder
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["new@example.org", "known@example.org", "pending@example.org", "gone@example.org"]
    )


def test_signing_up_again_while_pending_replaces_the_link(
    commit: Commit, mailoutbox: list[Any]
) -> None:
    client = Client()
    with commit():
        sign_up(client, "ana@example.org", ("gpai",))
        sign_up(client, "ana@example.org", ("jobs", "events"))
    first, second = link(mailoutbox[0], "confirm"), link(mailoutbox[1], "confirm")
    assert first != second
    assert client.post(first).status_code == 400
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert client.post(second).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert sorted(subscriber.topics.values_list("topic", flat=True)) == ["events", "jobs"]


def test_someone_who_unsubscribed_can_sign_up_afresh(commit: Commit, mailoutbox: list[Any]) -> None:
    gone = active_subscriber("ana@example.org", ("gpai",))
    services.subscriber_unsubscribe(subscriber=gone)
    with commit():
        sign_up(Client(), "ana@example.org", ("jobs",))
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.consent_at > gone.consent_at
    assert subscriber.unsubscribed_at is None and subscriber.confirmed_at is None
    assert list(subscriber.topics.values_list("topic", flat=True)) == ["jobs"]
    assert Client().post(link(mailoutbox[-1], "confirm")).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


def test_an_expired_confirmation_link_is_refused_and_changes_nothing(
    commit: Commit, mailoutbox: list[Any], settings: Any
) -> None:
    settings.PORTAL_CONFIRM_HOURS = 2
    with commit():
        sign_up(Client(), "ana@example.org")
    subscriber = Subscriber.objects.get()
    assert subscriber.confirm_expires_at is not None
    lifetime = subscriber.confirm_expires_at - subscriber.consent_at
    assert timedelta(hours=2) - timedelta(seconds=5) < lifetime <= timedelta(hours=2)
    Subscriber.objects.filter(pk=subscriber.pk).update(
        confirm_expires_at=timezone.now() - timedelta(seconds=1)
    )
    confirm = link(mailoutbox[0], "confirm")
    for response in (Client().get(confirm), Client().post(confirm)):
        assert response.status_code == 410
        page = response.content.decode()
        assert "expired" in page and reverse("portal:updates_signup") in page
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING and subscriber.confirmed_at is None
    assert subscriber.confirm_sha256  # untouched: a new sign-up replaces it


def test_an_unknown_confirmation_token_is_refused() -> None:
    response = Client().post(reverse("portal:updates_confirm", args=["made-up-token"]))
    assert response.status_code == 400
    assert 'data-testid="link-refused"' in response.content.decode()


def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing() -> None:
    subscriber = active_subscriber("ana@example.org")
    token = services.unsubscribe_token(subscriber.pk)
    other = active_subscriber("bob@example.org")
    forged = f"{other.pk}:{token.split(':', 1)[1]}"  # another id under ana's signature
    for bad in (forged, token[:-2], "1", f"{subscriber.pk}:"):
        url = reverse("portal:updates_unsubscribe", args=[bad])
        for response in (Client().get(url), Client().post(url)):
            assert response.status_code == 400, bad
            assert "not valid" in response.content.decode()
        topics_url = reverse("portal:updates_topics", args=[bad])
        assert Client().post(topics_url, {"topics": ["jobs"]}).status_code == 400
    assert set(Subscriber.objects.values_list("status", flat=True)) == {SubscriberStatus.ACTIVE}
    # a well-signed link of someone no longer stored
    gone = services.unsubscribe_token(9_999_999)
    assert Client().get(reverse("portal:updates_unsubscribe", args=[gone])).status_code == 404


def test_one_click_unsubscribe_needs_no_csrf_token_but_other_posts_do() -> None:
    subscriber = active_subscriber("ana@example.org")
    url = reverse("portal:updates_unsubscribe", args=[services.unsubscribe_token(subscriber.pk)])
    strict = Client(enforce_csrf_checks=True)
    # a plain POST without the CSRF token is refused
    refused = strict.post(url, {"anything": "1"})
    assert refused.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    # RFC 8058: the mail program's POST, no cookie, no token
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_the_unsubscribe_form_of_the_page_works_with_its_csrf_token() -> None:
    subscriber = active_subscriber("ana@example.org")
    url = reverse("portal:updates_unsubscribe", args=[services.unsubscribe_token(subscriber.pk)])
    client = Client(enforce_csrf_checks=True)
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    assert client.post(url, {"csrfmiddlewaretoken": token.group(1)}).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_a_subscriber_changes_their_topics_from_their_link() -> None:
    subscriber = active_subscriber("ana@example.org", ("gpai", "jobs"))
    url = reverse("portal:updates_topics", args=[services.unsubscribe_token(subscriber.pk)])
    page = Client().get(url).content.decode()
    assert re.search(r'value="gpai" checked', page) and re.search(r'value="jobs" checked', page)
    empty = Client().post(url, {})
    assert empty.status_code == 200 and set(empty.context["form"].errors) == {"topics"}
    saved = Client().post(url, {"topics": ["events"]})
    assert 'data-testid="topics-saved"' in saved.content.decode()
    assert list(subscriber.topics.values_list("topic", flat=True)) == ["events"]
    services.subscriber_unsubscribe(subscriber=subscriber)  # erases the topics too
    after = Client().post(url, {"topics": ["gpai"]})
    assert 'data-testid="not-subscribed"' in after.content.decode()
    assert list(subscriber.topics.values_list("topic", flat=True)) == []


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"email": "ana@example.org", "consent": "on"}, {"topics"}),
        ({"email": "not-an-address", "topics": ["gpai"], "consent": "on"}, {"email"}),
        ({"email": "ana@example.org", "topics": ["gpai"]}, {"consent"}),
        ({"email": "ana@example.org", "topics": ["astrology"], "consent": "on"}, {"topics"}),
        ({}, {"email", "topics", "consent"}),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_nothing_is_stored(
    data: dict[str, Any], fields: set[str], commit: Commit, mailoutbox: list[Any]
) -> None:
    with commit():
        response = Client().post(SIGNUP, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == fields
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    for field in fields:
        assert f'id="id_{field}-error"' in page
        target = f"id_{field}_0" if field == "topics" else f"id_{field}"  # the first box
        assert f'href="#{target}"' in page
    assert 'aria-invalid="true"' in page
    assert not Subscriber.objects.exists()
    assert mailoutbox == []


def test_the_service_names_each_bad_field() -> None:
    with pytest.raises(ValidationError) as caught:
        services.subscriber_signup(
            email="x", topics=[], consent=False, language="en", site_url="http://testserver/"
        )
    assert set(caught.value.message_dict) == {"email", "topics", "consent"}


# --- limits -------------------------------------------------------------------------------------


def test_too_many_posts_from_one_address_get_a_429_page(
    commit: Commit, mailoutbox: list[Any], settings: Any
) -> None:
    settings.PORTAL_FORM_RATE = 2
    client = Client()
    with commit():
        assert sign_up(client, "a@example.org", address="203.0.113.5").status_code == 302
        assert sign_up(client, "b@example.org", address="203.0.113.5").status_code == 302
        refused = sign_up(client, "c@example.org", address="203.0.113.5")
    assert refused.status_code == 429
    assert "try again in an hour" in refused.content.decode()
    assert not Subscriber.objects.filter(email="c@example.org").exists()
    # another address is not affected, and reading the page is never limited
    with commit():
        assert sign_up(client, "c@example.org", address="203.0.113.6").status_code == 302
    assert client.get(SIGNUP, REMOTE_ADDR="203.0.113.5").status_code == 200
    assert len(mailoutbox) == 3


def test_too_many_mails_to_one_address_are_silently_not_sent(
    commit: Commit, mailoutbox: list[Any]
) -> None:
    answers = []
    for n in range(services.EMAIL_RATE + 2):
        client = Client()
        with commit():
            response = sign_up(client, "ana@example.org", address=f"203.0.113.{10 + n}")
        answers.append((response.status_code, response["Location"], response.content))
    assert all(answer == answers[0] for answer in answers)  # the same neutral answer
    assert len(mailoutbox) == services.EMAIL_RATE
    # the last link mailed still works: throttled sign-ups did not replace it
    assert Client().post(link(mailoutbox[-1], "confirm")).status_code == 200


def test_the_audit_trail_holds_no_address(commit: Commit, mailoutbox: list[Any]) -> None:
    client = Client()
    with commit():
        sign_up(client, "secret.person@example.org")
    client.post(link(mailoutbox[0], "confirm"))
    subscriber = Subscriber.objects.get()
    services.subscriber_unsubscribe(subscriber=subscriber)
    events = AuditEvent.objects.filter(action__startswith="portal.subscriber.")
    assert [e.action for e in events.order_by("seq")] == [
        "portal.subscriber.signed_up",
        "portal.subscriber.confirmed",
        "portal.subscriber.unsubscribed",
    ]
    for event in events:
        stored = f"{event.object_repr} {event.before_json} {event.after_json} {event.actor_label}"
        assert "secret.person" not in stored and "example.org" not in stored
        assert event.object_id == str(subscriber.pk)


def test_sign_ups_never_confirmed_are_deleted_once_their_link_expired() -> None:
    services.subscriber_signup(
        email="late@example.org",
        topics=["gpai"],
        consent=True,
        language="en",
        site_url="http://testserver/",
    )
    active_subscriber("ana@example.org")
    assert services.subscribers_purge_unconfirmed() == 0  # not expired yet
    later = timezone.now() + timedelta(hours=settings.PORTAL_CONFIRM_HOURS, seconds=1)
    assert services.subscribers_purge_unconfirmed(now=later) == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ana@example.org"]
    assert services.subscribers_purge_unconfirmed(now=later) == 0
    event = AuditEvent.objects.get(action="portal.subscriber.purged")
    assert "example.org" not in f"{event.object_repr} {event.after_json}"
