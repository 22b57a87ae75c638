"""The nearest providers for one request: understand the text, try the relaxation tiers in one round
trip, and — when the answer is short — add who is closed nearby and the nearest open one further away.

Bodies are built in queries/ (pure) and shaped in results.py; this module decides which to send and
how their answers combine:
- results come from the strictest tier that has any; when it has fewer than `limit`, the next tier
  fills the page (exact matches first: "ডায়াবেটিসের ডাক্তার" lists the diabetes doctors, then other
  doctors; `exact_matches` says how many lead), and the words no listed provider had to match are
  reported as ignored;
- with `available_now`, fewer results than `limit` bring `closed_nearby` (within the radius, nearest
  first, with when they open), and no result at all brings `nearest_open_beyond`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from search.engine import SearchEngine
from search.queries.plan import STRICT, Tier, tiers
from search.queries.providers import (
    NearestQuery,
    closed_nearby_body,
    nearest_providers_body,
    open_beyond_body,
)
from search.queries.understanding import Understanding
from search.results import provider_result


async def nearest_providers(
    engine: SearchEngine,
    params: NearestQuery,
    understanding: Understanding | None,
    *,
    now: datetime,
    eligibility_days: int,
) -> dict[str, Any]:
    plan = tiers(understanding) if understanding else (STRICT,)
    common = {"now": now, "eligibility_days": eligibility_days, "understanding": understanding}
    answers = await engine.msearch(
        "providers", [nearest_providers_body(params, tier=tier, **common) for tier in plan]
    )
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
    broadest = used[-1] if used else plan[-1]
    closed: list[dict[str, Any]] = []
    beyond: dict[str, Any] | None = None
    if params.available_now and len(hits) < params.limit:
        extra = [closed_nearby_body(params, tier=broadest, **common)]
        if not hits:
            extra.append(open_beyond_body(params, tier=broadest, **common))
        more = await engine.msearch("providers", extra)
        closed = more[0]["hits"]["hits"]
        if len(more) > 1 and more[1]["hits"]["hits"]:
            beyond = more[1]["hits"]["hits"][0]

    def shape(hit: dict[str, Any]) -> dict[str, Any]:
        return provider_result(
            hit, now=now, eligibility_days=eligibility_days, distance_from=(params.lat, params.lon)
        )

    # Ignored: what no listed provider had to match — the fillers, and the words the strictest tier
    # with results dropped (a longer list that goes on beyond exact matches ignores nothing more).
    strictest = used[0] if used else plan[-1]
    ignored = [*(understanding.ignored if understanding else ()), *strictest.dropped_words]
    return {
        "total": total,
        "results": [shape(hit) for hit in hits],
        "closed_nearby": [shape(hit) for hit in closed],
        "nearest_open_beyond": shape(beyond) if beyond else None,
        "query": {
            **(understanding.public() if understanding else {"categories": [], "place": None}),
            "blood_group": params.blood_group or (understanding.blood_group if understanding else None),
            "ignored_words": list(dict.fromkeys(ignored)),
            "relaxed": bool(used) and used[-1] is not plan[0],
            "exact_matches": exact if used and used[0] is plan[0] else 0,
            "at": now.isoformat(),
        },
    }
