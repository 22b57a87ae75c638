"""Answers a citizen can trust, on the real stack: the index's Bangla analysis, what the directory does
not list, the item a buyer named, dialect and whole sentences, medical needs at night, reachable first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from factories import livestock_facts, product_event, provider_event
from integration.conftest import produce, wait_consumed
from portal.clock import DHAKA
from portal.settings import PortalSettings


def analyzed(engine, settings: PortalSettings, text: str) -> list[str]:
    answer = engine.indices.analyze(
        index=settings.index_alias("providers"), body={"analyzer": "bn_folded", "text": text}
    )
    return [t["token"] for t in answer["tokens"]]


@pytest.mark.parametrize(
    ("word", "keeps", "never"),
    [
        ("পানির", "পানি", "পা"),  # the engine's stemmer made every পা… word match water
        ("ছাদের", "ছাদ", None),
        ("কাটাতে", "কাটা", "কা"),
        ("ডাক্তারদের", "ডাক্তার", None),
        ("বাসায়", "বাসা", "বাস"),  # a home is not a bus
        ("মধুর", "মধু", None),
    ],
)
def test_bangla_endings_come_off_but_words_keep_their_stem(ingest, engine, settings, word, keeps, never):
    tokens = analyzed(engine, settings, word)
    assert keeps in tokens
    assert never not in tokens


# --- the search on the real stack: everything lives around TRUST, where no other module puts data ---

TRUST = (25.10, 89.50)
SAT_2AM = datetime(2026, 11, 28, 2, 0, tzinfo=DHAKA)  # a Saturday night in Dhaka
SAT_TO_THU = ("sat", "sun", "mon", "tue", "wed", "thu")


def hours_from(open_: str) -> list[dict[str, str]]:
    return [{"day": d, "open": open_, "close": "13:00"} for d in SAT_TO_THU]


def at(i: int) -> dict[str, float]:
    """A point i × ~110 m north of TRUST."""
    return {"lat": TRUST[0] + 0.001 * i, "lon": TRUST[1]}


ADDRESS = {"address": {"bn": "ট্রাস্ট রোড", "upazila": "kishoreganj-sadar"}}
PROVIDERS = {
    # at 2 a.m. every doctor is closed; the one who opens first is not the nearest
    "tr-doctor-10am-near": dict(category="doctor", hours=hours_from("10:00"), **ADDRESS, at=1),
    "tr-doctor-8am-far": dict(category="doctor", hours=hours_from("08:00"), **ADDRESS, at=9),
    "tr-doctor-9am-mid": dict(category="doctor", hours=hours_from("09:00"), **ADDRESS, at=5),
    # ambulances keep no hours (always open); the nearest has no public phone
    "tr-ambulance-nophone": dict(category="ambulance", phone_public=False, **ADDRESS, at=0),
    "tr-ambulance-callable-a": dict(category="ambulance", **ADDRESS, at=3),
    "tr-ambulance-callable-b": dict(category="ambulance", **ADDRESS, at=6),
    "tr-electrician": dict(category="electrician", services=["হাউস ওয়্যারিং", "লাইট ফিটিং"], **ADDRESS, at=2),
    "tr-electrician-2": dict(category="electrician", services=["ফ্যান মেরামত"], **ADDRESS, at=4),
    "tr-carpenter": dict(category="carpenter", services=["দরজা-জানালা মেরামত"], **ADDRESS, at=7),
}
BULLS = {"tr-bull-110": 110, "tr-bull-135": 135, "tr-bull-250": 250, "tr-bull-420": 420, "tr-bull-610": 610}
PRODUCTS = [
    ("tr-chilli-1", "শুকনা মরিচ — ২৫০ গ্রাম", "honey_spices", 100, None),
    ("tr-chilli-2", "মরিচের গুঁড়া ২৫০ গ্রাম", "honey_spices", 80, None),
    ("tr-turmeric", "হলুদের গুঁড়া", "honey_spices", 90, None),
    ("tr-honey-1", "সরিষা ফুলের মধু ১ কেজি", "honey_spices", 950, None),
    ("tr-honey-2", "সুন্দরবনের খাঁটি মধু", "honey_spices", 700, None),
    *((id, f"দেশি ষাঁড় — {kg} কেজি", "livestock", kg * 550, kg) for id, kg in BULLS.items()),
    ("tr-cow-115", "দেশি গাভী — ১১৫ কেজি", "livestock", 60_000, 115),
]


@pytest.fixture(scope="module")
def trust_data(ingest, producer, settings, engine):
    for id, data in PROVIDERS.items():
        data = dict(data)
        point = at(data.pop("at"))
        produce(
            producer,
            settings.topic("providers"),
            provider_event(id, lat=point["lat"], lon=point["lon"], **data),
        )
    for i, (id, title, category, price, kg) in enumerate(PRODUCTS):
        extra: dict[str, Any] = {}
        if kg is not None:
            animal = "cow" if "গাভী" in title else "bull"
            extra["livestock"] = livestock_facts(
                animal=animal, sex="female" if animal == "cow" else "male", live_weight_kg=kg
            )
        produce(
            producer,
            settings.topic("products"),
            product_event(
                id, seller_id="tr-seller", title={"bn": title}, category=category, price_bdt=price,
                location=at(i), upazila="kishoreganj-sadar", **extra,
            ),
        )  # fmt: skip
    wait_consumed(settings, f"{settings.topic_prefix}ingest")
    engine.indices.refresh(index=settings.index_alias("providers"))
    engine.indices.refresh(index=settings.index_alias("products"))
    return True


async def nearest(client, app, q: str | None = None, *, now: datetime = SAT_2AM, **params: Any) -> dict:
    app.state.clock = lambda: now
    query = {"lat": TRUST[0], "lon": TRUST[1], "radius_km": 5, **({"q": q} if q else {}), **params}
    response = await client.get("/v1/providers/nearest", params=query)
    assert response.status_code == 200, response.text
    return response.json()


async def products(client, q: str, **params: Any) -> dict:
    query = {"q": q, "lat": TRUST[0], "lon": TRUST[1], "radius_km": 5, **params}
    response = await client.get("/v1/products/search", params=query)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("q", "bn", "en"),
    [
        ("দর্জি", "দর্জি", "tailor"),
        ("dorji", "দর্জি", "tailor"),
        ("tailor", "দর্জি", "tailor"),
        ("গরুর ডাক্তার লাগবে", None, None),
    ],
)
async def test_a_need_we_do_not_list_is_answered_honestly(trust_data, search_client, search_app, q, bn, en):
    body = await nearest(search_client, search_app, q, available_now="false")
    understood = body["query"]
    assert body["results"] == [] and body["total"] == 0
    assert understood["categories"] == [] and understood["exact_matches"] == 0
    assert understood["not_listed"] is not None
    if bn:
        assert (understood["not_listed"]["bn"], understood["not_listed"]["en"]) == (bn, en)
        # a tailor is not a carpenter: what is related is offered by name, never searched in its place
        assert {s["slug"] for s in understood["suggested_categories"]} <= {"clothing"}


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("আগুন লাগছে", "fire_service"),
        ("গ্যাস লিক করতেছে", "fire_service"),
        ("গ্যাসের চুলা লিক", "fire_service"),
        ("থানা", "police"),
    ],
)
async def test_an_emergency_we_do_not_list_carries_the_emergency_numbers(
    trust_data, search_client, search_app, q, slug
):
    """A fire or a crime is not listed, but the answer is not empty-handed: the national numbers (999)."""
    body = await nearest(search_client, search_app, q)
    assert body["query"]["not_listed"]["slug"] == slug and body["results"] == []
    assert "999" in {n["phone"] for n in body["emergency"]["numbers"]}
    assert body["emergency"]["ambulances"] == []
    tailor = await nearest(search_client, search_app, "দর্জি")
    assert tailor["query"]["not_listed"]["slug"] == "tailor" and tailor["emergency"] is None


async def test_something_listed_beside_it_is_still_searched(trust_data, search_client, search_app):
    body = await nearest(
        search_client, search_app, "দর্জির দোকানের দরজা মেরামত করবো কাঠ মিস্ত্রি", available_now="false"
    )
    assert body["query"]["not_listed"] is None
    assert body["query"]["categories"] == ["carpenter"]


async def test_what_the_other_search_lists_is_pointed_to_by_name(trust_data, search_client, search_app):
    """Sweets asked for on the providers page, an electrician on the products page: each answer is its
    own search's (nothing claimed, nothing exact), and names the other search's category."""
    body = await nearest(search_client, search_app, "মধু কিনতাম", available_now="false")
    assert body["query"]["categories"] == [] and body["query"]["exact_matches"] == 0
    assert [(s["slug"], s["kind"]) for s in body["query"]["suggested_categories"]] == [
        ("honey_spices", "product")
    ]
    body = await products(search_client, "ইলেকট্রিশিয়ান লাগবে")
    assert body["query"]["categories"] == [] and body["query"]["exact_matches"] == 0
    assert [(s["slug"], s["kind"]) for s in body["query"]["suggested_categories"]] == [
        ("electrician", "provider")
    ]
    # what this search lists is never pointed elsewhere, nor is a search a category filter narrowed
    assert (await nearest(search_client, search_app, "ইলেকট্রিশিয়ান"))["query"]["suggested_categories"] == []
    assert (await products(search_client, "মধু"))["query"]["suggested_categories"] == []
    narrowed = await products(search_client, "ইলেকট্রিশিয়ান লাগবে", category="honey_spices")
    assert narrowed["query"]["suggested_categories"] == []
    # a service neither page lists is said so on the products page too, not answered with the newest goods
    agent = await products(search_client, "bkash agent")
    assert agent["results"] == [] and agent["query"]["not_listed"]["slug"] == "mobile_banking"


async def test_honey_comes_before_chilli(trust_data, search_client):
    for q in ("মধু", "modhu", "honey"):
        body = await products(search_client, q)
        ids = [r["id"] for r in body["results"]]
        assert ids[:2] and set(ids[:2]) == {"tr-honey-1", "tr-honey-2"}, (q, ids)
        assert body["query"]["exact_matches"] == 2
        assert q not in body["query"]["ignored_words"]


async def test_a_weight_in_maunds_lists_the_bulls_nearest_it_and_says_so(trust_data, search_client):
    body = await products(search_client, "৩ মণের ষাঁড়")
    assert body["query"]["live_weight_kg"] == pytest.approx(112, abs=0.5)
    assert body["query"]["ignored_words"] == []  # ষাঁড় is the animal asked for, never ignored
    ids = [r["id"] for r in body["results"]]
    assert ids[:3] == ["tr-bull-110", "tr-bull-135", "tr-bull-250"]  # bulls only, nearest weight first
    assert "tr-cow-115" not in ids[:5]


async def test_a_price_in_lakhs_lists_the_nearest_prices(trust_data, search_client):
    body = await products(search_client, "দেড় লাখ টাকার ষাঁড়")
    assert body["query"]["price_bdt"] == 150_000
    assert body["results"][0]["id"] == "tr-bull-250"  # ৳137,500, the nearest to ৳150,000


async def test_a_dialect_sentence_finds_the_trade(trust_data, search_client, search_app):
    body = await nearest(search_client, search_app, "বাত্তি জ্বলে না, মিস্তিরি পাঠাইন", available_now="false")
    assert body["query"]["categories"] == ["electrician"]
    assert {r["id"] for r in body["results"]} == {"tr-electrician", "tr-electrician-2"}


async def test_a_doctor_at_2am_always_has_a_next_step(trust_data, search_client, search_app):
    body = await nearest(search_client, search_app, "ডাক্তার")
    assert body["results"] == []  # nobody is open at 2 a.m.
    emergency = body["emergency"]
    assert [n["phone"] for n in emergency["numbers"]] == ["999", "16263"]
    ambulances = emergency["ambulances"]
    assert ambulances and all(a["phone"] and "call" in a["reach"] and a["open_now"] for a in ambulances)
    assert ambulances[0]["id"] == "tr-ambulance-callable-a"  # the nearer one has no public phone
    assert "tr-ambulance-nophone" not in {a["id"] for a in ambulances}
    # the doctors who open first come first, whoever is nearest
    closed = [r["id"] for r in body["closed_nearby"]]
    assert closed == ["tr-doctor-8am-far", "tr-doctor-9am-mid", "tr-doctor-10am-near"]
    opens = [r["next_open"] for r in body["closed_nearby"]]
    assert opens == sorted(opens) and opens[0].startswith("2026-11-28T08:00")


async def test_an_ambulance_nobody_can_call_ranks_after_the_reachable_and_is_never_available(
    trust_data, search_client, search_app
):
    body = await nearest(search_client, search_app, category="ambulance", available_now="false")
    ids = [r["id"] for r in body["results"]]
    assert ids == ["tr-ambulance-callable-a", "tr-ambulance-callable-b", "tr-ambulance-nophone"]
    unreachable = body["results"][-1]
    assert unreachable["phone"] is None and unreachable["reach"] == [] and unreachable["open_now"] is False
    open_now = await nearest(search_client, search_app, category="ambulance")
    assert "tr-ambulance-nophone" not in {r["id"] for r in open_now["results"]}
