"""Chart building blocks shared by the lessons.

Building Altair charts costs milliseconds per chart, so pages cache a chart
*template* (a Vega-Lite dict whose layers read named datasets) and fill in fresh
data on each rerun with :func:`with_data`. :func:`vega_spec` turns a chart into
its dict without Altair's schema validation, which was a quarter of a
backpropagation rerun on the server; ``tests/app/test_chart_schema.py``
validates every page's charts instead.

:func:`heatmap` is the one picture of f(x, y) over a window (the gradient and
optimization lessons draw their fields and paths on top of it), and
:func:`equal_units_size` gives both of them a plot with equal units on the axes.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

from calc_core.gradients import FunctionGrid

HEIGHT = 320
#: Share of values cut from each end of f's colour scale, so one pole does not wash out the rest.
HEATMAP_CLIP_QUANTILE = 0.02
#: Significant digits of a heatmap's coordinates and values (four are finer than any grey level or tooltip).
HEATMAP_DIGITS = 4
#: Length in pixels of a heatmap's colour legend (legends sit below the plot).
LEGEND_LENGTH = 120


def vega_spec(chart: alt.TopLevelMixin) -> dict:
    """``chart`` as a Vega-Lite dict, its data inline, without re-validating it against the schema."""
    return chart.to_dict(validate=False)


def quantitative(field: str, **props) -> dict:
    """A quantitative Vega-Lite field channel, for specs written as dicts."""
    return {"field": field, "type": "quantitative", **props}


def nominal(field: str, **props) -> dict:
    """A nominal Vega-Lite field channel, for specs written as dicts."""
    return {"field": field, "type": "nominal", **props}


def with_data(template: dict, **datasets: pd.DataFrame) -> dict:
    """A Vega-Lite spec: ``template`` with its named datasets filled in (or replaced)."""
    return {**template, "datasets": {**template.get("datasets", {}), **datasets}}


def _compact(values: np.ndarray) -> np.ndarray:
    """32-bit floats when every finite value fits in them (7 digits, finer than any chart shows), else as given."""
    finite = values[np.isfinite(values)]
    fits = finite.size == 0 or np.abs(finite).max() <= np.finfo(np.float32).max
    return values.astype(np.float32) if fits else values


def arrow_table(**columns) -> bytes:
    """Columns of numbers as Arrow bytes, 32-bit where they fit (rows with a NaN dropped), for a chart's ``datasets``.

    A Vega-Lite layer reads it as ``{"data": {"name": ...}}``. Streamlit sends Arrow
    bytes as they are, while inline ``values`` go through JSON twice on every
    call: for data that changes on every move, this is the cheap form.
    """
    arrays = {name: np.asarray(values, dtype=float).ravel() for name, values in columns.items()}
    keep = np.logical_and.reduce([np.isfinite(a) for a in arrays.values()]) if arrays else None
    return _arrow_bytes(pa.table({name: _compact(a[keep]) for name, a in arrays.items()}))


def arrow_datasets(spec: dict) -> dict:
    """``spec`` with its named datasets as Arrow bytes (32-bit floats where they fit), the form Streamlit sends.

    Streamlit converts a chart's datasets to Arrow on every call unless they are
    bytes already, so a cached spec converted once costs nothing per rerun, and
    32-bit floats (7 digits, finer than any chart shows) halve the bytes.
    """
    converted = {}
    for name, records in spec.get("datasets", {}).items():
        frame = pd.DataFrame(records)
        for column in frame.select_dtypes("float64").columns:
            frame[column] = _compact(frame[column].to_numpy())
        converted[name] = _arrow_bytes(pa.Table.from_pandas(frame))
    return {**spec, "datasets": converted}


def _arrow_bytes(table: pa.Table) -> bytes:
    """``table`` as an Arrow IPC stream, the form in which ``st.vega_lite_chart`` passes a dataset's bytes on."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


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


def axes(x_range: tuple[float, float], y_range: tuple[float, float], x_field: str = "x",
         y_field: str = "y") -> tuple[alt.X, alt.Y]:
    """x and y encodings fixed to the window (no rounding, no forced zero)."""
    return (alt.X(field=x_field, type="quantitative", title="x",
                  scale=alt.Scale(domain=list(x_range), nice=False, zero=False)),
            alt.Y(field=y_field, type="quantitative", title="y",
                  scale=alt.Scale(domain=list(y_range), nice=False, zero=False)))


def significant(values: np.ndarray, digits: int = 4) -> np.ndarray:
    """``values`` rounded to ``digits`` significant digits (NaN stays NaN): short JSON for chart data."""
    values = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(np.isfinite(values) & (values != 0),
                         10.0 ** (digits - 1 - np.floor(np.log10(np.abs(values)))), 1.0)
        return np.round(values * scale) / scale


def _to_cell(coordinates: np.ndarray, half_cell: float) -> np.ndarray:
    """Coordinates rounded to a hundredth of a cell: exact on screen, short in JSON."""
    decimals = max(0, int(np.ceil(-np.log10(half_cell))) + 2)
    return np.round(coordinates, decimals)


def heatmap(grid: FunctionGrid, x_range: tuple[float, float], y_range: tuple[float, float],
            opacity: float = 0.8) -> alt.Chart:
    """f over the window as grey cells centred on the grid points (darker is larger); undefined cells blank.

    ``opacity`` lets the layers drawn on top (arrows, contours, paths) stand out as much as each view needs.
    The data holds only each cell's centre and value, rounded for colour (the browser computes the corners),
    so the chart stays small enough to resend on every move of a point drawn on top of it.
    """
    x_axis, y_axis = axes(x_range, y_range, "x1", "y1")
    half_dx = (x_range[1] - x_range[0]) / (grid.x.shape[1] - 1) / 2
    half_dy = (y_range[1] - y_range[0]) / (grid.y.shape[0] - 1) / 2
    cells = pd.DataFrame({"x": _to_cell(grid.x.ravel(), half_dx), "y": _to_cell(grid.y.ravel(), half_dy),
                          "f": significant(grid.z.ravel(), HEATMAP_DIGITS)}).dropna()
    lo, hi = robust_domain(grid.z, pad=0.0, clip_quantile=HEATMAP_CLIP_QUANTILE)
    return alt.Chart(cells).transform_calculate(
        x1=f"datum.x - {half_dx!r}", x2=f"datum.x + {half_dx!r}",
        y1=f"datum.y - {half_dy!r}", y2=f"datum.y + {half_dy!r}",
    ).mark_rect(opacity=opacity, clip=True).encode(
        x=x_axis, x2=alt.X2("x2"), y=y_axis, y2=alt.Y2("y2"),
        color=alt.Color("f:Q", title="f(x, y)", scale=alt.Scale(scheme="greys", domain=[lo, hi], clamp=True),
                        legend=alt.Legend(orient="bottom", gradientLength=LEGEND_LENGTH)),
        tooltip=[alt.Tooltip("f:Q", format=".4g")],
    )
