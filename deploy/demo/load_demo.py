"""Load a district's demo dataset through the real path: change events onto Kafka, indexed by ingest-service.

The district is DISTRICT (Kishoreganj by default) or `--district`: `make run DISTRICT=netrokona` loads
Netrokona's. Another district's events name their district and their ids carry it (`prv-netrokona-…`),
so both demos can share one cluster, whichever district the running ingest-service serves.
Does nothing if the indices already hold this edition of this district's demo (demo_events.EDITIONS: every
event's version), so `make run` can be repeated. A stack loaded from an older edition gets everything published
again: what changed is indexed at its higher version, what did not is stale and changes nothing. Sellers go
first, so product cards show their seller from the start. Waits until every event is searchable at this
edition and says how long it took.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from kafka import KafkaProducer
from opensearchpy import OpenSearch

from demo_data import demo_events
from demo_events import EDITIONS
from portal.settings import PortalSettings

TOPICS = {"provider": "providers", "product": "products", "seller": "sellers"}
INDICES = {"provider": "providers", "product": "products", "seller": "sellers"}


def live_count(client: OpenSearch, alias: str) -> int:
    if not client.indices.exists_alias(name=alias):
        return 0
    return client.count(index=alias, body={"query": {"term": {"deleted": False}}})["count"]


def seen_count(client: OpenSearch, alias: str, ids: list[str], edition: int) -> int:
    """How many of the demo's ids the index holds at `edition` or later, deleted or edited since included:
    an id below the edition is what an earlier demo left, and waits for this one's event."""
    if not client.indices.exists_alias(name=alias):
        return 0
    query = {"bool": {"filter": [{"ids": {"values": ids}}, {"range": {"version": {"gte": edition}}}]}}
    return client.count(index=alias, body={"query": query})["count"]


def publish(settings: PortalSettings, events: list[dict]) -> None:
    producer = KafkaProducer(acks="all", linger_ms=20, **settings.kafka_client_options())
    for event in events:
        producer.send(
            settings.topic(TOPICS[event["entity"]]),
            key=event["id"].encode(),
            value=json.dumps(event, ensure_ascii=False).encode("utf-8"),
        )
    producer.flush()
    producer.close()


def counts(client: OpenSearch, settings: PortalSettings) -> dict[str, int]:
    return {entity: live_count(client, settings.index_alias(index)) for entity, index in INDICES.items()}


def missing(client: OpenSearch, settings: PortalSettings, ids: dict[str, list[str]]) -> dict[str, int]:
    """Per entity, how many of the demo's ids the index does not hold at this edition yet."""
    return {
        entity: len(wanted)
        - seen_count(client, settings.index_alias(INDICES[entity]), wanted, EDITIONS[entity])
        for entity, wanted in ids.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="publish even if the index has data")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument(
        "--district", help="a district of schemas/geography/ (default: DISTRICT, kishoreganj)"
    )
    args = parser.parse_args()
    settings = PortalSettings()
    district = args.district or settings.district
    client = OpenSearch(hosts=[settings.opensearch_url], timeout=10)
    events = demo_events(district=district)
    ids = {
        entity: sorted({e["id"] for e in batch if e["type"] == "upsert"}) for entity, batch in events.items()
    }
    if not args.force and not any(missing(client, settings, ids).values()):
        have = counts(client, settings)
        print(
            f"demo data of {district}: already loaded (the indices hold {have['provider']} providers, "
            f"{have['product']} products, {have['seller']} storefronts)"
        )
        return 0
    started = time.monotonic()
    publish(settings, events["seller"] + events["provider"] + events["product"])
    print(
        f"demo data of {district}: published {len(events['provider'])} provider, {len(events['product'])} "
        f"product and {len(events['seller'])} seller events to Kafka"
    )
    while time.monotonic() - started < args.timeout:
        if not any(missing(client, settings, ids).values()):
            have = counts(client, settings)
            print(
                f"demo data of {district}: searchable after {time.monotonic() - started:.1f} s (the indices "
                f"hold {have['provider']} providers, {have['product']} products and {have['seller']} storefronts)"
            )
            return 0
        time.sleep(1)
    short = missing(client, settings, ids)
    print(
        f"demo data of {district}: {short['provider']} providers, {short['product']} products and "
        f"{short['seller']} storefronts not indexed after {args.timeout:.0f} s; see "
        ".local/services/ingest-service.log and the dead-letter topics (providers.dlq, …)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
