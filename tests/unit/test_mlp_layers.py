"""calc_core.mlp: reading hidden layers from text, counting parameters and work, sizing the gradient check."""

import pytest

from calc_core.data.datasets import make_dataset
from calc_core.limits import GRADIENT_CHECK_MAX_WORK
from calc_core.mlp import (
    GRADIENT_CHECK_SAMPLE_PER_LAYER,
    MAX_LAYERS,
    MAX_UNITS,
    MLP,
    LayerSpecError,
    gradient_check_count,
    gradient_check_sample,
    parameter_count,
    parse_layers,
    training_work,
)

GRADIENT_CHECK_POINTS = 16


@pytest.mark.parametrize("text, sizes", [("4,3", (4, 3)), (" 8 ; 2 ", (8, 2)), ("64 64", (64, 64)), ("", ()),
                                         (", ,", ())])
def test_layer_text_is_read(text, sizes):
    assert parse_layers(text) == sizes


@pytest.mark.parametrize("text, words", [("4,x", "“x” is not a whole number"), ("4,-3", "not a whole number"),
                                         ("1,1,1,1,1,1,1", f"at most {MAX_LAYERS} layers"),
                                         ("0", f"1 to {MAX_UNITS} units"), ("65", f"1 to {MAX_UNITS} units"),
                                         ("٣", "not a whole number"), ("99999", "not a whole number"),
                                         ("[link](http://x)" * 5, "not a whole number")])
def test_bad_layer_text_is_refused_in_words(text, words):
    with pytest.raises(LayerSpecError, match=words):
        parse_layers(text)


def test_parameter_count_matches_the_network():
    model = MLP(hidden_layer_sizes=(5, 3), epochs=0).fit(*make_dataset("moons", n_samples=20))
    n = sum(W.size + b.size for W, b in zip(model.coefs_, model.intercepts_, strict=True))
    assert parameter_count((2, 5, 3, 1)) == n == 37


def test_work_grows_with_points_parameters_steps_and_epochs():
    base = training_work(800, (2, 4, 3, 1), None, 150)
    assert training_work(1600, (2, 4, 3, 1), None, 150) > base
    assert training_work(800, (2, 4, 3, 1), None, 300) == 2 * base
    assert training_work(800, (2, 4, 3, 1), 8, 150) > 50 * base / 10


def test_the_largest_network_checks_a_sample_within_the_cap():
    sizes = (7, *(MAX_UNITS,) * MAX_LAYERS, 1)  # every feature on, the widest and deepest network
    per_layer = gradient_check_sample(sizes, GRADIENT_CHECK_POINTS, GRADIENT_CHECK_MAX_WORK)
    assert 1 <= per_layer < GRADIENT_CHECK_SAMPLE_PER_LAYER
    checked = gradient_check_count(sizes, per_layer)
    assert checked * parameter_count(sizes) * GRADIENT_CHECK_POINTS <= GRADIENT_CHECK_MAX_WORK
    X, y = make_dataset("circles", n_samples=GRADIENT_CHECK_POINTS)
    model = MLP(hidden_layer_sizes=sizes[1:-1], epochs=0, features=("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)",
                                                                    "sin(x2)")).fit(X, y)
    checks = model.gradient_check_layers(X, y, max_per_layer=per_layer)
    assert sum(c.n_checked for c in checks) == checked


def test_small_networks_check_every_parameter():
    assert gradient_check_sample((2, 4, 3, 1), GRADIENT_CHECK_POINTS, GRADIENT_CHECK_MAX_WORK) is None
    assert gradient_check_count((2, 4, 3, 1), None) == 31
