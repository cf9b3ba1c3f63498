"""Sampling a function for a line chart, with gaps where the curve must not be joined up."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["PLOT_SAMPLES", "SamplingError", "sample_curve"]

#: Evenly spaced samples of a plotted curve: smooth at chart width, small on the wire.
PLOT_SAMPLES = 801


class SamplingError(ValueError):
    """Bad input for sampling, with a learner-readable reason."""


def sample_curve(f: Callable, lo: float, hi: float, n: int = PLOT_SAMPLES, breaks=()) -> tuple[np.ndarray, np.ndarray]:
    """Sample f on [lo, hi] for plotting, with NaN gaps at the given break points.

    Parameters
    ----------
    f : callable
        Vectorised numeric function (NaN where undefined).
    lo, hi : float
        Range, lo < hi.
    n : int
        Number of evenly spaced samples.
    breaks : iterable of float
        Points where the curve must not be joined up (poles, holes, corners).

    Returns
    -------
    xs, ys : ndarray
        Sorted x values (grid plus the break points) and f there; ys is NaN at
        each break point, so line charts leave a gap instead of a vertical line.

    Examples
    --------
    >>> xs, ys = sample_curve(lambda t: 1 / t, -1, 1, n=4, breaks=(0.0,))
    >>> int(np.isnan(ys).sum())
    1
    """
    lo, hi = float(lo), float(hi)
    if not lo < hi:
        raise SamplingError("The range needs the left end smaller than the right end.")
    inner = np.array([b for b in breaks if lo < b < hi], dtype=float)
    xs = np.union1d(np.linspace(lo, hi, int(n)), inner)
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float).copy()
    ys[np.isin(xs, inner)] = np.nan
    ys[~np.isfinite(ys)] = np.nan
    return xs, ys
