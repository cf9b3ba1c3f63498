"""The Optimization page in real Chromium: charts render, typing, the task, a slider, the two-variable part and
its optimizers' declared controls."""

import re

import pytest

from calc_core.optimization import OPTIMIZERS, hyperparameters
from tests.browser.conftest import assert_healthy, wait_idle

pytestmark = pytest.mark.browser

# A loaded machine (another test suite on the same two cores) can take far longer than Playwright's 30 s default
# to rerun and render; the waits are for an outcome, not a speed.
LOADED_MS = 180_000


def open_app(tab, url: str) -> None:
    tab.goto(url)
    wait_idle(tab, LOADED_MS)


@pytest.fixture(autouse=True)
def patient(page):
    page.set_default_timeout(LOADED_MS)
    page.set_default_navigation_timeout(LOADED_MS)


def charts_drawn(tab) -> int:
    """Vega charts that finished drawing (each ends up with a canvas or an svg)."""
    return tab.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').count()


def test_default_view_draws_the_plots_and_the_table(page, app_url):
    open_app(page, f"{app_url}/optimization")
    assert_healthy(page)
    assert page.get_by_role("heading", name="Optimization: where the slope is zero").count() == 1
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] canvas, "
        "[data-testid=\"stVegaLiteChart\"] svg').length >= 3")
    assert charts_drawn(page) >= 3
    body = page.inner_text("body")
    assert "Converged after 28 steps" in body
    # The course's wording sits in the page's errata box, closed until the learner opens it.
    assert "local maximum and a local minimum" not in body
    page.get_by_text("Where the course's code differs").click()
    page.get_by_text("local maximum and a local minimum", exact=False).wait_for()


def test_typing_log_explains_why_there_is_no_critical_point_and_updates_the_url(page, app_url):
    open_app(page, f"{app_url}/optimization")
    box = page.get_by_role("textbox", name="f(x)")
    box.fill("log(x)")
    box.press("Enter")
    wait_idle(page, LOADED_MS)
    page.get_by_text("No critical point").wait_for()
    body = page.inner_text("body")
    assert "1/x is never zero for x > 0" in body
    assert re.search(r"opt_f=log", page.url)
    assert_healthy(page)


def test_the_task_is_checked(page, app_url):
    open_app(page, f"{app_url}/optimization")
    answer = page.get_by_role("textbox", name="Your answer")
    answer.fill("neither")
    answer.press("Enter")
    wait_idle(page, LOADED_MS)
    page.get_by_text("Right.", exact=False).first.wait_for()
    assert_healthy(page)


def test_moving_the_start_slider_reruns_the_descent(page, app_url):
    open_app(page, f"{app_url}/optimization?opt_x0=1.0")
    slider = page.get_by_role("slider", name="Start x₀")
    assert slider.get_attribute("aria-valuetext") == "1.00"
    slider.focus()
    slider.press("ArrowRight")
    wait_idle(page, LOADED_MS)
    page.wait_for_function("() => location.search.includes('opt_x0=1.05')")
    assert page.get_by_role("slider", name="Start x₀").get_attribute("aria-valuetext") == "1.05"
    # Both tables (critical points, iterates) are still drawn after the rerun.
    assert page.locator('[data-testid="stDataFrame"]').count() == 2
    assert_healthy(page)


def test_two_variable_part_with_an_example(page, app_url):
    open_app(page, f"{app_url}/optimization?opt_part=Two+variables")
    assert_healthy(page)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] canvas, "
        "[data-testid=\"stVegaLiteChart\"] svg').length >= 2")
    body = page.inner_text("body")
    assert "Critical points and the Hessian" in body
    examples = page.get_by_role("combobox", name="Examples")
    examples.scroll_into_view_if_needed()
    wait_idle(page, LOADED_MS)
    examples.click()
    page.get_by_role("option", name="Saddle").click()
    wait_idle(page, LOADED_MS)
    page.wait_for_function("() => decodeURIComponent(location.search.replace(/\\+/g, ' ')).includes('x^2 - y^2')")
    assert "saddle" in page.inner_text("body")
    assert_healthy(page)


def test_each_registered_optimizer_gets_its_declared_controls(page, app_url):
    open_app(page, f"{app_url}/optimization?opt_part=Two+variables&opt2_adam_b1=0.8")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] canvas, "
        "[data-testid=\"stVegaLiteChart\"] svg').length >= 2")
    for cls in OPTIMIZERS.values():
        assert page.get_by_text(cls.name, exact=True).count() >= 1, cls.name
    # Each declared hyperparameter is one slider, labelled as declared, after the start, its y and the steps.
    labels = [h.label for cls in OPTIMIZERS.values() for h in hyperparameters(cls)]
    sliders = page.get_by_role("slider")
    sliders.nth(3 + len(labels) - 1).wait_for()
    assert [s.get_attribute("aria-label") for s in sliders.all()][3:] == labels
    values = {s.get_attribute("aria-label"): s.get_attribute("aria-valuetext") for s in sliders.all()}
    assert values["β₁"] == "0.80"
    assert_healthy(page)
