"""Every change to documentation goes through these functions; each is one transaction that
writes the audit trail.

Submitting with gaps is allowed and the gaps are recorded (see docs/design/documentation.md):
Art. 53(1)(a)-(b) ask providers to draw up and keep documentation up to date; a record of
what a provider filed and of what it left out serves supervision better than a refusal that
leaves the Office with nothing. Field values must still be well-formed (errors by field).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from aiact import load_law
from aioffice.accounts.choices import OrganisationKind
from aioffice.accounts.models import Organisation
from aioffice.core import audit
from aioffice.core.files import digest_upload, removed_on_failure, store_checked
from aioffice.registry.documentation.choices import DocumentType, FieldType, SubmissionStatus
from aioffice.registry.documentation.doctypes import (
    DocType,
    check_text,
    clean_content,
    load_doctypes,
)
from aioffice.registry.documentation.models import (
    AnnexXIIRequest,
    DocumentAttachment,
    DocumentSubmission,
)
from aioffice.registry.models import ModelVersion

# aiact's parameter for the period to answer a downstream provider (CODE status: the Act sets none).
ANNEX_XII_PERIOD = "cop_downstream_information"


def _submission_data(submission: DocumentSubmission) -> dict[str, Any]:
    return {
        "version": submission.version_id,
        "doc_type": submission.doc_type,
        "number": submission.number,
        "schema_version": submission.schema_version,
        "status": submission.status,
        "content": submission.content,
        "missing": submission.missing,
    }


def submission_save_draft(
    *, actor: Any, version: ModelVersion, doc_type: str, content: Any
) -> DocumentSubmission:
    """Save the draft of a document for a version: the open draft is updated, or a new one
    numbered after the last submission is made. Each value is checked against the type's
    schema; errors name the field key."""
    if doc_type not in DocumentType.values:
        raise ValidationError({"doc_type": f"Choose one of {', '.join(DocumentType.values)}."})
    kind = load_doctypes()[doc_type]
    clean = _clean_or_raise(kind, content)
    with transaction.atomic():
        ModelVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk").get()
        draft = DocumentSubmission.objects.filter(
            version=version, doc_type=doc_type, status=SubmissionStatus.DRAFT
        ).first()
        before = None if draft is None else _submission_data(draft)
        if draft is None:
            last = DocumentSubmission.objects.filter(version=version, doc_type=doc_type).aggregate(
                n=Max("number")
            )["n"]
            draft = DocumentSubmission(
                version=version,
                doc_type=doc_type,
                number=(last or 0) + 1,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
        draft.schema_version = kind.version
        draft.content = clean
        draft.updated_at = timezone.now()
        draft.save()
        audit.record(
            actor=actor,
            action="documentation.submission.draft_saved",
            obj=draft,
            before=before,
            after=_submission_data(draft),
        )
    return draft


def _clean_or_raise(kind: DocType, content: Any) -> dict[str, Any]:
    clean, errors = clean_content(kind, content)
    if errors:
        raise ValidationError({key: [message] for key, message in errors.items()})
    return clean


def submission_submit(*, actor: Any, submission: DocumentSubmission) -> DocumentSubmission:
    """Submit a draft: the completeness check is stored with it (the required items left
    unanswered, by legal reference), and from then on it never changes."""
    with transaction.atomic():
        submission = DocumentSubmission.objects.select_for_update().get(pk=submission.pk)
        if not submission.is_draft:
            raise ValidationError({"status": "This document was already submitted."})
        kind = load_doctypes()[submission.doc_type]
        attached = set(submission.attachments.values_list("field_key", flat=True))
        submission.missing = [m.to_json() for m in kind.missing(submission.content, attached)]
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.submitted_by = actor if getattr(actor, "pk", None) else None
        submission.save()
        audit.record(
            actor=actor,
            action="documentation.submission.submitted",
            obj=submission,
            before={"status": SubmissionStatus.DRAFT},
            after=_submission_data(submission),
        )
    return submission


# --- attachments -----------------------------------------------------------------------------


def _sniff(content_type: str, head: bytes) -> bool:
    """Whether the first bytes fit the declared type (a PDF starts with %PDF-; text is
    UTF-8 without NUL bytes)."""
    if content_type == "application/pdf":
        return head.startswith(b"%PDF-")
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def _digest(upload: File) -> tuple[str, int, bytes]:  # type: ignore[type-arg]  # any content
    found = digest_upload(upload, field="file")
    return found.sha256, found.size, found.head


def attachment_add(
    *,
    actor: Any,
    submission: DocumentSubmission,
    field_key: str,
    upload: File,  # type: ignore[type-arg]  # any content
    content_type: str | None = None,
) -> DocumentAttachment:
    """Attach a file to a file field of a draft: the field must take files of this content
    type (its schema, narrowed by AIOFFICE_DOCUMENTATION_CONTENT_TYPES), the size must not
    pass AIOFFICE_DOCUMENTATION_MAX_UPLOAD_BYTES, and the first bytes must fit the type."""
    kind = load_doctypes()[submission.doc_type]
    field = kind.by_key.get(field_key)
    if field is None or field.type != FieldType.FILE:
        names = ", ".join(f.key for f in kind.file_fields) or "none"
        raise ValidationError(
            {"field": f"Not a file field of this document (file fields: {names})."}
        )
    declared = (content_type or getattr(upload, "content_type", "") or "").split(";")[0].strip()
    allowed = [t for t in field.content_types if t in settings.DOCUMENTATION_CONTENT_TYPES]
    if declared not in allowed:
        takes = ", ".join(allowed) or "no files"
        raise ValidationError({"file": f"This field takes {takes}, not {declared or 'no type'}."})
    sha256, size, head = _digest(upload)
    if size == 0:
        raise ValidationError({"file": "The file is empty."})
    if size > settings.DOCUMENTATION_MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": f"The file is larger than {settings.DOCUMENTATION_MAX_UPLOAD_BYTES} bytes."}
        )
    if not _sniff(declared, head):
        raise ValidationError({"file": f"The file's content is not {declared}."})
    if declared == "application/json":
        try:
            upload.seek(0)
            json.loads(upload.read())
            upload.seek(0)
        except ValueError:
            raise ValidationError({"file": "The file is not valid JSON."}) from None
    name = Path(str(upload.name or "document")).name.replace("\x00", "")[:255] or "document"
    with removed_on_failure() as stored, transaction.atomic():
        submission = DocumentSubmission.objects.select_for_update().get(pk=submission.pk)
        if not submission.is_draft:
            raise ValidationError(
                {"file": "A submitted document cannot change; start a new draft."}
            )
        attachment = DocumentAttachment(
            submission=submission,
            field_key=field_key,
            original_name=name,
            sha256=sha256,
            size=size,
            content_type=declared,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        attachment.file.save(name, File(upload, name=name), save=False)
        store_checked(attachment.file, stored, sha256, size, "file")
        attachment.save()
        audit.record(
            actor=actor,
            action="documentation.attachment.added",
            obj=attachment,
            after={
                "submission": submission.pk,
                "field": field_key,
                "name": name,
                "sha256": sha256,
                "size": size,
                "content_type": declared,
            },
        )
    return attachment


# --- Annex XII requests ----------------------------------------------------------------------


def _storable(text: str, field: str) -> None:
    try:
        check_text(text)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None


def annex_xii_due(asked_on: date) -> tuple[date, str, str]:
    """The answer's due date, the reason line and the status of the period aiact holds."""
    period = load_law().param(ANNEX_XII_PERIOD, asked_on)
    if period.kind != "calendar_days" or not isinstance(period.value, int):
        raise ValueError(f"{ANNEX_XII_PERIOD}: expected calendar days, got {period.kind}")
    return asked_on + timedelta(days=period.value), period.reason[:300], period.status


def _request_data(made: AnnexXIIRequest) -> dict[str, Any]:
    return {
        "requester": made.requester.name,
        "version": made.version_id,
        "message": made.message,
        "asked_on": made.asked_on,
        "due_on": made.due_on,
        "period_basis": made.period_basis,
        "period_status": made.period_status,
        "rules_version": made.rules_version,
        "answer": made.answer_id,
        "answered_on": made.answered_on,
        "answer_note": made.answer_note,
    }


def annex_xii_request_create(
    *, actor: Any, requester: Organisation, version: ModelVersion, message: str
) -> AnnexXIIRequest:
    """A downstream provider asks the version's provider for the Annex XII information."""
    if requester.kind != OrganisationKind.DOWNSTREAM_PROVIDER:
        raise ValidationError({"requester": f"{requester.name} is not a downstream provider."})
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Say what you need and for which AI system."})
    _storable(message, "message")
    asked_on = timezone.now().date()
    due_on, basis, status = annex_xii_due(asked_on)
    made = AnnexXIIRequest(
        requester=requester,
        version=version,
        message=message,
        asked_by=actor if getattr(actor, "pk", None) else None,
        asked_on=asked_on,
        due_on=due_on,
        period_basis=basis,
        period_status=status,
        rules_version=load_law().rules_version,
    )
    made.full_clean()
    with transaction.atomic():
        made.save()
        audit.record(
            actor=actor,
            action="documentation.annex_xii_request.created",
            obj=made,
            after=_request_data(made),
        )
    return made


def annex_xii_request_answer(
    *, actor: Any, made: AnnexXIIRequest, submission: DocumentSubmission, note: str = ""
) -> AnnexXIIRequest:
    """The provider answers with a submitted Annex XII document of the same version."""
    if submission.doc_type != DocumentType.ANNEX_XII:
        raise ValidationError({"submission_id": "Answer with an Annex XII document."})
    if submission.version_id != made.version_id:
        raise ValidationError({"submission_id": "The document is for another model version."})
    if submission.is_draft:
        raise ValidationError({"submission_id": "Submit the document before answering with it."})
    _storable(note or "", "note")
    with transaction.atomic():
        made = (
            AnnexXIIRequest.objects.select_for_update().select_related("requester").get(pk=made.pk)
        )
        if made.answer_id is not None:
            raise ValidationError({"submission_id": "This request was already answered."})
        before = _request_data(made)
        made.answer = submission
        made.answer_note = (note or "").strip()
        made.answered_by = actor if getattr(actor, "pk", None) else None
        made.answered_on = timezone.now().date()
        made.save()
        audit.record(
            actor=actor,
            action="documentation.annex_xii_request.answered",
            obj=made,
            before=before,
            after=_request_data(made),
        )
    return made
