"""The public portal's flows in the real Chromium, against pytest-django's live server.

- sign up for updates -> confirm (the link of the e-mail) -> unsubscribe (the link of a
  later message), with the mouse and with the keyboard alone;
- apply to a call for expression of interest with a PDF CV, with the mouse and with the
  keyboard alone; an oversized or non-PDF CV refused with a message next to the field;
- the compliance checker for an Annex III system, question by question: with JavaScript
  (htmx swaps each step in place), without it (each step a page), and with the keyboard
  alone; the obligations on the result page compared with aiact's own answer;
- the language switcher on the two public registers keeps the page, in French and German;
- a question to the Office (portal:enquiry_new) with the keyboard alone.

axe-core (tests/aioffice/a11y.py) runs on every page the flows reach, error states
included. axe-core cannot run where JavaScript is disabled (its timers never fire): the
pages of the checker's walk without JavaScript are audited at the same address in a
browser with JavaScript, which gets the same document.

The live server runs in this process: `mailoutbox` (the locmem e-mail backend) holds the
messages the flows send, and settings changed here apply to it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from playwright.sync_api import Browser, FileChooser, FilePayload, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from tests.aioffice.a11y import (
    assert_focus_visible,
    assert_no_serious_violations,
    focused,
    tab_to,
)

import aiact
from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.core.testing import make_user
from aioffice.portal import services_calls
from aioffice.portal.checker import current, read
from aioffice.portal.checker.examples import EXAMPLES
from aioffice.portal.choices import SubscriberStatus
from aioffice.portal.models_calls import Application
from aioffice.portal.models_help import Enquiry
from aioffice.portal.models_updates import Subscriber
from aioffice.registry import services as registry
from aioffice.registry.codeofpractice import services as codeofpractice
from aioffice.registry.codeofpractice.models import Chapter

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(django_settings.VAR_DIR) / "screenshots"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _context_page(browser: Browser, live_server: LiveServer, **options: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB", **options
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[Page]:
    yield from _context_page(browser, live_server)


@pytest.fixture
def page_without_js(
    browser: Browser, live_server: LiveServer, transactional_db: None
) -> Iterator[Page]:
    yield from _context_page(browser, live_server, java_script_enabled=False)


@pytest.fixture(autouse=True)
def _mail_in_memory(settings: Settings) -> None:
    """The messages the live server sends stay in `django.core.mail.outbox`."""
    assert settings.EMAIL_BACKEND == LOCMEM


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def _path(page: Page) -> str:
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _link(message: Any, kind: str) -> str:
    """The path of the `kind` link (confirm, unsubscribe) in a message of the updates."""
    found = re.search(rf"https?://[^/\s]+(/\S*updates/{kind}/\S+/)", str(message.body))
    assert found, f"no {kind} link in:\n{message.body}"
    return found[1]


def _press_enter_and_wait(page: Page) -> None:
    """Enter on the focused button or link, waiting for the page it loads."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _tick(page: Page, label: str) -> None:
    """Tick a checkbox (left ticked if it is) by clicking its label, as a person does (an
    ECL checkbox's input is visually hidden behind the box its label draws)."""
    box = page.get_by_label(label, exact=True)
    if not box.is_checked():
        page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def _assert_error_next_to(page: Page, field_id: str, message: str) -> None:
    """The field says it is invalid and is described by its error, which says `message`;
    the error summary at the top of the form repeats it."""
    field = page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    described = (field.get_attribute("aria-describedby") or "").split()
    assert f"{field_id}-error" in described, f"#{field_id} is not described by its error"
    expect(page.locator(f"#{field_id}-error")).to_contain_text(message)
    expect(page.get_by_test_id("error-summary")).to_contain_text(message)


# --- sign up for updates ----------------------------------------------------------------------


def test_sign_up_confirm_and_unsubscribe(page: Page, mailoutbox: list[Any]) -> None:
    assert_no_serious_violations(page, reverse("portal:updates_signup"))
    # sent empty: every field says what is missing, above the form and next to the field
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    _assert_error_next_to(page, "id_email", "Enter your e-mail address.")
    _assert_error_next_to(page, "id_consent", "Tick the box to give your consent")
    expect(page.locator("#id_topics-error")).to_have_text("Choose at least one topic.")
    assert_no_serious_violations(page)
    assert not mailoutbox

    page.fill("#id_email", "Ana@Example.org")
    _tick(page, "General-purpose AI models")
    _tick(page, "Jobs at the AI Office")
    _tick(page, "I agree to the consent text above")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/updates/sent/$"))
    expect(page.get_by_test_id("signup-sent")).to_be_visible()
    assert_no_serious_violations(page)

    # the confirmation: the e-mail's link opens a page whose button confirms
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana@example.org"]
    confirm = _link(mailoutbox[0], "confirm")
    assert "unsubscribe" not in mailoutbox[0].body.lower()
    subscriber = Subscriber.objects.get(email="ana@example.org")
    assert subscriber.status == SubscriberStatus.PENDING
    assert_no_serious_violations(page, confirm)
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_test_id("confirmed")).to_be_visible()
    assert_no_serious_violations(page)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert sorted(subscriber.topics.values_list("topic", flat=True)) == ["gpai", "jobs"]

    # the confirmation page's link to the topics carries the unsubscribe token
    page.get_by_role("link", name="Change my topics now").click()
    expect(page).to_have_url(re.compile(r"/updates/topics/[^/]+/$"))
    expect(page.get_by_label("Jobs at the AI Office")).to_be_checked()
    assert_no_serious_violations(page)

    # a replayed confirmation link is refused, saying why
    response = page.goto(confirm)
    assert response is not None and response.status == 400
    expect(page.locator("main")).to_contain_text("This confirmation link is not valid")
    assert_no_serious_violations(page)

    # signing up again says nothing new on the page; the message that follows carries the
    # unsubscribe link, in its text and in its List-Unsubscribe header
    page.goto(reverse("portal:updates_signup"))
    page.fill("#id_email", "ana@example.org")
    _tick(page, "AI literacy")
    _tick(page, "I agree to the consent text above")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/updates/sent/$"))
    assert len(mailoutbox) == 2
    unsubscribe = _link(mailoutbox[1], "unsubscribe")
    assert mailoutbox[1].extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    assert_no_serious_violations(page, unsubscribe)
    page.get_by_test_id("unsubscribe-form").get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_test_id("unsubscribed")).to_be_visible()
    assert_no_serious_violations(page)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    _screenshot(page, "portal-updates-unsubscribed")

    # the link still opens, and says there is nothing to unsubscribe from
    assert_no_serious_violations(page, unsubscribe)
    expect(page.get_by_test_id("not-subscribed")).to_be_visible()


def test_an_expired_confirmation_link_is_refused(page: Page, mailoutbox: list[Any]) -> None:
    page.goto(reverse("portal:updates_signup"))
    page.fill("#id_email", "late@example.org")
    _tick(page, "Events and consultations")
    _tick(page, "I agree to the consent text above")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/updates/sent/$"))
    confirm = _link(mailoutbox[0], "confirm")
    Subscriber.objects.filter(email="late@example.org").update(
        confirm_expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = page.goto(confirm)
    assert response is not None and response.status == 410
    expect(page.get_by_test_id("link-refused")).to_have_text("This confirmation link has expired.")
    assert_no_serious_violations(page)
    assert Subscriber.objects.get(email="late@example.org").status == SubscriberStatus.PENDING
    page.get_by_role("link", name="Sign up for updates again").click()
    expect(page).to_have_url(re.compile(r"/updates/$"))


def test_sign_up_confirm_and_unsubscribe_with_the_keyboard_alone(
    page: Page, mailoutbox: list[Any]
) -> None:
    page.goto(reverse("portal:updates_signup"))
    # sent empty with Enter, then the error summary's link leads to the field
    tab_to(page, "[data-testid=signup-form] button[type=submit]")
    assert_focus_visible(page)
    _press_enter_and_wait(page)
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    assert_no_serious_violations(page)

    tab_to(page, "[data-testid=error-summary] a[href='#id_email']")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#id_email")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type("keyboard@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#id_topics_0")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#id_topics_0")).to_be_checked()
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("[data-testid=signup-form] button[type=submit]")).to_be_focused()
    _press_enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/updates/sent/$"))

    assert len(mailoutbox) == 1
    page.goto(_link(mailoutbox[0], "confirm"))
    tab_to(page, "[data-testid=confirm-form] button[type=submit]")
    assert_focus_visible(page)
    _press_enter_and_wait(page)
    expect(page.get_by_test_id("confirmed")).to_be_visible()
    subscriber = Subscriber.objects.get(email="keyboard@example.org")
    assert subscriber.status == SubscriberStatus.ACTIVE

    # to the topics and on to unsubscribing, by the page's own links
    tab_to(page, "main a[href*='/updates/topics/']")
    _press_enter_and_wait(page)
    tab_to(page, "main a[href*='/updates/unsubscribe/']", presses=60)
    _press_enter_and_wait(page)
    tab_to(page, "[data-testid=unsubscribe-form] button[type=submit]")
    _press_enter_and_wait(page)
    expect(page.get_by_test_id("unsubscribed")).to_be_visible()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    _screenshot(page, "portal-updates-keyboard")


# --- calls for expression of interest ---------------------------------------------------------


def _pdf(text: str = "Curriculum vitae", *, pad_to: int = 0) -> bytes:
    """A small valid one-page PDF saying `text` (padded with a comment to `pad_to` bytes)."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    if pad_to > len(out):
        out[9:9] = b"%" + b"x" * (pad_to - len(out) - 2) + b"\n"  # a comment after the header
    return bytes(out)


def _file(name: str, content: bytes, mime: str = "application/pdf") -> FilePayload:
    return {"name": name, "mimeType": mime, "buffer": content}


MOTIVATION = "I have ten years of experience in the evaluation of machine learning models."


@pytest.fixture
def call(transactional_db: None) -> Any:
    """A published call, open for two weeks, made through the services."""
    head = make_user(Role.HEAD_OF_UNIT, "head-of-calls")
    draft = services_calls.call_create(
        actor=head,
        title="Technical officer for model evaluations",
        profile="Machine learning evaluation",
        contract_type="contract_agent",
        grade="FG IV",
        description="Evaluate general-purpose AI models with systemic risk.",
        deadline=timezone.now() + timedelta(days=14),
    )
    return services_calls.call_publish(actor=head, call=draft)


def _private_files() -> list[Path]:
    root = Path(django_settings.PORTAL_PRIVATE_ROOT)
    return [path for path in root.rglob("*") if path.is_file()]


def test_apply_to_a_call_with_a_pdf_cv(page: Page, call: Any, mailoutbox: list[Any]) -> None:
    assert_no_serious_violations(page, reverse("portal:call_list"))
    page.get_by_role("link", name=call.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(call.title)
    expect(page.get_by_test_id("privacy-statement")).to_be_visible()
    assert_no_serious_violations(page)

    # sent empty: the errors, next to each field and in the summary
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    _assert_error_next_to(page, "id_cv", "Attach your CV as a PDF file.")
    _assert_error_next_to(page, "id_consent", "Confirm that you have read the privacy statement.")
    assert_no_serious_violations(page)

    cv = _pdf("Ana Martins: evaluations, red teaming")
    page.get_by_label("Your name").fill("Ana Martins")
    page.get_by_label("Your e-mail address").fill("ana.martins@example.org")
    page.get_by_label("Motivation").fill(MOTIVATION)
    page.get_by_label("CV (PDF)").set_input_files(_file("Ana Martins CV.pdf", cv))
    _tick(page, "I have read the privacy statement above.")
    page.get_by_role("button", name="Send my application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Application received")
    tracking = page.get_by_test_id("tracking-number").inner_text().strip()
    assert tracking == f"{call.reference}-0001"
    application = Application.objects.get(tracking_number=tracking)
    assert page.get_by_test_id("deletion-date").inner_text().strip() == date_format(
        services_calls.deletion_date(application.retain_until), "DATE_FORMAT"
    )
    assert_no_serious_violations(page)
    _screenshot(page, "portal-call-applied")

    # the confirmation e-mail gives the tracking number
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana.martins@example.org"]
    assert tracking in mailoutbox[0].subject and tracking in mailoutbox[0].body

    # the CV, outside the web root, byte for byte, with the SHA-256 stored
    stored = Path(application.cv.path)
    root = Path(django_settings.PORTAL_PRIVATE_ROOT).resolve()
    assert stored.resolve().is_relative_to(root)
    assert _private_files() == [stored]
    assert stored.read_bytes() == cv
    assert application.cv_sha256 == hashlib.sha256(cv).hexdigest()
    assert application.cv_size == len(cv)


def test_an_oversized_or_non_pdf_cv_is_refused_with_a_clear_message(
    page: Page, call: Any, settings: Settings, mailoutbox: list[Any]
) -> None:
    limit = settings.PORTAL_CV_MAX_BYTES
    refused = [
        (
            _file("cv.docx", b"PK\x03\x04 a word document", "application/octet-stream"),
            "The CV must be a PDF file (a name ending in .pdf).",
        ),
        (
            _file("cv.pdf", b"\x89PNG\r\n\x1a\n a picture renamed"),
            "This file is not a PDF document. Save your CV as a PDF and attach it.",
        ),
        (
            _file("cv.pdf", _pdf(pad_to=limit + 1)),
            "The CV is larger than",
        ),
    ]
    page.goto(reverse("portal:call_detail", args=[call.reference]))
    # the form says what it accepts before anything is sent
    expect(page.locator("#id_cv-help")).to_contain_text("A PDF file of at most")
    for upload, message in refused:
        page.get_by_label("Your name").fill("Ana Martins")
        page.get_by_label("Your e-mail address").fill("ana.martins@example.org")
        page.get_by_label("Motivation").fill(MOTIVATION)
        page.get_by_label("CV (PDF)").set_input_files(upload)
        _tick(page, "I have read the privacy statement above.")
        page.get_by_role("button", name="Send my application").click()
        expect(page.get_by_test_id("error-summary")).to_be_visible()
        _assert_error_next_to(page, "id_cv", message)
        # what was typed is kept; only the file must be chosen again
        expect(page.get_by_label("Your name")).to_have_value("Ana Martins")
        expect(page.get_by_label("Motivation")).to_have_value(MOTIVATION)
        assert_no_serious_violations(page)
    _screenshot(page, "portal-call-cv-refused")
    # nothing half-saved: no application, no file, no e-mail
    assert not Application.objects.exists()
    assert _private_files() == []
    assert not mailoutbox


def test_apply_to_a_call_with_the_keyboard_alone(
    page: Page, call: Any, mailoutbox: list[Any]
) -> None:
    page.goto(reverse("portal:call_list"))
    tab_to(page, f"main a[href$='/jobs/{call.reference}/']")
    assert_focus_visible(page)
    _press_enter_and_wait(page)

    cv = _pdf("Kim Keyboard")
    # The file chooser a key opens is answered here (a listener set now, before the key is
    # pressed: `expect_file_chooser` around the key press missed it at times).

    def choose(chooser: FileChooser) -> None:
        chooser.set_files(_file("kim.pdf", cv))

    page.on("filechooser", choose)
    tab_to(page, "#id_name", presses=60)
    assert_focus_visible(page)
    page.keyboard.type("Kim Keyboard")
    page.keyboard.press("Tab")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.type("kim@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#id_motivation")).to_be_focused()
    page.keyboard.type(MOTIVATION)
    page.keyboard.press("Tab")
    expect(page.locator("#id_cv")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Space")  # opens the file chooser, answered by the handler above
    page.wait_for_function("document.getElementById('id_cv').files.length === 1")
    assert page.evaluate("document.getElementById('id_cv').files[0].name") == "kim.pdf"
    page.keyboard.press("Tab")
    expect(page.locator("#id_consent")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("[data-testid=application-form] button[type=submit]")).to_be_focused()
    assert_focus_visible(page)
    _press_enter_and_wait(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Application received")
    tracking = page.get_by_test_id("tracking-number").inner_text().strip()
    application = Application.objects.get(tracking_number=tracking)
    assert application.cv_sha256 == hashlib.sha256(cv).hexdigest()
    assert [message.to for message in mailoutbox] == [["kim@example.org"]]
    _screenshot(page, "portal-call-keyboard")


# --- the compliance checker -------------------------------------------------------------------

EXAMPLE = EXAMPLES["annex_iii_provider"]
ART16 = "art16_provider_obligations"


def _state(applies: object) -> str:
    return {True: "now", "not_in_force": "from", False: "no"}[applies]


def _aiact_answers(page: Page) -> tuple[dict[str, Any], dict[str, Any], date]:
    """aiact's answers (as amended, as published) for the answers in the result page's
    address, on the date the page applied the law."""
    grouped: dict[str, list[str]] = {}
    for key, value in parse_qsl(urlsplit(page.url).query):
        grouped.setdefault(key, []).append(value)
    walk = read(current(EXAMPLE.flow), list(grouped.items()))
    assert walk.complete, walk.problems
    on = date.fromisoformat(page.locator("#id_as_of").input_value())
    facts = {**walk.facts(), "as_of": on.isoformat()}
    amended, published = (
        aiact.evaluate("system", facts, law=aiact.load_law(law), as_of=on)
        for law in ("as-amended", "as-published")
    )
    return amended, published, on


def _assert_result_is_aiacts(page: Page) -> None:
    """The result page shows aiact's tier and every obligation with its date, and Art. 16
    side by side as amended and as published."""
    expect(page).to_have_url(re.compile(r"/compliance-checker/system/result/\?"))
    amended, published, on = _aiact_answers(page)
    assert amended["high_risk"]["route"] == "annex_iii"
    expect(page.get_by_test_id("tier")).to_have_attribute("data-tier", str(amended["tier"]))
    for obligation in amended["obligations"]:
        row = page.locator(f"[data-testid=items] tr[data-item='{obligation['id']}']")
        expect(row).to_have_attribute("data-state", _state(obligation["applies"]))
        expect(row).to_have_attribute("data-since", obligation["applicable_from"] or "")

    art16 = {o["id"]: o for o in amended["obligations"]}[ART16]
    art16_published = {o["id"]: o for o in published["obligations"]}[ART16]
    # what the issue expects aiact to say (the amendment postponed Annex III's high-risk rules)
    assert (art16["applicable_from"], art16_published["applicable_from"]) == (
        "2027-12-02",
        "2026-08-02",
    )
    since = date.fromisoformat(art16["applicable_from"])
    since_published = date.fromisoformat(art16_published["applicable_from"])
    with translation.override("en"):
        since_text, published_text = date_format(since), date_format(since_published)
    row = page.locator(f"[data-testid=items] tr[data-item='{ART16}']")
    expect(row).to_contain_text(since_text)
    compared = page.locator(f"[data-testid=comparison-table] tr[data-item='{ART16}']")
    amended_cell = compared.locator("[data-side=amended]")
    published_cell = compared.locator("[data-side=published]")
    expect(amended_cell).to_have_attribute("data-since", since.isoformat())
    expect(amended_cell).to_have_attribute("data-state", _state(art16["applies"]))
    expect(amended_cell).to_contain_text(since_text)
    expect(published_cell).to_have_attribute("data-since", since_published.isoformat())
    expect(published_cell).to_have_attribute("data-state", _state(art16_published["applies"]))
    expect(published_cell).to_contain_text(published_text)
    assert _state(art16["applies"]) == ("now" if since <= on else "from")


def _click_answers(page: Page, question: str) -> None:
    for value in (
        [EXAMPLE.answers[question]]
        if isinstance(EXAMPLE.answers[question], str)
        else EXAMPLE.answers[question]
    ):
        page.locator(f"#option-{question}-{value}").check()


def _walk_the_checker_with_the_mouse(page: Page, audit: Page, *, js: bool) -> None:
    """Start from the checker's page, send the first question empty (an error), then
    answer each question of the example and press Next; `audit` runs axe-core on each
    page (the same page when JavaScript is on)."""

    def check_accessibility() -> None:
        if audit is page:
            assert_no_serious_violations(page)
        else:
            audit.goto(page.url)
            assert_no_serious_violations(audit)

    page.goto(reverse("portal:checker"))
    check_accessibility()
    page.locator("[data-testid=checker-flows] a[data-flow=system]").click()
    form = page.get_by_test_id("question-form")
    questions = list(EXAMPLE.answers)
    expect(form).to_have_attribute("data-question", questions[0])
    check_accessibility()
    if js:
        page.evaluate("window.aioNoReload = true")  # gone if a step reloads the page

    page.get_by_test_id("next").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(page.locator(f"#answer-{questions[0]}")).to_have_attribute("aria-invalid", "true")
    check_accessibility()

    for number, question in enumerate(questions, start=1):
        expect(form).to_have_attribute("data-question", question)
        expect(page.get_by_test_id("progress")).to_contain_text(f"Question {number}")
        if number > 1:
            check_accessibility()
        if js:
            assert page.evaluate("window.aioNoReload === true"), "htmx did not swap the step"
        _click_answers(page, question)
        page.get_by_test_id("next").click()
        if number < len(questions):
            # the address keeps the answers (pushed by htmx, or the form's GET)
            expect(page).to_have_url(re.compile(rf"[?&]{question}="))
    _assert_result_is_aiacts(page)
    check_accessibility()


def test_the_checker_for_an_annex_iii_system_with_javascript(page: Page) -> None:
    _walk_the_checker_with_the_mouse(page, page, js=True)
    # the share link's copy button, which only a page with JavaScript has
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the link").click()
    expect(page.locator("#copy-share-link-status")).to_have_text("The link is copied.")
    share = page.get_by_test_id("share-link").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == share
    assert share.endswith(_path(page))
    # the print view the result links to
    page.get_by_test_id("print-link").click()
    expect(page.get_by_test_id("print-view")).to_be_visible()
    expect(page.locator(f"[data-testid=items] tr[data-item='{ART16}']")).to_be_visible()
    assert_no_serious_violations(page)
    _screenshot(page, "portal-checker-result")


def test_the_checker_for_an_annex_iii_system_without_javascript(
    page_without_js: Page, page: Page
) -> None:
    _walk_the_checker_with_the_mouse(page_without_js, page, js=False)
    # no copy button that could not copy
    expect(page_without_js.get_by_role("button", name="Copy the link")).to_have_count(0)
    _screenshot(page_without_js, "portal-checker-result-no-js")


def _answer_with_the_keyboard(page: Page, question: str) -> None:
    """Radio buttons: into the group with Tab, the answer with the arrow keys (Space when
    it is the first); checkboxes: Tab to each answer, Space."""
    answer = EXAMPLE.answers[question]
    inputs = f"#answer-{question} input[name='{question}']"
    if isinstance(answer, str):
        if not page.evaluate("(s) => document.activeElement.matches(s)", inputs):
            tab_to(page, inputs)
        assert_focus_visible(page)
        values: list[str] = page.locator(inputs).evaluate_all("all => all.map(i => i.value)")
        position = values.index(page.evaluate("document.activeElement.value"))
        target = values.index(answer)
        if position == target:
            page.keyboard.press("Space")
        for _ in range(abs(target - position)):
            page.keyboard.press("ArrowDown" if target > position else "ArrowUp")
        expect(page.locator(f"#option-{question}-{answer}")).to_be_checked()
        return
    for value in answer:
        target_id = f"option-{question}-{value}"
        if page.evaluate("document.activeElement.id") != target_id:
            tab_to(page, f"#{target_id}", presses=60)
        assert_focus_visible(page)
        page.keyboard.press("Space")
        expect(page.locator(f"#{target_id}")).to_be_checked()


_HTMX_SETTLED = (
    "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
)


def test_the_checker_with_the_keyboard_alone(page: Page) -> None:
    page.goto(reverse("portal:checker"))
    tab_to(page, "[data-testid=checker-flows] a[data-flow=system]", presses=60)
    assert_focus_visible(page)
    _press_enter_and_wait(page)
    questions = list(EXAMPLE.answers)
    form = page.get_by_test_id("question-form")
    for number, question in enumerate(questions, start=1):
        expect(form).to_have_attribute("data-question", question)
        if number > 1:
            # htmx swapped the question in and, once settled, put the focus on its first answer
            page.wait_for_function(_HTMX_SETTLED)
            first = f"#answer-{question} input"
            assert page.evaluate("(s) => document.activeElement.matches(s)", first), (
                f"after the swap to {question}, the focus is on {focused(page)}"
            )
        _answer_with_the_keyboard(page, question)
        tab_to(page, "[data-testid=next]", presses=60)
        assert_focus_visible(page)
        if number == len(questions):
            _press_enter_and_wait(page)  # the last answer leads to the result page
        else:
            page.keyboard.press("Enter")
    _assert_result_is_aiacts(page)
    # from the result, "Change" an answer with the keyboard: back to that question
    tab_to(page, "[data-testid=answers] a[data-change=placed]", presses=200)
    _press_enter_and_wait(page)
    expect(form).to_have_attribute("data-question", "placed")
    expect(page.locator("#option-placed-not_yet")).to_be_checked()
    _screenshot(page, "portal-checker-keyboard")


# --- the language switcher on the registers ---------------------------------------------------


@pytest.fixture
def registers(transactional_db: None) -> str:
    """A provider with a model with systemic risk (notified) that signed the copyright
    chapter of the Code of Practice; returns the provider's name."""
    name = "Browser Test Labs"
    organisation = accounts.organisation_create(
        actor=None,
        name=name,
        kind=OrganisationKind.GPAI_PROVIDER,
        country="FR",
        established_in_union=True,
    )
    provider = registry.provider_register(actor=None, organisation=organisation)
    model = registry.model_create(actor=None, provider=provider, name="Polyglot")
    today = timezone.now().date()
    version = registry.version_create(
        actor=None,
        model=model,
        label="1.0",
        placed_on_market=today,
        generates=["text"],
        compute_method="reported",
        training_compute_flop=3.8e25,
    )
    registry.notification_submit(
        actor=None,
        version=version,
        data={
            "trigger": "compute_threshold",
            "compute_flop": 3.8e25,
            "estimation_method": "reported by the training cluster",
            "assumptions": "dense model",
            "uncertainty": "10%",
            "trigger_date": today.isoformat(),
        },
    )
    codeofpractice.signature_add(
        actor=None, provider=provider, chapter=Chapter.COPYRIGHT, signed_on=date(2025, 8, 1)
    )
    return name


REGISTERS = [
    ("registry:systemic_risk_models", "", "General-purpose AI models with systemic risk"),
    (
        "codeofpractice:signatories",
        "?chapter=copyright",
        "Signatories of the General-Purpose AI Code of Practice",
    ),
]


@pytest.mark.parametrize(("name", "query", "heading"), REGISTERS, ids=[r[0] for r in REGISTERS])
def test_the_language_switcher_keeps_the_register_page(
    page: Page, registers: str, name: str, query: str, heading: str
) -> None:
    assert_no_serious_violations(page, reverse(name) + query)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("main")).to_contain_text(registers)
    for language in ("fr", "de"):
        with translation.override(language):
            path = reverse(name)
            translated = gettext(heading)
        assert translated != heading, f"{heading!r} has no {language} translation"
        page.select_option("#language-select", language)
        with page.expect_navigation():
            page.locator("form.aio-language button[type=submit]").click()
        assert _path(page) == path + query
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(translated)
        expect(page.locator("main")).to_contain_text(registers)
        expect(page.locator("#language-select")).to_have_value(language)
        if query:
            expect(page.locator("#id_chapter")).to_have_value("copyright")
        assert_no_serious_violations(page)
        _screenshot(page, f"portal-register-{name.split(':')[1]}-{language}")


# --- a question to the Office -----------------------------------------------------------------


def test_a_question_to_the_office_with_the_keyboard_alone(
    page: Page, mailoutbox: list[Any]
) -> None:
    page.goto(reverse("portal:contact"))
    assert_no_serious_violations(page)
    tab_to(page, "[data-testid=contact-question]", presses=60)
    assert_focus_visible(page)
    _press_enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/contact/question/$"))
    assert_no_serious_violations(page)

    # sent empty with Enter: the errors, next to the fields and in the summary
    tab_to(page, "[data-testid=enquiry-form] button[type=submit]", presses=60)
    _press_enter_and_wait(page)
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    _assert_error_next_to(page, "id_subject", "This field is required.")
    assert_no_serious_violations(page)

    tab_to(page, "#id_name", presses=60)
    assert_focus_visible(page)
    page.keyboard.type("Kim Keyboard")
    page.keyboard.press("Tab")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.type("kim@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#id_subject")).to_be_focused()
    page.keyboard.type("Fine-tuning and Article 53")
    page.keyboard.press("Tab")
    expect(page.locator("#id_message")).to_be_focused()
    page.keyboard.type("When does a fine-tune make me the provider of a new model?")
    page.keyboard.press("Tab")
    expect(page.locator("#id_language")).to_be_focused()
    assert_focus_visible(page)
    expect(page.locator("#id_language")).to_have_value("en")
    page.keyboard.press("Tab")
    expect(page.locator("#id_consent")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("[data-testid=enquiry-form] button[type=submit]")).to_be_focused()
    _press_enter_and_wait(page)

    tracking = page.get_by_test_id("tracking-number").inner_text().strip()
    enquiry = Enquiry.objects.get(tracking_number=tracking)
    assert enquiry.subject == "Fine-tuning and Article 53"
    assert_no_serious_violations(page)
    assert [message.to for message in mailoutbox] == [["kim@example.org"]]
    assert tracking in mailoutbox[0].body

    tab_to(page, "[data-testid=status-link]", presses=60)
    _press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(tracking)
    expect(page.get_by_test_id("enquiry-summary")).to_contain_text("Fine-tuning and Article 53")
    assert_no_serious_violations(page)
    _screenshot(page, "portal-enquiry-status")
