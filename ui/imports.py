"""The libraries the pages use, imported once per process, by one script thread, before any page runs.

Two sessions whose first runs start together on different pages import altair (and through it narwhals),
sympy, scipy, scikit-learn and SQLAlchemy from different modules at the same moment. Python's per-module
import locks can then meet in a cycle (narwhals' ``stable`` package and its ``v1``/``v2`` modules import
each other), and Python breaks it by raising ``_DeadlockError`` in one thread: that visitor's first page
fails. Importing them under one lock before any page runs leaves each whole in ``sys.modules``, so a
page's own imports only look them up. It costs the first run of a process about 3 s, once.
"""

from __future__ import annotations

import importlib
import threading

__all__ = ["APP_MODULES", "LIBRARIES", "import_libraries"]

#: What the pages import, directly or through calc_core, ui and classroom (the heaviest and the ones with cycles).
LIBRARIES = (
    "numpy",
    "pandas",
    "altair",
    "sympy",
    "scipy.integrate",
    "scipy.optimize",
    "sklearn.datasets",
    "sklearn.neural_network",
    "sklearn.svm",
    "matplotlib.figure",
    "nbformat",
    "segno",
    "sqlalchemy",
    "alembic.command",
)

#: The app's own modules behind the pages (each lesson's view, and the shared page parts), imported the same way.
APP_MODULES = ("ui.class_banner", "ui.class_page", "ui.progress", "ui.teacher_tools", "ui.notebook", "ui.task")

_LOCK = threading.Lock()
_IMPORTED = threading.Event()


def import_libraries() -> None:
    """Import :data:`LIBRARIES`, :data:`APP_MODULES` and every lesson's view if this process has not yet; other script threads wait meanwhile (call it before
    every page run: once they are imported it returns at once)."""
    if _IMPORTED.is_set():
        return
    with _LOCK:
        if not _IMPORTED.is_set():
            from ui.lessons import LESSONS

            for name in (*LIBRARIES, *APP_MODULES, *(lesson.view for lesson in LESSONS)):
                importlib.import_module(name)
            _IMPORTED.set()
