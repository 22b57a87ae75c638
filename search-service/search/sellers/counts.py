"""How many live products storefronts have, kept while the products index is unchanged. I/O.

Nearest storefronts show each seller's live products, and a storefront's page its live products per
category; the counts need the sellers, so they were a second round trip after the storefronts' own.
A process keeps the counts it has read (known.py), each valid while the products index is in the
state it was read in: the storefronts' round trip also asks that state (the engine's request cache
answers it), and a page whose sellers' counts are all known (`product_counts`), or a storefront whose
are (`category_counts`), waits for nothing more. A product listed, sold or deleted changes the state,
so a count is never older than the products index's last refresh. A district has a few hundred
sellers: after the first searches, nearly every page is answered by one round trip.

Counts read after the state was seen may be newer than it, which is harmless while states only move
forward. A state can come back only if a document is removed from the index outright (ingest never
does: a deleted product is a tombstone, a new version): a product added and then removed by hand
before this process saw the index with it may be counted until the next product write.
"""

from __future__ import annotations

import secrets
import weakref

from search.engine import Search, SearchEngine
from search.sellers.bodies import bucket_counts, index_state_body, product_counts_body, storefront_counts_body
from search.sellers.known import KnownInState, State

#: Counts a process keeps (an id and an int, ~0.2 KB each with the cache's own bookkeeping).
COUNTS_KEPT = 65_536
KnownCounts = KnownInState[int]
#: A storefront's live products: their number, and their number per category.
CategoryCounts = tuple[int, dict[str, int]]
#: Storefronts' category counts a process keeps (a few categories each, ~1 KB).
STOREFRONTS_KEPT = 8192

_known: weakref.WeakKeyDictionary[SearchEngine, KnownCounts] = weakref.WeakKeyDictionary()
_storefronts: weakref.WeakKeyDictionary[SearchEngine, KnownInState[CategoryCounts]] = (
    weakref.WeakKeyDictionary()
)


def known_counts(engine: SearchEngine) -> KnownCounts:
    """The counts this process has read through this engine connection."""
    known = _known.get(engine)
    if known is None:
        known = _known[engine] = KnownCounts(COUNTS_KEPT, "product_counts")
    return known


def known_storefronts(engine: SearchEngine) -> KnownInState[CategoryCounts]:
    """The storefronts' category counts this process has read through this engine connection."""
    known = _storefronts.get(engine)
    if known is None:
        known = _storefronts[engine] = KnownInState(STOREFRONTS_KEPT, "storefront_counts")
    return known


#: The state and the counts read after it are asked of the same copy of the products shard: on a
#: cluster whose replicas refresh at different moments, counts from a lagging copy would otherwise be
#: kept under a newer state, and served until the next product write. One copy per process (a random
#: name: process ids repeat from container to container), so a deployment's processes still spread
#: over the copies.
SAME_COPY = f"kept-product-counts-{secrets.token_hex(8)}"
#: What to ask with the storefronts: the products index's state. Counts need no hidden-seller
#: exclusion (the storefronts' own search left the closed sellers out), so neither does the state.
PRODUCTS_STATE = Search("products", index_state_body(), hidden_sellers_too=True, preference=SAME_COPY)


async def product_counts(engine: SearchEngine, state: State, seller_ids: list[str]) -> dict[str, int]:
    """Each seller's live products, as of `state` or later (the answer to `PRODUCTS_STATE` of this
    request): the known ones from memory, the others by one search, then known too."""
    known = known_counts(engine)
    known.at(state)
    valid = known.valid_in(state)
    counts = {i: valid[i] for i in seller_ids if i in valid}
    unknown = [i for i in dict.fromkeys(seller_ids) if i not in counts]
    known.counted(len(counts), len(unknown))
    if unknown:
        [answer] = await engine.msearch_of(
            [Search("products", product_counts_body(unknown), hidden_sellers_too=True, preference=SAME_COPY)]
        )
        read = bucket_counts(answer, "by_seller")
        fresh = {i: read.get(i, 0) for i in unknown}
        known.keep(state, fresh)
        counts |= fresh
    return counts


async def category_counts(engine: SearchEngine, state: State, seller_id: str) -> CategoryCounts:
    """One storefront's live products and their number per category, as of `state` or later (the
    answer to `PRODUCTS_STATE` of this request): from memory if known, else by one search, then known."""
    known = known_storefronts(engine)
    known.at(state)
    kept = known.valid_in(state).get(seller_id)
    known.counted(int(kept is not None), int(kept is None))
    if kept is not None:
        return kept
    body = storefront_counts_body(seller_id)
    [answer] = await engine.msearch_of(
        [Search("products", body, hidden_sellers_too=True, preference=SAME_COPY)]
    )
    read = (answer["hits"]["total"]["value"], bucket_counts(answer, "by_category"))
    known.keep(state, {seller_id: read})
    return read
