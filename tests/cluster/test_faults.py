"""Faults behind HAProxy: a process dies or hangs mid-lesson, and every process is restarted during a class.

Two supervised app processes serve browsers and protocol students through deploy/cluster.py.
Killing one must send its visitors to the survivor, where each view comes back exactly from its
URL; the supervisor must bring back a killed and a hung process; restarting the processes one at
a time must not fail a single page load.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import threading
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from deploy.cluster import BACKEND
from tests.browser.conftest import assert_healthy, press_slider, wait_idle
from tests.cluster.conftest import SQUARE, WAIT_S, Students, all_up, served_by, wait_all_up

pytestmark = [pytest.mark.cluster, pytest.mark.browser]

# Issue 20: a killed or hung process is serving again, and HAProxy routes to it, within 45 s.
HEAL_S = 45

# Every change of the app's connection state, so a test can tell a reconnect from a page that
# never lost its connection.
RECORD_CONNECTION = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.calcLabStates = [];
    new MutationObserver(() => window.calcLabStates.push(app.getAttribute('data-test-connection-state')))
        .observe(app, {attributes: true, attributeFilter: ['data-test-connection-state']});
}"""
RECONNECTED = """() => window.calcLabStates.some(s => s !== 'CONNECTED')
    && document.querySelector('[data-testid="stApp"]').getAttribute('data-test-connection-state') === 'CONNECTED'"""


def open_pinned(browser, url: str, server: str):
    """A browser tab that HAProxy's cookie has pinned to ``server`` (a replica's cookie) before it opens ``url``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "SERVERID", "value": server, "url": url}])
    tab = context.new_page()
    tab.goto(url)
    wait_idle(tab, WAIT_S * 1000)
    return tab


def f_of_x0(tab):
    return tab.locator('[data-testid="stMetric"]').filter(has_text="f(x₀)").first.locator(
        '[data-testid="stMetricValue"]')


def move_x0(tab, presses: int, x0: str, f: str) -> None:
    """Move x₀ with the keyboard; return once the URL holds ``x0`` and the page shows f(x₀) = ``f``."""
    press_slider(tab, "Point x₀", presses)
    tab.wait_for_function(f"() => location.search.includes('deriv_x0={x0}')", timeout=WAIT_S * 1000)
    expect(f_of_x0(tab)).to_have_text(f, timeout=WAIT_S * 1000)
    wait_idle(tab, WAIT_S * 1000)


def shows_x0(tab, x0: str, f: str) -> None:
    """The page shows x₀ on its slider and f(x₀) = x₀² beside it, and no error."""
    slider = tab.get_by_role("slider", name="Point x₀")
    expect(slider).to_have_attribute("aria-valuetext", x0, timeout=WAIT_S * 1000)
    expect(f_of_x0(tab)).to_have_text(f, timeout=WAIT_S * 1000)
    assert_healthy(tab)


def fetch(url: str) -> tuple[int, dict, bytes]:
    """(status, lower-cased headers, body un-gzipped) of a GET that accepts gzip, as browsers send it."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    headers = {name.lower(): value for name, value in headers.items()}
    return status, headers, gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body


def test_static_files_come_gzipped_from_haproxys_cache_even_with_every_process_out_of_rotation(cluster):
    wait_all_up(cluster)
    _, _, index = fetch(f"{cluster.url}/derivatives")
    script = re.search(r"static/js/index\.[\w-]+\.js", index.decode()).group(0)
    _, direct_headers, original = fetch(f"http://127.0.0.1:{cluster.replicas[0].port}/{script}")
    assert "age" not in direct_headers and "content-encoding" not in direct_headers
    for _ in range(2):  # the first request may fill the cache; the second is served from it
        status, headers, body = fetch(f"{cluster.url}/{script}")
    assert status == 200 and body == original
    assert headers["content-encoding"] == "gzip" and "age" in headers, headers
    assert "age" not in fetch(f"{cluster.url}/derivatives")[1], "the page itself must never be cached"
    try:
        for replica in cluster.replicas:
            cluster.admin(f"set server {BACKEND}/{replica.name} state maint")
        assert fetch(f"{cluster.url}/derivatives")[0] == 503
        status, headers, body = fetch(f"{cluster.url}/{script}")
        assert status == 200 and body == original, "no app process was asked: the file came from the cache"
    finally:
        for replica in cluster.replicas:
            cluster.admin(f"set server {BACKEND}/{replica.name} state ready")
        deadline = time.monotonic() + WAIT_S
        while set(cluster.server_status().values()) != {"UP"} and time.monotonic() < deadline:
            time.sleep(0.5)


def test_a_killed_process_sends_its_visitors_to_the_survivor_with_their_views(browser, cluster):
    wait_all_up(cluster)
    doomed, survivor = cluster.replicas
    with Students(cluster.url, pins=[doomed.cookie, survivor.cookie]) as students:
        moved = open_pinned(browser, f"{cluster.url}/derivatives?{SQUARE}&deriv_x0=1.5", doomed.cookie)
        move_x0(moved, 2, "1.6", "2.56")
        # Reloaded, its last run is a whole-page run: a browser then does not rerun on reconnecting,
        # so its first move after the failover is the first request its new session sees.
        moved.reload()
        wait_idle(moved, WAIT_S * 1000)
        shows_x0(moved, "1.60", "2.56")
        staying = open_pinned(browser, f"{cluster.url}/derivatives?{SQUARE}&deriv_x0=-1", survivor.cookie)
        shows_x0(staying, "-1.00", "1")
        assert served_by(moved.context) == doomed.cookie and served_by(staying.context) == survivor.cookie
        students.wait_until(lambda ss: all(s.moves >= 1 for s in ss), "each move x₀ once")
        assert [s.opens for s in students.students] == [[doomed.cookie], [survivor.cookie]]

        moved.evaluate(RECORD_CONNECTION)
        os.killpg(doomed.process.pid, signal.SIGKILL)

        # The browser reconnects on its own and HAProxy sends it to the survivor. It keeps its
        # view; its next move (inside a fragment) runs the whole page in a new session there, from
        # the widget values, which are the URL's (ui/reconnect.py).
        moved.wait_for_function(RECONNECTED, timeout=WAIT_S * 1000)
        assert served_by(moved.context) == survivor.cookie
        shows_x0(moved, "1.60", "2.56")
        move_x0(moved, 1, "1.65", "2.7225")
        shows_x0(moved, "1.65", "2.7225")
        # Reloading (or opening the link anew) rebuilds the exact view from the URL on the survivor.
        moved.reload()
        wait_idle(moved, WAIT_S * 1000)
        assert served_by(moved.context) == survivor.cookie
        shows_x0(moved, "1.65", "2.7225")
        # The survivor's own visitors carry on undisturbed.
        move_x0(staying, 4, "-0.8", "0.64")
        shows_x0(staying, "-0.80", "0.64")

        students.wait_until(lambda ss: ss[0].opens[-1] == survivor.cookie and ss[0].moves_since_open >= 2,
                            "reopen on the survivor and move x₀ there")
        redispatched, stayed = students.students
        assert redispatched.disconnects >= 1 and redispatched.opens[-1] == survivor.cookie
        assert stayed.disconnects == 0 and stayed.opens == [survivor.cookie]
        moved.context.close()
        staying.context.close()
    assert not [f for s in students.students for f in s.failures]
    # The supervisor brings the killed process back for the next tests.
    wait_all_up(cluster)


def wait_replaced(cluster, replica, process, what: str) -> float:
    """Seconds until ``replica`` runs a process other than ``process`` and every process is up again."""
    started = time.monotonic()
    while replica.process is process or not all_up(cluster):
        assert time.monotonic() - started < HEAL_S, (
            f"{what}: not every process was serving again within {HEAL_S} s: {cluster.server_status()}; "
            f"log: {cluster.log_path}")
        time.sleep(0.25)
    return time.monotonic() - started


def test_a_killed_and_a_hung_process_come_back_and_their_students_carry_on(cluster):
    wait_all_up(cluster)
    first, second = cluster.replicas
    with Students(cluster.url, pins=[first.cookie, second.cookie]) as students:
        students.wait_until(lambda ss: all(s.moves >= 1 for s in ss), "each move x₀ once")
        assert [s.opens for s in students.students] == [[first.cookie], [second.cookie]]

        killed = first.process
        os.killpg(killed.pid, signal.SIGKILL)
        after_kill = wait_replaced(cluster, first, killed, "after SIGKILL")
        assert killed.returncode == -signal.SIGKILL, "the supervisor reaped it"
        # The killed process's student reopened its link on the other process, with its view.
        students.wait_until(lambda ss: ss[0].opens[-1] == second.cookie and ss[0].moves_since_open >= 2,
                            "reopen on the other process and move x₀ there")

        # Hung: it keeps its port and its connections but answers nothing; only SIGKILL ends it.
        hung = second.process
        os.killpg(hung.pid, signal.SIGSTOP)
        after_stop = wait_replaced(cluster, second, hung, "after SIGSTOP")
        assert hung.returncode == -signal.SIGKILL
        # Both students were on the hung process; both land on the restarted one with their views.
        students.wait_until(lambda ss: all(s.opens[-1] == first.cookie and s.moves_since_open >= 2 for s in ss),
                            "reopen on the restarted process and move x₀ there")
    print(f"\nevery process serving again {after_kill:.1f} s after SIGKILL, {after_stop:.1f} s after SIGSTOP")
    assert not [f for s in students.students for f in s.failures]
    assert all(s.disconnects >= 1 for s in students.students), students.students
    log = cluster.log_path.read_text()
    assert f"{first.name} (pid {killed.pid}) was killed by SIGKILL; restarting it" in log
    assert f"{second.name} (pid {hung.pid}) did not answer 3 health checks in a row" in log


def test_rolling_restart_during_a_class_fails_no_page_load(browser, cluster):
    wait_all_up(cluster)
    before = {r.name: r.process.pid for r in cluster.replicas}
    restart_error: list[Exception] = []

    def restart_all() -> None:
        try:
            cluster.rolling_restart()
        except Exception as exc:  # reported by the test thread below
            restart_error.append(exc)

    tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    loads = 0
    with Students(cluster.url, pins=[None] * 2) as students:
        students.wait_until(lambda ss: all(s.moves >= 1 for s in ss), "each move x₀ once")
        restarter = threading.Thread(target=restart_all)
        restarter.start()
        # A browser keeps opening links for the whole restart and once after it; the students
        # reopen theirs whenever their process goes away.
        while True:
            done = not restarter.is_alive()
            x0 = -1.5 + 0.25 * (loads % 12)
            tab.goto(f"{cluster.url}/derivatives?{SQUARE}&deriv_x0={x0}")
            wait_idle(tab, WAIT_S * 1000)
            shows_x0(tab, f"{x0:.2f}", f"{x0 * x0:.6g}")
            loads += 1
            if done:
                break
        restarter.join()
        moved = [s.moves for s in students.students]
        students.wait_until(lambda ss: all(s.moves >= m + 2 for s, m in zip(ss, moved)),
                            "keep moving x₀ after the restart")
    assert not restart_error, restart_error
    assert not [f for s in students.students for f in s.failures]
    # Each student's process was restarted under it: it lost its connection and opened its link again.
    assert all(s.disconnects >= 1 and len(s.opens) >= 2 for s in students.students), students.students
    assert all(r.process.pid != before[r.name] for r in cluster.replicas)
    assert cluster.server_status() == {r.name: "UP" for r in cluster.replicas}
    tab.context.close()
