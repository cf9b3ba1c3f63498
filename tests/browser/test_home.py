"""Home page and navigation in a real browser."""

import pytest

from tests.browser.conftest import assert_healthy, open_app
from ui.lessons import LESSONS

pytestmark = pytest.mark.browser


def test_home_renders_with_a_link_per_lesson(page, app_url):
    open_app(page, app_url)
    assert_healthy(page)
    assert page.get_by_role("heading", name="Calculus for ML Lab").count() >= 1
    for lesson in LESSONS:
        assert page.get_by_text(f"{lesson.number}. {lesson.title}").count() >= 1


def test_every_registered_page_opens_without_error(page, app_url):
    for lesson in LESSONS:
        slug = lesson.url_path
        open_app(page, f"{app_url}/{slug}")
        assert_healthy(page)
