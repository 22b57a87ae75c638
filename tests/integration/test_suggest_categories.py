"""GET /v1/suggest and GET /v1/categories on the real stack.

Suggestions are not filtered by place, so this module's products carry a title no other module
uses (ঝালমুড়ি, "Jhalmuri") and assertions look only at those; counts are compared with the engine's
own count of live documents, which holds whatever other modules indexed.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from factories import product_event, provider_event
from integration.conftest import produce, wait_for
from portal.contracts import taxonomy

JHALMURI = {"bn": "ঝালমুড়ি মশলা", "en": "Jhalmuri masala"}
PRODUCTS = [
    product_event("ps-sg-1", title=JHALMURI, category="honey_spices", price_bdt=80),
    product_event("ps-sg-2", title=JHALMURI, category="honey_spices", price_bdt=90),  # same title
    product_event("ps-sg-sold", title={"bn": "ঝালমুড়ি বিক্রিত", "en": "Jhalmuri sold"}, status="sold"),
    product_event("ps-sg-hidden", title={"bn": "ঝালমুড়ি লুকানো", "en": "Jhalmuri hidden"}, status="hidden"),
    product_event("ps-sg-oos", title={"bn": "ঝালমুড়ি শেষ", "en": "Jhalmuri gone"}, in_stock=False),
    product_event("ps-sg-gone", title={"bn": "ঝালমুড়ি মুছে", "en": "Jhalmuri deleted"}),
]
PROVIDERS = [
    provider_event("ps-sg-butcher-1", category="butcher"),
    provider_event("ps-sg-butcher-2", category="butcher"),
]
NOT_ON_SALE = {"ঝালমুড়ি বিক্রিত", "ঝালমুড়ি লুকানো", "ঝালমুড়ি শেষ", "ঝালমুড়ি মুছে"}


def _indexed(engine, index: str, ids: list[str], tombstones: list[str]) -> bool:
    docs = engine.mget(index=index, body={"ids": ids})["docs"]
    if not all(d.get("found") for d in docs):
        return False
    by_id = {d["_id"]: d["_source"] for d in docs}
    return all(by_id[t].get("deleted") is True for t in tombstones)


@pytest.fixture(scope="module")
def indexed(ingest, producer, settings, engine) -> None:
    for event in PRODUCTS:
        produce(producer, settings.topic("products"), event)
    produce(producer, settings.topic("products"), product_event("ps-sg-gone", 2, type="delete"))
    for event in PROVIDERS:
        produce(producer, settings.topic("providers"), event)
    produce(producer, settings.topic("providers"), provider_event("ps-sg-butcher-2", 2, type="delete"))
    products = settings.index_alias("products")
    providers = settings.index_alias("providers")
    wait_for(
        lambda: (
            _indexed(engine, products, [e["id"] for e in PRODUCTS], ["ps-sg-gone"])
            and _indexed(engine, providers, [e["id"] for e in PROVIDERS], ["ps-sg-butcher-2"])
        ),
        timeout=60,
        what="the ps-sg- documents to be indexed",
    )
    engine.indices.refresh(index=f"{products},{providers}")


async def suggest(client, q: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/suggest", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()["suggestions"]


def texts(suggestions: list[dict[str, Any]], kind: str = "product") -> list[str]:
    return [s["text"] for s in suggestions if s["type"] == kind]


# --- /v1/suggest ---------------------------------------------------------------------------------


async def test_product_titles_from_the_first_bangla_character(indexed, search_client):
    found = await suggest(search_client, "ঝ", limit=20)
    jhalmuri = [s for s in found if s["bn"] == JHALMURI["bn"]]
    assert len(jhalmuri) == 1  # two products, one suggestion
    assert jhalmuri[0] == {
        "type": "product",
        "text": "ঝালমুড়ি মশলা",
        "bn": "ঝালমুড়ি মশলা",
        "en": "Jhalmuri masala",
        "open": {"endpoint": "/v1/products/search", "params": {"q": "ঝালমুড়ি মশলা"}},
    }


async def test_product_titles_from_the_first_latin_character(indexed, search_client):
    for q in ("j", "jh", "Jhal", "jhalmuri m"):
        found = await suggest(search_client, q, limit=20)
        assert "Jhalmuri masala" in texts(found), (q, found)


async def test_banglish_typed_finds_the_bangla_title(indexed, search_client):
    found = await suggest(search_client, "jalmu", limit=20)
    assert "Jhalmuri masala" in texts(found)


async def test_several_bangla_words_as_typed(indexed, search_client):
    assert "ঝালমুড়ি মশলা" in texts(await suggest(search_client, "ঝালমুড়ি ম"))


async def test_products_not_on_sale_are_never_suggested(indexed, search_client):
    for q in ("ঝ", "ঝালমুড়ি", "jhalmuri", "j"):
        found = await suggest(search_client, q, limit=20)
        assert not ({s["bn"] for s in found} & NOT_ON_SALE), (q, found)


async def test_categories_from_the_first_character_in_both_scripts(search_client):
    bangla = await suggest(search_client, "ক")
    assert bangla[0]["type"].endswith("_category")
    butcher = next(s for s in bangla if s["en"] == "Butcher")
    assert butcher == {
        "type": "provider_category",
        "text": "কসাই",
        "bn": "কসাই",
        "en": "Butcher",
        "open": {"endpoint": "/v1/providers/nearest", "params": {"category": "butcher"}},
    }
    latin = await suggest(search_client, "k")
    assert "Butcher" in texts(latin, "provider_category")


async def test_product_categories_open_a_product_search(search_client):
    fish = next(s for s in await suggest(search_client, "মা") if s["type"] == "product_category")
    assert fish["text"] == "মাছ"
    assert fish["open"] == {"endpoint": "/v1/products/search", "params": {"category": "fish"}}


async def test_categories_come_before_products(indexed, search_client):
    found = await suggest(search_client, "ম", limit=20)  # মাছ, মুচি… (categories) and মশলা (a title word)
    kinds = [s["type"] for s in found]
    assert "product" in kinds
    first_product = kinds.index("product")
    assert all(k == "product" for k in kinds[first_product:])


async def test_limit_is_respected(search_client):
    assert len(await suggest(search_client, "ম", limit=3)) == 3


async def test_nothing_typed_nothing_suggested(search_client):
    assert await suggest(search_client, "") == []
    assert await suggest(search_client, "   ") == []


@pytest.mark.parametrize("q", ["*", "j*", "ঝ?", "/.*/", "jh~", '"', "\\", "(", "<mark>"])
async def test_hostile_text_is_just_text(indexed, search_client, q):
    await suggest(search_client, q)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({}, "q"),
        ({"q": "k", "limit": 0}, "limit"),
        ({"q": "k", "limit": 21}, "limit"),
        ({"q": "ক" * 101}, "q"),
    ],
)
async def test_bad_suggest_parameters_get_422(search_client, params, parameter):
    response = await search_client.get("/v1/suggest", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["details"][0]["parameter"] == parameter


# --- /v1/categories ------------------------------------------------------------------------------


def engine_counts(engine, settings, kind: str) -> dict[str, int]:
    # the served district's documents (other tests index Netrokona's into the same indices); the
    # default district's also count when they carry no district, as documents indexed before did not
    theirs = [
        {"term": {"district": settings.district}},
        {"bool": {"must_not": {"exists": {"field": "district"}}}},
    ]
    live: list[dict[str, Any]] = [
        {"term": {"deleted": False}},
        {"bool": {"should": theirs, "minimum_should_match": 1}},
    ]
    if kind == "product":
        live.append({"term": {"status": "active"}})
    body = {
        "size": 0,
        "query": {"bool": {"filter": live}},
        "aggs": {"c": {"terms": {"field": "category", "size": 100}}},
    }
    response = engine.search(index=settings.index_alias(f"{kind}s"), body=body)
    return {b["key"]: b["doc_count"] for b in response["aggregations"]["c"]["buckets"]}


async def categories(client) -> httpx.Response:
    response = await client.get("/v1/categories")
    assert response.status_code == 200, response.text
    return response


def forget_cached_counts(app) -> None:
    cache = getattr(app.state, "category_counts", None)
    if cache is not None:
        cache.clear()


async def test_categories_list_the_taxonomy_with_live_counts(
    indexed, search_app, search_client, engine, settings
):
    forget_cached_counts(search_app)
    response = await categories(search_client)
    ttl = search_app.state.settings.categories_cache_s
    assert response.headers["cache-control"] == f"public, max-age={ttl}"
    body = response.json()
    for kind in ("provider", "product"):
        listed = body[f"{kind}_categories"]
        assert [c["slug"] for c in listed] == list(taxonomy().categories(kind))
        expected = engine_counts(engine, settings, kind)
        assert {c["slug"]: c["count"] for c in listed} == {
            slug: expected.get(slug, 0) for slug in taxonomy().categories(kind)
        }
    butcher = next(c for c in body["provider_categories"] if c["slug"] == "butcher")
    assert butcher["count"] >= 1 and butcher["icon"] and "মাংস বিক্রেতা" in butcher["aliases"]
    fish = next(c for c in body["product_categories"] if c["slug"] == "fish")
    assert {"bn": "ইলিশ", "en": "hilsa"} in fish["items"] and (fish["bn"], fish["en"]) == ("মাছ", "Fish")


async def test_counts_are_cached_then_refreshed(
    indexed, search_app, search_client, producer, engine, settings
):
    def honey(body: dict[str, Any]) -> int:
        return next(c["count"] for c in body["product_categories"] if c["slug"] == "honey_spices")

    forget_cached_counts(search_app)
    before = honey((await categories(search_client)).json())
    produce(producer, settings.topic("products"), product_event("ps-sg-new", category="honey_spices"))
    produce(
        producer,
        settings.topic("products"),
        product_event("ps-sg-new-sold", category="honey_spices", status="sold"),
    )
    index = settings.index_alias("products")
    wait_for(lambda: _indexed(engine, index, ["ps-sg-new", "ps-sg-new-sold"], []), what="the new products")
    engine.indices.refresh(index=index)

    assert honey((await categories(search_client)).json()) == before  # still the cached counts
    forget_cached_counts(search_app)
    assert honey((await categories(search_client)).json()) == before + 1  # the sold one does not count


async def test_categories_survive_an_engine_without_indices(settings):
    from search.config import SearchSettings
    from search.main import create_app

    app = create_app(SearchSettings(index_prefix=f"{settings.index_prefix}absent_"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://search.test") as client:
            response = await client.get("/v1/categories")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    listed = response.json()["product_categories"]
    assert len(listed) == len(taxonomy().product_categories) and all(c["count"] is None for c in listed)
