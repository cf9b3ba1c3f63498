"""Each page's task box takes the answer the way a learner writes it (issue 23): constants of integration,
"f'(x) =" prefixes, printed math, any usual brackets, the names a learner gives the weight matrix, the
Jacobian's inputs named by the learner; a refusal says what to type instead."""

from __future__ import annotations

import pytest

from tests.app.conftest import as_read, run_page, shown_text

JACOBIAN_TASK = "p a1(1 - a1), q a1(1 - a1); r a2(1 - a2), s a2(1 - a2); t a3(1 - a3), u a3(1 - a3)"

ACCEPTED = [
    ("derivatives", "deriv_task", "f'(x) = 3x² − 4x"),
    ("derivatives", "deriv_task", "3·x^2 − 4×x"),
    ("integrals", "integ_task", "x^3 - 2x^2 + C"),
    ("integrals", "integ_task", "x^3 - 2x^2 + c"),
    ("integrals", "integ_task", "x^3 - 2x^2 + K"),
    ("integrals", "integ_task", "F(x) = x³ − 2x² + C1"),
    ("gradient", "grad_task", "[2, 2]"),
    ("gradient", "grad_task", "2, 2"),
    ("gradient", "grad_task", "∇f(1, 1) = (2, 2)"),
    ("optimization", "opt_task", "No maximum and no minimum"),
    ("svm", "svm_task", "points 1, 2 and 3"),
    ("svm", "svm_task", "(1, 2, 3)"),
    ("backprop", "backprop_task", "the weight matrix"),
    ("backprop", "backprop_task", "W_l"),
    ("backprop", "backprop_task", "Wᵀ"),
    ("jacobian", "jac_task", JACOBIAN_TASK),
]


def _accepted(at) -> bool:
    """The task box said the answer is right (other parts of a page may show successes of their own)."""
    return any(as_read(w.value).startswith(("Right", "Correct")) for w in at.success)


def _answer(page: str, task: str, text: str, query=None):
    at = run_page(page, query)
    at.text_input(key=f"{task}_answer").set_value(text).run()
    assert not at.exception
    return at


@pytest.mark.parametrize(("page", "task", "text"), ACCEPTED, ids=[f"{p}:{t}" for p, _, t in ACCEPTED])
def test_an_answer_written_the_natural_way_is_accepted(page, task, text):
    at = _answer(page, task, text)
    assert _accepted(at), [as_read(w.value) for w in at.warning]


@pytest.mark.parametrize(("page", "task", "text", "instead"), [
    ("integrals", "integ_task", "C x + x^3 - 2x^2", "then + C"),
    ("integrals", "integ_task", "x^3 - 2x^2 + C + K", "Use one constant"),
    ("backprop", "backprop_task", "W[l-1]", "Type W[l]"),
    ("svm", "svm_task", "the first three", "e.g. 2, 5"),
])
def test_a_refusal_says_what_to_type_instead(page, task, text, instead):
    at = _answer(page, task, text)
    assert not _accepted(at)
    assert any(instead in as_read(w.value) for w in at.warning)


def test_the_backpropagation_task_shows_the_line_it_asks_about():
    at = run_page("backprop")
    task = next(m.value for m in at.markdown if m.value.startswith("**Task.**"))
    assert "da[l-1] = dz[l] @ W[l].T" in task and "dz[l] = da[l] * f_prime(z[l])" in task


POLAR = {"jac_var1": "r", "jac_var2": "theta", "jac_f1": "r*cos(theta)", "jac_f2": "r*sin(theta)"}


@pytest.mark.parametrize("second", ["theta", "θ"])
def test_polar_coordinates_named_r_and_theta_have_determinant_r(second):
    at = run_page("jacobian", {**POLAR, "jac_var2": second})
    assert not at.exception and not at.error
    shown = shown_text(at)
    assert r"\det J(r, \theta) = r" in shown
    assert [s.label for s in at.slider][:2] == ["r₀", "θ₀"]


def test_the_polar_example_names_its_inputs():
    at = run_page("jacobian")
    at.selectbox(key="jac_example").set_value("Polar to Cartesian: (r cos θ, r sin θ)").run()
    assert not at.exception
    assert at.text_input(key="jac_var1").value == "r" and at.text_input(key="jac_var2").value == "theta"
    assert r"\det J(r, \theta) = r" in shown_text(at)


def test_the_task_is_stated_and_checked_in_the_pages_input_names():
    query = {"jac_var1": "m", "jac_var2": "n", "jac_f1": "m n", "jac_f2": "m + n"}
    at = run_page("jacobian", query)
    task = next(m.value for m in at.markdown if m.value.startswith("**Task.**"))
    assert "f(m, n) = (σ(pm + qn)" in task
    at.text_input(key="jac_task_answer").set_value(JACOBIAN_TASK).run()
    assert _accepted(at)
    written_out = ("p sigmoid(p m + q n)(1 - sigmoid(p m + q n)), q a1(1 - a1); r a2(1 - a2), s a2(1 - a2); "
                   "t a3(1 - a3), u a3(1 - a3)")
    at.text_input(key="jac_task_answer").set_value(written_out).run()
    assert _accepted(at)


@pytest.mark.parametrize(("names", "words"), [(("x", "x"), "its own name"), (("sin", "y"), "clashes"),
                                              (("2a", "y"), "letter-and-digit"), (("pi", "y"), "clashes")])
def test_input_names_that_cannot_be_used_are_named_and_the_rest_of_the_page_works(names, words):
    at = run_page("jacobian", {"jac_var1": names[0], "jac_var2": names[1]})
    assert not at.exception
    assert any(words in as_read(e.value) and "Using x, y" in as_read(e.value) for e in at.error)
    assert r"\det J(x, y)" in shown_text(at)
