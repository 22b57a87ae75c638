"""The shared contracts in `schemas/`, loaded once: event schemas, index definitions, taxonomy.

Code reads these files instead of restating them, so a new category or analyzer is a data change.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS_DIR = Path(os.environ.get("PORTAL_SCHEMAS_DIR", Path(__file__).resolve().parents[2] / "schemas"))

ENTITIES = ("provider", "product", "seller")
EVENT_SCHEMAS = (*ENTITIES, "search_log")


def _load(relative: str) -> dict[str, Any]:
    """One JSON object of `schemas/` (every contract file is an object at the top)."""
    with open(SCHEMAS_DIR / relative, encoding="utf-8") as f:
        contract: dict[str, Any] = json.load(f)
    return contract


@cache
def event_schema(entity: str) -> dict[str, Any]:
    """The JSON Schema of one kind of event: an entity's changes (`provider`, `product`, `seller`) or
    `search_log`."""
    if entity not in EVENT_SCHEMAS:
        raise ValueError(f"unknown event schema {entity!r}; expected one of {EVENT_SCHEMAS}")
    return _load(f"events/{entity}.schema.json")


@cache
def index_definition(name: str) -> dict[str, Any]:
    """Settings, mappings, alias and version of one index (`providers`, `products`, `sellers`, `imports`)."""
    return _load(f"indices/{name}.json")


@cache
def gazetteer() -> dict[str, Any]:
    """Places a query can name (schemas/gazetteer.json): upazilas today, unions and markets later."""
    return _load("gazetteer.json")


@cache
def needs() -> dict[str, Any]:
    """What people ask for instead of naming the trade, per category (schemas/needs.json)."""
    return _load("needs.json")


@cache
def query_language() -> dict[str, Any]:
    """Fillers, verb morphology, place markers and letter names (schemas/query_language.json)."""
    return _load("query_language.json")


@dataclass(frozen=True)
class Label:
    """A slug with the words frontends show for it."""

    slug: str
    bn: str
    en: str

    def public(self) -> dict[str, str]:
        return {"slug": self.slug, "bn": self.bn, "en": self.en}


@dataclass(frozen=True)
class Category(Label):
    kind: str  # "provider" or "product"
    aliases: tuple[str, ...] = ()
    items: tuple[tuple[str, str], ...] = ()  # (bn, en) of the goods a product category covers
    icon: str = ""
    emergency: bool = False  # searched in an emergency: its words are never a synonym of anything else

    def names(self) -> tuple[str, ...]:
        """Every name people use for this category, in any script."""
        item_names = tuple(name for pair in self.items for name in pair)
        return (self.bn, self.en, *self.aliases, *item_names)


@dataclass(frozen=True)
class Upazila(Label):
    lat: float
    lon: float


@dataclass(frozen=True)
class Taxonomy:
    provider_categories: dict[str, Category] = field(default_factory=dict)
    product_categories: dict[str, Category] = field(default_factory=dict)
    upazilas: dict[str, Upazila] = field(default_factory=dict)

    def categories(self, entity: str) -> dict[str, Category]:
        return self.provider_categories if entity == "provider" else self.product_categories


@cache
def taxonomy() -> Taxonomy:
    raw = _load("taxonomy.json")

    def category(entry: dict[str, Any], kind: str) -> Category:
        return Category(
            slug=entry["slug"],
            bn=entry["bn"],
            en=entry["en"],
            kind=kind,
            aliases=tuple(entry.get("aliases", ())),
            items=tuple((item["bn"], item["en"]) for item in entry.get("items", ())),
            icon=entry.get("icon", ""),
            emergency=entry.get("emergency", False),
        )

    return Taxonomy(
        provider_categories={e["slug"]: category(e, "provider") for e in raw["provider_categories"]},
        product_categories={e["slug"]: category(e, "product") for e in raw["product_categories"]},
        upazilas={u["slug"]: Upazila(**u) for u in raw["upazilas"]},
    )


@dataclass(frozen=True)
class Breed(Label):
    animals: tuple[str, ...]
    spellings: tuple[str, ...]
    cross_of: str | None = None
    in_query: bool = True  # whether words of a search may name it (not for দেশি, জার্সি)


@dataclass(frozen=True)
class Livestock:
    """The cattle market's vocabulary (schemas/livestock.json)."""

    animals: dict[str, Label]
    sexes: dict[str, Label]
    seen_at_kinds: dict[str, Label]
    breeds: dict[str, Breed]
    weight_bands_kg: tuple[tuple[str, float | None, float | None], ...]

    def with_crosses(self, breed: str) -> tuple[str, ...]:
        """A breed and every cross of it: a Sahiwal buyer also wants Sahiwal crosses."""
        return (breed, *sorted(b.slug for b in self.breeds.values() if b.cross_of == breed))


@cache
def livestock() -> Livestock:
    raw = _load("livestock.json")

    def labels(key: str) -> dict[str, Label]:
        return {e["slug"]: Label(e["slug"], e["bn"], e["en"]) for e in raw[key]}

    return Livestock(
        animals=labels("animals"),
        sexes=labels("sexes"),
        seen_at_kinds=labels("seen_at_kinds"),
        breeds={
            b["slug"]: Breed(
                slug=b["slug"],
                bn=b["bn"],
                en=b["en"],
                animals=tuple(b["animals"]),
                spellings=tuple(dict.fromkeys(b["spellings"])),
                cross_of=b.get("cross_of"),
                in_query=b.get("in_query", True),
            )
            for b in raw["breeds"]
        },
        weight_bands_kg=tuple((w["label"], w["from"], w["to"]) for w in raw["weight_bands_kg"]),
    )


@cache
def storefront() -> dict[str, Any]:
    """What a storefront offers besides its goods (schemas/storefront.json), with the clerks' aliases."""
    return _load("storefront.json")


@cache
def payment_methods() -> dict[str, Label]:
    """How storefronts take payment (schemas/storefront.json), by slug."""
    return {e["slug"]: Label(e["slug"], e["bn"], e["en"]) for e in storefront()["payment_methods"]}
