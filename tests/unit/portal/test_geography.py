"""portal.geography on the generated contracts: which upazila and union a point is in, and whether a
point counts as inside an upazila (its polygon, with the border tolerance), never a circle.

The points are stated here; where they come from: a point on the Katiadi / Kishoreganj Sadar border
(the middle of their longest shared border) moved 100 m and 300 m into Kishoreganj Sadar, along the
border's normal; union and town points are the `centre`s of schemas/geography/kishoreganj.json.
"""

from __future__ import annotations

import json
import math
import random
import unicodedata

import pytest

from portal.geo import haversine_m
from portal.geography import (
    CELL_DEG,
    GEOGRAPHY_DIR,
    Geography,
    LocalFrame,
    built_districts,
    configured_district,
    contract,
    geography,
)

#: In Kishoreganj Sadar, 100 m and 300 m beyond the Katiadi border.
SADAR_100_M_PAST_KATIADI = (24.366242, 90.807905)
SADAR_300_M_PAST_KATIADI = (24.367901, 90.808671)
#: In Katiadi, 100 m from the Kishoreganj Sadar border.
KATIADI_100_M_FROM_SADAR = (24.364584, 90.807140)
MASUA = (24.26083, 90.74985)  # a union of Katiadi (মসূয়া)
KISHOREGANJ_TOWN = (24.43779, 90.77698)  # the centre of Kishoreganj Paurashava
DHAKA = (23.8103, 90.4125)
NETROKONA_TOWN = (24.8836, 90.7290)  # inside Netrokona Sadar, about 48 km north of Kishoreganj town


@pytest.fixture(scope="module")
def kishoreganj() -> Geography:
    return geography("kishoreganj")


def test_both_districts_are_built_and_kishoreganj_is_the_default() -> None:
    assert {"kishoreganj", "netrokona"} <= set(built_districts())
    assert configured_district() == "kishoreganj"


def test_a_point_is_named_by_district_upazila_and_union(kishoreganj: Geography) -> None:
    where = kishoreganj.locate(*MASUA)
    assert where.district is not None and where.district.slug == "kishoreganj"
    assert where.upazila is not None and (where.upazila.slug, where.upazila.bn) == ("katiadi", "কটিয়াদী")
    assert where.union is not None and (where.union.slug, where.union.bn) == ("masua", "মসূয়া")
    assert where.union_inside and where.union.upazila == "katiadi"


def test_the_town_is_in_its_paurashava(kishoreganj: Geography) -> None:
    where = kishoreganj.locate(*KISHOREGANJ_TOWN)
    assert where.upazila is not None and where.upazila.slug == "kishoreganj-sadar"
    assert where.union is not None and (where.union.level, where.union.bn) == ("paurashava", "কিশোরগঞ্জ পৌরসভা")


def test_a_point_outside_the_district_is_nowhere_in_it(kishoreganj: Geography) -> None:
    where = kishoreganj.locate(*DHAKA)
    assert (where.district, where.upazila, where.union) == (None, None, None)
    assert not kishoreganj.in_district(*DHAKA)
    assert not kishoreganj.contains("kishoreganj-sadar", *DHAKA)
    assert kishoreganj.distance_outside_m("kishoreganj-sadar", *DHAKA) > 50_000


def test_a_point_of_another_district_is_found_in_that_district() -> None:
    assert not geography("kishoreganj").in_district(*NETROKONA_TOWN)
    where = geography("netrokona").locate(*NETROKONA_TOWN)
    assert where.district is not None and (where.district.slug, where.district.bn) == ("netrokona", "নেত্রকোণা")
    assert where.upazila is not None and where.upazila.slug == "netrokona-sadar"


def test_a_point_inside_an_upazila_is_contained_with_no_tolerance_at_all(kishoreganj: Geography) -> None:
    assert kishoreganj.contains("katiadi", *MASUA, tolerance_m=0)
    assert kishoreganj.distance_outside_m("katiadi", *MASUA) == 0
    assert kishoreganj.contains("katiadi", *KATIADI_100_M_FROM_SADAR, tolerance_m=0)


def test_a_point_just_over_the_border_counts_within_the_tolerance_only(kishoreganj: Geography) -> None:
    assert kishoreganj.border_tolerance_m == 200
    assert 95 <= kishoreganj.distance_outside_m("katiadi", *SADAR_100_M_PAST_KATIADI) <= 105
    assert kishoreganj.contains("katiadi", *SADAR_100_M_PAST_KATIADI)  # the contract's 200 m
    assert not kishoreganj.contains("katiadi", *SADAR_100_M_PAST_KATIADI, tolerance_m=50)
    assert not kishoreganj.contains("katiadi", *SADAR_300_M_PAST_KATIADI)
    # where it really is: Kishoreganj Sadar, whatever the tolerance
    where = kishoreganj.locate(*SADAR_100_M_PAST_KATIADI)
    assert where.upazila is not None and where.upazila.slug == "kishoreganj-sadar"
    assert kishoreganj.contains("kishoreganj-sadar", *SADAR_100_M_PAST_KATIADI, tolerance_m=0)


def test_a_point_in_the_district_but_in_another_upazila_is_not_contained(kishoreganj: Geography) -> None:
    assert kishoreganj.in_district(*MASUA)
    assert not kishoreganj.contains("kishoreganj-sadar", *MASUA)
    assert not kishoreganj.contains("bhairab", *KISHOREGANJ_TOWN)
    assert kishoreganj.distance_outside_m("bhairab", *KISHOREGANJ_TOWN) > 10_000


def test_an_unknown_upazila_contains_nothing(kishoreganj: Geography) -> None:
    assert not kishoreganj.contains("netrokona-sadar", *MASUA)


def test_locate_with_a_tolerance_places_a_fix_just_outside_the_district() -> None:
    geo = geography("kishoreganj")
    district = contract("kishoreganj")["district"]["polygon"]
    ring = district["coordinates"][0] if district["type"] == "Polygon" else district["coordinates"][0][0]
    lon, lat = ring[0]
    frame = LocalFrame(lat, lon)
    inside = [p for p in _around(frame, 150) if geo.in_district(*p)]
    outside = [p for p in _around(frame, 150) if not geo.in_district(*p)]
    assert inside and outside  # a border vertex has both sides within 150 m
    point = outside[0]
    assert geo.locate(*point).district is None
    assert geo.locate(*point, tolerance_m=200).upazila is not None


def _around(frame: LocalFrame, metres: float) -> list[tuple[float, float]]:
    return [frame.latlon(dx * metres, dy * metres) for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1))]


def test_a_point_in_a_sliver_between_the_two_surveys_gets_its_upazilas_nearest_union() -> None:
    geo = geography("kishoreganj")
    frame = geo.frame
    found = None
    for x in range(-40_000, 40_000, 1_000):
        for y in range(-40_000, 40_000, 1_000):
            where = geo.locate(*frame.latlon(x, y))
            if where.upazila and not where.union_inside:
                found = where
                break
        if found:
            break
    assert found is not None and found.union is not None
    assert found.union.upazila == found.upazila.slug and 0 < found.union_distance_m < 3_000


def test_the_local_frame_measures_metres_as_the_engine_does() -> None:
    frame = LocalFrame(24.44, 90.78)
    for lat, lon in (MASUA, KISHOREGANJ_TOWN, SADAR_300_M_PAST_KATIADI):
        x, y = frame.xy(lat, lon)
        assert abs((x * x + y * y) ** 0.5 - haversine_m(24.44, 90.78, lat, lon)) < 0.005 * max(
            1.0, (x * x + y * y) ** 0.5
        )
        back = frame.latlon(x, y)
        assert back == pytest.approx((lat, lon), abs=1e-9)


@pytest.mark.parametrize("district", ["kishoreganj", "netrokona"])
def test_the_contract_is_small_and_consistent(district: str) -> None:
    path = GEOGRAPHY_DIR / f"{district}.json"
    assert path.stat().st_size < 450_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["max_border_shift_m"] <= 50
    geo = geography(district)
    for upazila in geo.upazilas.values():
        assert geo.contains(upazila.slug, upazila.lat, upazila.lon, tolerance_m=0), upazila.slug
    for union in geo.unions.values():
        assert union.upazila in geo.upazilas
        where = geo.locate(union.lat, union.lon)
        assert where.upazila is not None and where.upazila.slug == union.upazila, union.slug
        assert where.union == union, union.slug


def test_a_points_union_for_a_document_is_one_whose_polygon_holds_it(kishoreganj: Geography) -> None:
    masua = kishoreganj.union_at(*MASUA)
    assert masua is not None and (masua.slug, masua.upazila) == ("masua", "katiadi")
    assert kishoreganj.union_at(*MASUA, upazila="katiadi") == masua
    # stated in another upazila than the union's: no union rather than one that contradicts it
    assert kishoreganj.union_at(*MASUA, upazila="kishoreganj-sadar") is None
    town = kishoreganj.union_at(*KISHOREGANJ_TOWN)
    assert town is not None and town.level == "paurashava"
    assert kishoreganj.union_at(*DHAKA) is None


def test_a_point_in_a_sliver_has_no_union_of_its_own(kishoreganj: Geography) -> None:
    """locate names a sliver's nearest union; a document keeps only a union that holds its point."""
    frame = kishoreganj.frame
    grid = (frame.latlon(x, y) for x in range(-40_000, 40_000, 1_000) for y in range(-40_000, 40_000, 1_000))
    sliver = next(p for p in grid if (w := kishoreganj.locate(*p)).upazila is not None and not w.union_inside)
    assert kishoreganj.union_at(*sliver) is None


#: Kishoreganj's 13 upazilas as the portal has always named and placed them (../shared/mission.md):
#: documents, events, clerks' files and frontends carry these slugs; they must never change.
KISHOREGANJ_UPAZILAS = [
    ("kishoreganj-sadar", "কিশোরগঞ্জ সদর", "Kishoreganj Sadar", 24.4330, 90.7800),
    ("austagram", "অষ্টগ্রাম", "Austagram", 24.2750, 91.1050),
    ("bajitpur", "বাজিতপুর", "Bajitpur", 24.2150, 90.9500),
    ("bhairab", "ভৈরব", "Bhairab", 24.0520, 90.9780),
    ("hossainpur", "হোসেনপুর", "Hossainpur", 24.4170, 90.6450),
    ("itna", "ইটনা", "Itna", 24.5300, 91.0850),
    ("karimganj", "করিমগঞ্জ", "Karimganj", 24.4600, 90.8700),
    ("katiadi", "কটিয়াদী", "Katiadi", 24.2450, 90.7900),
    ("kuliarchar", "কুলিয়ারচর", "Kuliarchar", 24.1600, 90.8850),
    ("mithamain", "মিঠামইন", "Mithamain", 24.4150, 91.0500),
    ("nikli", "নিকলী", "Nikli", 24.3250, 90.9400),
    ("pakundia", "পাকুন্দিয়া", "Pakundia", 24.3300, 90.6800),
    ("tarail", "তাড়াইল", "Tarail", 24.5500, 90.8800),
]


def test_kishoreganj_keeps_its_13_slugs_labels_and_points_in_order() -> None:
    from portal.contracts import district_upazilas, taxonomy

    made = [(u.slug, u.bn, u.en, u.lat, u.lon) for u in district_upazilas("kishoreganj").values()]
    assert made == [
        (s, unicodedata.normalize("NFC", bn), en, lat, lon) for s, bn, en, lat, lon in KISHOREGANJ_UPAZILAS
    ]
    assert taxonomy().upazilas == district_upazilas("kishoreganj")  # the default DISTRICT's
    assert set(geography("kishoreganj").upazilas) == {s for s, *_ in KISHOREGANJ_UPAZILAS}


def test_another_districts_upazilas_come_from_its_geography_sadar_first() -> None:
    from portal.contracts import district_upazilas

    netrokona = district_upazilas("netrokona")
    assert next(iter(netrokona)) == "netrokona-sadar" and len(netrokona) == 10
    assert list(netrokona)[1:] == sorted(list(netrokona)[1:])
    assert (netrokona["kendua"].bn, netrokona["kendua"].en) == ("কেন্দুয়া", "Kendua")
    assert {u.district for u in netrokona.values()} == {"netrokona"}
    assert not set(netrokona) & {s for s, *_ in KISHOREGANJ_UPAZILAS}


@pytest.mark.parametrize("district", ["kishoreganj", "netrokona"])
def test_every_town_lies_in_its_upazila_and_has_a_radius(district: str) -> None:
    from portal.contracts import district_upazilas

    geo = geography(district)
    for upazila in district_upazilas(district).values():
        # Hossainpur's point of the portal lies 118 m past its polygon: inside the border tolerance
        assert geo.contains(upazila.slug, upazila.lat, upazila.lon), upazila.slug
        assert 3 < upazila.radius_km < 15


def test_a_district_not_built_is_named_with_what_to_run() -> None:
    from portal.contracts import district_contract, district_upazilas

    with pytest.raises(ValueError, match=r"make geography DISTRICT=dhaka"):
        district_contract("dhaka")
    with pytest.raises(ValueError, match="জেলা"):
        district_upazilas("dhaka")


@pytest.mark.parametrize("district", built_districts())
def test_the_grid_answers_every_point_as_the_polygons_do(district: str) -> None:
    """Random points over the district's bounds and a margin, and points on the grid's own lines
    (where rounding decides the cell), with and without the border tolerance."""
    place = geography(district)
    cells = place._whole_cells
    rng = random.Random(7)
    south, west = cells.lat0 - 0.02, cells.lon0 - 0.02
    north, east = cells.lat0 + cells.rows * CELL_DEG + 0.02, cells.lon0 + cells.columns * CELL_DEG + 0.02
    points = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(20_000)]
    points += [
        (
            cells.lat0 + rng.randrange(cells.rows) * CELL_DEG,
            cells.lon0 + rng.uniform(0, cells.columns) * CELL_DEG,
        )
        for _ in range(2_000)
    ]
    points += [
        (
            cells.lat0 + rng.uniform(0, cells.rows) * CELL_DEG,
            cells.lon0 + rng.randrange(cells.columns) * CELL_DEG,
        )
        for _ in range(2_000)
    ]
    from_grid = 0
    for lat, lon in points:
        for tolerance in (0.0, place.border_tolerance_m, 4 * place.border_tolerance_m):
            assert place.locate(lat, lon, tolerance_m=tolerance) == place.locate_by_polygons(
                lat, lon, tolerance_m=tolerance
            ), (lat, lon, tolerance)
        from_grid += cells.at(lat, lon) is not None
    assert from_grid > len(points) / 4  # the grid does answer: most of the district lies in whole cells


def test_the_grid_has_no_answer_beyond_its_bounds_or_for_nan(kishoreganj: Geography) -> None:
    cells = kishoreganj._whole_cells
    assert cells.at(math.nan, 90.8) is None and cells.at(24.4, math.nan) is None
    assert cells.at(cells.lat0 - 1e-9, cells.lon0 + 0.1) is None and cells.at(*DHAKA) is None
    assert kishoreganj.locate(*KISHOREGANJ_TOWN) == kishoreganj.locate_by_polygons(*KISHOREGANJ_TOWN)


def test_a_fix_just_beyond_the_districts_outermost_point_is_placed_within_the_tolerance(
    kishoreganj: Geography,
) -> None:
    """The quick "far from every upazila" answer starts only beyond the tolerance: the northernmost
    point of all the upazilas, moved north by half the tolerance, is still placed; by twice, not."""
    tolerance = kishoreganj.border_tolerance_m
    shapes = kishoreganj._upazila_shapes
    north = max(range(len(shapes)), key=lambda i: shapes[i].bounds[3])
    x_top = next(x for x, y in shapes[north].exterior.coords if y == shapes[north].bounds[3])
    for beyond, placed in ((tolerance / 2, True), (tolerance * 2, False)):
        lat, lon = kishoreganj.frame.latlon(x_top, shapes[north].bounds[3] + beyond)
        where = kishoreganj.locate(lat, lon, tolerance_m=tolerance)
        assert (where.upazila is not None) is placed, beyond
        assert kishoreganj.locate(lat, lon).upazila is None  # no tolerance: outside
