"""What every test layer shares: the suite's two tiers.

``python -m pytest`` (the README's command) runs the first tier: the math (``tests/unit``), every page
under ``AppTest`` (``tests/app``) and the class store (``tests/classroom``), spread over the machine's
cores by pytest-xdist (``-n auto`` in pyproject.toml's ``addopts``). Those tests share nothing but
the machine: each worker process has its own caches and fork server, page tests run in-process,
a class-store test gets a database (an SQLite file, a PostgreSQL schema) of its own.

The second tier is marked ``heavy`` here, by path (``SECOND_TIER``, each entry with the reason):
what starts real servers, Chromium or HAProxy, what measures a whole process, and the long hostile
corpora. ``python -m pytest`` leaves it out; it runs after the first, one test at a time, with the
command ``.ci/run`` uses::

    python -m pytest -m heavy -n 0

Paths named on the command line run every test they hold, of either tier (``python -m pytest
tests/server/test_no_lockup.py``); add ``-n 0`` to run second-tier tests one at a time.

One at a time because those tests must run alone: the browser tests share one server per run
(``tests/browser/conftest.py``, ``app_server``) whose log fails the test during which a problem
appears, the cluster tests kill and restart processes against deadlines, and a memory test reads
the resident size of the process it runs in. A test marked ``slow`` or ``load`` stays opt-in
(``-m slow``, ``-m load``) wherever it lives: it is not marked ``heavy``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Classes and progress recorded by the pages under test (and by every server a test starts, which inherits
# the environment) go to an SQLite file of this test process's own, never to the user's data directory or a
# database the shell names. Tests that need PostgreSQL say so with CALC_LAB_TEST_POSTGRES_URL.
os.environ.pop("CALC_LAB_DATABASE_URL", None)
os.environ["CALC_LAB_DATA_DIR"] = tempfile.mkdtemp(prefix="calc-lab-test-data-")
atexit.register(shutil.rmtree, os.environ["CALC_LAB_DATA_DIR"], True)

# A directory (every test under it) or a test module, relative to the checkout -> why it is in the second tier.
SECOND_TIER: dict[str, str] = {
    "tests/browser": "Chromium through Playwright against one shared `streamlit run app.py`",
    "tests/cluster": "app processes behind HAProxy, killed, stopped and restarted against deadlines",
    "tests/server": "real servers under training load, with deadlines on their health checks",
    "tests/unit/test_streamlit_client.py": "real servers driven over the websocket protocol, their logs checked",
    "tests/app/test_memory.py": "reads the resident memory of the process it runs in, over two rounds of 500 page reruns",
    "tests/app/test_hostile_classes.py": "the hostile corpus of tests/hostile_classes.py, each case on its page",
    "tests/app/test_hostile_pages.py": "every page under the hostile expressions and URL values of tests/hostile.py",
    "tests/app/test_hostile_uploads.py": "the hostile CSV files, layer strings and table edits of tests/hostile.py",
    "tests/notebooks": "every lesson's notebook executed by nbclient in a real Jupyter kernel",
}


def second_tier_reason(path: Path) -> str | None:
    """Why the test module at ``path`` is in the second tier, or None when it is in the first."""
    relative = path.resolve().relative_to(ROOT).as_posix()
    for prefix, reason in SECOND_TIER.items():
        if relative == prefix or relative.startswith(prefix + "/"):
            return reason
    return None


@pytest.fixture(scope="module")
def server_url():
    """A fresh ``streamlit run app.py`` for the module's tests (its log checked when it stops)."""
    from tests.browser.conftest import free_port, start_server, stop_server

    process = start_server(free_port())
    yield process.url
    stop_server(process)


class Clock:
    """A clock a test moves by hand (``clock.now += seconds``) instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def retry_clock(monkeypatch) -> Clock:
    """The clock ``ui.compute`` dates unfinished results by, moved by the test."""
    from ui import compute

    clock = Clock()
    monkeypatch.setattr(compute, "_now", clock)
    return clock


@pytest.fixture(autouse=True)
def _main_module_as_found():
    """Each test leaves the process's ``__main__`` as it found it.

    Streamlit's script runner (``AppTest``) runs a page as ``sys.modules["__main__"]`` and leaves it
    there. A later test in the same process that starts ``spawn`` processes (``tests/classroom``)
    would then have every child run that page first, or fail at once on a page written as a
    function (``AppTest.from_function``: ``NameError: name '__args' is not defined``). Which test
    ran last in a process depends on the order, and under xdist on the worker.
    """
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


def pytest_configure(config):
    # Decided by the process that reads the command line; xdist's workers receive it (pytest_configure_node).
    if hasattr(config, "workerinput"):
        config.option.first_tier_only = config.workerinput["first_tier_only"]
    else:
        config.option.first_tier_only = (config.args_source == pytest.Config.ArgsSource.TESTPATHS
                                         and "heavy" not in (config.option.markexpr or ""))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    node.workerinput["first_tier_only"] = node.config.option.first_tier_only


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(config, items):
    """Mark the second tier ``heavy``; leave it out when pytest was given no paths and no ``-m`` naming it."""
    leave_out = getattr(config.option, "first_tier_only", False)
    kept, left_out = [], []
    for item in items:
        if not (item.get_closest_marker("slow") or item.get_closest_marker("load")):
            if second_tier_reason(item.path) is not None:
                item.add_marker(pytest.mark.heavy)
                if leave_out:
                    left_out.append(item)
                    continue
        kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
