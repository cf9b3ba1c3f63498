"""Update rules that turn a gradient into a step: plain descent, momentum, Nesterov, RMSProp and Adam.

Each optimizer is a frozen set of hyperparameters with two methods:
``start(dim)`` gives its initial state and ``step(x, g, grad, state, t)`` returns
the next point and state, given the gradient ``g`` at ``x``, the gradient
function ``grad`` (Nesterov looks ahead with it) and the step number ``t`` from 1.
:func:`calc_core.optimization.descent.run_optimizer` drives them.

These work on a point of a surface (a vector of a few coordinates). The neural
network trains with its own float32 versions (calc_core.mlp), which update many
weight arrays in place each step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from calc_core.optimization.common import OptimizationError


def _check_rate(learning_rate: float) -> None:
    if not (isinstance(learning_rate, (int, float)) and math.isfinite(learning_rate) and learning_rate > 0):
        raise OptimizationError("The learning rate must be a positive number.")


def _check_decay(value: float, name: str) -> None:
    if not (isinstance(value, (int, float)) and 0 <= value < 1):
        raise OptimizationError(f"{name} must be at least 0 and below 1.")


@dataclass(frozen=True)
class GradientDescent:
    """Plain gradient descent: x ← x − η ∇f(x)."""

    learning_rate: float = 0.1
    name = "GD"

    def __post_init__(self):
        _check_rate(self.learning_rate)

    def start(self, dim: int) -> tuple:
        return ()

    def step(self, x, g, grad, state, t):
        return x - self.learning_rate * g, state


@dataclass(frozen=True)
class Momentum:
    """Heavy-ball momentum: v ← β v + ∇f(x), x ← x − η v (β = 0 is plain descent)."""

    learning_rate: float = 0.05
    beta: float = 0.9
    name = "Momentum"

    def __post_init__(self):
        _check_rate(self.learning_rate)
        _check_decay(self.beta, "Momentum β")

    def start(self, dim: int) -> tuple:
        return (np.zeros(dim),)

    def gradient(self, x, g, grad, velocity):
        """The gradient the velocity takes in: the one at x."""
        return g

    def step(self, x, g, grad, state, t):
        v = self.beta * state[0] + self.gradient(x, g, grad, state[0])
        return x - self.learning_rate * v, (v,)


@dataclass(frozen=True)
class Nesterov(Momentum):
    """Nesterov momentum: the gradient is taken where momentum is about to carry x.

    v ← β v + ∇f(x − η β v), x ← x − η v.
    """

    name = "Nesterov"

    def gradient(self, x, g, grad, velocity):
        """The gradient at the look-ahead point x − η β v."""
        return np.asarray(grad(x - self.learning_rate * self.beta * velocity), dtype=float)


@dataclass(frozen=True)
class RMSProp:
    """Steps scaled per coordinate by a running root-mean-square of the gradient.

    s ← ρ s + (1 − ρ) g², x ← x − η g / (√s + ε).
    """

    learning_rate: float = 0.01
    decay: float = 0.9
    epsilon: float = 1e-8
    name = "RMSProp"

    # Checks and state written out in each rule, not inherited: "Show the code" shows a rule's class on its own.
    def __post_init__(self):
        _check_rate(self.learning_rate)
        _check_decay(self.decay, "The decay ρ")

    def start(self, dim: int) -> tuple:
        return (np.zeros(dim),)

    def step(self, x, g, grad, state, t):
        s = self.decay * state[0] + (1 - self.decay) * g * g
        return x - self.learning_rate * g / (np.sqrt(s) + self.epsilon), (s,)


@dataclass(frozen=True)
class Adam:
    """Adam: momentum on g and on g², both bias-corrected.

    m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g²,
    x ← x − η m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
    """

    learning_rate: float = 0.05
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    name = "Adam"

    def __post_init__(self):
        _check_rate(self.learning_rate)
        _check_decay(self.beta1, "β₁")
        _check_decay(self.beta2, "β₂")

    def start(self, dim: int) -> tuple:
        return (np.zeros(dim), np.zeros(dim))

    def step(self, x, g, grad, state, t):
        m = self.beta1 * state[0] + (1 - self.beta1) * g
        v = self.beta2 * state[1] + (1 - self.beta2) * g * g
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        return x - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon), (m, v)


#: Every optimizer by its short name, in the order the lesson shows them.
OPTIMIZERS = {cls.name: cls for cls in (GradientDescent, Momentum, Nesterov, RMSProp, Adam)}
