"""Lesson 7: the support vector machine as constrained optimisation, solved both ways and checked."""

from __future__ import annotations

import streamlit as st

from calc_core.svm import dual_nnls, fit_hard_margin, primal_slsqp
from ui import widgets
from ui.code import show_code
from ui.layout import course_note, page_header
from ui.task import task_box
from ui.views import svm as lesson

lesson.apply_pending_edit()

page_header(lesson.TITLE, 7, lesson.SUMMARY)
course_note(lesson.COURSE_NOTE)

st.subheader("The points")
lesson.render_point_buttons()
editor_area = st.container()
view = lesson.points_view(lesson.points_text())
lesson.render_points_table(view, editor_area)

if view.hard.separable:
    lesson.render_hard_margin(view)
    use_soft = widgets.toggle("Also fit a soft margin", "svm_soft")
else:
    lesson.render_no_line(view)
    use_soft = True
if use_soft:
    lesson.render_soft_margin(view)

task_box("svm_task", lesson.TASK_PROMPT, lesson.task_checker, hint=lesson.TASK_HINT,
         solution_md=lesson.TASK_SOLUTION, placeholder="1, 2, …")

show_code("svm_code", primal_slsqp, dual_nnls, fit_hard_margin)
