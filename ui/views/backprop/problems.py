"""The problem a run solves (two classes, three classes, regression) and what the training panel shows for it.

Two classes is the course's network and keeps the panel's own pictures; for three classes the decision map has a
colour per class and a table gives the accuracy class by class; for regression the map shows the predicted number,
the metrics read R² and a residual plot follows. The problem comes from the data: a built-in dataset's
(:data:`calc_core.data.datasets.DATASET_TASKS`) or the one an uploaded file's label column makes.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from calc_core.data.datasets import DATASET_TASKS
from ui.charts import backprop_problems as charts
from ui.charts.show import show_chart
from ui.views.backprop.state import BackpropView

SCORE_NAMES = {"binary": "accuracy", "multiclass": "accuracy", "regression": "R²"}
LOSS_NAMES = {"binary": "cross-entropy loss", "multiclass": "cross-entropy loss",
              "regression": "squared error / 2"}
CAPTIONS = {
    "multiclass": "Shading: the class the network finds most likely, stronger where it is surer (white: all classes "
                  "equally likely). Filled points: training data; hollow diamonds: test data.",
    "regression": "Shading: the network's prediction, orange below 0 and blue above (white at 0); the points are "
                  "coloured by their target on the same scale. Filled points: training data; hollow diamonds: test "
                  "data.",
}
ALT_TEXT = {
    "multiclass": "Map of the most likely class over the plane, a colour per class, with the data points.",
    "regression": "Heatmap of the predicted value over the plane, with the data points coloured by target.",
}
RESIDUAL_NOTE = ("Residuals: target − prediction for each point. A good fit scatters them evenly about the dashed "
                 "zero line; a curve or a funnel is structure the network has not caught.")


def builtin_task(dataset: str) -> str:
    """The problem of a built-in dataset (two classes for anything else, such as an upload's placeholder)."""
    return DATASET_TASKS.get(dataset, "binary")


def task_of(view: BackpropView) -> str:
    """The problem the view's network solves."""
    return view.network.get("task", "binary")


def score_name(view: BackpropView) -> str:
    """What the accuracy columns of the history hold: "accuracy", or "R²" for regression."""
    return SCORE_NAMES[task_of(view)]


def loss_name(view: BackpropView) -> str:
    return LOSS_NAMES[task_of(view)]


def score_text(view: BackpropView, value: float) -> str:
    """A score as the metrics show it: a percentage, or R² with three decimals."""
    if np.isnan(value):
        return "—"
    return f"{value:.3f}" if task_of(view) == "regression" else f"{value:.1%}"


def score_domain(view: BackpropView, values) -> tuple[float, float]:
    """The score axis: 0 to 1, reaching down to −1 for an R² below 0 (worse than predicting the mean)."""
    values = np.asarray(values, dtype=float)
    low = float(np.nanmin(values)) if task_of(view) == "regression" and np.isfinite(values).any() else 0.0
    return (max(-1.0, min(0.0, low)), 1.0)


def class_names(view: BackpropView) -> tuple[str, ...]:
    """The class names, in label order: an uploaded file's, else 0, 1, 2 …"""
    if view.upload is not None:
        from ui.views.backprop.data import loaded

        names = loaded(view.upload).classes
        if names:
            return tuple(names)
    return tuple(str(k) for k in range(view.model.n_outputs_))


def map_chart(view: BackpropView) -> dict:
    """The map of the network's output over the plane (three classes or regression) with the data points."""
    model, split, grid = view.model, view.split, view.grid
    pair = list(view.pair)
    if task_of(view) == "multiclass":
        image = charts.class_map_png(model.predict_proba(grid.points), grid.shape)
        classes, limit = class_names(view), 1.0
    else:
        targets = np.concatenate([split.y_train, split.y_test])
        limit = float(np.max(np.abs(targets))) if len(targets) else 1.0
        image = charts.value_png(model.predict(grid.points), grid.shape, limit)
        classes = None
    title = "Decision map" if classes is not None else "Prediction"
    return charts.problem_map_chart(grid, image, split.X_train[:, pair], split.y_train, split.X_test[:, pair],
                                    split.y_test, title=title, axes=view.axis_titles, classes=classes, limit=limit)


def render_problem_details(view: BackpropView) -> None:
    """Below the metrics: the accuracy class by class (three classes), or the residual plot (regression)."""
    task, model, run, split = task_of(view), view.model, view.run, view.split
    epoch = model.n_epochs_
    has_test = len(split.y_test) > 0
    if task == "multiclass":
        frame = run.memo("per_class", epoch, lambda: charts.per_class_frame(
            class_names(view), split.y_train, model.predict(split.X_train), split.y_test,
            model.predict(split.X_test) if has_test else split.y_test))
        st.markdown("**Accuracy per class**")
        st.dataframe(frame, hide_index=True, width="stretch", column_config={
            name: st.column_config.NumberColumn(format="percent") for name in ("training accuracy", "test accuracy")})
    elif task == "regression":
        frame = run.memo("residuals", epoch, lambda: charts.residual_frame(
            model.predict(split.X_train), split.y_train,
            model.predict(split.X_test) if has_test else split.y_test[:0], split.y_test))
        show_chart(charts.residual_chart(frame), "Residuals (target minus prediction) against the prediction, for "
                   "training and test points.", "backprop_numbers_residuals", frame)
        st.caption(RESIDUAL_NOTE)
