"""Training slots: at most K large trainings tick at once, sessions take turns, nobody waits forever."""

from __future__ import annotations

import random

import numpy as np

from calc_core.data.datasets import make_dataset, split_dataset
from calc_core.mlp import MLP
from ui.training import TrainingSlots


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_at_most_k_hold_a_slot_and_a_freed_slot_goes_to_the_oldest_waiter():
    slots = TrainingSlots(2, stale=3.0, forget=60.0, clock=Clock())
    assert slots.acquire("a") and slots.acquire("b")
    assert not slots.acquire("c") and not slots.acquire("d")
    assert slots.busy() == 2 and slots.ahead_of("d") == 1
    slots.release("a")
    assert not slots.acquire("a"), "a just trained: c and d wait longer"
    assert not slots.acquire("d"), "c came first"
    assert slots.acquire("c")
    slots.release("b")
    assert slots.acquire("d")
    assert slots.busy() == 2


def test_sessions_that_keep_asking_take_turns_round_robin():
    slots = TrainingSlots(1, stale=3.0, forget=60.0, clock=Clock())
    rng = random.Random(0)
    served = []
    for _ in range(30):  # a tick period: every session asks once, in any order; the holder trains till its end
        holders = [owner for owner in rng.sample("abcde", 5) if slots.acquire(owner)]
        served += holders
        for owner in holders:
            slots.release(owner)
    counts = {owner: served.count(owner) for owner in "abcde"}
    assert len(served) == 30, "a free slot is never left unused while someone asks"
    assert max(counts.values()) - min(counts.values()) <= 1, counts


def test_a_silent_waiter_stops_holding_up_the_line_but_keeps_its_place():
    clock = Clock()
    slots = TrainingSlots(1, stale=3.0, forget=60.0, clock=clock)
    assert slots.acquire("holder")
    assert not slots.acquire("gone") and not slots.acquire("live")
    slots.release("holder")
    assert not slots.acquire("live"), "gone was first and was heard from just now"
    clock.now = 5.0  # "gone" closed its tab without a word
    assert slots.acquire("live"), "a stale waiter does not hold a free slot"
    slots.release("live")
    # A slow but live session that comes back finds its old place, ahead of later arrivals.
    slots = TrainingSlots(1, stale=3.0, forget=60.0, clock=clock)
    assert slots.acquire("holder")
    assert not slots.acquire("slow")
    clock.now += 10
    assert not slots.acquire("quick")
    assert not slots.acquire("slow")
    slots.release("holder")
    assert not slots.acquire("quick"), "slow's ticket is older"
    assert slots.acquire("slow")


def test_a_waiter_silent_past_the_forget_time_is_dropped_and_leave_drops_at_once():
    clock = Clock()
    slots = TrainingSlots(1, stale=3.0, forget=60.0, clock=clock)
    assert slots.acquire("holder")
    assert not slots.acquire("gone") and not slots.acquire("paused")
    slots.leave("paused")
    assert slots.ahead_of("x") == 1
    clock.now = 61.0
    assert not slots.acquire("x")
    assert slots.ahead_of("x") == 0, "gone was forgotten"
    slots.release("holder")
    assert slots.acquire("x")


def test_release_buffers_frees_the_work_arrays_and_training_goes_on_identically():
    X, y = make_dataset("circles", n_samples=400, noise=0.1, random_state=0)
    parts = split_dataset(X, y, test_size=0.25, random_state=0)
    settings = dict(hidden_layer_sizes=(16, 16), batch_size=8, epochs=0, random_state=1)

    def start() -> MLP:
        return MLP(**settings).train_epochs(parts.X_train, parts.y_train, 0, X_test=parts.X_test, y_test=parts.y_test)

    kept, released = start(), start()
    for _ in range(3):
        kept.train_epochs(parts.X_train, parts.y_train, 1, X_test=parts.X_test, y_test=parts.y_test)
        released.train_epochs(parts.X_train, parts.y_train, 1, X_test=parts.X_test, y_test=parts.y_test)
        assert released.release_buffers() > 300 * 16 * 4, "the training points' activations were held"
        assert released.release_buffers() == 0
    assert np.array_equal(kept.coefs_[0], released.coefs_[0])
    assert np.array_equal(kept.history_.train_loss, released.history_.train_loss)
    assert MLP().release_buffers() == 0
