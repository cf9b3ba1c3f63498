"""The one error of typed math: :class:`ExpressionError`, a ``ValueError`` a learner can read."""

from __future__ import annotations


class ExpressionError(ValueError):
    """A typed expression that cannot be accepted, with a learner-readable reason.

    ``position`` is the 0-based character offset in the original text, when known.
    """

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position
