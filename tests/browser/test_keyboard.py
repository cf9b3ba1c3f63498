"""Keyboard only: every lesson's task can be answered without a mouse, and sliders move with arrow keys.

The test tabs from the top of the page to the answer box, types the answer,
presses Enter and reads the verdict, as a learner who cannot use a mouse would.
Focus must be visible on every control it passes.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_healthy, open_app, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.a11y]

MAX_TABS = 400
# A correct answer for each lesson's task and the words its verdict starts with.
ANSWERS = {
    "derivatives": ("3x^2 - 4x", "Correct"),
    "integrals": ("x^3 - 2x^2 + 7", "Correct"),
    "gradient": ("(2, 2)", "Correct"),
    "jacobian": ("p a1(1 - a1), q a1(1 - a1); r a2(1 - a2), s a2(1 - a2); t a3(1 - a3), u a3(1 - a3)", "Correct"),
    "backprop": ("W[l]", "Right"),
    "optimization": ("Neither", "Right"),
    "svm": ("1, 2, 3", "Correct"),
}

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    const parentRing = (() => { let p = el.parentElement; for (let i = 0; p && i < 4; i++, p = p.parentElement) {
        const s = getComputedStyle(p);
        if (s.boxShadow !== 'none' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
            || s.borderColor !== getComputedStyle(document.body).borderColor) return true; } return false; })();
    return {label: el.getAttribute('aria-label') || el.innerText || el.tagName, tag: el.tagName,
            visible: ring || parentRing};
}"""


def tab_to_answer_box(tab) -> list[dict]:
    """Press Tab until the task's answer box has focus; returns every element focused on the way."""
    seen = []
    for _ in range(MAX_TABS):
        tab.keyboard.press("Tab")
        focused = tab.evaluate(FOCUSED)
        if focused is None:
            continue
        if not focused["visible"]:
            # A focus ring can lag a frame behind the focus itself (styles applied on the next paint).
            tab.wait_for_timeout(300)
            focused = tab.evaluate(FOCUSED) or focused
        seen.append(focused)
        if focused["tag"] == "INPUT" and focused["label"] == "Your answer":
            return seen
    raise AssertionError(f"the answer box was not reached in {MAX_TABS} presses of Tab")


@pytest.mark.parametrize("slug", list(ANSWERS))
def test_task_answered_with_the_keyboard_alone(page, app_url, slug):
    answer, verdict = ANSWERS[slug]
    open_app(page, f"{app_url}/{slug}")
    passed = tab_to_answer_box(page)
    hidden = [item["label"][:40] for item in passed if not item["visible"]]
    assert not hidden, f"focus was not visible on: {hidden}"
    page.keyboard.type(answer)
    page.keyboard.press("Enter")
    # Not wait_idle: the backpropagation page keeps training in a fragment, so its script never goes idle.
    success = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=verdict)
    success.first.wait_for(timeout=60_000)
    assert_healthy(page)


def test_sliders_move_with_arrow_keys(page, app_url):
    open_app(page, f"{app_url}/derivatives?deriv_x0=1.0")
    slider = page.get_by_role("slider", name="Point x₀")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**deriv_x0=1.05**")
    wait_idle(page)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**deriv_x0=0.95**")
    assert_healthy(page)
