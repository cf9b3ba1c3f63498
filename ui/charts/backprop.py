"""Charts for the backpropagation lesson: curves, decision boundary, the network, pinned runs and sweeps."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from PIL import Image

from ui.charts.common import nominal as _n
from ui.charts.common import quantitative as _q
from ui.charts.tables import table

# Class 0 orange, class 1 blue (as in TensorFlow Playground); weights use the same pair by sign.
CLASS_COLORS = ("#e8710a", "#1a73e8")
NEGATIVE_COLOR, POSITIVE_COLOR = CLASS_COLORS
CURVE_POINTS = 400
MAX_DRAWN_UNITS = 12
# Readable on both the light and the dark theme.
LABEL_GREY = "#8a94a6"
MAX_POINTS_SHOWN = 1500
BOUNDARY_SIZE = 290
HEAT_STRENGTH = 0.6  # how far a certain cell moves from white toward its class colour
CURVE_HEIGHT = 240


@dataclass(frozen=True)
class BoundaryGrid:
    """A square-celled grid over the data, for the decision-boundary picture.

    ``points`` (ny * nx, 2) are the cell centres, row by row from the bottom;
    ``x_range`` and ``y_range`` the outer edges.
    """

    points: np.ndarray
    shape: tuple[int, int]
    x_range: tuple[float, float]
    y_range: tuple[float, float]


def boundary_grid(X: np.ndarray, resolution: int = 96, pad: float = 0.12) -> BoundaryGrid:
    """Cells covering the points of ``X`` (n, 2) with a margin of ``pad`` times the larger span.

    Both axes get the same scale (square cells), so a circle in the data looks round;
    the longer side has ``resolution`` cells.
    """
    X = np.asarray(X, dtype=float)
    lo, hi = X.min(axis=0), X.max(axis=0)
    centre, half = (lo + hi) / 2, np.maximum((hi - lo) / 2, 1e-9)
    half = half + pad * half.max()
    cell = 2 * half.max() / resolution
    nx, ny = (np.maximum(1, np.round(2 * half / cell))).astype(int)
    half = np.array([nx, ny]) * cell / 2
    xs = centre[0] - half[0] + cell * (np.arange(nx) + 0.5)
    ys = centre[1] - half[1] + cell * (np.arange(ny) + 0.5)
    gx, gy = np.meshgrid(xs, ys)
    return BoundaryGrid(np.column_stack([gx.ravel(), gy.ravel()]), (int(ny), int(nx)),
                        (float(centre[0] - half[0]), float(centre[0] + half[0])),
                        (float(centre[1] - half[1]), float(centre[1] + half[1])))


def _rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def probability_png(probability: np.ndarray, shape: tuple[int, int]) -> bytes:
    """P(class 1) on the grid as a PNG: orange for 0, white for ½, blue for 1 (top row first)."""
    p = np.clip(np.nan_to_num(np.asarray(probability, dtype=float), nan=0.5), 0.0, 1.0).reshape(shape)[::-1]
    white = np.full(3, 255.0)
    toward = np.where((p >= 0.5)[..., None], _rgb(CLASS_COLORS[1]), _rgb(CLASS_COLORS[0]))
    weight = (np.abs(p - 0.5) * 2)[..., None] * HEAT_STRENGTH
    rgb = (white + (toward - white) * weight).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def boundary_size(grid: BoundaryGrid) -> tuple[int, int]:
    """Width and height in pixels with equal units on both axes."""
    ny, nx = grid.shape
    if nx >= ny:
        return BOUNDARY_SIZE, max(120, round(BOUNDARY_SIZE * ny / nx))
    return max(120, round(BOUNDARY_SIZE * nx / ny)), BOUNDARY_SIZE


def _shown_points(X: np.ndarray, y: np.ndarray, part: str, limit: int) -> dict:
    # An even stride keeps the picture of a large dataset faithful at a fraction of the payload.
    stride = max(1, int(np.ceil(len(y) / limit)))
    X, y = X[::stride], y[::stride]
    return {"x1": X[:, 0], "x2": X[:, 1], "class": y.astype(int).astype(str), "part": part}


def _layered(layers: list[dict], datasets: dict[str, pd.DataFrame | dict], **props) -> dict:
    """A Vega-Lite spec of ``layers`` (a plain chart for one) whose ``{"data": {"name": ...}}`` are ``datasets``, as Arrow.

    These charts change on every training tick, so they are written as Vega-Lite
    dicts directly: building them through Altair cost about half of a rerun.
    """
    arrow = {name: table(**({c: frame[c].to_numpy() for c in frame.columns} if isinstance(frame, pd.DataFrame)
                            else frame)) for name, frame in datasets.items()}
    body = layers[0] if len(layers) == 1 else {"layer": layers}
    return {**body, "datasets": arrow, **props}


def boundary_chart(grid: BoundaryGrid, probability: np.ndarray, X_train: np.ndarray, y_train: np.ndarray,
                   X_test: np.ndarray, y_test: np.ndarray, title: str = "",
                   axes: tuple[str, str] = ("x₁", "x₂")) -> dict:
    """The probability of class 1 as a background image, with training (filled) and test (hollow) points.

    ``axes`` titles the two axes (an uploaded file's column names; Vega-Lite draws them as plain text).
    """
    image = "data:image/png;base64," + base64.b64encode(probability_png(probability, grid.shape)).decode()
    n_train = len(y_train)
    share = n_train / max(1, n_train + len(y_test))
    train = _shown_points(X_train, y_train, "train", max(1, round(MAX_POINTS_SHOWN * share)))
    test = _shown_points(X_test, y_test, "test", max(1, round(MAX_POINTS_SHOWN * (1 - share))))
    class_colors = {"domain": ["0", "1"], "range": list(CLASS_COLORS)}
    return map_with_points(grid, image, train, test, axes, title,
                           train_color=_n("class", scale=class_colors, legend={"orient": "bottom", "title": "class"}),
                           test_color=_n("class", scale=class_colors), tip=_n("class"))


def map_with_points(grid: BoundaryGrid, image_url: str, train: pd.DataFrame, test: pd.DataFrame,
                    axes: tuple[str, str], title: str, train_color: dict, test_color: dict, tip: dict) -> dict:
    """A picture of the network's output over the plane (``image_url``, a PNG data URL) under the training
    (filled) and test (hollow) points, coloured by ``train_color``/``test_color``; ``tip`` is the points'
    own tooltip line. Shared by the two-class boundary and the three-class and regression maps."""
    x_scale = {"domain": list(grid.x_range), "nice": False, "zero": False}
    y_scale = {"domain": list(grid.y_range), "nice": False, "zero": False}
    background = {"x": [grid.x_range[0]], "x2": [grid.x_range[1]], "y": [grid.y_range[1]],
                  "y2": [grid.y_range[0]], "url": [image_url]}
    tooltip = [_q("x1", format=".3f", title=axes[0]), _q("x2", format=".3f", title=axes[1]), tip, _n("part")]
    width, height = boundary_size(grid)
    return _layered([
        {"data": {"name": "background"}, "mark": {"type": "image", "aspect": False, "align": "left", "baseline": "top"},
         "encoding": {"x": _q("x", scale=x_scale, title=axes[0]), "x2": {"field": "x2"},
                      "y": _q("y", scale=y_scale, title=axes[1]), "y2": {"field": "y2"}, "url": _n("url")}},
        {"data": {"name": "train"},
         "mark": {"type": "circle", "size": 26, "opacity": 0.9, "stroke": "white", "strokeWidth": 0.6},
         "encoding": {"x": _q("x1", scale=x_scale), "y": _q("x2", scale=y_scale), "color": train_color,
                      "tooltip": tooltip}},
        {"data": {"name": "test"},
         "mark": {"type": "point", "shape": "diamond", "size": 34, "strokeWidth": 1.4, "filled": False},
         "encoding": {"x": _q("x1", scale=x_scale), "y": _q("x2", scale=y_scale), "color": test_color,
                      "tooltip": tooltip}},
    ], {"background": background, "train": train, "test": test},
        # "pad": the size is the plot's own, so both axes keep equal units whatever the axes and legend need.
        title=title, width=width, height=height, autosize={"type": "pad"})


def history_frame(epoch: np.ndarray, series: dict[str, np.ndarray], limit: int = CURVE_POINTS) -> pd.DataFrame:
    """Long table ``epoch, series, value`` with at most about ``limit`` epochs (the last always kept)."""
    epoch = np.asarray(epoch)
    keep = np.unique(np.r_[np.arange(0, len(epoch), max(1, int(np.ceil(len(epoch) / limit)))), len(epoch) - 1])
    keep = keep[keep >= 0]
    shown = {name: values for name, values in ((n, np.asarray(v, dtype=float)[keep]) for n, v in series.items())
             if np.isfinite(values).any()}
    # One frame built from whole columns: a frame per series and a concat cost several times more (every tick).
    return pd.DataFrame({"epoch": np.tile(epoch[keep], len(shown)), "series": np.repeat(list(shown), len(keep)),
                         "value": np.concatenate(list(shown.values())) if shown else np.array([])})


def change_frame(changes: Sequence, describe) -> pd.DataFrame:
    """One row per epoch with live changes: ``epoch`` and a ``label`` such as "lr 0.01, Adam".

    ``changes`` are :class:`calc_core.mlp.SettingChange` records; ``describe(change)``
    gives one change's short text.
    """
    by_epoch: dict[int, list[str]] = {}
    for change in changes:
        by_epoch.setdefault(int(change.epoch), []).append(describe(change))
    return pd.DataFrame({"epoch": list(by_epoch), "label": [", ".join(parts) for parts in by_epoch.values()]})


def curve_chart(frame: pd.DataFrame, y_title: str, y_domain: Sequence[float] | None = None,
                legend_corner: str = "top-right", epochs: int | None = None,
                changes: pd.DataFrame | None = None) -> dict:
    """Train and test curves against the epoch; the legend sits inside the plot, in ``legend_corner``.

    ``epochs`` fixes the x axis to 0..epochs (so the axes make sense from the
    first point on); ``changes`` (from :func:`change_frame`) draws a dashed
    rule at each live change, labelled with the new values.
    """
    y_scale = {"domain": list(y_domain)} if y_domain is not None else {"zero": False}
    x_scale = {"domain": [0, max(1, epochs)], "nice": False} if epochs else {}
    layers = [{
        "data": {"name": "curves"}, "mark": {"type": "line", "point": len(frame) <= 12, "clip": True},
        "encoding": {
            "x": _q("epoch", title="epoch", axis={"tickMinStep": 1}, scale=x_scale),
            "y": _q("value", title=y_title, scale=y_scale),
            "color": _n("series", title=None, scale={"domain": ["train", "test"]},
                        legend={"orient": legend_corner, "fillColor": "white", "padding": 4}),
            "tooltip": [_n("series"), _q("epoch"), _q("value", format=".4f")],
        },
    }]
    datasets = {"curves": frame}
    if changes is not None and not changes.empty:
        datasets["changes"] = changes
        layers += [
            {"data": {"name": "changes"}, "mark": {"type": "rule", "strokeDash": [4, 3], "color": LABEL_GREY},
             "encoding": {"x": _q("epoch", scale=x_scale),
                          "tooltip": [_q("epoch", title="changed after epoch"), _n("label", title="new setting")]}},
            {"data": {"name": "changes"},
             "mark": {"type": "text", "align": "left", "baseline": "top", "dx": 3, "dy": 3, "fontSize": 10,
                      "color": LABEL_GREY},
             "encoding": {"x": _q("epoch", scale=x_scale), "y": {"value": 0}, "text": _n("label")}},
        ]
    return _layered(layers, datasets, height=CURVE_HEIGHT, width="container")


def compare_frame(runs: Sequence, metric: str) -> pd.DataFrame:
    """Long table ``epoch, run, series, value`` of ``train_<metric>`` and ``test_<metric>`` for pinned runs.

    Each run has ``label`` and ``curves`` (a dict of equal-length arrays with
    ``epoch`` and the four metrics, already thinned for drawing).
    """
    frames = []
    for run in runs:
        for series in ("train", "test"):
            values = np.asarray(run.curves[f"{series}_{metric}"], dtype=float)
            if np.isfinite(values).any():
                frames.append(pd.DataFrame({"epoch": run.curves["epoch"], "run": run.label, "series": series,
                                            "value": values}))
    if not frames:
        return pd.DataFrame({"epoch": [], "run": [], "series": [], "value": []})
    return pd.concat(frames, ignore_index=True)


def compare_chart(frame: pd.DataFrame, y_title: str, y_domain: Sequence[float] | None = None) -> dict:
    """Pinned runs' curves overlaid: one colour per run, solid for training data, dashed for test data."""
    y_scale = {"domain": list(y_domain)} if y_domain is not None else {"zero": False}
    return _layered([{
        "data": {"name": "runs"}, "mark": {"type": "line", "clip": True},
        "encoding": {
            "x": _q("epoch", title="epoch", axis={"tickMinStep": 1}),
            "y": _q("value", title=y_title, scale=y_scale),
            # One run a line, its whole label (Vega cuts labels at 160 px by default).
            "color": _n("run", title="run", legend={"orient": "bottom", "columns": 1, "labelLimit": 0}),
            "strokeDash": _n("series", title=None, scale={"domain": ["train", "test"], "range": [[1, 0], [5, 3]]}),
            "tooltip": [_n("run"), _n("series"), _q("epoch"), _q("value", format=".4f")],
        },
    }], {"runs": frame}, height=CURVE_HEIGHT, width="container")


def sweep_chart(summary, y_title: str, x_title: str, log_x: bool, current: float | None,
                y_domain: Sequence[float] | None = None) -> dict:
    """Mean of a final metric over seeds against the swept value, bars from lowest to highest seed.

    ``summary`` is a :class:`calc_core.mlp.sweep.SweepSummary`; ``current`` (the
    page's setting) is marked by a dashed rule.
    """
    frame = pd.DataFrame({"value": summary.values, "mean": summary.mean, "low": summary.low, "high": summary.high})
    frame = frame[np.isfinite(frame["mean"])]
    x_scale = {"type": "log"} if log_x else {"zero": False}
    y_scale = {"domain": list(y_domain)} if y_domain is not None else {"zero": False}
    x = _q("value", title=x_title, scale=x_scale)
    tooltip = [_q("value", title=x_title, format=".4g"), _q("mean", format=".4f"),
               _q("low", title="lowest seed", format=".4f"), _q("high", title="highest seed", format=".4f")]
    layers = [
        {"data": {"name": "sweep"}, "mark": {"type": "rule", "strokeWidth": 2, "opacity": 0.5},
         "encoding": {"x": x, "y": _q("low", title=y_title, scale=y_scale), "y2": {"field": "high"},
                      "tooltip": tooltip}},
        {"data": {"name": "sweep"}, "mark": {"type": "line", "point": True},
         "encoding": {"x": x, "y": _q("mean", scale=y_scale), "tooltip": tooltip}},
    ]
    datasets = {"sweep": frame}
    if current is not None and (current > 0 or not log_x):
        datasets["current"] = pd.DataFrame({"value": [current], "label": ["current setting"]})
        layers.append({"data": {"name": "current"}, "mark": {"type": "rule", "strokeDash": [4, 3], "color": LABEL_GREY},
                       "encoding": {"x": _q("value", scale=x_scale),
                                    "tooltip": [_n("label"), _q("value", format=".4g")]}})
    return _layered(layers, datasets, height=CURVE_HEIGHT, width="container")


def _stacked(parts: Sequence[dict]) -> dict:
    """Tables of the same columns, one after the other; a single value fills its part's column."""
    columns: dict[str, list[np.ndarray]] = {}
    for part in parts:
        length = max(np.size(value) for value in part.values() if np.ndim(value))
        for name, value in part.items():
            value = np.asarray(value)
            columns.setdefault(name, []).append(np.full(length, value) if value.ndim == 0 else value.ravel())
    return {name: np.concatenate(values) for name, values in columns.items()}


def _unit_rows(sizes: Sequence[int]) -> list[np.ndarray]:
    """Which units of each layer are drawn (all, or the first ``MAX_DRAWN_UNITS``)."""
    return [np.arange(min(n, MAX_DRAWN_UNITS)) for n in sizes]


def network_chart(coefs: Sequence[np.ndarray], intercepts: Sequence[np.ndarray], layer_names: Sequence[str],
                  input_names: Sequence[str] | None = None) -> dict:
    """The network: edges coloured by the sign of the weight, as wide as its size; nodes coloured by the bias.

    ``coefs[l]`` has shape ``(n_in, n_out)``. Layers wider than ``MAX_DRAWN_UNITS``
    show their first units only; the node labels say how many there are.
    ``input_names`` labels the input units (the features they carry).
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
        edges.append({
            "x": l, "x2": l + 1,
            "y": y_of(l, i).ravel(), "y2": y_of(l + 1, j).ravel(),
            "weight": w.ravel(), "width": 0.4 + 4.6 * np.abs(w.ravel()) / scale,
            "name": [f"W{l + 1}[{a + 1},{b + 1}]" for a, b in zip(i.ravel(), j.ravel())],
        })
    nodes = []
    for l, units in enumerate(rows):
        bias = intercepts[l - 1][units] if l > 0 else np.zeros(len(units))
        label = [f"input {input_names[u]}" if l == 0 and input_names else f"{layer_names[l]} unit {u + 1}"
                 for u in units]
        nodes.append({"x": l, "y": y_of(l, units), "bias": bias, "unit": label, "is_input": l == 0})
    header = {
        "x": np.arange(len(sizes)),
        "y": (tallest - 1) / 2 + 0.9,
        "text": [f"{name} ({n})" if n > len(r) else name for name, n, r in zip(layer_names, sizes, rows)],
    }
    x_scale = {"domain": [-0.9 if input_names else -0.4, len(sizes) - 0.6], "nice": False}
    y_scale = {"domain": [-(tallest - 1) / 2 - 0.7, (tallest - 1) / 2 + 1.3], "nice": False}
    bound = max(scale, 1e-9)
    weight_colors = {"domain": [-bound, 0, bound], "range": [NEGATIVE_COLOR, "#dddddd", POSITIVE_COLOR]}
    x, y = _q("x", scale=x_scale), _q("y", scale=y_scale)
    layers = [
        {"data": {"name": "edges"}, "mark": {"type": "rule", "opacity": 0.8},
         "encoding": {"x": _q("x", axis=None, scale=x_scale), "x2": {"field": "x2"},
                      "y": _q("y", axis=None, scale=y_scale), "y2": {"field": "y2"},
                      "color": _q("weight", scale=weight_colors, title="weight / bias",
                                  legend={"orient": "bottom", "gradientLength": 160}),
                      "strokeWidth": _q("width", scale=None, legend=None),
                      "tooltip": [_n("name", title="weight"), _q("weight", format=".4f")]}},
        {"data": {"name": "nodes"},
         "mark": {"type": "circle", "size": 260, "stroke": "#444444", "strokeWidth": 1, "opacity": 1},
         "encoding": {"x": x, "y": y, "color": _q("bias", scale=weight_colors, legend=None),
                      "tooltip": [_n("unit"), _q("bias", format=".4f")]}},
        {"data": {"name": "names"}, "mark": {"type": "text", "fontSize": 12, "fontWeight": "bold", "color": LABEL_GREY},
         "encoding": {"x": x, "y": y, "text": _n("text")}},
    ]
    datasets = {"edges": _stacked(edges), "nodes": _stacked(nodes), "names": header}
    if input_names:
        shown = rows[0]
        datasets["inputs"] = {"x": 0, "y": y_of(0, shown), "text": [input_names[u] for u in shown]}
        layers.append({"data": {"name": "inputs"},
                       "mark": {"type": "text", "align": "right", "dx": -11, "fontSize": 11, "color": LABEL_GREY},
                       "encoding": {"x": x, "y": y, "text": _n("text")}})
    return _layered(layers, datasets, width="container", height=60 + 34 * tallest)
