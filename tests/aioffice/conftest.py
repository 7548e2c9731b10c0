"""Fixtures of the Django side. tests/aiact has none of this: it runs without Django."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aioffice.core.testing import Principal, make_user, principal


@pytest.fixture
def make_principal(db: None) -> Callable[[str], Principal]:
    """Build the client of one principal: anonymous, a person with no role, or a role."""
    return principal


@pytest.fixture
def user_factory(db: None) -> Callable[..., object]:
    return make_user
