"""Real-browser fixtures: a live `streamlit run app.py` and Debian's Chromium via Playwright.

Without Chromium the browser tests skip with a reason, except under CI=true,
where a missing browser fails the run.

Every server these fixtures start writes its log to ``test-artifacts/server/``
(kept as an artifact, not committed), and a log with a traceback or a warning
fails the tests: see ``server_log_problems`` for exactly what counts.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
START_TIMEOUT_S = 60
IDLE_TIMEOUT_MS = 30_000
LOG_DIR = ROOT / "test-artifacts" / "server"

# Streamlit's default format ("%(asctime)s %(message)s") drops the level; the test servers name it and the logger.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[.,]\d{3} (?P<level>[A-Z]+) (?P<name>\S+): ")
_QUIET_LEVELS = {"DEBUG", "INFO"}
# What `streamlit run` prints around the records: its start-up banner and its answer to SIGTERM.
_EXPECTED_LINES = [
    re.compile(r"^$"),
    re.compile(r"^  You can now view your Streamlit app in your browser\.$"),
    re.compile(r"^  (Local |Network |External )?URL: http://\S+$"),
    re.compile(r"^  Stopping\.\.\.$"),
]
# Streamlit-internal lines outside the app's control, each with the reason it is allowed (none so far).
_ALLOWED_LINES: list[re.Pattern] = []
_MAX_LINES_SHOWN = 60


def server_log_problems(text: str) -> list[tuple[int, str]]:
    """The lines of a server log that a clean run does not print, as ``(line number, line)``.

    The test servers run with ``--logger.messageFormat LOG_FORMAT`` and
    ``--logger.level info``, so each of Streamlit's records (and the app's, if it
    logs through ``streamlit.logger``) is one line ``<date> <time> <LEVEL> <logger>: <message>``.
    A line is fine when it is

    - a record at level DEBUG or INFO (the first line of the record);
    - one of the lines ``streamlit run`` prints itself: blank, the start-up banner
      ("You can now view your Streamlit app in your browser.", "URL: http://…")
      and "Stopping..." on SIGTERM;
    - matched by an entry of ``_ALLOWED_LINES`` (Streamlit-internal, commented with why).

    Every other line counts, which covers: a record at WARNING, ERROR or CRITICAL
    from Streamlit, uvicorn or the app; a Python traceback or ``stack_info`` dump
    (``Traceback (most recent call last):``, ``Stack (most recent call last):``
    and every line after it); a ``warnings.warn`` line (``file.py:12: RuntimeWarning: …``);
    and anything printed without a record's prefix, such as a record of the app's
    ``calc_lab`` logger, which has no handler of its own and so reaches stderr
    through Python's last-resort handler only at WARNING and above.
    """
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        record = _RECORD.match(line)
        if record and record["level"] in _QUIET_LEVELS:
            continue
        if not record and any(p.match(line) for p in _EXPECTED_LINES + _ALLOWED_LINES):
            continue
        problems.append((number, line))
    return problems


@dataclass
class ServerLog:
    """A test server's log file, checked in pieces: each check covers what was written since the last one."""

    path: Path
    checked_bytes: int = 0
    checked_lines: int = 0

    def unchecked_problems(self, *, final: bool = False) -> list[tuple[int, str]]:
        """The problem lines written since the last check; a partly written last line waits unless ``final``."""
        data = self.path.read_bytes()[self.checked_bytes:]
        if not final:
            data = data[: data.rfind(b"\n") + 1]
        text = data.decode("utf-8", errors="replace")
        problems = [(self.checked_lines + n, line) for n, line in server_log_problems(text)]
        self.checked_bytes += len(data)
        self.checked_lines += text.count("\n")
        return problems

    def check(self, during: str, *, final: bool = False) -> None:
        """Fail with the offending lines and the log's path if anything unexpected was written since the last
        check."""
        problems = self.unchecked_problems(final=final)
        if not problems:
            return
        shown = "\n".join(f"{number:>6}: {line}" for number, line in problems[:_MAX_LINES_SHOWN])
        more = len(problems) - _MAX_LINES_SHOWN
        pytest.fail(f"the server log {self.path} has {len(problems)} unexpected line(s) {during} "
                    f"(a traceback, a warning or an error; see server_log_problems):\n{shown}"
                    + (f"\n   ... and {more} more" if more > 0 else ""), pytrace=False)


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _require_browser() -> str:
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is not on PATH (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; browser tests are required under CI")
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """Start the app on 127.0.0.1:port; returns once /_stcore/health answers.

    The server's stdout and stderr go to a new file in ``LOG_DIR`` (``process.log``,
    a ``ServerLog``), never to a pipe that nobody drains: a full pipe would block
    the server mid-run. Unbuffered, so each line lands when it is printed.
    """
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--logger.level", "info", "--logger.messageFormat", LOG_FORMAT]
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = tempfile.NamedTemporaryFile(dir=LOG_DIR, prefix=time.strftime(f"streamlit-%Y%m%d-%H%M%S-{port}-"),
                                      suffix=".log", delete=False)
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    process.url = f"http://127.0.0.1:{port}"
    process.log_path = log.name
    process.log = ServerLog(Path(log.name))
    log.close()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early: {Path(log.name).read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not become healthy in time")


def stop_server(process: subprocess.Popen, check_log: bool = True) -> None:
    """Stop the server; then, unless ``check_log`` is false, fail if its log shows what
    ``server_log_problems`` counts."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    if check_log:
        process.log.check("by the time it stopped", final=True)


@pytest.fixture(scope="session")
def app_server():
    """The shared test server (a ``subprocess.Popen`` with ``.url`` and ``.log``); its log is checked when it
    stops."""
    _require_browser()
    process = start_server(free_port())
    yield process
    stop_server(process)


@pytest.fixture(scope="session")
def app_url(app_server):
    return app_server.url


@pytest.fixture(autouse=True)
def _clean_server_log(request):
    """After each test on the shared server, fail that test if the server logged a problem meanwhile.

    A line logged after a test's last request reached the server (a closing session, a late fragment run)
    may be reported at the next test's teardown, or when the server stops.
    """
    if "app_server" not in request.fixturenames:
        yield
        return
    log = request.getfixturevalue("app_server").log
    yield
    log.check(f"during {request.node.nodeid}")


# Per module, not per session: sync Playwright keeps an event loop running in the main thread while it is
# open, which would stop later asyncio-based tests (protocol clients) and a second Playwright (tests/cluster).
@pytest.fixture(scope="module")
def browser():
    path = _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def wait_idle(tab, timeout_ms: int = IDLE_TIMEOUT_MS) -> None:
    """Wait until the app has rendered and no script run is in progress."""
    tab.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    tab.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') !== 'running'
                && document.querySelectorAll('[data-testid="stMainBlockContainer"] *').length > 5;
        }""",
        timeout=timeout_ms,
    )
    tab.wait_for_timeout(300)
    tab.wait_for_function(
        """() => document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state') !== 'running'""",
        timeout=timeout_ms,
    )


APP_SHELL = "Every setting lives in the URL"  # app.py's sidebar caption: the page ran through the app's shell


def open_app(tab, url: str) -> None:
    """Open ``url`` and wait until its page has run through ``app.py`` and is idle."""
    tab.goto(url)
    wait_idle(tab)
    tab.get_by_text(APP_SHELL).first.wait_for(state="attached", timeout=IDLE_TIMEOUT_MS)
    wait_idle(tab)


def assert_healthy(tab) -> None:
    """No Streamlit exception element and no traceback text on the page."""
    assert tab.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in tab.inner_text("body")


CHART = '[data-testid="stVegaLiteChart"]'


def metric(tab, label: str) -> str:
    """The value shown by the ``st.metric`` whose label contains ``label``."""
    box = tab.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def press_slider(tab, name: str, presses: int = 1, key: str = "ArrowRight") -> None:
    """Move a slider with the keyboard, as a learner without a mouse would."""
    tab.get_by_role("slider", name=name).focus()
    for _ in range(presses):
        tab.keyboard.press(key)


@contextmanager
def shared_view(browser, url: str):
    """Open ``url`` in a fresh browser context (no shared state), as whoever receives the link."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        tab = context.new_page()
        open_app(tab, url)
        assert_healthy(tab)
        yield tab
    finally:
        context.close()
