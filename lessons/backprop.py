"""Lesson 5: a backpropagation playground — train a small network live and look inside its backward pass."""

from __future__ import annotations

import streamlit as st

from calc_core.mlp.answers import check_layer_jacobian
from calc_core.mlp.readable_passes import backward, forward
from ui.code import show_code
from ui.controls import draw
from ui.errata import course_differs
from ui.layout import page_header
from ui.notebook import notebook_download
from ui.prose import say
from ui.task import task_box
from ui.teacher_tools import for_teachers
from ui.views import backprop as lesson
from ui.views.backprop.sessions import render_sessions

page_header(lesson.TEXT.title, __file__, say(lesson.TEXT.summary))

# The experiment first: Train and the live pictures; the data and network that feed them just below.
current = lesson.CurrentView()
panel_area = st.container()
controls = lesson.CONTROLS
with st.container(border=True):
    data_col, net_col = st.columns(2)
    with data_col:
        st.markdown("**Data**")
        dataset = draw(controls["backprop_dataset"])
        choice = lesson.DataChoice(dataset)
        if dataset == lesson.CSV:
            choice = lesson.render_upload()  # None until a file is chosen
        builtin = dataset != lesson.CSV
        n_samples = draw(controls["backprop_samples"], disabled=not builtin)
        noise = draw(controls["backprop_noise"], disabled=not builtin)
        train_share = draw(controls["backprop_train_share"])
        data_seed = draw(controls["backprop_data_seed"])
    with net_col:
        st.markdown("**Network**")
        layer_text = draw(controls["backprop_layers"])
        activation = draw(controls["backprop_activation"])
        weight_seed = draw(controls["backprop_weight_seed"])
        course_bug = draw(controls["backprop_course_bug"])
        st.caption("Input features (what the first layer sees)")
        features = lesson.selected_features()
untrained = lesson.untrained_note(choice)
if choice is None:
    panel_area.info(lesson.CSV_PROMPT)
elif untrained:
    panel_area.info(untrained, icon=":material/info:")
else:
    setup = lesson.Setup(choice.dataset, n_samples, noise, train_share, data_seed, layer_text, activation,
                         weight_seed, course_bug, features)
    with panel_area:
        lesson.render_training_panel(current, setup, choice.upload)
if current.view is not None:
    lesson.render_backward_step(current)
    lesson.render_reference(current)
    lesson.render_compare(current)
    lesson.render_sweep(current)
    lesson.render_export(current)
    render_sessions(current)
    notebook_download("backprop", "backprop", {"current": current})

task = lesson.TEXT.task
task_box(task.key, say(task.prompt), check_layer_jacobian, hint=say(task.hint), solution_md=say(task.solution),
         placeholder=task.placeholder)
course_differs(say(lesson.COURSE_NOTE))
show_code("backprop_code", forward, backward)
for_teachers(__file__)
