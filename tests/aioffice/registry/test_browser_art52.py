"""The Art. 52 procedure end to end in the real Chromium, on the real database: a provider
notifies through the browser (a missing estimation method is refused next to its field);
an officer signs in with the second factor, assigns the notification and opens the
hearing; a legal officer's rejection is refused without a hearing and before the hearing
period ends (the refusal gives the date), then taken; the model is on the public list as
HTML, JSON and CSV. Dates are entered in the forms' date fields: nothing sleeps.

Same set-up as tests/aioffice/test_browser.py: pytest-django's live server; without
Chromium the test skips, unless AIOFFICE_REQUIRE_BROWSER=1: then it fails.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import TEST_PASSWORD, make_user, totp_device
from aioffice.registry.models import Decision, ModelVersion, Notification, Provider

pytestmark = pytest.mark.browser


@pytest.fixture
def new_page(
    browser: Browser, live_server: LiveServer, transactional_db: None
) -> Iterator[Callable[[], Page]]:
    """A fresh browser context (its own cookies) per person."""
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _code(device: TOTPDevice) -> str:
    """What the person's authenticator shows now."""
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{totp.token():0{device.digits}d}"


def _sign_in(page: Page, user: User, device: TOTPDevice | None = None) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if device is not None:
        expect(page).to_have_url(re.compile(r"/accounts/second-factor/"))
        page.fill("#id_token", _code(device))
        page.get_by_role("button", name="Verify").click()
    expect(page.locator(".aio-user")).to_have_text(user.username)


def test_a_notification_goes_from_the_provider_to_the_public_list(
    new_page: Callable[[], Page],
    provider_factory: Callable[..., Provider],
    version_factory: Callable[..., ModelVersion],
) -> None:
    today = timezone.now().date()
    alpha = provider_factory("Alpha AI")
    version_factory(alpha, model_name="Alpha-1", training_compute_flop=None, compute_method="")
    alice = make_user(None, "alice")
    accounts.membership_add(
        actor=None, user=alice, organisation=alpha.organisation, role=Role.ORGANISATION_MEMBER
    )
    tess = make_user(Role.TECHNICAL_OFFICER, "tess")
    leo = make_user(Role.LEGAL_OFFICER, "leo")

    # The provider finds its model and notifies; the form names what is missing.
    provider = new_page()
    _sign_in(provider, alice)
    provider.goto("/registry/models/")
    provider.get_by_role("link", name="Alpha-1").click()
    provider.get_by_role("link", name="1.0").click()
    provider.get_by_test_id("notify-link").click()
    form = provider.get_by_test_id("notification-form")
    form.locator("#id_trigger").select_option("compute_threshold")
    form.locator("#id_compute_flop").fill("3.79e25")
    form.locator("#id_assumptions").fill("Dense transformer, one epoch.")
    form.locator("#id_uncertainty").fill("+/- 10%")
    form.locator("#id_trigger_date").fill(today.isoformat())
    form.locator("#id_arguments_text").fill("Its capabilities stay below the frontier.")
    form.locator("#id_arguments_grounds_0").check()
    expect(form.locator("#id_arguments_grounds_0")).to_be_checked()
    form.get_by_role("button", name="Submit the notification").click()
    expect(provider.locator("#id_estimation_method-error")).to_be_visible()
    assert not Notification.objects.exists()
    provider.locator("#id_estimation_method").fill("6 x parameters x tokens")
    provider.get_by_role("button", name="Submit the notification").click()
    expect(provider).to_have_url(re.compile(r"/registry/notifications/N-\d{4}-\d{6}/$"))
    notification = Notification.objects.get()
    expect(provider.get_by_test_id("tracking-number")).to_have_text(notification.tracking_number)
    detail = f"/registry/notifications/{notification.tracking_number}/"

    # An officer signs in with the second factor, assigns the notification to herself.
    officer = new_page()
    _sign_in(officer, tess, totp_device(tess))
    officer.goto(detail)
    expect(officer.get_by_test_id("decision-form")).to_have_count(0)
    officer.get_by_test_id("assign-form").locator("select").select_option(label="tess")
    officer.get_by_role("button", name="Assign").click()
    expect(officer.get_by_test_id("assigned-officer")).to_have_text("tess")
    expect(officer.locator("[data-status=under_assessment]")).to_be_visible()

    # A legal officer cannot reject before the provider is heard.
    legal = new_page()
    _sign_in(legal, leo, totp_device(leo))
    legal.goto(detail)
    decide = legal.get_by_test_id("decision-form")
    decide.locator("select[name=decision-kind]").select_option("arguments_rejected")
    decide.locator("textarea[name=decision-reasons]").fill("Capabilities match the frontier.")
    decide.get_by_role("button", name="Take the decision").click()
    expect(legal.get_by_test_id("decision-form")).to_contain_text("hear the provider first")
    assert not Decision.objects.exists()

    # The officer sends the draft decision; the hearing was opened weeks ago.
    hearing = officer.get_by_test_id("hearing-form")
    hearing.locator("select[name=hearing-draft_kind]").select_option("arguments_rejected")
    hearing.locator("textarea[name=hearing-draft_reasons]").fill("We intend to reject.")
    hearing.locator("input[name=hearing-opened_on]").fill((today - timedelta(days=40)).isoformat())
    hearing.get_by_role("button", name="Open the hearing").click()
    ends_on = notification.hearings.get().ends_on.isoformat()
    expect(officer.get_by_test_id("hearing-ends")).to_have_text(ends_on)

    # Dated on the last day of the hearing, the rejection is refused with that date; then taken.
    legal.goto(detail)
    decide = legal.get_by_test_id("decision-form")
    decide.locator("select[name=decision-kind]").select_option("arguments_rejected")
    decide.locator("textarea[name=decision-reasons]").fill("Capabilities match the frontier.")
    decide.locator("input[name=decision-decided_on]").fill(ends_on)
    decide.get_by_role("button", name="Take the decision").click()
    expect(legal.get_by_test_id("decision-form")).to_contain_text(
        f"The hearing period runs to {ends_on}"
    )
    decide = legal.get_by_test_id("decision-form")
    decide.locator("input[name=decision-decided_on]").fill("")
    decide.get_by_role("button", name="Take the decision").click()
    expect(legal.locator("[data-status=decided]")).to_be_visible()
    expect(legal.get_by_test_id("decision")).to_contain_text("Capabilities match the frontier.")

    # The provider sees the decision; the model is on the public list in every format.
    provider.reload()
    expect(provider.get_by_test_id("decision")).to_contain_text("Capabilities match the frontier.")
    public = new_page()
    public.goto("/registers/systemic-risk-models/")
    expect(public.get_by_test_id("systemic-risk-table")).to_contain_text("Alpha-1")
    listed = public.request.get("/registers/systemic-risk-models.json").json()
    assert [item["model"] for item in listed["items"]] == ["Alpha-1"]
    status = listed["items"][0]["systemic_risk_status"]
    assert status == "confirmed"
    text = public.request.get("/registers/systemic-risk-models.csv").text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["model"], row["systemic_risk_status"]) for row in rows] == [("Alpha-1", status)]
