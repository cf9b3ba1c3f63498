"""Ready-made functions for the lesson, each with a view and a start that show its point."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Preset:
    """A ready-made function with a view that shows its features.

    Attributes
    ----------
    text : str
        The function as a learner would type it.
    window : tuple
        ``(lo, hi)`` for one variable, ``((x_lo, x_hi), (y_lo, y_hi))`` for two.
    start : tuple
        A starting point for gradient descent that makes the preset's point.
    note : str
        What the preset shows.
    """

    text: str
    window: tuple
    start: tuple
    note: str


FUNCTION_PRESETS = MappingProxyType({
    "Course example": Preset("x^3 - 2x^2 + 1", (-1.0, 2.5), (2.0,),
                             "A local maximum at x = 0 and a local minimum at x = 4/3."),
    "Course task: log(x)": Preset("log(x)", (0.05, 5.0), (1.0,),
                                  "f'(x) = 1/x is never zero: log has no maximum or minimum."),
    "Parabola x^2": Preset("x^2", (-2.0, 2.0), (1.5,), "One minimum; f'' > 0 everywhere."),
    "Upside-down -x^2": Preset("-x^2", (-2.0, 2.0), (0.5,), "One maximum; descent runs away from it."),
    "Cubic x^3": Preset("x^3", (-1.5, 1.5), (1.0,), "f'(0) = 0 but x = 0 is a stationary inflection."),
    "Quartic x^4": Preset("x^4", (-1.5, 1.5), (1.0,), "f''(0) = 0, yet x = 0 is a minimum (the 4th derivative decides)."),
    "Double well": Preset("x^4 - 3x^2 + x", (-2.2, 2.2), (2.0,), "Two minima: where descent ends depends on the start."),
    "Wave sin(x)": Preset("sin(x)", (-7.0, 7.0), (1.0,), "Infinitely many critical points; those in view are listed."),
    "x e^(-x)": Preset("x exp(-x)", (-1.0, 6.0), (0.0,), "One maximum at x = 1; to the right f flattens out."),
})

SURFACE_PRESETS = MappingProxyType({
    "Bowl": Preset("x^2 + y^2", ((-3.0, 3.0), (-3.0, 3.0)), (-2.5, 2.0),
                   "Round contours: every method walks straight in."),
    "Elongated bowl": Preset("x^2 + 10y^2", ((-3.0, 3.0), (-1.5, 1.5)), (-2.5, 1.0),
                             "Steep in y, shallow in x: plain descent zig-zags, momentum helps."),
    "Rosenbrock": Preset("(1 - x)^2 + 100(y - x^2)^2", ((-2.0, 2.0), (-1.0, 3.0)), (-1.5, 2.5),
                         "A curved, flat-bottomed valley with the minimum at (1, 1)."),
    "Saddle": Preset("x^2 - y^2", ((-2.0, 2.0), (-2.0, 2.0)), (-1.8, 0.05),
                     "A minimum along x, a maximum along y: descent slides off."),
    "Himmelblau": Preset("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", ((-5.0, 5.0), (-5.0, 5.0)), (0.0, 0.0),
                         "Four minima of equal height: the start decides which one is found."),
})
