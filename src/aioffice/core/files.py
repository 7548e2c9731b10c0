"""Stored files and the transaction that records them.

A file is written to storage before its row is committed; when the transaction fails the
row goes but the file would stay. `removed_on_failure` deletes the files a failed state
change stored, so nothing is left half-written; `stored_sha256` reads the checksum back
from the stored bytes (not from the upload), so a record's SHA-256 is that of what is kept.
`check_upload` is the one check of an uploaded document: its type (from its name's extension,
which its first bytes must fit, or from its first bytes alone when the name has none) among
the types a caller allows, its size limit and its SHA-256, refused naming the form field.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


@contextmanager
def removed_on_failure() -> Iterator[list[FieldFile]]:
    """Yield a list; each stored file appended to it is deleted if the block fails.

    Use outside the transaction: `with removed_on_failure() as stored, transaction.atomic():`
    so that a failed commit removes the files too."""
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            if field_file.name:
                field_file.storage.delete(field_file.name)
        raise


@dataclass(frozen=True, slots=True)
class UploadDigest:
    sha256: str
    size: int
    head: bytes  # the first bytes, for telling the file's type from its content


def digest_upload(
    upload: File,  # type: ignore[type-arg]  # any content
    *,
    field: str,
    max_bytes: int | None = None,
    head_bytes: int = 2048,
) -> UploadDigest:
    """SHA-256, size and first bytes of an upload, read once, in chunks; a file over
    `max_bytes` is refused as soon as it is known, with an error naming `field`. The file is
    left at its start for whoever stores it."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < head_bytes:
            head += chunk[: head_bytes - len(head)]
        digest.update(chunk)
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise ValidationError(
                {field: f"The file is larger than {max_bytes // (1024 * 1024)} MiB."}
            )
    upload.seek(0)
    return UploadDigest(digest.hexdigest(), size, head)


def stored_sha256(field_file: FieldFile) -> tuple[str, int]:
    """SHA-256 and size of the bytes as stored."""
    digest = hashlib.sha256()
    size = 0
    with field_file.storage.open(str(field_file.name), "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def store_checked(
    field_file: FieldFile, stored: list[FieldFile], sha256: str, size: int, field: str
) -> None:
    """Write a file field's pending upload now (not inside the row's save, where a failed
    insert would leave it behind unnoticed), note it in `stored` (see `removed_on_failure`)
    and check that the stored bytes have the SHA-256 and size recorded, naming `field`."""
    if not getattr(field_file, "_committed", True):
        field_file.save(PurePath(field_file.name or "file").name, field_file.file, save=False)
    stored.append(field_file)
    if stored_sha256(field_file) != (sha256, size):
        raise ValidationError({field: "The file changed while it was stored; send it again."})


# --- a document's type from its first bytes ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileType:
    """A kind of file an upload may be: its content type, its extensions (the first is added
    to a name that has none), a label for messages and the bytes it starts with (none: UTF-8
    text without NUL bytes)."""

    content_type: str
    extensions: tuple[str, ...]
    label: str
    magic: bytes = b""


_ZIP = b"PK\x03\x04"
_ODF = "application/vnd.oasis.opendocument."
_OOXML = "application/vnd.openxmlformats-officedocument."
PDF = FileType("application/pdf", (".pdf",), "PDF", b"%PDF-")
PNG = FileType("image/png", (".png",), "PNG", b"\x89PNG\r\n\x1a\n")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG", b"\xff\xd8\xff")
ODT = FileType(f"{_ODF}text", (".odt",), "ODT", _ZIP)
ODS = FileType(f"{_ODF}spreadsheet", (".ods",), "ODS", _ZIP)
DOCX = FileType(f"{_OOXML}wordprocessingml.document", (".docx",), "DOCX", _ZIP)
XLSX = FileType(f"{_OOXML}spreadsheetml.sheet", (".xlsx",), "XLSX", _ZIP)
PPTX = FileType(f"{_OOXML}presentationml.presentation", (".pptx",), "PPTX", _ZIP)
TEXT = FileType("text/plain", (".txt",), "text")
CSV = FileType("text/csv", (".csv",), "CSV")
MARKDOWN = FileType("text/markdown", (".md",), "Markdown")
JSON = FileType("application/json", (".json",), "JSON")
FILE_TYPES: tuple[FileType, ...] = (
    PDF,
    PNG,
    JPEG,
    ODT,
    ODS,
    DOCX,
    XLSX,
    PPTX,
    TEXT,
    CSV,
    MARKDOWN,
    JSON,
)


def file_types(content_types: Iterable[str]) -> tuple[FileType, ...]:
    """The known types among `content_types` (a setting's list), in its order."""
    known = {kind.content_type: kind for kind in FILE_TYPES}
    return tuple(known[name] for name in content_types if name in known)


def _odf_mimetype(head: bytes) -> str | None:
    """The type an OpenDocument package names in its first ZIP entry, `mimetype`."""
    if len(head) < 30 or not head.startswith(_ZIP):
        return None
    (size,) = struct.unpack_from("<I", head, 18)
    name_length, extra_length = struct.unpack_from("<HH", head, 26)
    if head[30 : 30 + name_length] != b"mimetype":
        return None
    start = 30 + name_length + extra_length
    return head[start : start + min(size, 100)].decode("ascii", "replace")


def _misfit(kind: FileType, head: bytes) -> str | None:
    """Why the first bytes do not fit `kind`, or None when they do."""
    if kind.magic:
        named = _odf_mimetype(head) if kind.magic == _ZIP else None
        if not head.startswith(kind.magic) or (named is not None and named != kind.content_type):
            return _("The file's content is not a valid %(type)s file.") % {"type": kind.label}
        return None
    if b"\x00" in head:
        return _("A text file cannot contain NUL bytes.")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut at the end of the sample
            return _("A text file must be encoded in UTF-8.")
    return None


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    """An upload that passed `check_upload`: the name and type to store it under, its
    SHA-256 and size."""

    upload: File  # type: ignore[type-arg]  # any content
    field: str
    filename: str
    content_type: str
    sha256: str
    size: int

    def store(self, field_file: FieldFile, stored: list[FieldFile]) -> None:
        """Write it to `field_file` now, noted in `stored` (see `removed_on_failure`), the
        stored bytes checked against the SHA-256 and size (see `store_checked`)."""
        field_file.save(self.filename, File(self.upload, name=self.filename), save=False)
        store_checked(field_file, stored, self.sha256, self.size, self.field)


def clean_filename(upload: File, default: str = "document") -> str:  # type: ignore[type-arg]
    """An upload's name without its folders and NUL characters, at most 255 characters."""
    name = PurePath(str(upload.name or default)).name.replace("\x00", "")
    return name[:255] or default


def check_upload(
    upload: File | None,  # type: ignore[type-arg]  # any content
    *,
    field: str,
    allowed: Sequence[FileType],
    max_bytes: int,
    default_name: str = "document",
) -> CheckedUpload:
    """Check an uploaded document, naming `field` in the one error it raises: a file is
    there, its name's extension is one of the `allowed` types' (a name without one gets the
    type its first bytes fit, and that type's extension), it is not empty nor over
    `max_bytes`, and its first bytes fit its type (a PDF starts with %PDF-, an office
    document is a ZIP container, text is UTF-8 without NUL bytes). Reads it once."""
    if upload is None or not hasattr(upload, "chunks"):
        raise ValidationError({field: _("Attach a file.")})
    name = clean_filename(upload, default_name)
    suffix = PurePath(name).suffix.lower()
    refused = _("This kind of file is not accepted (allowed: %(allowed)s).") % {
        "allowed": ", ".join(ext for kind in allowed for ext in kind.extensions)
    }
    named = next((kind for kind in allowed if suffix and suffix in kind.extensions), None)
    if suffix and named is None:
        raise ValidationError({field: refused})
    found = digest_upload(upload, field=field, max_bytes=max_bytes)
    if found.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if named is None:  # no extension: the first type its bytes fit (an OOXML file needs one)
        named = next(
            (
                kind
                for kind in allowed
                if (kind.magic != _ZIP or _odf_mimetype(found.head) == kind.content_type)
                and _misfit(kind, found.head) is None
            ),
            None,
        )
        if named is None:
            raise ValidationError({field: refused})
        name = name[: 255 - len(named.extensions[0])] + named.extensions[0]
    problem = _misfit(named, found.head)
    if problem is not None:
        raise ValidationError({field: problem})
    return CheckedUpload(upload, field, name, named.content_type, found.sha256, found.size)


def download(
    field_file: FieldFile,
    *,
    filename: str,
    content_type: str,
    sha256: str = "",
    size: int | None = None,
) -> FileResponse:
    """A stored file as a private download: its SHA-256 in `X-Content-SHA256` and
    `Repr-Digest` where known, never cached, never sniffed; a record whose file is gone (a
    restore, a storage fault) is a 404, not a 500."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type or None
    )
    if sha256:
        response["X-Content-SHA256"] = sha256
        response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(sha256)).decode()}:"
    if size is not None:
        response["Content-Length"] = str(size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_row(row: Any, field: str = "file") -> FileResponse:
    """`download` of a stored document's row: its file `field` with the name, type, SHA-256
    and size recorded beside it (`filename`, `content_type`, `sha256`, `size`; for another
    field, the same names after its own: `plan`, `plan_filename`, `plan_sha256`, …)."""
    prefix = "" if field == "file" else f"{field}_"
    return download(
        getattr(row, field),
        filename=getattr(row, f"{prefix}filename"),
        content_type=getattr(row, f"{prefix}content_type"),
        sha256=getattr(row, f"{prefix}sha256"),
        size=getattr(row, f"{prefix}size"),
    )
