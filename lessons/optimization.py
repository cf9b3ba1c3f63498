"""Lesson 6: where the slope is zero — critical points, their kinds, and gradient descent in one and two variables."""

from __future__ import annotations

import streamlit as st

from calc_core.notebooks import optimization as opt_notebook
from calc_core.optimization import OPTIMIZERS
from ui.code import show_code
from ui.controls import draw
from ui.errors import user_errors
from ui.layout import page_header
from ui.notebook import notebook_download
from ui.prose import say
from ui.task import task_box
from ui.teacher_tools import for_teachers
from ui.views import optimization as lesson

page_header(lesson.TEXT.title, 6, say(lesson.TEXT.summary))

# The part beside the function box on a laptop, above it on a phone.
part_column, function_column = st.columns([2, 3])
part = draw(lesson.CONTROLS["opt_part"], container=part_column, horizontal=True, label_visibility="collapsed")

if part == lesson.PARTS[0]:
    # The experiment first: f, then its curves; the view window, the examples and the table below them.
    text = lesson.expression_text("opt_f", container=function_column)
    charts_area = st.container()
    window, restrict = lesson.function_controls()
    lesson.function_examples()
    view = None
    if text is not None:
        with user_errors(stop=False):
            view = lesson.one_variable_view(text, window, restrict)
    with charts_area:
        lesson.render_critical_points(view)
    task = lesson.TEXT.task
    task_box(task.key, say(task.prompt), lesson.task_checker, hint=say(task.hint), solution_md=say(task.solution),
             placeholder=task.placeholder)
    lesson.render_descent(view)
    lesson.render_errata()
    if text is not None:
        notebook_download("opt", "optimization", {"function": text, "window": window, "restrict": restrict},
                          live={key: lesson.CONTROLS[key] for key in opt_notebook.LIVE_1D})
else:
    text = lesson.expression_text("opt2_f", lesson.VARIABLES_2D, container=function_column)
    paths_area = st.container()
    x_range, y_range = lesson.surface_ranges()
    lesson.surface_examples()
    view = None
    if text is not None:
        with user_errors(stop=False):
            view = lesson.surface_view(text, x_range, y_range)
    with paths_area:
        lesson.render_paths(view)
    lesson.render_hessian(view)
    if text is not None:
        notebook_download("opt", "optimization", {"function": text, "x_range": x_range, "y_range": y_range},
                          live={**{key: lesson.CONTROLS[key] for key in opt_notebook.LIVE_2D},
                                **{c.key: c for o in OPTIMIZERS.values() for c in lesson.optimizer_controls(o)}})

show_code("opt_code", *lesson.shown_code())
for_teachers(__file__)
