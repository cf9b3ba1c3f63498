"""Server memory stays bounded over many reruns across every page (figures closed, caches and history capped)."""

from __future__ import annotations

import pytest

from benchmarks.memory_growth import rerun_pages

RERUNS = 500
MAX_GROWTH_MB = 50


# The benchmark draws whole-number slider values with randint on the slider's float bounds.
@pytest.mark.filterwarnings("ignore:non-integer arguments to randrange:DeprecationWarning")
def test_memory_growth_over_500_reruns_across_all_pages_stays_under_50_mb():
    before, after = rerun_pages(RERUNS)
    assert after - before < MAX_GROWTH_MB, (
        f"resident memory grew {after - before:.1f} MB over {RERUNS} reruns ({before:.0f} → {after:.0f} MB)"
    )
