"""Two sessions in one server process: one visitor's hostile requests do not stall another's page.

The hostile session (a thread) sends the worst case of each class of the corpus
(tests/hostile_classes.py), one after another. The other session, in the main
thread, reruns the Derivatives page: a slider move (work in the server process)
and a task answer checked symbolically (work in a budgeted worker). Its rerun times
are measured in alternating windows, alone and beside the hostile session, so both
see the same load from whatever else runs on the machine; the medians are compared.
The assertion is a ratio within one run, not a speed.
"""

from __future__ import annotations

import statistics
import threading
import time

from streamlit.testing.v1 import AppTest

from tests.hostile_classes import ROOT, RUN_TIMEOUT_S, run_case, worst_of_each_class

MAX_SLOWDOWN = 2.0
ROUNDS = 5
RERUNS_PER_WINDOW = 3


class HostileSession(threading.Thread):
    """Sends the worst case of each class in turn while ``wanted`` is set."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.cases = list(worst_of_each_class().values())
        self.wanted = threading.Event()
        self.stopped = threading.Event()
        self.busy = threading.Lock()
        self.started_cases: list[str] = []
        self.failures: list[str] = []

    def run(self) -> None:
        turn = 0
        while not self.stopped.is_set():
            if not self.wanted.wait(0.05):
                continue
            with self.busy:
                if not self.wanted.is_set():
                    continue
                case = self.cases[turn % len(self.cases)]
                turn += 1
                self.started_cases.append(case.id)
                try:
                    at = run_case(case)
                    if at.exception:
                        self.failures.append(f"{case.id}: exception element")
                except Exception as exc:  # a run that timed out or broke is reported, not raised in a thread
                    self.failures.append(f"{case.id}: {type(exc).__name__}: {str(exc)[:100]}")

    def pause(self) -> None:
        """Stop sending and wait for the request in progress to finish."""
        self.wanted.clear()
        with self.busy:
            pass

    def resume(self) -> None:
        """Start sending and wait until a request is under way."""
        count = len(self.started_cases)
        self.wanted.set()
        while len(self.started_cases) == count:
            time.sleep(0.01)


class OtherSession:
    """An ordinary visitor on the Derivatives page; every rerun uses new values, so nothing is served from a cache."""

    def __init__(self) -> None:
        self.at = AppTest.from_file(str(ROOT / "pages" / "derivatives.py"), default_timeout=RUN_TIMEOUT_S).run()
        assert not self.at.exception
        self.count = 0

    def _timed_run(self) -> float:
        start = time.perf_counter()
        self.at.run()
        elapsed = time.perf_counter() - start
        assert not self.at.exception
        return elapsed

    def move_slider(self) -> float:
        self.count += 1
        self.at.slider(key="deriv_x0").set_value(round(-9.95 + 0.05 * self.count, 2))
        return self._timed_run()

    def answer_task(self) -> float:
        # Equal to the task's 3x² − 4x, written differently each time so the symbolic check runs anew.
        self.count += 1
        self.at.text_input(key="deriv_task_answer").set_value(f"3x^2 - {self.count + 4}x + {self.count}x")
        elapsed = self._timed_run()
        assert any(s.value.startswith("Correct") for s in self.at.success), [w.value for w in self.at.warning]
        return elapsed


def _window(other: OtherSession, times: dict[str, list[float]]) -> None:
    for _ in range(RERUNS_PER_WINDOW):
        times["slider move"].append(other.move_slider())
        times["task answer"].append(other.answer_task())


def test_hostile_session_leaves_the_other_sessions_reruns_within_twice_their_time_alone():
    other = OtherSession()
    hostile = HostileSession()
    hostile.start()
    alone = {"slider move": [], "task answer": []}
    beside = {"slider move": [], "task answer": []}
    try:
        _window(other, {"slider move": [], "task answer": []})  # warm imports and caches first
        for _ in range(ROUNDS):
            hostile.pause()
            _window(other, alone)
            hostile.resume()
            _window(other, beside)
    finally:
        hostile.stopped.set()
        hostile.pause()
        hostile.join(timeout=RUN_TIMEOUT_S)
    report = []
    slow = []
    for kind in alone:
        ratio = statistics.median(beside[kind]) / statistics.median(alone[kind])
        report.append(f"{kind}: median {statistics.median(alone[kind]) * 1000:.0f} ms alone, "
                      f"{statistics.median(beside[kind]) * 1000:.0f} ms beside ({ratio:.2f}x, "
                      f"{len(alone[kind])} reruns each)")
        if ratio > MAX_SLOWDOWN:
            slow.append(kind)
    summary = ("; ".join(report) + f". Hostile requests sent: {', '.join(hostile.started_cases)}"
               + (f"; of which failed: {hostile.failures}" if hostile.failures else ""))
    assert not slow, f"slower than {MAX_SLOWDOWN}x beside the hostile session: {summary}"
