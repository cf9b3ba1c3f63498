"""Every case of the class corpus (tests/hostile_classes.py) on its page: bounded, readable, literal.

For each case: no exception element and no generic "something went wrong" box; a
message where the case must be refused; no element over 300 KB; no link, image,
bare URL, coloured-text or LaTeX markup from the visitor's text live in any
markdown the page renders; and no wrong claim the case used to provoke.
The run's time limit is generous (an outcome, not a speed); the CPU each case
costs is measured by benchmarks/hostile_cost.py.
"""

from __future__ import annotations

import re

import pytest
from streamlit import config

from tests.hostile_classes import CASES, CLASSES, INJECTION, Case, run_case

MAX_ELEMENT_BYTES = 300_000
GENERIC = "Something went wrong"
COURSE_NOTE_ICON = ":material/menu_book:"
# Element types whose text Streamlit shows literally: what they hold is not markdown.
LITERAL_TYPES = {"text", "code", "text_input", "text_area", "dataframe", "table", "json"}
MARKDOWN_FIELDS = ("body", "label", "help")
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
# Markup that renders when it reaches markdown unescaped and outside a code span.
LIVE_MARKUP = {
    "link or image": re.compile(r"(?<!\\)\[(?:[^\]\\\n]|\\.)*(?<!\\)\]\(\s*<?(?:https?:)?//evil\.example"),
    "bare URL": re.compile(r"(?:https?://|www\.)evil\.example"),
    "coloured text": re.compile(r"(?<!\\):red\[INJECTED"),
    "LaTeX": re.compile(r"(?<!\\)\$[^$]*(?:INJECTED|evil\.example)"),
}
ALERTS = ("error", "warning", "info", "success")


def elements(at):
    """Every element node of a run (blocks are walked, not returned)."""
    stack = [at._tree]
    while stack:
        node = stack.pop()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
        elif getattr(node, "proto", None) is not None:
            yield node


def markdown_texts(at) -> list[tuple[str, str]]:
    """(element type, text) for every string the page hands to Streamlit's markdown renderer."""
    texts = []
    for node in elements(at):
        if node.type in LITERAL_TYPES:
            continue
        for name in MARKDOWN_FIELDS:
            value = getattr(node.proto, name, None)
            if isinstance(value, str) and value:
                texts.append((node.type, value))
    return texts


def live_markup(text: str) -> list[str]:
    """Names of the visitor markup that would render in ``text``."""
    outside_code = CODE_SPAN.sub("", text)
    return [name for name, pattern in LIVE_MARKUP.items() if pattern.search(outside_code)]


def messages(at) -> list[str]:
    """Alert bodies, without the lessons' course notes (which every page shows)."""
    return [alert.value for kind in ALERTS for alert in getattr(at, kind)
            if getattr(alert.proto, "icon", "") != COURSE_NOTE_ICON]


@pytest.fixture(autouse=True)
def error_details():
    """The public server hides exception details; a failing case should name its exception and where it arose."""
    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)


def describe(exception) -> str:
    where = exception.stack_trace[-1].strip().splitlines()[0] if exception.stack_trace else ""
    return f"{exception.proto.type}: {exception.value[:100]} ({where})"


def check(case: Case, at) -> None:
    assert not at.exception, f"{case.id}: exception element: {describe(at.exception[0])}"
    shown = messages(at)
    assert not any(GENERIC in m for m in shown), f"{case.id}: generic error instead of a message"
    if case.refused:
        assert shown, f"{case.id}: refused without a message"
    sizes = [(node.proto.ByteSize(), node.type) for node in elements(at)]
    biggest = max(sizes, default=(0, ""))
    assert biggest[0] <= MAX_ELEMENT_BYTES, f"{case.id}: {biggest[1]} element of {biggest[0] / 1000:.0f} KB"
    if case.kind == INJECTION:
        for kind, text in markdown_texts(at):
            found = live_markup(text)
            assert not found, f"{case.id}: {', '.join(found)} live in a {kind}: {text[:120]!r}"
    for claim in case.forbid:
        wrong = [m for m in shown if claim in m.lower()]
        assert not wrong, f"{case.id}: says {claim!r}: {wrong[0][:120]!r}"
    if case.points_kept is not None:
        kept = [p for p in at.text_input(key="svm_points").value.split(";") if p.strip()]
        assert len(kept) == case.points_kept or at.error, \
            f"{case.id}: {len(kept)} of {case.points_kept} points kept, without an error"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.page.split('/')[-1][:-3]}:{c.id}" for c in CASES])
def test_hostile_case(case):
    check(case, run_case(case))


def test_the_markup_check_catches_what_renders_and_passes_what_is_literal():
    for payload in ("[click](https://evil.example)", "![x](https://evil.example/p.png)", "see https://evil.example",
                    ":red[INJECTED]", r"$\href{https://evil.example}{INJECTED}$"):
        assert live_markup(f"Could not read “{payload}”"), payload
        assert not live_markup(f"Could not read `{payload}`"), payload
    assert not live_markup(r"Could not read \[click\]\(https\://evil.example\)")
    assert not live_markup(r"Could not read \:red\[INJECTED\] or \$INJECTED\$")


def test_the_corpus_names_each_case_once_and_covers_every_class():
    assert len({case.id for case in CASES}) == len(CASES)
    assert {case.kind for case in CASES} == set(CLASSES)
    assert len(CASES) >= 60
