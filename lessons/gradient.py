"""Lesson 3: the gradient of f(x, y), seen as a surface, a vector field and a scan of every direction."""

from __future__ import annotations

import streamlit as st

from calc_core.gradients import directional_scan, gradient, gradient_direction
from ui import compute
from ui.code import show_code
from ui.errors import literal, user_errors
from ui.layout import page_header
from ui.notebook import notebook_download
from ui.prose import say
from ui.task import task_box, vector_checker
from ui.teacher_tools import for_teachers
from ui.views import gradient as lesson

page_header(lesson.TEXT.title, __file__, say(lesson.TEXT.summary))

# The experiment first: the point and the pictures; the function and its window are set just below them.
experiment = st.container()
text = lesson.function_box()
x_range, y_range = lesson.ranges()

with experiment:
    shown = text or lesson.last_good_function()
    if shown is None:
        st.info("The pictures need a function f(x, y) the page can read: correct the box f(x, y) below.")
    else:
        if text is None:
            st.caption(f"The pictures show the last function that read, f(x, y) = {literal(shown)}, until the box "
                       "below reads.")
        window = None
        with user_errors(stop=False):
            window = lesson.window_view(shown, x_range, y_range)
        if window is not None:
            lesson.render_point_sections(window)

task = lesson.TEXT.task
task_box(task.key, say(task.prompt), vector_checker(lesson.TASK_ANSWER), hint=say(task.hint), solution_md=say(task.solution),
         placeholder=task.placeholder)

lesson.render_course_note()
if shown is not None and window is not None:
    notebook_download("grad", "gradient", {"f": compute.expression(window.text, lesson.VARIABLES),
                                           "x_range": window.x_range, "y_range": window.y_range},
                      {name: lesson.CONTROLS[f"grad_{name}"] for name in ("x0", "y0", "step")})
show_code("grad_code", gradient, directional_scan, gradient_direction)
for_teachers(__file__)
