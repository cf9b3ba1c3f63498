"""deploy/cluster.py from the command line: a valid HAProxy config, and no process left behind."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from deploy.cluster import BACKOFF_MAX_S, ROOT, STABLE_S, TEMPLATE, Limits, Replica, free_port, haproxy_config
from labclient import StreamlitClient
from tests.cluster.conftest import WAIT_S, require_haproxy

pytestmark = pytest.mark.cluster


def test_generated_config_is_valid_and_lists_every_backend(tmp_path):
    haproxy = require_haproxy()
    servers = [("app1", "127.0.0.1:8601", "3f2a9c0d1e4b5a67"), ("app2", "127.0.0.1:8602", "0b1c2d3e4f5a6b7c"),
               ("host1", "10.0.0.5:8501", "a1b2c3d4e5f60718")]
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config("0.0.0.0", 8501, str(tmp_path / "haproxy.sock"), servers,
                                     Limits(conn_per_address=900, sessions_per_address=120, max_connections=3000)))
    check = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr
    text = config.read_text()
    for name, address, cookie in servers:
        assert f"server {name} {address} cookie {cookie}" in text
    for line in ("cookie SERVERID insert indirect nocache", "option httpchk GET /_stcore/health",
                 "option redispatch", "timeout tunnel", "maxconn 3000", "maxconn 3100",
                 "tcp-request connection reject if { sc0_conn_cur gt 900 }",
                 "{ sc1_http_req_rate(new_sessions) gt 120 }"):
        assert line in text


def seconds(haproxy_time: str) -> float:
    value, unit = re.fullmatch(r"(\d+)(ms|s|m|h|d)?", haproxy_time).groups()
    return int(value) * {"ms": 0.001, "s": 1, None: 0.001, "m": 60, "h": 3600, "d": 86400}[unit]


def test_a_live_tabs_websocket_is_never_idle_long_enough_for_haproxy_to_close_it():
    """Streamlit pings every websocket (uvicorn, ``server.websocketPingInterval``, 30 s by default) and the
    browser answers: HAProxy's tunnel timeout must leave room for a few of those pings, and no more."""
    from streamlit import config as streamlit_config
    from streamlit.web.server.starlette.starlette_server import _get_websocket_settings

    streamlit_config.get_config_options(options_from_flags={})
    ping_interval, _ = _get_websocket_settings()
    tunnel = seconds(re.search(r"^\s*timeout tunnel (\S+)", TEMPLATE.read_text(), re.M).group(1))
    assert 3 * ping_interval <= tunnel <= 300, (ping_interval, tunnel)


def test_a_process_that_keeps_failing_waits_longer_each_time_and_one_that_ran_a_while_restarts_at_once():
    replica = Replica("app1", 8601, started_at=1000.0)
    pauses = []
    for _ in range(7):  # each start fails 5 s after the previous one
        pauses.append(replica.next_pause(replica.started_at + 5))
        replica.started_at += 5 + pauses[-1]
    assert pauses == [2, 4, 8, 16, 32, BACKOFF_MAX_S, BACKOFF_MAX_S]
    ran_a_while = replica.started_at + STABLE_S + 1
    assert replica.next_pause(ran_a_while) == 0
    replica.started_at = ran_a_while
    assert replica.next_pause(ran_a_while + 5) == 2, "a fault soon after that start waits again, from the start"


def processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, process group) of every live, non-zombie process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid, pgid = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if state != "Z":
            found.append((int(stat.parent.name), int(ppid), int(pgid)))
    return found


@pytest.mark.parametrize("stop, times", [(signal.SIGTERM, 1), (signal.SIGINT, 1), (signal.SIGTERM, 2)],
                         ids=["SIGTERM", "Ctrl-C", "SIGTERM twice"])
def test_cli_serves_through_haproxy_and_stops_every_child(stop, times):
    require_haproxy()
    port = free_port()
    process = subprocess.Popen([sys.executable, "deploy/cluster.py", "--replicas", "1", "--port", str(port),
                                "--bind", "127.0.0.1"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.monotonic() + WAIT_S * 2
        while not lines or not lines[-1].startswith("Serving"):
            assert time.monotonic() < deadline and process.poll() is None, lines
            lines.append(process.stdout.readline().strip())
        assert lines[-1].endswith(f"http://127.0.0.1:{port}")
        app_pid = int(re.search(r"pid (\d+)", lines[0]).group(1))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30) as response:
            assert response.status == 200
            cookies = response.headers.get_all("Set-Cookie")
            assert any(re.fullmatch(r"SERVERID=[0-9a-f]{16}; path=/; HttpOnly", c) for c in cookies), cookies
        # The app and HAProxy, each leading its own process group.
        groups = {pgid for _, ppid, pgid in processes() if ppid == process.pid}
        assert app_pid in groups and len(groups) == 2

        for _ in range(times):  # a second signal arrives while the first one's cleanup runs
            process.send_signal(stop)
            time.sleep(0.05)
        assert process.wait(timeout=WAIT_S) == 0
        assert [p for p in processes() if p[2] in groups] == []
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5)
    finally:
        if process.poll() is None:
            process.kill()


async def answer_task(url: str):
    async with StreamlitClient(url, timeout=WAIT_S) as client:
        client.set_cookie("calc_lab_learner", "A" * 43)
        await client.open("derivatives")
        return await client.set_widget("deriv_task_answer", "3x^2 - 4x")


def test_database_reaches_every_app_process_but_no_log_and_a_silent_database_does_not_stop_the_start():
    """``--database`` is each app process's CALC_LAB_DATABASE_URL; the password is never printed, and since
    starting, warming and health checks never touch the database, a database that does not answer (nothing
    listens on its port) stops neither the start nor a lesson."""
    require_haproxy()
    port, silent = free_port(), free_port()
    secret = "s3cret-pw-do-not-print"
    url = f"postgresql://calc_lab:{secret}@127.0.0.1:{silent}/calc_lab"
    env = {k: v for k, v in os.environ.items() if k != "CALC_LAB_DATABASE_URL"}
    process = subprocess.Popen([sys.executable, "deploy/cluster.py", "--replicas", "2", "--port", str(port),
                                "--bind", "127.0.0.1", "--database", url], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + WAIT_S * 3
        while not lines or not lines[-1].startswith("Serving"):
            assert time.monotonic() < deadline and process.poll() is None, lines
            lines.append(process.stdout.readline().rstrip("\n"))
        assert f"Class database: postgresql://calc_lab:***@127.0.0.1:{silent}/calc_lab" in lines
        pids = [int(m.group(1)) for line in lines if (m := re.match(r"app\d: .*, pid (\d+)$", line))]
        assert len(pids) == 2, lines
        for pid in pids:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"CALC_LAB_DATABASE_URL={url}".encode() in environ
            assert secret not in Path(f"/proc/{pid}/cmdline").read_text()
        # A returning learner (a cookie the app must look up) answers a task: the lesson runs all the same.
        run = asyncio.run(answer_task(f"http://127.0.0.1:{port}"))
        assert not run.exceptions and run.status == "ok", run
        assert any("Correct" in text for text in run.texts()), run.texts()
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=WAIT_S)
        assert process.returncode == 0
        assert secret not in "\n".join(lines) + rest
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_database_flag_refuses_what_the_class_store_cannot_use_without_quoting_it():
    for url, reason in [("mysql://root:hunter2@db/calc", "SQLite or PostgreSQL"),
                        ("hunter2 is not a url", "not a database URL")]:
        result = subprocess.run([sys.executable, "deploy/cluster.py", "--database", url], cwd=ROOT,
                                capture_output=True, text=True, timeout=WAIT_S)
        assert result.returncode == 2 and reason in result.stderr, result.stderr
        assert "hunter2" not in result.stdout + result.stderr
