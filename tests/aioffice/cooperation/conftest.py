"""Fixtures of the cooperation tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """The public routes' rate limits (and the public pages' kept answers) live in the
    process-wide cache: each test starts with none, whatever ran before it in the worker."""
    cache.clear()
    yield
    cache.clear()
