"""Descent: run an optimizer from a start, keep its history, and say how the run ended.

Gradient descent turns the derivative into an algorithm: step against the
gradient and the function decreases, if the step is small enough. The update
rules live in :mod:`calc_core.optimization.optimizers`; this module drives one of
them, reports progress through a history and an optional ``callback(x, i, g)``,
and names the outcome (converged, oscillating, diverged, left the domain, or
unfinished) with advice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import sympy

from calc_core.optimization.common import OptimizationError, check_variables, quiet
from calc_core.optimization.derivatives import CompiledDerivatives, compile_derivatives
from calc_core.optimization.optimizers import Momentum

# ‖x‖ beyond this times (1 + ‖start‖) counts as divergence.
RUNAWAY_FACTOR = 1e6
# After a step lands where f is undefined: a last value or gradient beyond this means overflow ...
OVERFLOW_SCALE = 1e100
# ... and so does a jump longer than this times the distance covered so far; otherwise the step left the domain.
JUMP_FACTOR = 1e3
# The last steps a finished run is judged by.
VERDICT_TAIL = 20


class Status(StrEnum):
    """How an optimizer run ended."""

    CONVERGED = "converged"
    OSCILLATING = "oscillating"
    DIVERGED = "diverged"
    LEFT_DOMAIN = "left_domain"
    UNFINISHED = "unfinished"

    @property
    def words(self) -> str:
        """The status as a learner reads it in a table."""
        return _STATUS_WORDS[self]


_STATUS_WORDS = {Status.CONVERGED: "converged", Status.OSCILLATING: "oscillating", Status.DIVERGED: "diverged",
                 Status.LEFT_DOMAIN: "left the domain", Status.UNFINISHED: "not finished"}


@dataclass(frozen=True)
class OptimizationPath:
    """The history of one optimizer run.

    Attributes
    ----------
    optimizer : object
        The optimizer and its settings (one of :data:`~calc_core.optimization.optimizers.OPTIMIZERS`).
    points : ndarray, shape (n + 1, d)
        Start and every iterate.
    losses : ndarray, shape (n + 1,) or None
        f at each point, when a loss function was given.
    gradients : ndarray, shape (n + 1, d)
        ∇f at each point.
    status : Status
        Converged, oscillating, diverged, left the domain, or unfinished (the
        steps ran out first).
    message : str
        The status in words, with advice.
    """

    optimizer: object
    points: np.ndarray
    losses: np.ndarray | None
    gradients: np.ndarray
    status: Status
    message: str

    @property
    def steps(self) -> int:
        """Number of steps taken."""
        return len(self.points) - 1

    @property
    def gradient_norms(self) -> np.ndarray:
        """‖∇f‖ at each point."""
        return np.linalg.norm(self.gradients, axis=1)


@quiet
def _verdict(points: np.ndarray, losses: np.ndarray | None, status: Status | None,
             tail: int = VERDICT_TAIL) -> tuple[Status, str]:
    """Name what a finished run did, from its last steps."""
    recent = None if losses is None else losses[-(tail + 1):]
    falling = recent is not None and len(recent) > 2 and bool(np.all(np.diff(recent) < 0))
    if status is Status.LEFT_DOMAIN:
        return status, "A step left the function's domain; try a smaller learning rate or another start."
    if status is Status.DIVERGED:
        if falling:
            return status, "The iterates ran off while f kept decreasing: f has no minimum in that direction."
        return status, "The iterates blew up: the learning rate is too large for this function. Try a smaller rate."
    if status is Status.CONVERGED:
        return status, f"Converged after {len(points) - 1} steps: the gradient is (numerically) zero."
    steps = np.diff(points[-(tail + 1):], axis=0)
    sizes = np.linalg.norm(steps, axis=1)
    if len(steps) >= 4:
        turns = np.einsum("ij,ij->i", steps[1:], steps[:-1]) < 0
        rising = recent is not None and bool(np.all(np.diff(recent) > 0))
        growing = bool(np.all(np.diff(sizes) > 0))
        if rising or (losses is None and growing and sizes[-1] > 10 * sizes[0]):
            return Status.DIVERGED, "Each step lands higher than the last: the learning rate is too large, so " \
                               "the iterates swing further out. Try a smaller rate."
        if turns.mean() >= 0.8 and sizes[-1] >= 0.5 * sizes[0] and sizes[-1] > 0:
            return Status.OSCILLATING, f"The iterates bounce back and forth (steps of about {sizes[-1]:.2g}) without " \
                                  "settling. A smaller learning rate (or less momentum) settles them."
        if turns.mean() >= 0.5:
            return Status.UNFINISHED, "Still zig-zagging toward a flat point when the steps ran out; more steps or " \
                                 "a smaller learning rate would finish the job."
    if falling and np.linalg.norm(points[-1] - points[0]) > 100 * (1 + np.linalg.norm(points[0])):
        return Status.UNFINISHED, "f keeps decreasing as the iterates run off: it seems to have no minimum that way."
    return Status.UNFINISHED, "The steps ran out before the gradient reached zero; allow more steps or a larger rate."


@quiet
def run_optimizer(grad: Callable, start, optimizer, steps: int = 100, loss: Callable | None = None,
                  callback: Callable | None = None, tol: float = 1e-6, max_norm: float | None = None
                  ) -> OptimizationPath:
    """Minimize with one optimizer from ``start`` and keep the whole history.

    Parameters
    ----------
    grad : callable
        ∇f: takes a 1-D array of shape (d,), returns an array of shape (d,).
    start : array_like, shape (d,)
        Starting point.
    optimizer : object
        Any object with ``start(dim)`` and ``step(x, g, grad, state, t)``, such as one of
        :data:`~calc_core.optimization.optimizers.OPTIMIZERS` with its hyperparameters set.
    steps : int
        Maximum number of steps.
    loss : callable, optional
        f itself, for the loss history (and a sharper divergence check).
    callback : callable, optional
        Called as ``callback(x, i, g)`` after each step.
    tol : float
        Stop when ‖∇f(x)‖ < ``tol``.
    max_norm : float, optional
        ‖x‖ beyond this counts as divergence; default ``RUNAWAY_FACTOR`` · (1 + ‖start‖).

    Returns
    -------
    OptimizationPath

    Notes
    -----
    Each optimizer maps the gradient g = ∇f(xₜ) to a step (see its class). A run
    ends when the gradient is below ``tol`` (converged), a value stops being
    finite or leaves ``max_norm`` (diverged), the gradient is undefined (left the
    domain), or the steps run out; the last steps then tell oscillation (turning
    back and forth without shrinking) from slow progress.

    Examples
    --------
    >>> from calc_core.optimization.optimizers import GradientDescent
    >>> path = run_optimizer(lambda p: 2 * p, [1.0], GradientDescent(0.25), steps=3)
    >>> path.points[:, 0].tolist()
    [1.0, 0.5, 0.25, 0.125]
    """
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise OptimizationError("The number of steps must be a whole number of at least 1.")
    x = np.atleast_1d(np.asarray(start, dtype=float)).copy()
    if x.ndim != 1 or not np.all(np.isfinite(x)):
        raise OptimizationError("The starting point must be finite numbers.")
    limit = max_norm if max_norm is not None else RUNAWAY_FACTOR * (1 + float(np.linalg.norm(x)))
    state = optimizer.start(x.size)

    def probe(p):
        g = np.asarray(grad(p), dtype=float).reshape(p.shape)
        value = float(loss(p)) if loss is not None else 0.0
        return g, value, bool(np.isfinite(g).all() and math.isfinite(value))

    def norm(v) -> float:
        # ‖v‖ as np.linalg.norm computes it for a 1-D float array, without its per-call overhead
        # (a path may take thousands of steps).
        return math.sqrt(float(v.dot(v)))

    g, value, defined = probe(x)
    if not defined:
        raise OptimizationError("f or its gradient is undefined at the starting point; choose a start inside "
                                "the domain.")
    points, losses, grads = [x.copy()], [value], [g]
    status, outside = None, None
    for t in range(1, steps + 1):
        with np.errstate(all="ignore"):
            if norm(grads[-1]) < tol:
                status = Status.CONVERGED
                break
            x, state = optimizer.step(x, g, grad, state, t)
            runaway = not np.isfinite(x).all() or norm(x) > limit
        if runaway:
            status = Status.DIVERGED
            break
        g, value, defined = probe(x)
        if not defined:
            # Undefined after a runaway (a huge jump, or huge values) means overflow;
            # otherwise the step left the domain.
            reach = 1 + max(float(np.linalg.norm(p)) for p in points)
            huge = max(abs(losses[-1]), float(np.linalg.norm(grads[-1]))) > OVERFLOW_SCALE or \
                np.linalg.norm(x - points[-1]) > JUMP_FACTOR * reach
            status, outside = (Status.DIVERGED, None) if huge else (Status.LEFT_DOMAIN, x.copy())
            break
        points.append(x.copy())
        losses.append(value)
        grads.append(g)
        if callback is not None:
            callback(x.copy(), t, g)
    else:
        if np.linalg.norm(grads[-1]) < tol:
            status = Status.CONVERGED
    path = np.array(points)
    loss_array = np.array(losses) if loss is not None else None
    status, message = _verdict(path, loss_array, status)
    if outside is not None:
        where = f"x = {outside[0]:.4g}" if outside.size == 1 else "(" + ", ".join(f"{v:.4g}" for v in outside) + ")"
        message = f"The next step would land at {where}, where f is undefined: it left the domain. " \
                  "Try a smaller learning rate or another start."
    return OptimizationPath(optimizer, path, loss_array, np.array(grads), status, message)


def gradient_descent(derivative: Callable, x0: float, learning_rate: float = 0.1, steps: int = 50,
                     momentum: float = 0.0, f: Callable | None = None, tol: float = 1e-6,
                     callback: Callable | None = None) -> OptimizationPath:
    """Gradient descent on a function of one variable, optionally with momentum.

    Parameters
    ----------
    derivative : callable
        f'(x) for a float x.
    x0 : float
        Start.
    learning_rate : float
        Step size η.
    steps : int
        Maximum number of steps.
    momentum : float
        β in [0, 1); 0 is plain gradient descent.
    f : callable, optional
        f itself, for the values along the path.
    tol : float
        Stop when |f'(x)| < ``tol``.
    callback : callable, optional
        ``callback(x, i, g)`` after each step (x and g are length-1 arrays).

    Returns
    -------
    OptimizationPath
        ``points[:, 0]`` are the iterates x₀, x₁, …

    Notes
    -----
    With velocity v₀ = 0: vₜ₊₁ = β vₜ + f'(xₜ), xₜ₊₁ = xₜ − η vₜ₊₁. On f = x² plain
    descent multiplies x by (1 − 2η) each step: it converges for η < 1, bounces
    for ever at η = 1 and diverges beyond.

    Examples
    --------
    >>> path = gradient_descent(lambda x: 2 * x, 1.0, learning_rate=1.0, steps=10)
    >>> path.status.value
    'oscillating'
    """
    optimizer = Momentum(learning_rate, momentum)
    scalar_grad = lambda p: np.array([float(derivative(float(p[0])))])  # noqa: E731
    scalar_loss = None if f is None else (lambda p: float(f(float(p[0]))))
    return run_optimizer(scalar_grad, [x0], optimizer, steps, scalar_loss, callback, tol)


def descent_path(expr: sympy.Expr, x0: float, learning_rate: float = 0.1, steps: int = 50, momentum: float = 0.0,
                 var: str = "x", derivatives: CompiledDerivatives | None = None,
                 owner: Hashable | None = None) -> OptimizationPath:
    """:func:`gradient_descent` on a typed function: f and f' are compiled from ``expr``.

    ``derivatives`` (from :func:`compile_derivatives`) skips compiling them again;
    ``owner`` names whose worker slot differentiating takes.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> path = descent_path(x**2, 1.0, learning_rate=0.25, steps=2)
    >>> path.points[:, 0].tolist()
    [1.0, 0.5, 0.25]
    """
    check_variables(expr, (var,))
    if derivatives is None:
        derivatives = compile_derivatives(expr, (var,), owner=owner)
    return gradient_descent(derivatives.gradient[0], x0, learning_rate, steps, momentum, f=derivatives.value)
