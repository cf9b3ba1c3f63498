"""Calculus for ML Lab: entry point. Routes to the lesson pages; holds no math."""

import os

# One BLAS thread per process unless the host says otherwise: sessions train side by side on the
# same cores, and BLAS threads of their own would only fight over them. It must be set before
# numpy loads (the first script run, since Streamlit itself does not import numpy).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# The libraries every page needs are imported by one script thread at a time, before this script's own
# imports and any page run: two first runs importing them at once can deadlock Python's import locks.
from ui.imports import import_libraries  # noqa: E402

import_libraries()

import gc  # noqa: E402

import streamlit as st  # noqa: E402

from calc_core.budget import start_workers  # noqa: E402
from ui.a11y import visible_focus  # noqa: E402
from ui.class_banner import class_banner  # noqa: E402
from ui.course import lesson_footer, sidebar_navigation  # noqa: E402
from ui.lessons import HOME, LESSONS  # noqa: E402
from ui.membership import browser_cookies, start_purging  # noqa: E402
from ui.reconnect import run_whole_page_for_new_sessions  # noqa: E402
from ui.teacher import teacher_settings  # noqa: E402


@st.cache_resource(show_spinner=False, max_entries=len(LESSONS) + 1)
def freeze_long_lived_objects(url_path: str) -> bool:
    """Once per page and process, after its first run: move what is alive now out of the collector's sight.

    The modules a page imports (sympy, numpy, plotly, scikit-learn, calc_core)
    leave a heap of objects that live as long as the process. Frozen, they are
    no longer scanned by every later garbage collection, which otherwise cost
    more than the page itself on each rerun. Only this one moment's live
    objects per page are frozen, so memory stays bounded; ``url_path`` just
    keys the once-per-page call.
    """
    gc.collect()
    gc.freeze()
    return True


st.set_page_config(page_title="Calculus for ML Lab", page_icon=":material/functions:", layout="wide")
# The killable workers' fork server loads in the background from the first run on; started again if it died.
start_workers()
start_purging()  # expired classes are deleted by a background thread, never by a visitor's rerun
run_whole_page_for_new_sessions()

home = st.Page(HOME, title="Home", icon=":material/home:", default=True)
lessons = {lesson.path: st.Page(lesson.path, title=lesson.title, icon=lesson.icon, url_path=lesson.url_path)
           for lesson in LESSONS}
# Streamlit's own sidebar menu puts section headings inside its link list, which screen readers
# announce wrongly; the same grouped links are drawn as plain page links instead.
class_page = st.Page("lessons/class_page.py", title="Class", icon=":material/groups:", url_path="class")
page = st.navigation([home, *lessons.values(), class_page], position="hidden")
sidebar_navigation(home, lessons, class_page)
visible_focus()

with st.sidebar:
    if teacher_settings().active:
        st.caption(":material/school: Teacher mode: some controls are hidden or locked by this link.")
    st.caption("Every setting lives in the URL: copy the address bar to share exactly this view.")

body, footer = st.container(), st.container()
with footer:
    lesson_footer(next((path for path, lesson_page in lessons.items() if lesson_page.url_path == page.url_path), ""))
with body, browser_cookies():
    class_banner()
    page.run()
freeze_long_lived_objects(page.url_path)
