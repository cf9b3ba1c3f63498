"""Numeric edge cases on every lesson page: a message and a sensible view, never a crash.

Division by zero, logarithms and roots of negatives, overflow, NaN everywhere,
singular Jacobians, empty, one-class and inseparable data, a diverging network
and degenerate ranges, each set through the URL the way a shared link sets it.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from tests.app.conftest import run_page, shown_text
from ui.lessons import LESSONS

UNDEFINED = r"undefined|no finite value|no real value|not defined|does not exist|unbounded|asymptote|pole|improper"
OVERFLOW = r"larger than any number|no finite value|too large|beyond the largest|blew up|undefined|left the domain"
RANGE = r"from a smaller number to a larger|a < b"
ANY = r"."

# (page, URL query, pattern one of the page's messages must match, whether a chart must still be drawn)
CASES: list[tuple[str, dict[str, str], str, bool]] = [
    # division by zero, logarithms and roots of negatives
    ("derivatives", {"deriv_f": "1/x", "deriv_x0": "0"}, UNDEFINED, True),
    ("derivatives", {"deriv_f": "log(x)", "deriv_xmin": "-10", "deriv_xmax": "-1", "deriv_x0": "-5"}, UNDEFINED, True),
    ("derivatives", {"deriv_f": "sqrt(x)", "deriv_xmin": "-10", "deriv_xmax": "-1", "deriv_x0": "-5"}, UNDEFINED,
     True),
    ("derivatives", {"deriv_f": "1/(x-x)"}, r"division by zero", False),
    ("integrals", {"integ_f": "1/x", "integ_a": "-1", "integ_b": "1"}, UNDEFINED, True),
    ("integrals", {"integ_f": "1/x^2", "integ_a": "0", "integ_b": "1", "integ_n": "200"}, UNDEFINED, True),
    ("integrals", {"integ_f": "log(x)", "integ_a": "-5", "integ_b": "-1"}, UNDEFINED, True),
    ("integrals", {"integ_f": "sqrt(x)", "integ_a": "-5", "integ_b": "-1"}, UNDEFINED, True),
    ("gradient", {"grad_f": "1/(x*y)", "grad_x0": "0", "grad_y0": "0"}, UNDEFINED, True),
    ("gradient", {"grad_f": "log(x) + y", "grad_xmin": "-10", "grad_xmax": "-1", "grad_x0": "-5"}, UNDEFINED, True),
    ("gradient", {"grad_f": "sqrt(x+y)", "grad_xmin": "-10", "grad_xmax": "-1", "grad_ymin": "-10", "grad_ymax": "-1",
                  "grad_x0": "-5", "grad_y0": "-5"}, UNDEFINED, True),
    ("jacobian", {"jac_f1": "1/x", "jac_f2": "y", "jac_x0": "0"}, UNDEFINED, True),
    ("jacobian", {"jac_f1": "log(x)", "jac_f2": "sqrt(y)", "jac_x0": "-1", "jac_y0": "-1"}, UNDEFINED, True),
    ("optimization", {"opt_f": "1/x", "opt_x0": "0"}, UNDEFINED, True),
    ("optimization", {"opt_f": "1/x", "opt_interval": "true", "opt_xmin": "-1", "opt_xmax": "1"}, UNDEFINED, True),
    ("optimization", {"opt_f": "sqrt(x)", "opt_x0": "-5"}, UNDEFINED, True),
    ("optimization", {"opt_f": "log(x)", "opt_interval": "true", "opt_xmin": "-10", "opt_xmax": "-1", "opt_x0": "-5"},
     UNDEFINED, False),
    ("optimization", {"opt_part": "Two variables", "opt2_f": "1/(x*y)", "opt2_x0": "0", "opt2_y0": "0"}, UNDEFINED,
     True),
    ("optimization", {"opt_part": "Two variables", "opt2_f": "log(x)+y^2"}, UNDEFINED, True),
    # overflow
    ("derivatives", {"deriv_f": "exp(x^2)", "deriv_xmin": "-100", "deriv_xmax": "100"}, OVERFLOW, True),
    ("derivatives", {"deriv_f": "x^1000", "deriv_xmin": "-100", "deriv_xmax": "100", "deriv_x0": "10"}, OVERFLOW,
     True),
    ("derivatives", {"deriv_f": "exp(x)", "deriv_dx": "1e-12", "deriv_scheme": "central"}, ANY, True),
    ("integrals", {"integ_f": "exp(x^2)", "integ_a": "-100", "integ_b": "100"}, OVERFLOW, True),
    ("integrals", {"integ_f": "x^1000", "integ_a": "-100", "integ_b": "100"}, OVERFLOW, True),
    ("gradient", {"grad_f": "exp(x^2+y^2)", "grad_xmin": "-50", "grad_xmax": "50", "grad_ymin": "-50",
                  "grad_ymax": "50", "grad_x0": "10"}, OVERFLOW, True),
    ("gradient", {"grad_f": "x^1000 + y", "grad_xmin": "-50", "grad_xmax": "50", "grad_x0": "10"}, OVERFLOW, True),
    ("jacobian", {"jac_f1": "exp(x^2)*exp(y^2)", "jac_f2": "x^1000", "jac_x0": "5", "jac_y0": "5", "jac_radius": "2"},
     OVERFLOW, True),
    ("optimization", {"opt_f": "exp(x^2)", "opt_interval": "true", "opt_xmin": "-50", "opt_xmax": "50",
                      "opt_x0": "10"}, OVERFLOW, True),
    ("optimization", {"opt_f": "x^1000", "opt_x0": "10"}, OVERFLOW, True),
    ("optimization", {"opt_f": "x^1000"}, OVERFLOW, True),
    ("optimization", {"opt_f": "x^4", "opt_lr": "1"}, OVERFLOW, True),
    ("optimization", {"opt_part": "Two variables", "opt2_f": "exp(x^2+y^2)", "opt2_xmin": "-50", "opt2_xmax": "50"},
     OVERFLOW, True),
    ("optimization", {"opt_part": "Two variables", "opt2_f": "x^1000+y^1000"}, OVERFLOW, True),
    # NaN everywhere
    ("derivatives", {"deriv_f": "log(-1-x^2)"}, UNDEFINED, True),
    ("integrals", {"integ_f": "log(-1-x^2)"}, UNDEFINED, True),
    ("gradient", {"grad_f": "log(-1-x^2-y^2)"}, UNDEFINED, True),
    ("jacobian", {"jac_f1": "log(-1-x^2)", "jac_f2": "log(-1-y^2)"}, UNDEFINED, True),
    ("optimization", {"opt_f": "log(-1-x^2)"}, UNDEFINED, False),
    ("optimization", {"opt_part": "Two variables", "opt2_f": "log(-1-x^2-y^2)"}, UNDEFINED, True),
    # singular Jacobians
    ("jacobian", {"jac_f1": "x+y", "jac_f2": "x+y"}, r"singular", True),
    ("jacobian", {"jac_f1": "0", "jac_f2": "0"}, r"singular", True),
    ("jacobian", {"jac_f1": "x*y", "jac_f2": "x*y", "jac_x0": "0", "jac_y0": "0"}, r"singular", True),
    ("jacobian", {"jac_inputs": "1", "jac_outputs": "1", "jac_f1": "5"}, r"singular", False),
    # empty, one-class and inseparable data
    ("svm", {"svm_points": ";"}, r"no points", False),
    ("svm", {"svm_points": "0,0,1"}, r"each class", False),
    ("svm", {"svm_points": "0,0,1;1,1,1;2,2,1"}, r"each class", False),
    ("svm", {"svm_points": "0,0,-1;1,1,-1;2,2,-1"}, r"each class", False),
    ("svm", {"svm_points": "0,0,-1;0,0,1"}, r"both at", False),
    ("svm", {"svm_points": "0,0,-1;1,1,-1;1,0,1;0,1,1"}, r"No straight line separates", True),
    ("svm", {"svm_points": "0,0,-1;1,1,1;2,2,-1;3,3,1", "svm_C": "1000"}, r"No straight line separates", True),
    ("svm", {"svm_points": "0,0,-1;1,1,-1;1,0,1;0,1,1", "svm_C": "0.01"}, r"No straight line separates", True),
    ("svm", {"svm_points": "0,0,-1;0,0,-1;1,1,1;1,1,1"}, r"λ = 0|Separable", True),
    ("svm", {"svm_points": "0,0,-1;1,0,-1;2,0,1;3,0,1"}, r"λ = 0|Separable", True),
    ("svm", {"svm_points": "0,0,-1;1e-12,0,1"}, r"too thin to compute", False),
    ("backprop", {"backprop_dataset": "upload CSV"}, r"Upload a CSV", False),
    # degenerate and reversed ranges
    ("derivatives", {"deriv_xmin": "2", "deriv_xmax": "2"}, RANGE, False),
    ("derivatives", {"deriv_xmin": "3", "deriv_xmax": "-3"}, RANGE, False),
    ("integrals", {"integ_a": "2", "integ_b": "2"}, RANGE, False),
    ("integrals", {"integ_a": "3", "integ_b": "-3"}, RANGE, False),
    ("integrals", {"integ_n": "1", "integ_dx": "0.001", "integ_a": "-100", "integ_b": "100"}, ANY, True),
    ("gradient", {"grad_xmin": "1", "grad_xmax": "1"}, RANGE, False),
    ("gradient", {"grad_ymin": "1", "grad_ymax": "1"}, RANGE, False),
    ("gradient", {"grad_xmin": "3", "grad_xmax": "-3"}, RANGE, False),
    ("optimization", {"opt_interval": "true", "opt_xmin": "1", "opt_xmax": "1"}, RANGE, False),
    ("optimization", {"opt_interval": "true", "opt_xmin": "2", "opt_xmax": "-2"}, RANGE, False),
    ("optimization", {"opt_part": "Two variables", "opt2_xmin": "1", "opt2_xmax": "1"}, RANGE, False),
    ("optimization", {"opt_part": "Two variables", "opt2_ymin": "1", "opt2_ymax": "1"}, RANGE, False),
    ("backprop", {"backprop_samples": "50", "backprop_train_share": "0.1"}, ANY, True),
    ("backprop", {"backprop_train_share": "1.0", "backprop_batch": "256"}, ANY, True),
]


def run_recording_warnings(name: str, query: dict[str, str]):
    """Run a page; also return the RuntimeWarnings (numpy overflow and the like) it left in the server log."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        at = run_page(name, query)
    return at, [f"{w.filename.rsplit('/', 1)[-1]}:{w.lineno}: {w.message}" for w in caught
                if issubclass(w.category, RuntimeWarning)]


def messages(at) -> list[str]:
    return [m.value for kind in ("error", "warning", "info", "success") for m in getattr(at, kind)]


def charts(at) -> int:
    return len(at.get("vega_lite_chart")) + len(at.get("image"))


@pytest.mark.parametrize(("name", "query", "pattern", "chart"), CASES,
                         ids=[f"{name}-{'-'.join(f'{k}={v}' for k, v in query.items())[:70]}"
                              for name, query, _, _ in CASES])
def test_numeric_edge_case_gives_a_message_and_a_view_not_a_crash(name, query, pattern, chart):
    at, runtime_warnings = run_recording_warnings(name, query)
    assert not at.exception
    assert "Traceback" not in shown_text(at)
    if pattern != ANY:
        assert any(re.search(pattern, m) for m in messages(at)), messages(at)
    if chart:
        assert charts(at), "the page still draws its view"
    else:
        assert at.error or at.warning or at.info
    assert not runtime_warnings, runtime_warnings


@pytest.mark.parametrize("power", [100, 1000])
def test_a_high_even_power_has_one_minimum_at_zero(power):
    """x^n underflows near 0 in floating point; the page must still find the minimum there, and nothing else."""
    at = run_page("optimization", {"opt_f": f"x^{power}"})
    assert not at.exception
    assert "No critical point" not in shown_text(at)
    table = next((df.value for df in at.dataframe if "kind" in df.value.columns), None)
    assert table is not None, "no table of critical points"
    assert table["kind"].tolist() == ["minimum"]
    assert abs(float(table["x"].iloc[0])) < 1e-9


def test_two_distinct_points_are_not_called_inseparable():
    """Points 1e-300 apart are separable; a line between them needs a huge w, not a false overlap claim."""
    at = run_page("svm", {"svm_points": "0,0,-1;1e-300,1e-300,1"})
    assert not at.exception
    assert not any("is an average of +1 points and also of −1 points" in w.value for w in at.warning)


def _upload(at, content: bytes):
    at.selectbox(key="backprop_dataset").set_value("csv").run()
    at.file_uploader(key="backprop_csv").set_value(("points.csv", content, "text/csv")).run()
    return at


def test_a_huge_learning_rate_on_large_coordinates_diverges_with_a_warning_and_a_way_out():
    at = run_page("backprop", {"backprop_lr": "1", "backprop_optimizer": "momentum", "backprop_pace": "fast"})
    points = b"x,y,label\n" + b"".join(f"{1e20 * np.cos(t):.6g},{1e20 * np.sin(t):.6g},{int(t > 3)}\n".encode()
                                       for t in np.linspace(0, 6, 40))
    _upload(at, points)
    assert not at.exception and not at.error
    at.button(key="backprop_train").click().run()
    assert not at.exception
    model = at.session_state["backprop_run"].model
    assert model.diverged_ and not at.session_state["backprop_run"].running
    assert any("diverged" in w.value and "learning rate" in w.value for w in at.warning)
    assert np.isfinite(model.history_.train_loss).all(), "the history stops at the last finite epoch"
    at.button(key="backprop_use_smaller_lr").click().run()
    assert not at.exception
    assert at.select_slider(key="backprop_lr").value == 0.1


def test_one_class_and_two_point_uploads():
    at = _upload(run_page("backprop"), b"x,y,label\n1,2,1\n3,4,1\n5,6,1\n")
    assert not at.exception
    assert any("two classes" in e.value for e in at.error)
    at = _upload(run_page("backprop"), b"x,y,label\n0,0,0\n1,1,1\n")
    assert not at.exception and not at.error
    at.button(key="backprop_step").click().run()
    assert not at.exception
    assert at.session_state["backprop_run"].model.n_epochs_ == 1


def test_shrinking_the_data_below_the_chosen_training_point():
    """The training-point slider's range follows the data; a point past the new end must not crash the page."""
    at = run_page("backprop")
    at.slider(key="backprop_sample").set_value(111).run()
    at.slider(key="backprop_train_share").set_value(0.7).run()
    at.slider(key="backprop_samples").set_value(50).run()
    assert not at.exception
    assert at.slider(key="backprop_sample").value <= at.slider(key="backprop_sample").max


@pytest.mark.parametrize("name", [lesson.url_path for lesson in LESSONS])
def test_a_teacher_link_that_locks_every_control_renders(name):
    """``?teacher=1&lock=all`` freezes every control, including those a page already disables for its own reasons."""
    at = run_page(name, {"teacher": "1", "lock": "all"})
    assert not at.exception
    assert not at.error
