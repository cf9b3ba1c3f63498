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
