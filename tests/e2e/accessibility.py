"""axe-core in the page: every serious or critical WCAG 2.1 A/AA violation fails the test.

axe comes from npm (`npm ci` at the repository root installs the version pinned in package-lock.json).
It is injected with `page.evaluate`, which runs through the DevTools protocol and so is not governed by
the page's Content-Security-Policy: the browser context keeps enforcing the CSP the portal sends
(no `bypass_csp`), and the journeys would notice a page that breaks it.
"""

import functools
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

RUN_AXE = "options => axe.run(document, options).then(results => results.violations)"


@functools.cache
def axe_source() -> str:
    if not AXE_PATH.is_file():
        pytest.fail(
            f"axe-core is not installed: {AXE_PATH} is missing. Run `npm ci` at the repository root.",
            pytrace=False,
        )
    return AXE_PATH.read_text(encoding="utf-8")


def assert_accessible(page: Page) -> None:
    """Check the page as it stands now (after any htmx swap), injecting axe once per document."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate(RUN_AXE, options)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, violations_report(page.url, blocking)


def violations_report(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' > '.join(map(str, node['target']))}")
            if node.get("failureSummary"):
                lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)
