"""Lesson 3's notebook: the surface of f(x, y), the gradient field with the level curve through the point and ∇f
there, and the scan of every direction around the point.

``settings``: ``f`` (a parsed sympy expression of x and y), ``x_range`` and ``y_range`` (lo, hi), ``x0`` and ``y0``
(the point) and ``step`` (the scan's step s, positive).

Examples
--------
>>> import sympy
>>> x, y = sympy.symbols("x y")
>>> nb = build({"f": x**2 + y**3, "x_range": (-4.0, 4.0), "y_range": (-4.0, 4.0), "x0": 2.0, "y0": 3.0,
...             "step": 1e-4})
>>> any("f_text = 'x**2 + y**3'" in cell.source for cell in nb.cells)
True
"""

from __future__ import annotations

import textwrap

from calc_core.notebooks import canonical, code, markdown, notebook, number, print_line

POINT = """\
For f(x, y) the derivative is a vector, ∇f = (∂f/∂x, ∂f/∂y): it points where f grows fastest, its length is that
fastest rate, and it crosses the level curve through the point at a right angle. This notebook repeats the page's
view for the settings below: the surface z = f(x, y), the field of gradient directions over a heatmap of f with
the level curve through the point and ∇f there, and a scan of the rate of change in 3 600 directions around the
point, whose largest rate is |∇f| and whose direction is ∇f's.
Change the settings in the second code cell and run the cells again."""


def _lines(*parts: str) -> str:
    """Code blocks (each dedented) one after the other."""
    return "\n".join(textwrap.dedent(part).strip("\n") for part in parts)


def _settings(settings) -> tuple[str, tuple[float, float], tuple[float, float], float, float, float]:
    x_range = tuple(float(v) for v in settings["x_range"])
    y_range = tuple(float(v) for v in settings["y_range"])
    x0, y0, step = float(settings["x0"]), float(settings["y0"]), float(settings["step"])
    if not (x_range[0] < x_range[1] and y_range[0] < y_range[1] and step > 0):
        raise ValueError("The settings of the gradient notebook are out of range.")
    return canonical(settings["f"]), x_range, y_range, x0, y0, step


def build(settings):
    """The gradient notebook for the page's current settings."""
    f_text, (x_lo, x_hi), (y_lo, y_hi), x0, y0, step = _settings(settings)
    cells = [
        code("""\
            import numpy as np
            import sympy
            import matplotlib.pyplot as plt"""),
        markdown("## The settings\n\nThe function as the page read it (in sympy's notation), the window, the "
                 "point and the scan's step s."),
        code(f"""\
            f_text = {f_text!r}
            x_min, x_max = {number(x_lo)}, {number(x_hi)}
            y_min, y_max = {number(y_lo)}, {number(y_hi)}
            x0, y0 = {number(x0)}, {number(y0)}
            step = {number(step)}"""),
        markdown("## f and ∇f\n\nsympy differentiates f in x holding y fixed, then in y holding x fixed (both taken "
                 "as real numbers); `lambdify` turns the results into numpy functions. Where f has no finite real "
                 "value they give NaN, left blank in the pictures."),
        code(_lines("""\
            x, y = sympy.symbols("x y", real=True)
            f = sympy.parse_expr(f_text, local_dict={"x": x, "y": y})
            grad = [sympy.diff(f, x), sympy.diff(f, y)]
            print("f(x, y) =", f)
            print("grad f =", tuple(grad))


            def numeric(expression):
                compiled = sympy.lambdify((x, y), expression, modules=["numpy", "scipy"])

                def evaluate(xs, ys):
                    xs, ys = np.broadcast_arrays(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
                    with np.errstate(all="ignore"):
                        values = np.asarray(compiled(xs, ys), dtype=float) + np.zeros_like(xs)
                    return np.where(np.isfinite(values), values, np.nan)

                return evaluate


            f_num = numeric(f)
            gx_num, gy_num = numeric(grad[0]), numeric(grad[1])

            f0 = float(f_num(x0, y0))
            gx, gy = float(gx_num(x0, y0)), float(gy_num(x0, y0))
            if np.isnan(f0):
                gx = gy = float("nan")
            norm = float(np.hypot(gx, gy))
            angle = float(np.degrees(np.arctan2(gy, gx)) % 360) if norm > 0 else float("nan")""",
            print_line("f(x0, y0)", "f0"), print_line("df/dx", "gx"), print_line("df/dy", "gy"),
            print_line("|grad f|", "norm"), print_line("angle", "angle"))),
        markdown("## The surface and the gradient field\n\nLeft: the surface z = f(x, y). Right: f as shading, "
                 "small arrows in the direction of ∇f coloured by |∇f|, the level curve f = f(x₀, y₀) dashed, and "
                 "∇f at the point in red, at a fixed length: it meets the level curve at a right angle."),
        code("""\
            fig = plt.figure(figsize=(12, 5))
            surface = fig.add_subplot(1, 2, 1, projection="3d")
            sx, sy = np.meshgrid(np.linspace(x_min, x_max, 60), np.linspace(y_min, y_max, 60))
            sz = f_num(sx, sy)
            finite = sz[np.isfinite(sz)]
            if finite.size:
                low, high = np.percentile(finite, [1, 99])
                sz = np.clip(sz, low, high)
            surface.plot_surface(sx, sy, sz, cmap="viridis")
            surface.set_xlabel("x")
            surface.set_ylabel("y")
            surface.set_title("z = f(x, y)")

            field = fig.add_subplot(1, 2, 2)
            hx, hy = np.meshgrid(np.linspace(x_min, x_max, 200), np.linspace(y_min, y_max, 200))
            hz = f_num(hx, hy)
            field.contourf(hx, hy, hz, levels=30, cmap="Greys")
            ax_, ay_ = np.meshgrid(np.linspace(x_min, x_max, 15), np.linspace(y_min, y_max, 15))
            u, v = gx_num(ax_, ay_), gy_num(ax_, ay_)
            length = np.hypot(u, v)
            with np.errstate(all="ignore"):
                field.quiver(ax_, ay_, u / length, v / length, length, cmap="plasma")
            if np.isfinite(f0):
                field.contour(hx, hy, hz, levels=[f0], colors="tab:blue", linestyles="dashed")
            if norm > 0:
                scale = 0.15 * min(x_max - x_min, y_max - y_min) / norm
                field.arrow(x0, y0, gx * scale, gy * scale, color="red", width=0.01 * (x_max - x_min))
            field.plot([x0], [y0], "ro")
            field.set_xlim(x_min, x_max)
            field.set_ylim(y_min, y_max)
            field.set_aspect("equal")
            field.set_title("Level curve and gradient field")
            plt.show()"""),
        markdown("## Scanning every direction\n\nStep a distance s from the point in each direction "
                 "u = (cos θ, sin θ), θ in tenths of a degree, and measure (f(p + s·u) − f(p)) / s. The fastest "
                 "direction is the gradient's, and the fastest rate is its length. The course measures angles "
                 "clockwise from +y: its angle is 90° − θ."),
        code(_lines("""\
            angles = np.arange(3600) / 10.0
            theta = np.deg2rad(angles)
            rates = (f_num(x0 + step * np.cos(theta), y0 + step * np.sin(theta)) - f_num(x0, y0)) / step
            if np.all(np.isnan(rates)):
                best_rate = best_angle = course_angle = float("nan")
            else:
                best = int(np.nanargmax(rates))
                best_rate, best_angle = float(rates[best]), float(angles[best])
                course_angle = round((90.0 - best_angle) % 360.0, 10)""",
            print_line("largest rate", "best_rate"), print_line("at angle", "best_angle"),
            print_line("course angle", "course_angle"), """\
            estimate = (best_rate * float(np.cos(np.deg2rad(best_angle))), best_rate * float(np.sin(np.deg2rad(best_angle))))
            print("gradient estimate from the scan:", estimate)

            fig, ax = plt.subplots(figsize=(7, 3.5))
            ax.plot(angles, rates)
            if np.isfinite(best_rate):
                ax.plot([best_angle], [best_rate], "ro", label=f"largest: {best_rate:.6g} at {best_angle:.1f} degrees")
                ax.legend()
            ax.set_xlabel("direction theta (degrees from +x)")
            ax.set_ylabel("rate of change")
            plt.show()""")),
    ]
    return notebook("Gradient: the direction of steepest ascent", POINT, cells)
