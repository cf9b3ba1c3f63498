"""Rerun time of each page after a widget change, under Streamlit's AppTest.

Usage: python benchmarks/page_reruns.py [--reruns 20] [page ...]

For each scenario the page runs once (first-run time), then the named widget is
moved through its values ``--reruns`` times; the table reports the median and
90th percentile of those reruns in milliseconds. AppTest runs the script in
process, so this measures our Python work (parsing, math, chart building), not
the browser.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

# name -> (page script, AppTest widget accessor, widget key, values cycled through)
SCENARIOS: dict[str, tuple[str, str | None, str | None, list]] = {
    "home": ("app.py", None, None, []),
    # 20 distinct points, so no rerun is served from the page's caches.
    "gradient": ("lessons/gradient.py", "slider", "grad_x0", [round(-1.0 + 0.1 * i, 1) for i in range(20)]),
    "jacobian": ("lessons/jacobian.py", "slider", "jac_x0", [round(-1.0 + 0.1 * i, 1) for i in range(20)]),
    # 20 distinct noise levels: each rerun draws new points and starts a new (untrained) run.
    "backprop": ("lessons/backprop.py", "slider", "backprop_noise", [round(0.05 + 0.01 * i, 2) for i in range(20)]),
    # 20 distinct starts: each rerun runs a new descent (the critical points stay cached).
    "optimization": ("lessons/optimization.py", "slider", "opt_x0", [round(0.5 + 0.1 * i, 1) for i in range(20)]),
    # 20 distinct points x0 / steps δx: tangent, secant and the error study are recomputed on every rerun.
    "derivatives": ("lessons/derivatives.py", "slider", "deriv_x0", [round(-1.0 + 0.15 * i, 2) for i in range(20)]),
    "deriv-dx": ("lessons/derivatives.py", "select_slider", "deriv_dx",
                 [float(f"{10 ** (-k / 2):.3g}") for k in range(1, 21)]),
    # 20 distinct strip counts n (δx = (b − a)/n): new strips and a new sum on every rerun.
    "integrals": ("lessons/integrals.py", "slider", "integ_n", list(range(11, 31))),
    # The running sum's δx has 13 stops, so reruns 14-20 repeat a value and reuse its cached running sum.
    "integ-dx": ("lessons/integrals.py", "select_slider", "integ_dx",
                 [float(f"{10 ** (-k / 4):.3g}") for k in range(13)]),
    # 20 distinct positions of one point: every rerun fits anew (LP, SLSQP primal, NNLS dual, KKT, scikit-learn).
    "svm": ("lessons/svm.py", "text_input", "svm_points", [f"0,0,-1;1,2,1;2,{1 + 0.1 * i:.1f},1" for i in range(20)]),
}


def measure(name: str, reruns: int) -> tuple[float, float, float]:
    path, kind, key, values = SCENARIOS[name]
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    start = time.perf_counter()
    at.run()
    first = (time.perf_counter() - start) * 1000
    if at.exception:
        raise RuntimeError(f"{name}: {at.exception[0].message}")
    times = []
    for i in range(reruns):
        if kind is not None:
            getattr(at, kind)(key=key).set_value(values[i % len(values)])
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].message}")
    times.sort()
    return first, statistics.median(times), times[int(0.9 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="scenario names (default: all)")
    parser.add_argument("--reruns", type=int, default=20)
    args = parser.parse_args()
    names = args.pages or list(SCENARIOS)
    print(f"{'page':<14}{'widget':<22}{'first run ms':>14}{'rerun median ms':>18}{'rerun p90 ms':>14}")
    for name in names:
        first, median, p90 = measure(name, args.reruns)
        widget = SCENARIOS[name][2] or "(none)"
        print(f"{name:<14}{widget:<22}{first:>14.1f}{median:>18.1f}{p90:>14.1f}")


if __name__ == "__main__":
    main()
