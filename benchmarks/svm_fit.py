"""Time of one SVM fit on 200 points (hard margin: LP + SLSQP primal + NNLS dual + KKT check).

Usage: python benchmarks/svm_fit.py [--points 200] [--repeats 30]

The data is seeded: two classes separated by a random line with an empty strip
around it (hard margin), and the same points with labels flipped near the line
(soft margin, C = 1). Each fit runs ``--repeats`` times after one warm-up; the
table reports the median and 90th percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calc_core.svm import fit_hard_margin, fit_soft_margin  # noqa: E402


def separable_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.where(X @ np.array([1.0, 2.0]) + 0.3 > 0, 1.0, -1.0)
    return X + 0.2 * y[:, None], y


def overlapping_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.where(X @ np.array([1.0, 2.0]) + rng.normal(size=n) > 0, 1.0, -1.0)
    return X, y


def time_fit(fit, repeats: int) -> tuple[float, float]:
    fit()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fit()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    Xh, yh = separable_points(args.points)
    Xs, ys = overlapping_points(args.points)
    hard = fit_hard_margin(Xh, yh)
    soft = fit_soft_margin(Xs, ys, 1.0)
    if not (hard.success and soft.success):
        raise SystemExit(f"fit failed: {hard.message} / {soft.message}")
    print(f"{'fit':<26}{'points':>8}{'median ms':>12}{'p90 ms':>10}")
    for name, fit in [
        ("hard margin", lambda: fit_hard_margin(Xh, yh)),
        ("soft margin (C = 1)", lambda: fit_soft_margin(Xs, ys, 1.0)),
    ]:
        median, p90 = time_fit(fit, args.repeats)
        print(f"{name:<26}{args.points:>8}{median:>12.1f}{p90:>10.1f}")


if __name__ == "__main__":
    main()
