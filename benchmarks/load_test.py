"""A class at once: concurrent real-browser sessions against one local server.

Usage: python benchmarks/load_test.py [--sessions 8] [--seconds 120]

Starts ``streamlit run app.py`` on a free loopback port, then runs N headless
Chromium sessions (one browser, N contexts) for a bounded time. Each session
cycles through every page; on each page it moves the first slider with the
keyboard and times how long the app takes to finish the rerun (slider move ->
updated view), and on the backpropagation page it also presses Train for a few
ticks. Errors are Streamlit exception elements, traceback text, or timeouts.
Server memory (RSS of the server and its workers) is read before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, free_port, start_server, stop_server  # noqa: E402
from ui.lessons import LESSONS  # noqa: E402

RERUN_TIMEOUT_MS = 30_000
IDLE_JS = "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') !== 'running'"
LOADED_JS = (
    "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
    " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
    " && document.querySelectorAll('[data-testid=\"stMainBlockContainer\"] *').length > 5; }"
)
RUNNING_JS = "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'running'"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (the time-budget workers)."""
    process = psutil.Process(pid)
    times = process.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in process.children(recursive=True):
        try:
            child_times = child.cpu_times()
            total += child_times.user + child_times.system
        except psutil.NoSuchProcess:
            pass
    return total


def rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


async def wait_rerun(tab) -> None:
    await tab.wait_for_function(IDLE_JS, timeout=RERUN_TIMEOUT_MS, polling=5)


async def wait_loaded(tab) -> None:
    """The page has rendered its content and its first script run is over."""
    await tab.wait_for_function(LOADED_JS, timeout=RERUN_TIMEOUT_MS)
    await tab.wait_for_timeout(300)
    await wait_rerun(tab)


async def session(browser, base: str, deadline: float, stats: dict) -> None:
    from playwright.async_api import Error as PlaywrightError

    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    tab = await context.new_page()
    slugs = [Path(lesson.path).stem for lesson in LESSONS]
    i = 0
    while time.monotonic() < deadline:
        slug = slugs[i % len(slugs)]
        i += 1
        try:
            await tab.goto(f"{base}/{slug}")
            await wait_loaded(tab)
            slider = tab.get_by_role("slider").first
            if await slider.count():
                await slider.focus()
                for key in ("ArrowRight", "ArrowLeft"):
                    before = tab.url
                    start = time.perf_counter()
                    await slider.press(key)
                    try:
                        # Every slider is bound to the URL, so the address changes when the value does.
                        await tab.wait_for_function("(u) => location.href !== u", arg=before, timeout=3000,
                                                    polling=5)
                    except PlaywrightError:
                        continue  # at the end of its range: try the other direction
                    try:
                        await tab.wait_for_function(RUNNING_JS, timeout=2000, polling=5)
                    except PlaywrightError:
                        pass  # the rerun finished before the first poll
                    await wait_rerun(tab)
                    stats["latency_ms"].append((time.perf_counter() - start) * 1000)
                    break
            train = tab.get_by_role("button", name="Train", exact=True)
            if await train.count():
                await train.first.click()
                await tab.wait_for_timeout(1500)
                pause = tab.get_by_role("button", name="Pause", exact=True)
                if await pause.count():
                    await pause.first.click()
                await wait_rerun(tab)
            body = await tab.inner_text("body")
            if await tab.locator('[data-testid="stException"]').count() or "Traceback" in body:
                stats["errors"].append(f"{slug}: exception shown")
            stats["pages"] += 1
        except PlaywrightError as exc:
            stats["errors"].append(f"{slug}: {str(exc).splitlines()[0][:120]}")
    await context.close()


async def run(sessions: int, seconds: float) -> None:
    from playwright.async_api import async_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("Debian's chromium is not on PATH")
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    stats = {"latency_ms": [], "errors": [], "pages": 0}
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            warm = await browser.new_page()
            await warm.goto(base)
            await warm.wait_for_function(IDLE_JS, timeout=RERUN_TIMEOUT_MS)
            await warm.close()
            before = rss_mb(server.pid)
            server_cpu, machine_cpu = cpu_seconds(server.pid), psutil.cpu_times()
            deadline = time.monotonic() + seconds
            await asyncio.gather(*(session(browser, base, deadline, stats) for _ in range(sessions)))
            after = rss_mb(server.pid)
            server_cpu = cpu_seconds(server.pid) - server_cpu
            now = psutil.cpu_times()
            machine_busy = (now.user + now.system) - (machine_cpu.user + machine_cpu.system)
            await browser.close()
    finally:
        stop_server(server)
    latencies = sorted(stats["latency_ms"])
    print(f"sessions: {sessions}, duration: {seconds:.0f} s, page visits: {stats['pages']}, "
          f"slider moves timed: {len(latencies)}")
    if latencies:
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        print(f"slider move -> updated view: p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms")
    print(f"server memory (RSS incl. workers): before {before:.0f} MB, after {after:.0f} MB")
    print(f"CPU busy on this machine: {machine_busy:.0f} s of {psutil.cpu_count() * seconds:.0f} s available; "
          f"the app server used {server_cpu:.0f} s of it, the browsers and the rest {machine_busy - server_cpu:.0f} s")
    print(f"errors: {len(stats['errors'])} (server log: {server.log_path})")
    for error in stats["errors"][:20]:
        print("  ", error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    asyncio.run(run(args.sessions, min(args.seconds, 600)))


if __name__ == "__main__":
    main()
