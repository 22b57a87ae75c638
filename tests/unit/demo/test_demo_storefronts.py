"""The demo's storefronts and cattle market honour the contracts and look like Kishoreganj's market.

Contracts are read straight from schemas/ (event JSON Schemas, taxonomy, livestock.json,
storefront.json), independently of the generators.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import Counter
from functools import cache
from typing import Any

import fastjsonschema
import pytest
from test_demo_data import demo_upazilas, schema_json

from demo_data import product_events, scaled_product_events
from demo_events import EDITIONS
from demo_storefronts import cattle_market_events, seller_events

Event = dict[str, Any]


@cache
def _validator(name: str) -> Any:
    return fastjsonschema.compile(schema_json(f"events/{name}"))


@pytest.fixture(scope="module")
def products() -> list[Event]:
    return list(product_events())


@pytest.fixture(scope="module")
def cattle() -> list[Event]:
    return list(cattle_market_events())


@pytest.fixture(scope="module")
def sellers(products: list[Event], cattle: list[Event]) -> list[Event]:
    return list(seller_events(products + cattle))


def test_every_demo_product_has_a_storefront(products, cattle, sellers):
    ids = {e["id"] for e in sellers}
    assert {e["data"]["seller_id"] for e in products + cattle} == ids
    assert len(ids) == len(sellers), "one event per seller"


def test_a_few_hundred_storefronts_in_every_upazila(sellers):
    assert 200 <= len(sellers) <= 400
    per_upazila = Counter(e["data"]["upazila"] for e in sellers)
    assert set(per_upazila) == {u["slug"] for u in demo_upazilas()}
    assert min(per_upazila.values()) >= 10


def test_sellers_and_animals_validate_against_the_contracts(sellers, cattle):
    for event in sellers:
        _validator("seller.schema.json")(event)
    for event in cattle:
        _validator("product.schema.json")(event)
    categories = {c["slug"] for c in schema_json("taxonomy.json")["product_categories"]}
    upazilas = {u["slug"] for u in demo_upazilas()}
    methods = {m["slug"] for m in schema_json("storefront.json")["payment_methods"]}
    for event in sellers:
        data = event["data"]
        assert set(data["categories"]) <= categories
        assert set(data["delivery_upazilas"]) <= upazilas and data["upazila"] in upazilas
        assert data["payment_methods"] and set(data["payment_methods"]) <= methods
        assert (
            event["type"] == "upsert"
            and event["version"] == EDITIONS["seller"]
            and uuid.UUID(event["event_id"]).version == 4
        )


def test_livestock_facts_use_the_contracts_words(products, cattle):
    market = schema_json("livestock.json")
    breeds = {b["slug"]: set(b["animals"]) for b in market["breeds"]}
    animals = {a["slug"] for a in market["animals"]}
    sexes = {s["slug"] for s in market["sexes"]}
    livestock = [e["data"] for e in products + cattle if e["data"]["category"] == "livestock"]
    assert livestock and all("livestock" in d for d in livestock), "every demo animal has typed facts"
    for data in livestock:
        facts = data["livestock"]
        assert facts["animal"] in animals and facts["animal"] in breeds[facts["breed"]]
        assert facts["sex"] in sexes and facts["seen_at"]["kind"] in {"haat", "farm"}
    assert not any("livestock" in e["data"] for e in products if e["data"]["category"] != "livestock")


def test_the_cattle_market_is_realistic(cattle):
    by_animal = Counter(e["data"]["livestock"]["animal"] for e in cattle)
    assert set(by_animal) == {"cow", "bull", "goat", "buffalo", "sheep"}
    assert by_animal["bull"] > by_animal["buffalo"] and by_animal["goat"] > by_animal["sheep"]
    breeds = Counter(e["data"]["livestock"]["breed"] for e in cattle)
    assert {"sahiwal", "sahiwal_cross", "black_bengal", "jamunapari", "deshi"} <= set(breeds)
    for event in cattle:
        data = event["data"]
        facts = data["livestock"]
        per_kg = data["price_bdt"] / facts["live_weight_kg"]
        if facts["animal"] in ("cow", "bull", "buffalo"):
            assert 100 <= facts["live_weight_kg"] <= 700 and 400 <= per_kg <= 800, data["title"]
        else:
            assert 10 <= facts["live_weight_kg"] <= 50 and 500 <= per_kg <= 1200, data["title"]
        assert str(facts["live_weight_kg"]) in data["title"]["en"]
        if facts["animal"] == "bull":
            assert facts["sex"] == "male"
        if facts["sex"] == "castrated":
            assert "খাসি" in data["title"]["bn"]


def test_names_are_bangla_with_english_and_slugs_are_unique_url_names(sellers):
    slugs = [e["data"]["slug"] for e in sellers]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) and 3 <= len(s) <= 60 for s in slugs)
    for event in sellers:
        name = event["data"]["name"]
        assert re.search(r"[\u0980-\u09ff]", name["bn"]) and name["en"].isascii()
        assert unicodedata.normalize("NFC", name["bn"]) == name["bn"]
    assert any("বেপারী" in e["data"]["name"]["bn"] for e in sellers), "haat traders"


def test_some_storefronts_are_unverified_and_some_keep_their_phone_private(sellers):
    unverified = sum(not e["data"]["verified"] for e in sellers) / len(sellers)
    private = sum(not e["data"]["phone_public"] for e in sellers) / len(sellers)
    assert 0.1 <= unverified <= 0.4 and 0.05 <= private <= 0.3
    assert any("whatsapp" in e["data"] for e in sellers)


def _reachable(seller: dict[str, Any]) -> bool:
    """A buyer can call or message the shop: `phone_public` false hides the phone and WhatsApp alike."""
    return seller.get("phone_public", True) and bool(seller.get("phone") or seller.get("whatsapp"))


def test_a_verified_storefront_can_always_be_reached(sellers):
    verified = [e["data"] for e in sellers if e["data"]["verified"]]
    assert verified and all(_reachable(data) for data in verified)
    scaled = [e["data"] for e in seller_events(scaled_product_events(3000, seed=4), seed=4)]
    assert all(_reachable(data) for data in scaled if data["verified"])
    assert any(not _reachable(data) for data in scaled), "unverified shops may still keep their phone private"


def test_sellers_of_the_scaled_products_validate():
    for event in seller_events(scaled_product_events(2000, seed=3)):
        _validator("seller.schema.json")(event)


def test_the_same_seeds_give_the_same_storefronts(products):
    assert list(seller_events(products)) == list(seller_events(products))
    assert list(cattle_market_events(seed=5)) == list(cattle_market_events(seed=5))
    assert list(cattle_market_events(seed=5)) != list(cattle_market_events(seed=6))
