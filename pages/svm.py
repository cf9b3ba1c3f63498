"""Lesson 7: the support vector machine as constrained optimisation, solved both ways and checked."""

from __future__ import annotations

import re
import warnings
import zlib

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import SVC

from calc_core import svm
from calc_core.csvdata import read_labelled_points
from ui import widgets
from ui.charts import svm as charts
from ui.code import show_code
from ui.errors import user_errors
from ui.layout import course_note, page_header
from ui.task import Verdict, task_box
from ui.teacher import teacher_settings

COURSE_POINTS = "0,0,-1;1,2,1;2,1,1"
TASK_POINTS = COURSE_POINTS + ";-1,-1,-1;-3,-1,-1;3,3,1"
MAX_PAGE_POINTS = 200
MAX_CHARS = 25 * MAX_PAGE_POINTS
RANDOM_POINTS = 24
HARD_REFERENCE_C = 1e6
CSV_MAX_BYTES = 200_000
CACHE = {"max_entries": 64, "ttl": 3600, "show_spinner": False}
PENDING = "svm_pending_points"
CSV_MESSAGE = "svm_csv_message"
COLUMNS = {
    "x": st.column_config.NumberColumn("x", default=0.0, required=True, format="%.4g"),
    "y": st.column_config.NumberColumn("y", default=0.0, required=True, format="%.4g"),
    "class": st.column_config.SelectboxColumn("class", options=[-1, 1], default=1, required=True),
}


@st.cache_data(**CACHE)
def hard_fit(points: str) -> svm.HardMarginResult:
    return svm.fit_hard_margin(*svm.parse_points_text(points, MAX_PAGE_POINTS))


@st.cache_data(**CACHE)
def soft_fit(points: str, C: float) -> svm.SoftMarginResult:
    return svm.fit_soft_margin(*svm.parse_points_text(points, MAX_PAGE_POINTS), C)


@st.cache_data(**CACHE)
def sklearn_line(points: str, C: float) -> tuple[float, float, float]:
    """scikit-learn's linear SVC on the same points: (w₁, w₂, c)."""
    X, y = svm.parse_points_text(points, MAX_PAGE_POINTS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = SVC(kernel="linear", C=C, tol=1e-8, max_iter=10**6).fit(X, y)
    return float(model.coef_[0, 0]), float(model.coef_[0, 1]), float(model.intercept_[0])


@st.cache_data(**CACHE)
def chart_template(with_lines: bool) -> dict:
    return charts.chart_template(with_lines)


def draw_points(**fit) -> None:
    """The points with whatever the fit adds (line, margins, rings, slack crosses, overlap)."""
    template = chart_template(with_lines="w" in fit)
    st.vega_lite_chart(charts.svm_spec(template, X, y, **fit), width="content",
                       alt="Points by class with the separating line, the two margin lines and the support vectors "
                           "ringed.")


def set_points(text: str) -> None:
    st.session_state["svm_points"] = text
    st.session_state.pop(CSV_MESSAGE, None)


def set_random_points(separable: bool) -> None:
    set_points(svm.format_points_text(*svm.random_points(RANDOM_POINTS, separable=separable)))


def load_csv() -> None:
    uploaded = st.session_state.get("svm_csv")
    if uploaded is None:
        return
    try:
        X, y = read_labelled_points(uploaded.getvalue(), max_bytes=CSV_MAX_BYTES, max_rows=MAX_PAGE_POINTS,
                                    label_values=(-1, 1))
    except ValueError as exc:
        st.session_state[CSV_MESSAGE] = str(exc)
        return
    set_points(svm.format_points_text(X, y))
    st.session_state[CSV_MESSAGE] = f"Loaded {len(y)} points from {uploaded.name[:60]}."


def table_to_text(edited: pd.DataFrame, shown: pd.DataFrame) -> str:
    """The edited table as points text; a cleared cell keeps its previous value, a new row gets the defaults."""
    x = edited["x"].astype(float).fillna(shown["x"]).fillna(0.0)
    y = edited["y"].astype(float).fillna(shown["y"]).fillna(0.0)
    label = edited["class"].astype(float).fillna(shown["class"]).fillna(1.0)
    return svm.format_points_text(np.column_stack([x, y]), np.where(label < 0, -1.0, 1.0))


def point_numbers(text: str, count: int) -> set[int]:
    """Point numbers typed as "1, 2 and 5"; only whole numbers from 1 to ``count``."""
    tokens = [t for t in re.split(r"[\s,;]+|\band\b", text.strip()) if t]
    if not tokens or not all(re.fullmatch(r"\d{1,3}", t) and 1 <= int(t) <= count for t in tokens):
        raise ValueError(f"Type point numbers from 1 to {count}, separated by commas, e.g. 2, 5.")
    return {int(t) for t in tokens}


def support_vector_checker(text: str) -> Verdict:
    chosen = point_numbers(text, 6)
    result = hard_fit(TASK_POINTS)
    X, y = svm.parse_points_text(TASK_POINTS)
    values = y * (X @ result.w + result.b)
    support = {int(i) + 1 for i in result.support_indices}
    if chosen == support:
        return Verdict(True, "Correct: (0, 0), (1, 2) and (2, 1) sit on the margin with λ > 0. The three added "
                             "points lie beyond it: their constraints are slack, so λ = 0 and they do not move "
                             "the line.")
    notes = []
    for i in sorted(support - chosen):
        notes.append(f"point {i} ({X[i - 1, 0]:g}, {X[i - 1, 1]:g}) is one: yᵢ(w·xᵢ + c) = 1 there, it sits on "
                     f"the margin with λ = {result.multipliers[i - 1]:.4g}")
    for i in sorted(chosen - support):
        notes.append(f"point {i} ({X[i - 1, 0]:g}, {X[i - 1, 1]:g}) is not: yᵢ(w·xᵢ + c) = {values[i - 1]:.4g} > 1, "
                     "so its λ is 0")
    return Verdict(False, "Not quite: " + "; ".join(notes) + ".")


if PENDING in st.session_state:
    st.session_state["svm_points"] = st.session_state.pop(PENDING)

page_header(
    "Support vector machine: the widest margin",
    7,
    "A line a·x + b·y + c = 0 separates two classes when every point satisfies yᵢ(a xᵢ + b yᵢ + c) ≥ 1, "
    "with class yᵢ = +1 or −1. The gap between the lines where a x + b y + c = ±1 is 2/√(a² + b²), so the "
    "widest gap is the smallest a² + b². Edit the points and watch the primal problem, its dual with one "
    "Lagrange multiplier λᵢ per point, and the optimality conditions that tie them together.",
)
course_note(
    "Two details differ from the course text. Its Lagrangian adds the terms λᵢ·(constraint − 1); for "
    "constraints of the form g ≥ 0 with λᵢ ≥ 0 they are subtracted, L = a² + b² − Σ λᵢ (yᵢ(a xᵢ + b yᵢ + c) − 1), "
    "otherwise every multiplier comes out negative. And the support vectors are the points on the margin, not "
    "the line. The course's code also bounds a, b and c to ±10, which rules out thin margins (|a| or |b| above 10) "
    "and lines far from the origin; this page sets no bounds."
)

teacher = teacher_settings()
frozen = teacher.is_hidden("svm_points") or teacher.is_locked("svm_points")

st.subheader("The points")
buttons = st.columns(5)
buttons[0].button("Course: 3 points", key="svm_preset_course", on_click=set_points, args=(COURSE_POINTS,),
                  disabled=frozen, width="stretch")
buttons[1].button("Course task: 6 points", key="svm_preset_task", on_click=set_points, args=(TASK_POINTS,),
                  disabled=frozen, width="stretch")
buttons[2].button("Random separable", key="svm_preset_random", on_click=set_random_points, args=(True,),
                  disabled=frozen, width="stretch")
buttons[3].button("Not separable", key="svm_preset_overlap", on_click=set_random_points, args=(False,),
                  disabled=frozen, width="stretch")
with buttons[4].popover("Upload CSV", disabled=frozen, width="stretch"):
    st.file_uploader("CSV with columns x, y, label", type=["csv"], key="svm_csv", on_change=load_csv,
                     help=f"A header row x,y,label, then one point per row (at most {MAX_PAGE_POINTS}). "
                          "The smaller label becomes class −1, the larger +1.")
if CSV_MESSAGE in st.session_state:
    message = st.session_state[CSV_MESSAGE]
    (st.success if message.startswith("Loaded") else st.error)(message)

editor_area = st.container()
points_text = widgets.text(
    "Points as text: x, y, class; … (this is what the link keeps)", "svm_points", value=COURSE_POINTS,
    max_chars=MAX_CHARS, help=f"Up to {MAX_PAGE_POINTS} points separated by semicolons; each is x, y and a "
                              "class of −1 or +1. Editing the table rewrites this text.")
with user_errors():
    X, y = svm.parse_points_text(points_text, MAX_PAGE_POINTS)
points = svm.format_points_text(X, y)

if not teacher.is_hidden("svm_points"):
    with editor_area:
        shown = pd.DataFrame({"x": X[:, 0], "y": X[:, 1], "class": y.astype(int)})
        # A new key whenever the points change: the editor's stored edits refer to the table it was given.
        edited = st.data_editor(shown, key=f"svm_editor_{zlib.crc32(points.encode()):08x}", num_rows="dynamic",
                                column_config=COLUMNS, disabled=frozen, width="stretch", hide_index=True)
        if not frozen and not edited.equals(shown):
            new_points = table_to_text(edited, shown)
            if new_points != points:
                st.session_state[PENDING] = new_points
                st.rerun()

with user_errors():
    hard = hard_fit(points)

if hard.separable:
    st.subheader("The widest margin")
    a, b, c = hard.abc
    metrics = st.columns(5)
    metrics[0].metric("a (w₁)", f"{a:.4g}")
    metrics[1].metric("b (w₂)", f"{b:.4g}")
    metrics[2].metric("c (bias)", f"{c:.4g}")
    metrics[3].metric("margin 2/‖w‖", f"{hard.margin:.4g}")
    metrics[4].metric("a² + b²", f"{hard.objective:.4f}", help=f"Objective: {hard.objective_form}")
    (st.success if hard.success else st.warning)(hard.message)
    left, right = st.columns([3, 2])
    with left:
        draw_points(w=hard.w, c=hard.b, multipliers=hard.multipliers, support=hard.support_indices)
        st.caption("Solid: the separating line a x + b y + c = 0. Dashed: the margins where it equals ±1. "
                   "Rings: support vectors, ring area in proportion to λᵢ (with a floor so every one shows).")
    with right:
        st.markdown("**Multipliers λᵢ**, one per constraint")
        st.dataframe(charts.points_frame(X, y, hard.multipliers, margin_values=hard.margin_values),
                     hide_index=True)
        st.caption(f"Support vectors (λᵢ > 0): points {', '.join(str(i + 1) for i in hard.support_indices)}. "
                   f"The multipliers belong to the course's objective a² + b², so 2w = Σ λᵢ yᵢ xᵢ "
                   "(with ½‖w‖² every λᵢ would halve).")
    idle = np.flatnonzero(hard.multipliers == 0)
    if idle.size:
        st.info(f"Points {', '.join(str(i + 1) for i in idle)} have λ = 0: they lie beyond the margin, their "
                "constraints are slack, and moving or deleting them (without crossing a margin line) leaves the "
                "line unchanged. That is why the course's six-point task gives the same line as its three points.")

    st.subheader("Primal and dual, and the KKT check")
    left, right = st.columns(2)
    with left:
        st.markdown(charts.comparison_table(["a (w₁)", "b (w₂)", "c", "objective"], {
            "primal (SLSQP)": [*hard.w, hard.b, hard.objective],
            "dual (from λ)": [*hard.dual_w, hard.dual_b, hard.dual_objective],
        }))
        st.caption(f"Primal: minimise a² + b² subject to every constraint, by SLSQP ({hard.primal_iterations} "
                   "iterations). Dual: maximise Σ λᵢ − ¼‖Σ λᵢ yᵢ xᵢ‖² over λᵢ ≥ 0 with Σ λᵢ yᵢ = 0, solved as "
                   "non-negative least squares; w comes back as ½ Σ λᵢ yᵢ xᵢ. Equal objectives: strong duality.")
    with right:
        st.markdown(charts.kkt_table(hard.kkt))
        st.caption("The Karush–Kuhn–Tucker conditions, checked at the primal line with the dual multipliers. "
                   "Complementary slackness: λᵢ > 0 only where the constraint is active (equal to 1).")

    st.subheader("Reference: scikit-learn")
    with user_errors(stop=False):
        reference = sklearn_line(points, HARD_REFERENCE_C)
        st.markdown(charts.comparison_table(["w₁", "w₂", "c"], {"this page": [a, b, c],
                                                                "SVC(kernel='linear')": list(reference)}))
        st.caption(f"scikit-learn's SVC with C = {HARD_REFERENCE_C:g} stands in for the hard margin. It minimises "
                   "½‖w‖², which has the same minimiser; its dual coefficients are half of these λᵢ.")
    use_soft = widgets.toggle("Also fit a soft margin", "svm_soft")
else:
    st.subheader("No separating line")
    st.warning(hard.message)
    draw_points(overlap=hard.overlap_point)
    st.caption("The diamond is an average of +1 points and also of −1 points: whichever side of a line it falls "
               "on, some point of one class must fall there too.")
    use_soft = True

if use_soft:
    st.subheader("Soft margin: paying for slack")
    st.markdown("Each point may fall short of its margin by a slack ξᵢ ≥ 0 at a price C per unit: minimise "
                "a² + b² + C Σ ξᵢ subject to yᵢ(a xᵢ + b yᵢ + c) ≥ 1 − ξᵢ. Then ξᵢ = max(0, 1 − yᵢ(a xᵢ + b yᵢ + c)), "
                "the hinge loss, and every multiplier is capped: 0 ≤ λᵢ ≤ C.")
    C = widgets.log_slider("C (price of slack)", "svm_C", exponents=(-2, 3), value=1.0)
    with user_errors():
        soft = soft_fit(points, C)
    (st.success if soft.success else st.warning)(soft.message)
    a, b, c = soft.abc
    metrics = st.columns(5)
    metrics[0].metric("a (w₁)", f"{a:.4g}")
    metrics[1].metric("b (w₂)", f"{b:.4g}")
    metrics[2].metric("c (bias)", f"{c:.4g}")
    metrics[3].metric("margin 2/‖w‖", "no line" if np.isinf(soft.margin) else f"{soft.margin:.4g}")
    metrics[4].metric("hinge loss Σ ξᵢ", f"{soft.hinge_loss:.4g}", help=f"Objective: {soft.objective_form}")
    left, right = st.columns([3, 2])
    with left:
        draw_points(w=soft.w, c=soft.b, multipliers=soft.multipliers, support=soft.support_indices, slack=soft.slack)
        st.caption("Crosses: points with slack ξᵢ > 0, inside the margin (0 < ξᵢ ≤ 1) or on the wrong side "
                   "(ξᵢ > 1); they carry λᵢ = C. Rings: every point with λᵢ > 0, area in proportion to λᵢ.")
    with right:
        st.dataframe(charts.points_frame(X, y, soft.multipliers, margin_values=soft.margin_values,
                                         slack=soft.slack), hide_index=True)
    left, right = st.columns(2)
    with left:
        st.markdown(charts.kkt_table(soft.kkt))
        st.caption(f"Primal objective {soft.objective:.6g}, dual objective {soft.dual_objective:.6g} "
                   f"(interior-point method, {soft.iterations} iterations).")
    with right:
        with user_errors(stop=False):
            reference = sklearn_line(points, soft.sklearn_C)
            st.markdown(charts.comparison_table(["w₁", "w₂", "c"], {"this page": [a, b, c],
                                                                    f"SVC(C={soft.sklearn_C:g})": list(reference)}))
            st.caption(f"scikit-learn minimises ½‖w‖² + C Σ ξᵢ, half of this objective when its C is half of "
                       f"ours, so SVC(C = {soft.sklearn_C:g}) finds the same line. When no multiplier lies "
                       "strictly between 0 and C, c is not unique and the two may differ there.")

task_box(
    "svm_task",
    "The course's six-point task adds (−1, −1), (−3, −1) to class −1 and (3, 3) to class +1, numbered 4, 5 and "
    "6 after the three original points, and finds the same line. Which of the six points are support vectors? "
    "Type their numbers, e.g. 2, 5. Load “Course task: 6 points” to check against the table.",
    support_vector_checker,
    hint="A support vector sits exactly on a margin line: yᵢ(a xᵢ + b yᵢ + c) = 1. Work that out for each point "
         "with the course's line 0.667x + 0.667y − 1 = 0.",
    solution_md="Points **1, 2 and 3**: (0, 0), (1, 2) and (2, 1). With a = b = 2/3 and c = −1 each gives "
                "yᵢ(a xᵢ + b yᵢ + c) = 1, so they sit on the margin with λ = 8/9, 4/9 and 4/9. The added points give "
                "7/3, 11/3 and 3: beyond the margin, their constraints are inactive and λ = 0 by complementary "
                "slackness. A point with λ = 0 drops out of 2w = Σ λᵢ yᵢ xᵢ, so it cannot change w or c: the "
                "line stays put.",
    placeholder="1, 2, …",
)

show_code("svm_code", svm._primal_slsqp, svm._dual_nnls, svm.fit_hard_margin)
