"""Lesson 2: the integral as a sum of thin strips, and as the reverse of differentiation."""

from __future__ import annotations

import streamlit as st

from calc_core.integration import antiderivative, riemann_sum, running_integral
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import expression_input, typed_text
from ui.layout import page_header
from ui.task import antiderivative_checker, task_box
from ui.views import integrals as lesson

page_header(lesson.TITLE, 2, lesson.SUMMARY)

expression_input("f(x) =", key=lesson.KEY, default=lesson.DEFAULT_F, presets=lesson.PRESETS)
text = typed_text(lesson.KEY, lesson.DEFAULT_F)
interval = lesson.interval_boxes()

with user_errors():
    view = lesson.interval_view(text, interval)

st.subheader("Strips under the curve: Riemann sums")
rule = lesson.rule_choice()
lesson.render_sums(view, rule)
lesson.render_running_sum(view, rule)
lesson.render_antiderivative(view)

task_box("integ_task", lesson.TASK_PROMPT, antiderivative_checker(lesson.task_integrand()), hint=lesson.TASK_HINT,
         solution_md=lesson.TASK_SOLUTION, placeholder=lesson.TASK_PLACEHOLDER)

show_code("integ_code", riemann_sum, running_integral, antiderivative)
