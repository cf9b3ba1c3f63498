"""The lessons the app serves: one entry per registered page.

``app.py`` builds the navigation from this list and the home page links to
each entry, so a page appears in both places or in neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Lesson:
    number: int
    path: str
    title: str
    icon: str
    section: str
    summary: str
    task: str  # the key of the lesson's task box


SECTIONS = ("Single-variable", "Multivariable", "Machine learning")

LESSONS: list[Lesson] = [
    Lesson(1, "pages/derivatives.py", "Derivatives", ":material/show_chart:", "Single-variable",
           "The derivative as a rate of change and by the rules: tangent, secant, step-by-step rules, step-size error.", "deriv_task"),
    Lesson(2, "pages/integrals.py", "Integrals", ":material/area_chart:", "Single-variable",
           "The integral as a running sum: Riemann sums, convergence, antiderivatives F + C, and improper intervals.", "integ_task"),
    Lesson(3, "pages/gradient.py", "Gradient", ":material/explore:", "Multivariable",
           "The gradient of f(x, y): surface, vector field, level curve and a scan of every direction.", "grad_task"),
    Lesson(4, "pages/jacobian.py", "Jacobian", ":material/grid_on:", "Multivariable",
           "The Jacobian of a vector function: symbolic and numeric, determinant, and the linear map it stands for.", "jac_task"),
    Lesson(5, "pages/backprop.py", "Backpropagation", ":material/hub:", "Machine learning",
           "Train a small network live and see its backward pass as Jacobian products, checked by finite differences.", "backprop_task"),
    Lesson(6, "pages/optimization.py", "Optimization", ":material/trending_down:", "Machine learning",
           "Where f′ = 0: critical points and their kinds, gradient descent, and five optimizers on a surface.", "opt_task"),
    Lesson(7, "pages/svm.py", "Support vector machine", ":material/linear_scale:", "Machine learning",
           "The widest margin as constrained optimisation: primal and dual, Lagrange multipliers, KKT, soft margin.", "svm_task"),
]


def lesson_for(page: str) -> Lesson | None:
    """The lesson a page script serves, given its path (``__file__`` or ``"pages/x.py"``); None for others."""
    name = Path(page).name
    return next((lesson for lesson in LESSONS if Path(lesson.path).name == name), None)
