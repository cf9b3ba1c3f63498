"""Heavy symbolic work in one session does not slow another.

Usage: python benchmarks/budget_isolation.py [--moves 20]

Starts the app on a loopback port. Session A keeps asking the Integrals page for
antiderivatives sympy cannot finish (each one a new function, so nothing is
cached); each such request runs in a worker that the time budget kills. Session
B meanwhile moves the x0 slider on the Derivatives page and times every rerun.
Reports B's median and p90 rerun time (alone first, then beside A),
both as the server's script run and as key press -> updated view, what A was shown, and how many worker
processes were left behind. The same contest is first run without browsers, as
two AppTest sessions in this process, which isolates the server's own work from
the browsers' rendering on the same cores.
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


async def light_session(browser, base: str, moves: int) -> tuple[list[float], list[float]]:
    """Move the slider ``moves`` times; return (key press -> view idle, script run start -> idle) in ms."""
    tab = await (await browser.new_context()).new_page()
    await tab.goto(f"{base}/derivatives")
    await tab.wait_for_function(IDLE_JS, timeout=60_000)
    await tab.wait_for_timeout(500)
    slider = tab.get_by_role("slider", name="Point x₀")
    await slider.focus()
    total, rerun = [], []
    for i in range(moves):
        start = time.perf_counter()
        await slider.press("ArrowRight" if i % 10 < 5 else "ArrowLeft")
        await tab.wait_for_function(RUNNING_JS, timeout=10_000, polling=5)
        running = time.perf_counter()
        await tab.wait_for_function(IDLE_JS, timeout=60_000, polling=5)
        done = time.perf_counter()
        total.append((done - start) * 1000)
        rerun.append((done - running) * 1000)
    return total, rerun


def _summary(label: str, values: list[float]) -> str:
    values = sorted(values)
    return f"{label}: median {statistics.median(values):.0f} ms, p90 {values[int(0.9 * (len(values) - 1))]:.0f} ms"


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
            alone = await light_session(browser, base, moves)
            stop = asyncio.Event()
            heavy = asyncio.create_task(heavy_session(browser, base, stop, seen))
            await asyncio.sleep(1.0)
            beside = await light_session(browser, base, moves)
            stop.set()
            await heavy
            await browser.close()
        await asyncio.sleep(4)
        leftover = len(psutil.Process(server.pid).children(recursive=True))
    finally:
        stop_server(server)
    for name, (total, rerun) in (("alone", alone), ("beside the heavy session", beside)):
        print(f"light session {name}, {moves} slider moves")
        print("   " + _summary("server rerun (script start -> finished)", rerun))
        print("   " + _summary("key press -> view updated (includes the slider's input delay)", total))
    print(f"heavy session requests: {len(seen)}, shown the time-budget notice: {seen.count('notice')}")
    print(f"worker processes left after the heavy session ended: {leftover}")


def in_process(moves: int) -> None:
    """The same contest without browsers: two AppTest sessions in one server process."""
    import threading

    from streamlit.testing.v1 import AppTest

    def light() -> list[float]:
        at = AppTest.from_file(str(ROOT / "lessons" / "derivatives.py"), default_timeout=60).run()
        times = []
        for i in range(moves):
            at.slider(key="deriv_x0").set_value(round(-2 + 0.2 * i, 2))
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
        return times

    alone = light()
    stop = threading.Event()
    notices = []

    def heavy() -> None:
        k = 100
        while not stop.is_set():
            at = AppTest.from_file(str(ROOT / "lessons" / "integrals.py"), default_timeout=60)
            at.query_params["integ_f"] = SLOW.format(k=k)
            at.run()
            notices.append(any("time budget" in str(w.value) for w in [*at.warning, *at.info]))
            k += 1

    worker = threading.Thread(target=heavy)
    worker.start()
    time.sleep(1.0)
    beside = light()
    stop.set()
    worker.join()
    print(f"in one process (AppTest), {moves} reruns of the Derivatives page after moving x0")
    print("   " + _summary("alone", alone))
    print("   " + _summary("beside a session stuck in sympy", beside))
    print(f"   heavy requests: {len(notices)}, shown the time-budget notice: {sum(notices)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20)
    moves = parser.parse_args().moves
    in_process(moves)
    asyncio.run(run(moves))


if __name__ == "__main__":
    main()
