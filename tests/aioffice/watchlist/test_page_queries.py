"""The watch-list pages' lists: a pinned number of queries, the same for more rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client
from aioffice.registry.watchlist import services

from .conftest import ROWS, csv_bytes, upload

pytestmark = pytest.mark.django_db


def _import(extra: int, tag: str) -> Any:
    more = [
        f"Extra {tag}-{n},Nowhere Research,2026-01-15,,2.2e25,,Hardware,Likely"
        for n in range(extra)
    ]
    return services.watchlist_import(
        actor=None, file=upload(csv_bytes(*ROWS, *more)), mapping=None, source=f"Fictional {tag}"
    )


def urls(made: Any) -> list[str]:
    return [
        reverse("watchlist:import_list"),
        reverse("watchlist:entry_list") + f"?import_id={made.pk}",
        reverse("watchlist:import_detail", args=[made.pk]),
    ]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_for_more_rows(registered: Any) -> None:
    officer = signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess"))
    small = _import(0, "a")
    officer.get(reverse("watchlist:import_list"))  # warm the session and the second factor
    before = [_count(officer, u) for u in urls(small)]
    big = _import(30, "b")
    after = [_count(officer, u) for u in urls(big)]
    assert before == after
    assert after == PINNED, after


# session, user, OTP device, roles (the navigation), then: imports (count, page); the
# watch-list (its import choices, the import, count, page, matches); the rows of an import
# (the import, count, page, their matches).
PINNED: list[int] = [6, 9, 8]
