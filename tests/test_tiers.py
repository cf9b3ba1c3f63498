"""The suite's tiers (tests/conftest.py) name what exists, and put it where it says."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT, SECOND_TIER, second_tier_reason


def test_every_second_tier_entry_names_an_existing_directory_or_module():
    # A renamed directory or module would otherwise move its tests into the parallel first tier unnoticed.
    missing = [path for path in SECOND_TIER if not (ROOT / path).exists()]
    assert not missing, f"SECOND_TIER names paths that do not exist: {missing}"


def test_a_module_under_a_second_tier_directory_is_in_the_second_tier_and_a_unit_test_is_not():
    assert second_tier_reason(ROOT / "tests" / "browser" / "test_home.py") == SECOND_TIER["tests/browser"]
    assert second_tier_reason(ROOT / "tests" / "app" / "test_memory.py") == SECOND_TIER["tests/app/test_memory.py"]
    assert second_tier_reason(Path(__file__)) is None
    assert second_tier_reason(ROOT / "tests" / "app" / "test_memory_other.py") is None
