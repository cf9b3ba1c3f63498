"""Every registered page survives hostile text and garbage URL parameters.

The pages are discovered from ``ui.lessons``; their inputs are discovered by
running each page once, so a new page or widget is covered without editing this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import run_page
from tests.hostile import CANARY, EXPRESSIONS, PRINTED_MATH, URL_VALUES
from ui.lessons import LESSONS

PAGES = ["home"] + [Path(lesson.path).stem for lesson in LESSONS]
# A spread over the corpus (injection, denial of service, odd characters) keeps the run short.
TEXT_SAMPLE = EXPRESSIONS[::4]
WIDGET_KINDS = ("slider", "select_slider", "selectbox", "radio", "toggle", "number_input", "text_input",
                "multiselect", "checkbox", "text_area")


def _keys(at, kinds=WIDGET_KINDS) -> list[str]:
    keys = []
    for kind in kinds:
        for widget in getattr(at, kind):
            if widget.key and not widget.key.startswith("$$"):
                keys.append(widget.key)
    return keys


@pytest.mark.parametrize("name", PAGES)
def test_hostile_text_in_every_text_box_gives_a_message_not_a_crash(name):
    at = run_page(name)
    assert not at.exception
    for key in _keys(at, ("text_input", "text_area")):
        # One visitor typing one hostile text after another into the same box (a fresh page only
        # where the last text left the box out of the page).
        page = run_page(name)
        for text in TEXT_SAMPLE:
            box = _box(page, key)
            if box is None:
                page = run_page(name)
                box = _box(page, key)
            box.set_value(text).run()
            assert not page.exception, (key, text[:40])
            if text.strip() and text not in PRINTED_MATH:
                assert page.error or page.warning, (key, text[:40])
            assert not Path(CANARY).exists()


def _box(at, key: str):
    return next((w for w in [*at.text_input, *at.text_area] if w.key == key), None)


@pytest.mark.parametrize("name", PAGES)
def test_garbage_url_parameters_are_ignored(name):
    at = run_page(name)
    keys = _keys(at)
    for value in URL_VALUES:
        query = {key: value for key in keys}
        query.update({"teacher": value, "hide": value, "lock": value})
        garbage = run_page(name, query)
        assert not garbage.exception, value[:40]
    repeated = run_page(name, {key: ["1", "2", "abc"] for key in keys})
    assert not repeated.exception
    assert not Path(CANARY).exists()
