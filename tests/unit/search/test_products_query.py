"""Product search bodies, asserted without a server: filters, sorts, facets, cursors, no query syntax."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from engine_bodies import QUERY_SYNTAX, filters_of, product_body, walk_keys
from search.products.bodies import (
    NEAREST_BOOST,
    OWN_BREED_BOOST,
    breed_clauses,
    nearness_clauses,
    product_search_body,
)
from search.products.cursor import InvalidCursor, encode_cursor, query_fingerprint
from search.products.request import (
    FIRST_BOUND,
    PAGING,
    READ_AS,
    InvalidProductQuery,
    ProductQuery,
    effective_sort,
    fingerprint,
)
from search.relaxation.plan import tiers
from search.understanding.understanding import understand


def test_only_live_active_in_stock_products_by_default():
    filters = filters_of(product_body(ProductQuery()))
    assert {"term": {"deleted": False}} in filters
    assert {"term": {"status": "active"}} in filters
    assert {"term": {"in_stock": True}} in filters


def test_in_stock_false_drops_only_the_stock_filter():
    filters = filters_of(product_body(ProductQuery(in_stock=False)))
    assert {"term": {"in_stock": True}} not in filters
    assert {"term": {"status": "active"}} in filters and {"term": {"deleted": False}} in filters


def test_category_price_and_radius_filters():
    params = ProductQuery(category="fish", min_price=100, max_price=900, lat=24.43, lon=90.78, radius_km=5)
    filters = filters_of(product_body(params))
    assert {"term": {"category": "fish"}} in filters
    assert {"range": {"price_bdt": {"gte": 100, "lte": 900}}} in filters
    assert {"geo_distance": {"distance": "5.0km", "location": {"lat": 24.43, "lon": 90.78}}} in filters


def test_radius_defaults_to_10km_with_a_point():
    filters = filters_of(product_body(ProductQuery(lat=24.43, lon=90.78)))
    assert {"geo_distance": {"distance": "10.0km", "location": {"lat": 24.43, "lon": 90.78}}} in filters


def test_only_min_price():
    assert {"range": {"price_bdt": {"gte": 50}}} in filters_of(product_body(ProductQuery(min_price=50)))


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        (ProductQuery(min_price=10, max_price=5), "min_price"),
        (ProductQuery(lat=24.4), "lon"),
        (ProductQuery(lon=90.7), "lat"),
        (ProductQuery(radius_km=5), "radius_km"),
        (ProductQuery(sort="distance"), "sort"),
    ],
)
def test_contradictory_parameters_name_the_one_to_fix(params, parameter):
    with pytest.raises(InvalidProductQuery) as e:
        product_body(params)
    assert e.value.parameter == parameter


@pytest.mark.parametrize(
    ("params", "first"),
    [
        (ProductQuery(q="ইলিশ"), "_score"),
        (ProductQuery(), {"updated_at": "desc"}),  # relevance without q is newest
        (ProductQuery(q="   "), {"updated_at": "desc"}),
        (ProductQuery(sort="newest"), {"updated_at": "desc"}),
        (ProductQuery(sort="price_asc"), {"price_bdt": "asc"}),
        (ProductQuery(sort="price_desc", q="goat"), {"price_bdt": "desc"}),
    ],
)
def test_sorts_end_in_the_id_tiebreaker(params, first):
    sort = product_body(params)["sort"]
    assert sort[0] == first
    assert sort[-1] == {"id": "asc"}


def test_distance_sort_by_arc_from_the_point():
    sort = product_body(ProductQuery(lat=24.43, lon=90.78, sort="distance"))["sort"]
    geo = sort[0]["_geo_distance"]
    assert geo["location"] == {"lat": 24.43, "lon": 90.78}
    assert (geo["order"], geo["unit"], geo["distance_type"]) == ("asc", "m", "arc")
    assert sort[1] == {"id": "asc"}


def test_asks_one_more_than_the_page_to_know_whether_another_follows():
    body = product_body(ProductQuery(limit=5))
    assert body["size"] == 6
    assert body["track_total_hits"] is True
    assert "from" not in body


def test_facets_over_categories_and_price_bands():
    aggs = product_body(ProductQuery(category="fish"))["aggs"]
    assert aggs["category"]["terms"]["field"] == "category"
    ranges = aggs["price"]["range"]["ranges"]
    assert ranges[0] == {"key": "< ৳500", "to": 500}
    assert ranges[-1] == {"key": "≥ ৳50,000", "from": 50_000}
    # contiguous bands: each starts where the previous ended
    assert all(a["to"] == b["from"] for a, b in pairwise(ranges))


def test_text_query_highlights_safely_with_html_encoding():
    body = product_body(ProductQuery(q="দেশি ছাগল"))
    hl = body["highlight"]
    assert hl["encoder"] == "html"
    assert (hl["pre_tags"], hl["post_tags"]) == (["<mark>"], ["</mark>"])
    assert "title.bn.exact" in hl["fields"] and "description.bn.exact" in hl["fields"]
    assert "highlight" not in product_body(ProductQuery())


def keys_in(node: Any) -> set[str]:
    """Every Banglish key a body matches on (the `query` of multi_match clauses over key fields)."""
    if isinstance(node, dict):
        found = set()
        if "multi_match" in node and any("key" in f for f in node["multi_match"]["fields"]):
            found.add(node["multi_match"]["query"])
        return found | {k for v in node.values() for k in keys_in(v)}
    if isinstance(node, list):
        return {k for v in node for k in keys_in(v)}
    return set()


def test_bangla_item_query_filters_to_its_category_and_asks_for_every_name_of_the_item():
    body = product_body(ProductQuery(q="ইলিশ"))
    assert {"terms": {"category": ["fish"]}} in filters_of(body)
    assert {"ilis", "hilsa"} <= keys_in(filters_of(body))  # "Fresh Hilsa 1 kg" is a ইলিশ too


def test_item_names_cover_both_scripts_and_one_word_spellings():
    assert {"ilis", "hilsa"} <= set(understand("hilsa", "product").required[0].keys)
    assert "desimurgi" in set(understand("দেশি মুরগি", "product").required[0].keys)
    assert understand("মাছ", "product").required == ()  # a category name: nothing more to match


def test_a_short_item_answer_relaxes_to_the_category_with_the_item_ranked_first():
    understanding = understand("ইলিশ", "product")
    _strict, relaxed = tiers(understanding)
    assert relaxed.required == () and relaxed.dropped_words == ("ইলিশ",)
    body = product_search_body(ProductQuery(q="ইলিশ"), understanding=understanding, tier=relaxed)
    assert {"terms": {"category": ["fish"]}} in filters_of(body)
    assert {"ilis", "hilsa"} <= keys_in(body["query"]["bool"]["should"])


def test_free_text_without_category_must_match_words():
    body = product_body(ProductQuery(q="nokshi design"))
    assert any("bool" in clause for clause in filters_of(body) if "terms" not in clause)


def test_a_place_in_the_text_ranks_its_upazila_first_or_filters_when_sorted_otherwise():
    in_bhairab = {"term": {"upazila": "bhairab"}}
    ranked = product_body(ProductQuery(q="ভৈরবের ইলিশ"))
    assert in_bhairab not in filters_of(ranked)
    assert any(
        c.get("constant_score", {}).get("filter") == in_bhairab for c in ranked["query"]["bool"]["should"]
    )
    assert in_bhairab in filters_of(product_body(ProductQuery(q="ভৈরবের ইলিশ", sort="price_asc")))


@pytest.mark.parametrize(
    "q",
    ['title:"x" OR *', "a* b?", "/.*/", "ilish~2", "price_bdt:[0 TO 1]", "(ঘি) AND NOT দুধ", '"\\"'],
)
def test_user_text_never_becomes_query_syntax(q):
    for sort in ("relevance", "price_asc", "distance"):
        body = product_body(ProductQuery(q=q, lat=24.4, lon=90.7, sort=sort))
        assert not (walk_keys(body) & QUERY_SYNTAX), walk_keys(body) & QUERY_SYNTAX


def test_cursor_becomes_search_after_of_the_right_length():
    params = ProductQuery(sort="price_asc", category="fish")
    cursor = encode_cursor([250.0, "ps-07"], fingerprint(params, None))
    assert product_body(params, cursor)["search_after"] == [250.0, "ps-07"]


def test_cursor_survives_a_different_page_size():
    params = ProductQuery(sort="price_asc", limit=5)
    cursor = encode_cursor([250.0, "ps-07"], fingerprint(params, None))
    assert product_body(ProductQuery(sort="price_asc", limit=50), cursor)["search_after"] == [250.0, "ps-07"]


@pytest.mark.parametrize(
    "other",
    [
        ProductQuery(sort="price_desc", category="fish"),
        ProductQuery(sort="price_asc", category="dairy"),
        ProductQuery(sort="price_asc", category="fish", max_price=100),
        ProductQuery(sort="price_asc", category="fish", in_stock=False),
        ProductQuery(sort="price_asc", category="fish", q="ইলিশ"),
    ],
)
def test_cursor_of_another_query_is_refused(other):
    params = ProductQuery(sort="price_asc", category="fish")
    cursor = encode_cursor([250.0, "ps-07"], fingerprint(params, None))
    with pytest.raises(InvalidCursor, match="does not belong to this query"):
        product_body(other, cursor)


def test_relevance_without_words_shares_cursors_with_newest():
    cursor = encode_cursor([1_700_000_000_000, "ps-01"], fingerprint(ProductQuery(sort="newest"), None))
    assert product_body(ProductQuery(sort="relevance"), cursor)["search_after"][1] == "ps-01"


def test_a_weight_in_the_words_scores_by_the_functions_weight_not_a_boost_the_engine_drops():
    """With boost_mode replace the engine scores the function alone: the nearness must be the
    function's weight (a function_score's own boost was lost, and nearness scored at most 1)."""
    (clause,) = nearness_clauses(understand("Black Bengal খাসি 25kg", "product"))
    (function,) = clause["function_score"]["functions"]
    assert function["weight"] == NEAREST_BOOST and "boost" not in clause["function_score"]
    assert function["exp"]["livestock.live_weight_kg"]["origin"] == 25.0


def test_a_breed_named_ranks_before_its_crosses_which_are_still_listed():
    u = understand("holstein friesian cow", "product")
    (strict, *_) = tiers(u)
    filters, scoring = breed_clauses(u, strict)
    assert (
        filters[0]["terms"]["livestock.breed"][0] == "friesian"
        and len(filters[0]["terms"]["livestock.breed"]) > 1
    )
    assert {
        "constant_score": {"filter": {"term": {"livestock.breed": "friesian"}}, "boost": OWN_BREED_BOOST}
    } in scoring


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"q": "ilish", "lat": 24.44, "lon": 90.78, "max_price": 900, "in_stock": False},
        {"seller": "sel-1", "sort": "price_asc", "min_weight_kg": 100, "max_age_months": 24},
        {"animal": "cattle", "breed": "deshi", "sex": "male", "seen_at": "bhairab", "limit": 5},
    ],
)
def test_the_fingerprint_is_the_one_cursors_in_flight_were_made_with(given: dict[str, object]):
    """Written as it was before LATER_BOUND (a model_dump of the rest): a deploy keeps every cursor."""
    params = ProductQuery.model_validate(given)
    later = params.model_dump(exclude=set(PAGING | READ_AS | set(FIRST_BOUND)), exclude_none=True)
    as_before = query_fingerprint(
        {
            "q": params.text,
            "tier": 2,
            **{name: getattr(params, name) for name in FIRST_BOUND},
            "point": [params.lat, params.lon, params.radius] if params.has_point else None,
            "sort": effective_sort(params, None),
            **later,
        }
    )
    assert fingerprint(params, None, 2) == as_before
