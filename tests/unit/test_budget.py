"""The time budget for symbolic work: results come back, runaway work is killed."""

from __future__ import annotations

import os
import sys
import time
import types

import sympy

from calc_core.budget import SLOTS, WorkerSlots, run_with_budget

x = sympy.Symbol("x")


def _sleep_forever(pid_file):
    with open(pid_file, "w") as handle:
        handle.write(str(os.getpid()))
    while True:
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child may linger as a zombie until reaped; that holds no CPU.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _report_pid(_):
    return os.getpid()


def _parent_pid(_):
    return os.getppid()


def _raise(_):
    raise ValueError("no antiderivative here")


def test_result_is_returned_from_the_worker():
    result = run_with_budget(sympy.integrate, 2 * x, x)
    assert result.ok and not result.timed_out
    assert result.value == x**2


def test_runs_in_another_process():
    result = run_with_budget(_report_pid, None)
    assert result.ok and result.value != os.getpid()


def test_workers_are_not_forked_from_the_threaded_server():
    # Forking a process whose other threads may sit in a BLAS call can freeze it (OpenBLAS's at-fork
    # handler); workers come from the single-threaded fork server instead.
    result = run_with_budget(_parent_pid, None)
    assert result.ok and result.value != os.getpid()


def test_a_worker_never_runs_the_main_script(tmp_path, monkeypatch):
    # Under Streamlit, __main__ is the page script; multiprocessing would re-run it in each new process.
    canary = tmp_path / "main-script-ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(canary)!r}, 'w').close()\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    result = run_with_budget(_report_pid, None, timeout=60)
    assert result.ok, result
    assert not canary.exists()


def test_runaway_work_times_out_and_the_worker_is_killed(tmp_path):
    pid_file = tmp_path / "worker.pid"
    result = run_with_budget(_sleep_forever, str(pid_file), timeout=0.5)
    assert result.timed_out and not result.ok and result.value is None
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def test_errors_come_back_as_data():
    result = run_with_budget(_raise, None)
    assert not result.ok and not result.timed_out
    assert "no antiderivative" in result.error


def _niceness(_):
    return os.nice(0)


def test_worker_runs_at_lower_priority_than_the_server():
    result = run_with_budget(_niceness, None)
    assert result.ok and result.value > os.nice(0)


def _sleep(seconds):
    time.sleep(seconds)
    return seconds


def test_a_busy_owner_does_not_delay_another_owner():
    """Four sessions stuck in slow work; a fifth session's trivial request still runs at once."""
    import threading

    stuck = [threading.Thread(target=run_with_budget, args=(_sleep, 30), kwargs={"timeout": 3, "owner": f"hog{i}"})
             for i in range(4)]
    for thread in stuck:
        thread.start()
    try:
        deadline = time.monotonic() + 10
        while SLOTS.running() < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert SLOTS.running() == 4
        # Another owner is not queued behind the four: it gets its own worker while they still run.
        result = run_with_budget(_report_pid, None, timeout=60, owner="student")
        assert result.ok
        assert SLOTS.running() >= 1
    finally:
        for thread in stuck:
            thread.join()
    assert SLOTS.running() == 0


def test_an_owner_waits_only_for_its_own_worker():
    slots = WorkerSlots(per_owner=1, total=4)
    assert slots.acquire("a", timeout=1)
    assert not slots.acquire("a", timeout=0.05)  # its own slot is busy
    assert slots.acquire("b", timeout=0.05)  # someone else's is not
    slots.release("a")
    assert slots.acquire("a", timeout=0.05)
    assert slots.running() == 2 and slots.running("a") == 1


def test_the_machine_wide_cap_holds():
    slots = WorkerSlots(per_owner=1, total=2)
    assert slots.acquire("a", 1) and slots.acquire("b", 1)
    assert not slots.acquire("c", timeout=0.05)
    slots.release("b")
    assert slots.acquire("c", timeout=0.05)


def test_a_request_that_cannot_get_a_slot_reports_a_timeout():
    slots_before = SLOTS.running()
    holder = __import__("threading").Thread(target=run_with_budget, args=(_sleep, 30),
                                            kwargs={"timeout": 2, "owner": "same"})
    holder.start()
    deadline = time.monotonic() + 10
    while SLOTS.running("same") < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    result = run_with_budget(_report_pid, None, timeout=0.2, owner="same")
    assert result.timed_out and not result.ok
    holder.join()
    assert SLOTS.running() == slots_before


def _niceness_after(seconds):
    time.sleep(seconds)
    return os.nice(0)


def test_long_work_drops_to_the_lowest_priority():
    from calc_core.limits import LONG_WORK_AFTER, LONG_WORK_NICENESS, WORKER_NICENESS

    quick = run_with_budget(_niceness, None)
    assert quick.ok and quick.value == min(19, os.nice(0) + WORKER_NICENESS)
    slow = run_with_budget(_niceness_after, LONG_WORK_AFTER + 0.5, timeout=30)
    assert slow.ok and slow.value == min(19, os.nice(0) + LONG_WORK_NICENESS)


def test_no_time_left_means_no_worker_is_started(tmp_path):
    pid_file = tmp_path / "worker.pid"
    result = run_with_budget(_sleep_forever, str(pid_file), timeout=0.0)
    assert result.timed_out and not pid_file.exists()
