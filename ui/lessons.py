"""The lessons the app serves: one entry per registered page.

``app.py`` builds the navigation from this list (``st.Page(path, url_path=...)``)
and the home page links to each entry, so a page appears in both places or in
neither. The scripts live in ``lessons/``, a folder Streamlit gives no meaning
of its own; each page's address is the ``url_path`` declared here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Lesson:
    number: int
    path: str  # the script, relative to the app's folder
    url_path: str  # the page's address (``/derivatives``): shared links carry it, so it never changes
    title: str
    icon: str
    section: str
    summary: str
    task: str  # the key of the lesson's task box
    view: str  # the module declaring its controls (``CONTROLS``) and words (``TEXT``)


SECTIONS = ("Single-variable", "Multivariable", "Machine learning")
HOME = "lessons/home.py"  # the default page, served at the app's root URL

LESSONS: list[Lesson] = [
    Lesson(1, "lessons/derivatives.py", "derivatives",
           "Derivatives", ":material/show_chart:", "Single-variable",
           "The derivative as a rate of change and by the rules: tangent, secant, step-by-step rules, step-size error.", "deriv_task",
           "ui.views.derivatives"),
    Lesson(2, "lessons/integrals.py", "integrals",
           "Integrals", ":material/area_chart:", "Single-variable",
           "The integral as a running sum: Riemann sums, convergence, antiderivatives F + C, and improper intervals.", "integ_task",
           "ui.views.integrals"),
    Lesson(3, "lessons/gradient.py", "gradient",
           "Gradient", ":material/explore:", "Multivariable",
           "The gradient of f(x, y): surface, vector field, level curve and a scan of every direction.", "grad_task",
           "ui.views.gradient"),
    Lesson(4, "lessons/jacobian.py", "jacobian",
           "Jacobian", ":material/grid_on:", "Multivariable",
           "The Jacobian of a vector function: symbolic and numeric, determinant, and the linear map it stands for.", "jac_task",
           "ui.views.jacobian"),
    Lesson(5, "lessons/backprop.py", "backprop",
           "Backpropagation", ":material/hub:", "Machine learning",
           "Train a small network live and see its backward pass as Jacobian products, checked by finite differences.", "backprop_task",
           "ui.views.backprop.settings"),
    Lesson(6, "lessons/optimization.py", "optimization",
           "Optimization", ":material/trending_down:", "Machine learning",
           "Where f′ = 0: critical points and their kinds, gradient descent, and the optimizers built on it side by side on a surface.", "opt_task",
           "ui.views.optimization"),
    Lesson(7, "lessons/svm.py", "svm",
           "Support vector machine", ":material/linear_scale:", "Machine learning",
           "The widest margin as constrained optimisation: primal and dual, Lagrange multipliers, KKT, soft margin.", "svm_task",
           "ui.views.svm"),
]


def lesson_for(page: str) -> Lesson | None:
    """The lesson a page script serves, given its path (``__file__`` or ``"lessons/x.py"``); None for others."""
    name = Path(page).name
    return next((lesson for lesson in LESSONS if Path(lesson.path).name == name), None)
