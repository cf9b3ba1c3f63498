"""Sliding-window rate limits for what a visitor can try again and again (joining a class, a resume code).

Two scopes: one visitor's session (kept in its session state) and a shared subject such as one class's
join code (kept per process, bounded: the oldest subjects are forgotten first). Each counts the attempts
of the last ``window`` seconds and refuses beyond ``limit``, saying how long to wait.
"""

from __future__ import annotations

import collections
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

__all__ = ["RateLimit", "RateLimited", "SharedRateLimit", "check_session_rate"]


class RateLimited(ValueError):
    """Too many attempts; the message says how long to wait (shown to the visitor as is)."""


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` attempts in any ``window`` seconds; ``what`` names them in the refusal."""

    limit: int
    window: float
    what: str

    def refusal(self, wait: float) -> RateLimited:
        return RateLimited(f"Too many {self.what} in a short time; please wait {max(1, math.ceil(wait))} s and try again.")


def _admit(times: collections.deque[float], rule: RateLimit, now: float) -> None:
    while times and times[0] <= now - rule.window:
        times.popleft()
    if len(times) >= rule.limit:
        raise rule.refusal(times[0] + rule.window - now)
    times.append(now)


def check_session_rate(key: str, rule: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
    """Count one attempt of kind ``key`` for this session; raises :class:`RateLimited` beyond ``rule``."""
    state_key = f"rate_limit_{key}"
    times = st.session_state.get(state_key)
    if times is None:
        times = st.session_state[state_key] = collections.deque()
    _admit(times, rule, clock())


class SharedRateLimit:
    """One ``rule`` per subject (a class's code), shared by every session of the process; at most
    ``subjects`` subjects are remembered."""

    def __init__(self, rule: RateLimit, subjects: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.rule = rule
        self._subjects = subjects
        self._clock = clock
        self._times: collections.OrderedDict[str, collections.deque[float]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def check(self, subject: str) -> None:
        """Count one attempt on ``subject``; raises :class:`RateLimited` beyond the rule."""
        with self._lock:
            times = self._times.pop(subject, None) or collections.deque()
            self._times[subject] = times
            while len(self._times) > self._subjects:
                self._times.popitem(last=False)
            _admit(times, self.rule, self._clock())
