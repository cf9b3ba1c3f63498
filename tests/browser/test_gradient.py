"""Gradient page in a real browser: renders, a moved slider lands in the URL, the URL restores it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_healthy, open_app, shared_view, wait_idle

pytestmark = pytest.mark.browser


def _slider(tab, label: str):
    return tab.locator('[data-testid="stSlider"]').filter(has_text=label).locator('input[type="range"]')


def test_gradient_page_renders_surface_field_and_scan(page, app_url):
    open_app(page, f"{app_url}/gradient")
    assert_healthy(page)
    expect(page.get_by_role("heading", name=re.compile("Gradient")).first).to_be_visible()
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(2)
    expect(page.locator('[data-testid="stImage"] img')).to_have_count(1)
    # The scan is in a closed box the learner opens by choice.
    expect(page.get_by_text(re.compile("report this direction as 8.4°"))).not_to_be_visible()
    page.locator('[data-testid="stExpander"] summary').filter(has_text="Scanning every direction").click()
    expect(page.get_by_text(re.compile("report this direction as 8.4°"))).to_be_visible()


def test_moving_the_point_updates_the_url_and_a_shared_link_restores_it(page, app_url, browser):
    open_app(page, f"{app_url}/gradient")
    thumb = _slider(page, "Point x₀")
    assert thumb.input_value() == "2"
    thumb.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.wait_for_function("() => window.location.search.includes('grad_x0=2.1')")
    assert_healthy(page)

    with shared_view(browser, page.url) as fresh:
        assert _slider(fresh, "Point x₀").input_value() == "2.1"


def test_bad_expression_shows_an_error_not_a_traceback(page, app_url):
    open_app(page, f"{app_url}/gradient?grad_f=x%5E%5E2")
    assert_healthy(page)
    expect(page.locator('[data-testid="stAlertContentError"]').first).to_be_visible()
