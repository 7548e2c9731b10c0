"""The calls' services: drafting and publishing calls, applying with a PDF CV (stored in
private storage with its checksum, nothing half-saved, refused once the call is closed),
reviewing, opening CVs, and deleting personal data after the retention period."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.demo_data.portal_calls import tiny_pdf
from aioffice.portal import services_calls as services
from aioffice.portal.choices import ApplicationStatus, CallStatus, ContractType
from aioffice.portal.models_calls import Application, ApplicationStatusChange, Call

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NAME = "Zofia Quixote-Applicant"
EMAIL = "zofia.quixote@applicant.example"
MOTIVATION = "I have evaluated large language models for five years and want to help."


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    """CVs under tmp_path (the storage reads PORTAL_PRIVATE_ROOT at each use), apart from
    MEDIA_ROOT and STATIC_ROOT."""
    settings.PORTAL_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.PORTAL_CV_MAX_BYTES = 64 * 1024
    settings.PORTAL_APPLICATION_RETENTION_DAYS = 730
    return Path(settings.PORTAL_PRIVATE_ROOT)


# --- builders (the other calls tests import them) -------------------------------------------


def manager(role: str = Role.HEAD_OF_UNIT, username: str | None = None) -> User:
    name = username or role.replace("_", "-")
    return User.objects.filter(username=name).first() or make_user(role, name)


def draft(actor: User | None = None, *, now: datetime | None = None, **values: Any) -> Call:
    now = now or timezone.now()
    fields: dict[str, Any] = {
        "title": "Technical specialist in AI model evaluation",
        "profile": "Machine-learning engineer",
        "contract_type": ContractType.CONTRACT_AGENT,
        "grade": "FG IV",
        "place": "Brussels",
        "description": "Evaluate general-purpose AI models.",
        "deadline": now + timedelta(days=30),
    }
    fields.update(values)
    return services.call_create(actor=actor or manager(), now=now, **fields)


def open_call(actor: User | None = None, *, now: datetime | None = None, **values: Any) -> Call:
    call = draft(actor, now=now, **values)
    return services.call_publish(actor=actor or manager(), call=call, now=now)


def pdf(
    name: str = "cv.pdf", content: bytes | None = None, content_type: str = "application/pdf"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else tiny_pdf("CV"), content_type
    )


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def apply(call: Call, *, now: datetime | None = None, **values: Any) -> Application:
    fields: dict[str, Any] = {
        "name": NAME,
        "email": EMAIL,
        "motivation": MOTIVATION,
        "cv": pdf(),
        "consent": True,
    }
    fields.update(values)
    return services.application_submit(call=call, now=now, **fields)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def audit_text() -> str:
    return " ".join(
        f"{e.object_repr} {e.before_json or ''} {e.after_json or ''}"
        for e in AuditEvent.objects.filter(action__startswith="portal.")
    )


# --- calls ---------------------------------------------------------------------------------


def test_references_are_made_per_year_or_entered() -> None:
    first = draft(now=NOW, deadline=NOW + timedelta(days=10))
    second = draft(now=NOW, deadline=NOW + timedelta(days=10))
    entered = draft(now=NOW, deadline=NOW + timedelta(days=10), reference="aio-sne-7")
    assert (first.reference, second.reference) == ("AIO-CEI-2026-001", "AIO-CEI-2026-002")
    assert entered.reference == "AIO-SNE-7"
    assert draft(now=NOW, deadline=NOW + timedelta(days=10)).reference == "AIO-CEI-2026-003"
    with pytest.raises(ValidationError) as exc:
        draft(now=NOW, deadline=NOW + timedelta(days=10), reference="AIO-SNE-7")
    assert "reference" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        draft(now=NOW, deadline=NOW + timedelta(days=10), reference="no spaces/slashes")
    assert "reference" in exc.value.message_dict


def test_a_call_needs_its_fields_and_a_future_deadline() -> None:
    with pytest.raises(ValidationError) as exc:
        services.call_create(
            actor=manager(),
            title="",
            profile="",
            contract_type="king",
            description="",
            place="",
            deadline=NOW - timedelta(minutes=1),
            now=NOW,
        )
    assert set(exc.value.message_dict) == {
        "title",
        "profile",
        "contract_type",
        "description",
        "place",
        "deadline",
    }
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    "role",
    [Role.POLICY_OFFICER, Role.LEGAL_OFFICER, Role.TECHNICAL_OFFICER, Role.ORGANISATION_MEMBER],
)
def test_only_heads_of_unit_and_administrators_manage_calls(role: str) -> None:
    with pytest.raises(PermissionDenied):
        draft(make_user(role))
    call = draft(manager(Role.ADMINISTRATOR))
    with pytest.raises(PermissionDenied):
        services.call_publish(actor=make_user(role, "other"), call=call)


def test_publish_close_and_cancel_with_their_audit_events() -> None:
    call = draft(now=NOW)
    assert call.status == CallStatus.DRAFT and not services.is_open(call, NOW)
    call = services.call_publish(actor=manager(), call=call, now=NOW)
    assert call.status == CallStatus.PUBLISHED and call.published_at == NOW
    assert services.is_open(call, NOW)
    with pytest.raises(ValidationError):
        services.call_publish(actor=manager(), call=call, now=NOW)
    call = services.call_close(actor=manager(), call=call, now=NOW + timedelta(hours=1))
    assert call.status == CallStatus.CLOSED and call.closed_at == NOW + timedelta(hours=1)
    assert not services.is_open(call, NOW + timedelta(hours=1))
    with pytest.raises(ValidationError):
        services.call_cancel(actor=manager(), call=call)
    other = services.call_cancel(actor=manager(), call=draft(now=NOW), now=NOW)
    assert other.status == CallStatus.CANCELLED
    actions = list(
        AuditEvent.objects.filter(action__startswith="portal.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "portal.call.created",
        "portal.call.published",
        "portal.call.closed",
        "portal.call.created",
        "portal.call.cancelled",
    ]


def test_a_draft_whose_deadline_passed_is_not_published() -> None:
    call = draft(now=NOW, deadline=NOW + timedelta(hours=1))
    with pytest.raises(ValidationError) as exc:
        services.call_publish(actor=manager(), call=call, now=NOW + timedelta(hours=2))
    assert "deadline" in exc.value.message_dict


def test_an_open_call_is_edited_but_keeps_its_reference() -> None:
    call = open_call(now=NOW)
    values = {
        "title": "New title",
        "profile": call.profile,
        "contract_type": call.contract_type,
        "description": call.description,
        "place": "Luxembourg",
        "deadline": NOW + timedelta(days=60),
    }
    edited = services.call_update(actor=manager(), call=call, now=NOW, **values)
    assert (edited.title, edited.place) == ("New title", "Luxembourg")
    with pytest.raises(ValidationError) as exc:
        services.call_update(actor=manager(), call=call, now=NOW, reference="OTHER-1", **values)
    assert "reference" in exc.value.message_dict
    services.call_close(actor=manager(), call=call, now=NOW)
    with pytest.raises(ValidationError):
        services.call_update(actor=manager(), call=call, now=NOW, **values)


# --- applying ------------------------------------------------------------------------------


def test_an_application_stores_the_pdf_privately_with_its_checksum_and_mails_the_number(
    private_root: Path,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    call = open_call(now=NOW)
    content = tiny_pdf("Zofia's CV")
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(call, now=NOW, cv=pdf("Zofia CV.PDF", content))
    assert application.tracking_number == f"{call.reference}-0001"
    assert apply(call, now=NOW).tracking_number == f"{call.reference}-0002"
    path = Path(application.cv.path)
    assert path.is_file() and path.is_relative_to(private_root)
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.name == f"{application.tracking_number}.pdf"  # not the applicant's file name
    assert path.read_bytes() == content
    assert application.cv_sha256 == hashlib.sha256(content).hexdigest()
    assert application.cv_size == len(content)
    # kept until the deadline's day plus the retention period, deleted the day after
    assert application.retain_until == date(2026, 4, 1) + timedelta(days=730)
    assert application.status == ApplicationStatus.RECEIVED
    assert [c.status for c in application.status_changes.all()] == [ApplicationStatus.RECEIVED]
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert application.tracking_number in message.subject
    assert application.tracking_number in message.body
    assert application.retain_until == date(2028, 3, 31)
    assert "April 1, 2028" in message.body  # the deletion date, the day after
    text = audit_text()
    assert application.tracking_number in text
    for personal in (NAME, EMAIL, MOTIVATION, "Zofia CV"):
        assert personal not in text


def test_the_confirmation_is_sent_only_after_the_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    call = open_call(now=NOW)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        apply(call, now=NOW)
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_mail_server_refusal_does_not_lose_the_application(
    settings: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(open_call(now=NOW), now=NOW)
    assert Application.objects.filter(pk=application.pk).exists()


def test_an_oversized_cv_is_refused(settings: Any, private_root: Path) -> None:
    settings.PORTAL_CV_MAX_BYTES = 1000
    call = open_call(now=NOW)
    big = tiny_pdf("x") + b"%" + b"0" * 2000
    with pytest.raises(ValidationError) as exc:
        apply(call, now=NOW, cv=pdf(content=big))
    assert set(exc.value.message_dict) == {"cv"}
    assert "larger" in exc.value.message_dict["cv"][0]
    assert not Application.objects.exists() and stored_files(private_root) == []


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (lambda: pdf("cv.pdf", b"Curriculum vitae\nI am a text file."), "not a PDF"),
        (lambda: pdf("cv.png", png_bytes(), "image/png"), ".pdf"),
        (lambda: pdf("cv.pdf", png_bytes(), "application/pdf"), "not a PDF"),
        (lambda: pdf("cv.pdf", tiny_pdf("ok"), "text/html"), "application/pdf"),
        (lambda: pdf("cv.pdf", b"", "application/pdf"), "empty"),
        (lambda: None, "Attach"),
    ],
    ids=["text-named-pdf", "png", "png-renamed-pdf", "html-type", "empty", "missing"],
)
def test_a_cv_that_is_not_a_pdf_is_refused(upload: Any, words: str, private_root: Path) -> None:
    call = open_call(now=NOW)
    with pytest.raises(ValidationError) as exc:
        apply(call, now=NOW, cv=upload())
    assert set(exc.value.message_dict) == {"cv"}
    assert words in exc.value.message_dict["cv"][0]
    assert not Application.objects.exists() and stored_files(private_root) == []


def test_each_missing_or_bad_item_is_named() -> None:
    call = open_call(now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(
            call=call, name="", email="not-an-address", motivation="short", cv=None,
            consent=False, now=NOW,
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"name", "email", "motivation", "cv", "consent"}
    with pytest.raises(ValidationError) as exc:
        apply(
            call,
            now=NOW,
            motivation="x" * (services.MAX_MOTIVATION + 1),
            name="n" * 201,
            email="e" * 250 + "@example.org",
        )
    assert set(exc.value.message_dict) == {"name", "motivation", "email"}


@pytest.mark.parametrize("how", ["deadline", "closed", "cancelled", "draft"])
def test_a_call_that_is_not_open_refuses_applications(how: str, private_root: Path) -> None:
    call = open_call(now=NOW, deadline=NOW + timedelta(days=1))
    later = NOW
    if how == "deadline":
        later = call.deadline  # the deadline itself is too late
    elif how == "closed":
        services.call_close(actor=manager(), call=call, now=NOW)
    elif how == "cancelled":
        services.call_cancel(actor=manager(), call=call, now=NOW)
    else:
        call = draft(now=NOW)
    with pytest.raises(services.CallClosed):
        apply(call, now=later)
    assert not Application.objects.exists() and stored_files(private_root) == []


def test_the_call_is_read_again_under_its_lock(private_root: Path) -> None:
    """The page loaded the call while it was open; it was closed before the form came."""
    call = open_call(now=NOW)
    stale = Call.objects.get(pk=call.pk)
    services.call_close(actor=manager(), call=call, now=NOW)
    assert stale.status == CallStatus.PUBLISHED
    with pytest.raises(services.CallClosed):
        apply(stale, now=NOW)
    assert not Application.objects.exists() and stored_files(private_root) == []


def test_nothing_is_half_saved_when_a_step_fails_after_the_file_was_stored(
    private_root: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(now=NOW)
    written: list[Path] = []
    real_store = services.store_checked

    def store_then_note(field_file: Any, *args: Any) -> None:
        real_store(field_file, *args)
        written.append(Path(field_file.path))

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(services, "store_checked", store_then_note)
    monkeypatch.setattr(services.audit, "record", fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        apply(call, now=NOW)
    assert len(written) == 1 and not written[0].exists()
    assert not Application.objects.exists()
    assert not ApplicationStatusChange.objects.exists()
    assert stored_files(private_root) == []
    assert mail.outbox == []


def test_a_private_root_inside_the_web_root_is_refused(settings: Any, tmp_path: Path) -> None:
    call = open_call(now=NOW)
    settings.PORTAL_PRIVATE_ROOT = Path(settings.MEDIA_ROOT) / "private"
    with pytest.raises(ImproperlyConfigured):
        apply(call, now=NOW)
    assert not Application.objects.exists()


def test_the_default_private_root_is_outside_the_web_root() -> None:
    from django.conf import settings as real

    assert services.check_private_root() is None
    private = Path(real.PORTAL_PRIVATE_ROOT).resolve()
    assert not private.is_relative_to(Path(real.MEDIA_ROOT).resolve())
    assert not private.is_relative_to(Path(real.STATIC_ROOT).resolve())


# --- review --------------------------------------------------------------------------------


def test_status_changes_keep_their_history_and_leave_the_note_out_of_the_audit() -> None:
    application = apply(open_call(now=NOW), now=NOW)
    note = "Strong evaluation background; Zofia speaks four languages."
    services.application_status_change(
        actor=manager(), application=application, status=ApplicationStatus.SHORTLISTED, note=note
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    assert application.status_note == note
    history = list(application.status_changes.values_list("status", "note"))
    assert history == [("received", ""), ("shortlisted", note)]
    event = AuditEvent.objects.get(action="portal.application.status_changed")
    assert "shortlisted" in (event.after_json or "") and "Zofia" not in audit_text()
    with pytest.raises(ValidationError) as exc:
        services.application_status_change(
            actor=manager(), application=application, status=ApplicationStatus.SHORTLISTED
        )
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.application_status_change(actor=manager(), application=application, status="hired")
    assert "status" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.application_status_change(
            actor=make_user(Role.POLICY_OFFICER),
            application=application,
            status=ApplicationStatus.NOT_RETAINED,
        )


def test_a_cv_is_opened_after_its_checksum_is_checked_and_each_opening_audited() -> None:
    application = apply(open_call(now=NOW), now=NOW)
    cv = services.application_cv_open(actor=manager(), application=application)
    with cv.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")
    services.application_cv_open(actor=manager(Role.ADMINISTRATOR), application=application)
    assert AuditEvent.objects.filter(action="portal.application.cv_opened").count() == 2
    with pytest.raises(PermissionDenied):
        services.application_cv_open(actor=make_user(Role.LEGAL_OFFICER), application=application)
    Path(application.cv.path).write_bytes(tiny_pdf("tampered"))
    with pytest.raises(services.CvUnavailable) as exc:
        services.application_cv_open(actor=manager(), application=application)
    assert exc.value.reason == "altered"
    assert AuditEvent.objects.filter(action="portal.application.cv_altered").count() == 1
    Path(application.cv.path).unlink()
    with pytest.raises(services.CvUnavailable) as exc:
        services.application_cv_open(actor=manager(), application=application)
    assert exc.value.reason == "missing"


# --- retention -----------------------------------------------------------------------------


def test_personal_data_are_deleted_after_the_period_and_the_statistics_kept(
    private_root: Path,
) -> None:
    early = open_call(now=NOW, deadline=NOW + timedelta(days=1))
    late = open_call(now=NOW, deadline=NOW + timedelta(days=100))
    gone = apply(early, now=NOW)
    services.application_status_change(
        actor=manager(), application=gone, status=ApplicationStatus.NOT_RETAINED, note="Zofia: no."
    )
    kept = apply(late, now=NOW)
    path = Path(gone.cv.path)
    last_day = datetime.combine(gone.retain_until, datetime.min.time(), tzinfo=UTC)
    assert services.applications_due_for_purge(now=last_day + timedelta(hours=23)) == 0
    assert services.applications_purge(now=last_day + timedelta(hours=23)) == 0
    purge_at = last_day + timedelta(days=1)
    assert services.applications_due_for_purge(now=purge_at) == 1
    assert services.applications_purge(now=purge_at) == 1
    gone.refresh_from_db()
    assert (gone.name, gone.email, gone.motivation, gone.status_note) == ("", "", "", "")
    assert gone.cv.name in ("", None) and gone.cv_sha256 == ""
    assert not path.exists()
    assert gone.purged_at == purge_at
    # statistics: the tracking number, call, status, dates and size stay
    assert gone.tracking_number == f"{early.reference}-0001"
    assert gone.status == ApplicationStatus.NOT_RETAINED
    assert gone.submitted_at == NOW and gone.cv_size > 0
    assert set(gone.status_changes.values_list("note", flat=True)) == {""}
    kept.refresh_from_db()
    assert kept.name == NAME and Path(kept.cv.path).exists()
    event = AuditEvent.objects.get(action="portal.application.purged")
    assert '"count":1' in (event.after_json or "")
    # a second run does nothing (and writes no event)
    assert services.applications_purge(now=purge_at) == 0
    assert AuditEvent.objects.filter(action="portal.application.purged").count() == 1
    with pytest.raises(services.CvUnavailable) as exc:
        services.application_cv_open(actor=manager(), application=gone)
    assert exc.value.reason == "purged"
    with pytest.raises(ValidationError):
        services.application_status_change(
            actor=manager(), application=gone, status=ApplicationStatus.WITHDRAWN
        )


def test_a_file_the_storage_cannot_delete_is_tried_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    application = apply(open_call(now=NOW, deadline=NOW + timedelta(days=1)), now=NOW)
    later = datetime.combine(application.retain_until, datetime.min.time(), tzinfo=UTC)
    later += timedelta(days=2)

    def refuse(self: Any, name: str) -> None:
        raise PermissionError(name)

    monkeypatch.setattr("django.core.files.storage.FileSystemStorage.delete", refuse)
    assert services.applications_purge(now=later) == 0
    application.refresh_from_db()
    assert application.purged_at is None and application.name == NAME
    monkeypatch.undo()
    assert services.applications_purge(now=later) == 1


# --- demo ----------------------------------------------------------------------------------


def test_the_demo_loads_open_and_closed_calls_with_applications_once(
    private_root: Path,
) -> None:
    from aioffice.demo_data import portal_calls

    users = {"head": manager(Role.HEAD_OF_UNIT, "head")}
    portal_calls.load(users=users)
    portal_calls.load(users=users)
    now = timezone.now()
    assert Call.objects.count() == 3
    assert sum(services.is_open(c, now) for c in Call.objects.all()) == 2
    assert Call.objects.filter(status=CallStatus.CLOSED).count() == 1
    assert Application.objects.count() == len(portal_calls.APPLICANTS)
    for application in Application.objects.all():
        data = Path(application.cv.path).read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        assert hashlib.sha256(data).hexdigest() == application.cv_sha256
    assert mail.outbox == []


def test_the_tiny_pdf_is_well_formed() -> None:
    data = tiny_pdf("Hello (world)")
    start = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[start:].startswith(b"xref")
    offsets = [int(line[:10]) for line in data[start:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{number} 0 obj".encode())
    assert io.BytesIO(data).read(5) == b"%PDF-"
