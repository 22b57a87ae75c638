"""The envelope every demo change event shares: seeded event ids, recent moments, version 1 upserts.

Kept apart from the generators so providers, products, the cattle market and storefronts all make their
events the same way, from their own seeded RNGs (never the OS: the same seed gives the same bytes).
An event's version is its entity's demo edition (`EDITIONS`), so a stack loaded from an older edition takes
what changed instead of keeping it.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Any

Event = dict[str, Any]

EDITIONS: dict[str, int] = {"provider": 2, "product": 1, "seller": 2}
"""The demo's edition per entity, written as every event's version. Raise an entity's edition whenever the
generator changes what an existing id says: ingest keeps the highest version of each id, so a stack loaded
from an older edition takes the new events (load_demo.py publishes them) instead of ignoring them as stale.
Edition 2: pharmacies and hospitals, officials' office hours, callable ambulances, reachable verified shops.
"""

_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def event_id(rng: Random) -> str:
    """A version-4 UUID drawn from the seeded RNG (uuid.uuid4 would read the OS and break determinism).

    Formatted by hand because uuid.UUID costs more than the rest of a benchmark event's envelope.
    """
    h = f"{(rng.getrandbits(128) & _UUID4_CLEAR) | _UUID4_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class RecentMoments:
    """Draws moments from the `days` days before `today` (Asia/Dhaka), as RFC 3339 strings with +06:00.

    The day strings are computed once, so a draw is a divmod and an f-string: cheap enough for benchmarks.
    """

    def __init__(self, today: date, days: int) -> None:
        self._days = [(today - timedelta(days=back)).isoformat() for back in range(1, days + 1)]
        self._seconds = days * 86_400

    def draw(self, rng: Random) -> str:
        back = int(rng.random() * self._seconds)  # seconds before today's midnight, minus one
        day, into_day = divmod(back, 86_400)
        hour, rest = divmod(86_399 - into_day, 3_600)
        minute, second = divmod(rest, 60)
        return f"{self._days[day]}T{hour:02d}:{minute:02d}:{second:02d}+06:00"


def envelope(rng: Random, entity: str, entity_id: str, occurred_at: str, data: dict[str, Any]) -> Event:
    return {
        "event_id": event_id(rng),
        "type": "upsert",
        "entity": entity,
        "id": entity_id,
        "version": EDITIONS[entity],
        "occurred_at": occurred_at,
        "data": data,
    }
