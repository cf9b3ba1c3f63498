"""Downloads of the run: its history, its weights and a numpy script that repeats it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from calc_core.mlp.export import history_csv, numpy_script, weights_json
from ui.errors import user_errors
from ui.sections import section
from ui.views.backprop.current import CurrentView
from ui.views.backprop.settings import SECTIONS


@section(SECTIONS["backprop_export"])
def render_export(current: CurrentView) -> None:
    """History, weights and a numpy script that repeats the run (features and live changes included)."""
    view = current.view
    st.subheader("Export")
    if view.run.running:
        st.caption("Pause to download the run.")
        return
    epoch = view.model.n_epochs_
    builders = {"history": lambda v: history_csv(v.model), "weights": lambda v: weights_json(v.model),
                "script": lambda v: numpy_script(v.model, v.split.X_train, v.split.y_train, v.split.X_test,
                                                 v.split.y_test)}

    def deferred(kind: str) -> Callable[[], str]:
        # Built on the click, in Streamlit's download thread, from the panel's latest view (a live change there
        # may not have rerun this section), once per epoch and settings: a page view does not pay for it.
        def build() -> str:
            v = current.view
            # A live change alters the settings and the list of changes without a new epoch.
            version = (len(v.model.changes_), tuple(sorted(v.live.items(), key=str)))
            return v.run.memo(f"export_{kind}", v.model.n_epochs_, lambda: builders[kind](v), version)
        return build

    with user_errors(stop=False):
        history_col, weights_col, script_col = st.columns(3)
        history_col.download_button("History (CSV)", deferred("history"), file_name="backprop_history.csv",
                                    mime="text/csv", key="backprop_download_history", icon=":material/table:",
                                    width="stretch", on_click="ignore")
        weights_col.download_button("Weights (JSON)", deferred("weights"), file_name="backprop_weights.json",
                                    mime="application/json", key="backprop_download_weights",
                                    icon=":material/data_object:", width="stretch", on_click="ignore")
        script_col.download_button("Standalone script (numpy)", deferred("script"), file_name="backprop_run.py",
                                   mime="text/x-python", key="backprop_download_script", icon=":material/code:",
                                   width="stretch", on_click="ignore")
        st.caption(f"Epoch {epoch}. The script carries the data, the input features and the settings, with every "
                   f"live change at its epoch, and repeats these {epoch} epochs with numpy alone, ending with the "
                   "same weights.")
