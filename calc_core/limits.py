"""Every bound on work a visitor can cause, in one place.

A public link lets anyone type text, edit the URL, upload a file or click a
button. Each kind of work whose cost grows with such input is bounded before it
starts, in one of two ways:

- a size cap below, proven sufficient by a test that runs the worst case the cap
  still admits (tests/unit and tests/app name the constant they exercise);
- a wall-clock budget: the work runs in a killable worker process
  (:mod:`calc_core.budget`) and the page falls back to a numeric or partial
  answer with a notice when the budget runs out.

docs/RELIABILITY.md lists which way each kind of work is bounded.
"""

from __future__ import annotations

# --- Wall-clock budgets for work run in the killable worker (seconds) ---------------------------------------------

#: Symbolic work on a visitor's expression: derivatives, integrals, solving, simplifying, LaTeX.
SYMBOLIC_TIMEOUT = 3.0
#: Checking a typed answer symbolically, after it already agreed at sample points.
ANSWER_CHECK_TIMEOUT = 1.5

# --- Worker processes ----------------------------------------------------------------------------------------------

#: Workers one browser session may run at once; its further requests wait for its own, never for others'.
WORKERS_PER_OWNER = 1
#: Machine-wide cap, reached only when very many sessions ask at the same moment.
MAX_WORKERS = 16
#: Workers yield the CPU to the interactive reruns of every session.
WORKER_NICENESS = 10
#: A cached outcome of a budgeted call that ran out of time, found no worker slot or lost its worker is used
#: for at most this many seconds, then computed again: a busy minute must not decide what a link shows for an hour.
UNFINISHED_RETRY_AFTER = 20.0
#: A worker still busy after this many seconds is long work and drops to the lowest priority ...
LONG_WORK_AFTER = 0.3
#: ... so that quick requests from other sessions are not slowed by it.
LONG_WORK_NICENESS = 19

# --- Neural-network training (backpropagation page) ----------------------------------------------------------------
# Training cost is counted in work units (calc_core.mlp.training_work): about one nanosecond of this
# machine's CPU each, from points x parameters per pass plus a per-step overhead.

#: Work one fragment tick of live training may do (at least one epoch; the largest network's epoch is ~5e8).
TRAINING_TICK_WORK = 400_000_000
#: Work of the reference comparison (our network; scikit-learn's costs a few times more); fewer epochs above it.
REFERENCE_MAX_WORK = 600_000_000
#: Wall-clock budget of the reference comparison in the killable worker (seconds).
REFERENCE_TIMEOUT = 8.0
#: Gradient check: checked parameters x network parameters x points, each unit one extended-precision product.
GRADIENT_CHECK_MAX_WORK = 60_000_000
#: Wall-clock budget of the gradient check, which runs in the killable worker (seconds).
GRADIENT_CHECK_TIMEOUT = 8.0
#: Work of one hyperparameter sweep (every value and seed together); larger requests are refused with this cap.
SWEEP_MAX_WORK = 3_000_000_000
#: Wall-clock budget of the whole sweep in the killable worker (seconds); a partial sweep is shown when it runs out.
SWEEP_TIMEOUT = 6.0
#: Work of training a loaded session's run again (its epochs on its network and data); a longer run is not
#: replayed: its settings, pins and sweep load and the run starts from epoch 0, as the page says.
SESSION_REPLAY_MAX_WORK = 6_000_000_000
#: Wall-clock budget of that replay in the killable worker (seconds).
SESSION_REPLAY_TIMEOUT = 15.0
#: Bytes of a session file the backpropagation page reads (larger files are refused unread).
SESSION_FILE_BYTES = 2_000_000

# --- What one session may hold, and large trainings per process (backpropagation page) ------------------------------
# A session keeps its run between ticks (weights, history, the current epoch's charts), its pinned runs and its
# latest sweep and reference comparison. A large training's work arrays (points x units, about 20 MB for the
# largest network) exist only while it holds one of the process's training slots; they are dropped after each of
# its ticks and when the session disconnects (tests/app/test_backprop_memory.py runs the worst case).

#: Epochs one run may train (the page's Epochs control, and ``epochs`` of calc_core.mlp.MLP), and so the length
#: of the history it keeps.
MAX_TRAINING_EPOCHS = 3000
#: Runs one session may pin for comparison (each keeps at most 400 points of each curve).
MAX_PINNED_RUNS = 5
#: Bytes a session's training state, pins, sweep and comparison may hold between ticks (the worst case the caps
#: admit held 0.8 MB; a large training that kept its work arrays would hold 11 MB more).
SESSION_TRAINING_BYTES = 2_000_000
#: A tick that may do at least this much work is a large training: it ticks only while it holds a training slot.
LARGE_TRAINING_TICK_WORK = 100_000_000
#: Large trainings that tick at once in one server process (each tick is up to a quarter of a second of one core,
#: and this machine has two); the others wait their turn, oldest waiter first.
TRAINING_SLOTS = 2
#: A waiter not heard from for this long (seconds) no longer holds up those behind it; it keeps its place.
TRAINING_WAIT_STALE = 3.0
#: A waiter not heard from for this long (seconds) is forgotten (a closed tab that never said so).
TRAINING_WAIT_FORGET = 60.0

# --- Typed math (calc_core.expressions, calc_core.answers) -----------------------------------------------------------
# Parsing runs in the server process on every rerun, so these caps alone bound it (tests/unit/test_expressions.py
# parses the worst case each one admits).

#: Characters of one typed expression or answer.
MAX_EXPRESSION_LENGTH = 300
#: Nested parentheses.
MAX_EXPRESSION_DEPTH = 30
#: Syntax-tree nodes (numbers, names, operators, calls).
MAX_EXPRESSION_NODES = 300
#: Digits of one integer literal.
MAX_INTEGER_DIGITS = 20
#: Size of a numeric exponent (x^1000 is fine, x^1001 is refused).
MAX_EXPONENT = 1000
#: Decimal digits of any exact number and of the magnitude of any constant (|c| < 10^1000).
MAX_RESULT_DIGITS = 1000
#: Functions and powers of a number nested one inside another (exp(-exp(-1)) is 2): sympy decides
#: the sign of such a constant with evalf, whose cost doubles with each level.
MAX_CONSTANT_NESTING = 3
#: Stacked exponents that depend on a variable (x^x^x^x^x, exp(exp(x)) count 4 and 2); derivatives of
#: taller towers grow too fast to show.
MAX_POWER_TOWER = 4
#: Nodes of an expression compiled to a numpy function (derivatives of a typed expression included).
#: lambdify costs about 0.1-0.2 ms of CPU per node on this 2-core machine under load, so the largest
#: admitted tree compiles in under 0.5 s (3 000 nodes took 0.54 s, 20 000 took 2.9 s).
MAX_COMPILE_NODES = 2_500
#: Characters of the LaTeX shown for one expression; longer formulas get a plain note instead.
MAX_LATEX_CHARS = 4_000

# --- Derivatives and integrals (calc_core.domain, calc_core.differentiation, calc_core.integration) ---------------
# The domain search runs in the server process on every new function or range, so these caps alone bound it
# (tests/unit/test_domain.py runs the worst case they admit and counts the points evaluated).

#: Grid points of the domain search over any range.
DOMAIN_GRID_POINTS = 2001
#: Distinct pieces (denominators, roots, log and abs arguments) whose zeros are searched.
MAX_DOMAIN_PIECES = 32
#: Candidate points (zeros of those pieces) classified as pole, hole or corner; an even spread beyond it.
MAX_DOMAIN_CANDIDATES = 4000
#: Points or stretches named in one sentence; the rest are counted ("and 812 more").
MAX_LISTED_POINTS = 8
#: Gaps a chart inserts at poles, holes and corners.
MAX_PLOT_BREAKS = 400
#: Trouble spots handed to scipy's quad as split points (it subdivides at most 200 times in all).
MAX_QUAD_POINTS = 50
#: Nodes of a derivative shown as a formula and compiled; larger ones are shown numerically.
MAX_DERIVATIVE_NODES = 5_000
#: Wall-clock budget of the whole exact side of the integrals page (antiderivative, then the definite integral).
INTEGRALS_SYMBOLIC_BUDGET = 4.0
#: The least budget the definite integral gets after a slow antiderivative.
MIN_DEFINITE_TIMEOUT = 1.0

# --- Gradient and Jacobian formulas (calc_core.gradients, calc_core.jacobians) ---------------------------------------
# ∇f, J and det J are differentiated and printed in the killable worker (SYMBOLIC_TIMEOUT); the formulas kept stay
# under MAX_COMPILE_NODES (to compile in the server) and MAX_LATEX_CHARS (to show), else numbers come from central
# differences (tests/unit/test_gradients.py and test_jacobians.py run the largest trees the parser admits).

#: Simplifying det J for display; the determinant as computed is shown when this runs out.
SIMPLIFY_TIMEOUT = 1.5

# --- Support vector machine (SVM page) -------------------------------------------------------------------------------

#: Points the page fits (typed, linked or uploaded); the dual pairs every +1 point with every −1 point.
SVM_MAX_POINTS = 200
#: Characters of one point as the page writes it: two coordinates of up to 13 characters ("-1.23457e-300"),
#: a class of up to 2, two commas and a separator.
SVM_POINT_CHARS = 32
#: Characters of the points text (box, link, loaded CSV): every point the page fits, as it writes them.
SVM_POINTS_TEXT_CHARS = SVM_MAX_POINTS * SVM_POINT_CHARS
#: Optimization page: nodes of a typed function whose first and second derivatives are taken in the server process
#: (tenths of a second at most, tests/unit/test_optimization.py); larger ones are differentiated in the worker.
INLINE_DERIVATIVE_NODES = 24
#: Iterations of scikit-learn's SVC reference on unit-scaled points (it converges in a few thousand; the
#: cap bounds nearly touching or interleaved classes, where it would run to a million).
SVC_MAX_ITER = 100_000
