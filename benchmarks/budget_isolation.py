"""Heavy symbolic work in one session does not slow another.

Usage: python benchmarks/budget_isolation.py [--moves 20]

Starts the app on a loopback port. Session A keeps asking the Integrals page for
antiderivatives sympy cannot finish (each one a new function, so nothing is
cached); each such request runs in a worker that the time budget kills. Session
B meanwhile moves the x0 slider on the Derivatives page and times every rerun.
Reports B's median and p90 rerun time (alone first, then beside A), what A was shown, and how many worker
processes were left behind.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, free_port, start_server, stop_server  # noqa: E402

SLOW = "sin(x)^7 exp(x)/(1+x^3) + {k} x"
IDLE_JS = "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') !== 'running'"
RUNNING_JS = "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'running'"


async def heavy_session(browser, base: str, stop: asyncio.Event, seen: list[str]) -> None:
    tab = await (await browser.new_context()).new_page()
    k = 1
    while not stop.is_set():
        await tab.goto(f"{base}/integrals?integ_f={quote(SLOW.format(k=k))}")
        await tab.wait_for_selector('[data-testid="stApp"]')
        await tab.wait_for_function(RUNNING_JS, timeout=60_000)
        await tab.wait_for_function(IDLE_JS, timeout=60_000)
        body = await tab.inner_text("body")
        seen.append("notice" if "time budget" in body else "no notice")
        k += 1


async def light_session(browser, base: str, moves: int) -> list[float]:
    tab = await (await browser.new_context()).new_page()
    await tab.goto(f"{base}/derivatives")
    await tab.wait_for_function(IDLE_JS, timeout=60_000)
    await tab.wait_for_timeout(500)
    slider = tab.get_by_role("slider", name="Point x₀")
    await slider.focus()
    times = []
    for i in range(moves):
        start = time.perf_counter()
        await slider.press("ArrowRight" if i % 10 < 5 else "ArrowLeft")
        try:
            await tab.wait_for_function(RUNNING_JS, timeout=1000)
        except Exception:  # a rerun that finished before we looked
            pass
        await tab.wait_for_function(IDLE_JS, timeout=60_000)
        times.append((time.perf_counter() - start) * 1000)
    return times


async def run(moves: int) -> None:
    from playwright.async_api import async_playwright

    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    seen: list[str] = []
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                                       args=CHROMIUM_ARGS)
            baseline = sorted(await light_session(browser, base, moves))
            stop = asyncio.Event()
            heavy = asyncio.create_task(heavy_session(browser, base, stop, seen))
            await asyncio.sleep(1.0)
            times = await light_session(browser, base, moves)
            stop.set()
            await heavy
            await browser.close()
        await asyncio.sleep(4)
        leftover = len(psutil.Process(server.pid).children(recursive=True))
    finally:
        stop_server(server)
    times.sort()
    print(f"light session alone, {moves} slider moves: median {statistics.median(baseline):.0f} ms, "
          f"p90 {baseline[int(0.9 * (len(baseline) - 1))]:.0f} ms")
    print(f"light session, {moves} slider moves while heavy integrals ran: median {statistics.median(times):.0f} ms, "
          f"p90 {times[int(0.9 * (len(times) - 1))]:.0f} ms")
    print(f"heavy session requests: {len(seen)}, shown the time-budget notice: {seen.count('notice')}")
    print(f"worker processes left after the heavy session ended: {leftover}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20)
    asyncio.run(run(parser.parse_args().moves))


if __name__ == "__main__":
    main()
