"""What search-service keeps while an index is unchanged (sellers/known.py): storefronts' product
counts and product cards' sellers, read through an engine stand-in that records what it was asked and
answers as the engine would. The real engine's answers: tests/integration/test_storefronts.py."""

from __future__ import annotations

import asyncio
from typing import Any

from search.engine import Search
from search.sellers.cards import SellerCards
from search.sellers.counts import SAME_COPY, category_counts, known_counts, product_counts

S1 = (("products_v1", 10, 45.0, 9.0),)
S2 = (("products_v1", 11, 55.0, 10.0),)


class Engine:
    """Answers product counts per seller from `products`, and seller cards from `sellers`."""

    def __init__(self, products: dict[str, int], sellers: dict[str, dict[str, Any]] | None = None) -> None:
        self.products = products
        self.sellers = sellers or {}
        self.asked: list[Search] = []
        self.mget_gate: asyncio.Event | None = None
        self.while_reading: Any = None  # what other requests do while this one waits for the engine

    async def msearch_of(self, searches: list[Search]) -> list[dict[str, Any]]:
        self.asked += searches
        if self.while_reading is not None:
            self.while_reading()
        answers = []
        for s in searches:
            last = s.body["query"]["bool"]["filter"][-1]
            if "term" in last:  # one storefront's products per category (all of them "honey_spices" here)
                n = self.products.get(last["term"]["seller_id"], 0)
                buckets = [{"key": "honey_spices", "doc_count": n}] if n else []
                answers.append(
                    {"hits": {"total": {"value": n}}, "aggregations": {"by_category": {"buckets": buckets}}}
                )
                continue
            ids = last["terms"]["seller_id"]
            buckets = [{"key": i, "doc_count": self.products[i]} for i in ids if self.products.get(i)]
            answers.append({"aggregations": {"by_seller": {"buckets": buckets}}})
        return answers

    async def mget(self, name: str, ids: list[str], source: Any = None) -> dict[str, dict[str, Any]]:
        if self.mget_gate is not None:
            await self.mget_gate.wait()
        return {i: self.sellers[i] for i in ids if i in self.sellers}


def counts(engine: Engine, state: Any, ids: list[str]) -> dict[str, int]:
    return asyncio.run(product_counts(engine, state, ids))  # type: ignore[arg-type]


def test_counts_are_read_once_then_known_until_the_state_moves():
    engine = Engine({"a": 3, "b": 1})
    assert counts(engine, S1, ["a", "b", "a", "empty"]) == {"a": 3, "b": 1, "empty": 0}
    [asked] = engine.asked
    assert asked.preference == SAME_COPY and asked.hidden_sellers_too  # the state's copy
    assert asked.body["query"]["bool"]["filter"][-1]["terms"]["seller_id"] == ["a", "b", "empty"]

    engine.products["a"] = 4  # a product listed, but the index's state has not been read since
    assert counts(engine, S1, ["a", "empty"]) == {"a": 3, "empty": 0}  # a seller without products: 0, kept
    assert len(engine.asked) == 1
    assert counts(engine, S2, ["a"]) == {"a": 4}  # a new state: read again
    assert len(engine.asked) == 2


def test_counts_read_for_a_superseded_state_are_not_kept():
    engine = Engine({"a": 3})
    engine.while_reading = lambda: known_counts(engine).at(S2)  # another request saw a newer state
    assert counts(engine, S1, ["a"]) == {"a": 3}  # this request still answers with what it read
    assert dict(known_counts(engine).values) == {} and known_counts(engine).state == S2


def test_a_storefronts_category_counts_are_read_once_then_known_until_the_state_moves():
    engine = Engine({"a": 3})

    def storefront(state: Any) -> Any:
        return asyncio.run(category_counts(engine, state, "a"))  # type: ignore[arg-type]

    assert storefront(S1) == (3, {"honey_spices": 3})
    assert [s.preference for s in engine.asked] == [SAME_COPY]
    engine.products["a"] = 4
    assert storefront(S1) == (3, {"honey_spices": 3}) and len(engine.asked) == 1  # from memory
    assert storefront(S2) == (4, {"honey_spices": 4}) and len(engine.asked) == 2  # a new state: read


def test_a_known_card_survives_another_request_moving_the_state_during_a_read():
    """The page's known cards are copied before waiting for the unknown ones."""
    engine = Engine(
        {},
        sellers={
            "s2": {"id": "s2", "slug": "dui", "name": {"bn": "দুই"}, "upazila": "tarail", "verified": True}
        },
    )
    state = (("sellers_v1", 2, 1.0, 1.0),)
    newer = (("sellers_v1", 2, 3.0, 2.0),)

    async def page() -> list[Any]:
        cards = SellerCards(engine)  # type: ignore[arg-type]
        cards.known.at(state)
        cards.known.keep(state, {"s1": {"id": "s1"}})
        cards.saw([_state_answer(state)])
        engine.mget_gate = asyncio.Event()
        results = [{"seller_id": "s1"}, {"seller_id": "s2"}]
        attaching = asyncio.create_task(cards.attach(results))
        await asyncio.sleep(0)  # attach now waits for s2's read
        cards.known.at(newer)  # another request saw the sellers index change: every card forgotten
        engine.mget_gate.set()
        await attaching
        return [r["seller"] for r in results]

    s1, s2 = asyncio.run(page())
    assert s1 == {"id": "s1"} and s2 is not None and s2["id"] == "s2"


def _state_answer(state: Any) -> dict[str, Any]:
    buckets = [
        {"key": k, "doc_count": n, "seq_sum": {"value": s}, "seq_max": {"value": m}} for k, n, s, m in state
    ]
    return {"aggregations": {"indices": {"buckets": buckets}}}
