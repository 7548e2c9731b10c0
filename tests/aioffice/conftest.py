"""Fixtures of the Django side. tests/aiact has none of this: it runs without Django."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from aioffice.core.testing import Principal, make_user, principal

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Private files (applicants' CVs) that a test stores go to a temporary folder, never to
    the checkout's var/private, whatever VAR_DIR the test sets."""
    settings.PORTAL_PRIVATE_ROOT = tmp_path_factory.mktemp("private")


@pytest.fixture
def make_principal(db: None) -> Callable[[str], Principal]:
    """Build the client of one principal: anonymous, a person with no role, or a role."""
    return principal


@pytest.fixture
def user_factory(db: None) -> Callable[..., object]:
    return make_user


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Debian Chromium per test module (tests marked `browser`); each test opens its own
    context (cookies). Skipped where Chromium is missing, unless AIOFFICE_REQUIRE_BROWSER=1."""
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("AIOFFICE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"AIOFFICE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would refuse the ORM
    # calls of fixtures and of the live server as "async unsafe" while it runs. Only here.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
