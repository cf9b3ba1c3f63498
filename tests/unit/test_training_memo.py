"""TrainingRun.memo: once per epoch and what else a result depends on, one result per name."""

from __future__ import annotations

from ui.training import TrainingRun


def test_memo_computes_once_per_epoch_and_dependency_and_keeps_one_result_per_name():
    run = TrainingRun(key=(), model=None)
    calls = []

    def compute(value):
        return lambda: calls.append(value) or value

    assert run.memo("check", 3, compute("a"), ("l2", 0.0)) == "a"
    assert run.memo("check", 3, compute("again"), ("l2", 0.0)) == "a"  # kept
    assert run.memo("check", 3, compute("b"), ("l2", 0.1)) == "b"  # a live change at the same epoch
    assert not run.has("check", 3, ("l2", 0.0)) and run.has("check", 3, ("l2", 0.1))
    assert run.memo("picture", 3, compute("p")) == "p"
    assert len(run.stash) == 2, "one result per name, however many changes an epoch sees"
    run.forget("check", 3, ("l2", 0.1))
    assert not run.has("check", 3, ("l2", 0.1)) and run.has("picture", 3)
    assert run.memo("picture", 4, compute("q")) == "q"
    assert list(run.stash) == [("picture", 4, ())], "results of another epoch are dropped"
    assert calls == ["a", "b", "p", "q"]
