"""Update rules that turn a gradient into a step, and the table of them that lesson 6 loops over.

Each optimizer is one frozen dataclass that declares, once, everything the
lesson needs to know about it:

- ``name``: its short name, in the chooser, the legend, the summary table and
  shared links (``opt2_methods=Adam``);
- ``label``: its name in words;
- ``key``: the middle of its controls' URL keys, ``opt2_<key>_<suffix>``;
- ``color``: the colour of its path and loss curve;
- its hyperparameters, as fields made with :func:`hyperparameter` (URL key
  suffix, label, kind, range, default, help); a plain field (ε) is fixed;
- its rule, in its docstring and in ``start``/``step``: the lesson's "Show the
  code" shows the class as it is written here.

``start(dim)`` gives the initial state and ``step(x, g, grad, state, t)`` returns
the next point and state, given the gradient ``g`` at ``x``, the gradient
function ``grad`` (Nesterov looks ahead with it) and the step number ``t`` from 1.
:func:`calc_core.optimization.descent.run_optimizer` drives them.

:func:`register` checks a class's declaration and adds it to :data:`OPTIMIZERS`,
in the order the lesson shows them; :func:`optimizer_class` and
:func:`make_optimizer` refuse a name that is not there. A new optimizer is one
registered class here (plus its test): the page's controls, chart colours and
shown code all loop over :data:`OPTIMIZERS`.

These work on a point of a surface (a vector of a few coordinates). The neural
network trains with its own float32 update rules (:mod:`calc_core.mlp`), which
update many weight arrays in place each step.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from enum import StrEnum

import numpy as np

from calc_core.optimization.common import OptimizationError

# Where a hyperparameter's control sits in its dataclass field's metadata.
CONTROL = "control"
# Keys and suffixes go into URLs (opt2_<key>_<suffix>), colours into Vega-Lite.
_KEY = re.compile(r"[a-z][a-z0-9]*")
_COLOR = re.compile(r"#[0-9a-f]{6}")


class ControlKind(StrEnum):
    """How a hyperparameter is chosen on the page."""

    LOG = "log"  # a slider over powers of ten: ``range`` holds the exponents, ``per_decade`` stops in each
    LINEAR = "linear"  # an even slider over ``range`` in steps of ``step``
    CHOICE = "choice"  # one of a few ``options``


@dataclass(frozen=True)
class Hyperparameter:
    """One setting a learner can change, declared once: the page draws, binds and explains it from this.

    Attributes
    ----------
    field : str
        The optimizer's field (constructor argument) it sets; filled in by :func:`hyperparameters`.
    suffix : str
        The end of its URL key, ``opt2_<optimizer key>_<suffix>``.
    label : str
        The control's label.
    kind : ControlKind
        Log slider, linear slider or a choice of values.
    default : float
        The value before anyone moves it (also the field's default).
    range : tuple
        ``(lo, hi)``: powers of ten for ``ControlKind.LOG``, the ends for ``ControlKind.LINEAR``.
    step : float or None
        The slider's step (``ControlKind.LINEAR``).
    per_decade : int
        Stops per power of ten (``ControlKind.LOG``).
    options : tuple
        The values to choose from (``ControlKind.CHOICE``).
    help : str
        What it does, in a sentence (the control's tooltip).
    """

    field: str
    suffix: str
    label: str
    kind: ControlKind
    default: float
    range: tuple = ()
    step: float | None = None
    per_decade: int = 10
    options: tuple = ()
    help: str = ""

    def __post_init__(self):
        object.__setattr__(self, "kind", ControlKind(self.kind))
        if not _KEY.fullmatch(self.suffix):
            raise ValueError(f"Hyperparameter suffix {self.suffix!r} must be lower-case letters and digits.")
        if not _FITS[self.kind](self):
            raise ValueError(f"Hyperparameter {self.suffix!r}: the default {self.default!r} does not fit its "
                             f"{self.kind.value} control.")


# Whether a control's default lies on it, by kind.
_FITS = {
    ControlKind.LOG: lambda h: len(h.range) == 2 and all(isinstance(e, int) for e in h.range) and
    10.0 ** h.range[0] <= h.default <= 10.0 ** h.range[1],
    ControlKind.LINEAR: lambda h: len(h.range) == 2 and h.range[0] <= h.default <= h.range[1] and
    h.step is not None and h.step > 0,
    ControlKind.CHOICE: lambda h: h.default in h.options,
}


def hyperparameter(default: float, suffix: str, label: str, kind: ControlKind, *, range: tuple = (),
                   step: float | None = None, per_decade: int = 10, options: Sequence = (), help: str = ""):
    """A dataclass field that the lesson shows as a control: its default, and the control in its metadata."""
    control = Hyperparameter("", suffix, label, kind, default, tuple(range), step, per_decade,
                             tuple(options), help)
    return field(default=default, metadata={CONTROL: control})


def rate(default: float):
    """The learning rate η every optimizer has: a log slider from 10⁻⁴ to 1."""
    return hyperparameter(default, "lr", "η", ControlKind.LOG, range=(-4, 0),
                          help="Learning rate η: how far each step moves. Too small creeps; too large overshoots "
                               "or blows up.")


def decay_rate(default: float, suffix: str, label: str, help: str):
    """A decay rate (β, ρ, β₁) between 0 and 0.99."""
    return hyperparameter(default, suffix, label, ControlKind.LINEAR, range=(0.0, 0.99), step=0.01, help=help)


def hyperparameters(optimizer) -> tuple[Hyperparameter, ...]:
    """An optimizer's (class or instance) controls, in field order, each with its field's name."""
    return tuple(replace(f.metadata[CONTROL], field=f.name) for f in fields(optimizer) if CONTROL in f.metadata)


def _check_rate(learning_rate: float) -> None:
    if not (isinstance(learning_rate, (int, float)) and math.isfinite(learning_rate) and learning_rate > 0):
        raise OptimizationError("The learning rate must be a positive number.")


def _check_decay(value: float, name: str) -> None:
    if not (isinstance(value, (int, float)) and 0 <= value < 1):
        raise OptimizationError(f"{name} must be at least 0 and below 1.")


#: Every registered optimizer class by its name, in the order the lesson shows them.
OPTIMIZERS: dict[str, type] = {}


def check_declaration(cls: type, others: Sequence[type] = ()) -> type:
    """Refuse an optimizer class whose declaration is incomplete or clashes with one of ``others``.

    It must be a frozen dataclass with ``start`` and ``step``, a docstring of its
    own, and its own ``name``, ``label``, ``key`` and ``color`` (a subclass that
    inherited them would share its parent's links and colour); its controls'
    suffixes must differ.
    """
    if not (is_dataclass(cls) and cls.__dataclass_params__.frozen):
        raise TypeError(f"{cls.__name__} must be a frozen dataclass.")
    for method in ("start", "step"):
        if not callable(getattr(cls, method, None)):
            raise TypeError(f"{cls.__name__} needs a {method} method.")
    # A dataclass without a docstring gets its signature as one.
    if not cls.__doc__ or cls.__doc__.startswith(f"{cls.__name__}("):
        raise TypeError(f"{cls.__name__} needs a docstring stating its rule.")
    for attribute in ("name", "label", "key", "color"):
        if not isinstance(cls.__dict__.get(attribute), str) or not cls.__dict__[attribute]:
            raise TypeError(f"{cls.__name__} must declare its own {attribute} (a non-empty string).")
    if not _KEY.fullmatch(cls.key):
        raise ValueError(f"{cls.__name__}.key {cls.key!r} must be lower-case letters and digits.")
    if not _COLOR.fullmatch(cls.color):
        raise ValueError(f"{cls.__name__}.color {cls.color!r} must be #rrggbb in lower case.")
    suffixes = [h.suffix for h in hyperparameters(cls)]
    if len(set(suffixes)) != len(suffixes):
        raise ValueError(f"{cls.__name__} has two controls with the same URL suffix: {suffixes}.")
    for other in others:
        if other is cls:
            continue
        for attribute in ("name", "key", "color"):
            if getattr(other, attribute) == getattr(cls, attribute):
                raise ValueError(f"{cls.__name__} and {other.__name__} share the {attribute} "
                                 f"{getattr(cls, attribute)!r}.")
    return cls


def register(cls: type) -> type:
    """Class decorator: check an optimizer's declaration and add it to :data:`OPTIMIZERS`."""
    OPTIMIZERS[cls.name] = check_declaration(cls, tuple(OPTIMIZERS.values()))
    return cls


def optimizer_class(name: str) -> type:
    """The registered optimizer called ``name``; any other name is an error."""
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise OptimizationError(f"Unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}.") from None


def make_optimizer(name: str, settings: Sequence[float]):
    """The optimizer ``name`` with its hyperparameters set to ``settings``, in the order of :func:`hyperparameters`.

    Examples
    --------
    >>> make_optimizer("Momentum", (0.1, 0.5))
    Momentum(learning_rate=0.1, beta=0.5)
    """
    cls = optimizer_class(name)
    controls = hyperparameters(cls)
    if len(settings) != len(controls):
        raise OptimizationError(f"{name} takes {len(controls)} settings, not {len(settings)}.")
    return cls(**{h.field: value for h, value in zip(controls, settings)})


# --------------------------------------------------------------------------- the optimizers
# Checks and state are written out in each rule, not inherited: "Show the code" shows a rule's class on its own.


@register
@dataclass(frozen=True)
class GradientDescent:
    """Plain gradient descent: x ← x − η ∇f(x)."""

    name = "GD"
    label = "Gradient descent"
    key = "gd"
    color = "#1f77b4"

    learning_rate: float = rate(0.05)

    def __post_init__(self):
        _check_rate(self.learning_rate)

    def start(self, dim: int) -> tuple:
        return ()

    def step(self, x, g, grad, state, t):
        return x - self.learning_rate * g, state


@register
@dataclass(frozen=True)
class Momentum:
    """Heavy-ball momentum: v ← β v + ∇f(x), x ← x − η v (β = 0 is plain descent)."""

    name = "Momentum"
    label = "Heavy-ball momentum"
    key = "mom"
    color = "#ff7f0e"

    learning_rate: float = rate(0.02)
    beta: float = decay_rate(0.9, "beta", "β", "Momentum β: the share of the last step carried into the next "
                                          "(0 is plain descent).")

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


@register
@dataclass(frozen=True)
class Nesterov(Momentum):
    """Nesterov momentum: the gradient is taken where momentum is about to carry x.

    v ← β v + ∇f(x − η β v), x ← x − η v.
    """

    name = "Nesterov"
    label = "Nesterov momentum"
    key = "nag"
    color = "#2ca02c"

    def gradient(self, x, g, grad, velocity):
        """The gradient at the look-ahead point x − η β v."""
        return np.asarray(grad(x - self.learning_rate * self.beta * velocity), dtype=float)


@register
@dataclass(frozen=True)
class RMSProp:
    """Steps scaled per coordinate by a running root-mean-square of the gradient.

    s ← ρ s + (1 − ρ) g², x ← x − η g / (√s + ε).
    """

    name = "RMSProp"
    label = "RMSProp"
    key = "rms"
    color = "#9467bd"

    learning_rate: float = rate(0.02)
    decay: float = decay_rate(0.9, "rho", "decay ρ", "Decay ρ: how slowly the running mean of g² forgets old "
                                                "gradients.")
    epsilon: float = 1e-8

    def __post_init__(self):
        _check_rate(self.learning_rate)
        _check_decay(self.decay, "The decay ρ")

    def start(self, dim: int) -> tuple:
        return (np.zeros(dim),)

    def step(self, x, g, grad, state, t):
        s = self.decay * state[0] + (1 - self.decay) * g * g
        return x - self.learning_rate * g / (np.sqrt(s) + self.epsilon), (s,)


@register
@dataclass(frozen=True)
class Adam:
    """Adam: momentum on g and on g², both bias-corrected.

    m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g²,
    x ← x − η m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
    """

    name = "Adam"
    label = "Adam"
    key = "adam"
    color = "#d62728"

    learning_rate: float = rate(0.1)
    beta1: float = decay_rate(0.9, "b1", "β₁", "β₁: how slowly the running mean of the gradient (the momentum) "
                                         "forgets.")
    beta2: float = hyperparameter(0.999, "b2", "β₂", ControlKind.CHOICE, options=(0.9, 0.99, 0.999, 0.9999),
                                  help="β₂: how slowly the running mean of g² (each coordinate's scale) forgets.")
    epsilon: float = 1e-8

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
