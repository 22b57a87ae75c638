"""Engine hits → answer models, without a server: what a card shows, and what the JSON leaves out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from portal.clock import DHAKA
from portal.hours import week_minute_ranges
from search.products.answer import ProductResult
from search.products.bodies import PRICE_BANDS
from search.products.cursor import decode_cursor
from search.products.results import (
    facets,
    next_cursor,
    page_of,
    product_result,
    snippets,
)
from search.providers.answer import ProviderResult
from search.providers.bodies import OPEN_NOW
from search.providers.results import can_donate_from, hours_today, provider_result
from search.suggest.request import TypedText
from search.suggest.results import product_suggestion

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=DHAKA)  # Tuesday 10:30
CITIZEN = (24.43, 90.78)
TUESDAY = [
    {"day": "tue", "open": "17:00", "close": "21:00"},
    {"day": "tue", "open": "09:00", "close": "13:00"},
    {"day": "wed", "open": "09:00", "close": "18:00"},
]


def provider_hit(open_now: bool = True, **source: Any) -> dict[str, Any]:
    base = {
        "id": "p-1",
        "name": {"bn": "মোঃ রফিকুল ইসলাম"},
        "category": "electrician",
        "phone": "+8801712345678",
        "location": {"lat": 24.44, "lon": 90.78},
        "address": {"bn": "স্টেশন রোড"},
        "upazila": "kishoreganj-sadar",
        "available": True,
    }
    return {"_source": base | source, "matched_queries": [OPEN_NOW] if open_now else []}


def shaped(hit: dict[str, Any]) -> ProviderResult:
    return provider_result(hit, now=NOW, eligibility_days=120, distance_from=CITIZEN)


def as_json(model: ProviderResult | ProductResult) -> dict[str, Any]:
    """What the route answers: FastAPI serializes with exclude_unset and the aliases."""
    return json.loads(model.model_dump_json(exclude_unset=True, by_alias=True))


def test_a_provider_card_in_the_taxonomys_words_with_the_distance_from_the_citizen():
    card = as_json(shaped(provider_hit()))
    assert card["category"] == {"slug": "electrician", "bn": "ইলেকট্রিশিয়ান", "en": "Electrician"}
    assert card["upazila"]["en"] == "Kishoreganj Sadar"
    assert card["name"] == {"bn": "মোঃ রফিকুল ইসলাম", "en": None}
    assert card["address"] == {"bn": "স্টেশন রোড"}  # only the parts the provider gave
    assert card["distance_m"] == 1112.0  # 0.01° of latitude
    assert card["open_now"] is True and card["next_open"] is None
    assert card["hours_today"] is None  # no hours: always open
    assert not {"blood_group", "last_donation_date", "rating", "can_donate_from"} & set(card)
    assert card["union"] is None  # the document names none


def test_a_card_names_the_union_its_point_lies_in_and_its_level():
    assert as_json(shaped(provider_hit(union="masua")))["union"] == {
        "slug": "masua",
        "level": "union",
        "bn": "মসূয়া",
        "en": "Masua",
    }
    town = as_json(shaped(provider_hit(union="kishoreganj-paurashava")))["union"]
    assert town["level"] == "paurashava" and town["bn"].endswith("পৌরসভা")


def test_a_phone_leaves_only_when_the_provider_made_it_public():
    assert shaped(provider_hit(phone_public=False)).phone is None
    assert shaped(provider_hit(phone_public=True)).phone == "+8801712345678"


def test_open_is_what_the_engines_named_query_said_and_a_closed_one_says_when_it_opens():
    evening = [{"day": "tue", "open": "17:00", "close": "21:00"}]
    closed = shaped(provider_hit(open_now=False, hours=evening))
    assert closed.open_now is False
    assert closed.next_open == "2026-12-01T17:00:00+06:00"
    assert shaped(provider_hit(open_now=True, hours=evening)).open_now is True  # the engine decides


def test_the_next_opening_is_read_from_the_ranges_ingest_stored_as_from_the_hours():
    """Shaping answers from `open_minutes` (what to_document stores beside the hours); a document
    without them is answered from its hours, the same moment either way."""
    for hours in (TUESDAY, [{"day": "fri", "open": "22:00", "close": "02:00"}], [], None):
        stored = [{"gte": gte, "lt": lt} for gte, lt in week_minute_ranges(hours)]
        from_ranges = shaped(provider_hit(open_now=False, hours=hours, open_minutes=stored))
        from_hours = shaped(provider_hit(open_now=False, hours=hours))
        assert from_ranges.next_open == from_hours.next_open
    split = [{"gte": 0, "lt": 60}, {"gte": 3 * 1440 + 17 * 60, "lt": 3 * 1440 + 21 * 60}]  # Tue 17–21
    assert shaped(provider_hit(open_now=False, open_minutes=split)).next_open == "2026-12-01T17:00:00+06:00"


def test_todays_hours_are_todays_only_in_opening_order():
    assert [(i.open, i.close) for i in hours_today(TUESDAY, NOW) or []] == [
        ("09:00", "13:00"),
        ("17:00", "21:00"),
    ]
    assert hours_today([], NOW) == []  # keeps hours, none today: closed all day
    assert hours_today(None, NOW) is None


def test_a_switched_off_provider_has_no_next_opening():
    assert shaped(provider_hit(open_now=False, available=False, hours=TUESDAY)).next_open is None


def test_a_donor_in_the_waiting_period_says_from_when_and_one_who_can_give_says_null():
    waiting = as_json(
        shaped(provider_hit(open_now=False, category="blood_donor", last_donation_date="2026-11-18"))
    )
    assert waiting["can_donate_from"] == "2027-03-18"
    assert waiting["next_open"] is None  # not "opens at": a donor in waiting cannot be reached for blood
    ready = as_json(
        shaped(provider_hit(category="blood_donor", blood_group="O+", last_donation_date="2025-01-01"))
    )
    assert ready["can_donate_from"] is None and ready["blood_group"] == "O+"
    assert can_donate_from(None, NOW, 120) is None


def test_optional_provider_facts_appear_only_when_the_provider_has_them():
    card = as_json(shaped(provider_hit(rating=4.5)))
    assert card["rating"] == 4.5 and "blood_group" not in card


def test_verified_is_said_of_every_provider_and_a_document_from_before_the_check_is_not_verified():
    assert as_json(shaped(provider_hit(verified=True)))["verified"] is True
    assert as_json(shaped(provider_hit()))["verified"] is False


def test_an_unknown_category_or_upazila_stands_for_itself():
    card = shaped(provider_hit(category="new_trade", upazila="new-upazila"))
    assert (card.category.bn, card.upazila.en) == ("new_trade", "new-upazila")


# ---------------------------------------------------------------- products


def product_hit(**extra: Any) -> dict[str, Any]:
    source = {
        "id": "pr-1",
        "title": {"bn": "পদ্মার ইলিশ", "en": "Padma hilsa"},
        "description": {"bn": "তাজা"},
        "category": "fish",
        "price_bdt": 1450,
        "in_stock": True,
        "upazila": "bhairab",
        "seller_id": "sel-1",
        "location": {"lat": 24.05, "lon": 90.98},
        "attributes": {"weight_g": 900, "fresh": True, "river": "padma"},
        "updated_at": "2026-11-28T10:00:00+06:00",
    }
    return {"_source": source, "sort": [1450.0, "pr-1"], **extra}


def test_a_product_card_with_typed_attributes_and_no_distance_without_a_point():
    card = as_json(product_result(product_hit()))
    assert card["attributes"] == {"weight_g": 900, "fresh": True, "river": "padma"}
    assert card["description"] == {"bn": "তাজা", "en": None}
    assert card["category"]["bn"] == "মাছ"
    assert "distance_m" not in card and "highlight" not in card


def test_a_product_card_has_a_distance_from_the_point_asked_about():
    assert product_result(product_hit(), point=(24.06, 90.98)).distance_m == 1112.0


def test_snippets_prefer_the_exact_bangla_field_and_name_only_what_matched():
    hit = product_hit(highlight={"title.bn": ["stemmed"], "title.bn.exact": ["<mark>ইলিশ</mark>"]})
    assert as_json(product_result(hit))["highlight"] == {"title": "<mark>ইলিশ</mark>"}
    assert snippets({"highlight": {}}) == {}


def test_facets_list_every_price_band_and_name_categories():
    aggregations = {
        "category": {"buckets": [{"key": "fish", "doc_count": 3}]},
        "price": {"buckets": [{"key": PRICE_BANDS[1][0], "doc_count": 2}]},
    }
    shaped_facets = facets(aggregations)  # as the JSON says it (test_answer_bytes.py: as Facets writes it)
    assert shaped_facets["category"] == [{"slug": "fish", "bn": "মাছ", "en": "Fish", "count": 3}]
    assert [band["count"] for band in shaped_facets["price"]] == [0, 2, 0, 0, 0]
    assert shaped_facets["price"][0]["from"] == 0 and shaped_facets["price"][-1]["to"] is None


def test_the_extra_hit_only_proves_a_next_page_whose_cursor_starts_after_the_last_shown():
    hits = [product_hit(), {**product_hit(), "sort": [1500.0, "pr-2"]}]
    page, more = page_of(hits, 1)
    assert (len(page), more) == (1, True)
    cursor = next_cursor(page, more, lambda: "f" * 16, 0)
    assert cursor is not None and decode_cursor(cursor, "f" * 16, length=2) == [1450.0, "pr-1"]
    assert page_of(hits, 2) == (hits, False)
    assert next_cursor(hits, False, lambda: pytest.fail("no next page, no fingerprint"), 0) is None


def test_a_product_suggestion_answers_in_the_script_typed_when_the_title_shows_it():
    hit = product_hit()
    assert product_suggestion(hit, typed=TypedText.of("padma"))["text"] == "Padma hilsa"
    assert product_suggestion(hit, typed=TypedText.of("পদ্মা"))["text"] == "পদ্মার ইলিশ"
    assert (
        product_suggestion(hit, typed=TypedText.of("ilish"))["text"] == "পদ্মার ইলিশ"
    )  # Bangla title shows it
