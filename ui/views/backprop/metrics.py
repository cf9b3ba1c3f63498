"""The classifier's metrics at the current epoch: confusion matrices (train and test) and the ROC curve with its AUC.

Drawn in a box that tracks whether it is open, so a closed box costs nothing; computed once per epoch.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from calc_core.mlp.metrics import confusion_matrix, roc_curve
from ui.charts import metrics as charts
from ui.charts.show import show_chart
from ui.views.backprop.data import loaded
from ui.views.backprop.state import BackpropView

BOX_KEY = "backprop_metrics_box"
BOX_LABEL = "Confusion matrix and ROC curve"


def class_names(view: BackpropView) -> list[str]:
    """The names of the classes, in label order: an uploaded file's, else 0, 1 (, 2 …)."""
    if getattr(view, "upload", None) is not None:
        names = loaded(view.upload).classes
        if names:
            return list(names)
    labels = np.concatenate([view.split.y_train, view.split.y_test])
    return [str(k) for k in range(max(2, int(labels.max()) + 1 if len(labels) else 2))]


def epoch_metrics(view: BackpropView) -> dict:
    """Confusion matrices and ROC curves of the training and test data for the model as it is now."""
    names = class_names(view)
    parts = {"train": (view.split.X_train, view.split.y_train), "test": (view.split.X_test, view.split.y_test)}
    out = {"names": names, "confusion": {}, "roc": {}}
    for part, (X, y) in parts.items():
        if not len(y):
            continue
        proba = view.model.predict_proba(X)
        predicted = np.argmax(proba, axis=1)
        out["confusion"][part] = confusion_matrix(y, predicted, len(names))
        if len(names) == 2 and np.isfinite(proba).all():
            curve = roc_curve(y, proba[:, 1])
            out["roc"][part] = (curve.fpr, curve.tpr, curve.auc)
    return out


def render_metrics(view: BackpropView) -> None:
    """The box of the current epoch's confusion matrices and ROC curve (computed only while it is open).

    For classes only: a regression network has neither.
    """
    if getattr(view.model, "task", "binary") == "regression":
        return
    box = st.expander(BOX_LABEL, key=BOX_KEY, on_change="rerun", icon=":material/grid_on:")
    if not box.open:
        return
    with box:
        model, run = view.model, view.run
        epoch = model.n_epochs_
        found = run.memo("metrics", epoch, lambda: epoch_metrics(view))
        names = found["names"]
        st.caption(f"Epoch {epoch}. Rows: the true class; columns: the class the network predicts "
                   "(the more probable one); shade: the share of the row.")
        columns = st.columns(len(found["confusion"]) + (1 if found["roc"] else 0))
        for column, (part, counts) in zip(columns, found["confusion"].items()):
            frame = charts.confusion_frame(counts, names)
            correct = int(np.trace(counts))
            show_chart(charts.confusion_chart(frame, names, f"{part.capitalize()} data"),
                       f"Confusion matrix of the {part} data: {correct} of {int(counts.sum())} points on the "
                       "diagonal.", f"backprop_numbers_confusion_{part}", frame, container=column, width="content")
        if found["roc"]:
            frame = charts.roc_frame(found["roc"])
            areas = "; ".join(f"{part} AUC {area:.3f}" for part, (_, _, area) in found["roc"].items())
            show_chart(charts.roc_chart(frame), f"ROC curve: {areas}.", "backprop_numbers_roc", frame,
                       container=columns[-1], width="content")
            st.caption(f"ROC: the true against the false positive rate as the threshold on the probability of "
                       f"class 1 falls from 1 to 0; the dashed diagonal is a score that knows nothing. {areas}.")
