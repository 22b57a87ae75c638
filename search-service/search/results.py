"""Engine hits → the JSON frontends get. Phones leave only where the provider made them public.

"Open now" is decided once, by the engine: every provider body names the available-now clauses
(queries/providers.py, `OPEN_NOW`), and a hit is open when that named query matched it. Python only
adds what the engine cannot say: when a closed provider opens next, today's hours, and the day a
blood donor in the waiting period can give again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from portal.clock import to_dhaka
from portal.contracts import taxonomy
from portal.geo import haversine_m
from portal.hours import DAYS, next_open
from search.queries.providers import OPEN_NOW


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


def hours_today(hours: list[dict[str, str]] | None, now: datetime) -> list[dict[str, str]] | None:
    """Today's intervals in Asia/Dhaka as {"open", "close"}; None when the provider keeps no hours."""
    if hours is None:
        return None
    today = DAYS[(to_dhaka(now).weekday() - 5) % 7]  # the portal's week starts on Saturday
    return sorted(
        ({"open": i["open"], "close": i["close"]} for i in hours if i.get("day") == today),
        key=lambda i: i["open"],
    )


def can_donate_from(last_donation: str | None, now: datetime, eligibility_days: int) -> str | None:
    """The first day a donor may give blood again, or None when they may give today."""
    if not last_donation:
        return None
    first = date.fromisoformat(last_donation) + timedelta(days=eligibility_days)
    return first.isoformat() if first > to_dhaka(now).date() else None


def provider_result(
    hit: dict[str, Any], *, now: datetime, eligibility_days: int, distance_from: tuple[float, float]
) -> dict[str, Any]:
    """Shape one hit. `distance_from` is the citizen's point: cards show how far *they* have to go,
    even when the search was centred on a place named in the query."""
    source = hit["_source"]
    hours = source.get("hours")
    is_open = OPEN_NOW in hit.get("matched_queries", ())
    donor = source["category"] == "blood_donor"
    waiting_until = (
        can_donate_from(source.get("last_donation_date"), now, eligibility_days) if donor else None
    )
    opens = None
    if not is_open and source.get("available", False) and waiting_until is None:
        opens = next_open(hours, now)
    location = source["location"]
    result: dict[str, Any] = {
        "id": source["id"],
        "name": {"bn": source["name"]["bn"], "en": source["name"].get("en")},
        "category": _category("provider", source["category"]),
        "phone": source["phone"] if source.get("phone_public", True) else None,
        "location": location,
        "distance_m": round(haversine_m(*distance_from, location["lat"], location["lon"]), 1),
        "open_now": is_open,
        "next_open": opens.isoformat() if opens else None,
        "hours_today": hours_today(hours, now),
        "available": source.get("available", False),
        "upazila": _upazila(source["upazila"]),
        "address": source.get("address", {}),
    }
    for optional in ("blood_group", "last_donation_date", "rating"):
        if optional in source:
            result[optional] = source[optional]
    if donor:
        result["can_donate_from"] = waiting_until
    return result
