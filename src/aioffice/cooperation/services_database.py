"""The EU database's writes: registering an entry, updating it, changing the system's status,
withdrawing the entry (Art. 49, 71; DB-01..03).

Each is one function, one transaction: it checks who acts (`permissions_database`; refused
with `PermissionDenied`), asks aiact who sees the entry and which points are entered
(`database-visibility`; the answer, its rules version, reasons and citations are kept on the
row), checks the points (a point aiact does not list for the entry is refused, naming the
field), writes the row, one step of its history and the audit event (ids, kinds and
statuses only: never the entry's text).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from aiact import InputError, evaluate, load_law
from aioffice.accounts.models import Organisation
from aioffice.cooperation.models_database import (
    POINTS,
    EntryState,
    Point,
    Registration,
    RegistrationFile,
    RegistrationSequence,
    RegistrationStatusChange,
    Section,
    SystemStatus,
    Visibility,
    fold,
)
from aioffice.cooperation.permissions_database import may_manage, may_register, scope_of
from aioffice.core import audit
from aioffice.core.files import JPEG, PDF, PNG, check_upload, removed_on_failure
from aioffice.registry.choices import MEMBER_STATE_NAMES

__all__ = [
    "registration_create",
    "registration_status_change",
    "registration_update",
    "registration_withdraw",
    "visibility_answer",
]

COLUMN_LENGTH = 200
TEXT_LENGTH = 5000
# What a file of an entry may be (a name without an extension gets its first bytes' type).
FILE_TYPES = (PDF, PNG, JPEG)


def _today() -> date:
    return timezone.now().date()


def visibility_answer(
    *, section: str, annex_iii_point: str, sensitive_context: bool, publication_consent: bool
) -> dict[str, Any]:
    """aiact's answer: who sees the entry and which points are entered and shown."""
    if section not in Section.values:
        raise ValidationError({"section": f"Unknown section {section[:10]!r}."})
    try:
        answer = evaluate(
            "cooperation",
            {
                "check": "database-visibility",
                "section": section,
                "annex_iii_point": annex_iii_point or None,
                "sensitive_context": sensitive_context,
                "publication_consent": publication_consent,
            },
            law=load_law(),
            default_date=_today(),
        )
    except InputError as exc:
        field = str(exc).split(":", 1)[0]
        message = str(exc).split(":", 1)[-1].strip()
        raise ValidationError({field: message}) from None
    return answer


def _facts(answer: dict[str, Any]) -> dict[str, Any]:
    result = answer["result"]
    return {
        "visibility": result["visibility"],
        "fields": [str(point) for point in result["fields"]],
        "rules_version": str(answer["rules_version"]),
        "reasons": answer.get("reasons", []),
        "citations": answer.get("citations", []),
    }


def _refuse_national(facts: dict[str, Any]) -> None:
    if facts["visibility"] == Visibility.NATIONAL:
        raise ValidationError(
            {
                "annex_iii_point": (
                    "Systems of this Annex III area are registered at national level, "
                    "not in the EU database (Art. 49(5))."
                )
            }
        )


def _text(key: str, value: Any, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({key: "Enter text."})
    text = value.strip()
    if "\x00" in text:
        raise ValidationError({key: "The text holds a NUL character."})
    if len(text) > limit:
        raise ValidationError({key: f"At most {limit} characters."})
    return text


def _member_states(value: Any) -> str:
    if value in (None, "", []):
        return ""
    codes = value.split(",") if isinstance(value, str) else value
    if not isinstance(codes, (list, tuple)) or not all(isinstance(c, str) for c in codes):
        raise ValidationError({"member_states": "Give a list of Member State codes."})
    cleaned = sorted({code.strip().upper() for code in codes if code.strip()})
    unknown = [code for code in cleaned if code not in MEMBER_STATE_NAMES]
    if unknown:
        raise ValidationError({"member_states": f"Not a Member State: {unknown[0][:10]}."})
    return "|" + "|".join(cleaned) + "|" if cleaned else ""


def _system(actor: Any, value: str) -> tuple[Registration | None, str]:
    """Section C point 3: the provider's entry by its number (one the deployer sees), or a
    URL of an entry elsewhere."""
    if value.startswith(("http://", "https://")):
        try:
            URLValidator()(value)
        except ValidationError:
            raise ValidationError({"system": "Enter a valid URL."}) from None
        return None, value
    scope = scope_of(actor, verified=True)
    found = (
        Registration.objects.filter(scope.q())
        .filter(number=value.upper(), section=Section.A)
        .first()
    )
    if found is None:
        raise ValidationError(
            {"system": "No section A entry with this number is visible to you; give its URL."}
        )
    return found, ""


def _apply(
    actor: Any,
    registration: Registration,
    values: Mapping[str, Any],
    facts: dict[str, Any],
    *,
    files: Mapping[str, Any],
) -> None:
    """Check each point against the section and aiact's list, and set it on the row."""
    points = {p.key: p for p in POINTS[registration.section]}
    for key in [*values, *files]:
        if key not in points:
            raise ValidationError({key: f"Not a point of section {registration.section}."})
    fields = set(facts["fields"])
    details: dict[str, str] = {}
    for key, spec in points.items():
        given = files.get(key) if spec.kind == "file" else values.get(key)
        present = given not in (None, "", [], ())
        if present and spec.point not in fields:
            raise ValidationError({key: _not_entered(spec, facts["visibility"])})
        if spec.point not in fields:
            _clear(registration, spec)
            continue
        if spec.kind == "file":
            continue
        if spec.key == "member_states":
            registration.member_states = _member_states(given)
            value: str = registration.member_states
        elif spec.key == "status":
            value = _text(key, given, 20)
            if value and value not in SystemStatus.values:
                raise ValidationError({key: f"Unknown status {value[:20]!r}."})
            registration.status = value
        elif spec.kind == "system":
            value = _text(key, given, COLUMN_LENGTH)
            registration.system, registration.system_url = (
                _system(actor, value) if value else (None, "")
            )
        elif spec.kind == "column":
            value = _text(key, given, COLUMN_LENGTH if key != "intended_purpose" else TEXT_LENGTH)
            setattr(registration, key, value)
        else:
            value = _text(key, given, TEXT_LENGTH)
            if value and spec.kind == "url":
                try:
                    URLValidator()(value)
                except ValidationError:
                    raise ValidationError({key: "Enter a valid URL."}) from None
            if value:
                details[key] = value
        if spec.required and not value:
            raise ValidationError({key: f"{spec.label} is required (point {spec.point})."})
    registration.details = details
    registration.search = fold(
        " ".join(
            [
                registration.registrant_name,
                registration.trade_name,
                registration.reference,
                registration.intended_purpose,
            ]
        )
    )


def _not_entered(spec: Point, visibility: str) -> str:
    if visibility == Visibility.RESTRICTED:
        return (
            f"Point {spec.point} is not entered in the secure section (Art. 49(4)): leave it empty."
        )
    return f"Point {spec.point} is not entered for this entry: leave it empty."


def _clear(registration: Registration, spec: Point) -> None:
    if spec.key == "member_states":
        registration.member_states = ""
    elif spec.key == "status":
        registration.status = ""
    elif spec.kind == "system":
        registration.system, registration.system_url = None, ""
    elif spec.kind == "column":
        setattr(registration, spec.key, "")


def _next_number(section: str, year: int) -> str:
    """The next number of a section and year, under the sequence row's lock."""
    RegistrationSequence.objects.get_or_create(section=section, year=year)
    sequence = RegistrationSequence.objects.select_for_update().get(section=section, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"EU-DB-{section}-{year}-{sequence.last:06d}"


def _store_file(
    actor: Any, registration: Registration, point: str, upload: Any, stored: list[Any], key: str
) -> RegistrationFile:
    found = check_upload(
        upload,
        field=key,
        allowed=FILE_TYPES,
        max_bytes=int(getattr(settings, "COOPERATION_DATABASE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)),
        default_name="file",
    )
    row = RegistrationFile(
        registration=registration,
        point=point,
        filename=found.filename,
        content_type=found.content_type,
        sha256=found.sha256,
        size=found.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    found.store(row.file, stored)
    row.save()
    audit.record(
        actor=actor,
        action="cooperation.registration.file_stored",
        obj=registration,
        after={"point": point, "sha256": found.sha256, "size": found.size},
    )
    return row


def _files(
    actor: Any, registration: Registration, files: Mapping[str, Any], stored: list[Any]
) -> None:
    points = {p.key: p for p in POINTS[registration.section] if p.kind == "file"}
    for key, upload in files.items():
        if upload is None:
            continue
        _store_file(actor, registration, points[key].point, upload, stored, key)


def _history(registration: Registration, actor: Any, event: str, note: str = "") -> None:
    RegistrationStatusChange.objects.create(
        registration=registration,
        event=event,
        status=registration.status,
        state=registration.state,
        note=note,
        changed_by=actor if getattr(actor, "pk", None) else None,
    )


def _summary(registration: Registration) -> dict[str, Any]:
    return {
        "section": registration.section,
        "annex_iii_point": registration.annex_iii_point,
        "visibility": registration.visibility,
        "status": registration.status,
        "state": registration.state,
        "rules_version": registration.rules_version,
    }


def registration_create(
    *,
    actor: Any,
    organisation: Organisation,
    section: str,
    annex_iii_point: str,
    sensitive_context: bool = False,
    publication_consent: bool = False,
    values: Mapping[str, Any],
    files: Mapping[str, Any] | None = None,
) -> Registration:
    """Register an entry for an organisation the actor registers for (Art. 49(1)-(3))."""
    if section not in Section.values:
        raise ValidationError({"section": f"Unknown section {str(section)[:10]!r}."})
    if not may_register(actor, organisation, section):
        raise PermissionDenied("You do not register in this section for this organisation.")
    facts = _facts(
        visibility_answer(
            section=section,
            annex_iii_point=annex_iii_point,
            sensitive_context=sensitive_context,
            publication_consent=publication_consent,
        )
    )
    _refuse_national(facts)
    registration = Registration(
        section=section,
        annex_iii_point=annex_iii_point,
        sensitive_context=sensitive_context,
        publication_consent=publication_consent,
        organisation=organisation,
        submitted_by=actor if getattr(actor, "pk", None) else None,
        **facts,
    )
    _apply(actor, registration, values, facts, files=files or {})
    with removed_on_failure() as stored, transaction.atomic():
        registration.number = _next_number(section, timezone.now().year)
        registration.registered_at = timezone.now()
        registration.save()
        _files(actor, registration, files or {}, stored)
        _history(registration, actor, "registered")
        audit.record(
            actor=actor,
            action="cooperation.registration.registered",
            obj=registration,
            after=_summary(registration),
        )
    return registration


def _locked(actor: Any, registration: Registration) -> Registration:
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if not may_manage(actor, locked.organisation_id):
        raise PermissionDenied("Only the registrant organisation changes its entry.")
    if locked.state == EntryState.WITHDRAWN:
        raise ValidationError({"state": "The entry was withdrawn; register it again."})
    return locked


def registration_update(
    *,
    actor: Any,
    registration: Registration,
    values: Mapping[str, Any],
    files: Mapping[str, Any] | None = None,
    note: str = "",
) -> Registration:
    """Update an entry's points (Art. 71(2)-(3)): `values` holds every point (one left out
    is emptied). aiact is asked again, so the points and who sees them follow the law as
    it stands."""
    with removed_on_failure() as stored, transaction.atomic():
        locked = _locked(actor, registration)
        before = _summary(locked)
        facts = _facts(
            visibility_answer(
                section=locked.section,
                annex_iii_point=locked.annex_iii_point,
                sensitive_context=locked.sensitive_context,
                publication_consent=locked.publication_consent,
            )
        )
        _refuse_national(facts)
        for name, value in facts.items():
            setattr(locked, name, value)
        _apply(actor, locked, values, facts, files=files or {})
        locked.save()
        _files(actor, locked, files or {}, stored)
        _history(locked, actor, "updated", _text("note", note, TEXT_LENGTH))
        audit.record(
            actor=actor,
            action="cooperation.registration.updated",
            obj=locked,
            before=before,
            after=_summary(locked),
        )
    return locked


def registration_status_change(
    *, actor: Any, registration: Registration, status: str, note: str = ""
) -> Registration:
    """The system's status (section A point 7, section B point 8), kept in the history."""
    if status not in SystemStatus.values:
        raise ValidationError({"status": f"Unknown status {str(status)[:20]!r}."})
    with transaction.atomic():
        locked = _locked(actor, registration)
        if not any(p.key == "status" and p.point in locked.fields for p in POINTS[locked.section]):
            raise ValidationError({"status": "This entry has no status."})
        if locked.status == status:
            raise ValidationError({"status": "The entry already has this status."})
        before = _summary(locked)
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        _history(locked, actor, "status", _text("note", note, TEXT_LENGTH))
        audit.record(
            actor=actor,
            action="cooperation.registration.status_changed",
            obj=locked,
            before=before,
            after=_summary(locked),
        )
    return locked


def registration_withdraw(
    *, actor: Any, registration: Registration, note: str = ""
) -> Registration:
    """Withdraw an entry made in error: it leaves the public part, its history stays."""
    with transaction.atomic():
        locked = _locked(actor, registration)
        before = _summary(locked)
        locked.state = EntryState.WITHDRAWN
        locked.save(update_fields=["state", "updated_at"])
        _history(locked, actor, "withdrawn", _text("note", note, TEXT_LENGTH))
        audit.record(
            actor=actor,
            action="cooperation.registration.withdrawn",
            obj=locked,
            before=before,
            after=_summary(locked),
        )
    return locked
