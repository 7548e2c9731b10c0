"""Start-up checks of the portal's deployment settings."""

from __future__ import annotations

from pathlib import Path

from pytest_django.fixtures import Settings

from aioffice.portal.apps import check_private_root


def test_private_files_inside_a_served_folder_stop_the_site(
    settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_PRIVATE_ROOT = tmp_path / "private"
    assert check_private_root() == []
    settings.PORTAL_PRIVATE_ROOT = tmp_path / "media" / "private"
    (error,) = check_private_root()
    assert error.id == "portal.E001"
    assert "MEDIA_ROOT" in error.msg
