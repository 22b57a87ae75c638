"""Nearest-provider bodies, asserted without a server: what is filtered, how far, who counts as open."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from pydantic import ValidationError

from engine_bodies import filters_of
from portal.clock import DHAKA, minute_of_week
from search.providers.blood import own_group_first
from search.providers.bodies import (
    BEYOND_KM,
    CLOSED_CANDIDATES,
    CLOSED_NEARBY_LIMIT,
    OPEN_NOW,
    REACHABLE_FIRST,
    available_now_filters,
    eligible_since,
    nearest_providers_body,
    unreachable_urgent,
)
from search.providers.request import NearestQuery
from search.queries.live import in_district
from search.relaxation.plan import tiers
from search.understanding.understanding import understand

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=DHAKA)  # a Tuesday morning
CITIZEN = NearestQuery(lat=24.43, lon=90.78)
LIVE = {"term": {"deleted": False}}


def around(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [f["geo_distance"] for f in filters_of(body) if "geo_distance" in f]


def body(params: NearestQuery = CITIZEN, q: str | None = None, **kwargs: Any) -> dict[str, Any]:
    understanding = understand(q, "provider") if q else None
    return nearest_providers_body(
        params, now=NOW, eligibility_days=120, understanding=understanding, **kwargs
    )


def test_live_providers_within_the_radius_nearest_first_available_now():
    answer = body(NearestQuery(lat=24.43, lon=90.78, radius_km=3, limit=7))
    assert LIVE in filters_of(answer)
    assert around(answer) == [{"distance": "3.0km", "location": {"lat": 24.43, "lon": 90.78}}]
    # who is available filters the answer (post_filter); the closed ones are the aggregation's
    assert answer["post_filter"] == {"bool": {"filter": available_now_filters(NOW, 120)}}
    assert answer["size"] == 7 and answer["track_total_hits"] is True
    assert answer["sort"][0]["_geo_distance"]["location"] == {"lat": 24.43, "lon": 90.78}
    assert answer["sort"][-1] == {"id": "asc"}


def test_available_now_is_this_minute_of_the_week_and_the_providers_own_switch():
    available, this_minute, donors, reachable_if_urgent = available_now_filters(NOW, 120)
    assert available == {"term": {"available": True}}
    assert this_minute == {"term": {"open_minutes": minute_of_week(NOW)}}
    assert {"range": {"last_donation_date": {"lte": eligible_since(NOW, 120)}}} in donors["bool"]["should"]
    assert reachable_if_urgent == {"bool": {"must_not": [unreachable_urgent()]}}


def test_an_urgent_listing_nobody_can_reach_is_never_available_and_ranks_last():
    urgent = unreachable_urgent()["bool"]
    assert set(urgent["filter"][0]["terms"]["category"]) >= {
        "ambulance",
        "blood_donor",
        "doctor",
        "hospital",
        "pharmacy",
    }
    ways = urgent["must_not"][0]["bool"]["should"]
    assert {"term": {"phone_public": True}} in ways  # a public phone, or a walk-in place's address
    ambulances = body(NearestQuery(lat=24.43, lon=90.78, category="ambulance"))
    assert ambulances["sort"][0] == REACHABLE_FIRST
    assert "_geo_distance" in body(NearestQuery(lat=24.43, lon=90.78, category="butcher"))["sort"][0]


def test_every_body_names_the_open_now_clauses_so_hits_say_whether_they_are_open():
    for answer in (body(), body(NearestQuery(lat=24.43, lon=90.78, available_now=False))):
        named = [c for c in answer["query"]["bool"]["should"] if "constant_score" in c]
        assert named[-1]["constant_score"]["_name"] == OPEN_NOW
        assert named[-1]["constant_score"]["boost"] == 0


def test_without_available_now_closed_providers_are_candidates_too():
    answer = body(NearestQuery(lat=24.43, lon=90.78, available_now=False))
    assert {"term": {"available": True}} not in filters_of(answer)


def test_category_and_blood_group_filter():
    answer = body(NearestQuery(lat=24.43, lon=90.78, category="blood_donor", blood_group="O-"))
    assert {"term": {"category": "blood_donor"}} in filters_of(answer)
    assert {"term": {"blood_group": "O-"}} in filters_of(answer)


def test_verified_keeps_the_checked_or_the_not_checked_and_every_body_filters_alike():
    checked = {"term": {"verified": True}}
    only_checked = NearestQuery(lat=24.43, lon=90.78, verified=True)
    assert checked in filters_of(body(only_checked))
    assert checked in filters_of(body(only_checked, part="open_beyond"))
    # not checked: false, or listed before the check existed (no field)
    assert {"bool": {"must_not": [checked]}} in filters_of(
        body(NearestQuery(lat=24.43, lon=90.78, verified=False))
    )
    assert not [f for f in filters_of(body()) if "verified" in str(f)]


def test_a_blood_group_the_words_name_lists_its_donors_then_those_who_can_give_to_it():
    for part in ("answer", "open_beyond"):
        answer = body(q="বি নেগেটিভ রক্ত লাগবে", part=part)
        assert {"terms": {"blood_group": ["B-", "O-"]}} in filters_of(answer)
        # reachable first (blood is urgent), then the asked group, then nearest
        assert answer["sort"][:2] == [REACHABLE_FIRST, own_group_first("B-")]
        assert "_geo_distance" in answer["sort"][2]


def test_the_blood_group_parameter_is_a_filter_of_that_group_only():
    answer = body(NearestQuery(lat=24.43, lon=90.78, blood_group="B-"), q="রক্ত লাগবে")
    assert {"term": {"blood_group": "B-"}} in filters_of(answer)
    assert answer["sort"][0] == REACHABLE_FIRST and "_geo_distance" in answer["sort"][1]


def test_o_negative_is_asked_for_itself_alone():
    answer = body(q="O- রক্ত লাগবে")
    assert {"term": {"blood_group": "O-"}} in filters_of(answer)
    assert answer["sort"][0] == REACHABLE_FIRST and "_geo_distance" in answer["sort"][1]


def test_an_upazila_named_in_the_text_filters_on_it_without_the_radius_nearest_to_the_citizen():
    answer = body(q="করিমগঞ্জের ইলেকট্রিশিয়ান")
    assert {"term": {"upazila": "karimganj"}} in filters_of(answer)
    assert around(answer) == []  # the upazila is the area
    assert answer["post_filter"] == {"bool": {"filter": available_now_filters(NOW, 120)}}
    # the distances cards show are the citizen's, so the list is in the citizen's distance order
    assert answer["sort"][0]["_geo_distance"]["location"] == {"lat": 24.43, "lon": 90.78}


def test_once_the_upazila_is_relaxed_the_radius_applies_around_it():
    understanding = understand("করিমগঞ্জের ইলেকট্রিশিয়ান", "provider")
    relaxed = tiers(understanding)[-1]
    assert relaxed.in_place is False
    answer = nearest_providers_body(
        CITIZEN, now=NOW, eligibility_days=120, understanding=understanding, tier=relaxed
    )
    assert {"term": {"upazila": "karimganj"}} not in filters_of(answer)
    assert around(answer)[0]["location"] == {"lat": 24.46, "lon": 90.87}  # around Karimganj
    assert answer["sort"][0]["_geo_distance"]["location"] == {
        "lat": 24.43,
        "lon": 90.78,
    }  # nearest to the citizen


@pytest.mark.parametrize("q", ["মসূয়া ইউনিয়নের ইলেকট্রিশিয়ান", "mosua union e electrician", "Masua electrician"])
def test_a_union_named_in_any_script_filters_on_the_union_documents_carry_then_looks_around_it(q):
    understanding = understand(q, "provider")
    assert understanding.place is not None and understanding.place.public()["level"] == "union"
    strict = nearest_providers_body(CITIZEN, now=NOW, eligibility_days=120, understanding=understanding)
    assert {"term": {"union": "masua"}} in filters_of(strict)
    assert around(strict) == []
    relaxed = tiers(understanding)[-1]
    assert relaxed.in_place is False
    wider = nearest_providers_body(
        CITIZEN, now=NOW, eligibility_days=120, understanding=understanding, tier=relaxed
    )
    assert {"term": {"union": "masua"}} not in filters_of(wider)
    place = understanding.place
    assert around(wider)[0]["location"] == {"lat": place.lat, "lon": place.lon}  # around Masua


def test_a_market_is_looked_for_in_its_upazila_not_only_within_a_walk_of_it():
    understanding = understand("কুলিয়ারচর বাজারে কসাই", "provider")
    assert understanding.place is not None and understanding.place.level == "market"
    answer = nearest_providers_body(CITIZEN, now=NOW, eligibility_days=120, understanding=understanding)
    assert {"term": {"upazila": "kuliarchar"}} in filters_of(answer)


def test_only_the_served_districts_documents_are_searched():
    assert in_district("kishoreganj") in filters_of(body())
    # documents indexed before they carried a district are the default district's; another's are not
    assert in_district("netrokona") == {"term": {"district": "netrokona"}}


def test_relevance_sorts_by_score_only_when_there_are_words_to_score():
    with_words = body(NearestQuery(lat=24.43, lon=90.78, q="হাউস ওয়্যারিং", sort="relevance"), q="হাউস ওয়্যারিং")
    assert with_words["sort"][0] == "_score"
    without = body(NearestQuery(lat=24.43, lon=90.78, sort="relevance"))
    assert "_geo_distance" in without["sort"][0]


def test_closed_nearby_come_from_the_radius_not_available_now_nearest_first():
    params = NearestQuery(lat=24.43, lon=90.78, category="butcher")
    assert "aggs" not in body(params)  # asked apart, only when the answer is short (run.py)
    closed = body(params, part="closed_nearby")
    assert around(closed) == [{"distance": "10.0km", "location": {"lat": 24.43, "lon": 90.78}}]
    assert {"term": {"category": "butcher"}} in filters_of(closed)
    assert {"bool": {"must_not": [{"bool": {"filter": available_now_filters(NOW, 120)}}]}} in filters_of(
        closed
    )
    assert "post_filter" not in closed
    # the nearest few, of whom shaping keeps the CLOSED_NEARBY_LIMIT who open first
    assert closed["size"] == CLOSED_CANDIDATES > CLOSED_NEARBY_LIMIT
    assert "_geo_distance" in closed["sort"][0] and closed["sort"][1] == {"id": "asc"}


def test_the_nearest_open_beyond_ignores_the_radius_and_a_named_upazilas_boundary():
    understanding = understand("করিমগঞ্জের ইলেকট্রিশিয়ান", "provider")
    answer = nearest_providers_body(
        NearestQuery(lat=24.43, lon=90.78, radius_km=1), now=NOW, eligibility_days=120,
        understanding=understanding, tier=tiers(understanding)[0], part="open_beyond",
    )  # fmt: skip
    assert answer["size"] == 1
    assert [a["distance"] for a in around(answer)] == [f"{BEYOND_KM}km"]
    assert {"term": {"upazila": "karimganj"}} not in filters_of(answer)
    assert {"term": {"available": True}} in filters_of(answer)


def test_without_available_now_there_is_nothing_to_add():
    answer = body(NearestQuery(lat=24.43, lon=90.78, available_now=False, category="butcher"))
    assert "post_filter" not in answer and "aggs" not in answer


def test_a_donor_may_give_again_eligibility_days_after_the_last_donation():
    assert eligible_since(NOW, 120) == "2026-08-03"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"lat": 24.4, "lon": 90.7, "category": "fish"}, "category"),  # a product category
        ({"lat": 24.4, "lon": 90.7, "blood_group": "C+"}, "blood_group"),
        ({"lat": 91, "lon": 90.7}, "lat"),
        ({"lat": 24.4, "lon": 90.7, "radius_km": 0}, "radius_km"),
        ({"lat": 24.4, "lon": 90.7, "sort": "price"}, "sort"),
    ],
)
def test_the_request_model_refuses_what_the_api_refuses(params, parameter):
    with pytest.raises(ValidationError) as refused:
        NearestQuery(**params)
    assert [error["loc"] for error in refused.value.errors()] == [(parameter,)]


def test_an_unknown_category_is_named_with_where_to_find_the_list():
    with pytest.raises(ValidationError) as refused:
        NearestQuery(lat=24.4, lon=90.7, category="spaceships")
    assert (
        refused.value.errors()[0]["msg"] == "unknown category 'spaceships'; see /v1/categories for the list"
    )
