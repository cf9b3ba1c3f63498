"""What goes wrong with a network: unusable settings or data, and training that diverges."""

from __future__ import annotations

__all__ = ["MLPError", "TrainingDiverged"]


class MLPError(ValueError):
    """Hyperparameters or data the network cannot work with."""


class TrainingDiverged(MLPError):
    """The training loss became NaN or infinite.

    Training stops at the first such epoch; the model keeps its history up to
    the last finite epoch and sets ``diverged_ = True``.

    Attributes
    ----------
    epoch : int
        The epoch (counted from the start of training) whose loss was not finite.
    loss : float
        That loss (``nan`` or ``inf``).
    learning_rate : float
        The learning rate in use.
    suggested_learning_rate : float
        A learning rate ten times smaller, a sensible next try.
    """

    def __init__(self, epoch, loss, learning_rate):
        self.epoch = epoch
        self.loss = loss
        self.learning_rate = learning_rate
        self.suggested_learning_rate = learning_rate / 10
        if epoch == 0:
            # The untrained network already fails: no step was taken, so the data is to blame.
            advice = ("No training step was taken yet, so the step size is not the cause: the inputs are too "
                      "large to compute with. Rescale the data (e.g. to roughly −1…1).")
        else:
            advice = ("The steps are too large for this network; try a learning rate of "
                      f"{self.suggested_learning_rate:g} or smaller.")
        what = "The untrained network's loss is" if epoch == 0 else f"Training diverged at epoch {epoch}: the loss became"
        super().__init__(f"{what} {loss}. {advice}")
