"""Checking the lesson's task: which of the points are support vectors?"""

from __future__ import annotations

import re

from calc_core.answers import Verdict
from calc_core.svm.data import SVMDataError
from calc_core.svm.results import MarginFit

# A point number has at most this many digits (the page fits at most a few hundred points).
MAX_NUMBER_DIGITS = 3


def point_numbers(text: str, count: int) -> set[int]:
    """Point numbers typed as ``"1, 2 and 5"``; only whole numbers from 1 to ``count``.

    Raises
    ------
    SVMDataError
        Anything else, with an example of what to type.

    Examples
    --------
    >>> sorted(point_numbers("3 and 1, 2", 6))
    [1, 2, 3]
    >>> sorted(point_numbers("Points #1, P2 & 3.", 6))
    [1, 2, 3]
    """
    words = re.sub(r"\bpoints?\b|\band\b|[&#{}()\[\]]|\.(?!\d)|\bp(?=\d)", " ", text.strip().lower())
    tokens = [t for t in re.split(r"[\s,;/]+", words) if t]
    pattern = rf"\d{{1,{MAX_NUMBER_DIGITS}}}"
    if not tokens or not all(re.fullmatch(pattern, t) and 1 <= int(t) <= count for t in tokens):
        raise SVMDataError(f"Type point numbers from 1 to {count}, separated by commas, e.g. 2, 5.")
    return {int(t) for t in tokens}


def support_vector_verdict(text: str, X, fit: MarginFit) -> Verdict:
    """Judge a list of point numbers against the support vectors of ``fit`` on the points ``X``.

    A wrong answer is explained point by point with
    ``yᵢ(w·xᵢ + c)``: 1 on the margin, above 1 beyond it. The messages speak of the
    course's six-point task, where the three original points are the support vectors.

    Examples
    --------
    >>> from calc_core.svm.hard_margin import fit_hard_margin
    >>> X = [[0, 0], [1, 2], [2, 1], [-1, -1]]
    >>> support_vector_verdict("1, 2, 4", X, fit_hard_margin(X, [-1, 1, 1, -1])).ok
    False
    """
    chosen = point_numbers(text, len(fit.margin_values))
    support = set(fit.support_numbers)
    if chosen == support:
        return Verdict(True, "Correct: (0, 0), (1, 2) and (2, 1) sit on the margin with λ > 0. The three added "
                             "points lie beyond it: their constraints are slack, so λ = 0 and they do not move the "
                             "line.")
    notes = []
    for i in sorted(support - chosen):
        notes.append(f"point {i} ({X[i - 1][0]:g}, {X[i - 1][1]:g}) is one: yᵢ(w·xᵢ + c) = 1 there, it sits on "
                     f"the margin with λ = {fit.multipliers[i - 1]:.4g}")
    for i in sorted(chosen - support):
        notes.append(f"point {i} ({X[i - 1][0]:g}, {X[i - 1][1]:g}) is not: yᵢ(w·xᵢ + c) = "
                     f"{fit.margin_values[i - 1]:.4g} > 1, so its λ is 0")
    return Verdict(False, "Not quite: " + "; ".join(notes) + ".")
