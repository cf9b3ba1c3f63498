"""A wall-clock budget for work that can explode, shared fairly between visitors.

``sympy.integrate``, ``solve`` and ``simplify`` may run for minutes on innocent
looking input. :func:`run_with_budget` runs such an operation in a separate
process and kills that process when the budget is spent, so the CPU is freed and
the caller can fall back to numbers.

Fairness: each *owner* (a browser session, or the calling thread when no owner is
named) runs at most :data:`~calc_core.limits.WORKERS_PER_OWNER` workers at a time;
its further requests queue behind its own, never behind another visitor's. A
machine-wide cap (:data:`~calc_core.limits.MAX_WORKERS`) only guards against an
attacker opening very many sessions. Workers run at a lower priority than the
server, so interactive reruns of every session keep the CPU they need.

Workers are forked from a *fork server*: a small single-threaded process started
once (``multiprocessing``'s ``forkserver``), which has sympy, numpy and the lessons'
modules imported. A call then costs milliseconds rather than a fresh interpreter
start with sympy imported again, and the server process itself never forks. That
matters: forking the threaded server while another session's training held a BLAS
lock (OpenBLAS's at-fork handler waits for its threads) froze the whole process
for good. :func:`start_workers` starts the fork server ahead of the first request.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from typing import Any

from pebble import concurrent
from pebble.common import ProcessExpired

from calc_core.limits import (
    LONG_WORK_AFTER,
    LONG_WORK_NICENESS,
    MAX_WORKERS,
    SYMBOLIC_TIMEOUT,
    WORKER_NICENESS,
    WORKERS_PER_OWNER,
)

__all__ = ["BudgetResult", "DEFAULT_TIMEOUT", "WORKER_MODULES", "UnfinishedNote", "WorkerSlots", "note_unfinished",
           "noting_unfinished", "run_with_budget", "start_workers"]

DEFAULT_TIMEOUT = SYMBOLIC_TIMEOUT

# Imported once by the fork server, so a worker starts with them loaded: sympy, numpy and the modules whose
# functions pages run in workers (anything else is imported by the worker itself, at its own cost).
WORKER_MODULES = (
    "numpy",
    "sympy",
    "calc_core.answers",
    "calc_core.differentiation",
    "calc_core.gradients",
    "calc_core.integration",
    "calc_core.jacobians",
    "calc_core.mlp",
    "calc_core.mlp.reference",
    "calc_core.optimization",
    "calc_core.mlp.sweep",
)


class _WorkerPopen(popen_forkserver.Popen):
    """Starts a worker from the fork server, as ``multiprocessing`` does, minus the parent's main script.

    ``multiprocessing`` re-runs the parent's ``__main__`` in every new process it does not plainly fork.
    Under Streamlit, ``__main__`` is the page script being run (``app.py``): a worker would run the whole
    app before its task. A worker needs only its function's module, which unpickling imports. This is
    ``popen_forkserver.Popen._launch`` of CPython 3.11 with those two entries left out of the preparation
    data (``tests/unit/test_budget.py`` checks that a worker never runs the main script).
    """

    def _launch(self, process_obj):
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        # The child watches a duplicate of the data pipe's write end to notice its parent's exit.
        parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _WorkerProcess(context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _WorkerPopen(process_obj)


class _WorkerContext(context.ForkServerContext):
    Process = _WorkerProcess


_CONTEXT = _WorkerContext()
_CONTEXT.set_forkserver_preload(list(WORKER_MODULES))


def start_workers() -> None:
    """Start the fork server now (it loads :data:`WORKER_MODULES` in the background) instead of on first use.

    Call it early in the server process: the fork server is launched with ``vfork`` and ``exec``, which are
    safe from a threaded process, and it inherits the environment as it is then.
    """
    forkserver.ensure_running()


class WorkerSlots:
    """Counts running workers per owner and in total; hands out slots fairly.

    An owner waits only while its *own* workers are busy (or, rarely, while the
    machine-wide cap is reached), so one visitor's runaway requests never delay
    another visitor's.
    """

    def __init__(self, per_owner: int, total: int):
        self.per_owner = per_owner
        self.total = total
        self._running: dict[Hashable, int] = {}
        self._free = threading.Condition()

    def acquire(self, owner: Hashable, timeout: float) -> bool:
        """Take a slot for ``owner``; False if none came free within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._free:
            while (self._running.get(owner, 0) >= self.per_owner
                   or sum(self._running.values()) >= self.total):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._free.wait(remaining):
                    return False
            self._running[owner] = self._running.get(owner, 0) + 1
            return True

    def release(self, owner: Hashable) -> None:
        with self._free:
            left = self._running[owner] - 1
            if left:
                self._running[owner] = left
            else:
                del self._running[owner]
            self._free.notify_all()

    def running(self, owner: Hashable | None = None) -> int:
        """Workers running for ``owner`` (all owners when None)."""
        with self._free:
            return sum(self._running.values()) if owner is None else self._running.get(owner, 0)


# Guards a machine-wide resource (worker processes), not per-user state.
SLOTS = WorkerSlots(WORKERS_PER_OWNER, MAX_WORKERS)


def _run_niced(function: Callable, *args: Any) -> Any:
    os.nice(WORKER_NICENESS)
    # Work still running after a moment is the long kind (a runaway integral): it drops to the lowest
    # priority, so a quick request that arrives meanwhile from another session runs almost at once.
    # On Linux a priority belongs to a thread, so the timer names the working thread explicitly.
    demote = threading.Timer(LONG_WORK_AFTER, os.setpriority,
                             (os.PRIO_PROCESS, threading.get_native_id(), LONG_WORK_NICENESS))
    demote.daemon = True
    demote.start()
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
    worker_died : bool
        True when the worker process ended without an answer (killed from outside, out of memory).
    """

    value: Any = None
    ok: bool = False
    timed_out: bool = False
    error: str = ""
    worker_died: bool = False


# What a thread is computing now that must know whether a budgeted call ran out (see noting_unfinished).
_NOTES = threading.local()


@dataclass
class UnfinishedNote:
    """Set by every budgeted call that ran out of time, found no worker slot or lost its worker."""

    unfinished: bool = False


@contextmanager
def noting_unfinished() -> Iterator[UnfinishedNote]:
    """Within the block, note whether any budgeted call on this thread came back unfinished.

    Such an outcome says as much about how busy the machine was as about the work: a cache
    keeps it only briefly (``ui.compute``). Blocks nest; a call marks every enclosing one.
    """
    stack = _NOTES.__dict__.setdefault("stack", [])
    note = UnfinishedNote()
    stack.append(note)
    try:
        yield note
    finally:
        stack.pop()


def note_unfinished() -> None:
    """Mark every enclosing :func:`noting_unfinished` block (also done when a cached unfinished outcome is reused)."""
    for note in getattr(_NOTES, "stack", ()):
        note.unfinished = True


def run_with_budget(function: Callable, *args: Any, timeout: float = DEFAULT_TIMEOUT,
                    owner: Hashable | None = None) -> BudgetResult:
    """Run ``function(*args)`` in a worker process, killed after ``timeout`` seconds.

    Parameters
    ----------
    function : callable
        A module-level (picklable) function, e.g. ``sympy.integrate``.
    *args
        Picklable arguments (sympy expressions and numpy arrays pickle fine): they are sent to the worker.
    timeout : float
        Wall-clock budget in seconds, for waiting on a slot and running together.
    owner : hashable, optional
        Who asks (a browser session's id). Each owner gets its own worker slots;
        by default the calling thread is the owner.

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
    owner = ("thread", threading.get_ident()) if owner is None else owner
    result = _run_in_worker(function, args, timeout, owner)
    if result.timed_out or result.worker_died:
        note_unfinished()
    return result


def _run_in_worker(function: Callable, args: tuple, timeout: float, owner: Hashable) -> BudgetResult:
    started = time.monotonic()
    if not SLOTS.acquire(owner, timeout):
        return BudgetResult(timed_out=True)
    try:
        remaining = timeout - (time.monotonic() - started)
        if remaining <= 0:
            return BudgetResult(timed_out=True)
        task = concurrent.process(timeout=remaining, context=_CONTEXT)(_run_niced)
        future = task(function, *args)
        try:
            return BudgetResult(value=future.result(), ok=True)
        except FutureTimeout:
            return BudgetResult(timed_out=True)
        except ProcessExpired as exc:
            return BudgetResult(error=f"the worker stopped unexpectedly ({exc.exitcode})", worker_died=True)
        except Exception as exc:  # the operation's own failure, reported as data
            return BudgetResult(error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        SLOTS.release(owner)
