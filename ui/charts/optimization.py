"""Charts for the optimization lesson: f and f' with critical points, descent paths, contours and losses.

The parts that depend only on the function (curves, contours, critical points) are
built with Altair and returned as Vega-Lite dicts, which the page caches. The parts
that change with every slider move (paths, the start, the loss curves) are added as
plain Vega-Lite layers: building them through Altair's schema validation would cost
more than the whole rest of a rerun.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import contourpy
import numpy as np
import pandas as pd

from calc_core.gradients import FunctionGrid
from calc_core.optimization import CriticalPoint, CriticalPoint2D, OptimizationPath
from ui.charts.common import HEIGHT, arrow_datasets, robust_domain, vega_spec
from ui.charts.common import quantitative as _q

F_COLOR = "#1f77b4"
DERIVATIVE_COLOR = "#8c564b"
PATH_COLOR = "#ff7f0e"
START_COLOR = "#222222"
KIND_COLORS = {"minimum": "#2ca02c", "maximum": "#d62728", "inflection": "#9467bd", "saddle": "#ff7f0e",
               "degenerate": "#7f7f7f"}
KIND_SHAPES = {"minimum": "triangle-down", "maximum": "triangle-up", "inflection": "diamond", "saddle": "cross",
               "degenerate": "square"}
VIEW_SIZE = 520
MIN_SIDE = 240
# Paths are drawn in full for their first FULL_STEPS steps and thinned after that, so a
# long run stays a light chart.
FULL_STEPS = 600
THINNED_STEPS = 300
MAX_CONTOUR_ROWS = 2500
# Contours at these quantiles of f over the window follow the shape of any function, whatever its scale.
CONTOUR_QUANTILES = (0.01, 0.03, 0.07, 0.13, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# Name of the dataset holding the optimizers' paths (both path layers read it).
PATHS = "optimizer_paths"
LOSSES = "optimizer_losses"


def _records(**columns) -> list[dict]:
    """Column arrays to Vega-Lite records; non-finite numbers become null (a gap, not an error)."""
    names = list(columns)
    rows = zip(*(np.asarray(columns[n]).tolist() for n in names))
    return [{n: (v if not isinstance(v, float) or np.isfinite(v) else None) for n, v in zip(names, row)}
            for row in rows]


def _x_scale(x_range) -> alt.Scale:
    return alt.Scale(domain=list(x_range), nice=False, zero=False)


def _kind_encoding(kinds: Sequence[str]) -> tuple[alt.Color, alt.Shape]:
    kinds = [k for k in KIND_COLORS if k in set(kinds)]
    # Same field, title and legend for colour and shape: Vega-Lite draws one legend with coloured shapes.
    legend = alt.Legend(orient="right", symbolSize=120)
    color = alt.Color("kind:N", title="critical point", legend=legend,
                      scale=alt.Scale(domain=kinds, range=[KIND_COLORS[k] for k in kinds]))
    shape = alt.Shape("kind:N", title="critical point", legend=legend,
                      scale=alt.Scale(domain=kinds, range=[KIND_SHAPES[k] for k in kinds]))
    return color, shape


def _critical_layer(points: Sequence[CriticalPoint], y_of) -> alt.Chart:
    color, shape = _kind_encoding([p.kind for p in points])
    frame = pd.DataFrame({"x": [p.x for p in points], "y": [y_of(p) for p in points],
                          "value": [p.value for p in points], "kind": [p.kind for p in points],
                          "test": [p.test for p in points]})
    return alt.Chart(frame).mark_point(filled=True, size=150, opacity=1, clip=True).encode(
        x="x:Q", y="y:Q", color=color, shape=shape,
        tooltip=[alt.Tooltip("kind:N"), alt.Tooltip("x:Q", format=".6g"),
                 alt.Tooltip("value:Q", title="f(x)", format=".6g"), alt.Tooltip("test:N", title="decided by")],
    )


def function_spec(xs: np.ndarray, fs: np.ndarray, points: Sequence[CriticalPoint],
                  x_range: tuple[float, float]) -> dict:
    """f with its critical points marked, as a Vega-Lite dict (a descent path can be added with :func:`with_path`)."""
    visible = [p for p in points if x_range[0] <= p.x <= x_range[1]]
    lo, hi = robust_domain(np.append(fs, [p.value for p in visible]))
    y_scale = alt.Scale(domain=[lo, hi], nice=False, zero=False)
    layers = [alt.Chart(pd.DataFrame({"x": xs, "y": fs})).mark_line(color=F_COLOR, clip=True).encode(
        x=alt.X("x:Q", title="x", scale=_x_scale(x_range)), y=alt.Y("y:Q", title="f(x)", scale=y_scale),
        tooltip=[alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("y:Q", title="f(x)", format=".6g")])]
    if visible:
        layers.append(_critical_layer(visible, lambda p: p.value))
    return vega_spec(alt.layer(*layers).properties(height=HEIGHT, title="y = f(x)"))


def derivative_spec(xs: np.ndarray, dfs: np.ndarray, points: Sequence[CriticalPoint],
                    x_range: tuple[float, float]) -> dict:
    """f' with the zero line: each critical point sits where the curve meets (or touches) it."""
    lo, hi = robust_domain(np.append(dfs, 0.0))
    y_scale = alt.Scale(domain=[min(lo, 0.0), max(hi, 0.0)], nice=False, zero=False)
    layers = [
        alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#999999", strokeDash=[4, 3]).encode(y="y:Q"),
        alt.Chart(pd.DataFrame({"x": xs, "y": dfs})).mark_line(color=DERIVATIVE_COLOR, clip=True).encode(
            x=alt.X("x:Q", title="x", scale=_x_scale(x_range)), y=alt.Y("y:Q", title="f′(x)", scale=y_scale),
            tooltip=[alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("y:Q", title="f′(x)", format=".6g")]),
    ]
    visible = [p for p in points if x_range[0] <= p.x <= x_range[1]]
    if visible:
        layers.append(_critical_layer(visible, lambda p: 0.0))
    return vega_spec(alt.layer(*layers).properties(height=HEIGHT, title="y = f′(x)"))


def with_path(spec: dict, path: OptimizationPath) -> dict:
    """The f chart plus the descent iterates walked along the curve, joined in order, the start in black."""
    keep = drawn_steps(len(path.points))
    walk = _records(x=path.points[keep, 0], y=path.losses[keep], step=keep)
    tooltip = [{"field": "step", "type": "quantitative"}, _q("x", format=".6g"), _q("y", title="f(x)", format=".6g")]
    layers = [
        {"data": {"values": walk},
         "mark": {"type": "line", "color": PATH_COLOR, "strokeWidth": 1.5, "opacity": 0.8, "clip": True,
                  "point": {"color": PATH_COLOR, "size": 35}},
         "encoding": {"x": _q("x"), "y": _q("y"), "order": _q("step"), "tooltip": tooltip}},
        {"data": {"values": walk[:1]},
         "mark": {"type": "point", "shape": "circle", "size": 120, "color": START_COLOR, "filled": True,
                  "clip": True},
         "encoding": {"x": _q("x"), "y": _q("y"), "tooltip": [_q("x", title="start x₀", format=".6g")]}},
    ]
    # The curve first, then the path, then the critical points on top.
    return {**spec, "layer": [spec["layer"][0], *layers, *spec["layer"][1:]]}


# --------------------------------------------------------------------------- two variables


def view_size(x_range: tuple[float, float], y_range: tuple[float, float]) -> tuple[int, int]:
    """Pixel width and height with equal units on both axes, so contours keep their true shape."""
    x_span, y_span = x_range[1] - x_range[0], y_range[1] - y_range[0]
    if x_span >= y_span:
        return VIEW_SIZE, max(MIN_SIDE, round(VIEW_SIZE * y_span / x_span))
    return max(MIN_SIDE, round(VIEW_SIZE * x_span / y_span)), VIEW_SIZE


def contour_lines(grid: FunctionGrid) -> pd.DataFrame:
    """Level curves of f at quantiles of its values over the grid, as a long frame of polylines."""
    finite = grid.z[np.isfinite(grid.z)]
    frames = []
    if finite.size:
        generator = contourpy.contour_generator(grid.x, grid.y, np.ma.masked_invalid(grid.z))
        for level in np.unique(np.quantile(finite, CONTOUR_QUANTILES)):
            for line in generator.lines(float(level)):
                if len(line) >= 2:
                    frames.append(pd.DataFrame({"x": line[:, 0], "y": line[:, 1], "order": np.arange(len(line)),
                                                "line": len(frames), "level": float(level)}))
    if not frames:
        return pd.DataFrame({"x": [], "y": [], "order": [], "line": [], "level": []})
    frame = pd.concat(frames, ignore_index=True)
    if len(frame) > MAX_CONTOUR_ROWS:
        # Keep every k-th vertex and each line's ends: the curves stay recognisable, the chart light.
        k = -(-len(frame) // MAX_CONTOUR_ROWS)
        ends = frame["order"].eq(0) | frame["line"].ne(frame["line"].shift(-1))
        frame = frame[(frame["order"] % k == 0) | ends]
    return frame


def contour_background(grid: FunctionGrid, x_range: tuple[float, float], y_range: tuple[float, float],
                       points: Sequence[CriticalPoint2D]) -> dict:
    """Heatmap and contours of f with the Hessian-classified critical points, as a Vega-Lite dict."""
    width, height = view_size(x_range, y_range)
    x_scale = alt.Scale(domain=list(x_range), nice=False, zero=False)
    y_scale = alt.Scale(domain=list(y_range), nice=False, zero=False)
    dx = (x_range[1] - x_range[0]) / (grid.x.shape[1] - 1)
    dy = (y_range[1] - y_range[0]) / (grid.y.shape[0] - 1)
    # The cell corners are computed in the browser: the cells travel with three columns instead of five.
    cells = pd.DataFrame({"x": grid.x.ravel(), "y": grid.y.ravel(), "f": grid.z.ravel()}).dropna()
    lo, hi = robust_domain(grid.z, pad=0.0, clip_quantile=0.02)
    layers = [
        alt.Chart(cells).transform_calculate(
            x1=f"datum.x - {dx / 2!r}", x2=f"datum.x + {dx / 2!r}", y1=f"datum.y - {dy / 2!r}",
            y2=f"datum.y + {dy / 2!r}",
        ).mark_rect(opacity=0.75, clip=True).encode(
            x=alt.X("x1:Q", scale=x_scale, title="x"), x2=alt.X2("x2:Q"),
            y=alt.Y("y1:Q", scale=y_scale, title="y"), y2=alt.Y2("y2:Q"),
            color=alt.Color("f:Q", title="f(x, y)", scale=alt.Scale(scheme="greys", domain=[lo, hi], clamp=True),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("f:Q", format=".4g")]),
        alt.Chart(contour_lines(grid)).mark_line(color="#4c4c4c", strokeWidth=0.8, opacity=0.8, clip=True).encode(
            x="x:Q", y="y:Q", detail="line:N", order="order:Q",
            tooltip=[alt.Tooltip("level:Q", title="f =", format=".4g")]),
    ]
    if points:
        kinds = [p.kind for p in points]
        color, shape = _kind_encoding(kinds)
        critical = pd.DataFrame({"x": [p.x for p in points], "y": [p.y for p in points], "kind": kinds,
                                 "value": [p.value for p in points]})
        layers.append(alt.Chart(critical).mark_point(size=170, filled=True, opacity=1, clip=True).encode(
            x="x:Q", y="y:Q", color=color, shape=shape,
            tooltip=[alt.Tooltip("kind:N"), alt.Tooltip("x:Q", format=".6g"), alt.Tooltip("y:Q", format=".6g"),
                     alt.Tooltip("value:Q", title="f", format=".6g")]))
    chart = alt.layer(*layers).resolve_scale(color="independent", shape="independent")
    # Arrow bytes once per window: every slider move resends this background, and bytes are
    # neither re-pickled by the cache nor re-converted by Streamlit.
    return arrow_datasets(vega_spec(chart.properties(width=width, height=height)))


def drawn_steps(n: int) -> np.ndarray:
    """Indices of the iterates to draw out of ``n``: all early ones, an even sample of the rest, the last."""
    if n <= FULL_STEPS + THINNED_STEPS:
        return np.arange(n)
    late = np.linspace(FULL_STEPS, n - 1, THINNED_STEPS).round().astype(int)
    return np.unique(np.concatenate([np.arange(FULL_STEPS), late]))


def _optimizer_color(paths: Sequence[tuple[str, OptimizationPath]], legend: bool = True) -> dict:
    """Each optimizer in the colour it declares (:mod:`calc_core.optimization.optimizers`)."""
    return {"field": "optimizer", "type": "nominal", "title": "optimizer",
            "scale": {"domain": [name for name, _ in paths], "range": [path.optimizer.color for _, path in paths]},
            "legend": {"orient": "right"} if legend else None}


def _arrow(frame: pd.DataFrame) -> bytes:
    """One dataset as the compact Arrow bytes Streamlit sends (see :func:`arrow_datasets`)."""
    return arrow_datasets({"datasets": {"rows": frame}})["datasets"]["rows"]


def contour_view(background: dict, paths: Sequence[tuple[str, OptimizationPath]],
                 start: tuple[float, float]) -> dict:
    """The cached background plus each optimizer's path and the start."""
    frames = [pd.DataFrame({"x": path.points[keep, 0], "y": path.points[keep, 1], "step": keep, "optimizer": name})
              for name, path in paths for keep in [drawn_steps(len(path.points))]]
    rows = pd.concat(frames, ignore_index=True) if frames else None
    xy = {"x": _q("x"), "y": _q("y")}
    layers = [
        {"data": {"name": PATHS}, "mark": {"type": "line", "strokeWidth": 2, "clip": True},
         "encoding": {**xy, "color": _optimizer_color(paths), "detail": {"field": "optimizer", "type": "nominal"},
                      "order": _q("step")}},
        {"data": {"name": PATHS}, "mark": {"type": "point", "size": 14, "filled": True, "opacity": 0.9,
                                            "clip": True},
         "encoding": {**xy, "color": _optimizer_color(paths, legend=False),
                      "tooltip": [{"field": "optimizer", "type": "nominal"}, _q("step"), _q("x", format=".5g"),
                                  _q("y", format=".5g")]}},
        {"data": {"values": [{"x": start[0], "y": start[1]}]},
         "mark": {"type": "point", "shape": "circle", "size": 130, "filled": True, "color": START_COLOR,
                  "clip": True},
         "encoding": {**xy, "tooltip": [_q("x", title="start x", format=".4g"),
                                        _q("y", title="start y", format=".4g")]}},
    ]
    if not paths:
        return {**background, "layer": [*background["layer"], layers[2]]}
    datasets = {**background.get("datasets", {}), PATHS: _arrow(rows)}
    return {**background, "datasets": datasets, "layer": [*background["layer"], *layers]}


def loss_spec(paths: Sequence[tuple[str, OptimizationPath]]) -> dict:
    """f at each iterate against the step number, one line per optimizer (log scale when f stays positive)."""
    frames = [pd.DataFrame({"step": keep, "loss": path.losses[keep], "optimizer": name})
              for name, path in paths for keep in [drawn_steps(len(path.losses))]]
    rows = pd.concat(frames, ignore_index=True)
    positive = bool(np.all(rows["loss"] > 0))
    # Non-finite losses become gaps (null), as in the path layers.
    rows["loss"] = rows["loss"].where(np.isfinite(rows["loss"]))
    return {
        "$schema": SCHEMA,
        "title": "Loss against iteration",
        "height": HEIGHT,
        "datasets": {LOSSES: _arrow(rows.astype({"step": np.int32}))},
        "data": {"name": LOSSES},
        "mark": {"type": "line", "clip": True},
        "encoding": {
            "x": _q("step", title="iteration"),
            "y": _q("loss", title="f at the iterate" + (" (log scale)" if positive else ""),
                    scale={"type": "log" if positive else "symlog"}),
            "color": _optimizer_color(paths),
            "tooltip": [{"field": "optimizer", "type": "nominal"}, _q("step"), _q("loss", title="f", format=".6g")],
        },
    }
