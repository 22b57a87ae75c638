"""to_document: one validated change event → the document the search index stores.

Every computed search field is made here and only here: normalized Bangla text (already NFC from
validate), the Banglish keys that let Latin-script queries meet Bangla-script names, minute-of-week
opening ranges the engine can filter on, and prefix text for suggestions.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson

from ingest.events import ChangeEvent
from portal.bangla.romanize import banglish_key
from portal.hours import week_minute_ranges


def _keys(*texts: str | None) -> str:
    return " ".join(banglish_key(t) for t in texts if t)


def _named(field: str, names: dict[str, str]) -> dict[str, Any]:
    """A bilingual name, and its Banglish key beside it (`name`/`name_key`, `title`/`title_key`)."""
    return {
        field: {k: v for k, v in names.items() if k in ("bn", "en")},
        f"{field}_key": _keys(names["bn"], names.get("en")),
    }


@lru_cache(maxsize=4096)
def _week_ranges(hours: bytes) -> tuple[tuple[int, int], ...]:
    return tuple(week_minute_ranges(orjson.loads(hours)))


def _open_minutes(hours: list[dict[str, str]] | None) -> list[dict[str, int]]:
    """week_minute_ranges as the index stores them, remembered by the hours' JSON: a district's
    listings share a few dozen weekly timetables, and parsing one is half the cost of a document."""
    ranges = _week_ranges(orjson.dumps(hours))
    return [{"gte": start, "lt": end} for start, end in ranges]


def _point(data: dict[str, Any]) -> dict[str, float]:
    return {"lat": data["location"]["lat"], "lon": data["location"]["lon"]}


def provider_document(data: dict[str, Any]) -> dict[str, Any]:
    services = data.get("services", [])
    hours = data.get("hours")
    doc: dict[str, Any] = {
        **_named("name", data["name"]),
        "category": data["category"],
        "services": services,
        "services_key": _keys(*services),
        "phone": data["phone"],
        "phone_public": data.get("phone_public", True),
        "location": _point(data),
        "address": {k: v for k, v in data["address"].items() if k in ("bn", "en")},
        "upazila": data["address"]["upazila"],
        "available": data["available"],
        "hours": hours,
        "open_minutes": _open_minutes(hours),
        "updated_at": data["updated_at"],
    }
    for optional in ("blood_group", "last_donation_date", "rating"):
        if optional in data:
            doc[optional] = data[optional]
    return doc


def price_per_kg(data: dict[str, Any]) -> float | None:
    """Price over live weight, for animals sold by the head: what cattle-market buyers compare."""
    weight = data.get("livestock", {}).get("live_weight_kg")
    return round(data["price_bdt"] / weight, 2) if weight else None


def product_document(data: dict[str, Any]) -> dict[str, Any]:
    title = data["title"]
    doc: dict[str, Any] = {
        "seller_id": data["seller_id"],
        **_named("title", title),
        "description": dict(data.get("description", {})),
        "category": data["category"],
        "price_bdt": data["price_bdt"],
        "in_stock": data["in_stock"],
        "location": _point(data),
        "upazila": data["upazila"],
        "attributes": data.get("attributes", {}),
        "status": data["status"],
        "suggest": [t for t in (title["bn"], title.get("en")) if t],
        "suggest_key": _keys(title["bn"], title.get("en")),
        "updated_at": data["updated_at"],
    }
    if "livestock" in data:
        doc["livestock"] = data["livestock"]
        doc["price_per_kg"] = price_per_kg(data)
    return doc


def seller_document(data: dict[str, Any]) -> dict[str, Any]:
    """A storefront. Its phone numbers are stored with their privacy flag; search decides what leaves."""
    doc: dict[str, Any] = {
        "slug": data["slug"],
        **_named("name", data["name"]),
        "phone": data["phone"],
        "phone_public": data.get("phone_public", True),
        "upazila": data["upazila"],
        "location": _point(data),
        "categories": data["categories"],
        "delivery_upazilas": data.get("delivery_upazilas", []),
        "payment_methods": data.get("payment_methods", []),
        "verified": data["verified"],
        "created_at": data["created_at"],
        "updated_at": data["updated_at"],
    }
    for optional in ("owner", "whatsapp", "address", "description"):
        if optional in data:
            doc[optional] = data[optional]
    return doc


BUILDERS = {"provider": provider_document, "product": product_document, "seller": seller_document}


def to_document(event: ChangeEvent, *, indexed_at: datetime) -> dict[str, Any]:
    """The full document for an upsert, or a tombstone for a delete (kept so older upserts stay out)."""
    head = {
        "id": event.id,
        "version": event.version,
        "indexed_at": indexed_at.isoformat(),
        "source": {"occurred_at": event.body["occurred_at"], "event_id": event.body["event_id"]},
    }
    if event.type == "delete":
        return {**head, "deleted": True}
    return {**head, **BUILDERS[event.entity](event.body["data"]), "deleted": False}


def to_documents(
    events: list[ChangeEvent], *, indexed_at: datetime
) -> tuple[list[tuple[ChangeEvent, dict[str, Any]]], list[tuple[ChangeEvent, str]]]:
    """Documents for a batch; an event that cannot be transformed is rejected alone (with the reason),
    never its neighbours."""
    documents: list[tuple[ChangeEvent, dict[str, Any]]] = []
    rejected: list[tuple[ChangeEvent, str]] = []
    for event in events:
        try:
            documents.append((event, to_document(event, indexed_at=indexed_at)))
        except Exception as e:
            rejected.append((event, f"could not build the index document: {e!r}"))
    return documents, rejected
