"""Chart building blocks shared by the lessons.

Building and validating Altair charts costs tens of milliseconds per chart, so
pages cache a chart *template* (a Vega-Lite dict whose layers read named
datasets) and fill in fresh data on each rerun with :func:`with_data`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HEIGHT = 320


def with_data(template: dict, **datasets: pd.DataFrame) -> dict:
    """A Vega-Lite spec: ``template`` with its named datasets filled in (or replaced)."""
    return {**template, "datasets": {**template.get("datasets", {}), **datasets}}


def robust_domain(values: np.ndarray, pad: float = 0.08, clip_quantile: float = 0.02) -> tuple[float, float]:
    """A y-range that ignores NaN and extreme spikes (e.g. near a pole of 1/x)."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return (-1.0, 1.0)
    lo, hi = np.quantile(finite, [clip_quantile, 1 - clip_quantile])
    if hi - lo < 1e-12:
        lo, hi = lo - 1.0, hi + 1.0
    span = hi - lo
    return float(lo - pad * span), float(hi + pad * span)
