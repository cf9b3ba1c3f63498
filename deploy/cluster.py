"""Serve the lab to a class: several ``streamlit run app.py`` processes behind HAProxy.

    python deploy/cluster.py --replicas 2 --port 8080
    python deploy/cluster.py --replicas 2 --port 8080 --backend 10.0.0.5:8501 --backend 10.0.0.6:8501

Starts ``--replicas`` app processes on free loopback ports and HAProxy on ``--port``, with a
config generated from ``deploy/haproxy.cfg.template``: cookie affinity keeps each browser (its
page, files and websocket) on the process that holds its session, health checks on
``/_stcore/health`` take a dead process out of rotation, and its visitors are redispatched to a
survivor, where the app rebuilds each view from its URL. Each ``--backend host:port`` adds an app
server running on another machine (started there with ``streamlit run app.py --server.address
0.0.0.0 --server.port 8501``) to the same HAProxy.

Waits until every local process is healthy and has run the home page once (its once-per-process
settings are then in place before a visitor arrives), prints the URL, and runs until SIGTERM or Ctrl-C,
which stop HAProxy and every app process together with its workers. SIGHUP restarts the local
app processes one at a time, each taken out of rotation first, e.g. after updating the app.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("haproxy.cfg.template")
BACKEND = "streamlit"
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 15


@dataclass
class Replica:
    """One local app process; ``name`` is its HAProxy server name and cookie value."""

    name: str
    port: int
    process: subprocess.Popen | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def haproxy_config(bind: str, port: int, socket_path: str, servers: list[tuple[str, str]]) -> str:
    """The HAProxy config for ``servers``, a list of (name, "host:port") pairs."""
    lines = "\n".join(f"    server {name} {address} cookie {name}" for name, address in servers)
    return Template(TEMPLATE.read_text()).substitute(bind=bind, port=port, socket=socket_path, servers=lines)


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = START_TIMEOUT_S) -> None:
    """Return once ``url`` answers 200; raise if ``process`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with code {process.returncode} before {url} answered")
        with suppress(OSError):
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def warm(port: int) -> None:
    """Open the home page of the process on ``port`` once, over its websocket, as a browser would.

    The process then runs ``app.py`` before its first visitor does, so its once-per-process
    settings are in place (``ui/reconnect.py``: a tab that reconnects to it after a restart keeps
    its next move). The lessons' own imports still come with the first visit to each lesson.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.streamlit_client import StreamlitClient

    async def open_home() -> None:
        async with StreamlitClient(f"http://127.0.0.1:{port}", timeout=START_TIMEOUT_S) as client:
            await client.open("")

    # In a thread of its own: the caller may already run an event loop (a test driving a browser).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, open_home()).result()


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started in its own session, and everything it forked."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    # Workers the app forked may outlive it; they share its process group.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


class Cluster:
    """``replicas`` local app processes plus ``backends`` elsewhere, behind one HAProxy on ``port``.

    ``log`` receives the output of every child; by default app logs go to this process's
    stderr and their start-up banners (which name the loopback ports) are dropped.
    """

    def __init__(self, replicas: int, port: int, bind: str = "0.0.0.0", backends: tuple[str, ...] = (),
                 log: IO | None = None):
        self.port = port
        self.bind = bind
        self.backends = backends
        self.log = log
        self.replicas = [Replica(f"app{i}", free_port()) for i in range(1, replicas + 1)]
        self.haproxy: subprocess.Popen | None = None
        self._workdir = tempfile.mkdtemp(prefix="calc_lab_cluster_")
        self._socket = os.path.join(self._workdir, "haproxy.sock")

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.bind in ("0.0.0.0", "::") else self.bind
        return f"http://{host}:{self.port}"

    def _spawn(self, command: list[str], **env: str) -> subprocess.Popen:
        # Its own session: a Ctrl-C reaches only this script, which then stops the children in
        # order, and killpg reaches whatever a child forked.
        stdout = self.log if self.log is not None else subprocess.DEVNULL
        stderr = self.log if self.log is not None else None
        return subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=stderr, start_new_session=True,
                                env={**os.environ, **env})

    def spawn_replica(self, replica: Replica) -> None:
        # Everything else (no file watcher among it) comes from .streamlit/config.toml.
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                   "--server.port", str(replica.port), "--server.address", "127.0.0.1",
                   "--server.headless", "true"]
        # One process per core: BLAS threads in every replica would fight over the same cores.
        replica.process = self._spawn(command, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")

    def start(self) -> None:
        for replica in self.replicas:
            self.spawn_replica(replica)
        for replica in self.replicas:
            wait_healthy(f"http://127.0.0.1:{replica.port}/_stcore/health", replica.process)
            warm(replica.port)
        servers = [(r.name, f"127.0.0.1:{r.port}") for r in self.replicas]
        servers += [(f"host{i}", address) for i, address in enumerate(self.backends, start=1)]
        config = Path(self._workdir, "haproxy.cfg")
        config.write_text(haproxy_config(self.bind, self.port, self._socket, servers))
        self.haproxy = self._spawn([haproxy_binary(), "-db", "-f", str(config)])
        wait_healthy(f"{self.url}/_stcore/health", self.haproxy)

    def admin(self, command: str) -> str:
        """Send one command to HAProxy's runtime API and return its answer."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(10)
            sock.connect(self._socket)
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_status(self) -> dict[str, str]:
        """HAProxy's view of each server: "UP", "DOWN", "MAINT", ..."""
        rows = csv.DictReader(self.admin("show stat").lstrip("# ").splitlines())
        return {row["svname"]: row["status"] for row in rows if row["pxname"] == BACKEND
                and row["svname"] not in ("FRONTEND", "BACKEND")}

    def restart(self, replica: Replica, timeout: float = START_TIMEOUT_S) -> None:
        """Restart one local process out of rotation; return once HAProxy sends it visitors again."""
        self.admin(f"set server {BACKEND}/{replica.name} state maint")
        stop_group(replica.process)
        self.spawn_replica(replica)
        wait_healthy(f"http://127.0.0.1:{replica.port}/_stcore/health", replica.process)
        warm(replica.port)
        self.admin(f"set server {BACKEND}/{replica.name} state ready")
        deadline = time.monotonic() + timeout
        while self.server_status().get(replica.name) != "UP":
            if time.monotonic() > deadline:
                raise RuntimeError(f"HAProxy did not put {replica.name} back in rotation within {timeout:.0f} s")
            time.sleep(0.5)

    def rolling_restart(self) -> None:
        """Restart the local processes one at a time, so the others keep serving."""
        for replica in self.replicas:
            self.restart(replica)

    def stop(self) -> None:
        """Stop HAProxy first, so no request reaches a stopping process, then every replica."""
        for process in [self.haproxy, *(r.process for r in self.replicas)]:
            if process is not None:
                stop_group(process)
        shutil.rmtree(self._workdir, ignore_errors=True)


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise SystemExit("haproxy is not installed (Debian: apt-get install -y haproxy)")
    return found


class RestartRequested(Exception):
    """Raised by the SIGHUP handler to interrupt the wait in :func:`main`."""


def _raise(exception: type[BaseException]):
    def handler(signum, frame):
        raise exception

    return handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="app processes on this machine (default 2)")
    parser.add_argument("--port", type=int, default=8501, help="port HAProxy listens on (default 8501)")
    parser.add_argument("--bind", default="0.0.0.0", help="address HAProxy listens on (default all)")
    parser.add_argument("--backend", action="append", default=[], metavar="HOST:PORT",
                        help="an app server on another machine; repeat for each")
    args = parser.parse_args(argv)
    if args.replicas < 1 and not args.backend:
        parser.error("nothing to serve: give --replicas 1 or more, or a --backend")

    haproxy_binary()
    cluster = Cluster(args.replicas, args.port, args.bind, tuple(args.backend))
    signal.signal(signal.SIGTERM, _raise(SystemExit))
    try:
        cluster.start()
        for replica in cluster.replicas:
            print(f"{replica.name}: 127.0.0.1:{replica.port}, pid {replica.process.pid}", flush=True)
        print(f"Serving {args.replicas} local process(es) and {len(args.backend)} other host(s) at {cluster.url}",
              flush=True)
        while True:
            signal.signal(signal.SIGHUP, _raise(RestartRequested))
            try:
                signal.pause()
            except RestartRequested:
                # A second SIGHUP must not interrupt the restart it asked for.
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                cluster.rolling_restart()
                print("Restarted every local process", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        # A second SIGTERM or Ctrl-C (a supervisor, or `timeout` passing one on) must not cut the cleanup short.
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        cluster.stop()


if __name__ == "__main__":
    main()
