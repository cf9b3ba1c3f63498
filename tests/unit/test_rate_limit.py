"""ui/rate_limit.py: sliding windows per session and per shared subject, on a clock moved by hand."""

from __future__ import annotations

import threading

import pytest
import streamlit as st

from tests.conftest import Clock
from ui.rate_limit import RateLimit, RateLimited, SharedRateLimit, check_session_rate

RULE = RateLimit(limit=3, window=60.0, what="tries")


def test_the_refusal_says_how_long_to_wait_in_whole_seconds():
    refusal = RULE.refusal(12.2)
    assert isinstance(refusal, ValueError)
    assert str(refusal) == "Too many tries in a short time; please wait 13 s and try again."
    assert "wait 1 s" in str(RULE.refusal(0.0))


def test_a_shared_limit_admits_up_to_the_limit_in_any_window():
    clock = Clock()
    shared = SharedRateLimit(RULE, clock=clock)
    for _ in range(RULE.limit):
        shared.check("KQWHTZ")
        clock.now += 10
    with pytest.raises(RateLimited, match="wait 30 s"):  # the first try leaves the window at 1060
        shared.check("KQWHTZ")
    shared.check("OTHERS")  # another subject has its own window
    clock.now += 30
    shared.check("KQWHTZ")  # the first try has left the window
    with pytest.raises(RateLimited):
        shared.check("KQWHTZ")


def test_refused_attempts_do_not_count():
    clock = Clock()
    shared = SharedRateLimit(RateLimit(limit=1, window=10.0, what="tries"), clock=clock)
    shared.check("A")
    for _ in range(5):
        clock.now += 1
        with pytest.raises(RateLimited):
            shared.check("A")
    clock.now += 5
    shared.check("A")


def test_a_shared_limit_forgets_the_oldest_subjects_beyond_its_bound():
    clock = Clock()
    shared = SharedRateLimit(RateLimit(limit=1, window=60.0, what="tries"), subjects=2, clock=clock)
    shared.check("A")
    shared.check("B")
    shared.check("C")  # A is forgotten
    shared.check("A")
    with pytest.raises(RateLimited):
        shared.check("C")


def test_a_shared_limit_holds_exactly_under_concurrent_sessions():
    shared = SharedRateLimit(RateLimit(limit=50, window=3600.0, what="tries"))
    admitted, barrier = [], threading.Barrier(8)

    def session():
        barrier.wait(30)
        for _ in range(20):
            try:
                shared.check("KQWHTZ")
            except RateLimited:
                continue
            admitted.append(1)

    threads = [threading.Thread(target=session) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(admitted) == 50


def test_session_limits_are_per_session_and_per_kind(monkeypatch):
    clock = Clock()
    sessions = [{}, {}]
    monkeypatch.setattr(st, "session_state", sessions[0])
    for _ in range(RULE.limit):
        check_session_rate("join", RULE, clock=clock)
    with pytest.raises(RateLimited, match="Too many tries"):
        check_session_rate("join", RULE, clock=clock)
    check_session_rate("resume", RULE, clock=clock)  # another kind counts apart
    monkeypatch.setattr(st, "session_state", sessions[1])
    check_session_rate("join", RULE, clock=clock)  # another session counts apart
    monkeypatch.setattr(st, "session_state", sessions[0])
    clock.now += RULE.window
    check_session_rate("join", RULE, clock=clock)
