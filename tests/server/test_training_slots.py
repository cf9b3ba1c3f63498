"""Large trainings share a real server's training slots: more tabs than slots all train, in turns, and say when they wait.

Five tabs train the largest network the page allows on one ``streamlit run app.py``: they open it,
press Train together, then answer their training ticks as a browser's timer does. With two slots,
some ticks find both taken: those tabs show that they wait for a slot, and every tab still trains (no
tab waits for good). Nothing here is timed: the test runs until each tab has trained a few epochs,
with a generous deadline.
"""

from __future__ import annotations

import asyncio
import re
import time

from calc_core.limits import TRAINING_SLOTS
from labclient import StreamlitClient
from tests.browser.conftest import free_port, start_server, stop_server

LARGEST = ("backprop_samples=5000&backprop_layers=64,64,64,64,64,64&backprop_batch=8&backprop_pace=fast"
           "&backprop_epochs=3000&backprop_feature_x1_sq=true&backprop_feature_x2_sq=true"
           "&backprop_feature_x1x2=true&backprop_feature_sin_x1=true&backprop_feature_sin_x2=true")
TABS = TRAINING_SLOTS + 3
EPOCHS_EACH = 3
DEADLINE_S = 400  # a loaded 2-core machine; each epoch of this network is about 0.4 s of CPU
CLIENT_TIMEOUT_S = 120


class Tab:
    def __init__(self) -> None:
        self.epochs: list[int] = []
        self.waited = 0
        self.notes: set[str] = set()
        self.exceptions: list[str] = []


def _epoch(texts: list[str]) -> int | None:
    for text in texts:
        match = re.match(r"\*\*Epoch (\d+)\*\* of", text)
        if match:
            return int(match.group(1))
    return None


async def train(url: str, tab: Tab, opened: asyncio.Barrier, done: asyncio.Event) -> None:
    async with StreamlitClient(url, timeout=CLIENT_TIMEOUT_S) as client:
        result = await client.open("backprop", LARGEST)
        tab.exceptions += result.exceptions
        await opened.wait()  # every tab presses Train at the same moment: more trainings than slots at once
        result = await client.click("backprop_train")
        tab.exceptions += result.exceptions
        while not done.is_set() and client.auto_reruns:
            await asyncio.sleep(next(iter(client.auto_reruns.values())))
            result = await client.tick()
            tab.exceptions += result.exceptions
            texts = result.texts()
            epoch = _epoch(texts)
            if epoch is not None:
                tab.epochs.append(epoch)
            if any("waiting for a training slot" in text for text in texts):
                tab.waited += 1
                tab.notes.update(text for text in texts if "taking turns" in text)


async def run_tabs(url: str, tabs: list[Tab]) -> None:
    done = asyncio.Event()

    async def watch() -> None:
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            if all(len(set(tab.epochs)) > EPOCHS_EACH for tab in tabs) and any(tab.waited for tab in tabs):
                break
            await asyncio.sleep(0.5)
        done.set()

    opened = asyncio.Barrier(len(tabs))
    await asyncio.gather(watch(), *(train(url, tab, opened, done) for tab in tabs))


def test_more_large_trainings_than_slots_all_train_in_turns_and_say_when_they_wait():
    process = start_server(free_port())
    tabs = [Tab() for _ in range(TABS)]
    try:
        asyncio.run(run_tabs(process.url, tabs))
    finally:
        stop_server(process)
    assert not [e for tab in tabs for e in tab.exceptions]
    assert any(tab.waited for tab in tabs), f"{TABS} large trainings on {TRAINING_SLOTS} slots: some tick must wait"
    notes = {note for tab in tabs for note in tab.notes}
    assert notes and all(f"at most {TRAINING_SLOTS} large networks at a time" in note for note in notes)
    trained = [len(set(tab.epochs)) for tab in tabs]
    assert all(n > EPOCHS_EACH for n in trained), f"every tab trains in its turn (distinct epochs seen: {trained})"
