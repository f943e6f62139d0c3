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
    blocking = blocking_violations(page)
    assert not blocking, violations_report(page.url, blocking)


def blocking_violations(page: Page) -> list[dict]:
    """axe's serious and critical WCAG 2.1 A/AA violations on the page as it stands now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate(RUN_AXE, options)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def violations_report(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' > '.join(map(str, node['target']))}")
            if node.get("failureSummary"):
                lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


def sideways_overflow(page: Page) -> str:
    """'' when the page fits its window's width; else how much wider it is and what sticks out furthest."""
    return page.evaluate(SIDEWAYS_OVERFLOW)


SIDEWAYS_OVERFLOW = """() => {
  const width = document.documentElement.scrollWidth, window_width = window.innerWidth;
  if (width <= window_width) return "";
  let widest = null, right = window_width;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right > right + 0.5) { right = box.right; widest = element; }
  }
  const classes = ((widest && widest.getAttribute("class")) || "").trim().split(/\\s+/).filter(Boolean);
  const name = widest ? [widest.tagName.toLowerCase(), ...classes].join(".") : "?";
  return `the page is ${width} px wide in a ${window_width} px window; ${name} reaches ${Math.round(right)} px`;
}"""


def broken_id_references(page: Page) -> list[str]:
    """Every aria-describedby or aria-labelledby that names an id the page lacks: axe only reports it as
    "incomplete", and a screen reader then says nothing."""
    return page.evaluate(BROKEN_ID_REFERENCES)


BROKEN_ID_REFERENCES = """() => {
  const broken = new Set();
  for (const attribute of ["aria-describedby", "aria-labelledby"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (document.getElementById(id)) continue;
        broken.add(`${element.tagName.toLowerCase()} ${attribute}="${id}" names no element`);
      }
    }
  }
  return [...broken];
}"""

# WCAG 2.1 1.4.3: 4.5:1 for text, 3:1 for large text (24 px, or 18.66 px bold); the charts' labels are small.
MIN_CONTRAST = 4.5


def svg_text_contrasts(page: Page) -> list[dict]:
    """The contrast of every SVG <text> with what is behind it, from the computed fill and the nearest
    background colour (axe leaves SVG text unmeasured): [{text, classes, fill, background, ratio}]."""
    labels = page.evaluate(SVG_TEXT_COLOURS)
    for label in labels:
        fill, background = label["fill"], label["background"]
        fill = blend(fill, background) if fill[3] < 1 else fill
        label["ratio"] = contrast_ratio(fill, background)
    return labels


SVG_TEXT_COLOURS = """() => {
  const rgba = colour => {
    const parts = (colour.match(/rgba?\\(([^)]*)\\)/) || [, ""])[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return parts.length >= 3 ? [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1] : null;
  };
  const behind = element => {
    for (let e = element; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour && colour[3] > 0) return colour;
    }
    return [255, 255, 255, 1];
  };
  return [...document.querySelectorAll("svg text")].flatMap(text => {
    const style = getComputedStyle(text), fill = rgba(style.fill);
    if (!fill || style.visibility === "hidden" || style.display === "none") return [];
    fill[3] *= Number(style.fillOpacity) * Number(style.opacity);
    return [{text: text.textContent, classes: [...text.classList], fill, background: behind(text)}];
  });
}"""


def blend(colour, background):
    alpha = colour[3]
    return [alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], background[:3], strict=True)] + [1]


def relative_luminance(colour) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(colour, background) -> float:
    lighter, darker = sorted((relative_luminance(colour), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
