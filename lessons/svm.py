"""Lesson 7: the support vector machine as constrained optimisation, solved both ways and checked."""

from __future__ import annotations

from calc_core.notebooks import svm as svm_notebook
from calc_core.svm import dual_nnls, fit_hard_margin, primal_slsqp
from ui.code import show_code
from ui.layout import page_header
from ui.notebook import notebook_download
from ui.prose import say
from ui.task import task_box
from ui.teacher_tools import for_teachers
from ui.views import svm as lesson

page_header(lesson.TEXT.title, 7, say(lesson.TEXT.summary))

lesson.render_points_and_fits()

task = lesson.TEXT.task
task_box(task.key, say(task.prompt), lesson.task_checker, hint=say(task.hint), solution_md=say(task.solution),
         placeholder=task.placeholder)
lesson.render_errata()
notebook_download("svm", "svm", {}, live={key: lesson.CONTROLS[key] for key in svm_notebook.LIVE})

show_code("svm_code", primal_slsqp, dual_nnls, fit_hard_margin)
for_teachers(__file__)
