"""Suggestions and the taxonomy listing, without a server: category matching, engine bodies, merging."""

from __future__ import annotations

import pytest

from engine_bodies import QUERY_SYNTAX, walk_keys
from search.categories.bodies import category_counts_body, counts_from, taxonomy_listing
from search.queries.live import in_district
from search.suggest.bodies import product_suggest_body
from search.suggest.categories import category_suggestions
from search.suggest.results import merge_suggestions


def slugs(q: str, limit: int = 20) -> list[str]:
    return [s["open"]["params"]["category"] for s in category_suggestions(q, limit=limit)]


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("ক", "butcher"),  # কসাই, from the first character
        ("কস", "butcher"),
        ("k", "butcher"),  # Banglish key of কসাই
        ("kos", "butcher"),
        ("kas", "butcher"),
        ("But", "butcher"),
        ("মিস্ত্রি", "carpenter"),  # a later word of "কাঠ মিস্ত্রি"
        ("sal", "barber"),  # alias "salon"
        ("সেলু", "barber"),  # alias সেলুন
        ("মা", "fish"),  # product category মাছ
        ("ambulanc", "ambulance"),  # half a word folds differently from the whole: plain prefix
        ("\u200bকসা", "butcher"),  # a stray zero-width space from a phone keyboard
    ],
)
def test_categories_by_prefix_in_both_scripts(q, slug):
    assert slug in slugs(q)


def test_display_text_follows_the_typed_script():
    bangla = category_suggestions("কসা", limit=3)[0]
    latin = category_suggestions("kosa", limit=3)[0]
    assert (bangla["text"], latin["text"]) == ("কসাই", "Butcher")
    assert bangla["bn"] == latin["bn"] == "কসাই" and bangla["en"] == "Butcher"


def test_categories_open_the_right_endpoint():
    butcher = category_suggestions("kosai", limit=1)[0]
    assert butcher["type"] == "provider_category"
    assert butcher["open"] == {"endpoint": "/v1/providers/nearest", "params": {"category": "butcher"}}
    fish = next(s for s in category_suggestions("মাছ", limit=5) if s["type"] == "product_category")
    assert fish["open"] == {"endpoint": "/v1/products/search", "params": {"category": "fish"}}


def test_own_names_before_aliases_and_each_category_once():
    found = slugs("ম")
    assert len(found) == len(set(found))
    assert found.index("fish") < found.index("butcher")  # মাছ itself before the alias মাংস বিক্রেতা


def test_nothing_typed_nothing_suggested():
    assert category_suggestions("   ", limit=8) == []
    assert product_suggest_body(" \u200c ", limit=8) is None


def test_bangla_input_matches_bangla_prefixes():
    body = product_suggest_body("দেশি ছা", limit=8)
    assert body is not None
    assert body["query"]["bool"]["should"] == [{"match": {"suggest": {"query": "দেশি ছা", "operator": "and"}}}]


def test_latin_input_matches_banglish_keys():
    body = product_suggest_body("Goru", limit=8)
    assert body is not None
    should = body["query"]["bool"]["should"]
    assert {"match": {"suggest_key": {"query": "garu", "operator": "and"}}} in should
    assert body["query"]["bool"]["minimum_should_match"] == 1


def test_product_suggestions_only_for_products_on_sale():
    body = product_suggest_body("ghee", limit=8)
    assert body is not None
    filters = body["query"]["bool"]["filter"]
    for clause in (
        {"term": {"deleted": False}},
        {"term": {"status": "active"}},
        {"term": {"in_stock": True}},
    ):
        assert clause in filters


@pytest.mark.parametrize("q", ["a*", "?", "ilish~", "/.*/", 'x" OR "y', "গরু*"])
def test_user_text_never_becomes_query_syntax(q):
    body = product_suggest_body(q, limit=8)
    assert body is None or not (walk_keys(body) & QUERY_SYNTAX)


def _s(kind: str, text: str) -> dict:
    return {"type": kind, "text": text}


def test_merge_puts_categories_first_and_drops_repeats():
    cats = [_s("provider_category", "কসাই")]
    prods = [_s("product", "গরুর মাংস"), _s("product", "গরুর  মাংস"), _s("product", "কসাই")]
    merged = merge_suggestions(cats, prods, limit=8)
    assert [m["text"] for m in merged] == ["কসাই", "গরুর মাংস"]
    assert merged[0]["type"] == "provider_category"


def test_merge_leaves_half_the_list_to_products():
    cats = [_s("provider_category", f"c{i}") for i in range(10)]
    prods = [_s("product", f"p{i}") for i in range(10)]
    merged = merge_suggestions(cats, prods, limit=8)
    assert [m["type"] for m in merged] == ["provider_category"] * 4 + ["product"] * 4
    only_cats = merge_suggestions(cats, [], limit=8)
    assert len(only_cats) == 8


def test_counts_bodies_count_only_live_documents():
    products = category_counts_body("product")
    providers = category_counts_body("provider")
    assert {"term": {"status": "active"}} in products["query"]["bool"]["filter"]
    assert {"term": {"deleted": False}} in products["query"]["bool"]["filter"]
    assert providers["query"]["bool"]["filter"] == [{"term": {"deleted": False}}, in_district("kishoreganj")]
    assert products["size"] == 0 and products["aggs"]["by_category"]["terms"]["field"] == "category"


def test_listing_has_every_category_with_its_count():
    counts = {"provider": {"butcher": 3}, "product": counts_from(
        {"aggregations": {"by_category": {"buckets": [{"key": "fish", "doc_count": 7}]}}}
    )}  # fmt: skip
    listing = taxonomy_listing(counts)
    butcher = next(c for c in listing["provider_categories"] if c["slug"] == "butcher")
    fish = next(c for c in listing["product_categories"] if c["slug"] == "fish")
    dairy = next(c for c in listing["product_categories"] if c["slug"] == "dairy")
    assert (butcher["count"], fish["count"], dairy["count"]) == (3, 7, 0)
    assert {"bn": "ইলিশ", "en": "hilsa"} in fish["items"]
    assert butcher["icon"] and "মাংস বিক্রেতা" in butcher["aliases"]


def test_listing_without_counts_says_unknown_not_zero():
    listing = taxonomy_listing(None)
    assert all(c["count"] is None for c in listing["provider_categories"] + listing["product_categories"])
