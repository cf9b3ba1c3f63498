"""Lesson 1: the derivative as a rate of change, and by the rules."""

from __future__ import annotations

from calc_core.differentiation import derivative, finite_difference, step_size_study
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import expression_input, typed_text
from ui.layout import page_header
from ui.task import symbolic_checker, task_box
from ui.views import derivatives as lesson

page_header(lesson.TITLE, 1, lesson.SUMMARY)

expression_input("f(x) =", key=lesson.KEY, default=lesson.DEFAULT_F, presets=lesson.PRESETS)
text = typed_text(lesson.KEY, lesson.DEFAULT_F)
x_range = lesson.range_boxes()

with user_errors():
    function = lesson.function_view(text, x_range)
lesson.render_point_sections(function)
lesson.render_rules(function)

task_box("deriv_task", lesson.TASK_PROMPT, symbolic_checker(lesson.task_answer()), hint=lesson.TASK_HINT,
         solution_md=lesson.TASK_SOLUTION, placeholder=lesson.TASK_PLACEHOLDER)

show_code("deriv_code", derivative, finite_difference, step_size_study)
