"""The calls' pages: the public jobs pages and application form (closing at the deadline,
bad input named field by field, rate-limited), and the call managers' pages for every
principal, with the CV served only to them and the lists' query counts pinned."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, principal, signed_in_client
from aioffice.demo_data.portal_calls import tiny_pdf
from aioffice.portal import services_calls as services
from aioffice.portal.choices import ApplicationStatus, CallStatus
from aioffice.portal.models_calls import Application, Call

from .test_calls_services import (
    EMAIL,
    MOTIVATION,
    NAME,
    apply,
    draft,
    manager,
    open_call,
    pdf,
    png_bytes,
    private_root,  # noqa: F401  (the autouse fixture: CVs under tmp_path)
    stored_files,
)

pytestmark = pytest.mark.django_db

MANAGERS = {Role.HEAD_OF_UNIT, Role.ADMINISTRATOR}


@pytest.fixture(autouse=True)
def english() -> None:
    """A request in French leaves French active in the thread (and `reverse` would then
    give /fr/ paths): each test starts in English."""
    translation.activate("en")


def form_data(**values: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": NAME,
        "email": EMAIL,
        "motivation": MOTIVATION,
        "cv": pdf(),
        "consent": "on",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def manager_client(role: str = Role.HEAD_OF_UNIT) -> Client:
    return signed_in_client(manager(role))


# --- the public pages ----------------------------------------------------------------------


def test_the_jobs_pages_are_public_and_drafts_are_not_shown() -> None:
    shown = open_call(title="Open call for evaluators")
    hidden = draft(title="Secret draft call")
    client = Client()
    page = client.get(reverse("portal:call_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Open call for evaluators" in text and "Secret draft call" not in text
    assert client.get(reverse("portal:call_detail", args=[shown.reference])).status_code == 200
    assert client.get(reverse("portal:call_detail", args=[hidden.reference])).status_code == 404
    assert client.get(reverse("portal:call_detail", args=["NO-SUCH-CALL"])).status_code == 404
    assert client.post(reverse("portal:call_apply", args=[hidden.reference])).status_code == 404


def test_open_calls_come_first_and_closed_calls_apart_with_labelled_times() -> None:
    now = timezone.now()
    late = open_call(title="Later call", deadline=now + timedelta(days=40))
    soon = open_call(title="Sooner call", deadline=now + timedelta(days=5))
    closed = open_call(title="Closed call", deadline=now + timedelta(days=9))
    services.call_close(actor=manager(), call=closed)
    page = Client().get(reverse("portal:call_list")).content.decode()
    open_part, closed_part = page.split('<h2 class="ecl-u-type-heading-2" id="closed-calls">')
    assert open_part.index("Sooner call") < open_part.index("Later call")
    assert "Closed call" not in open_part and "Closed call" in closed_part
    assert "Brussels time" in page and "UTC" in page
    del late, soon


def test_the_deadline_is_shown_in_brussels_time_and_utc_in_the_readers_language() -> None:
    deadline = datetime(2099, 3, 31, 10, 0, tzinfo=UTC)  # 12:00 in Brussels (summer time)
    call = open_call(deadline=deadline)
    english = Client().get(reverse("portal:call_detail", args=[call.reference])).content.decode()
    assert "March 31, 2099, 12:00 Brussels time" in english
    assert "March 31, 2099, 10:00 UTC" in english
    assert 'datetime="2099-03-31T10:00:00+00:00"' in english
    french = Client().get("/fr" + reverse("portal:call_detail", args=[call.reference]))
    assert "31 mars 2099, 12:00" in french.content.decode()


def test_the_form_shows_the_size_limit_and_the_deletion_date(settings: Any) -> None:
    settings.PORTAL_CV_MAX_BYTES = 2 * 1024 * 1024
    settings.PORTAL_APPLICATION_RETENTION_DAYS = 365
    call = open_call(deadline=datetime(2099, 6, 1, 10, 0, tzinfo=UTC))
    page = Client().get(reverse("portal:call_detail", args=[call.reference])).content.decode()
    assert "2.0\xa0MB" in page or "2.0 MB" in page
    assert "deleted on June 2, 2100" in page  # kept until 2100-06-01, 365 days after
    assert 'accept="application/pdf,.pdf"' in page
    assert 'aria-describedby="id_cv-help"' in page and 'id="id_cv-help"' in page
    for field in ("name", "email", "motivation", "cv", "consent"):
        assert f'for="id_{field}"' in page


def test_applying_with_a_pdf_gives_a_tracking_number_and_an_e_mail(
    private_root: Path,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    call = open_call()
    client = Client()
    content = tiny_pdf("Zofia's CV")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:call_apply", args=[call.reference]),
            form_data(cv=pdf("my-cv.pdf", content)),
        )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:call_applied", args=[call.reference, application.tracking_number]
    )
    page = client.get(response["Location"]).content.decode()
    assert application.tracking_number in page
    deletion = services.deletion_date(application.retain_until)
    assert date_format(deletion, "DATE_FORMAT") in page
    assert NAME not in page and EMAIL not in page
    assert Path(application.cv.path).read_bytes() == content
    assert application.cv_sha256 == hashlib.sha256(content).hexdigest()
    assert [p.name for p in stored_files(private_root)] == [f"{application.tracking_number}.pdf"]
    assert len(mail.outbox) == 1 and application.tracking_number in mail.outbox[0].body
    # another browser does not see the confirmation
    assert Client().get(response["Location"]).status_code == 404


def test_a_signed_in_applicant_is_not_named_in_the_audit_trail() -> None:
    call = open_call()
    client = signed_in_client(manager(Role.POLICY_OFFICER, "paula"))
    response = client.post(reverse("portal:call_apply", args=[call.reference]), form_data())
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="portal.application.submitted")
    assert event.actor_id is None and event.actor_label == "system"
    assert "paula" not in f"{event.object_repr}{event.after_json}"


def test_the_form_closes_at_the_deadline_even_when_loaded_before(
    private_root: Path,  # noqa: F811
) -> None:
    call = open_call()
    client = Client()
    url = reverse("portal:call_detail", args=[call.reference])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="application-form"' in page.content.decode()
    # the deadline passes while the applicant is writing
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = client.post(reverse("portal:call_apply", args=[call.reference]), form_data())
    assert response.status_code == 410
    text = response.content.decode()
    assert "closed" in text and 'data-testid="application-form"' not in text
    assert not Application.objects.exists() and stored_files(private_root) == []
    after = client.get(url).content.decode()
    assert 'data-testid="call-closed"' in after and "application-form" not in after


def test_a_call_closed_between_the_check_and_the_lock_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    private_root: Path,  # noqa: F811
) -> None:
    """The view saw the call open; the service, under the call's lock, finds it closed."""
    call = open_call()
    real = services._locked

    def closed_meanwhile(row: Call) -> Call:
        Call.objects.filter(pk=row.pk).update(status=CallStatus.CLOSED)
        return real(row)

    monkeypatch.setattr(services, "_locked", closed_meanwhile)
    response = Client().post(reverse("portal:call_apply", args=[call.reference]), form_data())
    assert response.status_code == 410
    assert not Application.objects.exists() and stored_files(private_root) == []


def test_missing_fields_are_named_next_to_each_field_and_in_a_summary() -> None:
    call = open_call()
    response = Client().post(
        reverse("portal:call_apply", args=[call.reference]),
        {"name": "", "email": "nope", "motivation": "short"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "email", "motivation", "cv", "consent"}
    text = response.content.decode()
    assert 'data-testid="error-summary"' in text
    for field in ("name", "email", "motivation", "cv", "consent"):
        assert f'id="id_{field}-error"' in text
        assert re.search(rf'aria-describedby="id_{field}-error[^"]*"', text)
        assert f'href="#id_{field}"' in text
    assert 'aria-describedby="id_cv-error id_cv-help"' in text
    assert response.context["form"].errors["cv"] == ["Attach your CV as a PDF file."]
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (lambda: pdf("cv.pdf", b"plain text pretending"), "not a PDF"),
        (lambda: pdf("photo.png", png_bytes(), "image/png"), ".pdf"),
        (lambda: pdf("photo.pdf", png_bytes()), "not a PDF"),
        (lambda: pdf("cv.pdf", tiny_pdf("x") + b"%" + b"0" * 5000), "larger"),
    ],
    ids=["text", "png", "renamed-png", "oversized"],
)
def test_a_bad_cv_is_named_on_the_form(
    upload: Any,
    words: str,
    settings: Any,
    private_root: Path,  # noqa: F811
) -> None:
    settings.PORTAL_CV_MAX_BYTES = 4000
    call = open_call()
    response = Client().post(
        reverse("portal:call_apply", args=[call.reference]), form_data(cv=upload())
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"cv"} and words in errors["cv"][0]
    assert not Application.objects.exists() and stored_files(private_root) == []


def test_applications_are_rate_limited_per_client(settings: Any) -> None:
    settings.PORTAL_FORM_RATE = 2
    call = open_call()
    client = Client(REMOTE_ADDR="198.51.100.7")
    url = reverse("portal:call_apply", args=[call.reference])
    assert client.post(url, form_data()).status_code == 302
    assert client.post(url, form_data()).status_code == 302
    refused = client.post(url, form_data())
    assert refused.status_code == 429
    assert "Too many" in refused.content.decode()
    assert Application.objects.count() == 2
    assert Client(REMOTE_ADDR="198.51.100.8").post(url, form_data()).status_code == 302


def test_the_public_pages_answer_wrong_methods_with_405() -> None:
    call = open_call()
    client = Client()
    assert client.get(reverse("portal:call_apply", args=[call.reference])).status_code == 405
    assert client.post(reverse("portal:call_list")).status_code == 405


def test_the_public_list_has_a_fixed_number_of_queries(django_assert_num_queries: Any) -> None:
    for index in range(30):
        call = open_call(title=f"Call {index}")
        if index % 2:
            services.call_close(actor=manager(), call=call)
    client = Client()
    client.get(reverse("portal:call_list"))
    with django_assert_num_queries(4):  # open calls: count, page; closed calls: count, page
        response = client.get(reverse("portal:call_list"), {"closed": "2"})
    assert response.status_code == 200


# --- the call managers' pages: every route for every principal ---------------------------------


def _world() -> dict[str, Any]:
    call = open_call()
    application = apply(call)
    return {"call": call, "application": application}


def _staff_pages(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    ref = w["call"].reference
    number = w["application"].tracking_number
    return [
        ("call_admin_list", reverse("portal:call_admin_list"), None),
        ("call_new", reverse("portal:call_new"), None),
        ("call_admin_detail", reverse("portal:call_admin_detail", args=[ref]), None),
        ("call_edit", reverse("portal:call_edit", args=[ref]), None),
        ("call_action", reverse("portal:call_action", args=[ref, "close"]), {}),
        ("application_list", reverse("portal:application_list", args=[ref]), None),
        ("application_list_csv", reverse("portal:application_list_csv", args=[ref]), None),
        ("application_detail", reverse("portal:application_detail", args=[number]), None),
        (
            "application_status",
            reverse("portal:application_status", args=[number]),
            {"status": ApplicationStatus.UNDER_REVIEW, "note": ""},
        ),
        ("application_cv", reverse("portal:application_cv", args=[number]), None),
    ]


def _expected(name: str, page: str) -> int:
    if name == ANONYMOUS:
        return 302  # to the sign-in page
    if name not in MANAGERS:
        return 403
    if page in {"call_action", "application_status"}:
        return 302  # done: back to the page
    return 200


def test_the_matrix_covers_every_staff_route() -> None:
    from aioffice.portal import urls_calls

    public = {"call_list", "call_detail", "call_apply", "call_applied"}
    names = {p.name for p in urls_calls.urlpatterns} - public
    fake = {
        "call": Call(reference="AIO-CEI-2026-001"),
        "application": Application(tracking_number="AIO-CEI-2026-001-0001"),
    }
    assert {page for page, _, _ in _staff_pages(fake)} == names


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_staff_page_for_every_principal(name: str) -> None:
    who = principal(name)
    world = _world()
    for page, url, data in _staff_pages(world):
        response = who.client.post(url, data) if data is not None else who.client.get(url)
        assert response.status_code == _expected(name, page), (name, page)
        if response.status_code == 302 and name == ANONYMOUS:
            assert "login" in response["Location"], page
    opened = AuditEvent.objects.filter(action="portal.application.cv_opened").count()
    assert opened == (1 if name in MANAGERS else 0)


def test_staff_without_their_second_factor_go_to_it() -> None:
    client = signed_in_client(manager(), second_factor=False)
    response = client.get(reverse("portal:call_admin_list"))
    assert response.status_code == 302 and "second" in response["Location"]


def test_the_cv_is_a_checked_attachment_never_sniffed() -> None:
    application = apply(open_call())
    response = manager_client().get(
        reverse("portal:application_cv", args=[application.tracking_number])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"{application.tracking_number}.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Content-SHA256"] == application.cv_sha256
    body = b"".join(response.streaming_content)  # type: ignore[arg-type]
    assert hashlib.sha256(body).hexdigest() == application.cv_sha256
    event = AuditEvent.objects.get(action="portal.application.cv_opened")
    assert NAME not in f"{event.object_repr}{event.after_json}"


def test_an_altered_cv_is_not_served_and_a_purged_one_is_gone() -> None:
    application = apply(open_call(deadline=timezone.now() + timedelta(days=1)))
    url = reverse("portal:application_cv", args=[application.tracking_number])
    client = manager_client()
    Path(application.cv.path).write_bytes(tiny_pdf("changed"))
    assert client.get(url).status_code == 409
    later = timezone.now() + timedelta(days=800)
    assert services.applications_purge(now=later) == 1
    response = client.get(url)
    assert response.status_code == 410
    assert "deleted" in response.content.decode()
    detail = client.get(reverse("portal:application_detail", args=[application.tracking_number]))
    text = detail.content.decode()
    assert NAME not in text and 'data-testid="purged"' in text and "cv-link" not in text


def test_a_call_is_drafted_in_brussels_time_published_and_closed_through_the_pages() -> None:
    client = manager_client(Role.ADMINISTRATOR)
    url = reverse("portal:call_new")
    response = client.post(url, {"title": "", "deadline": "2020-01-01T10:00"})
    assert response.status_code == 200
    assert {"title", "profile", "description", "place", "contract_type", "deadline"} <= set(
        response.context["form"].errors
    )
    assert "future" in response.context["form"].errors["deadline"][0]
    values = {
        "title": "Legal officer",
        "profile": "Lawyer",
        "contract_type": "temporary_agent",
        "grade": "AD 7",
        "place": "Brussels",
        "description": "Enforce the AI Act.",
        "deadline": "2099-01-15T12:00",  # Brussels winter time: 11:00 UTC
    }
    response = client.post(url, values)
    call = Call.objects.get()
    assert response.status_code == 302
    assert call.deadline == datetime(2099, 1, 15, 11, 0, tzinfo=UTC)
    assert call.status == CallStatus.DRAFT and call.reference.startswith("AIO-CEI-")
    edit = client.get(reverse("portal:call_edit", args=[call.reference])).content.decode()
    assert 'value="2099-01-15T12:00"' in edit  # shown back in Brussels time
    action = reverse("portal:call_action", args=[call.reference, "publish"])
    assert client.get(action).status_code == 405
    assert client.post(action).status_code == 302
    assert Call.objects.get().status == CallStatus.PUBLISHED
    again = client.post(action, follow=True)
    assert "Not possible: the status of this call is Open." in again.content.decode()
    assert (
        client.post(reverse("portal:call_action", args=[call.reference, "close"])).status_code
        == 302
    )
    assert Call.objects.get().status == CallStatus.CLOSED
    assert (
        client.post(reverse("portal:call_action", args=[call.reference, "explode"])).status_code
        == 404
    )
    assert client.get(reverse("portal:call_admin_detail", args=["NO-SUCH"])).status_code == 404


def test_an_application_is_reviewed_with_its_history() -> None:
    application = apply(open_call())
    client = manager_client()
    url = reverse("portal:application_status", args=[application.tracking_number])
    response = client.post(url, {"status": "hired"})
    assert response.status_code == 200 and "status" in response.context["form"].errors
    response = client.post(url, {"status": "shortlisted", "note": "Strong profile."})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Shortlisted" in page and "Strong profile." in page and MOTIVATION in page
    assert "head-of-unit" in page  # who changed it
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED


def test_the_application_list_filters_by_status_and_has_a_csv_twin_without_the_cv() -> None:
    call = open_call()
    first = apply(call)
    second = apply(call, name="Other Applicant")
    services.application_status_change(
        actor=manager(), application=second, status=ApplicationStatus.RESERVE_LIST
    )
    client = manager_client()
    url = reverse("portal:application_list", args=[call.reference])
    page = client.get(url, {"status": "reserve_list"}).content.decode()
    assert second.tracking_number in page and first.tracking_number not in page
    assert "?status=reserve_list" in page  # the CSV link keeps the filter
    response = client.get(
        reverse("portal:application_list_csv", args=[call.reference]), {"status": "reserve_list"}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[arg-type]
    lines = text.strip().splitlines()
    assert lines[0].startswith("tracking_number,status")
    assert len(lines) == 2 and second.tracking_number in lines[1]
    assert MOTIVATION not in text and "%PDF" not in text
    every = client.get(reverse("portal:application_list_csv", args=[call.reference]))
    assert len(b"".join(every.streaming_content).decode().strip().splitlines()) == 3  # type: ignore[arg-type]


def test_the_staff_lists_have_a_fixed_number_of_queries(django_assert_num_queries: Any) -> None:
    """Session, user, second factor and roles (4), then the page's own queries."""
    calls = [open_call(title=f"Call {i}") for i in range(25)]
    for index in range(25):
        apply(calls[index % 2], name=f"Applicant {index}")
    client = manager_client()
    pages = [
        (reverse("portal:call_admin_list"), {}, 6),  # count, page with application counts
        (reverse("portal:call_admin_list"), {"page": "2"}, 6),
        (reverse("portal:application_list", args=[calls[0].reference]), {}, 7),  # call, count, page
        (
            reverse("portal:application_list", args=[calls[0].reference]),
            {"status": "received", "page": "2"},
            7,
        ),
        (
            reverse(
                "portal:application_detail", args=[Application.objects.first().tracking_number]
            ),  # type: ignore[union-attr]
            {},
            6,  # the application with its call, the history with its authors
        ),
    ]
    for url, params, count in pages:
        client.get(url, params)
        with django_assert_num_queries(count):
            assert client.get(url, params).status_code == 200
