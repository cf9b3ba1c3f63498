"""Keyboard focus that is always visible (WCAG 2.4.7).

Streamlit's sidebar links and heading anchors change too little when they take
keyboard focus; one style rule gives every focusable element a clear outline
when focus arrives by keyboard (``:focus-visible``), in both themes.
"""

from __future__ import annotations

import streamlit as st

FOCUS_CSS = """<style>
a:focus-visible, button:focus-visible, [role="slider"]:focus-visible, [tabindex]:focus-visible,
summary:focus-visible, input:focus-visible, textarea:focus-visible {
    outline: 2px solid var(--st-primary-color, #2563eb) !important;
    outline-offset: 2px !important;
}
</style>"""


def visible_focus() -> None:
    """Add the focus outline to the page (a style element only; it takes no space)."""
    st.html(FOCUS_CSS)
