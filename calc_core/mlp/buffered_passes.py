r"""The fast trainer behind :class:`calc_core.mlp.MLP`: the network's passes in float32 without allocating.

The same mathematics as :mod:`calc_core.mlp.readable_passes` (where it is written to be
read), arranged for speed: all parameters live in one flat vector ``theta``
whose blocks ``W[l]`` (shape ``(n_out, n_in + 1)``, bias in the last column)
are views, so an update rule moves everything with a few whole-vector
operations; every pass writes into buffers allocated once per batch size; and
the loss and accuracy of many epochs are computed together. The floating-point
operations are those of :mod:`calc_core.mlp.readable_passes`, in the same order, so both
give identical weights (the exported script relies on it).
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np

from calc_core.mlp.readable_passes import LEAKY_RELU_SLOPE

# Activations: each forward op (in place on z, leaving a = f(z)) sits beside its local
# derivative. The derivative is expressed through the output a, which is all the backward
# pass keeps: it multiplies delta in place by f'(z). ``k`` holds the layer's scratch arrays
# (``tmp``, a boolean ``mask`` and ``zeros``); ufuncs run faster against an array of zeros
# than against the scalar 0, and with ``out`` given by position (except np.maximum, where
# that is deprecated).


def _relu(z, k):
    np.maximum(z, k.zeros, out=z)


def _relu_backward(a, delta, k):
    # f'(z) = 1 where z > 0, else 0; for a = max(z, 0) that is a > 0.
    np.greater(a, k.zeros, k.mask)
    np.multiply(delta, k.mask, delta)


def _leaky_relu(z, k):
    np.multiply(z, LEAKY_RELU_SLOPE, k.tmp)
    np.maximum(z, k.tmp, out=z)


def _leaky_relu_backward(a, delta, k):
    # f'(z) = 1 where z > 0, else the slope; a has the sign of z.
    np.greater(a, k.zeros, k.tmp)
    np.maximum(k.tmp, LEAKY_RELU_SLOPE, out=k.tmp)
    np.multiply(delta, k.tmp, delta)


def _tanh(z, k):
    np.tanh(z, z)


def _tanh_backward(a, delta, k):
    # f'(z) = 1 - tanh(z)^2 = 1 - a^2
    np.multiply(a, a, k.tmp)
    np.subtract(1, k.tmp, k.tmp)
    np.multiply(delta, k.tmp, delta)


def _sigmoid(z, k):
    # sigma(z) = (1 + tanh(z / 2)) / 2: one fast vectorised tanh instead of exp and a division
    np.multiply(z, 0.5, z)
    np.tanh(z, z)
    np.add(z, 1, z)
    np.multiply(z, 0.5, z)


def _sigmoid_backward(a, delta, k):
    # f'(z) = sigma(z) (1 - sigma(z)) = a (1 - a)
    np.subtract(1, a, k.tmp)
    np.multiply(k.tmp, a, k.tmp)
    np.multiply(delta, k.tmp, delta)


def _sigmoid_backward_course(a, delta, k):
    # The course's dsigmoid: 2 sigma (1 - sigma), twice the true derivative.
    _sigmoid_backward(a, delta, k)
    np.multiply(delta, 2, delta)


def _linear(z, k):
    pass


def _linear_backward(a, delta, k):
    pass  # f'(z) = 1


_FORWARD = {
    "relu": _relu,
    "leaky_relu": _leaky_relu,
    "tanh": _tanh,
    "sigmoid": _sigmoid,
    "linear": _linear,
}
_BACKWARD = {
    "relu": _relu_backward,
    "leaky_relu": _leaky_relu_backward,
    "tanh": _tanh_backward,
    "sigmoid": _sigmoid_backward,
    "linear": _linear_backward,
}


# Initial weights are orthogonal (Saxe et al. 2014) times the activation's gain (the values of
# torch.nn.init.calculate_gain), which keeps the scale of the signal from layer to layer.
INIT_GAIN = {
    "relu": math.sqrt(2.0),
    "leaky_relu": math.sqrt(2.0 / (1 + LEAKY_RELU_SLOPE**2)),
    "tanh": 5 / 3,
    "sigmoid": 1.0,
    "linear": 1.0,
}
# ReLU units start with a positive bias so that none is silent before training begins: a small
# one in the first layer, whose inputs are centred data, a larger one after it, where the inputs
# are non-negative and a unit with mostly negative weights would otherwise be off on most points.
# (first hidden layer, deeper hidden layers)
INIT_BIAS = {"relu": (0.1, 0.5), "leaky_relu": (0.1, 0.5)}


def initial_weights(rng, sizes, activation):
    """Initial ``[W_l b_l]`` blocks (float64, shape ``(n_out, n_in + 1)``) for layer sizes ``sizes``.

    Hidden weights are orthogonal times ``INIT_GAIN[activation]``, hidden
    biases ``INIT_BIAS[activation]`` (0 for other activations), and the output
    layer starts at zero, so the untrained network predicts 0.5 everywhere and
    its first steps cannot lower the loss by silencing hidden units.
    """
    gain = INIT_GAIN[activation]
    first_bias, deeper_bias = INIT_BIAS.get(activation, (0.0, 0.0))
    blocks = []
    for l, (n_in, n_out) in enumerate(pairwise(sizes), 1):
        block = np.zeros((n_out, n_in + 1))
        if l < len(sizes) - 1:
            block[:, :-1] = gain * _orthogonal(rng, n_out, n_in)
            block[:, -1] = first_bias if l == 1 else deeper_bias
        blocks.append(block)
    return blocks


def _orthogonal(rng, n_out, n_in):
    """A random ``(n_out, n_in)`` matrix with orthonormal rows or columns, whichever are fewer."""
    q, r = np.linalg.qr(rng.normal(size=(max(n_out, n_in), min(n_out, n_in))))
    q *= np.sign(np.diag(r))  # fixes the signs, so that q is uniformly distributed
    return q if n_out >= n_in else q.T


class _Scratch:
    """Work arrays for one layer of a batch: ``tmp`` (float), ``mask`` (bool) and ``zeros``."""

    def __init__(self, tmp, mask, zeros):
        self.tmp, self.mask, self.zeros = tmp, mask, zeros


class _Batch:
    r"""Preallocated arrays for a batch of ``m`` samples (one column per sample).

    ``A[l]`` holds :math:`a_l` and a last row of ones (the bias input);
    ``a[l]`` is the view without that row. ``z`` holds the output logits and
    ``D[l]`` :math:`\delta_l`. ``s`` is :math:`1 - 2y`, the sign of the label,
    which gives both :math:`\hat y - y = (\tanh(z/2) + s)/2` and the loss
    (two classes). With ``K`` output units (``K`` classes) ``z`` is ``(K, m)``
    and ``onehot`` holds the labels one-hot; for regression ``t`` holds the
    targets. ``y`` keeps the labels or targets as given, for the metrics.
    """

    def __init__(self, sizes, m, dtype, task="binary"):
        self.m = m
        self.task = task
        n_out = sizes[-1]
        self.A = [np.ones((n + 1, m), dtype) for n in sizes[:-1]]
        self.a = [A[:-1] for A in self.A]
        self.A_T = [A.T for A in self.A]
        self.D = [None] + [np.empty((n, m), dtype) for n in sizes[1:]]
        self.z = np.empty(m, dtype) if n_out == 1 else np.empty((n_out, m), dtype)
        self.onehot = np.empty((n_out, m) if task == "multiclass" else 0, dtype)
        self.t = np.empty(m if task == "regression" else 0, dtype)
        self.column = np.empty(m if task == "multiclass" else 0, dtype)  # one value per point, for softmax
        self.y = None
        widest = max(sizes)
        tmp, mask, zeros = np.empty((widest, m), dtype), np.empty((widest, m), bool), np.zeros((widest, m), dtype)
        self.k = [_Scratch(tmp[:n], mask[:n], zeros[:n]) for n in sizes]
        self.ones, self.half = np.ones(m, dtype), np.full(m, 0.5, dtype)
        self.s = np.empty(m, dtype)
        self.sum_s = 0.0

    def load(self, X, y):
        """Copy points ``X`` (m, d) and labels or targets ``y`` (m,) into the batch."""
        self.a[0][...] = X.T
        self.y = y
        if self.task == "regression":
            self.t[...] = y
            return
        if self.task == "multiclass":
            np.equal(np.arange(len(self.onehot))[:, None], y, out=self.onehot, casting="unsafe")
            return
        np.multiply(y, -2, self.s)
        np.add(self.s, 1, self.s)
        self.sum_s = float(self.s.sum(dtype=np.float64))


class Network:
    """Parameters of all layers in one flat vector, and the two passes through them.

    Layer ``l`` (counted from 1) owns the block ``W[l]`` of shape ``(n_out, n_in + 1)``:
    weights in the first ``n_in`` columns, bias in the last. The gradient
    vector ``grad`` has the same layout (blocks ``dW[l]``), so an optimizer
    updates everything with a few whole-vector operations. With one output
    unit (two classes, regression) the output layer's matrix products are dot
    and outer products; with K units (``task="multiclass"``) they are matrix
    products like the hidden layers'.
    """

    def __init__(self, sizes, activation, dtype, course_sigmoid_bug=False, l2=0.0, task="binary"):
        self.sizes = tuple(sizes)
        self.task = task
        self.dtype = np.dtype(dtype)
        self.activation = activation
        self.course_sigmoid_bug = bool(course_sigmoid_bug)
        self.l2 = float(l2)
        shapes = [(n_out, n_in + 1) for n_in, n_out in pairwise(self.sizes)]
        n_params = sum(r * c for r, c in shapes)
        self.theta = np.zeros(n_params, self.dtype)
        self.grad = np.zeros(n_params, self.dtype)
        self.is_weight = np.zeros(n_params, self.dtype)  # 1 at weights, 0 at biases (which L2 leaves alone)
        self.l2_mask = np.zeros(n_params, self.dtype)
        self.l2_tmp = np.empty(n_params, self.dtype)
        self.W, self.dW, self.W_in_T = [None], [None], [None]
        start = 0
        for r, c in shapes:
            stop = start + r * c
            self.W.append(self.theta[start:stop].reshape(r, c))
            self.dW.append(self.grad[start:stop].reshape(r, c))
            # W_l without its bias column, transposed: carries delta_l back to a_{l-1}.
            self.W_in_T.append(self.W[-1][:, :-1].T)
            self.is_weight[start:stop].reshape(r, c)[:, :-1] = 1
            start = stop
        self.set_l2(self.l2)
        self.L = len(shapes)
        self.forward_hidden = _FORWARD[activation]
        backward = _BACKWARD[activation]
        if self.course_sigmoid_bug and activation == "sigmoid":
            backward = _sigmoid_backward_course
        self.backward_hidden = backward
        # With the course's sigmoid derivative the output delta is 2 (y_hat - y).
        self.output_scale = (2.0 if self.course_sigmoid_bug else 1.0) * 0.5
        self._batches = {}

    def __getstate__(self):
        # The weight blocks are views into theta; rebuild them rather than pickle copies.
        return {
            "sizes": self.sizes,
            "activation": self.activation,
            "dtype": self.dtype.name,
            "course_sigmoid_bug": self.course_sigmoid_bug,
            "l2": self.l2,
            "theta": self.theta,
            "task": self.task,
        }

    def __setstate__(self, state):
        self.__init__(state["sizes"], state["activation"], state["dtype"], state["course_sigmoid_bug"], state["l2"],
                      state.get("task", "binary"))
        self.theta[:] = state["theta"]

    def set_l2(self, l2):
        """Use the L2 strength ``l2`` from the next backward pass on."""
        self.l2 = float(l2)
        np.multiply(self.is_weight, self.l2, self.l2_mask)

    def batch(self, m, role):
        """Buffers for ``m`` samples, kept for reuse per ``role`` ("train", "test", "minibatch").

        A role keeps at most two sizes (a mini-batch and the shorter last one
        of an epoch); a third size replaces the smaller.
        """
        sets = self._batches.setdefault(role, {})
        if m not in sets:
            if len(sets) >= 2:
                del sets[min(sets)]
            sets[m] = _Batch(self.sizes, m, self.dtype, self.task)
        return sets[m]

    def release_batches(self):
        """Drop every batch's buffers (they are built again when next needed); returns the bytes they held."""
        held = sum(array.nbytes for sets in self._batches.values() for batch in sets.values()
                   for array in (*batch.A, *batch.D[1:], batch.z, batch.k[0].tmp.base, batch.k[0].mask.base,
                                 batch.k[0].zeros.base, batch.ones, batch.half, batch.s, batch.onehot, batch.t,
                                 batch.column))
        self._batches = {}
        return held

    def forward(self, batch):
        """Fill the batch's activations from its inputs ``a[0]``; returns the logits, shape (m,)."""
        W, A, a, k, f, L = self.W, batch.A, batch.a, batch.k, self.forward_hidden, self.L
        for l in range(1, L):
            np.matmul(W[l], A[l - 1], a[l])  # z_l = [W_l b_l] [a_{l-1}; 1]
            f(a[l], k[l])  # a_l = f(z_l), in place
        if batch.z.ndim == 2:
            np.matmul(W[L], A[L - 1], batch.z)  # K output units: z_L = [W_L b_L] [a_{L-1}; 1]
        else:
            np.dot(W[L][0], A[L - 1], batch.z)  # z_L = [w_L b_L] . [a_{L-1}; 1]
        return batch.z

    def backward(self, batch):
        """Gradient of the mean loss (+ L2) into ``grad``, after :meth:`forward`.

        The output delta is that of :func:`calc_core.mlp.readable_passes.output_delta`, op for op.
        """
        W_in_T, dW, A, A_T, a, D, k, L = self.W_in_T, self.dW, batch.A, batch.A_T, batch.a, batch.D, batch.k, self.L
        many = batch.z.ndim == 2
        if many:
            # K classes: delta_L = (softmax(z) - onehot(y)) / m, the largest logit subtracted first.
            d = D[L]
            np.max(batch.z, axis=0, out=batch.column)
            np.subtract(batch.z, batch.column, d)
            np.exp(d, d)
            np.sum(d, axis=0, out=batch.column)
            np.divide(d, batch.column, d)
            np.subtract(d, batch.onehot, d)
            np.multiply(d, 1.0 / batch.m, d)
            np.matmul(d, A_T[L - 1], dW[L])  # [dW_L db_L] = delta_L [a_{L-1}; 1]^T
        else:
            d = D[L][0]
            if batch.task == "regression":
                # A linear output and J = mean (z - t)^2 / 2: delta_L = (z - t) / m.
                np.subtract(batch.z, batch.t, d)
                np.multiply(d, 1.0 / batch.m, d)
            else:
                # Output: delta_L = (y_hat - y) / m, with y_hat - y = (tanh(z/2) + s) / 2.
                np.multiply(batch.z, batch.half, d)
                np.tanh(d, d)
                np.add(d, batch.s, d)
                np.multiply(d, self.output_scale / batch.m, d)
            np.dot(A[L - 1], d, dW[L][0])  # [dW_L db_L] = delta_L [a_{L-1}; 1]^T
        for l in range(L, 1, -1):
            # Layer Jacobian: dJ/da_{l-1} = W_l^T delta_l (an outer product for one output unit) ...
            if l == L and not many:
                np.multiply(W_in_T[l], D[l], D[l - 1])
            else:
                np.matmul(W_in_T[l], D[l], D[l - 1])
            # ... times the local derivative: delta_{l-1} = (W_l^T delta_l) * f'(z_{l-1}).
            self.backward_hidden(a[l - 1], D[l - 1], k[l - 1])
            np.matmul(D[l - 1], A_T[l - 2], dW[l - 1])  # [dW_l db_l] = delta_l [a_{l-1}; 1]^T
        if self.l2:
            np.multiply(self.theta, self.l2_mask, self.l2_tmp)
            np.add(self.grad, self.l2_tmp, self.grad)

    def logits(self, X):
        """Logits for points ``X`` (n, d), in chunks so that a large grid needs little memory.

        Shape (n,) for one output unit, (n, K) for K.
        """
        n_out = self.sizes[-1]
        out = np.empty(len(X) if n_out == 1 else (len(X), n_out), np.float64)
        chunk = 4096
        for start in range(0, len(X), chunk):
            part = X[start : start + chunk]
            batch = _Batch(self.sizes, len(part), self.dtype)
            batch.a[0][...] = part.T
            out[start : start + chunk] = self.forward(batch).T
        return out


def _loss_and_correct(Z, batch):
    r"""Summed cross-entropy and number of correct predictions for each row of logits ``Z`` (k, m).

    With :math:`s = 1 - 2y`, the cross-entropy of one sample is
    :math:`\log(1 + e^{s z}) = \max(s z, 0) + \log(1 + e^{-|z|})`: no term
    overflows and, both being non-negative, nothing cancels. Class 1 is
    predicted where :math:`z > 0`, so the number of correct predictions is
    :math:`(m + \sum s)/2 - [z > 0] \cdot s`.
    """
    s = batch.s
    T = np.multiply(Z, s)
    np.maximum(T, 0, out=T)
    loss_sum = T.sum(axis=1)
    np.abs(Z, out=T)
    np.negative(T, out=T)
    np.exp(T, out=T)
    np.log1p(T, out=T)
    loss_sum += T.sum(axis=1)
    np.greater(Z, 0, out=T)
    correct = 0.5 * (batch.m + batch.sum_s) - T @ s
    return loss_sum, correct


def _mean_loss_and_accuracy(Z, batch):
    """Lists of mean loss and score (Python floats) for each epoch's logits ``Z`` (first axis: epochs).

    Two classes: cross-entropy and accuracy; K classes: cross-entropy of the softmax and
    accuracy; regression: half the mean squared error and R² (in float64).
    """
    if batch.task == "regression":
        return _regression_loss_and_r2(Z, batch.y)
    if batch.task == "multiclass":
        return _multiclass_loss_and_accuracy(Z, batch.y)
    loss_sum, correct = _loss_and_correct(Z, batch)
    # The count is a whole number, exact in any precision; divide it in float64.
    return (loss_sum.astype(np.float64) / batch.m).tolist(), (correct.astype(np.float64) / batch.m).tolist()


class EpochLog:
    """Logits of the latest epochs (training and test data), turned into history records in blocks."""

    def __init__(self, net, train, test, size):
        self.net, self.train, self.test = net, train, test
        self.Z = np.empty((size, *train.z.shape), net.dtype)
        self.Z_test = None if test is None else np.empty((size, *test.z.shape), net.dtype)
        self.epochs = []

    def keep(self, epoch):
        """Store the logits of ``epoch`` (after a forward pass on the training data); True when full."""
        i = len(self.epochs)
        self.Z[i] = self.train.z
        if self.test is not None:
            self.Z_test[i] = self.net.forward(self.test)
        self.epochs.append(epoch)
        return len(self.epochs) == len(self.Z)

    def flush(self):
        """Records ``(epoch, train loss, train score, test loss, test score)`` of the stored epochs.

        The score is the accuracy for classes and R² for regression.
        """
        k = len(self.epochs)
        if not k:
            return []
        loss, accuracy = _mean_loss_and_accuracy(self.Z[:k], self.train)
        test_loss = test_accuracy = [math.nan] * k
        if self.test is not None:
            test_loss, test_accuracy = _mean_loss_and_accuracy(self.Z_test[:k], self.test)
        records = list(zip(self.epochs, loss, accuracy, test_loss, test_accuracy))
        self.epochs = []
        return records


def _regression_loss_and_r2(Z, y):
    r"""Half the mean squared error and :math:`R^2 = 1 - \sum (z - y)^2 / \sum (y - \bar y)^2` per row of ``Z``."""
    y = np.asarray(y, np.float64)
    residual = Z.astype(np.float64) - y
    sse = np.einsum("ij,ij->i", residual, residual)
    sst = float(np.sum(np.square(y - y.mean())))
    r2 = 1.0 - sse / sst if sst > 0 else np.where(sse == 0, 1.0, 0.0)
    return (0.5 * sse / len(y)).tolist(), np.asarray(r2, np.float64).tolist()


def _multiclass_loss_and_accuracy(Z, y):
    r"""Mean cross-entropy :math:`\log \sum_k e^{z_k} - z_y` and accuracy for each epoch's logits ``Z`` (k, K, m)."""
    Z = Z.astype(np.float64)
    y = np.asarray(y, np.int64)
    top = Z.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(Z - top).sum(axis=1)) + top[:, 0]
    own = np.take_along_axis(Z, np.broadcast_to(y, (len(Z), 1, len(y))), axis=1)[:, 0]
    loss = (log_sum - own).mean(axis=1)
    accuracy = (Z.argmax(axis=1) == y).mean(axis=1)
    return loss.tolist(), accuracy.tolist()
