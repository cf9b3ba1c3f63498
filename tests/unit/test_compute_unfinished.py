"""ui.compute keeps a result that a budgeted call left unfinished only for a short retry window."""

from __future__ import annotations

import pytest

from calc_core.budget import run_with_budget
from calc_core.limits import UNFINISHED_RETRY_AFTER
from ui import compute


def _double(value: int) -> int:
    return 2 * value


@pytest.mark.parametrize("store", [compute.cached, compute.shared])
def test_unfinished_results_are_retried_after_the_window_and_finished_ones_kept(store, retry_clock):
    calls = []
    budgets = {"run": 0.0}  # no time at all: the call comes back unfinished

    @store
    def work(value: int) -> int | None:
        calls.append(value)
        result = run_with_budget(_double, value, timeout=budgets["run"])
        return result.value if result.ok else None

    @store
    def built_on_work(value: int) -> str:
        return f"twice {value} is {work(value)}"

    assert built_on_work(21) == "twice 21 is None"
    assert built_on_work(21) == "twice 21 is None" and calls == [21]  # within the window: reused
    budgets["run"] = 60.0
    retry_clock.now += UNFINISHED_RETRY_AFTER + 1
    # Past the window both the unfinished result and what was built on it are computed again.
    assert built_on_work(21) == "twice 21 is 42" and calls == [21, 21]
    retry_clock.now += 10 * UNFINISHED_RETRY_AFTER
    assert built_on_work(21) == "twice 21 is 42" and calls == [21, 21]  # a finished result is kept
    work.clear()
    built_on_work.clear()
