"""Visitor text echoed in messages stays literal text: ui.errors.literal, show_user_error and the task box.

Streamlit renders alert bodies with react-markdown, remark-gfm, remark-math,
remark-directive and its own text plugins. The checks below follow those: in the
markdown sent to the browser every ASCII punctuation character is escaped (so no
CommonMark or GFM construct can open), and the text left after unescaping, which
is what Streamlit's text plugins and GFM's bare-link finder see, matches none of
their patterns (ported from mdast-util-gfm-autolink-literal and Streamlit's
StreamlitMarkdown.tsx).
"""

from __future__ import annotations

import re
import string

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT_S
from ui.errors import MARKDOWN_ACTIVE, literal

HOSTILE = [
    "[click](https://evil.example)",
    "![x](https://evil.example/p.png)",
    "<img src=https://evil.example/p.png>",
    "<https://evil.example>",
    "see https://evil.example/login now",
    "www.evil.example",
    "WWW.evil.example/path",
    "mail me: victim@evil.example",
    "[ref]: https://evil.example",
    "[click][ref]\n\n[ref]: https://evil.example",
    ":red[INJECTED] :blue-background[x] :green-badge[y]",
    ":material/warning: :streamlit: :smile: :+1:",
    r"$\href{https://evil.example}{INJECTED}$ and $$x$$",
    "# Heading\n## Sub\n---\n> quote\n- item\n1. item",
    "**bold** _it_ ~~gone~~ `code` ```block```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "x -> y <- z <-> w -- v >= u <= t ~= s",
    "&lt;script&gt; &#x5B;x&#x5D;",
    "x\u202e1+ \u200bzero width\u2028line\x00nul\x1b[31m",
    "    indented code",
    "1. first 2) second",
    "\\[escaped\\](https://evil.example)",
    "x^2 + 2x + 1",
]

GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.I)
GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")
DIRECTIVE = re.compile(r":[A-Za-z][\w-]*\[")
MATERIAL_ICON = re.compile(r":material[/_]\w+:")
EMOJI = re.compile(r":[\w+-][\w+-]*:")
ARROWS = re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)")
TEXT_PATTERNS = [GFM_URL, GFM_EMAIL, DIRECTIVE, MATERIAL_ICON, EMOJI, ARROWS, re.compile(":streamlit:")]
WORD_JOINER = "\u2060"


def unescaped(markdown: str) -> str:
    """The text CommonMark leaves after backslash escapes (what text-node plugins see)."""
    return re.sub(r"\\([" + re.escape(string.punctuation) + "])", r"\1", markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_every_character_markdown_gives_a_meaning_is_escaped(text):
    markdown = literal(text)
    assert "\n" not in markdown and "\r" not in markdown
    i = 0
    while i < len(markdown):
        char = markdown[i]
        if char == "\\":
            assert markdown[i + 1] in string.punctuation, markdown
            i += 2
            continue
        assert char not in MARKDOWN_ACTIVE, (char, markdown)
        i += 1
    assert not re.match(r"\d+[.)]", markdown)  # no ordered list either


@pytest.mark.parametrize("text", HOSTILE)
def test_no_pattern_streamlit_matches_after_unescaping_survives(text):
    shown = unescaped(literal(text))
    for pattern in TEXT_PATTERNS:
        assert not pattern.search(shown), (pattern.pattern, shown)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_reader_sees_the_text_as_typed(text):
    shown = unescaped(literal(text)).replace(WORD_JOINER, "")
    printable = "".join(c if c.isprintable() or c.isspace() else "\ufffd" for c in text)
    assert shown == " ".join(printable.split()).replace("\u200b", "\ufffd")


def _alerts_app(texts: list[str]):
    import streamlit as st

    from ui.errors import literal, show_user_error

    for text in texts:
        st.error(literal(text))
        show_user_error(ValueError(f"Could not read “{text}”"))


def test_alerts_carry_the_escaped_text_to_the_browser_unchanged():
    at = AppTest.from_function(_alerts_app, args=(HOSTILE,), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    bodies = [element.value for element in at.error]
    assert len(bodies) == 2 * len(HOSTILE)
    for text, direct, via_error in zip(HOSTILE, bodies[::2], bodies[1::2]):
        assert direct == literal(text)
        assert via_error == literal(f"Could not read “{text}”")


def _task_app(answer: str):
    import streamlit as st
    import sympy

    from ui.task import symbolic_checker, task_box, vector_checker

    st.session_state["t_answer"] = answer
    st.session_state["v_answer"] = answer
    task_box("t", "Differentiate x^3.", symbolic_checker(3 * sympy.Symbol("x") ** 2), "Power rule.", "3x^2")
    task_box("v", "Give the gradient.", vector_checker((1.0, 2.0)), "Partial derivatives.", "(1, 2)")


@pytest.mark.parametrize("answer", ["[click](https://evil.example)", "(www.evil.example, 2)",
                                    ":red[INJECTED], ![x](https://evil.example/p.png)", "x^2 + 1"])
def test_task_box_messages_quote_the_answer_literally(answer):
    at = AppTest.from_function(_task_app, args=(answer,), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    messages = [element.value for element in (*at.warning, *at.success)]
    assert len(messages) == 2
    for markdown in messages:
        shown = unescaped(markdown)
        for pattern in TEXT_PATTERNS:
            assert not pattern.search(shown), (pattern.pattern, markdown)
        assert "](" not in markdown and "<" not in markdown.replace("\\<", "")
