"""Server memory stays bounded over many reruns across every page (figures closed, caches and history capped)."""

from __future__ import annotations

from benchmarks.memory_growth import rerun_pages

RERUNS = 500
MAX_GROWTH_MB = 50


def test_memory_levels_off_once_the_bounded_caches_are_full():
    # Round 1 fills every page's bounded caches; round 2 must not keep growing like a leak would.
    first_run, after_fill, after_more = rerun_pages(RERUNS, rounds=2)
    growth = after_more - after_fill
    assert growth < MAX_GROWTH_MB, (
        f"resident memory grew {growth:.1f} MB over {RERUNS} further reruns "
        f"({first_run:.0f} → {after_fill:.0f} → {after_more:.0f} MB)"
    )
