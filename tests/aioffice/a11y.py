"""Accessibility checks for the browser tests: axe-core in the page, and the keyboard.

Any browser test can use them (`from tests.aioffice.a11y import ...`):

- `assert_no_serious_violations(page, url)`: open `url` (or stay on the page) and fail if
  axe-core finds a serious or critical violation of WCAG 2.0/2.1 level A or AA;
- `axe_violations(page)`: the violations themselves, to look at or filter;
- `tab_to(page, selector)`: press Tab until the element matching `selector` has the focus,
  failing after `presses` presses with the list of what got the focus on the way;
- `assert_focus_visible(page)`: the focused element shows that it has the focus.

axe-core comes from npm (package.json, installed by `make assets`); it is injected into the
page under test, never served by the platform.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
# WCAG 2.1 level AA, the level EN 301 549 (clause 9) requires of web pages, and level A
# below it. axe's best-practice rules and WCAG 2.2 are not run (docs/design/accessibility.md).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
SERIOUS = ("serious", "critical")

_RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    helpUrl: rule.helpUrl,
    tags: rule.tags,
    nodes: rule.nodes.map((node) => ({
      target: node.target,
      html: node.html,
      impact: node.impact,
      failureSummary: node.failureSummary,
    })),
  }));
}
"""


def inject_axe(page: Page) -> None:
    """Put axe-core into the page (once per document)."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `make assets` (npm ci)")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))


def axe_violations(page: Page, impacts: tuple[str, ...] = SERIOUS) -> list[dict[str, Any]]:
    """The WCAG 2.0/2.1 A and AA rules axe-core finds broken on the page as it is now, with
    the given impacts (all four: minor, moderate, serious, critical, to see everything)."""
    inject_axe(page)
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, list(WCAG_TAGS))
    return [rule for rule in violations if rule["impact"] in impacts]


def describe(violations: list[dict[str, Any]], *, nodes: int = 3) -> str:
    """One paragraph per broken rule: its id, impact and help, and the first elements."""
    lines = []
    for rule in violations:
        lines.append(f"- {rule['id']} ({rule['impact']}): {rule['help']} <{rule['helpUrl']}>")
        for node in rule["nodes"][:nodes]:
            summary = " ".join((node["failureSummary"] or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.append(f"      {summary[:400]}")
        if len(rule["nodes"]) > nodes:
            lines.append(f"    ... and {len(rule['nodes']) - nodes} more")
    return "\n".join(lines)


def assert_no_serious_violations(page: Page, url: str | None = None) -> None:
    """Open `url` (when given; it must answer 2xx) and fail if axe-core reports a serious or
    critical WCAG 2.1 A/AA violation on the page."""
    if url is not None:
        response = page.goto(url)
        assert response is not None and response.ok, (
            f"{url} answered {response.status if response else 'nothing'}"
        )
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"


_FOCUSED = """
() => {
  const element = document.activeElement;
  if (!element || element === document.body) { return "(body)"; }
  const name = (element.getAttribute("aria-label") || element.textContent || element.value || "")
    .trim().replace(/\\s+/g, " ").slice(0, 40);
  return `${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""} "${name}"`;
}
"""


def focused(page: Page) -> str:
    """A short description of the element that has the focus, for failure messages."""
    description: str = page.evaluate(_FOCUSED)
    return description


def tab_to(page: Page, selector: str, *, presses: int = 40, backwards: bool = False) -> Locator:
    """Press Tab (Shift+Tab when `backwards`) until the focused element matches `selector`,
    and return it; fail after `presses` presses, naming the elements the focus went to."""
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(presses):
        page.keyboard.press(key)
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return page.locator(":focus")
        visited.append(focused(page))
    pytest.fail(
        f"{selector} never got the focus in {presses} presses of {key} on {page.url}; "
        f"the focus went to: {', '.join(visited)}"
    )


_FOCUS_STYLE = """
() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    focusVisible: element.matches(":focus-visible"),
  };
}
"""


def assert_focus_visible(page: Page) -> None:
    """The focused element draws a focus indicator (an outline or a box shadow) and matches
    :focus-visible, the state a keyboard user is in (WCAG 2.4.7 Focus Visible)."""
    style = page.evaluate(_FOCUS_STYLE)
    assert style["focusVisible"], f"{focused(page)} has the focus but not :focus-visible"
    assert style["outline"] or style["shadow"], (
        f"{focused(page)} on {page.url} has the keyboard focus but shows no outline or shadow"
    )
