"""calc_core.mlp.readable_passes: the readable passes agree with the trained MLP and with central differences."""

import numpy as np
import pytest

from calc_core.data.datasets import make_dataset
from calc_core.mlp import ACTIVATIONS, MLP
from calc_core.mlp.readable_passes import backward, forward

RTOL = 1e-10  # the same float64 arithmetic, possibly summed in another order
FD_STEP = 1e-6
FD_RTOL = 1e-5


def blocks(model):
    return [np.column_stack([W.T, b]) for W, b in zip(model.coefs_, model.intercepts_, strict=True)]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_the_readable_passes_give_the_models_logits_and_gradients(activation):
    X, y = make_dataset("moons", n_samples=30, noise=0.2, random_state=2)
    model = MLP((5, 3), activation=activation, l2=0.01, epochs=8).fit(X, y)
    params = blocks(model)
    inputs, z = forward(params, X, activation)
    np.testing.assert_allclose(z, model.decision_function(X), rtol=1e-5, atol=1e-6)  # the model runs in float32
    grads = backward(params, inputs, z, y.astype(float), activation, l2=0.01)
    for grad, layer in zip(grads, model.gradients(X, y), strict=True):
        np.testing.assert_allclose(grad[:, :-1].T, layer.dW, rtol=RTOL, atol=1e-14)
        np.testing.assert_allclose(grad[:, -1], layer.db, rtol=RTOL, atol=1e-14)


def test_backward_is_the_derivative_of_the_loss():
    X, y = make_dataset("circles", n_samples=20, random_state=3)
    params = blocks(MLP((4,), activation="tanh", epochs=5).fit(X, y))
    params[-1] = params[-1] + 0.3  # away from the zero output layer, so every gradient is non-zero

    def loss(p):
        z = forward(p, X, "tanh")[1]
        return np.mean(np.logaddexp(0, z) - y * z)

    grads = backward(params, *forward(params, X, "tanh"), y.astype(float), "tanh")
    for l, block in enumerate(params):
        for index in np.ndindex(block.shape):
            up = [p.copy() for p in params]
            down = [p.copy() for p in params]
            up[l][index] += FD_STEP
            down[l][index] -= FD_STEP
            numeric = (loss(up) - loss(down)) / (2 * FD_STEP)
            assert grads[l][index] == pytest.approx(numeric, rel=FD_RTOL, abs=1e-9)
