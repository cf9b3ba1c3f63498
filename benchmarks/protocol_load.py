"""Simulated students over Streamlit's websocket protocol: latency, throughput and server CPU per rerun.

Usage:
  python benchmarks/protocol_load.py --users 10 [--duration 40] [--think 2]
  python benchmarks/protocol_load.py --sweep 5,10,20,30,40
  python benchmarks/protocol_load.py --per-page [--moves 4] [--sessions 3]
  python benchmarks/protocol_load.py --url http://127.0.0.1:8600 --pid 1234,1235 --sweep 10,20
  python benchmarks/protocol_load.py --option runner.postScriptGC=false --per-page

Without ``--url`` it starts ``streamlit run app.py`` itself on a free port
(``--option name=value`` passes Streamlit options to it) and measures that
process. With ``--url`` (an app or a load balancer such as HAProxy) the server
CPU is summed over the ``--pid`` processes and their children; without
``--pid`` it is not reported.

Load mode: each simulated student is one ``StreamlitClient`` (one session).
It opens a lesson page (from a shared link with the page's URL values unless
``--no-link``), then repeats: think for ``--think`` seconds (uniform ±50 %),
then either switch to another lesson (probability ``--switch``) or move a
random slider of the page to a random value on its grid, and wait until the
script has finished. A move's latency is the time from sending the change to
receiving ``script_finished``, what a browser waits for before it repaints.
Per level of concurrency it reports p50/p95/max of that latency, reruns per
second, server CPU per rerun, bytes per rerun and errors (exception elements,
timeouts, disconnects). Only moves started after every student has opened its
first page and a warm-up of one think time count.

Per-page mode: one client, serial. For each page it opens a new session
``--sessions`` times (after one warm-up open) and moves each slider
``--moves`` times, and reports the server CPU per new session and per slider
move (medians), and on a page with a Train button the CPU per automatic training
tick, waiting after each action until the server is idle again so
the work Streamlit does after ``script_finished`` (garbage collection, file
watching) is counted too.

Keep ``benchmarks/load_test.py`` (Chromium) for what only a browser shows:
paint times and the browser's own CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labclient import StreamlitClient, StreamlitProtocolError, Widget  # noqa: E402
from ui.lessons import LESSONS  # noqa: E402

PAGES = [lesson.url_path for lesson in LESSONS]
START_TIMEOUT_S = 90
IDLE_STEP_S = 0.05
IDLE_CPU_S = 0.002  # below this much CPU in one step the server counts as idle


# -- the server and its CPU --------------------------------------------------------------------


def start_server(port: int, options: list[str]) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:port with extra ``name=value`` options; waits for health."""
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]
    for option in options:
        name, _, value = option.partition("=")
        command += [f"--{name}", value]
    log = tempfile.NamedTemporaryFile(prefix="protocol_load_server_", suffix=".log", delete=False)
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early; log in {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not become healthy; log in {log.name}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerCPU:
    """CPU seconds (user + system) used so far by the server processes and their children."""

    def __init__(self, pids: list[int]) -> None:
        self.processes = [psutil.Process(pid) for pid in pids]
        self._dead_children = 0.0
        self._children: dict[int, float] = {}

    def seconds(self) -> float:
        total = 0.0
        alive: dict[int, float] = {}
        for process in self.processes:
            times = process.cpu_times()
            total += times.user + times.system
            for child in process.children(recursive=True):
                try:
                    child_times = child.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                alive[child.pid] = child_times.user + child_times.system
        # A child that exited (a killed worker) keeps counting with its last reading.
        self._dead_children += sum(cpu for pid, cpu in self._children.items() if pid not in alive)
        self._children = alive
        return total + self._dead_children + sum(alive.values())

    def rss_mb(self) -> float:
        return sum(p.memory_info().rss for p in self.processes) / 2**20

    async def settle(self, limit_s: float = 5.0) -> float:
        """Wait until the servers are idle (work after ``script_finished`` done); returns the CPU reading."""
        previous = self.seconds()
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            await asyncio.sleep(IDLE_STEP_S)
            now = self.seconds()
            if now - previous < IDLE_CPU_S:
                return now
            previous = now
        return previous


# -- what a student does -----------------------------------------------------------------------


def movable(client: StreamlitClient) -> list[Widget]:
    """Enabled sliders and select sliders of the last run that carry a key (what a student drags)."""
    return [w for w in client.widgets.values()
            if w.kind == "slider" and w.key and not w.element.disabled and len(w.value or []) == 1]


def random_value(widget: Widget, rng: random.Random):
    """A value on the slider's grid different from the current one (an option for a select slider)."""
    element = widget.element
    if element.options:
        choices = [o for o in element.options if [o] != widget.value] or list(element.options)
        return rng.choice(choices)
    steps = max(1, round((element.max - element.min) / element.step)) if element.step else 100
    current = widget.value[0] if widget.value else None
    for _ in range(10):
        value = element.min + rng.randint(0, steps) * (element.step or (element.max - element.min) / 100)
        value = round(min(element.max, value), 10)
        if element.data_type == 0:  # INT
            value = int(round(value))
        if value != current:
            return value
    return value


@dataclass
class Sample:
    kind: str  # "move", "switch" or "open"
    started: float
    seconds: float
    bytes: int
    exceptions: int


@dataclass
class Errors:
    exceptions: int = 0
    timeouts: int = 0
    disconnects: int = 0


@dataclass
class Level:
    users: int
    moves: int
    switches: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    reruns_per_s: float
    cpu_ms_per_rerun: float | None
    kb_per_rerun: float
    cpu_util: float | None
    errors: Errors = field(default_factory=Errors)
    server_rss_mb: float | None = None


async def student(url: str, links: dict[str, str], rng: random.Random, args, stop_at: float,
                  samples: list[Sample],
                  errors: Errors, opened: asyncio.Event, opened_count: list[int], users: int) -> None:
    """One simulated student; reconnects after a disconnect or a timeout."""
    await asyncio.sleep(rng.uniform(0, args.think))  # students do not all arrive in the same instant
    first = True
    while time.monotonic() < stop_at:
        page = rng.choice(args.pages)
        client = StreamlitClient(url, timeout=args.timeout)
        try:
            started = time.monotonic()
            query = "" if args.no_link else links.get(page, "")
            result = await client.open(page, query)
            samples.append(Sample("open", started, result.seconds, result.bytes_received, len(result.exceptions)))
            errors.exceptions += len(result.exceptions)
            if first:
                first = False
                opened_count[0] += 1
                if opened_count[0] == users:
                    opened.set()
            while time.monotonic() < stop_at:
                await asyncio.sleep(args.think * rng.uniform(0.5, 1.5))
                if time.monotonic() >= stop_at:
                    break
                started = time.monotonic()
                widgets = movable(client)
                if rng.random() < args.switch or not widgets:
                    page = rng.choice([p for p in args.pages if p != page] or args.pages)
                    result = await client.switch_page(page)
                    kind = "switch"
                else:
                    widget = rng.choice(widgets)
                    result = await client.set_widget(widget.key, random_value(widget, rng))
                    kind = "move"
                samples.append(Sample(kind, started, result.seconds, result.bytes_received, len(result.exceptions)))
                errors.exceptions += len(result.exceptions)
        except StreamlitProtocolError as exc:
            if "within" in str(exc):
                errors.timeouts += 1
            else:
                errors.disconnects += 1
        except OSError:
            errors.disconnects += 1
        finally:
            try:
                await client.close()
            except Exception:  # noqa: BLE001 - closing a broken socket must not end the student
                pass
            if first:
                first = False
                opened_count[0] += 1
                if opened_count[0] == users:
                    opened.set()


async def build_links(url: str, pages: list[str], rng: random.Random, timeout: float) -> dict[str, str]:
    """Per page, the query string of a shared link: open it, move one slider, copy the address bar.

    This also warms the server: each page has run and compiled its functions once.
    """
    links = {}
    for page in pages:
        async with StreamlitClient(url, timeout=timeout) as client:
            await client.open(page)
            widgets = movable(client)
            if widgets:
                widget = rng.choice(widgets)
                await client.set_widget(widget.key, random_value(widget, rng))
            links[page] = client.query_string
    return links


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def run_level(url: str, links: dict[str, str], users: int, args, cpu: ServerCPU | None,
                    seed: int) -> Level:
    """Run ``users`` students for ``args.duration`` seconds of measurement; returns the level's figures."""
    rng = random.Random(seed)
    samples: list[Sample] = []
    errors = Errors()
    opened = asyncio.Event()
    opened_count = [0]
    stop_at = time.monotonic() + args.duration + args.open_limit
    tasks = [asyncio.create_task(student(url, links, random.Random(rng.random()), args, stop_at, samples, errors,
                                         opened, opened_count, users)) for _ in range(users)]
    try:
        await asyncio.wait_for(opened.wait(), args.open_limit)
    except TimeoutError:
        pass
    await asyncio.sleep(args.think)  # warm-up: the first moves after the opens
    window_start = time.monotonic()
    errors_at_start = Errors(**asdict(errors))
    cpu_start = cpu.seconds() if cpu else None
    window_end = min(stop_at, window_start + args.duration)
    await asyncio.sleep(max(0.0, window_end - time.monotonic()))
    cpu_end = cpu.seconds() if cpu else None
    window = time.monotonic() - window_start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    counted = [s for s in samples if s.kind != "open" and window_start <= s.started and s.started + s.seconds <= window_start + window]
    moves = [s.seconds * 1000 for s in counted if s.kind == "move"]
    reruns = len(counted)
    level_errors = Errors(errors.exceptions - errors_at_start.exceptions, errors.timeouts - errors_at_start.timeouts,
                          errors.disconnects - errors_at_start.disconnects)
    cpu_used = None if cpu is None else cpu_end - cpu_start
    return Level(
        users=users, moves=len(moves), switches=reruns - len(moves),
        p50_ms=_percentile(moves, 0.5), p95_ms=_percentile(moves, 0.95), max_ms=max(moves, default=float("nan")),
        reruns_per_s=reruns / window if window else 0.0,
        cpu_ms_per_rerun=None if cpu_used is None or not reruns else 1000 * cpu_used / reruns,
        kb_per_rerun=(sum(s.bytes for s in counted) / reruns / 1024) if reruns else float("nan"),
        cpu_util=None if cpu_used is None else cpu_used / window,
        errors=level_errors,
        server_rss_mb=None if cpu is None else round(cpu.rss_mb(), 1),
    )


def print_levels(levels: list[Level], header: bool = True) -> None:
    if header:
        print(f"{'users':>5} {'moves':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'reruns/s':>9} "
              f"{'CPU ms/rerun':>12} {'CPU cores':>9} {'KB/rerun':>9} {'RSS MB':>7}  errors (exception/timeout/disconnect)")
    for lv in levels:
        cpu_ms = "n/a" if lv.cpu_ms_per_rerun is None else f"{lv.cpu_ms_per_rerun:.0f}"
        util = "n/a" if lv.cpu_util is None else f"{lv.cpu_util:.2f}"
        rss = "n/a" if lv.server_rss_mb is None else f"{lv.server_rss_mb:.0f}"
        print(f"{lv.users:>5} {lv.moves:>6} {lv.p50_ms:>8.0f} {lv.p95_ms:>8.0f} {lv.max_ms:>8.0f} "
              f"{lv.reruns_per_s:>9.2f} {cpu_ms:>12} {util:>9} {lv.kb_per_rerun:>9.1f} {rss:>7}  "
              f"{lv.errors.exceptions}/{lv.errors.timeouts}/{lv.errors.disconnects}")


# -- per-page cost, serial ---------------------------------------------------------------------


@dataclass
class PageCost:
    page: str
    session_cpu_ms: float
    move_cpu_ms: float
    worst_slider: str
    worst_slider_cpu_ms: float
    move_latency_ms: float
    kb_per_move: float
    exceptions: int
    per_slider: dict[str, float] = field(default_factory=dict)
    first_exception: str = ""
    tick_cpu_ms: float | None = None


async def measure_page(url: str, page: str, args, cpu: ServerCPU, rng: random.Random) -> PageCost:
    exceptions: list[str] = []
    session_cpu: list[float] = []
    for attempt in range(args.sessions + 1):
        await cpu.settle()
        before = cpu.seconds()
        async with StreamlitClient(url, timeout=args.timeout) as client:
            result = await client.open(page)
            after = await cpu.settle()
        exceptions += result.exceptions
        if attempt:  # the first open of a page in this process fills its caches
            session_cpu.append(1000 * (after - before))
    per_slider: dict[str, list[float]] = {}
    latencies: list[float] = []
    sizes: list[int] = []
    async with StreamlitClient(url, timeout=args.timeout) as client:
        await client.open(page)
        await cpu.settle()
        sliders = [w.key for w in movable(client)]
        # A page without sliders is driven by its example buttons (the SVM page's presets).
        presets = [] if sliders else [w.key for w in client.widgets.values()
                                      if w.kind == "button" and w.key and "_preset_" in w.key]
        for key in sliders + presets:
            for _ in range(args.moves):
                if key in presets:  # from another example, so that each click changes the view
                    await client.click(presets[(presets.index(key) + 1) % len(presets)])
                    await cpu.settle()
                before = cpu.seconds()
                if key in presets:
                    result = await client.click(key)
                else:
                    result = await client.set_widget(key, random_value(client.widget(key), rng))
                after = await cpu.settle()
                per_slider.setdefault(key, []).append(1000 * (after - before))
                latencies.append(1000 * result.seconds)
                sizes.append(result.bytes_received)
                exceptions += result.exceptions
        ticks = await training_ticks(client, cpu, args.moves + 2)
    medians = {key: statistics.median(values) for key, values in per_slider.items()}
    all_moves = [v for values in per_slider.values() for v in values]
    worst = max(medians, key=medians.get) if medians else "-"
    return PageCost(
        page=page or "home", session_cpu_ms=statistics.median(session_cpu),
        move_cpu_ms=statistics.median(all_moves) if all_moves else float("nan"),
        worst_slider=worst, worst_slider_cpu_ms=medians.get(worst, float("nan")),
        move_latency_ms=statistics.median(latencies) if latencies else float("nan"),
        kb_per_move=statistics.median(sizes) / 1024 if sizes else float("nan"),
        exceptions=len(exceptions), per_slider={k: round(v, 1) for k, v in medians.items()},
        first_exception=exceptions[0] if exceptions else "",
        tick_cpu_ms=statistics.median(ticks) if ticks else None,
    )


async def training_ticks(client: StreamlitClient, cpu: ServerCPU, count: int) -> list[float]:
    """Server CPU (ms) of each automatic fragment rerun after pressing the page's Train button, if it has one."""
    train = [w.key for w in client.widgets.values() if w.kind == "button" and w.key and w.key.endswith("_train")]
    if not train:
        return []
    await client.click(train[0])
    ticks = []
    for _ in range(count):
        if not client.auto_reruns:
            break
        await asyncio.sleep(next(iter(client.auto_reruns.values())))
        before = cpu.seconds()
        await client.tick()
        ticks.append(1000 * (await cpu.settle() - before))
    return ticks


def print_pages(costs: list[PageCost]) -> None:
    print(f"{'page':<13} {'CPU ms/new session':>18} {'CPU ms/move':>11} {'latency ms':>10} {'KB/move':>8} "
          f"{'exceptions':>10}  costliest control (CPU ms)")
    for c in costs:
        print(f"{c.page:<13} {c.session_cpu_ms:>18.0f} {c.move_cpu_ms:>11.0f} {c.move_latency_ms:>10.0f} "
              f"{c.kb_per_move:>8.1f} {c.exceptions:>10}  {c.worst_slider} ({c.worst_slider_cpu_ms:.0f})")
    for c in costs:
        if c.tick_cpu_ms is not None:
            print(f"{c.page}: CPU per training tick {c.tick_cpu_ms:.0f} ms")
    for c in costs:
        if c.first_exception:
            print(f"{c.page}: {c.first_exception}")


# -- entry point -------------------------------------------------------------------------------


async def main_async(args) -> dict:
    process = None
    if args.url:
        url = args.url.rstrip("/")
        pids = [int(p) for p in args.pid.split(",")] if args.pid else []
    else:
        port = free_port()
        process = start_server(port, args.option)
        url, pids = f"http://127.0.0.1:{port}", [process.pid]
    cpu = ServerCPU(pids) if pids else None
    report: dict = {"url": url, "options": args.option}
    try:
        rng = random.Random(args.seed)
        links = await build_links(url, args.pages, rng, args.timeout)
        if args.per_page:
            if cpu is None:
                raise SystemExit("--per-page needs the server's CPU: omit --url or give --pid")
            costs = [await measure_page(url, page, args, cpu, rng) for page in ["", *args.pages]]
            print_pages(costs)
            report["pages"] = [asdict(c) for c in costs]
        else:
            levels = []
            for i, users in enumerate(args.sweep or [args.users]):
                levels.append(await run_level(url, links, users, args, cpu, seed=args.seed + i))
                print_levels(levels[-1:], header=i == 0)
            report["levels"] = [asdict(lv) for lv in levels]
        if cpu is not None:
            report["server_rss_mb"] = round(cpu.rss_mb(), 1)
            print(f"server RSS: {report['server_rss_mb']} MB")
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return report


def parse_args(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="target an app or load balancer already running (default: start one)")
    parser.add_argument("--pid", help="comma-separated server pids whose CPU (with children) is measured")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="Streamlit option for the server this script starts, e.g. runner.postScriptGC=false")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--sweep", type=lambda s: [int(x) for x in s.split(",")], help="e.g. 5,10,20,30,40")
    parser.add_argument("--duration", type=float, default=40.0, help="measured seconds per level")
    parser.add_argument("--think", type=float, default=2.0, help="seconds between a rerun and the next move")
    parser.add_argument("--switch", type=float, default=0.1, help="chance that an action is a page switch")
    parser.add_argument("--pages", type=lambda s: s.split(","), default=PAGES, help="comma-separated URL paths")
    parser.add_argument("--no-link", action="store_true", help="open pages bare instead of from a shared link")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a rerun counts as timed out")
    parser.add_argument("--open-limit", type=float, default=60.0, help="seconds allowed for all students to open")
    parser.add_argument("--per-page", action="store_true", help="serial CPU per slider move and new session")
    parser.add_argument("--moves", type=int, default=4, help="per-page: moves per slider")
    parser.add_argument("--sessions", type=int, default=3, help="per-page: new sessions per page")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    report = asyncio.run(main_async(args))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
