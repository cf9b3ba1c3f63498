"""calc_core.domain: the bounded domain search, on functions with thousands of trouble spots."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from calc_core import domain
from calc_core.differentiation import derivative
from calc_core.domain import DomainReport, domain_report, listing, span_listing
from calc_core.expressions import parse_expression, to_function
from calc_core.limits import (
    DOMAIN_GRID_POINTS,
    MAX_DOMAIN_CANDIDATES,
    MAX_DOMAIN_PIECES,
    MAX_LISTED_POINTS,
    MAX_PLOT_BREAKS,
)

SUM_ABS_SIN = "+".join(f"abs(sin({k}x))" for k in range(1, 21))
X = sympy.Symbol("x")
# One more distinct abs() piece than the search takes, each with hundreds of zeros on [-100, 100] (too long to
# type into a box, so built directly).
WORST_PIECES = sympy.Add(*[sympy.Abs(sympy.sin(k * X)) for k in range(1, MAX_DOMAIN_PIECES + 2)])


class CountingFunctions:
    """Wraps calc_core.domain's compiler so every point any compiled function is evaluated at is counted."""

    def __init__(self):
        self.points = 0

    def __call__(self, expr, variables=("x",)):
        compiled = to_function(expr, variables)

        def counted(*args):
            self.points += int(np.size(args[0]))
            return compiled(*args)

        return counted


def test_sum_of_abs_sines_has_corners_and_no_poles():
    # Bounded by 20 everywhere, so no point of it can be a pole, however steep its pieces are far out.
    report = domain_report(parse_expression(SUM_ABS_SIN), "x", -100, 100)
    assert report.poles == () and report.holes == ()
    assert report.corners
    assert all(abs(np.sin(k * p)) < 1e-6 for p in report.corners[:50] for k in [min(
        range(1, 21), key=lambda k: abs(np.sin(k * p)))])


def test_steep_bounded_function_far_out_has_no_poles():
    # |sin(x³)| changes by tens of radians per thousandth near x = 98: a coarse probe once took that for growth.
    report = domain_report(parse_expression("abs(sin(x))+abs(sin(x^2))+abs(sin(x^3))"), "x", -100, 100)
    assert report.poles == ()


def test_worst_case_under_the_caps_is_bounded_work(monkeypatch):
    counter = CountingFunctions()
    monkeypatch.setattr(domain, "to_function", counter)
    expr = WORST_PIECES
    report = domain_report(expr, "x", -100, 100, n=10 * DOMAIN_GRID_POINTS, slope=derivative(expr))
    assert not report.complete
    assert len(report.breaks) <= MAX_DOMAIN_CANDIDATES
    assert report.poles == ()
    # Per piece: the grid, a bisection per cell and a golden-section search per dip, all on at most one point per
    # grid cell; then a fixed number of probes per classified candidate.
    per_piece = DOMAIN_GRID_POINTS * (1 + domain.BISECTION_STEPS + 2 + 2 * domain.GOLDEN_STEPS + 2)
    per_candidate = 2 * len(domain.POLE_PROBES) + 1 + 4 + 1
    bound = MAX_DOMAIN_PIECES * per_piece + DOMAIN_GRID_POINTS * (1 + 2 * domain.BISECTION_STEPS) \
        + MAX_DOMAIN_CANDIDATES * per_candidate
    assert counter.points <= bound


def test_more_pieces_than_the_cap_are_reported_as_incomplete():
    expr = sympy.Add(*[sympy.Abs(X - k) for k in range(1, MAX_DOMAIN_PIECES + 3)])
    report = domain_report(expr, "x", 0, MAX_DOMAIN_PIECES + 4)
    assert not report.complete
    assert len(report.corners) == MAX_DOMAIN_PIECES
    assert domain_report(parse_expression("abs(x-1)+abs(x-2)"), "x", 0, 3).complete


K = np.arange(-1000, 1000)


@pytest.mark.parametrize(("text", "poles"), [("1/sin(50x)", K * np.pi / 50), ("tan(20x)", (K + 0.5) * np.pi / 20)])
def test_many_poles_are_all_poles(text, poles):
    # A pole every 0.06 to 0.16: the grid (spacing 0.01) resolves each.
    count = int(np.sum(np.abs(poles) <= 10))
    report = domain_report(parse_expression(text), "x", -10, 10)
    assert len(report.poles) == count
    assert not report.corners and not report.holes
    assert report.plot_breaks == report.poles


def test_plot_breaks_keep_poles_when_corners_are_too_many():
    corners = tuple(float(c) for c in np.linspace(-1, 1, MAX_PLOT_BREAKS + 1))
    report = DomainReport(-1.0, 1.0, (), (), poles=(0.5,), holes=(), corners=corners)
    assert report.plot_breaks == (0.5,)
    small = DomainReport(-1.0, 1.0, (), (), poles=(0.5,), holes=(), corners=(0.0,))
    assert small.plot_breaks == (0.0, 0.5)


def test_many_undefined_stretches_each_end_at_a_zero():
    report = domain_report(parse_expression("sqrt(sin(40x))"), "x", -10, 10)
    # sin(40x) < 0 on ((2k − 1)π/40, 2kπ/40).
    starts, ends = (2 * K - 1) * np.pi / 40, 2 * K * np.pi / 40
    assert len(report.undefined_intervals) == int(np.sum((starts < 10) & (ends > -10)))
    for lo, hi in report.undefined_intervals[1:-1][:20]:
        assert np.sin(40 * lo) == pytest.approx(0, abs=1e-6) and np.sin(40 * hi) == pytest.approx(0, abs=1e-6)


def test_status_at_uses_every_kind():
    report = domain_report(parse_expression("1/x + sqrt(9 - x^2)"), "x", -5, 5)
    assert report.status_at(0.0) == "pole"
    assert report.status_at(4.0) == "undefined"
    assert report.status_at(1.0) is None


def test_listing_summarises_long_lists():
    points = [float(i) for i in range(MAX_LISTED_POINTS + 5)]
    text = listing(points)
    assert text.endswith("and 5 more") and text.count("x =") == MAX_LISTED_POINTS
    assert listing([1.0]) == "x = 1"
    spans = [(float(i), i + 0.5) for i in range(MAX_LISTED_POINTS + 1)]
    assert span_listing(spans).endswith("and 1 more")


def test_pole_growth_test_against_known_shapes():
    x = X
    points = np.array([0.0])
    for expr, pole in [(1 / x, True), (sympy.log(sympy.Abs(x)), True), (sympy.Abs(x) ** sympy.Rational(-1, 100), True),
                       (sympy.Abs(x), False), (1 - sympy.sqrt(sympy.Abs(x)), False), (sympy.sin(1000 * x), False)]:
        f = to_function(expr)
        assert domain._unbounded_near(f, points, -1.0, 1.0)[0] == pole, expr


def test_without_corners_the_abs_pieces_are_not_searched(monkeypatch):
    counter = CountingFunctions()
    monkeypatch.setattr(domain, "to_function", counter)
    report = domain_report(parse_expression(SUM_ABS_SIN), "x", -100, 100, corners=False)
    assert report.is_clean and report.complete
    # f itself on the grid, nothing else: no piece of it can make f undefined.
    assert counter.points == DOMAIN_GRID_POINTS
    poles = domain_report(parse_expression("log(abs(x)) + abs(x - 1)"), "x", -5, 5, corners=False)
    assert poles.poles == (0.0,) and poles.corners == ()
