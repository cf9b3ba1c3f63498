"""The "Notebook (.ipynb)" download every lesson page draws: the page's current view as a Jupyter notebook."""

from __future__ import annotations

import logging

import streamlit as st

from calc_core import notebooks

_log = logging.getLogger(__name__)

CAPTION = ("The notebook repeats this view (the same settings, numbers and charts) with numpy, sympy, scipy, "
           "matplotlib and scikit-learn alone; its first cell installs the versions it was made with.")


def notebook_bytes(lesson_slug: str, settings) -> bytes:
    """The ``.ipynb`` bytes of the lesson's notebook for ``settings``.

    Built only when asked for (the download's click), never on a page rerun.
    """
    try:
        return notebooks.to_bytes(notebooks.build(lesson_slug, settings))
    except Exception:  # a failed build must not show a traceback: the learner gets a notebook that says so
        _log.exception("The %s notebook could not be built", lesson_slug)
        failed = notebooks.notebook("This notebook could not be built",
                                    "The page could not write these settings as a notebook. Change a setting "
                                    "and download it again.", [])
        return notebooks.to_bytes(failed)


def notebook_download(prefix: str, lesson_slug: str, settings, container=st) -> None:
    """A "Notebook (.ipynb)" download keyed ``<prefix>_notebook``, built when clicked from ``settings``."""
    container.download_button(
        "Notebook (.ipynb)", lambda: notebook_bytes(lesson_slug, settings), file_name=f"{lesson_slug}.ipynb",
        mime="application/x-ipynb+json", key=f"{prefix}_notebook", icon=":material/description:",
        on_click="ignore", help=CAPTION)
