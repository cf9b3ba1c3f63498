"""Lesson 5, the backpropagation playground: its Streamlit side, one module per concern.

- :mod:`.text`: the lesson's words (``TEXT``: title, summary, task) and the notes its sections show;
- :mod:`.settings`: every control, declared once (``CONTROLS``), and the option tables behind them;
- :mod:`.state`: the settings (:class:`Setup`, :class:`Settings`), the :class:`BackpropView` the sections
  draw, and the session's :class:`PageState` (pinned runs, the latest comparison and sweep);
- :mod:`.data`: the analyst's own file: the upload box, the column pickers and the points they make;
- :mod:`.view`: the data (cached) and the view of a set of settings, with the session's training run;
- :mod:`.current`: :class:`CurrentView`, the training panel's latest view shared with the sections below,
  and when a change in the panel must redraw them;
- :mod:`.training_panel`: the training settings, Train / Pause / Step / Reset and the live part;
- :mod:`.inspection`: one backward step in numbers, and the gradient check;
- :mod:`.comparison`: the reference comparison with scikit-learn, and pinned runs;
- :mod:`.sweep`: sweeping one hyperparameter;
- :mod:`.export`: the run's history, weights and a standalone script.

The page script (``lessons/backprop.py``) draws the data and network controls into a :class:`Setup`, then
the sections in order, each given the same :class:`CurrentView`; the training run lives in
``st.session_state`` (see :mod:`ui.training`).
"""

from __future__ import annotations

from ui.views.backprop.comparison import render_compare, render_reference
from ui.views.backprop.current import CurrentView
from ui.views.backprop.data import DataChoice, render_upload, untrained_note
from ui.views.backprop.export import render_export
from ui.views.backprop.inspection import render_backward_step
from ui.views.backprop.settings import CONTROLS, CSV, selected_features
from ui.views.backprop.state import BackpropView, PageState, Settings, Setup, page_state
from ui.views.backprop.sweep import render_sweep
from ui.views.backprop.text import COURSE_NOTE, CSV_PROMPT, TEXT
from ui.views.backprop.training_panel import render_training_panel

# What the page script uses, and the types a reader meets first.
__all__ = [
    "CONTROLS", "COURSE_NOTE", "CSV", "CSV_PROMPT", "TEXT",
    "BackpropView", "CurrentView", "DataChoice", "PageState", "Settings", "Setup", "page_state", "selected_features",
    "render_backward_step", "render_compare", "render_export", "render_reference", "render_sweep",
    "render_training_panel", "render_upload", "untrained_note",
]
