"""Lesson 1's notebook: f, the tangent and the secant at x0, f′ beside the rate of change, and the step-size study.

``settings``: ``f`` (a parsed sympy expression of x), ``x_range`` (lo, hi), ``x0``, ``dx`` (positive) and
``scheme`` ("forward", "backward" or "central"), as the page uses them.

Examples
--------
>>> import sympy
>>> nb = build({"f": sympy.Symbol("x") ** 2, "x_range": (-1.0, 2.5), "x0": 1.0, "dx": 0.5, "scheme": "forward"})
>>> any("f_text = 'x**2'" in cell.source for cell in nb.cells)
True
"""

from __future__ import annotations

from calc_core.notebooks import canonical, code, markdown, notebook, number, print_line

SCHEMES = ("forward", "backward", "central")

POINT = """\
The derivative f′(x₀) is the slope of the secant (f(x₀ + δx) − f(x₀)) / δx as δx shrinks to zero; the rules of
differentiation give the same function in one go. This notebook repeats the page's view for the settings below:
f with its tangent and secant at x₀, f′ by the rules beside the rate of change for the step δx, and how the error
of a finite difference depends on the step (truncation for large steps, round-off for tiny ones).
Change the settings in the second code cell and run the cells again."""


WHAT_WENT_WRONG = {
    "pole": "f is unbounded there (a vertical asymptote)",
    "hole": "f itself is undefined there",
    "corner": "the slopes from the left and from the right do not agree (or are infinite)",
    "undefined": "f has no real value there",
    "overflow": "f is larger than any number a computer can store there",
}
MAX_POLES = 200  # poles written into the notebook (the page's domain search lists fewer)


def _settings(settings) -> tuple[str, float, float, float, float, str, str | None, list[float]]:
    lo, hi = (float(v) for v in settings["x_range"])
    x0, dx, scheme = float(settings["x0"]), float(settings["dx"]), str(settings["scheme"])
    if not (lo < hi and dx > 0 and scheme in SCHEMES):
        raise ValueError("The settings of the derivatives notebook are out of range.")
    report = settings.get("report")  # the page's calc_core.domain.DomainReport, when it has one
    problem = report.status_at(x0) if report is not None else None
    if problem not in WHAT_WENT_WRONG:
        problem = None
    poles = sorted(float(p) for p in (report.poles if report is not None else ()))[:MAX_POLES]
    return canonical(settings["f"]), lo, hi, x0, dx, scheme, problem, poles


def build(settings):
    """The derivatives notebook for the page's current settings."""
    f_text, lo, hi, x0, dx, scheme, problem, poles = _settings(settings)
    cells = [
        code("""\
            import numpy as np
            import sympy
            import matplotlib.pyplot as plt"""),
        markdown("## The settings\n\nThe function as the page read it (in sympy's notation), the plotted range, "
                 "the point x₀, the step δx and which two points the secant goes through."),
        code(f"""\
            f_text = {f_text!r}
            x_min, x_max = {number(lo)}, {number(hi)}
            x0 = {number(x0)}
            dx = {number(dx)}
            scheme = {scheme!r}  # "forward", "backward" or "central"
            # What the page found: the vertical asymptotes of f, and what goes wrong at x0 (None: nothing).
            poles = [{", ".join(number(p) for p in poles)}]
            problem_at_x0 = {(WHAT_WENT_WRONG[problem] if problem else None)!r}"""),
        markdown("## f and f′ by the rules\n\nsympy differentiates f with x taken as a real number; "
                 "`lambdify` turns both into numpy functions. Points where f has no real value give NaN "
                 "(a gap in the curves)."),
        code("""\
            x = sympy.Symbol("x", real=True)
            f = sympy.parse_expr(f_text, local_dict={"x": x})
            df = sympy.diff(f, x)
            print("f(x) =", f)
            print("f'(x) =", df)


            def numeric(expression):
                compiled = sympy.lambdify(x, expression, modules=["numpy", "scipy"])

                def evaluate(values):
                    values = np.asarray(values, dtype=float)
                    with np.errstate(all="ignore"):
                        result = np.asarray(compiled(values), dtype=float) + np.zeros_like(values)
                    return np.where(np.isfinite(result), result, np.nan)

                return evaluate


            f_num = numeric(f)
            df_num = numeric(df)"""),
        markdown("## At x₀: the slope by the rules and the rate of change\n\n"
                 "The secant goes through x₀ and x₀ + δx (forward), x₀ − δx and x₀ (backward), or x₀ − δx and "
                 "x₀ + δx (central); its slope is the rate of change the page shows."),
        code(f"""\
            x_a, x_b = {{"forward": (x0, x0 + dx), "backward": (x0 - dx, x0), "central": (x0 - dx, x0 + dx)}}[scheme]
            y_a, y_b, y0 = f_num([x_a, x_b, x0])
            # Where f' does not exist the formula may still return a number (sign(0) = 0 for abs): the page says so.
            slope = float("nan") if problem_at_x0 else float(df_num([x0])[0])
            if problem_at_x0:
                print(f"f'({{x0:g}}) does not exist: {{problem_at_x0}}.")
            rate = (y_b - y_a) / (x_b - x_a)
            {print_line("f(x0)", "y0")}
            {print_line("f'(x0)", "slope")}
            {print_line("rate", "rate")}
            {print_line("gap", "abs(rate - slope)")}"""),
        markdown("## The two charts\n\nLeft: f with the tangent at x₀ (slope f′(x₀)) and the secant (slope the "
                 "rate of change). Right: f′ by the rules and the rate of change at every x for the same δx."),
        code("""\
            xs = np.linspace(x_min, x_max, 801)
            ys = f_num(xs)
            steps = {"forward": (xs, xs + dx), "backward": (xs - dx, xs), "central": (xs - dx, xs + dx)}[scheme]
            rates = (f_num(steps[1]) - f_num(steps[0])) / (steps[1] - steps[0])
            for pole in poles:  # a secant across a vertical asymptote is not a rate of change: leave it blank
                rates[(steps[0] <= pole) & (pole <= steps[1])] = np.nan

            fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
            left.plot(xs, ys, label="f")
            if np.isfinite(slope):
                left.plot(xs, y0 + slope * (xs - x0), color="tab:orange", label="tangent at x0")
            left.plot(xs, y_a + rate * (xs - x_a), "r--", label=f"secant ({scheme})")
            left.plot([x_a, x_b], [y_a, y_b], "ro")
            finite = ys[np.isfinite(ys)]
            if finite.size:
                pad = 0.1 * (finite.max() - finite.min() or 1.0)
                left.set_ylim(finite.min() - pad, finite.max() + pad)
            left.set_xlabel("x")
            left.set_title("f(x), the tangent and the secant")
            left.legend()

            right.plot(xs, df_num(xs), label="f' by the rules")
            right.plot(xs, rates, "r--", label=f"rate of change ({scheme}, dx = {dx:g})")
            right.set_xlabel("x")
            right.set_title("f'(x) and the rate of change")
            right.legend()
            plt.show()"""),
        markdown("## How small should δx be?\n\nThe error of the forward and central differences at x₀ against "
                 "the step h, on log-log axes: truncation error falls like h (forward) and h² (central); below "
                 "about √ε and ∛ε round-off grows like 1/h."),
        code("""\
            if np.isfinite(slope):
                hs = np.logspace(-16, 0, 129)
                forward_error = np.abs((f_num(x0 + hs) - f_num(np.full_like(hs, x0))) / hs - slope)
                central_error = np.abs((f_num(x0 + hs) - f_num(x0 - hs)) / (2 * hs) - slope)
                fig, ax = plt.subplots(figsize=(6, 4))
                ax.loglog(hs, forward_error, label="forward")
                ax.loglog(hs, central_error, label="central")
                ax.axvline(dx, color="gray", linestyle="--", label=f"your dx = {dx:g}")
                ax.set_xlabel("step h")
                ax.set_ylabel("|difference - f'(x0)|")
                ax.legend()
                plt.show()
            else:
                print("There is no exact f'(x0) at this point to compare with.")"""),
    ]
    return notebook("Derivatives: the slope, as a limit and by the rules", POINT, cells)
