"""The shared rate limiter: counts per scope, key and window, in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

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


def test_behind_our_proxies_the_address_they_saw_counts_never_one_the_client_wrote(
    settings: Any,
) -> None:
    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert ratelimit.client_address(forged) == "10.0.0.2"  # no proxy trusted: the peer
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    assert ratelimit.client_address(forged) == "198.51.100.7"  # what our proxy saw
    settings.RATELIMIT_TRUSTED_PROXIES = 3  # more hops than the header holds: the peer
    assert ratelimit.client_address(forged) == "10.0.0.2"


def test_an_ipv6_client_counts_by_its_64_network() -> None:
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    elsewhere = factory.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert ratelimit.client_key(one) == ratelimit.client_key(other)
    assert ratelimit.client_key(one) != ratelimit.client_key(elsewhere)
    mapped = factory.get("/", REMOTE_ADDR="::ffff:198.51.100.7")
    plain = factory.get("/", REMOTE_ADDR="198.51.100.7")
    assert ratelimit.client_key(mapped) == ratelimit.client_key(plain)
