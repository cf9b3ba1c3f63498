"""Lesson 4's notebook: the Jacobian of a vector function as formulas, at the point from the formulas and by central
differences, its determinant, and (for a map of two inputs to two outputs) the grid around the point and its images
under f and under the linearization.

``settings``: ``components`` (parsed sympy expressions, one per output), ``variables`` (the inputs' names, as the
page read them), a value for each constant ``p`` … ``u``, the point's coordinates ``x0``, ``y0``, ``z0`` (one per
input, in order) and ``radius`` (the grid's half-width).

Examples
--------
>>> import sympy
>>> x, y = sympy.symbols("x y")
>>> nb = build({"components": (2 * x * y, x**2 * y), "variables": ("x", "y"), "x0": 1.0, "y0": 2.0, "z0": 0.5,
...             "radius": 0.3, "p": 1.0, "q": -1.0, "r": 0.5, "s": 2.0, "t": -1.5, "u": 0.5})
>>> any("components = ['2*x*y', 'x**2*y']" in cell.source for cell in nb.cells)
True
"""

from __future__ import annotations

import re
import textwrap

from calc_core.notebooks import canonical, code, markdown, notebook, number

PARAMETERS = ("p", "q", "r", "s", "t", "u")
POINT_KEYS = ("x0", "y0", "z0")
FD_STEP = 1e-6  # the page's step for central differences
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,11}")

POINT = """\
The Jacobian J of a function with several inputs and outputs holds its partial derivatives, one row per output
and one column per input. Near a point p, J is the function's best linear approximation:
f(q) ≈ f(p) + J(p)(q − p), and |det J| is how much f scales small areas (or volumes) there. This notebook repeats
the page's view for the settings below: J as formulas, J at the point from the formulas beside central
differences, det J, and for a map of two inputs to two outputs a square grid around the point with its images
under f and under the linearization. Change the settings in the second code cell and run the cells again."""


def _lines(*parts: str) -> str:
    """Code blocks (each dedented) one after the other."""
    return "\n".join(textwrap.dedent(part).strip("\n") for part in parts)


def _settings(settings):
    variables = tuple(str(v) for v in settings["variables"])
    if not (1 <= len(variables) <= 3 and len(set(variables)) == len(variables)
            and all(_NAME.fullmatch(v) for v in variables)):
        raise ValueError("The inputs of the Jacobian notebook must be one to three distinct names.")
    components = [canonical(c) for c in settings["components"]]
    if not 1 <= len(components) <= 4:
        raise ValueError("The Jacobian notebook takes one to four components.")
    used = {str(s) for c in settings["components"] for s in c.free_symbols}
    constants = {name: float(settings[name]) for name in PARAMETERS if name in used and name not in variables}
    if used - set(variables) - set(constants):
        raise ValueError("A component uses a name that is neither an input nor a constant.")
    point = [float(settings[key]) for key in POINT_KEYS[:len(variables)]]
    radius = float(settings["radius"])
    if not radius > 0:
        raise ValueError("The grid's half-width must be positive.")
    return variables, components, constants, point, radius


def build(settings):
    """The Jacobian notebook for the page's current settings."""
    variables, components, constants, point, radius = _settings(settings)
    constants_source = "{" + ", ".join(f"{name!r}: {number(value)}" for name, value in constants.items()) + "}"
    cells = [
        code("""\
            import numpy as np
            import sympy
            import matplotlib.pyplot as plt"""),
        markdown("## The settings\n\nThe inputs' names, the components of f as the page read them (in sympy's "
                 "notation), the constants they use, the point (one coordinate per input) and the grid's "
                 "half-width."),
        code(f"""\
            variables = {list(variables)!r}
            components = {components!r}
            constants = {constants_source}
            point = [{", ".join(number(v) for v in point)}]
            radius = {number(radius)}
            h = {number(FD_STEP)}  # the step of the central differences"""),
        markdown("## J as formulas\n\nRow i holds the partial derivatives of output fᵢ, column j those with respect "
                 "to input j. The inputs and constants are taken as real numbers."),
        code("""\
            inputs = [sympy.Symbol(name, real=True) for name in variables]
            names = dict(zip(variables, inputs))
            names.update({name: sympy.Symbol(name, real=True) for name in constants})
            f = sympy.Matrix([sympy.parse_expr(text, local_dict=names) for text in components])
            J = f.jacobian(inputs)
            print("f =", list(f))
            print("J =", J.tolist())
            if J.shape[0] == J.shape[1]:
                print("det J =", sympy.simplify(J.det()))"""),
        markdown("## J at the point: the formulas against central differences\n\n"
                 "Column j of the differences is (f(p + h·eⱼ) − f(p − h·eⱼ)) / 2h, accurate to about h²."),
        code(_lines("""\
            arguments = [*inputs, *(names[name] for name in constants)]
            values = list(constants.values())
            f_compiled = sympy.lambdify(arguments, list(f), modules=["numpy", "scipy"])
            J_compiled = sympy.lambdify(arguments, J, modules=["numpy", "scipy"])


            def f_num(p):
                with np.errstate(all="ignore"):
                    out = np.array([np.asarray(v, dtype=float) for v in np.broadcast_arrays(*f_compiled(*p, *values))])
                return np.where(np.isfinite(out), out, np.nan)


            p = np.array(point)
            with np.errstate(all="ignore"):
                J_exact = np.array(J_compiled(*p, *values), dtype=float).reshape(J.shape)
            J_exact = np.where(np.isfinite(J_exact), J_exact, np.nan)
            columns = []
            for j in range(len(p)):
                step = np.zeros_like(p)
                step[j] = h
                columns.append((f_num(p + step) - f_num(p - step)) / (2 * h))
            J_differences = np.column_stack(columns)
            J_differences[np.isnan(f_num(p))] = np.nan

            for i in range(J.shape[0]):
                for j in range(J.shape[1]):
                    print(f"J[{i},{j}] =", repr(float(J_exact[i, j])))
                    print(f"J differences[{i},{j}] =", repr(float(J_differences[i, j])))
            both = np.isfinite(J_exact) & np.isfinite(J_differences)
            if both.any():
                print("largest difference between the two:", np.max(np.abs(J_exact - J_differences)[both]))
            if np.all(np.isfinite(J_exact)):
                # The rank counts the singular values above a billionth of the largest: J is singular when it
                # is square and the rank falls short, and f then flattens some direction near p.
                sigma = np.linalg.svd(J_exact, compute_uv=False)
                rank = int(np.sum(sigma > 1e-9 * sigma[0])) if sigma[0] > 0 else 0
                print("rank =", rank)
                print("the largest rank possible:", min(J.shape))
                if J.shape[0] == J.shape[1]:
                    print("det J(p) =", repr(float(np.linalg.det(J_exact))))""")),
        markdown("## The Jacobian as a linear map\n\nFor a map of two inputs to two outputs: a square grid around "
                 "p (left), where f sends it (solid) and where f(p) + J·(q − p) sends it (dashed). As the grid "
                 "shrinks the two agree, and the signed area of the image over the grid's area tends to det J."),
        code("""\
            if J.shape == (2, 2):
                offsets = np.linspace(-radius, radius, 5)
                along = np.linspace(-radius, radius, 25)
                lines = [np.stack([along, np.full_like(along, c)]) for c in offsets]
                lines += [np.stack([np.full_like(along, c), along]) for c in offsets]
                centre = f_num(p)
                fig, (before, after) = plt.subplots(1, 2, figsize=(10, 4.5))
                for line in lines:
                    q = line + p[:, None]
                    before.plot(q[0], q[1], color="tab:blue")
                    image = f_num(q)
                    after.plot(image[0], image[1], color="tab:blue")
                    linear = centre[:, None] + J_differences @ (q - p[:, None])
                    after.plot(linear[0], linear[1], color="tab:orange", linestyle="--")
                before.set_title("a grid around p")
                after.set_title("its image under f (solid) and the linearization (dashed)")
                for ax in (before, after):
                    ax.set_aspect("equal")
                plt.show()

                border = np.concatenate([along, np.full_like(along, radius), along[::-1], np.full_like(along, -radius)])
                other = np.concatenate([np.full_like(along, -radius), along, np.full_like(along, radius), along[::-1]])
                loop = f_num(np.stack([border, other]) + p[:, None])
                area = 0.5 * np.sum(loop[0] * np.roll(loop[1], -1) - np.roll(loop[0], -1) * loop[1])
                print("signed image area / grid area =", repr(float(area / (2 * radius) ** 2)))
            else:
                print("The grid picture is drawn for maps of two inputs to two outputs.")"""),
    ]
    return notebook("Jacobian: the derivative of a vector function", POINT, cells)
