"""Serve the lab to a class: several ``streamlit run app.py`` processes behind HAProxy.

    python deploy/cluster.py --replicas 2 --port 8080
    python deploy/cluster.py --replicas 2 --port 8080 --backend 10.0.0.5:8501 --backend 10.0.0.6:8501
    python deploy/cluster.py --replicas 2 --port 8080 --conn-per-address 1000   # a big school behind one address
    python deploy/cluster.py --replicas 2 --port 8080 --database postgresql://calc_lab:secret@db-host/calc_lab

Starts ``--replicas`` app processes on free loopback ports and HAProxy on ``--port``, with a
config generated from ``deploy/haproxy.cfg.template``: cookie affinity keeps each browser (its
page, files and websocket) on the process that holds its session, health checks on
``/_stcore/health`` take a dead process out of rotation, and its visitors are redispatched to a
survivor, where the app rebuilds each view from its URL. Each ``--backend host:port`` adds an app
server running on another machine (started there with ``streamlit run app.py --server.address
0.0.0.0 --server.port 8501``) to the same HAProxy. HAProxy also gives each client address a fair
share: at most ``--conn-per-address`` open connections and ``--sessions-per-address`` new
Streamlit sessions per 10 s (docs/SCALING.md, "Fair share per client address").

Every local process keeps its class (who joined, every checked task answer) in one database:
``--database URL`` hands that URL to each of them as ``CALC_LAB_DATABASE_URL``; without it they
inherit ``CALC_LAB_DATABASE_URL`` from this process's environment if it is set, and otherwise share
the default SQLite file of this machine (docs/CLASSROOM.md). Processes on several machines need one
PostgreSQL server: give each machine's app the same URL. The URL's password is never printed; the
environment variable keeps it off the command line too. Starting, warming and health checks never
touch the database, so a cluster starts, and its lessons run, while the database does not answer.

Waits until every local process is healthy and has run the home page once (its once-per-process
settings are then in place before a visitor arrives), prints the URL, and then supervises the local
processes: one that exits, or stops answering its health check, is killed with everything it forked,
started again (after a growing pause if it keeps failing) and put back in rotation once it has run
the home page; each such event is one line on stderr. SIGTERM or Ctrl-C stop HAProxy and every app
process together with its workers. SIGHUP restarts the local app processes one at a time, each
taken out of rotation first, e.g. after updating the app.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("haproxy.cfg.template")
BACKEND = "streamlit"
# The class store's setting (classroom/config.py), named here so that starting HAProxy imports no database code.
DATABASE_URL_ENV = "CALC_LAB_DATABASE_URL"
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 15

# Supervision. A process is hung after HEALTH_FAILURES health checks in a row got no answer within
# HEALTH_TIMEOUT_S each, one every CHECK_INTERVAL_S: about 9 s of silence. A busy but live process
# answers within milliseconds (the health check is served by its event loop, not by a script run).
CHECK_INTERVAL_S = 1.0
HEALTH_TIMEOUT_S = 2.0
HEALTH_FAILURES = 3
# The first restart of a process is immediate. A process that fails again within STABLE_S of its last
# start waits before the next one, twice as long each time: 2, 4, 8, ... up to BACKOFF_MAX_S.
STABLE_S = 60.0
BACKOFF_MIN_S = 2.0
BACKOFF_MAX_S = 60.0


@dataclass(frozen=True)
class Limits:
    """What HAProxy lets one client address hold, and how many connections the whole frontend accepts.

    ``conn_per_address``: open connections per source address. A browser tab holds one websocket and,
    while it loads, up to six HTTP connections (Chromium's limit per host), which close 15 s after its
    last request; a class behind one school NAT address needs about 8 per student (500: 60 students).
    ``sessions_per_address``: new Streamlit sessions (requests to ``/_stcore/stream``) per source
    address in any 10 s; a whole class of 60 may open the link at once, or reconnect after a restart.
    ``max_connections``: the frontend's ``maxconn``; HAProxy's global limit is a little above it, so
    the runtime API (which the supervisor uses) always has room.
    """

    conn_per_address: int = 500
    sessions_per_address: int = 60
    max_connections: int = 4000

    def __post_init__(self):
        for name in ("conn_per_address", "sessions_per_address", "max_connections"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")


@dataclass
class Replica:
    """One local app process; ``name`` is its HAProxy server name, ``cookie`` its affinity cookie value.

    The cookie value is random for each cluster start, so a visitor cannot name a process it was not
    sent to; HAProxy ignores an unknown value and balances that visitor as a new one.
    """

    name: str
    port: int
    process: subprocess.Popen | None = None
    cookie: str = field(default_factory=lambda: secrets.token_hex(8))
    # Held while the process is being checked, restarted or recovered, so only one of these acts on it.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    failed_checks: int = 0
    started_at: float = 0.0
    backoff_s: float = 0.0

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/_stcore/health"

    def next_pause(self, now: float) -> float:
        """Seconds to wait before starting this process again after a fault at ``now``, remembered for the next.

        No pause after a process that ran for STABLE_S; after one that failed sooner, twice the last pause
        (BACKOFF_MIN_S at first), at most BACKOFF_MAX_S.
        """
        if now - self.started_at < STABLE_S:
            self.backoff_s = min(max(2 * self.backoff_s, BACKOFF_MIN_S), BACKOFF_MAX_S)
        else:
            self.backoff_s = 0.0
        return self.backoff_s


def redact(database: str) -> str:
    """A database URL as it may appear in a log: its password, if any, replaced by ``***``."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(database).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "(an unreadable database URL)"


def check_database(database: str) -> str | None:
    """Why ``database`` cannot be the class store's URL, or None; the reason never quotes the URL (its password)."""
    from sqlalchemy.exc import ArgumentError

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from classroom.config import engine_url

    try:
        engine_url(database)
    except ArgumentError:
        return "not a database URL (postgresql://user:password@host/dbname, or sqlite:////absolute/path.sqlite3)"
    except ValueError as exc:
        return str(exc)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def haproxy_config(bind: str, port: int, socket_path: str, servers: list[tuple[str, str, str]],
                   limits: Limits = Limits()) -> str:
    """The HAProxy config for ``servers``, a list of (name, "host:port", cookie value) triples."""
    lines = "\n".join(f"    server {name} {address} cookie {cookie}" for name, address, cookie in servers)
    return Template(TEMPLATE.read_text()).substitute(
        bind=bind, port=port, socket=socket_path, servers=lines, maxconn=limits.max_connections,
        global_maxconn=limits.max_connections + 100, conn_per_address=limits.conn_per_address,
        sessions_per_address=limits.sessions_per_address)


def answers(url: str, timeout: float) -> bool:
    """Whether ``url`` answers 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = START_TIMEOUT_S) -> None:
    """Return once ``url`` answers 200; raise if ``process`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with code {process.returncode} before {url} answered")
        if answers(url, timeout=5):
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
    from labclient import StreamlitClient

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


def kill_group(process: subprocess.Popen) -> None:
    """Kill a process started in its own session, and everything it forked, at once, and reap it.

    SIGKILL, because a hung or stopped (SIGSTOP) process never acts on SIGTERM.
    """
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def describe_exit(code: int) -> str:
    if code < 0:
        with suppress(ValueError):
            return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


class Cluster:
    """``replicas`` local app processes plus ``backends`` elsewhere, behind one HAProxy on ``port``.

    ``log`` receives the output of every child and the supervisor's lines; by default app logs go to
    this process's stderr and their start-up banners (which name the loopback ports) are dropped.
    ``app_options`` are added to each ``streamlit run`` command line (e.g. logger settings).
    ``database``, when given, is every local process's ``CALC_LAB_DATABASE_URL``; otherwise they
    inherit this process's environment (the variable if set, else the default SQLite file).
    """

    def __init__(self, replicas: int, port: int, bind: str = "0.0.0.0", backends: tuple[str, ...] = (),
                 log: IO | None = None, limits: Limits = Limits(), app_options: tuple[str, ...] = (),
                 database: str | None = None):
        self.port = port
        self.database = database
        self.bind = bind
        self.backends = backends
        self.log = log
        self.limits = limits
        self.app_options = app_options
        self.replicas = [Replica(f"app{i}", free_port()) for i in range(1, replicas + 1)]
        self.backend_cookies = {f"host{i}": secrets.token_hex(8) for i in range(1, len(backends) + 1)}
        self.haproxy: subprocess.Popen | None = None
        self._workdir = tempfile.mkdtemp(prefix="calc_lab_cluster_")
        self._socket = os.path.join(self._workdir, "haproxy.sock")
        self._stopping = threading.Event()
        # Every process started, and a lock taken to start one and to begin stopping: stop() finds
        # every child, even one a supervising thread started a moment before.
        self._children: list[subprocess.Popen] = []
        self._spawn_lock = threading.Lock()
        self._watchers: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.bind in ("0.0.0.0", "::") else self.bind
        return f"http://{host}:{self.port}"

    def say(self, message: str) -> None:
        """One plain line about the cluster, with the time, where the children's output goes."""
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} cluster: {message}\n"
        if self.log is not None:
            self.log.flush()
            os.write(self.log.fileno(), line.encode())
        else:
            sys.stderr.write(line)
            sys.stderr.flush()

    def _spawn(self, command: list[str], **env: str) -> subprocess.Popen:
        # Its own session: a Ctrl-C reaches only this script, which then stops the children in
        # order, and killpg reaches whatever a child forked.
        stdout = self.log if self.log is not None else subprocess.DEVNULL
        stderr = self.log if self.log is not None else None
        with self._spawn_lock:
            if self._stopping.is_set():
                raise RuntimeError("the cluster is stopping")
            process = subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=stderr, start_new_session=True,
                                       env={**os.environ, **env})
            self._children.append(process)
        return process

    def spawn_replica(self, replica: Replica) -> None:
        # Everything else (no file watcher among it) comes from .streamlit/config.toml.
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                   "--server.port", str(replica.port), "--server.address", "127.0.0.1",
                   "--server.headless", "true", *self.app_options]
        # One process per core: BLAS threads in every replica would fight over the same cores.
        env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        if self.database:
            env[DATABASE_URL_ENV] = self.database  # in the environment: never on a command line or in a log
        replica.process = self._spawn(command, **env)
        replica.started_at = time.monotonic()
        replica.failed_checks = 0

    def start(self) -> None:
        for replica in self.replicas:
            self.spawn_replica(replica)
        for replica in self.replicas:
            wait_healthy(replica.health_url, replica.process)
            warm(replica.port)
        servers = [(r.name, f"127.0.0.1:{r.port}", r.cookie) for r in self.replicas]
        servers += [(name, address, cookie) for (name, cookie), address
                    in zip(self.backend_cookies.items(), self.backends)]
        config = Path(self._workdir, "haproxy.cfg")
        config.write_text(haproxy_config(self.bind, self.port, self._socket, servers, self.limits))
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

    def _bring_up(self, replica: Replica, timeout: float = START_TIMEOUT_S) -> None:
        """Start ``replica`` (taken out of rotation before), warm it, and return once HAProxy routes to it."""
        self.spawn_replica(replica)
        wait_healthy(replica.health_url, replica.process)
        warm(replica.port)
        self.admin(f"set server {BACKEND}/{replica.name} state ready")
        deadline = time.monotonic() + timeout
        while self.server_status().get(replica.name) != "UP":
            if time.monotonic() > deadline:
                raise RuntimeError(f"HAProxy did not put {replica.name} back in rotation within {timeout:.0f} s")
            if self._stopping.wait(0.5):
                raise RuntimeError("the cluster is stopping")

    def restart(self, replica: Replica, timeout: float = START_TIMEOUT_S) -> None:
        """Restart one local process out of rotation; return once HAProxy sends it visitors again."""
        with replica.lock:
            self.admin(f"set server {BACKEND}/{replica.name} state maint")
            stop_group(replica.process)
            self._bring_up(replica, timeout)

    def rolling_restart(self) -> None:
        """Restart the local processes one at a time, so the others keep serving."""
        for replica in self.replicas:
            self.restart(replica)

    # -- supervision ----------------------------------------------------------------------------

    def fault(self, replica: Replica) -> str | None:
        """What is wrong with ``replica`` now, or None: it exited, or it missed HEALTH_FAILURES checks in a row.

        Reaps an exited process (a killed one would otherwise stay a zombie).
        """
        code = replica.process.poll()
        if code is not None:
            return describe_exit(code)
        if answers(replica.health_url, timeout=HEALTH_TIMEOUT_S):
            replica.failed_checks = 0
            return None
        replica.failed_checks += 1
        if replica.failed_checks >= HEALTH_FAILURES:
            return f"did not answer {replica.failed_checks} health checks in a row ({HEALTH_TIMEOUT_S:.0f} s each)"
        return None

    def recover(self, replica: Replica, fault: str) -> None:
        """Take ``replica`` out of rotation, kill it with everything it forked, and start it again.

        Waits first when it failed soon after its last start (see STABLE_S). A start that fails is
        logged and killed, so the next check finds it exited and tries again, after a longer wait.
        """
        noticed = time.monotonic()
        pause = replica.next_pause(noticed)
        pid = replica.process.pid
        self.say(f"{replica.name} (pid {pid}) {fault}; restarting it" + (f" in {pause:.0f} s" if pause else ""))
        with suppress(OSError):
            self.admin(f"set server {BACKEND}/{replica.name} state maint")
        kill_group(replica.process)
        if self._stopping.wait(pause):
            return
        try:
            self._bring_up(replica)
        except Exception as exc:  # any failure to start is retried by the next check
            if self._stopping.is_set():
                return
            self.say(f"{replica.name} did not come back: {exc}")
            if replica.process is not None and replica.process.pid != pid:
                kill_group(replica.process)
            return
        self.say(f"{replica.name} (pid {replica.process.pid}) back in rotation, "
                 f"{time.monotonic() - noticed:.1f} s after its fault was noticed")

    def check_once(self, replica: Replica) -> None:
        """Check ``replica`` once and recover it if it is at fault; skipped while a restart holds it."""
        if not replica.lock.acquire(blocking=False):
            return
        try:
            if self._stopping.is_set():
                return
            fault = self.fault(replica)
            if fault is not None:
                self.recover(replica, fault)
        finally:
            replica.lock.release()

    def _watch(self, replica: Replica) -> None:
        while not self._stopping.wait(CHECK_INTERVAL_S):
            try:
                self.check_once(replica)
            except Exception as exc:  # the watcher must outlive any one failure
                if not self._stopping.is_set():
                    self.say(f"{replica.name}: supervision error: {type(exc).__name__}: {exc}")

    def supervise(self) -> None:
        """Watch every local process from a thread of its own each (one at a time would delay a second
        fault by the first one's restart); returns at once. ``stop()`` ends the watching."""
        for replica in self.replicas:
            watcher = threading.Thread(target=self._watch, args=(replica,), name=f"watch-{replica.name}",
                                       daemon=True)
            watcher.start()
            self._watchers.append(watcher)

    def stop(self) -> None:
        """Stop supervising, then HAProxy, so no request reaches a stopping process, then every replica."""
        with self._spawn_lock:
            self._stopping.set()
        current = [self.haproxy, *(r.process for r in self.replicas)]
        # Also any process the supervisor started but had not yet recorded; the ones it replaced were reaped.
        others = [p for p in self._children if p not in current and p.poll() is None]
        for process in current + others:
            if process is not None:
                stop_group(process)
        for watcher in self._watchers:
            watcher.join(timeout=START_TIMEOUT_S)
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
    defaults = Limits()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="app processes on this machine (default 2)")
    parser.add_argument("--port", type=int, default=8501, help="port HAProxy listens on (default 8501)")
    parser.add_argument("--bind", default="0.0.0.0", help="address HAProxy listens on (default all)")
    parser.add_argument("--backend", action="append", default=[], metavar="HOST:PORT",
                        help="an app server on another machine; repeat for each")
    parser.add_argument("--conn-per-address", type=int, default=defaults.conn_per_address, metavar="N",
                        help="open connections one client address may hold; about 8 per student behind "
                             f"one school NAT address (default {defaults.conn_per_address})")
    parser.add_argument("--sessions-per-address", type=int, default=defaults.sessions_per_address,
                        metavar="N", help="new app sessions one client address may open in any 10 s; "
                                          f"about 1 per student (default {defaults.sessions_per_address})")
    parser.add_argument("--max-connections", type=int, default=defaults.max_connections, metavar="N",
                        help=f"connections HAProxy accepts from all clients (default {defaults.max_connections})")
    parser.add_argument("--database", metavar="URL",
                        help="the class database every local app process uses, as CALC_LAB_DATABASE_URL: "
                             "postgresql://user:password@host/dbname, which app servers on several machines "
                             "need (one PostgreSQL server for all of them). Without it the processes use "
                             "CALC_LAB_DATABASE_URL from this environment if set, else they share this "
                             "machine's default SQLite file (docs/CLASSROOM.md). Setting "
                             "CALC_LAB_DATABASE_URL instead keeps the password out of the process list")
    args = parser.parse_args(argv)
    if args.database is not None and (reason := check_database(args.database)):
        parser.error(f"--database: {reason}")
    if args.replicas < 1 and not args.backend:
        parser.error("nothing to serve: give --replicas 1 or more, or a --backend")
    try:
        limits = Limits(args.conn_per_address, args.sessions_per_address, args.max_connections)
    except ValueError as exc:
        parser.error(str(exc))

    haproxy_binary()
    cluster = Cluster(args.replicas, args.port, args.bind, tuple(args.backend), limits=limits,
                      database=args.database)
    signal.signal(signal.SIGTERM, _raise(SystemExit))
    try:
        cluster.start()
        for replica in cluster.replicas:
            print(f"{replica.name}: 127.0.0.1:{replica.port}, pid {replica.process.pid}", flush=True)
        database = args.database or os.environ.get(DATABASE_URL_ENV)
        print(f"Class database: {redact(database) if database else 'the default SQLite file, shared by the local processes'}",
              flush=True)
        print(f"Serving {args.replicas} local process(es) and {len(args.backend)} other host(s) at {cluster.url}",
              flush=True)
        cluster.supervise()
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
