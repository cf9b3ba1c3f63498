"""Lesson 5: a backpropagation playground — train a small network live and look inside its backward pass."""

from __future__ import annotations

import streamlit as st

from calc_core.data.csv_points import MAX_BYTES
from calc_core.data.datasets import DATASET_NAMES
from calc_core.mlp import ACTIVATIONS, MAX_LAYERS, MAX_UNITS
from calc_core.mlp.answers import check_layer_jacobian
from calc_core.mlp.readable_passes import backward, forward
from ui import widgets
from ui.code import show_code
from ui.layout import course_note, page_header
from ui.task import task_box
from ui.views import backprop as lesson

page_header("Backpropagation playground", 5, lesson.INTRO)
course_note(lesson.COURSE_NOTE)

with st.container(border=True):
    data_col, net_col = st.columns(2)
    with data_col:
        st.markdown("**Data**")
        dataset = widgets.select("Dataset", [*DATASET_NAMES, lesson.CSV], key="backprop_dataset",
                                 format_func=lambda v: lesson.DATASET_LABELS.get(v, v))
        uploaded = None
        if dataset == lesson.CSV:
            uploaded = st.file_uploader(
                "CSV with columns x1, x2, label", type=["csv"], key="backprop_csv",
                max_upload_size=max(1, MAX_BYTES // 1_000_000),
                help="A header row, then one point per row: two numbers and a label 0 or 1.")
        builtin = dataset != lesson.CSV
        n_samples = widgets.slider("Samples", "backprop_samples", 50, 5000, 1000, 50, disabled=not builtin)
        noise = widgets.slider("Noise", "backprop_noise", 0.0, 0.5, 0.1, 0.01, disabled=not builtin)
        train_share = widgets.slider("Training share", "backprop_train_share", 0.1, 1.0, 0.8, 0.05,
                                     help="The rest is held out as test data.")
        data_seed = widgets.number("Data seed", "backprop_data_seed", 0, 9999, 0, 1,
                                   help="Draws the points and the train/test split.")
    with net_col:
        st.markdown("**Network**")
        layer_text = widgets.text("Hidden layers", "backprop_layers", "4,3", max_chars=40,
                                  help=f"Units per hidden layer, separated by commas (up to {MAX_LAYERS} "
                                       f"layers of {MAX_UNITS}); empty for none.")
        activation = widgets.select("Activation", ACTIVATIONS, key="backprop_activation",
                                    format_func=lambda v: lesson.ACTIVATION_LABELS.get(v, v))
        weight_seed = widgets.number("Weight seed", "backprop_weight_seed", 0, 9999, 0, 1,
                                     help="Draws the initial weights and the mini-batch order.")
        course_bug = widgets.toggle("Course's sigmoid derivative 2·σ(1−σ)", "backprop_course_bug",
                                    help="Reproduce the course's bug in the backward pass.")
        st.caption("Input features (what the first layer sees)")
        features = lesson.selected_features()
if dataset == lesson.CSV and uploaded is None:
    st.info("Upload a CSV file to train on your own points, or pick a built-in dataset.")
    st.stop()
setup = lesson.Setup(dataset, n_samples, noise, train_share, data_seed, layer_text, activation, weight_seed,
                     course_bug, features)
current = lesson.CurrentView()
lesson.render_training_panel(current, setup, None if uploaded is None else uploaded.getvalue())
lesson.render_backward_step(current)
lesson.render_reference(current)
lesson.render_compare(current)
lesson.render_sweep(current)
lesson.render_export(current)

task_box("backprop_task", lesson.TASK_QUESTION, check_layer_jacobian, hint=lesson.TASK_HINT,
         solution_md=lesson.TASK_SOLUTION, placeholder="e.g. self.X[l]")
show_code("backprop_code", forward, backward)
