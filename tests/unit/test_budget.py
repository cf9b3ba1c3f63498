"""The time budget for symbolic work: results come back, runaway work is killed."""

from __future__ import annotations

import os
import time

import sympy

from calc_core.budget import run_with_budget

x = sympy.Symbol("x")
SLACK_S = 1.5


def _sleep_forever(_):
    while True:
        time.sleep(0.05)


def _report_pid(_):
    return os.getpid()


def _raise(_):
    raise ValueError("no antiderivative here")


def test_result_is_returned_from_the_worker():
    result = run_with_budget(sympy.integrate, 2 * x, x)
    assert result.ok and not result.timed_out
    assert result.value == x**2


def test_runs_in_another_process():
    result = run_with_budget(_report_pid, None)
    assert result.ok and result.value != os.getpid()


def test_runaway_work_times_out_and_the_worker_is_killed():
    start = time.perf_counter()
    result = run_with_budget(_sleep_forever, None, timeout=0.5)
    elapsed = time.perf_counter() - start
    assert result.timed_out and not result.ok and result.value is None
    assert elapsed < 0.5 + SLACK_S


def test_errors_come_back_as_data():
    result = run_with_budget(_raise, None)
    assert not result.ok and not result.timed_out
    assert "no antiderivative" in result.error
