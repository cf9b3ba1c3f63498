"""calc_core.svm against the course's own SLSQP program, scikit-learn's SVC and the KKT conditions."""

import doctest
from dataclasses import fields

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize, nnls
from sklearn.svm import SVC

from calc_core import limits, svm
from calc_core.svm import (
    SVMDataError,
    fit_hard_margin,
    fit_soft_margin,
    format_points_text,
    parse_points_text,
    random_points,
    validate_points,
)

COURSE_X = [[0, 0], [1, 2], [2, 1]]
COURSE_Y = [-1, 1, 1]
TASK_X = COURSE_X + [[-1, -1], [-3, -1], [3, 3]]
TASK_Y = COURSE_Y + [-1, -1, 1]

EXACT = 1e-9
"""Closed-form figures (8/9, 2/3, ...) reproduced to this absolute error."""
SKLEARN_TOL = 1e-5
"""(w, b) / ‖(w, b)‖ against scikit-learn (libsvm stopping tolerance 1e-10, C large)."""
SKLEARN_B_TOL = 1e-4
"""libsvm's bias, an average over its free vectors, is good to about 1e-5."""
PRIMAL_DUAL_TOL = 1e-7
"""Relative difference between the SLSQP primal and the NNLS dual."""
HARD_C = 1e7
"""scikit-learn's C standing in for the hard margin on unit-scale data."""


def separable_set(seed: int, n: int = 40, d: int = 2, gap: float = 0.1):
    """Gaussian points labelled by a random line, with a strip of width 2·gap around it emptied."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    normal = rng.normal(size=d)
    side = X @ normal / np.linalg.norm(normal) + rng.normal(scale=0.5)
    keep = np.abs(side) > gap
    X, side = X[keep], side[keep]
    y = np.where(side > 0, 1.0, -1.0)
    if len(set(y)) < 2:
        y[0] = -y[0]
        X[0] = X[0] - 2 * side[0] * normal / np.linalg.norm(normal)
    return X, y


def overlapping_set(seed: int, n: int = 40):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.where(X @ rng.normal(size=2) + rng.normal(scale=1.0, size=n) > 0, 1.0, -1.0)
    return X, y


def two_clouds(seed: int, n: int = 40, distance: float = 2.0):
    """Two unit Gaussian clouds `distance` apart in a random direction: overlapping, but w ≠ 0."""
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    direction = unit(rng.normal(size=2))
    X = rng.normal(size=(n, 2)) + 0.5 * distance * y[:, None] * direction
    return X, y


def unit(v):
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def sklearn_lambdas(model: SVC, n: int) -> np.ndarray:
    """scikit-learn's αᵢ belong to ½‖w‖²; the course's ‖w‖² doubles them."""
    lam = np.zeros(n)
    lam[model.support_] = 2.0 * np.abs(model.dual_coef_[0])
    return lam


def in_convex_hull(point, points, tol=1e-6) -> bool:
    """Whether point is a convex combination of points (NNLS with a heavily weighted Σu = 1 row)."""
    weight = 1e3
    A = np.vstack([np.asarray(points).T, weight * np.ones(len(points))])
    target = np.r_[point, weight]
    _, residual = nnls(A, target)
    return residual < tol


# --- the course's figures -------------------------------------------------------------


def test_course_three_points_reproduce_objective_and_line():
    r = fit_hard_margin(COURSE_X, COURSE_Y)
    assert r.success and r.separable
    assert r.objective == pytest.approx(8 / 9, abs=EXACT)
    assert round(r.objective, 4) == 0.8889
    assert r.abc == pytest.approx((2 / 3, 2 / 3, -1.0), abs=EXACT)
    assert r.margin == pytest.approx(2 / np.sqrt(8 / 9), abs=EXACT)
    assert r.support_indices.tolist() == [0, 1, 2]
    assert r.objective_form == svm.HARD_MARGIN_FORM and "a² + b²" in r.objective_form


def test_course_three_points_multipliers_by_hand():
    # 2w = Σ λᵢ yᵢ xᵢ with w = (2/3, 2/3): λ₂ (1, 2) + λ₃ (2, 1) = (4/3, 4/3) so λ₂ = λ₃ = 4/9;
    # Σ λᵢ yᵢ = 0 gives λ₁ = 8/9.
    r = fit_hard_margin(COURSE_X, COURSE_Y)
    assert r.multipliers == pytest.approx([8 / 9, 4 / 9, 4 / 9], abs=EXACT)
    assert r.dual_objective == pytest.approx(8 / 9, abs=EXACT)


def test_course_slsqp_program_gives_the_same_answer():
    """The course's own formulation (start (1, 1, 1), bounds ±10), rebuilt here as the reference."""
    constraints = [
        {"type": "ineq", "fun": lambda t: -t[2] - 1},
        {"type": "ineq", "fun": lambda t: t[0] + 2 * t[1] + t[2] - 1},
        {"type": "ineq", "fun": lambda t: 2 * t[0] + t[1] + t[2] - 1},
    ]
    course = minimize(
        lambda t: t[0] ** 2 + t[1] ** 2, np.ones(3), method="SLSQP", bounds=[(-10, 10)] * 3, constraints=constraints
    )
    r = fit_hard_margin(COURSE_X, COURSE_Y)
    assert r.objective == pytest.approx(course.fun, abs=1e-6)
    assert r.abc == pytest.approx(tuple(course.x), abs=1e-6)


def test_six_point_task_gives_the_same_line_and_zero_multipliers_for_added_points():
    three = fit_hard_margin(COURSE_X, COURSE_Y)
    six = fit_hard_margin(TASK_X, TASK_Y)
    assert six.success
    assert six.abc == pytest.approx(three.abc, abs=EXACT)
    assert six.objective == pytest.approx(three.objective, abs=EXACT)
    assert six.multipliers[3:] == pytest.approx([0.0, 0.0, 0.0], abs=EXACT)
    assert six.multipliers[:3] == pytest.approx(three.multipliers, abs=EXACT)
    assert six.support_indices.tolist() == [0, 1, 2]
    # The added points sit strictly outside the margin: their constraints are slack.
    assert np.all(six.kkt.constraint_values[3:] > 1.0)


def test_hard_margin_is_invariant_to_point_order():
    order = [5, 2, 0, 4, 1, 3]
    X, y = np.asarray(TASK_X)[order], np.asarray(TASK_Y)[order]
    r = fit_hard_margin(X, y)
    assert r.abc == pytest.approx(fit_hard_margin(TASK_X, TASK_Y).abc, abs=EXACT)
    assert sorted(np.asarray(order)[r.support_indices].tolist()) == [0, 1, 2]


# --- against scikit-learn -------------------------------------------------------------


@pytest.mark.parametrize("seed", range(30))
def test_hard_margin_matches_sklearn_on_random_separable_sets(seed):
    X, y = separable_set(seed, n=20 + seed * 3)
    r = fit_hard_margin(X, y)
    assert r.success, r.message
    ref = SVC(kernel="linear", C=HARD_C, tol=1e-10).fit(X, y)
    ours = unit(np.r_[r.w, r.b])
    theirs = unit(np.r_[ref.coef_[0], ref.intercept_[0]])
    assert np.max(np.abs(ours - theirs)) < SKLEARN_TOL
    assert r.support_indices.tolist() == sorted(ref.support_.tolist())
    assert r.multipliers == pytest.approx(sklearn_lambdas(ref, len(y)), rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("d", [1, 3, 5])
def test_hard_margin_in_other_dimensions_matches_sklearn(d):
    X, y = separable_set(100 + d, n=60, d=d)
    r = fit_hard_margin(X, y)
    ref = SVC(kernel="linear", C=HARD_C, tol=1e-10).fit(X, y)
    assert r.success, r.message
    assert np.max(np.abs(unit(np.r_[r.w, r.b]) - unit(np.r_[ref.coef_[0], ref.intercept_[0]]))) < SKLEARN_TOL
    assert r.support_indices.tolist() == sorted(ref.support_.tolist())


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3])
def test_hard_margin_scales_with_the_data(scale):
    X, y = separable_set(7)
    base = fit_hard_margin(X, y)
    r = fit_hard_margin(X * scale, y)
    assert r.success
    assert r.w == pytest.approx(base.w / scale, rel=1e-6)
    assert r.b == pytest.approx(base.b, rel=1e-6, abs=1e-9)
    assert r.margin == pytest.approx(base.margin * scale, rel=1e-6)
    assert r.support_indices.tolist() == base.support_indices.tolist()


# --- primal against dual, and the KKT check -------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_primal_and_dual_agree(seed):
    X, y = separable_set(1000 + seed, n=80)
    r = fit_hard_margin(X, y)
    size = np.max(np.abs(np.r_[r.w, r.b]))
    assert np.max(np.abs(r.w - r.dual_w)) < PRIMAL_DUAL_TOL * size
    assert abs(r.b - r.dual_b) < PRIMAL_DUAL_TOL * size
    assert r.dual_objective == pytest.approx(r.objective, rel=PRIMAL_DUAL_TOL)


@pytest.mark.parametrize("seed", range(20))
def test_kkt_conditions_hold_at_the_solution(seed):
    X, y = separable_set(2000 + seed, n=50)
    r = fit_hard_margin(X, y)
    kkt = r.kkt
    assert kkt.passed
    assert [c.name for c in kkt.conditions] == [
        "primal feasibility",
        "dual feasibility",
        "complementary slackness",
        "stationarity in w",
        "stationarity in c",
    ]
    g = kkt.constraint_values
    assert np.all(g > -1e-7)
    # λᵢ > 0 only on the margin, and every support vector is on it.
    assert np.all(np.abs(g[r.support_indices]) < 1e-7)
    off_margin = np.setdiff1d(np.arange(len(y)), r.support_indices)
    assert np.all(r.multipliers[off_margin] == 0.0)
    assert np.linalg.norm(2 * r.w - (r.multipliers * y) @ X) < 1e-7 * np.linalg.norm(r.w)
    assert abs(r.multipliers @ y) < 1e-9 * r.multipliers.sum()


def test_kkt_check_fails_for_wrong_multipliers_or_a_wrong_line():
    X, y = np.asarray(COURSE_X, float), np.asarray(COURSE_Y, float)
    r = fit_hard_margin(X, y)
    doubled = svm.kkt_check(X, y, r.w, r.b, 2 * r.multipliers)
    assert not doubled.passed
    assert {c.name for c in doubled.conditions if not c.passed} == {"stationarity in w"}
    unbalanced = svm.kkt_check(X, y, r.w, r.b, np.array([1.0, 4 / 9, 4 / 9]))
    assert "stationarity in c" in {c.name for c in unbalanced.conditions if not c.passed}
    shifted = svm.kkt_check(X, y, r.w, r.b + 0.5, r.multipliers)
    assert not next(c for c in shifted.conditions if c.name == "primal feasibility").passed
    negative = svm.kkt_check(X, y, r.w, r.b, -r.multipliers)
    assert not next(c for c in negative.conditions if c.name == "dual feasibility").passed


def test_nearly_touching_classes_need_no_bounds():
    # The course bounds a, b, c to ±10; this line needs a = 2000.
    r = fit_hard_margin([[0, 0], [0.001, 0], [0, 1], [0.001, 1]], [-1, 1, -1, 1])
    assert r.success
    assert r.w == pytest.approx([2000.0, 0.0], rel=1e-6, abs=1e-6)
    assert r.margin == pytest.approx(0.001, rel=1e-6)


def test_duplicate_points_with_the_same_class_are_fine():
    r = fit_hard_margin(COURSE_X + [[1, 2]], COURSE_Y + [1])
    assert r.success
    assert r.abc == pytest.approx((2 / 3, 2 / 3, -1.0), abs=EXACT)
    # The two copies of (1, 2) share its multiplier 4/9 between them.
    assert r.multipliers[1] + r.multipliers[3] == pytest.approx(4 / 9, abs=EXACT)


# --- not separable ----------------------------------------------------------------------

RAW_SOLVER_WORDS = ("SLSQP", "Positive directional", "Inequality constraints incompatible", "Iteration limit")


@pytest.mark.parametrize(
    ("X", "y"),
    [
        ([[0, 0], [1, 1], [1, 0], [0, 1]], [-1, -1, 1, 1]),  # XOR
        ([[0, 0], [1, 1], [2, 2]], [-1, 1, -1]),  # a +1 point between two −1 points on a line
        ([[0, 0], [4, 0], [0, 4], [1, 1], [5, 5]], [-1, -1, -1, 1, 1]),  # (1, 1) inside the −1 triangle
        ([[0, 0], [1, 0], [0.5, 0]], [-1, -1, 1]),  # touching: on the segment between them
    ],
)
def test_not_separable_sets_are_reported_in_words(X, y):
    r = fit_hard_margin(X, y)
    assert not r.success and not r.separable
    assert "No straight line separates" in r.message and "soft margin" in r.message
    assert not any(word in r.message for word in RAW_SOLVER_WORDS)
    assert np.isnan(r.w).all() and np.isnan(r.b) and r.kkt is None
    X, y = np.asarray(X, float), np.asarray(y, float)
    assert in_convex_hull(r.overlap_point, X[y > 0]) and in_convex_hull(r.overlap_point, X[y < 0])


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("seed", range(20))
def test_random_overlapping_sets_are_infeasible_exactly_when_sklearn_misclassifies(seed):
    X, y = overlapping_set(seed)
    r = fit_hard_margin(X, y)
    ref = SVC(kernel="linear", C=HARD_C, tol=1e-8, max_iter=10**6).fit(X, y)
    separable_by_sklearn = ref.score(X, y) == 1.0
    assert r.separable == separable_by_sklearn
    if not r.separable:
        assert in_convex_hull(r.overlap_point, X[y > 0]) and in_convex_hull(r.overlap_point, X[y < 0])


# --- soft margin ----------------------------------------------------------------------


def primal_value(X, y, w, b, C):
    return w @ w + C * np.maximum(0.0, 1.0 - y * (X @ w + b)).sum()


@pytest.mark.parametrize("seed", range(25))
def test_soft_margin_matches_sklearn_with_half_the_C(seed):
    X, y = two_clouds(3000 + seed, n=30 + 4 * seed)
    C = float(10.0 ** np.random.default_rng(seed).uniform(-1, 2))
    r = fit_soft_margin(X, y, C)
    assert r.success, r.message
    assert r.sklearn_C == C / 2
    ref = SVC(kernel="linear", C=r.sklearn_C, tol=1e-12, max_iter=10**8).fit(X, y)
    w_ref, b_ref = ref.coef_[0], ref.intercept_[0]
    assert np.max(np.abs(r.w - w_ref)) < SKLEARN_TOL * np.linalg.norm(w_ref)
    # The line is optimal: its objective is no worse than scikit-learn's, and as good to libsvm's accuracy.
    assert r.objective <= primal_value(X, y, w_ref, b_ref, C) * (1 + 1e-12)
    assert r.objective == pytest.approx(primal_value(X, y, w_ref, b_ref, C), rel=SKLEARN_TOL)
    lam = r.multipliers
    free = (lam > 1e-6 * C) & (lam < C * (1 - 1e-6))
    if free.any():  # b is unique only when some multiplier is strictly between 0 and C
        # libsvm averages b over its free vectors, good to about 1e-5; ours puts them on the margin.
        assert r.b == pytest.approx(b_ref, abs=SKLEARN_B_TOL)
        assert y[free] * (X[free] @ r.w + r.b) == pytest.approx(1.0, abs=1e-8)


@pytest.mark.parametrize("seed", range(15))
def test_soft_margin_kkt_slack_and_duality(seed):
    X, y = two_clouds(4000 + seed, n=60)
    C = 3.0
    r = fit_soft_margin(X, y, C)
    assert r.kkt.passed
    assert "slack complementarity" in {c.name for c in r.kkt.conditions}
    assert np.all(r.multipliers >= -1e-9) and np.all(r.multipliers <= C * (1 + 1e-9))
    # Shortfalls below SLACK_TOL are rounding and reported as exactly 0.
    assert r.slack == pytest.approx(np.maximum(0.0, 1.0 - y * (X @ r.w + r.b)), abs=svm.SLACK_TOL)
    assert r.margin_values == pytest.approx(y * (X @ r.w + r.b))
    assert r.hinge_loss == pytest.approx(r.slack.sum())
    assert r.objective == pytest.approx(r.w @ r.w + C * r.hinge_loss)
    assert r.dual_objective == pytest.approx(r.objective, rel=1e-8)
    # Points beyond the margin carry λ = C; points well outside it carry none.
    assert r.multipliers[r.slack > 1e-6] == pytest.approx(C, rel=1e-6)
    assert np.all(r.multipliers[y * (X @ r.w + r.b) > 1 + 1e-6] < 1e-6 * C)
    assert set(np.flatnonzero(r.slack > 1e-6)) <= set(r.support_indices)


def test_soft_margin_approaches_the_hard_margin_as_c_grows():
    hard = fit_hard_margin(TASK_X, TASK_Y)
    soft = fit_soft_margin(TASK_X, TASK_Y, C=1e4)
    assert soft.success
    assert soft.abc == pytest.approx(hard.abc, abs=1e-7)
    assert soft.multipliers == pytest.approx(hard.multipliers, abs=1e-7)
    assert soft.hinge_loss == pytest.approx(0.0, abs=1e-8)


def test_soft_margin_small_c_widens_the_margin_and_pays_slack():
    wide = fit_soft_margin(TASK_X, TASK_Y, C=0.1)
    narrow = fit_soft_margin(TASK_X, TASK_Y, C=10.0)
    assert wide.margin > narrow.margin
    assert wide.hinge_loss > narrow.hinge_loss


def test_soft_margin_on_xor_chooses_no_line():
    r = fit_soft_margin([[0, 0], [1, 1], [1, 0], [0, 1]], [-1, -1, 1, 1], C=1.0)
    assert r.success
    assert r.w == pytest.approx([0.0, 0.0], abs=1e-8)
    assert np.isinf(r.margin)
    assert "w = 0" in r.message
    assert r.hinge_loss == pytest.approx(4.0, abs=1e-8)


@pytest.mark.parametrize("scale", [1e-3, 1e3])
def test_soft_margin_scales_with_the_data(scale):
    X, y = two_clouds(5)
    base = fit_soft_margin(X, y, 2.0)
    # ‖w‖² shrinks by scale², so the same line at another scale needs C / scale².
    r = fit_soft_margin(X * scale, y, 2.0 / scale**2)
    assert r.success
    assert r.w == pytest.approx(base.w / scale, rel=1e-6)
    assert r.slack == pytest.approx(base.slack, abs=1e-7)


# --- validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("X", "y", "words"),
    [
        ([], [], "no points"),
        ([[0, 0], [1, 1]], [1, 1], "at least one point of each class"),
        ([[0, 0], [1, 1]], [0, 1], "−1 or +1"),
        ([[0, 0], [1, 1]], [-1, 2], "−1 or +1"),
        ([[0, np.nan], [1, 1]], [-1, 1], "missing or infinite"),
        ([[0, np.inf], [1, 1]], [-1, 1], "missing or infinite"),
        ([[0, 0], [1, 1]], [-1, np.nan], "no class"),
        ([[0, 0], [1, 2], [1, 2]], [-1, 1, -1], "Points 2 and 3 are both at (1, 2)"),
        ([[0, 0], [1, 1]], [-1, 1, 1], "2 points but 3 class labels"),
        ([[0, 0], [1e9, 1]], [-1, 1], "too far out"),
        ([[0, 0], ["a", 1]], [-1, 1], "must be numbers"),
        ([0, 1], [-1, 1], "rows of coordinates"),
        (np.zeros((svm.MAX_POINTS + 1, 2)), np.ones(svm.MAX_POINTS + 1), "at most"),
    ],
)
def test_bad_data_raises_a_learner_friendly_error(X, y, words):
    with pytest.raises(SVMDataError, match=None) as info:
        validate_points(X, y)
    assert words in str(info.value)
    with pytest.raises(SVMDataError):
        fit_hard_margin(X, y)
    with pytest.raises(SVMDataError):
        fit_soft_margin(X, y, 1.0)


@pytest.mark.parametrize("C", [0.0, -1.0, float("nan"), float("inf"), "many"])
def test_bad_c_raises(C):
    with pytest.raises(SVMDataError, match="C must be"):
        fit_soft_margin(COURSE_X, COURSE_Y, C)


def test_svm_data_error_is_a_value_error():
    assert issubclass(SVMDataError, ValueError)


finite = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False, width=32)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    points=st.lists(st.tuples(finite, finite, st.sampled_from([-1, 1])), min_size=0, max_size=12),
)
def test_any_small_table_is_fitted_or_refused_cleanly(points):
    X = [[p[0], p[1]] for p in points]
    y = [p[2] for p in points]
    try:
        r = fit_hard_margin(X, y)
    except SVMDataError:
        return
    if r.separable:
        # Only a margin a million times thinner than the data's spread may defeat double precision.
        if not r.success:
            assert r.margin < 1e-5 * np.ptp(np.asarray(X), axis=0).max()
            assert "only just separable" in r.message
        else:
            assert r.kkt.passed
    else:
        assert "No straight line separates" in r.message
        soft = fit_soft_margin(X, y, 1.0)
        assert soft.kkt.passed


# --- points as text, random points ------------------------------------------------------


def test_points_text_round_trip():
    X, y = random_points(30, separable=True, seed=4)
    X2, y2 = parse_points_text(format_points_text(X, y))
    assert X2.tolist() == X.tolist() and y2.tolist() == y.tolist()
    X3, y3 = parse_points_text(" 0, 0, -1 ;\n1,2,+1;;2,1,1; ")
    assert X3.tolist() == [[0, 0], [1, 2], [2, 1]] and y3.tolist() == [-1, 1, 1]
    assert parse_points_text("0,0,−1;1,1,1")[1].tolist() == [-1, 1]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "no points"),
        (" ; ;", "no points"),
        ("0,0", "needs three values"),
        ("0,0,1,2", "needs three values"),
        ("0,a,1", "Point 1: the y value “a” is not a number"),
        ("0,0,-1;1,1,2", "Point 2: the class must be −1 or +1"),
        ("0,nan,1", "not a finite number"),
        ("0,inf,1", "not a finite number"),
        ("__import__('os'),0,1", "not a number"),
        (";".join(["0,0,1"] * 6), "at most 5"),
    ],
)
def test_bad_points_text_is_refused_with_the_point_named(text, words):
    with pytest.raises(SVMDataError) as info:
        parse_points_text(text, max_points=5)
    assert words in str(info.value)


@pytest.mark.parametrize("seed", range(10))
def test_random_points_are_separable_or_overlapping_as_asked(seed):
    X, y = random_points(24, separable=True, seed=seed)
    assert fit_hard_margin(X, y).success
    X, y = random_points(24, separable=False, seed=seed)
    assert not fit_hard_margin(X, y).separable
    assert np.all(X == np.round(X, 2)) and sorted(set(y)) == [-1.0, 1.0]


def test_docstring_examples_hold():
    for module in (svm.answers, svm.data, svm.hard_margin, svm.kkt, svm.reference, svm.results, svm.separation,
                   svm.soft_margin):
        assert doctest.testmod(module).failed == 0, module.__name__


# --------------------------------------------------------------------------- limits, reference, task


def test_both_results_share_the_margin_fit_fields():
    shared = {f.name for f in fields(svm.MarginFit)}
    hard = fit_hard_margin(COURSE_X, COURSE_Y)
    soft = fit_soft_margin(COURSE_X, COURSE_Y, 1.0)
    assert isinstance(hard, svm.MarginFit) and isinstance(soft, svm.MarginFit)
    assert shared <= {f.name for f in fields(hard)} and shared <= {f.name for f in fields(soft)}
    assert not shared & ({f.name for f in fields(hard)} - shared) & ({f.name for f in fields(soft)} - shared)
    assert hard.support_numbers == [1, 2, 3]


def test_the_longest_points_text_fits_the_one_limit():
    """Every point the page fits, written as the page writes it, fits the box, the link and a loaded CSV."""
    n = limits.SVM_MAX_POINTS
    worst = -1.23456789e-300 * (1 + np.arange(2 * n).reshape(n, 2) / (4 * n))
    text = format_points_text(worst, np.where(np.arange(n) % 2, 1.0, -1.0))
    assert max(len(p) for p in text.split(";")) + 1 <= limits.SVM_POINT_CHARS
    assert len(text) <= limits.SVM_POINTS_TEXT_CHARS
    X, _ = parse_points_text(text, n)
    assert np.allclose(X, worst, rtol=1e-5, atol=0)
    for extreme in (svm.MAX_COORDINATE, -svm.MAX_COORDINATE, -123456.789123, -0.000123456789):
        written = format_points_text([[extreme, extreme]], [-1])
        assert len(written) + 1 <= limits.SVM_POINT_CHARS


@pytest.mark.parametrize("scale", [1.0, 1e-3, 1e4])
def test_the_reference_line_is_scikit_learns_whatever_the_units(scale):
    X = np.asarray(TASK_X, float) * scale
    line = svm.reference_line(X, TASK_Y, svm.HARD_REFERENCE_C)
    hard = fit_hard_margin(X, TASK_Y)
    assert line.converged
    ours, theirs = np.r_[hard.w, hard.b], np.r_[line.w, line.b]
    assert theirs / np.linalg.norm(theirs) == pytest.approx(ours / np.linalg.norm(ours), abs=SKLEARN_TOL)
    model = SVC(kernel="linear", C=svm.HARD_REFERENCE_C, tol=1e-10).fit(np.asarray(TASK_X, float), TASK_Y)
    assert line.w * scale == pytest.approx(model.coef_[0], rel=SKLEARN_B_TOL)


def test_the_reference_stops_at_its_iteration_cap_on_the_worst_overlap():
    """Interleaved classes on a line, as many as the page fits: libsvm stops at the cap and says so."""
    n = limits.SVM_MAX_POINTS
    X = np.column_stack([np.arange(n) * 1e-6, np.zeros(n)])
    y = np.where(np.arange(n) % 2, 1.0, -1.0)
    line = svm.reference_line(X, y, svm.HARD_REFERENCE_C)
    assert np.all(np.isfinite(line.w)) and np.isfinite(line.b)
    assert isinstance(line.converged, bool)


@pytest.mark.parametrize(("answer", "correct", "words"), [
    ("1, 2, 3", True, "Correct"),
    ("3 and 2 and 1", True, "Correct"),
    ("1, 2, 4", False, "point 4 (-1, -1) is not: yᵢ(w·xᵢ + c) = 2.333 > 1"),
    ("1, 2", False, "point 3 (2, 1) is one: yᵢ(w·xᵢ + c) = 1 there, it sits on the margin with λ = 0.4444"),
])
def test_support_vector_verdicts(answer, correct, words):
    verdict = svm.support_vector_verdict(answer, TASK_X, fit_hard_margin(TASK_X, TASK_Y))
    assert verdict.ok is correct and words in verdict.message


@pytest.mark.parametrize("answer", ["seven", "1, 9", "0", "", "1,, 2; 2.5", "1234"])
def test_unreadable_point_numbers_are_refused(answer):
    with pytest.raises(SVMDataError, match="from 1 to 6"):
        svm.point_numbers(answer, 6)
