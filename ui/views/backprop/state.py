"""What the backpropagation page works with: its settings, the view its sections draw, and the session's state.

- :class:`Setup` and :class:`Settings`: the values of the controls, read once per run;
- :class:`BackpropView`: the data, the session's training run and the settings behind it, built by
  :func:`ui.views.backprop.view.backprop_view`;
- :class:`PageState`: what a browser session keeps between reruns besides its widgets and its training
  run (which :mod:`ui.training` keeps under ``backprop_run``): the pinned runs and the latest reference
  comparison and sweep, each stored with the settings it was made with. It lives under one key of
  ``st.session_state`` (:data:`STATE_KEY`) and is reached through :func:`page_state`, so no section
  spells a session-state key of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import streamlit as st

from calc_core.mlp import MLP
from ui import training
from ui.charts.backprop import BoundaryGrid

STATE_KEY = "backprop_state"


@dataclass(frozen=True)
class Setup:
    """The data and network settings: widgets outside the training panel, read on a whole-page run."""

    dataset: str
    n_samples: int
    noise: float
    train_share: float
    data_seed: int
    layer_text: str
    activation: str
    weight_seed: int
    course_bug: bool
    features: tuple[str, ...]


@dataclass(frozen=True)
class Settings(Setup):
    """Every setting of the page: the :class:`Setup` and the training panel's own widgets."""

    optimizer: str
    learning_rate: float
    batch_size: int | str
    l2: float
    target: int
    pace: str
    patience: int = 0  # early stopping on the test loss after this many epochs without improvement; 0: off


@dataclass(frozen=True)
class Split:
    """Training and test points (the test part may be empty)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def test_data(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The test points, or ``(None, None)`` when there are none (what :class:`MLP` takes)."""
        return (self.X_test, self.y_test) if len(self.y_test) > 0 else (None, None)


@dataclass(frozen=True)
class BackpropView:
    """Everything the sections draw: the data, the session's run and the settings behind it.

    ``controls`` holds the values of the page's controls; ``network`` and ``live`` are the :class:`MLP`
    keyword arguments they make: those that start a new run when they change, and those the running model
    takes as they are (:meth:`MLP.tweak`).
    """

    controls: Settings
    split: Split
    grid: BoundaryGrid
    run: training.TrainingRun
    hidden: tuple[int, ...]
    features: tuple[str, ...]
    network: dict
    live: dict
    #: The uploaded file and its chosen columns (:class:`ui.views.backprop.data.Upload`), None for a built-in dataset.
    upload: Any = None

    @property
    def pair(self) -> tuple[int, int]:
        """The two input columns the decision boundary is drawn across."""
        return (0, 1) if self.upload is None else self.upload.pair

    @property
    def axis_titles(self) -> tuple[str, str]:
        """The boundary picture's axes: x₁ and x₂, or the names of the uploaded columns drawn."""
        return ("x₁", "x₂") if self.upload is None else tuple(self.upload.features[i] for i in self.pair)

    @property
    def model(self) -> MLP:
        return self.run.model

    @property
    def test_data(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        return self.split.test_data

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (len(self.features), *self.hidden, self.model.n_outputs_)  # K output units for K classes

    @property
    def layer_names(self) -> list[str]:
        return ["input", *(f"hidden {i}" for i in range(1, len(self.hidden) + 1)), "output"]

    @property
    def settings(self) -> dict:
        """MLP keyword arguments of the current settings (without ``epochs``)."""
        return {**self.network, **self.live}

    def train(self, n: int) -> None:
        X_test, y_test = self.test_data
        self.model.train_epochs(self.split.X_train, self.split.y_train, n, X_test=X_test, y_test=y_test)


@dataclass(frozen=True)
class PinnedRun:
    """A finished or paused run kept for comparison: its settings, thinned curves and final metrics."""

    label: str
    settings: dict
    curves: dict
    final: dict


@dataclass(frozen=True)
class Stored:
    """A result and the settings it was made with (``key``): shown only while the settings are the same."""

    key: tuple
    value: Any

    def value_for(self, key: tuple) -> Any:
        """The result if it was made with the settings ``key``, else None."""
        return self.value if self.key == key else None


@dataclass
class PageState:
    """What a browser session keeps for this page between reruns (see the module's docstring).

    Attributes
    ----------
    pinned : list of PinnedRun
        The runs pinned for comparison, at most ``MAX_PINNED_RUNS``; never part of a link.
    reference : Stored or None
        The latest comparison with scikit-learn (a :class:`calc_core.budget.BudgetResult`).
    sweep : Stored or None
        The latest sweep (a :class:`calc_core.mlp.sweep.SweepResult`, or None when no value finished).
    """

    pinned: list[PinnedRun] = field(default_factory=list)
    reference: Stored | None = None
    sweep: Stored | None = None

    def stored_reference(self, key: tuple):
        """The comparison made with the settings ``key``, else None."""
        return self.reference.value_for(key) if self.reference else None

    def has_sweep(self, key: tuple) -> bool:
        """Whether the latest sweep was made with the settings ``key`` (its result may be None)."""
        return self.sweep is not None and self.sweep.key == key


def page_state() -> PageState:
    """This session's :class:`PageState`, created on first use."""
    state = st.session_state.get(STATE_KEY)
    if not isinstance(state, PageState):
        state = st.session_state[STATE_KEY] = PageState()
    return state
