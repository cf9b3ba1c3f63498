"""calc_core.mlp.answers: the layer Jacobian is W[l] however it is written; other arrays get a pointed hint."""

import pytest

from calc_core.mlp.answers import check_layer_jacobian


@pytest.mark.parametrize("answer", ["self.W[l].T", "W[l]", "w", "self.W[l]", " W_l^T ", "Wlᵀ"])
def test_the_weight_matrix_is_accepted(answer):
    check = check_layer_jacobian(answer)
    assert check.ok and "Jacobian" in check.message


@pytest.mark.parametrize("answer, words", [("dsigmoid(self.z[l])", "local derivative"),
                                           ("func(self.z[l])", "local derivative"),
                                           ("self.b[l]", "self.da[l-1]"), ("", "self.da[l-1]")])
def test_other_answers_are_refused_with_a_hint(answer, words):
    check = check_layer_jacobian(answer)
    assert not check.ok and words in check.message


@pytest.mark.parametrize("answer", ["W", "W_l", "W^l", "w_{l}", "Wˡ", "W⁽ˡ⁾", "W(l)", "Wl", "W^T", "W.T", "W[l]ᵀ",
                                    "transpose(W[l])", "np.transpose(W)", "(W[l]).T", "the weight matrix", "weights",
                                    "Weight matrix W", "the weights of layer l", "weight matrix of layer l"])
def test_the_names_a_learner_uses_for_the_weight_matrix_are_accepted(answer):
    assert check_layer_jacobian(answer).ok


@pytest.mark.parametrize("answer, words", [("W[l-1]", "Type W[l]"), ("dW[l]", "gradient of the loss"),
                                           ("the gradient of the weights", "type the name"),
                                           ("dz[l]", "multiplied by"), ("self.da[l-1]", "multiplied by"),
                                           ("X", "type the name")])
def test_near_misses_are_refused_with_what_to_look_at(answer, words):
    check = check_layer_jacobian(answer)
    assert not check.ok and words in check.message
