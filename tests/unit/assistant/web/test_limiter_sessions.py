"""The rate limiter's buckets and the conversation tokens."""

from __future__ import annotations

from assistant.web.limiter import RateLimiter
from assistant.web.sessions import SessionCodec, new_conversation_id


def test_bucket_per_address_refills_continuously():
    lim = RateLimiter(per_minute=3)
    assert [lim.check("10.0.0.1", now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = lim.check("10.0.0.1", now=100.0)
    assert wait == 20.0  # one token every 60/3 s
    assert lim.check("10.0.0.2", now=100.0) == 0.0  # another address has its own bucket
    assert lim.check("10.0.0.1", now=120.5) == 0.0  # refilled
    assert lim.check("10.0.0.1", now=120.6) >= 1.0


def test_disabled_and_bounded():
    assert all(RateLimiter(0).check("x") == 0.0 for _ in range(1000))
    lim = RateLimiter(per_minute=1, max_keys=10)
    for i in range(100):
        lim.check(f"10.0.{i}.1", now=1.0)
    assert len(lim.buckets) == 10


def test_tokens_round_trip_and_refuse_forgery():
    codec = SessionCodec("s" * 32, ttl_seconds=3600)
    state = {"c": {"turns": [{"question": "Điều 11?", "resolved": "Điều 11?", "documents": [], "provinces": []}]}}
    token = codec.issue(state)
    assert codec.read(token) == state
    assert codec.read(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None  # altered
    assert SessionCodec("t" * 32, 3600).read(token) is None  # another server's secret
    assert codec.read("api-follow-1") is None and codec.read(None) is None and codec.read("") is None
    assert codec.read("x" * 100_000) is None


def test_expired_token_is_refused(monkeypatch):
    import itsdangerous.timed

    codec = SessionCodec("s" * 32, ttl_seconds=60)
    token = codec.issue({"c": {}})
    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + 120)
    assert codec.read(token) is None


def test_ephemeral_secret_and_ids():
    a, b = SessionCodec(None, 60), SessionCodec(None, 60)
    assert a.ephemeral and b.read(a.issue({"x": 1})) is None
    ids = {new_conversation_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 32 for i in ids)
