"""GET /v1/products/search on the real stack: events through Kafka and ingest, answers from OpenSearch.

Other modules index products into the same session indices, so this module keeps its data apart by
place: the paging set sits around AREA_A, the special cases around AREA_B, both far from Kishoreganj's
upazila centres, and assertions look only at `ps-` ids.
"""

from __future__ import annotations

import base64
import json
import math
from datetime import datetime
from typing import Any

import pytest

from factories import product_event
from geodesy import haversine_m
from integration.conftest import produce, wait_for

AREA_A = (25.70, 88.70)
AREA_B = (25.70, 89.30)
CATEGORIES = ("fish", "dairy", "livestock")
TITLES = {
    "fish": ({"bn": "রুই মাছ", "en": "Rohu fish"}, {"bn": "ইলিশ মাছ", "en": "Hilsa fish"}),
    "dairy": ({"bn": "খাঁটি গাওয়া ঘি", "en": "Pure ghee"}, {"bn": "মিষ্টি দই", "en": "Sweet yogurt"}),
    "livestock": ({"bn": "দেশি ছাগল", "en": "Local goat"}, {"bn": "দেশি গরু", "en": "Local cow"}),
}
PRICES = (120, 120, 499.5, 500, 800, 1999, 2000, 2000, 4500, 9999, 10000, 15000, 25000, 49999,
          50000, 75000, 300, 650, 3000, 120, 12000, 60000, 2000)  # fmt: skip


def _paging_product(i: int) -> dict[str, Any]:
    category = CATEGORIES[i % 3]
    angle = 2 * math.pi * i / 23
    km = 0.2 + (i * 7 % 23) * 0.13  # 0.2 … 3.1 km from AREA_A, in a scrambled order
    lat = AREA_A[0] + km / 111.2 * math.sin(angle)
    lon = AREA_A[1] + km / (111.2 * math.cos(math.radians(AREA_A[0]))) * math.cos(angle)
    return product_event(
        f"ps-page-{i:02d}",
        seller_id="ps-seller",
        title=TITLES[category][i % 2],
        category=category,
        price_bdt=PRICES[i],
        location={"lat": round(lat, 6), "lon": round(lon, 6)},
        upazila="itna",
        updated_at=f"2026-11-{1 + i % 9:02d}T10:00:00+06:00",  # repeats: the id breaks the ties
    )


PAGING = [_paging_product(i) for i in range(23)]
B = {"lat": AREA_B[0], "lon": AREA_B[1], "upazila": "nikli", "seller_id": "ps-seller-b"}


def _at_b(id: str, dlat: float = 0.0, **data: Any) -> dict[str, Any]:
    return product_event(id, location={"lat": B["lat"] + dlat, "lon": B["lon"]}, upazila=B["upazila"],
                         seller_id=B["seller_id"], **data)  # fmt: skip


SPECIAL = [
    _at_b("ps-hilsa", category="fish", title={"bn": "Fresh Hilsa 1 kg", "en": "Fresh Hilsa 1 kg"},
          price_bdt=1400, description={"en": "From the Meghna, caught today"}),
    _at_b("ps-rui", 0.001, category="fish", title={"bn": "রুই মাছ", "en": "Rohu"}, price_bdt=450),
    _at_b("ps-goat", 0.002, category="livestock", title={"bn": "দেশি ছাগল <b>খাসি</b>", "en": "Goat"},
          description={"bn": "সুস্থ সবল দেশি ছাগল, হাটে বিক্রির জন্য"}, price_bdt=16000),
    _at_b("ps-oos", 0.003, category="dairy", title={"bn": "গাওয়া ঘি", "en": "Ghee"}, in_stock=False),
    _at_b("ps-sold", 0.004, category="livestock", title={"bn": "দেশি ছাগল বিক্রিত"}, status="sold"),
    _at_b("ps-hidden", 0.005, category="livestock", title={"bn": "দেশি ছাগল লুকানো"}, status="hidden"),
    _at_b("ps-deleted", 0.006, category="livestock", title={"bn": "দেশি ছাগল মুছে ফেলা"}),
    _at_b("ps-near-7km", 0.063, category="dairy", title={"bn": "মহিষের দই", "en": "Buffalo yogurt"}),
]  # fmt: skip
NEVER = {"ps-sold", "ps-hidden", "ps-deleted"}


@pytest.fixture(scope="module")
def products(ingest, producer, settings, engine) -> dict[str, dict[str, Any]]:
    topic = settings.topic("products")
    for event in [*PAGING, *SPECIAL]:
        produce(producer, topic, event)
    produce(producer, topic, product_event("ps-deleted", 2, type="delete"))
    index = settings.index_alias("products")

    def all_indexed() -> bool:
        ids = [e["id"] for e in [*PAGING, *SPECIAL]]
        docs = engine.mget(index=index, body={"ids": ids})["docs"]
        tombstone = engine.get(index=index, id="ps-deleted", ignore=404)
        return all(d.get("found") for d in docs) and tombstone.get("_source", {}).get("deleted") is True

    wait_for(all_indexed, timeout=60, what="the ps- products to be indexed")
    engine.indices.refresh(index=index)
    return {e["id"]: e["data"] for e in [*PAGING, *SPECIAL] if e.get("data")}


def in_a(**params: Any) -> dict[str, Any]:
    return {"lat": AREA_A[0], "lon": AREA_A[1], "radius_km": 5, **params}


def in_b(**params: Any) -> dict[str, Any]:
    return {"lat": AREA_B[0], "lon": AREA_B[1], "radius_km": 5, **params}


async def search(client, **params: Any) -> dict[str, Any]:
    response = await client.get("/v1/products/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(body: dict[str, Any]) -> list[str]:
    return [r["id"] for r in body["results"] if r["id"].startswith("ps-")]


async def all_pages(client, **params: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every result of a query, page by page, and every page's body."""
    results: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    cursor = None
    for _ in range(50):
        body = await search(client, **params, **({"cursor": cursor} if cursor else {}))
        pages.append(body)
        results += body["results"]
        cursor = body["next_cursor"]
        if cursor is None:
            return results, pages
    raise AssertionError("paging did not end")


def sort_key(sort: str, data: dict[str, Any], id: str) -> tuple[Any, ...]:
    point = data["location"]
    return {
        "price_asc": (data["price_bdt"], id),
        "price_desc": (-data["price_bdt"], id),
        "newest": (-datetime.fromisoformat(data["updated_at"]).timestamp(), id),
        "distance": (round(haversine_m(*AREA_A, point["lat"], point["lon"]), 3), id),
    }[sort]


@pytest.mark.parametrize("sort", ["price_asc", "price_desc", "newest", "distance", "relevance"])
async def test_cursor_paging_visits_every_result_once_in_order(products, search_client, sort):
    results, pages = await all_pages(search_client, **in_a(sort=sort, limit=5))
    got = [r["id"] for r in results]
    assert len(got) == len(set(got)) == 23
    assert set(got) == {e["id"] for e in PAGING}
    assert [len(p["results"]) for p in pages] == [5, 5, 5, 5, 3]
    assert all(p["total"] == 23 for p in pages)
    expected_sort = "newest" if sort == "relevance" else sort  # relevance without q is newest
    assert got == sorted(got, key=lambda i: sort_key(expected_sort, products[i], i))
    assert pages[0]["query"]["sort"] == expected_sort


async def test_cursor_paging_by_relevance_with_words(products, search_client):
    fish = {e["id"] for e in PAGING if e["data"]["category"] == "fish"}
    results, _ = await all_pages(search_client, **in_a(q="মাছ", limit=3))
    got = [r["id"] for r in results]
    assert len(got) == len(set(got)) and set(got) == fish


async def test_a_full_last_page_says_it_is_the_last(products, search_client):
    results, pages = await all_pages(search_client, **in_a(sort="price_asc", limit=23))
    assert len(pages) == 1 and len(results) == 23 and pages[0]["next_cursor"] is None


async def test_facets_count_the_whole_query_on_every_page(products, search_client):
    _, pages = await all_pages(search_client, **in_a(limit=10))
    by_category: dict[str, int] = {}
    for e in PAGING:
        by_category[e["data"]["category"]] = by_category.get(e["data"]["category"], 0) + 1
    bands = [(0, 500), (500, 2000), (2000, 10000), (10000, 50000), (50000, math.inf)]
    by_band = [sum(lo <= p < hi for p in PRICES) for lo, hi in bands]
    for page in pages:
        facets = page["facets"]
        assert {f["slug"]: f["count"] for f in facets["category"]} == by_category
        fish = next(f for f in facets["category"] if f["slug"] == "fish")
        assert (fish["bn"], fish["en"]) == ("মাছ", "Fish")
        assert [f["count"] for f in facets["price"]] == by_band
        assert [(f["from"], f["to"]) for f in facets["price"]] == [
            (0, 500), (500, 2000), (2000, 10000), (10000, 50000), (50000, None)
        ]  # fmt: skip
        assert all(f["label"] for f in facets["price"])


async def test_facets_follow_the_filters(products, search_client):
    body = await search(search_client, **in_a(category="dairy", max_price=2000))
    expected = {
        e["id"] for e in PAGING if e["data"]["category"] == "dairy" and e["data"]["price_bdt"] <= 2000
    }
    assert set(ids(body)) == expected and body["total"] == len(expected)
    assert body["facets"]["category"] == [
        {"slug": "dairy", "bn": "দুগ্ধজাত পণ্য", "en": "Dairy", "count": len(expected)}
    ]
    assert sum(f["count"] for f in body["facets"]["price"]) == len(expected)


async def test_category_filter(products, search_client):
    body = await search(search_client, **in_a(category="livestock", limit=100))
    assert set(ids(body)) == {e["id"] for e in PAGING if e["data"]["category"] == "livestock"}
    assert all(r["category"]["slug"] == "livestock" for r in body["results"])


async def test_price_filter_is_inclusive_at_both_ends(products, search_client):
    body = await search(search_client, **in_a(min_price=500, max_price=2000, limit=100, sort="price_asc"))
    expected = {e["id"] for e in PAGING if 500 <= e["data"]["price_bdt"] <= 2000}
    assert set(ids(body)) == expected
    assert {r["price_bdt"] for r in body["results"]} >= {500, 2000}


async def test_stock_filter(products, search_client):
    default = ids(await search(search_client, **in_b(limit=100)))
    everything = ids(await search(search_client, **in_b(limit=100, in_stock="false")))
    assert "ps-oos" not in default
    assert "ps-oos" in everything
    oos = next(r for r in (await search(search_client, **in_b(in_stock="false", q="ghee")))["results"])
    assert oos["id"] == "ps-oos" and oos["in_stock"] is False


async def test_sold_hidden_and_deleted_never_appear(products, search_client):
    for params in (
        in_b(limit=100, in_stock="false"),
        in_b(q="দেশি ছাগল", in_stock="false"),
        {"q": "দেশি ছাগল", "limit": 100, "in_stock": "false"},
        {"category": "livestock", "limit": 100, "in_stock": "false", "sort": "newest"},
    ):
        body = await search(search_client, **params)
        assert not (set(ids(body)) & NEVER), params


async def test_radius_defaults_to_10_km(products, search_client):
    wide = ids(await search(search_client, lat=AREA_B[0], lon=AREA_B[1], limit=100))
    narrow = ids(await search(search_client, **in_b(limit=100)))
    assert "ps-near-7km" in wide and "ps-near-7km" not in narrow


async def test_distance_sort_matches_haversine(products, search_client):
    body = await search(search_client, **in_a(sort="distance", limit=100))
    distances = [r["distance_m"] for r in body["results"]]
    assert distances == sorted(distances)
    for r in body["results"]:
        expected = haversine_m(*AREA_A, r["location"]["lat"], r["location"]["lon"])
        assert abs(r["distance_m"] - expected) <= max(1.0, 0.001 * expected), r["id"]


async def test_distance_is_given_with_any_sort_when_a_point_is(products, search_client):
    body = await search(search_client, **in_a(sort="price_desc"))
    assert all("distance_m" in r for r in body["results"])
    no_point = await search(search_client, category="fish", sort="price_desc")
    assert all("distance_m" not in r for r in no_point["results"])


async def test_result_shape(products, search_client):
    body = await search(search_client, **in_b(q="ছাগল"))
    goat = next(r for r in body["results"] if r["id"] == "ps-goat")
    assert goat["title"] == {"bn": "দেশি ছাগল <b>খাসি</b>", "en": "Goat"}
    assert goat["category"] == {"slug": "livestock", "bn": "গবাদি পশু", "en": "Livestock"}
    assert goat["upazila"] == {"slug": "nikli", "bn": "নিকলী", "en": "Nikli"}
    assert goat["seller_id"] == "ps-seller-b" and goat["price_bdt"] == 16000 and goat["in_stock"] is True
    assert goat["description"]["bn"].startswith("সুস্থ")
    assert set(goat["location"]) == {"lat", "lon"} and goat["attributes"] == {}


async def test_highlights_mark_matches_and_escape_html(products, search_client):
    body = await search(search_client, **in_b(q="ছাগল"))
    goat = next(r for r in body["results"] if r["id"] == "ps-goat")
    title = goat["highlight"]["title"]
    assert "<mark>ছাগল</mark>" in title
    assert "&lt;b&gt;" in title and "<b>" not in title
    assert "<mark>ছাগল</mark>" in goat["highlight"]["description"]


async def test_bangla_item_finds_a_product_titled_in_english(products, search_client):
    for q in ("ইলিশ", "ilish", "hilsa"):
        body = await search(search_client, **in_b(q=q))
        assert ids(body)[:1] == ["ps-hilsa"], (q, ids(body))
        assert body["query"]["categories"] == ["fish"]
        assert "ps-goat" not in ids(body)


async def test_banglish_finds_bangla_titles(products, search_client):
    body = await search(search_client, **in_b(q="desi chagol"))
    assert "ps-goat" in ids(body)


async def test_english_words_find_english_descriptions(products, search_client):
    body = await search(search_client, **in_b(q="meghna"))
    # Only the hilsa says "Meghna"; a page that short goes on with its category, the hilsa first.
    assert ids(body)[:1] == ["ps-hilsa"]
    assert {r["category"]["slug"] for r in body["results"]} == {"fish"}
    assert body["query"]["exact_matches"] == 1 and body["query"]["relaxed"]


async def test_a_sorted_search_answers_from_its_strictest_tier_with_products(products, search_client):
    """Sorted by price, every tier is asked in one query (products/bodies.py strictest_tier_first_body)
    and the strictest tier with products answers alone: its products, total and facets, paging on in it.
    No ps- product is both "মিষ্টি" and "ঘি"; four are "দেশি ছাগল" (and more are only "দেশি")."""
    results, pages = await all_pages(search_client, **in_a(q="মিষ্টি ঘি", sort="price_asc", limit=3))
    relaxed = pages[0]
    assert relaxed["query"]["relaxed"] is True and relaxed["query"]["exact_matches"] == 0
    assert len(pages) > 1 and all(page["total"] == relaxed["total"] for page in pages)
    order = [(r["price_bdt"], r["id"]) for r in results]
    assert order == sorted(order) and len(set(order)) == len(results) == relaxed["total"]
    assert sum(band["count"] for band in relaxed["facets"]["price"]) == relaxed["total"]
    exact = await search(search_client, **in_a(q="দেশি ছাগল", sort="price_desc"))
    assert exact["query"]["relaxed"] is False
    assert exact["query"]["exact_matches"] == exact["total"] == 4 == len(exact["results"])
    assert all("ছাগল" in r["title"]["bn"] for r in exact["results"])
    assert [c["count"] for c in exact["facets"]["category"]] == [4]  # the goats', not the cows' too


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"min_price": 900, "max_price": 100}, "min_price"),
        ({"min_price": -1}, "min_price"),
        ({"max_price": "nan"}, "max_price"),
        ({"max_price": "inf"}, "max_price"),
        ({"lat": 24.4}, "lon"),
        ({"lon": 90.7}, "lat"),
        ({"lat": 91, "lon": 90}, "lat"),
        ({"lat": "north", "lon": 90}, "lat"),
        ({"radius_km": 5}, "radius_km"),
        ({"lat": 24.4, "lon": 90.7, "radius_km": 101}, "radius_km"),
        ({"lat": 24.4, "lon": 90.7, "radius_km": 0}, "radius_km"),
        ({"sort": "distance"}, "sort"),
        ({"sort": "cheapest"}, "sort"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"category": "spaceships"}, "category"),
        ({"category": "electrician"}, "category"),  # a provider category, not a product one
        ({"q": "ক" * 201}, "q"),
        ({"in_stock": "maybe"}, "in_stock"),
        ({"cursor": "%%%not-a-cursor"}, "cursor"),
        ({"cursor": "eyJhIjpbMV0sImgiOiJ4In0"}, "cursor"),
    ],
)
async def test_bad_parameters_get_422_with_a_message(search_client, params, parameter):
    response = await search_client.get("/v1/products/search", params=params)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_parameters"
    assert parameter in body["message"] and body["details"][0]["parameter"] == parameter


async def test_a_cursor_cannot_page_another_query(products, search_client):
    first = await search(search_client, **in_a(sort="price_asc", limit=5))
    cursor = first["next_cursor"]
    assert cursor
    for other in (in_a(sort="price_desc"), in_a(sort="price_asc", category="fish"), in_b(sort="price_asc")):
        response = await search_client.get(
            "/v1/products/search", params={**other, "limit": 5, "cursor": cursor}
        )
        assert response.status_code == 422, response.text
        assert "cursor does not belong to this query" in response.json()["message"]
    same = await search(search_client, **in_a(sort="price_asc", limit=10, cursor=cursor))
    assert same["results"][0]["id"] not in ids(first)  # another page size is still the same query


async def test_hostile_text_is_just_words(products, search_client):
    for q in ["title.bn:* OR *", "/.*/", "ilish~2", "a" * 200, "<script>alert(1)</script>", "\\"]:
        response = await search_client.get("/v1/products/search", params={"q": q})
        assert response.status_code == 200, (q, response.text)


async def test_a_forged_cursor_gets_422_not_an_engine_error(products, search_client):
    first = await search(search_client, **in_a(sort="price_asc", limit=5))
    raw = first["next_cursor"]
    data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    for values in (["cheap", "ps-page-00"], [1.0, 2.0], [1.0]):
        forged = base64.urlsafe_b64encode(json.dumps({**data, "a": values}).encode()).decode().rstrip("=")
        params = {**in_a(sort="price_asc", limit=5), "cursor": forged}
        response = await search_client.get("/v1/products/search", params=params)
        assert response.status_code == 422, (values, response.text)
