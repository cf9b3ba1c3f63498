"""Training that advances in short fragment ticks while the rest of a page stays usable.

A page keeps one run per browser session in ``st.session_state["<prefix>_run"]``.
A run belongs to the settings it was started with (its ``key``: named groups
of settings, such as data, network, seeds): a change in any group starts a
new run at epoch 0 and the run remembers which groups changed, so a change
never mixes two trainings and nothing is retrained on a rerun that keeps the
settings. Settings outside the key (a page's live settings) are the page's
to apply to the running model.

Train, Pause, Step and Reset act in their callbacks (Step trains its one epoch
there), before the page script runs, and each marks the click, so a page that
draws them inside a fragment can run the whole page (:func:`control_clicked`).
The live part of the page is a
fragment that reruns every ``TICK_SECONDS`` while the run is going and trains
for at most ``WORK_SECONDS`` per tick. Pause triggers a full rerun, which
interrupts a tick at its next Streamlit call and redeclares the fragment
without a timer, so it takes effect within one tick. When a run reaches its
target or fails, the fragment asks for a full rerun for the same reason.

Step is disabled at the page's epoch bound (``max_epochs`` of
:func:`control_bar`) and Train stops at the target, which the page also
bounds; that bounds the per-session history the model keeps.

A run the page marks ``large`` (its ticks do a lot of work) ticks only while it
holds one of the process's training slots (:class:`TrainingSlots`, at most
``TRAINING_SLOTS`` at once, taken in turn); while it waits, its ticks only
redraw, and ``run.waiting`` says so. After each tick and Step the page's
``release`` drops the model's work arrays (points x units), so between ticks a
session holds only its weights, history and memo; a large training's arrays
exist only while it holds a slot. When a session disconnects, its runs let go
of their arrays and memo at once, and of its place in the queue, instead of
when Streamlit finally forgets the session, and the process hands the memory
its allocator keeps free back to the system.
"""

from __future__ import annotations

import ctypes
import math
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from calc_core.limits import TRAINING_SLOTS, TRAINING_WAIT_FORGET, TRAINING_WAIT_STALE
from ui import compute

TICK_SECONDS = 0.4
BUTTON_WIDTH = 110
WORK_SECONDS = 0.25


@dataclass
class TrainingRun:
    """The state of one session's training run (mutable; it lives in session state).

    Attributes
    ----------
    key : tuple
        The settings the run belongs to.
    model : object
        Whatever the page trains; only the page's callables touch it.
    running : bool
        Whether ticks keep training.
    failure : str or None
        Why training stopped on its own (for example a diverging loss).
    seconds_per_epoch : float or None
        Measured cost of one epoch, used to size the chunks of a tick.
    stash : dict
        Results derived from the run that are worth keeping between reruns,
        keyed by what they depend on (for example the epoch).
    started_by : tuple of str
        The groups of settings that differed from the previous run's (empty
        for a session's first run and after Reset).
    large : bool
        Whether a tick is large work, done only while holding a training slot
        (the page decides, from its settings).
    waiting : bool
        Whether the last tick found no free training slot and did not train.
    release : callable or None
        ``release(model)`` frees what the model rebuilds when it next trains
        (its work arrays); called after each tick and Step, and when the
        session disconnects.
    extra : dict
        What the page keeps of this run besides its model (early stopping's
        best epoch, for example); it goes with the run.
    """

    key: tuple
    model: Any
    running: bool = False
    failure: str | None = None
    seconds_per_epoch: float | None = None
    stash: dict = field(default_factory=dict)
    started_by: tuple[str, ...] = ()
    large: bool = False
    waiting: bool = False
    release: Callable[[Any], object] | None = None
    extra: dict = field(default_factory=dict)

    def release_memory(self) -> None:
        """Drop what can be built again: the memo's results and the model's work arrays."""
        self.stash = {}
        self._release_work_arrays()

    def _release_work_arrays(self) -> None:
        if self.release is not None:
            self.release(self.model)

    def memo(self, name: str, epoch: int, compute: Callable[[], Any], depends_on: tuple = ()) -> Any:
        """``compute()`` once per ``(name, epoch, depends_on)``.

        ``depends_on`` holds what else the result depends on besides the epoch (for
        example a live setting that changes the model without a new epoch). One result
        per name is kept, and only of the current epoch.
        """
        key = (name, epoch, depends_on)
        if key not in self.stash:
            self.stash = {k: v for k, v in self.stash.items() if k[1] == epoch and k[0] != name}
            self.stash[key] = compute()
        return self.stash[key]

    def has(self, name: str, epoch: int, depends_on: tuple = ()) -> bool:
        """Whether :meth:`memo` holds ``name`` for ``epoch`` and ``depends_on``."""
        return (name, epoch, depends_on) in self.stash

    def forget(self, name: str, epoch: int, depends_on: tuple = ()) -> None:
        """Drop what :meth:`memo` holds for ``name`` (so it is computed again when asked)."""
        self.stash.pop((name, epoch, depends_on), None)


class TrainingSlots:
    """At most ``slots`` large trainings tick at once in this process; the others wait their turn.

    Nothing blocks: a session asks at every tick (:meth:`acquire`) and either
    trains now or skips this tick. A session that asks while every slot is
    taken gets a place in line (a ticket, kept until it is served); a free slot
    goes to the oldest tickets first, and a session that has just trained goes
    to the back of the line if it asks again, so sessions take turns. A waiter
    not heard from for ``stale`` seconds (a closed tab, or a very slow one) no
    longer holds up those behind it but keeps its place; after ``forget``
    seconds its ticket is dropped. So a slot is never held up for long by a
    session that left, and no session waits behind more tickets than were
    ahead of it when it arrived.
    """

    def __init__(self, slots: int, stale: float = TRAINING_WAIT_STALE, forget: float = TRAINING_WAIT_FORGET,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.slots = slots
        self.stale = stale
        self.forget = forget
        self._clock = clock
        self._lock = threading.Lock()
        self._holding: dict[Hashable, int] = {}
        self._line: dict[Hashable, float] = {}  # owner -> when last heard from, in the order of arrival

    def acquire(self, owner: Hashable) -> bool:
        """Take a slot for ``owner`` if one is free and its turn has come; else keep (or take) its place in line."""
        with self._lock:
            now = self._clock()
            self._line = {o: seen for o, seen in self._line.items() if now - seen < self.forget}
            self._line[owner] = now
            if self.slots - sum(self._holding.values()) <= self._ahead(owner, now):
                return False
            del self._line[owner]
            self._holding[owner] = self._holding.get(owner, 0) + 1
            return True

    def release(self, owner: Hashable) -> None:
        """Give back a slot taken by :meth:`acquire`."""
        with self._lock:
            left = self._holding.get(owner, 0) - 1
            if left > 0:
                self._holding[owner] = left
            else:
                self._holding.pop(owner, None)

    def leave(self, owner: Hashable) -> None:
        """``owner`` no longer waits (it paused, finished or left)."""
        with self._lock:
            self._line.pop(owner, None)

    def ahead_of(self, owner: Hashable) -> int:
        """Waiters ahead of ``owner`` that still count (heard from within ``stale`` seconds)."""
        with self._lock:
            return self._ahead(owner, self._clock())

    def _ahead(self, owner: Hashable, now: float) -> int:
        ahead = 0
        for other, seen in self._line.items():
            if other == owner:
                break
            ahead += now - seen < self.stale
        return ahead

    def busy(self) -> int:
        """Slots taken now."""
        with self._lock:
            return sum(self._holding.values())


SLOTS = TrainingSlots(TRAINING_SLOTS)


@dataclass
class SessionRuns:
    """The runs of one browser session, by page prefix, for what must happen when the session disconnects."""

    owner: Hashable
    runs: dict[str, TrainingRun] = field(default_factory=dict)


# glibc keeps freed memory for reuse rather than hand it back; malloc_trim returns the free pages (under 1 ms).
_MALLOC_TRIM = getattr(ctypes.CDLL(None), "malloc_trim", None)


def _session_ended(session: SessionRuns) -> None:
    SLOTS.leave(session.owner)
    for run in list(session.runs.values()):  # the session's script thread may still be adding one
        run.release_memory()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


@compute.per_session(on_release=_session_ended)
def _session_runs(owner: Hashable) -> SessionRuns:
    return SessionRuns(owner)


def _owner() -> Hashable:
    """Who holds training slots: the browser session."""
    return compute.session_id()


def current_run(prefix: str, groups: dict[str, tuple], start: Callable[[], Any],
                release: Callable[[Any], object] | None = None) -> TrainingRun:
    """The session's run for the settings ``groups``; a new run (model from ``start()``) if any group changed.

    A run that was training keeps training after a settings change, from epoch 0
    with the new settings, so a learner can adjust a control while watching.
    The new run's ``started_by`` names the groups that changed. ``release``
    becomes the run's :attr:`TrainingRun.release`.
    """
    key = tuple(groups.items())
    run = st.session_state.get(f"{prefix}_run")
    if not (isinstance(run, TrainingRun) and run.key == key):
        previous = dict(run.key) if isinstance(run, TrainingRun) else {}
        changed = tuple(name for name, value in groups.items() if previous and previous.get(name) != value)
        was_running = isinstance(run, TrainingRun) and run.running
        run = TrainingRun(key=key, model=start(), running=was_running, started_by=changed, release=release)
        st.session_state[f"{prefix}_run"] = run
    _session_runs(_owner()).runs[prefix] = run
    return run


def train_for(run: TrainingRun, train: Callable[[int], None], epochs_done: Callable[[], int], target: int,
              max_epochs: int | None = None, budget_s: float = WORK_SECONDS) -> int:
    """Train ``run`` in chunks until ``budget_s`` is spent, ``max_epochs`` are done or ``target`` is reached.

    ``train(n)`` trains ``n`` more epochs; a ``ValueError`` from it (such as a
    diverging loss) stops the run and is kept in ``run.failure``.
    ``epochs_done()`` counts the epochs trained so far. Chunks are sized from
    the measured cost of an epoch, so a tick takes about ``budget_s`` (and at
    least one epoch) whatever the network's size. Reaching ``target`` pauses
    the run. Returns the number of epochs trained by this call.
    """
    start = time.perf_counter()
    before = epochs_done()
    limit = target if max_epochs is None else min(target, before + max_epochs)
    was_running = run.running  # ``train`` may stop the run (early stopping): then the tick ends too
    while (done := epochs_done()) < limit and run.failure is None and (run.running or not was_running):
        left = budget_s - (time.perf_counter() - start)
        if left <= 0:
            break
        n = limit - done
        if run.seconds_per_epoch:
            n = max(1, min(n, math.floor(left / run.seconds_per_epoch)))
        else:
            n = 1
        tick = time.perf_counter()
        _train_chunk(run, train, n)
        trained = epochs_done() - done
        if trained:
            run.seconds_per_epoch = (time.perf_counter() - tick) / trained
    if epochs_done() >= target:
        run.running = False
    return epochs_done() - before


def step(run: TrainingRun, train: Callable[[int], None]) -> None:
    """Train exactly one epoch and leave the run paused (its work arrays are dropped after it)."""
    run.running = False
    SLOTS.leave(_owner())
    run.waiting = False
    if run.failure is None:
        _train_chunk(run, train, 1)
        run._release_work_arrays()


def waiting_note(run: TrainingRun) -> str:
    """Why a waiting run does not train, in a learner's words."""
    ahead = SLOTS.ahead_of(_owner())
    return (f"This server trains at most {SLOTS.slots} large networks at a time, taking turns; yours continues "
            "when a slot is free" + (f" ({ahead} ahead of it)." if ahead else " (it is next)."))


def _train_chunk(run: TrainingRun, train: Callable[[int], None], n: int) -> None:
    try:
        train(n)
    except ValueError as exc:
        run.running = False
        run.failure = str(exc)


def control_bar(prefix: str, run: TrainingRun, epoch: int, target: int, max_epochs: int,
                train: Callable[[int], None], epochs: Callable[[], int]) -> None:
    """Train / Pause / Step / Reset buttons in one row (it wraps on a narrow screen).

    They act in callbacks, which run before the page script, so the rerun they
    trigger already draws the new state (and declares or drops the fragment's
    timer). Step trains one epoch with ``train(1)`` unless ``epochs()``, the
    run's epoch when clicked, has reached ``max_epochs``.
    """
    # A wrapping row: four buttons side by side on a laptop, two by two on a phone.
    row = st.container(horizontal=True)
    finished = epoch >= target
    row.button(
        "Train",
        key=f"{prefix}_train",
        icon=":material/play_arrow:",
        type="primary",
        disabled=run.running or finished or run.failure is not None,
        on_click=_set_running,
        args=(prefix, True),
        width=BUTTON_WIDTH,
        help=("Raise Epochs to train further." if finished else "Train until the Epochs setting is reached."),
    )
    row.button(
        "Pause",
        key=f"{prefix}_pause",
        icon=":material/pause:",
        disabled=not run.running,
        on_click=_set_running,
        args=(prefix, False),
        width=BUTTON_WIDTH,
    )
    row.button(
        "Step",
        key=f"{prefix}_step",
        icon=":material/skip_next:",
        disabled=run.failure is not None or epoch >= max_epochs,
        on_click=_step,
        args=(prefix, train, epochs, max_epochs),
        width=BUTTON_WIDTH,
        help="Pause and train exactly one epoch.",
    )
    row.button(
        "Reset",
        key=f"{prefix}_reset",
        icon=":material/restart_alt:",
        on_click=reset,
        args=(prefix,),
        width=BUTTON_WIDTH,
        help="Back to the initial weights (epoch 0).",
    )


def control_clicked(prefix: str) -> bool:
    """Whether a button of :func:`control_bar` (or :func:`reset`) acted since the last call; clears the mark.

    A page that draws the bar inside a fragment asks this to know when the rest of the page must follow.
    """
    return bool(st.session_state.pop(f"{prefix}_control_clicked", False))


def _set_running(prefix: str, running: bool) -> None:
    st.session_state[f"{prefix}_control_clicked"] = True
    run = st.session_state.get(f"{prefix}_run")
    if isinstance(run, TrainingRun):
        run.running = running and run.failure is None
        if not run.running:
            SLOTS.leave(_owner())
            run.waiting = False


def _step(prefix: str, train: Callable[[int], None], epochs: Callable[[], int], max_epochs: int) -> None:
    st.session_state[f"{prefix}_control_clicked"] = True
    run = st.session_state.get(f"{prefix}_run")
    if isinstance(run, TrainingRun) and epochs() < max_epochs:  # a crafted click on the disabled button
        step(run, train)


def resume(prefix: str) -> None:
    """Set the session's run training again (a page that raised its target: "continue training")."""
    _set_running(prefix, True)


def reset(prefix: str) -> None:
    """Forget the session's run; the next page run starts again from the initial weights."""
    st.session_state[f"{prefix}_control_clicked"] = True
    st.session_state.pop(f"{prefix}_run", None)
    SLOTS.leave(_owner())


def live(run: TrainingRun, body: Callable[[], None], tick: Callable[[], None]) -> None:
    """Draw ``body`` in a fragment that calls ``tick`` and redraws every ``TICK_SECONDS`` while running.

    When a tick ends the run (target reached, failure), a full rerun follows so
    the buttons and the parts of the page outside the fragment catch up and
    the timer is dropped. A ``large`` run ticks only with a training slot;
    without one it skips this tick and ``body`` draws it waiting. Each tick
    drops the run's work arrays when it ends.
    """

    def render() -> None:
        was_running = run.running
        if was_running:
            _tick(run, tick)
        body()
        if was_running and not run.running:
            st.rerun(scope="app")

    st.fragment(render, run_every=TICK_SECONDS if run.running else None)()


def _tick(run: TrainingRun, tick: Callable[[], None]) -> None:
    owner = _owner()
    if run.large:
        run.waiting = not SLOTS.acquire(owner)
        if run.waiting:
            return
    try:
        tick()
    finally:
        if run.large:
            SLOTS.release(owner)
        run._release_work_arrays()
