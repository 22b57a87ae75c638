"""Kafka topics the project owns, created when missing.

Entity topics are log-compacted — the latest event per key is kept forever — so an index can always be
rebuilt from Kafka alone. Dead-letter topics keep two weeks, enough for someone to look.
"""

from __future__ import annotations

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from ingest.dead_letter import DLQ_MAX_MESSAGE_BYTES, dlq_topic
from portal.search_log import SEARCH_LOG_TOPIC
from portal.settings import PortalSettings
from portal.synonyms import SYNONYMS_TOPIC

ENTITY_TOPICS = {"provider": "providers", "product": "products", "seller": "sellers"}

COMPACTED = {
    "cleanup.policy": "compact",
    "min.compaction.lag.ms": "60000",
    "max.message.bytes": str(DLQ_MAX_MESSAGE_BYTES),
}
DEAD_LETTER = {
    "cleanup.policy": "delete",
    "retention.ms": str(14 * 24 * 3600 * 1000),
    "max.message.bytes": str(DLQ_MAX_MESSAGE_BYTES),
}
#: Searches are indexed within seconds; the topic only has to bridge an ingest outage.
SEARCH_LOG = {"cleanup.policy": "delete", "retention.ms": str(7 * 24 * 3600 * 1000)}
#: Synonym sets: the latest record per id forever, like the entities; one partition keeps them in order.
SYNONYMS = {"cleanup.policy": "compact", "min.compaction.lag.ms": "60000"}


def topic_for(settings: PortalSettings, entity: str) -> str:
    return settings.topic(ENTITY_TOPICS[entity])


def entity_of_topic(settings: PortalSettings) -> dict[str, str]:
    return {topic_for(settings, entity): entity for entity in ENTITY_TOPICS}


def durability(replication: int) -> dict[str, str]:
    """With three copies or more, a write must reach two before it counts (acks=all): one broker can be
    lost without losing an acknowledged event, and producers refuse rather than write to one copy."""
    return {"min.insync.replicas": str(replication - 1)} if replication >= 3 else {}


def ensure_topics(settings: PortalSettings, partitions: int = 6) -> list[str]:
    """Create the entity topics, the search log and synonym topics, and dead-letter topics if missing;
    returns the ones created."""
    admin = KafkaAdminClient(**settings.kafka_client_options(), client_id="ingest-admin")
    try:
        existing = set(admin.list_topics())
        safe = durability(settings.topic_replication_factor)
        wanted = []
        for entity in ENTITY_TOPICS:
            topic = topic_for(settings, entity)
            wanted.append(
                NewTopic(topic, partitions, settings.topic_replication_factor, topic_configs=COMPACTED | safe)
            )
            wanted.append(
                NewTopic(
                    dlq_topic(topic),
                    partitions,
                    settings.topic_replication_factor,
                    topic_configs=DEAD_LETTER | safe,
                )
            )
        replication = settings.topic_replication_factor
        search_log = settings.topic(SEARCH_LOG_TOPIC)
        wanted += [
            NewTopic(search_log, 3, replication, topic_configs=SEARCH_LOG | safe),
            NewTopic(dlq_topic(search_log), 1, replication, topic_configs=DEAD_LETTER | safe),
            NewTopic(settings.topic(SYNONYMS_TOPIC), 1, replication, topic_configs=SYNONYMS | safe),
        ]
        created = []
        for new in wanted:
            if new.name in existing:
                continue
            try:
                admin.create_topics([new])
                created.append(new.name)
            except TopicAlreadyExistsError:
                pass
        return created
    finally:
        admin.close()
