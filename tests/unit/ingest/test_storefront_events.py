"""Seller events and livestock facts through the pure stages: validate and to_document."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from factories import livestock_facts, product_event, seller_event
from ingest.events import ChangeEvent, Rejection
from ingest.hide_deleted_sellers import split_by_state, touched_sellers
from ingest.to_document import to_document
from ingest.validate import validate
from portal.clock import DHAKA

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=DHAKA)


def raw(event: dict) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode()


def accepted(event: dict, entity: str) -> ChangeEvent:
    result = validate(raw(event), entity, key=event["id"].encode())
    assert isinstance(result, ChangeEvent), result
    return result


def test_a_seller_becomes_a_storefront_document():
    doc = to_document(accepted(seller_event("sel-1"), "seller"), indexed_at=NOW)
    assert doc["slug"] == "sel-1"
    assert doc["name"]["bn"] == "মায়ের দোয়া এগ্রো ফার্ম"
    assert "farm" in doc["name_key"].split()  # Banglish keys: "mayer doa" typed in Latin meets the name
    assert doc["categories"] == ["livestock"]
    assert doc["payment_methods"] == ["bkash", "cash_on_delivery"]
    assert doc["deleted"] is False and doc["version"] == 1
    assert doc["whatsapp"] == "+8801712345670"


def test_a_seller_delete_is_a_tombstone():
    doc = to_document(accepted(seller_event("sel-1", 2, type="delete"), "seller"), indexed_at=NOW)
    assert doc["deleted"] is True and doc["version"] == 2 and "name" not in doc


@pytest.mark.parametrize(
    ("change", "reason", "words"),
    [
        ({"categories": ["weapons"]}, "unknown_category", "data.categories 'weapons'"),
        ({"categories": []}, "schema", "categories"),
        ({"upazila": "dhaka"}, "unknown_upazila", "'dhaka'"),
        ({"delivery_upazilas": ["itna", "gazipur"]}, "unknown_upazila", "'gazipur'"),
        ({"payment_methods": ["paypal"]}, "unknown_payment_method", "bkash"),
        ({"slug": "Mayer Doa"}, "schema", "slug"),
        ({"phone": "01712"}, "schema", "phone"),
        ({"whatsapp": "+8801212345678"}, "schema", "whatsapp"),
    ],
)
def test_bad_sellers_are_rejected_naming_the_field(change, reason, words):
    result = validate(raw(seller_event("sel-1", **change)), "seller", key=b"sel-1")
    assert isinstance(result, Rejection)
    assert result.reason == reason
    assert words in result.message


def test_a_seller_without_required_fields_names_them():
    event = seller_event("sel-1")
    del event["data"]["verified"]
    result = validate(raw(event), "seller")
    assert isinstance(result, Rejection) and "verified" in result.message


def test_livestock_facts_are_indexed_with_price_per_kg():
    event = product_event("p-1", price_bdt=150_000, livestock=livestock_facts(live_weight_kg=300))
    doc = to_document(accepted(event, "product"), indexed_at=NOW)
    assert doc["livestock"]["breed"] == "sahiwal"
    assert doc["price_per_kg"] == 500.0


def test_a_product_without_livestock_facts_has_no_price_per_kg():
    doc = to_document(accepted(product_event("p-1"), "product"), indexed_at=NOW)
    assert "livestock" not in doc and "price_per_kg" not in doc


def test_livestock_without_a_weight_has_no_price_per_kg():
    facts = livestock_facts()
    del facts["live_weight_kg"]
    doc = to_document(accepted(product_event("p-1", livestock=facts), "product"), indexed_at=NOW)
    assert doc["livestock"]["animal"] == "bull" and doc["price_per_kg"] is None


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"livestock": livestock_facts(animal="camel")}, "animal 'camel' is unknown"),
        ({"livestock": livestock_facts(breed="angus")}, "breed 'angus' is unknown"),
        ({"livestock": livestock_facts(animal="goat", breed="sahiwal")}, "not a breed of goat"),
        ({"livestock": livestock_facts(sex="other")}, "sex 'other'"),
        ({"livestock": livestock_facts(seen_at={"kind": "mall", "name": {"bn": "x"}})}, "place kind"),
        ({"category": "fish", "livestock": livestock_facts()}, "only for category 'livestock'"),
        ({"livestock": livestock_facts(live_weight_kg=0)}, "live_weight_kg"),
        ({"livestock": livestock_facts(age_months=1.5)}, "age_months"),
    ],
)
def test_bad_livestock_facts_are_rejected_naming_the_fact(data, words):
    result = validate(raw(product_event("p-1", **data)), "product", key=b"p-1")
    assert isinstance(result, Rejection)
    assert words in result.message


def test_touched_sellers_are_the_seller_events_once_each():
    events = [
        accepted(seller_event("sel-1"), "seller"),
        accepted(product_event("p-1"), "product"),
        accepted(seller_event("sel-1", 2), "seller"),
        accepted(seller_event("sel-2"), "seller"),
    ]
    assert touched_sellers(events) == ["sel-1", "sel-2"]


def test_tombstones_hide_and_live_or_unknown_sellers_do_not():
    docs = [
        {"_id": "a", "found": True, "_source": {"deleted": True}},
        {"_id": "b", "found": True, "_source": {"deleted": False}},
        {"_id": "c", "found": False},
    ]
    assert split_by_state(["a", "b", "c"], docs) == (["a"], ["b", "c"])
