"""Lesson 1: the derivative as a rate of change, and by the rules."""

from __future__ import annotations

from calc_core.differentiation import derivative, finite_difference, step_size_study
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import expression_input, typed_text
from ui.layout import page_header
from ui.prose import say
from ui.task import symbolic_checker, task_box
from ui.teacher_tools import for_teachers
from ui.views import derivatives as lesson

page_header(lesson.TEXT.title, 1, say(lesson.TEXT.summary))

f = lesson.CONTROLS["deriv_f"]
expression_input(f.label, key=f.key, default=f.default, presets=lesson.PRESETS)
text = typed_text(f.key, f.default)
x_range = lesson.range_boxes()

with user_errors():
    function = lesson.function_view(text, x_range)
lesson.render_point_sections(function)
lesson.render_rules(function)

task = lesson.TEXT.task
task_box(task.key, say(task.prompt), symbolic_checker(lesson.task_answer()), hint=say(task.hint), solution_md=say(task.solution),
         placeholder=task.placeholder)

show_code("deriv_code", derivative, finite_difference, step_size_study)
for_teachers(__file__)
