r"""The calculus a network is checked and explained with: its objective, a gradient check and a one-sample trace.

Everything here works on the blocks :math:`[W_l \; b_l]` and layer inputs of
:mod:`calc_core.mlp.readable_passes`, in float64 or finer, away from the float32 trainer.
"""

from __future__ import annotations

import numpy as np

from calc_core.mlp import readable_passes
from calc_core.mlp.records import BackwardStep, LayerGradientCheck

__all__ = [
    "GRADIENT_CHECK_STEP",
    "GRADIENT_CHECK_TOLERANCE",
    "backward_steps",
    "check_layer_gradients",
    "cross_entropy",
    "data_loss",
    "l2_penalty",
]

GRADIENT_CHECK_STEP = 1e-6
GRADIENT_CHECK_TOLERANCE = 1e-6


def cross_entropy(z, y):
    r"""Mean binary cross-entropy of logits ``z`` for labels ``y``.

    Notes
    -----
    With :math:`\hat y = \sigma(z)`,
    :math:`-y \log \hat y - (1 - y) \log(1 - \hat y) = \log(1 + e^z) - y z`,
    and ``np.logaddexp(0, z)`` computes :math:`\log(1 + e^z)` without overflow.
    """
    return np.mean(np.logaddexp(0, z) - y * z)


def data_loss(z, y, task="binary"):
    r"""The mean loss of a task for output logits ``z`` and labels or targets ``y``.

    Notes
    -----
    - ``"binary"``: :func:`cross_entropy` of the sigmoid output;
    - ``"multiclass"``: the cross-entropy of the softmax,
      :math:`\log \sum_k e^{z_k} - z_y` (``z`` is (K, m)), computed with the
      largest logit subtracted so that nothing overflows;
    - ``"regression"``: half the mean squared error, :math:`rac{1}{2m}\sum_i (z_i - y_i)^2`
      (scikit-learn's ``MLPRegressor`` minimises the same).
    """
    if task == "regression":
        return 0.5 * np.mean(np.square(z - y))
    if task == "multiclass":
        top = z.max(axis=0)
        own = z[np.asarray(y).astype(np.int64), np.arange(z.shape[1])]
        return np.mean(np.log(np.sum(np.exp(z - top), axis=0)) + top - own)
    return cross_entropy(z, y)


def l2_penalty(params, l2):
    r"""The L2 term :math:`\frac{\lambda}{2} \sum_l \lVert W_l \rVert^2` of blocks ``[W_l b_l]`` (biases excluded)."""
    return 0.5 * l2 * sum(np.sum(np.square(block[:, :-1])) for block in params)


def check_layer_gradients(params, inputs, labels, activation, l2, analytic, step, tolerance, max_per_layer=None,
                          task="binary"):
    r"""Backpropagated gradients against central differences of the objective, layer by layer.

    Parameters
    ----------
    params : list of ndarray
        The blocks :math:`[W_l \; b_l]` in the precision of the differences.
        Each parameter is perturbed in place and restored.
    inputs : ndarray, shape (m, d)
        What the input layer sees, in the same precision.
    labels : ndarray, shape (m,)
        Zeros and ones, in the same precision.
    activation : str
        The hidden units' activation.
    l2 : float
        :math:`\lambda` of the penalty.
    analytic : list of ndarray
        The backpropagated gradient, one array shaped like each block.
    step : float
        :math:`h` of the central difference.
    tolerance : float
        Largest relative error that passes.
    max_per_layer : int, optional
        Check at most this many weights and this many biases of each layer,
        a fixed random choice (seed 0); ``None`` checks every parameter.
    task : {"binary", "multiclass", "regression"}
        Which loss the objective uses (:func:`data_loss`).

    Returns
    -------
    tuple of LayerGradientCheck
        One per block of ``params``, in their order (layers count from 1).

    Notes
    -----
    The objective is :math:`J = \text{mean loss} + \frac{\lambda}{2}\sum_l \lVert W_l \rVert^2`.
    For each checked parameter :math:`\theta_k`,
    :math:`\tilde g_k = (J(\theta + h e_k) - J(\theta - h e_k)) / 2h` and the
    relative error is :math:`|g_k - \tilde g_k| / \max(|g_k| + |\tilde g_k|, \epsilon)`
    with :math:`\epsilon = 10^{-12}` guarding against two zeros.
    """

    def objective():
        with np.errstate(all="ignore"):
            z = readable_passes.forward(params, inputs, activation)[1]
        return data_loss(z, labels, task) + l2_penalty(params, l2)

    checks = []
    choose = np.random.default_rng(0)
    for l, (block, g) in enumerate(zip(params, analytic, strict=True), 1):
        index = np.arange(block.size).reshape(block.shape)
        weights, biases = index[:, :-1].ravel(), index[:, -1]
        if max_per_layer is not None:
            weights = np.sort(choose.permutation(weights)[:max_per_layer])
            biases = np.sort(choose.permutation(biases)[:max_per_layer])
        theta, g = block.reshape(-1), g.reshape(-1)  # views: perturbing theta perturbs the block
        errors = []
        for part in (weights, biases):
            numeric = np.empty(len(part))
            for i, k in enumerate(part):
                saved = theta[k]
                theta[k] = saved + step
                upper = objective()
                theta[k] = saved - step
                lower = objective()
                theta[k] = saved
                numeric[i] = (upper - lower) / (2 * step)
            analytic_part = g[part]
            errors.append(float(np.max(np.abs(analytic_part - numeric)
                                       / np.maximum(np.abs(analytic_part) + np.abs(numeric), 1e-12))))
        worst = max(errors)
        n_checked = len(weights) + len(biases)
        checks.append(LayerGradientCheck(l, block.size, n_checked, *errors, worst, bool(worst <= tolerance)))
    return tuple(checks)


def backward_steps(params, inputs, delta, activation, course_sigmoid_bug=False):
    r"""The backward pass for one sample, step by step, from the output layer to the first.

    Parameters
    ----------
    params : list of ndarray
        The blocks :math:`[W_l \; b_l]` (float64).
    inputs : list of ndarray
        The layer inputs :math:`[a_{l-1}; 1]` of :func:`calc_core.mlp.readable_passes.forward`
        for this one sample (one column each).
    delta : ndarray, shape (1,)
        :math:`\delta_L = \partial J / \partial z_L` at the output unit.
    activation : str
        The hidden units' activation.
    course_sigmoid_bug : bool
        Use the course's sigmoid derivative :math:`2\sigma(1-\sigma)`.

    Returns
    -------
    tuple of BackwardStep
        The output layer's step first.

    Notes
    -----
    Each step carries :math:`\delta_l` back through the transposed layer
    Jacobian and the local derivative,
    :math:`\delta_{l-1} = (W_l^\top \delta_l) \odot f'(z_{l-1})`, and records
    this sample's weight gradient :math:`\delta_l a_{l-1}^\top`.
    """
    steps = []
    with np.errstate(all="ignore"):
        for l in range(len(params), 0, -1):
            jac = params[l - 1][:, :-1]
            a_in = inputs[l - 1][:-1, 0]
            product = jac.T @ delta
            local = previous = None
            if l > 1:
                local = readable_passes.activation_derivative(inputs[l - 1][:-1], activation,
                                                              course_sigmoid_bug)[:, 0].astype(np.float64)
                previous = product * local
            steps.append(BackwardStep(l, delta, jac.copy(), product, a_in.copy(), local, previous,
                                      np.outer(delta, a_in)))
            delta = previous
    return tuple(steps)
