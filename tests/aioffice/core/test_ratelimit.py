"""The shared rate limiter: counts per scope, key and window, in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory

from aioffice.core import ratelimit
from aioffice.core.models import RateCounter

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_the_limit_admits_that_many_requests_per_window_and_refuses_the_next() -> None:
    key = ratelimit.digest("198.51.100.7")
    assert [ratelimit.hit("t", key, limit=3, window=3600, now=NOON) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    # another key, another scope and the next window each count on their own
    assert ratelimit.hit("t", ratelimit.digest("198.51.100.8"), limit=3, window=3600, now=NOON)
    assert ratelimit.hit("u", key, limit=3, window=3600, now=NOON)
    assert ratelimit.hit("t", key, limit=3, window=3600, now=NOON + timedelta(hours=1))


def test_keys_are_stored_as_digests_and_old_windows_are_purged() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    ratelimit.hit("t", ratelimit.client_key(request), limit=1, window=60, now=NOON)
    stored = RateCounter.objects.get()
    assert "203.0.113.9" not in stored.key
    assert len(stored.key) == 64
    assert ratelimit.purge(older_than=timedelta(hours=1), now=NOON + timedelta(minutes=30)) == 0
    assert ratelimit.purge(older_than=timedelta(hours=1), now=NOON + timedelta(hours=2)) == 1
