"""Calls for expression of interest: staff draft, publish, close and cancel calls; the
public applies with a PDF CV; staff review the applications; personal data are deleted
after the retention period.

Every state change is one transaction with one audit event, and no audit event holds
personal data (names, e-mail addresses, motivations, CVs, their checksums or reviewers'
notes): only references, tracking numbers, statuses, sizes and counts. A CV is stored in private
storage (outside the web root) inside `removed_on_failure()`, with its SHA-256 read back
from the stored bytes; an application is accepted only while its call, read under a lock,
is published and before its deadline, whatever the page showed when it was loaded.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePath
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from aioffice.core import audit
from aioffice.core.files import (
    UploadDigest,
    digest_upload,
    removed_on_failure,
    store_checked,
    stored_sha256,
)
from aioffice.portal.choices import ApplicationStatus, CallStatus, ContractType
from aioffice.portal.mail_errors import refusal
from aioffice.portal.models_calls import Application, ApplicationStatusChange, Call
from aioffice.portal.permissions import may_manage_calls

__all__ = [
    "BRUSSELS",
    "CallClosed",
    "CvUnavailable",
    "application_cv_open",
    "application_status_change",
    "application_submit",
    "applications_due_for_purge",
    "applications_exported",
    "applications_purge",
    "call_cancel",
    "call_close",
    "call_create",
    "call_publish",
    "call_update",
    "check_private_root",
    "cv_digest",
    "deletion_date",
    "is_open",
    "retention_until",
]

logger = logging.getLogger(__name__)

BRUSSELS = ZoneInfo("Europe/Brussels")  # where the Office sits; deadlines are shown in it
REFERENCE_PREFIX = "AIO-CEI"
# Upper-case letters, digits and hyphens; short enough that "<reference>-0001" fits the
# tracking number's 30 characters.
REFERENCE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,23}$")
MAX_TITLE = 300
MAX_PROFILE = 300
MAX_GRADE = 40
MAX_PLACE = 120
MAX_DESCRIPTION = 20_000
MAX_NAME = 200
MAX_EMAIL = 254  # the column's length (RFC 5321's limit on a path)
MIN_MOTIVATION = 20
MAX_MOTIVATION = 5_000
MAX_NOTE = 2_000
FORM_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # secrets.token_urlsafe's alphabet
PDF_MAGIC = b"%PDF-"
PDF_CONTENT_TYPES = frozenset({"application/pdf", "application/x-pdf"})


class CallClosed(ValidationError):
    """The call no longer takes applications (deadline passed, closed or cancelled)."""


class CvUnavailable(Exception):
    """The CV cannot be served: `reason` is "purged" (deleted with the personal data),
    "missing" (the file is gone from storage) or "altered" (its bytes no longer have the
    recorded SHA-256)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- helpers -------------------------------------------------------------------------------


def _now() -> datetime:
    """The one place the calls read the clock."""
    return timezone.now()


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _manager(actor: Any) -> None:
    if not may_manage_calls(actor):
        raise PermissionDenied(_("Only heads of unit and administrators manage calls."))


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _required(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    if not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > limit:
        errors.setdefault(field, []).append(_("At most %(limit)d characters.") % {"limit": limit})


def check_private_root() -> None:
    """Refuse to store a CV when PORTAL_PRIVATE_ROOT lies inside MEDIA_ROOT or STATIC_ROOT
    (where the web server may serve files): a deployment error, not the applicant's."""
    private = Path(settings.PORTAL_PRIVATE_ROOT).resolve()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, name, None)
        if served and private.is_relative_to(Path(served).resolve()):
            raise ImproperlyConfigured(f"PORTAL_PRIVATE_ROOT must not lie inside {name}.")


def is_open(call: Call, now: datetime | None = None) -> bool:
    """Whether the call takes applications now: published, and its deadline not reached."""
    if call.status != CallStatus.PUBLISHED:
        return False
    return call.deadline > (now or _now())


def retention_until(call: Call) -> date:
    """The last day an application's personal data are kept: the call's deadline (its day
    in UTC) plus PORTAL_APPLICATION_RETENTION_DAYS, the same for every applicant of the
    call, so that a selection never loses some applicants before the others."""
    days = int(settings.PORTAL_APPLICATION_RETENTION_DAYS)
    return call.deadline.astimezone(UTC).date() + timedelta(days=days)


def deletion_date(retain_until: date) -> date:
    """The day the personal data are deleted: the day after the last day they are kept."""
    return retain_until + timedelta(days=1)


def _call_data(call: Call) -> dict[str, Any]:
    return {
        "reference": call.reference,
        "status": call.status,
        "deadline": call.deadline,
        "contract_type": call.contract_type,
    }


# --- calls ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CallFields:
    title: str
    profile: str
    contract_type: str
    grade: str
    place: str
    description: str
    deadline: datetime


def _call_fields(
    *,
    title: Any,
    profile: Any,
    contract_type: Any,
    grade: Any,
    place: Any,
    description: Any,
    deadline: Any,
    now: datetime,
) -> _CallFields:
    errors: dict[str, list[str]] = {}
    title = _text(title)
    profile = _text(profile)
    grade = _text(grade)
    place = _text(place)
    description = _text(description)
    _required(errors, "title", title, MAX_TITLE)
    _required(errors, "profile", profile, MAX_PROFILE)
    _required(errors, "place", place, MAX_PLACE)
    _required(errors, "description", description, MAX_DESCRIPTION)
    if len(grade) > MAX_GRADE:
        errors["grade"] = [_("At most %(limit)d characters.") % {"limit": MAX_GRADE}]
    if contract_type not in ContractType.values:
        errors["contract_type"] = [_("Choose a contract type.")]
    if not isinstance(deadline, datetime):
        errors["deadline"] = [_("Give the deadline: a date and a time.")]
    elif timezone.is_naive(deadline):
        errors["deadline"] = [_("Give the deadline with its time zone.")]
    elif deadline <= now:
        errors["deadline"] = [_("The deadline must be in the future.")]
    _raise(errors)
    return _CallFields(
        title=title,
        profile=profile,
        contract_type=str(contract_type),
        grade=grade,
        place=place,
        description=description,
        deadline=deadline.astimezone(UTC),
    )


def _next_reference(year: int) -> str:
    """The next generated reference of the year: AIO-CEI-2026-001, -002..."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    highest = 0
    for reference in Call.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    ):
        suffix = reference.removeprefix(prefix)
        if suffix.isdigit():
            highest = max(highest, int(suffix))
    return f"{prefix}{highest + 1:03d}"


def _reference(value: Any, now: datetime) -> str:
    reference = _text(value).upper()
    if not reference:
        return _next_reference(now.year)
    if not REFERENCE_RE.match(reference):
        raise ValidationError(
            {
                "reference": _(
                    "Use 3 to 24 capital letters, digits and hyphens (like AIO-CEI-2026-001), "
                    "or leave it empty to have one made."
                )
            }
        )
    return reference


def call_create(
    *,
    actor: Any,
    title: str,
    profile: str,
    contract_type: str,
    description: str,
    deadline: datetime,
    place: str = "Brussels",
    grade: str = "",
    reference: str = "",
    now: datetime | None = None,
) -> Call:
    """Draft a call. Its reference is the one given or the next of the year
    ("AIO-CEI-2026-001"); the deadline must be in the future."""
    _manager(actor)
    now = now or _now()
    fields = _call_fields(
        title=title,
        profile=profile,
        contract_type=contract_type,
        grade=grade,
        place=place,
        description=description,
        deadline=deadline,
        now=now,
    )
    try:
        with transaction.atomic():
            chosen = _reference(reference, now)
            if Call.objects.filter(reference=chosen).exists():
                raise ValidationError({"reference": _("A call has this reference already.")})
            call = Call.objects.create(
                reference=chosen,
                title=fields.title,
                profile=fields.profile,
                contract_type=fields.contract_type,
                grade=fields.grade,
                place=fields.place,
                description=fields.description,
                deadline=fields.deadline,
                created_by=actor,
            )
            audit.record(
                actor=actor, action="portal.call.created", obj=call, after=_call_data(call)
            )
    except IntegrityError:  # the same reference made at the same moment
        raise ValidationError(
            {"reference": _("A call has this reference already; send the form again.")}
        ) from None
    return call


def _locked(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def call_update(
    *,
    actor: Any,
    call: Call,
    title: str,
    profile: str,
    contract_type: str,
    description: str,
    deadline: datetime,
    place: str,
    grade: str = "",
    reference: str | None = None,
    now: datetime | None = None,
) -> Call:
    """Edit a draft or an open call (the reference only while it is a draft); the deadline
    must still be in the future. A closed or cancelled call stays as it was."""
    _manager(actor)
    now = now or _now()
    fields = _call_fields(
        title=title,
        profile=profile,
        contract_type=contract_type,
        grade=grade,
        place=place,
        description=description,
        deadline=deadline,
        now=now,
    )
    try:
        with transaction.atomic():
            row = _locked(call)
            if row.status not in (CallStatus.DRAFT, CallStatus.PUBLISHED):
                raise ValidationError(
                    _("This call can no longer be edited (status: %(status)s).")
                    % {"status": row.get_status_display()}
                )
            before = _call_data(row)
            if reference is not None and _text(reference).upper() != row.reference:
                if row.status != CallStatus.DRAFT:
                    raise ValidationError(
                        {"reference": _("The reference of a published call cannot change.")}
                    )
                chosen = _reference(reference, now)
                if Call.objects.filter(reference=chosen).exclude(pk=row.pk).exists():
                    raise ValidationError({"reference": _("A call has this reference already.")})
                row.reference = chosen
            row.title = fields.title
            row.profile = fields.profile
            row.contract_type = fields.contract_type
            row.grade = fields.grade
            row.place = fields.place
            row.description = fields.description
            row.deadline = fields.deadline
            row.save()
            audit.record(
                actor=actor,
                action="portal.call.updated",
                obj=row,
                before=before,
                after=_call_data(row),
            )
    except IntegrityError:
        raise ValidationError({"reference": _("A call has this reference already.")}) from None
    return row


def _transition(
    *, actor: Any, call: Call, allowed: tuple[str, ...], verb: str, now: datetime | None
) -> Call:
    _manager(actor)
    now = now or _now()
    with transaction.atomic():
        row = _locked(call)
        if row.status not in allowed:
            raise ValidationError(
                _("Not possible: the status of this call is %(status)s.")
                % {"status": row.get_status_display()}
            )
        before = _call_data(row)
        if verb == "published":
            if row.deadline <= now:
                raise ValidationError(
                    {"deadline": _("The deadline has passed: set a later one first.")}
                )
            row.status = CallStatus.PUBLISHED
            row.published_at = now
        elif verb == "closed":
            row.status = CallStatus.CLOSED
            row.closed_at = now
        else:
            row.status = CallStatus.CANCELLED
            row.closed_at = now
        row.save(update_fields=["status", "published_at", "closed_at"])
        audit.record(
            actor=actor, action=f"portal.call.{verb}", obj=row, before=before, after=_call_data(row)
        )
    return row


def call_publish(*, actor: Any, call: Call, now: datetime | None = None) -> Call:
    """Publish a draft on /jobs/: it takes applications until its deadline."""
    return _transition(
        actor=actor, call=call, allowed=(CallStatus.DRAFT,), verb="published", now=now
    )


def call_close(*, actor: Any, call: Call, now: datetime | None = None) -> Call:
    """Close an open call before its deadline: no application is accepted any more."""
    return _transition(
        actor=actor, call=call, allowed=(CallStatus.PUBLISHED,), verb="closed", now=now
    )


def call_cancel(*, actor: Any, call: Call, now: datetime | None = None) -> Call:
    """Cancel a draft or an open call (the applications received stay, for review and
    until their retention period ends)."""
    return _transition(
        actor=actor,
        call=call,
        allowed=(CallStatus.DRAFT, CallStatus.PUBLISHED),
        verb="cancelled",
        now=now,
    )


# --- applications --------------------------------------------------------------------------


def cv_digest(cv: Any) -> UploadDigest:
    """The CV's SHA-256, size and first bytes when it is a PDF within the size limit
    (PORTAL_CV_MAX_BYTES); otherwise a ValidationError on `cv`. A PDF is told by its name
    (.pdf), its declared type (application/pdf) and its first bytes (%PDF-): a file of
    another kind renamed .pdf is refused."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({"cv": [message]})

    if cv is None or not getattr(cv, "name", ""):
        raise refuse(_("Attach your CV as a PDF file."))
    if PurePath(str(cv.name)).suffix.lower() != ".pdf":
        raise refuse(_("The CV must be a PDF file (a name ending in .pdf)."))
    content_type = str(getattr(cv, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type and content_type not in PDF_CONTENT_TYPES:
        raise refuse(_("The CV must be a PDF file (application/pdf)."))
    max_bytes = int(settings.PORTAL_CV_MAX_BYTES)
    size = getattr(cv, "size", None)
    if size is not None and size > max_bytes:
        raise refuse(_too_large(max_bytes))
    try:
        found = digest_upload(cv, field="cv", max_bytes=max_bytes)
    except ValidationError:
        raise refuse(_too_large(max_bytes)) from None
    if found.size == 0:
        raise refuse(_("The file is empty."))
    if not found.head.startswith(PDF_MAGIC):
        raise refuse(_("This file is not a PDF document. Save your CV as a PDF and attach it."))
    return found


def _too_large(max_bytes: int) -> str:
    return _("The CV is larger than %(size)s.") % {
        "size": formats.number_format(max_bytes / (1024 * 1024), 1) + " MB"
    }


def _tracking_number(call: Call) -> str:
    """ "<reference>-0007": the call's reference and the application's rank in the call
    (counted under the call's lock: applications are never deleted, only purged)."""
    return f"{call.reference}-{call.applications.count() + 1:04d}"


def _confirmation(application: Application, call: Call) -> EmailMessage:
    """The applicant's confirmation, in the language of the page they applied on."""
    gone_on = formats.date_format(deletion_date(application.retain_until), "DATE_FORMAT")
    subject = _("[AI Office] Application %(tracking)s received") % {
        "tracking": application.tracking_number
    }
    lines = [
        _("Thank you for your application to the call %(reference)s: %(title)s.")
        % {"reference": call.reference, "title": call.title},
        "",
        _("Your tracking number: %(tracking)s") % {"tracking": application.tracking_number},
        _("Quote it in any message about your application."),
        "",
        _(
            "Your personal data (your name, e-mail address, motivation and CV) will be "
            "deleted on %(date)s. Only the tracking number, the call, the status and the "
            "dates are kept, as statistics."
        )
        % {"date": gone_on},
        "",
        _("This message was sent automatically; please do not reply to it."),
    ]
    return EmailMessage(subject, "\n".join(lines), to=[application.email])


def _send_confirmation(message: EmailMessage, tracking_number: str) -> None:
    try:
        message.send(fail_silently=False)
    # the application is stored and the page shows its tracking number: nothing may fail it
    except Exception as exc:  # noqa: BLE001  (logged; no traceback: it names the address)
        logger.error("confirmation of application %s not sent: %s", tracking_number, refusal(exc))


def application_submit(
    *,
    call: Call,
    name: str,
    email: str,
    motivation: str,
    cv: Any,
    consent: bool,
    form_token: str = "",
    now: datetime | None = None,
) -> Application:
    """Apply to an open call with a PDF CV: every missing or bad item is an error keyed by
    its field; a call that is no longer open (deadline passed, closed, cancelled), read
    under its lock, raises `CallClosed`, even when the form was loaded while it was open.
    The CV is stored in private storage and its SHA-256 read back from the stored bytes;
    if anything fails, neither the row nor the file remains. The confirmation e-mail with
    the tracking number and the deletion date leaves once the transaction has committed.

    `form_token` is the random token of the form page: the same form sent again (a double
    click) returns the application it made, under the call's lock, and stores nothing more
    (no second row, file or e-mail). A token that is not of the form's making is ignored.

    No `actor`: an applicant is a member of the public, and the audit event names nobody
    (a signed-in person's username would tie them to the application in a trail that is
    never purged)."""
    now = now or _now()
    errors: dict[str, list[str]] = {}
    name = _text(name)
    email = _text(email)
    motivation = _text(motivation)
    _required(errors, "name", name, MAX_NAME)
    if not email:
        errors["email"] = [_("This field is required.")]
    elif len(email) > MAX_EMAIL:
        errors["email"] = [_("At most %(limit)d characters.") % {"limit": MAX_EMAIL}]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    _required(errors, "motivation", motivation, MAX_MOTIVATION)
    if motivation and len(motivation) < MIN_MOTIVATION:
        errors.setdefault("motivation", []).append(
            _("Write at least %(limit)d characters.") % {"limit": MIN_MOTIVATION}
        )
    if consent is not True:
        errors["consent"] = [_("Confirm that you have read the privacy statement.")]
    found: UploadDigest | None = None
    try:
        found = cv_digest(cv)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not is_open(call, now):
        raise CallClosed(_("This call is closed: applications are no longer accepted."))
    if errors or found is None:  # no CV digest means an error on `cv`
        raise ValidationError(errors)
    check_private_root()
    token = form_token if isinstance(form_token, str) and FORM_TOKEN_RE.match(form_token) else ""
    with removed_on_failure() as stored, transaction.atomic():
        locked = _locked(call)
        if token:
            sent = Application.objects.filter(call=locked, form_token=token).first()
            if sent is not None:  # this form was sent already: the same application
                return sent
        if not is_open(locked, now):
            raise CallClosed(_("This call is closed: applications are no longer accepted."))
        tracking = _tracking_number(locked)
        application = Application(
            call=locked,
            tracking_number=tracking,
            name=name,
            email=email,
            motivation=motivation,
            cv_sha256=found.sha256,
            cv_size=found.size,
            submitted_at=now,
            retain_until=retention_until(locked),
            form_token=token,
        )
        application.cv = File(cv, name=f"{tracking}.pdf")  # the field wraps it, uncommitted
        store_checked(application.cv, stored, found.sha256, found.size, "cv")
        application.save()
        ApplicationStatusChange.objects.create(
            application=application, status=ApplicationStatus.RECEIVED, changed_at=now
        )
        audit.record(
            actor=None,
            action="portal.application.submitted",
            obj=application,
            after={  # no CV checksum: it would link the CV to the application for ever
                "call": locked.reference,
                "tracking_number": tracking,
                "cv_size": found.size,
                "retain_until": application.retain_until,
            },
        )
        message = _confirmation(application, locked)
        transaction.on_commit(lambda: _send_confirmation(message, tracking))
    return application


def application_status_change(
    *,
    actor: Any,
    application: Application,
    status: str,
    note: str = "",
    now: datetime | None = None,
) -> Application:
    """Set an application's status (received, under review, shortlisted, reserve list, not
    retained, withdrawn) with the reviewer's note; the history keeps each step. The note is
    not written to the audit trail (it may speak of the applicant)."""
    _manager(actor)
    now = now or _now()
    note = _text(note)
    if status not in ApplicationStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("At most %(limit)d characters.") % {"limit": MAX_NOTE}})
    with transaction.atomic():
        row = Application.objects.select_for_update().get(pk=application.pk)
        if row.purged_at is not None:
            raise ValidationError(
                {"status": _("This application's personal data were deleted: it is closed.")}
            )
        if row.status == status and not note:
            raise ValidationError(
                {
                    "status": _(
                        "The application has this status already; add a note or choose another."
                    )
                }
            )
        before = row.status
        row.status = status
        row.status_note = note
        row.save(update_fields=["status", "status_note"])
        ApplicationStatusChange.objects.create(
            application=row, status=status, note=note, changed_by=actor, changed_at=now
        )
        audit.record(
            actor=actor,
            action="portal.application.status_changed",
            obj=row,
            before={"status": before},
            after={"status": status, "note": bool(note)},
        )
    return row


def application_cv_open(*, actor: Any, application: Application) -> FieldFile:
    """The application's CV for a call manager, after checking that the stored bytes still
    have the recorded SHA-256; every opening (and every refusal for altered bytes) is in
    the audit trail, with the tracking number, the size and the check's outcome only (the
    checksum is personal data of a kind: whoever holds the CV could link it to the
    application after the purge, and the trail is never purged)."""
    _manager(actor)
    if application.purged_at is not None or not application.cv.name:
        raise CvUnavailable("purged")
    try:
        found = stored_sha256(application.cv)
    except FileNotFoundError:
        raise CvUnavailable("missing") from None
    if found != (application.cv_sha256, application.cv_size):
        audit.record(
            actor=actor,
            action="portal.application.cv_altered",
            obj=application,
            after={"verified": False, "size": application.cv_size, "found_size": found[1]},
        )
        logger.error("CV of application %s no longer matches its SHA-256", application)
        raise CvUnavailable("altered")
    audit.record(
        actor=actor,
        action="portal.application.cv_opened",
        obj=application,
        after={"verified": True, "size": application.cv_size},
    )
    stored: FieldFile = application.cv
    return stored


def applications_exported(*, actor: Any, call: Call, status: str, count: int) -> None:
    """Record that a call manager exported a call's applications (names and addresses) as
    CSV: as each CV opening, each bulk copy of personal data is in the audit trail, with
    the call, the filter and the number of rows only."""
    _manager(actor)
    audit.record(
        actor=actor,
        action="portal.application.exported",
        obj=call,
        after={"call": call.reference, "status": status or "any", "rows": count},
    )


# --- retention -----------------------------------------------------------------------------


def _today(now: datetime) -> date:
    return now.astimezone(UTC).date()


def applications_due_for_purge(*, now: datetime | None = None) -> int:
    """How many applications' personal data `applications_purge` would delete now."""
    today = _today(now or _now())
    return Application.objects.filter(purged_at__isnull=True, retain_until__lt=today).count()


def _purge_one(pk: int, now: datetime) -> bool:
    with transaction.atomic():
        row = Application.objects.select_for_update().filter(pk=pk, purged_at__isnull=True).first()
        if row is None:  # purged meanwhile by another worker
            return False
        if row.cv.name:
            # deleted before the commit: if the commit fails the row is purged again next
            # time (deleting a missing file is a no-op), and no CV outlives its period
            row.cv.storage.delete(row.cv.name)
        row.cv = ""  # an empty FileField
        row.cv_sha256 = ""
        row.name = ""
        row.email = ""
        row.motivation = ""
        row.status_note = ""
        row.purged_at = now
        row.save(
            update_fields=[
                "cv",
                "cv_sha256",
                "name",
                "email",
                "motivation",
                "status_note",
                "purged_at",
            ]
        )
        ApplicationStatusChange.objects.filter(application_id=pk).exclude(note="").update(note="")
    return True


def applications_purge(*, now: datetime | None = None) -> int:
    """Delete the personal data of the applications whose retention period has ended
    (`retain_until` before today, UTC): the CV file, the name, e-mail address, motivation
    and reviewers' notes. The tracking number, call, status and dates stay as statistics.
    One transaction per application; one audit event with the count. Returns the count; a
    second run finds nothing more to do."""
    now = now or _now()
    today = _today(now)
    due = list(
        Application.objects.filter(purged_at__isnull=True, retain_until__lt=today)
        .order_by("retain_until", "pk")
        .values_list("pk", flat=True)
    )
    purged = 0
    for pk in due:
        try:
            if _purge_one(pk, now):
                purged += 1
        except OSError:  # a file the storage cannot delete: the row is tried again next run
            logger.exception("personal data of application %s not purged", pk)
    if purged:
        audit.record(
            actor=None,
            action="portal.application.purged",
            object_type="portal.application",
            after={"count": purged, "kept_until_before": today},
        )
    return purged
