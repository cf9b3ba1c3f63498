"""Run a lesson's notebook in a real Jupyter kernel (ipykernel through nbclient) and read what it printed.

The install cell (tagged ``install``) is left out: the test environment already has the pinned versions it would
install. Every other cell runs in order, as a learner runs them; a cell that raises fails the run.
"""

from __future__ import annotations

import copy
import os

import nbclient
from nbformat import NotebookNode

from calc_core.notebooks import INSTALL_TAG, printed_numbers

TIMEOUT = 300  # seconds per cell: a loaded machine, a kernel that starts cold


def execute(nb: NotebookNode) -> tuple[dict[str, float], str]:
    """The ``name = value`` numbers the notebook printed and all its printed text, after running it."""
    runnable = copy.deepcopy(nb)
    runnable.cells = [cell for cell in runnable.cells if INSTALL_TAG not in cell.metadata.get("tags", [])]
    env_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"
    try:
        nbclient.NotebookClient(runnable, timeout=TIMEOUT, kernel_name="python3", allow_errors=False).execute()
    finally:
        if env_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backend
    text = "\n".join(output.get("text", "") for cell in runnable.cells if cell.cell_type == "code"
                     for output in cell.get("outputs", []) if output.get("output_type") == "stream")
    return printed_numbers(text), text
