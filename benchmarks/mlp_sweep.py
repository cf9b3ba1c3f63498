"""Time of a learning-rate sweep on the course's configuration.

Usage: python benchmarks/mlp_sweep.py [--repeats 7] [--blas-threads 1]

The course's configuration (1 000 circles, 80 % for training, hidden (4, 3)
ReLU, Adam, full batch) swept over 9 learning rates on a log grid from 1e-3
to 1, with 3 weight seeds each, 150 epochs per run: 27 fresh networks. The
sweep runs in this process through :func:`calc_core.mlp.sweep.sweep`, as the page's
worker does, so the figure leaves out the worker's start (a fork). Prints the
median and the range of the repeats (wall time, and this process's CPU time), and the work units the page's cap counts
for this sweep.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calc_core.data.datasets import make_dataset, split_dataset  # noqa: E402
from calc_core.limits import SWEEP_MAX_WORK  # noqa: E402
from calc_core.mlp.sweep import sweep, sweep_grid, sweep_work  # noqa: E402

SETTINGS = {"hidden_layer_sizes": (4, 3), "activation": "relu", "optimizer": "adam", "batch_size": None}
GRID = sweep_grid("learning_rate", 1e-3, 1.0, 9)
SEEDS = (0, 1, 2)
EPOCHS = 150
TARGET_S = 0.5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--blas-threads", type=int, default=1)
    args = parser.parse_args()
    X, y = make_dataset("circles", n_samples=1000)
    split = split_dataset(X, y, test_size=0.2)
    times, cpu_times = [], []
    with threadpool_limits(args.blas_threads):
        for _ in range(args.repeats):
            start, cpu_start = time.perf_counter(), time.process_time()
            result = sweep(split.X_train, split.y_train, split.X_test, split.y_test, SETTINGS, "learning_rate", GRID,
                           SEEDS, EPOCHS)
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
    work = sweep_work(len(split.y_train), 2, SETTINGS, "learning_rate", GRID, SEEDS, EPOCHS)
    median = statistics.median(times)
    print(f"sweep: {len(GRID)} learning rates x {len(SEEDS)} seeds x {EPOCHS} epochs = {len(result.runs)} networks")
    print(f"median {median:.3f} s (min {min(times):.3f}, max {max(times):.3f}) over {args.repeats} repeats; "
          f"target < {TARGET_S} s: {'met' if median < TARGET_S else 'missed'}")
    print(f"CPU time of this process: median {statistics.median(cpu_times):.3f} s (on a busy machine the wall "
          "time also counts waiting for a core)")
    print(f"work units {work:.3g} of the page's cap {SWEEP_MAX_WORK:.3g}")
    best = result.summary("test_accuracy")
    print("learning rate -> mean test accuracy: "
          + ", ".join(f"{v:g}: {m:.3f}" for v, m in zip(best.values, best.mean, strict=True)))


if __name__ == "__main__":
    main()
