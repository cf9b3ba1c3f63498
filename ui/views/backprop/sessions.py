"""Saved sessions: the page's whole state as one JSON file, and that file loaded back.

A session file holds every control's value (so built-in data is the generator settings that make it; an
uploaded file travels inside it, with its chosen columns), the
current run as its live changes and its number of epochs (with early stopping's best epoch), the pinned runs
and the latest sweep. Loading it sets the controls and trains the run again from its initial weights: training
is deterministic and does not depend on how it is split into calls, so the curves and weights are the saved
run's bit for bit.

A loaded file is data, never code: it is read with ``json`` alone, and every field is checked before anything
changes: the controls against their declarations (:data:`ui.views.backprop.settings.CONTROLS`, the ranges and
options a link is checked against), the run, pinned runs and sweep against their own bounds. A file that fails
any check is refused with a message and the page stays as it was.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Callable

import numpy as np
import streamlit as st

from calc_core.limits import MAX_PINNED_RUNS, SESSION_FILE_BYTES, SESSION_REPLAY_MAX_WORK, SESSION_REPLAY_TIMEOUT
from calc_core.mlp import LIVE_SETTINGS, OPTIMIZERS, training_work
from calc_core.mlp.early_stopping import EarlyStopping
from calc_core.mlp.replay import replay
from calc_core.mlp.sweep import MAX_GRID, MAX_SEEDS, SWEEP_PARAMETERS, SweepResult, SweepRun
from ui import compute, widgets
from ui.controls import Control, Kind
from ui.errors import literal
from ui.views.backprop import data as uploads
from ui.views.backprop.current import CurrentView
from ui.views.backprop.settings import BATCH_SIZES, CONTROLS, CSV, L2_STRENGTHS, LEARNING_RATES, MAX_EPOCHS
from ui.views.backprop.state import BackpropView, PageState, PinnedRun, Stored, page_state

FORMAT = "calculus-for-ml-lab/backprop-session"
VERSION = 1
MAX_BYTES = SESSION_FILE_BYTES
MAX_CHANGES = 2000
MAX_CURVE_POINTS = 1000
MAX_DEPTH = 8
FILE_KEY = "backprop_session_file"
_PENDING = "backprop_session_pending"
_MESSAGE = "backprop_session_message"
EARLY_STOPPING = "early_stopping"  # where the training panel keeps the run's EarlyStopping (``run.extra``)
CURVES = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")


class SessionError(ValueError):
    """A session file that cannot be loaded, in the analyst's words."""


# ------------------------------------------------------------------ saving


def _number(value):
    """A float for JSON: ``None`` for NaN (JSON has no NaN), else the float (``repr`` round-trips exactly)."""
    value = float(value)
    return None if math.isnan(value) else value


def _plain(value):
    """Tuples as lists, numpy scalars as Python ones, NaN as None: what ``json`` writes."""
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return _number(value)
    return value


def control_values(held) -> dict:
    """Every control's value: as ``held`` (the session's state) has it, else its declared default."""
    values = {}
    for key, control in CONTROLS.items():
        value = held[key] if key in held else control.default
        values[key] = list(value) if control.kind is Kind.MULTISELECT else value
    return values


def initial_live(model) -> dict:
    """The live settings the run started with: each one's value before its first change."""
    live = {name: getattr(model, name) for name in LIVE_SETTINGS}
    for change in reversed(model.changes_):
        live[change.name] = change.old
    return live


def upload_record(upload, held) -> dict | None:
    """An uploaded file as a session keeps it: its bytes (base64), its name and the column pickers' values."""
    if upload is None:
        return None
    pickers = {key: (list(held[key]) if key == uploads.FEATURES_KEY else held[key])
               for key in (*uploads.PICKER_KEYS, uploads.STANDARDISE_KEY) if key in held}
    return {"name": upload.name, "content": base64.b64encode(upload.content).decode("ascii"), "pickers": pickers}


def session_document(model, extra: dict, state: PageState, controls: dict, upload: dict | None = None) -> dict:
    """A JSON-ready dict of the run's ``model`` and ``extra``, the page's ``state``, the ``controls``' values and
    the uploaded data (:func:`upload_record`), if any."""
    watch = extra.get(EARLY_STOPPING)
    stopping = None
    if watch is not None and watch.best_epoch is not None:
        stopping = {"patience": watch.patience, "best_epoch": watch.best_epoch, "best_loss": _number(watch.best_loss),
                    "stopped_at": watch.stopped_at, "stopped_loss": _number(watch.stopped_loss)}
    run = {"epochs": int(model.n_epochs_), "initial": _plain(initial_live(model)),
           "changes": [[int(c.epoch), c.name, _plain(c.old), _plain(c.new)] for c in model.changes_],
           "early_stopping": stopping}
    pinned = [{"label": p.label, "settings": _plain(p.settings),
               "curves": {name: _plain(np.asarray(p.curves[name]).tolist()) for name in CURVES},
               "final": _plain(p.final)} for p in state.pinned]
    sweep = None
    if state.sweep is not None and state.sweep.value is not None:
        r = state.sweep.value
        sweep = {"key": _plain(state.sweep.key),
                 "result": {"parameter": r.parameter, "values": _plain(r.values), "seeds": _plain(r.seeds),
                            "epochs": r.epochs, "complete": r.complete,
                            "runs": [_plain(vars(run_)) for run_ in r.runs]}}
    return {"format": FORMAT, "version": VERSION, "controls": _plain(controls), "data": upload, "run": run,
            "pinned": pinned, "sweep": sweep}


def session_json(view: BackpropView) -> str:
    """The session of the page showing ``view``, as the text of a session file."""
    document = session_document(view.model, view.run.extra, page_state(), control_values(st.session_state),
                                upload_record(view.upload, st.session_state))
    return json.dumps(document, ensure_ascii=False, allow_nan=False)


# ------------------------------------------------------------------ checking a file


def _fail(where: str, what: str):
    raise SessionError(f"{where}: {what}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def check_control(control: Control, value):
    """``value`` if the control ``control`` may take it (its declared range or options), else SessionError."""
    where = f"the setting {control.label!r}"
    kind = control.kind
    if kind in (Kind.SLIDER, Kind.NUMBER, Kind.LOG_SLIDER):
        if not _is_number(value) or not control.lo <= value <= control.hi:
            _fail(where, f"needs a number from {control.lo:g} to {control.hi:g}")
        if isinstance(control.default, int) and isinstance(control.step, int) and value != int(value):
            _fail(where, "needs a whole number")
        return type(control.default)(value) if kind is not Kind.LOG_SLIDER else float(value)
    if kind in (Kind.SELECT, Kind.RADIO, Kind.SELECT_SLIDER):
        for option in control.options:
            if type(option) is type(value) and option == value:
                return option
            if isinstance(option, float) and isinstance(value, int) and not isinstance(value, bool) \
                    and option == value:
                return option
        _fail(where, "is not one of its choices")
    if kind is Kind.TOGGLE:
        if not isinstance(value, bool):
            _fail(where, "needs true or false")
        return value
    if kind is Kind.TEXT:
        if not isinstance(value, str) or len(value) > control.max_chars:
            _fail(where, f"needs text of at most {control.max_chars} characters")
        return value
    if kind is Kind.MULTISELECT:
        if not isinstance(value, list) or any(v not in control.options for v in value):
            _fail(where, "is not a list of its choices")
        return tuple(value)
    _fail(where, "cannot be loaded")


_LIVE_VALUES: dict[str, Callable[[object], bool]] = {
    "learning_rate": lambda v: _is_number(v) and any(v == r for r in LEARNING_RATES),
    "l2": lambda v: _is_number(v) and any(v == r for r in L2_STRENGTHS),
    "optimizer": lambda v: isinstance(v, str) and v in OPTIMIZERS,
    "batch_size": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool) and v in BATCH_SIZES),
}


def _check_live(where: str, name, value):
    if name not in _LIVE_VALUES or not _LIVE_VALUES[name](value):
        _fail(where, f"{str(name)[:40]!r} is not a live setting with a value the page offers")
    return float(value) if name in ("learning_rate", "l2") else value


def _whole(value, lo: int, hi: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi


def _check_run(run) -> dict:
    if not isinstance(run, dict):
        _fail("the run", "is missing")
    epochs = run.get("epochs")
    if not _whole(epochs, 0, MAX_EPOCHS):
        _fail("the run", f"needs a number of epochs from 0 to {MAX_EPOCHS}")
    initial = run.get("initial")
    if not isinstance(initial, dict) or set(initial) != set(LIVE_SETTINGS):
        _fail("the run", "needs its initial training settings")
    initial = {name: _check_live("the run's initial settings", name, value) for name, value in initial.items()}
    changes = run.get("changes")
    if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
        _fail("the run", f"needs a list of at most {MAX_CHANGES} live changes")
    checked, last = [], 0
    for change in changes:
        if not (isinstance(change, list) and len(change) == 4 and _whole(change[0], last, epochs)):
            _fail("a live change", "needs [epoch, setting, old, new], in order and within the run's epochs")
        last = change[0]
        checked.append((change[0], change[1], _check_live("a live change", change[1], change[3])))
    stopping = run.get("early_stopping")
    if stopping is not None:
        if not isinstance(stopping, dict):
            _fail("early stopping", "is not a record")
        best, stopped = stopping.get("best_epoch"), stopping.get("stopped_at")
        if not _whole(stopping.get("patience"), 1, 1000) or not _whole(best, 0, epochs) or \
                not (stopped is None or _whole(stopped, best, MAX_EPOCHS)):
            _fail("early stopping", "has epochs outside the run")
        for name in ("best_loss", "stopped_loss"):
            if not (stopping.get(name) is None or _is_number(stopping.get(name))):
                _fail("early stopping", "needs numbers for its losses")
    return {"epochs": epochs, "initial": initial, "changes": checked, "early_stopping": stopping}


def _scalar(value) -> bool:
    return value is None or isinstance(value, (bool, str)) or _is_number(value)


def _check_pinned(pinned) -> list[PinnedRun]:
    if not isinstance(pinned, list) or len(pinned) > MAX_PINNED_RUNS:
        _fail("the pinned runs", f"need a list of at most {MAX_PINNED_RUNS}")
    out = []
    for p in pinned:
        if not isinstance(p, dict) or not isinstance(p.get("label"), str) or len(p["label"]) > 400:
            _fail("a pinned run", "needs a label of at most 400 characters")
        settings, final, curves = p.get("settings"), p.get("final"), p.get("curves")
        for name, table in (("settings", settings), ("final metrics", final)):
            if not isinstance(table, dict) or len(table) > 40 or not all(
                    isinstance(k, str) and len(k) <= 40 and _scalar(v) and (not isinstance(v, str) or len(v) <= 400)
                    for k, v in table.items()):
                _fail("a pinned run", f"has {name} that are not a short table of plain values")
        if not isinstance(curves, dict) or set(curves) != set(CURVES):
            _fail("a pinned run", f"needs the curves {', '.join(CURVES)}")
        lengths = {len(v) if isinstance(v, list) else -1 for v in curves.values()}
        if len(lengths) != 1 or not 0 < lengths.pop() <= MAX_CURVE_POINTS:
            _fail("a pinned run", f"needs curves of one length, at most {MAX_CURVE_POINTS} points")
        if not all(_whole(e, 0, MAX_EPOCHS) for e in curves["epoch"]) or not all(
                v is None or _is_number(v) for name in CURVES[1:] for v in curves[name]):
            _fail("a pinned run", "has curves that are not numbers")
        arrays = {"epoch": np.array(curves["epoch"], dtype=np.int64),
                  **{name: np.array([np.nan if v is None else v for v in curves[name]], dtype=np.float64)
                     for name in CURVES[1:]}}
        final = {k: (math.nan if v is None and k != "epochs" else v) for k, v in final.items()}
        out.append(PinnedRun(p["label"], dict(settings), arrays, final))
    if len({p.label for p in out}) != len(out):
        _fail("the pinned runs", "need different labels")
    return out


def _tuples(value, depth: int = 0):
    """JSON lists as tuples, all the way down (a stored result's key is made of tuples)."""
    if depth > MAX_DEPTH:
        _fail("the sweep", "has a key nested too deeply")
    if isinstance(value, list):
        return tuple(_tuples(v, depth + 1) for v in value)
    if not _scalar(value):
        _fail("the sweep", "has a key that is not made of plain values")
    return value


def _check_sweep(sweep) -> Stored | None:
    if sweep is None:
        return None
    if not isinstance(sweep, dict) or not isinstance(sweep.get("result"), dict):
        _fail("the sweep", "is not a record")
    r = sweep["result"]
    values, seeds, runs = r.get("values"), r.get("seeds"), r.get("runs")
    if r.get("parameter") not in SWEEP_PARAMETERS or not isinstance(r.get("complete"), bool) or \
            not _whole(r.get("epochs"), 1, MAX_EPOCHS):
        _fail("the sweep", "has an unknown setting, epochs or state")
    if not isinstance(values, list) or not 0 < len(values) <= MAX_GRID or not all(_is_number(v) for v in values):
        _fail("the sweep", f"needs 1 to {MAX_GRID} values")
    if not isinstance(seeds, list) or not 0 < len(seeds) <= MAX_SEEDS or not all(_whole(s, 0, 10**6) for s in seeds):
        _fail("the sweep", f"needs 1 to {MAX_SEEDS} seeds")
    if not isinstance(runs, list) or len(runs) > len(values) * len(seeds):
        _fail("the sweep", "has more runs than values and seeds")
    fields = ("value", "seed", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "diverged")
    checked = []
    for run in runs:
        if not isinstance(run, dict) or set(run) != set(fields) or run["value"] not in values or \
                run["seed"] not in seeds or not isinstance(run["diverged"], bool) or \
                not all(run[f] is None or _is_number(run[f]) for f in fields[2:6]):
            _fail("the sweep", "has a run that is not a value, a seed and four metrics")
        checked.append(SweepRun(**{f: (math.nan if run[f] is None else run[f]) for f in fields}))
    result = SweepResult(r["parameter"], tuple(values), tuple(seeds), r["epochs"], tuple(checked), r["complete"])
    return Stored(_tuples(sweep.get("key")), result)


def _check_upload(record) -> dict:
    """A session's uploaded file: its bytes read as the upload box reads them, its pickers among its columns."""
    if not isinstance(record, dict) or not isinstance(record.get("content"), str) or \
            not isinstance(record.get("name"), str) or len(record["name"]) > 255 or \
            not isinstance(record.get("pickers"), dict):
        _fail("the uploaded data", "needs the file's name, its content and the chosen columns")
    try:
        content = base64.b64decode(record["content"], validate=True)
    except (binascii.Error, ValueError):
        _fail("the uploaded data", "is not base64 text")
    try:
        table = uploads.read_upload(content)
    except ValueError as exc:
        _fail("the uploaded data", f"does not read as a table ({str(exc)[:200]})")
    pickers, names = record["pickers"], set(table.names)
    label, features = pickers.get(uploads.LABEL_KEY), pickers.get(uploads.FEATURES_KEY)
    if not isinstance(label, str) or label not in names:
        _fail("the uploaded data", "names a label column the file does not have")
    if not isinstance(features, list) or len(features) < 2 or len(set(features)) != len(features) or \
            not all(isinstance(f, str) and f in names and f != label for f in features):
        _fail("the uploaded data", "needs two or more of the file's other columns as features")
    task = pickers.get(uploads.TASK_KEY)
    if not (task is None or (isinstance(task, str) and task in uploads.TASK_LABELS)):
        _fail("the uploaded data", "has an unknown kind of label")
    if not isinstance(pickers.get(uploads.STANDARDISE_KEY, False), bool):
        _fail("the uploaded data", "needs true or false for standardising")
    for key in (uploads.PLOT_X_KEY, uploads.PLOT_Y_KEY):
        if not (pickers.get(key) is None or pickers.get(key) in features):
            _fail("the uploaded data", "draws a column that is not a feature")
    unknown = set(pickers) - {*uploads.PICKER_KEYS, uploads.STANDARDISE_KEY}
    if unknown:
        _fail("the uploaded data", "has a choice this page does not know")
    return {"name": record["name"], "content": content, "pickers": {k: v for k, v in pickers.items() if v is not None}}


def read_session(content: bytes) -> dict:
    """A session file checked field by field; raises :class:`SessionError` with what is wrong."""
    if len(content) > MAX_BYTES:
        raise SessionError(f"The file is larger than a session file may be ({MAX_BYTES // 1_000_000} MB).")
    try:
        document = json.loads(content.decode("utf-8-sig"), parse_constant=lambda name: _fail("the file", f"has {name}"))
    except SessionError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SessionError("The file is not a session file: it is not JSON text.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SessionError("The file is not a session file of this page.")
    if document.get("version") != VERSION:
        raise SessionError(f"The file is a session of another version ({str(document.get('version'))[:20]}); "
                           f"this page reads version {VERSION}.")
    controls = document.get("controls")
    if not isinstance(controls, dict):
        _fail("the file", "has no settings")
    unknown = sorted(set(controls) - set(CONTROLS))
    if unknown:
        _fail("the file", f"has a setting this page does not know: {unknown[0][:40]!r}")
    values = {key: check_control(CONTROLS[key], value) for key, value in controls.items()}
    data = _check_upload(document.get("data")) if values.get("backprop_dataset") == CSV else None
    return {"controls": values, "data": data, "run": _check_run(document.get("run")),
            "pinned": _check_pinned(document.get("pinned", [])), "sweep": _check_sweep(document.get("sweep"))}


# ------------------------------------------------------------------ loading


def _on_upload() -> None:
    """The uploader's callback (before the page runs): check the file, then set the controls and keep the rest."""
    st.session_state.pop(_MESSAGE, None)
    file = st.session_state.get(FILE_KEY)
    if file is None:
        return
    try:
        session = read_session(file.getvalue())
    except SessionError as exc:
        st.session_state[_MESSAGE] = ("error", f"This session was not loaded: {exc} Nothing on the page changed.")
        return
    data = session["data"]
    if data is not None:
        # The page goes on with the last file that read when its upload box is empty: the session's file.
        pickers = data["pickers"]
        st.session_state[uploads._FILE_KEY] = hashlib.sha256(data["content"]).hexdigest()
        for key in (*uploads.PICKER_KEYS, uploads.STANDARDISE_KEY):
            st.session_state.pop(key, None)
        for key, value in pickers.items():
            widgets.set_value(key, value)
        features = tuple(pickers[uploads.FEATURES_KEY])
        st.session_state[uploads._LAST_GOOD_KEY] = uploads.Upload(
            data["content"], features, pickers[uploads.LABEL_KEY], None,
            bool(pickers.get(uploads.STANDARDISE_KEY, False)), name=data["name"])
    for key, value in session["controls"].items():
        widgets.set_value(key, value)
    state = page_state()
    state.pinned = session["pinned"]
    state.sweep = session["sweep"]
    state.reference = None
    st.session_state[_PENDING] = session["run"]
    st.session_state[_MESSAGE] = ("success", f"Session loaded: the settings, {len(session['pinned'])} pinned run(s)"
                                  + (", the sweep" if session["sweep"] else "") + " and the run, trained again to "
                                  f"epoch {session['run']['epochs']}."
                                  + (" A file in the upload box comes first: remove it to use the session's file."
                                     if data is not None and st.session_state.get(uploads.UPLOAD_KEY) else ""))


def replay_pending(view: BackpropView) -> None:
    """Train a loaded session's run again (called by the training panel once the loaded settings built a view).

    In the killable worker, within ``SESSION_REPLAY_MAX_WORK`` and ``SESSION_REPLAY_TIMEOUT``; beyond them the
    run starts from epoch 0 and the page says so.
    """
    saved = st.session_state.pop(_PENDING, None)
    if saved is None:
        return
    run = view.run
    work = training_work(len(view.split.y_train), view.layer_sizes, view.live["batch_size"], saved["epochs"])
    stopping = saved["early_stopping"]
    outcome = None
    if work <= SESSION_REPLAY_MAX_WORK:
        X_test, y_test = view.test_data
        with st.spinner(f"Training the saved run again ({saved['epochs']} epochs)…"):
            outcome = compute.bounded(replay, view.network, saved["initial"], saved["changes"], saved["epochs"],
                                      stopping["best_epoch"] if stopping else None, view.split.X_train,
                                      view.split.y_train, X_test, y_test, timeout=SESSION_REPLAY_TIMEOUT)
    if outcome is None or not outcome.ok:
        st.session_state[_MESSAGE] = ("warning", "Session loaded: the settings, the pinned runs and the sweep. Its "
                                      f"run ({saved['epochs']} epochs) is more than this shared server trains again "
                                      "at once, so the run starts from epoch 0: press Train to repeat it.")
        return
    model, best, failure = outcome.value
    run.model, run.running, run.started_by, run.failure = model, False, (), failure
    run.stash = {}
    run.extra.pop(EARLY_STOPPING, None)
    if stopping:
        run.extra[EARLY_STOPPING] = EarlyStopping(
            stopping["patience"], best_epoch=stopping["best_epoch"],
            best_loss=math.inf if stopping["best_loss"] is None else stopping["best_loss"], best_model=best,
            stopped_at=stopping["stopped_at"],
            stopped_loss=math.nan if stopping["stopped_loss"] is None else stopping["stopped_loss"])


def render_sessions(current: CurrentView) -> None:
    """Save the session as one file, or load one back."""
    view = current.view
    st.subheader("Saved session")
    st.markdown("One file with every setting, the data (the generator's settings, or the uploaded file with its "
                "chosen columns), the run (its live changes and epochs), the pinned runs and the sweep. Loading it "
                "trains the run again from the same initial weights: the same curves and weights, bit for bit.")
    save_col, load_col = st.columns(2)
    with save_col:
        if view.run.running:
            st.caption("Pause to save the session.")
        else:
            st.download_button("Save the session (JSON)", lambda: session_json(current.view),
                               file_name="backprop_session.json", mime="application/json", key="backprop_session_save",
                               icon=":material/save:", on_click="ignore", width="stretch")
    with load_col:
        st.file_uploader("Load a session", type=["json"], key=FILE_KEY, on_change=_on_upload,
                         max_upload_size=max(1, MAX_BYTES // 1_000_000),
                         help="A file saved by this page. It is read as data and checked before anything changes.")
    message = st.session_state.get(_MESSAGE)
    if message:
        kind, text = message
        getattr(st, kind)(literal(text))
