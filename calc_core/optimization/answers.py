"""Checking the lesson's task: does f have a maximum, a minimum, both or neither?"""

from __future__ import annotations

import re

from calc_core.answers import Verdict
from calc_core.optimization.common import OptimizationError
from calc_core.optimization.one_variable import CriticalPointAnalysis

_NONE_WORDS = {"neither", "none", "no", "nothing", "nor"}
_MAX_WORDS = {"max", "maximum", "maxima", "highest"}
_MIN_WORDS = {"min", "minimum", "minima", "lowest"}


def extremum_verdict(text: str, analysis: CriticalPointAnalysis) -> Verdict:
    """Judge a one-word answer (maximum, minimum, both, neither) for log x against its analysis.

    The messages explain log x, the course's task.

    Raises
    ------
    OptimizationError
        When the answer names none of the four choices.

    Examples
    --------
    >>> import sympy
    >>> from calc_core.optimization.one_variable import analyze_critical_points
    >>> extremum_verdict("neither", analyze_critical_points(sympy.log(sympy.Symbol("x")))).ok
    True
    """
    has_max = any(p.kind == "maximum" for p in analysis.points)
    has_min = any(p.kind == "minimum" for p in analysis.points)
    words = set(re.findall(r"[a-z]+", text.lower()))
    says_none = bool(words & _NONE_WORDS)
    says_both = "both" in words
    says_max = bool(words & _MAX_WORDS)
    says_min = bool(words & _MIN_WORDS)
    if not (says_none or says_both or says_max or says_min):
        raise OptimizationError("Answer in words: maximum, minimum, both or neither.")
    if says_none and not (has_max or has_min):
        reason = analysis.explanation.message if analysis.explanation is not None else ""
        return Verdict(True, f"Right. {reason}".strip())
    if says_both or (says_max and says_min and not says_none):
        return Verdict(False, "Not both: f′(x) = 1/x is never zero, so there is no critical point at all.")
    if says_max:
        return Verdict(False, "No maximum: f′(x) = 1/x > 0 for every x > 0, so log keeps rising — any x you pick "
                              "is beaten by a larger one.")
    return Verdict(False, "No minimum: as x → 0⁺, log x falls below every number, so no x gives the lowest value.")
