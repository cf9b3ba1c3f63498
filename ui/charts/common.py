"""Chart building blocks shared by the lessons.

Building and validating Altair charts costs tens of milliseconds per chart, so
pages cache a chart *template* (a Vega-Lite dict whose layers read named
datasets) and fill in fresh data on each rerun with :func:`with_data`.

:func:`heatmap` is the one picture of f(x, y) over a window (the gradient and
optimization lessons draw their fields and paths on top of it), and
:func:`equal_units_size` gives both of them a plot with equal units on the axes.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from calc_core.gradients import FunctionGrid

HEIGHT = 320
#: Share of values cut from each end of f's colour scale, so one pole does not wash out the rest.
HEATMAP_CLIP_QUANTILE = 0.02
#: Length in pixels of a heatmap's colour legend (legends sit below the plot).
LEGEND_LENGTH = 120


def with_data(template: dict, **datasets: pd.DataFrame) -> dict:
    """A Vega-Lite spec: ``template`` with its named datasets filled in (or replaced)."""
    return {**template, "datasets": {**template.get("datasets", {}), **datasets}}


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


def equal_units_size(x_range: tuple[float, float], y_range: tuple[float, float], size: int,
                     min_side: int) -> tuple[int, int]:
    """Pixel width and height with equal units on both axes: the longer side gets ``size`` pixels.

    With equal units a right angle in the plane is a right angle on screen and a
    circle stays round; the shorter side never drops below ``min_side``.
    """
    x_span, y_span = x_range[1] - x_range[0], y_range[1] - y_range[0]
    if x_span >= y_span:
        return size, max(min_side, round(size * y_span / x_span))
    return max(min_side, round(size * x_span / y_span)), size


def axes(x_range: tuple[float, float], y_range: tuple[float, float]) -> tuple[alt.X, alt.Y]:
    """x and y encodings fixed to the window (no rounding, no forced zero)."""
    return (alt.X("x:Q", scale=alt.Scale(domain=list(x_range), nice=False, zero=False), title="x"),
            alt.Y("y:Q", scale=alt.Scale(domain=list(y_range), nice=False, zero=False), title="y"))


def heatmap(grid: FunctionGrid, x_range: tuple[float, float], y_range: tuple[float, float],
            opacity: float = 0.8) -> alt.Chart:
    """f over the window as grey cells centred on the grid points (darker is larger); undefined cells blank.

    ``opacity`` lets the layers drawn on top (arrows, contours, paths) stand out as much as each view needs.
    """
    x_axis, y_axis = axes(x_range, y_range)
    dx = (x_range[1] - x_range[0]) / (grid.x.shape[1] - 1)
    dy = (y_range[1] - y_range[0]) / (grid.y.shape[0] - 1)
    cells = pd.DataFrame({"x": grid.x.ravel(), "y": grid.y.ravel(), "f": grid.z.ravel()}).dropna()
    cells["x2"], cells["y2"] = cells["x"] + dx / 2, cells["y"] + dy / 2
    cells["x"], cells["y"] = cells["x"] - dx / 2, cells["y"] - dy / 2
    lo, hi = robust_domain(grid.z, pad=0.0, clip_quantile=HEATMAP_CLIP_QUANTILE)
    return alt.Chart(cells).mark_rect(opacity=opacity, clip=True).encode(
        x=x_axis, x2=alt.X2("x2"), y=y_axis, y2=alt.Y2("y2"),
        color=alt.Color("f:Q", title="f(x, y)", scale=alt.Scale(scheme="greys", domain=[lo, hi], clamp=True),
                        legend=alt.Legend(orient="bottom", gradientLength=LEGEND_LENGTH)),
        tooltip=[alt.Tooltip("f:Q", format=".4g")],
    )
