"""What a process keeps of an index while the index is unchanged. In memory; no I/O.

A search asks the index's state in its own round trip (`index_state_body`, which the engine's request
cache answers until a refresh changed the index); what was read in that state stays valid until the
next state is seen. Seller cards are kept so (cards.py), and storefronts' product counts (counts.py).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from cachetools import LRUCache
from prometheus_client import Counter

#: An index's state (results.py `index_state`): equal states, equal documents.
State = tuple[tuple[object, ...], ...]
V = TypeVar("V")

KEPT = Counter(
    "search_kept_values_total",
    "Values answers needed (seller cards, storefronts' product counts): known in the index's current"
    " state, or read from the engine",
    ["what", "outcome"],
)


class KnownInState(Generic[V]):
    """Values read in one state of an index; a new state forgets them all."""

    def __init__(self, size: int, what: str) -> None:
        self.state: State | None = None
        self.values: LRUCache[str, V] = LRUCache(maxsize=size)
        self._known, self._read = KEPT.labels(what, "known"), KEPT.labels(what, "read")

    def at(self, state: State) -> None:
        """The index is in `state` now: values read in another state are forgotten."""
        if state != self.state:
            self.values.clear()
            self.state = state

    def keep(self, state: State, values: dict[str, V]) -> None:
        """Values read (after `state` was seen, so never older than it); kept only while it is the
        current state, so a slow read of a superseded state never poisons the next one."""
        if state == self.state:
            self.values.update(values)

    def valid_in(self, state: State | None) -> LRUCache[str, V] | dict[str, V]:
        """The values a request that saw `state` may use: none if the index has moved on since."""
        return self.values if state is not None and state == self.state else {}

    def counted(self, known: int, read: int) -> None:
        """An answer used `known` values from memory and `read` ones from the engine (/metrics)."""
        self._known.inc(known)
        self._read.inc(read)
