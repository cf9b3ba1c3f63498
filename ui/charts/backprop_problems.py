"""Charts for the backpropagation lesson's other problems: a three-colour decision map and a regression surface
with its residual plot.

The two-class pictures stay in :mod:`ui.charts.backprop`; these follow their layout (a background image of the
network's output over the grid, training points filled, test points hollow) so the page looks the same whichever
problem it trains.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
import pandas as pd
from PIL import Image

from ui.charts.backprop import (
    CLASS_COLORS,
    HEAT_STRENGTH,
    MAX_POINTS_SHOWN,
    BoundaryGrid,
    _layered,
    _rgb,
    map_with_points,
)
from ui.charts.common import nominal as _n
from ui.charts.common import quantitative as _q

# Classes 0 and 1 keep the two-class colours (orange, blue); the third is green, and further ones follow.
MULTICLASS_COLORS = (*CLASS_COLORS, "#188038", "#9334e6", "#c5221f", "#5f6368", "#b06000", "#007b83", "#a50e0e",
                     "#1e8e3e")
RESIDUAL_HEIGHT = 240


def class_map_png(probabilities: np.ndarray, shape: tuple[int, int], colors: Sequence[str] = MULTICLASS_COLORS) -> bytes:
    """The most probable class on the grid as a PNG (top row first): each cell moves from white toward the colour
    of its likeliest class, the further the surer (all K classes equally likely is white).

    ``probabilities`` is (cells, K), one row per grid cell.
    """
    P = np.nan_to_num(np.asarray(probabilities, dtype=float), nan=0.0)
    k = P.shape[1]
    best = np.argmax(P, axis=1)
    sure = (P.max(axis=1) - 1 / k) / (1 - 1 / k) if k > 1 else np.ones(len(P))
    palette = np.array([_rgb(colors[i % len(colors)]) for i in range(k)])
    white = np.full(3, 255.0)
    weight = (np.clip(sure, 0, 1) * HEAT_STRENGTH)[:, None]
    rgb = white + (palette[best] - white) * weight
    return _png(rgb.reshape(*shape, 3)[::-1])


def value_png(values: np.ndarray, shape: tuple[int, int], limit: float) -> bytes:
    """Predicted numbers on the grid as a PNG (top row first): orange below 0, white at 0, blue above, full
    strength at ±``limit``."""
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0).reshape(shape)[::-1]
    scaled = np.clip(v / max(limit, 1e-12), -1, 1)
    white = np.full(3, 255.0)
    toward = np.where((scaled >= 0)[..., None], _rgb(CLASS_COLORS[1]), _rgb(CLASS_COLORS[0]))
    rgb = white + (toward - white) * (np.abs(scaled) * HEAT_STRENGTH)[..., None]
    return _png(rgb)


def _png(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb.astype(np.uint8), "RGB").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _stride(n: int, limit: int) -> int:
    return max(1, int(np.ceil(n / max(1, limit))))


def _points(X: np.ndarray, values: np.ndarray, part: str, limit: int, field: str, as_text: Sequence[str] | None):
    step = _stride(len(values), limit)
    X, values = X[::step], values[::step]
    shown = [as_text[int(v)] for v in values] if as_text is not None else np.asarray(values, dtype=float)
    return {"x1": X[:, 0], "x2": X[:, 1], field: shown, "part": [part] * len(values)}


def problem_map_chart(grid: BoundaryGrid, image: bytes, X_train: np.ndarray, y_train: np.ndarray,
                      X_test: np.ndarray, y_test: np.ndarray, title: str = "", axes: tuple[str, str] = ("x₁", "x₂"),
                      classes: Sequence[str] | None = None, limit: float = 1.0) -> dict:
    """The network's output over the plane as a background ``image`` (a PNG), with the data points.

    With ``classes`` (the class names, in label order) the points are coloured by class, as in the map of
    :func:`class_map_png`; without, they are regression targets on the orange-white-blue scale of
    :func:`value_png` from ``-limit`` to ``limit``.
    """
    url = "data:image/png;base64," + base64.b64encode(image).decode()
    n_train = len(y_train)
    share = n_train / max(1, n_train + len(y_test))
    field = "class" if classes is not None else "target"
    names = None if classes is None else [str(c) for c in classes]
    train = _points(X_train, y_train, "train", max(1, round(MAX_POINTS_SHOWN * share)), field, names)
    test = _points(X_test, y_test, "test", max(1, round(MAX_POINTS_SHOWN * (1 - share))), field, names)
    if names is not None:
        color_scale = {"domain": names, "range": [MULTICLASS_COLORS[i % len(MULTICLASS_COLORS)]
                                                  for i in range(len(names))]}
        color = _n(field, scale=color_scale, legend={"orient": "bottom", "title": "class"})
        tip = _n(field)
    else:
        color_scale = {"domain": [-limit, 0, limit], "range": [CLASS_COLORS[0], "#f1f3f4", CLASS_COLORS[1]]}
        color = _q(field, scale=color_scale, legend={"orient": "bottom", "title": "target"})
        tip = _q(field, format=".3f")
    return map_with_points(grid, url, train, test, axes, title, train_color=color, test_color=color, tip=tip)


def residual_frame(prediction_train: np.ndarray, target_train: np.ndarray, prediction_test: np.ndarray,
                   target_test: np.ndarray, limit: int = MAX_POINTS_SHOWN) -> pd.DataFrame:
    """Long table ``prediction, residual, part`` (residual = target − prediction), thinned to about ``limit`` rows."""
    parts = []
    total = max(1, len(target_train) + len(target_test))
    for part, p, t in (("train", prediction_train, target_train), ("test", prediction_test, target_test)):
        p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
        if not len(t):
            continue
        step = _stride(len(t), round(limit * len(t) / total))
        parts.append(pd.DataFrame({"prediction": p[::step], "residual": (t - p)[::step], "part": part}))
    if not parts:
        return pd.DataFrame({"prediction": [], "residual": [], "part": []})
    return pd.concat(parts, ignore_index=True)


def residual_chart(frame: pd.DataFrame, title: str = "Residuals") -> dict:
    """Residual (target − prediction) against the prediction, training points filled and test points hollow,
    with the zero line: a good fit scatters evenly about it."""
    return _layered([
        {"data": {"name": "zero"}, "mark": {"type": "rule", "color": "#8a94a6", "strokeDash": [4, 3]},
         "encoding": {"y": _q("y")}},
        {"data": {"name": "residuals"}, "mark": {"type": "point", "size": 18, "opacity": 0.8},
         "encoding": {"x": _q("prediction", title="prediction", scale={"zero": False}),
                      "y": _q("residual", title="target − prediction"),
                      "shape": _n("part", scale={"domain": ["train", "test"], "range": ["circle", "diamond"]},
                                  legend={"orient": "top-right", "fillColor": "white", "padding": 4, "title": None}),
                      "color": _n("part", scale={"domain": ["train", "test"]}, legend=None),
                      "tooltip": [_n("part"), _q("prediction", format=".3f"), _q("residual", format=".3f")]}},
    ], {"zero": {"y": [0.0]}, "residuals": frame}, title=title, height=RESIDUAL_HEIGHT, width="container")


def per_class_frame(classes: Sequence[str], y_train: np.ndarray, predicted_train: np.ndarray,
                    y_test: np.ndarray, predicted_test: np.ndarray) -> pd.DataFrame:
    """One row per class: its points and the share of them predicted right, in the training and test data."""
    rows = []
    for k, name in enumerate(classes):
        row = {"class": str(name)}
        for part, y, p in (("training", y_train, predicted_train), ("test", y_test, predicted_test)):
            members = np.asarray(y) == k
            row[f"{part} points"] = int(members.sum())
            row[f"{part} accuracy"] = float(np.mean(np.asarray(p)[members] == k)) if members.any() else np.nan
        rows.append(row)
    return pd.DataFrame(rows)
