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
