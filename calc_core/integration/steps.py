"""sympy's rule-based integrator, step by step, as readable steps."""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy.integrals import manualintegrate as mi

from calc_core.integration.checks import IntegrationError, real_logs

__all__ = ["IntegrationStep", "integration_steps"]


@dataclass(frozen=True)
class IntegrationStep:
    """One rule in sympy's step-by-step integration.

    Attributes
    ----------
    rule : str
        Name of the rule ("power", "substitution", "by parts", ...).
    explanation : str
        Markdown (with $...$ LaTeX) saying what the rule does here.
    integrand : str
        LaTeX of the integral this step handles, e.g. ``\\int x^{2}\\, dx``.
    result : str
        LaTeX of its antiderivative.
    depth : int
        Nesting level (0 for the whole integral), for indentation.
    antiderivative : sympy.Expr
        The antiderivative this step produces (in the step's own variable).
    """

    rule: str
    explanation: str
    integrand: str
    result: str
    depth: int
    antiderivative: sympy.Expr


def _int_latex(integrand: sympy.Expr, variable: sympy.Symbol) -> str:
    return rf"\int {sympy.latex(integrand)}\, d{sympy.latex(variable)}"


def _rule_words(rule) -> tuple[str, str]:
    """(name, markdown explanation) for one manualintegrate rule."""
    L = sympy.latex
    v = L(rule.variable)
    # One case per rule class, not a table: each explanation reads the rule's own fields (u_func, rewritten, ...).
    match rule:
        case mi.AddRule():
            return "sum", "Integrate term by term."
        case mi.ConstantTimesRule():
            return "constant multiple", f"Take the constant ${L(rule.constant)}$ outside the integral."
        case mi.ConstantRule():
            return "constant", f"$\\int c\\, d{v} = c\\,{v}$."
        case mi.PowerRule():
            return "power", f"$\\int {v}^n\\, d{v} = \\frac{{{v}^{{n+1}}}}{{n+1}}$ for $n \\ne -1$."
        case mi.ReciprocalRule():
            return "reciprocal", f"$\\int \\frac{{1}}{{{v}}}\\, d{v} = \\ln|{v}|$."
        case mi.ExpRule():
            return "exponential", f"$\\int a^{{{v}}}\\, d{v} = \\frac{{a^{{{v}}}}}{{\\ln a}}$ (and $\\int e^{{{v}}}\\, d{v} = e^{{{v}}}$)."
        case mi.TrigRule():
            return "trigonometric", "A standard trigonometric integral (reverse of a derivative you know)."
        case mi.HyperbolicRule():
            return "hyperbolic", "A standard hyperbolic integral."
        case mi.ArctanRule() | mi.ArcsinRule() | mi.ArcsinhRule():
            return "inverse trigonometric", "A standard integral whose answer is an inverse trigonometric function."
        case mi.URule():
            return "substitution", f"Substitute $u = {L(rule.u_func)}$, so the integral becomes one in $u$."
        case mi.CyclicPartsRule():
            return "by parts (cyclic)", "Integrate by parts until the original integral reappears, then solve for it."
        case mi.PartsRule():
            return (
                "by parts",
                f"$\\int u\\, dv = u v - \\int v\\, du$ with $u = {L(rule.u)}$, $dv = {L(rule.dv)}\\, d{v}$.",
            )
        case mi.CompleteSquareRule():
            return "complete the square", f"Complete the square: ${L(rule.rewritten)}$."
        case mi.RewriteRule():
            return "rewrite", f"Rewrite the integrand as ${L(rule.rewritten)}$."
        case mi.TrigSubstitutionRule():
            return "trigonometric substitution", f"Substitute ${L(rule.func)}$ for ${v}$."
        case mi.PiecewiseRule():
            return "cases", "Integrate each case separately."
        case mi.IRule() | mi.ErfRule() | mi.FresnelSRule() | mi.FresnelCRule() | mi.UpperGammaRule():
            return "special function", "No elementary antiderivative here: the answer is a special function."
    return "table", "A standard integral from the table."


def _children(rule) -> list:
    match rule:
        case mi.AddRule():
            return list(rule.substeps)
        case mi.AlternativeRule():
            return list(rule.alternatives[:1])
        case mi.PartsRule():
            return [s for s in (rule.v_step, rule.second_step) if s is not None]
        case mi.CyclicPartsRule():
            return list(rule.parts_rules)
        case mi.PiecewiseRule():
            return [sub for sub, _ in rule.subfunctions]
    sub = getattr(rule, "substep", None)
    return [sub] if sub is not None else []


def _has_unknown(rule) -> bool:
    return isinstance(rule, mi.DontKnowRule) or any(_has_unknown(c) for c in _children(rule))


def integration_steps(expr: sympy.Expr, var: str = "x") -> tuple[IntegrationStep, ...]:
    """sympy's step-by-step integration, as readable steps (empty if it has none).

    Parameters
    ----------
    expr : sympy.Expr
        The integrand f.
    var : str
        Variable of integration.

    Returns
    -------
    tuple of IntegrationStep
        In the order a person would write them: each rule, followed by the steps of
        the integrals it hands on. Empty when sympy's rule-based integrator
        (``sympy.integrals.manualintegrate.integral_steps``) cannot do this integral.

    Notes
    -----
    Rules include ∫ c dx = c x, ∫ xⁿ dx = xⁿ⁺¹/(n+1), ∫ 1/x dx = ln|x|, linearity,
    substitution ∫ f(g(x)) g'(x) dx = ∫ f(u) du, and parts ∫ u dv = uv − ∫ v du.
    Can be slow: call it through :func:`calc_core.budget.run_with_budget`.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> [s.rule for s in integration_steps(3*x**2 - 4*x)]
    ['sum', 'constant multiple', 'power', 'constant multiple', 'power']
    """
    if not isinstance(expr, sympy.Expr):
        raise IntegrationError("Integration needs a sympy expression.")
    x = sympy.Symbol(var)
    root = mi.integral_steps(expr, x)
    if _has_unknown(root):
        return ()
    steps: list[IntegrationStep] = []

    def visit(rule, depth: int) -> None:
        if isinstance(rule, mi.AlternativeRule):
            for child in _children(rule):
                visit(child, depth)
            return
        name, words = _rule_words(rule)
        # sympy's own rule object computes its antiderivative from the sympy tree; no text is involved.
        F = real_logs(sympy.unpolarify(rule.eval()))
        steps.append(
            IntegrationStep(
                rule=name,
                explanation=words,
                integrand=_int_latex(rule.integrand, rule.variable),
                result=sympy.latex(F),
                depth=depth,
                antiderivative=F,
            )
        )
        for child in _children(rule):
            visit(child, depth + 1)

    visit(root, 0)
    return tuple(steps)
