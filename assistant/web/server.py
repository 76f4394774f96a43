"""Running the app with uvicorn: the HTTP protocol with a header deadline, ``uvicorn_config``, the one
``free_port`` helper, and ``ThreadedServer`` (a real server on loopback in a background thread, for tests).

uvicorn closes idle keep-alive connections but gives a new connection unlimited time to send its request line
and headers (a slow client could hold a connection forever). Our protocol (uvicorn's httptools one, h11 when
httptools is missing) closes a connection whose request head has not fully arrived ``header_timeout`` seconds
after it opened (or after the previous response); the body deadline is the ``Limits`` middleware's (408).
The event loop is uvicorn's default (uvloop when installed).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

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
