"""A first page sorted by price, distance or time asks every tier in one query, the strictest tier's
products first (products/bodies.py strictest_tier_first_body), and the strictest tier with products
answers alone (relaxation/found.py strictest_tier_of). Without a server; on the real engine:
test_products_search.py and test_storefronts.py."""

from __future__ import annotations

from typing import Any

import pytest

from search.products.bodies import (
    filters,
    first_page,
    first_page_bodies,
    product_search_body,
    strictest_tier_first_body,
)
from search.products.request import ProductQuery
from search.relaxation.found import alone, strictest_tier_of
from search.relaxation.plan import STRICT, Tier, tiers
from search.understanding.understanding import understand

Q = "খাঁটি মধু সুন্দরবন"


@pytest.mark.parametrize("seller", [None, "sel-1"])
@pytest.mark.parametrize("sort", ["price_asc", "newest", "distance"])
def test_a_sorted_first_page_asks_every_tier_in_one_query(sort, seller):
    params = ProductQuery(q=Q, sort=sort, seller=seller, lat=24.4, lon=90.7)
    understanding = understand(Q, "product")
    plan = tiers(understanding)
    assert len(plan) > 1 and first_page(params, understanding, plan) == "strictest first"
    assert first_page_bodies(params, understanding, plan) == [
        strictest_tier_first_body(params, understanding, plan)
    ]


def test_each_tier_of_the_one_query_lists_what_its_own_query_lists():
    """Ranked by the strictest tier a product is in, with each tier's own filters, count and facets:
    the tier that answers gives the products, total and facets its own query gives."""
    params = ProductQuery(q=Q, sort="price_asc", max_price=2000)
    understanding = understand(Q, "product")
    plan = tiers(understanding)
    body = strictest_tier_first_body(params, understanding, plan)
    common = filters(params)
    assert body["query"]["bool"]["filter"] == common
    ranked = body["query"]["bool"]["must"][0]["dis_max"]["queries"]
    buckets = body["aggs"]["tiers"]["filters"]["filters"]
    for i, tier in enumerate(plan):
        own = product_search_body(params, understanding=understanding, tier=tier, tier_index=i)
        tier_filters = [f for f in own["query"]["bool"]["filter"] if f not in common]
        assert ranked[i] == {
            "constant_score": {"filter": {"bool": {"filter": tier_filters}}, "boost": len(plan) - i}
        }
        assert buckets[str(i)] == {"bool": {"filter": tier_filters}}
        assert body["aggs"]["tiers"]["aggs"] == own["aggs"]  # the facets, per tier
        assert body["sort"] == ["_score", *own["sort"]]
        assert body["highlight"] == own["highlight"] and body["size"] == own["size"]


def _hit(id: str, rank: int, price: float) -> dict[str, Any]:
    return {"_id": id, "_source": {"id": id}, "sort": [float(rank), price, id]}


def _answer(counts: list[int], hits: list[dict[str, Any]]) -> dict[str, Any]:
    buckets = {
        str(i): {"doc_count": n, "price": {"buckets": [{"key": f"tier {i}"}]}} for i, n in enumerate(counts)
    }
    return {"hits": {"hits": hits}, "aggregations": {"tiers": {"buckets": buckets}}}


PLAN = (STRICT, Tier((), fuzzy=True), Tier(()))


def test_the_strict_tier_answers_alone_when_it_found_products():
    found = strictest_tier_of(PLAN, _answer([2, 3, 5], [_hit("a", 3, 10), _hit("b", 3, 20), _hit("c", 2, 5)]))
    assert (found.answered, found.strictest, found.exact, found.relaxed, found.total) == (0, 0, 2, False, 2)
    assert [h["_id"] for h in found.hits] == ["a", "b"]
    assert found.hits[0]["sort"] == [10, "a"]  # the tier's own sort values: a cursor's
    assert found.answer["aggregations"] == {"price": {"buckets": [{"key": "tier 0"}]}}


def test_an_empty_strict_tier_is_answered_by_the_next_tier_with_products():
    found = strictest_tier_of(PLAN, _answer([0, 0, 2], [_hit("c", 1, 5), _hit("d", 1, 7)]))
    assert (found.answered, found.strictest, found.exact, found.relaxed, found.total) == (2, 2, 0, True, 2)
    assert [h["sort"] for h in found.hits] == [[5, "c"], [7, "d"]]
    assert found.answer["aggregations"]["price"]["buckets"] == [{"key": "tier 2"}]


def test_when_no_tier_found_anything_the_broadest_answers_empty():
    found = strictest_tier_of(PLAN, _answer([0, 0, 0], []))
    assert (found.answered, found.strictest, found.exact, found.relaxed, found.total) == (
        2,
        None,
        0,
        False,
        0,
    )
    assert found.hits == []


def test_a_plan_of_one_tier_is_its_answer_whole():
    answer = {"hits": {"hits": [{"_id": "a"}], "total": {"value": 1}}}
    found = alone((STRICT,), answer)
    assert (found.answered, found.strictest, found.exact, found.relaxed, found.total) == (0, 0, 1, False, 1)
    empty = alone((STRICT,), {"hits": {"hits": [], "total": {"value": 0}}})
    assert (empty.strictest, empty.exact) == (None, 0)
