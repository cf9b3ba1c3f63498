"""What training and gradient checks cost, in work units, so that a visitor's request can be capped before it runs."""

from __future__ import annotations

import math
from itertools import pairwise

from calc_core.mlp.layers import parameter_count

__all__ = [
    "GRADIENT_CHECK_FULL_PARAMETERS",
    "GRADIENT_CHECK_SAMPLE_PER_LAYER",
    "STEP_PARAMETER_WORK",
    "STEP_WORK",
    "gradient_check_count",
    "gradient_check_sample",
    "training_work",
]

#: Gradient check: every parameter up to this many; above, a fixed sample per layer.
GRADIENT_CHECK_FULL_PARAMETERS = 400
GRADIENT_CHECK_SAMPLE_PER_LAYER = 50
#: Work units of one gradient step beyond its passes: Python and numpy call overhead (see training_work).
STEP_WORK = 60_000
#: Work units per parameter of one gradient step: the optimizer's whole-vector update.
STEP_PARAMETER_WORK = 25


def training_work(n_points, layer_sizes, batch_size, epochs):
    """Work units (about a nanosecond each here) of training ``epochs`` epochs on ``n_points`` points.

    Notes
    -----
    One epoch passes every point forward and back through every parameter
    (``n_points * parameters``) and takes ``ceil(n_points / batch_size)``
    steps, each with a fixed overhead ``STEP_WORK`` and an optimizer update
    of ``STEP_PARAMETER_WORK`` per parameter. Calibrated on the course's
    network (full batch and batches of 8) and on six layers of 64 units.

    Examples
    --------
    >>> training_work(800, (2, 4, 3, 1), None, 150)
    12836250
    """
    n_params = parameter_count(layer_sizes)
    steps = 1 if batch_size is None or batch_size >= n_points else math.ceil(n_points / batch_size)
    return epochs * (n_points * n_params + steps * (STEP_WORK + STEP_PARAMETER_WORK * n_params))


def gradient_check_sample(layer_sizes, n_points, max_work, full_parameters=GRADIENT_CHECK_FULL_PARAMETERS,
                          per_layer=GRADIENT_CHECK_SAMPLE_PER_LAYER):
    """How many weights and biases per layer :meth:`~calc_core.mlp.MLP.gradient_check_layers` should check.

    ``None`` (every parameter) for networks up to ``full_parameters``
    parameters; otherwise at most ``per_layer`` of each per layer, fewer when
    checked parameters x parameters x points would exceed ``max_work``, and
    at least one.

    Examples
    --------
    >>> gradient_check_sample((2, 4, 3, 1), 16, 10**8) is None
    True
    >>> gradient_check_sample((2, 64, 64, 64, 64, 64, 64, 1), 16, 6 * 10**7)
    12
    """
    n_params = parameter_count(layer_sizes)
    if n_params <= full_parameters:
        return None
    n_layers = len(layer_sizes) - 1
    affordable = max_work // (n_params * n_points * 2 * n_layers)
    return max(1, min(per_layer, affordable))


def gradient_check_count(layer_sizes, per_layer):
    """Parameters checked when ``per_layer`` of each kind are checked per layer (``None``: all)."""
    return sum(
        (n_in * n_out + n_out) if per_layer is None else min(n_in * n_out, per_layer) + min(n_out, per_layer)
        for n_in, n_out in pairwise(layer_sizes)
    )

