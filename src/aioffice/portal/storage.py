"""Private storage: files that are never served by the web server (CVs of applicants),
under PORTAL_PRIVATE_ROOT, outside STATIC_ROOT and MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file system storage whose root is read from PORTAL_PRIVATE_ROOT at each use (a
    FileField evaluates its storage callable once, when the model is loaded: a root fixed
    then would ignore a test's or a deployment's later setting). No URL: never served."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property  # FileSystemStorage caches it; this follows the setting
    def base_location(self) -> str:
        return str(settings.PORTAL_PRIVATE_ROOT)

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


def private_storage() -> FileSystemStorage:
    """The storage of private files (PORTAL_PRIVATE_ROOT, read at each use)."""
    return PrivateStorage()
