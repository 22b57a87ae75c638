"""Engine hits → the JSON frontends get. Phones leave only where the provider made them public."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.contracts import taxonomy
from portal.hours import next_open, open_now


def _category(entity: str, slug: str) -> dict[str, str]:
    category = taxonomy().categories(entity).get(slug)
    return category.public() if category else {"slug": slug, "bn": slug, "en": slug}


def _upazila(slug: str) -> dict[str, str]:
    upazila = taxonomy().upazilas.get(slug)
    return (
        {"slug": slug, "bn": upazila.bn, "en": upazila.en}
        if upazila
        else {"slug": slug, "bn": slug, "en": slug}
    )


def provider_result(hit: dict[str, Any], *, now: datetime, distance_at: int = 0) -> dict[str, Any]:
    """Shape one hit; `distance_at` is the position of the geo distance among the hit's sort values."""
    source = hit["_source"]
    hours = source.get("hours")
    is_open = source.get("available", False) and open_now(hours, now)
    opens = None if is_open or not source.get("available", False) else next_open(hours, now)
    result: dict[str, Any] = {
        "id": source["id"],
        "name": {"bn": source["name"]["bn"], "en": source["name"].get("en")},
        "category": _category("provider", source["category"]),
        "phone": source["phone"] if source.get("phone_public", True) else None,
        "location": source["location"],
        "distance_m": round(float(hit["sort"][distance_at]), 1),
        "open_now": is_open,
        "next_open": opens.isoformat() if opens else None,
        "available": source.get("available", False),
        "upazila": _upazila(source["upazila"]),
        "address": source.get("address", {}),
    }
    for optional in ("blood_group", "last_donation_date", "rating"):
        if optional in source:
            result[optional] = source[optional]
    return result
