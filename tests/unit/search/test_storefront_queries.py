"""Storefront and cattle-market bodies and readings, asserted without a server."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from engine_bodies import filters_of, product_body
from portal.contracts import livestock
from search.products.bodies import livestock_in_view, product_search_body
from search.products.cursor import InvalidCursor, encode_cursor, query_fingerprint
from search.products.request import InvalidProductQuery, ProductQuery, fingerprint
from search.queries.without_hidden_sellers import without_hidden_sellers
from search.relaxation.plan import tiers
from search.sellers.bodies import (
    SHOWN_VERIFIED,
    index_state_body,
    nearest_sellers_body,
    product_counts_body,
    storefront_body,
    storefront_counts_body,
)
from search.sellers.cards import KnownSellers
from search.sellers.counts import PRODUCTS_STATE, SAME_COPY
from search.sellers.known import KnownInState
from search.sellers.request import NearestSellersQuery
from search.sellers.results import index_state, seller_card, storefront
from search.understanding.understanding import understand

# ---------------------------------------------------------------- products of one storefront


def test_seller_filters_on_the_seller_id():
    assert {"term": {"seller_id": "sel-7"}} in filters_of(product_body(ProductQuery(seller="sel-7")))


def test_a_cursor_is_bound_to_its_storefront():
    a, b = ProductQuery(seller="sel-1", sort="price_asc"), ProductQuery(seller="sel-2", sort="price_asc")
    assert fingerprint(a, None) != fingerprint(b, None)
    cursor = encode_cursor([100.0, "p-1"], fingerprint(a, None))
    product_body(a, cursor=cursor)
    with pytest.raises(InvalidCursor):
        product_body(b, cursor=cursor)


def test_cursors_made_before_storefronts_still_page():
    """New parameters enter the fingerprint only when set, so cursors in flight survive a deploy."""
    plain = ProductQuery(sort="price_asc", category="fish")
    assert fingerprint(plain, None) == query_fingerprint(
        {"q": "", "tier": 0, "category": "fish", "min_price": None, "max_price": None, "point": None,
         "in_stock": True, "sort": "price_asc"}
    )  # fmt: skip


# ---------------------------------------------------------------- the cattle market


def test_livestock_filters_become_term_and_range_clauses():
    params = ProductQuery(
        animal="goat", breed="black_bengal", sex="castrated", seen_at="haat", min_weight_kg=15,
        max_weight_kg=30, min_age_months=6,
    )  # fmt: skip
    found = filters_of(product_body(params))
    for clause in (
        {"term": {"livestock.animal": "goat"}},
        {"term": {"livestock.breed": "black_bengal"}},
        {"term": {"livestock.sex": "castrated"}},
        {"term": {"livestock.seen_at.kind": "haat"}},
        {"range": {"livestock.live_weight_kg": {"gte": 15, "lte": 30}}},
        {"range": {"livestock.age_months": {"gte": 6}}},
    ):
        assert clause in found


@pytest.mark.parametrize("sort", ["price_per_kg_asc", "price_per_kg_desc"])
def test_price_per_kg_sorts_only_animals_with_a_weight(sort):
    body = product_body(ProductQuery(sort=sort))
    assert {"exists": {"field": "price_per_kg"}} in filters_of(body)
    assert body["sort"] == [{"price_per_kg": sort.rsplit("_", 1)[1]}, {"id": "asc"}]


def test_livestock_facets_only_where_animals_are_asked_for():
    assert "breed" in product_body(ProductQuery(category="livestock"))["aggs"]
    assert "breed" in product_body(ProductQuery(q="শাহীওয়াল"))["aggs"]
    assert "breed" in product_body(ProductQuery(q="গরু"))["aggs"]
    assert "breed" in product_body(ProductQuery(min_weight_kg=100))["aggs"]
    assert "breed" not in product_body(ProductQuery(q="ইলিশ"))["aggs"]
    assert "breed" not in product_body(ProductQuery())["aggs"]
    assert not livestock_in_view(ProductQuery(category="fish"), None)


def test_weight_bands_come_from_the_contract():
    ranges = product_body(ProductQuery(category="livestock"))["aggs"]["live_weight"]["range"]["ranges"]
    assert [r["key"] for r in ranges] == [label for label, _, _ in livestock().weight_bands_kg]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        (ProductQuery(breed="angus"), "breed"),
        (ProductQuery(animal="camel"), "animal"),
        (ProductQuery(sex="other"), "sex"),
        (ProductQuery(seen_at="mall"), "seen_at"),
        (ProductQuery(category="fish", animal="cow"), "animal"),
        (ProductQuery(category="fish", sort="price_per_kg_desc"), "sort"),
        (ProductQuery(min_weight_kg=200, max_weight_kg=100), "min_weight_kg"),
        (ProductQuery(min_age_months=20, max_age_months=10), "min_age_months"),
    ],
)
def test_livestock_parameters_that_cannot_mean_anything_name_themselves(params, parameter):
    with pytest.raises(InvalidProductQuery) as e:
        product_body(params)
    assert e.value.parameter == parameter


@pytest.mark.parametrize(
    ("query", "breed"),
    [
        ("শাহীওয়াল", "sahiwal"),
        ("শাহিওয়াল ষাঁড়", "sahiwal"),
        ("shahiwal", "sahiwal"),
        ("sahiwal cross", "sahiwal_cross"),
        ("ব্ল্যাক বেঙ্গল", "black_bengal"),
        ("black bengal khashi chagol", "black_bengal"),
        ("যমুনাপাড়ি ছাগল", "jamunapari"),
        ("garol vera", "garole"),
        ("রেড চিটাগাং গরু", "red_chittagong"),
        ("sahiwl", "sahiwal"),
    ],
)
def test_breeds_in_any_script_are_read_as_breeds_of_livestock(query, breed):
    understanding = understand(query, "product")
    assert understanding.breed == breed
    assert understanding.categories == ("livestock",)


@pytest.mark.parametrize("query", ["দেশি মুরগি", "shital pati", "মুড়ি", "বড় ইলিশ", "jersey", "বুটি শাড়ি"])
def test_common_words_are_not_breeds(query):
    assert understand(query, "product").breed is None


def test_breeds_are_not_read_for_providers():
    assert understand("shahiwal", "provider").breed is None


def test_a_breed_filters_with_its_crosses_and_relaxes_last():
    understanding = understand("শাহীওয়াল", "product")
    plan = tiers(understanding)
    strict = product_search_body(ProductQuery(q="শাহীওয়াল"), understanding=understanding, tier=plan[0])
    assert {"terms": {"livestock.breed": ["sahiwal", "sahiwal_cross"]}} in filters_of(strict)
    assert plan[-1].with_breed is False
    loose = product_search_body(ProductQuery(q="শাহীওয়াল"), understanding=understanding, tier=plan[-1])
    assert not any("livestock.breed" in str(f) for f in filters_of(loose))
    assert any("livestock.breed" in str(s) for s in loose["query"]["bool"]["should"])


# ---------------------------------------------------------------- storefronts and hidden sellers


def test_every_products_read_can_leave_out_hidden_sellers_keeping_scores():
    body = {"query": {"bool": {"filter": [{"term": {"deleted": False}}]}}, "size": 3}
    wrapped = without_hidden_sellers(body, "t_sellers")
    assert wrapped["size"] == 3
    assert wrapped["query"]["bool"]["must"] == [body["query"]]
    lookup = wrapped["query"]["bool"]["must_not"][0]["terms"]["seller_id"]
    assert lookup == {"index": "t_sellers", "id": "~hidden", "path": "hidden_seller_ids"}
    assert without_hidden_sellers({"size": 0}, "s")["query"]["bool"]["must"] == [{"match_all": {}}]
    sellers = without_hidden_sellers({"size": 1}, "t_sellers", "id")["query"]["bool"]["must_not"][0]
    assert "id" in sellers["terms"], "a storefront read leaves out the deleted sellers themselves"


def test_a_storefront_is_found_by_id_before_slug_and_only_alive():
    body = storefront_body("mayer-doa")
    assert {"term": {"deleted": False}} in body["query"]["bool"]["filter"]
    should = body["query"]["bool"]["should"]
    assert should[0]["constant_score"]["boost"] > should[1]["constant_score"]["boost"]
    assert body["sort"][1] == {"created_at": "asc"}, "two shops claiming a slug: the older keeps it"


def test_nearest_storefronts_filter_and_sort_by_distance():
    body = nearest_sellers_body(
        NearestSellersQuery(lat=24.4, lon=90.8, category="fish", verified=True, limit=5)
    )
    found = body["query"]["bool"]["filter"]
    assert {"term": {"categories": "fish"}} in found and SHOWN_VERIFIED in found
    assert {"geo_distance": {"distance": "10.0km", "location": {"lat": 24.4, "lon": 90.8}}} in found
    assert "_geo_distance" in body["sort"][0] and body["size"] == 5


def test_verified_means_what_a_card_shows_checked_and_reachable():
    assert SHOWN_VERIFIED["bool"]["filter"] == [{"term": {"verified": True}}]
    assert {"term": {"phone_public": False}} in SHOWN_VERIFIED["bool"]["must_not"]  # a hidden phone
    unverified = nearest_sellers_body(NearestSellersQuery(lat=24.4, lon=90.8, verified=False))
    assert {"bool": {"must_not": [SHOWN_VERIFIED]}} in unverified["query"]["bool"]["filter"]


def test_counts_are_of_live_products():
    for body in (storefront_counts_body("s"), product_counts_body(["s", "t"])):
        found = body["query"]["bool"]["filter"]
        assert {"term": {"deleted": False}} in found and {"term": {"status": "active"}} in found


SELLER = {
    "id": "s-1", "slug": "s-1", "name": {"bn": "দোকান"}, "phone": "+8801711111111", "whatsapp": "+8801711111112",
    "phone_public": False, "upazila": "itna", "location": {"lat": 24.5, "lon": 91.0}, "categories": ["fish"],
    "payment_methods": ["nagad", "retired_method"], "verified": False, "created_at": "2026-01-01T00:00:00+06:00",
    "updated_at": "2026-01-01T00:00:00+06:00",
}  # fmt: skip


def test_a_private_phone_hides_whatsapp_too():
    card = seller_card(SELLER)
    assert card.phone is None and card.whatsapp is None
    public = seller_card(SELLER | {"phone_public": True})
    assert (public.phone, public.whatsapp) == ("+8801711111111", "+8801711111112")


def test_a_storefront_lists_its_categories_first_then_others_with_products():
    shown = storefront(SELLER, {"dairy": 2, "fish": 5}, 7)
    assert [(c.slug, c.count) for c in shown.categories] == [("fish", 5), ("dairy", 2)]
    assert [m.bn for m in shown.payment_methods] == ["নগদ", "retired_method"]
    assert shown.upazila.bn == "ইটনা" and shown.product_count == 7


# ---------------------------------------------------------------- the seller cards a process keeps


def _state_answer(*buckets: tuple[str, int, float, float]) -> dict:
    return {
        "aggregations": {
            "indices": {
                "buckets": [
                    {"key": k, "doc_count": n, "seq_sum": {"value": s}, "seq_max": {"value": m}}
                    for k, n, s, m in buckets
                ]
            }
        }
    }


def test_the_sellers_index_state_reads_every_write_and_is_cached_by_the_engine():
    body = index_state_body()
    assert body["size"] == 0  # the shard request cache answers size-0 bodies until the next refresh
    assert body["aggs"]["indices"]["terms"]["field"] == "_index"
    one = index_state(_state_answer(("sellers_v1", 3, 3.0, 2.0)))
    assert one == index_state(_state_answer(("sellers_v1", 3, 3.0, 2.0)))
    renamed = index_state(_state_answer(("sellers_v1", 3, 6.0, 3.0)))  # seq 0 → 3: sum and max move
    reindexed = index_state(_state_answer(("sellers_v2", 3, 3.0, 2.0)))  # same numbers, another index
    assert len({one, renamed, reindexed}) == 3
    # two concrete indices behind the alias (a reindex in flight): read in a stable order
    both = [("sellers_v1", 3, 3.0, 2.0), ("sellers_v2", 1, 0.0, 0.0)]
    assert index_state(_state_answer(*both)) == index_state(_state_answer(*reversed(both)))


def test_kept_counts_are_read_from_the_copy_their_state_was_read_from():
    """Else a lagging replica's counts could be kept under a newer state (sellers/counts.py)."""
    assert PRODUCTS_STATE.preference == SAME_COPY and SAME_COPY.startswith("kept-product-counts-")
    assert PRODUCTS_STATE.body == index_state_body() and PRODUCTS_STATE.hidden_sellers_too


def test_what_is_known_is_valid_only_for_a_request_that_saw_the_current_state():
    known: KnownInState[int] = KnownInState(4, "test")
    a, b = (("products_v1", 1, 0.0, 0.0),), (("products_v1", 2, 1.0, 1.0),)
    known.at(a)
    known.keep(a, {"s1": 3})
    assert dict(known.valid_in(a)) == {"s1": 3}
    assert not known.valid_in(None)  # a request that has not seen the state yet
    known.at(b)  # another request saw a newer state
    assert not known.valid_in(a) and not known.valid_in(b)


def test_how_often_values_were_known_is_on_the_metrics():
    known: KnownInState[int] = KnownInState(4, "unit_test")

    def total(outcome: str) -> float:
        return (
            REGISTRY.get_sample_value("search_kept_values_total", {"what": "unit_test", "outcome": outcome})
            or 0.0
        )

    before = total("known"), total("read")
    known.counted(7, 3)
    assert (total("known") - before[0], total("read") - before[1]) == (7, 3)


def test_known_cards_are_forgotten_when_the_state_moves_and_a_stale_read_is_not_kept():
    known = KnownSellers(2, "test")
    a, b = (("sellers_v1", 1, 0.0, 0.0),), (("sellers_v1", 1, 1.0, 1.0),)
    known.at(a)
    known.keep(a, {"s1": {"id": "s1"}, "gone": None})
    assert dict(known.values) == {"s1": {"id": "s1"}, "gone": None}
    known.at(a)
    assert "s1" in known.values
    known.at(b)
    assert not known.values
    known.keep(a, {"s1": {"id": "old"}})  # a read of the superseded state arriving late
    assert not known.values
    known.keep(b, {"s1": {"id": "s1"}, "s2": {"id": "s2"}, "s3": {"id": "s3"}})
    assert len(known.values) == 2  # bounded
