"""A browserless Streamlit client: the websocket protocol a browser tab speaks, in plain asyncio.

It talks to ``/_stcore/stream`` with the protobuf messages shipped in the
``streamlit`` package, the way Streamlit's frontend does:

- the first ``rerun_script`` names the page by its URL path (``page_name``) and
  carries the link's query string; later reruns name the page by its
  ``page_script_hash`` from the ``new_session`` message;
- the pages are the ones the app declares with ``st.navigation`` (the
  ``navigation`` message: URL path -> page script hash), as the frontend takes
  them; ``new_session``'s ``app_pages`` is not read (in Streamlit 1.67 it names
  the requested path, mapped to the main script, before the first run, and
  after it the registered pages with their titles in place of URL paths);
- a path the app has no page for gets Streamlit's ``page_not_found`` message and
  the default page (``RunResult.page_not_found``);
- every rerun sends the current value of every widget the last run drew (the
  frontend registers each widget's default on mount), so the server sees the
  same state a browser would send;
- a widget drawn inside ``st.fragment`` reruns only its fragment (the rerun
  carries the widget's ``fragment_id``);
- the query string the app writes (``page_info_changed``) replaces the one sent
  with the next rerun, as the address bar would;
- a fragment with ``run_every`` (``auto_rerun``) is listed in ``auto_reruns``
  with its interval; ``tick()`` sends the rerun a browser's timer would send;
- cacheable messages are kept for ``maxCachedMessageAge`` runs and their hashes
  sent with each rerun, so the server answers with ``ref_hash`` references
  exactly as it does for a browser, and bytes per rerun match a browser's.

A plain ``GET`` of the page comes first with a cookie jar, so a load balancer
that pins a session by cookie (HAProxy ``cookie ... insert``) sees the same
cookie on the websocket upgrade. ``set_cookie`` puts a cookie in the jar before
``open``, as a returning browser holds one (the app reads the learner's cookie
from the websocket handshake).

Used by the tests, the benchmarks and ``deploy/cluster.py`` (``labclient/__init__.py`` says why it lives
here); see docs/SCALING.md.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# The terminal statuses of a rerun request; FINISHED_EARLY_FOR_RERUN means another run follows.
_DONE = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok (fragment)",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
}
# Element type -> the WidgetState field the frontend fills for it (Streamlit 1.67).
_VALUE_FIELD = {
    "slider": "double_array_value",
    "number_input": "double_value",
    "text_input": "string_value",
    "text_area": "string_value",
    "selectbox": "string_value",
    "radio": "string_value",
    "checkbox": "bool_value",
    "multiselect": "string_array_value",
    "button_group": "string_array_value",
    "color_picker": "string_value",
    "button": "trigger_value",
}
_ID_PREFIX = "$$ID-"


class StreamlitProtocolError(RuntimeError):
    """The server closed the connection, timed out, or sent something unusable."""


@dataclass
class Widget:
    """One widget the last run drew, with the value the next rerun will send."""

    id: str
    kind: str
    key: str | None
    value: object
    fragment_id: str
    element: object = field(repr=False)


@dataclass
class RunResult:
    """What one rerun request cost, seen from the client."""

    status: str
    seconds: float
    bytes_received: int
    messages: int
    runs: int
    exceptions: list[str]
    elements: list = field(default_factory=list, repr=False)  # (element type, proto) drawn by the last run
    page_not_found: bool = False  # Streamlit answered that the requested page does not exist

    def texts(self, kind: str = "") -> list[str]:
        """The text of each element the last run drew (of one type if ``kind`` is given): its body, else its label."""
        return [getattr(element, "body", "") or getattr(element, "label", "")
                for element_kind, element in self.elements if not kind or element_kind == kind]

    def metric(self, label: str) -> str:
        """The value shown by the ``st.metric`` with this label."""
        for kind, element in self.elements:
            if kind == "metric" and element.label == label:
                return element.body
        raise KeyError(f"no metric labelled {label!r}")


def _user_key(element_id: str) -> str | None:
    """The ``key=`` a page gave a widget: Streamlit appends it to the element id."""
    if not element_id.startswith(_ID_PREFIX):
        return None
    user_key = element_id.split("-", maxsplit=2)[-1]
    return None if user_key == "None" else user_key


def _url_text(value: object) -> str:
    """A widget value as URL text: whole floats without the trailing ``.0``, booleans in lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _initial_value(kind: str, element) -> object:
    """The value the frontend registers for a widget it has just drawn."""
    if kind == "slider":
        if element.options:  # select_slider: option strings
            chosen = element.value if element.set_value else element.default
            return [element.options[int(i)] for i in chosen]
        return list(element.value if element.set_value else element.default)
    if kind in ("selectbox", "radio"):
        if element.set_value:
            return element.raw_value
        return element.options[element.default] if 0 <= element.default < len(element.options) else ""
    if kind == "multiselect":
        if element.set_value:
            return list(element.raw_values)
        return [element.options[i] for i in element.default]
    if kind == "button_group":
        if element.set_value:
            return list(element.raw_values)
        return [str(i) for i in element.default]
    if kind == "number_input":
        if element.set_value:
            return element.value
        return element.default if element.HasField("default") else None
    if kind == "button":
        return None  # a trigger: sent only with the rerun its click causes
    if kind in ("text_input", "text_area", "checkbox", "color_picker"):
        return element.value if element.set_value else element.default
    return None


class StreamlitClient:
    """One simulated browser tab on one Streamlit session.

    Parameters
    ----------
    base_url : str
        ``http://host:port`` of the app or of a load balancer in front of it.
    timeout : float
        Seconds to wait for a rerun to finish before raising.
    """

    def __init__(self, base_url: str, *, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.widgets: dict[str, Widget] = {}
        self.query_string = ""
        self.page_script_hash = ""
        self.pages: dict[str, str] = {}  # url path -> page_script_hash
        self.auto_reruns: dict[str, float] = {}  # fragment id -> seconds between its automatic reruns
        self.bytes_received = 0
        self._ws = None
        self._cache: dict[str, tuple[bytes, int]] = {}  # hash -> (encoded message, run count last used)
        self._run_count = 0
        self._max_message_age = 2

    # -- connection -------------------------------------------------------------------------

    def _fetch_page(self, path: str, query: str) -> None:
        """GET the page as a browser would, so a sticky-session cookie lands in the jar."""
        url = f"{self.base_url}/{path.lstrip('/')}" + (f"?{query}" if query else "")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        with opener.open(url, timeout=self.timeout) as response:
            response.read()

    def set_cookie(self, name: str, value: str) -> None:
        """Keep cookie ``name=value`` for this app's host, as a returning browser holds one (say, the learner's
        ``calc_lab_learner`` token); sent with the page's ``GET`` and the websocket handshake of the next ``open``."""
        host = urlsplit(self.base_url).hostname or ""
        self.cookies.set_cookie(http.cookiejar.Cookie(
            version=0, name=name, value=value, port=None, port_specified=False, domain=host,
            domain_specified=False, domain_initial_dot=False, path="/", path_specified=True, secure=False,
            expires=None, discard=True, comment=None, comment_url=None, rest={}))

    def _cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)

    async def open(self, path: str = "", query: str = "") -> RunResult:
        """Open a page the way a shared link does: ``path`` is its URL path, ``query`` its query string.

        Returns the first run (including any ``st.rerun`` it triggers).
        """
        await asyncio.to_thread(self._fetch_page, path, query)
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        headers = {"Cookie": self._cookie_header()} if len(self.cookies) else {}
        self._ws = await asyncio.wait_for(websockets.connect(
            f"{scheme}://{parts.netloc}/_stcore/stream", subprotocols=["streamlit"],
            additional_headers=headers, max_size=None, compression=None), self.timeout)
        self.query_string = query
        return await self._request(page_name=path.strip("/"))

    async def close(self) -> None:
        """Close the websocket; the server ends the session."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def __aenter__(self) -> StreamlitClient:
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.close()

    # -- user actions -----------------------------------------------------------------------

    async def rerun(self) -> RunResult:
        """Rerun the current page with the current widget values (the "Rerun" menu item)."""
        return await self._request()

    async def switch_page(self, url_path: str) -> RunResult:
        """Click a page in the sidebar: the new page starts without the old page's query string."""
        page_hash = self.pages.get(url_path.strip("/"))
        if page_hash is None:
            raise KeyError(f"no page with URL path {url_path!r}; pages: {sorted(self.pages)}")
        self.query_string = ""
        self.widgets.clear()
        self.auto_reruns.clear()
        return await self._request(page_script_hash=page_hash)

    async def click(self, key: str) -> RunResult:
        """Press the button drawn with ``key=key`` and wait for the rerun (its value is True for that run only)."""
        widget = self.widget(key)
        widget.value = True
        try:
            return await self._request(fragment_id=widget.fragment_id)
        finally:
            widget.value = None

    async def tick(self, fragment_id: str = "") -> RunResult:
        """The automatic rerun of a ``run_every`` fragment (the first one listed if none is named)."""
        fragment_id = fragment_id or next(iter(self.auto_reruns), "")
        if not fragment_id:
            raise KeyError("the last run started no automatic reruns")
        return await self._request(fragment_id=fragment_id, is_auto_rerun=True)

    def widget(self, key: str) -> Widget:
        """The widget drawn with ``key=key`` in the last run."""
        for widget in self.widgets.values():
            if widget.key == key:
                return widget
        keys = sorted(w.key for w in self.widgets.values() if w.key)
        raise KeyError(f"no widget with key {key!r}; keys: {keys}")

    def sliders(self) -> list[Widget]:
        """Numeric sliders of the last run that are enabled (what a student would drag)."""
        return [w for w in self.widgets.values()
                if w.kind == "slider" and not w.element.options and not w.element.disabled]

    async def set_widget(self, key: str, value: object) -> RunResult:
        """Set a widget's value as a user would and wait for the rerun it triggers.

        A slider takes a number (or a pair for a range slider); a selectbox or
        radio takes the option's text; a number input a number; a text input a string.
        """
        widget = self.widget(key)
        if widget.kind == "slider" and not isinstance(value, (list, tuple)):
            value = [value]
        widget.value = list(value) if isinstance(value, tuple) else value
        if getattr(widget.element, "query_param_key", ""):
            self._write_url(widget.element.query_param_key, widget.value)
        return await self._request(fragment_id=widget.fragment_id)

    def _write_url(self, param: str, value: object) -> None:
        """Put a URL-bound widget's new value in the query string, as the frontend does for the address bar."""
        values = value if isinstance(value, list) else [value]
        texts = [_url_text(v) for v in values]
        pairs = [(k, v) for k, v in parse_qsl(self.query_string, keep_blank_values=True) if k != param]
        self.query_string = urlencode(pairs + [(param, text) for text in texts])

    # -- protocol ---------------------------------------------------------------------------

    def _widget_states(self, back: BackMsg) -> None:
        for widget in self.widgets.values():
            field_name = _VALUE_FIELD.get(widget.kind)
            if field_name is None or widget.value is None:
                continue
            state = WidgetState(id=widget.id)
            if field_name == "double_array_value":
                if widget.element.options:
                    state.string_array_value.data.extend(str(v) for v in widget.value)
                else:
                    state.double_array_value.data.extend(float(v) for v in widget.value)
            elif field_name == "string_array_value":
                state.string_array_value.data.extend(str(v) for v in widget.value)
            elif field_name == "double_value":
                state.double_value = float(widget.value)
            elif field_name == "trigger_value":
                state.trigger_value = True
            elif field_name == "bool_value":
                state.bool_value = bool(widget.value)
            else:
                state.string_value = str(widget.value)
            back.rerun_script.widget_states.widgets.append(state)

    async def _request(self, *, page_name: str = "", page_script_hash: str = "",
                       fragment_id: str = "", is_auto_rerun: bool = False) -> RunResult:
        if self._ws is None:
            raise StreamlitProtocolError("not connected: call open() first")
        back = BackMsg()
        client_state = back.rerun_script
        client_state.query_string = self.query_string
        client_state.page_name = page_name
        client_state.page_script_hash = page_script_hash or ("" if page_name else self.page_script_hash)
        client_state.fragment_id = fragment_id
        client_state.is_auto_rerun = is_auto_rerun
        client_state.cached_message_hashes.extend(self._cache)
        if not page_script_hash:
            self._widget_states(back)
        started = time.perf_counter()
        received_before = self.bytes_received
        messages = runs = 0
        page_not_found = False
        exceptions: list[str] = []
        elements: list = []
        seen: set[str] = set()
        announced: set[str] = set()  # run_every fragments this run (re)started
        await self._ws.send(back.SerializeToString())
        deadline = started + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise StreamlitProtocolError(f"no script_finished within {self.timeout:g} s")
            try:
                raw = await asyncio.wait_for(self._ws.recv(), remaining)
            except TimeoutError as exc:
                raise StreamlitProtocolError(f"no script_finished within {self.timeout:g} s") from exc
            except websockets.ConnectionClosed as exc:
                raise StreamlitProtocolError(f"server closed the connection: {exc}") from exc
            self.bytes_received += len(raw)
            messages += 1
            msg = self._resolve(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                runs += 1
                seen.clear()
                elements.clear()
                if not msg.metadata.run.fragment_ids:
                    # A full run stops every timer before it starts its own, as the frontend does; a fragment
                    # run that asked for it (st.rerun) may have started one that is already gone.
                    self.auto_reruns.clear()
                    announced.clear()
                self._on_new_session(msg)
            elif kind == "delta":
                self._on_delta(msg, seen, exceptions, elements)
            elif kind == "navigation":
                self.pages = {page.url_pathname: page.page_script_hash for page in msg.navigation.app_pages}
                self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
            elif kind == "auto_rerun":
                self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
                announced.add(msg.auto_rerun.fragment_id)
            elif kind == "stop_auto_rerun":
                for stopped in msg.stop_auto_rerun.fragment_ids:
                    self.auto_reruns.pop(stopped, None)
            elif kind == "page_not_found":
                page_not_found = True
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
                exceptions.append(msg.session_event.script_compilation_exception.message)
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                self._run_count += 1
                self._expire_cache()
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    # A full run redraws every widget and restarts every timer: forget what it no longer has.
                    self.widgets = {wid: w for wid, w in self.widgets.items() if wid in seen}
                    self.auto_reruns = {f: t for f, t in self.auto_reruns.items() if f in announced}
                return RunResult(status=_DONE.get(status, str(status)), seconds=time.perf_counter() - started,
                                 bytes_received=self.bytes_received - received_before, messages=messages,
                                 runs=runs, exceptions=exceptions, elements=elements, page_not_found=page_not_found)

    def _resolve(self, raw: bytes) -> ForwardMsg:
        """Parse a message, replacing a ``ref_hash`` by the cached message it names."""
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        if msg.WhichOneof("type") == "ref_hash":
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                raise StreamlitProtocolError(f"server referred to a message this client never cached: {msg.ref_hash}")
            self._cache[msg.ref_hash] = (cached[0], self._run_count)
            full = ForwardMsg()
            full.ParseFromString(cached[0])
            full.metadata.CopyFrom(msg.metadata)
            return full
        if msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = (raw, self._run_count)
        return msg

    def _expire_cache(self) -> None:
        self._cache = {h: entry for h, entry in self._cache.items()
                       if self._run_count - entry[1] <= self._max_message_age}

    def _on_new_session(self, msg: ForwardMsg) -> None:
        new_session = msg.new_session
        self.page_script_hash = new_session.page_script_hash or self.page_script_hash
        if new_session.config.max_cached_message_age:
            self._max_message_age = new_session.config.max_cached_message_age

    def _on_delta(self, msg: ForwardMsg, seen: set[str], exceptions: list[str], elements: list) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        elements.append((kind, getattr(element, kind)))
        if kind == "exception":
            exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        if kind not in _VALUE_FIELD:
            return
        proto = getattr(element, kind)
        if not proto.id:
            return
        seen.add(proto.id)
        known = self.widgets.get(proto.id)
        if kind == "button" or known is None or getattr(proto, "set_value", False):
            value = _initial_value(kind, proto)
        else:
            value = known.value
        self.widgets[proto.id] = Widget(id=proto.id, kind=kind, key=_user_key(proto.id), value=value,
                                        fragment_id=delta.fragment_id, element=proto)
