"""Lesson 7, the support vector machine: its prose, cached fits and one renderer per section.

The points travel as their text (``"x,y,class;…"``, what the link keeps); every
fit is cached by that text. The text box, the link, the table and a loaded CSV
share one size limit (:data:`calc_core.limits.SVM_POINTS_TEXT_CHARS`), large enough
for every point the page fits, so nothing is ever cut silently. The points and both
fits rerun on their own (``st.fragment``), and moving C reruns only the soft-margin
section inside them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from calc_core import svm
from calc_core.answers import Verdict
from calc_core.data.csv_points import read_labelled_points
from calc_core.limits import SVM_MAX_POINTS, SVM_POINTS_TEXT_CHARS
from calc_core.svm import HARD_REFERENCE_C, HardMarginResult, ReferenceLine, SoftMarginResult
from ui import compute, widgets
from ui.charts import svm as charts
from ui.charts.show import accessible, numbers
from ui.controls import Control, Controls, Kind, LessonText, TaskText, draw
from ui.errata import course_differs
from ui.errors import show_user_error, user_errors
from ui.prose import Points, Prose
from ui.sections import Section, Sections, section
from ui.teacher import teacher_settings

KEY = "svm_points"
COURSE_POINTS = "0,0,-1;1,2,1;2,1,1"
TASK_POINTS = COURSE_POINTS + ";-1,-1,-1;-3,-1,-1;3,3,1"
RANDOM_POINTS = 24
# Session keys: a table edit waiting to become the points text, and the last CSV upload's outcome.
PENDING = "svm_pending_points"
CSV_MESSAGE = "svm_csv_message"
COLUMNS = {
    "x": st.column_config.NumberColumn("x", default=0.0, required=True, format="%.4g"),
    "y": st.column_config.NumberColumn("y", default=0.0, required=True, format="%.4g"),
    "class": st.column_config.SelectboxColumn("class", options=[-1, 1], default=1, required=True),
}

TEXT = LessonText(
    title="Support vector machine: the widest margin",
    summary=Prose(
        "A line a·x + b·y + c = 0 separates the classes yᵢ = ±1 when every point satisfies "
        "yᵢ(a xᵢ + b yᵢ + c) ≥ 1, and the gap between the lines where a x + b y + c = ±1 is 2/√(a² + b²).",
        "So the widest margin is the smallest a² + b²:",
        Points("edit the points and watch the line move.", (KEY,), otherwise="the points below show it."),
    ),
    task=TaskText(
        key="svm_task",
        prompt=Prose("The course's six-point task adds (−1, −1), (−3, −1) to class −1 and (3, 3) to class +1, "
                     "numbered 4, 5 and 6 after the three original points, and finds the same line. Which of the six "
                     "points are support vectors? Type their numbers, e.g. 2, 5.",
                     Points("Load “Course task: 6 points” to check against the table.", (KEY,),
                            ("svm_multipliers",))),
        hint=("A support vector sits exactly on a margin line: yᵢ(a xᵢ + b yᵢ + c) = 1. Work that out for each "
              "point with the course's line 0.667x + 0.667y − 1 = 0."),
        solution=("Points **1, 2 and 3**: (0, 0), (1, 2) and (2, 1). With a = b = 2/3 and c = −1 each gives "
                  "yᵢ(a xᵢ + b yᵢ + c) = 1, so they sit on the margin with λ = 8/9, 4/9 and 4/9. The added points "
                  "give 7/3, 11/3 and 3: beyond the margin, their constraints are inactive and λ = 0 by "
                  "complementary slackness. A point with λ = 0 drops out of 2w = Σ λᵢ yᵢ xᵢ, so it cannot change "
                  "w or c: the line stays put."),
        placeholder="1, 2, …",
    ),
)

# Every control of the page. The buttons, the upload and the table only rewrite the points text.
CONTROLS = Controls(
    Control(KEY, "Points as text: x, y, class; … (this is what the link keeps)", Kind.TEXT, COURSE_POINTS,
            max_chars=SVM_POINTS_TEXT_CHARS,
            help=(f"Up to {SVM_MAX_POINTS} points separated by semicolons; each is x, y and a class of −1 or +1. "
                  "Editing the table rewrites this text.")),
    Control("svm_soft", "Also fit a soft margin", Kind.TOGGLE, False),
    Control("svm_C", "C (price of slack)", Kind.LOG_SLIDER, 1.0, lo=-2, hi=3, step=4),
)
# The parts of the page a teacher may hide: the multipliers name the task's support vectors.
SECTIONS = Sections(
    Section("svm_multipliers", "Multipliers λᵢ and the support vectors"),
    Section("svm_kkt", "Primal and dual, and the KKT check"),
    Section("svm_reference", "Reference: scikit-learn"),
)
COURSE_NOTE = (
    "Two details differ from the course text. Its Lagrangian adds the terms λᵢ·(constraint − 1); for "
    "constraints of the form g ≥ 0 with λᵢ ≥ 0 they are subtracted, L = a² + b² − Σ λᵢ (yᵢ(a xᵢ + b yᵢ + c) − 1), "
    "otherwise every multiplier comes out negative. And the support vectors are the points on the margin, not "
    "the line. The course's code also bounds a, b and c to ±10, which rules out thin margins (|a| or |b| above 10) "
    "and lines far from the origin; this page sets no bounds."
)
CSV_HELP = (f"A header row x,y,label, then one point per row (at most {SVM_MAX_POINTS}). "
            "The smaller label becomes class −1, the larger +1.")
CHART_ALT = "Points by class with the separating line, the two margin lines and the support vectors ringed."
HARD_CAPTION = ("Solid: the separating line a x + b y + c = 0. Dashed: the margins where it equals ±1. "
                "Rings: support vectors, ring area in proportion to λᵢ (with a floor so every one shows).")
PRIMAL_DUAL_CAPTION = ("Primal: minimise a² + b² subject to every constraint, by SLSQP ({iterations} iterations). "
                       "Dual: maximise Σ λᵢ − ¼‖Σ λᵢ yᵢ xᵢ‖² over λᵢ ≥ 0 with Σ λᵢ yᵢ = 0, solved as non-negative "
                       "least squares; w comes back as ½ Σ λᵢ yᵢ xᵢ. Equal objectives: strong duality.")
KKT_CAPTION = ("The Karush–Kuhn–Tucker conditions, checked at the primal line with the dual multipliers. "
               "Complementary slackness: λᵢ > 0 only where the constraint is active (equal to 1).")
HARD_REFERENCE_CAPTION = (f"scikit-learn's SVC with C = {HARD_REFERENCE_C:g} (on the points scaled to unit size) "
                          "stands in for the hard margin. It minimises ½‖w‖², which has the same minimiser; its "
                          "dual coefficients are half of these λᵢ.")
NOT_CONVERGED = ("scikit-learn stopped at its iteration limit before meeting its tolerance, so its line may differ "
                 "from this page's in the last digits.")
OVERLAP_CAPTION = ("The diamond is an average of +1 points and also of −1 points: whichever side of a line it falls "
                   "on, some point of one class must fall there too.")
SOFT_INTRO = ("Each point may fall short of its margin by a slack ξᵢ ≥ 0 at a price C per unit: minimise "
              "a² + b² + C Σ ξᵢ subject to yᵢ(a xᵢ + b yᵢ + c) ≥ 1 − ξᵢ. Then ξᵢ = max(0, 1 − yᵢ(a xᵢ + b yᵢ + c)), "
              "the hinge loss, and every multiplier is capped: 0 ≤ λᵢ ≤ C.")
SOFT_CAPTION = ("Crosses: points with slack ξᵢ > 0, inside the margin (0 < ξᵢ ≤ 1) or on the wrong side "
                "(ξᵢ > 1); they carry λᵢ = C. Rings: every point with λᵢ > 0, area in proportion to λᵢ.")



# --------------------------------------------------------------------------- cached adapters


def points_of(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The points and classes the text holds (at most the page's limit)."""
    return svm.parse_points_text(text, SVM_MAX_POINTS)


@compute.cached
def hard_fit(points: str) -> HardMarginResult:
    """The hard margin by primal and dual, once per points text."""
    return svm.fit_hard_margin(*points_of(points))


@compute.cached
def soft_fit(points: str, C: float) -> SoftMarginResult:
    """The soft margin for one C, once per points text."""
    return svm.fit_soft_margin(*points_of(points), C)


@compute.cached
def reference(points: str, C: float) -> ReferenceLine:
    """scikit-learn's line for the same points, once per points text and C."""
    return svm.reference_line(*points_of(points), C)


@compute.shared
def chart_template(with_lines: bool) -> dict:
    """The chart's layers, built once; each fit only swaps their data."""
    return charts.chart_template(with_lines)


def task_checker(text: str) -> Verdict:
    """The task's checker: point numbers judged against the hard margin of the six points."""
    X, _ = points_of(TASK_POINTS)
    return svm.support_vector_verdict(text, X, hard_fit(TASK_POINTS))


# --------------------------------------------------------------------------- the points: callbacks


def apply_pending_edit() -> None:
    """Move a table edit into the points box; must run before the box is drawn."""
    if PENDING in st.session_state:
        widgets.set_value(KEY, st.session_state.pop(PENDING))


def set_points(text: str) -> None:
    widgets.set_value(KEY, text)
    st.session_state.pop(CSV_MESSAGE, None)


def set_random_points(separable: bool) -> None:
    set_points(svm.format_points_text(*svm.random_points(RANDOM_POINTS, separable=separable)))


def load_csv() -> None:
    """Read the uploaded CSV into the points box, or keep the reason it was refused."""
    uploaded = st.session_state.get("svm_csv")
    if uploaded is None:
        return
    try:
        X, y = read_labelled_points(uploaded.getvalue(), max_rows=SVM_MAX_POINTS, label_values=(-1, 1))
    except ValueError as exc:
        st.session_state[CSV_MESSAGE] = (False, str(exc))
        return
    set_points(svm.format_points_text(X, y))
    st.session_state[CSV_MESSAGE] = (True, f"Loaded {len(y)} points from the file.")


def table_to_text(edited: pd.DataFrame, shown: pd.DataFrame) -> str:
    """The edited table as points text; a cleared cell keeps its previous value, a new row gets the defaults."""
    x = edited["x"].astype(float).fillna(shown["x"]).fillna(0.0)
    y = edited["y"].astype(float).fillna(shown["y"]).fillna(0.0)
    label = edited["class"].astype(float).fillna(shown["class"]).fillna(1.0)
    return svm.format_points_text(np.column_stack([x, y]), np.where(label < 0, -1.0, 1.0))


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class PointsView:
    """The points as read, in the page's own text form, with their hard-margin fit."""

    points: str
    X: np.ndarray
    y: np.ndarray
    hard: HardMarginResult
    # True when the points box holds text the page cannot read and this is the last view it could.
    stale: bool = False


# Session key: the last points text the page could read and fit.
LAST_READ = "svm_points_last_read"
NEEDS_POINTS = "The chart needs points the page can read: correct the points box."


def points_view(text: str, container) -> PointsView | None:
    """Read the points text and fit the hard margin. A refusal is shown (in ``container``, under the box) with
    its reason; the page then keeps the last points it could read in this session, or None before there were
    any."""
    view = None
    with user_errors(stop=False), container:
        X, y = points_of(text)
        points = svm.format_points_text(X, y)
        view = PointsView(points, X, y, hard_fit(points))
    if view is not None:
        st.session_state[LAST_READ] = view.points
        return view
    previous = st.session_state.get(LAST_READ)
    if previous is None:
        return None
    container.caption(f"The chart still shows the last {len(points_of(previous)[1])} points the page could read.")
    X, y = points_of(previous)
    return PointsView(previous, X, y, hard_fit(previous), stale=True)


# --------------------------------------------------------------------------- sections


def points_frozen() -> bool:
    """True when a teacher hid or locked the points."""
    teacher = teacher_settings()
    return teacher.is_hidden(KEY) or teacher.is_locked(KEY)


def render_point_buttons() -> None:
    """The presets, the random sets and the CSV upload, with the upload's outcome."""
    frozen = points_frozen()
    buttons = st.columns(5)
    presets = (("Course: 3 points", "svm_preset_course", set_points, (COURSE_POINTS,)),
               ("Course task: 6 points", "svm_preset_task", set_points, (TASK_POINTS,)),
               ("Random separable", "svm_preset_random", set_random_points, (True,)),
               ("Not separable", "svm_preset_overlap", set_random_points, (False,)))
    for column, (label, key, action, args) in zip(buttons, presets):
        column.button(label, key=key, on_click=action, args=args, disabled=frozen, width="stretch")
    with buttons[4].popover("Upload CSV", disabled=frozen, width="stretch"):
        st.file_uploader("CSV with columns x, y, label", type=["csv"], key="svm_csv", on_change=load_csv,
                         help=CSV_HELP)
    if CSV_MESSAGE in st.session_state:
        loaded, message = st.session_state[CSV_MESSAGE]
        if loaded:
            st.success(message)
        else:
            show_user_error(ValueError(message))


def points_text() -> str:
    """The points box (what the link keeps); says so when a link's points ran over its limit."""
    linked = st.query_params.get_all(KEY)
    if linked and len(linked[-1]) > SVM_POINTS_TEXT_CHARS:
        st.warning(f"The link's points text has {len(linked[-1])} characters, more than the "
                   f"{SVM_POINTS_TEXT_CHARS} this page reads ({SVM_MAX_POINTS} points); it was not used in full.")
    return draw(CONTROLS[KEY])


def render_points_table(view: PointsView, container) -> None:
    """The points as an editable table; an edit rewrites the points text and reruns."""
    if teacher_settings().is_hidden(KEY):
        return
    frozen = points_frozen()
    with container:
        shown = pd.DataFrame({"x": view.X[:, 0], "y": view.X[:, 1], "class": view.y.astype(int)})
        # A new key whenever the points change: the editor's stored edits refer to the table it was given.
        edited = st.data_editor(shown, key=f"svm_editor_{zlib.crc32(view.points.encode()):08x}",
                                num_rows="dynamic", column_config=COLUMNS, disabled=frozen, width="stretch",
                                hide_index=True)
        if not frozen and not edited.equals(shown):
            new_points = table_to_text(edited, shown)
            if new_points != view.points:
                st.session_state[PENDING] = new_points
                st.rerun()


def draw_points(view: PointsView, **fit) -> None:
    """The points with whatever a fit adds (line, margins, rings, slack crosses, overlap)."""
    template = chart_template(with_lines="w" in fit)
    # The chart takes its column's width, so it fits a phone.
    spec = {**charts.svm_spec(template, view.X, view.y, **fit), "width": "container"}
    st.vega_lite_chart(accessible(spec), width="stretch", alt=CHART_ALT)


def render_line_metrics(a: float, b: float, c: float, margin: str, last: tuple[str, str, str]) -> None:
    """Five metrics: the line's coefficients, its margin, and one figure of the objective."""
    metrics = st.columns(5)
    metrics[0].metric("a (w₁)", f"{a:.4g}")
    metrics[1].metric("b (w₂)", f"{b:.4g}")
    metrics[2].metric("c (bias)", f"{c:.4g}")
    metrics[3].metric("margin 2/‖w‖", margin)
    label, value, help_text = last
    metrics[4].metric(label, value, help=help_text)


def render_reference(points: str, C: float, ours: tuple[float, float, float], column_name: str,
                     caption: str) -> None:
    """This page's line beside scikit-learn's, with a note if scikit-learn stopped early."""
    with user_errors(stop=False):
        line = reference(points, C)
        # A data frame scrolls inside its own keyboard-reachable box on a phone; a wide Markdown table would
        # make the whole page scroll sideways.
        st.dataframe(charts.comparison_table(["w₁", "w₂", "c"], {"this page": list(ours),
                                                                 column_name: [*line.w, line.b]}), hide_index=True)
        st.caption(caption)
        if not line.converged:
            st.info(NOT_CONVERGED)


def render_hard_margin(view: PointsView, chart_column) -> None:
    """The widest margin: the line (in ``chart_column``) and its figures; the multipliers, primal against dual,
    the KKT check and scikit-learn each in a box the learner opens."""
    hard = view.hard
    a, b, c = hard.abc
    with chart_column:
        draw_points(view, w=hard.w, c=hard.b, multipliers=hard.multipliers, support=hard.support_indices)
        st.caption(HARD_CAPTION)
    st.subheader("The widest margin")
    (st.success if hard.success else st.warning)(hard.message)
    render_line_metrics(a, b, c, f"{hard.margin:.4g}", ("a² + b²", f"{hard.objective:.4f}",
                                                       f"Objective: {hard.objective_form}"))
    render_multipliers(view)
    render_duality(view)
    render_hard_reference(view)


@section(SECTIONS["svm_multipliers"])
def render_multipliers(view: PointsView) -> None:
    """The multipliers λᵢ, in a box, and which points they make support vectors, or leave idle."""
    hard = view.hard
    with st.expander(SECTIONS["svm_multipliers"].label):
        st.markdown("**Multipliers λᵢ**, one per constraint")
        st.dataframe(charts.points_frame(view.X, view.y, hard.multipliers, margin_values=hard.margin_values),
                     hide_index=True)
        st.caption(f"Support vectors (λᵢ > 0): points {', '.join(map(str, hard.support_numbers))}. "
                   "The multipliers belong to the course's objective a² + b², so 2w = Σ λᵢ yᵢ xᵢ "
                   "(with ½‖w‖² every λᵢ would halve).")
    idle = np.flatnonzero(hard.multipliers == 0)
    if idle.size:
        st.info(f"Points {', '.join(str(i + 1) for i in idle)} have λ = 0: they lie beyond the margin, their "
                "constraints are slack, and moving or deleting them (without crossing a margin line) leaves the "
                "line unchanged. That is why the course's six-point task gives the same line as its three points.")


@section(SECTIONS["svm_kkt"])
def render_duality(view: PointsView) -> None:
    """Primal against dual, and the KKT conditions checked."""
    hard = view.hard
    left, right = st.expander(SECTIONS["svm_kkt"].label).columns(2)
    with left:
        st.dataframe(charts.comparison_table(["a (w₁)", "b (w₂)", "c", "objective"], {
            "primal (SLSQP)": [*hard.w, hard.b, hard.objective],
            "dual (from λ)": [*hard.dual_w, hard.dual_b, hard.dual_objective],
        }), hide_index=True)
        st.caption(PRIMAL_DUAL_CAPTION.format(iterations=hard.primal_iterations))
    with right:
        st.dataframe(charts.kkt_table(hard.kkt), hide_index=True)
        st.caption(KKT_CAPTION)


@section(SECTIONS["svm_reference"])
def render_hard_reference(view: PointsView) -> None:
    """scikit-learn's line for the hard margin beside this page's, in a box."""
    with st.expander(SECTIONS["svm_reference"].label):
        render_reference(view.points, HARD_REFERENCE_C, view.hard.abc, "SVC(kernel='linear')", HARD_REFERENCE_CAPTION)


def render_no_line(view: PointsView, chart_column) -> None:
    """Inseparable points: why no line exists, and the point both classes span."""
    with chart_column:
        draw_points(view, overlap=view.hard.overlap_point)
        st.caption(OVERLAP_CAPTION)
    st.subheader("No separating line")
    st.warning(view.hard.message)
    numbers("svm_numbers", lambda: charts.points_frame(view.X, view.y))


@st.fragment
def render_soft_margin(view: PointsView) -> None:
    """The soft margin for the chosen C; moving C reruns only this section."""
    st.subheader("Soft margin: paying for slack")
    st.markdown(SOFT_INTRO)
    C = draw(CONTROLS["svm_C"])
    soft = None
    with user_errors(stop=False):
        soft = soft_fit(view.points, C)
    if soft is None:
        return
    (st.success if soft.success else st.warning)(soft.message)
    a, b, c = soft.abc
    render_line_metrics(a, b, c, "no line" if np.isinf(soft.margin) else f"{soft.margin:.4g}",
                        ("hinge loss Σ ξᵢ", f"{soft.hinge_loss:.4g}", f"Objective: {soft.objective_form}"))
    left, right = st.columns([3, 2])
    with left:
        draw_points(view, w=soft.w, c=soft.b, multipliers=soft.multipliers, support=soft.support_indices,
                    slack=soft.slack)
        st.caption(SOFT_CAPTION)
    with right:
        st.dataframe(charts.points_frame(view.X, view.y, soft.multipliers, margin_values=soft.margin_values,
                                         slack=soft.slack), hide_index=True)
    left, right = st.expander("Soft margin: the KKT check and the reference").columns(2)
    with left:
        st.dataframe(charts.kkt_table(soft.kkt), hide_index=True)
        st.caption(f"Primal objective {soft.objective:.6g}, dual objective {soft.dual_objective:.6g} "
                   f"(interior-point method, {soft.iterations} iterations).")
    with right:
        render_soft_reference(view.points, soft)


@section(SECTIONS["svm_reference"])
def render_soft_reference(points: str, soft: SoftMarginResult) -> None:
    """scikit-learn's line for the soft margin beside this page's."""
    render_reference(points, soft.sklearn_C, soft.abc, f"SVC(C={soft.sklearn_C:g})",
                         f"scikit-learn minimises ½‖w‖² + C Σ ξᵢ, half of this objective when its C is half of "
                         f"ours, so SVC(C = {soft.sklearn_C:g}) finds the same line. When no multiplier lies "
                         "strictly between 0 and C, c is not unique and the two may differ there.")


@st.fragment
def render_points_and_fits() -> None:
    """The points (buttons, upload, box and table), the hard margin and the soft margin.

    A fragment: every control here changes the points or a fit, and nothing above or below
    depends on them, so a preset button, an upload or the points box reruns this part of the
    page alone (a table edit reruns the whole page, which moves it into the box first).
    """
    apply_pending_edit()
    # The experiment first: the chart, with the points that drive it beside it (below it on a phone).
    chart_column, points_column = st.columns([3, 2])
    with points_column:
        text = points_text()
        editor_area = st.container()
    view = points_view(text, points_column)
    render_point_buttons()
    if view is None:
        chart_column.caption(NEEDS_POINTS)
        return
    if not view.stale:
        # The table edits the box's points: while the box holds unreadable text there is no table to edit.
        render_points_table(view, editor_area)
    if view.hard.separable:
        render_hard_margin(view, chart_column)
        use_soft = draw(CONTROLS["svm_soft"])
    else:
        render_no_line(view, chart_column)
        use_soft = True
    if use_soft:
        render_soft_margin(view)


def render_errata() -> None:
    """The course's Lagrangian sign, its 'support vectors', and its bounds, in the page's errata box."""
    course_differs(COURSE_NOTE)
