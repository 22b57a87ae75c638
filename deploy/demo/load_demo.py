"""Load the demo dataset through the real path: change events onto Kafka, indexed by ingest-service.

Does nothing if the indices already hold providers, so `make run` can be repeated. Waits until every
event is searchable and says how long it took.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from kafka import KafkaProducer
from opensearchpy import OpenSearch

from demo_data import product_events, provider_events
from portal.settings import PortalSettings

TOPICS = {"provider": "providers", "product": "products"}


def live_count(client: OpenSearch, alias: str) -> int:
    if not client.indices.exists_alias(name=alias):
        return 0
    return client.count(index=alias, body={"query": {"term": {"deleted": False}}})["count"]


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="publish even if the index has data")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    settings = PortalSettings()
    client = OpenSearch(hosts=[settings.opensearch_url], timeout=10)
    providers_alias, products_alias = settings.index_alias("providers"), settings.index_alias("products")
    if not args.force and live_count(client, providers_alias) > 0:
        print(
            f"demo data: already loaded ({live_count(client, providers_alias)} providers, "
            f"{live_count(client, products_alias)} products)"
        )
        return 0
    providers, products = list(provider_events()), list(product_events())
    live_products = sum(1 for e in products if e["type"] == "upsert")
    started = time.monotonic()
    publish(settings, providers + products)
    print(f"demo data: published {len(providers)} provider and {len(products)} product events to Kafka")
    while time.monotonic() - started < args.timeout:
        n_prov, n_prod = live_count(client, providers_alias), live_count(client, products_alias)
        if n_prov >= len(providers) and n_prod >= live_products:
            print(
                f"demo data: {n_prov} providers and {n_prod} products searchable after "
                f"{time.monotonic() - started:.1f} s"
            )
            return 0
        time.sleep(1)
    print(
        f"demo data: only {live_count(client, providers_alias)} providers and "
        f"{live_count(client, products_alias)} products indexed after {args.timeout:.0f} s; "
        "see .local/services/ingest-service.log",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
