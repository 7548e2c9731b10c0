"""Writes of the portal's published content: guidance documents, their versions and files,
and news items. Each state change is one transaction with one audit event; staff views and
the demo call these, never `.save()`.

Files: each upload is checked (a content type accepted by
AIOFFICE_DOCUMENTATION_CONTENT_TYPES, at most AIOFFICE_DOCUMENTATION_MAX_UPLOAD_BYTES, first
bytes that fit the type), stored, and its SHA-256 read back from storage before its row is
committed; a failed change removes the files it stored (nothing half-saved).
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aioffice.core import audit
from aioffice.core.files import digest_upload, removed_on_failure, store_checked
from aioffice.portal.choices import EU_LANGUAGES
from aioffice.portal.models_content import (
    GuidanceDocument,
    GuidanceFile,
    GuidanceVersion,
    NewsItem,
)

LANGUAGE_CODES = frozenset(code for code, _name in EU_LANGUAGES)
# A version's number goes into URLs and file names: letters, digits, dots and hyphens.
VERSION_NUMBER = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z.\-]{0,18}[0-9A-Za-z])?")  # fullmatch
# News addresses that are pages of their own (/news/feed/).
RESERVED_NEWS_SLUGS = frozenset({"feed"})
EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "text/markdown": ".md",
    "application/json": ".json",
}

DOCUMENT_FIELDS = ("slug", "title", "summary", "kind", "topic")
NEWS_FIELDS = ("slug", "language", "title", "summary", "body", "topic")


def file_name(document_slug: str, number: str, language: str, content_type: str) -> str:
    """The clean name a guidance file is stored and downloaded under."""
    extension = EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ""
    return f"{document_slug}-{number}-{language}{extension}"


def _storable(values: Mapping[str, Any]) -> None:
    """Text the databases can store (PostgreSQL refuses NUL characters), naming the field."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise ValidationError({name: _("Text cannot contain NUL characters.")})
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            raise ValidationError({name: _("The text is not valid Unicode.")}) from None


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _document_data(document: GuidanceDocument) -> dict[str, Any]:
    return {
        **{name: getattr(document, name) for name in DOCUMENT_FIELDS},
        "published": document.published,
    }


def _news_data(item: NewsItem) -> dict[str, Any]:
    return {
        "slug": item.slug,
        "language": item.language,
        "topic": item.topic,
        "title": item.title,
        "published_at": item.published_at,
    }


# --- guidance documents ------------------------------------------------------------------------


def guidance_create(
    *, actor: Any, slug: str, title: str, summary: str, kind: str, topic: str
) -> GuidanceDocument:
    """A new guidance document, unpublished until it has a version and is published."""
    values = {"slug": slug, "title": title, "summary": summary, "kind": kind, "topic": topic}
    _storable(values)
    document = GuidanceDocument(**values)
    document.full_clean(exclude=["search_text"])
    try:
        with transaction.atomic():
            document.save()
            audit.record(
                actor=actor,
                action="portal.guidance.created",
                obj=document,
                after=_document_data(document),
            )
    except IntegrityError:  # the same address taken meanwhile
        raise ValidationError(
            {"slug": _("A guidance document with this address already exists.")}
        ) from None
    return document


_Row = TypeVar("_Row", GuidanceDocument, NewsItem)


def _changed(
    *,
    actor: Any,
    row: _Row,
    values: dict[str, Any],
    data: Callable[[_Row], dict[str, Any]],
    action: str,
    exclude: list[str] | None = None,
) -> _Row:
    """Set `values` on the row, locked, checked and saved; one audit event with its `data`
    before and after."""
    with transaction.atomic():
        row = type(row).objects.select_for_update().get(pk=row.pk)
        before = data(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean(exclude=exclude)
        row.save()
        audit.record(actor=actor, action=action, obj=row, before=before, after=data(row))
    return row


def guidance_update(
    *, actor: Any, document: GuidanceDocument, title: str, summary: str, kind: str, topic: str
) -> GuidanceDocument:
    """Change a document's title, summary, kind or topic (its address never changes: links
    to it stay valid)."""
    values = {"title": title, "summary": summary, "kind": kind, "topic": topic}
    _storable(values)
    return _changed(
        actor=actor,
        row=document,
        values=values,
        data=_document_data,
        action="portal.guidance.updated",
        exclude=["search_text"],
    )


def _set_published(*, actor: Any, document: GuidanceDocument, published: bool) -> GuidanceDocument:
    with transaction.atomic():
        document = GuidanceDocument.objects.select_for_update().get(pk=document.pk)
        if document.published == published:
            message = (
                _("This document is already published.")
                if published
                else _("This document is not published.")
            )
            raise ValidationError({"published": message})
        if published and not GuidanceFile.objects.filter(version__document=document).exists():
            raise ValidationError(
                {"published": _("Add a version with at least one file before publishing.")}
            )
        document.published = published
        document.save(update_fields=["published", "updated_at"])
        audit.record(
            actor=actor,
            action="portal.guidance.published" if published else "portal.guidance.unpublished",
            obj=document,
            before={"published": not published},
            after={"published": published},
        )
    return document


def guidance_publish(*, actor: Any, document: GuidanceDocument) -> GuidanceDocument:
    """Show the document to the public (it needs a version with a file)."""
    return _set_published(actor=actor, document=document, published=True)


def guidance_unpublish(*, actor: Any, document: GuidanceDocument) -> GuidanceDocument:
    """Withdraw the document from the public pages and API (its versions are kept)."""
    return _set_published(actor=actor, document=document, published=False)


# --- versions and files ------------------------------------------------------------------------


def _fits(content_type: str, head: bytes) -> bool:
    """Whether the first bytes fit the declared type (a PDF starts with %PDF-; text is
    UTF-8 without NUL bytes)."""
    if content_type == "application/pdf":
        return head.startswith(b"%PDF-")
    if not content_type.startswith("text/") and content_type != "application/json":
        return True  # a type the Office added to the setting: the size check still holds
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


class _Checked:
    """An upload that passed the checks, with what is recorded about it."""

    def __init__(self, upload: File, content_type: str, sha256: str, size: int) -> None:  # type: ignore[type-arg]  # any content
        self.upload = upload
        self.content_type = content_type
        self.sha256 = sha256
        self.size = size


def _check_upload(upload: File, field: str) -> _Checked:  # type: ignore[type-arg]  # any content
    allowed = list(settings.DOCUMENTATION_CONTENT_TYPES)
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if declared not in allowed:  # browsers send some types as octet-stream: the name says
        guessed = mimetypes.guess_type(str(upload.name or ""))[0] or ""
        declared = guessed if guessed in allowed else declared
    if declared not in allowed:
        raise ValidationError(
            {
                field: _("Upload a file of one of these types: %(types)s (this one is %(type)s).")
                % {"types": ", ".join(allowed), "type": declared or _("of no type")}
            }
        )
    limit = settings.DOCUMENTATION_MAX_UPLOAD_BYTES
    too_large = ValidationError(
        {
            field: _("The file is larger than %(limit)s bytes, the largest accepted.")
            % {"limit": limit}
        }
    )
    if (getattr(upload, "size", 0) or 0) > limit:
        raise too_large
    try:
        found = digest_upload(upload, field=field, max_bytes=limit)
    except ValidationError:
        raise too_large from None
    if found.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if not _fits(declared, found.head):
        raise ValidationError(
            {field: _("The file's content is not of the type %(type)s.") % {"type": declared}}
        )
    if declared == "application/json":
        try:
            upload.seek(0)
            json.loads(upload.read())
        except ValueError:
            raise ValidationError({field: _("The file is not valid JSON.")}) from None
        finally:
            upload.seek(0)
    return _Checked(upload, declared, found.sha256, found.size)


def _store(
    *,
    version: GuidanceVersion,
    language: str,
    checked: _Checked,
    stored: list[Any],
    field: str,
) -> GuidanceFile:
    name = file_name(version.document.slug, version.number, language, checked.content_type)
    record = GuidanceFile(
        version=version,
        language=language,
        sha256=checked.sha256,
        size=checked.size,
        content_type=checked.content_type,
    )
    record.file.save(name, File(checked.upload, name=name), save=False)
    store_checked(record.file, stored, checked.sha256, checked.size, field)
    record.save()
    return record


def _file_data(record: GuidanceFile) -> dict[str, Any]:
    return {
        "language": record.language,
        "sha256": record.sha256,
        "size": record.size,
        "content_type": record.content_type,
    }


def _check_languages(files: Mapping[str, Any]) -> None:
    for language in files:
        if language not in LANGUAGE_CODES:
            raise ValidationError(
                {
                    "files": _("Not an official language of the Union: %(code)s.")
                    % {"code": language}
                }
            )


def guidance_version_add(
    *,
    actor: Any,
    document: GuidanceDocument,
    number: str,
    published_on: date,
    change_note: str,
    files: Mapping[str, File],  # type: ignore[type-arg]  # any content
) -> GuidanceVersion:
    """A new version of a document with its files, one per language (at least one).

    The number is unique within the document; the date is not in the future; a version after
    the first says what changed. Errors name the field: `number`, `published_on`,
    `change_note`, `files`, or `file_<language>` for a file."""
    number = number.strip()
    _storable({"number": number, "change_note": change_note})
    if not VERSION_NUMBER.fullmatch(number):
        raise ValidationError(
            {"number": _("Use letters, digits, dots and hyphens (at most 20), e.g. 1.0.")}
        )
    if published_on > timezone.now().date():
        raise ValidationError({"published_on": _("The date cannot be in the future.")})
    if not files:
        raise ValidationError({"files": _("Add the file in at least one language.")})
    _check_languages(files)
    checked = {lang: _check_upload(upload, f"file_{lang}") for lang, upload in files.items()}
    with removed_on_failure() as stored, transaction.atomic():
        document = GuidanceDocument.objects.select_for_update().get(pk=document.pk)
        earlier = document.versions.all()
        if earlier.filter(number=number).exists():
            raise ValidationError(
                {
                    "number": _("This document already has a version %(number)s.")
                    % {"number": number}
                }
            )
        if earlier.exists() and not change_note.strip():
            raise ValidationError({"change_note": _("Say what changed since the last version.")})
        version = GuidanceVersion.objects.create(
            document=document,
            number=number,
            published_on=published_on,
            change_note=change_note.strip(),
            created_by=_actor(actor),
        )
        records = [
            _store(version=version, language=lang, checked=c, stored=stored, field=f"file_{lang}")
            for lang, c in sorted(checked.items())
        ]
        audit.record(
            actor=actor,
            action="portal.guidance_version.added",
            obj=version,
            after={
                "document": document.pk,
                "number": number,
                "published_on": published_on,
                "files": [_file_data(r) for r in records],
            },
        )
        document.save(update_fields=["updated_at"])
    return version


def guidance_file_add(
    *,
    actor: Any,
    version: GuidanceVersion,
    language: str,
    upload: File,  # type: ignore[type-arg]  # any content
) -> GuidanceFile:
    """Add a language to a version (a translation that came later); a language the version
    has already is refused (a changed text is a new version)."""
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Not an official language of the Union.")})
    checked = _check_upload(upload, "file")
    with removed_on_failure() as stored, transaction.atomic():
        version = (
            GuidanceVersion.objects.select_for_update()
            .select_related("document")
            .get(pk=version.pk)
        )
        if version.files.filter(language=language).exists():
            raise ValidationError(
                {
                    "language": _(
                        "This version has a file in this language already; "
                        "a changed text is a new version."
                    )
                }
            )
        record = _store(
            version=version, language=language, checked=checked, stored=stored, field="file"
        )
        audit.record(
            actor=actor,
            action="portal.guidance_file.added",
            obj=record,
            after={
                "document": version.document_id,
                "version": version.number,
                **_file_data(record),
            },
        )
    return record


# --- news --------------------------------------------------------------------------------------


def _check_news_slug(slug: str) -> None:
    if slug in RESERVED_NEWS_SLUGS:
        raise ValidationError({"slug": _("This address is reserved; choose another.")})


def news_create(
    *,
    actor: Any,
    slug: str,
    language: str,
    title: str,
    summary: str,
    body: str,
    topic: str,
) -> NewsItem:
    """A news item, a draft until it is published."""
    values = {
        "slug": slug,
        "language": language,
        "title": title,
        "summary": summary,
        "body": body,
        "topic": topic,
    }
    _storable(values)
    _check_news_slug(slug)
    item = NewsItem(**values, created_by=_actor(actor))
    item.full_clean()
    try:
        with transaction.atomic():
            item.save()
            audit.record(
                actor=actor, action="portal.news.created", obj=item, after=_news_data(item)
            )
    except IntegrityError:
        raise ValidationError(
            {"slug": _("A news item with this address already exists.")}
        ) from None
    return item


def news_update(
    *,
    actor: Any,
    item: NewsItem,
    language: str,
    title: str,
    summary: str,
    body: str,
    topic: str,
) -> NewsItem:
    """Change a news item (its address never changes)."""
    values = {
        "language": language,
        "title": title,
        "summary": summary,
        "body": body,
        "topic": topic,
    }
    _storable(values)
    return _changed(
        actor=actor, row=item, values=values, data=_news_data, action="portal.news.updated"
    )


def news_publish(*, actor: Any, item: NewsItem, at: datetime | None = None) -> NewsItem:
    """Publish a news item now, or at a set time (it appears when that time has come)."""
    if at is not None and timezone.is_naive(at):
        raise ValidationError({"published_at": _("Give the time with its time zone.")})
    with transaction.atomic():
        item = NewsItem.objects.select_for_update().get(pk=item.pk)
        before = item.published_at
        item.published_at = at or timezone.now()
        item.save(update_fields=["published_at"])
        audit.record(
            actor=actor,
            action="portal.news.published",
            obj=item,
            before={"published_at": before},
            after={"published_at": item.published_at},
        )
    return item


def news_unpublish(*, actor: Any, item: NewsItem) -> NewsItem:
    """Withdraw a news item from the public pages, the feed and the API."""
    with transaction.atomic():
        item = NewsItem.objects.select_for_update().get(pk=item.pk)
        if item.published_at is None:
            raise ValidationError({"published_at": _("This news item is not published.")})
        before = item.published_at
        item.published_at = None
        item.save(update_fields=["published_at"])
        audit.record(
            actor=actor,
            action="portal.news.unpublished",
            obj=item,
            before={"published_at": before},
            after={"published_at": None},
        )
    return item
