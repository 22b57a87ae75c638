"""Admission: how many searches run at once, and who goes first when every slot is taken.

The rate limit (rate_limit.py) counts requests; it cannot see that one request of twenty random words
costs the service and the engine many times an ordinary one, nor that fifty addresses flood together.
So, per worker process:
- at most `slots` searches run at once, and of them at most half (at least one) searches longer than a
  few words: a short search finds a slot free even while long ones flood;
- one client (client_address.py) has at most `per_client` searches running or waiting: beyond that it
  is answered 429 at once, before any work is done;
- when every slot is taken, a search waits in a queue ordered first by how long its text is — a few
  words (`SHORT_WORDS`) before a sentence, a sentence before a paragraph — then by how much its client
  has used lately (the time its searches took, halving every `half_life_s`). Reading and matching cost
  grows with the words, so the short searches people type go first, whoever arrived first; and among
  equals a citizen who searches now and then goes before a client that floods. Use alone is not enough:
  fifty addresses that flood each use less than one citizen who searches often;
- a search that cannot start within `max_wait_s` is answered 503 with Retry-After.
Operations endpoints, the web client's files and the API docs never wait: /healthz answers however busy
search is.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from portal.api_errors import error_json
from portal.observability import ASGIApp, Receive, Scope, Send
from search.http.client_address import TrustedProxies, client_key
from search.http.rate_limit import EXEMPT_PREFIXES

#: Clients remembered at once; beyond, the ones idle longest are forgotten (their use has decayed away).
MAX_CLIENTS = 50_000
#: A search of at most this many words waits in the first class; up to LONG_WORDS in the second.
SHORT_WORDS = 4
LONG_WORDS = 8
WORD = re.compile(rb"(?:^|&)q=([^&]*)")


def length_class(query_string: bytes) -> int:
    """0 for a search of a few words (or none), 1 for a sentence, 2 for more: counted on the raw query
    string (`+`, `%20` and commas part words), without decoding it."""
    found = WORD.search(query_string)
    if found is None:
        return 0
    words = len([w for w in re.split(rb"\+|%20|%2C|,", found.group(1)) if w])
    return 0 if words <= SHORT_WORDS else 1 if words <= LONG_WORDS else 2


@dataclass
class Use:
    """A client's recent use: seconds of search, decayed, and its searches running or waiting."""

    at: float  # the monotonic moment `seconds` was decayed to: known from the client's first search on
    seconds: float = 0.0
    running: int = 0
    waiting: int = 0


@dataclass(order=True)
class Waiter:
    length: int  # length_class of its text
    used: float  # its client's recent use
    sequence: int
    ready: asyncio.Future[None] = field(compare=False)


class Admission:
    def __init__(
        self,
        app: ASGIApp,
        *,
        slots: int,
        per_client: int,
        max_wait_s: float,
        half_life_s: float = 10.0,
        trusted_proxies: TrustedProxies | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.slots = slots
        self.per_client = per_client
        self.max_wait_s = max_wait_s
        self.decay = math.log(2) / half_life_s
        self.trusted_proxies = trusted_proxies or TrustedProxies()
        self.clock = clock
        self.long_slots = max(1, slots // 2)  # long searches never hold every slot
        self.running = 0
        self.running_long = 0
        self.queue: list[Waiter] = []
        self.sequence = itertools.count()
        self.clients: dict[str, Use] = {}

    def _use(self, client: str, now: float) -> Use:
        use = self.clients.get(client)
        if use is None:
            if len(self.clients) >= MAX_CLIENTS:
                self._forget_idle()
            use = self.clients[client] = Use(at=now)
        use.seconds *= math.exp(-self.decay * (now - use.at))
        use.at = now
        return use

    def _forget_idle(self) -> None:
        idle = sorted((u.at, c) for c, u in self.clients.items() if not u.running and not u.waiting)
        for _, client in idle[: max(1, len(idle) // 2)]:
            del self.clients[client]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.slots <= 0 or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        client = client_key(scope, self.trusted_proxies)
        use = self._use(client, self.clock())
        if use.running + use.waiting >= self.per_client:
            await _refuse(
                send, 429, "too_many_at_once", "Too many searches at once from one client; retry after 1 s."
            )
            return
        length = length_class(scope.get("query_string", b""))
        if self._may_start(length) and not any(w.length <= length for w in self.queue):
            self._start(length)
        elif not await self._wait(use, length):
            await _refuse(send, 503, "busy", "Search is busy; retry after 1 s.")
            return
        use.running += 1
        started = self.clock()
        try:
            await self.app(scope, receive, send)
        finally:
            use.running -= 1
            now = self.clock()
            self._use(client, now).seconds += now - started
            self._release(length)

    def _may_start(self, length: int) -> bool:
        """A free slot, and for a long search one of the slots long searches may hold."""
        return self.running < self.slots and (length == 0 or self.running_long < self.long_slots)

    def _start(self, length: int) -> None:
        self.running += 1
        self.running_long += length > 0

    async def _wait(self, use: Use, length: int) -> bool:
        """Queue for a slot, behind shorter searches and ahead of longer ones, and among equals ahead of
        whoever has used more lately; False when none came in time."""
        ready = asyncio.get_running_loop().create_future()
        waiter = Waiter(length, use.seconds, next(self.sequence), ready)
        self.queue.append(waiter)
        use.waiting += 1
        try:
            await asyncio.wait_for(asyncio.shield(ready), self.max_wait_s)
            return True
        except (TimeoutError, asyncio.CancelledError) as ended:  # out of time, or the client went away
            if ready.done():  # handed a slot just as the wait ended: give it back
                self._release(length)
            else:
                ready.cancel()
                self.queue.remove(waiter)
            if isinstance(ended, asyncio.CancelledError):
                raise
            return False
        finally:
            use.waiting -= 1

    def _release(self, length: int) -> None:
        """A search is done: its slot goes to the first waiter that may start, else back to the pool."""
        self.running -= 1
        self.running_long -= length > 0
        for waiter in sorted(self.queue):  # shorter first, then less used lately, then first come
            if self._may_start(waiter.length):
                self.queue.remove(waiter)
                self._start(waiter.length)
                waiter.ready.set_result(None)
                return
            if waiter.length == 0:
                return  # a short search cannot start: no slot is free at all


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = error_json(code, message)
    headers = [(b"content-type", b"application/json"), (b"retry-after", b"1"),
               (b"content-length", str(len(body)).encode())]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
