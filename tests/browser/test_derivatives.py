"""Derivatives page in Chromium: it renders, a slider moves the chart and the URL, and the URL reproduces the view."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHART, assert_healthy, metric, press_slider, shared_view, wait_idle

pytestmark = pytest.mark.browser


def open_page(tab, app_url: str, query: str = "") -> None:
    """Open the lesson straight from a link, as a learner following a shared URL does."""
    tab.goto(f"{app_url}/derivatives{query}")
    tab.wait_for_selector(CHART, timeout=60_000)
    wait_idle(tab)


def test_page_renders_its_three_charts(page, app_url):
    open_page(page, app_url)
    assert_healthy(page)
    assert page.get_by_role("heading", name="Derivatives: the slope, as a limit and by the rules").count() == 1
    assert page.locator(CHART).count() == 3
    # The default view is the course's task function, x³ − 2x² + 1: f′(1) = −1.
    assert metric(page, "f′(x₀) by the rules") == "-1"
    # Rendered inside the app shell: the sidebar lists the lessons by title.
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Integrals", exact=True).count() == 1


def test_moving_x0_updates_chart_and_url_and_the_url_reproduces_it(page, browser, app_url):
    open_page(page, app_url, "?deriv_f=x%5E2")
    chart = page.locator(CHART).first
    before = chart.screenshot()
    press_slider(page, "Point x₀", 10)
    page.wait_for_function("() => location.search.includes('deriv_x0=1.5')", timeout=30_000)
    wait_idle(page)
    assert_healthy(page)
    assert metric(page, "f(x₀)") == "2.25"
    assert chart.screenshot() != before

    with shared_view(browser, page.url) as fresh:
        assert fresh.get_by_role("slider", name="Point x₀").get_attribute("aria-valuetext") == "1.50"
        assert metric(fresh, "f(x₀)") == "2.25"


def test_step_and_scheme_from_a_shared_link(page, app_url):
    open_page(page, app_url, "?deriv_f=sin(x)&deriv_x0=0&deriv_dx=0.01&deriv_scheme=central")
    assert_healthy(page)
    assert page.get_by_role("slider", name="Step δx").get_attribute("aria-valuetext") == "0.01"
    assert page.get_by_role("radio", name="central").is_checked()
    # Central difference of sin at 0 with h = 0.01: sin(0.01)/0.01.
    assert metric(page, "Rate of change (central)") == "0.9999833334"
