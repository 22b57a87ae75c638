"""The one retry policy of the ingest pipe: exponential backoff between attempts, until told to stop.

Used wherever the pipe waits for the engine to take something it must not lose — a batch's documents,
an import's progress — so the pause, the metric and the give-up-on-shutdown behave the same everywhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    initial_s: float = 0.2
    max_s: float = 5.0

    def delays(self) -> Iterator[float]:
        """0.2, 0.4, 0.8 … capped at max_s, for ever."""
        delay = self.initial_s
        while True:
            yield delay
            delay = min(delay * 2, self.max_s)


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep, waking early if asked to stop. True if stopping."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
        return True
    except TimeoutError:
        return False
