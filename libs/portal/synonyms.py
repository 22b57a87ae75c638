"""Synonyms added at run time: a compacted Kafka topic, read from its beginning by every process.

A clerk adds "ঝাড়ুদার" → cleaner through ingest-service (POST /v1/synonyms); the set travels as one
record keyed by its id, and compaction keeps only the latest record per id, so the topic is the whole
current list forever. search-service tails it and rebuilds its lexicon within seconds; nothing is
deployed, and the taxonomy's own names stay the base.

Every change says who made it: a set carries the name of the key that added it (`created_by`, never the
key itself) and when; a removal is a record too (`removed_by`, `removed_at`), so the list shows what was
taken away and by whom. A null record (tombstone) still removes a set without a trace, for operators.

A set may not quietly change what an existing word means (`conflicts`): a category's name, alias or item,
or a place's name, compared on the project's Banglish keys (so any script), cannot become a place or
another category without the set saying `override: true`; an emergency category's words (taxonomy
`urgent`: ambulance, doctor, blood donor, pharmacy, hospital) not even then.

kafka-python is blocking, so the book reads on a daemon thread and readers see immutable snapshots.
"""

from __future__ import annotations

import json
import logging
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from portal.bangla.normalize import normalize_text
from portal.bangla.romanize import banglish_key, edit_distance, max_typos
from portal.clerk_messages import render
from portal.contracts import needs, places, taxonomy
from portal.settings import PortalSettings

log = logging.getLogger("portal.synonyms")

SYNONYMS_TOPIC = "synonyms"
KINDS = ("provider", "product")
#: Hard ceilings: what any reader accepts from the topic. ingest's settings choose the limits for new
#: sets below them (SYNONYM_MAX_WORDS, SYNONYM_MAX_WORD_CHARS).
MAX_WORDS, MAX_WORD_CHARS, MAX_NOTE_CHARS = 50, 100, 200
#: Removed sets the book keeps to show (the newest); older removals stay on the topic only.
REMOVED_SHOWN = 100


@dataclass(frozen=True)
class Limits:
    words: int = MAX_WORDS
    word_chars: int = MAX_WORD_CHARS


@dataclass(frozen=True)
class SynonymSet:
    """Words that name a category (or a place) of one kind, as people type them, and who said so."""

    id: str
    kind: str  # provider | product
    words: tuple[str, ...]
    category: str | None = None
    upazila: str | None = None
    created_at: str | None = None
    note: str | None = None
    created_by: str | None = None  # the name of the key that added it (None: before keys had names)
    override: bool = False  # added knowing that it changes what an existing word names
    removed_at: str | None = None
    removed_by: str | None = None

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "words": list(self.words),
            "category": self.category,
            "upazila": self.upazila,
            "created_at": self.created_at,
            "note": self.note,
            "created_by": self.created_by,
            "override": self.override,
            "removed_at": self.removed_at,
            "removed_by": self.removed_by,
        }

    def removed_record(self, *, at: str, by: str) -> SynonymSet:
        return replace(self, removed_at=at, removed_by=by)


class InvalidSynonym(ValueError):
    """What to fix in a set, with the message in English (str) and Bangla (`bn`)."""

    def __init__(self, field: str, code: str, **params: Any) -> None:
        self.field = field
        self.code = code
        self.params = params
        self.message = render(code, "en", params)
        super().__init__(self.message)

    @property
    def bn(self) -> str:
        return render(self.code, "bn", self.params)


def synonym_set(
    data: Mapping[str, Any],
    *,
    id: str,
    created_at: str | None = None,
    created_by: str | None = None,
    limits: Limits = Limits(),
) -> SynonymSet:
    """Check and normalize a synonym set as a clerk sends it; InvalidSynonym names what to fix."""
    kind = data.get("kind", "provider")
    if kind not in KINDS:
        raise InvalidSynonym("kind", "synonym_kind", kinds=", ".join(KINDS))
    category, upazila = data.get("category"), data.get("upazila")
    if bool(category) == bool(upazila):
        raise InvalidSynonym("category", "synonym_target")
    if category and category not in taxonomy().categories(kind):
        raise InvalidSynonym(
            "category",
            "synonym_category_unknown",
            category=repr(category),
            kind=kind,
            categories=", ".join(sorted(taxonomy().categories(kind))),
        )
    if upazila and upazila not in taxonomy().upazilas:
        raise InvalidSynonym(
            "upazila",
            "synonym_upazila_unknown",
            upazila=repr(upazila),
            upazilas=", ".join(taxonomy().upazilas),
        )
    raw_words = data.get("words")
    if not isinstance(raw_words, list) or not raw_words or len(raw_words) > limits.words:
        raise InvalidSynonym("words", "synonym_words", max=limits.words)
    words = []
    for n, word in enumerate(raw_words, start=1):
        text = normalize_text(word) if isinstance(word, str) else ""
        if not text or len(text) > limits.word_chars or any(unicodedata.category(c)[0] == "C" for c in text):
            raise InvalidSynonym("words", "synonym_word", max=limits.word_chars, n=n)
        words.append(text)
    note = data.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE_CHARS):
        raise InvalidSynonym("note", "synonym_note", max=MAX_NOTE_CHARS)
    return SynonymSet(
        id,
        kind,
        tuple(dict.fromkeys(words)),
        category,
        upazila,
        created_at,
        note,
        created_by=created_by,
        override=data.get("override") is True,
    )


def decode(value: bytes | None, id: str) -> SynonymSet | None:
    """A record of the topic as a synonym set (removed ones too); None for a tombstone or a record that
    is not one."""
    if value is None:
        return None
    try:
        data = json.loads(value.decode("utf-8"))
        synonym = synonym_set(
            data, id=id, created_at=_text(data.get("created_at")), created_by=_text(data.get("created_by"))
        )
    except (ValueError, InvalidSynonym, AttributeError) as e:
        log.warning("ignoring synonym record %s: %s", id, e)
        return None
    if _text(data.get("removed_at")):
        synonym = synonym.removed_record(at=data["removed_at"], by=_text(data.get("removed_by")) or "")
    return synonym


def _text(value: Any) -> str | None:
    return value[:100] if isinstance(value, str) else None


# ---------------------------------------------------------------- what a word already names


@dataclass(frozen=True)
class Target:
    """What a word names: a category of one kind, or a place (for both kinds)."""

    kind: str  # provider | product | place
    slug: str
    emergency: bool = field(default=False, compare=False)  # the same target whichever way it is found

    def label(self, language: str) -> str:
        if self.kind == "place":
            place = _places()[self.slug]
            return render("target.place", language, {"en": place[1], "bn": place[0], "slug": self.slug})
        category = taxonomy().categories(self.kind)[self.slug]
        code = "target.category"
        return render(code, language, {"en": category.en, "bn": category.bn, "slug": self.slug})


def target_of(synonym: SynonymSet) -> Target:
    if synonym.upazila:
        return Target("place", synonym.upazila)
    assert synonym.category is not None
    return Target(synonym.kind, synonym.category)


@dataclass(frozen=True)
class Conflict:
    """A word of a new set that already names something else."""

    word: str
    names: tuple[Target, ...]  # what it names now
    through: str | None = None  # the id of the synonym set that made it so, if not the contracts
    emergency: bool = False  # an emergency category's own word: not even override allows it

    def details(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "names": [f"{t.kind}:{t.slug}" for t in self.names],
            "synonym_set": self.through,
            "emergency": self.emergency,
        }

    def message(self, code: str, language: str, target: Target) -> str:
        names = " / ".join(t.label(language) for t in self.names)
        if self.through:
            names = render("target.synonym", language, {"what": names, "id": self.through})
        return render(
            code, language, {"word": repr(self.word), "names": names, "target": target.label(language)}
        )


def _forms(text: str) -> tuple[tuple[str, ...], set[str]]:
    """A text's key tokens, and the whole keys it is matched by: spaced and written as one word."""
    tokens = tuple(t for t in banglish_key(text).split() if t)
    return tokens, ({" ".join(tokens), "".join(tokens)} if tokens else set())


@cache
def _places() -> dict[str, tuple[str, str]]:
    """Place slug → (bn, en) for labels."""
    out = {slug: (u.bn, u.en) for slug, u in taxonomy().upazilas.items()}
    for place in places():
        out.setdefault(
            place["slug"], (place.get("bn") or place["names"][0], place.get("en") or place["names"][0])
        )
    return out


@cache
def _named_by_contracts() -> dict[str, frozenset[Target]]:
    """Whole key → what the contracts make it name: category names, aliases and items of both kinds,
    place names, and the need words of emergency categories."""
    owners: dict[str, set[Target]] = {}

    def add(text: str, target: Target) -> None:
        for key in _forms(text)[1]:
            owners.setdefault(key, set()).add(target)

    for kind in KINDS:
        for category in taxonomy().categories(kind).values():
            target = Target(kind, category.slug, category.urgent)
            for name in category.names():
                add(name, target)
            if category.urgent:
                for word in needs().get(kind, {}).get(category.slug, ()):
                    add(word, target)
    for place in places():
        for name in place["names"]:
            add(name, Target("place", place["slug"]))
    return {key: frozenset(targets) for key, targets in owners.items()}


@cache
def _emergency_tokens() -> dict[tuple[str, ...], Target]:
    """Key tokens of every emergency category's names and aliases: a word containing one (or a near
    spelling of one) would catch emergency searches."""
    out: dict[tuple[str, ...], Target] = {}
    for category in taxonomy().provider_categories.values():
        if category.urgent:
            for name in category.names():
                tokens = _forms(name)[0]
                if tokens:
                    out[tokens] = Target("provider", category.slug, True)
    return out


def _affects(target: Target, owner: Target) -> bool:
    """Whether a set for `target` changes how a word of `owner` is read: a place is read for both kinds,
    a category only within its own kind."""
    return target.kind == "place" or owner.kind in ("place", target.kind)


def _near(a: str, b: str) -> bool:
    allowed = min(max_typos(a), max_typos(b))
    return a == b or (allowed > 0 and abs(len(a) - len(b)) <= allowed and edit_distance(a, b) <= allowed)


def _contains(tokens: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether `part` occurs in `tokens`, in order and contiguous, each token spelled nearly alike."""
    n = len(part)
    return any(
        all(_near(t, p) for t, p in zip(tokens[i : i + n], part, strict=True))
        for i in range(len(tokens) - n + 1)
    )


def conflicts(synonym: SynonymSet, others: Iterable[SynonymSet] = ()) -> list[Conflict]:
    """The words of `synonym` that already name something else it would change: from the contracts, or
    through another set in force. Empty when the set only adds new ways to reach its own target."""
    target = target_of(synonym)
    by_sets: dict[str, list[SynonymSet]] = {}
    for other in others:
        if other.id != synonym.id and not other.removed:
            for word in other.words:
                for key in _forms(word)[1]:
                    by_sets.setdefault(key, []).append(other)
    found: list[Conflict] = []
    for word in synonym.words:
        tokens, keys = _forms(word)
        owners = {o for key in keys for o in _named_by_contracts().get(key, ()) if _affects(target, o)}
        if owners and target not in owners:
            emergency = any(o.emergency for o in owners)
            found.append(Conflict(word, tuple(sorted(owners, key=str)), emergency=emergency))
            continue
        if target.kind in ("place", "provider"):
            near = {
                owner
                for part, owner in _emergency_tokens().items()
                if owner != target and (_contains(tokens, part) or any(_near(k, "".join(part)) for k in keys))
            }
            if near:
                found.append(Conflict(word, tuple(sorted(near, key=str))))
                continue
        for other in (o for key in keys for o in by_sets.get(key, ())):
            theirs = target_of(other)
            if theirs != target and _affects(target, theirs):
                found.append(Conflict(word, (theirs,), through=other.id))
                break
    return found


# ---------------------------------------------------------------- the book every process reads


class SynonymBook:
    """The current synonym sets, read from the compacted topic on a background thread."""

    def __init__(self, settings: PortalSettings, *, on_change: Callable[[], None] | None = None) -> None:
        self.settings = settings
        self.topic = settings.topic(SYNONYMS_TOPIC)
        self.on_change = on_change
        self.version = 0
        self.caught_up = threading.Event()
        self._sets: dict[str, SynonymSet] = {}
        self._removed: tuple[SynonymSet, ...] = ()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="synonym-book", daemon=True)

    def start(self) -> SynonymBook:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def sets(self) -> tuple[SynonymSet, ...]:
        """The sets in force (what search reads), by id."""
        return tuple(sorted(self._sets.values(), key=lambda s: s.id))

    def removed(self) -> tuple[SynonymSet, ...]:
        """The newest removed sets (at most REMOVED_SHOWN), newest first: who removed what, and when."""
        return self._removed

    def _publish(self, reading: dict[str, SynonymSet]) -> None:
        active = {id: s for id, s in reading.items() if not s.removed}
        removed = sorted((s for s in reading.values() if s.removed), key=lambda s: s.removed_at or "")
        self._removed = tuple(reversed(removed[-REMOVED_SHOWN:]))
        if active != self._sets:
            self._sets = active
            self.version += 1
            if self.on_change:
                self.on_change()

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
                published: dict[str, SynonymSet] | None = None
                while not self._stop.is_set():
                    for records in consumer.poll(timeout_ms=500).values():
                        for record in records:
                            self._apply(reading, record.key, record.value)
                    if not self.caught_up.is_set():
                        if any(consumer.position(tp) < end for tp, end in ends.items()):
                            continue
                        self.caught_up.set()
                    if reading != published:
                        published = dict(reading)
                        self._publish(published)
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
