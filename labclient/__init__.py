"""A browserless client of the lab: the websocket protocol a browser tab speaks to ``streamlit run app.py``.

One home for it, because three kinds of code use it and none of them owns it:

- the tests that drive a real server without a browser (``tests/unit/test_streamlit_client.py``,
  ``tests/app/test_two_sessions.py``, ``tests/server``, ``tests/cluster``);
- the benchmarks that measure the real server's cost per session and per slider move
  (``benchmarks/protocol_load.py``, ``benchmarks/memory_waves.py``, ``benchmarks/hostile_cost.py``);
- the cluster launcher, whose ``warm()`` opens each app process once before the first student does
  (``deploy/cluster.py``).

It is a top-level package beside ``classroom/`` rather than a module of one of its users: under
``benchmarks/`` the tests and the launcher would import from a folder of timing scripts, and under
``deploy/`` (what a host runs to serve a class: the launcher and HAProxy's template) the tests and
benchmarks would depend on the serving code for something that only plays a student. Like
``classroom/`` it never imports the app; the app never imports it, and the container image
(``Dockerfile``) leaves it out.

    from labclient import StreamlitClient

    async with StreamlitClient("http://127.0.0.1:8501") as client:
        run = await client.open("derivatives", "deriv_f=x%5E2")
        await client.set_widget("deriv_x0", 3.0)

The protocol itself, and what the client sends on each rerun, is described in
``labclient/streamlit_client.py``.
"""

from labclient.streamlit_client import RunResult, StreamlitClient, StreamlitProtocolError, Widget

__all__ = ["RunResult", "StreamlitClient", "StreamlitProtocolError", "Widget"]
