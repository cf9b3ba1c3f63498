"""A large training waits, and says so, while the process's training slots are taken; it goes on when one frees."""

from __future__ import annotations

from calc_core.limits import TRAINING_SLOTS
from tests.app.conftest import run_page, shown_text
from ui import training

LARGEST = {"backprop_layers": "64,64,64,64,64,64", "backprop_samples": "5000", "backprop_batch": "8",
           "backprop_pace": "fast", "backprop_epochs": "3000"}


def test_a_large_training_waits_for_a_slot_and_continues_when_one_frees():
    others = [f"other session {i}" for i in range(TRAINING_SLOTS)]
    at = run_page("backprop", LARGEST)
    assert at.session_state["backprop_run"].large
    held = [owner for owner in others if training.SLOTS.acquire(owner)]
    try:
        assert len(held) == TRAINING_SLOTS
        at.button(key="backprop_train").click()
        at.run()
        run = at.session_state["backprop_run"]
        assert not at.exception
        assert run.running and run.waiting and run.model.n_epochs_ == 0
        text = shown_text(at)
        assert "waiting for a training slot" in text
        assert f"at most {TRAINING_SLOTS} large networks at a time" in text and "(it is next)" in text
        at.run()  # another tick: still no slot
        assert at.session_state["backprop_run"].model.n_epochs_ == 0
    finally:
        for owner in held:
            training.SLOTS.release(owner)
        for owner in others:
            training.SLOTS.leave(owner)
    at.run()  # the next tick finds a free slot
    run = at.session_state["backprop_run"]
    assert run.running and not run.waiting and run.model.n_epochs_ >= 1
    assert "waiting for a training slot" not in shown_text(at)


def test_a_small_training_never_waits():
    at = run_page("backprop", {"backprop_samples": "200", "backprop_pace": "steady"})
    others = [f"other session {i}" for i in range(TRAINING_SLOTS + 1)]
    held = [owner for owner in others if training.SLOTS.acquire(owner)]
    try:
        at.button(key="backprop_train").click()
        at.run()
        run = at.session_state["backprop_run"]
        assert not run.large and not run.waiting and run.model.n_epochs_ == 5
    finally:
        for owner in held:
            training.SLOTS.release(owner)
        for owner in others:
            training.SLOTS.leave(owner)
