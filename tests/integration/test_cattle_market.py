"""The digital cattle market on the real stack: livestock facts filter, facet and sort product search.

The animals sit around AREA, apart from every other module's data; assertions look only at `cm-` ids
(or use radius-bounded searches around AREA, where nothing else lives).
"""

from __future__ import annotations

from typing import Any

import pytest

from factories import livestock_facts, product_event, seller_event
from integration.conftest import produce, wait_for

AREA = (22.50, 92.20)
HAAT = {"kind": "haat", "name": {"bn": "গচিহাটা হাট", "en": "Gachihata haat"}}
FARM = {"kind": "farm", "name": {"bn": "মায়ের দোয়া এগ্রো", "en": "Mayer Doa Agro"}}

# id, title, price, facts
ANIMALS: list[tuple[str, str, int, dict[str, Any]]] = [
    ("cm-bull-sahiwal", "শাহীওয়াল ষাঁড়", 165_000, livestock_facts(breed="sahiwal", live_weight_kg=330, seen_at=HAAT)),
    ("cm-bull-sahiwal-x", "শাহীওয়াল ক্রস ষাঁড়", 120_000,
     livestock_facts(breed="sahiwal_cross", live_weight_kg=300, age_months=28, seen_at=FARM)),
    ("cm-cow-friesian", "ফ্রিজিয়ান গাভী", 140_000,
     livestock_facts(animal="cow", breed="friesian", sex="female", live_weight_kg=350, age_months=40, seen_at=FARM)),
    ("cm-bull-deshi", "দেশি ষাঁড়", 90_000, livestock_facts(breed="deshi", live_weight_kg=200, age_months=24)),
    ("cm-goat-bb", "ব্ল্যাক বেঙ্গল খাসি", 14_000,
     livestock_facts(animal="goat", breed="black_bengal", sex="castrated", live_weight_kg=20, age_months=12)),
    ("cm-goat-bb2", "ব্ল্যাক বেঙ্গল ছাগল মাদি", 11_000,
     livestock_facts(animal="goat", breed="black_bengal", sex="female", live_weight_kg=16, age_months=14)),
    ("cm-goat-jp", "যমুনাপাড়ি ছাগল", 32_000,
     livestock_facts(animal="goat", breed="jamunapari", sex="male", live_weight_kg=40, age_months=20)),
    ("cm-buffalo", "মুররাহ মহিষ", 210_000,
     livestock_facts(animal="buffalo", breed="murrah", sex="female", live_weight_kg=450, age_months=60)),
    ("cm-sheep", "গাড়ল ভেড়া", 13_000, livestock_facts(animal="sheep", breed="garole", live_weight_kg=25, sex="male")),
]  # fmt: skip
NO_WEIGHT = livestock_facts(breed="deshi", seen_at=HAAT)
del NO_WEIGHT["live_weight_kg"]


def _event(i: int, id: str, title: str, price: int, facts: dict[str, Any]) -> dict[str, Any]:
    return product_event(
        id,
        seller_id="cm-farm",
        category="livestock",
        title={"bn": title},
        price_bdt=price,
        location={"lat": AREA[0] + i * 0.001, "lon": AREA[1]},
        upazila="karimganj",
        livestock=facts,
        updated_at=f"2026-11-{10 + i:02d}T10:00:00+06:00",
    )


EVENTS = [_event(i, *animal) for i, animal in enumerate(ANIMALS)] + [
    _event(len(ANIMALS), "cm-bull-noweight", "দেশি ষাঁড় ওজন জানা নেই", 80_000, NO_WEIGHT)
]
PER_KG = {id: price / facts["live_weight_kg"] for id, _, price, facts in ANIMALS}


@pytest.fixture(scope="module")
def market(ingest, producer, settings, engine) -> None:
    farm = seller_event(
        "cm-farm", slug="cm-farm", categories=["livestock"], location={"lat": AREA[0], "lon": AREA[1]}
    )
    produce(producer, settings.topic("sellers"), farm)
    for event in EVENTS:
        produce(producer, settings.topic("products"), event)
    index = settings.index_alias("products")

    def indexed() -> bool:
        docs = engine.mget(index=index, body={"ids": [e["id"] for e in EVENTS]})["docs"]
        return all(d.get("found") for d in docs)

    wait_for(indexed, timeout=90, what="the cm- animals to be indexed")
    engine.indices.refresh(index=f"{index},{settings.index_alias('sellers')}")


def here(**params: Any) -> dict[str, Any]:
    return {"lat": AREA[0], "lon": AREA[1], "radius_km": 5, "limit": 100, **params}


async def search(client, **params: Any) -> dict[str, Any]:
    response = await client.get("/v1/products/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(body: dict[str, Any]) -> set[str]:
    return {r["id"] for r in body["results"]}


async def test_results_carry_labelled_livestock_facts(market, search_client):
    body = await search(search_client, **here(animal="cow"))
    (cow,) = body["results"]
    assert cow["livestock"] == {
        "animal": {"slug": "cow", "bn": "গাভী", "en": "Cow"},
        "breed": {"slug": "friesian", "bn": "হলস্টেইন ফ্রিজিয়ান", "en": "Holstein Friesian"},
        "live_weight_kg": 350.0,
        "age_months": 40,
        "sex": {"slug": "female", "bn": "মাদি", "en": "Female"},
        "seen_at": {"kind": {"slug": "farm", "bn": "খামার", "en": "Farm"}, "name": FARM["name"]},
        "price_per_kg": 400.0,
    }
    assert cow["seller"]["id"] == "cm-farm"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"animal": "goat"}, {"cm-goat-bb", "cm-goat-bb2", "cm-goat-jp"}),
        ({"breed": "black_bengal"}, {"cm-goat-bb", "cm-goat-bb2"}),
        ({"breed": "sahiwal"}, {"cm-bull-sahiwal"}),
        ({"sex": "female"}, {"cm-cow-friesian", "cm-goat-bb2", "cm-buffalo"}),
        ({"seen_at": "farm"}, {"cm-bull-sahiwal-x", "cm-cow-friesian"}),
        ({"min_weight_kg": 300, "max_weight_kg": 350}, {"cm-bull-sahiwal", "cm-bull-sahiwal-x", "cm-cow-friesian"}),
        ({"max_weight_kg": 25}, {"cm-goat-bb", "cm-goat-bb2", "cm-sheep"}),
        ({"min_age_months": 20, "max_age_months": 29}, {"cm-bull-sahiwal-x", "cm-bull-deshi", "cm-goat-jp"}),
        ({"animal": "bull", "max_price": 100_000}, {"cm-bull-deshi", "cm-bull-noweight"}),
        ({"animal": "goat", "sex": "castrated", "category": "livestock"}, {"cm-goat-bb"}),
    ],
)  # fmt: skip
async def test_livestock_filters(market, search_client, params, expected):
    body = await search(search_client, **here(**params))
    assert ids(body) == expected and body["total"] == len(expected)


async def test_livestock_facets_count_the_query(market, search_client):
    body = await search(search_client, **here(category="livestock"))
    facets = body["facets"]["livestock"]
    assert {f["slug"]: f["count"] for f in facets["animal"]} == {
        "bull": 4,
        "goat": 3,
        "cow": 1,
        "buffalo": 1,
        "sheep": 1,
    }
    breeds = {f["slug"]: (f["bn"], f["count"]) for f in facets["breed"]}
    assert breeds["black_bengal"] == ("ব্ল্যাক বেঙ্গল", 2) and breeds["deshi"][1] == 2
    assert {f["slug"]: f["count"] for f in facets["seen_at"]} == {"haat": 8, "farm": 2}
    assert {f["slug"]: f["count"] for f in facets["sex"]}["male"] == 6
    bands = [(f["from"], f["to"], f["count"]) for f in facets["live_weight"]]
    assert bands == [(0, 25, 2), (25, 50, 2), (50, 150, 0), (150, 250, 1), (250, 400, 3), (400, None, 1)]
    goats = await search(search_client, **here(animal="goat"))
    assert {f["slug"]: f["count"] for f in goats["facets"]["livestock"]["breed"]} == {
        "black_bengal": 2,
        "jamunapari": 1,
    }


async def test_other_searches_have_no_livestock_facets(market, search_client):
    body = await search(search_client, **here(category="fish"))
    assert "livestock" not in body["facets"]


@pytest.mark.parametrize("sort", ["price_per_kg_asc", "price_per_kg_desc"])
async def test_sort_by_price_per_kg_lists_animals_with_a_weight(market, search_client, sort):
    body = await search(search_client, **here(sort=sort, limit=3))
    seen, cursor = [], None
    while True:
        page = await search(
            search_client, **here(sort=sort, limit=3, **({"cursor": cursor} if cursor else {}))
        )
        seen += [r["id"] for r in page["results"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    expected = sorted(PER_KG, key=lambda i: PER_KG[i], reverse=sort.endswith("desc"))
    assert seen == expected, "every animal with a weight once, by price per kg; the one without is left out"
    assert body["results"][0]["livestock"]["price_per_kg"] == round(PER_KG[expected[0]], 2)


@pytest.mark.parametrize(
    ("q", "breed", "expected"),
    [
        ("শাহীওয়াল", "sahiwal", {"cm-bull-sahiwal", "cm-bull-sahiwal-x"}),
        ("shahiwal", "sahiwal", {"cm-bull-sahiwal", "cm-bull-sahiwal-x"}),
        ("sahiwal goru", "sahiwal", {"cm-bull-sahiwal", "cm-bull-sahiwal-x"}),
        ("ব্ল্যাক বেঙ্গল", "black_bengal", {"cm-goat-bb", "cm-goat-bb2"}),
        ("black bengal", "black_bengal", {"cm-goat-bb", "cm-goat-bb2"}),
        ("যমুনাপাড়ি", "jamunapari", {"cm-goat-jp"}),
        ("murrah mohish", "murrah", {"cm-buffalo"}),
    ],
)
async def test_breeds_typed_in_bangla_or_banglish_filter_on_the_breed(
    market, search_client, q, breed, expected
):
    strict = await search(search_client, **here(q=q, sort="price_asc"))
    assert strict["query"]["breed"]["slug"] == breed
    assert strict["query"]["categories"] == ["livestock"]
    assert ids(strict) == expected
    assert "livestock" in strict["facets"]
    # by relevance a short answer is filled with other animals, the breed's own first (as for any word)
    ranked = await search(search_client, **here(q=q))
    assert {r["id"] for r in ranked["results"][: len(expected)]} == expected


async def test_a_breed_nobody_sells_here_relaxes_to_other_animals_of_the_kind(market, search_client):
    body = await search(search_client, **here(q="brahman"))
    assert body["query"]["breed"]["slug"] == "brahman"
    assert body["query"]["relaxed"] is True and body["results"], "never a dead end"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"breed": "angus"}, "breed"),
        ({"animal": "camel"}, "animal"),
        ({"category": "fish", "breed": "sahiwal"}, "breed"),
        ({"category": "fish", "sort": "price_per_kg_asc"}, "sort"),
        ({"min_weight_kg": 300, "max_weight_kg": 100}, "min_weight_kg"),
        ({"min_weight_kg": -1}, "min_weight_kg"),
    ],
)
async def test_contradictory_or_unknown_livestock_parameters_are_422(
    market, search_client, params, parameter
):
    response = await search_client.get("/v1/products/search", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["details"][0]["parameter"] == parameter
