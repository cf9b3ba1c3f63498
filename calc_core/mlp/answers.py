"""The backpropagation lesson's task: name the layer Jacobian in the course's ``backward()``."""

from __future__ import annotations

import re

from calc_core.answers import Verdict

# The ways of writing "layer l" after a name: W[l], W_l, W_{l}, W^l, W^(l), W^[l], W(l), Wl, W⁽ˡ⁾, Wˡ.
_LAYER = r"(?:\[l\]|_\{?l\}?|\^[\(\[\{]?l[\)\]\}]?|\(l\)|l|⁽ˡ⁾|ˡ)?"
# The ways of writing a transpose after it: .T, ^T, ', ᵀ, .transpose().
_TRANSPOSE = r"(?:\.t|\^t|\^\{t\}|'|ᵀ|\.transpose\(\))?"
_WEIGHT_NAME = re.compile(rf"(?:self\.)?(?:model\.)?w{_LAYER}{_TRANSPOSE}")
_WRAPPED = re.compile(rf"(?:transpose|np\.transpose)\((.*)\)|\((.*)\){_TRANSPOSE}")
# Words that name the weight matrix, and words that turn them into another array (its gradient, a bias).
_WEIGHT_WORDS = re.compile(r"\bweights?\b|\bweight[- ]?matrix\b")
_NOT_THE_WEIGHTS = re.compile(r"\bgrad|\bdw\b|\bdelta|\bchange|\bupdate|\bbias|\bderivative")
_WRONG_LAYER = re.compile(r"w\[l\s*[-+]\s*1\]|w_\{?l\s*[-+]\s*1\}?")

PRAISE = ("Right: W[l], the weight matrix of layer l, is the layer Jacobian ∂z/∂a. In da[l-1] = dz[l] @ W[l].T "
          "the gradient is multiplied by it (transposed, since a batch is stored as rows) to move back one layer.")


def _is_weight_name(compact: str) -> bool:
    """``compact`` (lower case, no spaces) is W in one of its spellings, perhaps inside transpose(…) or (…)."""
    while True:
        if _WEIGHT_NAME.fullmatch(compact):
            return True
        wrapped = _WRAPPED.fullmatch(compact)
        if wrapped is None:
            return False
        compact = next(group for group in wrapped.groups() if group is not None)


def check_layer_jacobian(text: str) -> Verdict:
    """Accept the course's weight matrix, however a learner names it, as the layer Jacobian.

    In the course's ``self.da[l-1] = self.dz[l] @ self.W[l].T`` the factor that
    carries the gradient back one layer is ``W[l]`` (transposed, since a batch is
    stored as rows). The activation's derivative is the other, diagonal, factor.
    Accepted: ``W``, ``W[l]``, ``W_l``, ``W^l``, ``self.W[l].T``, ``Wᵀ``, ``transpose(W)``, and words
    such as "the weight matrix" or "weights of layer l".

    Examples
    --------
    >>> check_layer_jacobian("self.W[l].T").ok
    True
    >>> check_layer_jacobian("the weight matrix").ok
    True
    >>> check_layer_jacobian("dsigmoid").ok
    False
    """
    lower = re.sub(r"[`\"“”‘’]", "", text).strip().lower()
    compact = re.sub(r"\s+", "", lower)
    if _WRONG_LAYER.search(compact):
        return Verdict(False, "Not that layer: the line da[l-1] = dz[l] @ W[l].T uses the weights of layer l "
                              "itself. Type W[l] (or W).")
    if compact.startswith(("dw", "self.dw")):
        return Verdict(False, "dW[l] is the gradient of the loss with respect to the weights, which the update "
                              "uses. The Jacobian is the array dz[l] is multiplied by in the line for da[l-1].")
    if _is_weight_name(compact) or (_WEIGHT_WORDS.search(lower) and not _NOT_THE_WEIGHTS.search(lower)):
        return Verdict(True, PRAISE)
    if any(word in compact for word in ("dsigmoid", "drelu", "func", "derivative", "f'", "f′")):
        return Verdict(False, "That is the activation's local derivative: a diagonal Jacobian, applied element "
                              "by element. Which matrix carries the gradient from one layer to the previous? "
                              "Type its name as the code shows it, e.g. X[l].")
    if re.fullmatch(r"(?:self\.)?d[az](?:\[l(?:-1)?\])?", compact):
        return Verdict(False, "That is a gradient the line moves, not the matrix that moves it. In "
                              "da[l-1] = dz[l] @ W[l].T, which array is dz[l] multiplied by?")
    return Verdict(False, "Not that one. Look at the line that computes self.da[l-1] (da[l-1] in the code beside "
                          "the task) and type the name of the array dz[l] is multiplied by, e.g. X[l].")
