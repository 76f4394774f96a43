"""The workers' shared connection counts and the ``Connection: close`` they shed surplus connections with."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from assistant.web.balance import SURPLUS, BalanceConnections, WorkerLoad, create_load_file


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_slots_are_claimed_once_and_counts_are_shared(tmp_path):
    path = create_load_file(str(tmp_path))
    a = WorkerLoad(path, pid=os.getpid())
    b = WorkerLoad(path, pid=os.getppid())  # a second live process
    assert a.slot != b.slot
    assert WorkerLoad(path, pid=os.getpid()).slot == a.slot  # the same worker again: its own slot
    for _ in range(5):
        a.opened()
    for _ in range(3):
        b.opened()
    assert (a.connections, b.connections) == (5, 3) and a.others() == [3] and b.others() == [5]
    assert a.should_shed() and not b.should_shed()  # 5 against 3: the busier one sheds
    a.closed()
    assert a.connections - b.connections < SURPLUS and not a.should_shed() and not b.should_shed()  # 4/4
    b.closed(), b.closed(), b.closed(), b.closed()
    assert b.connections == 0  # never below zero


def test_a_dead_workers_slot_is_ignored_and_reused(tmp_path):
    path = create_load_file(str(tmp_path))
    dead = WorkerLoad(path, pid=_dead_pid())  # left behind by a killed worker
    dead.opened()
    other = WorkerLoad(path, pid=os.getppid())
    assert other.slot == dead.slot  # a new worker takes the dead one's slot
    for _ in range(4):
        other.opened()
    assert other.others() == [] and not other.should_shed()  # alone among the live: nothing to balance against
    me = WorkerLoad(path, pid=os.getpid())
    assert me.slot != other.slot and other.should_shed()  # 4 against 0


def test_one_process_without_a_load_file_sheds_nothing(tmp_path, monkeypatch):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    def headers_of(middleware) -> list[tuple[bytes, bytes]]:
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b""}

        asyncio.run(middleware({"type": "http", "method": "GET", "path": "/"}, receive, send))
        return sent[0]["headers"]

    monkeypatch.delenv("REGASSIST_WORKER_LOAD_FILE", raising=False)
    assert (b"connection", b"close") not in headers_of(BalanceConnections(app))
    path = create_load_file(str(tmp_path))
    busy, idle = WorkerLoad(path, pid=os.getpid()), WorkerLoad(path, pid=os.getppid())
    for _ in range(3):
        busy.opened()
    assert headers_of(BalanceConnections(app, load=busy))[-1] == (b"connection", b"close")
    assert (b"connection", b"close") not in headers_of(BalanceConnections(app, load=idle))
