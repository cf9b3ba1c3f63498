"""What the browser tests' server-log check counts (``server_log_problems``), on logs written by hand."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LOG_FORMAT, ServerLog, server_log_problems

CLEAN = """\
2026-12-05 07:07:54.164 INFO streamlit.web.server.starlette.starlette_server: Uvicorn server started on 127.0.0.1:8765

  You can now view your Streamlit app in your browser.

  URL: http://127.0.0.1:8765

  Stopping...
"""

DUPLICATE_STATE = """\
2026-12-05 07:09:07.298 WARNING streamlit.elements.lib.policies: The widget with key "backprop_sample" was created \
with a default value but also had its value set via the Session State API.
Stack (most recent call last):
  File "/work/main/ui/widgets.py", line 86, in slider
    result = container.slider(label, min_value=min_value, max_value=max_value, value=value, step=step,
"""

UNCAUGHT = """\
2026-12-05 07:11:38.738 ERROR streamlit.runtime.scriptrunner.exec_code: Uncaught app execution
Traceback (most recent call last):
  File "/work/main/lessons/backprop.py", line 15, in <module>
streamlit.errors.StreamlitValueAboveMaxError: The `value` 80 is greater than the `max_value` 24.
"""


def test_the_banner_and_info_records_are_clean():
    assert server_log_problems(CLEAN) == []


def test_the_format_names_the_level_and_the_logger():
    assert "%(levelname)s" in LOG_FORMAT and "%(name)s" in LOG_FORMAT


@pytest.mark.parametrize("text", [DUPLICATE_STATE, UNCAUGHT])
def test_a_warning_or_error_record_counts_with_every_line_of_its_trace(text):
    problems = server_log_problems(CLEAN + text)
    assert [line for _, line in problems] == text.splitlines()
    assert problems[0][0] == len(CLEAN.splitlines()) + 1, "line numbers count from the start of the log"


@pytest.mark.parametrize("line", [
    "/work/main/calc_core/mlp/estimator.py:88: RuntimeWarning: overflow encountered in exp",  # warnings.warn
    "Unexpected error while rendering a page",  # the app's logger through Python's last-resort handler
    "2026-12-05 07:11:38.738 CRITICAL calc_lab: out of memory",
    "  URL: http://127.0.0.1:8765 and more",
])
def test_anything_else_counts(line):
    assert server_log_problems(CLEAN + line + "\n") == [(len(CLEAN.splitlines()) + 1, line)]


def test_each_check_covers_what_was_written_since_the_last_one(tmp_path):
    path = tmp_path / "server.log"
    log = ServerLog(path)
    path.write_text(CLEAN + "Traceback (most recent")
    assert log.unchecked_problems() == [], "a line still being written waits for its end"
    with path.open("a") as file:
        file.write(" call last):\n")
    assert log.unchecked_problems() == [(len(CLEAN.splitlines()) + 1, "Traceback (most recent call last):")]
    assert log.unchecked_problems() == []
    with path.open("a") as file:
        file.write("  Stopping...\npartial")
    assert log.unchecked_problems(final=True) == [(len(CLEAN.splitlines()) + 3, "partial")]


def test_a_failed_check_names_the_log_and_shows_the_lines(tmp_path):
    path = tmp_path / "server.log"
    path.write_text(CLEAN + DUPLICATE_STATE)
    with pytest.raises(pytest.fail.Exception) as failure:
        ServerLog(path).check("during test_x")
    message = str(failure.value)
    assert str(path) in message and "during test_x" in message
    assert 'key "backprop_sample"' in message and "Stack (most recent call last):" in message
