r"""Update rules for a flat vector of parameters: plain gradient descent, momentum and Adam.

Each rule keeps its own state (velocity, moment estimates) and updates
``theta`` in place from the gradient ``g`` with a few whole-vector operations
into preallocated buffers, so a step allocates nothing. ``lr`` may change
between steps (a live change of the learning rate); a change of rule means a
new object with fresh state. :class:`calc_core.mlp.MLP` trains with these, and
an exported training script carries their source.

The optimization lesson's optimizers (:mod:`calc_core.optimization.optimizers`,
named ``Momentum``, ``Adam``, ...) differ on purpose: they move one point of the
plane and return its whole path for plotting, where these rules (named
``...Rule``) move thousands of float32 weights in place per step.
"""

from __future__ import annotations

import math

import numpy as np

MOMENTUM = 0.9
ADAM_BETA1 = 0.9
ADAM_BETA2 = 0.999
ADAM_EPSILON = 1e-8


class SGDRule:
    r"""Plain gradient descent: :math:`\theta \leftarrow \theta - \eta g`."""

    def __init__(self, n, dtype, learning_rate):
        self.lr = learning_rate
        self.tmp = np.empty(n, dtype)

    def step(self, theta, g):
        np.multiply(g, self.lr, self.tmp)
        np.subtract(theta, self.tmp, theta)


class MomentumRule:
    r"""Heavy ball: :math:`v \leftarrow \mu v - \eta g`, :math:`\theta \leftarrow \theta + v`."""

    def __init__(self, n, dtype, learning_rate):
        self.lr = learning_rate
        self.v = np.zeros(n, dtype)
        self.tmp = np.empty(n, dtype)

    def step(self, theta, g):
        np.multiply(self.v, MOMENTUM, self.v)
        np.multiply(g, self.lr, self.tmp)
        np.subtract(self.v, self.tmp, self.v)
        np.add(theta, self.v, theta)


class AdamRule:
    r"""Adam (Kingma & Ba 2015), with the bias correction folded into the step size.

    :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`,
    :math:`v \leftarrow \beta_2 v + (1-\beta_2) g^2`,
    :math:`\theta \leftarrow \theta - \eta_t\, m / (\sqrt v + \epsilon)` with
    :math:`\eta_t = \eta \sqrt{1-\beta_2^t} / (1-\beta_1^t)`.
    """

    def __init__(self, n, dtype, learning_rate):
        self.lr = learning_rate
        self.t = 0
        # Rows: (m, v), their targets (g, g^2) and their rates; one operation updates both moments.
        self.moments = np.zeros((2, n), dtype)
        self.targets = np.empty((2, n), dtype)
        self.rates = np.array([[1 - ADAM_BETA1], [1 - ADAM_BETA2]], dtype)
        self.tmp = np.empty((2, n), dtype)

    def step(self, theta, g):
        moments, targets, tmp = self.moments, self.targets, self.tmp
        m, v, step = moments[0], moments[1], tmp[0]
        self.t += 1
        targets[0] = g
        np.multiply(g, g, targets[1])
        np.subtract(targets, moments, tmp)
        np.multiply(tmp, self.rates, tmp)
        np.add(moments, tmp, moments)  # (m, v) + (1 - beta)((g, g^2) - (m, v))
        lr_t = self.lr * math.sqrt(1 - ADAM_BETA2**self.t) / (1 - ADAM_BETA1**self.t)
        np.sqrt(v, step)
        np.add(step, ADAM_EPSILON, step)
        np.divide(m, step, step)
        np.multiply(step, lr_t, step)
        np.subtract(theta, step, theta)


UPDATE_RULES = {"sgd": SGDRule, "momentum": MomentumRule, "adam": AdamRule}
