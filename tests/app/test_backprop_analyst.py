"""The backpropagation page as an analyst uses it: metrics, early stopping, continuing a run, applying a sweep's
best value, the pinned-runs table, and saved sessions (including hostile files), under AppTest.

AppTest does not fire a fragment's timer: training advances through the buttons (Train runs one tick, Step one
epoch).
"""

from __future__ import annotations

import numpy as np
from sklearn import metrics as sk

from tests.app.conftest import run_page, shown_text
from ui.views.backprop.view import load_split

PAGE = "backprop"
RUN = "backprop_run"


def click(at, key: str):
    at.button(key=key).click()
    return at.run()


def model(at):
    return at.session_state[RUN].model


def test_metrics_box_shows_confusion_matrices_and_roc_auc_as_scikit_learn_computes_them():
    at = run_page(PAGE)
    for _ in range(3):
        click(at, "backprop_step")
    assert "Confusion matrix and ROC curve" in [e.label for e in at.expander]
    charts_closed = len(at.get("vega_lite_chart"))
    at.session_state["backprop_metrics_box"] = True
    at.run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == charts_closed + 3  # train and test matrices, the ROC curve
    net = model(at)
    data = load_split("circles", 1000, 0.1, 0, 0.2, None)
    text = shown_text(at)
    for part, X, y in (("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)):
        score = net.predict_proba(X)[:, 1]
        assert f"{part} AUC {sk.roc_auc_score(y, score):.3f}" in text
    counts = sk.confusion_matrix(data.y_test, net.predict(data.X_test), labels=[0, 1])
    at.toggle(key="backprop_numbers_confusion_test").set_value(True)
    at.run()
    table = next(d.value for d in at.dataframe if "share of true class" in d.value.columns)
    np.testing.assert_array_equal(table["count"].to_numpy().reshape(2, 2), counts)
