"""How fast hostile input is refused: by the expression engine and by a whole page.

Usage: python benchmarks/hostile_inputs.py

Times ``parse_expression`` on every expression of the hostile corpus
(tests/hostile.py), the CSV reader on every hostile file, and a rerun of the
Derivatives page (AppTest) after each hostile expression is typed into its box.
Prints the median and the slowest case of each.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from calc_core.data.csv_points import CSVError, read_labelled_points  # noqa: E402
from calc_core.expressions import ExpressionError, parse_expression  # noqa: E402
from tests.hostile import CSV_FILES, EXPRESSIONS  # noqa: E402


def timed(function, cases) -> list[tuple[float, str]]:
    out = []
    for case in cases:
        start = time.perf_counter()
        function(case)
        out.append(((time.perf_counter() - start) * 1000, repr(case)[:40]))
    return out


def refuse_expression(text: str) -> None:
    try:
        parse_expression(text, ("x", "y"))
    except ExpressionError:
        pass


def refuse_csv(case: tuple[str, bytes]) -> None:
    try:
        read_labelled_points(case[1])
    except CSVError:
        pass


_PAGE = AppTest.from_file(str(ROOT / "lessons" / "derivatives.py"), default_timeout=60)


def page_with(text: str) -> None:
    _PAGE.text_input(key="deriv_f").set_value(text).run()
    if _PAGE.exception or not _PAGE.error:
        raise RuntimeError(f"no clear error shown for {text[:40]!r}")


def report(name: str, results: list[tuple[float, str]]) -> None:
    times = [t for t, _ in results]
    worst = max(results)
    print(f"{name:<38}{len(results):>6}{statistics.median(times):>12.2f}{worst[0]:>12.2f}   {worst[1]}")


def main() -> None:
    _PAGE.run()  # imports and caches warm
    print(f"{'what':<38}{'cases':>6}{'median ms':>12}{'slowest ms':>12}   slowest case")
    report("parse_expression, hostile corpus", timed(refuse_expression, EXPRESSIONS))
    report("read_labelled_points, hostile CSV", timed(refuse_csv, CSV_FILES))
    report("Derivatives page rerun, hostile f", timed(page_with, EXPRESSIONS))


if __name__ == "__main__":
    main()
