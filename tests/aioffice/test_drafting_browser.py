"""The drafting pages' flows in the real Chromium, against pytest-django's live server:

- a visitor finds the open public consultation from /codes/, reads the draft's sections on
  it, answers (one section supported, one opposed with wording, a general comment, to be
  published without their name), sees their reference, and confirms their e-mail address
  by the link sent to it;
- a chair compares version 2 of a draft with version 1: the side-by-side table shows the
  changed section with the drafters' explanation, and "changed only" hides the rest;
- Office staff (with the second factor) analyse a consultation of about thirty comments with
  a campaign in it: the themes chart, a theme's quotes, the campaign, and a paraphrase found
  by the search box;
- a provider's member signs a chapter of an adopted code and finds the first implementation
  report on their deadlines; the public adoption page lists the provider under that chapter;
- the response form filled and sent with the keyboard alone (Tab, Space, arrows, Enter).

axe-core (tests/aioffice/a11y.py) runs on every page the flows reach. The data is built
with the drafting tests' worlds (tests/aioffice/drafting/*_world.py); every text is ours.
The live server runs in this process: `mailoutbox` holds the messages the flows send.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from tests.aioffice.a11y import assert_focus_visible, assert_no_serious_violations, tab_to
from tests.aioffice.drafting import analysis_world, consultations_world, drafts_world
from tests.aioffice.drafting.test_adoption_world import build as adoption_build
from tests.aioffice.drafting.test_adoption_world import opened

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import TEST_PASSWORD, make_user, totp_device
from aioffice.drafting.choices import LegalBasis, ProjectKind, ProjectStatus, StakeholderCategory
from aioffice.drafting.models_adoption import CodeSignature
from aioffice.drafting.models_consultations import (
    Confidentiality,
    Consultation,
    Feedback,
    IdentityCheck,
    Position,
    Response,
)
from aioffice.drafting.models_projects import Project, ProjectRole, RoleKind

pytestmark = pytest.mark.browser

# more comments for the analysis flow (ours), none near the campaign or the two themes
MORE_COMMENTS = [
    "The glossary should define what counts as a substantial modification of a model.",
    "Small and medium-sized enterprises need templates they can fill in without lawyers.",
    "The code should say how often the Office reviews the measures it lists.",
    "We ask for a transition period of twelve months for models already on sale.",
    "Open-source releases deserve lighter duties where the weights are public.",
    "The plenary agenda reached us two days before the meeting, far too late.",
    "Please number every paragraph so that comments can point at them precisely.",
    "Translations of the draft into all official languages would widen participation.",
    "Independent auditors should be accredited before they assess any signatory.",
    "The annexes mix examples and obligations; keep the examples in a separate guide.",
    "Whistleblowers inside providers should be told where to turn under the code.",
]
PARAPHRASE = "training runs should disclose the energy they consume, estimated when not metered"


@pytest.fixture
def world(transactional_db: None, settings: Settings, tmp_path: Path) -> dict[str, Any]:
    """A public code of practice in drafting, its Office runner (a policy officer) and a
    chair; fast password hashing, files and the var folder in tmp_path."""
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SEMANTIC_EMBEDDER = "lexical"  # fast, no model to load
    runner = make_user(Role.POLICY_OFFICER, "drafting-runner")
    project = Project.objects.create(
        slug="browser-code",
        title="Browser test code of practice for general-purpose AI models",
        kind=ProjectKind.CODE_OF_PRACTICE,
        legal_basis=LegalBasis.ART56,
        citation="Art. 56",
        summary="A code written for the browser tests.",
        status=ProjectStatus.DRAFTING,
        public=True,
        gpai_code=True,
        created_by=runner,
    )
    chair = make_user(None, "drafting-chair")
    ProjectRole.objects.create(
        project=project,
        user=chair,
        kind=RoleKind.CHAIR,
        affiliation="Browser University",
        independence_statement="I hold no interest in any provider (browser test).",
        appointed_on=datetime.date(2026, 9, 1),
    )
    return {"project": project, "runner": runner, "chair": chair}


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, world: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def _sign_in(page: Page, user: User, then: str) -> None:
    """Sign in through the login form, sent on to `then` (Office staff: after the second
    factor, with a code of their authenticator device)."""
    device = None
    if user.is_office_staff:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
    page.goto(f"{reverse('accounts:login')}?next={then}")
    assert_no_serious_violations(page)
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    if device is not None:
        expect(page).to_have_url(re.compile(r"/accounts/second-factor/"))
        assert_no_serious_violations(page)
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        page.fill("#id_token", f"{code:0{device.digits}d}")
        page.get_by_role("button", name="Verify").click()
    expect(page.locator(".aio-user")).to_have_text(user.username)
    expect(page).to_have_url(re.compile(rf"{re.escape(then)}$"))


def _confirm_link(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/consultations/confirm/\S+/)", str(message.body))
    assert found, f"no confirmation link in:\n{message.body}"
    return found[1]


def _open_consultation(world: dict[str, Any]) -> Consultation:
    draft = consultations_world.published_draft(world["project"], world["runner"])
    return consultations_world.open_consultation(draft, world["runner"])


def _field(consultation: Consultation, key: str | None, name: str) -> str:
    """The id of a section's field on the response form (key None: the general comment)."""
    if key is None:
        return f"#id_sgeneral-{name}"
    section = consultations_world.section(consultation.draft, key)
    return f"#id_s{section.pk}-{name}"


# --- 1. the public answers a consultation -----------------------------------------------------


def test_a_visitor_answers_a_public_consultation_and_confirms_their_address(
    page: Page, world: dict[str, Any], mailoutbox: list[Any]
) -> None:
    consultation = _open_consultation(world)
    url = reverse("drafting:consultation", args=[consultation.pk])

    page.goto(reverse("drafting:public_home"))
    assert_no_serious_violations(page)
    page.locator(f"main a[href='{url}']").first.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(consultation.title)
    # the draft is read on the form: each section with its text, then the general comment
    sections = page.get_by_test_id("respond-section")
    expect(sections).to_have_count(len(consultations_world.SECTION_KEYS) + 1)
    expect(sections.first).to_contain_text("The signatories keep their transparency promises")
    assert_no_serious_violations(page)

    # sent without a name or address: the errors are on the fields, the form accessible
    form = page.get_by_test_id("respond-form")
    form.get_by_role("button", name="Send my response").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert_no_serious_violations(page)
    assert not Response.objects.exists()

    page.fill("#id_name", "Robin Visitor")
    page.fill("#id_organisation", "")
    page.locator("#id_category").select_option(StakeholderCategory.INDIVIDUAL)
    page.fill("#id_email", "robin@example.org")
    page.get_by_label("Publish without my name or organisation").check()
    page.locator(_field(consultation, "transparency", "position")).select_option(Position.SUPPORT)
    page.locator(_field(consultation, "documentation", "position")).select_option(Position.OPPOSE)
    page.fill(_field(consultation, "documentation", "comment"), "Ten years is longer than needed.")
    page.fill(
        _field(consultation, "documentation", "wording"),
        "The signatories keep their documentation for five years (browser test).",
    )
    page.fill(_field(consultation, None, "comment"), "A clear draft overall (browser test).")
    form.get_by_role("button", name="Send my response").click()

    reference = page.get_by_test_id("response-reference")
    expect(reference).to_be_visible()
    response = Response.objects.get(consultation=consultation)
    expect(reference).to_contain_text(response.reference)
    assert_no_serious_violations(page)
    assert response.confidentiality == Confidentiality.ANONYMOUS
    assert response.identity_check == IdentityCheck.EMAIL_UNCONFIRMED
    items = {
        (item.section.key if item.section else None): item
        for item in Feedback.objects.filter(response=response).select_related("section")
    }
    assert {key: item.position for key, item in items.items()} == {
        "transparency": Position.SUPPORT,
        "documentation": Position.OPPOSE,
        None: Position.COMMENT,
    }
    assert items["documentation"].proposed_wording.startswith("The signatories keep their")

    # the link sent to the address confirms it
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["robin@example.org"]
    assert response.reference in mailoutbox[0].subject
    page.goto(_confirm_link(mailoutbox[0]))
    expect(page.get_by_test_id("confirmed")).to_contain_text(response.reference)
    assert_no_serious_violations(page)
    response.refresh_from_db()
    assert response.identity_check == IdentityCheck.EMAIL_CONFIRMED
    # a wrong link says so
    answer = page.goto(reverse("drafting:response_confirm", args=["not-a-token"]))
    assert answer is not None and answer.status == 404
    expect(page.get_by_test_id("not-confirmed")).to_be_visible()
    assert_no_serious_violations(page)


# --- 2. a chair compares two versions ----------------------------------------------------------


def test_a_chair_compares_version_two_with_version_one(page: Page, world: dict[str, Any]) -> None:
    project = world["project"]
    drafts_world.published_pair(world["runner"], project, visibility="working_groups")
    second = reverse("drafting:draft", args=[project.slug, 2])
    _sign_in(page, world["chair"], second)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Test code, second draft")
    assert_no_serious_violations(page)

    page.get_by_test_id("draft-actions").get_by_role("link", name="Compare with version 1").click()
    compare = reverse("drafting:draft_compare", args=[project.slug, 2, 1])
    expect(page).to_have_url(re.compile(rf"{re.escape(compare)}$"))
    changed = page.locator("#diff-t-measure-1")
    expect(changed).to_have_attribute("data-status", "changed")
    expect(changed).to_contain_text("The drafters set a floor, as many respondents asked.")
    # the word-level difference: the added words are marked as such
    expect(changed.locator("ins").first).to_contain_text("at least")
    expect(page.locator("#diff-t-kpi-1")).to_have_attribute("data-status", "unchanged")
    assert_no_serious_violations(page)

    page.get_by_test_id("changed-only").click()
    expect(page).to_have_url(re.compile(r"\?changed=1$"))
    rows = page.locator("[data-testid=comparison] tbody tr")
    shown = rows.evaluate_all("rows => rows.map(row => [row.dataset.status, !!row.dataset.moved])")
    statuses = {status for status, _ in shown}
    assert {"changed", "added", "removed"} <= statuses, shown
    assert all(status != "unchanged" or moved for status, moved in shown), shown
    expect(page.locator("#diff-t-measure-1")).to_be_visible()
    expect(page.locator("#diff-t-kpi-1")).to_have_count(0)
    assert_no_serious_violations(page)
    page.get_by_test_id("show-all").click()
    expect(page.locator("#diff-t-kpi-1")).to_have_count(1)


# --- 3. the Office analyses a consultation -----------------------------------------------------


def _analysis_consultation(world: dict[str, Any]) -> analysis_world.World:
    """The analysis tests' consultation (a campaign of six, two themes, general comments, a
    confidential response) and eleven more unrelated comments: thirty feedback items."""
    built = analysis_world.build(world["project"], world["runner"])
    for number, text in enumerate(MORE_COMMENTS, start=1):
        response = Response.objects.create(
            consultation=built.consultation,
            reference=f"T-BR-{number:04d}",
            name=f"Browser respondent {number}",
            category=StakeholderCategory.INDIVIDUAL,
            identity_check=IdentityCheck.EMAIL_CONFIRMED,
            confidentiality=Confidentiality.PUBLIC,
            submitted_at=analysis_world.OPENS + datetime.timedelta(days=1, hours=number),
        )
        Feedback.objects.create(response=response, section=None, position="comment", comment=text)
    return built


def test_office_staff_analyse_a_consultation_with_a_campaign(
    page: Page, world: dict[str, Any]
) -> None:
    built = _analysis_consultation(world)
    assert Feedback.objects.filter(response__consultation=built.consultation).count() == 30
    home = reverse("drafting:analysis", args=[built.consultation.pk])
    _sign_in(page, world["runner"], home)
    expect(page.get_by_role("heading", level=1)).to_contain_text("AI tools")
    assert_no_serious_violations(page)

    # a run, in the background (the test settings run it at once); its page when done
    page.get_by_test_id("run-form").get_by_role("button", name="Analyse the feedback").click()
    expect(page).to_have_url(re.compile(r"/analysis/runs/\d+/$"))
    expect(page.get_by_test_id("run-status")).to_have_text("Done")
    themes = page.get_by_test_id("themes")
    expect(themes.locator("meter").first).to_be_visible()
    campaigns = page.get_by_test_id("campaigns")
    expect(campaigns.locator("tbody tr")).to_have_count(1)
    expect(campaigns.locator("tbody tr td").first).to_have_text("6")
    assert_no_serious_violations(page)

    # the biggest theme's page: its quotes, each with the response it comes from
    themes.locator("tbody tr th a").first.click()
    expect(page).to_have_url(re.compile(r"/analysis/groups/\d+/$"))
    expect(page.locator("main blockquote, main q, main [data-testid=quotes]").first).to_be_visible()
    assert_no_serious_violations(page)
    page.go_back()

    # the campaign's page lists its six members
    campaigns.locator("tbody tr th a").click()
    expect(page.locator("main")).to_contain_text(analysis_world.CAMPAIGN[0][:50])
    assert_no_serious_violations(page)

    # the search box: a paraphrase finds the energy comments first
    page.goto(home)
    search = page.get_by_test_id("search-form")
    search.locator("input[name=q]").fill(PARAPHRASE)
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?.*q="))
    results = page.get_by_test_id("results")
    expect(results).to_be_visible()
    first = results.locator("tbody tr").first
    expect(first).to_contain_text(re.compile("energy", re.IGNORECASE))
    energy = [row.comment for row in built.energy] + [
        text for text, key in analysis_world.GENERAL.items() if key == "energy"
    ]
    text = first.inner_text()
    assert any(comment[:40] in text for comment in energy), text
    assert_no_serious_violations(page)


# --- 4. a provider signs a chapter of an adopted code ---------------------------------------


def test_a_provider_signs_a_chapter_and_the_public_sees_it(
    page: Page, world: dict[str, Any], browser: Browser, live_server: LiveServer
) -> None:
    adoption = adoption_build(world["project"], world["runner"])
    opening = opened(adoption)
    member = adoption.alpha_member
    _sign_in(page, member, reverse("drafting:my_home"))
    codes = page.get_by_test_id("codes-to-sign")
    expect(codes).to_contain_text(world["project"].title)
    assert_no_serious_violations(page)
    codes.get_by_role("link", name=world["project"].title).click()
    expect(page).to_have_url(re.compile(r"/drafting/codes/browser-code/sign/$"))
    assert_no_serious_violations(page)

    form = page.get_by_test_id("sign-form")
    form.get_by_label("Sign for").select_option(str(adoption.alpha.pk))
    box = form.locator(f"input[name=chapters][value='{adoption.transparency.pk}']")
    box.check()  # a native box, seen and clicked like any other
    form.get_by_role("button", name="Sign").click()
    mine = page.get_by_test_id("my-signatures")
    expect(mine.locator("tbody tr")).to_have_count(1)
    expect(mine).to_contain_text("Alpha Models (test)")
    assert_no_serious_violations(page)
    assert CodeSignature.objects.filter(provider=adoption.alpha).count() == 1

    # the first implementation report is on the provider's deadlines, due on the date set
    page.goto(reverse("supervision:my_deadlines"))
    expect(page.locator("main")).to_contain_text(opening.first_report_due.isoformat())
    assert_no_serious_violations(page)

    # the public adoption page: the provider under the chapter signed, not under the other
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    visitor = context.new_page()
    try:
        visitor.goto(reverse("drafting:adoption", args=[world["project"].slug]))
        signed = visitor.get_by_test_id(f"signatories-{adoption.transparency.key}")
        expect(signed).to_contain_text("Alpha Models (test)")
        expect(visitor.get_by_test_id(f"signatories-{adoption.safety.key}")).to_have_count(0)
        assert_no_serious_violations(visitor)
    finally:
        context.close()


# --- 5. the response form with the keyboard alone ---------------------------------------------


def test_the_response_form_is_filled_and_sent_with_the_keyboard(
    page: Page, world: dict[str, Any], mailoutbox: list[Any]
) -> None:
    consultation = _open_consultation(world)
    page.goto(reverse("drafting:consultation", args=[consultation.pk]))

    tab_to(page, "#id_name", presses=80)
    assert_focus_visible(page)
    page.keyboard.type("Kai Keys")
    page.keyboard.press("Tab")  # the organisation: left empty
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_category"
    page.keyboard.type("Individual")  # a closed select picks the option typed
    page.keyboard.press("Tab")
    page.keyboard.type("kai@example.org")
    # the publication choice: a radio group, reached by Tab, chosen by the arrows and Space
    tab_to(page, "input[name=confidentiality]")
    assert_focus_visible(page)
    page.keyboard.press("Space")
    for _ in range(len(Confidentiality.values)):
        if page.evaluate("document.activeElement.value") == Confidentiality.CONFIDENTIAL:
            break
        page.keyboard.press("ArrowDown")
    confidential = f"input[name=confidentiality][value={Confidentiality.CONFIDENTIAL}]"
    expect(page.locator(confidential)).to_be_checked()
    # a position on the first section, then the general comment
    tab_to(page, _field(consultation, "transparency", "position"))
    page.keyboard.type("Support")
    tab_to(page, _field(consultation, None, "comment"), presses=60)
    page.keyboard.type("Sent with the keyboard alone (browser test).")
    tab_to(page, "[data-testid=respond-form] button[type=submit]")
    assert_focus_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_test_id("response-reference")).to_be_visible()
    response = Response.objects.get(consultation=consultation)
    assert response.name == "Kai Keys"
    assert response.category == StakeholderCategory.INDIVIDUAL
    assert response.confidentiality == Confidentiality.CONFIDENTIAL
    positions = sorted(
        (item.section.key if item.section else "", item.position)
        for item in Feedback.objects.filter(response=response).select_related("section")
    )
    assert positions == [("", Position.COMMENT), ("transparency", Position.SUPPORT)]
    assert len(mailoutbox) == 1
    assert_no_serious_violations(page)
