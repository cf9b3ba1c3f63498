"""Memory growth of the app's own code over many reruns across all pages.

Usage: python benchmarks/memory_growth.py [--reruns 500] [--rounds 2]

Runs every registered page under AppTest in this process, then performs rounds
of reruns, cycling through the pages and moving a slider to a new value each
time. Reports the process's resident memory after each round. The first round
fills the bounded caches; a leak in page code (unclosed figures, unbounded caches
or session history) keeps growing in the rounds after it.
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
    value = rng.uniform(lo, hi) if isinstance(slider.value, float) else rng.randint(int(lo), int(hi))
    slider.set_value(value)


def rerun_pages(reruns: int, rounds: int = 1, seed: int = 0) -> list[float]:
    """RSS in MB after a first run of every page, then after each round of ``reruns`` reruns.

    The first round fills the pages' bounded caches; later rounds show whether
    memory keeps growing once they are full (a leak) or levels off.
    """
    rng = random.Random(seed)
    apps = [AppTest.from_file(str(ROOT / lesson.path), default_timeout=TIMEOUT_S) for lesson in LESSONS]
    for at in apps:
        at.run()
    readings = [rss_mb()]
    for _ in range(rounds):
        for i in range(reruns):
            at = apps[i % len(apps)]
            _move_a_slider(at, rng)
            at.run()
            if at.exception:
                raise RuntimeError(f"{at.exception[0].message}")
        readings.append(rss_mb())
    return readings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    readings = rerun_pages(args.reruns, args.rounds)
    print(f"pages: {len(LESSONS)}, {args.rounds} rounds of {args.reruns} reruns")
    print(f"RSS after the first run of each page: {readings[0]:.1f} MB")
    for i, (before, after) in enumerate(zip(readings, readings[1:]), start=1):
        print(f"round {i}: RSS {after:.1f} MB, growth {after - before:+.1f} MB")


if __name__ == "__main__":
    main()
