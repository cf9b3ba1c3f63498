"""The backpropagation page as an analyst uses it: metrics, early stopping, continuing a run, applying a sweep's
best value, the pinned-runs table, and saved sessions (including hostile files), under AppTest.

AppTest does not fire a fragment's timer: training advances through the buttons (Train runs one tick, Step one
epoch).
"""

from __future__ import annotations

import json

import numpy as np
from sklearn import metrics as sk

from calc_core.mlp import MLP
from tests.app.conftest import run_page, shown_text
from tests.app.test_chart_schema import assert_valid_charts
from ui.views.backprop import sessions
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
    assert_valid_charts(at)  # against Vega-Lite's schema
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


# ------------------------------------------------------------------ saved sessions

SESSION_FILE = "backprop_session_file"


def saved_session(at) -> dict:
    """The session file the Save button would give for this page (the same function builds both)."""
    run = at.session_state[RUN]
    return sessions.session_document(run.model, run.extra, at.session_state["backprop_state"],
                                     sessions.control_values(at.session_state))


def load_session(at, content: bytes, name: str = "backprop_session.json"):
    at.file_uploader(key=SESSION_FILE).set_value((name, content, "application/json"))
    return at.run()


def test_a_saved_session_loads_back_to_the_same_run_bit_for_bit_with_its_pins_and_sweep():
    query = {"backprop_dataset": "moons", "backprop_samples": "200", "backprop_epochs": "12",
             "backprop_layers": "5,3", "backprop_weight_seed": "7", "backprop_sweep_points": "2",
             "backprop_sweep_seeds": "1", "backprop_sweep_learning_rate_from": "0.01",
             "backprop_sweep_learning_rate_to": "0.1"}
    at = run_page(PAGE, query)
    for _ in range(3):
        click(at, "backprop_step")
    at.select_slider(key="backprop_lr").set_value(0.01)
    at.run()
    at.selectbox(key="backprop_optimizer").set_value("momentum")
    at.run()
    for _ in range(2):
        click(at, "backprop_step")
    click(at, "backprop_pin")
    click(at, "backprop_sweep_run")
    assert not at.exception
    before = model(at)
    assert [c.name for c in before.changes_] == ["learning_rate", "optimizer"]
    document = saved_session(at)
    content = json.dumps(document).encode()

    fresh = run_page(PAGE)  # another browser session, at the defaults
    load_session(fresh, content)
    assert not fresh.exception
    assert any("Session loaded" in s.value for s in fresh.success)
    after = model(fresh)
    assert after is not before and after.n_epochs_ == 5
    for name in ("epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"):
        np.testing.assert_array_equal(getattr(after.history_, name), getattr(before.history_, name))
    for ours, theirs in zip(after.coefs_ + after.intercepts_, before.coefs_ + before.intercepts_):
        np.testing.assert_array_equal(ours, theirs)
    assert after.changes_ == before.changes_
    assert fresh.select_slider(key="backprop_lr").value == 0.01
    assert fresh.text_input(key="backprop_layers").value == "5,3"
    assert fresh.selectbox(key="backprop_dataset").value == "moons"
    state, saved_state = fresh.session_state["backprop_state"], at.session_state["backprop_state"]
    assert [p.label for p in state.pinned] == [p.label for p in saved_state.pinned]
    for ours, theirs in zip(state.pinned, saved_state.pinned):
        for name in sessions.CURVES:
            np.testing.assert_array_equal(ours.curves[name], theirs.curves[name])
    assert state.sweep.key == saved_state.sweep.key
    assert state.sweep.value == saved_state.sweep.value or np.isnan(
        [r.test_loss for r in saved_state.sweep.value.runs]).any()
    # The reloaded page shows the sweep (its key matches the loaded settings) and saves the same file again.
    assert fresh.button(key="backprop_sweep_use_best")
    assert saved_session(fresh) == document


def test_an_early_stopped_session_loads_back_at_its_best_epoch():
    at = train_until_paused(run_page(PAGE, OVERFITS))
    watch = at.session_state[RUN].extra["early_stopping"]
    fresh = load_session(run_page(PAGE), json.dumps(saved_session(at)).encode())
    assert not fresh.exception
    again = fresh.session_state[RUN].extra["early_stopping"]
    assert (again.best_epoch, again.stopped_at) == (watch.best_epoch, watch.stopped_at)
    assert model(fresh).n_epochs_ == watch.best_epoch
    np.testing.assert_array_equal(model(fresh).history_.test_loss, model(at).history_.test_loss)
    assert f"Early stopping at epoch {watch.stopped_at}" in shown_text(fresh)


def _valid() -> dict:
    at = run_page(PAGE, {"backprop_samples": "100"})
    click(at, "backprop_step")
    return saved_session(at)


def _with(document: dict, path: tuple, value) -> bytes:
    changed = json.loads(json.dumps(document))
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return json.dumps(changed).encode()


def test_hostile_session_files_are_refused_and_nothing_changes():
    good = _valid()
    hostile = {
        "not JSON": b"{controls: 1",
        "not text": b"\xff\xfe\x00\x01",
        "a list": b"[]",
        "another format": _with(good, ("format",), "something-else"),
        "an unknown version": _with(good, ("version",), 99),
        "NaN": json.dumps(good).replace('"backprop_noise": 0.1', '"backprop_noise": NaN').encode(),
        "a learning rate off the stops": _with(good, ("controls", "backprop_lr"), 0.3),
        "samples out of range": _with(good, ("controls", "backprop_samples"), 10**9),
        "samples as text": _with(good, ("controls", "backprop_samples"), "1000"),
        "a toggle as a number": _with(good, ("controls", "backprop_course_bug"), 1),
        "a huge layer text": _with(good, ("controls", "backprop_layers"), "4," * 5000),
        "an unknown setting": _with(good, ("controls", "__import__('os')"), 1),
        "epochs beyond the limit": _with(good, ("run", "epochs"), 10**7),
        "a change out of order": _with(good, ("run", "changes"), [[1, "learning_rate", 0.05, 0.01],
                                                                  [0, "l2", 0.0, 0.001]]),
        "a change to a fixed setting": _with(good, ("run", "changes"), [[0, "hidden_layer_sizes", [4], [400]]]),
        "too many pins": _with(good, ("pinned",), [{"label": str(i)} for i in range(50)]),
        "a pin with text curves": _with(good, ("pinned",), [{"label": "x", "settings": {}, "final": {},
                                                             "curves": {n: ["a"] for n in sessions.CURVES}}]),
        "a sweep with a deep key": _with(good, ("sweep",), {"key": json.loads("[" * 50 + "]" * 50), "result": {
            "parameter": "l2", "values": [0.1], "seeds": [0], "epochs": 1, "complete": True, "runs": []}}),
        "deep nesting": b"[" * 200_000 + b"]" * 200_000,
        "too large": b" " * (sessions.MAX_BYTES + 1),
        "uploaded data without its file": _with(good, ("controls", "backprop_dataset"), "csv"),
    }
    csv_session = json.loads(_with(good, ("controls", "backprop_dataset"), "csv"))
    for name, content in (("not base64", "!!!"), ("not a table", "AAECAw=="), ("markup", "PHNjcmlwdD4=")):
        hostile[f"uploaded data {name}"] = _with(csv_session, ("data",), {
            "name": "x.csv", "content": content, "pickers": {"backprop_csv_label": "y"}})
    at = run_page(PAGE, {"backprop_samples": "100"})
    click(at, "backprop_step")
    click(at, "backprop_step")
    epochs, lr, history = model(at).n_epochs_, at.select_slider(key="backprop_lr").value, model(at).history_
    for name, content in hostile.items():
        load_session(at, content, f"{name}.json")
        assert not at.exception, name
        errors = [e.value for e in at.error]
        assert any("This session was not loaded" in e for e in errors), name
        assert model(at).n_epochs_ == epochs and model(at).history_ is history, name
        assert at.select_slider(key="backprop_lr").value == lr, name
        assert at.number_input(key="backprop_data_seed").value == 0, name
        assert "Traceback" not in shown_text(at), name


def test_a_session_too_long_to_train_again_loads_its_settings_and_says_the_run_starts_over(monkeypatch):
    monkeypatch.setattr(sessions, "SESSION_REPLAY_MAX_WORK", 0)  # the test sets the bound: nothing is replayed
    at = run_page(PAGE, {"backprop_samples": "100", "backprop_weight_seed": "5"})
    click(at, "backprop_step")
    fresh = load_session(run_page(PAGE), json.dumps(saved_session(at)).encode())
    assert not fresh.exception
    assert fresh.number_input(key="backprop_weight_seed").value == 5
    assert model(fresh).n_epochs_ == 0
    assert any("starts from epoch 0" in w.value for w in fresh.warning)


def test_three_uploaded_classes_get_a_three_by_three_confusion_matrix_named_as_in_the_file():
    rng = np.random.default_rng(4)
    names = ("setosa", "versicolor", "virginica")
    iris = b"sepal,petal,species\n" + b"".join(
        f"{5 + i % 3 + rng.normal() / 5:.2f},{1 + 2 * (i % 3) + rng.normal() / 5:.2f},{names[i % 3]}\n".encode()
        for i in range(90))
    at = run_page(PAGE, {"backprop_dataset": "upload CSV"})
    at.file_uploader(key="backprop_csv").set_value(("iris.csv", iris, "text/csv")).run()
    for _ in range(3):
        click(at, "backprop_step")
    at.session_state["backprop_metrics_box"] = True
    at.run()
    assert not at.exception
    assert model(at).task == "multiclass"
    at.toggle(key="backprop_numbers_confusion_train").set_value(True)
    at.run()
    table = next(d.value for d in at.dataframe if "share of true class" in d.value.columns)
    assert list(table["true"].unique()) == list(names) and len(table) == 9
    assert table["count"].sum() == round(90 * 0.8)  # the training points
    assert "ROC" not in shown_text(at)  # a ROC curve is for two classes
    assert_valid_charts(at)


def test_a_session_with_an_uploaded_file_carries_the_file_and_its_columns():
    rng = np.random.default_rng(9)
    rows = "".join(f"{20 + i % 50},{1000 + 37 * (i % 23) + rng.normal():.1f},{i % 7},"
                   f"{'yes' if (i % 50) + (i % 23) > 35 else 'no'}\n" for i in range(120))
    churn = ("age,income,visits,churned\n" + rows).encode()
    at = run_page(PAGE, {"backprop_dataset": "upload CSV"})
    at.file_uploader(key="backprop_csv").set_value(("churn.csv", churn, "text/csv")).run()
    at.multiselect(key="backprop_csv_features").set_value(["age", "income", "visits"])
    at.toggle(key="backprop_csv_standardise").set_value(True)
    at.run()
    for _ in range(3):
        click(at, "backprop_step")
    assert not at.exception and model(at).n_epochs_ == 3
    document = json.loads(json.dumps(saved_session(at) | {
        "data": sessions.upload_record(at.session_state["backprop_csv_last_good"], at.session_state)}))
    assert document["data"]["name"] == "churn.csv"

    fresh = load_session(run_page(PAGE), json.dumps(document).encode())
    assert not fresh.exception
    assert fresh.multiselect(key="backprop_csv_features").value == ["age", "income", "visits"]
    assert fresh.toggle(key="backprop_csv_standardise").value is True
    assert model(fresh).n_epochs_ == 3
    for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        np.testing.assert_array_equal(getattr(model(fresh).history_, name), getattr(model(at).history_, name))
    # A file whose columns do not match its pickers is refused, and nothing changes.
    bad = json.loads(json.dumps(document))
    bad["data"]["pickers"]["backprop_csv_label"] = "<b>nope</b>"
    load_session(fresh, json.dumps(bad).encode())
    assert any("This session was not loaded" in e.value for e in fresh.error)
    assert model(fresh).n_epochs_ == 3
