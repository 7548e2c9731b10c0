"""WCAG 2.1 AA (EN 301 549) on the public site: axe-core over every public page, in the
real Chromium, and the keyboard.

`PUBLIC_PAGES` is the list of pages anyone can open without signing in. Three tests keep it
whole, so that a new public page cannot escape the checks: every route that answers an
anonymous GET with an HTML page must be in it, so must every page an anonymous visitor
reaches by following links from the home page (with the demo data loaded), and so must
every portal route outside office/. Pages reached
only by sending a form or by a link in an e-mail are `FLOW_PAGES`: the browser test of
their flow checks them with `a11y.assert_no_serious_violations` at each step.

The axe tests run once over the demo platform (`site_audit`), then each public page passes,
fails with its violations, or, while its view is still a placeholder answering 404, skips.
See docs/design/accessibility.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import translation
from django.utils.translation import gettext
from django.views.defaults import server_error
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer
from tests.aioffice.a11y import (
    assert_focus_visible,
    assert_no_serious_violations,
    axe_violations,
    describe,
    focused,
    tab_to,
)

from aioffice import demo
from aioffice.core.testing import TEST_PASSWORD, make_user


@dataclass(frozen=True)
class PublicPage:
    """A page anyone may open. A route with arguments names where they come from: a page
    of the list that links to one (`linked_from`: its first such link in <main> is
    followed) or a query (`find`)."""

    name: str
    linked_from: str | None = None
    find: Callable[[], dict[str, Any] | None] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.name


def _adopted_code() -> dict[str, Any] | None:
    """A public code's adoption page (drafting)."""
    from aioffice.drafting.models_adoption import Adoption

    row = Adoption.objects.filter(project__public=True).select_related("project").first()
    return None if row is None else {"slug": row.project.slug}


def _published_assessment() -> dict[str, Any] | None:
    """A published adequacy assessment of a public code (drafting)."""
    from aioffice.drafting.models_adoption import AdequacyAssessment

    row = (
        AdequacyAssessment.objects.filter(published_on__isnull=False, project__public=True)
        .select_related("project")
        .first()
    )
    return None if row is None else {"slug": row.project.slug, "assessment_id": row.pk}


def _public_draft() -> dict[str, Any] | None:
    """The latest published public version of a public project (drafting)."""
    from aioffice.drafting.models_drafts import Draft

    row = (
        Draft.objects.filter(project__public=True, visibility="public")
        .exclude(status="working")
        .select_related("project")
        .order_by("-number")
        .first()
    )
    return None if row is None else {"slug": row.project.slug, "number": row.number}


def _public_drafts() -> dict[str, Any] | None:
    """A public project's list of versions (drafting)."""
    found = _public_draft()
    return None if found is None else {"slug": found["slug"]}


def _public_comparison() -> dict[str, Any] | None:
    """Two public versions of a public project compared (drafting)."""
    from aioffice.drafting.models_drafts import Draft

    found = _public_draft()
    if found is None:
        return None
    older = (
        Draft.objects.filter(project__slug=found["slug"], visibility="public")
        .exclude(status="working")
        .exclude(number=found["number"])
        .first()
    )
    return None if older is None else {**found, "other": older.number}


def _open_consultation() -> dict[str, Any] | None:
    """A public consultation open now (drafting)."""
    from aioffice.drafting.selectors_consultations import open_public

    row = open_public().first()
    return None if row is None else {"pk": row.pk}


def _published_responses() -> dict[str, Any] | None:
    """A public consultation whose responses are published (drafting)."""
    from aioffice.drafting.models_consultations import Consultation

    row = Consultation.objects.filter(
        audience="public", responses_published_at__isnull=False, draft__project__public=True
    ).first()
    return None if row is None else {"pk": row.pk}


def _published_meeting() -> dict[str, Any] | None:
    """A meeting of an advisory body whose page is public (the demo's held Board meeting)."""
    from aioffice.cooperation import selectors_bodies

    meeting = selectors_bodies.meetings_public().first()
    return None if meeting is None else {"pk": meeting.pk}


PUBLIC_PAGES: list[PublicPage] = [
    # the portal
    PublicPage("portal:home"),
    PublicPage("portal:guidance_list"),
    PublicPage("portal:guidance_detail", linked_from="portal:guidance_list"),
    PublicPage("portal:guidance_similar", linked_from="portal:guidance_detail"),
    PublicPage("portal:news_list"),
    PublicPage("portal:news_detail", linked_from="portal:news_list"),
    PublicPage("portal:checker"),
    PublicPage("portal:checker_step", linked_from="portal:checker"),
    PublicPage("portal:updates_signup"),
    PublicPage("portal:updates_sent"),
    PublicPage("portal:call_list"),
    PublicPage("portal:call_detail", linked_from="portal:call_list"),
    PublicPage("portal:contact"),
    PublicPage("portal:enquiry_new"),
    PublicPage("portal:literacy_list"),
    PublicPage("portal:literacy_detail", linked_from="portal:literacy_list"),
    PublicPage("portal:literacy_share"),
    PublicPage("portal:support_list"),
    PublicPage("portal:report"),
    PublicPage("portal:accessibility"),
    # the public registers
    PublicPage("registry:systemic_risk_models"),
    PublicPage("codeofpractice:signatories"),
    PublicPage("documentation:public_training_summaries"),
    PublicPage(
        "documentation:public_training_summary",
        linked_from="documentation:public_training_summaries",
    ),
    # cooperation in the Union: the public index and each part's public pages
    PublicPage("cooperation:public_home"),
    PublicPage("cooperation:authority_directory"),
    PublicPage("cooperation:authority_member_state", linked_from="cooperation:authority_directory"),
    PublicPage("cooperation:authority_detail", linked_from="cooperation:authority_directory"),
    PublicPage("cooperation:bodies_public"),
    PublicPage("cooperation:body_public", linked_from="cooperation:bodies_public"),
    PublicPage("cooperation:meeting_public", find=_published_meeting),
    PublicPage("cooperation:sandbox_list"),
    PublicPage("cooperation:sandbox_public", linked_from="cooperation:sandbox_list"),
    PublicPage("cooperation:rwt_public"),
    PublicPage("cooperation:database_search"),
    PublicPage("cooperation:database_detail", linked_from="cooperation:database_search"),
    PublicPage("cooperation:international_public"),
    PublicPage(
        "cooperation:international_agreement", linked_from="cooperation:international_public"
    ),
    PublicPage("cooperation:international_partners"),
    PublicPage(
        "cooperation:international_partner", linked_from="cooperation:international_partners"
    ),
    # codes of practice and guidance in preparation, and their consultations (drafting)
    PublicPage("drafting:public_home"),
    PublicPage("drafting:project", linked_from="drafting:public_home"),
    PublicPage("drafting:group", linked_from="drafting:project"),
    PublicPage("drafting:meeting", linked_from="drafting:project"),
    PublicPage("drafting:drafts", find=_public_drafts),
    PublicPage("drafting:draft", find=_public_draft),
    PublicPage("drafting:draft_compare", find=_public_comparison),
    PublicPage("drafting:draft_export", find=_public_draft),
    PublicPage("drafting:consultation", find=_open_consultation),
    PublicPage("drafting:consultation_responses", find=_published_responses),
    PublicPage("drafting:adoption", find=_adopted_code),
    PublicPage("drafting:assessment", find=_published_assessment),
    # reporting anonymously
    PublicPage("supervision:whistleblower_new"),
    PublicPage("supervision:whistleblower_inbox"),
    # signing in
    PublicPage("accounts:login"),
]

# Public pages reached only by sending a form or following a link sent by e-mail: the
# browser test of the flow runs `assert_no_serious_violations` on them.
FLOW_PAGES: dict[str, str] = {
    "portal:checker_result": "the checker's result, after its questions",
    "portal:call_apply": "an application sent with errors (POST only; the form is on the call)",
    "portal:call_applied": "the confirmation of an application, after the form",
    "portal:enquiry_status": "a question's answer, by the link sent after the question",
    "portal:updates_confirm": "the sign-up's confirmation, by the link sent by e-mail",
    "portal:updates_topics": "a subscriber's topics, by the link in every message",
    "portal:updates_unsubscribe": "unsubscribing, by the link in every message",
    "drafting:response_confirm": "a respondent's e-mail confirmation, by the link sent by e-mail",
}

# Public routes of the portal that answer with something other than a page.
NOT_PAGES: dict[str, str] = {
    "portal:guidance_file": "a guidance document's file (PDF)",
    "portal:news_feed": "the news feed (Atom)",
    "drafting:consultation_responses_csv": "a consultation's published responses (CSV)",
}

# Public HTML that is not the Office's public site, with the reason.
NOT_AUDITED: dict[str, str] = {
    "api:openapi-view": "the API's interactive documentation (Swagger UI, for developers)",
}
NOT_AUDITED_NAMESPACES: dict[str, str] = {
    "admin": "Django's administration: staff only, Django's own templates",
}

LANGUAGES = ("en", "fr", "de")


# --- the list is whole --------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    has_arguments: bool


def _routes(
    patterns: list[URLPattern | URLResolver],
    namespace: str = "",
    prefix: str = "",
    args: bool = False,
) -> Iterator[Route]:
    for pattern in patterns:
        regex = getattr(pattern.pattern, "regex", None)
        has_arguments = args or bool(regex is not None and regex.groups)
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, inner, text, has_arguments)
        elif pattern.name:
            yield Route(f"{namespace}{pattern.name}", text, has_arguments)


def all_routes() -> list[Route]:
    return list(_routes(get_resolver().url_patterns))


def _audited_names() -> set[str]:
    return (
        {page.name for page in PUBLIC_PAGES} | set(FLOW_PAGES) | set(NOT_AUDITED) | set(NOT_PAGES)
    )


def _is_html_page(response: Any) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def _exempt(name: str) -> bool:
    return name in _audited_names() or name.split(":")[0] in NOT_AUDITED_NAMESPACES


def test_every_public_page_is_in_the_list(db: None) -> None:
    """Every route that answers an anonymous GET without arguments with an HTML page."""
    client = Client(raise_request_exception=False)
    missing = []
    for route in all_routes():
        if route.has_arguments or _exempt(route.name):
            continue
        if _is_html_page(client.get(reverse(route.name))):
            missing.append(f"{route.name} (/{route.path})")
    assert not missing, f"public pages missing from PUBLIC_PAGES: {', '.join(missing)}"


def test_every_portal_route_for_the_public_is_in_the_list() -> None:
    """The portal's routes outside office/ (its staff pages) are public: each is in the
    list, found through a link or a query, checked by the test of its flow, or not a page."""
    names = {page.name for page in PUBLIC_PAGES} | set(FLOW_PAGES) | set(NOT_PAGES)
    missing = [
        f"{route.name} (/{route.path})"
        for route in all_routes()
        if route.name.startswith("portal:")
        and not route.path.startswith("office/")
        and route.name not in names
    ]
    assert not missing, (
        "public portal routes missing from PUBLIC_PAGES (or FLOW_PAGES for a page reached "
        f"only by a form or an e-mail, NOT_PAGES for a file): {', '.join(missing)}"
    )


def test_the_list_names_routes_that_exist() -> None:
    names = {route.name for route in all_routes()}
    stale = sorted(_audited_names() - names)
    assert not stale, f"no such route: {', '.join(stale)}"
    earlier: set[str] = set()
    for page in PUBLIC_PAGES:
        assert page.linked_from is None or page.linked_from in earlier, (
            f"{page}: linked from {page.linked_from}, which must come before it in the list"
        )
        earlier.add(page.name)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _route_name(href: str) -> tuple[str, str] | None:
    """The route a link of the site goes to and its path, or None for another site."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or (parts.netloc not in ("", "testserver")):
        return None
    if not parts.path.startswith("/"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.view_name, parts.path


def test_every_page_linked_from_the_public_site_is_in_the_list(
    db: None, settings: Settings, tmp_path: Path
) -> None:
    """Following the links from the home page (and every page of the list) with the demo
    data, every HTML page an anonymous visitor reaches is in the list."""
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load_once()
    client = Client(raise_request_exception=False)
    queue = [reverse(page.name) for page in PUBLIC_PAGES if not _needs_arguments(page.name)]
    seen = {resolve(path).view_name for path in queue}
    escaped = []
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        if not _is_html_page(response):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = _route_name(href)
            if target is None or target[0] in seen:
                continue
            name, target_path = target
            seen.add(name)
            if name.split(":")[0] in NOT_AUDITED_NAMESPACES or name in NOT_AUDITED:
                continue
            if name not in _audited_names() and _is_html_page(client.get(target_path)):
                escaped.append(f"{name} ({target_path}, linked from {path})")
            queue.append(target_path)
    assert not escaped, f"public pages missing from PUBLIC_PAGES: {', '.join(escaped)}"


def _needs_arguments(name: str) -> bool:
    return any(route.has_arguments for route in all_routes() if route.name == name)


# --- axe-core over every public page --------------------------------------------------------


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@dataclass
class PageResult:
    url: str | None = None
    status: int | None = None
    skip: str | None = None
    violations: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def _audits() -> dict[str, PageResult]:
    return {}


_SHELL_CHECKS = """
() => {
  const problems = [];
  const positive = [...document.querySelectorAll("[tabindex]")].filter((e) => e.tabIndex > 0);
  if (positive.length) { problems.push(`positive tabindex on ${positive.length} element(s)`); }
  if (document.querySelectorAll("h1").length !== 1) {
    problems.push(`${document.querySelectorAll("h1").length} h1 headings, not one`);
  }
  if (!document.title.trim()) { problems.push("no title"); }
  if (!document.querySelector("main#main-content")) { problems.push("no main#main-content"); }
  return problems;
}
"""


# WCAG 1.4.10 Reflow: at 320 CSS pixels nothing makes the page scroll sideways. Content that
# needs two dimensions (a data table) scrolls in its own box, .aio-table-scroll, not the page.
_OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  return [...document.body.querySelectorAll("*")]
    .filter((element) => !element.parentElement.closest(".aio-table-scroll"))
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.right > width + 1;
    })
    .slice(0, 3)
    .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`);
}
"""


def _reflow_problems(page: Page) -> list[str]:
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    wide: list[str] = page.evaluate(_OVERFLOW)
    if size is not None:
        page.set_viewport_size(size)
    return [f"wider than 320 px (WCAG 1.4.10): {', '.join(wide)}"] if wide else []


def _find_url(
    page: Page, live_server: LiveServer, public: PublicPage, found: dict[str, PageResult]
) -> PageResult:
    """Where the page is, or why it cannot be audited yet (`found`: the pages before it)."""
    if public.find is not None:
        kwargs = public.find()
        if kwargs is None:
            return PageResult(skip=f"{public.name}: nothing in the database to show")
        return PageResult(url=reverse(public.name, kwargs=kwargs))
    if public.linked_from is None:
        return PageResult(url=reverse(public.name))
    source = found[public.linked_from].url
    if source is None or found[public.linked_from].skip:
        return PageResult(skip=f"{public.name}: {found[public.linked_from].skip}")
    response = page.goto(source)
    if response is None or response.status != 200:
        status = response.status if response else None
        return PageResult(skip=f"{public.name}: {public.linked_from} ({source}) answers {status}")
    hrefs: list[str] = page.locator("main a[href]").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    for href in hrefs:
        target = _route_name(href.replace(live_server.url, ""))
        if target is not None and target[0] == public.name:
            return PageResult(url=target[1])
    return PageResult(skip=f"{public.name}: no link to one on {public.linked_from} ({source})")


def _audit(
    page: Page, live_server: LiveServer, public: PublicPage, found: dict[str, PageResult]
) -> PageResult:
    result = _find_url(page, live_server, public, found)
    if result.url is None:
        return result
    response = page.goto(result.url)
    result.status = response.status if response is not None else None
    if result.status == 404:
        result.skip = f"{public.name} ({result.url}) answers 404: its page is being built"
        return result
    if result.status != 200:
        return result
    result.violations = axe_violations(page)
    result.problems = [*page.evaluate(_SHELL_CHECKS), *_reflow_problems(page)]
    return result


def _submit_a_training_summary() -> None:
    from aioffice.registry.documentation import services
    from aioffice.registry.models import ModelVersion

    version = ModelVersion.objects.order_by("pk").first()
    assert version is not None, "the demo has no model version"
    services.submission_submit(
        actor=None,
        submission=services.submission_save_draft(
            actor=None,
            version=version,
            doc_type="training_summary",
            content={"user_data": "Public forums and licensed data (demo)."},
        ),
    )


@pytest.fixture
def site_audit(
    _audits: dict[str, PageResult],
    page: Page,
    live_server: LiveServer,
    settings: Settings,
    tmp_path: Path,
) -> dict[str, PageResult]:
    """axe-core over every public page of the demo platform, once per test module (each
    test's database is emptied after it, so the first test audits every page)."""
    if not _audits:
        settings.VAR_DIR = tmp_path
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        demo.load_once()
        _submit_a_training_summary()
        for public in PUBLIC_PAGES:
            _audits[public.name] = _audit(page, live_server, public, _audits)
    return _audits


@pytest.mark.browser
@pytest.mark.parametrize("public", PUBLIC_PAGES, ids=str)
def test_axe_finds_no_serious_violation(
    site_audit: dict[str, PageResult], public: PublicPage
) -> None:
    result = site_audit[public.name]
    if result.skip:
        pytest.skip(result.skip)
    assert result.status == 200, f"{public.name} ({result.url}) answered {result.status}"
    assert not result.violations, f"axe-core on {result.url}:\n{describe(result.violations)}"
    assert not result.problems, f"{result.url}: {'; '.join(result.problems)}"


@pytest.mark.browser
def test_the_harness_finds_what_it_is_meant_to_find(page: Page) -> None:
    """axe-core runs in the page and reports broken rules (a check that cannot fail is none)."""
    page.set_content(
        "<html><head><title>Broken</title></head><body><main id=main-content><h1>Broken</h1>"
        "<img src='data:,'><input type=text><a href='/'></a></main></body></html>"
    )
    found = {rule["id"] for rule in axe_violations(page)}
    assert {"html-has-lang", "image-alt", "label", "link-name"} <= found, found
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_serious_violations(page)
    with pytest.raises(pytest.fail.Exception, match="never got the focus"):
        tab_to(page, "#nowhere", presses=3)
    page.set_content(
        "<main><div class=wide style='width: 400px'>x</div><table class=bare style='width: 900px'>"
        "<tr><td>a table scrolls the page</td></tr></table><div class=aio-table-scroll"
        " style='overflow-x: auto'><table style='width: 900px'><tr><td>a table may scroll in its"
        " box</td></tr></table></div></main>"
    )
    assert _reflow_problems(page) == [
        "wider than 320 px (WCAG 1.4.10): div.wide, table.bare, tbody."
    ]


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name", ["portal:home", "registry:systemic_risk_models", "codeofpractice:signatories"]
)
def test_the_page_is_in_its_language_and_accessible(page: Page, language: str, name: str) -> None:
    with translation.override(language):
        url = reverse(name)
    assert_no_serious_violations(page, url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    # each language's name is marked in its own language, for screen readers to say it right
    options = page.locator("#language-select option")
    assert options.evaluate_all("options => options.map(o => [o.value, o.lang])") == [
        [code, code] for code in LANGUAGES
    ]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("accounts:login", "Log in"),
        # sent from a real browser: the pages' referrer policy must let the CSRF check pass
        ("supervision:whistleblower_new", "Send the report"),
        ("supervision:whistleblower_inbox", "Open"),
    ],
)
def test_a_form_sent_empty_shows_its_errors_accessibly(page: Page, name: str, button: str) -> None:
    page.goto(reverse(name))
    with page.expect_navigation() as sent:
        page.locator("main").get_by_role("button", name=button).click()
    response = sent.value
    assert response is not None and response.status == 200, (
        f"{name}: the form sent from the browser answered {response and response.status}"
    )
    invalid = page.locator("main [aria-invalid=true]")
    expect(invalid.first).to_be_visible()
    # one summary on top takes the focus and links each error to its field
    summary = page.get_by_test_id("error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_focused()
    targets = summary.locator("a").evaluate_all("links => links.map(a => a.hash)")
    assert targets, "the summary links to no field"
    for target in targets:
        expect(page.locator(target)).to_have_attribute("aria-invalid", "true")
    for field_id in invalid.evaluate_all("fields => fields.map(f => f.id)"):
        error = page.locator(f"#{field_id}").get_attribute("aria-describedby")
        assert error, f"#{field_id} is invalid but names no error message"
        for error_id in error.split():
            expect(page.locator(f"#{error_id}")).not_to_be_empty()
    assert_no_serious_violations(page)


@pytest.mark.browser
@pytest.mark.parametrize("name", ["portal:home", "accounts:login", "supervision:whistleblower_new"])
def test_the_page_reflows_on_a_narrow_screen(page: Page, name: str) -> None:
    """WCAG 1.4.10 Reflow: usable at 320 CSS pixels wide (1280 px zoomed to 400 %) without
    scrolling sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_serious_violations(page, reverse(name))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.locator("nav.aio-menu [data-nav=home]")).to_be_visible()
    expect(page.locator("#language-select")).to_be_visible()


@pytest.mark.browser
def test_the_error_pages_are_accessible(page: Page) -> None:
    response = page.goto("/fr/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_no_serious_violations(page)
    # the server error page stands alone (no base.html, no database): rendered as Django does
    with translation.override("de"):
        page.set_content(server_error(RequestFactory().get("/de/")).content.decode())
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("main h1")).to_be_visible()
    assert_no_serious_violations(page)


# --- the keyboard -----------------------------------------------------------------------------


@pytest.mark.browser
def test_the_skip_link_is_the_first_tab_stop_and_moves_the_focus_to_the_content(
    page: Page,
) -> None:
    page.goto(reverse("registry:systemic_risk_models"))
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_class(re.compile(r"\becl-skip-link\b"))
    expect(skip).to_have_text("Skip to main content")
    expect(skip).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content", focused(page)
    # the next Tab goes on inside the content, not back to the header
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), focused(page)


@pytest.mark.browser
def test_every_tab_stop_of_the_shell_shows_the_focus(page: Page) -> None:
    page.goto(reverse("portal:home"))
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        description = focused(page)
        if stops and description == stops[0]:
            break
        stops.append(description)
        assert_focus_visible(page)
    assert len(stops) > 10, stops


@pytest.mark.browser
def test_the_language_switcher_works_with_the_keyboard_alone_and_keeps_the_page(
    page: Page,
) -> None:
    page.goto(reverse("registry:systemic_risk_models"))
    for language in ("fr", "de"):
        with translation.override(language):
            heading = gettext("General-purpose AI models with systemic risk")
        tab_to(page, "#language-select")
        assert_focus_visible(page)
        page.keyboard.press("ArrowDown")  # en -> fr -> de: a closed select changes in place
        expect(page.locator("#language-select")).to_have_value(language)
        tab_to(page, "form.aio-language button[type=submit]")
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"/{language}/registers/systemic-risk-models/$"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)


@pytest.mark.browser
def test_the_login_form_can_be_completed_with_the_keyboard(page: Page) -> None:
    make_user(None, "keyboard-user")
    page.goto(reverse("accounts:login"))
    tab_to(page, "#id_username")
    assert_focus_visible(page)
    page.keyboard.type("keyboard-user")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Tab")
    expect(page.locator("main button[type=submit]")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator(".aio-user")).to_have_text("keyboard-user")
