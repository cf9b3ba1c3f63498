"""The backpropagation lesson's task: name the layer Jacobian in the course's ``backward()``."""

from __future__ import annotations

import re

from calc_core.answers import Verdict


def check_layer_jacobian(text: str) -> Verdict:
    """Accept the course's weight matrix (optionally transposed, with or without ``self.``) as the layer Jacobian.

    In the course's ``self.da[l-1] = self.dz[l] @ self.W[l].T`` the factor that
    carries the gradient back one layer is ``W[l]`` (transposed, since a batch is
    stored as rows). The activation's derivative is the other, diagonal, factor.

    Examples
    --------
    >>> check_layer_jacobian("self.W[l].T").ok
    True
    >>> check_layer_jacobian("dsigmoid").ok
    False
    """
    answer = re.sub(r"\s+", "", text).lower().removeprefix("self.")
    if re.fullmatch(r"(self\.)?w(\[l\])?(\.t)?|w_?l(\^t|ᵀ)?", answer):
        return Verdict(True, "Right: W[l] is the layer Jacobian. In `self.da[l-1] = self.dz[l] @ self.W[l].T` "
                             "the gradient is multiplied by it to move back one layer.")
    if "dsigmoid" in answer or "drelu" in answer or "func" in answer or "derivative" in answer:
        return Verdict(False, "That is the activation's local derivative: a diagonal Jacobian, applied element "
                              "by element. Which matrix carries the gradient from one layer to the previous?")
    return Verdict(False, "Not that one. Look at the line that computes `self.da[l-1]`.")
