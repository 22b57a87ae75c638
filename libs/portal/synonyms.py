"""Synonyms added at run time: a compacted Kafka topic, read from its beginning by every process.

A clerk adds "ঝাড়ুদার" → cleaner through ingest-service (POST /v1/synonyms); the set travels as one
record keyed by its id, a delete is a tombstone (null value), and compaction keeps only the latest
record per id, so the topic is the whole current list forever. search-service tails it and rebuilds
its lexicon within seconds; nothing is deployed, and the taxonomy's own names stay the base.

kafka-python is blocking, so the book reads on a daemon thread and readers see immutable snapshots.
"""

from __future__ import annotations

import json
import logging
import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from portal.bangla.normalize import normalize_text
from portal.contracts import taxonomy
from portal.settings import PortalSettings

log = logging.getLogger("portal.synonyms")

SYNONYMS_TOPIC = "synonyms"
KINDS = ("provider", "product")
MAX_WORDS, MAX_WORD_CHARS = 20, 60


@dataclass(frozen=True)
class SynonymSet:
    """Words that name a category (or a place) of one kind, as people type them."""

    id: str
    kind: str  # provider | product
    words: tuple[str, ...]
    category: str | None = None
    upazila: str | None = None
    created_at: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "words": list(self.words),
            "category": self.category,
            "upazila": self.upazila,
            "created_at": self.created_at,
            "note": self.note,
        }


class InvalidSynonym(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def synonym_set(data: Mapping[str, Any], *, id: str, created_at: str | None = None) -> SynonymSet:
    """Check and normalize a synonym set as a clerk sends it; InvalidSynonym names what to fix."""
    kind = data.get("kind", "provider")
    if kind not in KINDS:
        raise InvalidSynonym("kind", f"kind must be one of {', '.join(KINDS)}")
    category, upazila = data.get("category"), data.get("upazila")
    if bool(category) == bool(upazila):
        raise InvalidSynonym("category", "give exactly one of category (a slug) or upazila (a slug)")
    if category and category not in taxonomy().categories(kind):
        raise InvalidSynonym(
            "category",
            f"{category!r} is not a {kind} category; expected one of "
            + ", ".join(sorted(taxonomy().categories(kind))),
        )
    if upazila and upazila not in taxonomy().upazilas:
        raise InvalidSynonym(
            "upazila", f"{upazila!r} is not an upazila; expected one of {', '.join(taxonomy().upazilas)}"
        )
    raw_words = data.get("words")
    if not isinstance(raw_words, list) or not raw_words or len(raw_words) > MAX_WORDS:
        raise InvalidSynonym("words", f"words must be a list of 1 to {MAX_WORDS} words or phrases")
    words = []
    for word in raw_words:
        text = normalize_text(word) if isinstance(word, str) else ""
        if not text or len(text) > MAX_WORD_CHARS or any(unicodedata.category(c)[0] == "C" for c in text):
            raise InvalidSynonym("words", f"each word must be 1 to {MAX_WORD_CHARS} printable characters")
        words.append(text)
    note = data.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > 200):
        raise InvalidSynonym("note", "note must be text of at most 200 characters")
    return SynonymSet(id, kind, tuple(dict.fromkeys(words)), category, upazila, created_at, note)


def decode(value: bytes | None, id: str) -> SynonymSet | None:
    """A record of the topic as a synonym set; None for a tombstone or a record that is not one."""
    if value is None:
        return None
    try:
        data = json.loads(value.decode("utf-8"))
        return synonym_set(data, id=id, created_at=data.get("created_at"))
    except (ValueError, InvalidSynonym, AttributeError) as e:
        log.warning("ignoring synonym record %s: %s", id, e)
        return None


class SynonymBook:
    """The current synonym sets, read from the compacted topic on a background thread."""

    def __init__(self, settings: PortalSettings, *, on_change: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self.topic = settings.topic(SYNONYMS_TOPIC)
        self.on_change = on_change
        self.version = 0
        self.caught_up = threading.Event()
        self._sets: dict[str, SynonymSet] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="synonym-book", daemon=True)

    def start(self) -> SynonymBook:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def sets(self) -> tuple[SynonymSet, ...]:
        return tuple(sorted(self._sets.values(), key=lambda s: s.id))

    def _run(self) -> None:
        while not self._stop.is_set():
            consumer = None
            try:
                consumer = KafkaConsumer(
                    enable_auto_commit=False, client_id="synonym-book", **self.settings.kafka_client_options()
                )
                partitions = consumer.partitions_for_topic(self.topic)
                if not partitions:
                    consumer.close()
                    self._stop.wait(2)
                    continue
                assigned = [TopicPartition(self.topic, p) for p in sorted(partitions)]
                consumer.assign(assigned)
                consumer.seek_to_beginning(*assigned)
                ends = consumer.end_offsets(assigned)
                reading: dict[str, SynonymSet] = {}  # published whole once read up to `ends`
                while not self._stop.is_set():
                    for records in consumer.poll(timeout_ms=500).values():
                        for record in records:
                            self._apply(reading, record.key, record.value)
                    if not self.caught_up.is_set():
                        if any(consumer.position(tp) < end for tp, end in ends.items()):
                            continue
                        self.caught_up.set()
                    if reading != self._sets:
                        self._sets = dict(reading)
                        self.version += 1
                        if self.on_change:
                            self.on_change()
            except KafkaError as e:
                log.warning("synonym topic not readable (%s); retrying", e)
                self._stop.wait(2)
            except Exception:
                log.exception("synonym book failed; restarting from the beginning of the topic")
                self._stop.wait(2)
            finally:
                if consumer is not None:
                    consumer.close()

    @staticmethod
    def _apply(sets: dict[str, SynonymSet], key: bytes | None, value: bytes | None) -> None:
        if key is None:
            return
        id = key.decode("utf-8", "replace")
        synonym = decode(value, id)
        if synonym is None:
            sets.pop(id, None)
        else:
            sets[id] = synonym
