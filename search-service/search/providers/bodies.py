"""Nearest-available-provider queries: request parameters → OpenSearch request bodies. Pure.

"Available now" is decided inside the engine so that `total` and `limit` count only the right people:
the provider's own toggle, the current minute of the week inside one of its opening ranges (indexed by
ingest as an integer_range), and for blood donors a last donation at least the eligibility window ago.

One search can need three bodies: the answer (one per relaxation tier, relaxation/plan.py), the nearest
matching providers who are closed or unavailable right now (`closed_nearby`), and the nearest open one
beyond the radius. All are the same query with different availability and distance filters.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Literal

from portal.clock import minute_of_week, to_dhaka
from portal.contracts import taxonomy
from search.answers.from_document import source_fields
from search.providers.answer import ProviderResult
from search.providers.blood import own_group_first
from search.providers.request import NearestQuery, asked_blood_group, compatible_blood_groups
from search.queries.live import live_filters
from search.queries.text import category_filter, text_clauses
from search.relaxation.plan import STRICT, Tier
from search.understanding.understanding import Understanding

#: What each hit brings back: the document fields the answer is made from (answer.py declares them).
PROVIDER_SOURCE = source_fields(ProviderResult)
CLOSED_NEARBY_LIMIT = 5
#: How many of the nearest closed ones are weighed to find the CLOSED_NEARBY_LIMIT that open first.
CLOSED_CANDIDATES = 20
#: Callable ambulances open now that a medical search carries, nearest first.
EMERGENCY_AMBULANCES = 3
URGENT = frozenset(taxonomy().flagged("urgent"))
WALK_IN = frozenset(taxonomy().flagged("walk_in"))
#: The name of the available-now clauses in every body: a hit is open now when they matched it.
OPEN_NOW = "open_now"
#: How far "the nearest open one beyond the radius" may be: the whole district and its edges.
BEYOND_KM = 100


def available_now_filters(now: datetime, eligibility_days: int) -> list[dict[str, Any]]:
    """Open at this minute, switched on, (blood donors) past their waiting period, and (urgent
    categories) reachable: an ambulance nobody can call is not available."""
    return [
        {"term": {"available": True}},
        {"term": {"open_minutes": minute_of_week(now)}},
        *donor_can_give(now, eligibility_days),
        {"bool": {"must_not": [unreachable_urgent()]}},
    ]


def reachable() -> dict[str, Any]:
    """A listing someone can reach: a public phone (public unless the provider said otherwise), or a
    walk-in place's address."""
    return {
        "bool": {
            "should": [
                {"bool": {"must_not": [{"exists": {"field": "phone_public"}}]}},
                {"term": {"phone_public": True}},
                {
                    "bool": {
                        "filter": [
                            {"terms": {"category": list(WALK_IN)}},
                            {"exists": {"field": "address.bn"}},
                        ]
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


def unreachable_urgent() -> dict[str, Any]:
    return {"bool": {"filter": [{"terms": {"category": list(URGENT)}}], "must_not": [reachable()]}}


def urgent_search(params: NearestQuery, understanding: Understanding | None) -> bool:
    """Whether every category searched is urgent: then reachable listings rank first."""
    asked = [params.category] if params.category else list(understanding.categories if understanding else ())
    return bool(asked) and all(c in URGENT for c in asked)


#: Reachable first: a public phone (or none said, which is public) before a hidden one.
REACHABLE_FIRST = {"phone_public": {"order": "desc", "missing": "_first"}}


def donor_can_give(now: datetime, eligibility_days: int) -> list[dict[str, Any]]:
    eligible_before = eligible_since(now, eligibility_days)
    return [
        {
            "bool": {
                "should": [
                    {"bool": {"must_not": {"term": {"category": "blood_donor"}}}},
                    {"bool": {"must_not": {"exists": {"field": "last_donation_date"}}}},
                    {"range": {"last_donation_date": {"lte": eligible_before}}},
                ],
                "minimum_should_match": 1,
            }
        }
    ]


def eligible_since(now: datetime, eligibility_days: int) -> str:
    """The latest last-donation date (ISO) that lets a donor give blood today."""
    return (to_dhaka(now) - timedelta(days=eligibility_days)).date().isoformat()


def search_centre(params: NearestQuery, understanding: Understanding | None) -> tuple[float, float]:
    """Where "nearest" is measured from: a place named in the query, else the citizen."""
    place = understanding.place if understanding else None
    return (place.lat, place.lon) if place else (params.lat, params.lon)


def _selection(
    params: NearestQuery, understanding: Understanding | None, tier: Tier
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, float]]:
    """(filters, scoring, centre) of what the query selects, before availability and distance."""
    filters = live_filters("provider")
    if params.category:
        filters.append({"term": {"category": params.category}})
    if blood_group := asked_blood_group(params, understanding):
        groups = [blood_group, *compatible_blood_groups(params, understanding)]
        filters.append(
            {"terms": {"blood_group": groups}} if len(groups) > 1 else {"term": {"blood_group": blood_group}}
        )
    if params.verified is not None:
        checked = {"term": {"verified": True}}  # a provider listed before the check existed is not checked
        filters.append(checked if params.verified else {"bool": {"must_not": [checked]}})
    scoring: list[dict[str, Any]] = []
    if understanding is not None:
        filters += category_filter(understanding)
        place = understanding.place
        if place is not None and tier.in_place:  # the area it is, else around the point it is
            filters.append(place.area or _within((place.lat, place.lon), place.radius_km))
        text_filters, scoring = text_clauses(tier.required, tier.dropped, entity="provider", fuzzy=tier.fuzzy)
        filters += text_filters
    lat, lon = search_centre(params, understanding)
    return filters, scoring, {"lat": lat, "lon": lon}


def _within(centre: tuple[float, float], km: float) -> dict[str, Any]:
    return {"geo_distance": {"distance": f"{km}km", "location": {"lat": centre[0], "lon": centre[1]}}}


def _radius_filter(
    params: NearestQuery, understanding: Understanding | None, tier: Tier
) -> list[dict[str, Any]]:
    """The radius applies around the citizen, or around a named place once its filter is relaxed.
    Inside a named upazila or union that area is the area; a named point (a market) brings its own radius."""
    place = understanding.place if understanding else None
    if place is not None and tier.in_place:
        return []
    return [_within(search_centre(params, understanding), params.radius_km)]


def _body(
    params: NearestQuery,
    filters: list[dict[str, Any]],
    scoring: list[dict[str, Any]],
    size: int,
    available_now: list[dict[str, Any]],
    *,
    first: list[dict[str, Any]],
) -> dict[str, Any]:
    # Nearest to the citizen, even inside a place the query named: the distances cards show are theirs,
    # so the list reads in order; the place only chose where to look.
    citizen = {"lat": params.lat, "lon": params.lon}
    by_distance = {
        "_geo_distance": {"location": citizen, "order": "asc", "unit": "m", "distance_type": "arc"}
    }
    if params.sort == "relevance" and scoring:
        sort: list[Any] = [*first, "_score", by_distance, {"id": "asc"}]
    else:
        sort = [*first, by_distance, {"id": "asc"}]
    # Named, scoring nothing: the engine reports per hit whether it is available now (results.py).
    open_now = {
        "constant_score": {"filter": {"bool": {"filter": available_now}}, "boost": 0, "_name": OPEN_NOW}
    }
    return {
        "size": size,
        "track_total_hits": True,
        "query": {"bool": {"filter": filters, "should": [*scoring, open_now]}},
        "sort": sort,
        "_source": PROVIDER_SOURCE,
    }


def _first(params: NearestQuery, understanding: Understanding | None) -> list[dict[str, Any]]:
    """What orders results before relevance and distance: reachable ones first in an urgent search, the
    asked blood group's donors before those who can give to it."""
    first: list[dict[str, Any]] = [REACHABLE_FIRST] if urgent_search(params, understanding) else []
    if (group := asked_blood_group(params, understanding)) and compatible_blood_groups(params, understanding):
        first.append(own_group_first(group))
    return first


#: The bodies of one nearest-provider search (see nearest_providers_body).
Part = Literal["answer", "closed_nearby", "open_beyond"]


def nearest_providers_body(
    params: NearestQuery,
    *,
    now: datetime,
    eligibility_days: int,
    understanding: Understanding | None = None,
    tier: Tier | None = None,
    part: Part = "answer",
) -> dict[str, Any]:
    """A body of a nearest-provider search:

    - `answer`: providers matching the query within the radius, `limit` of them, nearest first; with
      `available_now`, `post_filter` keeps the answer (hits and `total`) to who is available;
    - `closed_nearby`: the nearest CLOSED_CANDIDATES matching within the radius who are not available
      now, of whom shaping keeps the CLOSED_NEARBY_LIMIT who open first. Asked only when the answer is
      short: as an aggregation of every answer it was three quarters of the engine's reply (20 whole
      providers a tier), read and thrown away whenever the page was full;
    - `open_beyond`: the nearest matching one available now anywhere within BEYOND_KM, ignoring the
      radius and a named upazila's boundary (but still nearest to the place). Asked only when the
      answer is empty: looking at the whole district costs the engine as much as the answer itself.
    """
    tier = tier if tier is not None else (Tier(understanding.required) if understanding else STRICT)
    if part == "open_beyond":
        tier = replace(tier, in_place=False)
    filters, scoring, centre = _selection(params, understanding, tier)
    available_now = available_now_filters(now, eligibility_days)
    first = _first(params, understanding)
    if part == "open_beyond":
        filters += [_within((centre["lat"], centre["lon"]), BEYOND_KM), *available_now]
        return _body(params, filters, scoring, 1, available_now, first=first)
    filters += _radius_filter(params, understanding, tier)
    if part == "closed_nearby":
        filters.append({"bool": {"must_not": [{"bool": {"filter": available_now}}]}})
        closed = _body(params, filters, scoring, CLOSED_CANDIDATES, available_now, first=first)
        # The nearest few: shaping orders them by who opens first (results.closed_first).
        return closed | {"track_total_hits": False, "sort": closed["sort"][-2:]}
    body = _body(params, filters, scoring, params.limit, available_now, first=first)
    if params.available_now:
        body["post_filter"] = {"bool": {"filter": available_now}}
    return body


def emergency_ambulances_body(
    params: NearestQuery, *, now: datetime, eligibility_days: int
) -> dict[str, Any]:
    """The nearest ambulances someone can call right now (available now includes reachable), for a
    medical search at any hour."""
    citizen = {"lat": params.lat, "lon": params.lon}
    filters = [
        *live_filters("provider"),
        {"term": {"category": "ambulance"}},
        _within((params.lat, params.lon), BEYOND_KM),
        *available_now_filters(now, eligibility_days),
    ]
    return {
        "size": EMERGENCY_AMBULANCES,
        "query": {"bool": {"filter": filters}},
        "sort": [
            {"_geo_distance": {"location": citizen, "order": "asc", "unit": "m", "distance_type": "arc"}},
            {"id": "asc"},
        ],
        "_source": PROVIDER_SOURCE,
    }


def medical_search(params: NearestQuery, understanding: Understanding | None) -> bool:
    """Whether the search asks for medical help: it then carries the emergency numbers and ambulances."""
    asked = [params.category] if params.category else list(understanding.categories if understanding else ())
    return any(c in MEDICAL for c in asked)


MEDICAL = frozenset(taxonomy().flagged("medical"))
