"""to_document: one validated change event → the document the search index stores.

Every computed search field is made here and only here: normalized Bangla text (already NFC from
validate), the Banglish keys that let Latin-script queries meet Bangla-script names, minute-of-week
opening ranges the engine can filter on, prefix text for suggestions, the district a document
belongs to and the union (or paurashava) its point lies in. Every other field of the
event's data is stored as it came (`_as_it_came`, from schemas/events/): a new optional field reaches
the document without an edit here, and the offline contract test (tests/unit/search/
test_field_contract.py) fails until the index mapping has it.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache, lru_cache
from typing import Any

import orjson

from ingest.events import ChangeEvent
from portal.bangla.romanize import banglish_key
from portal.contracts import event_schema, taxonomy
from portal.geography import configured_district, geography
from portal.hours import week_minute_ranges

#: Categories of private individuals (schemas/taxonomy.json `private`): donors, domestic workers, day labourers.
PRIVATE = frozenset(taxonomy().flagged("private"))


def _keys(*texts: str | None) -> str:
    return " ".join(banglish_key(t) for t in texts if t)


def _named(field: str, names: dict[str, str]) -> dict[str, Any]:
    """A bilingual name, and its Banglish key beside it (`name`/`name_key`, `title`/`title_key`)."""
    return {
        field: {k: v for k, v in names.items() if k in ("bn", "en")},
        f"{field}_key": _keys(names["bn"], names.get("en")),
    }


@cache
def _fields(entity: str) -> tuple[str, ...]:
    """The fields an entity's event data may carry (schemas/events/<entity>.schema.json)."""
    return tuple(event_schema(entity)["definitions"][entity]["properties"])


def _as_it_came(entity: str, data: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with every field of the event's data it has not made something of, as the event has it."""
    for name in _fields(entity):
        if name in data and name not in doc:
            doc[name] = data[name]
    return doc


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
        # public unless the provider said otherwise — but a private individual's (a blood donor's) only
        # when she said so: a donor imported without the column is not called by strangers
        "phone_public": data.get("phone_public", data["category"] not in PRIVATE),
        "location": _point(data),
        "address": {k: v for k, v in data["address"].items() if k in ("bn", "en")},
        "upazila": data["address"]["upazila"],
        "available": data["available"],
        "hours": hours,
        "open_minutes": _open_minutes(hours),
        "updated_at": data["updated_at"],
    }
    return _as_it_came("provider", data, doc)  # blood_group, last_donation_date, rating, …


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
    return _as_it_came("product", data, doc)


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
    return _as_it_came("seller", data, doc)  # owner, whatsapp, address, description, …


BUILDERS = {"provider": provider_document, "product": product_document, "seller": seller_document}


@cache
def served_district() -> str:
    """The district this process serves (the DISTRICT setting), read once: configuration, not data."""
    return configured_district()


def to_document(event: ChangeEvent, *, indexed_at: datetime, district: str | None = None) -> dict[str, Any]:
    """The full document for an upsert, or a tombstone for a delete (kept so older upserts stay out).

    Every document carries its district: the event's own, else `district`, else the one this process
    serves, so one cluster can hold several districts and a search can keep to one. It carries its
    `union` (a slug of schemas/geography/<district>.json, a union or paurashava) when its point lies in
    one of its upazila's; not in the slivers between the two surveys, nor when the point lies in
    another upazila than the one stated (a search by union and by upazila never disagree).
    """
    head = {
        "id": event.id,
        "version": event.version,
        "indexed_at": indexed_at.isoformat(),
        "source": {"occurred_at": event.body["occurred_at"], "event_id": event.body["event_id"]},
    }
    if event.type == "delete":
        return {**head, "deleted": True}
    data = event.body["data"]
    own = data.get("district") or district or served_district()
    document = {**head, **BUILDERS[event.entity](data), "district": own, "deleted": False}
    union = geography(own).union_at(data["location"]["lat"], data["location"]["lon"], document["upazila"])
    if union is not None:  # the union whose polygon holds the point, if it is one of the stated upazila's
        document["union"] = union.slug
    return document


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
