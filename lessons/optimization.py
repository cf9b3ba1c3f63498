"""Lesson 6: where the slope is zero — critical points, their kinds, and gradient descent in one and two variables."""

from __future__ import annotations

import streamlit as st

from ui.code import show_code
from ui.controls import draw
from ui.errors import user_errors
from ui.layout import page_header
from ui.prose import say
from ui.task import task_box
from ui.teacher_tools import for_teachers
from ui.views import optimization as lesson

page_header(lesson.TEXT.title, 6, say(lesson.TEXT.summary))

part = draw(lesson.CONTROLS["opt_part"])

if part == lesson.PARTS[0]:
    st.subheader("Critical points of f(x)")
    lesson.function_examples()
    text = lesson.expression_text("opt_f")
    window, restrict = lesson.function_controls()
    with user_errors():
        view = lesson.one_variable_view(text, window, restrict)
    lesson.render_critical_points(view)
    task = lesson.TEXT.task
    task_box(task.key, say(task.prompt), lesson.task_checker, hint=say(task.hint), solution_md=say(task.solution),
             placeholder=task.placeholder)
    lesson.render_descent(view)
else:
    st.subheader("Descent on a surface f(x, y)")
    lesson.surface_examples()
    text = lesson.expression_text("opt2_f", lesson.VARIABLES_2D)
    x_range, y_range = lesson.surface_ranges()
    with user_errors():
        view = lesson.surface_view(text, x_range, y_range)
    lesson.render_paths(view)
    lesson.render_hessian(view)

show_code("opt_code", *lesson.shown_code())
for_teachers(__file__)
