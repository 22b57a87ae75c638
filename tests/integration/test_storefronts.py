"""Storefronts on the real stack: seller events through Kafka and ingest, answers from OpenSearch.

Other modules share the session's indices, so this module keeps its sellers and products around AREA
(far from Kishoreganj and from the other modules' areas) and looks only at `sf-` ids.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from prometheus_client import REGISTRY

from factories import product_event, seller_event
from geodesy import haversine_m
from integration.conftest import dead_letter_reader, produce, wait_consumed, wait_for
from integration.test_products_search import all_pages

AREA = (22.50, 91.50)


def at(dlat: float, dlon: float = 0.0) -> dict[str, float]:
    return {"lat": round(AREA[0] + dlat, 6), "lon": round(AREA[1] + dlon, 6)}


SELLERS = {
    "sf-dairy": dict(
        slug="sf-mayer-doa-dairy",
        name={"bn": "মায়ের দোয়া ডেইরি", "en": "Mayer Doa Dairy"},
        categories=["dairy"],
        location=at(0.001),
        upazila="tarail",
        payment_methods=["bkash", "nagad", "cash_on_delivery"],
        delivery_upazilas=["tarail", "karimganj"],
        verified=True,
    ),
    "sf-fish": dict(
        slug="sf-haor-fish",
        name={"bn": "হাওর ফিশ কর্নার"},
        categories=["fish", "dairy"],
        location=at(0.010),
        upazila="itna",
        phone_public=False,
        verified=False,
    ),
    "sf-closing": dict(
        slug="sf-closing-shop", name={"bn": "বন্ধ হওয়া দোকান"}, categories=["fish"], location=at(0.020)
    ),
    "sf-rename": dict(
        slug="sf-rename-me", name={"bn": "পুরনো নাম স্টোর"}, categories=["honey_spices"], location=at(0.030)
    ),
    "sf-far": dict(slug="sf-far-away", name={"bn": "দূরের দোকান"}, categories=["dairy"], location=at(0.5)),
}


def _product(id: str, seller: str, category: str, title: str, price: float, **data: Any) -> dict[str, Any]:
    where = SELLERS[seller]["location"]
    return product_event(
        id,
        seller_id=seller,
        category=category,
        title={"bn": title},
        price_bdt=price,
        location=dict(where),
        upazila=SELLERS[seller].get("upazila", "kishoreganj-sadar"),
        **data,
    )


DAIRY = [
    _product(f"sf-dairy-{i:02d}", "sf-dairy", "dairy", title, price)
    for i, (title, price) in enumerate(
        [("মিষ্টি দই", 250), ("টক দই", 180), ("গাওয়া ঘি", 1400), ("খাঁটি দুধ", 90), ("পনির", 700),
         ("মহিষের দই", 320), ("ঘি ছোট কৌটা", 650), ("দুধের সর", 150), ("মাঠা", 60), ("ছানা", 400),
         ("ডেইরি দই বড়", 500)]
    )
] + [_product("sf-dairy-oos", "sf-dairy", "dairy", "মিষ্টি দই শেষ", 240, in_stock=False)]  # fmt: skip
FISH = [
    _product("sf-fish-01", "sf-fish", "fish", "হাওরের রুই মাছ", 450),
    _product("sf-fish-02", "sf-fish", "fish", "ইলিশ মাছ", 1400),
    _product("sf-fish-03", "sf-fish", "dairy", "মহিষের দই", 300),
]
CLOSING = [_product(f"sf-closing-{i}", "sf-closing", "fish", "শুঁটকি মাছ বন্ধ দোকান", 800) for i in range(3)]
RENAME = [_product(f"sf-rename-{i}", "sf-rename", "honey_spices", "সুন্দরবনের মধু খাঁটি", 900) for i in range(4)]
FAR = [_product("sf-far-01", "sf-far", "dairy", "দূরের দই", 200)]
ORPHAN = [product_event("sf-orphan", seller_id="sf-no-such-seller", location=at(0.002), category="dairy",
                        title={"bn": "অচেনা দোকানের দই"}, price_bdt=100)]  # fmt: skip
PRODUCTS = DAIRY + FISH + CLOSING + RENAME + FAR + ORPHAN


@pytest.fixture(scope="module")
def storefronts(ingest, producer, settings, engine) -> None:
    for id, data in SELLERS.items():
        produce(producer, settings.topic("sellers"), seller_event(id, **data))
    for event in PRODUCTS:
        produce(producer, settings.topic("products"), event)
    sellers, products = settings.index_alias("sellers"), settings.index_alias("products")

    def indexed() -> bool:
        s = engine.mget(index=sellers, body={"ids": list(SELLERS)})["docs"]
        p = engine.mget(index=products, body={"ids": [e["id"] for e in PRODUCTS]})["docs"]
        return all(d.get("found") for d in s + p)

    wait_for(indexed, timeout=90, what="the sf- sellers and products to be indexed")
    engine.indices.refresh(index=f"{sellers},{products}")


async def get(client, path: str, **params: Any) -> dict[str, Any]:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def search(client, **params: Any) -> dict[str, Any]:
    return await get(client, "/v1/products/search", **params)


def near(**params: Any) -> dict[str, Any]:
    return {"lat": AREA[0], "lon": AREA[1], "radius_km": 20, **params}


def sf_ids(body: dict[str, Any]) -> list[str]:
    return [r["id"] for r in body["results"] if r["id"].startswith("sf-")]


# ---------------------------------------------------------------- product cards carry their seller


async def test_product_results_carry_their_sellers_card(storefronts, search_client):
    body = await search(search_client, **near(q="দই", limit=100))
    by_id = {r["id"]: r for r in body["results"]}
    assert by_id["sf-dairy-00"]["seller"] == {
        "id": "sf-dairy",
        "slug": "sf-mayer-doa-dairy",
        "name": {"bn": "মায়ের দোয়া ডেইরি", "en": "Mayer Doa Dairy"},
        "upazila": {"slug": "tarail", "bn": "তাড়াইল", "en": "Tarail"},
        "verified": True,
        "phone": "+8801712345670",
        "whatsapp": "+8801712345670",
    }
    private = by_id["sf-fish-03"]["seller"]
    assert private["verified"] is False and private["phone"] is None and private["whatsapp"] is None
    assert by_id["sf-orphan"]["seller"] is None, "a product whose seller is unknown still shows, without one"


# ---------------------------------------------------------------- seller events: versions and deletes


async def test_seller_events_are_idempotent_and_stale_never_wins(storefronts, producer, settings, engine):
    topic, index = settings.topic("sellers"), settings.index_alias("sellers")
    newer = seller_event("sf-versions", 3, name={"bn": "তৃতীয় সংস্করণ"}, location=at(0.04))
    older = seller_event("sf-versions", 2, name={"bn": "দ্বিতীয় সংস্করণ"}, location=at(0.04))
    for event in (newer, older, newer, seller_event("sf-versions", 1, location=at(0.04))):
        produce(producer, topic, event)
    consumed(settings)  # one key, one partition: the duplicate and the stale ones came after version 3
    doc = engine.get(index=index, id="sf-versions")
    assert doc["_version"] == 3 and doc["_source"]["name"]["bn"] == "তৃতীয় সংস্করণ"


def consumed(settings) -> None:
    wait_consumed(settings, f"{settings.topic_prefix}ingest", timeout=90)


async def test_a_deleted_seller_hides_their_products_everywhere(
    storefronts, producer, settings, engine, search_client
):
    before = await search(search_client, **near(q="শুঁটকি", limit=100))
    assert {f"sf-closing-{i}" for i in range(3)} <= set(sf_ids(before))
    topic = settings.topic("sellers")
    produce(producer, topic, seller_event("sf-closing", 2, type="delete"))
    try:

        async def hidden() -> bool:
            body = await search(search_client, **near(q="শুঁটকি", limit=100))
            return not any(i.startswith("sf-closing") for i in sf_ids(body))

        await _until(hidden, "sf-closing's products to disappear")
        # At once everywhere, before the sellers index has even refreshed.
        mine = await search(search_client, seller="sf-closing", in_stock="false")
        assert mine["total"] == 0 and mine["results"] == []
        response = await search_client.get("/v1/sellers/sf-closing-shop")
        assert response.status_code == 404 and response.json()["error"] == "not_found"
        nearby = await get(search_client, "/v1/sellers/nearest", **near())
        assert "sf-closing" not in {r["id"] for r in nearby["results"]}
        # a late, older upsert does not bring the seller back
        produce(producer, topic, seller_event("sf-closing", 1, **SELLERS["sf-closing"]))
        consumed(settings)
        late = await search(search_client, **near(q="শুঁটকি"))
        assert not any(i.startswith("sf-closing") for i in sf_ids(late))
    finally:
        # reopening (a newer upsert) shows the products again — and leaves the shared index as it was
        produce(producer, topic, seller_event("sf-closing", 3, **SELLERS["sf-closing"]))

    async def back() -> bool:
        body = await search(search_client, **near(q="শুঁটকি", limit=100))
        return {f"sf-closing-{i}" for i in range(3)} <= set(sf_ids(body))

    await _until(back, "sf-closing's products to reappear")


async def _until(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


async def test_a_rename_and_a_new_phone_show_in_every_product(storefronts, producer, settings, search_client):
    renamed = dict(SELLERS["sf-rename"], name={"bn": "নতুন নাম মধু ঘর", "en": "New Name Honey House"})
    produce(
        producer, settings.topic("sellers"), seller_event("sf-rename", 2, phone="+8801899999999", **renamed)
    )

    async def all_renamed() -> bool:
        body = await search(search_client, seller="sf-rename")
        cards = [r["seller"] for r in body["results"]]
        return len(cards) == 4 and all(
            c and c["name"]["bn"] == "নতুন নাম মধু ঘর" and c["phone"] == "+8801899999999" for c in cards
        )

    await _until(all_renamed, "the rename to reach every product of sf-rename")
    body = await search(search_client, **near(q="মধু", limit=100))
    for result in body["results"]:
        if result["seller_id"] == "sf-rename":
            assert result["seller"]["name"]["en"] == "New Name Honey House"
    produce(
        producer,
        settings.topic("sellers"),
        seller_event("sf-rename", 3, phone="+8801899999999", phone_public=False, **renamed),
    )

    async def private() -> bool:
        body = await search(search_client, seller="sf-rename")
        return all(r["seller"]["phone"] is None and r["seller"]["whatsapp"] is None for r in body["results"])

    await _until(private, "the phone of sf-rename to become private")


async def test_a_known_seller_card_is_read_again_once_the_sellers_index_changed(
    storefronts, settings, engine, search_client
):
    """search-service keeps the seller cards it read (sellers/cards.py) while the sellers index is in the
    same state: a write straight to the engine, refreshed, shows in the very next answer, not later."""
    sellers = settings.index_alias("sellers")

    async def names(**params: Any) -> set[str]:
        return {r["seller"]["name"]["bn"] for r in (await search(search_client, **params))["results"]}

    for _ in range(2):  # read, then answered from the known cards
        before = await names(seller="sf-rename", sort="price_asc")
        assert len(before) == 1 and "কার্ডের নতুন নাম" not in before
    current = engine.get(index=sellers, id="sf-rename")
    source = current["_source"] | {"name": {"bn": "কার্ডের নতুন নাম"}}
    engine.index(
        index=sellers, id="sf-rename", body=source, version=current["_version"] + 1, version_type="external"
    )
    engine.indices.refresh(index=sellers)
    assert await names(seller="sf-rename", sort="price_asc") == {"কার্ডের নতুন নাম"}
    assert "কার্ডের নতুন নাম" in await names(**near(q="মধু", limit=100))
    assert await names(seller="sf-rename") == {"কার্ডের নতুন নাম"}  # relevance: another body, the same state


def test_a_bad_seller_event_is_dead_lettered_with_its_reason(storefronts, producer, settings):
    topic = settings.topic("sellers")
    bad = seller_event("sf-bad", payment_methods=["paypal"])
    produce(producer, topic, bad)
    dlq = dead_letter_reader(settings, topic, idle_ms=2000)
    try:
        found = wait_for(
            lambda: next((m for m in dlq if m.key == b"sf-bad"), None),
            timeout=60,
            what="sf-bad's dead letter",
        )
    finally:
        dlq.close()
    headers = {k: v.decode() for k, v in found.headers}
    assert headers["error.reason"] == "unknown_payment_method"
    assert "paypal" in headers["error.message"]
    assert json.loads(found.value)["id"] == "sf-bad"


# ---------------------------------------------------------------- search within a storefront


async def test_search_within_a_storefront_keeps_every_filter(storefronts, search_client):
    body = await search(
        search_client, seller="sf-dairy", q="দই", max_price=300, in_stock="false", sort="price_asc"
    )
    assert sf_ids(body) == ["sf-dairy-01", "sf-dairy-oos", "sf-dairy-00"]
    assert {r["seller_id"] for r in body["results"]} == {"sf-dairy"}
    everything = await search(search_client, seller="sf-dairy", in_stock="false", limit=100)
    assert everything["total"] == 12 and {
        f["slug"]: f["count"] for f in everything["facets"]["category"]
    } == {"dairy": 12}
    shared = await search(search_client, seller="sf-fish", category="dairy")
    assert sf_ids(shared) == ["sf-fish-03"], "another seller's matching products stay out"


@pytest.mark.parametrize("sort", ["price_asc", "price_desc", "newest", "distance", "relevance"])
async def test_a_storefront_pages_with_cursors(storefronts, search_client, sort):
    params = {"seller": "sf-dairy", "sort": sort, "limit": 4}
    if sort == "distance":
        params |= {"lat": AREA[0], "lon": AREA[1]}
    if sort == "relevance":
        params["q"] = "দই ঘি দুধ"
    results, pages = await all_pages(search_client, **params)
    got = [r["id"] for r in results]
    assert len(got) == len(set(got)), "no product twice"
    assert all(r["seller_id"] == "sf-dairy" for r in results)
    if sort != "relevance":
        assert set(got) == {e["id"] for e in DAIRY if e["data"]["in_stock"]}
        assert all(p["total"] == 11 for p in pages)
    if sort == "price_asc":
        prices = [r["price_bdt"] for r in results]
        assert prices == sorted(prices)


async def test_a_storefronts_cursor_does_not_page_another_storefront(storefronts, search_client):
    first = await search(search_client, seller="sf-dairy", limit=2, sort="price_asc")
    response = await search_client.get(
        "/v1/products/search",
        params={"seller": "sf-fish", "limit": 2, "sort": "price_asc", "cursor": first["next_cursor"]},
    )
    assert response.status_code == 422 and response.json()["details"][0]["parameter"] == "cursor"


# ---------------------------------------------------------------- the storefront and nearest storefronts


@pytest.mark.parametrize("key", ["sf-dairy", "sf-mayer-doa-dairy"])
async def test_a_storefront_by_id_or_slug(storefronts, search_client, key):
    body = await get(search_client, f"/v1/sellers/{key}")
    assert body["id"] == "sf-dairy" and body["slug"] == "sf-mayer-doa-dairy"
    assert body["name"] == {"bn": "মায়ের দোয়া ডেইরি", "en": "Mayer Doa Dairy"}
    assert body["product_count"] == 12  # out of stock still belongs to the shop
    assert body["categories"] == [{"slug": "dairy", "bn": "দুগ্ধজাত পণ্য", "en": "Dairy", "count": 12}]
    assert [m["bn"] for m in body["payment_methods"]] == ["বিকাশ", "নগদ", "ক্যাশ অন ডেলিভারি"]
    assert [u["slug"] for u in body["delivery_upazilas"]] == ["tarail", "karimganj"]
    assert body["phone"] == "+8801712345670" and body["verified"] is True
    assert body["owner"]["bn"] == "মোঃ আব্দুল করিম"


async def test_a_storefront_lists_every_category_it_has_products_in(storefronts, search_client):
    body = await get(search_client, "/v1/sellers/sf-haor-fish")
    assert [(c["slug"], c["count"]) for c in body["categories"]] == [("fish", 2), ("dairy", 1)]
    assert body["phone"] is None and body["whatsapp"] is None


async def test_an_unknown_storefront_is_404(storefronts, search_client):
    response = await search_client.get("/v1/sellers/sf-never-was")
    assert response.status_code == 404
    assert response.json()["details"][0]["parameter"] == "id_or_slug"


async def test_nearest_storefronts_by_distance(storefronts, search_client):
    body = await get(search_client, "/v1/sellers/nearest", **near(limit=100))
    mine = [r for r in body["results"] if r["id"].startswith("sf-")]
    ids = [r["id"] for r in mine]
    assert ids[:2] == ["sf-dairy", "sf-fish"]
    assert "sf-far" not in ids, "55 km away is outside a 20 km radius"
    distances = [r["distance_m"] for r in body["results"]]
    assert distances == sorted(distances)
    for r in mine:
        expected = haversine_m(*AREA, r["location"]["lat"], r["location"]["lon"])
        assert abs(r["distance_m"] - expected) < 1
    dairy = next(r for r in mine if r["id"] == "sf-dairy")
    assert dairy["product_count"] == 12 and dairy["categories"][0]["slug"] == "dairy"
    assert dairy["phone"] == "+8801712345670"
    fish = next(r for r in mine if r["id"] == "sf-fish")
    assert fish["phone"] is None


async def test_nearest_storefronts_by_category_and_verified(storefronts, search_client):
    fish = await get(search_client, "/v1/sellers/nearest", **near(category="fish"))
    assert all("fish" in [c["slug"] for c in r["categories"]] for r in fish["results"])
    assert "sf-fish" in {r["id"] for r in fish["results"]} and "sf-dairy" not in {
        r["id"] for r in fish["results"]
    }
    verified = await get(search_client, "/v1/sellers/nearest", **near(verified="true", limit=100))
    assert all(r["verified"] for r in verified["results"])
    wide = await get(search_client, "/v1/sellers/nearest", **near(radius_km=100, limit=100))
    assert "sf-far" in {r["id"] for r in wide["results"]}


async def test_nearest_storefronts_refuse_an_unknown_category(storefronts, search_client):
    response = await search_client.get("/v1/sellers/nearest", params=near(category="weapons"))
    assert response.status_code == 422 and response.json()["details"][0]["parameter"] == "category"


async def test_a_known_product_count_is_read_again_once_the_products_index_changed(
    storefronts, settings, engine, search_client
):
    """search-service keeps storefronts' product counts (sellers/counts.py) while the products index is
    in the same state: a product written straight to the engine, refreshed, counts in the very next
    answer; its deletion too."""
    products = settings.index_alias("products")

    async def dairy_count() -> int:
        body = await get(search_client, "/v1/sellers/nearest", **near(limit=100))
        nearby = next(r["product_count"] for r in body["results"] if r["id"] == "sf-dairy")
        page = await get(search_client, "/v1/sellers/sf-mayer-doa-dairy")  # the storefront's own, kept too
        assert page["product_count"] == nearby and page["categories"][0]["count"] == nearby
        return nearby

    def kept(outcome: str) -> float:
        labels = {"what": "product_counts", "outcome": outcome}
        return REGISTRY.get_sample_value("search_kept_values_total", labels) or 0.0

    assert await dairy_count() == 12
    for _ in range(10):  # answered from memory while the index is unchanged (other modules' late
        known, read = kept("known"), kept("read")  # writes may still move it once or twice)
        assert await dairy_count() == 12
        if kept("read") == read:
            assert kept("known") > known
            break
        await asyncio.sleep(0.5)
    else:
        raise AssertionError("the counts were read from the engine every time")
    source = engine.get(index=products, id="sf-dairy-00")["_source"] | {"id": "sf-dairy-new"}
    engine.index(index=products, id="sf-dairy-new", body=source)
    try:
        engine.indices.refresh(index=products)
        assert await dairy_count() == 13
    finally:
        engine.delete(index=products, id="sf-dairy-new")
        engine.indices.refresh(index=products)
    assert await dairy_count() == 12


async def test_a_sorted_search_in_a_storefront_relaxes_when_no_product_has_every_word(
    storefronts, search_client
):
    """Sorted, every tier is asked in one query, the strictest tier's products first (products/bodies.py
    strictest_tier_first_body): the strictest tier with products answers alone."""
    body = await search(search_client, seller="sf-dairy", q="মিষ্টি ঘি", sort="price_asc")
    assert body["query"]["relaxed"] is True
    prices = [r["price_bdt"] for r in body["results"]]
    assert prices == sorted(prices) and body["results"]
    assert {r["seller_id"] for r in body["results"]} == {"sf-dairy"}
    exact = await search(search_client, seller="sf-dairy", q="মিষ্টি দই", sort="price_asc")
    assert exact["query"]["relaxed"] is False
    assert all("দই" in r["title"]["bn"] for r in exact["results"])
