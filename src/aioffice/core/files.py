"""Stored files and the transaction that records them.

A file is written to storage before its row is committed; when the transaction fails the
row goes but the file would stay. `removed_on_failure` deletes the files a failed state
change stored, so nothing is left half-written; `stored_sha256` reads the checksum back
from the stored bytes (not from the upload), so a record's SHA-256 is that of what is kept.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


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
