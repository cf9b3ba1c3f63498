"""Plain records of a network's training and calculus: epochs, history, gradients, checks, live changes, traces."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "BackwardStep",
    "BackwardTrace",
    "EpochRecord",
    "LayerGradientCheck",
    "LayerGradients",
    "SettingChange",
    "TrainingHistory",
]


@dataclass(frozen=True)
class EpochRecord:
    """Loss and accuracy after one epoch (``epoch`` 0 is the untrained network).

    ``test_loss`` and ``test_accuracy`` are ``nan`` when no test data was given.
    """

    epoch: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float


@dataclass(frozen=True)
class TrainingHistory:
    """Per-epoch curves of a training run, one entry per epoch from 0 (before training).

    All fields are float64 arrays of equal length except ``epoch`` (int64).
    The losses are the mean cross-entropy without the L2 penalty, so that
    training and test loss compare directly. Test entries are ``nan`` for
    epochs trained without test data.
    """

    epoch: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray

    def record(self, i):
        """The :class:`EpochRecord` at position ``i`` (``-1`` is the latest)."""
        return EpochRecord(
            int(self.epoch[i]),
            float(self.train_loss[i]),
            float(self.train_accuracy[i]),
            float(self.test_loss[i]),
            float(self.test_accuracy[i]),
        )


@dataclass(frozen=True)
class LayerGradients:
    """Gradient of the objective with respect to one layer's parameters.

    ``dW`` has the shape of ``coefs_[layer - 1]`` (``(n_in, n_out)``) and ``db``
    that of ``intercepts_[layer - 1]``; ``layer`` counts from 1 (first hidden layer).
    """

    layer: int
    dW: np.ndarray
    db: np.ndarray


@dataclass(frozen=True)
class LayerGradientCheck:
    r"""Backpropagation against central differences for one layer.

    ``weight_error`` and ``bias_error`` are the largest relative errors
    :math:`|g - \tilde g| / \max(|g| + |\tilde g|, \epsilon)` among the
    layer's checked weights and biases (``n_checked`` of its ``n_parameters``);
    ``passed`` compares their maximum with the tolerance given to
    :meth:`~calc_core.mlp.MLP.gradient_check_layers`.
    """

    layer: int
    n_parameters: int
    n_checked: int
    weight_error: float
    bias_error: float
    max_relative_error: float
    passed: bool


@dataclass(frozen=True)
class SettingChange:
    """A live change of one training setting, in force from the step after ``epoch`` epochs."""

    epoch: int
    name: str
    old: object
    new: object


@dataclass(frozen=True)
class BackwardStep:
    r"""One backward step :math:`\delta_{l-1} = (W_l^\top \delta_l) \odot f'(z_{l-1})` with numbers.

    Attributes
    ----------
    layer : int
        :math:`l`, counted from 1; the last layer is the output unit.
    delta : ndarray, shape (n_out,)
        :math:`\delta_l = \partial J / \partial z_l`.
    jacobian : ndarray, shape (n_out, n_in)
        :math:`W_l = \partial z_l / \partial a_{l-1}`, the layer Jacobian.
    jacobian_product : ndarray, shape (n_in,)
        :math:`W_l^\top \delta_l = \partial J / \partial a_{l-1}`.
    activation_input : ndarray, shape (n_in,)
        :math:`a_{l-1}`, the layer's input (the point itself for ``layer == 1``).
    local_derivative : ndarray or None, shape (n_in,)
        :math:`f'(z_{l-1})`; ``None`` for the first layer, whose input is data.
    delta_previous : ndarray or None, shape (n_in,)
        :math:`\delta_{l-1}`, the product of the two above; ``None`` for the first layer.
    weight_gradient : ndarray, shape (n_out, n_in)
        :math:`\delta_l a_{l-1}^\top`, this sample's :math:`\partial J / \partial W_l`
        (without the L2 term).
    """

    layer: int
    delta: np.ndarray
    jacobian: np.ndarray
    jacobian_product: np.ndarray
    activation_input: np.ndarray
    local_derivative: np.ndarray | None
    delta_previous: np.ndarray | None
    weight_gradient: np.ndarray


@dataclass(frozen=True)
class BackwardTrace:
    r"""Backpropagation for one sample, output layer first.

    ``probability`` is :math:`\hat y`: for two classes the probability of
    class 1, for K classes the probability given to the sample's own class,
    for regression the predicted number. ``y`` is the label (the target, a
    float, for regression), ``loss`` the loss of this sample, ``steps[0]``
    the output layer's step, and ``outputs`` what the output layer says: the
    class probabilities (two or K), or the prediction for regression.
    """

    sample: int
    x: np.ndarray
    y: int | float
    probability: float
    loss: float
    steps: tuple[BackwardStep, ...]
    outputs: np.ndarray | None = None
