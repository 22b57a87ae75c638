"""The nearest providers for one request: understand the text, try the relaxation tiers in one round
trip, and — when the answer is short — show who is closed nearby and the nearest open one further away.

Bodies are built in queries/ (pure) and shaped in results.py; this module decides which to send and
how their answers combine:
- results come from the strictest tier that has any; when it has fewer than `limit`, the next tier
  fills the page (exact matches first: "ডায়াবেটিসের ডাক্তার" lists the diabetes doctors, then other
  doctors; `exact_matches` says how many lead), and the words no listed provider had to match are
  reported as ignored;
- with `available_now`, fewer results than `limit` bring `closed_nearby` (within the radius, who opens
  first first: an aggregation of the same request), and no result at all brings `nearest_open_beyond`
  (a second request, the only one a search can need);
- a medical search (doctor, ambulance, hospital, pharmacy), at any hour, carries `emergency`: the
  national numbers and the nearest ambulances someone can call now (one more body of the same msearch).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.contracts import emergency
from search.answers.providers import (
    Emergency,
    EmergencyNumber,
    NearestProviders,
    ProviderResult,
    ProvidersUnderstood,
)
from search.engine import SearchEngine
from search.queries.providers import (
    CLOSED_NEARBY_LIMIT,
    NearestQuery,
    aggregated_hits,
    emergency_ambulances_body,
    medical_search,
    nearest_providers_body,
)
from search.relaxation.plan import STRICT, Tier, tiers
from search.results import closed_first, honesty, provider_result
from search.understanding.understanding import Understanding, asks_nothing


async def nearest_providers(
    engine: SearchEngine,
    params: NearestQuery,
    understanding: Understanding | None,
    *,
    now: datetime,
    eligibility_days: int,
) -> NearestProviders:
    if understanding is not None and understanding.not_listed and not params.category:
        return _nothing_listed(understanding, now)
    plan = tiers(understanding) if understanding else (STRICT,)
    bodies = [
        nearest_providers_body(
            params, tier=tier, now=now, eligibility_days=eligibility_days, understanding=understanding
        )
        for tier in plan
    ]
    medical = medical_search(params, understanding)
    if medical:  # the callable ambulances come in the same round trip
        bodies.append(emergency_ambulances_body(params, now=now, eligibility_days=eligibility_days))
    answers = await engine.msearch("providers", bodies)
    ambulances = answers.pop()["hits"]["hits"] if medical else []
    hits: list[dict[str, Any]] = []
    seen: set[str] = set()
    used: list[Tier] = []
    total = exact = 0
    for tier, answer in zip(plan, answers, strict=True):
        found = answer["hits"]["hits"]
        if not found:
            continue
        used.append(tier)
        total = max(total, answer["hits"]["total"]["value"])
        for hit in found:
            if hit["_source"]["id"] not in seen and len(hits) < params.limit:
                seen.add(hit["_source"]["id"])
                hits.append(hit)
        exact = exact or len(hits)
        if len(hits) >= params.limit:
            break
    # Who is closed nearby came with every tier's answer: take it from the broadest tier that answered
    # (or the broadest of all when none did); only an empty answer asks for the nearest open one beyond.
    broadest = plan.index(used[-1]) if used else len(plan) - 1
    closed: list[dict[str, Any]] = []
    beyond: dict[str, Any] | None = None
    if params.available_now and len(hits) < params.limit:
        closed = aggregated_hits(answers[broadest], "closed_nearby")
        if not hits:
            further = nearest_providers_body(
                params, now=now, eligibility_days=eligibility_days, understanding=understanding,
                tier=plan[broadest], part="open_beyond",
            )  # fmt: skip
            beyond = next(iter((await engine.search("providers", further))["hits"]["hits"]), None)

    def shape(hit: dict[str, Any], open_now: bool | None = None) -> ProviderResult:
        return provider_result(
            hit,
            now=now,
            eligibility_days=eligibility_days,
            distance_from=(params.lat, params.lon),
            open_now=open_now,
        )

    # Ignored: what no listed provider had to match — the fillers, and the words the strictest tier
    # with results dropped (a longer list that goes on beyond exact matches ignores nothing more).
    strictest = used[0] if used else plan[-1]
    ignored = [*(understanding.ignored if understanding else ()), *strictest.dropped_words]
    return NearestProviders(
        total=total,
        results=[shape(hit) for hit in hits],
        closed_nearby=closed_first([shape(hit, open_now=False) for hit in closed], CLOSED_NEARBY_LIMIT),
        nearest_open_beyond=shape(beyond, open_now=True) if beyond else None,
        emergency=Emergency(
            numbers=[EmergencyNumber.model_validate(n) for n in emergency()["numbers"]],
            ambulances=[shape(hit, open_now=True) for hit in ambulances],
        )
        if medical
        else None,
        query=ProvidersUnderstood(
            categories=list(understanding.categories) if understanding else [],
            place=understanding.place.public() if understanding and understanding.place else None,
            blood_group=params.blood_group or (understanding.blood_group if understanding else None),
            ignored_words=list(dict.fromkeys(ignored)),
            relaxed=bool(used) and used[-1] is not plan[0],
            exact_matches=exact
            if used and used[0] is plan[0] and not _words_unheard(params, understanding)
            else 0,
            at=now.isoformat(),
            **honesty(understanding, "provider"),
        ),
    )


def _words_unheard(params: NearestQuery, understanding: Understanding | None) -> bool:
    """The query's words asked for nothing known, and no parameter narrowed the search: its results
    are whoever is nearest, not matches."""
    return asks_nothing(understanding) and not (params.category or params.blood_group)


def _nothing_listed(understanding: Understanding, now: datetime) -> NearestProviders:
    """The query asks for something the directory does not list: say so, and offer nothing in its place."""
    return NearestProviders(
        total=0,
        results=[],
        closed_nearby=[],
        nearest_open_beyond=None,
        query=ProvidersUnderstood(
            categories=[],
            place=understanding.place.public() if understanding.place else None,
            blood_group=None,
            ignored_words=list(understanding.ignored),
            relaxed=False,
            exact_matches=0,
            at=now.isoformat(),
            **honesty(understanding, "provider"),
        ),
    )
