"""Per-client rate limiting for the search API: a token bucket per client address, in process.

Each worker keeps its own buckets, so the effective limit is per worker. Who the client is comes from
client_address.py: the connecting address, or behind a proxy named in TRUSTED_PROXIES the address that
proxy saw — never a header a client can write itself. Operations endpoints, the static web client
and the API docs are never limited.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from portal.api_errors import error_json
from portal.observability import ASGIApp, Receive, Scope, Send
from search.http.client_address import TrustedProxies, client_key

EXEMPT_PREFIXES = ("/healthz", "/readyz", "/metrics", "/app", "/docs", "/openapi.json")
MAX_CLIENTS = 50_000  # forget idle buckets beyond this many, so memory stays bounded


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(
        self,
        app: ASGIApp,
        *,
        per_minute: int,
        burst: int,
        trusted_proxies: TrustedProxies | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.burst = max(burst, 1)
        self.trusted_proxies = trusted_proxies or TrustedProxies()
        self.clock = clock
        self.buckets: dict[str, Bucket] = {}

    def take(self, client: str) -> float:
        """Spend one token; returns 0 when allowed, else the seconds until a token is back."""
        now = self.clock()
        bucket = self.buckets.get(client)
        if bucket is None:
            if len(self.buckets) >= MAX_CLIENTS:
                self._forget_idle(now)
            bucket = self.buckets[client] = Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full_after = self.burst / self.rate
        for client in [c for c, b in self.buckets.items() if now - b.updated > full_after]:
            del self.buckets[client]
        if len(self.buckets) >= MAX_CLIENTS:
            self.buckets.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.rate <= 0 or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        wait = self.take(client_key(scope, self.trusted_proxies))
        if not wait:
            await self.app(scope, receive, send)
            return
        retry_after = str(max(1, math.ceil(wait)))
        body = error_json("rate_limited", f"Too many requests; retry after {retry_after} s.")
        headers = [(b"content-type", b"application/json"), (b"retry-after", retry_after.encode()),
                   (b"content-length", str(len(body)).encode())]  # fmt: skip
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body})
