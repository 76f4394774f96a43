"""HTTP guards: JSON errors everywhere, origin policy, 405/413 before routing, a token-bucket limiter.

All are plain ASGI middlewares (no new dependency). Order, outermost first (see ``assistant.api``)::

    JSONErrors → OriginGuard → CORSMiddleware (starlette) → RouteGuard → FastAPI routes / Gradio mount
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import OrderedDict
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.routing import Match, Mount

CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_BODY_BYTES = 256 * 1024  # a 20,000-character question, even fully \u-escaped, stays below this


class SafeJSONResponse(JSONResponse):
    """JSON whose ``<``, ``>`` and ``&`` are written as ``\\u003c`` … so that no echoed text (a
    question holding ``<script>``) can ever be sniffed or pasted as markup; the decoded value is
    unchanged."""

    def render(self, content) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


def error_response(status: int, message: str, headers: dict | None = None, **extra) -> SafeJSONResponse:
    return SafeJSONResponse({"error": message, **extra}, status_code=status, headers=headers)


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
        if self.any:
            return True
        return o in self.exact or any(fnmatchcase(o, p) for p in self.patterns)

    def regex(self) -> str | None:
        """The glob patterns as one regex for starlette's CORSMiddleware."""
        if not self.patterns:
            return None
        return "|".join("(?:" + re.escape(p).replace(r"\*", r"[^/]*") + ")" for p in self.patterns)

    @staticmethod
    def same_origin(origin: str, headers: Headers) -> bool:
        """The page was served by this server: Origin's host:port is our Host (or, behind a reverse
        proxy that rewrites Host, its X-Forwarded-Host — a header a cross-origin page cannot add
        without a preflight, which is refused)."""
        if origin == "null":
            return False
        netloc = urlsplit(origin).netloc.lower()
        hosts = [headers.get("host"), *(headers.get("x-forwarded-host") or "").split(",")]
        return bool(netloc) and any(h and h.strip().lower() == netloc for h in hosts)


class OriginGuard:
    """Refuses cross-origin requests from origins that are not allowed, *before* any work is done:

    * a CORS preflight (``OPTIONS`` + ``Access-Control-Request-Method``) → 403 JSON, no
      ``Access-Control-Allow-Origin``;
    * an unsafe method (POST, PUT, PATCH, DELETE) carrying an ``Origin`` that is neither allowed
      nor the server's own → 403 JSON. CORS alone only hides the response from the page; the request
      would still run (a ``text/plain`` POST needs no preflight) and spend the rate budget.

    Requests without ``Origin`` (curl, server-to-server, same-origin GETs) and safe methods pass;
    for those CORS simply adds no ``Access-Control-Allow-Origin``.
    """

    def __init__(self, app, policy: OriginPolicy):
        self.app = app
        self.policy = policy

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is not None and not self.policy.allows(origin) and not self.policy.same_origin(origin, headers):
            method = scope["method"]
            preflight = method == "OPTIONS" and "access-control-request-method" in headers
            if preflight or method in UNSAFE_METHODS:
                response = error_response(403, "origin not allowed", origin=origin[:200],
                                          hint="add this origin to REGASSIST_ALLOWED_ORIGINS")
                return await response(scope, receive, send)
        await self.app(scope, receive, send)


# ---- routing guards ---------------------------------------------------------------------------
class RouteGuard:
    """With Gradio mounted at ``/`` every path matches the mount, so a wrong method on one of our
    routes (``GET /api/ask``) would reach Gradio and come back 404. This answers 405 JSON (with
    ``Allow``) when a route of the parent app matches the path but not the method, and 413 JSON when
    a request to the JSON API announces a body larger than ``MAX_BODY_BYTES``."""

    def __init__(self, app, router, api_prefix: str = "/api/", max_body: int = MAX_BODY_BYTES):
        self.app = app
        self.router = router
        self.api_prefix = api_prefix
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if path.startswith(self.api_prefix):
            length = Headers(scope=scope).get("content-length")
            if length is not None:
                try:
                    too_big = int(length) > self.max_body
                except ValueError:
                    return await error_response(400, "invalid Content-Length header")(scope, receive, send)
                if too_big:
                    return await error_response(413, f"request body too large (limit {self.max_body} bytes)",
                                                limit_bytes=self.max_body)(scope, receive, send)
        allowed: set[str] = set()
        for route in self.router.routes:
            if isinstance(route, Mount):
                continue
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return await self.app(scope, receive, send)
            if match == Match.PARTIAL:
                allowed |= set(getattr(route, "methods", None) or ())
        if allowed:
            allow = ", ".join(sorted(allowed))
            response = error_response(405, f"method {scope['method']} not allowed on {path}; allowed: {allow}",
                                      headers={"Allow": allow}, allowed=sorted(allowed))
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


class JSONErrors:
    """Outermost: 404/405 answers that are not HTML and not already ``{"error": …}`` (Gradio's own
    ``{"detail": "Not Found"}``, starlette's plain-text ones) are rewritten to ``{"error": …}``,
    keeping the original keys. Adds ``X-Content-Type-Options: nosniff`` to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        held: dict = {}

        async def _send(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("x-content-type-options", "nosniff")
                status = message["status"]
                ctype = headers.get("content-type", "")
                if status in (404, 405) and not ctype.startswith("text/html"):
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
    out = {"error": detail if isinstance(detail, str) and detail else default, **out,
           "path": scope.get("path", "")[:300]}
    if status == 405:
        out["method"] = scope.get("method")
    return SafeJSONResponse(out).body


# ---- rate limiting ----------------------------------------------------------------------------
class RateLimiter:
    """In-process token buckets: ``per_minute`` tokens, refilled continuously.

    The key is the client IP, refined by a well-formed ``X-Client-Id`` (users behind one proxy or
    NAT do not starve each other). Because the header is self-declared, every IP also has an
    aggregate bucket of ``ip_factor × per_minute`` so rotating ids cannot multiply throughput
    without bound. ``per_minute <= 0`` disables limiting.
    """

    def __init__(self, per_minute: int, ip_factor: int = 10, max_keys: int = 10_000):
        self.per_minute = per_minute
        self.ip_factor = ip_factor
        self.max_keys = max_keys
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, stamp)
        self.lock = threading.Lock()

    @staticmethod
    def key(ip: str | None, client_id: str | None) -> tuple[str, str | None]:
        ip = ip or "unknown"
        if client_id and CLIENT_ID_RE.match(client_id):
            return ip, f"{ip}#{client_id}"
        return ip, None

    def _take(self, key: str, capacity: float, now: float) -> float:
        """Take one token; return 0 when granted, else the seconds until one is available."""
        rate = capacity / 60.0
        tokens, stamp = self.buckets.get(key, (capacity, now))
        tokens = min(capacity, tokens + (now - stamp) * rate)
        if tokens >= 1.0:
            self.buckets[key] = (tokens - 1.0, now)
            self.buckets.move_to_end(key)
            return 0.0
        self.buckets[key] = (tokens, now)
        return (1.0 - tokens) / rate

    def check(self, ip: str | None, client_id: str | None = None) -> float:
        """0.0 when the request may proceed, else Retry-After in seconds (≥ 1)."""
        if self.per_minute <= 0:
            return 0.0
        ip_key, client_key = self.key(ip, client_id)
        now = time.monotonic()
        with self.lock:
            if client_key is None:
                wait = self._take(ip_key, float(self.per_minute), now)
            else:
                wait = self._take("ip:" + ip_key, float(self.per_minute * self.ip_factor), now)
                if not wait:
                    wait = self._take(client_key, float(self.per_minute), now)
                    if wait:  # refused for this client: give the IP-wide token back
                        tokens, stamp = self.buckets["ip:" + ip_key]
                        self.buckets["ip:" + ip_key] = (tokens + 1.0, stamp)
            while len(self.buckets) > self.max_keys:
                self.buckets.popitem(last=False)
        return float(max(1, math.ceil(wait))) if wait else 0.0
