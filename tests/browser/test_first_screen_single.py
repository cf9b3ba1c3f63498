"""The experiment on the first screen: each lesson's first chart starts near the top of the main area.

Measured in Chromium from the top of the main area's block container (``stMain``'s ``stMainBlockContainer``) to
the top of the first chart in it (a Vega-Lite, Plotly, pyplot chart or an image), on a laptop (1280 × 900) and a
phone (390 × 844), for a learner opening the lesson's plain link. These are layout positions in pixels, not
timings.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_healthy, open_app

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The first chart's top must be within this many pixels of the top of the main area.
FIRST_CHART_WITHIN = {"laptop": 500, "phone": 700}
VIEWPORTS = {"laptop": LAPTOP, "phone": PHONE}
PAGES = ["derivatives", "integrals", "gradient"]
CHARTS = ('[data-testid="stVegaLiteChart"], [data-testid="stPlotlyChart"], [data-testid="stPyplot"], '
          '[data-testid="stImage"]')
MEASURE = """(charts) => {
    const main = document.querySelector('[data-testid="stMain"] [data-testid="stMainBlockContainer"]');
    const chart = main.querySelector(charts);
    const top = main.getBoundingClientRect().top;
    return {chart: chart ? chart.getBoundingClientRect().top - top : null,
            height: main.getBoundingClientRect().height};
}"""


def first_screen(tab) -> dict:
    """The first chart's top and the main area's height, in CSS pixels from the top of the main area."""
    return tab.evaluate(MEASURE, CHARTS)


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def sized_tab(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    yield request.param, context.new_page()
    context.close()


@pytest.mark.parametrize("slug", PAGES)
def test_the_first_chart_starts_on_the_first_screen(sized_tab, app_url, slug):
    width, tab = sized_tab
    open_app(tab, f"{app_url}/{slug}")
    tab.wait_for_selector(CHARTS, timeout=60_000)
    assert_healthy(tab)
    measured = first_screen(tab)
    assert measured["chart"] is not None, f"{slug}: no chart in the main area"
    assert 0 <= measured["chart"] <= FIRST_CHART_WITHIN[width], (
        f"{slug} at {width} width: the first chart starts {measured['chart']:.0f} px below the top of the main "
        f"area (at most {FIRST_CHART_WITHIN[width]})")
