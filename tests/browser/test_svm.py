"""SVM page in a real browser: the course's answer, editing a point in the table, presets, URL restore."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_healthy, wait_idle

pytestmark = pytest.mark.browser

ROW_PX = 35  # glide-data-grid's header and row height in Streamlit's editor
# A loaded machine (another test suite on the same two cores) can take far longer than Playwright's 30 s default
# to rerun and render; the waits below are for an outcome, not a speed.
LOADED_MS = 180_000


def _open(tab, url: str) -> None:
    tab.goto(url, timeout=LOADED_MS)
    wait_idle(tab, LOADED_MS)


def _points_in_url(tab) -> str:
    return parse_qs(urlparse(tab.url).query).get("svm_points", [""])[0]


def test_svm_page_shows_the_course_answer(page, app_url):
    _open(page, f"{app_url}/svm")
    assert_healthy(page)
    expect(page.get_by_role("heading", name=re.compile("Support vector machine")).first).to_be_visible(timeout=LOADED_MS)
    expect(page.locator('[data-testid="stMetricValue"]').filter(has_text="0.8889")).to_have_count(1, timeout=LOADED_MS)
    expect(page.get_by_text(re.compile("held up by 3 support vectors"))).to_be_visible(timeout=LOADED_MS)
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(1, timeout=LOADED_MS)


def test_editing_a_point_in_the_table_updates_the_fit_and_the_url(page, app_url, browser):
    _open(page, f"{app_url}/svm")
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    # Select the first row's x cell, walk to the third row's y cell and type over it.
    page.mouse.click(box["x"] + box["width"] * 0.15, box["y"] + ROW_PX * 1.5)
    page.wait_for_timeout(500)
    for key in ("ArrowDown", "ArrowDown", "ArrowRight"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    page.keyboard.type("3")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    wait_idle(page, LOADED_MS)
    page.wait_for_function(
        "() => new URLSearchParams(window.location.search).get('svm_points') === '0,0,-1;1,2,1;2,3,1'",
        timeout=LOADED_MS)
    wait_idle(page, LOADED_MS)
    assert_healthy(page)
    expect(page.locator('[data-testid="stTextInputRootElement"] input').first).to_have_value("0,0,-1;1,2,1;2,3,1", timeout=LOADED_MS)
    # (2, 3) lies beyond the margin now: (0, 0) and (1, 2) alone hold it.
    expect(page.get_by_text(re.compile("held up by 2 support vectors"))).to_be_visible(timeout=LOADED_MS)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fresh = context.new_page()
    try:
        _open(fresh, page.url)
        assert_healthy(fresh)
        expect(fresh.get_by_text(re.compile("held up by 2 support vectors"))).to_be_visible(timeout=LOADED_MS)
        assert _points_in_url(fresh) == "0,0,-1;1,2,1;2,3,1"
    finally:
        context.close()


def test_not_separable_preset_offers_the_soft_margin(page, app_url):
    _open(page, f"{app_url}/svm")
    page.get_by_role("button", name="Not separable").click()
    wait_idle(page, LOADED_MS)
    assert_healthy(page)
    expect(page.get_by_text(re.compile("No straight line separates the two classes"))).to_be_visible(timeout=LOADED_MS)
    expect(page.get_by_role("heading", name=re.compile("Soft margin"))).to_be_visible(timeout=LOADED_MS)
    assert _points_in_url(page).count(";") == 23
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(2, timeout=LOADED_MS)


def test_bad_points_in_the_url_show_an_error_not_a_traceback(page, app_url):
    _open(page, f"{app_url}/svm?svm_points=0,0,1;zzz")
    assert_healthy(page)
    expect(page.locator('[data-testid="stAlertContentError"]').first).to_contain_text("needs three values", timeout=LOADED_MS)
