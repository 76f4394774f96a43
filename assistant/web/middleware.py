"""ASGI middlewares of the web layer, apart from the routes; together they cover every route, the mounted
Gradio app's included. Order, outermost first (``assistant.web.app.create_app`` adds them)::

    JSONErrors → PeerAddress → HostGuard → SecurityHeaders → OriginGuard → CORS (starlette) → Limits
      → RouteGuard → routes / Gradio

* ``PeerAddress``: ``X-Forwarded-For/-Proto/-Host`` are honoured only from ``trusted_proxies`` and stripped
  from every other request, so neither the rate limiter nor Gradio ever sees a forged one.
* ``HostGuard``: the Host header must be an IP literal, ``localhost``, one of this machine's names or an
  ``allowed_hosts`` entry — a DNS-rebinding page's Host is its own name, refused (400) before any work.
* ``SecurityHeaders``: every response gets ``nosniff``; every HTML page a CSP with ``frame-ancestors`` built
  from ``allowed_origins`` (``'self'`` only by default) and ``Referrer-Policy: no-referrer``.
* ``OriginGuard``: a cross-origin preflight or unsafe request from an origin that is not allowed is refused
  (403) before any work; ``/admin`` accepts unsafe requests from its own origin only.
* ``Limits``: body size per route (``Content-Length`` checked first, streamed bodies counted), a deadline for
  the whole body (408), endpoints the product does not use answered 404 (Gradio's ``/gradio_api/upload``
  stored 20 MB from anyone in 49 ms). A probe's 33 MB chat request grew the server by 156 MiB; now 413.
* ``RouteGuard``: 405 (with ``Allow``) for a wrong method on one of our routes, which Gradio's catch-all
  mount would otherwise answer 404.
* ``JSONErrors``: 404/405 bodies that are not HTML become ``{"error": …}``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import time
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match, Mount

from assistant.web.responses import SafeJSONResponse, error_response

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORWARDED = (b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host", b"forwarded", b"x-real-ip")
# the Gradio chat needs inline scripts/styles of its own bundle; nothing is loaded from another origin
APP_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
    "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


def _ip(text: str | None):
    try:
        return ipaddress.ip_address((text or "").strip().strip("[]"))
    except ValueError:
        return None


def host_name(host_header: str) -> str:
    """``"Example.org:8080"`` → ``"example.org"``; ``"[::1]:80"`` → ``"::1"``."""
    h = host_header.strip().lower()
    if h.startswith("["):
        return h[1:].split("]", 1)[0]
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


# ---- proxies and hosts ------------------------------------------------------------------------
class PeerAddress:
    """The client's real address in ``scope["client"]``: the TCP peer, unless that peer is a trusted proxy,
    then the right-most address of ``X-Forwarded-For`` that is not itself a trusted proxy (left-most entries
    are whatever the client wrote). From a trusted proxy ``X-Forwarded-Proto`` sets the scheme and
    ``X-Forwarded-Host`` the Host; from anyone else all forwarding headers are removed."""

    def __init__(self, app, networks: list):
        self.app = app
        self.networks = list(networks)

    def trusted(self, addr: str | None) -> bool:
        ip = _ip(addr)
        return ip is not None and any(ip in net for net in self.networks)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        peer = scope.get("client")
        raw = list(scope.get("headers", []))
        if peer and self.trusted(peer[0]):
            headers = Headers(raw=raw)
            chain = [a.strip() for a in ",".join(headers.getlist("x-forwarded-for")).split(",") if a.strip()]
            client = None
            for addr in reversed(chain):
                if _ip(addr) is None:
                    break
                client = addr.strip("[]")
                if not self.trusted(addr):
                    break
            scope = dict(scope)
            if client:
                scope["client"] = (client, 0)
            proto = (headers.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto if scope["type"] == "http" else ("wss" if proto == "https" else "ws")
            fwd_host = (headers.get("x-forwarded-host") or "").split(",")[0].strip()
            if fwd_host:
                raw = [(k, v) for k, v in raw if k != b"host"] + [(b"host", fwd_host.encode("latin-1", "replace"))]
            scope["headers"] = [(k, v) for k, v in raw if k not in FORWARDED]
        elif any(k in FORWARDED for k, _ in raw):
            scope = dict(scope, headers=[(k, v) for k, v in raw if k not in FORWARDED])
        await self.app(scope, receive, send)


class HostPolicy:
    """Accepted Host names: IP literals, ``localhost`` (and ``*.localhost``), ``names`` (exact, or
    ``*.suffix``), or anything when ``names`` holds ``*``."""

    def __init__(self, names: list[str]):
        self.any = "*" in names
        self.exact = {n.lower().rstrip(".") for n in names if not n.startswith("*")}
        self.suffixes = [n.lower().lstrip("*").rstrip(".") for n in names if n.startswith("*.")]

    def allows(self, host_header: str | None) -> bool:
        if self.any or host_header is None:
            return True
        name = host_name(host_header).rstrip(".")
        if not name:
            return False
        if _ip(name) is not None or name == "localhost" or name.endswith(".localhost"):
            return True
        return name in self.exact or any(name.endswith(s) for s in self.suffixes)


class HostGuard:
    def __init__(self, app, policy: HostPolicy):
        self.app = app
        self.policy = policy

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        host = Headers(scope=scope).get("host")
        if not self.policy.allows(host):
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            response = error_response(
                400, "host not allowed", host=(host or "")[:200], hint="add this name to REGASSIST_ALLOWED_HOSTS"
            )
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


# ---- origins ----------------------------------------------------------------------------------
class OriginPolicy:
    """Allowed browser origins: exact ``scheme://host[:port]`` entries, or glob patterns
    (``http://localhost:*``, ``https://*.intranet.example``); ``*`` alone allows every origin."""

    def __init__(self, allowed: list[str]):
        entries = [a.strip().rstrip("/") for a in allowed if a and a.strip()]
        self.any = "*" in entries
        self.exact = {e.lower() for e in entries if "*" not in e}
        self.patterns = [e.lower() for e in entries if "*" in e and e != "*"]

    def allows(self, origin: str) -> bool:
        o = origin.strip().rstrip("/").lower()
        return self.any or o in self.exact or any(fnmatchcase(o, p) for p in self.patterns)

    def regex(self) -> str | None:
        """The glob patterns as one regex for starlette's CORSMiddleware."""
        import re

        if not self.patterns:
            return None
        return "|".join("(?:" + re.escape(p).replace(r"\*", r"[^/]*") + ")" for p in self.patterns)

    def frame_ancestors(self) -> str:
        """The CSP ``frame-ancestors`` value: this origin and the allowed embedders."""
        if self.any:
            return "*"
        return " ".join(["'self'", *sorted(self.exact), *self.patterns])

    @staticmethod
    def same_origin(origin: str, scope) -> bool:
        """The page was served by this server: Origin's host[:port] and scheme are ours (the Host header,
        or a trusted proxy's forwarded one — :class:`PeerAddress` has put it in place)."""
        if origin == "null":
            return False
        parts = urlsplit(origin)
        host = Headers(scope=scope).get("host")
        if not host or not parts.netloc:
            return False
        default = {"http": "80", "https": "443"}.get(parts.scheme, "")

        def norm(netloc: str) -> str:
            netloc = netloc.lower()
            return netloc if ":" in netloc.rsplit("]", 1)[-1] else f"{netloc}:{default}"

        scheme = scope.get("scheme", "http")
        return parts.scheme == scheme and norm(parts.netloc) == norm(host)


class OriginGuard:
    """Refuses cross-origin requests from origins that are not allowed, before any work is done: a CORS
    preflight, or an unsafe method (a ``text/plain`` POST needs no preflight and would still run). Requests
    without ``Origin`` (curl, server-to-server) and safe methods pass; ``strict_prefixes`` (``/admin``)
    accept unsafe requests from their own origin only."""

    def __init__(self, app, policy: OriginPolicy, strict_prefixes: tuple[str, ...] = ()):
        self.app = app
        self.policy = policy
        self.strict = strict_prefixes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        method = scope["method"]
        if origin is not None and not self.policy.same_origin(origin, scope):
            strict = scope.get("path", "").startswith(self.strict) if self.strict else False
            preflight = method == "OPTIONS" and "access-control-request-method" in headers
            if (strict and (preflight or method in UNSAFE_METHODS)) or (
                not self.policy.allows(origin) and (preflight or method in UNSAFE_METHODS)
            ):
                response = error_response(
                    403, "origin not allowed", origin=origin[:200], hint="add this origin to REGASSIST_ALLOWED_ORIGINS"
                )
                return await response(scope, receive, send)
        await self.app(scope, receive, send)


# ---- headers ----------------------------------------------------------------------------------
class SecurityHeaders:
    """``nosniff`` on every response; on HTML also a CSP whose ``frame-ancestors`` lists the allowed
    embedders (kept if the route set a CSP, added to it otherwise), ``Referrer-Policy: no-referrer`` and,
    when no other site may frame it, ``X-Frame-Options: SAMEORIGIN`` for old browsers."""

    def __init__(self, app, frame_ancestors: str, default_csp: str = APP_CSP):
        self.app = app
        self.frame_ancestors = frame_ancestors
        self.default_csp = default_csp

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def _send(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["x-content-type-options"] = "nosniff"
                if headers.get("content-type", "").startswith("text/html"):
                    csp = headers.get("content-security-policy") or self.default_csp
                    if "frame-ancestors" not in csp:
                        csp = f"{csp.rstrip('; ')}; frame-ancestors {self.frame_ancestors}"
                    headers["content-security-policy"] = csp
                    headers.setdefault("referrer-policy", "no-referrer")
                    if self.frame_ancestors == "'self'":
                        headers.setdefault("x-frame-options", "SAMEORIGIN")
            await send(message)

        await self.app(scope, receive, _send)


# ---- sizes and time ---------------------------------------------------------------------------
class _Refused(Exception):
    def __init__(self, status: int, message: str, **extra):
        self.status, self.message, self.extra = status, message, extra


class Limits:
    """Body size per route prefix (longest prefix wins, ``default`` otherwise), a deadline for receiving
    the whole body, ``blocked`` path prefixes answered 404, and for each ``writes_only`` prefix the only
    paths an unsafe method may reach (the rest 404)."""

    def __init__(
        self,
        app,
        *,
        default: int,
        per_prefix: dict[str, int],
        body_timeout: float,
        blocked: tuple[str, ...] = (),
        writes_only: dict[str, set[str]] | None = None,
    ):
        self.app = app
        self.default = default
        self.per_prefix = sorted(per_prefix.items(), key=lambda kv: -len(kv[0]))
        self.body_timeout = body_timeout
        self.blocked = blocked
        self.writes_only = writes_only or {}  # under this prefix, unsafe methods reach only these paths

    def refused_path(self, method: str, path: str) -> bool:
        if self.blocked and path.startswith(self.blocked):
            return True
        if method in UNSAFE_METHODS:
            for prefix, allowed in self.writes_only.items():
                if path.startswith(prefix) and path.rstrip("/") not in allowed:
                    return True
        return False

    def limit_for(self, path: str) -> int:
        return next((n for prefix, n in self.per_prefix if path.startswith(prefix)), self.default)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if self.refused_path(scope["method"], path):
            return await error_response(404, "not found: this server has no such endpoint", path=path[:200])(
                scope, receive, send
            )
        limit = self.limit_for(path)
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            try:
                announced = int(length)
            except ValueError:
                return await error_response(400, "invalid Content-Length header")(scope, receive, send)
            if announced > limit:
                return await error_response(413, f"request body too large (limit {limit} bytes)", limit_bytes=limit)(
                    scope, receive, send
                )
        received = 0
        body_done = scope["method"] in ("GET", "HEAD", "OPTIONS") and length is None
        deadline = time.monotonic() + self.body_timeout
        refused: list[_Refused] = []
        started = False

        async def _receive():
            nonlocal received, body_done
            if body_done or refused:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(0.001, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                refused.append(_Refused(408, f"request body not received within {self.body_timeout:g} s"))
                raise refused[-1] from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused.append(_Refused(413, f"request body too large (limit {limit} bytes)", limit_bytes=limit))
                    raise refused[-1]
                if not message.get("more_body"):
                    body_done = True
            else:
                body_done = True
            return message

        async def _send(message):
            nonlocal started
            if refused:  # the app answered after its body was refused: our answer replaces it
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, _receive, _send)
        except Exception:
            if not refused:
                raise
        if refused and not started:
            r = refused[0]
            await error_response(r.status, r.message, headers={"Connection": "close"}, **r.extra)(scope, receive, send)


# ---- routing ----------------------------------------------------------------------------------
class RouteGuard:
    """With Gradio mounted at ``/`` every path matches the mount, so a wrong method on one of our routes
    (``GET /api/ask``) would reach Gradio and come back 404: this answers 405 JSON with ``Allow``."""

    def __init__(self, app, router):
        self.app = app
        self.router = router

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        allowed: set[str] = set()
        for route in _flat(self.router.routes):
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return await self.app(scope, receive, send)
            if match == Match.PARTIAL:
                allowed |= set(getattr(route, "methods", None) or ())
        if allowed:
            allow = ", ".join(sorted(allowed))
            response = error_response(
                405,
                f"method {scope['method']} not allowed on {scope.get('path', '')[:200]}; allowed: {allow}",
                headers={"Allow": allow},
                allowed=sorted(allowed),
            )
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


def _flat(routes):
    """Our own routes (FastAPI ≥ 0.16x keeps included routers as ``_IncludedRouter`` objects), no mounts."""
    for route in routes:
        if isinstance(route, Mount):
            continue
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _flat(inner.routes)
        else:
            yield route


class JSONErrors:
    """404/405 answers that are neither HTML nor already ``{"error": …}`` (Gradio's ``{"detail": …}``,
    starlette's plain text) are rewritten to ``{"error": …}``, the original keys kept."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        held: dict = {}

        async def _send(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if message["status"] in (404, 405) and not headers.get("content-type", "").startswith("text/html"):
                    held["start"], held["body"] = message, b""
                    return
                return await send(message)
            if message["type"] == "http.response.body" and "start" in held:
                held["body"] += message.get("body", b"")
                if message.get("more_body"):
                    return
                start = held.pop("start")
                body = _rewrite(start["status"], held["body"], scope)
                headers = MutableHeaders(scope=start)
                headers["content-type"] = "application/json"
                headers["content-length"] = str(len(body))
                await send(start)
                return await send({"type": "http.response.body", "body": body})
            await send(message)

        await self.app(scope, receive, _send)


def _rewrite(status: int, body: bytes, scope) -> bytes:
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        data = None
    if isinstance(data, dict) and "error" in data:
        return body
    default = "not found" if status == 404 else "method not allowed"
    out = dict(data) if isinstance(data, dict) else {}
    detail = out.get("detail")
    out = {
        "error": detail if isinstance(detail, str) and detail else default,
        **out,
        "path": scope.get("path", "")[:300],
    }
    if status == 405:
        out["method"] = scope.get("method")
    return bytes(SafeJSONResponse(out).body)
