"""Lesson 2's notebook: the strips of a Riemann sum, the sum against sympy's exact value and scipy's quad, how
fast the four rules converge, and the running sum beside F(x) − F(a) with the family F + C.

``settings``: ``f`` (a parsed sympy expression of x), ``interval`` (a, b), ``rule`` ("left", "right",
"midpoint" or "trapezoid"), ``n`` (strips), ``dx`` (the running sum's step), ``c`` (the constant C) and, optionally,
``breaks`` (the trouble spots the page splits scipy's quad at).

Examples
--------
>>> import sympy
>>> nb = build({"f": 2 * sympy.Symbol("x"), "interval": (-1.0, 3.0), "rule": "left", "n": 10, "dx": 0.1, "c": 0.0})
>>> any("f_text = '2*x'" in cell.source for cell in nb.cells)
True
"""

from __future__ import annotations

import textwrap

from calc_core.notebooks import canonical, code, markdown, notebook, number, print_line

RULES = ("left", "right", "midpoint", "trapezoid")
MAX_QUAD_POINTS = 50  # the page gives quad at most this many trouble spots to split at

POINT = """\
Cut the area under f into n thin strips and add them up: as the strips get thinner the sum tends to the integral
∫ₐᵇ f(x) dx, and the running total from a fixed start a is an antiderivative of f — it differs from any F with
F′ = f only by a constant. This notebook repeats the page's view for the settings below: the strips and their
sum beside sympy's exact value and scipy's `quad`, the error of each rule as n grows (left and right fall like
1/n, midpoint and trapezoid like 1/n²), and the running sum beside F(x) − F(a) with the family F + C.
Change the settings in the second code cell and run the cells again."""


def _settings(settings) -> tuple[str, float, float, str, int, float, float, list[float]]:
    a, b = (float(v) for v in settings["interval"])
    rule, n, dx, c = str(settings["rule"]), int(settings["n"]), float(settings["dx"]), float(settings["c"])
    if not (a < b and rule in RULES and 1 <= n <= 1_000_000 and dx > 0):
        raise ValueError("The settings of the integrals notebook are out of range.")
    breaks = sorted(float(p) for p in settings.get("breaks", ()) if a < float(p) < b)
    return canonical(settings["f"]), a, b, rule, n, dx, c, breaks if len(breaks) <= MAX_QUAD_POINTS else []


def _lines(*parts: str) -> str:
    """Code blocks (each dedented) one after the other."""
    return "\n".join(textwrap.dedent(part).strip("\n") for part in parts)


def build(settings):
    """The integrals notebook for the page's current settings."""
    f_text, a, b, rule, n, dx, c, breaks = _settings(settings)
    cells = [
        code("""\
            import numpy as np
            import sympy
            import matplotlib.pyplot as plt
            from scipy import integrate"""),
        markdown("## The settings\n\nThe function as the page read it (in sympy's notation), the interval "
                 "[a, b], the rule and number of strips, the running sum's step δx and the constant C."),
        code(f"""\
            f_text = {f_text!r}
            a, b = {number(a)}, {number(b)}
            rule = {rule!r}  # "left", "right", "midpoint" or "trapezoid"
            n = {n}
            dx = {number(dx)}  # the running sum's strip width
            C = {number(c)}
            trouble_spots = [{", ".join(number(p) for p in breaks)}]  # where f has a pole, a hole or a jump inside [a, b]"""),
        code("""\
            x = sympy.Symbol("x", real=True)
            f = sympy.parse_expr(f_text, local_dict={"x": x})
            print("f(x) =", f)
            f_compiled = sympy.lambdify(x, f, modules=["numpy", "scipy"])


            def f_num(values):
                values = np.asarray(values, dtype=float)
                with np.errstate(all="ignore"):
                    result = np.asarray(f_compiled(values), dtype=float) + np.zeros_like(values)
                return np.where(np.isfinite(result), result, np.nan)"""),
        markdown("## The Riemann sum, the exact integral and quad\n\n"
                 "With δx = (b − a)/n and xᵢ = a + i·δx, each strip's height is f at its left edge, its right "
                 "edge or its middle; the trapezoid rule's top is the straight line between f at its two edges."),
        code(_lines("""\
            def strips(n, rule):
                edges = np.linspace(a, b, n + 1)
                left, right = edges[:-1], edges[1:]
                if rule == "trapezoid":
                    ys = f_num(edges)
                    return left, right, ys[:-1], ys[1:]
                sample = {"left": left, "right": right, "midpoint": (left + right) / 2}[rule]
                heights = f_num(sample)
                return left, right, heights, heights


            def riemann_sum(n, rule):
                left, right, top_left, top_right = strips(n, rule)
                return float(np.sum((right - left) * (top_left + top_right) / 2))


            area = riemann_sum(n, rule)
            exact = sympy.integrate(f, (x, sympy.Rational(repr(a)), sympy.Rational(repr(b))))
            if exact.has(sympy.Integral, sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
                exact_value = float("nan")  # no closed form, or no finite value
            else:
                exact_value = complex(exact.evalf()).real
            quad_value, quad_error = integrate.quad(lambda t: float(np.nan_to_num(f_num(t), nan=0.0)), a, b,
                                          points=trouble_spots or None, limit=200)
            reference = exact_value if np.isfinite(exact_value) else quad_value
            print("exact integral:", exact)""", print_line("Riemann sum", "area"), print_line("exact", "exact_value"),
             print_line("quad", "quad_value"), print_line("error", "abs(area - reference)"))),
        code("""\
            left, right, top_left, top_right = strips(n, rule)
            xs = np.linspace(a, b, 801)
            fig, ax = plt.subplots(figsize=(8, 4))
            for x_l, x_r, y_l, y_r in zip(left, right, top_left, top_right):
                color = "tab:blue" if (y_l + y_r) >= 0 else "tab:red"
                ax.fill([x_l, x_l, x_r, x_r], [0, y_l, y_r, 0], color=color, alpha=0.3, edgecolor=color)
            ax.plot(xs, f_num(xs), color="black", label="f")
            ax.axhline(0, color="gray", linewidth=0.8)
            ax.set_xlabel("x")
            ax.set_title(f"{n} strips, {rule} rule: sum = {area:.10g}")
            ax.legend()
            plt.show()"""),
        markdown("## How fast the sums converge\n\nThe error of each rule against n on log-log axes: left and right "
                 "are first-order (slope −1), midpoint and trapezoid second-order (slope −2)."),
        code("""\
            if np.isfinite(reference):
                ns = np.unique(np.logspace(0, 4, 25).astype(int))
                fig, ax = plt.subplots(figsize=(6, 4))
                for each in ("left", "right", "midpoint", "trapezoid"):
                    errors = np.array([abs(riemann_sum(int(k), each) - reference) for k in ns])
                    ax.loglog(ns, errors, marker=".", label=each)
                ax.axvline(n, color="gray", linestyle="--", label=f"your n = {n}")
                ax.set_xlabel("number of strips n")
                ax.set_ylabel("|sum - integral|")
                ax.legend()
                plt.show()
            else:
                print("There is no finite integral over this interval to converge to.")"""),
        markdown("## The running sum is an antiderivative\n\nThe total of the strips from a up to x (the same rule, "
                 "width δx, the last strip narrower if δx does not divide b − a) beside F(x) − F(a); on the right, "
                 "F + C for several C, the chosen one in bold: the same curve shifted up or down."),
        code(_lines("""\
            step = min(dx, b - a)
            count = int(np.ceil((b - a) / step - 1e-9))
            grid = np.minimum(a + step * np.arange(count + 1), b)
            grid[-1] = b
            lo, hi = grid[:-1], grid[1:]
            if rule == "trapezoid":
                heights = (f_num(lo) + f_num(hi)) / 2
            else:
                heights = f_num({"left": lo, "right": hi, "midpoint": (lo + hi) / 2}[rule])
            running = np.concatenate(([0.0], np.cumsum(heights * (hi - lo))))
            F = sympy.integrate(f, x)
            print("F(x) =", F)""", print_line("running sum at b", "running[-1]"), """

            fig, (left_ax, right_ax) = plt.subplots(1, 2, figsize=(11, 4))
            left_ax.plot(grid, running, "r", label="running sum")
            curve = grid
            if not F.has(sympy.Integral):
                F_num = sympy.lambdify(x, F, modules=["numpy", "scipy"])
                with np.errstate(all="ignore"):
                    F_values = np.asarray(F_num(xs), dtype=float) + np.zeros_like(xs)
                    F_at_a = float(F_num(a))
                left_ax.plot(xs, F_values - F_at_a, "k--", label="F(x) - F(a)")
                curve, values = xs, F_values
            else:
                values = running
            left_ax.set_xlabel("x")
            left_ax.legend()
            for shift in np.linspace(-10, 10, 9):
                right_ax.plot(curve, values + shift, color="lightgray")
            right_ax.plot(curve, values + C, color="tab:blue", linewidth=2.5, label=f"C = {C:g}")
            right_ax.set_xlabel("x")
            right_ax.set_title("F + C: one curve, shifted")
            right_ax.legend()
            plt.show()""")),
    ]
    return notebook("Integrals: area as a running sum", POINT, cells)
