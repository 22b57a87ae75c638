"""What a nearest search asks in its first round trip (run.py sends it; the search bench sends the same
bodies to the raw engine). Pure.

In this order: the answer of every relaxation tier of the plan; the parts of a short answer the open map
foresees (open_map.py), for the broadest tier — the one that answers when none finds anyone, and the
only one there is in most plans; and, for a medical search, the nearest ambulances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from search.providers.bodies import Part, emergency_ambulances_body, medical_search, nearest_providers_body
from search.providers.open_map import OpenMap, foreseen_parts
from search.providers.request import NearestQuery
from search.relaxation.plan import STRICT, Tier, tiers
from search.understanding.understanding import Understanding


@dataclass(frozen=True)
class FirstRoundTrip:
    plan: tuple[Tier, ...]
    answers: list[dict[str, Any]]
    foreseen: dict[Part, dict[str, Any]]
    ambulances: list[dict[str, Any]]

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [*self.answers, *self.foreseen.values(), *self.ambulances]


def first_round_trip(
    params: NearestQuery,
    *,
    now: datetime,
    eligibility_days: int,
    understanding: Understanding | None,
    open_map: OpenMap | None,
) -> FirstRoundTrip:
    def body(tier: Tier, part: Part) -> dict[str, Any]:
        return nearest_providers_body(
            params,
            now=now,
            eligibility_days=eligibility_days,
            understanding=understanding,
            tier=tier,
            part=part,
        )

    plan = tiers(understanding) if understanding else (STRICT,)
    return FirstRoundTrip(
        plan=plan,
        answers=[body(tier, "answer") for tier in plan],
        foreseen={
            part: body(plan[-1], part) for part in foreseen_parts(params, understanding, open_map, now=now)
        },
        ambulances=[emergency_ambulances_body(params, now=now, eligibility_days=eligibility_days)]
        if medical_search(params, understanding)
        else [],
    )
