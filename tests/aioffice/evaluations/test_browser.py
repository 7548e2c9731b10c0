"""Queueing an evaluation from the pages in the real Chromium: a technical officer signs in
with the second factor, checks a mock target, ticks a catalogue task (the boxes must be
visible and clickable: ECL's radio class hides them), queues the run and lands on its status
page, which follows the run through htmx until it is finished.

The test settings execute a queued run at once (django-tasks' ImmediateBackend): once the
worker's side exists, the run is finished when its page opens; until then it stays queued
and the test moves it along in the database to see the page follow.

Same set-up as tests/aioffice/test_browser.py: pytest-django's live server; without
Chromium the test skips, unless AIOFFICE_REQUIRE_BROWSER=1: then it fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import TEST_PASSWORD, make_user, totp_device
from aioffice.evaluations.models import EvaluationRun

from ._page_factories import PROBE_TASK, make_target, make_version

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(django_settings.VAR_DIR) / "screenshots"


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _sign_in(page: Page, user: User, device: TOTPDevice) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/"))
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("#id_token", f"{totp.token():0{device.digits}d}")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".aio-user")).to_have_text(user.username)


def test_an_officer_queues_a_run_and_follows_it(page: Page) -> None:
    tess = make_user(Role.TECHNICAL_OFFICER, "tess")
    device = totp_device(tess)
    version = make_version()
    make_target(version, model_args={"answer": "ANSWER: 168"})
    _sign_in(page, tess, device)

    page.locator("[data-nav=evaluations]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation runs")
    page.goto(f"/office/evaluations/versions/{version.pk}/targets/")
    page.get_by_test_id("check-mock").click()
    expect(page.get_by_role("alert")).to_contain_text("mock answered in")
    expect(page.locator("[data-target=mock] [data-check]")).to_have_attribute("data-check", "ok")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "evaluation-targets.png", full_page=True)

    page.get_by_test_id("queue-run").click()
    form = page.get_by_test_id("run-form")
    form.locator("#id_target").select_option(label="mock (Inspect mock model (offline))")
    box = form.get_by_label(re.compile(rf"^{PROBE_TASK} — General capability — Runs offline"))
    expect(box).to_be_visible()
    box.check()
    expect(box).to_be_checked()
    page.screenshot(path=SCREENSHOTS / "evaluation-run-form.png", full_page=True)
    form.locator("#id_temperature").fill("5")  # out of bounds: refused next to the field
    form.get_by_role("button", name="Queue the run").click()
    expect(page.locator("#id_temperature-error")).to_be_visible()
    assert not EvaluationRun.objects.exists()
    form = page.get_by_test_id("run-form")
    expect(form.get_by_label(re.compile(rf"^{PROBE_TASK} —"))).to_be_checked()  # kept
    form.locator("#id_temperature").fill("0")
    form.locator("#id_sample_limit").fill("3")
    form.locator("#id_notes").fill("A dry run on the mock model.")
    form.get_by_role("button", name="Queue the run").click()

    # once the worker's side exists the run executes before the redirect: give it time
    expect(page).to_have_url(re.compile(r"/office/evaluations/runs/\d+/$"), timeout=120_000)
    run = EvaluationRun.objects.get()
    assert run.tasks == [PROBE_TASK] and run.sample_limit == 3 and run.temperature == 0
    status = page.get_by_test_id("run-status")
    expect(status).to_have_attribute("data-status", re.compile(r"^(queued|running|succeeded)$"))
    expect(page.get_by_test_id("run-configuration")).to_contain_text("A dry run on the mock model.")

    if status.get_attribute("data-status") == "succeeded":  # the worker's side ran it
        expect(page.locator(f"[data-result={PROBE_TASK}]")).to_be_visible()
        expect(page.locator("#run-live")).not_to_have_attribute("hx-trigger", re.compile("."))
    else:  # queued: the page polls; move the run along as a worker would
        expect(page.locator("#run-live")).to_have_attribute("hx-trigger", "every 2s")
        EvaluationRun.objects.filter(pk=run.pk).update(
            status="running", progress_done=1, progress_total=3
        )
        expect(status).to_have_attribute("data-status", "running", timeout=8_000)
        expect(page.get_by_test_id("run-progress")).to_contain_text("1 of 3 samples (33%)")
        EvaluationRun.objects.filter(pk=run.pk).update(
            status="failed", progress_done=2, error="The target stopped answering."
        )
        expect(page.get_by_test_id("run-error")).to_contain_text(
            "The target stopped answering.", timeout=8_000
        )
        expect(page.locator("#run-live")).not_to_have_attribute("hx-trigger", re.compile("."))
        page.get_by_test_id("retry-run").click()
        expect(page.get_by_role("alert").first).to_contain_text("queued again")
    page.screenshot(path=SCREENSHOTS / "evaluation-run.png", full_page=True)
