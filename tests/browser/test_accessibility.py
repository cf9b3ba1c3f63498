"""Accessibility in a real browser: axe-core (WCAG 2.x A/AA) on every page, and phones.

Each page is checked in four views that together cover every level of each
factor: light and dark theme, desktop (1280 x 900) and phone (390 x 844) width,
and a normal and a hostile link. No serious or critical violation is allowed;
moderate and minor ones are listed in docs/ACCESSIBILITY.md. At phone width no
page may scroll sideways, and a screenshot of each page is kept as a test
artifact in ``test-artifacts/phone/`` (not committed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import ROOT, assert_healthy, open_app
from ui.lessons import LESSONS

pytestmark = [pytest.mark.browser, pytest.mark.a11y]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = ROOT / "test-artifacts" / "phone"
INJECTION = "[click](https://evil.example)"
# One text box per page that a hostile link fills with markup (the home page has none).
HOSTILE_QUERY = {
    "": "?teacher=1&lock=all&hide=" + "x" * 50,
    "derivatives": f"?deriv_f={INJECTION}&deriv_x0=1e308",
    "integrals": f"?integ_f={INJECTION}&integ_n=-5",
    "gradient": f"?grad_f={INJECTION}&grad_x0=nan",
    "jacobian": f"?jac_f1={INJECTION}&jac_inputs=9",
    "backprop": f"?backprop_layers={INJECTION}&backprop_lr=inf",
    "optimization": f"?opt_f={INJECTION}&opt_x0=1e999",
    "svm": f"?svm_points={INJECTION}&svm_c=-1",
    "class": f"?join={INJECTION}",  # a join link whose code is markup: the join form shows it as typed text
}
CLASS_PAGE = "class"  # the Class page: join a class, continue on another device, start a class
SLUGS = ["", *(lesson.url_path for lesson in LESSONS), CLASS_PAGE]
# (theme, viewport, hostile link?): every page is seen in each theme, at each width and with each kind of link.
VIEWS = [("light", "desktop", False), ("light", "phone", True), ("dark", "desktop", True), ("dark", "phone", False)]


@pytest.fixture(scope="module")
def contexts(browser):
    made = {}
    for theme in ("light", "dark"):
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            made[theme, width] = browser.new_context(viewport=viewport, color_scheme=theme)
    yield made
    for context in made.values():
        context.close()


def axe_violations(tab) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return result.response["violations"]


SCROLL_REGIONS_MARKED = """() => [...document.querySelectorAll(
    '.katex-display, [data-testid="stMarkdownContainer"] table, [data-testid="stMarkdownContainer"] pre')]
    .every(box => box.hasAttribute('tabindex') || box.scrollWidth <= box.clientWidth + 1
                  || box.querySelector('a[href], button, input, select, textarea, summary, [tabindex]'))"""


def sideways_scroll(tab) -> int:
    """How far the main area can scroll sideways, in CSS pixels (0 when everything fits)."""
    return tab.evaluate(
        """() => { const main = document.querySelector('[data-testid="stMain"]');
                   return Math.max(0, main.scrollWidth - main.clientWidth,
                                   document.documentElement.scrollWidth - window.innerWidth); }""")


def is_dark(tab) -> bool:
    colour = tab.evaluate("""() => getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor""")
    red, green, blue = (int(part) for part in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3])
    return red + green + blue < 3 * 128


@pytest.mark.parametrize("theme,width,hostile", VIEWS, ids=[f"{t}-{w}-{'hostile' if h else 'normal'}"
                                                           for t, w, h in VIEWS])
@pytest.mark.parametrize("slug", SLUGS, ids=[slug or "home" for slug in SLUGS])
def test_no_serious_violations(contexts, app_url, slug, theme, width, hostile):
    tab = contexts[theme, width].new_page()
    try:
        open_app(tab, f"{app_url}/{slug}{HOSTILE_QUERY[slug] if hostile else ''}")
        assert_healthy(tab)
        assert is_dark(tab) == (theme == "dark"), "the page did not follow the browser's colour scheme"
        # The page makes a formula or table that overflows keyboard-scrollable once its layout settles
        # (fonts arrive after the formulas are drawn); give it that moment, as a reader takes it.
        tab.wait_for_function(SCROLL_REGIONS_MARKED, timeout=5_000)
        blocking = [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}"
                    for v in axe_violations(tab) if v["impact"] in BLOCKING]
        assert not blocking, "\n".join(blocking)
        if width == "phone":
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = f"{slug or 'home'}-{theme}{'-hostile' if hostile else ''}.png"
            tab.screenshot(path=str(Path(ARTIFACTS, name)), full_page=True)
            assert sideways_scroll(tab) <= 1, f"/{slug} scrolls sideways at {PHONE['width']} px"
    finally:
        tab.close()
