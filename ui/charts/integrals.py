"""Charts for the integrals lesson: Riemann strips, convergence, the running sum, the family F + C.

As on the derivatives page, each chart is an Altair template whose layers read
named datasets; the page caches templates and slow data and fills in what a
slider changed (strips, the running sum, the constant C) on each rerun.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pyarrow as pa

from calc_core.integration import RULES, ConvergenceStudy, Panels
from ui.charts.common import HEIGHT, robust_domain, vega_spec, with_data
from ui.charts.tables import table

F_COLOR = "#1f77b4"
POSITIVE_COLOR = "#9ecae1"
NEGATIVE_COLOR = "#fcbba1"
SUM_COLOR = "#d62728"
F_EXACT_COLOR = "#222222"
FAMILY_COLOR = "#bbbbbb"
RULE_COLORS = {"left": "#1f77b4", "right": "#ff7f0e", "midpoint": "#2ca02c", "trapezoid": "#9467bd"}
FAMILY_OFFSETS = tuple(range(-5, 6))
MAX_POINTS = 2000
FAMILY_POINTS = 200
F_NAME = "f(x)"


def _scale(domain) -> alt.Scale:
    return alt.Scale(domain=[float(domain[0]), float(domain[1])], nice=False, zero=False)


def _tooltip_xy(y_title: str) -> list:
    return [alt.Tooltip("series:N"), alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("y:Q", title=y_title,
                                                                                   format=".6g")]


def _curve_frame(xs: np.ndarray, ys: np.ndarray, series: str) -> pa.Table:
    return table(x=xs, y=ys, series=series)


def riemann_base(xs: np.ndarray, ys: np.ndarray, interval: tuple[float, float]) -> dict:
    """f over [a, b] with room for the strips (filled in by :func:`riemann_view`)."""
    lo, hi = robust_domain(ys)
    lo, hi = min(lo, 0.0), max(hi, 0.0)  # the strips reach down (or up) to y = 0
    x = alt.X("x:Q", title="x", scale=_scale(interval))
    y = alt.Y("y:Q", title="f(x)", scale=_scale((lo, hi)))
    strips = alt.Chart(alt.Data(name="strips")).mark_area(opacity=0.75, stroke="#555555", strokeWidth=0.6,
                                                          clip=True).encode(
        x=x, y=y, y2=alt.Y2(datum=0), detail=alt.Detail("strip:Q"),
        color=alt.Color("sign:N", title=None, scale=alt.Scale(domain=["area above the axis", "area below the axis"],
                                                             range=[POSITIVE_COLOR, NEGATIVE_COLOR]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("strip:Q", title="strip"), alt.Tooltip("x:Q", format=".4g"),
                 alt.Tooltip("y:Q", title="height", format=".6g")],
    )
    curve = alt.Chart(alt.Data(name="curve")).mark_line(color=F_COLOR, strokeWidth=2, clip=True).encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"), tooltip=_tooltip_xy("f(x)"))
    samples = alt.Chart(alt.Data(name="samples")).mark_point(filled=True, size=28, color=SUM_COLOR, opacity=1,
                                                             clip=True).encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"),
        tooltip=[alt.Tooltip("x:Q", title="sample x", format=".4g"), alt.Tooltip("y:Q", title="f", format=".6g")])
    chart = alt.layer(strips, curve, samples).properties(height=HEIGHT, title="Strips under y = f(x)")
    return with_data(vega_spec(chart), curve=_curve_frame(xs, ys, F_NAME))


def riemann_view(base: dict, panels: Panels) -> dict:
    """``riemann_base`` with the strips of one Riemann sum and its sample points."""
    n = panels.x_left.size
    strip = np.repeat(np.arange(1, n + 1), 2)
    x = np.column_stack([panels.x_left, panels.x_right]).ravel()
    y = np.column_stack([panels.y_left, panels.y_right]).ravel()
    mean_height = np.repeat((panels.y_left + panels.y_right) / 2, 2)
    keep = np.isfinite(y) & np.isfinite(mean_height)
    strips = table(x=x[keep], y=y[keep], strip=strip[keep],
                   sign=np.where(mean_height[keep] >= 0, "area above the axis", "area below the axis"))
    finite = np.isfinite(panels.sample_y)
    samples = table(x=panels.sample_x[finite], y=panels.sample_y[finite])
    return with_data(base, strips=strips, samples=samples)


def convergence_base(study: ConvergenceStudy) -> dict:
    """Error against n on log-log axes for every rule, with slope −1 and −2 guides; awaits the current n."""
    color = alt.Color("rule:N", title=None, scale=alt.Scale(domain=[*RULES, "slope −1", "slope −2"],
                                                           range=[*RULE_COLORS.values(), "#999999", "#555555"]),
                      legend=alt.Legend(orient="bottom"))
    x = alt.X("n:Q", title="number of strips n", scale=alt.Scale(type="log"))
    y = alt.Y("error:Q", title="|Riemann sum − integral|", scale=alt.Scale(type="log"), axis=alt.Axis(format=".0e"))
    tips = [alt.Tooltip("rule:N"), alt.Tooltip("n:Q"), alt.Tooltip("error:Q", format=".3e")]
    lines = alt.Chart(alt.Data(name="errors")).mark_line(point=alt.OverlayMarkDef(size=16)).encode(
        x=x, y=y, color=color, tooltip=tips)
    guides = alt.Chart(alt.Data(name="guides")).mark_line(strokeDash=[5, 4]).encode(
        x=alt.X("n:Q"), y=alt.Y("error:Q"), color=color, tooltip=[alt.Tooltip("rule:N")])
    now = alt.Chart(alt.Data(name="current")).mark_rule(color="#222222", strokeDash=[2, 3]).encode(
        x=alt.X("n:Q"), tooltip=[alt.Tooltip("n:Q", title="your n")])
    chart = alt.layer(lines, guides, now).properties(height=HEIGHT, title="Error versus number of strips")

    tiny = np.finfo(float).tiny
    error = np.concatenate([study.errors[rule] for rule in RULES])
    # Exact sums (error 0) have no place on a log axis: leave a gap.
    errors = table(n=np.tile(study.ns, len(RULES)), error=np.where(error > tiny, error, np.nan),
                   rule=np.repeat(RULES, study.ns.size))
    # Reference lines C·n^(−1) and C·n^(−2) from just above the largest first error: the slopes to compare with.
    firsts = np.array([study.errors[rule][0] for rule in RULES])
    firsts = firsts[np.isfinite(firsts) & (firsts > tiny)]
    start = 2 * float(firsts.max()) if firsts.size else 1.0
    ratio = study.ns / study.ns[0]
    guides_data = table(n=np.concatenate([study.ns, study.ns]), error=np.concatenate([start / ratio, start / ratio**2]),
                        rule=np.repeat(["slope −1", "slope −2"], study.ns.size))
    return with_data(vega_spec(chart), errors=errors, guides=guides_data)


def convergence_view(base: dict, n: int) -> dict:
    """``convergence_base`` with the learner's n as a dashed rule."""
    return with_data(base, current=table(n=[int(n)]))


def running_template(interval: tuple[float, float], sum_name: str, exact_name: str) -> dict:
    """Axes and layers for the running sum and F(x) − F(a) over [a, b] (no data yet)."""
    names = [sum_name, exact_name]
    x = alt.X("x:Q", title="x", scale=_scale(interval))
    y = alt.Y("y:Q", title="area from a to x", scale=alt.Scale(zero=False, nice=True))
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=names, range=[SUM_COLOR, F_EXACT_COLOR]),
                      legend=alt.Legend(orient="bottom"))
    dash = alt.StrokeDash("series:N", scale=alt.Scale(domain=names, range=[[1, 0], [6, 4]]), legend=None)
    running = alt.Chart(alt.Data(name="running")).mark_line(strokeWidth=2.5, clip=True).encode(
        x=x, y=y, color=color, strokeDash=dash, tooltip=_tooltip_xy("value"))
    exact = alt.Chart(alt.Data(name="exact")).mark_line(strokeWidth=1.5, clip=True).encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"), color=color, strokeDash=dash, tooltip=_tooltip_xy("value"))
    return vega_spec(alt.layer(running, exact).properties(height=HEIGHT, title="Running sum of f·δx from a"))


def running_view(template: dict, xs: np.ndarray, values: np.ndarray, sum_name: str,
                 exact: tuple[np.ndarray, np.ndarray] | None, exact_name: str) -> dict:
    """``running_template`` with the running sum (thinned to at most MAX_POINTS points, which looks the same)
    and, if known, F(x) − F(a)."""
    xs, values = _thinned(xs, values, MAX_POINTS)
    exact_frame = _curve_frame(*exact, exact_name) if exact is not None else table(x=[], y=[], series=[])
    return with_data(template, running=_curve_frame(xs, values, sum_name), exact=exact_frame)


def family_template(interval: tuple[float, float]) -> dict:
    """Axes and layers for faint copies F(x) + k and one bold F(x) + C (no data yet)."""
    x = alt.X("x:Q", title="x", scale=_scale(interval))
    y = alt.Y("y:Q", title="F(x) + C", scale=alt.Scale(zero=False, nice=True))
    ghosts = alt.Chart(alt.Data(name="family")).mark_line(color=FAMILY_COLOR, strokeWidth=1, clip=True).encode(
        x=x, y=y, detail=alt.Detail("k:Q"),
        tooltip=[alt.Tooltip("k:Q", title="C"), alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("y:Q", format=".6g")])
    chosen = alt.Chart(alt.Data(name="chosen")).mark_line(color=F_EXACT_COLOR, strokeWidth=3, clip=True).encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"), tooltip=[alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("y:Q", format=".6g")])
    return vega_spec(alt.layer(ghosts, chosen).properties(height=HEIGHT, title="The family of antiderivatives F(x) + C"))


def _thinned(xs: np.ndarray, ys: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """About ``count`` evenly spread points of a curve, keeping its ends and the start of every gap (NaN)."""
    stride = max(1, int(np.ceil(xs.size / count)))
    missing = ~np.isfinite(ys)
    gap_starts = np.flatnonzero(missing & ~np.r_[False, missing[:-1]])
    keep = np.unique(np.r_[np.arange(0, xs.size, stride), xs.size - 1, gap_starts])
    return xs[keep], ys[keep]


def family_frame(xs: np.ndarray, F: np.ndarray) -> pa.Table:
    """Faint copies F(x) + k, spaced by a quarter of F's spread (at least 1) so they stay apart."""
    xs, F = _thinned(xs, F, FAMILY_POINTS)
    finite = F[np.isfinite(F)]
    step = max(float(np.ptp(finite)) / 4 if finite.size else 1.0, 1.0)
    offsets = np.repeat(np.array(FAMILY_OFFSETS, dtype=float) * step, xs.size)
    return table(x=np.tile(xs, len(FAMILY_OFFSETS)), y=np.tile(F, len(FAMILY_OFFSETS)) + offsets, k=offsets)


def family_view(template: dict, family: pa.Table, xs: np.ndarray, F: np.ndarray, c: float) -> dict:
    """``family_template`` with the family drawn faint and F(x) + C bold for the chosen C."""
    return with_data(template, family=family, chosen=table(x=xs, y=F + c))
