"""The notebooks of derivatives, integrals, gradient and Jacobian, run in a real kernel: the numbers they print
agree with what the page computes (calc_core, as the page calls it) for the defaults and several shared links."""

from __future__ import annotations

import math

import numpy as np
import pytest

from calc_core import notebooks
from calc_core.differentiation import derivative, tangent_secant
from calc_core.domain import domain_report
from calc_core.expressions import parse_expression, to_function
from calc_core.gradients import directional_scan, gradient_at, gradient_direction, gradient_formula
from calc_core.integration import definite_integral, quad_integral, riemann_panels, running_integral
from calc_core.jacobians import (
    jacobian,
    jacobian_function,
    linear_map_picture,
    numeric_jacobian,
    stack_components,
    summarize_jacobian,
)
from tests.notebooks.kernel import execute

EPS = 2.0 ** -52


def close(printed: float, page: float, scale: float = 0.0) -> bool:
    """Equal up to rounding: relative 1e-9, or ``scale`` (what cancellation in the page's own formula allows)."""
    if math.isnan(page):
        return math.isnan(printed)
    return abs(printed - page) <= max(1e-9 * max(abs(page), 1.0), scale)


# --------------------------------------------------------------------------- derivatives

DERIVATIVE_LINKS = [
    {"f": "x^3 - 2x^2 + 1", "x_range": (-1.0, 2.5), "x0": 1.0, "dx": 1.0, "scheme": "forward"},  # the defaults
    {"f": "sin(x)", "x_range": (-3.0, 3.0), "x0": 0.5, "dx": 0.01, "scheme": "central"},
    {"f": "exp(-x^2)", "x_range": (-2.0, 2.0), "x0": -0.75, "dx": 1e-06, "scheme": "backward"},
    {"f": "sigmoid(x)", "x_range": (-5.0, 5.0), "x0": 2.0, "dx": 0.1, "scheme": "forward"},
    {"f": "abs(x)", "x_range": (-1.0, 1.0), "x0": 0.25, "dx": 1e-12, "scheme": "central"},
    {"f": "abs(x)", "x_range": (-1.0, 1.0), "x0": 0.0, "dx": 0.1, "scheme": "forward"},  # a corner at x0
    {"f": "1/x", "x_range": (-2.0, 2.0), "x0": 0.5, "dx": 1.0, "scheme": "backward"},  # a secant across the pole
]


def derivative_report(link: dict):
    """The page's domain report: trouble spots over the plot range and every x0 the slider reaches."""
    expr = parse_expression(link["f"])
    lo, hi = link["x_range"]
    return domain_report(expr, "x", min(lo, -10.0), max(hi, 10.0), slope=to_function(derivative(expr)))


def derivative_settings(link: dict) -> dict:
    return {**link, "f": parse_expression(link["f"]), "report": derivative_report(link)}


def derivative_page_numbers(link: dict) -> dict[str, float]:
    """f(x0), f′(x0), the rate of change and the gap, as the derivatives page computes them."""
    expr = parse_expression(link["f"])
    f, df = to_function(expr), to_function(derivative(expr))
    slope = math.nan if derivative_report(link).status_at(link["x0"]) else float(df(link["x0"]))
    lines = tangent_secant(f, link["x0"], slope, link["dx"], link["scheme"])
    return {"f(x0)": lines.y0, "f'(x0)": slope, "rate": lines.secant_slope, "gap": lines.gap}


@pytest.mark.parametrize("link", DERIVATIVE_LINKS, ids=lambda link: f"{link['f']}@{link['x0']}")
def test_derivatives_notebook_prints_the_page_numbers(link):
    printed, text = execute(notebooks.build("derivatives", derivative_settings(link)))
    page = derivative_page_numbers(link)
    assert set(page) <= set(printed), text
    # A difference quotient divides the rounding of f by dx: allow that much between two evaluations of f.
    cancellation = 8 * EPS * max(abs(page["f(x0)"]), 1.0) / link["dx"]
    if link["f"] == "abs(x)" and link["x0"] == 0.0:
        assert "does not exist" in text
    for name, value in page.items():
        scale = cancellation if name in ("rate", "gap") else 0.0
        assert close(printed[name], value, scale), (name, printed[name], value)


# --------------------------------------------------------------------------- integrals

INTEGRAL_LINKS = [
    {"f": "2x", "interval": (-1.0, 3.0), "rule": "left", "n": 10, "dx": 0.1, "c": 0.0},  # the defaults
    {"f": "3x^2 - 4x", "interval": (-10.0, 2.0), "rule": "right", "n": 200, "dx": 0.001, "c": 1200.0},
    {"f": "sin(x)", "interval": (0.0, 2.5), "rule": "midpoint", "n": 7, "dx": 0.3, "c": -2.0},
    {"f": "exp(-x^2)", "interval": (-2.0, 1.5), "rule": "trapezoid", "n": 33, "dx": 1.0, "c": 0.5},
    {"f": "sin(x)/x", "interval": (-2.0, 3.0), "rule": "midpoint", "n": 20, "dx": 0.1, "c": 0.0},  # a hole at 0
    {"f": "sin(x)/x", "interval": (-2.0, 3.0), "rule": "left", "n": 10, "dx": 0.1, "c": 0.0},  # sampled at it
]


def integral_settings(link: dict) -> dict:
    """The notebook's settings as the page passes them: the trouble spots quad is split at included."""
    expr = parse_expression(link["f"])
    breaks = domain_report(expr, "x", *link["interval"], corners=False).plot_breaks
    return {**link, "f": expr, "breaks": breaks}


def integral_page_numbers(link: dict) -> dict[str, float]:
    """The Riemann sum, sympy's exact value, quad's value, the sum's error and the running sum's end."""
    expr = parse_expression(link["f"])
    f = to_function(expr)
    a, b = link["interval"]
    area = riemann_panels(f, a, b, link["n"], link["rule"]).area
    exact = definite_integral(expr, "x", a, b).value
    quad = quad_integral(f, a, b, points=integral_settings(link)["breaks"]).value
    _, running = running_integral(f, a, b, min(link["dx"], b - a), link["rule"])
    return {"Riemann sum": area, "exact": exact, "quad": quad, "error": abs(area - exact),
            "running sum at b": float(running[-1])}


@pytest.mark.parametrize("link", INTEGRAL_LINKS, ids=lambda link: f"{link['f']}-{link['rule']}")
def test_integrals_notebook_prints_the_page_numbers(link):
    printed, text = execute(notebooks.build("integrals", integral_settings(link)))
    page = integral_page_numbers(link)
    assert set(page) <= set(printed), text
    for name, value in page.items():
        # The error is a difference of two nearly equal numbers: compare it on the scale of the integral.
        scale = 1e-9 * max(abs(page["exact"]), 1.0) if name == "error" else 0.0
        assert close(printed[name], value, scale), (name, printed[name], value)


# --------------------------------------------------------------------------- gradient

GRADIENT_LINKS = [
    {"f": "x^2 + y^3", "x_range": (-4.0, 4.0), "y_range": (-4.0, 4.0), "x0": 2.0, "y0": 3.0, "step": 1e-4},
    {"f": "x^2 + y^2", "x_range": (-2.0, 2.0), "y_range": (-2.0, 2.0), "x0": 1.0, "y0": 1.0, "step": 1e-4},
    {"f": "sin(x)*cos(y)", "x_range": (-3.0, 3.0), "y_range": (-3.0, 2.0), "x0": 1.0, "y0": -0.5, "step": 0.01},
    {"f": "exp(-(x^2 + y^2)/4)", "x_range": (-5.0, 5.0), "y_range": (-5.0, 5.0), "x0": -1.5, "y0": 0.7,
     "step": 1e-06},
]


def gradient_page_numbers(link: dict) -> dict[str, float]:
    """f and ∇f at the point, its length and angle, and the scan's largest rate, its angle and the course's."""
    expr = parse_expression(link["f"], ("x", "y"))
    f = to_function(expr, ("x", "y"))
    components = gradient_formula(expr, ("x", "y")).components
    point = (link["x0"], link["y0"])
    gx, gy = gradient_at(tuple(to_function(c, ("x", "y")) for c in components), point, f=f)
    direction = gradient_direction((gx, gy))
    scan = directional_scan(f, point, step=link["step"])
    return {"f(x0, y0)": float(f(*point)), "df/dx": gx, "df/dy": gy, "|grad f|": direction.norm,
            "angle": direction.angle_deg, "largest rate": scan.best_rate, "at angle": scan.best_angle_deg,
            "course angle": (90.0 - scan.best_angle_deg) % 360.0}


@pytest.mark.parametrize("link", GRADIENT_LINKS, ids=lambda link: link["f"])
def test_gradient_notebook_prints_the_page_numbers(link):
    printed, text = execute(notebooks.build("gradient", {**link, "f": parse_expression(link["f"], ("x", "y"))}))
    page = gradient_page_numbers(link)
    assert set(page) <= set(printed), text
    f0 = abs(page["f(x0, y0)"])
    for name, value in page.items():
        # The scan's rates are difference quotients: the rounding of f divided by the step.
        scale = 8 * EPS * max(f0, 1.0) / link["step"] if name == "largest rate" else 0.0
        assert close(printed[name], value, scale), (name, printed[name], value)


# --------------------------------------------------------------------------- Jacobian

PARAMETERS = ("p", "q", "r", "s", "t", "u")
CONSTANTS = dict(zip(PARAMETERS, (1.0, -1.0, 0.5, 2.0, -1.5, 0.5)))  # the page's defaults
JACOBIAN_LINKS = [
    {"variables": ("x", "y"), "components": ("2x y", "x^2 y"), "point": (1.0, 2.0), "radius": 0.3},  # the defaults
    {"variables": ("x", "y"), "components": ("sigmoid(p x + q y)", "sigmoid(r x + s y)", "sigmoid(t x + u y)"),
     "point": (0.5, -1.0), "radius": 0.3, "constants": {"p": 2.0, "u": -0.7}},
    {"variables": ("r", "theta"), "components": ("r cos(theta)", "r sin(theta)"), "point": (2.0, 0.5),
     "radius": 0.1},
    {"variables": ("r", "theta", "phi"),
     "components": ("r sin(theta) cos(phi)", "r sin(theta) sin(phi)", "r cos(theta)"), "point": (1.5, 0.7, -0.4),
     "radius": 0.3},
    {"variables": ("x",), "components": ("cos(x)", "sin(x)", "x^2 / 4"), "point": (0.8,), "radius": 0.3},
    {"variables": ("x", "y"), "components": ("x + y", "2x + 2y"), "point": (0.3, -1.2), "radius": 0.3},  # singular
]


def jacobian_settings(link: dict) -> dict:
    variables = link["variables"]
    constants = tuple(name for name in PARAMETERS if name not in variables)
    values = {**CONSTANTS, **link.get("constants", {})}
    return {"components": tuple(parse_expression(t, variables, constants) for t in link["components"]),
            "variables": variables, **values, **dict(zip(("x0", "y0", "z0"), link["point"])),
            "radius": link["radius"]}


def jacobian_page_numbers(link: dict) -> dict[str, float]:
    """J at the point from the formulas and by central differences, det J and the grid's area ratio (2 → 2)."""
    settings = jacobian_settings(link)
    variables, exprs = link["variables"], settings["components"]
    constants = tuple(name for name in PARAMETERS if name not in variables)
    values = tuple(settings[name] for name in constants)
    exact = jacobian_function(jacobian(exprs, variables), exprs, (*variables, *constants))((*link["point"], *values))
    f = stack_components([to_function(e, (*variables, *constants)) for e in exprs], values)
    differences = numeric_jacobian(f, link["point"], h=1e-6)
    numbers = {}
    for (i, j), value in np.ndenumerate(exact):
        numbers[f"J[{i},{j}]"] = float(value)
        numbers[f"J differences[{i},{j}]"] = float(differences[i, j])
    summary = summarize_jacobian(exact)
    numbers["rank"] = float(summary.rank)
    if summary.determinant is not None:
        numbers["det J(p)"] = summary.determinant
    if exact.shape == (2, 2):
        numbers["signed image area / grid area"] = linear_map_picture(f, link["point"], radius=link["radius"],
                                                                       h=1e-6).area_ratio
    return numbers


@pytest.mark.parametrize("link", JACOBIAN_LINKS, ids=lambda link: ",".join(link["components"]))
def test_jacobian_notebook_prints_the_page_numbers(link):
    printed, text = execute(notebooks.build("jacobian", jacobian_settings(link)))
    page = jacobian_page_numbers(link)
    assert set(page) <= set(printed), text
    for name, value in page.items():
        # Central differences divide the rounding of f by 2h.
        scale = 8 * EPS * 1e6 * max(abs(value), 1.0) if "differences" in name else 0.0
        assert close(printed[name], value, scale), (name, printed[name], value)
