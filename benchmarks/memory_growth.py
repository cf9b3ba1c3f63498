"""Memory growth of the app's own code over many reruns across all pages.

Usage: python benchmarks/memory_growth.py [--reruns 500]

Runs every registered page under AppTest in this process, then performs the
given number of reruns, cycling through the pages and moving a slider to a new
value each time. Reports the process's resident memory after a warm-up pass and
after the reruns. Leaks in page code (unclosed figures, unbounded caches or
session history) show up as growth.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.lessons import LESSONS  # noqa: E402

TIMEOUT_S = 60


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


def _move_a_slider(at: AppTest, rng: random.Random) -> None:
    sliders = [s for s in at.slider if s.key and not s.disabled and not isinstance(s.value, tuple)]
    if not sliders:
        return
    slider = rng.choice(sliders)
    lo, hi = slider.min, slider.max
    value = rng.uniform(lo, hi) if isinstance(slider.value, float) else rng.randint(lo, hi)
    slider.set_value(value)


def rerun_pages(reruns: int, seed: int = 0) -> tuple[float, float]:
    """Return (RSS after warm-up, RSS after ``reruns`` more reruns), in MB."""
    rng = random.Random(seed)
    apps = [AppTest.from_file(str(ROOT / lesson.path), default_timeout=TIMEOUT_S) for lesson in LESSONS]
    for at in apps:
        for _ in range(3):
            _move_a_slider(at, rng)
            at.run()
    before = rss_mb()
    for i in range(reruns):
        at = apps[i % len(apps)]
        _move_a_slider(at, rng)
        at.run()
        if at.exception:
            raise RuntimeError(f"{at.exception[0].message}")
    return before, rss_mb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=500)
    args = parser.parse_args()
    before, after = rerun_pages(args.reruns)
    print(f"pages: {len(LESSONS)}, reruns: {args.reruns}")
    print(f"RSS after warm-up {before:.1f} MB, after reruns {after:.1f} MB, growth {after - before:.1f} MB")


if __name__ == "__main__":
    main()
