"""A failed stage leaves no file behind; the checksum is that of the stored bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from aioffice.registry.watchlist import services
from aioffice.registry.watchlist.models import WatchlistImport

from .conftest import csv_bytes, upload

pytestmark = pytest.mark.django_db


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_failed_stage_removes_its_stored_file(
    media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.watchlist_stage(
            actor=None, file=upload(csv_bytes("Alpha,3e24")), source="Epoch AI"
        )
    assert WatchlistImport.objects.count() == 0
    assert _files(media_root) == []


def test_the_checksum_is_that_of_the_stored_bytes(media_root: Path) -> None:
    content = csv_bytes("Alpha,3e24")
    made = services.watchlist_stage(actor=None, file=upload(content), source="Epoch AI")
    stored = Path(made.file.path).read_bytes()
    assert made.sha256 == hashlib.sha256(stored).hexdigest() == hashlib.sha256(content).hexdigest()


def test_a_nul_in_the_source_is_refused_naming_the_field() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.watchlist_stage(actor=None, file=upload(csv_bytes("Alpha,3e24")), source="E\x00")
    assert "source" in refused.value.message_dict


def test_an_import_whose_file_is_gone_is_a_404_not_a_500(media_root: Path) -> None:
    from django.urls import reverse

    from aioffice.accounts.choices import Role
    from aioffice.core.testing import make_user, signed_in_client

    made = services.watchlist_stage(actor=None, file=upload(csv_bytes("A,3e24")), source="E")
    staff = signed_in_client(make_user(Role.TECHNICAL_OFFICER))
    url = reverse("watchlist:import_file", args=[made.pk])
    assert staff.get(url).status_code == 200
    made.file.storage.delete(made.file.name)
    assert staff.get(url).status_code == 404
