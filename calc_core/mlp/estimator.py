"""The network as an estimator: settings, training, prediction and the readable calculus passes.

:class:`MLP` keeps its weights in the float32 buffers of
:mod:`calc_core.mlp.buffered_passes` and updates them with :mod:`calc_core.mlp.update_rules`;
its calculus methods run the float64 passes of :mod:`calc_core.mlp.readable_passes` through
:mod:`calc_core.mlp.calculus`. The formulas are in :mod:`calc_core.mlp`.
"""

from __future__ import annotations

import math

import numpy as np

from calc_core.limits import MAX_TRAINING_EPOCHS
from calc_core.mlp import readable_passes
from calc_core.mlp.buffered_passes import EpochLog, Network, initial_weights
from calc_core.mlp.calculus import (
    GRADIENT_CHECK_STEP,
    GRADIENT_CHECK_TOLERANCE,
    backward_steps,
    check_layer_gradients,
    data_loss,
    l2_penalty,
)
from calc_core.mlp.errors import MLPError, TrainingDiverged
from calc_core.mlp.features import check_features, feature_map
from calc_core.mlp.layers import check_hidden_sizes
from calc_core.mlp.records import (
    BackwardTrace,
    EpochRecord,
    LayerGradients,
    SettingChange,
    TrainingHistory,
)
from calc_core.mlp.update_rules import UPDATE_RULES
from calc_core.mlp.validation import TASKS, check_data, check_points, is_number, is_whole

__all__ = ["ACTIVATIONS", "DEFAULT_LEARNING_RATE", "LIVE_SETTINGS", "MLP", "OPTIMIZERS", "TASKS", "r2_score"]

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "leaky_relu")
OPTIMIZERS = ("sgd", "momentum", "adam")
DEFAULT_LEARNING_RATE = 0.05
#: Settings that change a model in training at its next step, keeping its weights.
LIVE_SETTINGS = ("learning_rate", "l2", "batch_size", "optimizer")
_LOG_BLOCK = 64  # epochs whose loss and accuracy are computed together


def r2_score(y, prediction):
    r"""The coefficient of determination :math:`R^2 = 1 - \sum_i (y_i - \hat y_i)^2 / \sum_i (y_i - \bar y)^2`.

    1 is a perfect fit, 0 no better than predicting the mean; a constant ``y``
    gives 1 for a perfect fit and 0 otherwise (scikit-learn's convention).

    Examples
    --------
    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    0.5
    """
    y, prediction = np.asarray(y, np.float64), np.asarray(prediction, np.float64)
    sse = float(np.sum(np.square(y - prediction)))
    sst = float(np.sum(np.square(y - y.mean())))
    if sst == 0:
        return 1.0 if sse == 0 else 0.0
    return 1.0 - sse / sst


class MLP:
    r"""Multilayer perceptron for two classes, K classes or regression, trained by backpropagation.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default (4, 3)
        Units per hidden layer (at most ``MAX_LAYERS`` layers of at most
        ``MAX_UNITS`` units; ``()`` is logistic, softmax or linear regression).
    activation : {"relu", "tanh", "sigmoid", "linear", "leaky_relu"}, default "relu"
        Activation of the hidden units; the output is set by ``task``.
    learning_rate : float, default ``DEFAULT_LEARNING_RATE``
        Step size :math:`\eta` of the optimizer.
    epochs : int, default 150
        Passes over the training data made by :meth:`fit`, at most
        ``MAX_TRAINING_EPOCHS`` (:mod:`calc_core.limits`), the length of a
        run on the page.
    batch_size : int or None, default None
        Samples per gradient step; ``None`` (or at least the number of
        samples) is full-batch training. Mini-batches are drawn from a fresh
        shuffle each epoch.
    optimizer : {"sgd", "momentum", "adam"}, default "adam"
        Update rule (momentum :math:`\mu` = ``MOMENTUM``; Adam with
        ``ADAM_BETA1``, ``ADAM_BETA2``, ``ADAM_EPSILON``).
    l2 : float, default 0.0
        :math:`\lambda` of the penalty :math:`\frac{\lambda}{2}\sum_l\lVert W_l\rVert^2`
        (weights only, not biases).
    random_state : int or None, default 0
        Seed of ``np.random.default_rng`` for the initial weights and the
        mini-batch shuffles. Same seed, data and settings give identical weights.
    course_sigmoid_bug : bool, default False
        Use the course's sigmoid derivative :math:`2\sigma(1-\sigma)` in the
        backward pass (at the sigmoid output of two classes and in sigmoid
        hidden layers; a softmax or linear output keeps its right δ). The
        gradients are then wrong: :meth:`gradient_check` fails. With Adam the
        constant factor 2 is absorbed by the per-parameter step normalisation,
        so training hardly changes; with SGD and momentum it doubles the
        effective step of the affected layers.
    dtype : {"float32", "float64"}, default "float32"
        Precision of training. :meth:`gradients`, :meth:`gradient_check` and
        :meth:`backward_trace` always work in float64 (or finer).
    features : tuple of str or None, default None
        Input features computed from points of the plane (see
        :mod:`calc_core.mlp.features`), e.g. ``("x1", "x2", "x1^2")``; ``None``
        feeds the columns of ``X`` to the network as they are.
    task : {"binary", "multiclass", "regression"}, default "binary"
        The problem, which sets the output layer and the loss. ``"binary"``:
        labels 0 and 1, one sigmoid output unit, cross-entropy (the course's
        network). ``"multiclass"``: labels 0 to K − 1 (K is the largest label
        seen at initialisation plus one), K softmax output units,
        cross-entropy with one-hot targets; the output delta is
        :math:`(\operatorname{softmax}(z) - \text{onehot}(y))/m`.
        ``"regression"``: numeric targets, one linear output unit, the loss
        :math:`\frac{1}{2m}\sum_i (\hat y_i - y_i)^2` (scikit-learn's
        ``MLPRegressor``'s); the output delta is :math:`(\hat y - y)/m`.
        In ``history_`` the accuracy columns then hold :math:`R^2`.

    Attributes
    ----------
    coefs_ : list of ndarray
        ``coefs_[l]`` of shape ``(n_in, n_out)``, float64 copies.
    intercepts_ : list of ndarray
        ``intercepts_[l]`` of shape ``(n_out,)``, float64 copies.
    history_ : TrainingHistory
        Loss and accuracy per epoch, from epoch 0 (the untrained network).
    n_epochs_ : int
        Epochs trained since the last :meth:`fit` (or first :meth:`train_epochs`).
    n_features_in_ : int
        Columns of ``X`` seen at initialisation.
    n_inputs_ : int
        Width of the network's input layer (the number of features).
    changes_ : list of SettingChange
        Live changes made with :meth:`tweak` during the run, in order.
    diverged_ : bool
        True once the loss became NaN or infinite (see :class:`TrainingDiverged`);
        further training raises the same error until :meth:`fit` starts afresh.

    Notes
    -----
    The initial weights come from :func:`initial_weights`: orthogonal hidden
    weights scaled by the activation's gain, small positive ReLU biases and a
    zero output layer. With them and ``DEFAULT_LEARNING_RATE`` (0.05), the
    course's configuration (1 000 circles, hidden (4, 3) ReLU, full batch,
    Adam, 150 epochs) ends above 97 % training accuracy for every weight seed
    we tried (seeds 0-299 on data seeds 0-4). The forward and backward
    formulas are in :mod:`calc_core.mlp`.

    Training stops when the loss becomes NaN or infinite: :meth:`fit` and
    :meth:`train_epochs` raise :class:`TrainingDiverged` (a ``ValueError``)
    whose message suggests a smaller learning rate, after setting
    ``diverged_`` and keeping ``history_`` up to the last finite epoch.

    Examples
    --------
    >>> from calc_core.data.datasets import make_dataset
    >>> X, y = make_dataset("circles", n_samples=200)
    >>> model = MLP(hidden_layer_sizes=(8,), epochs=50).fit(X, y)
    >>> model.n_epochs_, len(model.history_.epoch)
    (50, 51)
    >>> model.gradient_check(X[:20], y[:20]) < GRADIENT_CHECK_TOLERANCE
    True
    """

    def __init__(
        self,
        hidden_layer_sizes=(4, 3),
        activation="relu",
        learning_rate=DEFAULT_LEARNING_RATE,
        epochs=150,
        batch_size=None,
        optimizer="adam",
        l2=0.0,
        random_state=0,
        course_sigmoid_bug=False,
        dtype="float32",
        features=None,
        task="binary",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.l2 = l2
        self.random_state = random_state
        self.course_sigmoid_bug = course_sigmoid_bug
        self.dtype = dtype
        self.features = features
        self.task = task

    def get_params(self):
        """The constructor arguments as a dict (scikit-learn convention)."""
        return {
            "hidden_layer_sizes": tuple(self.hidden_layer_sizes),
            "activation": self.activation,
            "learning_rate": self.learning_rate,
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "optimizer": self.optimizer,
            "l2": self.l2,
            "random_state": self.random_state,
            "course_sigmoid_bug": self.course_sigmoid_bug,
            "dtype": self.dtype,
            "features": None if self.features is None else tuple(self.features),
            "task": self.task,
        }

    def tweak(self, **changes):
        """Change training settings of a model in training, keeping its weights.

        Parameters
        ----------
        **changes
            Any of :data:`LIVE_SETTINGS`: ``learning_rate``, ``l2``,
            ``batch_size``, ``optimizer``. They apply from the next step.

        Returns
        -------
        self

        Notes
        -----
        A new learning rate, L2 strength or batch size simply applies to the
        next step. A different optimizer starts with fresh state: momentum's
        velocity and Adam's moments start at zero, and Adam's bias correction
        counts its steps from one again, since the state of one rule means
        nothing to another. Switching back and forth before a step keeps the
        state of the rule in use. Each change is recorded in ``changes_`` at
        the number of epochs trained so far, so a run with changes can be
        repeated (:func:`calc_core.mlp.export.numpy_script` does).

        Examples
        --------
        >>> from calc_core.data.datasets import make_dataset
        >>> X, y = make_dataset("moons", n_samples=40)
        >>> model = MLP(epochs=5).fit(X, y).tweak(learning_rate=0.01)
        >>> model.changes_
        [SettingChange(epoch=5, name='learning_rate', old=0.05, new=0.01)]
        """
        unknown = sorted(set(changes) - set(LIVE_SETTINGS))
        if unknown:
            raise MLPError(f"{unknown[0]} cannot change during a run; only {', '.join(LIVE_SETTINGS)} can.")
        old = {name: getattr(self, name) for name in changes}
        for name, value in changes.items():
            setattr(self, name, value)
        try:
            self._validate_params()
        except MLPError:
            for name, value in old.items():
                setattr(self, name, value)
            raise
        if self._is_fitted():
            self.changes_.extend(SettingChange(self.n_epochs_, name, old[name], value)
                                 for name, value in changes.items() if value != old[name])
        return self

    # ------------------------------------------------------------------ training

    def fit(self, X, y, callback=None, X_test=None, y_test=None, every_epoch=True):
        """Initialise the weights afresh and train for ``epochs`` epochs.

        Parameters
        ----------
        X : array_like, shape (n, d)
        y : array_like, shape (n,), values 0 and 1
        callback : callable, optional
            Called as ``callback(record)`` with an :class:`EpochRecord` for
            epoch 0 (the untrained network) and after every epoch; returning
            True stops training early. Without a callback the per-epoch loss
            and accuracy are computed in blocks of epochs, which is faster.
        X_test, y_test : array_like, optional
            Held-out data whose loss and accuracy enter ``history_``.
        every_epoch : bool, default True
            Record every epoch in ``history_``; False records only epoch 0 and
            the last one (and a diverging epoch), which saves the per-epoch
            evaluation when only the result counts. Ignored with a callback.

        Returns
        -------
        self
        """
        self._validate_params()
        X, y = check_data(X, y, task=self.task)
        self._initialize(X.shape[1], y)
        return self.train_epochs(X, y, self.epochs, callback=callback, X_test=X_test, y_test=y_test,
                                 every_epoch=every_epoch)

    def partial_fit(self, X, y, callback=None, X_test=None, y_test=None):
        """Train one more epoch (initialising the weights on the first call). Returns self."""
        return self.train_epochs(X, y, 1, callback=callback, X_test=X_test, y_test=y_test)

    def train_epochs(self, X, y, n_epochs, callback=None, X_test=None, y_test=None, every_epoch=True):
        """Train ``n_epochs`` more epochs, continuing from the current state.

        The first call on a new model initialises it, as :meth:`fit` would.
        Training in several calls gives exactly the weights of one call with
        the total number of epochs (the optimizer state and the shuffling
        generator carry over). ``n_epochs=0`` only initialises and records
        epoch 0. Other arguments as in :meth:`fit`.

        Returns
        -------
        self

        Raises
        ------
        TrainingDiverged
            The loss became NaN or infinite.
        MLPError
            Bad data or hyperparameters.
        """
        fitted = self._is_fitted()
        if not fitted:
            self._validate_params()
        if isinstance(n_epochs, bool) or not isinstance(n_epochs, (int, np.integer)) or n_epochs < 0:
            raise MLPError(f"The number of epochs must be a whole number ≥ 0, got {n_epochs!r}.")
        X, y = check_data(X, y, task=self.task)
        if X_test is not None or y_test is not None:
            X_test, y_test = check_data(X_test, y_test, "test ", self.task)
        if not fitted:
            self._initialize(X.shape[1], y)
        self._check_classes(y, *(() if y_test is None else (y_test,)))
        for data in (X, X_test):
            if data is not None and data.shape[1] != self.n_features_in_:
                raise MLPError(
                    f"The network was built for {self.n_features_in_} input features, but the data has {data.shape[1]}."
                )
        X = self._inputs(X)
        if X_test is not None:
            X_test = self._inputs(X_test)
        if self.diverged_:
            raise TrainingDiverged(self.n_epochs_, math.nan, self.learning_rate)
        with np.errstate(all="ignore"):
            try:
                self._train(X, y, int(n_epochs), callback, X_test, y_test, every_epoch or callback is not None)
            finally:
                self._publish_history()
        return self

    def _apply_live_settings(self):
        """Bring the engine in line with the live settings (see :meth:`tweak`)."""
        net = self._net
        if float(self.l2) != net.l2:
            net.set_l2(self.l2)
        if self._opt_name != self.optimizer:
            self._opt = UPDATE_RULES[self.optimizer](len(net.theta), net.dtype, float(self.learning_rate))
            self._opt_name = self.optimizer
        self._opt.lr = float(self.learning_rate)

    def _train(self, X, y, n_epochs, callback, X_test, y_test, every_epoch):
        self._apply_live_settings()
        net, opt = self._net, self._opt
        n = len(X)
        train = net.batch(n, "train")
        train.load(X, y)
        test = None
        if X_test is not None and len(X_test):
            test = net.batch(len(X_test), "test")
            test.load(X_test, y_test)
        full_batch = self.batch_size is None or self.batch_size >= n
        # Without a callback nobody needs an epoch's loss at once: compute it for many epochs together.
        log = EpochLog(net, train, test, 1 if callback is not None else _LOG_BLOCK)

        net.forward(train)
        if not self._records:
            log.keep(self.n_epochs_)
            self._append(log.flush(), callback)
        for i in range(n_epochs):
            if full_batch:
                # The forward pass that ends one epoch (for its record) starts the next.
                net.backward(train)
                opt.step(net.theta, net.grad)
            else:
                self._minibatch_epoch(X, y)
            net.forward(train)
            self.n_epochs_ += 1
            # A NaN or infinite logit makes the sum non-finite: look at this epoch's loss now.
            finite = math.isfinite(np.dot(train.z, train.ones).sum())
            if not (every_epoch or i == n_epochs - 1 or not finite):
                continue
            full = log.keep(self.n_epochs_)
            if (full or not finite) and self._append(log.flush(), callback):
                break
        self._append(log.flush(), callback)

    def _minibatch_epoch(self, X, y):
        net, opt, bs = self._net, self._opt, self.batch_size
        order = self._rng.permutation(len(X))
        for start in range(0, len(X), bs):
            idx = order[start : start + bs]
            batch = net.batch(len(idx), "minibatch")
            batch.load(X[idx], y[idx])
            net.forward(batch)
            net.backward(batch)
            opt.step(net.theta, net.grad)

    def _append(self, records, callback):
        """Add epoch records to the history; True if the callback asks to stop."""
        for record in records:
            if not math.isfinite(record[1]):
                self.diverged_ = True
                raise TrainingDiverged(record[0], record[1], self.learning_rate)
            self._records.append(record)
            if callback is not None and callback(EpochRecord(*record)):
                return True
        return False

    def _publish_history(self):
        columns = list(zip(*self._records)) or [(), (), (), (), ()]
        self.history_ = TrainingHistory(
            np.array(columns[0], dtype=np.int64), *(np.array(c, dtype=np.float64) for c in columns[1:])
        )

    def _check_classes(self, *labels):
        """Refuse class numbers beyond the network's output units (K classes)."""
        if self.task != "multiclass":
            return
        for y in labels:
            if len(y) and int(np.max(y)) >= self.n_outputs_:
                raise MLPError(f"The network was built for {self.n_outputs_} classes (0 to {self.n_outputs_ - 1}), "
                               f"but a label is {int(np.max(y))}.")

    def _initialize(self, n_features, y=None):
        """Fresh weights for data with ``n_features`` columns (and labels ``y``); forgets any earlier run."""
        if self.features is not None and n_features != 2:
            raise MLPError(f"Input features are computed from points of the plane (2 columns), got {n_features}.")
        n_inputs = n_features if self.features is None else len(check_features(self.features))
        n_outputs = 1
        if self.task == "multiclass":
            n_outputs = max(2, int(np.max(y)) + 1) if y is not None and len(y) else 2
        sizes = (n_inputs, *check_hidden_sizes(self.hidden_layer_sizes), n_outputs)
        self._rng = np.random.default_rng(self.random_state)
        self._net = Network(sizes, self.activation, self.dtype, self.course_sigmoid_bug, self.l2, self.task)
        for Wl, block in zip(self._net.W[1:], initial_weights(self._rng, sizes, self.activation), strict=True):
            Wl[...] = block
        self._opt = UPDATE_RULES[self.optimizer](len(self._net.theta), self._net.dtype, float(self.learning_rate))
        self._opt_name = self.optimizer
        self._records = []
        self.n_epochs_ = 0
        self.n_features_in_ = n_features
        self.n_inputs_ = n_inputs
        self.n_outputs_ = n_outputs
        self.classes_ = None if self.task == "regression" else np.arange(max(2, n_outputs))
        self.changes_ = []
        self.diverged_ = False
        self._publish_history()

    def release_buffers(self):
        """Free the work arrays training keeps between calls (points x units); the next call builds them again.

        Returns the bytes they held. The weights, the optimizer's state and the history stay.
        """
        return self._net.release_batches() if self._is_fitted() else 0

    def _is_fitted(self):
        # scikit-learn's convention: learned attributes (ending in "_") exist only after fitting.
        return hasattr(self, "n_epochs_")

    def _inputs(self, X):
        """What the input layer sees for checked points ``X``: the chosen features, or ``X`` itself."""
        return X if self.features is None else feature_map(X, check_features(self.features))

    def _validate_params(self):
        check_hidden_sizes(self.hidden_layer_sizes)
        if self.features is not None:
            check_features(self.features)
        if self.activation not in ACTIVATIONS:
            raise MLPError(f"Unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}.")
        if self.optimizer not in OPTIMIZERS:
            raise MLPError(f"Unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}.")
        if not is_number(self.learning_rate) or not self.learning_rate > 0:
            raise MLPError(f"The learning rate must be a positive number, got {self.learning_rate!r}.")
        if not is_number(self.l2) or self.l2 < 0:
            raise MLPError(f"The L2 strength must be a number ≥ 0, got {self.l2!r}.")
        if not is_whole(self.epochs) or not 0 <= self.epochs <= MAX_TRAINING_EPOCHS:
            raise MLPError(f"epochs must be a whole number from 0 to {MAX_TRAINING_EPOCHS}, got {self.epochs!r}.")
        if self.batch_size is not None and (not is_whole(self.batch_size) or self.batch_size < 1):
            raise MLPError(f"The batch size must be a whole number ≥ 1 or None, got {self.batch_size!r}.")
        if self.random_state is not None and (not is_whole(self.random_state) or self.random_state < 0):
            raise MLPError(f"The seed must be a whole number ≥ 0 or None, got {self.random_state!r}.")
        if self.task not in TASKS:
            raise MLPError(f"Unknown task {self.task!r}; choose one of {', '.join(TASKS)}.")
        if str(self.dtype) not in ("float32", "float64"):
            raise MLPError(f"dtype must be 'float32' or 'float64', got {self.dtype!r}.")

    # ------------------------------------------------------------------ learned state

    @property
    def coefs_(self):
        net = self._fitted_net()
        return [Wl[:, :-1].T.astype(np.float64) for Wl in net.W[1:]]

    @property
    def intercepts_(self):
        net = self._fitted_net()
        return [Wl[:, -1].astype(np.float64) for Wl in net.W[1:]]

    def _fitted_net(self):
        if not self._is_fitted():
            raise MLPError("The network has no weights yet: call fit or train_epochs first.")
        if float(self.l2) != self._net.l2:  # a live change of L2 shows in the objective at once
            self._net.set_l2(self.l2)
        return self._net

    # ------------------------------------------------------------------ prediction

    def decision_function(self, X):
        """Output logits :math:`z_L` for points ``X`` (n, d).

        Shape (n,) with one output unit (two classes: class 1 where positive;
        regression: the prediction itself), (n, K) for K classes.
        """
        net = self._fitted_net()
        X = self._inputs(check_points(X, self.n_features_in_))
        with np.errstate(all="ignore"):
            return net.logits(X)

    def predict_proba(self, X):
        """Class probabilities, shape (n, K): column k for class k (K = 2 for two classes)."""
        if self.task == "regression":
            raise MLPError("A regression network predicts numbers, not class probabilities.")
        z = self.decision_function(X)
        if self.task == "multiclass":
            return readable_passes.softmax(z.T).T
        p1 = 0.5 * (1.0 + np.tanh(0.5 * z))
        return np.column_stack([1.0 - p1, p1])

    def predict(self, X):
        """Predicted labels (0 or 1; 0 to K − 1), or the predicted numbers for regression. Shape (n,)."""
        z = self.decision_function(X)
        if self.task == "regression":
            return z
        if self.task == "multiclass":
            return np.argmax(z, axis=1).astype(np.int64)
        return (z > 0).astype(np.int64)

    def score(self, X, y):
        """Accuracy: the share of points whose label is predicted correctly; :math:`R^2` for regression."""
        X, y = check_data(X, y, task=self.task)
        if self.task == "regression":
            return r2_score(y, self.predict(X))
        return float(np.mean(self.predict(X) == y))

    def loss(self, X, y):
        """Mean loss on ``(X, y)`` (cross-entropy; half the squared error for regression), float64, no L2 term."""
        X, y = self._checked(X, y)
        return float(data_loss(self._logits(np.float64, X), y, self.task))

    def objective(self, X, y):
        """The training objective: mean cross-entropy plus the L2 penalty (float64)."""
        return self.loss(X, y) + float(l2_penalty(self._blocks(np.float64), self.l2))

    # ------------------------------------------------------------------ calculus (the readable passes)

    def _blocks(self, dtype):
        """Copies of the blocks ``[W_l b_l]`` in ``dtype``, for :mod:`calc_core.mlp.readable_passes`."""
        return [Wl.astype(dtype) for Wl in self._fitted_net().W[1:]]

    def _checked(self, X, y):
        X, y = check_data(X, y, task=self.task)
        self._check_classes(y)
        if X.shape[1] != self.n_features_in_:
            raise MLPError(f"The network expects {self.n_features_in_} input features, got {X.shape[1]}.")
        return X, y

    def _logits(self, dtype, X):
        with np.errstate(all="ignore"):
            return readable_passes.forward(self._blocks(dtype), self._inputs(X).astype(dtype), self.activation)[1]

    def _backward(self, X, y):
        """Flat float64 gradient of :meth:`objective`, one block after another (the layout of the weights)."""
        X, y = self._checked(X, y)
        params = self._blocks(np.float64)
        with np.errstate(all="ignore"):
            inputs, z = readable_passes.forward(params, self._inputs(X), self.activation)
            grads = readable_passes.backward(params, inputs, z, y.astype(np.float64), self.activation,
                                             float(self.l2), self.course_sigmoid_bug, self.task)
        return grads

    def gradients(self, X, y):
        """Gradient of :meth:`objective` by backpropagation, in float64, layer by layer.

        Returns
        -------
        tuple of LayerGradients
            One per layer, first hidden layer first; ``dW`` is shaped like
            ``coefs_[l]``.
        """
        return tuple(LayerGradients(l, g[:, :-1].T.copy(), g[:, -1].copy())
                     for l, g in enumerate(self._backward(X, y), 1))

    def gradient_check_layers(
        self, X, y, step=GRADIENT_CHECK_STEP, tolerance=GRADIENT_CHECK_TOLERANCE, max_per_layer=None
    ):
        r"""Compare backpropagation with central differences, weight by weight and bias by bias.

        Parameters
        ----------
        X, y : array_like
            Data on which :meth:`objective` is differentiated; a few dozen points
            suffice (the check costs two forward passes per parameter checked).
        step : float
            :math:`h` of the central difference.
        tolerance : float
            Largest relative error that passes.
        max_per_layer : int, optional
            Check at most this many weights and this many biases of each
            layer, a fixed random choice; ``None`` checks every parameter.

        Returns
        -------
        tuple of LayerGradientCheck
            One per layer, first hidden layer first.

        Notes
        -----
        The central difference :math:`\tilde g_k` of :math:`J =` :meth:`objective`
        for each parameter :math:`\theta_k`, and its relative error against
        :math:`g_k`, are defined in :func:`calc_core.mlp.calculus.check_layer_gradients`.
        The backpropagated :math:`g` is the float64 result of :meth:`gradients`;
        the differences are taken in extended precision (``np.longdouble``,
        80-bit on x86-64 Linux), whose rounding error
        :math:`\approx 10^{-19} J / h` leaves the comparison meaningful far
        below 1e-6. They use the correct objective even when
        ``course_sigmoid_bug`` corrupts the backward pass. Both sides run the
        readable passes of :mod:`calc_core.mlp.readable_passes`.

        Examples
        --------
        >>> from calc_core.data.datasets import make_dataset
        >>> X, y = make_dataset("moons", n_samples=10)
        >>> checks = MLP((3,), epochs=5).fit(X, y).gradient_check_layers(X, y)
        >>> [(c.layer, c.n_checked, c.passed) for c in checks]
        [(1, 9, True), (2, 4, True)]
        """
        if not is_number(step) or not step > 0:
            raise MLPError(f"The difference step must be a positive number, got {step!r}.")
        if max_per_layer is not None and (not is_whole(max_per_layer) or max_per_layer < 1):
            raise MLPError(f"max_per_layer must be a whole number ≥ 1 or None, got {max_per_layer!r}.")
        analytic = self._backward(X, y)
        X, y = self._checked(X, y)
        return check_layer_gradients(self._blocks(np.longdouble), self._inputs(X).astype(np.longdouble),
                                     y.astype(np.longdouble), self.activation, self.l2, analytic, step, tolerance,
                                     max_per_layer, self.task)

    def gradient_check(self, X, y, step=GRADIENT_CHECK_STEP):
        """Largest relative error between backpropagation and central differences.

        See :meth:`gradient_check_layers` for the definition. Values below
        ``GRADIENT_CHECK_TOLERANCE`` (1e-6) mean the backward pass is right.
        """
        return max(check.max_relative_error for check in self.gradient_check_layers(X, y, step))

    def backward_trace(self, X, y, sample=0):
        r"""The backward pass for one sample, with the numbers of every Jacobian product.

        Parameters
        ----------
        X, y : array_like
            Data; only row ``sample`` is used.
        sample : int
            Which point to trace.

        Returns
        -------
        BackwardTrace
            Its ``steps`` run from the output layer to the first layer, each
            :math:`\delta_{l-1} = (W_l^\top \delta_l) \odot f'(z_{l-1})` with
            :math:`\delta_L = \hat y - y` (the loss of this sample alone; for K
            classes :math:`\operatorname{softmax}(z) - \text{onehot}(y)`,
            a vector of K entries).
        """
        X, y = check_data(X, y, task=self.task)
        if isinstance(sample, bool) or not isinstance(sample, (int, np.integer)) or not 0 <= sample < len(X):
            raise MLPError(f"Choose a sample index from 0 to {len(X) - 1}, got {sample!r}.")
        X, y = self._checked(X[sample : sample + 1], y[sample : sample + 1])
        params = self._blocks(np.float64)
        with np.errstate(all="ignore"):
            inputs, z = readable_passes.forward(params, self._inputs(X), self.activation)
            loss = float(data_loss(z, y, self.task))
            # For one sample (m = 1) the output delta is dJ/dz_L itself.
            delta = readable_passes.output_delta(z, y, self.task, self.course_sigmoid_bug)
            if self.task == "multiclass":
                outputs = readable_passes.softmax(z)[:, 0]
                probability, label, delta = float(outputs[y[0]]), int(y[0]), delta[:, 0]
            elif self.task == "regression":
                outputs = z.copy()
                probability, label = float(z[0]), float(y[0])
            else:
                probability = float(0.5 * (1 + math.tanh(0.5 * z[0])))
                outputs, label = np.array([1.0 - probability, probability]), int(y[0])
                # The course's derivative doubles the output's delta (see course_sigmoid_bug).
                delta = np.array([(2.0 if self.course_sigmoid_bug else 1.0) * (probability - y[0])])
            steps = backward_steps(params, inputs, delta, self.activation, self.course_sigmoid_bug)
        return BackwardTrace(sample, X[0].copy(), label, probability, loss, steps, outputs)
