"""A citizen's position named by the district's polygons (search/places/at.py), without a server."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from portal.geography import geography
from search.api.places import PositionQuery
from search.api.query_model import read_query
from search.places.at import _genitive, citizen_at
from search.providers.request import NearestQuery


@pytest.mark.parametrize(
    ("lat", "lon", "upazila", "union", "bn"),
    [
        (24.26, 90.75, "katiadi", "masua", "কটিয়াদী, মসূয়া ইউনিয়ন"),
        (24.4449, 90.7766, "kishoreganj-sadar", "kishoreganj-paurashava", "কিশোরগঞ্জ সদর, কিশোরগঞ্জ পৌরসভা"),
        (24.0566, 90.9855, "bhairab", "bhairab-paurashava", "ভৈরব, ভৈরব পৌরসভা"),
    ],
)
def test_a_position_in_the_district_is_named_by_upazila_and_union(lat, lon, upazila, union, bn):
    at = citizen_at(lat, lon)
    assert at.inside_district and at.district is not None and at.district.slug == "kishoreganj"
    assert at.upazila is not None and at.upazila.slug == upazila
    assert at.union is not None and at.union.slug == union
    assert at.bn == bn


def test_a_position_outside_the_district_polygon_says_so():
    at = citizen_at(23.81, 90.41)  # Dhaka
    assert not at.inside_district and at.upazila is None and at.union is None
    assert at.bn == "কিশোরগঞ্জ জেলার বাইরে" and at.en == "outside Kishoreganj district"


def test_another_districts_geography_names_its_own_places():
    netrokona = geography("netrokona")
    sadar = netrokona.upazilas[next(iter(netrokona.upazilas))]
    at = citizen_at(sadar.lat, sadar.lon, netrokona)
    assert at.inside_district and at.district is not None and at.district.slug == "netrokona"
    assert not citizen_at(24.26, 90.75, netrokona).inside_district  # Masua is Kishoreganj's


def test_near_a_union_reads_as_bangla_does():
    assert _genitive("মসূয়া ইউনিয়ন") == "মসূয়া ইউনিয়নের"
    assert _genitive("ভৈরব পৌরসভা") == "ভৈরব পৌরসভার"


def test_positions_and_numbers_come_in_bangla_digits_too():
    query = urlencode({"lat": "২৪.২৬", "lon": "৯০.৭৫", "q": "৫ কেজি"}).encode()
    request = Request({"type": "http", "query_string": query, "headers": []})
    position = read_query(PositionQuery, request)
    assert (position.lat, position.lon) == (24.26, 90.75)
    nearest = read_query(NearestQuery, request)
    assert nearest.q == "৫ কেজি"  # free text as typed: the reader normalizes its digits
