"""The data behind the page and the :class:`BackpropView` of a set of settings, with the session's run.

The learning rate, L2 strength, batch size and optimizer change the running model (:meth:`MLP.tweak`);
every other setting belongs to the run's key (:mod:`ui.training`), so changing it starts a new run.
"""

from __future__ import annotations

from calc_core.data.csv_points import read_labelled_points
from calc_core.data.datasets import DATASET_TASKS, make_dataset, split_dataset
from calc_core.limits import LARGE_TRAINING_TICK_WORK, TRAINING_TICK_WORK
from calc_core.mlp import MLP, parse_layers, training_work
from calc_core.mlp.features import check_features
from ui import compute, training
from ui.charts import backprop as charts
from ui.views.backprop.data import Upload, loaded, upload_view
from ui.views.backprop.settings import CSV, PACES, PREFIX
from ui.views.backprop.state import BackpropView, Settings, Split


@compute.cached(max_entries=32)
def load_points(dataset: str, n_samples: int, noise: float, data_seed: int, content: bytes | None):
    """The labelled points of a built-in dataset, or of an uploaded CSV file's bytes."""
    if dataset == CSV:
        return read_labelled_points(content)
    return make_dataset(dataset, n_samples=n_samples, noise=noise, random_state=data_seed)


@compute.cached(max_entries=32)
def load_split(dataset: str, n_samples: int, noise: float, data_seed: int, test_share: float,
               content: bytes | None) -> Split:
    X, y = load_points(dataset, n_samples, noise, data_seed, content)
    parts = split_dataset(X, y, test_size=test_share, random_state=data_seed)
    return Split(parts.X_train, parts.y_train, parts.X_test, parts.y_test)


@compute.cached(max_entries=32)
def plot_grid(dataset: str, n_samples: int, noise: float, data_seed: int, content: bytes | None):
    return charts.boundary_grid(load_points(dataset, n_samples, noise, data_seed, content)[0])


def backprop_view(controls: Settings, upload: Upload | None) -> BackpropView:
    """The data, the session's run for these settings (live settings applied) and what the sections need.

    ``upload`` is the analyst's file and chosen columns, or None for a built-in dataset. Raises ``ValueError``
    subclasses with a learner's words for unusable settings.
    """
    hidden = parse_layers(controls.layer_text)
    features = check_features(controls.features)
    c = controls
    test_share = round(1.0 - c.train_share, 2)
    network_features = features
    if upload is None:
        split = load_split(c.dataset, c.n_samples, c.noise, c.data_seed, test_share, None)
        grid = plot_grid(c.dataset, c.n_samples, c.noise, c.data_seed, None)
        data = (c.dataset, c.n_samples, c.noise, c.data_seed)
    else:
        split, grid = upload_view(upload, test_share, c.data_seed)
        data = (CSV, *upload.key)
        if len(upload.features) > 2:  # the plane's features (x₁², sin x₁ …) need two columns
            features, network_features = upload.features, None
    network = {"hidden_layer_sizes": hidden, "activation": c.activation, "random_state": c.weight_seed,
               "course_sigmoid_bug": c.course_bug, "features": network_features}
    task = DATASET_TASKS[c.dataset] if upload is None else loaded(upload).task
    if task != "binary":
        network["task"] = task
    live = {"learning_rate": c.learning_rate, "l2": c.l2, "optimizer": c.optimizer,
            "batch_size": None if c.batch_size == "full" else c.batch_size}
    groups = {"data": data, "split": (test_share, c.data_seed),
              "network": (hidden, c.activation, features, c.course_bug), "seeds": (c.weight_seed,)}

    def start() -> MLP:
        X_test, y_test = split.test_data
        model = MLP(**network, **live, epochs=0).train_epochs(split.X_train, split.y_train, 0, X_test=X_test,
                                                              y_test=y_test)
        model.release_buffers()  # built again by the first tick; a page that is only looked at holds none
        return model

    run = training.current_run(PREFIX, groups, start, release=MLP.release_buffers)
    apply_live_settings(run, live, start)
    view = BackpropView(c, split, grid, run, hidden, features, network, live, upload)
    run.large = tick_work(view) >= LARGE_TRAINING_TICK_WORK
    return view


def apply_live_settings(run: training.TrainingRun, live: dict, start) -> None:
    """Give the running model the live settings; before its first step that is simply a fresh model."""
    model = run.model
    changed = {name: value for name, value in live.items() if getattr(model, name) != value}
    if not changed:
        return
    if model.n_epochs_ == 0:
        run.model = start()
        run.failure = None
    else:
        model.tweak(**changed)


def epoch_work(view: BackpropView) -> int:
    """Work units of one training epoch with the current settings."""
    return training_work(len(view.split.y_train), view.layer_sizes, view.live["batch_size"], 1)


def tick_epochs(view: BackpropView) -> int:
    """Epochs one fragment tick may train: the pace, capped so one tick's work stays under the limit."""
    cap = max(1, TRAINING_TICK_WORK // epoch_work(view))
    pace = PACES[view.controls.pace]
    return cap if pace is None else min(pace, cap)


def tick_work(view: BackpropView) -> int:
    """Work units one fragment tick may do (its epochs; the tick also stops after a quarter of a second)."""
    return tick_epochs(view) * epoch_work(view)
