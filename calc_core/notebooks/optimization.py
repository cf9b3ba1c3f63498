"""The optimization lesson as a notebook: critical points and gradient descent in one variable, or the
optimizers compared on a surface, for the page's current settings.

One variable: f, f′ and f″ with sympy; the critical points (``solveset`` over the reals, or sign changes of
f′ in the view refined with ``brentq`` when sympy gives no finite list) classified by the first derivative
that does not vanish there; the curves of f and f′; gradient descent with momentum from x₀, step by step.
Two variables: ∇f and the Hessian; the critical points in the window (Newton's method on ∇f = 0 from a grid
of starts, ``scipy.optimize.root``) classified by the Hessian; each chosen optimizer's update rule written
out and run from the start; the contour plot with the paths and f along each path.

The function enters the notebook as the canonical text of our parser's tree, a Python string literal that
the notebook reads with ``sympy.parse_expr``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from calc_core.expressions import parse_expression
from calc_core.notebooks import canonical, code, markdown, notebook, number
from calc_core.optimization import OPTIMIZERS, hyperparameters, make_optimizer

TITLE = "Optimization: where the slope is zero"
POINT = """
At a maximum or a minimum of a smooth function the slope is zero, so the candidates solve f′(x) = 0; the
first derivative that does not vanish there tells a minimum from a maximum from an inflection. Gradient
descent turns the same slope into an algorithm: step downhill, x ← x − η f′(x), again and again. Small η
creeps, large η overshoots; momentum and adaptive steps change how the walk goes.
"""
TOLERANCE = 1e-6  # the descent stops when |∇f| falls below this (as on the page)
RUNAWAY_FACTOR = 1e6  # ‖x‖ beyond this times (1 + ‖start‖) counts as divergence (as on the page)


@dataclass(frozen=True)
class OneVariable:
    """Part one of the page: f, its view, and the gradient-descent settings."""

    function: str  # as the page read it (the notebook gets our parser's canonical text of it)
    window: tuple[float, float]
    restrict: bool  # True: f on the open interval of the view only
    x0: float
    learning_rate: float
    steps: int
    momentum: float


@dataclass(frozen=True)
class TwoVariables:
    """Part two of the page: f(x, y), its window, the start and each chosen optimizer's settings."""

    function: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    steps: int
    optimizers: tuple[tuple[str, tuple[float, ...]], ...]  # (registered name, settings in declaration order)


# The settings drawn in the page's fragments (the descent in part one, the paths in part two), by widget key;
# each optimizer's own controls (``opt2_<optimizer key>_<suffix>``) come with part two's.
LIVE_1D = ("opt_x0", "opt_lr", "opt_steps", "opt_momentum")
LIVE_2D = ("opt2_x0", "opt2_y0", "opt2_steps", "opt2_methods")


def settings_of(settings: Mapping) -> OneVariable | TwoVariables:
    """The page's settings as one part's dataclass.

    ``settings`` holds ``function`` (the text the page read), then ``window`` and ``restrict`` (part one) or
    ``x_range`` and ``y_range`` (part two), and the fragments' values by widget key (:data:`LIVE_1D`,
    :data:`LIVE_2D`, and ``opt2_<optimizer key>_<suffix>``: an optimizer's missing setting takes its default).
    """
    if settings.get("function") is None:
        raise ValueError("The page has no function it can read, so there is nothing to write as a notebook.")
    if "window" in settings:
        lo, hi = settings["window"]
        return OneVariable(str(settings["function"]), (float(lo), float(hi)), bool(settings["restrict"]),
                           float(settings["opt_x0"]), float(settings["opt_lr"]), int(settings["opt_steps"]),
                           float(settings["opt_momentum"]))
    chosen = []
    for name in settings["opt2_methods"]:
        optimizer = OPTIMIZERS[name]
        chosen.append((name, tuple(float(settings.get(f"opt2_{optimizer.key}_{h.suffix}", h.default))
                                   for h in hyperparameters(optimizer))))
    (x_lo, x_hi), (y_lo, y_hi) = settings["x_range"], settings["y_range"]
    return TwoVariables(str(settings["function"]), (float(x_lo), float(x_hi)), (float(y_lo), float(y_hi)),
                        (float(settings["opt2_x0"]), float(settings["opt2_y0"])), int(settings["opt2_steps"]),
                        tuple(chosen))


def build(settings: Mapping | OneVariable | TwoVariables):
    """The notebook of the page's current part (settings as :func:`settings_of` reads them, or its result)."""
    if isinstance(settings, Mapping):
        settings = settings_of(settings)
    if isinstance(settings, OneVariable):
        return notebook(TITLE, POINT, _one_variable_cells(settings))
    if isinstance(settings, TwoVariables):
        return notebook(TITLE, POINT, _two_variable_cells(settings))
    raise TypeError("The optimization notebook takes the page's settings as a mapping.")


# --------------------------------------------------------------------------- one variable

_IMPORTS_1D = """
import matplotlib.pyplot as plt
import numpy as np
import sympy
from scipy.optimize import brentq
"""

_DERIVATIVES_1D = """
x = sympy.Symbol("x", real=True)  # real: |x|' is sign(x), as on the page
f = sympy.parse_expr(FUNCTION, local_dict={"x": x})
df = sympy.diff(f, x)
f_num = sympy.lambdify(x, f, "numpy")
df_num = sympy.lambdify(x, df, "numpy")


def on_grid(function, xs):
    \"\"\"A compiled function on an array (a constant comes back as one number); NaN where it is undefined.\"\"\"
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(function(xs), dtype=float), xs.shape)


print("f(x) =", f)
print("f'(x) =", df)
"""

_CRITICAL_1D = """
def real_number(value):
    \"\"\"A sympy number as a float, or None when it is not a real number (or not a number at all).\"\"\"
    try:
        z = complex(sympy.N(value, 30))
    except (TypeError, ValueError):
        return None
    return z.real if abs(z.imag) <= 1e-12 * (1 + abs(z.real)) else None


def defined_at(p):
    with np.errstate(all="ignore"):
        return np.isfinite(on_grid(f_num, np.array([p]))[0])


# Exact solutions of f'(x) = 0 when sympy finds a finite list of them ...
solutions = sympy.solveset(df, x, domain=sympy.S.Reals)
if isinstance(solutions, sympy.FiniteSet) or solutions == sympy.S.EmptySet:
    candidates = [(real_number(s), s) for s in solutions]
    candidates = [(p, s) for p, s in candidates if p is not None]
else:
    # ... else (infinitely many, or none sympy can write): where f' changes sign in the view, refined by brentq.
    grid = np.linspace(WINDOW[0], WINDOW[1], 2001)
    slopes = on_grid(df_num, grid)
    candidates = []
    for a, b, sa, sb in zip(grid[:-1], grid[1:], slopes[:-1], slopes[1:]):
        if sa == 0:
            candidates.append((float(a), None))
        elif np.isfinite(sa) and np.isfinite(sb) and sa * sb < 0:
            candidates.append((brentq(lambda t: float(df_num(t)), a, b, xtol=1e-14), None))
candidates = [(p, s) for p, s in candidates if defined_at(p)]
if RESTRICT:
    candidates = [(p, s) for p, s in candidates if WINDOW[0] < p < WINDOW[1]]
candidates.sort(key=lambda c: c[0])


def kind_of(p, exact):
    \"\"\"Minimum, maximum or inflection: the first derivative of order 2 or more that is not zero at the point
    decides (even order: its sign; odd order: an inflection); failing that, the sign of f' on either side.\"\"\"
    if exact is not None:
        for order in range(2, 7):
            value = real_number(sympy.diff(f, x, order).subs(x, exact))
            if value is not None and abs(value) > 1e-12:
                if order % 2:
                    return "inflection"
                return "minimum" if value > 0 else "maximum"
    h = 1e-4 * (1 + abs(p))
    left, right = float(df_num(p - h)), float(df_num(p + h))
    if left < 0 < right:
        return "minimum"
    if left > 0 > right:
        return "maximum"
    return "inflection"


critical_points = [(p, float(f_num(p)), kind_of(p, s)) for p, s in candidates]
if not critical_points:
    print("No critical point: f'(x) = 0 has no solution where f is defined.")
for i, (p, value, kind) in enumerate(critical_points, 1):
    print(f"critical point {i}: {kind}")
    print(f"x of critical point {i} =", repr(p))
    print(f"f at critical point {i} =", repr(value))
"""

_CURVES_1D = """
xs = np.linspace(WINDOW[0], WINDOW[1], 801)
markers = {"minimum": "v", "maximum": "^", "inflection": "D"}
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.plot(xs, on_grid(f_num, xs))
right.plot(xs, on_grid(df_num, xs), color="tab:green")
right.axhline(0, color="gray", linewidth=0.8)
for p, value, kind in critical_points:
    if WINDOW[0] <= p <= WINDOW[1]:
        left.plot(p, value, markers[kind], color="black", markersize=9, label=f"{kind} at x = {p:.4g}")
        right.plot(p, 0, markers[kind], color="black", markersize=9)
left.set(title="f(x)", xlabel="x")
right.set(title="f'(x)", xlabel="x")
if critical_points:
    left.legend()
plt.show()
"""

_DESCENT_1D = """
# x <- x - eta * v with v <- beta * v + f'(x): with beta = 0 this is plain gradient descent.
path = [X0]
velocity = 0.0
x_k = X0
ending = f"the {STEPS} steps ran out"
for step in range(1, STEPS + 1):
    slope = float(df_num(x_k))
    if abs(slope) < TOLERANCE:
        ending = "converged: f'(x) is (numerically) zero"
        break
    velocity = MOMENTUM * velocity + slope
    x_k = x_k - LEARNING_RATE * velocity
    if not np.isfinite(x_k) or abs(x_k) > RUNAWAY_FACTOR * (1 + abs(X0)):
        ending = "diverged: the iterates ran away"
        break
    with np.errstate(all="ignore"):
        if not (np.isfinite(float(f_num(x_k))) and np.isfinite(float(df_num(x_k)))):
            ending = f"the next step would land at x = {x_k:.4g}, where f is undefined"
            break
    path.append(x_k)
path = np.array(path)
print(ending)
print("steps taken =", len(path) - 1)
print("final x =", repr(float(path[-1])))
print("final f(x) =", repr(float(f_num(path[-1]))))
"""

_DESCENT_CHART_1D = """
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(xs, on_grid(f_num, xs), color="tab:blue")
with np.errstate(all="ignore"):
    ax.plot(path, on_grid(f_num, path), "o-", color="tab:orange", markersize=4, label="iterates")
ax.plot(path[0], float(f_num(path[0])), "o", color="black", label="start")
ax.set(title="Gradient descent on f", xlabel="x", ylabel="f(x)")
ax.legend()
plt.show()
"""


def _one_variable_cells(s: OneVariable) -> list:
    function = canonical(parse_expression(s.function, ("x",)))
    lo, hi = s.window
    return [
        code(_IMPORTS_1D),
        markdown("## The function\n\nThe page's f, as sympy reads it, and its derivative."),
        code(f"FUNCTION = {function!r}\n" + _DERIVATIVES_1D),
        markdown("## Critical points\n\nSolve f′(x) = 0, then classify each solution. "
                 + ("f is restricted to the open interval of the view." if s.restrict else
                    "f is taken on its natural domain; points outside the view are listed too.")),
        code(f"WINDOW = ({number(lo)}, {number(hi)})\nRESTRICT = {s.restrict!r}\n\n" + _CRITICAL_1D),
        markdown("## The curves\n\n▼ minimum, ▲ maximum, ◆ inflection. Each critical point of f sits where f′ "
                 "crosses or touches zero."),
        code(_CURVES_1D),
        markdown("## Gradient descent\n\nFrom x₀, repeat x ← x − η·f′(x); with momentum β the steps also carry "
                 "a share β of the previous one. The run stops when |f′(x)| is below the tolerance, when the "
                 "iterates run away, or when a step leaves f's domain."),
        code(f"X0 = {number(s.x0)}\nLEARNING_RATE = {number(s.learning_rate)}\nSTEPS = {int(s.steps)}\n"
             f"MOMENTUM = {number(s.momentum)}\nTOLERANCE = {TOLERANCE!r}\nRUNAWAY_FACTOR = {RUNAWAY_FACTOR!r}\n"
             + _DESCENT_1D),
        code(_DESCENT_CHART_1D),
    ]


# --------------------------------------------------------------------------- two variables

_IMPORTS_2D = """
import matplotlib.pyplot as plt
import numpy as np
import sympy
from scipy.optimize import root
"""

_SURFACE_2D = """
x, y = sympy.symbols("x y", real=True)
f = sympy.parse_expr(FUNCTION, local_dict={"x": x, "y": y})
gradient = [sympy.diff(f, v) for v in (x, y)]
hessian = sympy.hessian(f, (x, y))
f_num = sympy.lambdify((x, y), f, "numpy")
gradient_num = [sympy.lambdify((x, y), g, "numpy") for g in gradient]
hessian_num = [[sympy.lambdify((x, y), h, "numpy") for h in row] for row in hessian.tolist()]


def value(p):
    return float(f_num(p[0], p[1]))


def grad(p):
    \"\"\"The gradient at the point p = (x, y), as an array.\"\"\"
    return np.array([float(g(p[0], p[1])) for g in gradient_num])


def hess(p):
    return np.array([[float(h(p[0], p[1])) for h in row] for row in hessian_num])


print("f(x, y) =", f)
print("gradient =", gradient)
print("Hessian =", hessian.tolist())
"""

_CRITICAL_2D = """
# Newton's method on grad f = 0 from a grid of starts over the window; keep each distinct solution inside it.
found = []
with np.errstate(all="ignore"):
    for sx in np.linspace(X_RANGE[0], X_RANGE[1], 9):
        for sy in np.linspace(Y_RANGE[0], Y_RANGE[1], 9):
            solution = root(grad, [sx, sy], jac=hess, tol=1e-14)
            p = solution.x
            inside = X_RANGE[0] <= p[0] <= X_RANGE[1] and Y_RANGE[0] <= p[1] <= Y_RANGE[1]
            if not (inside and np.all(np.isfinite(grad(p)))) or np.linalg.norm(grad(p)) > 1e-8:
                continue
            if all(np.linalg.norm(p - q) > 1e-6 * (1 + np.linalg.norm(q)) for q in found):
                found.append(p)
found.sort(key=lambda p: (p[0], p[1]))


def kind_of(h):
    \"\"\"The Hessian test: det H > 0 is a minimum (f_xx > 0) or a maximum, det H < 0 a saddle, else undecided.\"\"\"
    eigenvalues = np.linalg.eigvalsh(h)
    if np.any(np.abs(eigenvalues) < 1e-9 * max(1.0, np.max(np.abs(eigenvalues)))):
        return "degenerate"
    if eigenvalues[0] * eigenvalues[1] < 0:
        return "saddle"
    return "minimum" if eigenvalues[1] > 0 else "maximum"


critical_points = [(p, kind_of(hess(p))) for p in found]
if not critical_points:
    print("No point with grad f = 0 was found in this window.")
for i, (p, kind) in enumerate(critical_points, 1):
    h = hess(p)
    print(f"critical point {i}: {kind}")
    print(f"x of critical point {i} =", repr(float(p[0])))
    print(f"y of critical point {i} =", repr(float(p[1])))
    print(f"f at critical point {i} =", repr(value(p)))
    print(f"det H at critical point {i} =", repr(float(np.linalg.det(h))))
"""

# Each optimizer's update rule, written out: step(x, g, state, t, **settings) -> (next x, next state), with the
# gradient g at x and the step number t from 1; and how many arrays of zeros its state starts with.
_RULES = {
    "GD": ("""
def gd_step(x, g, state, t, learning_rate):
    \"\"\"Plain gradient descent: x <- x - eta grad f(x).\"\"\"
    return x - learning_rate * g, state
""", "gd_step", 0),
    "Momentum": ("""
def momentum_step(x, g, state, t, learning_rate, beta):
    \"\"\"Heavy-ball momentum: v <- beta v + grad f(x), x <- x - eta v.\"\"\"
    v = beta * state[0] + g
    return x - learning_rate * v, (v,)
""", "momentum_step", 1),
    "Nesterov": ("""
def nesterov_step(x, g, state, t, learning_rate, beta):
    \"\"\"Nesterov momentum: the gradient is taken where momentum is about to carry x.\"\"\"
    v = beta * state[0] + grad(x - learning_rate * beta * state[0])
    return x - learning_rate * v, (v,)
""", "nesterov_step", 1),
    "RMSProp": ("""
def rmsprop_step(x, g, state, t, learning_rate, decay, epsilon=1e-8):
    \"\"\"Steps scaled per coordinate by a running root-mean-square of the gradient.\"\"\"
    s = decay * state[0] + (1 - decay) * g * g
    return x - learning_rate * g / (np.sqrt(s) + epsilon), (s,)
""", "rmsprop_step", 1),
    "Adam": ("""
def adam_step(x, g, state, t, learning_rate, beta1, beta2, epsilon=1e-8):
    \"\"\"Adam: momentum on g and on g squared, both bias-corrected.\"\"\"
    m = beta1 * state[0] + (1 - beta1) * g
    v = beta2 * state[1] + (1 - beta2) * g * g
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return x - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), (m, v)
""", "adam_step", 2),
}

_RUN_2D = """
def run(step, settings, n_state):
    \"\"\"One optimizer from START for at most STEPS steps: the points visited and f at each.\"\"\"
    x_k = np.array(START, dtype=float)
    limit = RUNAWAY_FACTOR * (1 + np.linalg.norm(x_k))
    state = tuple(np.zeros(2) for _ in range(n_state))
    g = grad(x_k)
    points, values = [x_k.copy()], [value(x_k)]
    for t in range(1, STEPS + 1):
        with np.errstate(all="ignore"):
            if np.linalg.norm(g) < TOLERANCE:
                break
            x_k, state = step(x_k, g, state, t, **settings)
            if not np.all(np.isfinite(x_k)) or np.linalg.norm(x_k) > limit:
                break  # diverged
            g = grad(x_k)
            if not (np.all(np.isfinite(g)) and np.isfinite(value(x_k))):
                break  # left the domain of f
        points.append(x_k.copy())
        values.append(value(x_k))
    return np.array(points), np.array(values)


paths = {}
for name, (step, settings, n_state) in OPTIMIZERS.items():
    points, values = run(step, settings, n_state)
    paths[name] = (points, values)
    print(f"{name}: {settings}")
    print(f"{name} steps =", len(points) - 1)
    print(f"{name} final x =", repr(float(points[-1, 0])))
    print(f"{name} final y =", repr(float(points[-1, 1])))
    print(f"{name} final f =", repr(float(values[-1])))
"""

_CHARTS_2D = """
gx, gy = np.meshgrid(np.linspace(X_RANGE[0], X_RANGE[1], 200), np.linspace(Y_RANGE[0], Y_RANGE[1], 200))
with np.errstate(all="ignore"):
    gz = np.broadcast_to(np.asarray(f_num(gx, gy), dtype=float), gx.shape)
markers = {"minimum": "v", "maximum": "^", "saddle": "P", "degenerate": "s"}
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
left.contourf(gx, gy, gz, levels=30, cmap="Greys")
left.contour(gx, gy, gz, levels=30, colors="white", linewidths=0.4)
for p, kind in critical_points:
    left.plot(p[0], p[1], markers[kind], color="black", markersize=9)
for name, (points, values) in paths.items():
    left.plot(points[:, 0], points[:, 1], ".-", color=COLORS[name], markersize=3, label=name)
    right.plot(values, color=COLORS[name], label=name)
left.plot(START[0], START[1], "o", color="black")
left.set(xlim=X_RANGE, ylim=Y_RANGE, xlabel="x", ylabel="y", title="f and each optimizer's path")
right.set(xlabel="step", ylabel="f", title="f along each path")
if paths:
    left.legend()
    right.legend()
plt.show()
"""


def _two_variable_cells(s: TwoVariables) -> list:
    function = canonical(parse_expression(s.function, ("x", "y")))
    rules, table, colors = [], [], []
    for name, values in s.optimizers:
        optimizer = make_optimizer(name, values)  # checks the name and the settings
        source, step, n_state = _RULES[name]
        rules.append(source.strip())
        settings = ", ".join(f"{h.field!r}: {number(getattr(optimizer, h.field))}"
                             for h in hyperparameters(optimizer))
        table.append(f"    {name!r}: ({step}, {{{settings}}}, {n_state}),")
        colors.append(f"{name!r}: {type(optimizer).color!r}")
    optimizers = "OPTIMIZERS = {\n" + "\n".join(table) + "\n}" if table else "OPTIMIZERS = {}"
    (x_lo, x_hi), (y_lo, y_hi) = s.x_range, s.y_range
    return [
        code(_IMPORTS_2D),
        markdown("## The surface\n\nThe page's f(x, y), its gradient and its Hessian."),
        code(f"FUNCTION = {function!r}\n" + _SURFACE_2D),
        markdown("## Critical points and the Hessian\n\nWhere ∇f = 0, the Hessian H = [[f_xx, f_xy], [f_xy, f_yy]] "
                 "decides: det H > 0 with f_xx > 0 is a minimum, with f_xx < 0 a maximum; det H < 0 is a saddle; "
                 "det H = 0 leaves the test undecided."),
        code(f"X_RANGE = ({number(x_lo)}, {number(x_hi)})\nY_RANGE = ({number(y_lo)}, {number(y_hi)})\n"
             + _CRITICAL_2D),
        markdown("## The optimizers\n\nEach rule turns the gradient g at x into a step. A run stops when |∇f| is "
                 "below the tolerance, when the iterates run away, when a step leaves f's domain, or when the "
                 "steps run out."),
        code("\n\n\n".join(rules) if rules else "# No optimizer was chosen on the page."),
        code(f"START = ({number(s.start[0])}, {number(s.start[1])})\nSTEPS = {int(s.steps)}\n"
             f"TOLERANCE = {TOLERANCE!r}\nRUNAWAY_FACTOR = {RUNAWAY_FACTOR!r}\n"
             f"# name: (update rule, its settings, arrays in its state)\n{optimizers}\n"
             f"COLORS = {{{', '.join(colors)}}}\n" + _RUN_2D),
        code(_CHARTS_2D),
    ]
