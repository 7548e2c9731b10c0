"""Private storage: files that are never served by the web server (CVs of applicants),
under PORTAL_PRIVATE_ROOT, outside STATIC_ROOT and MEDIA_ROOT."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """The storage of private files (a callable, so that tests can move the root)."""
    return FileSystemStorage(location=settings.PORTAL_PRIVATE_ROOT, base_url=None)
