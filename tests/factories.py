"""Change events for tests, valid by default; override any field to make the case at hand."""

from __future__ import annotations

import uuid
from typing import Any

UPAZILA_CENTRE = {"lat": 24.4330, "lon": 90.7800}  # Kishoreganj Sadar


def _envelope(entity: str, id: str, version: int, type: str) -> dict[str, Any]:
    """What every change event carries around its data."""
    return {
        "event_id": str(uuid.uuid4()),
        "type": type,
        "entity": entity,
        "id": id,
        "version": version,
        "occurred_at": "2026-11-28T10:00:00+06:00",
    }


def provider_event(
    id: str,
    version: int = 1,
    *,
    type: str = "upsert",
    lat: float = UPAZILA_CENTRE["lat"],
    lon: float = UPAZILA_CENTRE["lon"],
    **data: Any,
) -> dict[str, Any]:
    event = _envelope("provider", id, version, type)
    if type == "upsert":
        event["data"] = {
            "name": {"bn": "মোঃ রফিকুল ইসলাম", "en": "Md. Rafiqul Islam"},
            "category": "electrician",
            "services": ["হাউস ওয়্যারিং"],
            "phone": "+8801712345678",
            "phone_public": True,
            "location": {"lat": lat, "lon": lon},
            "address": {"bn": "কিশোরগঞ্জ সদর", "upazila": "kishoreganj-sadar"},
            "available": True,
            "updated_at": "2026-11-28T10:00:00+06:00",
        } | data
    return event


def product_event(id: str, version: int = 1, *, type: str = "upsert", **data: Any) -> dict[str, Any]:
    event = _envelope("product", id, version, type)
    if type == "upsert":
        event["data"] = {
            "seller_id": "sel-1",
            "title": {"bn": "দেশি ছাগল", "en": "Local goat"},
            "category": "livestock",
            "price_bdt": 15000,
            "in_stock": True,
            "location": dict(UPAZILA_CENTRE),
            "upazila": "kishoreganj-sadar",
            "status": "active",
            "updated_at": "2026-11-28T10:00:00+06:00",
        } | data
    return event


def seller_event(id: str, version: int = 1, *, type: str = "upsert", **data: Any) -> dict[str, Any]:
    event = _envelope("seller", id, version, type)
    if type == "upsert":
        event["data"] = {
            "slug": id.lower().replace(".", "-").replace("_", "-").replace(":", "-"),
            "name": {"bn": "মায়ের দোয়া এগ্রো ফার্ম", "en": "Mayer Doa Agro Farm"},
            "owner": {"bn": "মোঃ আব্দুল করিম", "en": "Md. Abdul Karim"},
            "phone": "+8801712345670",
            "phone_public": True,
            "whatsapp": "+8801712345670",
            "upazila": "kishoreganj-sadar",
            "location": dict(UPAZILA_CENTRE),
            "categories": ["livestock"],
            "delivery_upazilas": ["kishoreganj-sadar", "karimganj"],
            "payment_methods": ["bkash", "cash_on_delivery"],
            "verified": True,
            "created_at": "2025-03-01T09:00:00+06:00",
            "updated_at": "2026-11-28T10:00:00+06:00",
        } | data
    return event


def livestock_facts(**facts: Any) -> dict[str, Any]:
    """A bull at a haat by default; override any fact."""
    return {
        "animal": "bull",
        "breed": "sahiwal",
        "live_weight_kg": 300,
        "age_months": 30,
        "sex": "male",
        "seen_at": {"kind": "haat", "name": {"bn": "গচিহাটা হাট", "en": "Gachihata haat"}},
    } | facts
