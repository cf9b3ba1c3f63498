"""A wall-clock budget for symbolic work that can explode.

``sympy.integrate``, ``solve`` and ``simplify`` may run for minutes on innocent
looking input. :func:`run_with_budget` runs such an operation in a separate
process and kills that process when the budget is spent, so the CPU is freed and
the caller can fall back to numbers.

Workers are forked, so a call costs milliseconds rather than a fresh interpreter
start with sympy imported again. A forked child of a threaded server could in
principle block on a lock another thread held at fork time; the budget bounds that
case too, since a stuck child is killed like a slow one.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from pebble import concurrent
from pebble.common import ProcessExpired

__all__ = ["BudgetResult", "DEFAULT_TIMEOUT", "MAX_CONCURRENT", "run_with_budget"]

DEFAULT_TIMEOUT = 3.0
# A public server has few cores; more parallel workers would only slow each other.
MAX_CONCURRENT = 4

# Guards a machine-wide resource (processes), not per-user state.
_slots = threading.BoundedSemaphore(MAX_CONCURRENT)
_FORK = multiprocessing.get_context("fork")


# Symbolic work yields the CPU to interactive reruns of other sessions.
WORKER_NICENESS = 10


def _run_niced(function: Callable, *args: Any) -> Any:
    os.nice(WORKER_NICENESS)
    return function(*args)


@dataclass(frozen=True)
class BudgetResult:
    """Outcome of a budgeted call.

    Attributes
    ----------
    value : Any
        The operation's return value (``None`` unless ``ok``).
    ok : bool
        True when the operation finished in time without raising.
    timed_out : bool
        True when the budget ran out (or no worker slot was free in time).
    error : str
        A short description when the operation raised; empty otherwise.
    """

    value: Any = None
    ok: bool = False
    timed_out: bool = False
    error: str = ""


def run_with_budget(function: Callable, *args: Any, timeout: float = DEFAULT_TIMEOUT) -> BudgetResult:
    """Run ``function(*args)`` in a worker process, killed after ``timeout`` seconds.

    Parameters
    ----------
    function : callable
        A module-level (picklable) function, e.g. ``sympy.integrate``.
    *args
        Picklable arguments (sympy expressions pickle fine).
    timeout : float
        Wall-clock budget in seconds.

    Returns
    -------
    BudgetResult

    Examples
    --------
    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> run_with_budget(sympy.integrate, 2 * x, x).value
    x**2
    """
    if not _slots.acquire(timeout=timeout):
        return BudgetResult(timed_out=True)
    try:
        task = concurrent.process(timeout=timeout, context=_FORK)(_run_niced)
        future = task(function, *args)
        try:
            return BudgetResult(value=future.result(), ok=True)
        except FutureTimeout:
            return BudgetResult(timed_out=True)
        except ProcessExpired as exc:
            return BudgetResult(error=f"the worker stopped unexpectedly ({exc.exitcode})")
        except Exception as exc:  # the operation's own failure, reported as data
            return BudgetResult(error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        _slots.release()
