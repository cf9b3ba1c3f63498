"""What starting a killable worker costs, forked from the server process or from the fork server.

Usage: python benchmarks/worker_start.py [--calls 40]

Loads what a server process holds (sympy, numpy, scikit-learn, the lessons' modules), then times
``run_with_budget`` on a trivial function, ``--calls`` times for each way of starting a worker:

- ``fork``: the worker is forked from this (threaded) process itself, as the lab did before;
- ``forkserver``: the worker is forked from the fork server (``calc_core.budget``'s way now).

For each it reports the median wall time of a call and the CPU this process spent per call
(the server's own cost), plus the fork server's one-off start. (That forking beside a busy BLAS
thread can stick a process for good is shown by ``tests/server/test_no_lockup.py``, not here.)
"""

from __future__ import annotations

import argparse
import multiprocessing
import operator
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calc_core import budget  # noqa: E402
from calc_core.budget import WORKER_MODULES, run_with_budget  # noqa: E402


def time_calls(calls: int) -> tuple[float, float]:
    """Median wall seconds per call and this process's CPU seconds per call."""
    walls = []
    cpu_before = time.process_time()
    for i in range(calls):
        started = time.perf_counter()
        result = run_with_budget(operator.neg, i, timeout=30)
        walls.append(time.perf_counter() - started)
        assert result.ok and result.value == -i, result
    return statistics.median(walls), (time.process_time() - cpu_before) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args()
    for name in WORKER_MODULES[1:]:
        __import__(name)
    print(f"load average {os.getloadavg()[0]:.1f}; OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")

    started = time.perf_counter()
    budget.start_workers()
    assert run_with_budget(operator.neg, 1, timeout=120).ok
    print(f"fork server start (first call included): {time.perf_counter() - started:.2f} s")

    fork_server = budget._CONTEXT
    for name, context in (("fork", multiprocessing.get_context("fork")), ("fork server", fork_server)):
        budget._CONTEXT = context
        wall, cpu = time_calls(args.calls)
        print(f"{name:>11}: median {wall * 1000:.1f} ms per call, server CPU {cpu * 1000:.1f} ms per call")
    budget._CONTEXT = fork_server


if __name__ == "__main__":
    main()
