"""Lesson 4, the Jacobian: its prose, cached computations and one renderer per section.

Everything is keyed by the components' text and plain numbers. J and det J are
differentiated and printed in the killable worker; when J is too large (or the
budget runs out) the numbers come from central differences alone, with a note.
Constants (p, q, …) are compiled as arguments, so moving their sliders never
compiles anything again. The learner names the inputs (x, y, z by default; r, θ
or any names the parser reads); a constant's letter taken as an input's name is
an input on this page, not a constant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import streamlit as st
import sympy

from calc_core import jacobians
from calc_core.answers import Verdict
from calc_core.expressions import ExpressionError
from calc_core.expressions.vocabulary import validate_names
from calc_core.jacobians import (
    JacobianFormula,
    JacobianSummary,
    LinearMapPicture,
    check_jacobian_answer,
    jacobian_function,
    linear_map_picture,
    numeric_jacobian,
    stack_components,
    summarize_jacobian,
)
from calc_core.limits import SIMPLIFY_TIMEOUT, SYMBOLIC_TIMEOUT
from ui import compute, latex, widgets
from ui.charts import jacobian as charts
from ui.charts.show import show_chart
from ui.controls import Control, Controls, Kind, LessonText, TaskText, draw
from ui.errata import course_differs
from ui.errors import literal, user_errors
from ui.expr_input import expression_control, expression_input, typed_text
from ui.prose import Points, Prose, say
from ui.sections import Section, Sections, section

ALL_VARIABLES = ("x", "y", "z")
GREEK = {"theta": "θ", "phi": "φ"}  # names the parser also reads from these letters
PARAMETERS = ("p", "q", "r", "s", "t", "u")
FD_STEP = 1e-6
SCALED = {1: "lengths", 2: "areas", 3: "volumes"}
# The examples box is drawn unless one of these is hidden or locked (``widgets.examples``' guards).
EXAMPLE_GUARDS = ("jac_inputs", "jac_outputs", "jac_f1", "jac_var1", "jac_var2", "jac_var3")
# The parts of the page a teacher may hide: "The Jacobian matrix" of the “Task” example is the task's answer.
SECTIONS = Sections(
    Section("jac_matrix", "The Jacobian matrix"),
    Section("jac_determinant", "The determinant"),
    Section("jac_linear_map", "The Jacobian as a linear map"),
    Section("jac_bridge", "From Jacobians to backpropagation"),
)

# The task in the page's first two input names ({a}, {b}); x and y when those clash with its constants.
TASK_PROMPT = (
    "Find the Jacobian of f({a}, {b}) = (σ(p{ta} + q{tb}), σ(r{ta} + s{tb}), σ(t{ta} + u{tb})), where "
    "σ(z) = 1 / (1 + e⁻ᶻ) "
    "and p, q, r, s, t, u are constants. Type it row by row: entries separated by commas, rows by semicolons. "
    "You may write a1, a2, a3 for the three outputs, and sigmoid(…) for σ."
)

TEXT = LessonText(
    title="Jacobian: the derivative of a vector function",
    summary=(
        "The Jacobian J of a function with several inputs and outputs holds its partial derivatives, one row "
        "per output and one column per input. Near a point, J is the function's best linear approximation."
    ),
    task=TaskText(
        key="jac_task",
        prompt=TASK_PROMPT.format(a="x", b="y", ta="x", tb="y"),
        hint=Prose("Use the chain rule on σ(px + qy): its x-derivative is σ′(px + qy) · p, and σ′ = σ(1 − σ).",
                   Points("Pick the “Task” example above to see the matrix for your constants.", EXAMPLE_GUARDS,
                          ("jac_matrix",))),
        solution=r"""With $a_1 = \sigma(px + qy)$, $a_2 = \sigma(rx + sy)$, $a_3 = \sigma(tx + uy)$ and
$\sigma' = \sigma(1 - \sigma)$:

$$J = \begin{bmatrix} p\,a_1(1 - a_1) & q\,a_1(1 - a_1) \\ r\,a_2(1 - a_2) & s\,a_2(1 - a_2) \\
t\,a_3(1 - a_3) & u\,a_3(1 - a_3) \end{bmatrix}$$

Typed: `p a1(1 - a1), q a1(1 - a1); r a2(1 - a2), s a2(1 - a2); t a3(1 - a3), u a3(1 - a3)`.
Each row is the derivative of a sigmoid, σ(1 − σ), times the weights of that output: exactly the step
backpropagation takes through a sigmoid layer in lesson 5.""",
        placeholder="row 1 entries; row 2 entries; row 3 entries",
    ),
)
TASK_PRAISE = "Each row is σ′ = σ(1 − σ) of its output times that output's two weights."

NAME_HELP = ("A letter or a short name such as r, theta (or θ), phi, t or x1. A constant's letter (p … u) "
             "named here is an input, not a constant.")
# Every control of the page. Run time changes only labels: a component box names the inputs, f2(x, y, z), and a
# point slider its input, r₀.
CONTROLS = Controls(
    Control("jac_inputs", "Inputs", Kind.RADIO, 2, options=(1, 2, 3), format=str,
            help="How many inputs f takes; name them in the boxes beside."),
    *(Control(f"jac_var{i}", f"Input {i}", Kind.TEXT, name, max_chars=12, help=NAME_HELP)
      for i, name in enumerate(ALL_VARIABLES, start=1)),
    Control("jac_outputs", "Outputs", Kind.RADIO, 2, options=(1, 2, 3, 4), format=str),
    *(expression_control(f"jac_f{i}", f"f{i}(x, y)", default)
      for i, default in enumerate(("2x y", "x^2 y", "x + y", "x y"), start=1)),
    *(Control(f"jac_{name}", name, Kind.SLIDER, default, lo=-3.0, hi=3.0, step=0.1)
      for name, default in zip(PARAMETERS, (1.0, -1.0, 0.5, 2.0, -1.5, 0.5), strict=True)),
    *(Control(f"jac_{v}0", f"{v}₀", Kind.SLIDER, default, lo=-5.0, hi=5.0, step=0.1)
      for v, default in zip(ALL_VARIABLES, (1.0, 2.0, 0.5), strict=True)),
    Control("jac_radius", "Grid half-width", Kind.SLIDER, 0.3, lo=0.05, hi=2.0, step=0.05),
)
EXAMPLE_KEY = "jac_example"

TASK_COMPONENTS = ("sigmoid(p x + q y)", "sigmoid(r x + s y)", "sigmoid(t x + u y)")
TASK_INPUTS = ("x", "y")
TASK_SHORTHANDS = ("a1", "a2", "a3")
EXAMPLES = {
    "Course example: (2xy, x²y)": (2, ("2x y", "x^2 y")),
    "Task: three sigmoids of weighted sums": (2, TASK_COMPONENTS),
    "Dense layer: W·(x, y) + b": (2, ("p x + q y + r", "s x + t y + u")),
    "Polar to Cartesian: (r cos θ, r sin θ)": (("r", "theta"), ("r cos(theta)", "r sin(theta)")),
    "Singular everywhere: (x + y, 2x + 2y)": (2, ("x + y", "2x + 2y")),
    "Spherical coordinates, 3 → 3": (("r", "theta", "phi"),
                                     ("r sin(theta) cos(phi)", "r sin(theta) sin(phi)", "r cos(theta)")),
    "A scalar field, 3 → 1": (3, ("x y^2 + exp(z)",)),
    "A curve in space, 1 → 3": (1, ("cos(x)", "sin(x)", "x^2 / 4")),
}

NO_FORMULA = ("The formula for J is too large to show here, so the numbers below come from central "
              "differences alone.")
NO_DETERMINANT = "The formula for det J is too large to show here; its value at the point is below."
NOT_SIMPLIFIED = "Simplifying the determinant took too long, so it is shown as computed."
UNDEFINED = ("f or one of its derivatives has no finite value at this point (a logarithm of a negative "
             "number, a division by zero, or a number too large for floating point); those entries read “undefined”.")
BRIDGE = Prose(
    "A dense layer computes z = W a + b. Its Jacobian with respect to a is W itself.",
    Points("Pick the “Dense layer” example: the matrix is the weights p, q, s, t.", EXAMPLE_GUARDS, ("jac_matrix",)),
    "Backpropagation runs the chain rule backwards, so it multiplies the incoming gradient by the transpose: "
    "∂L/∂a = Wᵀ ∂L/∂z. Lesson 5 builds a network this way.",
)
SHRINK_GRID = Points("Shrink the grid and the two agree: J is the best linear approximation of f at the point.",
                     ("jac_radius",), otherwise="J is the best linear approximation of f at the point.")
COURSE_NOTE = ("The course writes the task's f as a row of three sigmoids. It still has three outputs and two "
               "inputs, so by the course's own rule (rows = outputs) its Jacobian is 3 × 2.")
PICTURE_ALT = "A square grid around the point and its image under f and under the linearization."


def constants_for(variables: tuple[str, ...]) -> tuple[str, ...]:
    """The constants p … u that are not named as inputs."""
    return tuple(name for name in PARAMETERS if name not in variables)


def _expressions(texts: tuple[str, ...], variables: tuple[str, ...]):
    return [compute.expression(t, variables, constants_for(variables)) for t in texts]


# --------------------------------------------------------------------------- cached adapters


@compute.shared
def formula(texts: tuple[str, ...], variables: tuple[str, ...]) -> JacobianFormula | None:
    """J differentiated and printed in the killable worker; None when its budget ran out."""
    result = compute.bounded(jacobians.jacobian_formula, _expressions(texts, variables), variables,
                             timeout=SYMBOLIC_TIMEOUT)
    return result.value if result.ok else None


@compute.cached
def determinant(texts: tuple[str, ...], variables: tuple[str, ...]) -> tuple[str, bool]:
    """det J in LaTeX ("" when too long or out of time) and whether it is simplified."""
    J = formula(texts, variables)
    if J is None or J.matrix is None:
        return "", False
    simplified = compute.bounded(jacobians.determinant_latex, J.matrix, True, timeout=SIMPLIFY_TIMEOUT)
    if simplified.ok and simplified.value:
        return simplified.value, True
    as_computed = compute.bounded(jacobians.determinant_latex, J.matrix, False, timeout=SYMBOLIC_TIMEOUT)
    return (as_computed.value if as_computed.ok else ""), False


@compute.shared
def exact_function(texts: tuple[str, ...], variables: tuple[str, ...]):
    """J(point, constants) compiled once from the formula; None when there is no formula to compile."""
    J = formula(texts, variables)
    if J is None or J.matrix is None:
        return None
    return jacobian_function(J.matrix, _expressions(texts, variables), (*variables, *constants_for(variables)))


@compute.cached
def used_constants(texts: tuple[str, ...], variables: tuple[str, ...]) -> tuple[str, ...]:
    """The constants p, q, … that the components use, in alphabetical order."""
    names = {str(s) for e in _expressions(texts, variables) for s in e.free_symbols}
    return tuple(name for name in constants_for(variables) if name in names)


def _vector_function(texts: tuple[str, ...], variables: tuple[str, ...], constants: tuple[float, ...]):
    return stack_components([compute.numeric_function(t, variables, constants_for(variables)) for t in texts],
                            constants)


@compute.cached
def at_point(texts: tuple[str, ...], variables: tuple[str, ...], constants: tuple[float, ...],
             point: tuple[float, ...]) -> tuple[np.ndarray | None, np.ndarray, JacobianSummary]:
    """J(p) from the formulas (None without them), J(p) by central differences, and what J(p) says."""
    compiled = exact_function(texts, variables)
    exact = compiled((*point, *constants)) if compiled is not None else None
    differences = numeric_jacobian(_vector_function(texts, variables, constants), point, h=FD_STEP)
    return exact, differences, summarize_jacobian(exact if exact is not None else differences)


@compute.cached
def picture(texts: tuple[str, ...], variables: tuple[str, ...], constants: tuple[float, ...],
            point: tuple[float, float], radius: float) -> LinearMapPicture:
    """The grid around the point and its images (2 → 2 maps only)."""
    return linear_map_picture(_vector_function(texts, variables, constants), point, radius=radius, h=FD_STEP)


def task_inputs(variables: tuple[str, ...]) -> tuple[str, str]:
    """The task's two inputs: the page's first two names, unless one is missing or is a name the task uses."""
    names = tuple(variables[:2])
    taken = {*PARAMETERS, *TASK_SHORTHANDS}
    return names if len(names) == 2 and not taken & set(names) else TASK_INPUTS


def _shown_name(name: str) -> str:
    """An input's name in prose: θ for theta, φ for phi."""
    return GREEK.get(name, name)


def task_prompt(variables: tuple[str, ...]) -> str:
    """The task, stated in the page's input names."""
    a, b = (_shown_name(n) for n in task_inputs(variables))
    ta, tb = (a, b) if len(a) == len(b) == 1 else (f"·{a}", f"·{b}")
    return TASK_PROMPT.format(a=a, b=b, ta=ta, tb=tb)


@compute.cached(max_entries=256)
def check_task(answer: str, inputs: tuple[str, str] = TASK_INPUTS) -> Verdict:
    """The learner's matrix against the task's Jacobian in ``inputs``, entry by entry (a1, a2, a3 stand for
    the outputs)."""
    components = tuple(_renamed(c, inputs) for c in TASK_COMPONENTS)
    outputs = [compute.expression(c, inputs, PARAMETERS) for c in components]
    verdict = check_jacobian_answer(answer, outputs, inputs, PARAMETERS, TASK_SHORTHANDS)
    return Verdict(True, f"{verdict.message} {TASK_PRAISE}") if verdict.ok else verdict


def _renamed(component: str, inputs: tuple[str, str]) -> str:
    """A task component with x and y replaced by ``inputs``."""
    names = dict(zip(TASK_INPUTS, inputs))
    return re.sub(r"\b[xy]\b", lambda m: names[m.group()], component)


def task_checker(variables: tuple[str, ...]):
    """``check(text)`` for the task box, in the task's inputs for these names."""
    inputs = task_inputs(variables)
    return lambda answer: check_task(answer, inputs)


# --------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class JacobianView:
    """Everything the sections show for one setting of the controls."""

    variables: tuple[str, ...]
    point: tuple[float, ...]
    formula: JacobianFormula | None
    determinant_latex: str
    determinant_simplified: bool
    exact: np.ndarray | None
    differences: np.ndarray
    summary: JacobianSummary

    @property
    def arguments(self) -> str:
        """The inputs in LaTeX (θ for theta)."""
        return ", ".join(latex_name(v) for v in self.variables)

    @property
    def at(self) -> str:
        return ", ".join(f"{c:g}" for c in self.point)


def jacobian_view(texts: tuple[str, ...], variables: tuple[str, ...], constants: tuple[float, ...],
                  point: tuple[float, ...]) -> JacobianView:
    """The lesson's view: J and det J as formulas, J at the point both ways, and what it says."""
    exact, differences, summary = at_point(texts, variables, constants, point)
    det_latex, simplified = determinant(texts, variables) if len(texts) == len(variables) else ("", False)
    return JacobianView(variables, point, formula(texts, variables), det_latex, simplified, exact, differences,
                        summary)


# --------------------------------------------------------------------------- controls and sections


def latex_name(name: str) -> str:
    """An input's name in LaTeX: ``\\theta`` for theta, ``x_{1}`` for x1."""
    return sympy.latex(sympy.Symbol(name))


def _component(i: int) -> Control:
    """The declared box of output ``i`` (from 1)."""
    return CONTROLS[f"jac_f{i}"]


def _fill(name: str) -> dict:
    """An example's inputs (a count, named x, y, z, or the names themselves) and components."""
    inputs, components = EXAMPLES[name]
    names = ALL_VARIABLES[:inputs] if isinstance(inputs, int) else inputs
    return {"jac_inputs": len(names), "jac_outputs": len(components),
            **{f"jac_var{i}": n for i, n in enumerate((*names, *ALL_VARIABLES[len(names):]), start=1)},
            **{_component(i).key: text for i, text in enumerate(components, start=1)}}


def read_names(typed: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The input names as typed (θ read as theta), or x, y, z with what is wrong when they cannot be used.

    Returns the names and a message ("" when they are fine).
    """
    names = tuple(t.strip(" \t").translate(_LETTERS) for t in typed)
    try:
        validate_names(names, "Input")
    except ExpressionError as exc:
        return ALL_VARIABLES[:len(names)], f"{exc} Type a letter or a short name such as r, theta or x1."
    if len(set(names)) != len(names):
        return ALL_VARIABLES[:len(names)], "Give each input its own name, e.g. r and theta."
    return names, ""


_LETTERS = str.maketrans({"θ": "theta", "ϑ": "theta", "φ": "phi", "ϕ": "phi"})


def shape_controls() -> tuple[tuple[str, ...], int]:
    """The examples box, the numbers of inputs and outputs and the inputs' names; returns the input names
    (x, y, z, with a message, when the typed ones cannot be used) and the number of outputs."""
    widgets.examples(EXAMPLE_KEY, list(EXAMPLES), _fill, guards=EXAMPLE_GUARDS,
                     help="Pick an example to fill in the inputs and components below.")
    columns = st.columns([2, 3, 1, 1, 1])
    n_inputs = draw(CONTROLS["jac_inputs"], container=columns[0])
    n_outputs = draw(CONTROLS["jac_outputs"], container=columns[1])
    typed = tuple(draw(CONTROLS[f"jac_var{i}"], container=columns[1 + i]) for i in range(1, n_inputs + 1))
    names, problem = read_names(typed)
    if problem:
        st.error(f"Input names: {literal(problem)} Using {', '.join(names)} meanwhile.")
    return names, n_outputs


# Session key: the last components the page could read, with their input names.
LAST_READ = "jac_last_read"
NEEDS_COMPONENTS = "This part needs components the page can read: correct the marked box above."


def component_boxes(variables: tuple[str, ...], n_outputs: int) -> tuple[str, ...] | None:
    """One expression box per output; returns their texts.

    A box the page cannot read is marked under it and every other box stays; the rest of the page keeps the
    last components it could read with the same inputs and outputs (None before there were any).
    """
    columns = st.columns(n_outputs)
    texts, readable = [], True
    for i in range(1, n_outputs + 1):
        box = _component(i)
        parsed = expression_input(f"f{i}({', '.join(_shown_name(v) for v in variables)})", key=box.key,
                                  default=box.default, variables=variables, parameters=constants_for(variables),
                                  container=columns[i - 1], show_latex=False, stop_on_error=False)
        readable = readable and parsed is not None
        texts.append(typed_text(box.key, box.default))
    if readable:
        st.session_state[LAST_READ] = (tuple(texts), variables)
        return tuple(texts)
    previous = st.session_state.get(LAST_READ)
    if previous is not None and previous[1] == variables and len(previous[0]) == n_outputs:
        st.caption("The page still shows the last components it could read: "
                   + "; ".join(literal(t) for t in previous[0]))
        return previous[0]
    return None


def render_function(texts: tuple[str, ...], variables: tuple[str, ...]) -> None:
    """f as a column vector of its components."""
    shown = [compute.parse(t, variables, constants_for(variables)).latex for t in texts]
    if all(shown):
        vector = latex.bmatrix([[entry] for entry in shown])
        st.latex(rf"f({', '.join(latex_name(v) for v in variables)}) = {vector}")
    else:
        st.caption("f is too long to display as a formula.")


def constant_sliders(texts: tuple[str, ...], variables: tuple[str, ...]) -> tuple[float, ...]:
    """A slider per constant the components use; returns a value for every constant not named as an input."""
    used = used_constants(texts, variables)
    constants = constants_for(variables)
    values = {name: CONTROLS[f"jac_{name}"].default for name in constants}
    if used:
        st.markdown("**Constants**")
        columns = st.columns(len(used))
        for column, name in zip(columns, used, strict=True):
            values[name] = draw(CONTROLS[f"jac_{name}"], container=column)
    return tuple(values[name] for name in constants)


def point_sliders(variables: tuple[str, ...]) -> tuple[float, ...]:
    """One slider per input (the first input's is ``jac_x0`` whatever its name), labelled with the name."""
    st.markdown("**Point**")
    columns = st.columns(3)
    return tuple(draw(CONTROLS[f"jac_{v}0"], container=columns[i], label=f"{_shown_name(name)}₀")
                 for i, (v, name) in enumerate(zip(ALL_VARIABLES, variables)))


@section(SECTIONS["jac_matrix"])
def render_matrix(view: JacobianView) -> None:
    """J as formulas."""
    st.subheader("The Jacobian matrix")
    if view.formula is not None and view.formula.entries:
        st.latex(rf"J({view.arguments}) = {latex.bmatrix(view.formula.entries)}")
    else:
        st.info(NO_FORMULA)
    rows, columns = view.summary.shape
    inputs = ", ".join(_shown_name(v) for v in view.variables)
    st.caption(f"Row i holds the partial derivatives of output fᵢ, column j those with respect to {inputs} in "
               f"turn: {rows} × {columns} here.")


def render_at_point(view: JacobianView) -> None:
    """J at the point from the formulas beside J by central differences."""
    left, right = st.columns(2)
    if view.exact is not None:
        with left:
            st.markdown("**At the point, from the formulas**")
            st.latex(rf"J({view.at}) = {latex.matrix(view.exact, digits=6)}")
    with right:
        st.markdown(f"**By central differences** (h = {FD_STEP:g})")
        st.latex(rf"J \approx {latex.matrix(view.differences, digits=6)}")
    if view.exact is not None:
        both = np.isfinite(view.exact) & np.isfinite(view.differences)
        if both.any():
            st.caption(f"Largest difference between the two: "
                       f"{np.max(np.abs(view.exact - view.differences)[both]):.2e} "
                       "(central differences are accurate to about h²).")
    if not view.summary.is_defined:
        st.warning(UNDEFINED)


@section(SECTIONS["jac_determinant"])
def render_determinant(view: JacobianView) -> None:
    """det J as a formula and at the point, and what it says about the map; the rank when J is not square."""
    summary, n = view.summary, len(view.variables)
    if summary.determinant is None:
        if summary.is_defined:
            st.caption(f"J is not square, so it has no determinant; its rank here is {summary.rank} of "
                       f"{min(summary.shape)} possible.")
        return
    st.subheader("The determinant")
    if view.determinant_latex:
        st.latex(rf"\det J({view.arguments}) = {view.determinant_latex}")
        if not view.determinant_simplified:
            st.caption(NOT_SIMPLIFIED)
    else:
        st.info(NO_DETERMINANT)
    if not summary.is_defined:
        return
    st.latex(rf"\det J({view.at}) = {summary.determinant:.6g}")
    if summary.is_singular:
        st.warning(f"J is singular here (rank {summary.rank} of {n}): near this point f flattens some direction "
                   "to nothing, so it cannot be undone locally.")
    else:
        st.caption(f"Near the point f scales small {SCALED[n]} by |det J| = {abs(summary.determinant):.4g}"
                   + (" and flips orientation." if summary.determinant < 0 else "."))


@section(SECTIONS["jac_linear_map"])
def render_linear_map(texts: tuple[str, ...], constants: tuple[float, ...], view: JacobianView,
                      chart_area) -> None:
    """A grid around the point, its image under f and under the linearization (2 → 2 maps only), drawn in
    ``chart_area``; the grid's size where it is called."""
    radius = draw(CONTROLS["jac_radius"])
    with user_errors(stop=False), chart_area:
        pic = picture(texts, view.variables, constants, view.point, radius)
        show_chart(charts.linear_map_chart(pic), PICTURE_ALT, "jac_numbers_map", width="content")
        ratio = f"{pic.area_ratio:.4g}" if np.isfinite(pic.area_ratio) else "undefined (f is undefined on the border)"
        st.caption(f"**The Jacobian as a linear map.** Left: a square grid around ({view.at}). Right: where f sends it (solid) and where "
                   f"f(p) + J·(q − p) sends it (dashed). {say(SHRINK_GRID)} Signed image area ÷ grid area = {ratio}; det J = "
                   f"{pic.determinant:.4g}.")


AT_POINT = "J at the point: the formulas against central differences"


@st.fragment
def render_numeric_sections(texts: tuple[str, ...] | None, variables: tuple[str, ...]) -> None:
    """Everything the constants and the point drive; moving them reruns only this part of the page.

    The picture of the map (2 → 2) comes first, then the point and constants that move it, then J.
    """
    if texts is None:
        st.caption(NEEDS_COMPONENTS)
        return
    picture_area = st.container()
    point = point_sliders(variables)
    radius_area = st.container()
    constants = constant_sliders(texts, variables)
    render_function(texts, variables)
    view = None
    with user_errors(stop=False):
        view = jacobian_view(texts, variables, constants, point)
    if view is None:
        return
    if (len(variables), len(texts)) == (2, 2):
        with radius_area:
            render_linear_map(texts, constants, view, picture_area)
    render_matrix(view)
    render_determinant(view)
    with st.expander(AT_POINT):
        render_at_point(view)


def render_bridge() -> None:
    """The way on to lesson 5 (a section a teacher may hide)."""
    render_bridge_text()


def render_errata() -> None:
    """The course's row of sigmoids, in the page's errata box."""
    course_differs(COURSE_NOTE)


@section(SECTIONS["jac_bridge"])
def render_bridge_text() -> None:
    st.subheader("From Jacobians to backpropagation")
    st.markdown(say(BRIDGE))
