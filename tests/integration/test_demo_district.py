"""A second district's demo on the real Kafka and OpenSearch, loaded the way `make run DISTRICT=netrokona`
loads it (deploy/demo/load_demo.py against an ingest-service serving Netrokona); then Kishoreganj's demo
into the same indices through a Kishoreganj ingest: one cluster holds both, each document with its
district and its union, and no id of one demo is the other's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from demo_data import demo_events
from harness.service_process import ServiceProcess, free_port, service_env
from integration.conftest import ARTIFACTS, wait_consumed

LOAD_DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "load_demo.py"
INDICES = {"provider": "providers", "product": "products", "seller": "sellers"}


def load_demo(settings, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, str(LOAD_DEMO), "--timeout", "240"],
        env=service_env(settings, **env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def per_district(engine, settings, index: str) -> dict[str, int]:
    engine.indices.refresh(index=settings.index_alias(index))
    body = {
        "size": 0,
        "query": {"bool": {"must_not": {"ids": {"values": ["~hidden"]}}}},  # the hidden sellers' list
        "aggs": {"d": {"terms": {"field": "district", "missing": "none"}}},
    }
    buckets = engine.search(index=settings.index_alias(index), body=body)["aggregations"]["d"]["buckets"]
    return {b["key"]: b["doc_count"] for b in buckets}


def with_union(engine, settings, index: str, district: str) -> int:
    query = {"bool": {"filter": [{"term": {"district": district}}, {"exists": {"field": "union"}}]}}
    return engine.count(index=settings.index_alias(index), body={"query": query})["count"]


def test_netrokonas_demo_loads_and_shares_the_cluster_with_kishoreganjs(
    make_ingest, isolated_settings, engine
):
    s = isolated_settings
    netrokona, kishoreganj = demo_events(district="netrokona"), demo_events(district="kishoreganj")

    serving_netrokona = make_ingest(s, DISTRICT="netrokona").start()
    said = load_demo(s, DISTRICT="netrokona")
    assert "demo data of netrokona: published 1320 provider" in said and "searchable after" in said
    for entity, index in INDICES.items():
        assert per_district(engine, s, index) == {"netrokona": len(netrokona[entity])}, index
    # The listings lie in their upazilas; all but those in the slivers between the surveys have a union.
    assert with_union(engine, s, "providers", "netrokona") > 0.95 * len(netrokona["provider"])
    hit = engine.get(index=s.index_alias("providers"), id=netrokona["provider"][0]["id"])["_source"]
    assert (hit["district"], hit["upazila"]) == ("netrokona", "netrokona-sadar") and hit["union"]
    assert "already loaded" in load_demo(s, DISTRICT="netrokona")  # make run, twice
    serving_netrokona.stop()

    # make run DISTRICT=netrokona starts search-service serving Netrokona too: its upazilas by name
    search = search_serving(s, "netrokona")
    answer = nearest(search, NETROKONA_TOWN, category="electrician", limit=3)
    assert answer["results"], answer
    first = answer["results"][0]
    assert first["id"].startswith("prv-netrokona-")
    assert first["upazila"] == {"slug": "netrokona-sadar", "bn": "নেত্রকোণা সদর", "en": "Netrokona Sadar"}
    # ... and its places by name: an upazila and a union of Netrokona's, in Bangla and Banglish
    for q, slug, level in (
        ("কেন্দুয়ার ইলেকট্রিশিয়ান", "kendua", "upazila"),
        ("kendua electrician", "kendua", "upazila"),
        ("কেন্দুয়া পৌরসভার ইলেকট্রিশিয়ান", "kendua-paurashava", "paurashava"),  # the town: the demo's there
        ("Kendua bazar e electrician", "kendua-bazar", "market"),
    ):
        answer = nearest(search, NETROKONA_TOWN, q=q, available_now="false", limit=10)
        assert (answer["query"]["place"]["slug"], answer["query"]["place"]["level"]) == (slug, level), q
        matches = answer["results"][: answer["query"]["exact_matches"]]
        assert matches and all(r["upazila"]["slug"] == "kendua" for r in matches), q
    assert nearest(search, NETROKONA_TOWN, category="electrician")["query"]["citizen_at"]["upazila"] == {
        "slug": "netrokona-sadar", "level": "upazila", "bn": "নেত্রকোণা সদর", "en": "Netrokona Sadar"
    }  # fmt: skip

    serving_kishoreganj = make_ingest(s).start()  # the same group, on: DISTRICT unset, kishoreganj
    assert "demo data of kishoreganj: searchable after" in load_demo(s)
    wait_consumed(s, f"{s.topic_prefix}ingest")
    for entity, index in INDICES.items():
        expected = {"netrokona": len(netrokona[entity]), "kishoreganj": len(kishoreganj[entity])}
        assert per_district(engine, s, index) == expected, index
    # Netrokona's events name their district: a Kishoreganj ingest indexes them as Netrokona's too.
    assert "already loaded" in load_demo(s, DISTRICT="netrokona")
    assert with_union(engine, s, "products", "kishoreganj") > 0
    serving_kishoreganj.stop()

    # One cluster, two districts: each search-service answers within its own, wherever the citizen is.
    kishoreganj_search = search_serving(s, "kishoreganj")
    theirs = {"category": "electrician", "radius_km": 100, "available_now": "false", "limit": 100}
    netrokonas = nearest(search, KISHOREGANJ_TOWN, **theirs)[
        "results"
    ]  # a Netrokona search asked from Kishoreganj
    assert netrokonas and all(r["id"].startswith("prv-netrokona-") for r in netrokonas)
    kishoreganjs = nearest(kishoreganj_search, NETROKONA_TOWN, **theirs)["results"]
    assert kishoreganjs and not [r for r in kishoreganjs if r["id"].startswith("prv-netrokona-")]
    kishoreganj_search.stop()
    search.stop()


NETROKONA_TOWN = {"lat": 24.88385, "lon": 90.73384}  # Netrokona Paurashava, in Netrokona Sadar
KISHOREGANJ_TOWN = {"lat": 24.4449, "lon": 90.7766}


def search_serving(settings, district: str) -> ServiceProcess:
    return ServiceProcess(
        name=f"search-{district}",
        module="search.main",
        env=service_env(settings, DISTRICT=district, RATE_LIMIT_PER_MINUTE="0", LOG_LEVEL="WARNING"),
        port=free_port(),
        log_path=ARTIFACTS / f"{settings.index_prefix}search-{district}.log",
    ).start()


def nearest(search: ServiceProcess, at: dict[str, float], **params) -> dict:
    response = httpx.get(f"{search.url}/v1/providers/nearest", params={**at, **params}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()
