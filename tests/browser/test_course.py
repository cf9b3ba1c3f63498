"""The course path in a real browser: lesson to lesson without the sidebar, progress on the home page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_healthy, open_app, wait_idle

pytestmark = pytest.mark.browser


def test_next_and_previous_links_walk_the_course(page, app_url):
    open_app(page, f"{app_url}/integrals")
    page.get_by_role("link", name="Next: 3. Gradient").click()
    page.wait_for_url("**/gradient**")
    wait_idle(page)
    assert_healthy(page)
    page.get_by_role("link", name="Previous: 2. Integrals").click()
    page.wait_for_url("**/integrals**")


def test_a_solved_task_shows_on_the_home_page(page, app_url):
    open_app(page, f"{app_url}/derivatives")
    answer = page.get_by_label("Your answer")
    answer.fill("3x^2 - 4x")
    answer.press("Enter")
    page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Correct").first.wait_for(timeout=30_000)
    page.get_by_role("link", name="All lessons").click()
    wait_idle(page)
    page.get_by_text("Tasks solved: 1 of 7", exact=False).wait_for(timeout=30_000)
