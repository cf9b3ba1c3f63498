"""Lesson 6: where the slope is zero — critical points, their kinds, and gradient descent in one and two variables."""

from __future__ import annotations

import streamlit as st

from ui import widgets
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import expression_input, typed_text
from ui.layout import page_header
from ui.task import task_box
from ui.views import optimization as lesson

page_header(lesson.TITLE, 6, lesson.SUMMARY)

part = widgets.radio("Part", lesson.PARTS, key="opt_part")

if part == lesson.PARTS[0]:
    st.subheader("Critical points of f(x)")
    lesson.function_examples()
    expression_input("f(x)", key="opt_f", default=lesson.DEFAULT_F)
    text = typed_text("opt_f", lesson.DEFAULT_F)
    window, restrict = lesson.function_controls()
    with user_errors():
        view = lesson.one_variable_view(text, window, restrict)
    lesson.render_critical_points(view)
    task_box("opt_task", lesson.TASK_PROMPT, lesson.task_checker, hint=lesson.TASK_HINT,
             solution_md=lesson.TASK_SOLUTION, placeholder=lesson.TASK_PLACEHOLDER)
    lesson.render_descent(view)
else:
    st.subheader("Descent on a surface f(x, y)")
    lesson.surface_examples()
    expression_input("f(x, y)", key="opt2_f", default=lesson.DEFAULT_SURFACE, variables=lesson.VARIABLES_2D)
    text = typed_text("opt2_f", lesson.DEFAULT_SURFACE)
    x_range, y_range = lesson.surface_ranges()
    with user_errors():
        view = lesson.surface_view(text, x_range, y_range)
    lesson.render_paths(view)
    lesson.render_hessian(view)

show_code("opt_code", *lesson.shown_code())
