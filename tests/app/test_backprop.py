"""The backpropagation playground under AppTest.

AppTest runs whole scripts and does not fire a fragment's ``run_every`` timer,
so training is driven through the buttons: Train runs one tick in the rerun it
triggers, Step exactly one epoch.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from calc_core.limits import TRAINING_TICK_WORK
from calc_core.mlp import MLP, training_work
from tests.app.conftest import assert_shown_as_declared, run_page, shown_text
from ui.views.backprop import comparison, inspection, sweep

PAGE = "backprop"
RUN = "backprop_run"
STATE = "backprop_state"  # the page's PageState: pinned runs, the latest comparison and sweep
PACE_STEADY = 5  # epochs per tick at the default pace
CSV_OK = b"x,y,label\n" + b"".join(
    f"{np.cos(t):.4f},{np.sin(t):.4f},{int(t > 3)}\n".encode() for t in np.linspace(0, 6, 40)
)


def epoch_shown(at) -> int:
    match = re.search(r"\*\*Epoch (\d+)\*\* of (\d+)", shown_text(at))
    assert match, "no epoch counter on the page"
    return int(match.group(1))


def model(at) -> MLP:
    return at.session_state[RUN].model


def pinned_runs(at) -> list:
    return at.session_state[STATE].pinned


def click(at, key: str):
    at.button(key=key).click()
    return at.run()


def test_default_view_shows_epoch_zero_the_network_and_a_passing_gradient_check():
    at = run_page(PAGE)
    assert not at.exception
    assert not at.error
    assert epoch_shown(at) == 0
    text = shown_text(at)
    assert "Backpropagation agrees with finite differences" in text
    assert any("W_{3}^\\top" in latex.value for latex in at.latex)
    assert len(at.get("vega_lite_chart")) == 4
    params = model(at).get_params()
    assert params["hidden_layer_sizes"] == (4, 3)
    assert params["optimizer"] == "adam" and params["activation"] == "relu"
    labels = [b.label for b in at.download_button]
    assert labels[:3] == ["History (CSV)", "Weights (JSON)", "Standalone script (numpy)"]
    assert "Save the session (JSON)" in labels


def test_step_advances_exactly_one_epoch_each_click():
    at = run_page(PAGE)
    for expected in (1, 2, 3):
        click(at, "backprop_step")
        assert not at.exception
        assert epoch_shown(at) == expected
        assert model(at).n_epochs_ == expected
        assert len(model(at).history_.epoch) == expected + 1
        assert not at.session_state[RUN].running


def test_train_runs_a_tick_and_pause_stops_it():
    at = run_page(PAGE)
    click(at, "backprop_train")
    assert not at.exception
    assert at.session_state[RUN].running
    assert epoch_shown(at) == PACE_STEADY
    assert at.button(key="backprop_train").disabled
    click(at, "backprop_pause")
    assert not at.session_state[RUN].running
    paused_at = model(at).n_epochs_
    at.run()
    at.run()
    assert model(at).n_epochs_ == paused_at
    assert not at.button(key="backprop_train").disabled


def test_training_stops_at_the_epoch_setting_and_continues_when_it_is_raised():
    at = run_page(PAGE, {"backprop_epochs": "12", "backprop_pace": "fast"})
    click(at, "backprop_train")
    assert not at.exception
    assert model(at).n_epochs_ == 12
    assert not at.session_state[RUN].running
    assert at.button(key="backprop_train").disabled
    at.number_input(key="backprop_epochs").set_value(20).run()
    assert model(at).n_epochs_ == 12, "raising the target keeps the run"
    click(at, "backprop_train")
    assert model(at).n_epochs_ == 20


def test_a_trained_course_configuration_classifies_the_circles():
    at = run_page(PAGE, {"backprop_pace": "fast"})
    click(at, "backprop_train")
    assert model(at).n_epochs_ == 150
    assert model(at).history_.record(-1).train_accuracy >= 0.97


def test_changing_the_network_starts_a_new_run_but_a_display_control_does_not():
    at = run_page(PAGE)
    click(at, "backprop_step")
    click(at, "backprop_step")
    at.selectbox(key="backprop_pace").set_value("fast").run()
    at.slider(key="backprop_sample").set_value(3).run()
    assert model(at).n_epochs_ == 2
    at.selectbox(key="backprop_activation").set_value("tanh").run()
    assert not at.exception
    assert model(at).n_epochs_ == 0
    assert model(at).activation == "tanh"
    assert any("New run from epoch 0" in i.value and "the network" in i.value for i in at.info)


def test_reset_returns_to_the_initial_weights():
    at = run_page(PAGE)
    initial = [w.copy() for w in model(at).coefs_]
    click(at, "backprop_step")
    click(at, "backprop_step")
    assert any(not np.array_equal(before, after) for before, after in zip(initial, model(at).coefs_))
    click(at, "backprop_reset")
    assert model(at).n_epochs_ == 0
    for before, after in zip(initial, model(at).coefs_):
        np.testing.assert_array_equal(before, after)


def test_every_control_reaches_the_network():
    at = run_page(PAGE)
    at.selectbox(key="backprop_dataset").set_value("spiral")
    at.slider(key="backprop_samples").set_value(400)
    at.slider(key="backprop_noise").set_value(0.2)
    at.slider(key="backprop_train_share").set_value(0.5)
    at.number_input(key="backprop_data_seed").set_value(7)
    at.text_input(key="backprop_layers").set_value("8, 6,4")
    at.selectbox(key="backprop_activation").set_value("tanh")
    at.number_input(key="backprop_weight_seed").set_value(3)
    at.toggle(key="backprop_course_bug").set_value(True)
    at.selectbox(key="backprop_optimizer").set_value("momentum")
    at.select_slider(key="backprop_lr").set_value(0.2)
    at.selectbox(key="backprop_batch").set_value(32)
    at.select_slider(key="backprop_l2").set_value(1e-3)
    at.number_input(key="backprop_epochs").set_value(40)
    at.selectbox(key="backprop_pace").set_value("watch")
    at.run()
    assert not at.exception
    assert at.error and all("gradient check fails" in e.value for e in at.error), "the course's bug is on"
    assert model(at).get_params() == {
        "hidden_layer_sizes": (8, 6, 4), "activation": "tanh", "learning_rate": 0.2, "epochs": 0,
        "batch_size": 32, "optimizer": "momentum", "l2": 1e-3, "random_state": 3, "course_sigmoid_bug": True,
        "dtype": "float32", "features": ("x1", "x2"), "task": "binary",
    }
    groups = dict(at.session_state[RUN].key)
    assert groups["data"] == ("spiral", 400, 0.2, 7) and groups["split"] == (0.5, 7)
    assert epoch_shown(at) == 0 and "of 40" in shown_text(at)
    click(at, "backprop_train")
    assert model(at).n_epochs_ == 1, "the watch pace trains one epoch per tick"


@pytest.mark.parametrize("text, words", [
    ("4,x", "not a whole number"),
    ("1,2,3,4,5,6,7", "at most 6 layers"),
    ("65", "1 to 64 units"),
    ("4,0", "1 to 64 units"),
    ("-3", "not a whole number"),
])
def test_a_bad_layer_string_gives_an_error(text, words):
    at = run_page(PAGE, {"backprop_layers": text})
    assert not at.exception
    assert at.error and words in at.error[0].value
    assert not at.get("vega_lite_chart")


def test_an_empty_layer_string_is_logistic_regression():
    at = run_page(PAGE, {"backprop_layers": ""})
    assert not at.exception and not at.error
    assert model(at).get_params()["hidden_layer_sizes"] == ()


def upload(at, content: bytes):
    at.selectbox(key="backprop_dataset").set_value("csv").run()
    at.file_uploader(key="backprop_csv").set_value(("points.csv", content, "text/csv"))
    return at.run()


@pytest.mark.parametrize("content, words", [
    (b"x,y,label\n1,2,0\n3,abc,1\n", "Line 3"),
    (b"x,y\n1,2\n", "label"),
    (b"x,y,label\n1,2,0\n3,4,0\n", "two"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
])
def test_a_bad_csv_upload_gives_an_error(content, words):
    at = upload(run_page(PAGE), content)
    assert not at.exception
    # Messages quote the file, so they are escaped markdown (ui.errors.literal); compare the words as shown.
    assert at.error and words in " ".join(e.value for e in at.error).replace("\\", "")


def test_a_good_csv_upload_trains_on_its_points():
    at = upload(run_page(PAGE), CSV_OK)
    assert not at.exception and not at.error
    assert model(at).n_features_in_ == 2
    click(at, "backprop_step")
    assert model(at).n_epochs_ == 1
    assert dict(at.session_state[RUN].key)["data"][0] == "csv"


def test_csv_without_a_file_asks_for_one():
    at = run_page(PAGE, {"backprop_dataset": "upload CSV"})
    assert not at.exception
    assert any("Upload a CSV" in i.value for i in at.info)


def test_url_round_trip_sets_every_control():
    query = {
        "backprop_dataset": "moons", "backprop_samples": "300", "backprop_noise": "0.25",
        "backprop_train_share": "0.7", "backprop_data_seed": "5", "backprop_layers": "6,2",
        "backprop_activation": "leaky ReLU", "backprop_weight_seed": "9", "backprop_course_bug": "true",
        "backprop_optimizer": "SGD", "backprop_lr": "0.5", "backprop_batch": "16", "backprop_l2": "0.0001",
        "backprop_epochs": "75", "backprop_pace": "fast", "backprop_sample": "4",
    }
    at = run_page(PAGE, query)
    assert not at.exception
    assert at.selectbox(key="backprop_dataset").value == "moons"
    assert at.slider(key="backprop_samples").value == 300
    assert at.slider(key="backprop_noise").value == pytest.approx(0.25)
    assert at.slider(key="backprop_train_share").value == pytest.approx(0.7)
    assert at.number_input(key="backprop_data_seed").value == 5
    assert at.text_input(key="backprop_layers").value == "6,2"
    assert at.selectbox(key="backprop_activation").value == "leaky_relu"
    assert at.number_input(key="backprop_weight_seed").value == 9
    assert at.toggle(key="backprop_course_bug").value is True
    assert at.selectbox(key="backprop_optimizer").value == "sgd"
    assert at.select_slider(key="backprop_lr").value == 0.5
    assert at.selectbox(key="backprop_batch").value == 16
    assert at.select_slider(key="backprop_l2").value == 1e-4
    assert at.number_input(key="backprop_epochs").value == 75
    assert at.selectbox(key="backprop_pace").value == "fast"
    assert at.slider(key="backprop_sample").value == 4


def test_a_shared_link_reproduces_the_trained_result():
    query = {"backprop_dataset": "xor", "backprop_layers": "5,5", "backprop_batch": "32", "backprop_epochs": "30",
             "backprop_pace": "fast", "backprop_weight_seed": "4", "backprop_data_seed": "2"}
    first, second = run_page(PAGE, query), run_page(PAGE, query)
    click(first, "backprop_train")
    for _ in range(30):
        click(second, "backprop_step")
    assert model(first).n_epochs_ == model(second).n_epochs_ == 30
    for a, b in zip(model(first).coefs_, model(second).coefs_):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(model(first).history_.test_loss, model(second).history_.test_loss)


def test_the_course_bug_fails_the_gradient_check_and_explains_why():
    at = run_page(PAGE, {"backprop_course_bug": "true"})
    assert not at.exception
    assert any("gradient check fails" in e.value for e in at.error)
    assert "1/3" in shown_text(at) and "1 000 samples" in shown_text(at)
    # The output layer starts at zero, so at first only its own gradient is wrong; once weights
    # carry the doubled δ back, every layer fails.
    assert at.dataframe[0].value.iloc[-1, -1] == "FAIL"
    for _ in range(3):
        click(at, "backprop_step")
    table = at.dataframe[0].value
    assert (table.iloc[:, -1] == "FAIL").all()
    assert table["max rel. error"].min() == pytest.approx(1 / 3, rel=1e-3)


def test_divergence_stops_training_with_a_warning_and_a_smaller_learning_rate():
    at = run_page(PAGE, {"backprop_lr": "1", "backprop_optimizer": "SGD", "backprop_pace": "fast"})
    huge = b"x,y,label\n" + b"".join(f"{s * 1e20:g},{s * 2e20:g},{i % 2}\n".encode()
                                     for i, s in enumerate(np.linspace(-1, 1, 30)))
    upload(at, huge)
    click(at, "backprop_train")
    assert not at.exception
    assert not at.session_state[RUN].running
    assert any("diverged" in w.value and "learning rate" in w.value for w in at.warning)
    click(at, "backprop_use_smaller_lr")
    assert at.select_slider(key="backprop_lr").value == 0.1
    assert model(at).n_epochs_ == 0 and at.session_state[RUN].failure is None


def test_reference_run_reports_both_models():
    at = run_page(PAGE, {"backprop_samples": "200", "backprop_epochs": "20"})
    click(at, "backprop_reference")
    assert not at.exception
    table = at.dataframe[-1].value
    assert list(table["model"]) == ["this page (numpy)", "scikit-learn MLPClassifier"]
    assert table["train accuracy"].between(0, 1).all() and (table["seconds"] > 0).all()
    at.run()
    assert len(at.dataframe) == 2, "the comparison stays on screen for the same settings"


def test_larger_networks_check_a_sample_of_parameters_on_request():
    at = run_page(PAGE, {"backprop_layers": "64,64,64"})
    assert not at.exception
    assert not any("agrees" in s.value for s in at.success)
    click(at, "backprop_run_check")
    assert any("agrees" in s.value for s in at.success)
    assert list(at.dataframe[0].value["checked"]) == ["100 of 192", "100 of 4160", "100 of 4160", "51 of 65"]


def test_mid_sized_networks_check_a_sample_at_once():
    at = run_page(PAGE, {"backprop_layers": "32,16"})
    assert not at.exception
    assert any("agrees" in s.value for s in at.success)
    # Up to 50 weights and 50 biases per layer: 50 + 32, 50 + 16 and all 16 + 1.
    assert list(at.dataframe[0].value["checked"]) == ["82 of 96", "66 of 528", "17 of 17"]


@pytest.mark.parametrize("answer, ok", [("self.W[l].T", True), ("W[l]", True), ("dsigmoid", False),
                                        ("self.b[l]", False)])
def test_task_checks_the_jacobian_answer(answer, ok):
    at = run_page(PAGE)
    at.text_input(key="backprop_task_answer").set_value(answer).run()
    assert not at.exception
    assert bool(at.success and any("Jacobian" in s.value for s in at.success)) is ok
    if not ok:
        assert at.warning


def chart_specs(at) -> list[str]:
    """Each chart's spec with the text of its datasets (Altair sends the rows apart from the spec)."""
    return [chart.proto.spec + " ".join(d.data.data.decode("utf-8", "ignore") for d in chart.proto.datasets)
            for chart in at.get("vega_lite_chart")]


def weights(at) -> list[np.ndarray]:
    return [w.copy() for w in model(at).coefs_]


def test_a_live_learning_rate_change_keeps_the_weights_and_marks_the_curves():
    at = run_page(PAGE)
    for _ in range(3):
        click(at, "backprop_step")
    before = weights(at)
    at.select_slider(key="backprop_lr").set_value(0.01).run()
    assert not at.exception
    assert model(at).n_epochs_ == 3 and model(at).learning_rate == 0.01
    for old, new in zip(before, weights(at)):
        np.testing.assert_array_equal(old, new)
    assert sum("lr 0.01" in spec for spec in chart_specs(at)) == 2, "a marker on the loss and the accuracy curves"
    assert "after epoch 3: learning rate 0.05 → 0.01" in shown_text(at)
    click(at, "backprop_step")
    assert model(at).n_epochs_ == 4 and len(model(at).changes_) == 1
    assert dict(at.session_state[RUN].key)["seeds"] == (0,), "still the same run"


def test_a_live_optimizer_change_says_the_new_one_starts_fresh():
    at = run_page(PAGE)
    click(at, "backprop_step")
    at.selectbox(key="backprop_optimizer").set_value("sgd").run()
    at.selectbox(key="backprop_batch").set_value(32).run()
    assert not at.exception
    assert [(c.name, c.new) for c in model(at).changes_] == [("optimizer", "sgd"), ("batch_size", 32)]
    assert "fresh state" in shown_text(at)
    assert any("SGD, batch 32" in spec for spec in chart_specs(at))


def test_a_live_l2_change_checks_the_gradient_again_with_the_new_penalty():
    at = run_page(PAGE)
    click(at, "backprop_step")
    before = at.dataframe[0].value.copy()
    at.select_slider(key="backprop_l2").set_value(0.1).run()
    assert not at.exception and model(at).n_epochs_ == 1 and model(at).l2 == 0.1
    after = at.dataframe[0].value
    assert not after.equals(before), "the check shown is still the one of the old objective"
    assert "Backpropagation agrees with finite differences" in shown_text(at)


def test_a_live_change_before_the_first_step_is_simply_the_new_setting():
    at = run_page(PAGE)
    at.select_slider(key="backprop_l2").set_value(1e-3).run()
    assert model(at).n_epochs_ == 0 and model(at).l2 == 1e-3 and model(at).changes_ == []


def test_input_features_reach_the_network_the_backward_step_and_the_gradient_check():
    at = run_page(PAGE, {"backprop_layers": "", "backprop_feature_x1_sq": "true", "backprop_feature_x2_sq": "true",
                         "backprop_feature_x1": "false", "backprop_feature_x2": "false", "backprop_pace": "fast",
                         "backprop_epochs": "200"})
    assert not at.exception and not at.error
    assert model(at).get_params()["features"] == ("x1^2", "x2^2")
    assert model(at).coefs_[0].shape == (2, 1)
    assert any("x_1^2" in latex.value for latex in at.latex)
    assert "Backpropagation agrees with finite differences" in shown_text(at)
    click(at, "backprop_train")
    while at.session_state[RUN].running:
        at.run()
    assert model(at).history_.record(-1).test_accuracy > 0.95, "squares make circles separable without hidden units"


def test_no_input_feature_is_refused_in_words():
    at = run_page(PAGE, {"backprop_feature_x1": "false", "backprop_feature_x2": "false"})
    assert not at.exception
    assert at.error and "at least one input feature" in at.error[0].value


def test_feature_toggles_start_a_new_run():
    at = run_page(PAGE)
    click(at, "backprop_step")
    at.toggle(key="backprop_feature_sin_x1").set_value(True).run()
    assert model(at).n_epochs_ == 0 and model(at).n_inputs_ == 3
    assert any("New run" in i.value for i in at.info)


def test_pinned_runs_are_compared_and_can_be_unpinned():
    at = run_page(PAGE, {"backprop_samples": "200"})
    click(at, "backprop_step")
    click(at, "backprop_pin")
    at.select_slider(key="backprop_lr").set_value(0.01).run()
    click(at, "backprop_step")
    click(at, "backprop_pin")
    assert not at.exception
    pinned = pinned_runs(at)
    assert len(pinned) == 2 and pinned[1].settings["learning rate"] == "0.01" and pinned[1].final["epochs"] == 2
    table = at.dataframe[-1].value
    assert len(table) == 2 and {"run", "learning rate", "test accuracy"} <= set(table.columns)
    assert sum(pinned[0].label in spec for spec in chart_specs(at)) == 2
    click(at, "backprop_unpin_0")
    assert [p.label for p in pinned_runs(at)] == [pinned[1].label]
    click(at, "backprop_clear_pins")
    assert pinned_runs(at) == []
    assert not any("pin" in key for key in at.query_params)


def test_at_most_five_runs_are_pinned():
    at = run_page(PAGE, {"backprop_samples": "100"})
    for _ in range(5):
        click(at, "backprop_pin")
    assert len(pinned_runs(at)) == 5
    assert at.button(key="backprop_pin").disabled


def test_a_sweep_plots_each_value_with_its_spread_and_the_current_setting():
    at = run_page(PAGE, {"backprop_samples": "200", "backprop_epochs": "20", "backprop_sweep_points": "3",
                         "backprop_sweep_seeds": "2", "backprop_sweep_learning_rate_from": "0.001",
                         "backprop_sweep_learning_rate_to": "0.1"})
    click(at, "backprop_sweep_run")
    assert not at.exception
    result = at.session_state[STATE].sweep.value
    assert result.complete and result.values == (0.001, 0.01, 0.1) and len(result.runs) == 6
    assert {r.seed for r in result.runs} == {0, 1}
    sweep_specs = [spec for spec in chart_specs(at) if "current setting" in spec]
    assert len(sweep_specs) == 2
    assert "final test accuracy" in " ".join(sweep_specs)


def test_a_sweep_over_the_cap_is_refused_before_it_starts():
    at = run_page(PAGE, {"backprop_layers": "64,64,64,64,64,64", "backprop_samples": "5000", "backprop_batch": "8",
                         "backprop_epochs": "3000", "backprop_sweep_seeds": "5", "backprop_sweep_points": "15"})
    assert not at.exception
    assert at.button(key="backprop_sweep_run").disabled
    assert any("larger than one sweep may be" in w.value for w in at.warning)


def test_the_reference_comparison_is_bounded_for_large_networks():
    at = run_page(PAGE, {"backprop_layers": "64,64,64,64,64,64", "backprop_samples": "5000", "backprop_batch": "8",
                         "backprop_epochs": "3000"})
    assert not at.exception
    match = re.search(r"trains (\d+) of the 3000 epochs", shown_text(at))
    assert match and 1 <= int(match.group(1)) < 10


def test_one_tick_of_the_largest_network_trains_within_the_work_cap():
    at = run_page(PAGE, {"backprop_layers": "64,64,64,64,64,64", "backprop_samples": "5000", "backprop_batch": "8",
                         "backprop_train_share": "1.0", "backprop_pace": "fast", "backprop_epochs": "3000"})
    epoch_work = training_work(5000, (2, *(64,) * 6, 1), 8, 1)
    assert epoch_work <= 1.25 * TRAINING_TICK_WORK, "the cap admits the largest network's single epoch"
    click(at, "backprop_train")
    assert not at.exception
    assert model(at).n_epochs_ == max(1, TRAINING_TICK_WORK // epoch_work) == 1


def test_a_sweep_out_of_budget_says_so(monkeypatch):
    monkeypatch.setattr(sweep, "SWEEP_TIMEOUT", 0.0)  # the test sets the budget: nothing can finish
    at = run_page(PAGE, {"backprop_samples": "100", "backprop_epochs": "5", "backprop_sweep_points": "2",
                         "backprop_sweep_seeds": "1"})
    click(at, "backprop_sweep_run")
    assert not at.exception
    assert any("ran out of its time budget" in w.value for w in at.warning)


def test_a_reference_comparison_out_of_budget_says_so(monkeypatch):
    monkeypatch.setattr(comparison, "REFERENCE_TIMEOUT", 0.0)  # the test sets the budget: nothing can finish
    at = run_page(PAGE, {"backprop_samples": "100", "backprop_epochs": "5"})
    click(at, "backprop_reference")
    assert not at.exception
    assert any("did not finish within its time budget" in w.value for w in at.warning)


def test_a_gradient_check_stopped_by_its_budget_says_so(monkeypatch):
    from calc_core.budget import BudgetResult
    from ui import compute

    monkeypatch.setattr(compute, "bounded", lambda *args, **kwargs: BudgetResult(timed_out=True))
    at = run_page(PAGE, {"backprop_layers": "8,8"})  # 105 parameters: a check that runs in the worker
    assert not at.exception
    assert any("did not finish within its time budget" in w.value for w in at.warning)


def test_a_small_gradient_check_runs_in_the_page_and_agrees_with_the_workers(monkeypatch):
    from calc_core.budget import run_with_budget
    from ui import compute

    small = run_page(PAGE)  # 2-4-3-1: 31 parameters
    shown = small.dataframe[0].value
    calls = []

    def counted(function, *args, **kwargs):
        calls.append(function)
        return run_with_budget(function, *args, timeout=60)

    monkeypatch.setattr(compute, "bounded", counted)
    assert run_page(PAGE).dataframe[0].value.equals(shown) and calls == []
    monkeypatch.setattr(inspection, "GRADIENT_CHECK_INLINE_WORK", 0)
    in_worker = run_page(PAGE)
    assert len(calls) == 1 and in_worker.dataframe[0].value.equals(shown)


def test_every_control_the_page_draws_is_declared_and_shows_its_declared_default():
    from calc_core.mlp.sweep import SWEEP_PARAMETERS
    from ui.views.backprop import CONTROLS, TEXT

    drawn = assert_shown_as_declared(run_page(PAGE), CONTROLS, TEXT.task.key)
    # Each sweep parameter draws its own range controls.
    for parameter in SWEEP_PARAMETERS[1:]:
        query = {"backprop_sweep_param": CONTROLS["backprop_sweep_param"].format(parameter)}
        drawn |= assert_shown_as_declared(run_page(PAGE, query), CONTROLS, TEXT.task.key, query)
    assert drawn == set(CONTROLS)


def test_a_bad_setting_leaves_the_controls_the_task_and_the_errata():
    at = run_page(PAGE, {"backprop_layers": "4,x"})
    assert not at.exception
    assert len(at.error) == 1 and "not a whole number" in at.error[0].value
    assert any("Training needs data and a network" in c.value for c in at.caption)
    assert at.text_input(key="backprop_layers").value == "4,x"
    assert at.selectbox(key="backprop_dataset")
    assert at.text_input(key="backprop_task_answer")
    assert "Where the course's code differs" in [e.label for e in at.expander]
    at.text_input(key="backprop_layers").set_value("4").run()
    assert not at.error and at.get("vega_lite_chart")


def test_a_bad_csv_leaves_the_rest_of_the_page():
    at = upload(run_page(PAGE), b"x,y,label\n1,2,0\n3,abc,1\n")
    assert not at.exception
    assert len(at.error) == 1
    assert at.text_input(key="backprop_task_answer")
    assert at.selectbox(key="backprop_dataset")


def test_the_gradient_check_sits_in_a_box():
    at = run_page(PAGE)
    assert "Gradient check" in [e.label for e in at.expander]
    assert any("Gradient check" in m.value for m in at.markdown)
