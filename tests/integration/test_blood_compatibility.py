"""A blood group named in words, on the real stack: its own donors first, then those who can give to it
(red cells: O− to everyone, Rh-negative patients from Rh-negative donors only), each card with its
donor's group and the answer saying which groups it added; the `blood_group` parameter stays a filter
of that group alone."""

from __future__ import annotations

import uuid

import pytest

from factories import provider_event
from integration.conftest import produce, wait_for

pytestmark = pytest.mark.integration

SPOT = (24.2900, 90.8600)  # Chandpur union of Katiadi: a spot no other test module uses
RUN = uuid.uuid4().hex[:6]
#: Donors by distance from SPOT: an O− nearest, then a B−, an O+ (cannot give to B−), an A− (cannot).
DONORS = {
    f"bc-{RUN}-o-neg": ("O-", 0.001),
    f"bc-{RUN}-b-neg": ("B-", 0.003),
    f"bc-{RUN}-o-pos": ("O+", 0.004),
    f"bc-{RUN}-a-neg": ("A-", 0.005),
}


@pytest.fixture(scope="module")
def donors(ingest, producer, settings, engine) -> None:
    for id, (group, north) in DONORS.items():
        event = provider_event(
            id,
            lat=SPOT[0] + north,
            lon=SPOT[1],
            category="blood_donor",
            blood_group=group,
            address={"bn": "কটিয়াদী", "upazila": "katiadi"},
            phone_public=True,
        )
        produce(producer, settings.topic("providers"), event)
    index = settings.index_alias("providers")

    def indexed() -> bool:
        docs = engine.mget(index=index, body={"ids": list(DONORS)})["docs"]
        return all(d.get("found") for d in docs)

    wait_for(indexed, timeout=90, what="the donors to be indexed")
    engine.indices.refresh(index=index)


async def nearest(client, **params) -> dict:
    query = {"lat": SPOT[0], "lon": SPOT[1], "radius_km": 2, "limit": 20, **params}
    response = await client.get("/v1/providers/nearest", params=query)
    assert response.status_code == 200, response.text
    return response.json()


def ours(answer: dict) -> list[tuple[str, str]]:
    return [(r["id"], r["blood_group"]) for r in answer["results"] if r["id"].startswith(f"bc-{RUN}")]


async def test_b_negative_in_words_lists_its_donor_then_the_o_negative_who_can_give(donors, search_client):
    answer = await nearest(search_client, q="বি নেগেটিভ রক্ত লাগবে")
    assert ours(answer) == [(f"bc-{RUN}-b-neg", "B-"), (f"bc-{RUN}-o-neg", "O-")]  # own group, though farther
    assert answer["query"]["blood_group"] == "B-"
    assert answer["query"]["compatible_blood_groups"] == ["O-"]


async def test_the_blood_group_parameter_lists_that_group_alone(donors, search_client):
    answer = await nearest(search_client, category="blood_donor", blood_group="B-")
    assert ours(answer) == [(f"bc-{RUN}-b-neg", "B-")]
    assert answer["query"]["compatible_blood_groups"] == []


async def test_o_positive_in_words_adds_o_negative_and_never_a_negative(donors, search_client):
    answer = await nearest(search_client, q="rokto lagbe O+")
    assert ours(answer) == [(f"bc-{RUN}-o-pos", "O+"), (f"bc-{RUN}-o-neg", "O-")]
