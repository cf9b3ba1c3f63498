"""Lesson 4: the Jacobian of a vector function, symbolic and numeric, and the linear map it stands for."""

from __future__ import annotations

from calc_core.jacobians import jacobian, numeric_jacobian
from ui.code import show_code
from ui.layout import page_header
from ui.task import task_box
from ui.views import jacobian as lesson

page_header(lesson.TITLE, __file__, lesson.SUMMARY)

variables, n_outputs = lesson.shape_controls()
texts = lesson.component_boxes(variables, n_outputs)
lesson.render_numeric_sections(texts, variables)
lesson.render_bridge()

task_box("jac_task", lesson.TASK_PROMPT, lesson.check_task, hint=lesson.TASK_HINT,
         solution_md=lesson.TASK_SOLUTION, placeholder=lesson.TASK_PLACEHOLDER)

show_code("jac_code", jacobian, numeric_jacobian)
