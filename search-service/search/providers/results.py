"""Engine hits → the provider results frontends get (answer.py). Phones leave only where the provider
made them public.

"Open now" is decided once, by the engine: every provider body names the available-now clauses
(bodies.py, `OPEN_NOW`), and a hit is open when that named query matched it. Python only
adds what the engine cannot say: when a closed provider opens next, today's hours, and the day a
blood donor in the waiting period can give again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from portal.clock import to_dhaka
from portal.contracts import taxonomy
from portal.geo import haversine_m
from portal.hours import DAYS, Range, next_open, next_open_in
from search.answers.from_document import copied_fields
from search.answers.json_answer import as_float, localized
from search.answers.slugs import category_json, upazila_json
from search.places.at import union_json
from search.providers.answer import Interval, ProviderResult, Reach
from search.providers.bodies import OPEN_NOW


def hours_today(hours: list[dict[str, str]] | None, now: datetime) -> list[Interval] | None:
    """Today's intervals in Asia/Dhaka, by opening time; None when the provider keeps no hours."""
    today = _todays_intervals(hours, _weekday(now))
    return None if today is None else [Interval(**i) for i in today]


@lru_cache(maxsize=8)
def _weekday(now: datetime) -> str:
    """The portal's name of `now`'s day in Asia/Dhaka (its week starts on Saturday); asked per card, the
    same moment each time."""
    return DAYS[(to_dhaka(now).weekday() - 5) % 7]


def _todays_intervals(hours: list[dict[str, str]] | None, today: str) -> list[dict[str, str]] | None:
    if hours is None:
        return None
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


def next_opening(source: dict[str, Any], now: datetime) -> datetime | None:
    """When a provider opens next, from the week's opening ranges ingest stored beside its hours
    (`open_minutes`, the ranges "open now" is matched on): a lookup instead of reading the hours again.
    A document without them (written before they existed) is answered from its hours."""
    stored = source.get("open_minutes")
    if stored is None:
        return next_open(source.get("hours"), now)
    ranges: list[Range] = [(r["gte"], r["lt"]) for r in stored]
    return next_open_in(ranges, now)


PRIVATE = frozenset(taxonomy().flagged("private"))
WALK_IN = frozenset(taxonomy().flagged("walk_in"))
URGENT = frozenset(taxonomy().flagged("urgent"))
#: A private individual is shown at the centre of their cell of this many degrees (~1.1 km north–south,
#: ~1 km east–west here) and their distance rounded to PRIVATE_DISTANCE_M: no home to the metre, and no
#: trilateration from distances.
PRIVATE_CELL_DEG = 0.01
PRIVATE_DISTANCE_M = 500


def coarse(location: Mapping[str, float]) -> dict[str, float]:
    """The centre of the 0.01° cell a point lies in."""
    return {
        axis: round((math.floor(location[axis] / PRIVATE_CELL_DEG) + 0.5) * PRIVATE_CELL_DEG, 3)
        for axis in ("lat", "lon")
    }


def reach(category: str, phone_public: bool, address: Mapping[str, Any]) -> list[Reach]:
    """How a citizen can reach a listing: call a public phone; visit an address — a shop's or an office's,
    in urgent categories only a place that takes people in (a chamber, a pharmacy, a hospital; not an
    ambulance's garage), never a private individual's home."""
    ways: list[Reach] = ["call"] if phone_public else []
    visitable = category not in PRIVATE and (category not in URGENT or category in WALK_IN)
    if visitable and (address.get("bn") or address.get("en")):
        ways.append("visit")
    return ways


@dataclass(frozen=True, slots=True)
class Standing:
    """What a hit's card says about reaching the provider now — open, when it opens, how far, how to
    reach it — worked out once: closed ones are ordered by it, and only those shown become cards."""

    source: dict[str, Any]
    open_now: bool
    waiting_until: str | None  # a donor's first day to give again
    next_open: str | None
    private: bool
    location: Mapping[str, float]  # shown: a private individual's cell centre
    distance_m: float
    phone_public: bool
    reach: list[Reach]


def standing(
    hit: dict[str, Any],
    *,
    now: datetime,
    eligibility_days: int,
    distance_from: tuple[float, float],
    open_now: bool | None = None,
) -> Standing:
    """`distance_from` is the citizen's point: cards show how far *they* have to go, even when the
    search was centred on a place named in the query. `open_now` is given for hits of the
    closed-nearby and open-beyond aggregations, whose membership already decides it; other hits carry
    the engine's named available-now query."""
    source = hit["_source"]
    is_open = OPEN_NOW in hit.get("matched_queries", ()) if open_now is None else open_now
    category = source["category"]
    waiting_until = (
        can_donate_from(source.get("last_donation_date"), now, eligibility_days)
        if category == "blood_donor"
        else None
    )
    opens = None
    if not is_open and source.get("available", False) and waiting_until is None:
        opens = next_opening(source, now)
    private = category in PRIVATE
    location = coarse(source["location"]) if private else source["location"]
    distance = haversine_m(*distance_from, location["lat"], location["lon"])
    # A private individual's phone leaves only when they made it public; anyone else's unless they hid it.
    phone_public = source.get("phone_public", not private)
    return Standing(
        source=source,
        open_now=is_open,
        waiting_until=waiting_until,
        next_open=opens.isoformat() if opens else None,
        private=private,
        location=location,
        distance_m=float(round(distance / PRIVATE_DISTANCE_M) * PRIVATE_DISTANCE_M)
        if private
        else round(distance, 1),
        phone_public=phone_public,
        reach=reach(category, phone_public, source.get("address", {})),
    )


def closed_first(closed: list[Standing], limit: int) -> list[Standing]:
    """Closed ones, who opens first first — reachable before unreachable, then nearest: at night the
    doctor who opens at 8 comes before the nearer one who opens at 10, and never-opening ones last."""

    def order(one: Standing) -> tuple[bool, bool, str, float]:
        return (not one.reach, one.next_open is None, one.next_open or "", one.distance_m)

    return sorted(closed, key=order)[:limit]


def card(one: Standing, now: datetime) -> dict[str, Any]:
    """A provider's card, as the JSON of its `ProviderResult` (answers/json_answer.py)."""
    source = one.source
    location = one.location
    shown = {
        "id": source["id"],
        "name": {"bn": source["name"]["bn"], "en": source["name"].get("en")},
        "category": category_json("provider", source["category"]),
        "phone": source["phone"] if one.phone_public else None,
        "reach": one.reach,
        "location": {"lat": float(location["lat"]), "lon": float(location["lon"])},
        "distance_m": one.distance_m,
        "open_now": one.open_now,
        "next_open": one.next_open,
        "hours_today": _todays_intervals(source.get("hours"), _weekday(now)),
        "available": source.get("available", False),
        "upazila": upazila_json(source["upazila"]),
        "union": union_json(source.get("union")),
        "address": localized(source.get("address", {})),
    }
    # The fields passed on as stored (answer.py marks them): left out of the JSON when the provider has none.
    shown |= copied_fields(ProviderResult, source)
    if "rating" in shown:
        shown["rating"] = as_float(shown["rating"])
    if source["category"] == "blood_donor":
        shown["can_donate_from"] = one.waiting_until
    return shown


def provider_card(
    hit: dict[str, Any],
    *,
    now: datetime,
    eligibility_days: int,
    distance_from: tuple[float, float],
    open_now: bool | None = None,
) -> dict[str, Any]:
    """One hit's card (`standing`, then `card`)."""
    one = standing(
        hit, now=now, eligibility_days=eligibility_days, distance_from=distance_from, open_now=open_now
    )
    return card(one, now)


def provider_result(
    hit: dict[str, Any],
    *,
    now: datetime,
    eligibility_days: int,
    distance_from: tuple[float, float],
    open_now: bool | None = None,
) -> ProviderResult:
    """`provider_card` as its model."""
    card = provider_card(
        hit, now=now, eligibility_days=eligibility_days, distance_from=distance_from, open_now=open_now
    )
    return ProviderResult.model_validate(card)
