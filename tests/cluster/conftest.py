"""Fixtures for the cluster tests: deploy/cluster.py on loopback, protocol students, Chromium.

Without haproxy or Chromium these tests skip with a reason, except under CI=true,
where a missing tool fails the run.

Each cluster writes its children's output and its supervisor's lines to a file in
``test-artifacts/cluster/`` (kept as an artifact, not committed); a log with a traceback or a
warning from an app process fails the module's tests when the cluster stops: see
``cluster_log_problems`` for exactly what counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import websockets

from deploy.cluster import ROOT, Cluster, answers, free_port
from labclient import StreamlitClient, StreamlitProtocolError
from tests.browser.conftest import (
    LOG_FORMAT,
    browser,  # noqa: F401 - Chromium as the browser tests launch it
    server_log_problems,
)

# The derivatives page with f(x) = x², as these tests read it (f(x₀) = x₀²), whatever the page opens on.
SQUARE = "deriv_f=x%5E2"

WAIT_S = 90
COOKIE = "SERVERID"
LOG_DIR = ROOT / "test-artifacts" / "cluster"
_SUPERVISOR_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d cluster: ")
_HAPROXY_LINE = re.compile(r"^\[(NOTICE|WARNING|ALERT)\] +\(\d+\) : (?P<message>.*)$")
# HAProxy's log format for a request or connection: `<client ip>:<port> [<date>:<time>] <frontend> ...`.
_HAPROXY_REQUEST = re.compile(r"^\S+:\d+ \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d+\] ")
_MAX_LINES_SHOWN = 60


def require_haproxy() -> str:
    path = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")
    if path is None:
        message = "haproxy is not installed (apt-get install -y haproxy)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; the cluster tests are required under CI")
        pytest.skip(message)
    return path


def cluster_log_problems(text: str) -> list[tuple[int, str]]:
    """The lines of a cluster's log that a clean run does not print, as ``(line number, line)``.

    The log interleaves three writers. The app processes run with ``--logger.level info`` and
    ``--logger.messageFormat LOG_FORMAT``, and their lines are judged as the browser tests judge a
    server's (``tests.browser.conftest.server_log_problems``: a traceback, a warning or an error
    counts; INFO records and ``streamlit run``'s banner do not). Expected besides:

    - the supervisor's lines (``<date> <time> cluster: …``): a process that died or hung, and its
      restart, which the fault tests cause on purpose;
    - HAProxy's own lines (``[WARNING]  (pid) : Server streamlit/app1 is DOWN…``), and the same
      message again without the prefix and the quotes (its log, sent to stderr in raw format):
      servers going down, into maintenance and back, and a backend left with no server, which
      the tests cause on purpose; and its per-request log lines, should its log level show them;
    - two processes' start-up banners run together: ``streamlit run`` writes "  URL: " and the
      address in separate writes, so two processes starting at once can leave "  URL:   URL: …"
      and a bare address on the next line.
    """
    haproxy_messages = {m["message"].replace("'", "") for m in map(_HAPROXY_LINE.match, text.splitlines()) if m}
    return [(number, line) for number, line in server_log_problems(text)
            if not (_SUPERVISOR_LINE.match(line) or _HAPROXY_LINE.match(line) or _HAPROXY_REQUEST.match(line)
                    or line in haproxy_messages or _INTERLEAVED_BANNER.match(line))]


# Pieces of several processes' "  URL: http://…" banner lines, written at the same moment.
_INTERLEAVED_BANNER = re.compile(r"^(\s*(Local |Network |External )?URL:)*\s*(http://\S+)?\s*$")


@contextlib.contextmanager
def running_cluster(database: str | None = None) -> Iterator[Cluster]:
    """Two supervised app processes behind HAProxy on a free loopback port, with the default limits.

    ``database`` is every app process's ``CALC_LAB_DATABASE_URL`` (``deploy/cluster.py --database``);
    without it they share the test session's SQLite file. Children log to ``cluster.log_path``; when
    the cluster stops, a line ``cluster_log_problems`` counts fails the test (the log's path is in the
    message).
    """
    require_haproxy()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = tempfile.NamedTemporaryFile(dir=LOG_DIR, prefix=time.strftime("cluster-%Y%m%d-%H%M%S-"),
                                      suffix=".log", delete=False)
    running = Cluster(2, free_port(), bind="127.0.0.1", log=log, database=database,
                      app_options=("--logger.level", "info", "--logger.messageFormat", LOG_FORMAT))
    running.log_path = Path(log.name)
    try:
        running.start()
        running.supervise()
        yield running
    finally:
        running.stop()
        log.close()
    problems = cluster_log_problems(running.log_path.read_text(errors="replace"))
    if problems:
        shown = "\n".join(f"{number:>6}: {line}" for number, line in problems[:_MAX_LINES_SHOWN])
        pytest.fail(f"the cluster log {running.log_path} has {len(problems)} unexpected line(s) "
                    f"(a traceback, a warning or an error; see cluster_log_problems):\n{shown}", pytrace=False)


@pytest.fixture(scope="module")
def cluster():
    """Two supervised app processes behind HAProxy (``running_cluster``), shared by a module's tests."""
    with running_cluster() as running:
        yield running


def wait_all_up(cluster: Cluster, timeout: float = WAIT_S) -> float:
    """Wait until every process runs, answers its health check and is UP in HAProxy; return the seconds waited."""
    started = time.monotonic()
    while not all_up(cluster):
        assert time.monotonic() - started < timeout, (
            f"not every process was back within {timeout:.0f} s: {cluster.server_status()}; log: {cluster.log_path}")
        time.sleep(0.25)
    return time.monotonic() - started


def all_up(cluster: Cluster) -> bool:
    return (cluster.server_status() == {r.name: "UP" for r in cluster.replicas}
            and all(r.process.poll() is None and answers(r.health_url, timeout=2) for r in cluster.replicas))


def served_by(context) -> str | None:
    """The app process HAProxy pins a browser context to: its SERVERID cookie (a replica's ``cookie``)."""
    return next((c["value"] for c in context.cookies() if c["name"] == COOKIE), None)


def pin_jar(url: str, server: str) -> http.cookiejar.CookieJar:
    """A cookie jar already holding HAProxy's cookie value ``server``, as a returning browser has."""
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
    opens: list[str] = field(default_factory=list)  # SERVERID (a replica's cookie) after each page open
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
                    result = await client.open("derivatives", f"{SQUARE}&deriv_x0={x0}")
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
