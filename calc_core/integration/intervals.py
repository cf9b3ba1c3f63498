"""Is [a, b] fit for a Riemann sum? Proper, removable, improper, undefined or overflowing."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sympy

from calc_core.domain import DomainReport, domain_report, listing, span_listing
from calc_core.integration.checks import check_interval

__all__ = ["IntervalKind", "IntervalReport", "interval_report"]


class IntervalKind(StrEnum):
    """What [a, b] makes of ∫_a^b f dx.

    PROPER: f is defined and bounded on [a, b]; REMOVABLE: f is undefined at
    isolated points but bounded, which does not change the area; IMPROPER: f
    is unbounded at some point of [a, b]; UNDEFINED: f has no real value on
    part of [a, b]; OVERFLOW: f is too large for floating point on part of it.
    """

    PROPER = "proper"
    REMOVABLE = "removable"
    IMPROPER = "improper"
    UNDEFINED = "undefined"
    OVERFLOW = "overflow"


@dataclass(frozen=True)
class IntervalReport:
    """Whether ∫_a^b f dx is an ordinary (proper) integral.

    Attributes
    ----------
    kind : IntervalKind
        Proper, removable, improper, undefined or overflow (see :class:`IntervalKind`);
        equal to its string value, e.g. ``"proper"``.
    points : tuple of float
        The poles (improper) or holes (removable) in [a, b].
    undefined_intervals : tuple of (float, float)
        Where f has no real value (undefined) or overflows (overflow).
    message : str
        A sentence for the learner; "" for proper intervals.
    """

    kind: IntervalKind
    points: tuple[float, ...]
    undefined_intervals: tuple[tuple[float, float], ...]
    message: str

    @property
    def sum_is_meaningful(self) -> bool:
        """True when Riemann sums converge to the integral as n grows."""
        return self.kind in (IntervalKind.PROPER, IntervalKind.REMOVABLE)


def interval_report(expr: sympy.Expr, var: str, a: float, b: float, report: DomainReport | None = None
                    ) -> IntervalReport:
    """Check [a, b] for poles, holes and stretches where f is undefined.

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Its variable.
    a, b : float
        Interval, a < b.
    report : DomainReport, optional
        ``domain_report(expr, var, a, b)`` if already computed (the search is the costly part).

    Returns
    -------
    IntervalReport

    Notes
    -----
    A Riemann sum approximates ∫_a^b f dx only when f is bounded on [a, b] (and
    continuous except at finitely many points). At a pole p the integral is
    improper, defined as a limit such as lim_{t→p⁻} ∫_a^t f dx + lim_{s→p⁺} ∫_s^b f dx;
    if either limit is infinite it does not exist, however many strips are used.
    The search itself is :func:`calc_core.domain.domain_report`; point lists are
    shortened to their first few ("and N more").

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> interval_report(1 / x, "x", -1, 1).kind
    <IntervalKind.IMPROPER: 'improper'>
    >>> interval_report(sympy.sin(x) / x, "x", -1, 1).kind
    <IntervalKind.REMOVABLE: 'removable'>
    """
    a, b = check_interval(a, b)
    if report is None:
        report = domain_report(expr, var, a, b, corners=False)
    # One report per kind, most serious first; kind, points, stretches and advice all differ between them.
    if report.overflow_intervals:
        spans = span_listing(report.overflow_intervals)
        return IntervalReport(
            kind=IntervalKind.OVERFLOW,
            points=report.poles,
            undefined_intervals=report.overflow_intervals,
            message=(
                f"f grows beyond the largest number a computer can store (about 1.8·10³⁰⁸) on {spans}, so neither "
                "the sums nor quad can compute this integral. Shrink the interval."
            ),
        )
    if report.undefined_intervals:
        spans = span_listing(report.undefined_intervals)
        return IntervalReport(
            kind=IntervalKind.UNDEFINED,
            points=report.poles,
            undefined_intervals=report.undefined_intervals,
            message=(
                f"f has no real value on {spans}, inside [{a:g}, {b:g}], so the integral over this "
                "interval is not defined. Move the interval into f's domain."
            ),
        )
    if report.poles:
        return IntervalReport(
            kind=IntervalKind.IMPROPER,
            points=report.poles,
            undefined_intervals=(),
            message=(
                f"f is unbounded at {listing(report.poles)}, in [{a:g}, {b:g}]: this is an improper "
                "integral. It exists only as a limit, and only if that limit is finite; a Riemann sum "
                "is not an approximation of it and changes erratically with n."
            ),
        )
    if report.holes:
        return IntervalReport(
            kind=IntervalKind.REMOVABLE,
            points=report.holes,
            undefined_intervals=(),
            message=(
                f"f is undefined at {listing(report.holes)} but stays bounded around it. A single point "
                "has no width, so it does not change the area; the integral is an ordinary one."
            ),
        )
    return IntervalReport(kind=IntervalKind.PROPER, points=(), undefined_intervals=(), message="")
