r"""The network's two passes, written to be read: forward through the layers, backward by the chain rule.

A layer's weights and bias form one block :math:`[W_l \; b_l]` of shape
``(n_out, n_in + 1)``; activations are stored one column per point, with a
last row of ones that multiplies the bias column, so that

.. math::

    z_l = [W_l \; b_l] \begin{bmatrix} a_{l-1} \\ 1 \end{bmatrix}, \qquad a_l = f(z_l),

and the single output unit gives :math:`\hat y = \sigma(z_L)`. Backpropagation
of the mean cross-entropy runs from the output back:

.. math::

    \delta_L = \frac{\hat y - y}{m}, \qquad
    \delta_{l-1} = \big(W_l^\top \delta_l\big) \odot f'(z_{l-1}), \qquad
    [\partial W_l \; \partial b_l] = \delta_l \begin{bmatrix} a_{l-1} \\ 1 \end{bmatrix}^\top .

These functions are what "show the code" shows and what an exported script
runs (their source is copied into it). :class:`calc_core.mlp.MLP` trains with
their pair, :mod:`calc_core.mlp.buffered_passes`, which performs the same
floating-point operations in the same order without allocating, so the two
give identical weights; the tests check it.
"""

from __future__ import annotations

import numpy as np

LEAKY_RELU_SLOPE = 0.01


def activate(z, activation):
    """a = f(z) in a hidden layer."""
    if activation == "relu":
        return np.maximum(z, 0)
    if activation == "leaky_relu":
        return np.maximum(z, LEAKY_RELU_SLOPE * z)
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return 0.5 * (np.tanh(0.5 * z) + 1)  # = 1 / (1 + exp(-z))
    return z


def activation_derivative(a, activation, course_sigmoid_bug=False):
    """f'(z), written with the layer's output a = f(z) (all the backward pass keeps)."""
    if activation == "relu":
        return a > 0
    if activation == "leaky_relu":
        return np.maximum((a > 0).astype(a.dtype), LEAKY_RELU_SLOPE)
    if activation == "tanh":
        return 1 - a * a
    if activation == "sigmoid":
        return (1 - a) * a * (2 if course_sigmoid_bug else 1)  # the course's bug doubles it
    return np.ones_like(a)


def forward(params, X, activation):
    """Layer inputs [a_{l-1}; 1] for every layer, and the output logits z_L.

    ``params`` are the blocks [W_l b_l]; ``X`` is (m, d) with one point per row.
    With one output unit (two classes, regression) z_L has shape (m,); with K
    units (K classes) it is (K, m), one column per point.
    """
    ones = np.ones((1, len(X)), X.dtype)
    inputs = [np.vstack([X.T, ones])]
    for block in params[:-1]:
        a = activate(block @ inputs[-1], activation)  # z_l = [W_l b_l] [a_{l-1}; 1],  a_l = f(z_l)
        inputs.append(np.vstack([a, ones]))
    if len(params[-1]) > 1:
        return inputs, params[-1] @ inputs[-1]  # K output units: one row of logits per class
    return inputs, np.dot(params[-1][0], inputs[-1])  # one output unit


def softmax(z):
    """Class probabilities from logits z (K, m), column by column; the largest logit is subtracted first."""
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=0)


def output_delta(z, y, task, course_sigmoid_bug=False):
    """delta_L = dJ/dz_L for the task's output and loss, averaged over the m points of the batch.

    - "binary": sigmoid and cross-entropy, delta_L = (y_hat - y) / m;
    - "multiclass": softmax and cross-entropy, delta_L = (softmax(z) - onehot(y)) / m, shape (K, m);
    - "regression": a linear output and J = mean (z - y)^2 / 2, delta_L = (z - y) / m.
    """
    m = z.shape[-1]
    if task == "regression":
        return (z - y) * (1.0 / m)
    if task == "multiclass":
        onehot = np.arange(len(z))[:, None] == y  # (K, m): True at each point's class
        return (softmax(z) - onehot) * (1.0 / m)
    s = 1 - 2 * y
    # delta_L = (y_hat - y) / m, with y_hat - y = (tanh(z / 2) + s) / 2 for s = 1 - 2y
    output_scale = (2.0 if course_sigmoid_bug else 1.0) * 0.5
    return (np.tanh(z * 0.5) + s) * (output_scale / m)


def backward(params, inputs, z, y, activation, l2=0.0, course_sigmoid_bug=False, task="binary"):
    """Backpropagation: the gradient of the mean loss (+ L2/2 ‖W‖²) for every block [W_l b_l].

    The loss is the task's: cross-entropy for "binary" and "multiclass", half the
    squared error for "regression" (see :func:`output_delta`).
    """
    delta = output_delta(z, y, task, course_sigmoid_bug)
    grads = [None] * len(params)
    if delta.ndim == 2:  # K output units
        grads[-1] = delta @ inputs[-1].T  # [dW_L db_L] = delta_L [a_{L-1}; 1]^T
    else:
        grads[-1] = np.dot(inputs[-1], delta)[None, :]  # the same for one output unit
        delta = delta[None, :]
    for l in range(len(params) - 1, 0, -1):
        # W_l^T (the transposed layer Jacobian) carries delta back; f' is the local derivative.
        back = params[l][:, :-1].T
        delta = back * delta if l == len(params) - 1 and len(delta) == 1 else back @ delta
        delta = delta * activation_derivative(inputs[l][:-1], activation, course_sigmoid_bug)
        grads[l - 1] = delta @ inputs[l - 1].T  # [dW_l db_l] = delta_l [a_{l-1}; 1]^T
    if l2:
        for block, grad in zip(params, grads, strict=True):
            grad[:, :-1] += l2 * block[:, :-1]
    return grads
