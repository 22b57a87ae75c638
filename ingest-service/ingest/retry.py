"""The one retry policy of ingest: exponential backoff between attempts, for ever or up to a ceiling.

Everything in ingest-service that waits for the engine or the broker waits this way — a batch's
documents, the hidden-seller list, an import's progress, the search log, joining the consumer group,
the start-up bootstrap, a reindex — so the pause, the metric and the give-up-on-shutdown behave the
same everywhere.

Two kinds of waiting, one policy: waiting for an engine that is *away* has no ceiling (it comes back,
and nothing may be lost meanwhile); retrying what the engine *answers* but will not take has one
(`attempts`), after which the caller stops retrying and says so — the pipe dead-letters it with the
engine's reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    initial_s: float = 0.2
    max_s: float = 5.0
    #: The ceiling: attempts in all, the first included. None: for ever.
    attempts: int | None = None

    def delays(self) -> Iterator[float]:
        """The wait after each failed attempt that has another after it: 0.2, 0.4, 0.8 … capped at max_s;
        `attempts - 1` of them, or for ever. So `for` an attempt, then `next` wait, until none is left."""
        delay = self.initial_s
        waits = 0
        while self.attempts is None or waits < self.attempts - 1:
            yield delay
            waits += 1
            delay = min(delay * 2, self.max_s)


class Exhausted(Exception):
    """The backoff's ceiling was reached and the last attempt failed too."""


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep, waking early if asked to stop. True if stopping."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
        return True
    except TimeoutError:
        return False


async def until_done(
    attempt: Callable[[], Awaitable[bool]],
    backoff: Backoff,
    stop: asyncio.Event,
    *,
    retry_on: tuple[type[Exception], ...] = (),
    on_failure: Callable[[Exception | None], None] = lambda error: None,
) -> bool:
    """The one retry loop: call `attempt` until it answers True, waiting the backoff's delays between.

    An attempt fails by answering False (the caller keeps what is left to do) or by raising one of
    `retry_on`; `on_failure` hears each failure (the exception, or None) before the wait — for logs,
    pauses and metrics. Returns True when done, False if `stop` was set first; raises Exhausted when
    the ceiling is reached (never, without one).
    """
    waits = backoff.delays()
    while True:
        error: Exception | None = None
        try:
            if await attempt():
                return True
        except retry_on as e:
            error = e
        on_failure(error)
        delay = next(waits, None)
        if delay is None:
            raise Exhausted(str(error) if error else "still not done") from error
        if await sleep_or_stop(stop, delay):
            return False
