"""Running the app with uvicorn: the HTTP protocol with a header deadline, ``uvicorn_config``, the one
``free_port`` helper, and ``ThreadedServer`` (a real server on loopback in a background thread, for tests).

uvicorn closes idle keep-alive connections but gives a new connection unlimited time to send its request line
and headers (a slow client could hold a connection forever). Our protocol (uvicorn's httptools one, h11 when
httptools is missing) closes a connection whose request head has not fully arrived ``header_timeout`` seconds
after it opened (or after the previous response); the body deadline is the ``Limits`` middleware's (408).
The event loop is uvicorn's default (uvloop when installed).

``tune_allocator`` / ``allocator_env``: glibc malloc limited to 2 arenas with a fixed 1 MiB mmap threshold in a
serving process (``Engine.start`` applies it; ``serve --workers N`` passes it to the workers as
``MALLOC_ARENA_MAX`` / ``MALLOC_MMAP_THRESHOLD_``, values already in the environment win). Each index swap
otherwise left its transient blocks as free but resident holes in the arenas: +5.4 MiB RSS per swap with
the memory in use flat (the measurements are in ``assistant.web.backend``). 1 MiB, not glibc's initial
128 KiB: with 128 KiB every question's larger numpy temporaries were mapped and unmapped (page faults each
time): 58.6 answers/s at 32 clients × 2 workers against 68.1 before, 68.3 with 1 MiB (61.5 with 128 KiB and
the default arenas: the threshold, not the arena limit, cost the CPU).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.web.balance import worker_load
from assistant.web.settings import ServerSettings

if TYPE_CHECKING:  # the mixin is used with uvicorn's protocols, whose attributes it reads
    _Protocol = H11Protocol
else:
    _Protocol = object


class _HeadDeadline(_Protocol):
    """Mixin for uvicorn's HTTP protocols: a deadline on the request head (``config.header_timeout`` s)."""

    def __init__(self, config, *args, **kwargs):
        super().__init__(config, *args, **kwargs)
        self.header_timeout = float(getattr(config, "header_timeout", 10.0))
        self._head_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_expired)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._load = worker_load()  # one of several workers: its open connections are counted for balancing
        if self._load is not None:
            self._load.opened()
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()  # the head has arrived: the body has its own deadline

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc) -> None:
        self._disarm()
        load = getattr(self, "_load", None)
        if load is not None:
            self._load = None  # counted once
            load.closed()
        super().connection_lost(exc)


class DeadlineH11Protocol(_HeadDeadline, H11Protocol):
    """uvicorn's pure-Python h11 protocol with the head deadline."""


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class DeadlineHttpToolsProtocol(_HeadDeadline, HttpToolsProtocol):  # type: ignore[misc]
        """uvicorn's httptools protocol (the C parser uvicorn picks by default) with the head deadline."""

    HTTP_PROTOCOL: type = DeadlineHttpToolsProtocol
except ImportError:  # httptools not installed: h11
    HTTP_PROTOCOL = DeadlineH11Protocol


def uvicorn_config(app, settings: ServerSettings, **overrides) -> uvicorn.Config:
    """uvicorn's config for ``app`` (an ASGI app, or an import string with ``factory=True``): proxy headers
    off (``PeerAddress`` applies ``trusted_proxies``), our header deadline, keep-alive and log level."""
    kwargs: dict[str, Any] = dict(
        host=settings.host,
        port=settings.port,
        proxy_headers=False,
        http=HTTP_PROTOCOL,
        timeout_keep_alive=settings.keep_alive_timeout,
        log_level=settings.log_level,
        access_log=False,
        server_header=False,
        date_header=True,
        lifespan="on",
        timeout_graceful_shutdown=10,
    )
    kwargs.update(overrides)
    config = uvicorn.Config(app, **kwargs)
    setattr(
        config, "header_timeout", settings.header_timeout
    )  # read by _HeadDeadline (pickled with the config to workers)
    return config


# glibc malloc for a process that swaps generations while threads answer (measured: ``assistant.web.backend``):
# at most this many arenas, and a fixed mmap threshold (blocks of 1 MiB and more mapped and unmapped, never left in
# an arena; glibc's default threshold rises to the largest block freed so far, up to 32 MiB)
MALLOC_ARENA_MAX = 2
MALLOC_MMAP_THRESHOLD = 1024 * 1024
_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8  # mallopt parameters (malloc.h)


def allocator_env() -> dict[str, str]:
    """The same settings as environment variables, read by glibc when a process starts (``serve --workers N``
    gives them to its workers, so they hold from the first allocation); values already set are kept."""
    wanted = {"MALLOC_ARENA_MAX": str(MALLOC_ARENA_MAX), "MALLOC_MMAP_THRESHOLD_": str(MALLOC_MMAP_THRESHOLD)}
    return {k: v for k, v in wanted.items() if k not in os.environ}


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def tune_allocator() -> bool:
    """Apply :data:`MALLOC_ARENA_MAX` and :data:`MALLOC_MMAP_THRESHOLD` (or the environment's values) to this
    process with ``mallopt``: they hold for arenas made and blocks allocated from now on, also when the
    variables were set after the process started. False when the C library is not glibc."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        ok = libc.mallopt(_M_ARENA_MAX, _env_int("MALLOC_ARENA_MAX", MALLOC_ARENA_MAX))
        ok &= libc.mallopt(_M_MMAP_THRESHOLD, _env_int("MALLOC_MMAP_THRESHOLD_", MALLOC_MMAP_THRESHOLD))
        return bool(ok)
    except (OSError, AttributeError):  # not glibc
        return False


def reuseport_socket(host: str, port: int, backlog: int = 2048, *, listen: bool = True) -> socket.socket:
    """A TCP socket bound to ``host:port`` with ``SO_REUSEPORT`` (listening unless ``listen`` is False)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        if listen:
            sock.listen(backlog)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


class WorkerListener:
    """Stands for a listening socket in uvicorn's worker list: unpickled in a worker process (uvicorn starts its
    workers with ``spawn`` and pickles the sockets it gives them), it becomes that worker's own ``SO_REUSEPORT``
    socket, so the kernel spreads new connections over the workers. With one shared socket the worker that
    wakes first accepts every waiting connection: 8 keep-alive connections opened at once all went to one of
    two workers (32: 26/6, 28/4, 32/0), so ``--workers 2`` served 8 clients from one process."""

    def __init__(self, host: str, port: int, backlog: int):
        self.host, self.port, self.backlog = host, port, backlog

    def __reduce__(self):
        return (reuseport_socket, (self.host, self.port, self.backlog))


def per_worker_listeners() -> bool:
    """Whether ``serve --workers N`` gives each worker its own ``SO_REUSEPORT`` socket (Linux: the kernel
    balances connections over the sockets of one port; elsewhere one shared socket)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now (bind to 0, read, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class ThreadedServer:
    """``with ThreadedServer(app) as srv: httpx.get(srv.url + "/healthz")`` — a real uvicorn server on a free
    loopback port, stopped (and its thread joined) on exit."""

    def __init__(self, app, settings: ServerSettings | None = None, port: int | None = None):
        settings = settings or ServerSettings()
        self.host = "127.0.0.1"
        self.port = port or free_port(self.host)
        config = uvicorn_config(app, settings, host=self.host, port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name=f"uvicorn-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 60.0) -> "ThreadedServer":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 15.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self) -> "ThreadedServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
