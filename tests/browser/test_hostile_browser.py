"""Hostile links in real Chromium: every lesson page opened with hostile text and garbage URL parameters.

Each page's own inputs are discovered with AppTest, so a new page or widget is
covered without editing this file. The page must render with a message for the
hostile text, no exception element, no traceback, no script dialog, and nothing
executed on the server (the canary file never appears).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.app.conftest import run_page
from tests.browser.conftest import assert_healthy, open_app
from tests.hostile import CANARY, CODE_INJECTION
from ui.lessons import LESSONS

pytestmark = pytest.mark.browser

PAGES = [Path(lesson.path).stem for lesson in LESSONS]
# Kept short enough for a URL; two per page, each of the seven lesson pages a different pair.
HOSTILE_TEXT = [
    CODE_INJECTION[0],  # __import__('os').system('touch <canary>')
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "().__class__.__bases__[0].__subclasses__()",
    "9**9**9**9",
    "sin.__globals__",
    "(" * 200 + "x" + ")" * 200,
    CODE_INJECTION[1],  # exec("open('<canary>','w')")
    "x\u202e1+\u200b",
    "lambda: 0",
    "{{7*7}}${7*7}",
    "1e999",
    "x\x1b[31m\r\n+1",
    "'); DROP TABLE users; --",
    "x" * 1500,
]
GARBAGE_NUMBERS = ["nan", "-inf", "1e999", "abc", "[1,2]", "99999999999", "", "%00", "<script>alert(3)</script>"]
NUMBER_KINDS = ("slider", "select_slider", "number_input", "selectbox", "radio", "toggle", "multiselect")


def page_inputs(name: str) -> tuple[str, list[str]]:
    """The page's main text box and every other URL-bound control, from one AppTest run."""
    at = run_page(name)
    text_keys = [w.key for w in at.text_input if w.key and not w.key.endswith("_answer")]
    other = [w.key for kind in NUMBER_KINDS for w in getattr(at, kind) if w.key and not w.key.startswith("$$")]
    assert text_keys, f"{name} has no text box"
    return text_keys[0], other


def hostile_url(app_url: str, name: str, text_key: str, other_keys: list[str], text: str, teacher: bool) -> str:
    params: dict[str, str | list[str]] = {text_key: text}
    for i, key in enumerate(other_keys):
        params[key] = GARBAGE_NUMBERS[i % len(GARBAGE_NUMBERS)]
    if teacher:
        # Teacher mode on, with garbage names to hide and everything locked: the shared values still apply.
        params.update({"teacher": "1", "hide": "<script>,../../etc/passwd,__class__", "lock": ["all", "\x00"]})
    else:
        params.update({"teacher": "<script>", "hide": "A" * 300, "lock": "1,2,3"})
    return f"{app_url}/{name}?{urlencode(params, doseq=True)}"


@pytest.mark.parametrize("index", range(len(PAGES)), ids=PAGES)
def test_hostile_link_renders_a_message_and_runs_nothing(page, app_url, index):
    name = PAGES[index]
    text_key, other_keys = page_inputs(name)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    texts = [HOSTILE_TEXT[(2 * index + i) % len(HOSTILE_TEXT)] for i in range(2)]
    for variant, text in enumerate(texts):
        open_app(page, hostile_url(app_url, name, text_key, other_keys, text, teacher=variant == 0))
        assert_healthy(page)
        errors = page.locator('[data-testid="stAlertContentError"]')
        assert errors.count() >= 1, f"no message on {name} for {text[:40]!r}"
        assert "Something went wrong" not in page.inner_text('[data-testid="stMain"]')
    assert not dialogs, dialogs
    assert not Path(CANARY).exists()
