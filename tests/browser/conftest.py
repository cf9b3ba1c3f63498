"""Real-browser fixtures: a live `streamlit run app.py` and Debian's Chromium via Playwright.

Without Chromium the browser tests skip with a reason, except under CI=true,
where a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
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

    The server's log goes to a file (``process.log_path``), never to a pipe that
    nobody drains: a full pipe would block the server mid-run.
    """
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    log = tempfile.NamedTemporaryFile(prefix="calc_lab_server_", suffix=".log", delete=False)
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log.name
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


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def app_url():
    _require_browser()
    port = free_port()
    process = start_server(port)
    yield f"http://127.0.0.1:{port}"
    stop_server(process)


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
