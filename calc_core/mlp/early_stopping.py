"""Early stopping on the test loss: train until it has not improved for ``patience`` epochs, then go back to the
network of the best epoch.

:class:`EarlyStopping` watches one run across calls (a page trains in short ticks): the best test loss so far,
the epoch it came from and a copy of the network as it was then. Going back is exact: the copy holds the
weights, the optimizer's state and the mini-batch generator of that epoch, so training on from it repeats the
same epochs, as a run trained to that epoch in one call would.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

from calc_core.mlp.errors import MLPError

__all__ = ["MAX_PATIENCE", "EarlyStopping", "train_watching"]

MAX_PATIENCE = 1000


@dataclass
class EarlyStopping:
    """What early stopping knows of a run.

    Attributes
    ----------
    patience : int
        Epochs without a lower test loss before training stops (1 to ``MAX_PATIENCE``).
    best_epoch : int or None
        The epoch of the lowest test loss seen (None before the first look).
    best_loss : float
        That test loss.
    best_model : object or None
        A copy of the network at ``best_epoch`` (without its work arrays).
    stopped_at : int or None
        The epoch at which training stopped, once it has; the run then went back to ``best_epoch``.
    stopped_loss : float
        The test loss at ``stopped_at``.
    """

    patience: int
    best_epoch: int | None = None
    best_loss: float = math.inf
    best_model: object | None = None
    stopped_at: int | None = None
    stopped_loss: float = math.nan

    def __post_init__(self):
        if isinstance(self.patience, bool) or not isinstance(self.patience, int) or \
                not 1 <= self.patience <= MAX_PATIENCE:
            raise MLPError(f"The patience must be a whole number of epochs from 1 to {MAX_PATIENCE}.")

    def look(self, model) -> None:
        """Start watching ``model`` at its latest epoch, unless already watching."""
        if self.best_epoch is None:
            record = model.history_.record(-1)
            loss = record.test_loss
            self.best_epoch, self.best_loss = record.epoch, loss if math.isfinite(loss) else math.inf
            self.best_model = snapshot(model)


def snapshot(model):
    """A copy of ``model`` as it is now, without its work arrays (built again when it next trains)."""
    net = model._net
    twin = copy.deepcopy(model, {id(net._batches): {}})
    twin._publish_history()
    return twin


def train_watching(model, X, y, n_epochs: int, X_test, y_test, watch: EarlyStopping):
    """Train ``model`` up to ``n_epochs`` more epochs; stop when the test loss has not improved for
    ``watch.patience`` epochs.

    Returns the model the run continues with: ``model`` itself, or, once stopped, the copy of the best epoch
    (``watch.stopped_at`` then says where training stopped). Needs test data.
    """
    if X_test is None or len(X_test) == 0:
        raise MLPError("Early stopping watches the test loss: keep some test data (training share below 1).")
    watch.look(model)
    stopped = False

    def on_epoch(record) -> bool:
        nonlocal stopped
        if record.test_loss < watch.best_loss:
            watch.best_epoch, watch.best_loss = record.epoch, record.test_loss
            watch.best_model = None  # taken below, once the record is in the history
            return False
        if record.epoch - watch.best_epoch >= watch.patience:
            watch.stopped_at, watch.stopped_loss = record.epoch, record.test_loss
            stopped = True
            return True
        return False

    for _ in range(n_epochs):
        model.train_epochs(X, y, 1, callback=on_epoch, X_test=X_test, y_test=y_test)
        if watch.best_model is None:
            watch.best_model = snapshot(model)
        if stopped:
            return snapshot(watch.best_model)
    return model
