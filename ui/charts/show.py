"""Charts a screen reader can announce, each with its numbers as a table on request.

Vega-Lite gives every mark an ARIA image role by default; a chart of hundreds of
points then reads as hundreds of unlabelled images (axe-core's ``svg-img-alt``).
:func:`accessible` turns the per-mark roles off and names the whole chart with
Streamlit's ``alt`` instead, which 1.67 puts on the chart element as its
accessible name (a spec's own ``description`` would be overridden by it).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ui import widgets

__all__ = ["NUMBERS_LABEL", "accessible", "numbers", "show_chart"]

NUMBERS_LABEL = "Show the numbers"


def accessible(spec: dict) -> dict:
    """``spec`` with the ARIA roles on its marks turned off (a new dict); name the chart with ``alt``."""
    return {**spec, "config": {**spec.get("config", {}), "aria": False}}


def numbers(key: str, table: pd.DataFrame | Callable[[], pd.DataFrame], container=st) -> None:
    """A "Show the numbers" toggle (URL-bound, off by default) that shows ``table`` when on.

    ``table`` may be a function, so a page builds the table only when a learner asks for it.
    """
    if widgets.toggle(NUMBERS_LABEL, key, container=container,
                      help="The chart's data as a table a screen reader can read."):
        container.dataframe(table() if callable(table) else table, hide_index=True)


def show_chart(spec: dict, alt: str, key: str, table: pd.DataFrame | Callable[[], pd.DataFrame],
               container=st, width="stretch") -> None:
    """A Vega-Lite chart with a text alternative, then its numbers on request (see :func:`numbers`)."""
    container.vega_lite_chart(accessible(spec), width=width, alt=alt)
    numbers(key, table, container)
