"""Lesson 4: the Jacobian of a vector function, symbolic and numeric, and the linear map it stands for."""

from __future__ import annotations

import numpy as np
import streamlit as st
import sympy

from calc_core.budget import run_with_budget
from calc_core.expressions import parse_expression, to_function
from calc_core.jacobians import (
    jacobian,
    jacobian_at,
    linear_map_picture,
    numeric_jacobian,
    parse_matrix,
    stack_components,
    summarize_jacobian,
)
from ui import widgets
from ui.charts import jacobian as charts
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import expression_input
from ui.layout import course_note, page_header
from ui.task import Verdict, expressions_agree, task_box
from ui.teacher import teacher_settings

ALL_VARIABLES = ("x", "y", "z")
PARAMETERS = ("p", "q", "r", "s", "t", "u")
PARAMETER_DEFAULTS = {"p": 1.0, "q": -1.0, "r": 0.5, "s": 2.0, "t": -1.5, "u": 0.5}
COMPONENT_DEFAULTS = ("2x y", "x^2 y", "x + y", "x y")
POINT_DEFAULTS = {"x": 1.0, "y": 2.0, "z": 0.5}
FD_STEP = 1e-6
CACHE = {"max_entries": 128, "ttl": 3600, "show_spinner": False}

TASK_COMPONENTS = ("sigmoid(p x + q y)", "sigmoid(r x + s y)", "sigmoid(t x + u y)")
TASK_SHORTHANDS = ("a1", "a2", "a3")
EXAMPLES = {
    "Course example: (2xy, x²y)": (2, ("2x y", "x^2 y")),
    "Task: three sigmoids of weighted sums": (2, TASK_COMPONENTS),
    "Dense layer: W·(x, y) + b": (2, ("p x + q y + r", "s x + t y + u")),
    "Polar to Cartesian (x = radius, y = angle)": (2, ("x cos(y)", "x sin(y)")),
    "Singular everywhere: (x + y, 2x + 2y)": (2, ("x + y", "2x + 2y")),
    "Spherical coordinates, 3 → 3": (3, ("x sin(y) cos(z)", "x sin(y) sin(z)", "x cos(y)")),
    "A scalar field, 3 → 1": (3, ("x y^2 + exp(z)",)),
    "A curve in space, 1 → 3": (1, ("cos(x)", "sin(x)", "x^2 / 4")),
}
CUSTOM = "Custom…"


def _apply_example() -> None:
    choice = st.session_state.get("jac_example")
    if choice in EXAMPLES:
        inputs, components = EXAMPLES[choice]
        st.session_state["jac_inputs"] = inputs
        st.session_state["jac_outputs"] = len(components)
        for i, text in enumerate(components, start=1):
            st.session_state[f"jac_f{i}"] = text


@st.cache_data(**CACHE)
def symbolic_view(key: str, variables: tuple[str, ...], _exprs) -> tuple[str, str | None, bool]:
    """LaTeX of J, of det J when square (simplified within a time budget), and whether the budget ran out."""
    J = jacobian(_exprs, variables)
    if not J.is_square:
        return charts.symbolic_matrix_latex(J), None, False
    det = J.det(method="berkowitz")
    simplified = run_with_budget(sympy.simplify, det, timeout=1.5)
    return charts.symbolic_matrix_latex(J), sympy.latex(simplified.value if simplified.ok else det), not simplified.ok


def _substituted(exprs, parameters: tuple[tuple[str, float], ...]):
    values = {sympy.Symbol(name): sympy.Float(value) for name, value in parameters}
    return [e.xreplace(values) for e in exprs]


@st.cache_data(**CACHE)
def numeric_view(key: str, variables: tuple[str, ...], parameters: tuple[tuple[str, float], ...],
                 point: tuple[float, ...], _exprs):
    """f(p), J(p) from the symbolic entries, J(p) by central differences, and what J(p) says."""
    components = _substituted(_exprs, parameters)
    exact = jacobian_at(components, variables, point)
    f = stack_components([to_function(c, variables) for c in components])
    value = f(np.array(point))
    differences = numeric_jacobian(f, point, h=FD_STEP)
    return value, exact, differences, summarize_jacobian(exact)


@st.cache_data(**CACHE)
def picture_view(key: str, parameters: tuple[tuple[str, float], ...], point: tuple[float, float], radius: float,
                 _exprs):
    """The grid around the point and its images (2 → 2 maps only)."""
    f = stack_components([to_function(c, ("x", "y")) for c in _substituted(_exprs, parameters)])
    return linear_map_picture(f, point, radius=radius, h=FD_STEP)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def check_task(text: str) -> Verdict:
    """Compare the learner's matrix with the task's Jacobian entry by entry (a1, a2, a3 stand for the outputs)."""
    names = ("x", "y", *PARAMETERS)
    outputs = [parse_expression(c, ("x", "y"), PARAMETERS) for c in TASK_COMPONENTS]
    expected = jacobian(outputs, ("x", "y"))
    answer = parse_matrix(text, ("x", "y"), (*PARAMETERS, *TASK_SHORTHANDS))
    if (len(answer), len(answer[0])) != expected.shape:
        return Verdict(False, f"Your matrix is {len(answer)} × {len(answer[0])}; this Jacobian is 3 × 2: one row "
                              "per output, one column per input (x, then y).")
    shorthand = dict(zip((sympy.Symbol(a) for a in TASK_SHORTHANDS), outputs, strict=True))
    wrong = [f"row {i + 1}, column {j + 1}" for i in range(3) for j in range(2)
             if not expressions_agree(answer[i][j].xreplace(shorthand), expected[i, j], names).ok]
    if wrong:
        return Verdict(False, f"Not yet: {', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} off. Entry (i, j) "
                              "is the derivative of output i with respect to input j.")
    return Verdict(True, "Correct, entry by entry. Each row is σ′ = σ(1 − σ) of its output times that output's "
                         "two weights.")


page_header(
    "Jacobian: the derivative of a vector function",
    4,
    "A function with several inputs and several outputs has a whole matrix of partial derivatives: one row per "
    "output, one column per input. Near a point that matrix is the best linear approximation of the function, "
    "and for a square matrix its determinant is how much the function stretches areas there.",
)

settings = teacher_settings()
if not any(settings.is_locked(k) or settings.is_hidden(k) for k in ("jac_inputs", "jac_outputs", "jac_f1")):
    st.selectbox("Examples", [CUSTOM, *EXAMPLES], key="jac_example", on_change=_apply_example,
                 help="Pick an example to fill in the inputs and components below.")
columns = st.columns(2)
n_inputs = widgets.radio("Inputs", (1, 2, 3), "jac_inputs", index=1, container=columns[0],
                         format_func=str, help="1: x · 2: x, y · 3: x, y, z")
n_outputs = widgets.radio("Outputs", (1, 2, 3, 4), "jac_outputs", index=1, container=columns[1], format_func=str)
variables = ALL_VARIABLES[:n_inputs]

components = []
columns = st.columns(n_outputs)
for i in range(n_outputs):
    components.append(expression_input(f"f{i + 1}({', '.join(variables)})", key=f"jac_f{i + 1}",
                                       default=COMPONENT_DEFAULTS[i], variables=variables, parameters=PARAMETERS,
                                       container=columns[i], show_latex=False))
key = sympy.srepr(tuple(components)) + repr(variables)

used = [name for name in PARAMETERS if any(sympy.Symbol(name) in c.free_symbols for c in components)]
parameters: tuple[tuple[str, float], ...] = ()
if used:
    st.markdown("**Constants**")
    columns = st.columns(len(used))
    parameters = tuple((name, widgets.slider(name, f"jac_{name}", -3.0, 3.0, PARAMETER_DEFAULTS[name], 0.1,
                                             container=columns[i])) for i, name in enumerate(used))

st.markdown("**Point**")
columns = st.columns(3)
point = tuple(widgets.slider(f"{v}₀", f"jac_{v}0", -5.0, 5.0, POINT_DEFAULTS[v], 0.1, container=columns[i])
              for i, v in enumerate(variables))

arguments = ", ".join(variables)
vector = r"\begin{bmatrix}" + r" \\ ".join(sympy.latex(c) for c in components) + r"\end{bmatrix}"
st.latex(rf"f({arguments}) = {vector}")

with user_errors():
    J_latex, det_latex, det_timed_out = symbolic_view(key, variables, tuple(components))
    value, exact, differences, summary = numeric_view(key, variables, parameters, point, tuple(components))

st.subheader("The Jacobian matrix")
st.latex(rf"J({arguments}) = {J_latex}")
st.caption(f"Row i holds the partial derivatives of output fᵢ, column j those with respect to "
           f"{variables[0] if n_inputs == 1 else ', '.join(variables)} in turn: "
           f"{summary.shape[0]} × {summary.shape[1]} here.")

at_point = ", ".join(f"{c:g}" for c in point)
left, right = st.columns(2)
with left:
    st.markdown("**At the point, from the formulas**")
    st.latex(rf"J({at_point}) = {charts.matrix_latex(exact)}")
with right:
    st.markdown(f"**By central differences** (h = {FD_STEP:g})")
    st.latex(rf"J \approx {charts.matrix_latex(differences)}")
both = np.isfinite(exact) & np.isfinite(differences)
if both.any():
    st.caption(f"Largest difference between the two: {np.max(np.abs(exact - differences)[both]):.2e} "
               "(central differences are accurate to about h²).")
if not summary.is_defined:
    st.warning("f or one of its derivatives has no finite value at this point (a logarithm of a negative "
               "number, a division by zero, or a number too large for floating point); those entries read “undefined”.")

if det_latex is not None:
    st.subheader("The determinant")
    st.latex(rf"\det J({arguments}) = {det_latex}")
    if det_timed_out:
        st.caption("Simplifying the determinant took too long, so it is shown as computed.")
    if summary.is_defined:
        scale = {1: "lengths", 2: "areas", 3: "volumes"}[n_inputs]
        st.latex(rf"\det J({at_point}) = {summary.determinant:.6g}")
        if summary.is_singular:
            st.warning(f"J is singular here (rank {summary.rank} of {n_inputs}): near this point f flattens some "
                       f"direction to nothing, so it cannot be undone locally.")
        else:
            st.caption(f"Near the point f scales small {scale} by |det J| = {abs(summary.determinant):.4g}"
                       + (" and flips orientation." if summary.determinant < 0 else "."))
elif summary.is_defined:
    st.caption(f"J is not square, so it has no determinant; its rank here is {summary.rank} of "
               f"{min(summary.shape)} possible.")

if (n_inputs, n_outputs) == (2, 2):
    st.subheader("The Jacobian as a linear map")
    radius = widgets.slider("Grid half-width", "jac_radius", 0.05, 2.0, 0.3, 0.05)
    with user_errors(stop=False):
        pic = picture_view(key, parameters, point, radius, tuple(components))
        st.vega_lite_chart(charts.linear_map_chart(pic), width="content",
                        alt="A square grid around the point and its image under f and under the linearization.")
        ratio = f"{pic.area_ratio:.4g}" if np.isfinite(pic.area_ratio) else "undefined (f is undefined on the border)"
        st.caption(f"Left: a square grid around ({at_point}). Right: where f sends it (solid) and where "
                   f"f(p) + J·(q − p) sends it (dashed). Shrink the grid and the two agree: J is the best linear "
                   f"approximation of f at the point. Signed image area ÷ grid area = {ratio}; det J = "
                   f"{pic.determinant:.4g}.")

st.subheader("From Jacobians to backpropagation")
st.markdown(
    "A dense layer computes z = W a + b. Its Jacobian with respect to a is W itself (pick the “Dense layer” "
    "example: the matrix is the weights p, q, s, t). Backpropagation runs the chain rule backwards, so it "
    "multiplies the incoming gradient by the transpose: ∂L/∂a = Wᵀ ∂L/∂z. Lesson 5 builds a network this way."
)
course_note("The course writes the task's f as a row of three sigmoids. It still has three outputs and two "
            "inputs, so by the course's own rule (rows = outputs) its Jacobian is 3 × 2.")

task_box(
    "jac_task",
    "Find the Jacobian of f(x, y) = (σ(px + qy), σ(rx + sy), σ(tx + uy)), where σ(z) = 1 / (1 + e⁻ᶻ) and "
    "p, q, r, s, t, u are constants. Type it row by row: entries separated by commas, rows by semicolons. "
    "You may write a1, a2, a3 for the three outputs, and sigmoid(…) for σ.",
    check_task,
    hint="Use the chain rule on σ(px + qy): its x-derivative is σ′(px + qy) · p, and σ′ = σ(1 − σ). "
         "Pick the “Task” example above to see the matrix for your constants.",
    solution_md=r"""With $a_1 = \sigma(px + qy)$, $a_2 = \sigma(rx + sy)$, $a_3 = \sigma(tx + uy)$ and
$\sigma' = \sigma(1 - \sigma)$:

$$J = \begin{bmatrix} p\,a_1(1 - a_1) & q\,a_1(1 - a_1) \\ r\,a_2(1 - a_2) & s\,a_2(1 - a_2) \\
t\,a_3(1 - a_3) & u\,a_3(1 - a_3) \end{bmatrix}$$

Typed: `p a1(1 - a1), q a1(1 - a1); r a2(1 - a2), s a2(1 - a2); t a3(1 - a3), u a3(1 - a3)`.
Each row is the derivative of a sigmoid, σ(1 − σ), times the weights of that output: exactly the step
backpropagation takes through a sigmoid layer in lesson 5.""",
    placeholder="row 1 entries; row 2 entries; row 3 entries",
)

show_code("jac_code", jacobian, numeric_jacobian)
