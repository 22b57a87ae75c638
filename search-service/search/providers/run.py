"""The nearest providers for one request: try the relaxation tiers in one round trip, and — when the
answer is short — show who is closed nearby and the nearest open one further away. I/O.

Bodies are built in bodies.py (pure), every tier's in one `_msearch`, read by relaxation/found.py
(filled_page) and shaped in results.py:
- results come from the strictest tier that has any; when it has fewer than `limit`, the next tier
  fills the page (exact matches first: "ডায়াবেটিসের ডাক্তার" lists the diabetes doctors, then other
  doctors; `exact_matches` says how many lead), and the words no listed provider had to match are
  reported as ignored (understanding/understood.py);
- with `available_now`, fewer results than `limit` bring `closed_nearby` (within the radius, who opens
  first first), and no result at all also `nearest_open_beyond`: asked in the first round trip when the
  open map (open_map.py) foresees a short answer, else in one more, the only one a search can need;
- a medical search (doctor, ambulance, hospital, pharmacy), at any hour, carries `emergency`: the
  national numbers and the nearest ambulances someone can call now (one more body of the same msearch).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache, partial
from typing import Any

from prometheus_client import Counter

from portal.contracts import emergency
from search.answers.json_answer import in_field_order
from search.engine import SearchEngine
from search.places.at import citizen_at_json
from search.providers.answer import EmergencyNumber, ProvidersUnderstood
from search.providers.bodies import CLOSED_NEARBY_LIMIT, Part, nearest_providers_body
from search.providers.first_trip import first_round_trip
from search.providers.open_map import OpenMap
from search.providers.request import NearestQuery, asked_blood_group, compatible_blood_groups
from search.providers.results import Standing, card, closed_first, standing
from search.relaxation.found import filled_page
from search.understanding.query_reader import QueryReader
from search.understanding.understanding import Understanding
from search.understanding.understood import understood


async def nearest_providers(
    engine: SearchEngine,
    reader: QueryReader,
    params: NearestQuery,
    *,
    now: datetime,
    eligibility_days: int,
    open_map: OpenMap | None = None,
) -> dict[str, Any]:
    """The JSON of the `NearestProviders` answer (answers/json_answer.py). `open_map` (who is open now,
    where) lets the first round trip carry what a short answer needs."""
    understanding = await reader.understand(params.q, "provider")
    if understanding is not None and understanding.not_listed and not params.category:
        return _nothing_listed(understanding, params, now)

    search = partial(
        nearest_providers_body,
        params,
        now=now,
        eligibility_days=eligibility_days,
        understanding=understanding,
    )
    first = first_round_trip(
        params, now=now, eligibility_days=eligibility_days, understanding=understanding, open_map=open_map
    )
    plan = first.plan
    answers = await engine.msearch("providers", first.bodies)
    found = filled_page(plan, answers[: len(plan)], params.limit)
    narrowed = bool(params.category or params.blood_group)
    elsewhere = None if narrowed else await reader.elsewhere(params.q, understanding)
    if elsewhere is not None and elsewhere.not_listed and not found.exact:
        return _nothing_listed(elsewhere, params, now)  # not listed by the products page's reading either
    asked = dict(zip(first.foreseen, answers[len(plan) : len(plan) + len(first.foreseen)], strict=True))
    ambulances = answers[len(plan) + len(first.foreseen) :]
    # A short answer needs who is closed nearby in the tier that answered (the broadest used, or the
    # broadest of all when none found anyone); an empty one also the nearest open one beyond. What the
    # first round trip did not carry (it carries them for the broadest tier when the map foresaw them)
    # takes one more.
    closed: list[dict[str, Any]] = []
    beyond: dict[str, Any] | None = None
    if params.available_now and len(found.hits) < params.limit:
        needed: list[Part] = ["closed_nearby"] if found.hits else ["closed_nearby", "open_beyond"]
        if found.answered != len(plan) - 1:
            asked = {}
        missing = [p for p in needed if p not in asked]
        SHORT_ANSWERS[bool(missing)].inc()
        if missing:
            more = await engine.msearch(
                "providers", [search(tier=plan[found.answered], part=p) for p in missing]
            )
            asked |= dict(zip(missing, more, strict=True))
        closed = asked["closed_nearby"]["hits"]["hits"]
        beyond = next(iter(asked["open_beyond"]["hits"]["hits"]), None) if "open_beyond" in needed else None

    def assess(hit: dict[str, Any], open_now: bool | None = None) -> Standing:
        return standing(
            hit,
            now=now,
            eligibility_days=eligibility_days,
            distance_from=(params.lat, params.lon),
            open_now=open_now,
        )

    def shape(hit: dict[str, Any], open_now: bool | None = None) -> dict[str, Any]:
        return card(assess(hit, open_now), now)

    query = understood(understanding, "provider", found, narrowed=narrowed, elsewhere=elsewhere)
    query |= {
        "blood_group": asked_blood_group(params, understanding),
        "compatible_blood_groups": list(compatible_blood_groups(params, understanding)),
        "at": now.isoformat(),
        "citizen_at": citizen_at_json(params.lat, params.lon),
    }
    return {
        "total": found.total,
        "results": [shape(hit) for hit in found.hits],
        "closed_nearby": [
            card(one, now)
            for one in closed_first([assess(hit, open_now=False) for hit in closed], CLOSED_NEARBY_LIMIT)
        ],
        "nearest_open_beyond": shape(beyond, open_now=True) if beyond else None,
        "emergency": {
            "numbers": emergency_numbers(),
            "ambulances": [shape(hit, open_now=True) for hit in ambulances[0]["hits"]["hits"]],
        }
        if first.ambulances
        else None,
        "query": in_field_order(ProvidersUnderstood, query),
    }


_SHORT = Counter(
    "search_nearest_short_answers_total",
    "Nearest answers with fewer available than asked for: what they show beside (closed nearby, open"
    " beyond) was foreseen by the open map and asked in the first round trip, or asked in a second",
    ["asked"],
)
SHORT_ANSWERS = {False: _SHORT.labels("first_round_trip"), True: _SHORT.labels("second_round_trip")}


@cache
def emergency_numbers() -> list[dict[str, Any]]:
    """The contract's emergency numbers as the JSON of their `EmergencyNumber` models (shared: read only)."""
    return [
        EmergencyNumber.model_validate(n).model_dump(mode="json", exclude_unset=True, by_alias=True)
        for n in emergency()["numbers"]
    ]


def _nothing_listed(understanding: Understanding, params: NearestQuery, now: datetime) -> dict[str, Any]:
    """The query asks for something the directory does not list: say so, and offer nothing in its place —
    but for an emergency it does not list (a fire, a crime), the national numbers that answer it."""
    query = understood(understanding, "provider") | {
        "blood_group": None,
        "compatible_blood_groups": [],
        "at": now.isoformat(),
        "citizen_at": citizen_at_json(params.lat, params.lon),
    }
    return {
        "total": 0,
        "results": [],
        "closed_nearby": [],
        "nearest_open_beyond": None,
        "emergency": {"numbers": emergency_numbers(), "ambulances": []}
        if understanding.not_listed is not None and understanding.not_listed.emergency
        else None,
        "query": in_field_order(ProvidersUnderstood, query),
    }
