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
