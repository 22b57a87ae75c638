"""The open map (open_map.py) of the minute, asked of the engine at most once a minute. I/O.

A search never waits for it: the first search of a new minute is foreseen by the last minute's map (or
by none, MAX_AGE after the last), and starts the new minute's one question in the background. When the
engine fails, the search goes on without a forecast and the next minute asks again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime

from portal.contracts import taxonomy
from search.engine import SearchEngine
from search.providers.open_map import OpenMap, open_map_body, the_minute

log = logging.getLogger(__name__)


class OpenMapCache:
    def __init__(self, engine: SearchEngine, eligibility_days: int) -> None:
        self._engine = engine
        self._eligibility_days = eligibility_days
        self._map: OpenMap | None = None
        self._asked: datetime | None = None  # the minute last asked for, answered or not
        self._asking: asyncio.Task[None] | None = None

    def at(self, now: datetime) -> OpenMap | None:
        """The latest map (whether it foresees `now` is OpenMap.foresees' call); asks for `now`'s minute
        in the background when it has not been asked yet."""
        minute = the_minute(now)
        if minute != self._asked and (self._asking is None or self._asking.done()):
            self._asked = minute
            self._asking = asyncio.create_task(self._refresh(minute))
        return self._map

    async def _refresh(self, minute: datetime) -> None:
        body = open_map_body(minute, self._eligibility_days, len(taxonomy().provider_categories))
        try:
            answer = await self._engine.search("providers", body)
        except Exception as error:  # a forecast only: the search goes on without it
            log.warning("open map of %s not refreshed: %s", minute.isoformat(), error)
            return
        if minute == self._asked:  # not overtaken by a later question
            self._map = OpenMap.from_answer(minute, answer)

    async def close(self) -> None:
        if self._asking is not None and not self._asking.done():
            self._asking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._asking
