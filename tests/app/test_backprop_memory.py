"""What one session of the backpropagation page may hold between ticks (calc_core/limits.py), in the worst case."""

from __future__ import annotations

import gc
import sys
import types

import numpy as np
import pytest

from calc_core.limits import MAX_PINNED_RUNS, MAX_TRAINING_EPOCHS, SESSION_TRAINING_BYTES, TRAINING_SLOTS
from tests.app.conftest import run_page
from ui import training

PAGE = "backprop"
RUN = "backprop_run"
LARGEST = {"backprop_layers": "64,64,64,64,64,64", "backprop_samples": "5000", "backprop_batch": "8",
           "backprop_train_share": "1.0", "backprop_pace": "fast", "backprop_epochs": str(MAX_TRAINING_EPOCHS),
           **{f"backprop_feature_{name}": "true" for name in ("x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2")}}
_SHARED = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.CodeType)


def held_bytes(*roots) -> int:
    """Bytes reachable from ``roots``: each object once, numpy arrays with their data; code, classes and modules
    (shared by every session) left out."""
    seen, stack, total = set(), list(roots), 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _SHARED):
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            base = obj if obj.base is None else obj.base
            if id(base) not in seen:
                seen.add(id(base))
                total += getattr(base, "nbytes", 0) + sys.getsizeof(obj)
            continue
        total += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return total


def session_bytes(at) -> int:
    """Bytes of everything the page keeps in the session's state (widget values included)."""
    return held_bytes(*at.session_state._state.filtered_state.values())


@pytest.mark.parametrize("query, action", [
    (LARGEST, "backprop_train"),
    (LARGEST, None),  # opened and only looked at
    (LARGEST, "backprop_step"),
    # Not a large training (its ticks do less work than LARGE_TRAINING_TICK_WORK), yet 5 MB of work arrays.
    ({"backprop_layers": "64,64", "backprop_samples": "5000", "backprop_pace": "steady"}, "backprop_train"),
], ids=["largest-tick", "largest-opened", "largest-step", "wide-small-tick"])
def test_no_work_arrays_stay_behind_between_ticks(query, action):
    at = run_page(PAGE, query)
    if action:
        at.button(key=action).click()
        at.run()
    assert not at.exception
    run = at.session_state[RUN]
    assert run.large == (query is LARGEST)
    assert run.model.n_epochs_ >= (action is not None)
    assert run.model.release_buffers() == 0, "the work arrays were dropped"
    assert session_bytes(at) <= SESSION_TRAINING_BYTES


def test_a_session_at_every_cap_holds_less_than_its_bound():
    # The longest history (every epoch the page allows), every pin, the largest sweep and a comparison.
    at = run_page(PAGE, {"backprop_samples": "5000", "backprop_train_share": "0.8", "backprop_pace": "fast",
                         "backprop_epochs": str(MAX_TRAINING_EPOCHS), "backprop_sweep_points": "15",
                         "backprop_sweep_seeds": "5"})
    at.button(key="backprop_train").click()
    at.run()
    for _ in range(200):
        if at.session_state[RUN].model.n_epochs_ >= MAX_TRAINING_EPOCHS:
            break
        at.run()  # AppTest fires no timer: each run is one tick
    assert at.session_state[RUN].model.n_epochs_ == MAX_TRAINING_EPOCHS
    for _ in range(MAX_PINNED_RUNS):
        at.button(key="backprop_pin").click()
        at.run()
    assert at.button(key="backprop_pin").disabled
    at.number_input(key="backprop_epochs").set_value(5)
    at.run()
    at.button(key="backprop_sweep_run").click()
    at.run()
    at.button(key="backprop_reference").click()
    at.run()
    assert not at.exception
    assert len(at.session_state["backprop_state"].pinned) == MAX_PINNED_RUNS
    assert len(at.session_state[RUN].model.history_.epoch) == MAX_TRAINING_EPOCHS + 1
    assert at.session_state["backprop_state"].sweep.value is not None
    assert session_bytes(at) <= SESSION_TRAINING_BYTES


def test_a_disconnected_session_lets_go_of_its_work_arrays_and_memo():
    at = run_page(PAGE, {"backprop_samples": "400"})
    at.button(key="backprop_step").click()
    at.run()
    run = at.session_state[RUN]
    assert run.stash and not run.large
    runs = training.SessionRuns("gone", {"backprop": run})
    others = [f"someone {i}" for i in range(TRAINING_SLOTS)]
    held = [owner for owner in others if training.SLOTS.acquire(owner)]
    try:
        assert len(held) == TRAINING_SLOTS and not training.SLOTS.acquire("gone")  # it waits in line
        assert training.SLOTS.ahead_of("later") == 1
        training._session_ended(runs)  # what Streamlit calls when the session disconnects
        assert training.SLOTS.ahead_of("later") == 0, "its place in line went with it"
    finally:
        for owner in held:
            training.SLOTS.release(owner)
    assert not run.stash and run.model.release_buffers() == 0
