"""The shell in the real Chromium: signing in with the second factor, roles, languages.

Runs against pytest-django's live server (static files included). Without Chromium at
CHROMIUM the tests skip, unless AIOFFICE_REQUIRE_BROWSER=1 (as in CI): then they fail.
"""

from __future__ import annotations

import re
from base64 import b32decode
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from aioffice import demo
from aioffice.accounts.choices import Role

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(django_settings.VAR_DIR) / "screenshots"


@pytest.fixture
def demo_logins(
    transactional_db: None, settings: Settings, tmp_path: Path
) -> dict[str, demo.DemoLogin]:
    """The demo platform, its logins kept out of the real var/; fast password hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path
    return {login.username: login for login in demo.load_once().logins}


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def _current_code(login: demo.DemoLogin) -> str:
    """What the authenticator app shows now, from the key the demo printed."""
    assert login.totp_key is not None
    key = b32decode(login.totp_key + "=" * (-len(login.totp_key) % 8))
    return f"{TOTP(key, step=30, t0=0, digits=6).token():06d}"


def _log_in(page: Page, login: demo.DemoLogin) -> None:
    page.fill("#id_username", login.username)
    page.fill("#id_password", login.password)
    page.get_by_role("button", name="Log in").click()


PUBLIC_NAV = [
    "home",
    "register",
    "checker",
    "guidance",
    "news",
    "database",
    "drafting",
    "jobs",
    "contact",
]


def _nav_keys(page: Page) -> list[str]:
    return page.locator("nav.aio-menu a[data-nav]").evaluate_all(
        "links => links.map(link => link.dataset.nav)"
    )


def test_the_home_page_loads_the_europa_component_library(page: Page) -> None:
    statuses: dict[str, int] = {}
    page.on("response", lambda response: statuses.update({response.url: response.status}))
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    stylesheet = [url for url in statuses if url.endswith("/static/ecl/styles/ecl-ec.css")]
    assert stylesheet, "the page does not ask for the ECL stylesheet"
    assert statuses[stylesheet[0]] == 200, "run `make assets`: var/assets is missing"
    static = {url: status for url, status in statuses.items() if "/static/" in url}
    assert all(status == 200 for status in static.values()), static
    # The stylesheet is applied, not just fetched: ECL sets the EC typeface.
    assert "arial" in page.evaluate("getComputedStyle(document.body).fontFamily").lower()
    assert _nav_keys(page) == PUBLIC_NAV
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "home.png", full_page=True)


def test_a_head_of_unit_logs_in_with_the_second_factor(
    page: Page, demo_logins: dict[str, demo.DemoLogin]
) -> None:
    head = demo_logins["head"]
    assert head.role == Role.HEAD_OF_UNIT
    page.goto("/office/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/office/$"))
    _log_in(page, head)
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/$"))
    page.fill("#id_token", _current_code(head))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/office/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Office dashboard")
    expect(page.locator("[data-nav=dashboard]")).to_have_text("Office dashboard")
    expect(page.locator("[data-nav=audit]")).to_have_text("Audit trail")
    assert _nav_keys(page) == [
        "home",
        "register",
        "dashboard",
        "notifications",
        "models",
        "deadlines",
        "compliance",
        "evaluations",
        "reports",
        "cases",
        "cooperation",
        "drafting",
        "portal",
        "audit",
        "account",
    ]
    expect(page.locator(".aio-user")).to_have_text("head")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "dashboard.png", full_page=True)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert _nav_keys(page) == PUBLIC_NAV
    page.goto("/office/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


PROVIDER_NAV = [
    "home",
    "register",
    "models",
    "compliance",
    "deadlines",
    "my_cases",
    "reports",
    "database",
    "drafting",
    "account",
]


def test_a_provider_logs_in_without_a_second_factor_and_sees_no_staff_pages(
    page: Page, demo_logins: dict[str, demo.DemoLogin]
) -> None:
    provider = demo_logins["provider"]
    assert provider.totp_key is None
    page.goto("/accounts/login/")
    _log_in(page, provider)
    expect(page.locator(".aio-user")).to_have_text("provider")
    assert _nav_keys(page) == PROVIDER_NAV
    response = page.goto("/office/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Access denied")
    assert _nav_keys(page) == PROVIDER_NAV


def test_the_language_switcher_changes_the_page_language(page: Page) -> None:
    page.goto("/")
    for language, home, change in (("fr", "Accueil", "Changer"), ("de", "Startseite", "Ändern")):
        page.select_option("#language-select", language)
        page.locator("form.aio-language button[type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page).to_have_url(re.compile(rf"/{language}/$"))
        expect(page.locator("[data-nav=home]")).to_have_text(home)
        expect(page.locator("form.aio-language button[type=submit]")).to_have_text(change)
    page.select_option("#language-select", "en")
    page.locator("form.aio-language button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-nav=home]")).to_have_text("Home")


def test_the_shell_fits_a_phone_screen(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/fr/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("[data-nav=home]")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "home-phone-fr.png", full_page=True)
