r"""A multilayer perceptron for two-class, K-class and regression problems, with backpropagation in plain numpy.

The network maps a point :math:`x \in \mathbb{R}^{d}` to the probability of
class 1 through hidden layers

.. math::

    z_l = W_l a_{l-1} + b_l, \qquad a_l = f(z_l), \qquad a_0 = x,

and a sigmoid output unit :math:`\hat y = \sigma(z_L)`. Training minimises the
binary cross-entropy averaged over the :math:`m` samples of a batch, plus an
optional L2 penalty on the weights:

.. math::

    J = \frac{1}{m} \sum_i \big[-y_i \log \hat y_i - (1 - y_i) \log(1 - \hat y_i)\big]
        + \frac{\lambda}{2} \sum_l \lVert W_l \rVert^2 .

Backpropagation is the chain rule applied layer by layer, from the output back:

.. math::

    \delta_L = \frac{1}{m}(\hat y - y), \qquad
    \delta_{l-1} = \big(W_l^\top \delta_l\big) \odot f'(z_{l-1}), \qquad
    \frac{\partial J}{\partial W_l} = \delta_l\, a_{l-1}^\top + \lambda W_l, \qquad
    \frac{\partial J}{\partial b_l} = \sum_i \delta_{l,i}.

Other problems change only the output and the loss (``task``): K classes
have K output units, :math:`\hat y = \operatorname{softmax}(z_L)` and the
cross-entropy with one-hot targets, so :math:`\delta_L = \frac{1}{m}(\hat y - \text{onehot}(y))`;
regression has one linear output unit and
:math:`J = \frac{1}{2m}\sum_i (\hat y_i - y_i)^2`, so again
:math:`\delta_L = \frac{1}{m}(\hat y - y)`.

:math:`W_l` is the Jacobian :math:`\partial z_l / \partial a_{l-1}` of lesson 4,
so multiplying by :math:`W_l^\top` carries the gradient from the outputs of a
layer to its inputs; :math:`f'(z_{l-1})` is the local derivative of the
activation, applied element by element.

Conventions: inside the network, activations are stored feature-major, one
column per sample, with an extra row of ones so that the bias is the last
column of each weight block (:math:`z = [W \; b] [a; 1]`). The public
attributes ``coefs_`` and ``intercepts_`` follow scikit-learn instead:
``coefs_[l]`` has shape ``(n_in, n_out)`` and ``z = a @ coefs_[l] + intercepts_[l]``
for a batch of row vectors ``a``.

Training runs in float32 in :mod:`~calc_core.mlp.buffered_passes`, with
preallocated buffers and in-place updates (the page trains while the learner
watches), and :mod:`~calc_core.mlp.update_rules` updates the weights.
:meth:`MLP.gradients` and :meth:`MLP.backward_trace` run the same passes
written to be read, :mod:`~calc_core.mlp.readable_passes`, in float64, and
:meth:`MLP.gradient_check` compares them with central differences taken in
extended precision, so that a relative error of 1e-6 is meaningful.

One module per concept. The network:

- :mod:`~calc_core.mlp.estimator`: :class:`MLP`, its settings and their limits;
- :mod:`~calc_core.mlp.readable_passes` and :mod:`~calc_core.mlp.buffered_passes`:
  the forward and backward passes, written to be read (shown and exported) and
  written to train fast (float32, no allocation), with identical results;
- :mod:`~calc_core.mlp.update_rules`: plain gradient descent, momentum and Adam
  on the flat weight vector (``SGDRule``, ``MomentumRule``, ``AdamRule``; lesson
  6's optimizers of a point in the plane are :mod:`calc_core.optimization.optimizers`);
- :mod:`~calc_core.mlp.features`: input features computed from points of the plane;
- :mod:`~calc_core.mlp.calculus`: the objective, the gradient check and the
  one-sample backward trace on the blocks of :mod:`~calc_core.mlp.readable_passes`;
- :mod:`~calc_core.mlp.records`: the frozen records a network returns;
- :mod:`~calc_core.mlp.layers`: hidden layers from text, their limits and
  parameter counts;
- :mod:`~calc_core.mlp.work`: the cost of training and of gradient checks in
  work units, for capping a request before it runs;
- :mod:`~calc_core.mlp.validation`: checks on points and labels;
- :mod:`~calc_core.mlp.errors`: :class:`MLPError` and :class:`TrainingDiverged`.

What the lesson does with networks, imported from their modules (they are not
re-exported here, so that importing :class:`MLP` stays light):

- :mod:`~calc_core.mlp.sweep`: a hyperparameter sweep over a grid of values and seeds;
- :mod:`~calc_core.mlp.reference`: the same training in scikit-learn, side by side;
- :mod:`~calc_core.mlp.export`: a run as CSV, JSON and a numpy-only script;
- :mod:`~calc_core.mlp.answers`: the lesson's task check.

The points themselves come from :mod:`calc_core.data` (generated datasets and
uploaded CSV files, shared with the SVM lesson).

The constants of the initialisation, the activations and the update rules
are re-exported from :mod:`~calc_core.mlp.buffered_passes`,
:mod:`~calc_core.mlp.readable_passes` and :mod:`~calc_core.mlp.update_rules`.
"""

from calc_core.mlp.buffered_passes import INIT_BIAS, INIT_GAIN
from calc_core.mlp.calculus import GRADIENT_CHECK_STEP, GRADIENT_CHECK_TOLERANCE
from calc_core.mlp.errors import MLPError, TrainingDiverged
from calc_core.mlp.estimator import (
    ACTIVATIONS,
    DEFAULT_LEARNING_RATE,
    LIVE_SETTINGS,
    MLP,
    OPTIMIZERS,
    TASKS,
)
from calc_core.mlp.layers import MAX_LAYERS, MAX_UNITS, LayerSpecError, parameter_count, parse_layers
from calc_core.mlp.readable_passes import LEAKY_RELU_SLOPE
from calc_core.mlp.records import (
    BackwardStep,
    BackwardTrace,
    EpochRecord,
    LayerGradientCheck,
    LayerGradients,
    SettingChange,
    TrainingHistory,
)
from calc_core.mlp.update_rules import ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, MOMENTUM
from calc_core.mlp.work import (
    GRADIENT_CHECK_FULL_PARAMETERS,
    GRADIENT_CHECK_SAMPLE_PER_LAYER,
    STEP_PARAMETER_WORK,
    STEP_WORK,
    gradient_check_count,
    gradient_check_sample,
    training_work,
)

__all__ = [
    "ACTIVATIONS",
    "ADAM_BETA1",
    "ADAM_BETA2",
    "ADAM_EPSILON",
    "DEFAULT_LEARNING_RATE",
    "GRADIENT_CHECK_FULL_PARAMETERS",
    "GRADIENT_CHECK_SAMPLE_PER_LAYER",
    "GRADIENT_CHECK_STEP",
    "GRADIENT_CHECK_TOLERANCE",
    "INIT_BIAS",
    "INIT_GAIN",
    "LEAKY_RELU_SLOPE",
    "LIVE_SETTINGS",
    "MAX_LAYERS",
    "MAX_UNITS",
    "MLP",
    "MOMENTUM",
    "OPTIMIZERS",
    "TASKS",
    "STEP_PARAMETER_WORK",
    "STEP_WORK",
    "BackwardStep",
    "BackwardTrace",
    "EpochRecord",
    "LayerGradientCheck",
    "LayerGradients",
    "LayerSpecError",
    "MLPError",
    "SettingChange",
    "TrainingDiverged",
    "TrainingHistory",
    "gradient_check_count",
    "gradient_check_sample",
    "parameter_count",
    "parse_layers",
    "training_work",
]
