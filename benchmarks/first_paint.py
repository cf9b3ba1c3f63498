"""Time from navigation to a painted page, for the first page of a shared link, in a real browser.

Usage: python benchmarks/first_paint.py [--repeats 3] [--url http://127.0.0.1:8501] [page ...]

Starts ``streamlit run app.py`` on a free port (or uses ``--url``), warms it:
each page is opened once over the websocket protocol and one slider moved,
and the address bar it leaves is kept as that page's shared link. Then, per
page and repeat, a fresh Chromium context (Debian ``chromium``, launched as in
tests/browser/conftest.py; a new context is a first-time visitor with an empty
cache; with ``--returning`` one context that has visited before opens a new tab
each time) navigates to the shared link; every visit is a new session. Reported, in milliseconds
from the start of navigation (medians over the repeats):

- loaded: the frontend's scripts are loaded (the navigation's ``loadEventEnd``);
  what follows is the websocket, the script run and drawing;
- title: the lesson's title is on screen;
- painted: the script run is over, the title is there and every chart on the
  page has drawn its canvas or SVG (what the student came for);
- server CPU: what the visit cost the server, static files included.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.protocol_load import PAGES, ServerCPU, build_links  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, free_port, start_server, stop_server  # noqa: E402

TIMEOUT_MS = 30_000
TITLE_JS = "() => !!document.querySelector('[data-testid=\"stMainBlockContainer\"] h1')"
PAINTED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!main || !main.querySelector('h1')) return false;
  for (const chart of main.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stPlotlyChart"]')) {
    if (!chart.querySelector('canvas, svg')) return false;
  }
  return true;
}"""


async def paint_times(browser, url: str, cpu: ServerCPU | None, context=None) -> tuple[float, float, float, float]:
    """(scripts loaded, title, painted, server CPU) milliseconds for one visit in a new tab.

    The tab opens in ``context`` (a browser that has been here before: its HTTP
    cache holds the frontend's scripts) or, by default, in a new context (a first
    visit with an empty cache).
    The server's CPU counts from before the visit until it is idle after the page
    is painted: static files, the new session and its first run (NaN without a pid).
    """
    before = cpu.seconds() if cpu else float("nan")
    own_context = context is None
    if own_context:
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
    tab = None
    try:
        tab = await context.new_page()
        started = time.perf_counter()
        await tab.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        await tab.wait_for_function(TITLE_JS, timeout=TIMEOUT_MS, polling="raf")
        title = time.perf_counter() - started
        await tab.wait_for_function(PAINTED_JS, timeout=TIMEOUT_MS, polling="raf")
        painted = time.perf_counter() - started
        loaded = await tab.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
        after = await cpu.settle() if cpu else float("nan")
        return loaded, 1000 * title, 1000 * painted, 1000 * (after - before)
    finally:
        if own_context:
            await context.close()
        elif tab is not None:
            await tab.close()


async def main_async(args) -> None:
    from playwright.async_api import async_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("Debian's chromium is not on PATH (apt-get install -y chromium)")
    process = None
    if args.url:
        base = args.url.rstrip("/")
        cpu = ServerCPU([int(p) for p in args.pid.split(",")]) if args.pid else None
    else:
        port = free_port()
        process = start_server(port)
        base = f"http://127.0.0.1:{port}"
        cpu = ServerCPU([process.pid])
    try:
        links = await build_links(base, args.pages, random.Random(0), timeout=120)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=executable, headless=True,
                                                       args=CHROMIUM_ARGS)
            await paint_times(browser, base, cpu)  # the browser's own first start (disk cache, fonts)
            returning = await browser.new_context(viewport={"width": 1280, "height": 900}) if args.returning else None
            if returning is not None:
                await paint_times(browser, base, cpu, returning)  # fills this browser's cache
            print(f"{'page':<13} {'loaded ms':>9} {'title ms':>9} {'painted ms':>11} {'server CPU ms':>13}  shared link")
            for page in args.pages:
                query = links.get(page, "")
                url = f"{base}/{page}" + (f"?{query}" if query else "")
                times = [await paint_times(browser, url, cpu, returning) for _ in range(args.repeats)]
                loaded, title, painted, server = (statistics.median(column) for column in zip(*times))
                print(f"{page:<13} {loaded:>9.0f} {title:>9.0f} {painted:>11.0f} {server:>13.0f}  /{page}?{query}",
                      flush=True)
            await browser.close()
    finally:
        if process is not None:
            stop_server(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", default=PAGES)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--url", help="a running app (default: start one)")
    parser.add_argument("--returning", action="store_true",
                        help="one browser that has visited before (cached scripts), a new tab per visit")
    parser.add_argument("--pid", help="with --url: comma-separated server pids whose CPU is reported")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
