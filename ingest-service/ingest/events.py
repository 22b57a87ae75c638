"""The in-memory shape of one consumed change event, and of one that could not be used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourcePosition:
    """Where a Kafka record came from: named in dead letters so a person can find the original."""

    topic: str
    partition: int
    offset: int


@dataclass(frozen=True)
class ChangeEvent:
    entity: str  # "provider" | "product"
    type: str  # "upsert" | "delete"
    id: str
    version: int
    body: dict[str, Any]
    position: SourcePosition | None = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""
    key: bytes | None = None


@dataclass(frozen=True)
class Rejection:
    """An event we will never be able to index as it is: it goes to the dead-letter topic."""

    reason: str  # short machine-readable code: invalid_json, schema, unknown_category, too_large, ...
    message: str  # what is wrong, in words a person can act on
    raw: bytes
    position: SourcePosition | None = None
    key: bytes | None = None
