"""Every control of the backpropagation page, declared once (:data:`CONTROLS`), and the option tables behind them.

The URL keys, labels, ranges and defaults are those of shared links: a change here breaks links already
sent. Controls whose range depends on the data (the training point, the layer of a width sweep) declare
their widest range and are drawn with the run-time bound as an override (``draw(..., hi=...)``).
"""

from __future__ import annotations

import streamlit as st

from calc_core.data.csv_points import MAX_ROWS
from calc_core.data.datasets import ALL_DATASETS
from calc_core.limits import MAX_TRAINING_EPOCHS
from calc_core.mlp import ACTIVATIONS, DEFAULT_LEARNING_RATE, MAX_LAYERS, MAX_UNITS, OPTIMIZERS
from calc_core.mlp.early_stopping import MAX_PATIENCE
from calc_core.mlp.features import DEFAULT_FEATURES
from calc_core.mlp.sweep import MAX_GRID, MAX_SEEDS, SWEEP_LABELS, SWEEP_PARAMETERS
from ui.controls import Control, Controls, Kind, draw
from ui.sections import Section, Sections

PREFIX = "backprop"
CSV = "csv"
# Option labels double as URL values (?backprop_dataset=moons), so they stay short and readable.
DATASET_LABELS = {CSV: "upload CSV"}
ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": "linear",
                     "leaky_relu": "leaky ReLU"}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "momentum", "adam": "Adam"}
# 1-2-5 steps per decade: a log scale whose stops include the default 0.05 and every tenth of a stop.
LEARNING_RATES = [m * 10.0**e for e in range(-4, 1) for m in (1, 2, 5) if m * 10.0**e <= 1.0]
L2_STRENGTHS = [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
BATCH_SIZES = ["full", 8, 16, 32, 64, 128, 256]
PACES = {"watch": 1, "steady": 5, "fast": None}  # epochs per screen update (None: as many as fit in a tick)
MAX_EPOCHS = MAX_TRAINING_EPOCHS
# Feature toggles: URL keys without punctuation (?backprop_feature_x1_sq=true).
FEATURE_KEYS = {"x1": "backprop_feature_x1", "x2": "backprop_feature_x2", "x1^2": "backprop_feature_x1_sq",
                "x2^2": "backprop_feature_x2_sq", "x1*x2": "backprop_feature_x1x2",
                "sin(x1)": "backprop_feature_sin_x1", "sin(x2)": "backprop_feature_sin_x2"}
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂", "sin(x1)": "sin x₁",
                  "sin(x2)": "sin x₂"}
# A sweep over a setting with fixed stops: the stops, and the default range.
SWEEP_RANGES = {"learning_rate": (LEARNING_RATES, 1e-3, 1.0), "l2": (L2_STRENGTHS[1:], 1e-5, 1e-1),
                "batch_size": (BATCH_SIZES[1:], 8, 256)}


def _g(value) -> str:
    return f"{value:g}"


def sweep_range_keys(parameter: str) -> tuple[str, str]:
    """The URL keys of a sweep's "From" and "To" over ``parameter`` (one of ``SWEEP_RANGES``)."""
    return f"backprop_sweep_{parameter}_from", f"backprop_sweep_{parameter}_to"


CONTROLS = Controls(
    # The data (the page script).
    Control("backprop_dataset", "Dataset", Kind.SELECT, ALL_DATASETS[0], options=(*ALL_DATASETS, CSV),
            format=lambda v: DATASET_LABELS.get(v, v),
            help="Two classes (circles … spiral), three classes (blobs3: three blobs; spiral3: a spiral of three "
                 "arms), or numbers to predict (plane, multi-gaussian: TensorFlow Playground's regression sets)."),
    Control("backprop_samples", "Samples", Kind.SLIDER, 1000, lo=50, hi=5000, step=50),
    Control("backprop_noise", "Noise", Kind.SLIDER, 0.1, lo=0.0, hi=0.5, step=0.01),
    Control("backprop_train_share", "Training share", Kind.SLIDER, 0.8, lo=0.1, hi=1.0, step=0.05,
            help="The rest is held out as test data."),
    Control("backprop_data_seed", "Data seed", Kind.NUMBER, 0, lo=0, hi=9999, step=1,
            help="Draws the points and the train/test split."),
    # The network (the page script).
    Control("backprop_layers", "Hidden layers", Kind.TEXT, "4,3", max_chars=40,
            help=f"Units per hidden layer, separated by commas (up to {MAX_LAYERS} layers of {MAX_UNITS}); "
                 "empty for none."),
    Control("backprop_activation", "Activation", Kind.SELECT, ACTIVATIONS[0], options=tuple(ACTIVATIONS),
            format=lambda v: ACTIVATION_LABELS.get(v, v)),
    Control("backprop_weight_seed", "Weight seed", Kind.NUMBER, 0, lo=0, hi=9999, step=1,
            help="Draws the initial weights and the mini-batch order."),
    Control("backprop_course_bug", "Course's sigmoid derivative 2·σ(1−σ)", Kind.TOGGLE, False,
            help="Reproduce the course's bug in the backward pass."),
    *(Control(key, FEATURE_LABELS[name], Kind.TOGGLE, name in DEFAULT_FEATURES) for name, key in FEATURE_KEYS.items()),
    # The training settings (the training panel; they change the running network).
    Control("backprop_optimizer", "Optimizer", Kind.SELECT, "adam", options=tuple(OPTIMIZERS),
            format=lambda v: OPTIMIZER_LABELS.get(v, v)),
    Control("backprop_batch", "Batch size", Kind.SELECT, "full", options=tuple(BATCH_SIZES)),
    Control("backprop_lr", "Learning rate", Kind.SELECT_SLIDER, DEFAULT_LEARNING_RATE, options=tuple(LEARNING_RATES),
            format=_g),
    Control("backprop_l2", "L2 regularization λ", Kind.SELECT_SLIDER, 0.0, options=tuple(L2_STRENGTHS), format=_g),
    Control("backprop_epochs", "Epochs", Kind.NUMBER, 150, lo=1, hi=MAX_EPOCHS, step=10,
            help="Train stops here; raise it to continue the same run."),
    Control("backprop_pace", "Pace", Kind.SELECT, "steady", options=tuple(PACES),
            help="Epochs per screen update: watch 1, steady 5, fast as many as fit in a quarter of a second. "
                 "The result does not depend on it."),
    Control("backprop_patience", "Early stopping patience", Kind.NUMBER, 0, lo=0, hi=MAX_PATIENCE, step=5,
            help="Stop when the test loss has not improved for this many epochs, and go back to the weights of the "
                 "epoch with the lowest test loss. 0: off."),
    # The backward step: the largest range a CSV file allows, drawn up to the number of training points.
    Control("backprop_sample", "Training point", Kind.SLIDER, 0, lo=0, hi=MAX_ROWS - 1, step=1,
            help="Which training point to push through the network."),
    # The sweep.
    Control("backprop_sweep_param", "Hyperparameter", Kind.SELECT, SWEEP_PARAMETERS[0],
            options=tuple(SWEEP_PARAMETERS), format=lambda p: SWEEP_LABELS[p]),
    *(Control(key, label, Kind.SELECT_SLIDER, default, options=tuple(options), format=_g)
      for parameter, (options, low, high) in SWEEP_RANGES.items()
      for key, label, default in zip(sweep_range_keys(parameter), ("From", "To"), (low, high))),
    # A width sweep: the layer (drawn up to the number of hidden layers) and the range of units.
    Control("backprop_sweep_layer", "Layer", Kind.SLIDER, 1, lo=1, hi=MAX_LAYERS, step=1),
    Control("backprop_sweep_width_from", "Units from", Kind.SLIDER, 1, lo=1, hi=MAX_UNITS, step=1),
    Control("backprop_sweep_width_to", "to", Kind.SLIDER, 16, lo=1, hi=MAX_UNITS, step=1),
    Control("backprop_sweep_points", "Values", Kind.SLIDER, 9, lo=2, hi=MAX_GRID, step=1),
    Control("backprop_sweep_seeds", "Seeds per value", Kind.SLIDER, 3, lo=1, hi=MAX_SEEDS, step=1),
)


# The parts of the page a teacher may hide (``hide=backprop_sweep``), in page order. The one backward step shows
# the layer Jacobian the task asks for.
SECTIONS = Sections(
    Section("backprop_check", "Gradient check"),
    Section("backprop_calculus", "The calculus: one backward step in numbers"),
    Section("backprop_reference", "Reference: scikit-learn"),
    Section("backprop_compare", "Compare runs"),
    Section("backprop_sweep", "Sweep a hyperparameter"),
    Section("backprop_export", "Export"),
)


def selected_features() -> tuple[str, ...]:
    """The feature toggles, in a wrapping row (URL-bound, like every control)."""
    row = st.container(horizontal=True)
    return tuple(name for name, key in FEATURE_KEYS.items() if draw(CONTROLS[key], container=row))
