"""How often a visitor may try the Class page's doors: the UI's side of the class store's caps.

The store's own caps (students per class, classes per hour, nickname length...) are in
``classroom/limits.py`` and hold for every process sharing the database. These rules are counted per
browser session, or per join code within one app process (:mod:`ui.rate_limit`), and stop a script
from guessing join codes or starting class after class long before the store's caps are reached.
Resume codes are typed on the Class page and on the home page, under one limit.
"""

from __future__ import annotations

from ui.rate_limit import RateLimit

__all__ = ["JOIN_PER_CLASS", "JOIN_PER_SESSION", "RESUME_TRIES", "START_PER_SESSION"]

#: Join attempts from one browser session (a class of 200 joins from 200 sessions, so this only stops guessing).
JOIN_PER_SESSION = RateLimit(limit=10, window=60.0, what="attempts to join a class")
#: Join attempts on one join code in one app process (a class of 200 arrives within a few minutes).
JOIN_PER_CLASS = RateLimit(limit=120, window=60.0, what="students joining this class at once")
#: Classes started from one session (the store allows MAX_NEW_CLASSES_PER_HOUR across everyone).
START_PER_SESSION = RateLimit(limit=3, window=3600.0, what="classes started")
#: Resume codes one session may try (a resume code is 12 letters: guessing one is hopeless, this keeps it so).
RESUME_TRIES = RateLimit(limit=5, window=60.0, what="resume code tries")
