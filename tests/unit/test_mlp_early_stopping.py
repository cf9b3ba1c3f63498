"""calc_core.mlp.early_stopping: where it stops, and that the network it goes back to is the best epoch's exactly."""

import numpy as np
import pytest

from calc_core.data.datasets import make_dataset, split_dataset
from calc_core.mlp import MLP, MLPError
from calc_core.mlp.early_stopping import EarlyStopping, train_watching


@pytest.fixture(scope="module")
def parts():
    # Few noisy points and a wide network: the test loss turns up after a while.
    X, y = make_dataset("moons", n_samples=80, noise=0.45, random_state=3)
    return split_dataset(X, y, test_size=0.5, random_state=3)


SETTINGS = {"hidden_layer_sizes": (32, 32), "learning_rate": 0.05}


def fresh(parts):
    return MLP(**SETTINGS, epochs=0).train_epochs(parts.X_train, parts.y_train, 0, X_test=parts.X_test,
                                                  y_test=parts.y_test)


def test_stops_patience_epochs_after_the_lowest_test_loss_and_goes_back_to_it(parts):
    watch = EarlyStopping(patience=10)
    model = fresh(parts)
    for _ in range(50):  # in ticks, as the page trains
        model = train_watching(model, parts.X_train, parts.y_train, 7, parts.X_test, parts.y_test, watch)
        if watch.stopped_at is not None:
            break
    assert watch.stopped_at is not None, "the test loss kept falling: the fixture no longer overfits"
    assert watch.stopped_at - watch.best_epoch == 10
    assert model.n_epochs_ == watch.best_epoch
    # The best epoch is the lowest test loss of the whole run, and the network is exactly that epoch's.
    straight = MLP(**SETTINGS, epochs=watch.stopped_at).fit(parts.X_train, parts.y_train, X_test=parts.X_test,
                                                            y_test=parts.y_test)
    assert int(np.argmin(straight.history_.test_loss)) == watch.best_epoch
    assert watch.best_loss == straight.history_.test_loss[watch.best_epoch]
    at_best = MLP(**SETTINGS, epochs=watch.best_epoch).fit(parts.X_train, parts.y_train, X_test=parts.X_test,
                                                           y_test=parts.y_test)
    for ours, theirs in zip(model.coefs_ + model.intercepts_, at_best.coefs_ + at_best.intercepts_):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(model.history_.test_loss, at_best.history_.test_loss)
    # Training on from it repeats the same epochs and stops at the same place.
    again = train_watching(model, parts.X_train, parts.y_train, 100, parts.X_test, parts.y_test, watch)
    assert watch.stopped_at == straight.n_epochs_ and again.n_epochs_ == watch.best_epoch


def test_no_stop_while_the_test_loss_falls(parts):
    watch = EarlyStopping(patience=50)
    model = train_watching(fresh(parts), parts.X_train, parts.y_train, 5, parts.X_test, parts.y_test, watch)
    assert watch.stopped_at is None and model.n_epochs_ == 5


def test_needs_test_data_and_a_sensible_patience(parts):
    with pytest.raises(MLPError):
        train_watching(fresh(parts), parts.X_train, parts.y_train, 5, None, None, EarlyStopping(3))
    for bad in (0, -1, 1.5, True, 10**6):
        with pytest.raises(MLPError):
            EarlyStopping(bad)


def test_a_snapshot_and_a_pickled_network_train_on_exactly_as_the_original(parts):
    import pickle

    from calc_core.mlp.early_stopping import snapshot
    model = fresh(parts).train_epochs(parts.X_train, parts.y_train, 6, X_test=parts.X_test, y_test=parts.y_test)
    straight = MLP(**SETTINGS, epochs=12).fit(parts.X_train, parts.y_train, X_test=parts.X_test, y_test=parts.y_test)
    for twin in (snapshot(model), pickle.loads(pickle.dumps(model))):
        twin.train_epochs(parts.X_train, parts.y_train, 6, X_test=parts.X_test, y_test=parts.y_test)
        for ours, theirs in zip(twin.coefs_ + twin.intercepts_, straight.coefs_ + straight.intercepts_):
            np.testing.assert_array_equal(ours, theirs)
        np.testing.assert_array_equal(twin.history_.test_loss, straight.history_.test_loss)


def test_replay_repeats_a_run_with_live_changes_bit_for_bit(parts):
    from calc_core.mlp.replay import replay
    live = fresh(parts)
    for n, change in ((3, {"learning_rate": 0.01}), (2, {"optimizer": "momentum", "batch_size": 8}), (4, {})):
        live.train_epochs(parts.X_train, parts.y_train, n, X_test=parts.X_test, y_test=parts.y_test)
        live.tweak(**change)
    changes = [(c.epoch, c.name, c.new) for c in live.changes_]
    network = {k: v for k, v in live.get_params().items()
               if k not in ("learning_rate", "l2", "batch_size", "optimizer", "epochs")}
    initial = {"learning_rate": 0.05, "l2": 0.0, "batch_size": None, "optimizer": "adam"}
    again, best, failure = replay(network, initial, changes, live.n_epochs_, 4, parts.X_train, parts.y_train,
                                  parts.X_test, parts.y_test)
    assert failure is None and again.changes_ == live.changes_ and best.n_epochs_ == 4
    for ours, theirs in zip(again.coefs_ + again.intercepts_, live.coefs_ + live.intercepts_):
        np.testing.assert_array_equal(ours, theirs)
    for name in ("train_loss", "train_accuracy", "test_loss", "test_accuracy"):
        np.testing.assert_array_equal(getattr(again.history_, name), getattr(live.history_, name))
