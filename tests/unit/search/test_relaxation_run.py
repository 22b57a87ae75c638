"""The strict-first runner's round trips (relaxation/run.py), through an engine stand-in that
answers each body with the hits written into it; the real engine's: test_products_search.py and
test_storefronts.py."""

from __future__ import annotations

import asyncio
from typing import Any

from search.engine import Search
from search.relaxation.plan import STRICT, Tier
from search.relaxation.run import run_strict_first

PLAN = (STRICT, Tier((), fuzzy=True))


class Engine:
    def __init__(self) -> None:
        self.round_trips: list[list[dict[str, Any]]] = []

    async def msearch_of(self, searches: list[Search]) -> list[dict[str, Any]]:
        self.round_trips.append([s.body for s in searches])
        return [_answer(s.body) for s in searches]

    async def msearch(self, name: str, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return await self.msearch_of([Search(name, b) for b in bodies])


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    hits = [{"_id": i, "_source": {"id": i}} for i in body.get("finds", ())]
    return {"hits": {"hits": hits, "total": {"value": len(hits)}}, "asked": body}


def run(engine: Engine, finds: dict[int, list[str]], *, at_once: bool) -> tuple[Any, list[Any]]:
    def body(tier: Tier, index: int) -> dict[str, Any]:
        return {"tier": index, "finds": finds.get(index, [])}

    first = [body(t, i) for i, t in enumerate(PLAN)] if at_once else None
    also = [Search("sellers", {"state": True})]
    return asyncio.run(run_strict_first(engine, "products", PLAN, body, first=first, also=also))  # type: ignore[arg-type]


def test_asked_at_once_an_empty_strict_tier_is_answered_by_the_relaxed_one_in_one_round_trip():
    engine = Engine()
    found, also = run(engine, {1: ["p1"]}, at_once=True)
    assert [[b.get("tier") for b in trip] for trip in engine.round_trips] == [[0, 1, None]]
    assert found.answered == 1 and found.relaxed and [h["_id"] for h in found.hits] == ["p1"]
    assert [a["asked"] for a in also] == [{"state": True}]  # the other answers, after the tiers


def test_asked_at_once_a_strict_answer_is_the_page_alone():
    engine = Engine()
    found, also = run(engine, {0: ["p0"], 1: ["p0", "p1"]}, at_once=True)
    assert found.answered == 0 and not found.relaxed and [h["_id"] for h in found.hits] == ["p0"]
    assert [a["asked"] for a in also] == [{"state": True}]


def test_strict_first_asks_the_relaxed_tiers_only_when_it_found_nothing():
    engine = Engine()
    found, _ = run(engine, {0: ["p0"]}, at_once=False)
    assert [[b.get("tier") for b in trip] for trip in engine.round_trips] == [[0, None]]
    engine = Engine()
    found, also = run(engine, {1: ["p1"]}, at_once=False)
    assert [[b.get("tier") for b in trip] for trip in engine.round_trips] == [[0, None], [1]]
    assert found.answered == 1 and [a["asked"] for a in also] == [{"state": True}]
