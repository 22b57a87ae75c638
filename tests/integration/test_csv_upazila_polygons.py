"""A clerk's coordinates judged by the upazila's polygon, end to end: a CSV through a real
ingest-service, Kafka and OpenSearch. Rows near upazila borders, each with what a circle would have
said and what the polygon says.

The points, from schemas/geography/kishoreganj.json (tests/unit/portal/test_geography.py has them too):
- KATIADI_NEAR_SADAR 24.364584, 90.807140: in Katiadi, 100 m from its border with Kishoreganj Sadar,
  13.4 km from Katiadi's centre in schemas/gazetteer.json. A circle of Katiadi's own area (radius_km
  8.3) refuses it; the polygon accepts it.
- KARIMGANJ_NEAR_SADAR 24.4605, 90.8601: in Karimganj (Jafarabad union), 2.9 km past Kishoreganj
  Sadar's border, filed under kishoreganj-sadar. 8.7 km from Sadar's centre, so the circle this
  replaced (1.6 × radius_km + 8 km = 20.8 km) accepted it; the polygon refuses it.
- SADAR_100_M_PAST_KATIADI 24.366242, 90.807905: in Kishoreganj Sadar, 100 m past Katiadi's border,
  filed under katiadi: inside the stated 200 m tolerance, accepted.
- SADAR_300_M_PAST_KATIADI 24.367901, 90.808671: 300 m past it, filed under katiadi: refused.

Honest note: the circle this replaced refused no point of any Kishoreganj upazila (it was widened
until it did not: Mithamain's farthest corner, plus the 200 m tolerance, has 1.6 km to spare), which is
how it came to accept up to ~10 km of the neighbours' land. So the first row is refused by the circle
of the upazila's own area, the circle that would not take the neighbours' land; both circles are
computed below from schemas/gazetteer.json, so the test states what each said.
"""

from __future__ import annotations

from integration.test_csv_clerk_files import imported, tag
from integration.test_csv_import import codes, found
from portal.contracts import gazetteer
from portal.geo import haversine_m

HEADER = ["id", "name_bn", "category", "phone", "lat", "lon", "upazila"]
KATIADI_NEAR_SADAR = (24.364584, 90.807140)
KARIMGANJ_NEAR_SADAR = (24.4605, 90.8601)
SADAR_100_M_PAST_KATIADI = (24.366242, 90.807905)
SADAR_300_M_PAST_KATIADI = (24.367901, 90.808671)


def circles_km(upazila: str, point: tuple[float, float]) -> tuple[float, float, float]:
    """(distance from the gazetteer centre, radius of the disc of the upazila's area, the reach of
    the circle rule this replaced: 1.6 × that radius + 8 km)."""
    place = next(p for p in gazetteer()["places"] if p["slug"] == upazila)
    distance = haversine_m(place["lat"], place["lon"], *point) / 1000
    return distance, place["radius_km"], 1.6 * place["radius_km"] + 8


def csv(rows: list[list[str]]) -> bytes:
    return ("\ufeff" + "\r\n".join(",".join(r) for r in rows) + "\r\n").encode()


def test_rows_near_upazila_borders_are_judged_by_the_polygon(ingest, settings, engine):
    # What the circles said, from the gazetteer's centres and radii:
    distance, area_radius, old_reach = circles_km("katiadi", KATIADI_NEAR_SADAR)
    assert distance > area_radius  # the circle of Katiadi's area refused this right row
    distance, area_radius, old_reach = circles_km("kishoreganj-sadar", KARIMGANJ_NEAR_SADAR)
    assert distance < old_reach  # the circle this replaced accepted this wrong row

    t = tag()
    result = imported(
        ingest,
        csv(
            [
                HEADER,
                [f"{t}-1", "কটিয়াদীর দোকান", "barber", "01712345671", *map(str, KATIADI_NEAR_SADAR), "katiadi"],
                [f"{t}-2", "করিমগঞ্জের দোকান", "barber", "01712345672", *map(str, KARIMGANJ_NEAR_SADAR),
                 "kishoreganj-sadar"],
                [f"{t}-3", "সীমানার দোকান", "barber", "01712345673", *map(str, SADAR_100_M_PAST_KATIADI), "katiadi"],
                [f"{t}-4", "সীমানার ওপারে", "barber", "01712345674", *map(str, SADAR_300_M_PAST_KATIADI), "katiadi"],
            ]
        ),
        "border.csv",
    )  # fmt: skip
    assert (result["accepted"], result["rejected"]) == (2, 2)
    assert codes(result) == [(3, "E", "coordinate_outside_upazila"), (5, "E", "coordinate_outside_upazila")]
    karimganj, past = result["errors"]
    assert (
        "is in Jafarabad, Karimganj (karimganj), 2.9 km outside the boundary of kishoreganj-sadar"
        in (karimganj["message"])
    )
    assert "polygon" in karimganj["message"] and "200 m" in karimganj["message"]
    assert "করিমগঞ্জ, জাফরাবাদ" in karimganj["message_bn"] and "বহুভুজ" in karimganj["message_bn"]
    assert "২০০ মিটার" in karimganj["message_bn"]
    assert "300 m outside the boundary of katiadi" in past["message"]

    docs = found(engine, settings, "providers", [f"{t}-{i}" for i in range(1, 5)])
    assert set(docs) == {f"{t}-1", f"{t}-3"}
    assert docs[f"{t}-1"]["upazila"] == docs[f"{t}-3"]["upazila"] == "katiadi"
    assert docs[f"{t}-1"]["district"] == "kishoreganj"  # filled in by ingest: the rows name none
    assert docs[f"{t}-1"]["location"] == {"lat": KATIADI_NEAR_SADAR[0], "lon": KATIADI_NEAR_SADAR[1]}
