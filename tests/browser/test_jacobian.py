"""Jacobian page in a real browser: renders, a moved slider lands in the URL, the URL restores it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_healthy, open_app, shared_view, wait_idle

pytestmark = pytest.mark.browser


def _slider(tab, label: str):
    return tab.locator('[data-testid="stSlider"]').filter(has_text=label).locator('input[type="range"]')


def test_jacobian_page_renders_matrices_and_the_linear_map(page, app_url):
    open_app(page, f"{app_url}/jacobian")
    assert_healthy(page)
    expect(page.get_by_role("heading", name=re.compile("Jacobian")).first).to_be_visible()
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(1)
    # f, J and det J (formula and value) are open; J at the point, by formulas and by differences, in a box.
    expect(page.locator(".katex").nth(3)).to_be_visible()
    page.get_by_text("J at the point: the formulas against central differences").click()
    expect(page.locator(".katex").nth(5)).to_be_visible()


def test_moving_the_point_updates_the_url_and_a_shared_link_restores_it(page, app_url, browser):
    open_app(page, f"{app_url}/jacobian")
    thumb = _slider(page, "x₀")
    assert thumb.input_value() == "1"
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    page.wait_for_function("() => window.location.search.includes('jac_x0=0.9')")
    assert_healthy(page)

    with shared_view(browser, page.url) as fresh:
        assert _slider(fresh, "x₀").input_value() == "0.9"


def test_task_example_and_a_bad_component(page, app_url):
    open_app(page, f"{app_url}/jacobian?jac_outputs=3&jac_f1=sigmoid(p%20x%20%2B%20q%20y)"
                   "&jac_f2=sigmoid(r%20x%20%2B%20s%20y)&jac_f3=sigmoid(t%20x%20%2B%20u%20y)")
    assert_healthy(page)
    expect(page.locator('[data-testid="stSlider"]')).to_have_count(8)  # six constants and the point
    open_app(page, f"{app_url}/jacobian?jac_f2=x%5E%5E2")
    assert_healthy(page)
    expect(page.locator('[data-testid="stAlertContentError"]').first).to_be_visible()
    # f1's box and the task stay on the page.
    expect(page.get_by_role("textbox", name="f1(x, y)")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your answer")).to_be_visible()
