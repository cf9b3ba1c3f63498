"""A fair share per client address in HAProxy, and a cache and cookies a visitor cannot game.

Clients come from several loopback addresses (127.0.0.2, 127.0.0.3, ...; all of 127.0.0.0/8
reaches HAProxy on 127.0.0.1), each address standing for one school or one home. The cluster
runs with deploy/cluster.py's default limits (``deploy.cluster.Limits``).
"""

from __future__ import annotations

import asyncio
import http.client
import re
import select
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets

from deploy.cluster import Limits
from tests.cluster.conftest import COOKIE, wait_all_up

pytestmark = pytest.mark.cluster

LIMITS = Limits()


def get(cluster, path: str, source: str, headers: dict | None = None) -> http.client.HTTPResponse:
    """A GET through HAProxy from the loopback address ``source``; the response with its body read."""
    conn = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=30, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.body = response.read()
        return response
    finally:
        conn.close()


def refused(sock: socket.socket) -> bool:
    """Whether HAProxy closed ``sock`` without a word (it was accepted, then rejected)."""
    if not select.select([sock], [], [], 0)[0]:
        return False
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def address_connections(cluster, source: str) -> int:
    """The open connections HAProxy's table counts for ``source``."""
    table = cluster.admin(f"show table students key ::ffff:{source}")
    found = re.search(r"conn_cur=(\d+)", table)
    return int(found.group(1)) if found else 0


def test_one_address_holding_hundreds_of_sockets_is_refused_past_its_cap_while_another_is_served(cluster):
    wait_all_up(cluster)
    hoarder, other = "127.0.0.2", "127.0.0.3"
    sockets = []
    try:
        for _ in range(LIMITS.conn_per_address + 40):
            sock = socket.socket()
            sock.bind((hoarder, 0))
            sock.connect(("127.0.0.1", cluster.port))
            sockets.append(sock)
        # HAProxy closes each connection past the cap as soon as it accepts it (in the order it accepts them,
        # not quite the order they were opened); the others wait for a request (`timeout http-request`, 15 s).
        deadline = time.monotonic() + 10
        while sum(map(refused, sockets)) < 40 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sum(map(refused, sockets)) == 40
        assert address_connections(cluster, hoarder) == LIMITS.conn_per_address

        # Another address is served at once: the health check and a lesson's page.
        started = time.monotonic()
        assert get(cluster, "/_stcore/health", other).status == 200
        assert get(cluster, "/derivatives", other).status == 200
        assert time.monotonic() - started < 10, "another address waited: it was queued, not served"
        # The hoarder itself gets nothing more.
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
            get(cluster, "/_stcore/health", hoarder)
    finally:
        for sock in sockets:
            sock.close()
    # Its sockets closed, the hoarder is served again.
    deadline = time.monotonic() + 30
    while address_connections(cluster, hoarder) > 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert get(cluster, "/_stcore/health", hoarder).status == 200


async def open_websocket(cluster, source: str) -> None:
    """Open Streamlit's websocket through HAProxy from ``source`` (a new session), then close it."""
    async with websockets.connect(f"ws://127.0.0.1:{cluster.port}/_stcore/stream", subprotocols=["streamlit"],
                                  local_addr=(source, 0), open_timeout=30):
        pass


def test_an_address_opening_sessions_too_fast_gets_429_while_another_opens_at_once(cluster):
    wait_all_up(cluster)
    hasty, other = "127.0.0.4", "127.0.0.5"
    tries = LIMITS.sessions_per_address + 20
    # Requests to /_stcore/stream are what a new session starts with; without the upgrade header the app
    # answers them with its page, cheaply, so the cap is reached without opening sessions.
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda _: get(cluster, "/_stcore/stream", hasty).status, range(tries)))
    assert set(statuses) <= {200, 429}, statuses
    # The rate counts the last 10 s, weighing the previous period: at least the last ten are refused.
    assert 10 <= statuses.count(429) <= 20, statuses
    # A real websocket from that address is refused too, and another address opens one at once.
    with pytest.raises(websockets.InvalidStatus) as refusal:
        asyncio.run(open_websocket(cluster, hasty))
    assert refusal.value.response.status_code == 429
    asyncio.run(open_websocket(cluster, other))
    assert get(cluster, "/derivatives", hasty).status == 200, "only new sessions are limited, not pages"


def cached_entries(cluster) -> int:
    """The objects in HAProxy's "static" cache (``show cache`` lists one line per object under its cache)."""
    return sum(1 for line in cluster.admin("show cache").splitlines() if re.match(r"\s*0x[0-9a-f]+ hash:", line))


def test_only_query_less_static_files_are_cached(cluster):
    wait_all_up(cluster)
    index = get(cluster, "/derivatives", "127.0.0.6").body.decode()
    script = re.search(r"/static/js/index\.[\w-]+\.js", index).group(0)
    for _ in range(2):
        plain = get(cluster, script, "127.0.0.6")
    assert plain.status == 200 and plain.getheader("age") is not None, "the plain file comes from the cache"
    before = cached_entries(cluster)
    assert before >= 1
    for bust in range(5):
        for _ in range(2):
            busted = get(cluster, f"{script}?bust={bust}", "127.0.0.6")
        assert busted.status == 200 and busted.body == plain.body
        assert busted.getheader("age") is None, "a file with a query string must come from the app, not the cache"
    assert cached_entries(cluster) == before


def given_cookie(response: http.client.HTTPResponse) -> str | None:
    """The affinity cookie value HAProxy set in ``response``, if it set one."""
    for header in response.headers.get_all("set-cookie") or []:
        if found := re.fullmatch(rf"{COOKIE}=(\w*); path=/; HttpOnly", header):
            return found.group(1)
    return None


def test_a_forged_affinity_cookie_does_not_choose_the_process(cluster):
    wait_all_up(cluster)
    cookies = {r.cookie for r in cluster.replicas}
    assert len(cookies) == 2 and all(re.fullmatch(r"[0-9a-f]{16}", c) for c in cookies)
    for replica in cluster.replicas:
        # A genuine cookie keeps its visitor where it is: HAProxy does not set it again.
        kept = get(cluster, "/_stcore/health", "127.0.0.7", {"Cookie": f"{COOKIE}={replica.cookie}"})
        assert kept.status == 200 and given_cookie(kept) is None
    # Server names (what the cookie held before), other guesses and near misses are ignored: the visitor is
    # balanced as a new one and given a genuine cookie.
    for forged in ["app1", "app2", "host1", "0" * 16, next(iter(cookies))[:-1] + "x", ""]:
        answer = get(cluster, "/_stcore/health", "127.0.0.7", {"Cookie": f"{COOKIE}={forged}"})
        assert answer.status == 200 and given_cookie(answer) in cookies, (forged, answer.getheaders())
