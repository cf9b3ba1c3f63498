"""The app shell and the shared UI parts: navigation, URL-bound widgets, teacher mode, task box."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, TIMEOUT_S
from ui.lessons import LESSONS


def test_app_entry_point_renders_home():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert any("Calculus for ML Lab" in t.value for t in at.title)


def _widgets_page():
    import streamlit as st

    from ui import widgets

    a = widgets.slider("a", "demo_a", 0.0, 10.0, 1.0)
    n = widgets.slider("n", "demo_n", 1, 50, 10)
    s = widgets.select("s", ["one", "two"], "demo_s")
    t = widgets.toggle("t", "demo_t")
    lg = widgets.log_slider("h", "demo_h", (-6, 0), 1e-3)
    k = widgets.number("k", "demo_k", 0, 100, 5, 1)
    st.write(f"VALUES {a!r} {n!r} {s!r} {t!r} {lg!r} {k!r}")


def _values(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("VALUES"))


def _run(query: dict) -> AppTest:
    at = AppTest.from_function(_widgets_page, default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_url_values_reach_the_widgets():
    at = _run({"demo_a": "2.5", "demo_n": "7", "demo_s": "two", "demo_t": "true", "demo_h": "1e-05", "demo_k": "42"})
    assert not at.exception
    assert _values(at) == "VALUES 2.5 7 'two' True 1e-05 42"


def test_garbage_and_out_of_range_url_values_fall_back_to_defaults():
    for k in ("inf", "nan", "-1", "1e999", "abc"):
        at = _run({"demo_a": "1e999", "demo_n": "-4", "demo_s": "<script>", "demo_t": "maybe", "demo_h": "nan",
                   "demo_k": k})
        assert not at.exception
        assert _values(at) == "VALUES 1.0 10 'one' False 0.001 5"


def test_teacher_mode_hides_and_locks_but_keeps_shared_values():
    at = _run({"teacher": "1", "hide": "demo_a,demo_s", "lock": "demo_n", "demo_a": "3.0", "demo_s": "two",
               "demo_n": "9"})
    assert not at.exception
    assert _values(at) == "VALUES 3.0 9 'two' False 0.001 5"
    keys = {w.key for w in at.slider}
    assert "demo_a" not in keys and "demo_n" in keys
    assert at.slider(key="demo_n").disabled
    assert not at.selectbox  # hidden
    assert not at.toggle(key="demo_t").disabled


def test_teacher_lock_all_and_ignored_without_teacher_flag():
    at = _run({"teacher": "1", "lock": "all"})
    assert all(w.disabled for w in [*at.slider, *at.selectbox, *at.toggle])
    at = _run({"hide": "demo_a", "lock": "all"})
    assert "demo_a" in {w.key for w in at.slider}
    assert not any(w.disabled for w in at.slider)


def test_hidden_widget_url_values_are_still_validated():
    at = _run({"teacher": "1", "hide": "demo_a,demo_n,demo_s,demo_t,demo_h,demo_k", "demo_a": "99", "demo_n": "x",
               "demo_s": "three", "demo_t": "1", "demo_h": "0.5", "demo_k": "inf"})
    assert not at.exception
    assert _values(at) == "VALUES 1.0 10 'one' True 0.001 5"


def _expression_page():
    import streamlit as st

    from ui.expr_input import expression_input

    expr = expression_input("f(x) =", "demo_f", "x^2", presets=["x^2", "sin(x)"])
    st.write(f"EXPR {expr}")


def test_expression_input_shows_latex_and_errors_without_exception():
    at = AppTest.from_function(_expression_page, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert "x^{2}" in at.latex[0].value
    at.text_input(key="demo_f").set_value("__import__('os')").run()
    assert not at.exception
    assert at.error and "not allowed" in at.error[0].value
    assert not [m for m in at.markdown if m.value.startswith("EXPR")]


def test_expression_preset_copies_into_the_box():
    at = AppTest.from_function(_expression_page, default_timeout=TIMEOUT_S).run()
    at.selectbox(key="demo_f_preset").set_value("sin(x)").run()
    assert at.text_input(key="demo_f").value == "sin(x)"
    assert any(m.value == "EXPR sin(x)" for m in at.markdown)


def _task_page():
    import sympy

    from ui.task import antiderivative_checker, task_box, vector_checker

    x = sympy.Symbol("x")
    task_box("demo_anti", "Find an antiderivative of 2x.", antiderivative_checker(2 * x), "Power rule.", "x^2 + C")
    task_box("demo_vec", "Gradient of x^2+y^2 at (1,1).", vector_checker((2.0, 2.0)), "2x, 2y", "(2, 2)")


def test_task_box_checks_answers():
    at = AppTest.from_function(_task_page, default_timeout=TIMEOUT_S).run()
    at.text_input(key="demo_anti_answer").set_value("x^2 + 7").run()
    assert any("Correct" in s.value for s in at.success)
    at.text_input(key="demo_anti_answer").set_value("x^3").run()
    assert any("does not give" in w.value for w in at.warning)
    at.text_input(key="demo_vec_answer").set_value("(2, 2)").run()
    assert len(at.success) == 1 or any("Correct" in s.value for s in at.success)
    at.text_input(key="demo_vec_answer").set_value("[2, 3]").run()
    assert any("component 2" in w.value for w in at.warning)
    at.text_input(key="demo_vec_answer").set_value("__import__('os')").run()
    assert not at.exception and any("Could not read" in w.value for w in at.warning)


def _shrinking_page():
    import streamlit as st

    from ui import widgets

    n = widgets.slider("points", "demo_points", 2, 200, 100)
    pick = widgets.slider("pick one", "demo_pick", 0, n - 1, 0)
    box = widgets.number("box", "demo_box", 0, n - 1, 0, 1)
    st.write(f"PICK {pick} {box}")


def test_a_remembered_value_is_clamped_when_its_range_shrinks():
    at = AppTest.from_function(_shrinking_page, default_timeout=TIMEOUT_S).run()
    at.slider(key="demo_pick").set_value(90).run()
    at.number_input(key="demo_box").set_value(80).run()
    at.slider(key="demo_points").set_value(10).run()
    assert not at.exception
    assert any(m.value == "PICK 9 9" for m in at.markdown)


def _header_page():
    from ui.layout import page_header

    page_header("By path", "lessons/gradient.py", "summary")
    page_header("By number", 2, "summary")
    page_header("Not a lesson", None, "summary")


def test_page_header_numbers_lessons_from_the_lesson_list():
    at = AppTest.from_function(_header_page, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    gradient = next(lesson for lesson in LESSONS if lesson.path == "lessons/gradient.py")
    assert len(captions) == 2
    assert captions[0].startswith(f"Lesson {gradient.number} of {len(LESSONS)} ·")
    assert captions[1].startswith(f"Lesson 2 of {len(LESSONS)} ·")


def test_no_folder_named_pages_beside_app_py():
    """Streamlit 1.67 switches on its legacy multipage mode (each deep link runs its script alone, without
    app.py) from the mere existence of a ``pages/`` folder beside the main script; the lessons live in
    ``lessons/`` and are registered with ``st.Page(..., url_path=...)`` instead."""
    assert not (ROOT / "pages").exists()
    assert all(lesson.path.startswith("lessons/") and (ROOT / lesson.path).is_file() for lesson in LESSONS)


# The modules allowed past Streamlit's public API, each with what it uses and why (each has a canary below).
INTERNALS = {
    "ui/reconnect.py": "wraps AppSession.request_rerun, for which no public hook exists",
    "ui/notebook.py": "get_script_run_ctx: a deferred download's callable runs outside the script thread, and "
                      "reads the session's widget values through the context kept when the button was drawn",
}


def test_only_ui_reconnect_reaches_into_streamlit_internals():
    """The app's code uses Streamlit's public API (``import streamlit as st``) everywhere but the modules of
    ``INTERNALS``, written against a Streamlit version's internals (their canaries are the tests below)."""
    import ast

    for folder in ("ui", "lessons", "calc_core", "classroom", "deploy"):
        for path in [ROOT / "app.py", *(ROOT / folder).rglob("*.py")]:
            if path.relative_to(ROOT).as_posix() in INTERNALS:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [f"{node.module}.{alias.name}" for alias in node.names]
                else:
                    continue
                private = [name for name in names if name.split(".")[0] == "streamlit" and name != "streamlit"]
                assert not private, f"{path.relative_to(ROOT)} imports {private}: only the modules of INTERNALS may"


def test_streamlit_still_drops_unknown_fragments_in_the_method_ui_reconnect_wraps():
    """The canary of ui/reconnect.py, which wraps ``AppSession.request_rerun``: that method drops a rerun of a
    fragment the session lacks (Streamlit 1.67).

    If this fails after a Streamlit upgrade (docs/UPGRADING.md), the method was renamed or no longer
    drops such requests: check whether a reconnecting browser still loses its first
    move inside a fragment (tests/cluster/test_faults.py) and adapt ``ui.reconnect``.
    """
    import inspect

    from streamlit.runtime.app_session import AppSession

    source = inspect.getsource(inspect.unwrap(AppSession.request_rerun))
    assert "if fragment_id and not self.has_fragment(fragment_id):" in source, (
        "AppSession.request_rerun no longer drops reruns of fragments the session does not hold")
    assert list(inspect.signature(AppSession.request_rerun).parameters) == ["self", "client_state"]


def test_a_new_sessions_first_request_for_an_unknown_fragment_runs_the_whole_page():
    from streamlit.proto.ClientState_pb2 import ClientState

    from ui.reconnect import _wrap

    class Session:
        """Stands in for AppSession: knows the fragments it registered, records what it was asked to run."""

        def __init__(self, fragments=()):
            self.fragments, self.requests = set(fragments), []

        def has_fragment(self, fragment_id):
            return fragment_id in self.fragments

        def request_rerun(self, client_state):
            self.requests.append(client_state.fragment_id)

    request_rerun = _wrap(Session.request_rerun)
    reconnected = Session()
    request_rerun(reconnected, ClientState(fragment_id="abc", is_auto_rerun=True))
    request_rerun(reconnected, ClientState(fragment_id="abc"))
    assert reconnected.requests == ["", "abc"], "only the first request becomes a whole-page run"

    ordinary = Session(fragments={"abc"})
    request_rerun(ordinary, ClientState())
    request_rerun(ordinary, ClientState(fragment_id="abc"))
    request_rerun(ordinary, ClientState(fragment_id="gone"))
    assert ordinary.requests == ["", "abc", "gone"], "an open session's requests pass unchanged"

    known = Session(fragments={"abc"})
    request_rerun(known, ClientState(fragment_id="abc"))
    assert known.requests == ["abc"]


def test_the_app_installs_the_reconnect_wrapper():
    from streamlit.runtime.app_session import AppSession

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert getattr(AppSession.request_rerun, "runs_whole_first_page", False)


def _session_id_page():
    import streamlit as st

    from ui import compute

    st.session_state.setdefault("ids", []).append(compute.session_id())


def test_a_session_keeps_one_id_across_reruns_and_two_sessions_have_different_ids():
    """Worker and training slots go by ``compute.session_id()``, kept in the session's own state."""
    first = AppTest.from_function(_session_id_page, default_timeout=TIMEOUT_S).run()
    first.run()
    second = AppTest.from_function(_session_id_page, default_timeout=TIMEOUT_S).run()
    assert not first.exception and not second.exception
    [same, again], [other] = first.session_state["ids"], second.session_state["ids"]
    assert same == again and isinstance(same, str) and same
    assert other != same


def _arrow_dataset_page():
    import streamlit as st

    from ui.charts.common import arrow_table

    st.session_state["sent"] = data = arrow_table(x=[1.0, 2.0], y=[3.0, float("nan")])
    st.vega_lite_chart({"datasets": {"points": data}, "data": {"name": "points"}, "mark": "point",
                        "encoding": {"x": {"field": "x", "type": "quantitative"}}})


def test_streamlit_still_sends_a_chart_dataset_given_as_arrow_bytes_as_it_is():
    """The charts' changing data is built once as Arrow bytes (``ui.charts.common``); Streamlit 1.67's
    ``st.vega_lite_chart`` sends bytes on unchanged instead of converting them again. If this fails after an
    upgrade (docs/UPGRADING.md), check that the lessons' charts still draw and what a rerun now sends."""
    at = AppTest.from_function(_arrow_dataset_page, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    [chart] = [node for node in at.main if getattr(node, "type", "") == "vega_lite_chart"]
    assert [(d.name, d.data.data) for d in chart.proto.datasets] == [("points", at.session_state["sent"])]


def test_a_script_run_context_still_carries_the_sessions_state_for_ui_notebook():
    """The canary of ui/notebook.py: inside a run, ``get_script_run_ctx().session_state`` is the session's state,
    which a deferred download's callable reads after the run (docs/UPGRADING.md)."""

    def page():
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        st.session_state["canary"] = 41
        ctx = get_script_run_ctx()
        ctx.session_state["canary"] += 1

    at = AppTest.from_function(page).run()
    assert not at.exception and at.session_state["canary"] == 42
