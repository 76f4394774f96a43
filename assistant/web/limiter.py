"""The one rate limiter: token buckets keyed on the client's real address.

The address is the TCP peer, or — only when that peer is a trusted proxy (``ServerSettings.trusted_proxies``,
default none) — the client it forwards for (:class:`assistant.web.middleware.PeerAddress` rewrites
``scope["client"]`` before anything reads it). A self-declared header (``X-Client-Id``, ``X-Forwarded-For``
from an untrusted peer) never chooses the bucket: a probe rotated ``X-Forwarded-For`` from one machine and got
300 of 300 questions through.

Per process: with ``--workers N`` each worker keeps its own buckets, so one address gets at most N × the limit
(connections are spread over the workers by the kernel; documented in ``assistant.web.cli``).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict


class RateLimiter:
    """``per_minute`` tokens per key, refilled continuously; ``per_minute <= 0`` disables limiting.
    ``check(key)`` → 0.0 when granted, else Retry-After in whole seconds (≥ 1)."""

    def __init__(self, per_minute: int, max_keys: int = 10_000):
        self.per_minute = per_minute
        self.max_keys = max_keys
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, stamp)
        self.lock = threading.Lock()

    def check(self, key: str | None, now: float | None = None) -> float:
        if self.per_minute <= 0:
            return 0.0
        key = key or "unknown"
        now = time.monotonic() if now is None else now
        capacity = float(self.per_minute)
        rate = capacity / 60.0
        with self.lock:
            tokens, stamp = self.buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + max(0.0, now - stamp) * rate)
            if tokens >= 1.0:
                self.buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self.buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / rate
            self.buckets.move_to_end(key)
            while len(self.buckets) > self.max_keys:
                self.buckets.popitem(last=False)
        return float(max(1, math.ceil(wait))) if wait else 0.0
