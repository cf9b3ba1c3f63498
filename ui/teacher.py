"""Teacher mode: URL parameters that hide or lock controls for a whole class.

``?teacher=1&hide=deriv_dx,deriv_scheme&lock=deriv_x0`` hides two controls (their
shared values still apply) and shows one as read-only. ``lock=all`` locks every
control on the page. Without ``teacher=1`` the other two parameters are ignored,
so a stray ``hide=`` in a link cannot confuse a learner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_MAX_KEYS = 64


@dataclass(frozen=True)
class TeacherSettings:
    """Which widget keys are hidden or locked on this page view."""

    active: bool = False
    hidden: frozenset[str] = frozenset()
    locked: frozenset[str] = frozenset()
    lock_all: bool = False

    def is_hidden(self, key: str) -> bool:
        return self.active and key in self.hidden

    def is_locked(self, key: str) -> bool:
        return self.active and (self.lock_all or key in self.locked)


def _keys(name: str) -> frozenset[str]:
    values = st.query_params.get_all(name)
    keys = set()
    for value in values[:_MAX_KEYS]:
        for part in str(value).split(",")[:_MAX_KEYS]:
            part = part.strip().lower()
            if _KEY_RE.match(part):
                keys.add(part)
    return frozenset(keys)


def teacher_settings() -> TeacherSettings:
    """Read (and sanitise) the teacher-mode parameters of the current URL."""
    if st.query_params.get("teacher", "") not in ("1", "true", "on"):
        return TeacherSettings()
    locked = _keys("lock")
    return TeacherSettings(active=True, hidden=_keys("hide"), locked=locked - {"all"}, lock_all="all" in locked)
