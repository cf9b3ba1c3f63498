"""Chart building blocks shared by the lessons (Altair; data in, chart out)."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

HEIGHT = 320


def long_frame(x: np.ndarray, series: Mapping[str, np.ndarray], x_name: str = "x") -> pd.DataFrame:
    """Stack named curves sharing ``x`` into a long frame (NaN kept, so lines break there)."""
    frames = [pd.DataFrame({x_name: x, "value": np.asarray(y, dtype=float), "series": name})
              for name, y in series.items()]
    frame = pd.concat(frames, ignore_index=True)
    frame["value"] = frame["value"].where(np.isfinite(frame["value"]))
    return frame


def line_chart(x: np.ndarray, series: Mapping[str, np.ndarray], x_title: str = "x", y_title: str = "",
               title: str = "", log_x: bool = False, log_y: bool = False, height: int = HEIGHT) -> alt.Chart:
    """Several curves over one x axis; gaps where a value is undefined."""
    frame = long_frame(x, series)
    x_scale = alt.Scale(type="log") if log_x else alt.Scale(zero=False)
    y_scale = alt.Scale(type="log") if log_y else alt.Scale(zero=False)
    return (
        alt.Chart(frame, title=title)
        .mark_line(clip=True)
        .encode(
            x=alt.X("x:Q", title=x_title, scale=x_scale),
            y=alt.Y("value:Q", title=y_title, scale=y_scale),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("series:N"), alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("value:Q", format=".6g")],
        )
        .properties(height=height)
    )


def points_layer(x, y, label: str, color: str = "#d62728", size: int = 80) -> alt.Chart:
    """Marked points (e.g. x0, a maximum) to layer on a chart."""
    frame = pd.DataFrame({"x": np.atleast_1d(x), "value": np.atleast_1d(y), "label": label})
    return alt.Chart(frame).mark_point(filled=True, size=size, color=color).encode(
        x="x:Q", y="value:Q", tooltip=["label:N", alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("value:Q", format=".6g")]
    )


def robust_domain(values: np.ndarray, pad: float = 0.08, clip_quantile: float = 0.02) -> tuple[float, float]:
    """A y-range that ignores NaN and extreme spikes (e.g. near a pole of 1/x)."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return (-1.0, 1.0)
    lo, hi = np.quantile(finite, [clip_quantile, 1 - clip_quantile])
    if hi - lo < 1e-12:
        lo, hi = lo - 1.0, hi + 1.0
    span = hi - lo
    return float(lo - pad * span), float(hi + pad * span)
