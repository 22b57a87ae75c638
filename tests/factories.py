"""Change events for tests, valid by default; override any field to make the case at hand."""

from __future__ import annotations

import uuid
from typing import Any

UPAZILA_CENTRE = {"lat": 24.4330, "lon": 90.7800}  # Kishoreganj Sadar


def provider_event(
    id: str,
    version: int = 1,
    *,
    type: str = "upsert",
    lat: float = UPAZILA_CENTRE["lat"],
    lon: float = UPAZILA_CENTRE["lon"],
    **data: Any,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "type": type,
        "entity": "provider",
        "id": id,
        "version": version,
        "occurred_at": "2026-11-28T10:00:00+06:00",
    }
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
    event: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "type": type,
        "entity": "product",
        "id": id,
        "version": version,
        "occurred_at": "2026-11-28T10:00:00+06:00",
    }
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
