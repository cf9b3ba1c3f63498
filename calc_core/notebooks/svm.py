"""The SVM lesson as a notebook: the page's points, the widest-margin line by the primal and the dual, its
margin and multipliers, scikit-learn's line beside it, and the soft margin when the page shows one.

The points enter the notebook as numbers read by the page's own reader (:func:`calc_core.svm.parse_points_text`),
written out with :func:`repr`; nothing the visitor typed goes in as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from calc_core.limits import SVM_MAX_POINTS
from calc_core.notebooks import code, markdown, notebook, number
from calc_core.svm import parse_points_text

TITLE = "Support vector machine: the widest margin"
POINT = """
A line a·x + b·y + c = 0 separates the classes yᵢ = ±1 when every point satisfies yᵢ(a xᵢ + b yᵢ + c) ≥ 1,
and the gap between the lines where a x + b y + c = ±1 is 2/√(a² + b²). So the widest margin is the smallest
a² + b², a constrained optimisation: solved here as the course poses it (the primal), through its
Lagrange multipliers (the dual), and checked against scikit-learn. Only the points on the margin, the
support vectors, have λᵢ > 0: the others could move without moving the line.
"""
# The settings drawn in the page's fragment, by widget key.
LIVE = ("svm_points", "svm_soft", "svm_C")


@dataclass(frozen=True)
class SVMSettings:
    """The page's points (as read by its reader), whether it also fits a soft margin, and C."""

    points: tuple[tuple[float, float], ...]
    classes: tuple[int, ...]
    soft: bool
    C: float


def settings_of(settings: Mapping) -> SVMSettings:
    """The page's settings (``svm_points``: the points text, ``svm_soft``, ``svm_C``) read and checked."""
    X, y = parse_points_text(str(settings["svm_points"]), SVM_MAX_POINTS)
    return SVMSettings(tuple((float(a), float(b)) for a, b in X), tuple(int(c) for c in y),
                       bool(settings["svm_soft"]), float(settings["svm_C"]))


def build(settings: Mapping | SVMSettings):
    """The notebook for the page's points and settings."""
    if isinstance(settings, Mapping):
        settings = settings_of(settings)
    points = ",\n    ".join(f"[{number(a)}, {number(b)}]" for a, b in settings.points)
    classes = ", ".join(str(c) for c in settings.classes)
    return notebook(TITLE, POINT, [
        code(_IMPORTS),
        markdown("## The points\n\nEach row is (x, y); each class is −1 or +1, as on the page."),
        code(f"POINTS = np.array([\n    {points},\n])\nCLASSES = np.array([{classes}])\n" + _POINTS),
        markdown("## Can a line separate them?\n\nThe largest t with yᵢ(w·xᵢ + c) ≥ t and |wₖ| ≤ 1 is a linear "
                 "program: the classes are separable exactly when t > 0."),
        code(_SEPARABLE),
        markdown("## The primal: the course's problem\n\nMinimise a² + b² subject to yᵢ(a xᵢ + b yᵢ + c) ≥ 1, "
                 "with SciPy's SLSQP, starting from the linear program's line (scaled to t = 1), which meets "
                 "every constraint."),
        code(_PRIMAL),
        markdown("## The dual: one multiplier per point\n\nWith L = a² + b² − Σ λᵢ (yᵢ(a xᵢ + b yᵢ + c) − 1), "
                 "∂L/∂w = 0 gives 2w = Σ λᵢ yᵢ xᵢ and ∂L/∂c = 0 gives Σ λᵢ yᵢ = 0, so the dual is: maximise "
                 "Σ λᵢ − ¼‖Σ λᵢ yᵢ xᵢ‖² over λᵢ ≥ 0 with Σ λᵢ yᵢ = 0. The two objectives agree at the solution "
                 "(strong duality), and λᵢ > 0 only on the margin (complementary slackness)."),
        code(_DUAL),
        markdown("## Reference: scikit-learn\n\n`SVC(kernel='linear')` minimises ½‖w‖² + C Σ ξᵢ; a very large C "
                 "stands in for the hard margin. Same line; its dual coefficients are half of these λᵢ."),
        code(_REFERENCE),
        code(_CHART),
        markdown("## Soft margin: paying for slack\n\nEach point may fall short of its margin by ξᵢ ≥ 0 at a price "
                 "C per unit: minimise a² + b² + C Σ ξᵢ. scikit-learn's SVC with C/2 minimises half of that, so "
                 "it finds the same line; every multiplier is capped, 0 ≤ λᵢ ≤ C."),
        code(f"SOFT = {settings.soft!r}  # the page fits a soft margin (always when no line separates the points)\n"
             f"C = {number(settings.C)}\n" + _SOFT),
    ])


_IMPORTS = """
import matplotlib.pyplot as plt
import numpy as np
from scipy.optimize import linprog, minimize
from sklearn.svm import SVC
"""

_POINTS = """
n = len(CLASSES)
for i, ((px, py), label) in enumerate(zip(POINTS, CLASSES), 1):
    print(f"point {i}: ({px:g}, {py:g}), class {label:+d}")
"""

_SEPARABLE = """
A = CLASSES[:, None] * np.hstack([POINTS, np.ones((n, 1))])  # row i: y_i * (x_i, y_i, 1)
lp = linprog(
    [0, 0, 0, -1],  # variables (a, b, c, t): maximise t
    A_ub=np.hstack([-A, np.ones((n, 1))]), b_ub=np.zeros(n),
    bounds=[(-1, 1), (-1, 1), (None, None), (None, None)], method="highs",
)
t = -lp.fun
separable = t > 1e-9 * np.ptp(POINTS, axis=0).sum()
print("separable" if separable else "No straight line separates the two classes: the hard margin has no solution.")
"""

_PRIMAL = """
if separable:
    primal = minimize(
        lambda p: p[0] ** 2 + p[1] ** 2,  # a^2 + b^2, with p = (a, b, c)
        lp.x[:3] / t,
        jac=lambda p: np.array([2 * p[0], 2 * p[1], 0.0]),
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda p: A @ p - 1, "jac": lambda p: A}],
        options={"ftol": 1e-14, "maxiter": 500},
    )
    a, b, c = primal.x
    w = np.array([a, b])
    print("a =", repr(float(a)))
    print("b =", repr(float(b)))
    print("c =", repr(float(c)))
    print("a^2 + b^2 =", repr(float(w @ w)))
    print("margin =", repr(float(2 / np.sqrt(w @ w))))
"""

_DUAL = """
if separable:
    Z = CLASSES[:, None] * POINTS  # row i: y_i x_i
    dual = minimize(
        lambda lam: -(lam.sum() - 0.25 * np.sum((lam @ Z) ** 2)),  # minus the dual objective
        np.zeros(n),
        jac=lambda lam: -(np.ones(n) - 0.5 * Z @ (lam @ Z)),
        method="SLSQP",
        bounds=[(0, None)] * n,
        constraints=[{"type": "eq", "fun": lambda lam: lam @ CLASSES, "jac": lambda lam: CLASSES.astype(float)}],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    multipliers = np.where(dual.x > 1e-6 * dual.x.max(), dual.x, 0.0)
    support = np.flatnonzero(multipliers > 0)
    print("dual objective =", repr(float(-dual.fun)))
    print("w from the multipliers, (1/2) sum lambda_i y_i x_i:", 0.5 * multipliers @ Z)
    for i, lam in enumerate(multipliers, 1):
        print(f"lambda {i} =", repr(float(lam)))
    print("support vectors (lambda > 0): points", ", ".join(str(i + 1) for i in support))
    print("y_i (a x_i + b y_i + c), 1 on the margin:", np.round(CLASSES * (POINTS @ w + c), 6))
"""

_REFERENCE = """
if separable:
    reference = SVC(kernel="linear", C=1e6, tol=1e-8).fit(POINTS, CLASSES)
    print("scikit-learn a =", repr(float(reference.coef_[0, 0])))
    print("scikit-learn b =", repr(float(reference.coef_[0, 1])))
    print("scikit-learn c =", repr(float(reference.intercept_[0])))
    doubled = 2 * np.abs(reference.dual_coef_[0])
    print("scikit-learn's multipliers, doubled:", {int(i) + 1: round(float(v), 6) for i, v in zip(reference.support_, doubled)})
"""

_CHART = """
def draw(ax, w, c, title, rings=(), ring_sizes=None, crosses=()):
    for label, color in ((-1, "tab:blue"), (1, "tab:orange")):
        ax.scatter(*POINTS[CLASSES == label].T, color=color, label=f"class {label:+d}", zorder=3)
    if rings is not None and len(rings):
        ax.scatter(*POINTS[rings].T, s=ring_sizes, facecolors="none", edgecolors="black", zorder=4)
    if len(crosses):
        ax.scatter(*POINTS[crosses].T, marker="x", s=120, color="red", zorder=5)
    lo, hi = POINTS.min(axis=0) - 1, POINTS.max(axis=0) + 1
    xs = np.linspace(lo[0], hi[0], 2)
    for level, style in ((0, "-"), (1, "--"), (-1, "--")):
        if abs(w[1]) > 1e-12:
            ax.plot(xs, (level - c - w[0] * xs) / w[1], style, color="black", linewidth=1)
        else:
            ax.axvline((level - c) / w[0], linestyle=style, color="black", linewidth=1)
    ax.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), xlabel="x", ylabel="y", title=title, aspect="equal")
    ax.legend()


if separable:
    fig, ax = plt.subplots(figsize=(6, 6))
    draw(ax, w, c, "The widest margin", support, 150 + 600 * multipliers[support] / multipliers.max())
    plt.show()
"""

_SOFT = """
if SOFT or not separable:
    soft = SVC(kernel="linear", C=C / 2, tol=1e-8).fit(POINTS, CLASSES)
    w_soft, c_soft = soft.coef_[0], soft.intercept_[0]
    slack = np.maximum(0, 1 - CLASSES * (POINTS @ w_soft + c_soft))
    soft_multipliers = np.zeros(n)
    soft_multipliers[soft.support_] = 2 * np.abs(soft.dual_coef_[0])
    print("soft a =", repr(float(w_soft[0])))
    print("soft b =", repr(float(w_soft[1])))
    print("soft c =", repr(float(c_soft)))
    print("hinge loss =", repr(float(slack.sum())))
    for i, (lam, xi) in enumerate(zip(soft_multipliers, slack), 1):
        print(f"soft lambda {i} =", repr(float(lam)))
        print(f"slack {i} =", repr(float(xi)))
    fig, ax = plt.subplots(figsize=(6, 6))
    draw(ax, w_soft, c_soft, f"Soft margin, C = {C:g}", soft.support_, 150, np.flatnonzero(slack > 1e-9))
    plt.show()
"""
