"""The token bucket, with an explicit clock."""

from __future__ import annotations

from search.http.rate_limit import RateLimiter


async def _app(scope, receive, send):  # pragma: no cover - never called here
    raise AssertionError


def test_burst_then_refill_at_the_configured_rate():
    now = [0.0]
    limiter = RateLimiter(_app, per_minute=60, burst=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(3)] == [0, 0, 0]
    wait = limiter.take("a")
    assert 0.9 < wait <= 1.0  # one token a second
    now[0] += 1.0
    assert limiter.take("a") == 0
    assert limiter.take("b") == 0  # clients have their own buckets
