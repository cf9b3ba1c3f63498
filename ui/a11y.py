"""Keyboard access that Streamlit's own markup leaves out (WCAG 2.1.1, 2.4.7).

- Focus always visible: Streamlit's sidebar links and heading anchors change too
  little when they take keyboard focus; one style rule gives every focusable
  element a clear outline when focus arrives by keyboard (``:focus-visible``),
  in both themes.
- Charts read as one image: the chart element carries its alt text
  (ui/charts/show.py turns Vega's per-mark roles off); any mark group Vega
  still labels as an image is hidden from screen readers by the script below.
- Wide regions reachable by keyboard: a formula or table wider than the column
  scrolls inside its own box (so a phone never scrolls sideways), and such a
  box must take keyboard focus for arrow keys to scroll it. A small script
  (our own constant text, never anything a visitor typed) gives every box
  that scrolls and holds nothing focusable a tab stop and a name; it watches
  the page, so boxes drawn by later reruns get them too.
- Charts of a fixed size (square heatmaps, where equal axes matter) shrink
  to a narrow column, keeping their shape, instead of making a phone scroll
  sideways.
- A primary button's label is dark on the dark theme's light blue (white on it is 2.5:1; dark is 7:1).
- The collapsed sidebar (a phone's default) is hidden: its links are out of
  the tab order and it is not left as a scrollable region with nothing to focus.
"""

from __future__ import annotations

import streamlit as st

FOCUS_CSS = """<style>
a:focus-visible, button:focus-visible, [role="slider"]:focus-visible, [tabindex]:focus-visible,
summary:focus-visible, input:focus-visible, textarea:focus-visible {
    outline: 2px solid var(--st-primary-color, #2563eb) !important;
    outline-offset: 2px !important;
}
.vega-embed, .vega-embed svg, .vega-embed canvas {
    max-width: 100% !important;
}
.vega-embed svg, .vega-embed canvas {
    height: auto !important;
}
@media (prefers-color-scheme: dark) {
    [data-testid="stBaseButton-primary"]:not(:disabled), [data-testid="stBaseButton-primary"]:not(:disabled) * {
        color: #0f172a !important;
    }
}
[data-testid="stSidebar"][data-collapsed="true"] [data-testid="stSidebarContent"] {
    overflow: hidden !important;
    visibility: hidden;
}
</style>"""

SCROLL_REGIONS_JS = """<script>
(() => {
  if (window.__calcLabScrollRegions) return;
  window.__calcLabScrollRegions = true;
  const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const WIDE = '.katex-display, [data-testid="stMarkdownContainer"] table, [data-testid="stMarkdownContainer"] pre';
  const mark = () => {
    // Chart marks are named by the chart's alt text and listed by "Show the numbers"; a mark group that
    // Vega still labels as an image (layers it derives itself) is hidden from screen readers.
    for (const group of document.querySelectorAll('.vega-embed [role="graphics-symbol"]')) {
      group.removeAttribute('role');
      group.setAttribute('aria-hidden', 'true');
    }
    for (const box of document.querySelectorAll(WIDE)) {
      if (box.hasAttribute('tabindex') || box.scrollWidth <= box.clientWidth + 1) continue;
      if (box.querySelector(FOCUSABLE)) continue;
      box.setAttribute('tabindex', '0');
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', box.classList.contains('katex-display')
        ? 'Wide formula: scroll sideways with the arrow keys' : 'Wide content: scroll sideways with the arrow keys');
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; mark(); });
  }).observe(document.body, {childList: true, subtree: true});
  // Layout changes that add no element: a window resize, fonts arriving, an expander opening.
  window.addEventListener('resize', mark);
  document.addEventListener('toggle', mark, true);
  document.fonts.ready.then(mark);
  // KaTeX's fonts arrive after the formulas are drawn and widen them.
  document.fonts.addEventListener('loadingdone', mark);
  // KaTeX can finish its layout after the last change to the page's elements.
  setInterval(mark, 1000);
  mark();
})();
</script>"""


def visible_focus() -> None:
    """Add the focus outline, the sidebar rule and the wide-box script to the page (they take no space)."""
    st.html(FOCUS_CSS)
    st.html(SCROLL_REGIONS_JS, unsafe_allow_javascript=True)
