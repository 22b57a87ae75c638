"""The seller on product cards, joined at query time. I/O.

Products carry only `seller_id`; a card's seller (name, phone, verified) comes from the sellers index.
A process keeps the cards it has read (`KnownSellers`, known.py), each valid while the sellers index is
in the state it was read in: every products search asks that state in its own round trip (one more body of
its `_msearch`, which the engine's request cache answers; `SellerCards.searches`), and a page whose
sellers are all known waits for nothing more. A storefront's own seller, named before the search, is
asked in the same `_msearch` when not known. Otherwise the unknown ones are read by one realtime
`mget`. A rename, a new phone or a closed shop changes the index's state, so it shows on every
product of the seller's with the next refresh of the sellers index (1 s), whatever the number of
products. The README's "Storefronts" section says why, and `make bench-search` what it costs.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Mapping
from typing import Any

from search.engine import Search, SearchEngine
from search.sellers.bodies import CARD_SOURCE, card_body, index_state_body
from search.sellers.known import KnownInState, State
from search.sellers.results import index_state, seller_card_json

#: Cards a process keeps (the JSON of a `SellerCard`, ~0.9 KB each: 8,192 measured 7.3 MB); a district has
#: a few hundred sellers.
CARDS_KEPT = 8192
Card = dict[str, Any] | None  # None: no such seller, or a closed one
KnownSellers = KnownInState[Card]

_known: weakref.WeakKeyDictionary[SearchEngine, KnownSellers] = weakref.WeakKeyDictionary()


def known_sellers(engine: SearchEngine) -> KnownSellers:
    """The cards this process has read through this engine connection."""
    known = _known.get(engine)
    if known is None:
        known = _known[engine] = KnownSellers(CARDS_KEPT, "seller_cards")
    return known


class SellerCards:
    """The sellers of one page of products. The products' round trip also asks `searches` (the sellers
    index's state; and a storefront's own seller, `early`, unless known); `saw` is given their answers.
    The sellers not known are read as soon as the page is known (`read`), while its cards are shaped."""

    def __init__(self, engine: SearchEngine, early: str | None = None) -> None:
        self.engine = engine
        self.known = known_sellers(engine)
        self._state: State | None = None  # as this request's products round trip saw it
        self._started_in = self.known.state  # the state known when this request began
        self._early = early if early is not None and early not in self.known.values else None
        self._ids: list[str] = []
        self._reading: asyncio.Task[dict[str, dict[str, Any]]] | None = None
        self._asked: dict[str, Card] = {}  # the early seller, as the products' round trip read it

    @property
    def searches(self) -> list[Search]:
        """What to ask with the products, in this order: the sellers index's state, and the early seller."""
        state = Search("sellers", index_state_body(), hidden_sellers_too=True)
        return [state] if self._early is None else [state, Search("sellers", card_body(self._early))]

    def saw(self, answers: list[dict[str, Any]]) -> None:
        """The answers to `searches`: the known cards are valid for this request if the state is unchanged."""
        self._state = index_state(answers[0])
        self.known.at(self._state)
        if self._early is not None:
            hit = next(iter(answers[1]["hits"]["hits"]), None)
            source = hit["_source"] if hit else None
            self._asked = {
                self._early: seller_card_json(source) if source and not source.get("deleted") else None
            }
            # read with the state: kept only if the index did not change since this request began
            if self._started_in == self._state:
                self.known.keep(self._state, self._asked)

    def _valid(self) -> Mapping[str, Card]:
        return self.known.valid_in(self._state)

    def read(self, ids: list[str]) -> None:
        """Start reading the sellers not known (in order, once each), unless they are being read already."""
        valid = self._valid()
        unknown = [i for i in dict.fromkeys(ids) if i not in valid and i not in self._asked]
        if unknown and not set(unknown) <= set(self._ids):
            self._ids = unknown
            self._reading = asyncio.create_task(self.engine.mget("sellers", unknown, source=CARD_SOURCE))
            self._reading.add_done_callback(_retrieved)  # a read nobody awaits fails on no one

    async def attach(self, results: list[dict[str, Any]]) -> None:
        """Fill each product card's `seller` (products/results.py) with its seller's card (null when the
        seller is unknown or closed)."""
        ids = dict.fromkeys(r["seller_id"] for r in results)
        self.read(list(ids))
        kept = self._valid()
        # the page's known cards, copied now: another request may see a newer state (and forget them
        # all) while this one waits for its read
        valid = {i: kept[i] for i in ids if i in kept}
        read: dict[str, Card] = dict(self._asked)
        if self._reading is not None and any(
            r["seller_id"] not in valid and r["seller_id"] not in read for r in results
        ):
            sources = await self._reading
            fetched: dict[str, Card] = {i: None for i in self._ids}
            fetched |= {i: seller_card_json(s) for i, s in sources.items() if not s.get("deleted")}
            # started after this request saw the state (`read` follows `saw`), so never older than it
            if self._state is not None:
                self.known.keep(self._state, fetched)
            read |= fetched
        from_memory = len(valid.keys() - read.keys())
        self.known.counted(from_memory, len(ids) - from_memory)
        for result in results:
            seller_id = result["seller_id"]
            result["seller"] = read[seller_id] if seller_id in read else valid.get(seller_id)


def _retrieved(task: asyncio.Task[dict[str, dict[str, Any]]]) -> None:
    if not task.cancelled():
        task.exception()
