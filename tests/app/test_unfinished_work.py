"""A result that ran out of time because the machine was busy is not what a link shows for the next hour."""

from __future__ import annotations

from calc_core import budget
from calc_core.budget import WorkerSlots
from calc_core.limits import UNFINISHED_RETRY_AFTER
from tests.app.conftest import run_page
from tests.app.test_derivatives import metrics

# An integrand no other test asks for, so its results are computed here: ∫₀¹ 3x² + 7 dx = 8.
LINK = {"integ_f": "3x^2 + 7 + 0x^5", "integ_a": "0", "integ_b": "1"}


def test_a_link_visited_while_every_worker_was_busy_shows_the_exact_result_once_they_are_free(monkeypatch, retry_clock):
    slots = WorkerSlots(per_owner=1, total=2)
    monkeypatch.setattr(budget, "SLOTS", slots)
    for other_visitor in ("other-1", "other-2"):
        assert slots.acquire(other_visitor, timeout=0)

    busy = run_page("integrals", LINK)
    assert not busy.exception
    assert metrics(busy)["Exact (sympy)"] == "took too long"

    for other_visitor in ("other-1", "other-2"):
        slots.release(other_visitor)
    retry_clock.now += UNFINISHED_RETRY_AFTER / 2
    # Within the retry window the outcome is reused: a run of reruns does not start a worker each.
    assert metrics(run_page("integrals", LINK))["Exact (sympy)"] == "took too long"

    retry_clock.now += UNFINISHED_RETRY_AFTER
    free = run_page("integrals", LINK)
    assert not free.exception
    assert metrics(free)["Exact (sympy)"] == "8"
