"""Places smaller than an upazila on the real stack: a union named in Bangla or Banglish finds the
providers in it (ingest put the union on each document from its polygon), the search says it moved there
and at what level, and a citizen's GPS position is named by its union."""

from __future__ import annotations

import uuid

import pytest

from factories import provider_event
from integration.conftest import produce, wait_for
from portal.geography import configured_geography

pytestmark = pytest.mark.integration

TOWN = {"lat": 24.4449, "lon": 90.7766}  # Kishoreganj town: 20 km from Masua, 28 km from Lohajuri
MASUA = (24.26083, 90.74985)  # মসূয়া union of Katiadi
LOHAJURI = (24.19674, 90.81622)  # লোহাজুরী union of Katiadi
RUN = uuid.uuid4().hex[:6]


def in_katiadi(id: str, point: tuple[float, float]) -> dict:
    return provider_event(
        id,
        lat=point[0],
        lon=point[1],
        address={"bn": "কটিয়াদী", "upazila": "katiadi"},
        services=["হাউস ওয়্যারিং"],
    )


@pytest.fixture(scope="module")
def listed(ingest, producer, settings, engine) -> dict[str, str]:
    """Two electricians in Masua and one in Lohajuri, each union as the polygons say."""
    where = configured_geography()
    points = {
        f"pl-{RUN}-masua-1": (MASUA[0] + 0.002, MASUA[1]),
        f"pl-{RUN}-masua-2": (MASUA[0] - 0.002, MASUA[1] + 0.002),
        f"pl-{RUN}-lohajuri": LOHAJURI,
    }
    unions = {id: where.union_at(*point, "katiadi") for id, point in points.items()}
    assert {id: u.slug if u else None for id, u in unions.items()} == {
        f"pl-{RUN}-masua-1": "masua",
        f"pl-{RUN}-masua-2": "masua",
        f"pl-{RUN}-lohajuri": "lohajuri",
    }
    for id, point in points.items():
        produce(producer, settings.topic("providers"), in_katiadi(id, point))
    index = settings.index_alias("providers")

    def indexed():
        docs = engine.mget(index=index, body={"ids": list(points)})["docs"]
        return {d["_id"]: d["_source"]["union"] for d in docs} if all(d.get("found") for d in docs) else None

    found = wait_for(indexed, timeout=90, what="the Katiadi electricians to be indexed")
    engine.indices.refresh(index=index)  # mget reads in real time; a search sees a document once refreshed
    return found


@pytest.mark.parametrize(
    "q", ["মসূয়া ইউনিয়নের ইলেকট্রিশিয়ান", "mosua electrician", "Masua union e electrician mistri"]
)
async def test_a_union_named_in_bangla_or_banglish_finds_the_providers_in_it(listed, search_client, q):
    assert listed[f"pl-{RUN}-masua-1"] == "masua"
    response = await search_client.get(
        "/v1/providers/nearest", params={**TOWN, "q": q, "available_now": "false", "limit": 50}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    place = body["query"]["place"]
    assert (place["slug"], place["level"], place["upazila"]) == ("masua", "union", "katiadi")
    assert place["bn"] == "মসূয়া"
    # The matches are the union's; the page is filled after them from around it (relaxation/found.py filled_page)
    matches = body["results"][: body["query"]["exact_matches"]]
    ours = [r["id"] for r in matches if r["id"].startswith(f"pl-{RUN}")]
    assert sorted(ours) == [f"pl-{RUN}-masua-1", f"pl-{RUN}-masua-2"]  # not Lohajuri's
    assert all(r["upazila"]["slug"] == "katiadi" for r in matches)


async def test_a_gps_position_is_named_by_its_union(search_client):
    response = await search_client.get("/v1/places/at", params={"lat": MASUA[0], "lon": MASUA[1]})
    assert response.status_code == 200, response.text
    at = response.json()
    assert at["inside_district"] and at["upazila"]["slug"] == "katiadi" and at["union"]["slug"] == "masua"
    assert at["bn"] == "কটিয়াদী, মসূয়া ইউনিয়ন" and at["en"] == "Katiadi, Masua union"
    nearest = await search_client.get(
        "/v1/providers/nearest", params={"lat": "২৪.২৬০৮৩", "lon": "৯০.৭৪৯৮৫", "category": "electrician"}
    )
    assert nearest.status_code == 200, nearest.text
    assert nearest.json()["query"]["citizen_at"]["union"]["slug"] == "masua"
    outside = (await search_client.get("/v1/places/at", params={"lat": 23.81, "lon": 90.41})).json()
    assert outside["inside_district"] is False and outside["bn"] == "কিশোরগঞ্জ জেলার বাইরে"
