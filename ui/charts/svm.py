"""Charts and tables for the SVM lesson: points, separating line, margins, support vectors, KKT."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from calc_core.svm import SLACK_TOL, KKTCheck
from ui.charts.common import vega_spec

VIEW_SIZE = 400
PAD = 0.15
NICE_STEPS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
POINT_SIZE = 60
RING_MAX = 1000
RING_MIN = 140
CLASS_COLORS = {"+1": "#2563eb", "−1": "#ea580c"}
CLASS_SHAPES = {"+1": "circle", "−1": "square"}
LINE_COLOR = "#0f766e"
OVERLAP_COLOR = "#be123c"
LINE_NAMES = ["separating line w·x + c = 0", "margin w·x + c = +1", "margin w·x + c = −1"]
# A coefficient below this fraction of |a| + |b| makes the line parallel to that axis.
PARALLEL_TOL = 1e-12
# Crossings this fraction of the window outside it still count as on its edge (rounding).
EDGE_TOL = 1e-9


def class_name(label: float) -> str:
    return "+1" if label > 0 else "−1"


def view_window(X: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """A square window around the points, with equal units on both axes so right angles look right.

    Its half-width is rounded up to a step of :data:`NICE_STEPS` and its centre to a quarter of
    that, so nudging a point rarely moves the axes (and the cached chart template still fits).
    """
    lo, hi = X.min(axis=0), X.max(axis=0)
    half = max(float(np.max(hi - lo)) / 2 * (1 + 2 * PAD), 1e-9)
    decade = 10.0 ** np.floor(np.log10(half))
    half = min(step * decade for step in NICE_STEPS if step * decade >= half)
    grid = half / 4
    center = np.round((lo + hi) / 2 / grid) * grid
    # Rounding the centre may shift the window by up to grid/2; pad once more if a point fell out.
    if np.any(lo < center - half) or np.any(hi > center + half):
        half += grid
    return ((float(center[0] - half), float(center[0] + half)), (float(center[1] - half), float(center[1] + half)))


def line_segment(w: np.ndarray, c: float, x_range, y_range) -> tuple[float, float, float, float] | None:
    """Where the line ``w·(x, y) + c = 0`` crosses the window, as ``(x1, y1, x2, y2)``; None if it misses."""
    a, b = float(w[0]), float(w[1])
    (x0, x1), (y0, y1) = x_range, y_range
    hits = []
    if abs(b) > PARALLEL_TOL * (abs(a) + abs(b)):
        hits += [(x, -(a * x + c) / b) for x in (x0, x1)]
    if abs(a) > PARALLEL_TOL * (abs(a) + abs(b)):
        hits += [(-(b * y + c) / a, y) for y in (y0, y1)]
    span = max(x1 - x0, y1 - y0)
    edge = EDGE_TOL * span
    inside = [(x, y) for x, y in hits if x0 - edge <= x <= x1 + edge and y0 - edge <= y <= y1 + edge]
    if len(inside) < 2:
        return None
    inside.sort()
    (xa, ya), (xb, yb) = inside[0], inside[-1]
    if abs(xa - xb) + abs(ya - yb) < PARALLEL_TOL * span:
        return None
    return xa, ya, xb, yb


def points_frame(X: np.ndarray, y: np.ndarray, multipliers=None, margin_values=None, slack=None) -> pd.DataFrame:
    """One row per point: number (from 1), coordinates, class and whatever the fit adds."""
    frame = pd.DataFrame({"point": np.arange(1, len(y) + 1), "x": X[:, 0], "y": X[:, 1],
                          "class": y.astype(int)})
    if multipliers is not None:
        frame["λᵢ"] = multipliers
    if margin_values is not None:
        frame["yᵢ(w·xᵢ + c)"] = margin_values
    if slack is not None:
        frame["slack ξᵢ"] = slack
    return frame


def kkt_table(kkt: KKTCheck) -> pd.DataFrame:
    """The KKT conditions with verdict, residual and tolerance, one row each."""
    return pd.DataFrame({
        "condition": [c.name for c in kkt.conditions],
        "holds": ["✓ yes" if c.passed else "✗ no" for c in kkt.conditions],
        "statement": [c.statement for c in kkt.conditions],
        "worst residual": [float(c.residual) for c in kkt.conditions],
        "tolerance": [float(c.tolerance) for c in kkt.conditions],
    })


def comparison_table(names: list[str], columns: dict[str, list[float]]) -> pd.DataFrame:
    """Quantities side by side, with the difference of the first two columns."""
    first, second = list(columns.values())[:2]
    return pd.DataFrame({"": names, **{name: [float(v) for v in values] for name, values in columns.items()},
                         "difference": [float(a) - float(b) for a, b in zip(first, second)]})


def chart_template(with_lines: bool = True) -> dict:
    """The SVM picture as a Vega-Lite spec whose layers read named datasets (fill with :func:`svm_spec`).

    Building and validating the Altair layers costs far more than the rest of a rerun, so the page
    caches this template and only swaps the data and the window (the parameters ``xdom``, ``ydom``
    that the axis domains read).
    """
    x = alt.X("x:Q", scale=alt.Scale(domain=alt.ExprRef("xdom"), nice=False, zero=False), title="x")
    y = alt.Y("y:Q", scale=alt.Scale(domain=alt.ExprRef("ydom"), nice=False, zero=False), title="y")
    tooltip = [alt.Tooltip("point:Q"), alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("y:Q", format=".4g"),
               alt.Tooltip("class:N"), alt.Tooltip("lam:Q", title="λ", format=".4g"),
               alt.Tooltip("slack:Q", title="slack ξ", format=".4g")]
    lines = alt.Chart(alt.Data(name="lines")).mark_rule(color=LINE_COLOR, clip=True).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeDash=alt.StrokeDash("line:N", title=None,
                                  legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=300),
                                  scale=alt.Scale(domain=LINE_NAMES, range=[[1, 0], [6, 4], [2, 3]])),
        strokeWidth=alt.StrokeWidth("line:N", legend=None, scale=alt.Scale(domain=LINE_NAMES, range=[2.5, 1.5, 1.5])),
        tooltip=["line:N"],
    )
    rings = alt.Chart(alt.Data(name="rings")).mark_point(
        shape="circle", filled=False, strokeWidth=2, color="#334155", clip=True
    ).encode(x=x, y=y, size=alt.Size("ring:Q", scale=None, legend=None), tooltip=tooltip)
    points = alt.Chart(alt.Data(name="points")).mark_point(filled=True, size=POINT_SIZE, opacity=0.95, clip=True).encode(
        x=x, y=y,
        color=alt.Color("class:N", scale=alt.Scale(domain=list(CLASS_COLORS), range=list(CLASS_COLORS.values())),
                        legend=alt.Legend(orient="bottom", title="class")),
        shape=alt.Shape("class:N", scale=alt.Scale(domain=list(CLASS_SHAPES), range=list(CLASS_SHAPES.values())),
                        legend=None),
        tooltip=tooltip,
    )
    slack = alt.Chart(alt.Data(name="slack")).mark_point(
        shape="cross", size=160, color="#111827", strokeWidth=1.5, clip=True
    ).encode(x=x, y=y, tooltip=tooltip)
    overlap = alt.Chart(alt.Data(name="overlap")).mark_point(
        shape="diamond", size=220, color=OVERLAP_COLOR, filled=True, clip=True
    ).encode(x=x, y=y, tooltip=["what:N", alt.Tooltip("x:Q", format=".3g"), alt.Tooltip("y:Q", format=".3g")])
    layers = [lines, rings, points, slack, overlap] if with_lines else [points, overlap]
    chart = alt.layer(*layers).properties(width=VIEW_SIZE, height=VIEW_SIZE)
    if with_lines:
        chart = chart.resolve_scale(color="independent", shape="independent", size="independent",
                                    strokeDash="independent")
    spec = vega_spec(chart)
    spec["params"] = [{"name": "xdom", "value": [0, 1]}, {"name": "ydom", "value": [0, 1]}]
    return spec


def svm_spec(template: dict, X: np.ndarray, y: np.ndarray, w=None, c: float | None = None, multipliers=None,
             support=(), slack=None, overlap=None) -> dict:
    """Fill :func:`chart_template` with points by class, the line ``w·x + c = 0`` and margins ``= ±1``.

    Support vectors get a ring whose area is proportional to λᵢ (with a floor so every one
    stays visible); points with slack ξᵢ > 0 get a cross; ``overlap`` marks a point that
    both classes span. The data goes inline into each layer: a few hundred records as JSON
    cost less than a table conversion per layer.
    """
    x_range, y_range = view_window(X)
    n = len(y)
    lam = [0.0] * n if multipliers is None else [float(v) for v in multipliers]
    xi = [0.0] * n if slack is None else [float(v) for v in slack]
    points = [{"point": i + 1, "x": float(p[0]), "y": float(p[1]), "class": class_name(label), "lam": lam[i],
               "slack": xi[i]} for i, (p, label) in enumerate(zip(X, y))]
    lines = []
    if w is not None and np.all(np.isfinite(w)) and np.any(w != 0):
        for level, name in zip((0.0, 1.0, -1.0), LINE_NAMES):
            segment = line_segment(w, c - level, x_range, y_range)
            if segment is not None:
                lines.append({"line": name, "x": segment[0], "y": segment[1], "x2": segment[2], "y2": segment[3]})
    top = max(lam) if lam else 0.0
    rings = [{**points[i], "ring": max(RING_MAX * lam[i] / top, RING_MIN)} for i in support] if top > 0 else []
    where = [] if overlap is None else [{"x": float(overlap[0]), "y": float(overlap[1]),
                                         "what": "in both classes' regions"}]
    values = {"lines": lines, "rings": rings, "points": points, "slack": [p for p in points if p["slack"] > SLACK_TOL],
              "overlap": where}
    layers = [{**layer, "data": {"values": values[layer["data"]["name"]]}} for layer in template["layer"]]
    params = [{"name": "xdom", "value": list(x_range)}, {"name": "ydom", "value": list(y_range)}]
    return {**template, "layer": layers, "params": params}
