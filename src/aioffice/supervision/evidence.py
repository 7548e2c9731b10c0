"""Evidence: documents stored with their SHA-256, versions, retention dates, and a malware
scanning hook.

`store_document` is the one way a file enters a case file or a report. The scanner is a
setting (`SUPERVISION_MALWARE_SCANNER`, a dotted path to a callable taking the stored
file's path and returning a `ScanResult`); the default scanner scans nothing and says so.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.module_loading import import_string

from aiact._dates import add_years
from aioffice.core import audit
from aioffice.core.files import clean_filename, digest_upload, store_checked
from aioffice.supervision.choices import ScanStatus
from aioffice.supervision.models import Document


@dataclass(frozen=True, slots=True)
class ScanResult:
    status: str
    report: str


def no_scanner(path: str) -> ScanResult:
    """The default: no malware scanner is configured, so nothing was scanned."""
    return ScanResult(
        ScanStatus.NOT_SCANNED,
        "No malware scanner is configured (SUPERVISION_MALWARE_SCANNER): this file was not "
        "scanned. Open it only on a machine protected for untrusted files.",
    )


def scanner() -> Callable[[str], ScanResult]:
    """The configured malware scanner (`SUPERVISION_MALWARE_SCANNER`), or `no_scanner`."""
    path = getattr(settings, "SUPERVISION_MALWARE_SCANNER", "")
    if not path:
        return no_scanner
    found: Callable[[str], ScanResult] = import_string(path)
    return found


def retention_until(start: date) -> date:
    """How long a supervision document is kept: `SUPERVISION_RETENTION_YEARS` after it is
    stored (an Office policy, not a period of the AI Act; incident documentation has its
    own, longer-or-equal period from the Code, COP-03, which callers pass instead)."""
    return add_years(start, int(getattr(settings, "SUPERVISION_RETENTION_YEARS", 10)))


def store_document(
    *,
    actor: Any,
    upload: File,  # type: ignore[type-arg]  # any content
    title: str,
    stored: list[FieldFile],
    case: Any = None,
    intake: Any = None,
    information_request: Any = None,
    from_provider: bool = False,
    visible_to_provider: bool = False,
    supersedes: Document | None = None,
    retain_until: date | None = None,
    field: str = "file",
) -> Document:
    """Store one file as a `Document`, in the caller's transaction, inside the caller's
    `removed_on_failure() as stored` block: SHA-256 read back from the stored bytes, size
    limit (`SUPERVISION_MAX_UPLOAD_BYTES`), the scanner's verdict, a version number one
    above the document it supersedes. A file the scanner finds infected is refused."""
    if case is None and intake is None:
        raise ValidationError({field: "A document belongs to a case or a report."})
    title = (title or "").strip() or clean_filename(upload)
    max_bytes = int(getattr(settings, "SUPERVISION_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
    found = digest_upload(upload, field=field, max_bytes=max_bytes)
    if found.size == 0:
        raise ValidationError({field: "The file is empty."})
    name = clean_filename(upload)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    version = 1
    if supersedes is not None:
        if supersedes.case_id != getattr(case, "pk", None) or supersedes.intake_id != getattr(
            intake, "pk", None
        ):
            raise ValidationError({"supersedes": "A new version stays in the same file."})
        if Document.objects.filter(supersedes=supersedes).exists():
            raise ValidationError({"supersedes": "This document already has a newer version."})
        version = supersedes.version + 1
    document = Document(
        case=case,
        intake=intake,
        information_request=information_request,
        title=title[:200],
        filename=name,
        content_type=content_type,
        sha256=found.sha256,
        size=found.size,
        version=version,
        supersedes=supersedes,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        from_provider=from_provider,
        visible_to_provider=visible_to_provider or from_provider,
        retain_until=retain_until or retention_until(timezone.now().date()),
        scan_status=ScanStatus.NOT_SCANNED,
    )
    document.file.save(name, File(upload, name=name), save=False)
    store_checked(document.file, stored, found.sha256, found.size, field)
    result = scanner()(document.file.path)
    if result.status == ScanStatus.INFECTED:
        raise ValidationError(
            {field: f"The file was refused by the malware scanner: {result.report}"}
        )
    document.scan_status = result.status
    document.scan_report = result.report
    document.scanned_at = timezone.now()
    document.save()
    audit.record(
        actor=actor,
        action="supervision.document.stored",
        obj=document,
        after={
            "case": document.case_id,
            "intake": document.intake_id,
            "title": document.title,
            "sha256": document.sha256,
            "size": document.size,
            "version": version,
            "scan": document.scan_status,
        },
    )
    return document
