"""How a card says a listing can be reached, how private individuals are shown, and the order of the
closed ones at night. Pure: engine hits in, answer models out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.clock import DHAKA
from search.providers.bodies import OPEN_NOW
from search.providers.results import (
    PRIVATE_CELL_DEG,
    Standing,
    closed_first,
    coarse,
    provider_result,
    standing,
)

NIGHT = datetime(2026, 12, 5, 2, 0, tzinfo=DHAKA)  # Saturday 02:00
CITIZEN = (24.4449, 90.7766)
DONOR_HOME = {"lat": 24.447312, "lon": 90.781234}


def hit(**source: Any) -> dict[str, Any]:
    base = {
        "id": "p-1",
        "name": {"bn": "নাম"},
        "category": "ambulance",
        "phone": "+8801712345678",
        "location": {"lat": 24.44, "lon": 90.78},
        "address": {"bn": "স্টেশন রোড"},
        "upazila": "kishoreganj-sadar",
        "available": True,
    }
    return {"_source": base | source, "matched_queries": [OPEN_NOW]}


def shaped(open_now: bool | None = None, **source: Any):
    return provider_result(
        hit(**source), now=NIGHT, eligibility_days=120, distance_from=CITIZEN, open_now=open_now
    )


def test_every_card_says_how_to_reach_it():
    assert shaped().reach == ["call"]  # an ambulance's garage is no place to go in an emergency
    assert shaped(phone_public=False).reach == []
    assert shaped(category="pharmacy", phone_public=False).reach == ["visit"]
    assert shaped(category="electrician").reach == ["call", "visit"]


def test_a_blood_donors_home_is_never_in_the_answer():
    card = shaped(category="blood_donor", location=DONOR_HOME, phone_public=True, blood_group="O+")
    assert (card.location.lat, card.location.lon) == (24.445, 90.785)  # the centre of its 0.01° cell
    assert abs(card.location.lat - DONOR_HOME["lat"]) <= PRIVATE_CELL_DEG / 2
    assert card.distance_m % 500 == 0
    assert card.reach == ["call"]  # never "visit" a private individual


def test_a_private_individuals_phone_leaves_only_by_their_choice():
    assert shaped(category="blood_donor").phone is None  # imported without saying: not public
    assert shaped(category="blood_donor", phone_public=True).phone == "+8801712345678"
    assert shaped(category="electrician").phone == "+8801712345678"  # a trade's phone is public unless hidden


def test_coarse_cells_are_stable_and_centred():
    assert coarse({"lat": 24.4401, "lon": 90.7799}) == coarse({"lat": 24.4499, "lon": 90.7701})
    assert coarse({"lat": 24.44, "lon": 90.77}) == {"lat": 24.445, "lon": 90.775}


def test_at_night_the_one_who_opens_first_comes_first_and_the_unreachable_last():
    def closed(**source: Any) -> Standing:  # closed ones are ordered before they become cards
        return standing(hit(**source), now=NIGHT, eligibility_days=120, distance_from=CITIZEN, open_now=False)

    hours = lambda open_: [{"day": "sat", "open": open_, "close": "13:00"}]  # noqa: E731
    near = {"lat": 24.445, "lon": 90.777}
    near_late = closed(category="doctor", id="late", hours=hours("10:00"), location=near)
    far_early = closed(
        category="doctor", id="early", hours=hours("08:00"), location={"lat": 24.5, "lon": 90.8}
    )
    unreachable = closed(category="ambulance", id="nobody", phone_public=False, hours=hours("07:00"))
    order = closed_first([near_late, unreachable, far_early], 5)
    assert [one.source["id"] for one in order] == ["early", "late", "nobody"]
