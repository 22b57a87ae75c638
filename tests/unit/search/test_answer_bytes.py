"""The search answers are written from dicts with orjson (search/answers/json_answer.py), and must be
the very bytes their response models write: each dict builder's output, validated by its model and
serialized as the routes declare (`exclude_unset`, aliases), gives the same JSON — key order, floats
that stay floats, fields left out, nested labels and all. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
import pytest
from pydantic import BaseModel

from factories import livestock_facts
from portal.clock import DHAKA
from portal.hours import week_minute_ranges
from search.places.at import CitizenAt, citizen_at_json
from search.products.answer import Facets, ProductResult, ProductsPage, ProductsUnderstood
from search.products.bodies import PRICE_BANDS
from search.products.request import ProductQuery
from search.products.results import facets, product_card
from search.products.run import _nothing_listed as no_products
from search.providers.answer import EmergencyNumber, NearestProviders, ProviderResult
from search.providers.bodies import OPEN_NOW
from search.providers.request import NearestQuery
from search.providers.results import provider_card
from search.providers.run import _nothing_listed as no_providers
from search.providers.run import emergency_numbers
from search.sellers.answer import NearbyStorefront, NearestStorefronts, SellerCard
from search.sellers.results import nearby_storefront, seller_card_json
from search.suggest.answer import Suggestions
from search.suggest.categories import category_suggestions
from search.suggest.request import TypedText
from search.suggest.results import merge_suggestions, product_suggestion
from search.understanding.understanding import understand

NOW = datetime(2026, 12, 1, 20, 30, tzinfo=DHAKA)  # Tuesday evening
CITIZEN = (24.43, 90.78)


def model_input(value: Any) -> Any:
    """The JSON back into what the models validate: `Band.from_` is written as "from" (its
    serialization alias, the only one in the answers)."""
    if isinstance(value, dict):
        return {("from_" if key == "from" else key): model_input(v) for key, v in value.items()}
    if isinstance(value, list):
        return [model_input(v) for v in value]
    return value


def assert_written_as(model: type[BaseModel], answer: dict[str, Any]) -> None:
    validated = model.model_validate(model_input(answer))
    expected = validated.model_dump_json(exclude_unset=True, by_alias=True).encode()
    assert orjson.dumps(answer) == expected


def provider_hit(**source: Any) -> dict[str, Any]:
    base = {
        "id": "p-1",
        "name": {"bn": "মোঃ রফিকুল ইসলাম"},
        "category": "electrician",
        "phone": "+8801712345678",
        "location": {"lat": 24, "lon": 91},  # whole degrees: stored as integers
        "address": {"en": "Station Road", "bn": "স্টেশন রোড", "upazila": "bhairab"},  # en first, extra
        "upazila": "bhairab",
        "available": True,
    }
    return {"_source": base | source, "matched_queries": []}


EVENING = [
    {"day": "tue", "open": "21:00", "close": "23:00"},
    {"day": "tue", "open": "08:00", "close": "12:00"},
]
PROVIDERS = {
    "closed, opens later today": provider_hit(
        hours=EVENING, open_minutes=[{"gte": g, "lt": lt} for g, lt in week_minute_ranges(EVENING)]
    ),
    "open, no hours, unknown category": {
        **provider_hit(category="astrologer"),
        "matched_queries": [OPEN_NOW],
    },
    "a donor waiting, integer rating": provider_hit(
        category="blood_donor", blood_group="O-", last_donation_date="2026-11-20", rating=4, verified=True
    ),
    "a domestic worker: coarse point, rounded distance, hidden phone": provider_hit(
        category="domestic_worker", name={"bn": "রহিমা", "en": "Rahima"}, address={}
    ),
    "switched off": provider_hit(available=False, hours=[], rating=3.5),
    "in a union": provider_hit(union="bhairab-paurashava"),
    "in a union the district does not have": provider_hit(union="paikura"),
}


@pytest.mark.parametrize("case", list(PROVIDERS))
def test_a_provider_card_is_written_as_its_model(case: str) -> None:
    for open_now in (None, False, True):
        card = provider_card(
            PROVIDERS[case], now=NOW, eligibility_days=120, distance_from=CITIZEN, open_now=open_now
        )
        assert_written_as(ProviderResult, card)


def product_hit(**source: Any) -> dict[str, Any]:
    base = {
        "id": "pr-1",
        "seller_id": "sel-1",
        "title": {"bn": "পদ্মার ইলিশ", "en": "Padma hilsa"},
        "category": "fish",
        "price_bdt": 1450,  # an integer price: written 1450.0
        "in_stock": True,
        "location": {"lat": 24.05, "lon": 91},
        "upazila": "bhairab",
        "attributes": {"weight_kg": 1, "fresh": True, "origin": "পদ্মা", "fat": 0.5},
        "status": "active",
        "updated_at": "2026-11-28T10:00:00+06:00",
    }
    return {"_source": base | source}


PRODUCTS = {
    "plain": product_hit(),
    "in a union": product_hit(union="masua"),
    "no description, highlighted": {
        **product_hit(description={"en": "fresh"}),
        "highlight": {"description.en": ["<mark>fresh</mark>"], "title.bn": ["<mark>ইলিশ</mark>"]},
    },
    "an animal": product_hit(
        category="livestock",
        status="sold",
        livestock=livestock_facts(seen_at={"kind": "farm", "name": {"en": "Haor farm", "bn": "হাওর খামার"}}),
        price_per_kg=450,
    ),
    "an animal with little known": product_hit(category="livestock", livestock={"animal": "goat"}),
}


@pytest.mark.parametrize("case", list(PRODUCTS))
def test_a_product_card_is_written_as_its_model(case: str) -> None:
    for point in (None, CITIZEN):
        card = product_card(PRODUCTS[case], point=point)
        card["seller"] = seller_card_json(
            {"id": "sel-1", "slug": "s", "name": {"bn": "দোকান"}, "upazila": "itna", "verified": True}
            | {"phone": "+8801712345670", "whatsapp": "+8801712345671"}
        )
        assert_written_as(ProductResult, card)


def test_a_sellers_card_is_written_as_its_model() -> None:
    seller = {"id": "sel-1", "slug": "s", "name": {"bn": "দোকান", "en": "Shop"}, "upazila": "nowhere"}
    for extra in ({"verified": True, "phone": "+8801712345670"}, {"verified": True, "phone_public": False}):
        assert_written_as(SellerCard, seller_card_json(seller | extra))


def test_facets_are_written_as_their_model() -> None:
    buckets = lambda *keys: {"buckets": [{"key": k, "doc_count": n} for n, k in enumerate(keys, 1)]}  # noqa: E731
    aggregations = {
        "category": buckets("fish", "livestock", "retired-category"),
        "price": buckets(PRICE_BANDS[0][0], PRICE_BANDS[4][0]),
        "animal": buckets("bull", "goat"),
        "breed": buckets("sahiwal"),
        "sex": buckets("male"),
        "seen_at": buckets("haat"),
        "live_weight": buckets("nonsense"),
    }
    assert_written_as(Facets, facets(aggregations))
    assert_written_as(Facets, facets({}))


@pytest.mark.parametrize(
    "at",
    [(24.26083, 90.74985), (24.4449, 90.7766), (23.8103, 90.4125)],
    ids=["in a union", "in the town", "outside the district"],
)
def test_where_the_citizen_is_is_written_as_its_model(at: tuple[float, float]) -> None:
    assert_written_as(CitizenAt, citizen_at_json(*at))


def test_the_emergency_numbers_are_written_as_their_model() -> None:
    for number in emergency_numbers():
        assert_written_as(EmergencyNumber, number)


@pytest.mark.parametrize("q", ["দর্জি", "tailor bhairab", "সার", "আগুন লাগছে"])
def test_answers_to_what_is_not_listed_are_written_as_their_models(q: str) -> None:
    providers, products = understand(q, "provider"), understand(q, "product")
    if providers is not None and providers.not_listed:
        assert_written_as(
            NearestProviders, no_providers(providers, NearestQuery(lat=24.4449, lon=90.7766), NOW)
        )
    if products is not None and products.not_listed:
        page = no_products(products, ProductQuery(q=q, lat=24.4449, lon=90.7766), "relevance")
        assert_written_as(ProductsPage, page)
        assert "live_weight_kg" not in page["query"]  # left out, as the model left it unset
        assert page["query"]["citizen_at"]["inside_district"] is True
        assert_written_as(ProductsUnderstood, page["query"])


def test_a_nearby_storefront_is_written_as_its_model() -> None:
    seller = {
        "id": "sel-1",
        "slug": "s",
        "name": {"bn": "দোকান"},
        "upazila": "itna",
        "verified": True,
        "phone": "+8801712345670",
        "location": {"lat": 24, "lon": 91.0},  # whole degrees: stored as an integer
        "categories": ["fish", "retired-category"],
    }
    answer = {"total": 1, "results": [nearby_storefront(seller, CITIZEN, 3)]}
    assert_written_as(NearestStorefronts, answer)
    assert_written_as(NearbyStorefront, answer["results"][0])


@pytest.mark.parametrize("q", ["ko", "গ", "dud", "padma", "zzz"])
def test_suggestions_are_written_as_their_model(q: str) -> None:
    typed = TypedText.of(q)
    hit = product_hit(title={"bn": "পদ্মার ইলিশ", "en": "Padma hilsa"})
    no_english = product_hit(title={"bn": "দুধ"})
    products = [product_suggestion(h, typed=typed) for h in (hit, no_english)]
    merged = merge_suggestions(category_suggestions(q, limit=8), products, limit=8)
    assert_written_as(Suggestions, {"q": q, "suggestions": merged})
