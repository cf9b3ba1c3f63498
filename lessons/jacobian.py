"""Lesson 4: the Jacobian of a vector function, symbolic and numeric, and the linear map it stands for."""

from __future__ import annotations

import streamlit as st

from calc_core.jacobians import jacobian, numeric_jacobian
from ui import compute
from ui.code import show_code
from ui.layout import page_header
from ui.notebook import notebook_download
from ui.prose import say
from ui.task import task_box
from ui.teacher_tools import for_teachers
from ui.views import jacobian as lesson

page_header(lesson.TEXT.title, __file__, say(lesson.TEXT.summary))

# The experiment first: the components, then the picture of the map; the examples, the numbers of inputs and
# outputs and the inputs' names (which the boxes' labels need) below them.
boxes_area = st.container()
numbers_area = st.container()
with st.container(border=True):
    variables, n_outputs = lesson.shape_controls()
with boxes_area:
    texts = lesson.component_boxes(variables, n_outputs)
with numbers_area:
    lesson.render_numeric_sections(texts, variables)
lesson.render_bridge()

task = lesson.TEXT.task
task_box(task.key, lesson.task_prompt(variables), lesson.task_checker(variables), hint=say(task.hint),
         solution_md=say(task.solution), placeholder=task.placeholder)
lesson.render_errata()

if texts is not None:
    notebook_download("jac", "jacobian",
                      {"components": tuple(compute.expression(t, variables, lesson.constants_for(variables))
                                           for t in texts), "variables": variables},
                      {name: lesson.CONTROLS[f"jac_{name}"] for name in (*lesson.PARAMETERS, "x0", "y0", "z0",
                                                                          "radius")})
show_code("jac_code", jacobian, numeric_jacobian)
for_teachers(__file__)
