"""Hostile requests by class of work: what one visitor's link or click can make the server do.

``tests/hostile.py`` holds text that must be refused; this corpus holds requests
that are cheap to send and expensive to serve, plus text that crashed pages or was
echoed as markdown. Each case is one page view: URL query parameters (every widget
is bound to the URL, task answers included), then optionally an upload and button
clicks, each followed by a rerun. ``tests/app/test_hostile_classes.py`` runs every
case under AppTest, ``tests/app/test_two_sessions.py`` runs the worst of each class
beside another session, and ``benchmarks/hostile_cost.py`` times them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
# An outcome, not a speed: long enough for a page that does its work while another test suite shares the cores.
RUN_TIMEOUT_S = 120

PARSING = "parsing"
SYMBOLIC = "symbolic"
DOMAIN = "domain search"
CLICKS = "clicks"
CRASHES = "crashes"
INJECTION = "injection"
OVER_LIMITS = "over limits"
CLASSES = (PARSING, SYMBOLIC, DOMAIN, CLICKS, CRASHES, INJECTION, OVER_LIMITS)

DERIVATIVES = "lessons/derivatives.py"
INTEGRALS = "lessons/integrals.py"
GRADIENT = "lessons/gradient.py"
JACOBIAN = "lessons/jacobian.py"
OPTIMIZATION = "lessons/optimization.py"
BACKPROP = "lessons/backprop.py"
SVM = "lessons/svm.py"


@dataclass(frozen=True)
class Case:
    """One hostile page view.

    Attributes
    ----------
    kind : str
        The class of work (one of ``CLASSES``).
    page : str
        The page script, relative to the repository root.
    id : str
        Short unique name (test id, benchmark row).
    query : dict
        URL query parameters of the first run; widget keys take their value from here.
    upload : tuple or None
        ``(uploader key, file name, content)`` set after the first run.
    clicks : tuple of str
        Button keys clicked in order after the first run (and the upload).
    refused : bool
        The page must answer with a message (error, warning or info) rather than a result.
    forbid : tuple of str
        Text that must not appear on the page (a wrong claim the case used to provoke).
    points_kept : int or None
        The SVM points text must hold this many points afterwards, unless an error says why not.
    """

    kind: str
    page: str
    id: str
    query: dict[str, str] = field(default_factory=dict)
    upload: tuple[str, str, bytes] | None = None
    clicks: tuple[str, ...] = ()
    refused: bool = False
    forbid: tuple[str, ...] = ()
    points_kept: int | None = None


# --- Building blocks -------------------------------------------------------------------------------------------------

EXP3 = "exp(exp(exp(13)))"
HUGE_PRODUCT = "*".join(["9^999"] * 8)  # 7 600 digits: far past the 1 000-digit limit of one power
HUGE_4300 = "*".join(["9^999"] * 5)  # 4 770 digits: past Python's 4 300-digit int-to-text limit
SUM_ABS_SIN = "+".join(f"abs(sin({k}x))" for k in range(1, 21))
SUM_ABS_SIN_XY = "+".join(f"abs(sin({k}x))+abs(sin({k}y))" for k in range(1, 11))
SUM_TAN = "+".join(f"tan({k}x)" for k in range(1, 21))
TOWER_X = "^".join(["x"] * 10)
TOWER_XY = "^".join(["x", "y"] * 50)  # 100 letters
TOWER_XY_SHORT = "^".join(["x", "y"] * 4)
TOWER_150 = "^".join(["x"] * 150)  # 299 characters, just under the length limit
EXP_CHAIN = "exp(" * 29 + "x" + ")" * 29  # one below the nesting limit
BIG_NET = {"backprop_layers": "64,64,64,64,64,64", "backprop_samples": "5000", "backprop_batch": "8"}
TWO_VARIABLES = {"opt_part": "Two variables"}

LINK = "[click](https://evil.example)"
IMAGE = "![x](https://evil.example/p.png)"
BARE_URL = "https://evil.example/login"
HTML = '<img src="https://evil.example/p.png">'
COLOUR = ":red[INJECTED]"
LATEX = r"$\href{https://evil.example}{INJECTED}$"
INJECTIONS = {"link": LINK, "image": IMAGE, "url": BARE_URL, "html": HTML, "colour": COLOUR, "latex": LATEX}


def _points(rows: list[tuple[float, float, int]]) -> str:
    return ";".join(f"{x:g},{y:g},{label}" for x, y, label in rows)


def _csv(rows: list[tuple[float, float, int]]) -> bytes:
    return ("x,y,label\n" + "".join(f"{x!r},{y!r},{label}\n" for x, y, label in rows)).encode()


# 100 pairs of opposite classes a ten-millionth apart: separable, but only by a line with a huge |w|.
NEARLY_TOUCHING = _points([(i / 10, 0.0, -1) for i in range(100)] + [(i / 10, 1e-7, 1) for i in range(100)])
# Alternating classes on one line, 1e-6 apart: not separable, SVC meets its iteration cap.
INTERLEAVED = _points([(i * 1e-6, 0.0, 1 if i % 2 else -1) for i in range(120)])
# 200 separable points whose coordinates still take 12 characters each at the page's 6 significant digits
# ("-1.23457e-05"): about 29 characters per point, over the points box's 5 000 for 200 points.
CSV_200 = _csv([(-(1.23456789 + i / 1000) * 1e-5, -(7.65432198 + i / 1000) * 1e-5, 0) for i in range(100)]
               + [((1.23456789 + i / 1000) * 1e-5, -(7.65432198 + i / 1000) * 1e-5, 1) for i in range(100)])
CSV_INJECTION = f"x,y,label\n{LINK},2,0\n3,4,1\n".encode()
CSV_INJECTION_IMAGE = f"x,y,label\n1,2,0\n{IMAGE},4,1\n".encode()


def _on(kind: str, page: str, id: str, key: str, text: str, extra: dict[str, str] | None = None,
        refused: bool = False) -> Case:
    return Case(kind, page, id, {**(extra or {}), key: text}, refused=refused)


# --- Parsing itself: the power-size check, sqrt/abs/log of huge numbers, towers, long chains ------------------------

_PARSING = [
    (DERIVATIVES, "deriv_f", "exp3-exponent", f"2^{EXP3}"),
    (INTEGRALS, "integ_f", "exp3-exponent-of-x", f"x^{EXP3}"),
    (GRADIENT, "grad_f", "exp3-base", f"({EXP3})^2 + y"),
    (JACOBIAN, "jac_f1", "exp3-both", f"({EXP3})^({EXP3})"),
    (OPTIMIZATION, "opt_f", "exp4-exponent", "2^exp(exp(exp(exp(9))))"),
    (DERIVATIVES, "deriv_task_answer", "task-exp3-exponent", f"3x^2 - 4x + 10^{EXP3}"),
    (INTEGRALS, "integ_task_answer", "task-exp3-power", f"x^3 - 2x^2 + 2^{EXP3}"),
    (GRADIENT, "grad_task_answer", "task-exp3-vector", f"(2^{EXP3}, 2)"),
    (DERIVATIVES, "deriv_f", "sqrt-huge-product", f"sqrt({HUGE_PRODUCT})*x"),
    (INTEGRALS, "integ_f", "root-huge-product", f"({HUGE_PRODUCT})^(1/3)*x"),
    (OPTIMIZATION, "opt_task_answer", "task-sqrt-huge-product", f"sqrt({HUGE_PRODUCT})"),
    (GRADIENT, "grad_f", "sqrt-sqrt-huge-product", f"sqrt(sqrt({HUGE_PRODUCT}))*x*y"),
    (DERIVATIVES, "deriv_f", "abs-sign-of-difference", "abs(sqrt(9^999*9^999*9^999)-sqrt(8^999*8^999*8^999*8^998))*x"),
    (INTEGRALS, "integ_f", "log-huge-product", f"log({HUGE_PRODUCT})*x"),
    (OPTIMIZATION, "opt_f", "abs-log-difference", "abs(log(9^999*9^999*9^999)-log(8^999*8^999*8^999*8^999))*x^2"),
    (JACOBIAN, "jac_task_answer", "task-abs-huge", f"abs({HUGE_PRODUCT}), 1; 1, 1; 1, 1"),
    (DERIVATIVES, "deriv_f", "tower-x10", TOWER_X),
    (INTEGRALS, "integ_f", "tower-numbers", "2^2^2^2^2*x"),
    (GRADIENT, "grad_f", "tower-sin", "^".join(["sin(x y)"] * 12)),
    (OPTIMIZATION, "opt_f", "exp-chain-29", EXP_CHAIN),
    (DERIVATIVES, "deriv_f", "sin-product-20", "*".join(f"sin({k}x)" for k in range(1, 21))),
    (INTEGRALS, "integ_f", "power-999-product", "(x+1)^999*(x-1)^999"),
    (GRADIENT, "grad_f", "binomial-1000", "(x+y)^1000"),
    (DERIVATIVES, "deriv_task_answer", "task-tower-x10", TOWER_X),
    (INTEGRALS, "integ_task_answer", "task-power-999", "(x^2+x+1)^999"),
    (DERIVATIVES, "deriv_f", "rational-power-20000-digits", "(1+1/99999999999999999999)^999*x"),
    (INTEGRALS, "integ_f", "surd-sum-power", "(sqrt(2)+sqrt(3))^999*x"),
    (OPTIMIZATION, "opt_f", "sin-of-huge-integer", "sin(99999999999999999999^49)*x^2"),
    (GRADIENT, "grad_f", "log-base-huge", f"log(x^2+y^2+1, {HUGE_PRODUCT})"),
    (JACOBIAN, "jac_f2", "e-tower", "e^e^e^e^e^e^x"),
    (DERIVATIVES, "deriv_f", "pi-tower", "pi^pi^pi^pi*x"),
]
PARSING_CASES = [_on(PARSING, page, id, key, text) for page, key, id, text in _PARSING]

# --- Symbolic work after parsing: Jacobian determinant and LaTeX, Hessians, first runs, integrals -------------------

SYMBOLIC_CASES = [
    Case(SYMBOLIC, JACOBIAN, "jacobian-towers-2x2", {"jac_f1": TOWER_XY_SHORT, "jac_f2": "^".join(["y", "x"] * 4)}),
    Case(SYMBOLIC, JACOBIAN, "jacobian-towers-3x3",
         {"jac_inputs": "3", "jac_outputs": "3", "jac_f1": "x^y^z^x^y^z", "jac_f2": "y^z^x^y^z^x",
          "jac_f3": "z^x^y^z^x^y"}),
    Case(SYMBOLIC, JACOBIAN, "jacobian-long-towers",
         {"jac_f1": "^".join(["x", "y"] * 20), "jac_f2": "^".join(["y", "x"] * 20)}),
    Case(SYMBOLIC, OPTIMIZATION, "hessian-1d-tower", {"opt_f": TOWER_X}),
    Case(SYMBOLIC, OPTIMIZATION, "hessian-1d-tower-25", {"opt_f": "^".join(["x"] * 25)}),
    Case(SYMBOLIC, OPTIMIZATION, "hessian-2d-tower", {**TWO_VARIABLES, "opt2_f": TOWER_XY_SHORT}),
    Case(SYMBOLIC, OPTIMIZATION, "hessian-2d-tower-100", {**TWO_VARIABLES, "opt2_f": TOWER_XY}),
    Case(SYMBOLIC, GRADIENT, "gradient-tower-100", {"grad_f": TOWER_XY}),
    Case(SYMBOLIC, GRADIENT, "gradient-tower-100-table", {"grad_f": TOWER_XY, "grad_table": "true"}),
    Case(SYMBOLIC, DERIVATIVES, "derivative-steps-tower", {"deriv_f": "^".join(["x"] * 30)}),
    Case(SYMBOLIC, INTEGRALS, "integral-rational-trig", {"integ_f": "sin(x)^7 exp(x)/(1+x^3)"}),
    Case(SYMBOLIC, INTEGRALS, "integral-tower", {"integ_f": "x^x^x", "integ_a": "0.5", "integ_b": "2"}),
    Case(SYMBOLIC, INTEGRALS, "integral-high-degree", {"integ_f": "(x^7+1)/(x^9-x+1)"}),
    Case(SYMBOLIC, INTEGRALS, "integral-log-power", {"integ_f": "log(x)^9 sin(x)^9", "integ_a": "0.5"}),
    Case(SYMBOLIC, INTEGRALS, "integral-task-answer-huge", {"integ_task_answer": "(x^3-2x^2)^40"}),
    Case(SYMBOLIC, JACOBIAN, "jacobian-task-towers", {"jac_task_answer": f"{TOWER_X}, 1; 1, {TOWER_X}; 1, 1"}),
    # The tallest towers the parser admits (MAX_POWER_TOWER), on every page that differentiates twice or more.
    Case(SYMBOLIC, JACOBIAN, "cap-worst-jacobian-towers-4",
         {"jac_inputs": "3", "jac_outputs": "3", "jac_f1": "x^y^z^x", "jac_f2": "y^z^x^y", "jac_f3": "z^x^y^z"}),
    Case(SYMBOLIC, OPTIMIZATION, "cap-worst-hessian-1d-tower-4", {"opt_f": "x^x^x^x"}),
    Case(SYMBOLIC, OPTIMIZATION, "cap-worst-hessian-2d-tower-4", {**TWO_VARIABLES, "opt2_f": "x^y^x^y"}),
    Case(SYMBOLIC, GRADIENT, "cap-worst-gradient-tower-4", {"grad_f": "(x+y)^(x-y)^(x*y)^(x/y)", "grad_table": "true"}),
    Case(SYMBOLIC, DERIVATIVES, "cap-worst-steps-tower-4", {"deriv_f": "sin(x)^cos(x)^tan(x)^x",
                                                            "deriv_working": "true"}),
    Case(SYMBOLIC, INTEGRALS, "cap-worst-integral-tower-4", {"integ_f": "x^x^x^x", "integ_a": "0.1", "integ_b": "3"}),
    Case(SYMBOLIC, DERIVATIVES, "constant-nesting-8", {"deriv_f": "sin(" * 8 + "1" + ")" * 8 + "*x"}),
    # Nested as deep as MAX_CONSTANT_NESTING allows, with a 430-digit argument: its sign needs that precision.
    Case(SYMBOLIC, DERIVATIVES, "cap-worst-constant-nesting", {"deriv_f": "sin(exp(exp(6.9)))*x"}),
    Case(SYMBOLIC, OPTIMIZATION, "cap-worst-constant-nesting-opt", {"opt_f": "abs(sin(exp(exp(6.9))))*x^2 - x"}),
]

# --- The numeric domain search: many poles, corners and undefined stretches over a wide window ----------------------

DOMAIN_CASES = [
    Case(DOMAIN, INTEGRALS, "integrals-abs-sin-20", {"integ_f": SUM_ABS_SIN, "integ_a": "-100", "integ_b": "100"},
         forbid=("pole",)),
    Case(DOMAIN, INTEGRALS, "integrals-tan-20", {"integ_f": SUM_TAN, "integ_a": "-100", "integ_b": "100"}),
    Case(DOMAIN, INTEGRALS, "integrals-reciprocal-sin", {"integ_f": "1/sin(50x)", "integ_a": "-100", "integ_b": "100"}),
    Case(DOMAIN, INTEGRALS, "integrals-sqrt-sin", {"integ_f": "sqrt(sin(40x))", "integ_a": "-100", "integ_b": "100"}),
    Case(DOMAIN, INTEGRALS, "integrals-log-sin-product",
         {"integ_f": "log(abs(" + "*".join(f"sin({k}x)" for k in range(1, 13)) + "))", "integ_a": "-100",
          "integ_b": "100"}),
    Case(DOMAIN, DERIVATIVES, "derivatives-abs-sin-20", {"deriv_f": SUM_ABS_SIN, "deriv_xmin": "-100",
                                                          "deriv_xmax": "100"}, forbid=("pole",)),
    Case(DOMAIN, DERIVATIVES, "derivatives-tan-20", {"deriv_f": SUM_TAN, "deriv_xmin": "-100", "deriv_xmax": "100"}),
    Case(DOMAIN, DERIVATIVES, "derivatives-reciprocal-sin", {"deriv_f": "1/sin(50x)", "deriv_xmin": "-100",
                                                              "deriv_xmax": "100"}),
    Case(DOMAIN, OPTIMIZATION, "optimization-abs-sin-20", {"opt_f": SUM_ABS_SIN, "opt_xmin": "-50", "opt_xmax": "50"},
         forbid=("pole",)),
    Case(DOMAIN, OPTIMIZATION, "optimization-tan-20", {"opt_f": SUM_TAN, "opt_xmin": "-50", "opt_xmax": "50"}),
    Case(DOMAIN, OPTIMIZATION, "optimization-2d-abs-sin",
         {**TWO_VARIABLES, "opt2_f": SUM_ABS_SIN_XY, "opt2_xmin": "-50", "opt2_xmax": "50", "opt2_ymin": "-50",
          "opt2_ymax": "50"}),
    Case(DOMAIN, INTEGRALS, "integrals-abs-shifts", {"integ_f": "+".join(f"abs(x-{k})" for k in range(1, 25)),
                                                     "integ_a": "-100", "integ_b": "100"}, forbid=("pole",)),
    Case(DOMAIN, DERIVATIVES, "derivatives-sqrt-product",
         {"deriv_f": "sqrt(" + "*".join(f"sin({k}x)" for k in range(1, 16)) + ")", "deriv_xmin": "-100",
          "deriv_xmax": "100"}),
    Case(DOMAIN, GRADIENT, "gradient-abs-sin-xy",
         {"grad_f": SUM_ABS_SIN_XY, "grad_xmin": "-50", "grad_xmax": "50", "grad_ymin": "-50", "grad_ymax": "50"}),
]

# --- Clicks: training, gradient checks and fits that a button starts ------------------------------------------------

CLICKS_CASES = [
    Case(CLICKS, BACKPROP, "reference-6x64-5000-batch8-3000",
         {**BIG_NET, "backprop_epochs": "3000"}, clicks=("backprop_reference",)),
    Case(CLICKS, BACKPROP, "reference-64-max-epochs",
         {"backprop_layers": "64", "backprop_samples": "5000", "backprop_batch": "8", "backprop_epochs": "100000",
          "backprop_optimizer": "sgd"}, clicks=("backprop_reference",)),
    Case(CLICKS, BACKPROP, "reference-6x64-full-batch",
         {**BIG_NET, "backprop_batch": "full", "backprop_epochs": "3000", "backprop_dataset": "spiral"},
         clicks=("backprop_reference",)),
    Case(CLICKS, BACKPROP, "gradient-check-6x64", {**BIG_NET}, clicks=("backprop_run_check",)),
    Case(CLICKS, BACKPROP, "gradient-check-6x64-tanh", {**BIG_NET, "backprop_activation": "tanh",
                                                        "backprop_dataset": "spiral"}, clicks=("backprop_run_check",)),
    Case(CLICKS, BACKPROP, "step-6x64-batch8", {**BIG_NET}, clicks=("backprop_step",)),
    Case(CLICKS, BACKPROP, "step-then-reference", {**BIG_NET, "backprop_epochs": "3000"},
         clicks=("backprop_step", "backprop_reference")),
    # A sweep over its work cap is drawn with a disabled button; a crafted client can still send the click.
    Case(CLICKS, BACKPROP, "cap-worst-sweep-over-the-cap",
         {**BIG_NET, "backprop_epochs": "3000", "backprop_sweep_points": "15", "backprop_sweep_seeds": "5"},
         clicks=("backprop_sweep_run",), refused=True),
    Case(CLICKS, BACKPROP, "cap-worst-sweep-largest",
         {"backprop_epochs": "300", "backprop_sweep_points": "15", "backprop_sweep_seeds": "5"},
         clicks=("backprop_sweep_run",)),
    Case(CLICKS, SVM, "svm-nearly-touching-soft", {"svm_points": NEARLY_TOUCHING, "svm_soft": "true", "svm_C": "1000"}),
    Case(CLICKS, SVM, "svm-interleaved-soft", {"svm_points": INTERLEAVED, "svm_soft": "true", "svm_C": "1000"}),
    Case(CLICKS, SVM, "svm-same-point-both-classes", {"svm_points": "0,0,-1;0,0,1;1,1,1;1,1,-1", "svm_soft": "true",
                                                      "svm_C": "1000"}),
    Case(CLICKS, SVM, "svm-far-points-tiny-gap",
         {"svm_points": "1000000,1000000,-1;1000000.000001,1000000,1;-1000000,-1000000,-1;1000000,1000000.000001,1",
          "svm_soft": "true", "svm_C": "1000"}),
    Case(CLICKS, SVM, "svm-preset-then-soft", {"svm_soft": "true", "svm_C": "1000"}, clicks=("svm_preset_overlap",)),
]

# --- Crashes: huge integers reaching LaTeX or numpy, recursion, in expression boxes and task answers ----------------

_CRASHES = [
    (DERIVATIVES, "deriv_f", "ten-300-squared", "10^300*10^300*x"),
    (INTEGRALS, "integ_f", "ten-300-squared", "10^300*10^300*x"),
    (GRADIENT, "grad_f", "ten-300-squared", "10^300*10^300*x*y"),
    (OPTIMIZATION, "opt_f", "ten-300-squared", "10^300*10^300*x^2"),
    (JACOBIAN, "jac_f1", "ten-300-squared", "10^300*10^300*x*y"),
    (DERIVATIVES, "deriv_f", "log-of-big-power", "log(99999999999999999999^49)"),
    (INTEGRALS, "integ_f", "log-of-big-power", "log(99999999999999999999^49)*x"),
    (OPTIMIZATION, "opt_f", "log-of-big-power", "log(99999999999999999999^49)*x^2 - x"),
    (DERIVATIVES, "deriv_f", "latex-4300-digits", f"x*{HUGE_4300}"),
    (JACOBIAN, "jac_f1", "latex-4300-digits", f"x*y*{HUGE_4300}"),
    (GRADIENT, "grad_f", "latex-4300-digits", f"x*y*{HUGE_4300}"),
    (INTEGRALS, "integ_f", "exp-of-huge", "exp(10^300*10^300)*x"),
    (OPTIMIZATION, "opt_f", "exp-of-huge", "exp(10^300*10^300)*x^2"),
    (DERIVATIVES, "deriv_f", "recursion-tower-150", TOWER_150),
    (OPTIMIZATION, "opt_f", "recursion-tower-150", TOWER_150),
    (INTEGRALS, "integ_f", "recursion-tower-150", TOWER_150),
    (DERIVATIVES, "deriv_task_answer", "task-ten-300-squared", "10^300*10^300*x"),
    (INTEGRALS, "integ_task_answer", "task-log-of-big-power", "log(99999999999999999999^49)*x"),
    (INTEGRALS, "integ_task_answer", "task-latex-4300-digits", f"x*{HUGE_4300}"),
    (GRADIENT, "grad_task_answer", "task-vector-ten-300-squared", "(10^300*10^300, 2)"),
    (GRADIENT, "grad_task_answer", "task-vector-log-big-power", "(log(99999999999999999999^49), 2)"),
    (JACOBIAN, "jac_task_answer", "task-matrix-ten-300-squared", "10^300*10^300*x, 1; 1, 1; 1, 1"),
    (DERIVATIVES, "deriv_task_answer", "task-recursion-tower-150", TOWER_150),
]
CRASH_CASES = [_on(CRASHES, page, f"{key.split('_')[0]}-{id}", key, text) for page, key, id, text in _CRASHES]

# --- Markdown injection: every text box, task answer and echoed value --------------------------------------------

_INJECTION_TARGETS = [
    (DERIVATIVES, "deriv_f", {}),
    (INTEGRALS, "integ_f", {}),
    (GRADIENT, "grad_f", {}),
    (JACOBIAN, "jac_f1", {}),
    (OPTIMIZATION, "opt_f", {}),
    (OPTIMIZATION, "opt2_f", TWO_VARIABLES),
    (SVM, "svm_points", {}),
    (BACKPROP, "backprop_layers", {}),
    (DERIVATIVES, "deriv_task_answer", {}),
    (INTEGRALS, "integ_task_answer", {}),
    (GRADIENT, "grad_task_answer", {}),
    (JACOBIAN, "jac_task_answer", {}),
    (OPTIMIZATION, "opt_task_answer", {}),
    (SVM, "svm_task_answer", {}),
    (BACKPROP, "backprop_task_answer", {}),
]
# Each box gets two payloads, rotating through all six, so every payload reaches several pages.
_PAYLOAD_NAMES = list(INJECTIONS)
INJECTION_CASES = [
    _on(INJECTION, page, f"{key}-{name}", key, INJECTIONS[name], extra, refused=True)
    for i, (page, key, extra) in enumerate(_INJECTION_TARGETS)
    for name in (_PAYLOAD_NAMES[(2 * i) % 6], _PAYLOAD_NAMES[(2 * i + 1) % 6])
]
INJECTION_CASES += [
    _on(INJECTION, GRADIENT, "grad_task_answer-vector-part", "grad_task_answer", f"({LINK}, 1)", refused=True),
    _on(INJECTION, SVM, "svm_points-in-a-point", "svm_points", f"0,0,-1;1,2,1;{IMAGE},1,1", refused=True),
    _on(INJECTION, DERIVATIVES, "deriv_f-after-math", "deriv_f", f"x^2 + {LINK}", refused=True),
    Case(INJECTION, SVM, "svm-csv-cell-link", upload=("svm_csv", "points.csv", CSV_INJECTION), refused=True),
    Case(INJECTION, SVM, "svm-csv-cell-image", upload=("svm_csv", "points.csv", CSV_INJECTION_IMAGE), refused=True),
    Case(INJECTION, BACKPROP, "backprop-csv-cell-link", {"backprop_dataset": "upload CSV"},
         upload=("backprop_csv", "points.csv", CSV_INJECTION), refused=True),
    Case(INJECTION, BACKPROP, "backprop-select-values",
         {"backprop_dataset": LINK, "backprop_activation": IMAGE, "backprop_optimizer": COLOUR}),
    Case(INJECTION, OPTIMIZATION, "teacher-parameters",
         {"teacher": "1", "hide": LINK, "lock": IMAGE, "opt_part": LATEX}),
]

# --- Results over the limits: text the page writes back into its own boxes, and oversized output -----------------

OVER_LIMITS_CASES = [
    Case(OVER_LIMITS, SVM, "svm-csv-200-long-points", upload=("svm_csv", "points.csv", CSV_200), points_kept=200),
    Case(OVER_LIMITS, SVM, "svm-url-201-points",
         {"svm_points": _points([(i, i % 7, 1 if i % 2 else -1) for i in range(201)])}, refused=True),
    Case(OVER_LIMITS, SVM, "svm-url-200-points", {"svm_points": _points([(i, i % 7, 1 if i % 2 else -1)
                                                                          for i in range(200)])}, points_kept=200),
    Case(OVER_LIMITS, DERIVATIVES, "derivative-steps-working-tower",
         {"deriv_f": "^".join(["x"] * 20), "deriv_working": "true"}),
    Case(OVER_LIMITS, JACOBIAN, "jacobian-4-outputs-towers",
         {"jac_inputs": "3", "jac_outputs": "4", "jac_f1": "x^y^z^x^y^z^x", "jac_f2": "y^z^x^y^z^x^y",
          "jac_f3": "z^x^y^z^x^y^z", "jac_f4": "x^z^y^x^z^y^x"}),
    Case(OVER_LIMITS, OPTIMIZATION, "optimizers-3000-steps-tower",
         {**TWO_VARIABLES, "opt2_f": TOWER_XY_SHORT, "opt2_steps": "3000"}),
    Case(OVER_LIMITS, INTEGRALS, "integral-antiderivative-latex", {"integ_f": "x^40 exp(x) sin(x) cos(x)"}),
    Case(OVER_LIMITS, INTEGRALS, "riemann-200-strips-abs-sin", {"integ_f": SUM_ABS_SIN, "integ_n": "200",
                                                                 "integ_a": "-100", "integ_b": "100"}),
    Case(OVER_LIMITS, GRADIENT, "scan-table-tower", {"grad_f": TOWER_XY_SHORT, "grad_table": "true",
                                                     "grad_x0": "10", "grad_y0": "10"}),
]

CASES: list[Case] = (PARSING_CASES + SYMBOLIC_CASES + DOMAIN_CASES + CLICKS_CASES + CRASH_CASES + INJECTION_CASES
                     + OVER_LIMITS_CASES)


def worst_of_each_class(uploads: bool = True) -> dict[str, Case]:
    """The case of each class that cost the server most in the last full run of benchmarks/hostile_cost.py.

    With ``uploads=False``, for a client that cannot upload files, the costliest case without an upload.
    """
    chosen = {
        PARSING: "sin-product-20",
        SYMBOLIC: "integral-tower",
        DOMAIN: "optimization-abs-sin-20",
        CLICKS: "gradient-check-6x64-tanh",
        CRASHES: "grad-ten-300-squared",
        INJECTION: "svm-csv-cell-link" if uploads else "backprop_task_answer-latex",
        OVER_LIMITS: "svm-csv-200-long-points" if uploads else "integral-antiderivative-latex",
    }
    by_id = {case.id: case for case in CASES}
    return {kind: by_id[case_id] for kind, case_id in chosen.items()}


TASK_ANSWER_SUFFIX = "_task_answer"


def run_case(case: Case, timeout: float = RUN_TIMEOUT_S) -> AppTest:
    """Run ``case`` on its page under AppTest: the link first, then the upload and the clicks."""
    at = AppTest.from_file(str(ROOT / case.page), default_timeout=timeout)
    # A task's answer never travels in a link (ui.task): it is typed into the box after the link's run.
    typed = {key: value for key, value in case.query.items() if key.endswith(TASK_ANSWER_SUFFIX)}
    for key, value in case.query.items():
        if key not in typed:
            at.query_params[key] = value
    at.run()
    for key, value in typed.items():
        if at.exception:
            break
        at.text_input(key=key).set_value(value).run()
    if case.upload is not None and not at.exception:
        key, name, content = case.upload
        at.file_uploader(key=key).set_value((name, content, "text/csv")).run()
    for key in case.clicks:
        if at.exception:
            break  # the page already failed: that is the outcome to report
        button = at.button(key=key)
        if not button.disabled:  # AppTest, like a browser, cannot press it; benchmarks/hostile_cost.py sends it raw
            button.click().run()
    return at
