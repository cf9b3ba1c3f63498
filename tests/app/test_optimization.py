"""Optimization page under AppTest: every control, URL round trips, bad input, and what is shown."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pytest

from calc_core.expressions import parse_expression
from calc_core.optimization import OPTIMIZERS, ControlKind, hyperparameters, make_surface, run_optimizer
from calc_core.optimization.optimizers import check_declaration, decay_rate, rate
from tests.app.conftest import as_read, assert_shown_as_declared, lesson_controls, run_page, shown_text
from ui.views import optimization as lesson

TWO_D = {"opt_part": "Two variables"}
HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def table(at, index=0):
    return at.dataframe[index].value


def test_default_view_shows_the_course_example():
    at = run_page("optimization")
    assert not at.exception and not at.error
    text = shown_text(at)
    assert "f'(x) = 3 x^{2} - 4 x" in text
    points = table(at)
    assert points["kind"].tolist() == ["maximum", "minimum"]
    assert points["exact x"].tolist() == ["0", "4/3"]
    assert points["decided by"].tolist() == ["f″(0) = -4 < 0", "f″(4/3) = 4 > 0"]
    assert "local maximum and a local minimum" in text  # the note on the course's wording
    assert "Converged after 28 steps" in at.success[0].value
    iterates = table(at, 1)
    assert iterates["x"].iloc[0] == 2.0 and abs(iterates["x"].iloc[-1] - 4 / 3) < 1e-6
    assert len(at.get("vega_lite_chart")) == 3


def test_log_example_explains_why_there_is_no_critical_point():
    at = run_page("optimization")
    at.selectbox(key="opt_example").set_value("Course task: log(x)").run()
    assert not at.exception and not at.error
    assert at.text_input(key="opt_f").value == "log(x)"
    assert at.number_input(key="opt_xmin").value == 0.05
    assert at.number_input(key="opt_xmax").value == 5.0
    assert at.slider(key="opt_x0").value == 1.0
    info = " ".join(i.value for i in at.info)
    assert "No critical point" in info and "1/x is never zero for x > 0" in info
    assert "no maximum or minimum" in info
    assert "f'(x) = \\frac{1}{x}" in shown_text(at)
    # Descent on log walks left until a step would leave x > 0.
    assert any("left the domain" in w.value for w in at.warning)


def test_task_checks_the_verdict_on_log():
    at = run_page("optimization")
    at.text_input(key="opt_task_answer").set_value("Neither").run()
    assert at.success and "Right" in as_read(at.success[0].value) and "1/x" in as_read(at.success[0].value)
    at.text_input(key="opt_task_answer").set_value("it has a maximum").run()
    assert any("No maximum" in w.value for w in at.warning)
    at.text_input(key="opt_task_answer").set_value("minimum").run()
    assert any("No minimum" in w.value for w in at.warning)
    at.text_input(key="opt_task_answer").set_value("both").run()
    assert any("Not both" in w.value for w in at.warning)
    at.text_input(key="opt_task_answer").set_value("banana").run()
    assert not at.exception
    assert any("Could not read your answer" in w.value for w in at.warning)
    at.toggle(key="opt_task_hint").set_value(True)
    at.toggle(key="opt_task_reveal").set_value(True)
    at.run()
    text = shown_text(at)
    assert "(log x)′ = 1/x" in text and "**neither**" in text


def test_every_one_variable_control_changes_the_view():
    at = run_page("optimization")
    at.text_input(key="opt_f").set_value("x^4").run()
    at.number_input(key="opt_xmin").set_value(-2.0)
    at.number_input(key="opt_xmax").set_value(2.0)
    at.slider(key="opt_x0").set_value(1.5)
    at.select_slider(key="opt_lr").set_value(0.01)
    at.slider(key="opt_steps").set_value(50)
    at.slider(key="opt_momentum").set_value(0.5)
    at.toggle(key="opt_code").set_value(True)
    at.run()
    assert not at.exception and not at.error
    points = table(at)
    assert points["kind"].tolist() == ["minimum"]
    assert "f⁽⁴⁾(0) = 24 > 0" in points["decided by"].iloc[0]
    iterates = table(at, 1)
    assert len(iterates) == 51 and iterates["x"].iloc[0] == 1.5
    # Momentum by hand: v1 = f'(1.5) = 13.5, x1 = 1.5 - 0.01·13.5.
    assert abs(iterates["x"].iloc[1] - (1.5 - 0.135)) < 1e-12
    assert any("def run_optimizer" in c.value for c in at.code)

    at.toggle(key="opt_interval").set_value(True)
    at.number_input(key="opt_xmin").set_value(0.5).run()
    assert not at.exception
    assert "No critical point" in at.info[0].value and "increases all the way" in at.info[0].value


def test_cubic_is_a_stationary_inflection():
    at = run_page("optimization", {"opt_f": "x^3"})
    points = table(at)
    assert points["kind"].tolist() == ["inflection"]
    assert "f‴(0) = 6" in points["decided by"].iloc[0]


def test_learning_rate_too_large_is_reported():
    at = run_page("optimization", {"opt_f": "x^2", "opt_x0": "1.5", "opt_lr": "1", "opt_steps": "40"})
    assert not at.exception
    assert any("bounce back and forth" in w.value for w in at.warning)
    at.select_slider(key="opt_lr").set_value(1.26).run()
    assert any("too large" in w.value for w in at.warning)


def test_start_outside_the_domain_is_an_error_not_a_crash():
    at = run_page("optimization", {"opt_f": "log(x)", "opt_x0": "-1.0"})
    assert not at.exception
    assert any("starting point" in e.value for e in at.error)


def test_one_variable_url_round_trip():
    query = {"opt_f": "x exp(-x)", "opt_xmin": "-1.0", "opt_xmax": "6.0", "opt_interval": "true",
             "opt_x0": "0.5", "opt_lr": "0.2", "opt_steps": "80", "opt_momentum": "0.3", "opt_code": "true"}
    at = run_page("optimization", query)
    assert not at.exception and not at.error
    assert at.radio(key="opt_part").value == "One variable"
    assert at.text_input(key="opt_f").value == "x exp(-x)"
    assert at.number_input(key="opt_xmin").value == -1.0
    assert at.number_input(key="opt_xmax").value == 6.0
    assert at.toggle(key="opt_interval").value is True
    assert at.slider(key="opt_x0").value == 0.5
    assert at.select_slider(key="opt_lr").value == 0.2
    assert at.slider(key="opt_steps").value == 80
    assert at.slider(key="opt_momentum").value == 0.3
    assert table(at)["kind"].tolist() == ["maximum"]


def test_bad_one_variable_input_gives_errors():
    for query in ({"opt_f": "x^^2"}, {"opt_f": "x + y"}, {"opt_xmin": "3.0", "opt_xmax": "1.0"},
                  {"opt_f": "log(x)", "opt_interval": "true", "opt_xmin": "-5.0", "opt_xmax": "-1.0"}):
        at = run_page("optimization", query)
        assert not at.exception, query
        assert at.error, query


def test_teacher_mode_hides_and_locks_controls():
    at = run_page("optimization", {"teacher": "1", "hide": "opt_x0", "lock": "opt_f", "opt_x0": "1.0"})
    assert not at.exception
    assert "opt_x0" not in {s.key for s in at.slider}
    assert at.text_input(key="opt_f").disabled
    assert "opt_example" not in {s.key for s in at.selectbox}
    assert table(at, 1)["x"].iloc[0] == 1.0


def test_examples_leave_locked_controls_alone():
    at = run_page("optimization", {"teacher": "1", "lock": "opt_x0", "opt_x0": "-1.0"})
    at.selectbox(key="opt_example").set_value("Quartic x^4").run()
    assert not at.exception
    assert at.text_input(key="opt_f").value == "x^4"
    assert at.slider(key="opt_x0").value == -1.0 and at.slider(key="opt_x0").disabled


# --------------------------------------------------------------------------- two variables


def test_two_variable_default_shows_paths_losses_and_the_hessian():
    at = run_page("optimization", TWO_D)
    assert not at.exception and not at.error
    summary = table(at)
    assert summary["optimizer"].tolist() == list(OPTIMIZERS)
    assert summary["status"].iloc[0] == "converged"
    hessian = table(at, 1)
    assert hessian["kind"].tolist() == ["minimum"] and hessian["det H"].iloc[0] == 40
    assert len(at.get("vega_lite_chart")) == 2  # contour view and loss chart
    assert "Solved ∇f = 0 exactly" in shown_text(at)


def test_every_two_variable_control_changes_the_view():
    at = run_page("optimization", TWO_D)
    at.selectbox(key="opt2_example").set_value("Rosenbrock").run()
    assert at.text_input(key="opt2_f").value == "(1 - x)^2 + 100(y - x^2)^2"
    assert at.number_input(key="opt2_ymax").value == 3.0
    assert (at.slider(key="opt2_x0").value, at.slider(key="opt2_y0").value) == (-1.5, 2.5)
    at.slider(key="opt2_x0").set_value(-1.2)
    at.slider(key="opt2_y0").set_value(1.0)
    at.slider(key="opt2_steps").set_value(3000)
    at.number_input(key="opt2_xmin").set_value(-1.5)
    at.number_input(key="opt2_xmax").set_value(1.5)
    at.number_input(key="opt2_ymin").set_value(-0.5)
    at.select_slider(key="opt2_gd_lr").set_value(0.001)
    at.select_slider(key="opt2_mom_lr").set_value(0.002)
    at.slider(key="opt2_mom_beta").set_value(0.9)
    at.select_slider(key="opt2_nag_lr").set_value(0.001)
    at.slider(key="opt2_nag_beta").set_value(0.8)
    at.select_slider(key="opt2_rms_lr").set_value(0.001)
    at.slider(key="opt2_rms_rho").set_value(0.95)
    at.select_slider(key="opt2_adam_lr").set_value(0.0501)
    at.slider(key="opt2_adam_b1").set_value(0.85)
    at.select_slider(key="opt2_adam_b2").set_value(0.99)
    at.run()
    assert not at.exception and not at.error
    summary = table(at).set_index("optimizer")
    assert summary.loc["Adam", "settings"] == "0.0501, 0.85, 0.99"
    assert summary.loc["Nesterov", "settings"] == "0.001, 0.8"
    assert summary.loc["Momentum", "status"] == "converged"
    assert abs(summary.loc["Momentum", "final x"] - 1) < 1e-4
    hessian = table(at, 1)
    assert hessian[["x", "y"]].values.tolist() == [[1.0, 1.0]] and hessian["kind"].iloc[0] == "minimum"

    at.multiselect(key="opt2_methods").set_value(["Adam"]).run()
    assert not at.exception
    assert table(at)["optimizer"].tolist() == ["Adam"]
    assert "opt2_gd_lr" not in {s.key for s in at.select_slider}


def test_saddle_preset_classifies_the_saddle_and_warns_of_the_run_off():
    at = run_page("optimization", TWO_D)
    at.selectbox(key="opt2_example").set_value("Saddle").run()
    assert not at.exception
    assert table(at, 1)["kind"].tolist() == ["saddle"]
    assert any("no minimum" in w.value or "seems to have no minimum" in i.value
               for w in at.warning for i in [*at.info, w])


def test_himmelblau_has_four_minima_in_the_table():
    at = run_page("optimization", {**TWO_D, "opt2_f": HIMMELBLAU, "opt2_xmin": "-5.0", "opt2_xmax": "5.0",
                                   "opt2_ymin": "-5.0", "opt2_ymax": "5.0", "opt2_x0": "0.0", "opt2_y0": "0.0"})
    assert not at.exception and not at.error
    kinds = table(at, 1)["kind"].tolist()
    assert kinds.count("minimum") == 4 and kinds.count("maximum") == 1 and kinds.count("saddle") == 4


def test_two_variable_url_round_trip():
    query = {**TWO_D, "opt2_f": "x^2 - y^2", "opt2_xmin": "-2.0", "opt2_xmax": "2.0", "opt2_ymin": "-2.0",
             "opt2_ymax": "2.0", "opt2_x0": "-1.8", "opt2_y0": "0.05", "opt2_steps": "120",
             "opt2_methods": ["GD", "Adam"], "opt2_gd_lr": "0.01", "opt2_adam_lr": "0.02", "opt2_adam_b1": "0.8",
             "opt2_adam_b2": "0.99"}
    at = run_page("optimization", query)
    assert not at.exception and not at.error
    assert at.radio(key="opt_part").value == "Two variables"
    assert at.text_input(key="opt2_f").value == "x^2 - y^2"
    assert [at.number_input(key=k).value for k in ("opt2_xmin", "opt2_xmax", "opt2_ymin", "opt2_ymax")] == \
        [-2.0, 2.0, -2.0, 2.0]
    assert (at.slider(key="opt2_x0").value, at.slider(key="opt2_y0").value) == (-1.8, 0.05)
    assert at.slider(key="opt2_steps").value == 120
    assert at.multiselect(key="opt2_methods").value == ["GD", "Adam"]
    assert at.select_slider(key="opt2_gd_lr").value == 0.01
    assert at.select_slider(key="opt2_adam_lr").value == 0.02
    assert at.slider(key="opt2_adam_b1").value == 0.8
    assert at.select_slider(key="opt2_adam_b2").value == 0.99
    assert table(at)["steps"].tolist() == [120, 120]


def test_bad_two_variable_input_gives_errors():
    for query in ({"opt2_f": "x^2 + z"}, {"opt2_f": "(x"}, {"opt2_xmin": "2.0", "opt2_xmax": "-2.0"},
                  {"opt2_f": "log(x y)", "opt2_x0": "-1.0", "opt2_y0": "1.0"}):
        at = run_page("optimization", {**TWO_D, **query})
        assert not at.exception, query
        assert at.error, query


def test_no_optimizer_chosen_still_shows_the_contours():
    at = run_page("optimization", {**TWO_D, "opt2_methods": "none-of-these"})
    at.multiselect(key="opt2_methods").set_value([]).run()
    assert not at.exception and not at.error
    assert len(at.get("vega_lite_chart")) == 1


# --------------------------------------------------------------------------- the optimizers' declared controls


# Every optimizer control a shared link could hold before the controls were declared; these links keep working.
SHARED_LINK_KEYS = {"opt2_gd_lr", "opt2_mom_lr", "opt2_mom_beta", "opt2_nag_lr", "opt2_nag_beta", "opt2_rms_lr",
                    "opt2_rms_rho", "opt2_adam_lr", "opt2_adam_b1", "opt2_adam_b2"}


def control_keys(at) -> set[str]:
    return {w.key for kind in ("slider", "select_slider") for w in getattr(at, kind) if w.key.startswith("opt2_")}


def other_value(control):
    """A value of ``control`` other than its default, and its text in a URL."""
    if control.kind is ControlKind.LOG:
        lo, hi = control.range
        # The stops of widgets.log_slider: the same rounding, so the value is one the slider can show.
        stops = sorted({float(f"{10 ** (lo + i / control.per_decade):.3g}")
                        for i in range((hi - lo) * control.per_decade + 1)})
        value = max(v for v in stops if v < control.default / 2)
        return value, f"{value:g}"
    if control.kind is ControlKind.LINEAR:
        lo, hi = control.range
        value = round(control.default - 10 * control.step if control.default - 10 * control.step >= lo
                      else control.default + 10 * control.step, 6)
        return value, str(value)
    value = next(v for v in control.options if v != control.default)
    return value, str(value)


def test_every_control_has_a_widget_for_its_kind():
    assert set(lesson.CONTROL_KINDS) == set(ControlKind)


def test_shared_links_keep_their_keys():
    at = run_page("optimization", TWO_D)
    assert not at.exception
    keys = control_keys(at)
    assert SHARED_LINK_KEYS <= keys
    derived = {lesson.control_key(cls, h) for cls in OPTIMIZERS.values() for h in hyperparameters(cls)}
    assert derived == keys - {"opt2_x0", "opt2_y0", "opt2_steps"}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_setting_round_trips_through_the_url(name):
    cls = OPTIMIZERS[name]
    controls = hyperparameters(cls)
    chosen = {lesson.control_key(cls, h): other_value(h) for h in controls}
    at = run_page("optimization", {**TWO_D, "opt2_methods": [name], "opt2_steps": "50",
                                   **{key: text for key, (_, text) in chosen.items()}})
    assert not at.exception and not at.error
    for control in controls:
        key = lesson.control_key(cls, control)
        widgets = at.select_slider if control.kind in (ControlKind.LOG, ControlKind.CHOICE) else at.slider
        assert widgets(key=key).value == chosen[key][0], key
    summary = table(at)
    assert summary["optimizer"].tolist() == [name]
    assert summary["settings"].iloc[0] == ", ".join(f"{value:g}" for value, _ in chosen.values())


def test_teacher_mode_hides_and_locks_declared_controls():
    at = run_page("optimization", {**TWO_D, "teacher": "1", "hide": "opt2_adam_b2", "lock": "opt2_rms_rho",
                                   "opt2_adam_b2": "0.99", "opt2_methods": ["RMSProp", "Adam"]})
    assert not at.exception and not at.error
    assert "opt2_adam_b2" not in control_keys(at)
    assert at.slider(key="opt2_rms_rho").disabled
    assert table(at).set_index("optimizer").loc["Adam", "settings"] == "0.1, 0.9, 0.99"


@dataclass(frozen=True)
class Signum:
    """Signum: momentum, then a step of η along the sign of each coordinate.

    v ← β v + (1 − β) ∇f(x), x ← x − η sign(v).
    """

    name = "Signum"
    label = "Sign of momentum"
    key = "signum"
    color = "#17becf"

    learning_rate: float = rate(0.05)
    beta: float = decay_rate(0.9, "beta", "β", "Momentum β: the share of the running mean kept each step.")

    def start(self, dim: int) -> tuple:
        return (np.zeros(dim),)

    def step(self, x, g, grad, state, t):
        v = self.beta * state[0] + (1 - self.beta) * g
        return x - self.learning_rate * np.sign(v), (v,)


def chart_rows(chart, name: str) -> list[dict]:
    return next(pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in chart.proto.datasets
                if d.name == name)


def colour_scale(chart) -> dict:
    spec = json.loads(chart.proto.spec)
    encodings = [layer.get("encoding", {}) for layer in spec.get("layer", [spec])]
    return next(e["color"]["scale"] for e in encodings if e.get("color", {}).get("field") == "optimizer")


def test_a_new_optimizer_is_one_registered_class(monkeypatch):
    """Registered and nothing else: its controls, its path and loss in its colour, and its code on the page."""
    monkeypatch.setitem(OPTIMIZERS, Signum.name, check_declaration(Signum, list(OPTIMIZERS.values())))
    at = run_page("optimization", {**TWO_D, "opt_code": "true", "opt2_signum_lr": "0.01",
                                   "opt2_signum_beta": "0.5"})
    assert not at.exception and not at.error
    assert at.multiselect(key="opt2_methods").value == list(OPTIMIZERS)
    assert at.select_slider(key="opt2_signum_lr").value == 0.01
    assert at.slider(key="opt2_signum_beta").value == 0.5
    summary = table(at).set_index("optimizer")
    assert summary.loc["Signum", "settings"] == "0.01, 0.5"

    surface = make_surface(parse_expression(lesson.DEFAULT_SURFACE, lesson.VARIABLES_2D))
    expected = run_optimizer(surface.gradient, (-2.5, 1.0), Signum(0.01, 0.5), steps=200, loss=surface.loss)
    contour, losses = at.get("vega_lite_chart")
    drawn = [(row["x"], row["y"]) for row in chart_rows(contour, "optimizer_paths") if row["optimizer"] == "Signum"]
    np.testing.assert_allclose(drawn, expected.points)
    assert len([row for row in chart_rows(losses, "optimizer_losses") if row["optimizer"] == "Signum"]) == \
        len(expected.points)
    for chart in (contour, losses):
        scale = colour_scale(chart)
        assert dict(zip(scale["domain"], scale["range"]))["Signum"] == "#17becf"

    assert any("class Signum:" in c.value and "np.sign(v)" in c.value for c in at.code)
    assert "`tests.app.test_optimization.Signum`" in [c.value for c in at.caption]

    at.multiselect(key="opt2_methods").set_value(["Signum"]).run()
    assert not at.exception and table(at)["optimizer"].tolist() == ["Signum"]
    assert control_keys(at) == {"opt2_x0", "opt2_y0", "opt2_steps", "opt2_signum_lr", "opt2_signum_beta"}


# --------------------------------------------------------------------------- the page's declared controls


def test_every_control_the_page_draws_is_declared_and_starts_at_its_default():
    """The page's own controls are in CONTROLS and start at their declared defaults; the optimizers' are in their
    classes (tests/unit/test_optimization.py checks those)."""
    hyper = frozenset(lesson.control_key(cls, h) for cls in OPTIMIZERS.values() for h in hyperparameters(cls))
    drawn, shown = set(), set()
    for query in ({}, TWO_D):
        at = run_page("optimization", query)
        assert not at.error, query
        drawn |= assert_shown_as_declared(at, lesson.CONTROLS, lesson.TEXT.task.key, query, others=hyper)
        shown |= set(lesson_controls(at, lesson.TEXT.task.key))
    assert drawn == set(lesson.CONTROLS)
    assert shown == set(lesson.CONTROLS) | hyper


def test_examples_fill_declared_controls_only():
    for name in lesson.FUNCTION_PRESETS:
        assert set(lesson.function_example(name)) <= set(lesson.CONTROLS), name
    for name in lesson.SURFACE_PRESETS:
        assert set(lesson.surface_example(name)) <= set(lesson.CONTROLS), name


def test_a_malformed_function_marks_its_box_and_leaves_the_rest_of_the_page():
    at = run_page("optimization", {"opt_f": "x^^2"})
    assert not at.exception
    assert len(at.error) == 1 and "Could not read" in at.error[0].value
    # The task and the descent section are still there, each saying what it needs.
    assert at.text_input(key="opt_task_answer")
    assert at.text_input(key="opt_task_answer").set_value("neither").run()
    assert any("Right" in s.value for s in at.success)
    assert any(lesson.NEEDS_FUNCTION in c.value for c in at.caption)
    assert "Gradient descent on f" in shown_text(at)


def test_a_typo_after_a_good_function_keeps_its_charts():
    at = run_page("optimization")
    at.text_input(key="opt_f").set_value("x^3 - 2x^^2").run()
    assert not at.exception
    assert len(at.error) == 1
    assert "last function it could read" in shown_text(at)
    assert table(at)["kind"].tolist() == ["maximum", "minimum"]
    assert len(at.get("vega_lite_chart")) == 3


def test_a_reversed_window_is_marked_and_the_page_goes_on():
    for query in ({"opt_xmin": "3.0", "opt_xmax": "1.0"},
                  {**TWO_D, "opt2_ymin": "2.0", "opt2_ymax": "-2.0"}):
        at = run_page("optimization", query)
        assert not at.exception, query
        assert len(at.error) == 1 and "smaller number to a larger one" in at.error[0].value, query
        assert at.get("vega_lite_chart"), query


def test_a_malformed_surface_keeps_the_controls():
    at = run_page("optimization", {**TWO_D, "opt2_f": "x + * y"})
    assert not at.exception
    assert len(at.error) == 1
    assert any(lesson.NEEDS_FUNCTION in c.value for c in at.caption)
    assert at.number_input(key="opt2_xmin")


def test_deeper_material_and_the_errata_sit_in_closed_boxes():
    at = run_page("optimization")
    labels = [e.label for e in at.expander]
    assert lesson.CRITICAL_TABLE in labels and "Where the course's code differs" in labels
    at = run_page("optimization", TWO_D)
    assert lesson.SECTIONS["opt2_hessian"].label in [e.label for e in at.expander]
