"""The backpropagation page as an analyst uses it: metrics, early stopping, continuing a run, applying a sweep's
best value, the pinned-runs table, and saved sessions (including hostile files), under AppTest.

AppTest does not fire a fragment's timer: training advances through the buttons (Train runs one tick, Step one
epoch).
"""

from __future__ import annotations

import numpy as np
from sklearn import metrics as sk

from calc_core.mlp import MLP
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


def test_continue_training_raises_the_epoch_setting_and_trains_on_in_the_same_run():
    at = run_page(PAGE, {"backprop_samples": "200", "backprop_epochs": "3"})
    for _ in range(3):
        click(at, "backprop_step")
    assert model(at).n_epochs_ == 3
    assert at.button(key="backprop_train").disabled  # at the Epochs setting
    weights = [w.copy() for w in model(at).coefs_]
    button = at.button(key="backprop_continue")
    assert button.label == "Continue training to epoch 6"
    button.click()
    at.run()
    assert not at.exception
    assert at.number_input(key="backprop_epochs").value == 6
    assert model(at).n_epochs_ > 3  # the click's rerun trained a tick past the old setting
    while at.session_state[RUN].running:
        at.run()
    assert model(at).n_epochs_ == 6
    # The same run: its first three epochs are the ones trained before the click.
    assert len(model(at).history_.epoch) == 7
    data = load_split("circles", 200, 0.1, 0, 0.2, None)
    again = MLP(epochs=3).fit(data.X_train, data.y_train)
    for ours, theirs in zip(weights, again.coefs_):
        np.testing.assert_array_equal(ours, theirs)


def test_use_this_value_sets_the_control_to_the_sweeps_best_setting():
    at = run_page(PAGE, {"backprop_samples": "200", "backprop_epochs": "20", "backprop_sweep_points": "3",
                         "backprop_sweep_seeds": "1", "backprop_sweep_learning_rate_from": "0.001",
                         "backprop_sweep_learning_rate_to": "0.1"})
    click(at, "backprop_sweep_run")
    assert not at.exception
    result = at.session_state["backprop_state"].sweep.value
    loss = result.summary("test_loss")
    best = loss.values[int(np.nanargmin(loss.mean))]
    button = at.button(key="backprop_sweep_use_best")
    assert button.label == f"Use learning rate {best:g}"
    button.click()
    at.run()
    assert not at.exception
    assert at.select_slider(key="backprop_lr").value == best
    assert model(at).learning_rate == best


def test_pinned_runs_table_leads_with_the_final_metrics_and_keeps_whole_labels():
    at = run_page(PAGE, {"backprop_samples": "200", "backprop_epochs": "2"})
    click(at, "backprop_step")
    click(at, "backprop_pin")
    at.select_slider(key="backprop_lr").set_value(0.5)
    at.run()
    click(at, "backprop_step")
    click(at, "backprop_pin")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "run" in d.value.columns)
    assert list(table.columns[:6]) == ["run", "epochs", "test accuracy", "test loss", "train accuracy", "train loss"]
    labels = list(table["run"])
    assert len(labels) == 2
    assert labels[0] == "circles · 4-3 relu · x₁, x₂ · Adam lr 0.05, L2 0, batch full · seed 0 · epoch 1"
    assert "Adam lr 0.5" in labels[1] and "epoch 2" in labels[1]
    legend = [spec for spec in (c.proto.spec for c in at.get("vega_lite_chart")) if "labelLimit" in spec]
    assert legend, "the pinned runs' legend cuts its labels"


OVERFITS = {"backprop_dataset": "moons", "backprop_samples": "100", "backprop_noise": "0.45",
            "backprop_train_share": "0.5", "backprop_data_seed": "3", "backprop_layers": "32,32",
            "backprop_epochs": "600", "backprop_pace": "fast", "backprop_patience": "10"}


def train_until_paused(at, most_runs: int = 200):
    click(at, "backprop_train")
    for _ in range(most_runs):
        if not at.session_state[RUN].running:
            return at
        at.run()
    raise AssertionError("the run did not stop")


def test_early_stopping_reports_its_epoch_and_goes_back_to_the_best_weights():
    at = train_until_paused(run_page(PAGE, OVERFITS))
    assert not at.exception
    watch = at.session_state[RUN].extra["early_stopping"]
    assert watch.stopped_at is not None and watch.stopped_at < 600
    assert watch.stopped_at - watch.best_epoch == 10
    net = model(at)
    assert net.n_epochs_ == watch.best_epoch
    text = shown_text(at)
    assert f"Early stopping at epoch {watch.stopped_at}" in text
    assert f"back at **epoch {watch.best_epoch}**" in text
    assert f"**Epoch {watch.best_epoch}** of 600" in text
    # The weights are those of a straight run to the best epoch.
    data = load_split("moons", 100, 0.45, 3, 0.5, None)
    straight = MLP(hidden_layer_sizes=(32, 32), epochs=watch.best_epoch).fit(data.X_train, data.y_train)
    for ours, theirs in zip(net.coefs_, straight.coefs_):
        np.testing.assert_array_equal(ours, theirs)
