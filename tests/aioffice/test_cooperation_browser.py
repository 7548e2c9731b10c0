"""The cooperation pages' flows in the real Chromium, against pytest-django's live server:

- a visitor searches the EU database by text and a filter, opens a registration and
  downloads the results as CSV; the secure section's demo entry never shows (Art. 49(4));
- a provider signs in, registers a section A system through the form, and finds it in the
  public search;
- the French demo authority's member (login "authority") opens /authority/ and the
  information exchange, and sees the document the Office shared with their authority;
- a visitor filters the authorities directory by Member State and sees the single point of
  contact marked.

axe-core (tests/aioffice/a11y.py) runs on every page the flows reach.

The data is the demo's cooperation part (aioffice.demo_data.cooperation_*: the authorities
directory, the information exchange, the EU database) over the demo's own organisations and
logins, without the rest of the demo platform (registry, portal), which the flows do not
need and which takes most of the demo's loading time.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from tests.aioffice.a11y import assert_no_serious_violations

from aioffice import demo
from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OFFICE_ROLES
from aioffice.accounts.models import User
from aioffice.cooperation.models_database import Registration
from aioffice.core.testing import TEST_PASSWORD
from aioffice.demo_data import cooperation_authorities, cooperation_database, cooperation_exchange

pytestmark = pytest.mark.browser

# the demo logins the cooperation demo acts with
LOGINS = ("admin", "legal", "policy", "provider", "city", "authority", "dpa")
SECURE_TRADE_NAME = "RiskLedger (demo)"  # Annex III point 6, law enforcement: secure section


@pytest.fixture
def demo_users(transactional_db: None, settings: Settings, tmp_path: Path) -> dict[str, User]:
    """The demo's organisations and the logins of `LOGINS` (password TEST_PASSWORD), and
    the cooperation demo's authorities, exchange and EU database entries."""
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organisations = {
        spec["name"]: accounts.organisation_create(
            actor=None,
            name=spec["name"],
            kind=spec["kind"],
            country=spec["country"],
            established_in_union=spec["eu"],
        )
        for spec in demo.ORGANISATIONS
        if spec["name"] != demo.AI_OFFICE_NAME
    }
    users: dict[str, User] = {}
    for username, first_name, role, organisation in demo.USERS:
        if username not in LOGINS:
            continue
        email = f"{username}@demo.aioffice.example"
        if role in OFFICE_ROLES:
            users[username] = demo.create_staff(
                username=username,
                email=email,
                role=role,
                password=TEST_PASSWORD,
                first_name=first_name,
            )
            continue
        user = accounts.user_create(
            actor=None,
            username=username,
            email=email,
            password=TEST_PASSWORD,
            first_name=first_name,
        )
        accounts.membership_add(
            actor=None, user=user, organisation=organisations[organisation], role=role
        )
        users[username] = user
    for part in (cooperation_authorities, cooperation_exchange, cooperation_database):
        part.load(users=users)
    return users


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, demo_users: dict[str, User]) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def _sign_in(page: Page, username: str, then: str) -> None:
    """Open `then`, which asks to sign in first, and sign in through the login form."""
    page.goto(then)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    assert_no_serious_violations(page)
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.locator(".aio-user")).to_have_text(username)
    expect(page).to_have_url(re.compile(rf"{re.escape(then)}$"))


def _search(page: Page, **fields: str) -> None:
    """Fill the EU database's search form and send it (htmx swaps the results in place)."""
    form = page.get_by_test_id("database-filter")
    for name, value in fields.items():
        if name == "q":
            form.locator("#id_q").fill(value)
        else:
            form.locator(f"#id_{name}").select_option(value)
    with page.expect_response(re.compile(r"/eu-database/\?")):
        form.get_by_role("button", name="Search").click()


def _numbers(page: Page) -> list[str]:
    rows = page.locator("[data-testid=database-results] tbody tr")
    numbers: list[str] = rows.evaluate_all("rows => rows.map(row => row.dataset.number)")
    return numbers


# --- the EU database, for the public ---------------------------------------------------------


def test_a_visitor_searches_the_eu_database_and_downloads_the_results(page: Page) -> None:
    secure = Registration.objects.get(trade_name=SECURE_TRADE_NAME).number
    hiring = Registration.objects.get(trade_name="TalentLens (demo)").number

    page.goto(reverse("portal:home"))
    page.locator("nav.aio-menu [data-nav=database]").click()
    expect(page).to_have_url(re.compile(r"/eu-database/$"))
    assert_no_serious_violations(page)
    listed = _numbers(page)
    assert hiring in listed and secure not in listed, listed
    expect(page.locator("main")).not_to_contain_text(SECURE_TRADE_NAME)

    # by text and a filter: the public section A entry, and nothing of the secure section
    _search(page, q="recruiters", section="A")
    expect(page).to_have_url(re.compile(r"/eu-database/\?.*q=recruiters"))
    expect(page.locator("[data-testid=database-results] caption")).to_have_text("1 registration")
    assert _numbers(page) == [hiring]
    # the live region outside the swapped results says the count (WCAG 4.1.3)
    expect(page.locator("#database-status[role=status]")).to_have_text("1 registration")
    assert_no_serious_violations(page)
    _search(page, q="police", section="")
    expect(page.get_by_test_id("database-empty")).to_be_visible()
    expect(page.locator("#database-status")).to_have_text(
        "No registration matches. Try fewer words or filters."
    )
    assert_no_serious_violations(page)
    _search(page, q="", section="A")
    expect(page.locator("[data-testid=database-results] caption")).to_have_text("1 registration")
    assert _numbers(page) == [hiring]

    # the results as CSV: the link carries the search
    with page.expect_download() as download:
        page.get_by_test_id("csv-link").click()
    assert download.value.suggested_filename == "eu-database.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [hiring], rows
    assert SECURE_TRADE_NAME not in str(rows)

    # a registration: its page, and the secure entry's page is not found
    page.locator(f"[data-number='{hiring}'] th a").click()
    expect(page).to_have_url(re.compile(rf"/eu-database/{hiring}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("TalentLens (demo)")
    assert_no_serious_violations(page)
    response = page.goto(reverse("cooperation:database_detail", args=[secure]))
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text(SECURE_TRADE_NAME)


def test_a_provider_registers_a_system_and_finds_it_in_the_public_search(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    _sign_in(page, "provider", reverse("cooperation:database_mine"))
    assert_no_serious_violations(page)
    page.locator("main a[data-section=A]").click()
    expect(page).to_have_url(re.compile(r"/eu-database/mine/register/A/$"))
    assert_no_serious_violations(page)

    # sent without its required points: the errors are on the fields, the form accessible
    form = page.get_by_test_id("database-register")
    form.get_by_role("button", name="Register").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(page.locator("main [aria-invalid=true]").first).to_be_visible()
    assert_no_serious_violations(page)

    page.locator("#id_annex_iii_point").select_option("5")
    page.fill("#id_registrant_name", "Aurora Models SE")
    page.fill("#id_registrant_contact", "registrations@aurora.example")
    page.fill("#id_submitter_name", "Priya")
    page.fill("#id_trade_name", "CreditCompass (browser test)")
    page.fill("#id_reference", "CREDITCOMPASS-1")
    page.fill("#id_intended_purpose", "Scores the creditworthiness of loan applicants.")
    page.fill("#id_information_and_logic", "Payment histories; a gradient-boosted model.")
    page.locator("#id_status").select_option("on_market")
    page.locator("#id_member_states").select_option(["FR", "IT"])
    page.get_by_test_id("database-register").get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(r"/eu-database/mine/EU-DB-A-\d{4}-\d{6}/$"))
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.locator("main")).to_contain_text(number)
    assert_no_serious_violations(page)

    # a visitor (another browser context: no session) finds it in the public search
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    visitor = context.new_page()
    try:
        visitor.goto(reverse("cooperation:database_search"))
        _search(visitor, q="creditworthiness", annex_iii_point="5")
        assert _numbers(visitor) == [number]
        expect(visitor.get_by_test_id("database-results")).to_contain_text(
            "CreditCompass (browser test)"
        )
        assert_no_serious_violations(visitor)
        visitor.locator(f"[data-number='{number}'] th a").click()
        expect(visitor).to_have_url(re.compile(rf"/eu-database/{number}/$"))
        assert_no_serious_violations(visitor)
    finally:
        context.close()


# --- a national authority's staff ------------------------------------------------------------


def test_the_authority_user_sees_what_the_office_shared_with_their_authority(page: Page) -> None:
    _sign_in(page, "authority", reverse("cooperation:authority_home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cooperation")
    expect(page.locator("main")).to_contain_text(cooperation_authorities.FRENCH_ORGANISATION)
    assert_no_serious_violations(page)
    assert page.locator("nav.aio-menu [data-nav=cooperation]").get_attribute("href") == reverse(
        "cooperation:authority_home"
    )

    page.locator("[data-function=exchange] a").click()
    expect(page).to_have_url(re.compile(r"/cooperation/exchange/$"))
    expect(page.get_by_test_id("exchange-requests")).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_test_id("exchange-sections").get_by_role("link", name="Shared documents").click()
    documents = page.get_by_test_id("exchange-documents")
    expect(documents).to_contain_text(cooperation_exchange.MARK)
    assert_no_serious_violations(page)
    documents.get_by_role("link", name=cooperation_exchange.MARK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cooperation_exchange.MARK)
    assert_no_serious_violations(page)


# --- the authorities directory ---------------------------------------------------------------


def test_a_visitor_filters_the_directory_by_member_state(page: Page) -> None:
    page.goto(reverse("cooperation:public_home"))
    assert_no_serious_violations(page)
    page.locator("[data-function=authorities] a").click()
    expect(page).to_have_url(re.compile(r"/cooperation/authorities/$"))
    assert_no_serious_violations(page)

    form = page.get_by_test_id("directory-filter")
    form.get_by_label("Member State").select_option("FR")
    form.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/cooperation/authorities/\?.*member_state=FR"))
    listed = page.get_by_test_id("authorities")
    expect(listed).to_have_count(1)
    expect(page.get_by_test_id("directory-count")).to_have_text("1 designated authority")
    french = listed.locator("li[data-authority]")
    expect(french).to_have_count(1)
    expect(french).to_contain_text(cooperation_authorities.FRENCH_ORGANISATION)
    expect(french.get_by_test_id("spoc")).to_have_text("single point of contact")
    assert_no_serious_violations(page)

    french.get_by_role("link", name=cooperation_authorities.FRENCH_ORGANISATION, exact=True).click()
    expect(page).to_have_url(re.compile(r"/cooperation/authorities/FR/\d+/$"))
    assert_no_serious_violations(page)
