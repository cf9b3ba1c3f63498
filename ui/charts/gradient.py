"""Charts for the gradient lesson: the surface, the field over a heatmap, the direction scan."""

from __future__ import annotations

import io
import math

import altair as alt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from calc_core.gradients import DirectionalScan, FunctionGrid, GradientField, LevelCurve
from ui.charts import common
from ui.charts.common import equal_units_size, robust_domain, vega_spec
from ui.charts.common import quantitative as _q

VIEW_SIZE = 360
MIN_SIDE = 200
ARROW_PX = 13
POINT_ARROW_PX = 70
SCAN_PLOT_STRIDE = 10  # plot every 1° of a 0.1° scan: the curve looks the same, the chart is 10x lighter

# Arrows drawn over the heatmap stay readable through this much shading.
HEATMAP_OPACITY = 0.85
POINT_COLOR = "#d62728"
# Lines and vertices of the level curve drawn at most (the longest lines, thinned evenly).
MAX_LEVEL_LINES = 200
MAX_LEVEL_VERTICES = 2000
# Names of the datasets that change on every move (Arrow bytes, see ui.charts.common.arrow_table).
LEVEL_DATA = "level_curve"
SCAN_DATA = "direction_scan"
LEVEL_COLOR = "#1f77b4"


def surface_png(grid: FunctionGrid, dpi: int = 90) -> bytes:
    """The surface z = f(x, y) in 3-D, rendered to PNG bytes (cacheable, cheap to resend).

    Values beyond a robust range are clipped so one pole does not flatten the rest.
    """
    lo, hi = robust_domain(grid.z, pad=0.02, clip_quantile=0.01)
    z = np.ma.masked_invalid(np.clip(grid.z, lo, hi))
    fig = Figure(figsize=(5.2, 4.6), layout="tight")
    ax = fig.add_subplot(projection="3d")
    ax.plot_surface(grid.x, grid.y, z, cmap="viridis", rstride=1, cstride=1, linewidth=0, antialiased=False)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel("f(x, y)")
    ax.set_zlim(lo, hi)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def view_size(x_range: tuple[float, float], y_range: tuple[float, float]) -> tuple[int, int]:
    """Pixel width and height with equal units on both axes, so ∇f visibly meets the level curve at 90°."""
    return equal_units_size(x_range, y_range, VIEW_SIZE, MIN_SIDE)


def _arrows(x, y, u, v, length_px, scale_x, scale_y, **columns) -> dict[str, np.ndarray]:
    """Arrows of a fixed on-screen length along (u, v), with the head angle for Vega's rotation, as columns.

    ``scale_x``/``scale_y`` are pixels per data unit; Vega rotates shapes clockwise from up.
    Extra ``columns`` ride along; arrows with no direction (zero or undefined) are dropped.
    """
    x, y, u, v = (np.asarray(a, dtype=float).ravel() for a in (x, y, u, v))
    sx, sy = u * scale_x, v * scale_y
    norm = np.hypot(sx, sy)
    with np.errstate(invalid="ignore", divide="ignore"):
        dx = np.where(norm > 0, sx / norm * length_px / scale_x, np.nan)
        dy = np.where(norm > 0, sy / norm * length_px / scale_y, np.nan)
    arrows = {"x": x, "y": y, "x2": x + dx, "y2": y + dy, "angle": np.degrees(np.arctan2(sx, sy)) % 360,
              **{name: np.asarray(c, dtype=float).ravel() for name, c in columns.items()}}
    keep = np.logical_and.reduce([np.isfinite(c) for c in arrows.values()])
    return {name: c[keep] for name, c in arrows.items()}


def _thinned(lines: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """The longest ``MAX_LEVEL_LINES`` lines, thinned to every k-th vertex (and the last) within ``MAX_LEVEL_VERTICES``.

    A wildly oscillating f has level sets of thousands of small loops and tens of
    thousands of vertices on the fine grid; thinned, the main curves still show
    where they run, in a chart a browser can take on every move.
    """
    lines = tuple(sorted(lines, key=len, reverse=True)[:MAX_LEVEL_LINES])
    total = sum(len(line) for line in lines)
    if total <= MAX_LEVEL_VERTICES:
        return lines
    k = -(-total // MAX_LEVEL_VERTICES)
    return tuple(np.concatenate([line[::k], line[-1:]]) if len(line) > 1 else line for line in lines)


def field_background(
    grid: FunctionGrid, field: GradientField, x_range: tuple[float, float], y_range: tuple[float, float]
) -> dict:
    """Heatmap of f and arrows of the true ∇f (direction; colour = |∇f|), as a Vega-Lite spec.

    This part does not depend on the point, so the page caches the finished spec and
    :func:`field_view` only adds the few point-dependent layers on each rerun.
    """
    width, height = view_size(x_range, y_range)
    scale_x = width / (x_range[1] - x_range[0])
    scale_y = height / (y_range[1] - y_range[0])
    heatmap = common.heatmap(grid, x_range, y_range, opacity=HEATMAP_OPACITY)

    arrows = _arrows(field.x, field.y, field.u, field.v, ARROW_PX, scale_x, scale_y,
                     magnitude=field.magnitude)
    arrows = pd.DataFrame(arrows)
    magnitude = alt.Color("magnitude:Q", title="|∇f|", scale=alt.Scale(scheme="plasma"),
                          legend=alt.Legend(orient="bottom", gradientLength=common.LEGEND_LENGTH))
    shafts = alt.Chart(arrows).mark_rule(strokeWidth=1.5, clip=True).encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"), x2=alt.X2("x2"), y2=alt.Y2("y2"), color=magnitude,
        tooltip=[alt.Tooltip("magnitude:Q", title="|∇f|", format=".4g")],
    )
    heads = alt.Chart(arrows).mark_point(shape="triangle", size=22, filled=True, opacity=1, clip=True).encode(
        # Same data, so the same colours as the shafts; one legend is enough.
        x=alt.X("x2:Q"), y=alt.Y("y2:Q"), angle=alt.Angle("angle:Q", scale=None),
        color=alt.Color("magnitude:Q", scale=alt.Scale(scheme="plasma"), legend=None),
    )
    chart = alt.layer(heatmap, shafts, heads).resolve_scale(color="independent").properties(width=width, height=height)
    return vega_spec(chart)


def _records(**columns) -> list[dict]:
    """Rows for inline Vega-Lite data; rows with a NaN are dropped (JSON has no NaN)."""
    arrays = {name: np.asarray(values, dtype=float).ravel() for name, values in columns.items()}
    keep = np.logical_and.reduce([np.isfinite(a) for a in arrays.values()])
    names = list(arrays)
    return [dict(zip(names, row, strict=True)) for row in zip(*(arrays[n][keep].tolist() for n in names), strict=True)]


def field_view(
    background: dict,
    curve: LevelCurve,
    point: tuple[float, float],
    grad_at_point: tuple[float, float],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
) -> dict:
    """The background plus the level curve through the point, the point, and ∇f there (fixed length).

    These layers change on every move of the point, so they are written directly as
    Vega-Lite rather than through Altair, whose build-and-validate step would cost more
    than the rest of the rerun.
    """
    width, height = view_size(x_range, y_range)
    scale_x = width / (x_range[1] - x_range[0])
    scale_y = height / (y_range[1] - y_range[0])
    lines = _thinned(curve.lines)
    level_data = common.arrow_table(
        x=np.concatenate([line[:, 0] for line in lines]) if lines else [],
        y=np.concatenate([line[:, 1] for line in lines]) if lines else [],
        line=np.concatenate([np.full(len(line), i) for i, line in enumerate(lines)]) if lines else [],
    )
    level = {
        "data": {"name": LEVEL_DATA},
        "mark": {"type": "line", "color": LEVEL_COLOR, "strokeWidth": 2.5, "strokeDash": [6, 3], "clip": True},
        # order null: draw each line in data order (Vega-Lite would sort by x otherwise).
        "encoding": {"x": _q("x"), "y": _q("y"), "detail": {"field": "line", "type": "nominal"},
                     "order": {"value": None}},
    }
    marker = {
        "data": {"values": _records(x=[point[0]], y=[point[1]])},
        "mark": {"type": "point", "filled": True, "size": 90, "color": POINT_COLOR, "clip": True},
        "encoding": {"x": _q("x"), "y": _q("y"),
                     "tooltip": [_q("x", title="x0"), _q("y", title="y0")]},
    }
    layers = [level, marker]

    gx, gy = grad_at_point
    if math.isfinite(gx) and math.isfinite(gy) and (gx or gy):
        arrow = _arrows([point[0]], [point[1]], [gx], [gy], POINT_ARROW_PX, scale_x, scale_y, gx=[gx], gy=[gy])
        data = {"values": _records(**arrow)}
        tip = [_q("gx", title="∂f/∂x", format=".4g"), _q("gy", title="∂f/∂y", format=".4g")]
        layers.append({"data": data, "mark": {"type": "rule", "color": POINT_COLOR, "strokeWidth": 3, "clip": True},
                       "encoding": {"x": _q("x"), "y": _q("y"), "x2": {"field": "x2"}, "y2": {"field": "y2"},
                                    "tooltip": tip}})
        layers.append({"data": data, "mark": {"type": "point", "shape": "triangle", "size": 160, "filled": True,
                                              "opacity": 1, "color": POINT_COLOR, "clip": True},
                       "encoding": {"x": _q("x2"), "y": _q("y2"), "angle": _q("angle", scale=None),
                                    "tooltip": tip}})
    return {
        **background,
        "datasets": {**background.get("datasets", {}), LEVEL_DATA: level_data},
        "layer": [*background["layer"], *layers],
        # "pad" keeps the plot area at width × height (equal units on both axes); Streamlit's
        # default "fit" would shrink it unevenly to make room for the legends.
        "autosize": {"type": "pad"},
    }


def scan_chart(scan: DirectionalScan, grad_norm: float, grad_angle_deg: float) -> dict:
    """Rate of change against direction, with the scan's maximum and the gradient's length and angle.

    A Vega-Lite spec written directly, for the same reason as :func:`field_view`.
    """
    keep = slice(None, None, SCAN_PLOT_STRIDE) if scan.angles_deg.size > 1000 else slice(None)
    rates = scan.rates[keep]
    segment = np.cumsum(np.isnan(rates))  # a gap where f is undefined splits the curve
    finite = np.isfinite(scan.rates)
    lo, hi = robust_domain(np.append(scan.rates[finite], grad_norm if math.isfinite(grad_norm) else np.nan),
                           pad=0.08, clip_quantile=0.0)
    x = _q("angle", title="direction θ (degrees counter-clockwise from +x)",
           scale={"domain": [0, 360], "nice": False}, axis={"values": list(range(0, 361, 45))})
    y = _q("rate", title="rate of change (f(p + s·u) − f(p)) / s", scale={"domain": [lo, hi]})
    layers = [{
        "data": {"name": SCAN_DATA},
        "mark": {"type": "line", "clip": True},
        "encoding": {"x": x, "y": y, "detail": {"field": "segment", "type": "nominal"},
                     "tooltip": [_q("angle", format=".1f"), _q("rate", format=".5g")]},
    }]
    label = {"field": "label", "type": "nominal"}
    if math.isfinite(grad_norm):
        layers.append({"data": {"values": [{"rate": grad_norm, "label": "|∇f(p)|"}]},
                       "mark": {"type": "rule", "strokeDash": [6, 4], "color": LEVEL_COLOR},
                       "encoding": {"y": _q("rate"), "tooltip": [label, _q("rate", format=".5g")]}})
    if math.isfinite(grad_angle_deg):
        layers.append({"data": {"values": [{"angle": grad_angle_deg, "label": "direction of ∇f(p)"}]},
                       "mark": {"type": "rule", "strokeDash": [2, 3], "color": LEVEL_COLOR},
                       "encoding": {"x": _q("angle"), "tooltip": [label, _q("angle", format=".2f")]}})
    if scan.is_defined:
        layers.append({"data": {"values": [{"angle": scan.best_angle_deg, "rate": scan.best_rate,
                                             "label": "largest rate"}]},
                       "mark": {"type": "point", "filled": True, "size": 110, "color": POINT_COLOR},
                       "encoding": {"x": _q("angle"), "y": _q("rate"),
                                    "tooltip": [label, _q("angle", format=".1f"), _q("rate", format=".6g")]}})
    # Rows with a NaN rate are dropped; the segment number still splits the curve at the gap.
    scan_data = common.arrow_table(angle=scan.angles_deg[keep], rate=rates, segment=segment)
    return {"datasets": {SCAN_DATA: scan_data}, "layer": layers, "height": 300}
