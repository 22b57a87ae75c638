"""Synonym sets cannot quietly change what an existing word means, and are bounded (issue 21, item 4).

On a real ingest-service and an in-process search-service under a prefix of their own (so the sets
added here never reach another test's searches): the probe that turned ambulance searches into a place
search is refused, even with override; a category's name needs the override, which the set then shows;
the number and the size of sets are limited, with bilingual errors.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from harness.service_process import ServiceProcess
from portal.settings import PortalSettings

pytestmark = pytest.mark.integration

KEY = {"authorization": "Bearer test-key-1"}
TOWN = {"lat": 24.4449, "lon": 90.7766}


def own_prefix(settings: PortalSettings) -> PortalSettings:
    prefix = f"{settings.index_prefix}syn{uuid.uuid4().hex[:4]}_"
    return settings.model_copy(update={"index_prefix": prefix, "topic_prefix": prefix})


@pytest.fixture(scope="module")
def guarded_settings(settings: PortalSettings) -> PortalSettings:
    return own_prefix(settings)


@pytest.fixture(scope="module")
def guarded(make_ingest: Callable[..., ServiceProcess], guarded_settings: PortalSettings) -> ServiceProcess:
    return make_ingest(guarded_settings, CONSUMER_ENABLED="false").start()


@pytest.fixture(scope="module")
async def reader(
    guarded: ServiceProcess, guarded_settings: PortalSettings
) -> AsyncIterator[httpx.AsyncClient]:
    """search-service on the same synonyms topic: what a search reads after each attempt."""
    from search.config import SearchSettings
    from search.main import create_app

    app = create_app(
        SearchSettings(
            index_prefix=guarded_settings.index_prefix,
            topic_prefix=guarded_settings.topic_prefix,
            rate_limit_per_minute=0,
            search_log_enabled=False,
        )
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://search.test") as client:
            yield client


def add(service: ServiceProcess, **body: Any) -> httpx.Response:
    return httpx.post(f"{service.url}/v1/synonyms", headers=KEY, json=body, timeout=30)


def listed(service: ServiceProcess) -> list[dict]:
    return httpx.get(f"{service.url}/v1/synonyms", headers=KEY, timeout=30).json()["synonyms"]


async def understood(client: httpx.AsyncClient, q: str) -> dict:
    answer = await client.get("/v1/providers/nearest", params={**TOWN, "q": q, "available_now": "false"})
    assert answer.status_code == 200, answer.text
    return answer.json()["query"]


def bilingual_refusal(response: httpx.Response, status: int, error: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error and body["message"] and body["message_bn"], body
    return body


@pytest.mark.parametrize("override", [False, True])
@pytest.mark.parametrize(
    "probe",
    [
        {"words": ["অ্যাম্বুলেন্স"], "upazila": "austagram"},  # the probe of issue 21
        {"words": ["ডাক্তার", "অ্যাম্বুলেন্স"], "category": "lawyer"},
        {"words": ["blood donor"], "category": "official"},
    ],
)
async def test_an_emergency_word_never_becomes_a_place_or_another_category(guarded, reader, probe, override):
    refused = bilingual_refusal(add(guarded, **probe, override=override), 409, "emergency_word")
    assert {c["word"] for c in refused["details"]["conflicts"]} == set(probe["words"])
    assert all(c["emergency"] for c in refused["details"]["conflicts"])
    assert listed(guarded) == [] or not any(set(s["words"]) & set(probe["words"]) for s in listed(guarded))
    await asyncio.sleep(1.0)  # had it been published, search would have read it by now (it reads within ~1 s)
    query = await understood(reader, "অ্যাম্বুলেন্স")
    assert query["categories"] == ["ambulance"] and not query.get("place"), query


async def test_a_category_name_needs_the_override_which_the_set_then_shows(guarded, reader):
    word = "সেলুন"  # an alias of barber, in Bangla; "salon" and "selun" are the same Banglish key
    refused = bilingual_refusal(
        add(guarded, words=[word, "salon"], category="lawyer"), 409, "synonym_conflict"
    )
    assert '"override": true' in refused["message"]
    assert refused["details"]["conflicts"][0]["names"] == ["provider:barber"]
    assert (await understood(reader, word))["categories"] == ["barber"]
    added = add(guarded, words=[word], category="lawyer", override=True, note="a test of the override")
    assert added.status_code == 201, added.text
    [shown] = [s for s in listed(guarded) if s["id"] == added.json()["id"]]
    assert shown["override"] is True and shown["created_by"].startswith("key-")

    async def lawyers() -> bool:
        return "lawyer" in (await understood(reader, word))["categories"]

    for _ in range(60):
        if await lawyers():
            break
        await asyncio.sleep(0.25)
    assert await lawyers(), "the override did take effect"
    httpx.delete(f"{guarded.url}/v1/synonyms/{added.json()['id']}", headers=KEY, timeout=30)


def test_a_word_another_set_gave_elsewhere_needs_the_override(guarded):
    word = f"jharudarni{uuid.uuid4().hex[:4]}"
    first = add(guarded, words=[word], category="cleaner")
    assert first.status_code == 201, first.text
    refused = bilingual_refusal(add(guarded, words=[word], upazila="nikli"), 409, "synonym_conflict")
    assert refused["details"]["conflicts"][0]["synonym_set"] == first.json()["id"]
    httpx.delete(f"{guarded.url}/v1/synonyms/{first.json()['id']}", headers=KEY, timeout=30)


@pytest.fixture
def small(make_ingest: Callable[..., ServiceProcess], settings: PortalSettings) -> Iterator[ServiceProcess]:
    service = make_ingest(
        own_prefix(settings),
        CONSUMER_ENABLED="false",
        SYNONYM_MAX_SETS="2",
        SYNONYM_MAX_WORDS="3",
        SYNONYM_MAX_WORD_CHARS="12",
    ).start()
    yield service
    service.stop()


def test_sets_are_limited_in_number_and_size_with_errors_in_both_languages(small):
    too_many_words = bilingual_refusal(
        add(small, words=["ka", "kha", "ga", "gha"], category="cleaner"), 422, "invalid_synonym"
    )
    assert "3" in too_many_words["message"] and "৩" in too_many_words["message_bn"]
    assert too_many_words["details"] == {"field": "words"}
    too_long = bilingual_refusal(add(small, words=["ঝাড়ুদার" * 3], category="cleaner"), 422, "invalid_synonym")
    assert "12" in too_long["message"] and "১২" in too_long["message_bn"]
    for word in ("jharudar-a", "jharudar-b"):
        assert add(small, words=[word], category="cleaner").status_code == 201
    full = bilingual_refusal(add(small, words=["jharudar-c"], category="cleaner"), 409, "too_many_synonyms")
    assert full["details"] == {"max": 2} and "SYNONYM_MAX_SETS" in full["message"]
    assert len(listed(small)) == 2
