"""Regressions found in the security and quality review of the public portal (issue 7).

Each test here failed before the fix it names. The first is a fuzz loop: every public GET
route of the portal (pages and API), with nasty path values and query strings, answers
below 500. Run it on PostgreSQL too: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user, signed_in_client
from aioffice.portal import services_calls, services_updates, tasks_updates
from aioffice.portal import services_help as help_services
from aioffice.portal.checker import mail as checker_mail
from aioffice.portal.choices import SubscriberStatus
from aioffice.portal.models import Application, CheckerEmail, Delivery, Subscriber

from .test_calls_services import apply, draft, manager, open_call
from .test_content_services import (
    document,
    media_root,  # noqa: F401  (the autouse fixture: files under tmp_path)
    news,
)
from .test_help_services import STRUCTURE, enquiry, practice, structure
from .test_updates_signup import active_subscriber

pytestmark = pytest.mark.django_db

NASTY = [
    "abc",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e9999",
    "%00",
    "a%00b",
    "%ff%fe",
    "%E2%80%AE",
    "x" * 10_000,
    "%27%20OR%201%3D1--",
    "..%2F..%2Fetc%2Fpasswd",
    "%0D%0ASet-Cookie:x=1",
    "",
]
# each key alone gets these (the others only with every key at once)
ALONE = ["abc", "-1", "99999999999999999999999999", "a%00b", "x" * 10_000, "%ff%fe"]
KEYS = [
    "page",
    "open",
    "closed",
    "q",
    "kind",
    "topic",
    "language",
    "sector",
    "organisation_size",
    "member_state",
    "status",
    "state",
    "v",
    "edit",
    "as_of",
    "print",
    "page_size",
]
API_ROUTES = [
    "/api/v1/portal/guidance",
    "/api/v1/portal/guidance/gpai-guidelines",
    "/api/v1/portal/news",
    "/api/v1/portal/literacy-practices",
    "/api/v1/portal/support-structures",
]


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def public_routes() -> list[str]:
    """The portal's routes that are not staff pages (those under office/)."""
    from aioffice.portal import urls

    return [route for route, _p in _walk(urls.urlpatterns) if not route.startswith("office/")]


def staff_routes() -> list[str]:
    from aioffice.portal import urls

    return [route for route, _p in _walk(urls.urlpatterns) if route.startswith("office/")]


def _world() -> dict[str, str]:
    document("gpai-guidelines")
    news("code-published")
    call = open_call()
    sent = enquiry()
    return {
        "slug": "gpai-guidelines",
        "number": "1.0",
        "language": "en",
        "reference": call.reference,
        "tracking_number": sent.enquiry.tracking_number,
        "key": sent.key,
        "pk": str(practice().pk),
        "flow": "ai-system",
        "token": "abc",
        "structure": str(structure().pk),
    }


def _paths(route: str, values: dict[str, str]) -> Iterator[str]:
    """The route with valid values, then with each argument in turn replaced by a nasty one."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)

    def fill(chosen: dict[str, str]) -> str:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: chosen[m.group(1)], route)

    yield fill(values)
    for name in names:
        for nasty in NASTY:
            if nasty and "/" not in nasty:
                yield fill({**values, name: nasty})


def _queries(alone: list[str] = KEYS) -> Iterator[str]:
    """Every key with a nasty value at once, repeated, then each key of `alone` on its own
    (an invalid key must not hide what another does)."""
    for nasty in NASTY:
        yield "&".join(f"{key}={nasty}" for key in KEYS)
        yield "&".join(f"{key}={nasty}&{key}=1" for key in KEYS)  # repeated keys
    for nasty in ALONE:
        for key in alone:
            yield f"{key}={nasty}"


_ADDRESSES = iter(range(1, 10**9))


def _get(client: Client, path: str, query: str = "") -> int:
    """GET from a new address each time (no rate limit hides an answer)."""
    n = next(_ADDRESSES)
    address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
    response = client.get(path + (f"?{query}" if query else ""), REMOTE_ADDR=address)
    return int(response.status_code)


def test_the_fuzz_loop_covers_every_public_route() -> None:
    routes = public_routes()
    assert "guidance/<slug:slug>/<str:number>/<str:language>/" in routes
    assert "contact/question/<str:tracking_number>/<str:key>/" in routes
    assert not [r for r in routes if "office" in r]


def test_no_public_route_answers_nasty_input_with_a_server_error() -> None:
    values = _world()
    client = Client(raise_request_exception=False)
    failures: list[str] = []
    routes = public_routes()
    for route in routes:
        for n, path in enumerate(_paths(route, values)):
            status = _get(client, path)
            if status >= 500:
                failures.append(f"{status} {path[:120]}")
            if n == 0:  # the valid path: every query string
                for query in _queries():
                    status = _get(client, path, query)
                    if status >= 500:
                        failures.append(f"{status} {path} ?{query[:120]}")
    for path in API_ROUTES:
        for query in _queries():
            status = _get(client, path, query)
            if status >= 500:
                failures.append(f"{status} {path} ?{query[:120]}")
    assert not failures, "\n".join(sorted(set(failures))[:40])


def test_a_checker_query_with_every_question_repeated_and_long_values_is_not_a_500() -> None:
    client = Client(raise_request_exception=False)
    from aioffice.portal import checker as engine

    for key in engine.FLOW_KEYS:
        flow = engine.current(key)
        for value in ("x" * 10_000, "%00", "-1", "1e9999", "2027-02-30"):
            query = "&".join(f"{q}={value}&{q}=yes" for q in flow.by_id)
            for name in ("checker_step", "checker_result"):
                path = f"/compliance-checker/{key}/" + ("result/" if "result" in name else "")
                status = _get(client, path, f"v={flow.version}&{query}")
                assert status < 500, (path, value)
                status = _get(client, path, f"v={quote('x' * 10_000)}&{query}")
                assert status < 500, (path, value)


def test_no_staff_route_answers_nasty_input_with_a_server_error() -> None:
    """The same loop over the staff pages, for an administrator (every staff function)."""
    values = _world()
    call = open_call(reference="AIO-CEI-FUZZ-1")
    application = apply(call)
    values.update(
        {
            "reference": call.reference,
            "tracking_number": application.tracking_number,
            "pk": "1",
            "version_pk": "1",
            "action": "publish",
        }
    )
    client = signed_in_client(make_user(Role.ADMINISTRATOR, "fuzz-admin"))
    client.raise_request_exception = False
    failures: list[str] = []
    for route in staff_routes():
        for n, path in enumerate(_paths(route, values)):
            status = _get(client, path)
            if status >= 500:
                failures.append(f"{status} {path[:120]}")
            if n == 0 and "<" not in route:  # the lists: their filters and pages
                for query in _queries(["page", "status", "state", "q", "kind"]):
                    status = _get(client, path, query)
                    if status >= 500:
                        failures.append(f"{status} {path} ?{query[:120]}")
    assert not failures, "\n".join(sorted(set(failures))[:40])


# --- access ----------------------------------------------------------------------------------


def test_a_draft_call_cancelled_before_it_was_published_stays_hidden() -> None:
    """A draft may be cancelled; it was never published, so the public never sees it (it
    showed on /jobs/ among the closed calls, with its page)."""
    hidden = draft(title="Secret draft call")
    services_calls.call_cancel(actor=manager(), call=hidden)
    withdrawn = open_call(title="Published then cancelled")
    services_calls.call_cancel(actor=manager(), call=withdrawn)
    client = Client()
    text = client.get(reverse("portal:call_list")).content.decode()
    assert "Secret draft call" not in text
    assert "Published then cancelled" in text
    assert client.get(reverse("portal:call_detail", args=[hidden.reference])).status_code == 404
    assert client.get(reverse("portal:call_detail", args=[withdrawn.reference])).status_code == 200


# --- a refusing mail server: no 500, no address in the logs or the database ----------------


class AddressRefusing(EmailBackend):
    """A mail server that refuses every recipient, naming the address in its answer (as
    Django's SMTP backend reports it: SMTPRecipientsRefused with the address as key)."""

    def send_messages(self, messages: Sequence[Any]) -> int:
        for message in messages:
            raise smtplib.SMTPRecipientsRefused(
                {a: (550, f"5.1.1 <{a}>: Recipient address rejected".encode()) for a in message.to}
            )
        return 0


REFUSING = "tests.aioffice.portal.test_review_regressions.AddressRefusing"
VICTIM = "victim.person@example.org"


def _logged(caplog: Any) -> str:
    return caplog.text + "".join(
        logging.Formatter().formatException(r.exc_info) for r in caplog.records if r.exc_info
    )


@pytest.mark.django_db(transaction=True)  # the e-mail leaves at the real commit
def test_a_sign_up_whose_e_mail_is_refused_answers_the_same_and_logs_no_address(
    settings: Any, caplog: Any
) -> None:
    """The confirmation left in an on_commit callback with fail_silently=False: a refusing
    mail server made the sign-up a 500 (and the refusal named the address)."""
    settings.EMAIL_BACKEND = REFUSING
    client = Client(raise_request_exception=False)
    data = {"email": VICTIM, "topics": ["gpai"], "consent": "on"}
    with caplog.at_level(logging.INFO):
        response = client.post(reverse("portal:updates_signup"), data, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 302
    assert Subscriber.objects.filter(email=VICTIM, status=SubscriberStatus.PENDING).exists()
    assert VICTIM not in _logged(caplog)
    # an active subscriber's reminder, refused likewise
    Subscriber.objects.filter(email=VICTIM).update(status=SubscriberStatus.ACTIVE)
    with caplog.at_level(logging.INFO):
        again = client.post(reverse("portal:updates_signup"), data, REMOTE_ADDR="192.0.2.2")
    assert again.status_code == 302
    assert VICTIM not in _logged(caplog)


def test_a_refused_bulletin_records_and_logs_no_address(caplog: Any) -> None:
    """The delivery's error column and the log kept the refusal's text, which names the
    address (and outlives the subscriber's address)."""
    author = make_user(Role.POLICY_OFFICER, "bulletin-author")
    active_subscriber(VICTIM)
    bulletin = services_updates.bulletin_create(
        actor=author, subject="News", body="Text.", topics=["gpai"]
    )
    services_updates.bulletin_queue(
        actor=author, bulletin=bulletin, site_url="http://testserver/", enqueue=False
    )
    with caplog.at_level(logging.INFO):
        report = tasks_updates.deliver(bulletin.pk, connection=AddressRefusing())
    assert report.failed == 1
    error = Delivery.objects.get(bulletin=bulletin).error
    assert "SMTPRecipientsRefused" in error and "550" in error
    assert VICTIM not in error
    assert VICTIM not in _logged(caplog)


def test_a_refused_application_confirmation_logs_no_address(settings: Any, caplog: Any) -> None:
    settings.EMAIL_BACKEND = REFUSING
    call = open_call()
    with caplog.at_level(logging.INFO), TestCase.captureOnCommitCallbacks(execute=True):
        application = apply(call, email=VICTIM)
    assert Application.objects.filter(pk=application.pk).exists()
    assert "not sent" in _logged(caplog)
    assert VICTIM not in _logged(caplog)


def test_a_refused_checker_result_logs_no_address(settings: Any, caplog: Any) -> None:
    settings.EMAIL_BACKEND = REFUSING
    row = CheckerEmail.objects.create(
        email=VICTIM,
        flow="system",
        result_path="/compliance-checker/system/result/",
        language="en",
        requested_at=timezone.now(),
    )
    with caplog.at_level(logging.INFO):
        assert checker_mail.send_result_email(row.pk, base_url="http://testserver/") is False
    assert "not sent" in _logged(caplog)
    assert VICTIM not in _logged(caplog)


# --- privacy: the audit trail ------------------------------------------------------------


def _trail() -> str:
    return " ".join(
        f"{e.object_repr} {e.before_json or ''} {e.after_json or ''}"
        for e in AuditEvent.objects.filter(action__startswith="portal.")
    )


def test_a_support_structures_e_mail_address_is_not_written_to_the_audit_trail() -> None:
    """A structure's contact address may be a person's (jan.novak@...): it was in the
    created and updated events, which are never purged; now only that it changed."""
    staff = make_user(Role.POLICY_OFFICER, "directory-editor")
    made = help_services.support_structure_create(
        actor=staff, **{**STRUCTURE, "email": "jan.novak@sandbox.example.org"}
    )
    help_services.support_structure_update(
        actor=staff, structure=made, email="eva.kral@sandbox.example.org"
    )
    trail = _trail()
    assert "jan.novak" not in trail and "eva.kral" not in trail
    updated = AuditEvent.objects.get(action="portal.support_structure.updated")
    assert "email" in (updated.after_json or "")  # the change itself is recorded


# --- privacy: retention of subscribers' addresses ---------------------------------------


def test_unsubscribing_erases_the_address_and_topics_and_keeps_a_digest() -> None:
    """People who unsubscribed kept their address for ever; now it is erased at once, the
    row keeping the keyed digest and the times of consent and withdrawal."""
    gone = active_subscriber(VICTIM, ("gpai", "jobs"))
    services_updates.subscriber_unsubscribe(subscriber=gone)
    gone.refresh_from_db()
    assert gone.status == SubscriberStatus.UNSUBSCRIBED
    assert gone.email == "" and not gone.topics.exists()
    assert gone.email_digest == services_updates.email_digest(VICTIM)
    assert VICTIM not in gone.email_digest and len(gone.email_digest) == 64
    assert gone.consent_at is not None and gone.unsubscribed_at is not None
    assert VICTIM not in _trail() and VICTIM not in str(gone)
    # signing up again finds the same row, with the address back only once it is given
    services_updates.subscriber_signup(
        email=VICTIM.upper(), topics=["events"], consent=True, language="en", site_url="http://x/"
    )
    again = Subscriber.objects.get()
    assert again.pk == gone.pk
    assert (again.email, again.status) == (VICTIM, SubscriberStatus.PENDING)


def test_a_former_subscribers_lapsed_sign_up_and_old_unsubscribed_rows_lose_the_address() -> None:
    """A former subscriber's row (it counts in sent messages) was never purged when their
    new sign-up lapsed: the address stayed for ever."""
    author = make_user(Role.POLICY_OFFICER, "bulletin-author")
    former = active_subscriber(VICTIM)
    bulletin = services_updates.bulletin_create(
        actor=author, subject="News", body="Text.", topics=["gpai"]
    )
    services_updates.bulletin_queue(
        actor=author, bulletin=bulletin, site_url="http://testserver/", enqueue=False
    )
    services_updates.subscriber_unsubscribe(subscriber=former)
    services_updates.subscriber_signup(
        email=VICTIM, topics=["gpai"], consent=True, language="en", site_url="http://x/"
    )
    # a row unsubscribed by an older version, its address still there
    old = active_subscriber("old.reader@example.org")
    Subscriber.objects.filter(pk=old.pk).update(
        status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    later = timezone.now() + timedelta(hours=settings.PORTAL_CONFIRM_HOURS + 1)
    assert services_updates.subscribers_purge_unconfirmed(later) == 2
    former.refresh_from_db()
    old.refresh_from_db()
    assert (former.status, former.email) == (SubscriberStatus.UNSUBSCRIBED, "")
    assert (old.status, old.email) == (SubscriberStatus.UNSUBSCRIBED, "")
    assert Delivery.objects.filter(subscriber=former).exists()  # the counts stay
    assert services_updates.subscribers_purge_unconfirmed(later) == 0


# --- rate limits under concurrency ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # each thread commits on its own connection
def test_the_rate_limit_admits_exactly_the_limit_from_concurrent_requests() -> None:
    """Twelve requests at the same moment against a limit of five: exactly five pass (on
    PostgreSQL the first INSERT wins, the others wait on its unique index, get an
    IntegrityError inside their savepoint, and count by UPDATE after its commit)."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    from aioffice.core import ratelimit

    start = Barrier(12)
    moment = timezone.now()

    def one(_n: int) -> bool:
        try:
            start.wait()
            return ratelimit.hit("review.concurrency", "k" * 64, limit=5, window=3600, now=moment)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(one, range(12)))
    assert results.count(True) == 5


# --- races: the same application sent twice -------------------------------------------------


def test_the_same_application_form_sent_twice_makes_one_application(
    settings: Any, tmp_path: Any
) -> None:
    """A double click (or a reload that sends the form again) made two applications, two
    CVs on disk and two e-mails; the form's own token now makes the second the first."""
    settings.PORTAL_PRIVATE_ROOT = tmp_path / "private"
    call = open_call()
    client = Client()
    page = client.get(reverse("portal:call_detail", args=[call.reference])).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert token, "the form carries its token"
    url = reverse("portal:call_apply", args=[call.reference])
    answers = []
    for _n in range(2):
        data = {
            "name": "Zofia Example",
            "email": VICTIM,
            "motivation": "I evaluate models for a living and would like to help.",
            "cv": SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
            "consent": "on",
            "form_token": token.group(1),
        }
        with TestCase.captureOnCommitCallbacks(execute=True):
            answers.append(client.post(url, data, REMOTE_ADDR="192.0.2.9"))
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Application.objects.count() == 1
    assert len(mail.outbox) == 1
    stored = [p for p in (tmp_path / "private").rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert client.get(answers[1]["Location"]).status_code == 200
    # another form page is another application
    other = client.get(reverse("portal:call_detail", args=[call.reference])).content.decode()
    other_token = re.search(r'name="form_token" value="([^"]+)"', other)
    assert other_token and other_token.group(1) != token.group(1)


def test_a_form_token_of_another_shape_is_ignored() -> None:
    call = open_call()
    first = apply(call, form_token="x")
    second = apply(call, form_token="x")
    assert first.pk != second.pk and first.form_token == ""


def test_every_staff_route_refuses_the_public_and_staff_without_the_function() -> None:
    """Across the parts: every route under office/ sends the anonymous to the login and
    answers 403 to a signed-in person without a role; the CVs and the applications also
    to a policy officer (only heads of unit and administrators manage calls)."""
    values = _world()
    call = open_call(reference="AIO-CEI-ACCESS-1")
    application = apply(call)
    values.update(
        {
            "reference": call.reference,
            "tracking_number": application.tracking_number,
            "pk": "1",
            "version_pk": "1",
            "action": "publish",
        }
    )
    anonymous = Client()
    nobody = signed_in_client(make_user(None, "no-role-person"))
    officer = signed_in_client(make_user(Role.POLICY_OFFICER, "an-officer"))
    for route in staff_routes():
        path = next(_paths(route, values))
        for method in ("get", "post"):
            answer = getattr(anonymous, method)(path)
            assert answer.status_code == 302 and "login" in answer["Location"], (method, path)
            assert getattr(nobody, method)(path).status_code == 403, (method, path)
            if "/calls/" in path or "/applications/" in path:
                assert getattr(officer, method)(path).status_code == 403, (method, path)


def test_every_public_page_answers_other_methods_with_405() -> None:
    """The checker's first page answered a PUT or a DELETE as a GET."""
    values = _world()
    client = Client(enforce_csrf_checks=False)
    for route in public_routes():
        path = next(_paths(route, values))
        for method in ("put", "delete", "patch"):
            assert getattr(client, method)(path).status_code == 405, (method, path)


POST_NASTY = ["", "\x00", "a\x00b", "x" * 10_000, "' OR 1=1--", "-1", "é" * 300]


def test_no_public_form_answers_nasty_input_with_a_server_error() -> None:
    """Every public POST form, each field in turn (and all at once) set to a nasty value:
    never a 500 (PostgreSQL refuses NUL characters; a lone surrogate cannot be encoded)."""
    values = _world()
    call = values["reference"]
    from aioffice.portal.checker.examples import EXAMPLES, result_path

    example = EXAMPLES["annex_iii_provider"]
    forms: dict[str, dict[str, Any]] = {  # valid answers: each nasty value alone gets through
        reverse("portal:updates_signup"): {
            "email": "a@example.org",
            "topics": "gpai",
            "consent": "on",
        },
        reverse("portal:enquiry_new"): {
            "name": "Ana",
            "email": "a@example.org",
            "subject": "A question",
            "message": "What does the AI Act ask of me?",
            "language": "en",
            "consent": "on",
        },
        reverse("portal:literacy_share"): {
            "title": "Training",
            "organisation": "An organisation",
            "sector": "manufacturing",
            "organisation_size": "medium",
            "member_state": "DK",
            "language": "en",
            "description": "Monthly sessions.",
            "audience": "All staff",
            "url": "https://example.org/",
        },
        reverse("portal:call_apply", args=[call]): {
            "name": "Zofia",
            "email": "z@example.org",
            "motivation": "I evaluate models for a living and would like to help.",
            "consent": "on",
            "form_token": "",
        },
        result_path(example.flow, example.answers): {"email": "v@example.org"},
        reverse("portal:updates_confirm", args=["abc"]): {"anything": "1"},
        reverse("portal:updates_unsubscribe", args=["1:abc"]): {"List-Unsubscribe": "One-Click"},
        reverse("portal:updates_topics", args=["1:abc"]): {"topics": "gpai"},
    }
    client = Client(raise_request_exception=False)
    failures = []
    addresses = iter(range(1, 60_000))
    for url, valid in forms.items():
        for nasty in POST_NASTY:
            for chosen in [*([f] for f in valid), list(valid)]:
                data: dict[str, Any] = {**valid, **dict.fromkeys(chosen, nasty)}
                if "motivation" in valid:
                    data["cv"] = SimpleUploadedFile(
                        "cv.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
                    )
                n = next(addresses)
                address = f"10.201.{n >> 8 & 255}.{n & 255}"
                status = client.post(url, data, REMOTE_ADDR=address).status_code
                if status >= 500:
                    failures.append(f"{status} {url} {chosen} {nasty[:10]!r}")
    assert not failures, "\n".join(failures[:40])


def test_a_cvs_checksum_is_not_written_to_the_audit_trail() -> None:
    """The SHA-256 of a CV identifies it: kept in the never-purged trail (submitted,
    opened, altered), it linked whoever holds the CV to the application after the purge
    blanked the row's own checksum."""
    call = open_call()
    application = apply(call)
    digest = application.cv_sha256
    services_calls.application_cv_open(actor=manager(), application=application)
    Path(application.cv.path).write_bytes(b"%PDF-1.4\n% altered\n%%EOF\n")
    with pytest.raises(services_calls.CvUnavailable):
        services_calls.application_cv_open(actor=manager(), application=application)
    found = hashlib.sha256(Path(application.cv.path).read_bytes()).hexdigest()
    trail = _trail()
    assert application.tracking_number in trail
    assert digest not in trail and found not in trail


def test_exporting_the_applicants_as_csv_is_in_the_audit_trail() -> None:
    """Opening one CV was audited, copying every applicant's name and address at once was
    not."""
    call = open_call()
    apply(call)
    apply(call, email="another@example.org")
    client = signed_in_client(manager())
    url = reverse("portal:application_list_csv", args=[call.reference])
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.get(action="portal.application.exported")
    assert event.after == {"call": call.reference, "status": "any", "rows": 2}
    assert "another@example.org" not in _trail()
