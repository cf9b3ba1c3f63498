"""Lesson 1: the derivative as a rate of change, and by the rules."""

from __future__ import annotations

import streamlit as st

from calc_core.differentiation import derivative, finite_difference, step_size_study
from ui import compute
from ui.code import show_code
from ui.errors import literal, user_errors
from ui.layout import page_header
from ui.notebook import notebook_download
from ui.prose import say
from ui.task import symbolic_checker, task_box
from ui.teacher_tools import for_teachers
from ui.views import derivatives as lesson

page_header(lesson.TEXT.title, 1, say(lesson.TEXT.summary))

# The experiment first: x0, δx and the two charts; the function and its range are set just below them.
experiment = st.container()
function_column, low_column, high_column = st.columns([4, 1, 1], vertical_alignment="center")
with function_column:
    text = lesson.function_box()
x_range = lesson.range_boxes((low_column, high_column))

function = None
with experiment:
    shown = text or lesson.last_good_function()
    if shown is None:
        st.info("The charts need a function f(x) the page can read: correct the box f(x) below.")
    else:
        if text is None:
            st.caption(f"The charts show the last function that read, f(x) = {literal(shown)}, until the box "
                       "below reads.")
        with user_errors(stop=False):
            function = lesson.function_view(shown, x_range)
        if function is not None:
            lesson.render_point_sections(function)

task = lesson.TEXT.task
task_box(task.key, say(task.prompt), symbolic_checker(lesson.task_answer()), hint=say(task.hint), solution_md=say(task.solution),
         placeholder=task.placeholder)

if function is not None:
    lesson.render_rules(function)

if function is not None:
    notebook_download("deriv", "derivatives",
                      {"f": compute.expression(function.text), "x_range": function.x_range, "report": function.report},
                      {name: lesson.CONTROLS[f"deriv_{name}"] for name in ("x0", "dx", "scheme")})
show_code("deriv_code", derivative, finite_difference, step_size_study)
for_teachers(__file__)
