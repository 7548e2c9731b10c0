"""The directory's pages in the real Chromium: no serious or critical axe-core violation of
WCAG 2.1 A/AA on the public directory, a Member State's page, an authority's page, the
report form (as the French authority's member) and the staff's list and form; a field in
error is described by its message."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.aioffice.a11y import assert_no_serious_violations

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user

from .authorities_world import World, build_world, signed_in_client
from .test_authorities_services import media_root  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db: None, media_root: Any) -> World:  # noqa: F811
    return build_world()


def _page(browser: Browser, live_server: LiveServer, client: Client | None) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    if client is not None:
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def anonymous(browser: Browser, live_server: LiveServer, world: World) -> Iterator[Page]:
    yield from _page(browser, live_server, None)


def test_the_public_pages_have_no_serious_violation(anonymous: Page, world: World) -> None:
    assert_no_serious_violations(anonymous, reverse("cooperation:authority_directory"))
    expect(anonymous.get_by_test_id("authority-overview")).to_contain_text("France")
    assert_no_serious_violations(
        anonymous, reverse("cooperation:authority_member_state", args=["FR"])
    )
    assert_no_serious_violations(
        anonymous, reverse("cooperation:authority_member_state", args=["PT"])
    )
    assert_no_serious_violations(
        anonymous, reverse("cooperation:authority_detail", args=["FR", world.fr.pk])
    )


def test_the_authority_and_staff_pages_have_no_serious_violation(
    browser: Browser, live_server: LiveServer, world: World
) -> None:
    french = signed_in_client(make_user(Role.NATIONAL_AUTHORITY_MEMBER))
    for page in _page(browser, live_server, french):
        assert_no_serious_violations(
            page, reverse("cooperation:authority_member_state", args=["FR"])
        )
        expect(page.get_by_test_id("report-file")).to_be_visible()
        assert_no_serious_violations(page, reverse("cooperation:resource_report_new", args=["FR"]))
        page.get_by_role("button", name="Record the report").click()
        field = page.locator("#id_file")
        expect(field).to_have_attribute("aria-invalid", "true")
        assert_no_serious_violations(page)
    editor = signed_in_client(make_user(Role.LEGAL_OFFICER))
    for page in _page(browser, live_server, editor):
        assert_no_serious_violations(page, reverse("cooperation:authority_admin"))
        assert_no_serious_violations(page, reverse("cooperation:authority_admin_new"))
        assert_no_serious_violations(
            page, reverse("cooperation:authority_admin_edit", args=[world.fr.pk])
        )
