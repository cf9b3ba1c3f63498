"""The experiment first: on the optimization, SVM, Jacobian and backpropagation pages the first chart starts on
the first screen of a laptop (1280×900) and of a phone (390×844).

Positions are measured from the top of the main area's block container, as a learner scrolls it; they do not
depend on the machine's speed, only on the layout.
"""

import pytest

from tests.browser.conftest import assert_healthy, wait_idle

pytestmark = pytest.mark.browser

LOADED_MS = 180_000
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The goal: where the first chart may start at the latest, per width.
LIMITS = {"laptop": 500, "phone": 700}
VIEWPORTS = {"laptop": LAPTOP, "phone": PHONE}
FIRST_CHART = ", ".join(f'[data-testid="stMain"] [data-testid="{testid}"]'
                        for testid in ("stVegaLiteChart", "stPlotlyChart", "stPyplot", "stImage"))
MEASURE = """(selector) => {
    const block = document.querySelector('[data-testid="stMain"] [data-testid="stMainBlockContainer"]');
    const chart = document.querySelector(selector);
    if (!block || !chart) return null;
    return {top: chart.getBoundingClientRect().top - block.getBoundingClientRect().top,
            height: block.scrollHeight};
}"""
PAGES = ("optimization", "svm", "backprop", "jacobian")


def first_chart(browser, url: str, viewport: dict) -> dict:
    """The first chart's top (px below the main area's top) and the page's height, once the page is idle."""
    context = browser.new_context(viewport=viewport)
    try:
        tab = context.new_page()
        tab.set_default_timeout(LOADED_MS)
        tab.goto(url)
        wait_idle(tab, LOADED_MS)
        tab.wait_for_selector(FIRST_CHART, timeout=LOADED_MS)
        wait_idle(tab, LOADED_MS)
        assert_healthy(tab)
        return tab.evaluate(MEASURE, FIRST_CHART)
    finally:
        context.close()


@pytest.mark.parametrize("width", tuple(VIEWPORTS))
@pytest.mark.parametrize("name", PAGES)
def test_the_first_chart_is_on_the_first_screen(browser, app_url, name, width):
    measured = first_chart(browser, f"{app_url}/{name}", VIEWPORTS[width])
    assert measured is not None, f"{name}: no chart in the main area"
    assert measured["top"] <= LIMITS[width], f"{name} at {width}: the first chart starts at {measured}"
