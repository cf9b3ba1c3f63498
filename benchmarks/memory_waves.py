"""Resident memory of one server process across waves of sessions that train the largest network, then leave.

Usage:
  python benchmarks/memory_waves.py [--waves 4] [--sessions 20] [--train-seconds 20]
  python benchmarks/memory_waves.py --env MALLOC_ARENA_MAX=2 --option runner.postScriptGC=true

It starts ``streamlit run app.py`` on a free loopback port (with
``OPENBLAS_NUM_THREADS=1``, and a short ``server.disconnectedSessionTTL``) and
then, wave after wave, opens ``--sessions`` sessions over Streamlit's websocket
protocol (``labclient/streamlit_client.py``) on the backpropagation page at its
largest settings (5 000 samples, six hidden layers of 64, batch 8, the fast
pace, 3 000 epochs, all seven input features), presses Train in each and
answers their training ticks for ``--train-seconds``, as open tabs do. Then
every tab closes. Streamlit keeps a closed tab's session for
``server.disconnectedSessionTTL`` seconds (120 by default) so that a tab that
reconnects finds it; it forgets an expired one only when it next stores a
closed session. So after a wave the benchmark waits until the server counts no
active session (``/_stcore/metrics``), waits out the TTL, opens and closes one
session on the home page (which makes the server forget the expired ones) and
waits until the server is idle; then it samples the server's resident memory.

It prints the memory at start, at the peak of each wave (sessions alive) and
after each wave; the goal is that waves 3 and 4 end within 10 % of wave 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labclient import StreamlitClient, StreamlitProtocolError  # noqa: E402

PAGE = "backprop"
LARGEST = ("backprop_samples=5000&backprop_layers=64,64,64,64,64,64&backprop_batch=8&backprop_pace=fast"
           "&backprop_epochs=3000&backprop_feature_x1_sq=true&backprop_feature_x2_sq=true"
           "&backprop_feature_x1x2=true&backprop_feature_sin_x1=true&backprop_feature_sin_x2=true")
START_TIMEOUT_S = 90
IDLE_CPU_S = 0.01  # below this much server CPU in IDLE_STEP_S the server counts as idle
IDLE_STEP_S = 0.5


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, ttl: int, options: list[str], env: list[str]) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` on 127.0.0.1:port; returns the process and its log's path once it is healthy."""
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--server.disconnectedSessionTTL", str(ttl)]
    for option in options:
        name, _, value = option.partition("=")
        command += [f"--{name}", value]
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    environment.update(item.partition("=")[::2] for item in env)
    log = tempfile.NamedTemporaryFile(prefix="memory_waves_server_", suffix=".log", delete=False)
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=environment)
    log.close()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early; log in {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process, log.name
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not become healthy; log in {log.name}")


def rss_mb(process: psutil.Process) -> float:
    return process.memory_info().rss / 2**20


def active_sessions(url: str) -> int:
    """The server's own count of connected sessions (its metrics endpoint)."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics?families=active_sessions", timeout=10) as response:
        text = response.read().decode()
    for line in text.splitlines():
        if line.startswith("active_sessions"):
            return int(float(line.split()[-1]))
    raise RuntimeError(f"no active_sessions in the metrics: {text[:200]!r}")


async def settle(process: psutil.Process, limit_s: float = 60.0) -> None:
    """Wait until the server process uses (almost) no CPU."""
    def cpu() -> float:
        times = process.cpu_times()
        return times.user + times.system

    previous = cpu()
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        await asyncio.sleep(IDLE_STEP_S)
        now = cpu()
        if now - previous < IDLE_CPU_S:
            return
        previous = now


async def tab(url: str, train_until: float, timeout: float, counts: dict) -> None:
    """One tab: open the largest settings, press Train, answer the training ticks until ``train_until``."""
    client = StreamlitClient(url, timeout=timeout)
    try:
        result = await client.open(PAGE, LARGEST)
        counts["exceptions"] += len(result.exceptions)
        result = await client.click("backprop_train")
        counts["exceptions"] += len(result.exceptions)
        epoch = 0
        while time.monotonic() < train_until and client.auto_reruns:
            await asyncio.sleep(next(iter(client.auto_reruns.values())))
            result = await client.tick()
            counts["ticks"] += 1
            counts["exceptions"] += len(result.exceptions)
            texts = result.texts()
            counts["waiting"] += any("waiting for a training slot" in text for text in texts)
            shown = [int(m.group(1)) for text in texts if (m := re.match(r"\*\*Epoch (\d+)\*\* of", text))]
            epoch = shown[0] if shown else epoch
        counts["epochs"].append(epoch)
    except (StreamlitProtocolError, OSError, KeyError) as exc:  # KeyError: the page drew no Train button
        counts["errors"] += 1
        counts.setdefault("first_error", str(exc))
    finally:
        await client.close()


async def wave(url: str, process: psutil.Process, args) -> dict:
    """One wave: open, train, close; returns its counts and the peak memory while the tabs lived."""
    counts = {"ticks": 0, "exceptions": 0, "errors": 0, "waiting": 0, "epochs": []}
    peak = [rss_mb(process)]
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb(process))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    started = time.monotonic()
    # The clock of the training starts when the tabs have opened (a loaded server opens 20 slowly).
    train_until = started + args.open_allowance + args.train_seconds
    await asyncio.gather(*(tab(url, train_until, args.timeout, counts) for _ in range(args.sessions)))
    done.set()
    await sampler
    counts["peak_mb"] = round(peak[0], 1)
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


async def forget_closed_sessions(url: str, process: psutil.Process, ttl: int) -> None:
    """Wait until no session is connected and the closed ones have expired; make the server drop them."""
    deadline = time.monotonic() + 120
    while active_sessions(url) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    await asyncio.sleep(ttl + 1)
    # Streamlit reaps expired closed sessions when it stores the next closed one.
    async with StreamlitClient(url, timeout=120) as client:
        await client.open("")
    while active_sessions(url) and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    await settle(process)


async def main_async(args) -> dict:
    port = free_port()
    server, log = start_server(port, args.ttl, args.option, args.env)
    url = f"http://127.0.0.1:{port}"
    process = psutil.Process(server.pid)
    report: dict = {"options": args.option, "env": args.env, "sessions": args.sessions,
                    "train_seconds": args.train_seconds, "ttl": args.ttl, "log": log, "waves": []}
    try:
        await settle(process)
        report["start_mb"] = round(rss_mb(process), 1)
        print(f"start: RSS {report['start_mb']:.0f} MB (server log {log})", flush=True)
        for i in range(1, args.waves + 1):
            counts = await wave(url, process, args)
            await forget_closed_sessions(url, process, args.ttl)
            counts["after_mb"] = round(rss_mb(process), 1)
            report["waves"].append(counts)
            epochs = counts["epochs"] or [0]
            print(f"wave {i}: {args.sessions} sessions, {counts['ticks']} training ticks "
                  f"({counts['waiting']} waiting for a slot) in {counts['seconds']:.0f} s, epochs trained per session "
                  f"{min(epochs)}-{max(epochs)} (median {statistics.median(epochs):g}); "
                  f"RSS peak {counts['peak_mb']:.0f} MB, after {counts['after_mb']:.0f} MB; "
                  f"exceptions {counts['exceptions']}, errors {counts['errors']}"
                  + (f" ({counts['first_error']})" if counts.get("first_error") else ""), flush=True)
        after = [w["after_mb"] for w in report["waves"]]
        if len(after) >= 3:
            worst = max(abs(a - after[1]) / after[1] for a in after[2:])
            report["worst_vs_wave_2"] = round(worst, 3)
            print(f"waves 3+ against wave 2: at most {worst:.1%} apart (goal: 10 %)")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return report


def parse_args(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--waves", type=int, default=4)
    parser.add_argument("--sessions", type=int, default=20, help="sessions per wave")
    parser.add_argument("--train-seconds", type=float, default=20.0,
                        help="seconds each session keeps answering training ticks (after --open-allowance)")
    parser.add_argument("--open-allowance", type=float, default=10.0,
                        help="seconds added to the training time for the wave's sessions to open")
    parser.add_argument("--ttl", type=int, default=2, help="server.disconnectedSessionTTL for the server (seconds)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a client waits for one rerun")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="a Streamlit option for the server, e.g. runner.postScriptGC=true")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for the server, e.g. MALLOC_ARENA_MAX=2")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    report = asyncio.run(main_async(args))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
