"""Integrals page in Chromium: it renders, a slider moves the chart and the URL, and the URL reproduces the view."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHART, assert_healthy, metric, press_slider, shared_view, wait_idle

pytestmark = pytest.mark.browser


def open_page(tab, app_url: str, query: str = "") -> None:
    """Open the lesson straight from a link, as a learner following a shared URL does."""
    tab.goto(f"{app_url}/integrals{query}")
    tab.wait_for_selector(CHART, timeout=60_000)
    wait_idle(tab)


def test_page_renders_its_four_charts(page, app_url):
    open_page(page, app_url)
    assert_healthy(page)
    assert page.get_by_role("heading", name="Integrals: area as a running sum").count() == 1
    assert page.locator(CHART).count() == 4
    assert metric(page, "Exact (sympy)") == "8"
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Derivatives", exact=True).count() == 1


def test_moving_n_updates_chart_and_url_and_the_url_reproduces_it(page, browser, app_url):
    open_page(page, app_url)
    chart = page.locator(CHART).first
    before = chart.screenshot()
    press_slider(page, "Number of strips n", 10)
    page.wait_for_function("() => location.search.includes('integ_n=20')", timeout=30_000)
    wait_idle(page)
    assert_healthy(page)
    # Left sum of 2x on [−1, 3] with 20 strips: 8 − 0.2·8/2.
    assert metric(page, "Riemann sum (left, n = 20)") == "7.2"
    assert chart.screenshot() != before

    with shared_view(browser, page.url) as fresh:
        assert fresh.get_by_role("slider", name="Number of strips n").get_attribute("aria-valuetext") == "20"
        assert metric(fresh, "Riemann sum (left, n = 20)") == "7.2"


def test_improper_interval_link_shows_the_warning(page, app_url):
    open_page(page, app_url, "?integ_f=1/x&integ_a=-1&integ_b=1")
    assert_healthy(page)
    assert page.get_by_text("this is an improper integral", exact=False).count() >= 1
    assert metric(page, "Exact (sympy)") == "does not exist"
