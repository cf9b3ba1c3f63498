"""Lesson 3: the gradient of f(x, y), seen as a surface, a vector field and a scan of every direction."""

from __future__ import annotations

from calc_core.gradients import directional_scan, gradient, gradient_direction
from ui.code import show_code
from ui.errors import user_errors
from ui.expr_input import expression_input, typed_text
from ui.layout import page_header
from ui.prose import say
from ui.task import task_box, vector_checker
from ui.teacher_tools import for_teachers
from ui.views import gradient as lesson

page_header(lesson.TEXT.title, __file__, say(lesson.TEXT.summary))

f = lesson.CONTROLS["grad_f"]
expression_input(f.label, key=f.key, default=f.default, variables=lesson.VARIABLES, presets=lesson.PRESETS)
text = typed_text(f.key, f.default)
x_range, y_range = lesson.ranges()

with user_errors():
    window = lesson.window_view(text, x_range, y_range)
lesson.render_point_sections(window)

task = lesson.TEXT.task
task_box(task.key, say(task.prompt), vector_checker(lesson.TASK_ANSWER), hint=say(task.hint), solution_md=say(task.solution),
         placeholder=task.placeholder)

show_code("grad_code", gradient, directional_scan, gradient_direction)
for_teachers(__file__)
