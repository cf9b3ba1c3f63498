"""Charts for the backpropagation lesson: curves, decision boundary, the network, the backward step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

# Class 0 orange, class 1 blue (as in TensorFlow Playground); weights use the same pair by sign.
CLASS_COLORS = ("#e8710a", "#1a73e8")
NEGATIVE_COLOR, POSITIVE_COLOR = CLASS_COLORS
CURVE_POINTS = 400
MAX_DRAWN_UNITS = 12
MAX_POINTS_SHOWN = 1500
BOUNDARY_SIZE = 340
CURVE_HEIGHT = 220


@dataclass(frozen=True)
class BoundaryGrid:
    """A square grid of cells over the data, for the decision-boundary heatmap.

    ``points`` (n_cells, 2) are the cell centres; ``x0, x1, y0, y1`` the cell edges.
    """

    points: np.ndarray
    x0: np.ndarray
    x1: np.ndarray
    y0: np.ndarray
    y1: np.ndarray
    x_range: tuple[float, float]
    y_range: tuple[float, float]


def boundary_grid(X: np.ndarray, resolution: int = 48, pad: float = 0.12) -> BoundaryGrid:
    """Cells covering the points of ``X`` (n, 2) with a margin of ``pad`` times the span."""
    X = np.asarray(X, dtype=float)
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    lo, hi = lo - pad * span, hi + pad * span
    xs = np.linspace(lo[0], hi[0], resolution + 1)
    ys = np.linspace(lo[1], hi[1], resolution + 1)
    gx0, gy0 = np.meshgrid(xs[:-1], ys[:-1])
    gx1, gy1 = np.meshgrid(xs[1:], ys[1:])
    centres = np.column_stack([(gx0 + gx1).ravel() / 2, (gy0 + gy1).ravel() / 2])
    return BoundaryGrid(centres, gx0.ravel(), gx1.ravel(), gy0.ravel(), gy1.ravel(),
                        (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])))


def _shown_points(X: np.ndarray, y: np.ndarray, part: str, limit: int) -> pd.DataFrame:
    # An even stride keeps the picture of a large dataset faithful at a fraction of the payload.
    stride = max(1, int(np.ceil(len(y) / limit)))
    X, y = X[::stride], y[::stride]
    return pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "class": y.astype(int).astype(str), "part": part})


def boundary_chart(grid: BoundaryGrid, probability: np.ndarray, X_train: np.ndarray, y_train: np.ndarray,
                   X_test: np.ndarray, y_test: np.ndarray, title: str = "") -> alt.LayerChart:
    """Heatmap of P(class 1) over the plane with the training (filled) and test (hollow) points."""
    cells = pd.DataFrame({"x0": grid.x0, "x1": grid.x1, "y0": grid.y0, "y1": grid.y1,
                          "p": np.clip(np.nan_to_num(probability, nan=0.5), 0.0, 1.0)})
    n_train = len(y_train)
    share = n_train / max(1, n_train + len(y_test))
    points = pd.concat([
        _shown_points(X_train, y_train, "train", max(1, round(MAX_POINTS_SHOWN * share))),
        _shown_points(X_test, y_test, "test", max(1, round(MAX_POINTS_SHOWN * (1 - share)))),
    ], ignore_index=True)
    x_scale = alt.Scale(domain=list(grid.x_range), nice=False, zero=False)
    y_scale = alt.Scale(domain=list(grid.y_range), nice=False, zero=False)
    heat = alt.Chart(cells).mark_rect(opacity=0.55).encode(
        x=alt.X("x0:Q", title="x₁", scale=x_scale),
        x2="x1:Q",
        y=alt.Y("y0:Q", title="x₂", scale=y_scale),
        y2="y1:Q",
        color=alt.Color("p:Q", title="P(class 1)",
                        scale=alt.Scale(domain=[0, 1], range=[CLASS_COLORS[0], "#ffffff", CLASS_COLORS[1]]),
                        legend=alt.Legend(orient="bottom", gradientLength=160)),
        tooltip=alt.value(None),
    )
    dots = alt.Chart(points).mark_point(size=22, strokeWidth=1.2).encode(
        x=alt.X("x1:Q", scale=x_scale),
        y=alt.Y("x2:Q", scale=y_scale),
        color=alt.Color("class:N", scale=alt.Scale(domain=["0", "1"], range=list(CLASS_COLORS)),
                        legend=alt.Legend(orient="bottom", title="class")),
        fill=alt.condition("datum.part == 'train'", alt.Color("class:N"), alt.value("transparent")),
        shape=alt.Shape("part:N", scale=alt.Scale(domain=["train", "test"], range=["circle", "diamond"]),
                        legend=alt.Legend(orient="bottom", title=None)),
        tooltip=[alt.Tooltip("x1:Q", format=".3f", title="x₁"), alt.Tooltip("x2:Q", format=".3f", title="x₂"),
                 "class:N", "part:N"],
    )
    return (heat + dots).properties(title=title, width="container", height=BOUNDARY_SIZE).resolve_scale(
        color="independent")


def history_frame(epoch: np.ndarray, series: dict[str, np.ndarray], limit: int = CURVE_POINTS) -> pd.DataFrame:
    """Long table ``epoch, series, value`` with at most about ``limit`` epochs (the last always kept)."""
    epoch = np.asarray(epoch)
    keep = np.unique(np.r_[np.arange(0, len(epoch), max(1, int(np.ceil(len(epoch) / limit)))), len(epoch) - 1])
    keep = keep[keep >= 0]
    frames = []
    for name, values in series.items():
        values = np.asarray(values, dtype=float)[keep]
        if np.isfinite(values).any():
            frames.append(pd.DataFrame({"epoch": epoch[keep], "series": name, "value": values}))
    if not frames:
        return pd.DataFrame({"epoch": [], "series": [], "value": []})
    return pd.concat(frames, ignore_index=True)


def curve_chart(frame: pd.DataFrame, y_title: str, y_domain: Sequence[float] | None = None) -> alt.Chart:
    """Train and test curves against the epoch."""
    y_scale = alt.Scale(domain=list(y_domain)) if y_domain is not None else alt.Scale(zero=False)
    return (
        alt.Chart(frame)
        .mark_line(point=len(frame) <= 12, clip=True)
        .encode(
            x=alt.X("epoch:Q", title="epoch", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("value:Q", title=y_title, scale=y_scale),
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=["train", "test"]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=["series:N", "epoch:Q", alt.Tooltip("value:Q", format=".4f")],
        )
        .properties(height=CURVE_HEIGHT, width="container")
    )


def _unit_rows(sizes: Sequence[int]) -> list[np.ndarray]:
    """Which units of each layer are drawn (all, or the first ``MAX_DRAWN_UNITS``)."""
    return [np.arange(min(n, MAX_DRAWN_UNITS)) for n in sizes]


def network_chart(coefs: Sequence[np.ndarray], intercepts: Sequence[np.ndarray], layer_names: Sequence[str]
                  ) -> alt.LayerChart:
    """The network: edges coloured by the sign of the weight, as wide as its size; nodes coloured by the bias.

    ``coefs[l]`` has shape ``(n_in, n_out)``. Layers wider than ``MAX_DRAWN_UNITS``
    show their first units only; the node labels say how many there are.
    """
    sizes = [coefs[0].shape[0]] + [W.shape[1] for W in coefs]
    rows = _unit_rows(sizes)
    tallest = max(len(r) for r in rows)

    def y_of(layer: int, unit: np.ndarray) -> np.ndarray:
        # Each layer is centred on y = 0, first unit on top.
        return (len(rows[layer]) - 1) / 2 - unit

    scale = max(float(np.max(np.abs(W))) for W in coefs) or 1.0
    edges = []
    for l, W in enumerate(coefs):
        src, dst = rows[l], rows[l + 1]
        i, j = np.meshgrid(src, dst, indexing="ij")
        w = W[np.ix_(src, dst)]
        edges.append(pd.DataFrame({
            "x": l, "x2": l + 1,
            "y": y_of(l, i).ravel(), "y2": y_of(l + 1, j).ravel(),
            "weight": w.ravel(), "width": 0.4 + 4.6 * np.abs(w.ravel()) / scale,
            "name": [f"W{l + 1}[{a + 1},{b + 1}]" for a, b in zip(i.ravel(), j.ravel())],
        }))
    edge_frame = pd.concat(edges, ignore_index=True)
    nodes = []
    for l, units in enumerate(rows):
        bias = intercepts[l - 1][units] if l > 0 else np.zeros(len(units))
        label = [f"{layer_names[l]} unit {u + 1}" for u in units]
        nodes.append(pd.DataFrame({"x": l, "y": y_of(l, units), "bias": bias, "unit": label,
                                   "is_input": l == 0}))
    node_frame = pd.concat(nodes, ignore_index=True)
    header = pd.DataFrame({
        "x": np.arange(len(sizes)),
        "y": (tallest - 1) / 2 + 0.9,
        "text": [f"{name} ({n})" if n > len(r) else name for name, n, r in zip(layer_names, sizes, rows)],
    })
    x_scale = alt.Scale(domain=[-0.4, len(sizes) - 0.6], nice=False)
    y_scale = alt.Scale(domain=[-(tallest - 1) / 2 - 0.7, (tallest - 1) / 2 + 1.3], nice=False)
    bound = max(scale, 1e-9)
    weight_colors = alt.Scale(domain=[-bound, 0, bound], range=[NEGATIVE_COLOR, "#dddddd", POSITIVE_COLOR])
    lines = alt.Chart(edge_frame).mark_rule(opacity=0.8).encode(
        x=alt.X("x:Q", axis=None, scale=x_scale), x2="x2:Q",
        y=alt.Y("y:Q", axis=None, scale=y_scale), y2="y2:Q",
        color=alt.Color("weight:Q", scale=weight_colors, title="weight / bias",
                        legend=alt.Legend(orient="bottom", gradientLength=160)),
        strokeWidth=alt.StrokeWidth("width:Q", scale=None, legend=None),
        tooltip=[alt.Tooltip("name:N", title="weight"), alt.Tooltip("weight:Q", format=".4f")],
    )
    dots = alt.Chart(node_frame).mark_circle(size=260, stroke="#444444", strokeWidth=1, opacity=1).encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale),
        color=alt.Color("bias:Q", scale=weight_colors, legend=None),
        tooltip=["unit:N", alt.Tooltip("bias:Q", format=".4f")],
    )
    names = alt.Chart(header).mark_text(fontSize=12, fontWeight="bold").encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="text:N")
    height = 60 + 34 * tallest
    return (lines + dots + names).properties(width="container", height=height)


def _number(value: float) -> str:
    if not np.isfinite(value):
        return r"\text{nan}"
    text = f"{value + 0.0:.3g}"  # + 0.0 turns -0.0 into 0.0
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\cdot 10^{{{int(exponent)}}}"
    return text


def latex_matrix(M: np.ndarray, max_rows: int = 6, max_cols: int = 6) -> str:
    """A numeric matrix (a 1-D vector as a column) in LaTeX, with dots past ``max_rows``/``max_cols``."""
    M = np.asarray(M, dtype=float)
    M = M[:, None] if M.ndim == 1 else np.atleast_2d(M)
    rows, cols = M.shape
    shown_rows = list(range(min(rows, max_rows)))
    shown_cols = list(range(min(cols, max_cols)))
    lines = []
    for r in shown_rows:
        cells = [_number(M[r, c]) for c in shown_cols]
        if cols > max_cols:
            cells.append(r"\cdots")
        lines.append(" & ".join(cells))
    if rows > max_rows:
        lines.append(" & ".join([r"\vdots"] * (len(shown_cols) + (cols > max_cols))))
    return r"\begin{bmatrix}" + r" \\ ".join(lines) + r"\end{bmatrix}"


ACTIVATION_TEX = {"relu": r"\operatorname{ReLU}", "leaky_relu": r"\operatorname{LReLU}", "tanh": r"\tanh",
                  "sigmoid": r"\sigma", "linear": r"\operatorname{id}"}


def backward_step_latex(step, n_layers: int, activation: str) -> list[str]:
    """The equations of one backward step, with the current numbers.

    ``step`` is a :class:`calc_core.mlp.BackwardStep`; ``n_layers`` counts the
    weight layers (the output layer is number ``n_layers``); ``activation`` is
    the hidden layers' activation name.
    """
    f = ACTIVATION_TEX.get(activation, r"f")
    l = step.layer
    delta = rf"\delta_{{{l}}}"
    lines = []
    if l == n_layers:
        lines.append(rf"{delta} = \frac{{\partial J}}{{\partial z_{{{l}}}}} = \hat y - y = {latex_matrix(step.delta)}")
    lines.append(
        rf"\frac{{\partial J}}{{\partial W_{{{l}}}}} = {delta}\, a_{{{l - 1}}}^\top = {latex_matrix(step.delta)}"
        rf"{latex_matrix(step.activation_input[None, :])} = {latex_matrix(step.weight_gradient)}"
    )
    if step.local_derivative is None:
        return lines
    lines.append(
        rf"\frac{{\partial J}}{{\partial a_{{{l - 1}}}}} = W_{{{l}}}^\top {delta} = "
        rf"{latex_matrix(step.jacobian.T)} {latex_matrix(step.delta)} = {latex_matrix(step.jacobian_product)}"
    )
    lines.append(
        rf"\delta_{{{l - 1}}} = W_{{{l}}}^\top {delta} \odot {f}'(z_{{{l - 1}}}) = "
        rf"{latex_matrix(step.jacobian_product)} \odot {latex_matrix(step.local_derivative)} = "
        rf"{latex_matrix(step.delta_previous)}"
    )
    return lines


def gradient_check_frame(checks, layer_names: Sequence[str], tolerance: float) -> pd.DataFrame:
    """One row per layer: parameters, worst relative errors (weights, biases) and pass/fail."""
    return pd.DataFrame({
        "layer": [f"{c.layer}: {layer_names[c.layer - 1]} → {layer_names[c.layer]}" for c in checks],
        "parameters": [c.n_parameters for c in checks],
        "max rel. error (weights)": [c.weight_error for c in checks],
        "max rel. error (biases)": [c.bias_error for c in checks],
        "max rel. error": [c.max_relative_error for c in checks],
        f"≤ {tolerance:g}": ["pass" if c.passed else "FAIL" for c in checks],
    })
