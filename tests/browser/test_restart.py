"""A restarted server loses nothing a user needs: the shared URL restores the view."""

import pytest

from tests.browser.conftest import assert_healthy, free_port, open_app, start_server, stop_server, wait_idle

pytestmark = pytest.mark.browser

def test_shared_link_survives_a_server_restart_and_opens_as_first_visit(browser):
    port = free_port()
    server = start_server(port)
    tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        # The very first visit after start is a deep link: it must render through the app's navigation.
        open_app(tab, f"http://127.0.0.1:{port}/derivatives?deriv_f=x%5E3")
        assert_healthy(tab)
        tab.get_by_text("Single-variable").first.wait_for(timeout=30_000)  # the app shell, after its rerun
        thumb = tab.get_by_role("slider", name="Point x₀")
        thumb.focus()
        for _ in range(3):
            thumb.press("ArrowRight")
        wait_idle(tab)
        shared = tab.url
        value = thumb.get_attribute("aria-valuenow")
        assert "deriv_f=x" in shared
    finally:
        stop_server(server)
    server = start_server(port)
    try:
        fresh = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        open_app(fresh, shared)
        assert_healthy(fresh)
        fresh.get_by_text("Single-variable").first.wait_for(timeout=30_000)  # the app shell, after its rerun
        wait_idle(fresh)
        assert fresh.locator('[data-testid="stTextInput"] input').first.input_value() == "x^3" or \
            "x^3" in [i.input_value() for i in fresh.locator('[data-testid="stTextInput"] input').all()]
        assert fresh.get_by_role("slider", name="Point x₀").get_attribute("aria-valuenow") == value
    finally:
        stop_server(server)
