"""Fixtures for the cluster tests: deploy/cluster.py on loopback, protocol students, Chromium.

Without haproxy or Chromium these tests skip with a reason, except under CI=true,
where a missing tool fails the run.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import websockets

from benchmarks.streamlit_client import StreamlitClient, StreamlitProtocolError
from deploy.cluster import Cluster, free_port
from tests.browser.conftest import browser  # noqa: F401 - Chromium as the browser tests launch it

WAIT_S = 90
COOKIE = "SERVERID"


def require_haproxy() -> str:
    path = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")
    if path is None:
        message = "haproxy is not installed (apt-get install -y haproxy)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; the cluster tests are required under CI")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def cluster():
    """Two app processes behind HAProxy on a free loopback port; children log to ``cluster.log_path``."""
    require_haproxy()
    log = tempfile.NamedTemporaryFile(prefix="calc_lab_cluster_", suffix=".log", delete=False)
    running = Cluster(2, free_port(), bind="127.0.0.1", log=log)
    running.log_path = Path(log.name)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        log.close()


def heal(cluster: Cluster) -> None:
    """Bring every replica back (a test may have killed one) and wait until HAProxy routes to each."""
    for replica in cluster.replicas:
        if replica.process.poll() is not None or cluster.server_status().get(replica.name) != "UP":
            cluster.restart(replica)


def served_by(context) -> str | None:
    """The app process HAProxy pins a browser context to: its SERVERID cookie."""
    return next((c["value"] for c in context.cookies() if c["name"] == COOKIE), None)


def pin_jar(url: str, server: str) -> http.cookiejar.CookieJar:
    """A cookie jar already holding HAProxy's cookie for ``server``, as a returning browser has."""
    host = url.split("//", 1)[1].split(":", 1)[0]
    jar = http.cookiejar.CookieJar()
    jar.set_cookie(http.cookiejar.Cookie(
        version=0, name=COOKIE, value=server, port=None, port_specified=False, domain=host,
        domain_specified=False, domain_initial_dot=False, path="/", path_specified=True, secure=False,
        expires=None, discard=True, comment=None, comment_url=None, rest={}))
    return jar


def jar_server(jar: http.cookiejar.CookieJar) -> str | None:
    return next((c.value for c in jar if c.name == COOKIE), None)


@dataclass
class Student:
    """One protocol client's record: where each page open landed and what went wrong."""

    index: int
    opens: list[str] = field(default_factory=list)  # SERVERID after each successful page open
    moves: int = 0
    moves_since_open: int = 0
    disconnects: int = 0
    failures: list[str] = field(default_factory=list)


class Students:
    """Protocol clients on the derivatives page, moving x₀ through HAProxy until stopped.

    Each student opens ``/derivatives?deriv_x0=…`` and keeps moving the slider, checking
    that f(x₀) = x₀² comes back. When the server closes its websocket (its process was
    stopped), it opens the page again from its URL with the same cookie jar, as a browser
    reconnects. A failure is anything else: an HTTP error, a refused connection, a timeout,
    an exception element or a wrong value.
    """

    def __init__(self, url: str, pins: list[str | None]):
        self.url = url
        self.pins = pins
        self.students = [Student(i) for i in range(len(pins))]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._run(),), daemon=True)

    def __enter__(self) -> Students:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=WAIT_S)

    def wait_until(self, condition, what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not condition(self.students):
            failures = [f for s in self.students for f in s.failures]
            assert not failures, failures
            assert time.monotonic() < deadline, f"students did not {what} within {WAIT_S} s: {self.students}"
            time.sleep(0.5)

    async def _run(self) -> None:
        await asyncio.gather(*(self._student(s, pin) for s, pin in zip(self.students, self.pins)))

    async def _student(self, student: Student, pin: str | None) -> None:
        client = StreamlitClient(self.url, timeout=WAIT_S)
        client.cookies = pin_jar(self.url, pin) if pin is not None else client.cookies
        values = [round(0.25 * (student.index + k % 4), 2) for k in range(4)]
        step = 0
        connected = False
        while not self._stop.is_set():
            x0 = values[step % len(values)]
            step += 1
            try:
                if connected:
                    result = await client.set_widget("deriv_x0", x0)
                    student.moves += 1
                    student.moves_since_open += 1
                else:
                    # Opening the link again, with the cookies this student already holds.
                    await client.close()
                    cookies, client = client.cookies, StreamlitClient(self.url, timeout=WAIT_S)
                    client.cookies = cookies
                    result = await client.open("derivatives", f"deriv_x0={x0}")
                    connected = True
                    student.opens.append(jar_server(client.cookies))
                    student.moves_since_open = 0
                if result.exceptions or result.metric("f(x₀)") != f"{x0 * x0:.6g}":
                    student.failures.append(f"x0={x0}: {result.exceptions or result.metric('f(x₀)')}")
            except (StreamlitProtocolError, websockets.ConnectionClosed) as exc:
                # Closed while sending (ConnectionClosed) or while waiting for the run (its cause).
                if isinstance(exc, websockets.ConnectionClosed) or isinstance(exc.__cause__, websockets.ConnectionClosed):
                    student.disconnects += 1
                    connected = False
                else:
                    student.failures.append(f"x0={x0}: {exc}")
            except (OSError, websockets.InvalidStatus, KeyError) as exc:
                student.failures.append(f"x0={x0}: {type(exc).__name__}: {exc}")
            if student.failures:
                break
            await asyncio.sleep(0.5)
        await client.close()
