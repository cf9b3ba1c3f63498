"""Charts for the derivatives lesson: f with tangent and secant, f' against the rate of change, error vs step.

Each chart is written once with Altair as a template whose layers read named
datasets, and filled with data on every rerun (Arrow tables built straight from
numpy, see :mod:`ui.charts.tables`). Templates and the curves that do
not depend on x0 or δx are cached by the page, so moving a slider only builds a
few small tables: rebuilding and re-validating the Altair charts would cost more
than the rest of the rerun.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pyarrow as pa

from calc_core.differentiation import StepSizeStudy, TangentSecant
from ui.charts.common import HEIGHT, robust_domain, vega_spec, with_data
from ui.charts.tables import table

F_COLOR = "#1f77b4"
TANGENT_COLOR = "#ff7f0e"
SECANT_COLOR = "#d62728"
POINT_COLOR = "#222222"
FORWARD_COLOR = "#d62728"
CENTRAL_COLOR = "#2ca02c"
F_NAME = "f(x)"
TANGENT_NAME = "tangent at x₀"
SLOPE_NAME = "f′(x) by the rules"
SCHEME_NAMES = ["forward", "central"]
LEGEND_LABEL_PX = 320  # room for the longest difference formula


def _scale(domain) -> alt.Scale:
    return alt.Scale(domain=[float(domain[0]), float(domain[1])], nice=False, zero=False)


def _series_encoding(names: list[str], colors: list[str], dashes: list[list[int]]) -> dict:
    return {
        "color": alt.Color("series:N", title=None, scale=alt.Scale(domain=names, range=colors),
                           legend=alt.Legend(orient="bottom", labelLimit=LEGEND_LABEL_PX)),
        "strokeDash": alt.StrokeDash("series:N", scale=alt.Scale(domain=names, range=dashes), legend=None),
    }


def _lines(name: str, encoding: dict, x: alt.X, y: alt.Y) -> alt.Chart:
    return alt.Chart(alt.Data(name=name)).mark_line(clip=True).encode(
        x=x, y=y, **encoding,
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("x:Q", format=".4g"), alt.Tooltip("y:Q", format=".6g")],
    )


def _points(name: str, color: str, size: int) -> alt.Chart:
    return alt.Chart(alt.Data(name=name)).mark_point(filled=True, size=size, color=color, opacity=1,
                                                     clip=True).encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"),
        tooltip=[alt.Tooltip("label:N", title="point"), alt.Tooltip("x:Q", format=".6g"),
                 alt.Tooltip("y:Q", format=".6g")],
    )


def _marks(x, y, label) -> pa.Table:
    """Points to mark, without the ones that do not exist (NaN)."""
    x, y = np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(y, dtype=float))
    label = np.broadcast_to(np.asarray(label), x.shape)
    keep = np.isfinite(x) & np.isfinite(y)
    return table(x=x[keep], y=y[keep], label=label[keep])


def function_base(xs: np.ndarray, ys: np.ndarray, x_range: tuple[float, float], secant_name: str) -> dict:
    """The y = f(x) chart with its curve, axes fitted to f (spikes near poles ignored), awaiting x0's layers."""
    encoding = _series_encoding([F_NAME, TANGENT_NAME, secant_name], [F_COLOR, TANGENT_COLOR, SECANT_COLOR],
                                [[1, 0], [1, 0], [6, 4]])
    x = alt.X("x:Q", title="x", scale=_scale(x_range))
    y = alt.Y("y:Q", title="f(x)", scale=_scale(robust_domain(ys)))
    chart = alt.layer(
        _lines("curve", encoding, x, y),
        _lines("lines", encoding, alt.X("x:Q"), alt.Y("y:Q")),
        _points("secant_points", SECANT_COLOR, 50),
        _points("point", POINT_COLOR, 90),
    ).properties(height=HEIGHT, title="y = f(x)")
    return with_data(vega_spec(chart), curve=table(x=xs, y=ys, series=F_NAME))


def function_view(base: dict, ts: TangentSecant, x_range: tuple[float, float], secant_name: str) -> dict:
    """``function_base`` with the tangent at x0, the secant of the chosen scheme and their points."""
    ends = np.array(x_range, dtype=float)
    x, y, series = [], [], []
    if np.isfinite(ts.slope) and np.isfinite(ts.y0):
        x, y, series = [*x, *ends], [*y, *ts.tangent(ends)], [*series, TANGENT_NAME, TANGENT_NAME]
    if np.isfinite(ts.secant_slope):
        x, y, series = [*x, *ends], [*y, *ts.secant(ends)], [*series, secant_name, secant_name]
    return with_data(base, lines=table(x=np.array(x, dtype=float), y=np.array(y, dtype=float), series=series), secant_points=_marks(ts.secant_x, ts.secant_y, "secant point"),
                     point=_marks(ts.x0, ts.y0, "x₀"))


def derivative_template(slopes: np.ndarray, x_range: tuple[float, float], rate_name: str) -> dict:
    """Axes for f' (fitted to f' by the rules) with layers for f', the rate of change and x0 (no data yet)."""
    encoding = _series_encoding([SLOPE_NAME, rate_name], [F_COLOR, SECANT_COLOR], [[1, 0], [6, 3]])
    x = alt.X("x:Q", title="x", scale=_scale(x_range))
    y = alt.Y("y:Q", title="slope", scale=_scale(robust_domain(slopes)))
    rule = alt.Chart(alt.Data(name="point")).mark_rule(color=POINT_COLOR, strokeDash=[2, 3]).encode(x=alt.X("x:Q"))
    chart = alt.layer(_lines("curves", encoding, x, y), rule, _points("slopes", POINT_COLOR, 60)).properties(
        height=HEIGHT, title="y = f′(x)")
    return vega_spec(chart)


def derivative_view(template: dict, xs: np.ndarray, slopes: np.ndarray, rates: np.ndarray, rate_name: str,
                    ts: TangentSecant) -> dict:
    """``derivative_template`` with f', the rate of change, a rule at x0 and f'(x0) and the secant slope on it."""
    curves = table(x=np.concatenate([xs, xs]), y=np.concatenate([slopes, rates]),
                   series=np.repeat([SLOPE_NAME, rate_name], xs.size))
    return with_data(template, curves=curves, point=table(x=[ts.x0]),
                     slopes=_marks([ts.x0, ts.x0], [ts.slope, ts.secant_slope], ["f′(x₀)", "secant slope"]))


def step_error_template() -> dict:
    """|finite difference − exact| against h on log-log axes, best steps marked, δx as a rule (no data yet)."""
    color = alt.Color("scheme:N", title=None, scale=alt.Scale(domain=SCHEME_NAMES, range=[FORWARD_COLOR,
                                                                                          CENTRAL_COLOR]),
                      legend=alt.Legend(orient="bottom"))
    x = alt.X("h:Q", title="step h", scale=alt.Scale(type="log"), axis=alt.Axis(format=".0e"))
    y = alt.Y("error:Q", title="|finite difference − f′(x₀)|", scale=alt.Scale(type="log"),
              axis=alt.Axis(format=".0e"))
    tips = [alt.Tooltip("label:N"), alt.Tooltip("h:Q", format=".2e"), alt.Tooltip("error:Q", format=".3e")]
    lines = alt.Chart(alt.Data(name="errors")).mark_line(point=alt.OverlayMarkDef(size=12)).encode(
        x=x, y=y, color=color, tooltip=tips)
    stars = alt.Chart(alt.Data(name="best")).mark_point(shape="diamond", size=160, filled=True, opacity=1).encode(
        x=alt.X("h:Q"), y=alt.Y("error:Q"), color=color, tooltip=tips)
    now = alt.Chart(alt.Data(name="step")).mark_rule(color=POINT_COLOR, strokeDash=[4, 4]).encode(
        x=alt.X("h:Q"), tooltip=[alt.Tooltip("label:N"), alt.Tooltip("h:Q", format=".1e")])
    return vega_spec(alt.layer(lines, stars, now).properties(height=HEIGHT, title="Error versus step size at x₀"))


def step_error_view(template: dict, study: StepSizeStudy, current_h: float) -> dict:
    """``step_error_template`` filled with one study and the learner's δx."""
    tiny = np.finfo(float).tiny
    h = np.concatenate([study.h, study.h])
    error = np.concatenate([study.forward_error, study.central_error])
    scheme = np.repeat(SCHEME_NAMES, study.h.size)
    # An error of exactly 0 has no place on a log axis; leave a gap there.
    errors = table(h=h, error=np.where(error > tiny, error, np.nan), scheme=scheme, label=scheme)
    best_h = np.array([study.best_h_forward, study.best_h_central])
    best_error = np.array([study.best_error_forward, study.best_error_central])
    keep = np.isfinite(best_h) & (best_error > tiny)
    best = table(h=best_h[keep], error=best_error[keep], scheme=np.array(SCHEME_NAMES)[keep],
                 label=np.array(["best h (forward)", "best h (central)"])[keep])
    return with_data(template, errors=errors, best=best, step=table(h=[float(current_h)], label=["your δx"]))
