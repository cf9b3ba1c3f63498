"""The app's one reach into Streamlit's internals, written for Streamlit 1.67.0.

Everything else uses Streamlit's public API (``tests/app/test_shell.py::
test_only_ui_reconnect_reaches_into_streamlit_internals`` keeps it so). This module
wraps ``streamlit.runtime.app_session.AppSession.request_rerun``, for which no public
hook exists. Its canary is ``tests/app/test_shell.py::
test_streamlit_still_drops_unknown_fragments_in_the_method_ui_reconnect_wraps``: it fails
if an upgrade renames the method, changes its signature or stops dropping what this
module fixes; docs/UPGRADING.md says what to check then.

A browser that reconnects to a process that never ran its page gets the whole page on
its next move. When the server process holding a session dies (a restart, or HAProxy
sending the browser to another process of a cluster), the browser reconnects, keeps its
view and starts a new session there without rerunning anything. Its next move inside an
``st.fragment`` names a fragment the new session has never registered, and Streamlit
1.67 drops such a request (``AppSession.request_rerun``: right inside one session,
where a full run may have removed the fragment on purpose). The move was lost, and
every later move inside that fragment with it, until some full run happened.

:func:`run_whole_page_for_new_sessions` changes one case only: the first request of a
session that has not yet run its page. It then runs the whole page, with the widget
values the browser sent, which rebuilds the view and registers the fragments. Any later
request for an unknown fragment is still dropped, as Streamlit does. It is installed
once per process by ``app.py``; ``tests/app/test_shell.py`` also checks the wrapper
itself, and ``tests/cluster/test_faults.py`` checks the behaviour through HAProxy and
Chromium.
"""

from __future__ import annotations

import functools
import weakref

import streamlit as st

_STARTED_SESSIONS: weakref.WeakSet = weakref.WeakSet()


def _wrap(request_rerun):
    @functools.wraps(request_rerun)
    def request_rerun_with_whole_first_page(session, client_state=None):
        if client_state is not None and session not in _STARTED_SESSIONS:
            _STARTED_SESSIONS.add(session)
            if client_state.fragment_id and not session.has_fragment(client_state.fragment_id):
                client_state.fragment_id = ""
                client_state.is_auto_rerun = False
        return request_rerun(session, client_state)

    request_rerun_with_whole_first_page.runs_whole_first_page = True
    return request_rerun_with_whole_first_page


@st.cache_resource(show_spinner=False)
def run_whole_page_for_new_sessions() -> bool:
    """Once per process: wrap ``AppSession.request_rerun`` (see the module's docstring); True if wrapped now."""
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession.request_rerun, "runs_whole_first_page", False):
        return False
    AppSession.request_rerun = _wrap(AppSession.request_rerun)
    return True
