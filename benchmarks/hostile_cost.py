"""What each hostile request costs the server process: CPU seconds per case of the class corpus.

Usage:
  python benchmarks/hostile_cost.py                  # a real `streamlit run app.py`, websocket client
  python benchmarks/hostile_cost.py --mode apptest   # in this process under AppTest (no server)
  python benchmarks/hostile_cost.py --only integrals --timeout 60

Every case of tests/hostile_classes.py is sent the way a visitor sends it: a shared
link (the case's query string) opened in a new session, then the case's button
clicks. Server mode starts the app on a loopback port and drives it with
``labclient/streamlit_client.py``; a case's cost is the CPU (user + system) the
server process used from opening the session until it is idle again after the last
run, excluding the killable worker processes (their CPU is shown beside it: it is
niced and bounded by the time budget). Cases with an upload run under AppTest in this
process instead (the client does not upload files), measured by ``time.process_time``
of this process, which excludes worker children as well. Each page is opened once
with its defaults first, so the figures are the cost of the hostile input, not of
imports and first-visit caches.

Prints one row per case, then per class and overall the median and the slowest
case. Target: no case over 2 s of server CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.protocol_load import free_port, start_server  # noqa: E402
from labclient import StreamlitClient, StreamlitProtocolError  # noqa: E402
from tests.hostile_classes import CASES, CLASSES, TASK_ANSWER_SUFFIX, Case, run_case  # noqa: E402
from ui.lessons import lesson_for  # noqa: E402

TARGET_S = 2.0
IDLE_STEP_S = 0.1
IDLE_CPU_S = 0.005  # less CPU than this in one step: the server has finished the case's work
SETTLE_LIMIT_S = 300.0  # a runaway case gets this long to end before the server is restarted


@dataclass
class Cost:
    case: Case
    server_s: float
    workers_s: float
    wall_s: float
    outcome: str
    via: str


class Server:
    """``streamlit run app.py`` on a free port, with CPU readings of the server and of its workers."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = start_server(self.port, ["browser.gatherUsageStats=false"])
        self.psutil = psutil.Process(self.process.pid)
        self.url = f"http://127.0.0.1:{self.port}"

    def server_cpu(self) -> float:
        times = self.psutil.cpu_times()
        return times.user + times.system

    def workers_cpu(self) -> float:
        """CPU of the worker processes: those that ended and were reaped, plus those still running."""
        times = self.psutil.cpu_times()
        running = 0.0
        for child in self.psutil.children(recursive=True):
            try:
                child_times = child.cpu_times()
            except psutil.NoSuchProcess:
                continue
            running += child_times.user + child_times.system
        return times.children_user + times.children_system + running

    def settle(self, limit_s: float = SETTLE_LIMIT_S) -> bool:
        """Wait until the server and its workers are idle; False if they are still busy after ``limit_s``."""
        previous = self.server_cpu() + self.workers_cpu()
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            time.sleep(IDLE_STEP_S)
            now = self.server_cpu() + self.workers_cpu()
            if now - previous < IDLE_CPU_S:
                return True
            previous = now
        return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()


def page_path(case: Case) -> str:
    return lesson_for(case.page).url_path


async def _visit(server: Server, case: Case, timeout: float) -> str:
    async with StreamlitClient(server.url, timeout=timeout) as client:
        # A task's answer never travels in a link: it is typed into the box after the link's run.
        typed = {key: value for key, value in case.query.items() if key.endswith(TASK_ANSWER_SUFFIX)}
        result = await client.open(page_path(case),
                                   urlencode({k: v for k, v in case.query.items() if k not in typed}))
        for key, value in typed.items():
            result = await client.set_widget(key, value)
        for key in case.clicks:
            result = await client.click(key)
        if result.exceptions:
            return "exception element"
        return "ok"


def measure_on_server(server: Server, case: Case, timeout: float) -> Cost:
    server.settle(30)
    cpu, workers, start = server.server_cpu(), server.workers_cpu(), time.perf_counter()
    try:
        outcome = asyncio.run(_visit(server, case, timeout))
    except (StreamlitProtocolError, KeyError) as exc:
        outcome = str(exc)[:60]
    wall = time.perf_counter() - start
    settled = server.settle()
    cost = Cost(case, server.server_cpu() - cpu, server.workers_cpu() - workers, wall, outcome, "server")
    if not settled:
        cost.outcome += "; still busy, server restarted"
    return cost


def measure_in_process(case: Case, timeout: float) -> Cost:
    cpu, start = time.process_time(), time.perf_counter()
    try:
        at = run_case(case, timeout)
        outcome = "exception element" if at.exception else "ok"
    except Exception as exc:  # a run over its time limit is a result here
        outcome = f"{type(exc).__name__}: {str(exc)[:50]}"
    return Cost(case, time.process_time() - cpu, float("nan"), time.perf_counter() - start, outcome, "AppTest")


def warm_pages(cases: list[Case], server: Server | None, timeout: float) -> None:
    """Open each page once with its defaults: on the server, and in this process for cases run under AppTest."""
    for page in sorted({case.page for case in cases}):
        plain = Case("warm-up", page, "defaults")
        if server is not None:
            asyncio.run(_visit(server, plain, timeout))
        if server is None or any(case.upload is not None for case in cases if case.page == page):
            run_case(plain, timeout)


def report(costs: list[Cost], baseline: list[Cost]) -> None:
    print("\nreference: a new session on each page with its defaults (after the warm-up)")
    for cost in baseline:
        print(f"   {page_path(cost.case):<14}{cost.server_s:>6.2f} s server CPU  ({cost.via})")
    print(f"\n{'class':<14}{'page':<14}{'case':<36}{'server CPU s':>13}{'workers s':>11}{'wall s':>9}  via      outcome")
    for cost in costs:
        print(f"{cost.case.kind:<14}{page_path(cost.case):<14}{cost.case.id[:35]:<36}{cost.server_s:>13.2f}"
              f"{cost.workers_s:>11.2f}{cost.wall_s:>9.1f}  {cost.via:<8} {cost.outcome}")
    print(f"\n{'class':<14}{'cases':>6}{'median s':>10}{'slowest s':>11}   slowest case")
    for kind in [*CLASSES, "all"]:
        chosen = [c for c in costs if kind in ("all", c.case.kind)]
        if not chosen:
            continue
        worst = max(chosen, key=lambda c: c.server_s)
        print(f"{kind:<14}{len(chosen):>6}{statistics.median(c.server_s for c in chosen):>10.2f}"
              f"{worst.server_s:>11.2f}   {page_path(worst.case)}:{worst.case.id}")
    over = [c for c in costs if c.server_s > TARGET_S]
    print(f"\ncases over the {TARGET_S:g} s target: {len(over)} of {len(costs)}"
          + (": " + ", ".join(f"{page_path(c.case)}:{c.case.id}" for c in over) if over else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("server", "apptest"), default="server")
    parser.add_argument("--only", default="", help="run only cases whose page or id contains this text")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one run")
    args = parser.parse_args()
    cases = [c for c in CASES if args.only in f"{c.page}:{c.id}"]
    costs = []
    server = Server() if args.mode == "server" else None
    try:
        warm_pages(cases, server, args.timeout)
        baseline = [measure_in_process(plain, args.timeout) if server is None
                    else measure_on_server(server, plain, args.timeout)
                    for plain in (Case("reference", page, "defaults") for page in sorted({c.page for c in cases}))]
        for case in cases:
            if server is not None and case.upload is None:
                cost = measure_on_server(server, case, args.timeout)
                if cost.outcome.endswith("server restarted"):
                    server.stop()
                    server = Server()
                    warm_pages(cases, server, args.timeout)
            else:
                cost = measure_in_process(case, args.timeout)
            costs.append(cost)
            print(f"{page_path(case)}:{case.id}: {cost.server_s:.2f} s server CPU ({cost.outcome})", flush=True)
    finally:
        if server is not None:
            server.stop()
    report(costs, baseline)


if __name__ == "__main__":
    main()
