"""A link value the page could not use is named at the top of the page, for every visitor, with what is used."""

from __future__ import annotations

import pytest

from tests.app.conftest import as_read, run_page
from tests.hostile import CANARY

NOTICE = "The link's"


def _notices(at) -> list[str]:
    return [as_read(info.value) for info in at.info if NOTICE in as_read(info.value)]


def test_a_learning_rate_that_is_not_a_choice_is_named_with_the_rate_used():
    at = run_page("backprop", {"backprop_lr": "0.03"})
    assert not at.exception
    (notice,) = _notices(at)
    assert "The link's learning rate “0.03” is not one of the choices; 0.05 is used." in notice
    assert at.select_slider(key="backprop_lr").value == 0.05


def test_the_notice_sits_at_the_top_of_the_main_area():
    at = run_page("backprop", {"backprop_lr": "0.03"})
    shown = [as_read(str(getattr(element, "value", ""))) for element in at.main]
    notice = next(i for i, text in enumerate(shown) if text.startswith(NOTICE))
    title = shown.index("Backpropagation playground")
    assert notice == title + 1 + shown[title + 1:notice].count("")  # right below the title, before anything else


def test_no_notice_without_a_link_or_for_values_taken_as_given():
    assert not _notices(run_page("backprop"))
    assert not _notices(run_page("backprop", {"backprop_lr": "0.1", "backprop_noise": "0.2"}))


@pytest.mark.parametrize(("page", "query", "words"), [
    ("derivatives", {"deriv_x0": "banana"}, "is not a number"),
    ("derivatives", {"deriv_x0": "1e9"}, "is outside"),
    ("backprop", {"backprop_activation": "swish"}, "is not one of the choices"),
    ("jacobian", {"jac_inputs": "7"}, "is not one of the choices"),
])
def test_each_kind_of_dropped_value_says_why(page, query, words):
    at = run_page(page, query)
    assert not at.exception
    (notice,) = _notices(at)
    assert words in notice and " is used." in notice


def test_hostile_link_values_are_quoted_literally_and_cut():
    hostile = f"[click](https://evil.example)**bold**<script>{'A' * 200}"
    at = run_page("backprop", {"backprop_lr": hostile, "backprop_activation": f"__import__('os').system('touch {CANARY}')"})
    assert not at.exception
    (raw,) = [info.value for info in at.info if NOTICE in as_read(info.value)]
    assert "\\[click\\]" in raw and "\\*\\*bold" in raw  # escaped: no link, no bold
    read = as_read(raw)
    assert "“[click](https://evil.example)**bold**<sc…”" in read  # as typed, cut to 40 characters
    assert "__import__('os')" in read


def test_the_note_stays_on_a_rerun_and_goes_once_the_control_is_moved():
    at = run_page("backprop", {"backprop_lr": "0.03"})
    at.run()
    assert _notices(at)
    at.select_slider(key="backprop_lr").set_value(0.1).run()
    assert not at.exception
    assert not _notices(at)


def test_teacher_mode_still_lists_the_dropped_value_in_the_sidebar():
    at = run_page("backprop", {"backprop_lr": "0.03", "teacher": "1"})
    assert not at.exception
    assert _notices(at)
    sidebar = " ".join(as_read(w.value) for w in at.sidebar.warning)
    assert "0.03" in sidebar and "0.05" in sidebar
