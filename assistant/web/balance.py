"""Keeping keep-alive connections spread over the processes of ``regassist serve --workers N``.

Each worker listens on its own ``SO_REUSEPORT`` socket of the port (``assistant.web.server.WorkerListener``): the
kernel places a *connection* on a worker by hashing its addresses, once, and a keep-alive client then stays
where it fell. 8 connections over 2 workers split 4/4 only 27 % of the time (5/3 44 %, 6/2 22 %, 7/1 6 %), and
the worker holding more connections answers them proportionally slower, since every client always has a
question waiting: ``python -m evals.load`` at 8 clients × 2 workers gave p95 115–181 ms run to run at the same
throughput, once p50 68 ms with p95 169 ms (the three lucky clients fast, the five others slow).

So the workers publish how many connections each holds, in a small shared file (``WorkerLoad``: one slot of
``(pid, connections)`` per worker, claimed at start under a ``filelock`` lock, written only by its owner), and
a worker holding at least :data:`SURPLUS` connections more than the least loaded live worker answers the next
response with ``Connection: close`` (``BalanceConnections``). The client reconnects (HTTP/1.1 clients do, the
request it had sent is answered first) and the kernel places the new connection afresh; a worker at its fair
share closes nothing, so the spread settles and the churn stops. The connection counts come from the HTTP
protocol (``assistant.web.server._HeadDeadline``), the only place that sees every connection open and close.

One process (``serve`` without ``--workers``, tests, the threaded server) has no load file: nothing is done.
A killed worker's slot is ignored by the others (its pid is dead) and reused by the worker that replaces it.
"""

from __future__ import annotations

import mmap
import os
import tempfile
from pathlib import Path

from filelock import FileLock

#: the environment variable ``serve --workers N`` sets for its workers: the shared load file
LOAD_FILE_ENV = "REGASSIST_WORKER_LOAD_FILE"
#: a worker holding this many connections more than the least loaded one sheds one at its next response
SURPLUS = 2
SLOTS = 64  # workers at most; a worker beyond them goes unbalanced
_SLOT_INTS = 2  # pid, connections (int32 each)


def create_load_file(directory: str | None = None) -> Path:
    """A zeroed load file for the workers of one ``serve`` (the caller removes it when serving ends)."""
    fd, name = tempfile.mkstemp(prefix="regassist-workers-", suffix=".load", dir=directory)
    with os.fdopen(fd, "wb") as f:
        f.write(bytes(SLOTS * _SLOT_INTS * 4))
    return Path(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


class WorkerLoad:
    """This worker's slot in the shared load file, and the others' counts."""

    def __init__(self, path: Path, pid: int | None = None):
        self.path = Path(path)
        self.pid = os.getpid() if pid is None else pid
        self._file = open(self.path, "r+b")
        self._map = mmap.mmap(self._file.fileno(), SLOTS * _SLOT_INTS * 4)
        self._ints = memoryview(self._map).cast("i")
        self.slot = self._claim()

    def _claim(self) -> int | None:
        with FileLock(str(self.path) + ".lock"):
            free = None
            for s in range(SLOTS):
                pid = self._ints[s * _SLOT_INTS]
                if pid == self.pid:
                    free = s
                    break
                if free is None and (pid == 0 or not _alive(pid)):
                    free = s
            if free is not None:
                self._ints[free * _SLOT_INTS] = self.pid
                self._ints[free * _SLOT_INTS + 1] = 0
            return free

    @property
    def connections(self) -> int:
        return self._ints[self.slot * _SLOT_INTS + 1] if self.slot is not None else 0

    def opened(self) -> None:
        if self.slot is not None:
            self._ints[self.slot * _SLOT_INTS + 1] += 1

    def closed(self) -> None:
        if self.slot is not None and self._ints[self.slot * _SLOT_INTS + 1] > 0:
            self._ints[self.slot * _SLOT_INTS + 1] -= 1

    def others(self) -> list[int]:
        """The connection counts of the other live workers."""
        out = []
        for s in range(SLOTS):
            pid = self._ints[s * _SLOT_INTS]
            if pid and s != self.slot and _alive(pid):
                out.append(self._ints[s * _SLOT_INTS + 1])
        return out

    def should_shed(self) -> bool:
        """Does this worker hold :data:`SURPLUS` or more connections beyond the least loaded live worker?"""
        if self.slot is None:
            return False
        others = self.others()
        return bool(others) and self.connections - min(others) >= SURPLUS


_LOAD: WorkerLoad | None = None
_LOAD_READ = False


def worker_load() -> WorkerLoad | None:
    """This process's slot when it is one of several workers (the load file is in the environment), else None."""
    global _LOAD, _LOAD_READ
    if not _LOAD_READ:
        _LOAD_READ = True
        path = os.environ.get(LOAD_FILE_ENV)
        if path and Path(path).is_file():
            try:
                _LOAD = WorkerLoad(Path(path))
            except (OSError, ValueError):  # unreadable or short file: serve unbalanced rather than not at all
                _LOAD = None
    return _LOAD


class BalanceConnections:
    """ASGI middleware: ``Connection: close`` on the responses of a worker holding too many connections."""

    def __init__(self, app, load: WorkerLoad | None = None):
        self.app = app
        self.load = load

    async def __call__(self, scope, receive, send):
        load = self.load or worker_load()
        if scope["type"] != "http" or load is None:
            await self.app(scope, receive, send)
            return

        async def send_balanced(message):
            if message["type"] == "http.response.start" and load.should_shed():
                message = dict(message)
                message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        await self.app(scope, receive, send_balanced)
