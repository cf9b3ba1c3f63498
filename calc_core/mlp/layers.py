"""The hidden layers of a network: their limits, reading them from text, and counting parameters."""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np

from calc_core.mlp.errors import MLPError

__all__ = ["MAX_LAYERS", "MAX_UNITS", "LayerSpecError", "check_hidden_sizes", "parameter_count", "parse_layers"]

MAX_LAYERS = 6
MAX_UNITS = 64


class LayerSpecError(MLPError):
    """A hidden-layer description that cannot be used."""


def parse_layers(text):
    """Hidden-layer sizes from text: ``"4,3"`` is ``(4, 3)``; empty text is no hidden layer.

    Numbers may be separated by commas, semicolons or spaces. Each needs 1 to
    ``MAX_UNITS`` units, and there are at most ``MAX_LAYERS`` of them; the
    message of :class:`LayerSpecError` quotes (a short part of) the text.

    Examples
    --------
    >>> parse_layers(" 8; 4 ")
    (8, 4)
    >>> parse_layers("")
    ()
    """
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    bad = [p for p in parts if not (p.isascii() and p.isdigit()) or len(p) > 4]
    if bad:
        raise LayerSpecError(f"Hidden layers: “{bad[0][:20]}” is not a whole number. Type unit counts "
                             "separated by commas, such as 4,3.")
    sizes = tuple(int(p) for p in parts)
    if len(sizes) > MAX_LAYERS:
        raise LayerSpecError(f"Hidden layers: at most {MAX_LAYERS} layers, got {len(sizes)}.")
    if any(not 1 <= n <= MAX_UNITS for n in sizes):
        raise LayerSpecError(f"Hidden layers: each layer needs 1 to {MAX_UNITS} units, got {text.strip()[:40]}.")
    return sizes


def check_hidden_sizes(sizes):
    """``hidden_layer_sizes`` as a tuple of ints, checked against the network's limits.

    A single int is one hidden layer. Raises :class:`~calc_core.mlp.errors.MLPError`
    for anything but at most ``MAX_LAYERS`` whole numbers from 1 to ``MAX_UNITS``.

    Examples
    --------
    >>> check_hidden_sizes(8)
    (8,)
    """
    if isinstance(sizes, (int, np.integer)):
        sizes = (sizes,)
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise MLPError(f"hidden_layer_sizes must be a tuple of whole numbers, got {sizes!r}.") from None
    if len(sizes) > MAX_LAYERS or any(
        isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= MAX_UNITS for k in sizes
    ):
        raise MLPError(f"Use at most {MAX_LAYERS} hidden layers of 1 to {MAX_UNITS} units each, got {sizes!r}.")
    return tuple(int(k) for k in sizes)


def parameter_count(layer_sizes):
    r"""Weights and biases of a network with ``layer_sizes`` (inputs, hidden..., outputs).

    Notes
    -----
    A layer from :math:`n_{in}` to :math:`n_{out}` units has an
    :math:`n_{out} \times n_{in}` weight matrix and :math:`n_{out}` biases,
    :math:`(n_{in} + 1)\, n_{out}` parameters in all.

    Examples
    --------
    >>> parameter_count((2, 4, 3, 1))
    31
    """
    return sum((n_in + 1) * n_out for n_in, n_out in pairwise(layer_sizes))
