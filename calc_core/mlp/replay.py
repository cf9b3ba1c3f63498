"""A run trained again from its record: the settings it started with, its live changes and its epochs.

Training is deterministic and its result does not depend on how the epochs are split into calls, so the
replayed network has the recorded run's weights and history bit for bit. Pure and picklable, for the
killable worker.
"""

from __future__ import annotations

from calc_core.mlp.early_stopping import snapshot
from calc_core.mlp.estimator import MLP

__all__ = ["replay"]


def replay(network: dict, initial: dict, changes, epochs: int, best_epoch: int | None, X, y, X_test, y_test):
    """Train ``MLP(**network, **initial)`` for ``epochs`` epochs, applying each ``(epoch, name, value)`` of
    ``changes`` (in order) after that many epochs.

    Returns ``(model, best, failure)``: the network, a copy of it at ``best_epoch`` (None without one) and the
    message of a ``ValueError`` that stopped training (None when it did not), with the history up to there.
    """
    model = MLP(**network, **initial, epochs=0).train_epochs(X, y, 0, X_test=X_test, y_test=y_test)
    stops = sorted({epoch for epoch, _, _ in changes} | ({best_epoch} if best_epoch is not None else set())
                   | {epochs})
    best, failure = None, None
    try:
        for stop in stops:
            model.train_epochs(X, y, stop - model.n_epochs_, X_test=X_test, y_test=y_test)
            if stop == best_epoch:
                best = snapshot(model)
            for epoch, name, value in changes:
                if epoch == stop:
                    model.tweak(**{name: value})
    except ValueError as exc:
        failure = str(exc)
    model.release_buffers()
    return model, best, failure
