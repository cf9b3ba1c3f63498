"""Every shared URL opens its lesson on a real server, and a tab only ever learns the pages the app declares.

The lesson scripts live in ``lessons/`` and ``app.py`` registers each with
``st.Page(..., url_path=...)``; there is no ``pages/`` folder, so Streamlit's legacy
multipage mode (a deep link running its script alone, a new session announcing the
folder's listing) never switches on. These tests talk to one ``streamlit run app.py``
through the websocket protocol, the way a browser tab does; nothing is timed.
"""

from __future__ import annotations

import asyncio

import pytest

from labclient import StreamlitClient
from ui.app_links import PAGE_URL_PATHS
from ui.lessons import LESSONS

TIMEOUT_S = 180  # a first visit imports the page's modules on a loaded 2-core machine
SHELL_CAPTION = "Every setting lives in the URL"  # app.py's sidebar: the run went through app.py
DECLARED = {"", *PAGE_URL_PATHS}  # the home page at the root, every lesson and the Class page


class RecordingClient(StreamlitClient):
    """A tab that also keeps each ``new_session`` message's page listing, which the client itself ignores."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.announced: list[list[tuple[str, str]]] = []
        self.main_script_hashes: list[str] = []

    def _on_new_session(self, msg) -> None:
        self.announced.append([(page.url_pathname, page.page_script_hash) for page in msg.new_session.app_pages])
        self.main_script_hashes.append(msg.new_session.main_script_hash)
        super()._on_new_session(msg)


def test_the_first_visitor_of_a_fresh_server_opening_a_lesson_link_gets_the_lesson_in_the_app_shell(server_url):
    """The module's server is fresh: its first session opens the backpropagation link, with a query string."""

    async def scenario():
        async with RecordingClient(server_url, timeout=TIMEOUT_S) as client:
            return client, await client.open("backprop", "backprop_samples=400")

    client, opened = asyncio.run(scenario())
    assert opened.status == "ok" and opened.exceptions == [] and not opened.page_not_found
    texts = opened.texts()
    assert any(text.startswith("Lesson 5 of 7") for text in texts)
    assert any(SHELL_CAPTION in text for text in texts)
    assert list(client.widget("backprop_samples").value) == [400]  # the link's value reached the slider
    assert client.page_script_hash == client.pages["backprop"]
    # No legacy listing: before its first run a session names only the main script (under the requested path).
    assert client.announced[0] == [("backprop", client.main_script_hashes[0])]


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.url_path for lesson in LESSONS])
def test_every_shared_url_path_opens_its_lesson(server_url, lesson):
    async def scenario():
        async with RecordingClient(server_url, timeout=TIMEOUT_S) as client:
            opened = await client.open(lesson.url_path, "")
            pages_after_open = dict(client.pages)
            again = await client.rerun()
            return client, opened, pages_after_open, again

    client, opened, pages_after_open, again = asyncio.run(scenario())
    assert opened.status == "ok" and opened.exceptions == [] and not opened.page_not_found
    texts = opened.texts()
    assert any(text.startswith(f"Lesson {lesson.number} of {len(LESSONS)}") for text in texts), texts[:5]
    assert any(SHELL_CAPTION in text for text in texts)
    assert set(pages_after_open) == DECLARED and client.pages == pages_after_open
    assert client.page_script_hash == client.pages[lesson.url_path]
    assert again.status == "ok" and again.exceptions == []
    assert client.announced[0] == [(lesson.url_path, client.main_script_hashes[0])]


def test_a_move_inside_a_fragment_leaves_the_declared_pages_as_they_are(server_url):
    """A fragment run sends no navigation; its ``new_session`` lists page titles, which are not URL paths."""

    async def scenario():
        async with RecordingClient(server_url, timeout=TIMEOUT_S) as client:
            await client.open("derivatives", "deriv_f=x%5E2")
            moved = await client.set_widget("deriv_x0", 3.0)
            return client, moved

    client, moved = asyncio.run(scenario())
    assert moved.status in ("ok", "ok (fragment)") and moved.exceptions == []
    assert set(client.pages) == DECLARED
    assert client.page_script_hash == client.pages["derivatives"]


def test_the_root_opens_home_and_a_path_without_a_page_gets_streamlits_page_not_found(server_url):
    """``/`` is the home page; ``/home`` or ``/pages`` are no page of the app, so Streamlit answers
    ``page_not_found`` and runs the default page (the home page), as for any multipage app."""

    async def visit(path):
        async with RecordingClient(server_url, timeout=TIMEOUT_S) as client:
            return client, await client.open(path, "")

    for path, missing in (("", False), ("home", True), ("pages", True)):
        client, opened = asyncio.run(visit(path))
        assert opened.status == "ok" and opened.exceptions == [], path
        assert opened.page_not_found is missing, path
        assert "Calculus for ML Lab" in opened.texts("heading"), path
        assert client.page_script_hash == client.pages[""], path
        assert set(client.pages) == DECLARED, path
