"""The analyst's workbench as a user meets it: server CPU per change on the backpropagation page, and training time.

Usage: python benchmarks/analyst_speed.py [--repeats 5] [--trainings 3] [--skip-browser]

Starts ``streamlit run app.py`` on a loopback port (as the other benchmarks do) and measures:

1. Server CPU (user + system of the server process, from /proc through psutil, read before the change
   and again once the server is idle; worker processes excluded) of
   - a dataset change: circles -> xor -> spiral -> blobs3 -> plane, each one rerun, sent over the
     websocket protocol with ``labclient`` (each round first moves the data seed, unmeasured, so no
     change is served from the page's caches);
   - a new run: a new hidden-layer string (one rerun), then its first Step (one more rerun);
   - a new upload: Chromium (Playwright ``set_input_files``) puts a course-sized CSV (1000 rows,
     ``x1,x2,label``, new numbers each time) in the upload box; from before the file is set until the
     page and the server are idle. The protocol client cannot upload, hence the browser.
   Median over ``--repeats`` repetitions of each. Goal: 300 ms or less.
2. Training in Chromium at the fastest pace ("fast") with the page's defaults (the course configuration,
   150 epochs): wall time from the click on Train until the page shows "Epoch 150 of 150", each in a new
   tab. Median of ``--trainings``. Goal: 3 s or less.

The machine's load average is printed with the figures: on a shared machine they vary from run to run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.hostile_cost import Server  # noqa: E402
from labclient import StreamlitClient  # noqa: E402

CPU_GOAL_MS = 300.0
TRAIN_GOAL_S = 3.0
DATASETS = ["circles", "xor", "spiral", "blobs3", "plane"]
LAYER_STRINGS = ["5,3", "6,4", "8", "4,4", "3,3,2", "7,3", "6", "5,5", "8,4", "3,2"]
ROWS = 1000
TIMEOUT_S = 120.0
TIMEOUT_MS = 120_000


def course_csv(seed: int, rows: int = ROWS) -> bytes:
    """Two noisy circles as ``x1,x2,label`` text: the course's data size, new numbers for each ``seed``."""
    rng = np.random.default_rng(seed)
    label = rng.integers(0, 2, rows)
    angle = rng.uniform(0, 2 * np.pi, rows)
    radius = np.where(label == 1, 0.5, 1.0) + rng.normal(0, 0.1, rows)
    x1, x2 = radius * np.cos(angle), radius * np.sin(angle)
    lines = ["x1,x2,label"] + [f"{a:.6f},{b:.6f},{c}" for a, b, c in zip(x1, x2, label)]
    return ("\n".join(lines) + "\n").encode()


async def protocol_costs(server: Server, repeats: int) -> dict[str, list[float]]:
    costs: dict[str, list[float]] = {"dataset change": [], "new run (layers)": [], "first Step of the new run": []}
    loop = asyncio.get_running_loop()

    async def timed(coro_factory) -> float:
        server.settle(30)
        before = await loop.run_in_executor(None, server.server_cpu)
        result = await coro_factory()
        if result.exceptions:
            raise RuntimeError(f"exception element: {result.exceptions[0][:200]}")
        await loop.run_in_executor(None, server.settle, 60)
        return (server.server_cpu() - before) * 1000

    async with StreamlitClient(server.url, timeout=TIMEOUT_S) as client:
        await client.open("backprop")
        await client.open("backprop")  # a second visit: imports and first-visit caches are not the figure
        for round_ in range(repeats):
            await client.set_widget("backprop_data_seed", 100 + round_)
            for name in DATASETS[1:] if round_ == 0 else DATASETS:
                costs["dataset change"].append(await timed(lambda n=name: client.set_widget("backprop_dataset", n)))
        await client.set_widget("backprop_dataset", "circles")
        for round_ in range(repeats):
            layers = LAYER_STRINGS[round_ % len(LAYER_STRINGS)]
            costs["new run (layers)"].append(await timed(lambda s=layers: client.set_widget("backprop_layers", s)))
            costs["first Step of the new run"].append(await timed(lambda: client.click("backprop_step")))
    return costs


def _wait_idle(tab) -> None:
    from tests.browser.conftest import wait_idle

    wait_idle(tab, TIMEOUT_MS)


def browser_figures(server: Server, repeats: int, trainings: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, open_app

    uploads: list[float] = []
    trains: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            tab = context.new_page()
            open_app(tab, f"{server.url}/backprop?backprop_dataset=upload%20CSV")
            box = tab.locator('[data-testid="stFileUploaderDropzoneInput"][accept*=".csv"]')
            for i in range(repeats + 1):  # the first upload warms the reader's imports: not counted
                data = course_csv(1000 + i)
                server.settle(30)
                before = server.server_cpu()
                box.set_input_files(files=[{"name": f"course{i}.csv", "mimeType": "text/csv", "buffer": data}])
                tab.wait_for_function("(t) => document.body.innerText.includes(t)", arg=f"Read {ROWS:,} rows",
                                      timeout=TIMEOUT_MS)
                _wait_idle(tab)
                server.settle(60)
                if i:
                    uploads.append((server.server_cpu() - before) * 1000)
            context.close()

            for _ in range(trainings):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                tab = context.new_page()
                open_app(tab, f"{server.url}/backprop?backprop_pace=fast")
                train = tab.get_by_role("button", name="Train", exact=True)
                train.wait_for(timeout=TIMEOUT_MS)
                server.settle(30)
                start = time.perf_counter()
                train.click()
                tab.wait_for_function("() => /Epoch 150 of 150/.test(document.body.innerText)",
                                      timeout=TIMEOUT_MS, polling=20)
                trains.append(time.perf_counter() - start)
                context.close()
        finally:
            browser.close()
    return uploads, trains


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="repetitions of each server-CPU case")
    parser.add_argument("--trainings", type=int, default=3, help="trainings timed in Chromium")
    parser.add_argument("--skip-browser", action="store_true", help="the protocol figures only")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    server = Server()
    try:
        costs = asyncio.run(protocol_costs(server, args.repeats))
        if not args.skip_browser:
            uploads, trains = browser_figures(server, args.repeats, args.trainings)
            costs["new upload (1000-row CSV, Chromium)"] = uploads
    finally:
        server.stop()
    print(f"\n{'server CPU per change':<40}{'n':>4}{'median ms':>11}{'max ms':>9}  goal {CPU_GOAL_MS:g} ms")
    for name, values in costs.items():
        median = statistics.median(values)
        verdict = "met" if median <= CPU_GOAL_MS else "missed"
        print(f"{name:<40}{len(values):>4}{median:>11.0f}{max(values):>9.0f}  {verdict}")
    if not args.skip_browser:
        median = statistics.median(trains)
        print(f"\ntraining, fast pace, course configuration: Train -> 'Epoch 150 of 150' "
              f"{', '.join(f'{t:.2f}' for t in trains)} s; median {median:.2f} s "
              f"({'met' if median <= TRAIN_GOAL_S else 'missed'}, goal {TRAIN_GOAL_S:g} s)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
