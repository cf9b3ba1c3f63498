"""Lesson 2: the integral as a sum of thin strips, and as the reverse of differentiation."""

from __future__ import annotations

import streamlit as st

from calc_core.integration import antiderivative, riemann_sum, running_integral
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import expression_input, typed_text
from ui.layout import page_header
from ui.prose import say
from ui.task import antiderivative_checker, task_box
from ui.teacher_tools import for_teachers
from ui.views import integrals as lesson

page_header(lesson.TEXT.title, 2, say(lesson.TEXT.summary))

f = lesson.CONTROLS["integ_f"]
expression_input(f.label, key=f.key, default=f.default, presets=lesson.PRESETS)
text = typed_text(f.key, f.default)
interval = lesson.interval_boxes()

with user_errors():
    view = lesson.interval_view(text, interval)

st.subheader("Strips under the curve: Riemann sums")
rule = lesson.rule_choice()
lesson.render_sums(view, rule)
lesson.render_running_sum(view, rule)
lesson.render_antiderivative(view)

task = lesson.TEXT.task
task_box(task.key, say(task.prompt), antiderivative_checker(lesson.task_integrand()), hint=say(task.hint),
         solution_md=say(task.solution), placeholder=task.placeholder)

show_code("integ_code", riemann_sum, running_integral, antiderivative)
for_teachers(__file__)
