"""A real server under training load keeps answering while sessions start killable workers.

Forking the threaded server while another session's training sat inside a multi-threaded BLAS call
stuck the forking session in ``os.fork`` for good (OpenBLAS's at-fork handler waits for its threads),
and in time the whole process: its health check stopped answering. Workers now come from a fork
server, and the process limits its BLAS threads before numpy loads. This test runs that load with two
BLAS threads set by the host (an environment a plain ``streamlit run`` may have), so only the way
workers start keeps the server alive. On the code before the fork server, a session's run never
finished within the client's timeout (a py-spy dump showed its thread in ``os.fork``).
"""

from __future__ import annotations

import asyncio
import threading
import time
import urllib.request
from urllib.parse import quote

from labclient import StreamlitClient, StreamlitProtocolError
from tests.browser.conftest import free_port, start_server, stop_server

# The largest network a link may ask for, trained in mini-batches of 8 on every extra input feature.
LARGEST = ("backprop_samples=5000&backprop_layers=64,64,64,64,64,64&backprop_batch=8&backprop_pace=fast"
           "&backprop_epochs=3000&backprop_feature_x1_sq=true&backprop_feature_x2_sq=true"
           "&backprop_feature_x1x2=true&backprop_feature_sin_x1=true&backprop_feature_sin_x2=true")
TRAINERS = 3
INTEGRATORS = 2
LOAD_SECONDS = 45  # the freeze came after 13-37 s of this load
FROZEN_AFTER_S = 30  # a health check unanswered this long: the process is frozen, not busy
CLIENT_TIMEOUT_S = 120  # a stuck run never finishes; a slow one on a loaded machine does


class HealthWatch(threading.Thread):
    """Asks ``/_stcore/health`` once a second; records the longest wait for an answer."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = f"{url}/_stcore/health"
        self.longest_wait = 0.0
        self.answers = 0
        self.stop = threading.Event()

    def run(self) -> None:
        waiting_since = time.monotonic()
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=FROZEN_AFTER_S) as response:
                    if response.status == 200:
                        self.answers += 1
                        waiting_since = time.monotonic()
            except OSError:
                pass
            self.longest_wait = max(self.longest_wait, time.monotonic() - waiting_since)
            if self.longest_wait >= FROZEN_AFTER_S:
                return
            self.stop.wait(1.0)


async def train(url: str, until: float, done: list[int]) -> None:
    async with StreamlitClient(url, timeout=CLIENT_TIMEOUT_S) as client:
        await client.open("backprop", LARGEST)
        await client.click("backprop_train")
        while time.monotonic() < until and client.auto_reruns:
            await client.tick()
            done[0] += 1


async def integrate(url: str, until: float, done: list[int], first: int) -> None:
    k = first
    while time.monotonic() < until:
        # A new integrand each time: nothing is cached, so each visit starts workers.
        async with StreamlitClient(url, timeout=CLIENT_TIMEOUT_S) as client:
            await client.open("integrals", "integ_f=" + quote(f"x^2 sin(x) + {k} x"))
        done[0] += 1
        k += INTEGRATORS


async def load(url: str, ticks: list[int], visits: list[int]) -> None:
    until = time.monotonic() + LOAD_SECONDS
    tasks = [train(url, until, ticks) for _ in range(TRAINERS)]
    tasks += [integrate(url, until, visits, first) for first in range(1, INTEGRATORS + 1)]
    await asyncio.gather(*tasks)


def answers_health(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=FROZEN_AFTER_S) as response:
            return response.status == 200
    except OSError:
        return False


def test_training_beside_worker_starts_never_freezes_the_server(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    process = start_server(free_port())
    watch = HealthWatch(process.url)
    ticks, visits = [0], [0]
    failure = None
    try:
        watch.start()
        try:
            asyncio.run(load(process.url, ticks, visits))
        except (StreamlitProtocolError, TimeoutError, OSError) as exc:
            failure = exc  # a session stuck for good times its client out
        watch.stop.set()
        watch.join(timeout=FROZEN_AFTER_S + 5)
        # A frozen process never recovers: one more chance to answer after the load tells it from a busy one.
        frozen = watch.longest_wait >= FROZEN_AFTER_S or not answers_health(process.url)
        assert not frozen, (f"the server stopped answering its health check after {ticks[0]} training ticks "
                            f"and {visits[0]} integrals visits (longest wait {watch.longest_wait:.0f} s)")
        assert failure is None, f"a session's run never finished (stuck, while the server still answered): {failure!r}"
        # The load really ran: trainings ticked and integrals visits (each starting workers) completed.
        assert ticks[0] >= TRAINERS and visits[0] >= INTEGRATORS
    finally:
        stop_server(process, check_log=failure is None)
