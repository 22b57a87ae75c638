"""What citizens type, on the real stack: places, needs with fillers, night searches, the search log,
and synonyms added at run time. Providers live in Austagram and Mithamain, where no other module puts
any, so results are ours alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from factories import provider_event
from harness.service_process import service_env
from integration.conftest import REPO, produce, wait_consumed, wait_for
from portal.clock import DHAKA

AUSTAGRAM = (24.275, 91.105)
MITHAMAIN = (24.415, 91.05)
SAT_NOON = datetime(2026, 11, 28, 12, 0, tzinfo=DHAKA)
SAT_2AM = datetime(2026, 11, 28, 2, 0, tzinfo=DHAKA)
SHOP_HOURS = [
    {"day": d, "open": "09:00", "close": "18:00"} for d in ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
]
KEY = {"authorization": "Bearer test-key-1"}
#: A word nobody has: the synonym test teaches it to the search.
NEW_WORD = f"ঝাড়ুদারনি{uuid.uuid4().hex[:4]}"


def near(centre: tuple[float, float], i: int) -> dict[str, float]:
    return {"lat": centre[0] + 0.002 * i, "lon": centre[1] + 0.001 * i}


def austagram(**data):
    return {"address": {"bn": "অষ্টগ্রাম", "upazila": "austagram"}, **data}


PROVIDERS = {
    **{f"su-mit-doctor-{i}": ({"category": "doctor", "address": {"bn": "মিঠামইন", "upazila": "mithamain"}}, MITHAMAIN, i) for i in range(3)},
    **{f"su-aus-doctor-{i}": (austagram(category="doctor"), AUSTAGRAM, i) for i in range(3)},
    **{f"su-aus-barber-{i}": (austagram(category="barber", services=["চুল কাটা", "দাড়ি শেভ"]), AUSTAGRAM, i) for i in range(2)},
    "su-aus-carpenter": (austagram(category="carpenter", services=["খাট ও আলমারি তৈরি"]), AUSTAGRAM, 3),
    **{f"su-aus-butcher-{i}": (austagram(category="butcher", hours=SHOP_HOURS), AUSTAGRAM, i) for i in range(3)},
    # open all night, but 20 km away: beyond a 5 km radius
    "su-mit-butcher-always": ({"category": "butcher", "address": {"bn": "মিঠামইন", "upazila": "mithamain"}}, MITHAMAIN, 5),
    **{f"su-aus-cleaner-{i}": (austagram(category="cleaner", services=["বাথরুম পরিষ্কার"]), AUSTAGRAM, i) for i in range(2)},
    "su-aus-donor-waiting": (austagram(category="blood_donor", blood_group="O-", last_donation_date="2026-11-18"), AUSTAGRAM, 4),
    "su-aus-donor-ok": (austagram(category="blood_donor", blood_group="O-", last_donation_date="2026-01-10"), AUSTAGRAM, 6),
}  # fmt: skip


@pytest.fixture(scope="module")
def indexed(ingest, producer, settings, engine):
    topic = settings.topic("providers")
    for id, (data, centre, i) in PROVIDERS.items():
        position = near(centre, i)
        produce(producer, topic, provider_event(id, lat=position["lat"], lon=position["lon"], **data))
    wait_consumed(settings, f"{settings.topic_prefix}ingest")
    engine.indices.refresh(index=settings.index_alias("providers"))
    return True


async def nearest(client, app, q: str, *, now: datetime = SAT_NOON, **params) -> dict:
    app.state.clock = lambda: now
    query = {"lat": AUSTAGRAM[0], "lon": AUSTAGRAM[1], "q": q, "radius_km": 5, **params}
    response = await client.get("/v1/providers/nearest", params=query)
    assert response.status_code == 200, response.text
    return response.json()


def mine(results: list[dict]) -> list[dict]:
    return [r for r in results if r["id"].startswith("su-")]


@pytest.mark.parametrize(
    "q", ["মিঠামইনের ডাক্তার", "doctor near mithamain", "mithamain e daktar", "মিঠামইন doctor"]
)
async def test_a_place_in_the_query_moves_the_search_there(indexed, search_client, search_app, q):
    body = await nearest(search_client, search_app, q, radius_km=100, available_now="false")
    assert body["query"]["place"]["slug"] == "mithamain"
    assert body["query"]["categories"] == ["doctor"]
    inside = body["query"]["exact_matches"]
    assert inside >= 3, body
    assert {r["upazila"]["slug"] for r in body["results"][:inside]} == {"mithamain"}
    assert {r["category"]["slug"] for r in body["results"]} == {"doctor"}
    assert {f"su-mit-doctor-{i}" for i in range(3)} <= {r["id"] for r in body["results"][:inside]}
    # a short page goes on with doctors nearest that upazila, and says the place was relaxed
    assert all(r["upazila"]["slug"] != "mithamain" for r in body["results"][inside:])
    assert body["query"]["relaxed"] is (len(body["results"]) > inside)
    # distances are still the citizen's: they are in Austagram, ~20 km from Mithamain
    assert all(r["distance_m"] > 10_000 for r in body["results"][:inside])


async def test_without_a_place_the_same_trade_comes_from_around_the_citizen(
    indexed, search_client, search_app
):
    body = await nearest(search_client, search_app, "ডাক্তার", radius_km=100, available_now="false", limit=3)
    assert body["query"]["place"] is None
    assert [r["id"] for r in body["results"]] == [f"su-aus-doctor-{i}" for i in range(3)]


@pytest.mark.parametrize(
    ("q", "category", "ignored"),
    [
        ("দাড়ি শেভ করাবো", "barber", {"করাবো"}),
        ("khat banabo", "carpenter", {"banabo"}),
        ("আমার একটা ডাক্তার লাগবে প্লিজ", "doctor", {"আমার", "একটা", "লাগবে", "প্লিজ"}),
    ],
)
async def test_fillers_never_have_to_match_and_are_named(
    indexed, search_client, search_app, q, category, ignored
):
    body = await nearest(search_client, search_app, q, available_now="false")
    assert body["query"]["categories"] == [category]
    assert mine(body["results"]) and {r["category"]["slug"] for r in body["results"]} == {category}
    assert ignored <= set(body["query"]["ignored_words"])


async def test_a_word_nobody_has_is_dropped_and_named_rather_than_emptying_the_answer(
    indexed, search_client, search_app
):
    body = await nearest(search_client, search_app, "ডাক্তার qzxwv", available_now="false")
    assert {r["category"]["slug"] for r in body["results"]} == {"doctor"} and body["results"]
    assert "qzxwv" in body["query"]["ignored_words"]
    assert body["query"]["relaxed"] is True


async def test_at_night_the_closed_ones_nearby_come_with_when_they_open(indexed, search_client, search_app):
    body = await nearest(search_client, search_app, "কসাই", now=SAT_2AM)
    assert body["results"] == [] and body["total"] == 0
    closed = mine(body["closed_nearby"])
    assert {r["id"] for r in closed} == {f"su-aus-butcher-{i}" for i in range(3)}
    assert all(r["open_now"] is False for r in closed)
    assert {r["next_open"] for r in closed} == {"2026-11-28T09:00:00+06:00"}
    assert [r["distance_m"] for r in body["closed_nearby"]] == sorted(
        r["distance_m"] for r in body["closed_nearby"]
    )
    beyond = body["nearest_open_beyond"]
    assert beyond is not None and beyond["open_now"] is True and beyond["distance_m"] > 5_000
    assert beyond["category"]["slug"] == "butcher"


async def test_a_full_page_of_open_providers_needs_no_closed_ones(indexed, search_client, search_app):
    body = await nearest(search_client, search_app, "কসাই", now=SAT_NOON, limit=2)
    assert len(body["results"]) == 2 and body["closed_nearby"] == [] and body["nearest_open_beyond"] is None


async def test_blood_donors_in_their_waiting_period_are_never_available_or_open(
    indexed, search_client, search_app
):
    body = await nearest(search_client, search_app, "O- রক্ত লাগবে")
    assert body["query"]["blood_group"] == "O-"
    assert [r["id"] for r in mine(body["results"])] == ["su-aus-donor-ok"]
    assert body["results"][0]["can_donate_from"] is None
    waiting = [r for r in body["closed_nearby"] if r["id"] == "su-aus-donor-waiting"]
    assert waiting and waiting[0]["open_now"] is False and waiting[0]["next_open"] is None
    assert waiting[0]["can_donate_from"] == "2027-03-18"  # 120 days after 2026-11-18
    everyone = await nearest(search_client, search_app, "O- রক্ত", available_now="false")
    shown = {r["id"]: r for r in everyone["results"]}
    assert shown["su-aus-donor-waiting"]["open_now"] is False
    assert shown["su-aus-donor-ok"]["open_now"] is True


async def test_cards_carry_todays_hours(indexed, search_client, search_app):
    body = await nearest(search_client, search_app, "কসাই", now=SAT_NOON, limit=3)
    assert mine(body["results"])
    assert all(r["hours_today"] == [{"open": "09:00", "close": "18:00"}] for r in mine(body["results"]))


async def test_a_synonym_added_through_the_api_finds_providers_within_seconds(
    indexed, ingest, search_client, search_app
):
    before = await nearest(search_client, search_app, NEW_WORD, available_now="false")
    assert before["results"] == [] and before["query"]["categories"] == []
    added = httpx.post(
        f"{ingest.url}/v1/synonyms",
        headers=KEY,
        json={"words": [NEW_WORD], "category": "cleaner"},
        timeout=15,
    )
    assert added.status_code == 201, added.text
    listed = httpx.get(f"{ingest.url}/v1/synonyms", headers=KEY, timeout=5).json()["synonyms"]
    assert added.json()["id"] in {s["id"] for s in listed}

    async def found() -> list[dict]:
        body = await nearest(search_client, search_app, NEW_WORD, available_now="false")
        return mine(body["results"])

    results = await async_wait_for(found, what="the new synonym to reach search-service")
    assert {r["category"]["slug"] for r in results} == {"cleaner"}

    removed = httpx.delete(f"{ingest.url}/v1/synonyms/{added.json()['id']}", headers=KEY, timeout=15)
    assert removed.status_code == 204

    async def gone() -> bool:
        return not await found()

    await async_wait_for(gone, what="the removed synonym to leave search-service")


def test_synonyms_need_a_key_and_name_a_real_category(ingest):
    assert httpx.get(f"{ingest.url}/v1/synonyms", timeout=5).status_code == 401
    bad = httpx.post(
        f"{ingest.url}/v1/synonyms", headers=KEY, json={"words": ["x"], "category": "wizard"}, timeout=5
    )
    assert bad.status_code == 422 and "wizard" in bad.json()["message"]


async def test_a_zero_result_query_appears_in_the_report(
    indexed, ingest, settings, search_client, search_app
):
    nonsense = "qqzero" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:6])  # no digits
    for client in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):  # the report lists what 3 clients searched
        transport = httpx.ASGITransport(app=search_app, client=(client, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://search.test") as other:
            body = await nearest(other, search_app, nonsense, now=SAT_NOON)
        assert body["results"] == []
    window = {
        "since": (SAT_NOON - timedelta(hours=1)).isoformat(),
        "until": (SAT_NOON + timedelta(hours=1)).isoformat(),
    }

    def reported() -> dict | None:
        answer = httpx.get(f"{ingest.url}/v1/reports/searches", headers=KEY, params=window, timeout=10)
        assert answer.status_code == 200, answer.text
        report = answer.json()
        return report if nonsense in {row["q"] for row in report["zero_result_queries"]} else None

    report = wait_for(reported, timeout=60, what="the zero-result query in the report")
    assert report["zero_results"] >= 1
    # `make report` prints the same report from the command line
    printed = subprocess.run(
        [sys.executable, "-m", "ingest.search_report", "--since", window["since"], "--until", window["until"]],
        env=service_env(settings), capture_output=True, text=True, timeout=60, cwd=REPO, check=True,
    )  # fmt: skip
    assert nonsense in printed.stdout and "zero-result queries" in printed.stdout
    assert os.environ.get("INDEX_PREFIX") != settings.index_prefix  # the demo's log was not touched


async def async_wait_for(predicate, *, timeout: float = 30, what: str = "condition"):
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await predicate()
        if last:
            return last
        await asyncio.sleep(0.3)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last value: {last!r})")


async def test_a_long_query_is_read_to_its_limit_and_the_rest_is_named_not_understood(
    indexed, search_client, search_app
):
    """Issue 13, item 1: the cost of a query is bounded by what is read of it, whatever its length."""
    words = ["ডাক্তার", *(f"zq{i}x" for i in range(60))]
    q = " ".join(words)[:200]
    body = await nearest(search_client, search_app, q, available_now="false")
    assert body["query"]["categories"] == ["doctor"]
    beyond = q.split()[20:]  # reading.MAX_WORDS
    assert beyond and set(beyond) <= set(body["query"]["ignored_words"])
