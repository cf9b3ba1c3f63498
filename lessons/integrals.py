"""Lesson 2: the integral as a sum of thin strips, and as the reverse of differentiation."""

from __future__ import annotations

import streamlit as st

from calc_core.integration import antiderivative, riemann_sum, running_integral
from ui import compute
from ui.code import show_code
from ui.errata import course_differs
from ui.errors import literal, user_errors
from ui.layout import page_header
from ui.notebook import notebook_download
from ui.prose import say
from ui.task import antiderivative_checker, task_box
from ui.teacher_tools import for_teachers
from ui.views import integrals as lesson

page_header(lesson.TEXT.title, 2, say(lesson.TEXT.summary))

# The experiment first: the rule, n and the strips; the function and [a, b] are set just below them.
experiment = st.container()
function_column, a_column, b_column = st.columns([4, 1, 1], vertical_alignment="center")
with function_column:
    text = lesson.function_box()
interval = lesson.interval_boxes((a_column, b_column))

view = None
with experiment:
    rule = lesson.rule_choice()
    shown = text or lesson.last_good_function()
    if shown is None:
        st.info("The strips need a function f(x) the page can read: correct the box f(x) below.")
    else:
        if text is None:
            st.caption(f"The charts show the last function that read, f(x) = {literal(shown)}, until the box "
                       "below reads.")
        with user_errors(stop=False):
            view = lesson.interval_view(shown, interval)
        if view is not None:
            lesson.render_sums(view, rule)

task = lesson.TEXT.task
task_box(task.key, say(task.prompt), antiderivative_checker(lesson.task_integrand()), hint=say(task.hint),
         solution_md=say(task.solution), placeholder=task.placeholder)

if view is not None:
    lesson.render_running_sum(view, rule)
    lesson.render_rules(view)
course_differs(lesson.COURSE_NOTE)

if view is not None:
    notebook_download("integ", "integrals", {"f": compute.expression(view.text), "interval": view.interval,
                                             "rule": rule, "breaks": view.report.plot_breaks},
                      {name: lesson.CONTROLS[f"integ_{name}"] for name in ("n", "dx", "c")})
show_code("integ_code", riemann_sum, running_integral, antiderivative)
for_teachers(__file__)
