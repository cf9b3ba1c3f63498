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
import pyarrow as pa
import streamlit as st

from ui import widgets

__all__ = ["NUMBERS_LABEL", "accessible", "chart_table", "numbers", "show_chart"]

NUMBERS_LABEL = "Show the numbers"


def accessible(spec: dict) -> dict:
    """``spec`` with the ARIA roles on its marks turned off (a new dict); name the chart with ``alt``.

    Off twice: in the spec's config, and on every mark itself, because Streamlit
    replaces parts of the config with its own theme (in the dark theme the config
    alone did not reach the marks).
    """
    return {**_marks_without_aria(spec), "config": {**spec.get("config", {}), "aria": False}}


def _marks_without_aria(node):
    if isinstance(node, list):
        return [_marks_without_aria(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for name, value in node.items():
        if name == "mark":
            out[name] = {"type": value, "aria": False} if isinstance(value, str) else {**value, "aria": False}
        elif name in ("layer", "hconcat", "vconcat", "concat", "spec"):
            out[name] = _marks_without_aria(value)
        else:
            out[name] = value
    return out


def numbers(key: str, table: pd.DataFrame | Callable[[], pd.DataFrame], container=st) -> None:
    """A "Show the numbers" toggle (URL-bound, off by default) that shows ``table`` when on.

    ``table`` may be a function, so a page builds the table only when a learner asks for it.
    """
    if widgets.toggle(NUMBERS_LABEL, key, container=container,
                      help="The chart's data as a table a screen reader can read."):
        container.dataframe(table() if callable(table) else table, hide_index=True)


def chart_table(spec: dict) -> pd.DataFrame:
    """The data a Vega-Lite spec draws, as one table: every dataset's rows, named by a ``data`` column.

    Named datasets keep their names ("curves", "slopes"); the ones Altair names by a hash
    are numbered in drawing order.
    """
    frames = []
    for number, (name, data) in enumerate(spec.get("datasets", {}).items(), start=1):
        if isinstance(data, bytes):  # already serialised as an Arrow stream
            data = pa.ipc.open_stream(data).read_all()
        frame = data.to_pandas() if hasattr(data, "to_pandas") else pd.DataFrame(data)
        frame.insert(0, "data", f"set {number}" if name.startswith("data-") else name)
        frames.append(frame)
    inline = spec.get("data", {}).get("values") if isinstance(spec.get("data"), dict) else None
    if inline is not None:
        frames.append(pd.DataFrame(inline).assign(data="chart").pipe(lambda f: f[["data", *f.columns[:-1]]]))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"data": []})


def show_chart(spec: dict, alt: str, key: str, table: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
               container=st, width="stretch") -> None:
    """A chart with a text alternative, then its numbers on request (see :func:`numbers`).

    ``spec`` is a Vega-Lite dict (an Altair chart goes through :func:`ui.charts.common.vega_spec`). Without ``table`` the numbers are the
    chart's own data (:func:`chart_table`), built only when a learner asks for them.
    """
    container.vega_lite_chart(accessible(spec), width=width, alt=alt)
    numbers(key, table if table is not None else lambda: chart_table(spec), container)
