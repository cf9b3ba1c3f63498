"""Charts of a classifier's metrics: the confusion matrix as a grid of counts, and the ROC curve."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ui.charts.backprop import LABEL_GREY, POSITIVE_COLOR, _layered
from ui.charts.common import nominal as _n
from ui.charts.common import quantitative as _q

MATRIX_SIZE = 220
ROC_SIZE = 240


def confusion_frame(counts: np.ndarray, class_names: Sequence[str]) -> pd.DataFrame:
    """One row per cell of a confusion matrix: ``true``, ``predicted``, ``count`` and its share of the true class."""
    counts = np.asarray(counts)
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, counts / np.maximum(totals, 1), 0.0)
    k = len(class_names)
    return pd.DataFrame({"true": np.repeat(list(class_names), k), "predicted": np.tile(list(class_names), k),
                         "count": counts.ravel().astype(int), "share of true class": share.ravel()})


def confusion_chart(frame: pd.DataFrame, class_names: Sequence[str], title: str) -> dict:
    """Rows: the true class; columns: the predicted class; shade: the share of the row; text: the count."""
    names = list(class_names)
    x = _n("predicted", title="predicted class", sort=names, axis={"labelAngle": 0})
    y = _n("true", title="true class", sort=names)
    tooltip = [_n("true", title="true class"), _n("predicted", title="predicted class"), _q("count"),
               _q("share of true class", format=".1%")]
    return _layered([
        {"data": {"name": "cells"}, "mark": {"type": "rect", "stroke": "white"},
         "encoding": {"x": x, "y": y, "tooltip": tooltip,
                      "color": _q("share of true class", scale={"domain": [0, 1], "range": ["#ffffff", POSITIVE_COLOR]},
                                  legend=None)}},
        {"data": {"name": "cells"}, "mark": {"type": "text", "fontSize": 14},
         "encoding": {"x": x, "y": y, "text": _q("count"), "tooltip": tooltip,
                      "color": {"condition": {"test": "datum['share of true class'] > 0.5", "value": "white"},
                                "value": "black"}}},
    ], {"cells": frame}, title=title, width=MATRIX_SIZE, height=MATRIX_SIZE)


def roc_frame(curves: dict[str, tuple[np.ndarray, np.ndarray, float]]) -> pd.DataFrame:
    """Long table ``data, false positive rate, true positive rate`` of ROC curves by name ("train", "test")."""
    frames = [pd.DataFrame({"data": f"{name} (AUC {area:.3f})", "false positive rate": fpr,
                            "true positive rate": tpr, "point": np.arange(len(fpr))})
              for name, (fpr, tpr, area) in curves.items() if len(fpr) and np.isfinite(area)]
    if not frames:
        return pd.DataFrame({"data": [], "false positive rate": [], "true positive rate": [], "point": []})
    return pd.concat(frames, ignore_index=True)


def roc_chart(frame: pd.DataFrame) -> dict:
    """ROC curves (true against false positive rate) with the diagonal of a score that knows nothing."""
    unit = {"domain": [0, 1]}
    diagonal = pd.DataFrame({"false positive rate": [0.0, 1.0], "true positive rate": [0.0, 1.0]})
    return _layered([
        {"data": {"name": "chance"}, "mark": {"type": "line", "strokeDash": [4, 3], "color": LABEL_GREY},
         "encoding": {"x": _q("false positive rate", scale=unit), "y": _q("true positive rate", scale=unit)}},
        {"data": {"name": "roc"}, "mark": {"type": "line"},
         "encoding": {"x": _q("false positive rate", scale=unit), "y": _q("true positive rate", scale=unit),
                      "order": _q("point"),
                      "color": _n("data", title=None, legend={"orient": "bottom-right", "fillColor": "white"}),
                      "tooltip": [_n("data"), _q("false positive rate", format=".3f"),
                                  _q("true positive rate", format=".3f")]}},
    ], {"chance": diagonal, "roc": frame}, title="ROC curve", width=ROC_SIZE, height=ROC_SIZE)
