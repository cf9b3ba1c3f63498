"""The protocol client drives a real ``streamlit run app.py`` the way a browser tab does."""

from __future__ import annotations

import asyncio

from labclient import StreamlitClient
from tests.browser.conftest import free_port, start_server, stop_server


def test_shared_link_then_slider_move(server_url):
    async def scenario():
        async with StreamlitClient(server_url, timeout=120) as client:
            opened = await client.open("derivatives", "deriv_f=x%5E2&deriv_x0=2.5")
            linked = list(client.widget("deriv_x0").value)
            moved = await client.set_widget("deriv_x0", 3.0)
            return client, opened, linked, moved

    client, opened, linked_value, moved = asyncio.run(scenario())
    assert opened.status == "ok" and opened.exceptions == []
    assert linked_value == [2.5]  # the link's value reached the slider
    assert opened.metric("f′(x₀) by the rules") == "5"  # d/dx x² at 2.5
    assert moved.status in ("ok", "ok (fragment)") and moved.exceptions == []  # the page may run x₀'s section alone
    assert moved.metric("f′(x₀) by the rules") == "6"  # d/dx x² at 3
    assert "deriv_x0=3" in client.query_string
    assert moved.bytes_received > 0 and "derivatives" in client.pages


def test_page_switch_runs_the_other_lesson(server_url):
    async def scenario():
        async with StreamlitClient(server_url, timeout=120) as client:
            await client.open("", "")
            switched = await client.switch_page("gradient")
            return client, switched

    client, switched = asyncio.run(scenario())
    assert switched.status == "ok" and switched.exceptions == []
    assert client.page_script_hash == client.pages["gradient"]
    assert any(w.key and w.key.startswith("grad") for w in client.widgets.values())


def test_first_visitor_on_a_fresh_server_opening_a_deep_link_gets_the_app_shell():
    """A deep link runs through app.py (sidebar, config), never its lesson script alone (legacy ``pages/`` mode)."""
    port = free_port()
    process = start_server(port)
    try:
        async def scenario():
            async with StreamlitClient(f"http://127.0.0.1:{port}", timeout=120) as client:
                return await client.open("gradient", "grad_x0=0.5")

        opened = asyncio.run(scenario())
    finally:
        stop_server(process)
    assert opened.status == "ok" and opened.exceptions == []
    texts = opened.texts()
    assert any("Every setting lives in the URL" in text for text in texts)  # app.py's sidebar caption
    assert any(text.startswith("Lesson 3 of 7") for text in texts)


def test_training_ticks_rerun_only_their_fragment(server_url):
    async def scenario():
        async with StreamlitClient(server_url, timeout=120) as client:
            await client.open("backprop", "")
            started = await client.click("backprop_train")
            ticking = dict(client.auto_reruns)
            tick = await client.tick()
            return started, ticking, tick

    started, ticking, tick = asyncio.run(scenario())
    assert started.status == "ok" and started.exceptions == []
    assert ticking and all(seconds > 0 for seconds in ticking.values())
    assert tick.status == "ok (fragment)" and tick.exceptions == []


def test_an_svm_preset_reruns_the_points_and_fits_alone_and_updates_the_link(server_url):
    async def scenario():
        async with StreamlitClient(server_url, timeout=120) as client:
            await client.open("svm", "")
            pressed = await client.click("svm_preset_task")
            return client, pressed

    client, pressed = asyncio.run(scenario())
    assert pressed.status == "ok (fragment)" and pressed.exceptions == []
    texts = pressed.texts()
    assert any(text.startswith("Points as text") for text in texts)  # the points fragment drew again
    assert not any(text.startswith("Lesson 7 of 7") for text in texts)  # and nothing above it
    assert client.query_string.startswith("svm_points=") and client.query_string.count("%3B") == 5  # six points


def test_a_training_setting_reruns_the_training_panel_alone_and_the_sections_below_act_on_it(server_url):
    async def scenario():
        async with StreamlitClient(server_url, timeout=120) as client:
            await client.open("backprop", "")
            moved = await client.set_widget("backprop_lr", 0.01)
            link = client.query_string
            pinned = await client.click("backprop_pin")  # a whole-page run whose callback reads the panel's view
            epochs = await client.set_widget("backprop_epochs", 40)  # the sweep's text shows it: whole page
            stepped = await client.click("backprop_step")  # the run changed: the backward step must follow
            return moved, link, pinned, epochs, stepped

    moved, link, pinned, epochs, stepped = asyncio.run(scenario())
    assert moved.status == "ok (fragment)" and moved.exceptions == []
    texts = moved.texts()
    assert any(t.startswith("**Epoch 0**") for t in texts) and any("**Gradient check.**" in t for t in texts)
    assert not any(t.startswith("Lesson 5 of 7") for t in texts)  # the header was not drawn again
    assert "backprop_lr=0.01" in link
    assert pinned.status == "ok" and any(t.startswith("Unpin ") and "lr 0.01," in t for t in pinned.texts())
    assert epochs.status == "ok" and any("40 epochs each" in t for t in epochs.texts())
    assert stepped.status == "ok" and any(t.startswith("Epoch 1: point x") for t in stepped.texts())
