"""The shared contracts in `schemas/`, loaded once: event schemas, index definitions, taxonomy, and the
configured district's upazilas.

Code reads these files instead of restating them, so a new category or analyzer is a data change, and
another district is a setting (DISTRICT): its upazilas come from the generated
schemas/geography/<district>.json (`make geography`), the one copy of a district's places.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from portal.contract_settings import ContractSettings
from portal.settings import PortalSettings

#: PORTAL_SCHEMAS_DIR, read through the settings (portal/contract_settings.py).
SCHEMAS_DIR: Path = ContractSettings().portal_schemas_dir
GEOGRAPHY_DIR: Path = SCHEMAS_DIR / "geography"

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
    """The hand-kept spellings of Kishoreganj's upazilas (schemas/gazetteer.json): an input of
    `make geography`, which writes the places a search reads (`places()`)."""
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
    urgent: bool = False  # unreachable listings rank last and are never available now
    medical: bool = False  # its searches carry the emergency numbers and callable ambulances
    walk_in: bool = False  # a place: its address is a way to reach it
    private: bool = False  # private individuals: coarse location, phone only by choice

    def names(self) -> tuple[str, ...]:
        """Every name people use for this category, in any script."""
        item_names = tuple(name for pair in self.items for name in pair)
        return (self.bn, self.en, *self.aliases, *item_names)


@dataclass(frozen=True)
class Upazila(Label):
    """An upazila of a district: its labels, its town (where a search for it centres, and the demo's
    listings gather) and the radius of a disc of its area."""

    lat: float
    lon: float
    radius_km: float = 0.0
    district: str = ""


@dataclass(frozen=True)
class Taxonomy:
    provider_categories: dict[str, Category] = field(default_factory=dict)
    product_categories: dict[str, Category] = field(default_factory=dict)
    district: str = "kishoreganj"

    @property
    def upazilas(self) -> dict[str, Upazila]:
        """The district's upazilas (the configured one's, DISTRICT), from schemas/geography/<district>.json;
        read on first use, so the categories need no geography."""
        return district_upazilas(self.district)

    def categories(self, entity: str) -> dict[str, Category]:
        return self.provider_categories if entity == "provider" else self.product_categories

    def flagged(self, flag: str) -> tuple[str, ...]:
        """The provider categories with a flag set (`urgent`, `medical`, `walk_in`, `private`)."""
        return tuple(slug for slug, c in self.provider_categories.items() if getattr(c, flag))


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
            **{flag: bool(entry.get(flag)) for flag in ("urgent", "medical", "walk_in", "private")},
        )

    return Taxonomy(
        provider_categories={e["slug"]: category(e, "provider") for e in raw["provider_categories"]},
        product_categories={e["slug"]: category(e, "product") for e in raw["product_categories"]},
        district=configured_district(),
    )


@cache
def configured_district() -> str:
    """The district this deployment serves: the `DISTRICT` setting (default kishoreganj), read once per
    process: configuration, not data."""
    return PortalSettings().district


@cache
def built_districts() -> tuple[str, ...]:
    """The districts whose geography `make geography` has written under schemas/geography/ (looked up
    once per process: the contracts ship with the code)."""
    return tuple(
        sorted(p.name.removesuffix(".json") for p in GEOGRAPHY_DIR.glob("*.json") if p.name.count(".") == 1)
    )


def district_contract(district: str) -> dict[str, Any]:
    """The whole geography of one district (schemas/geography/<district>.json), polygons included: read
    each time (portal.geography keeps what it needs of it, in shapes)."""
    if district not in built_districts():
        built = ", ".join(built_districts())
        raise ValueError(
            f"no geography for district {district!r} under {GEOGRAPHY_DIR}; built: {built} "
            f"(run `make geography DISTRICT={district}`) / জেলা {district!r}-এর ভূগোল তৈরি হয়নি; "
            f"তৈরি আছে: {built} (`make geography DISTRICT={district}` চালান)"
        )
    return _load(f"geography/{district}.json")


@dataclass(frozen=True, eq=False)
class District(Label):
    """A district without its polygons: its labels and its upazilas by slug, its sadar first."""

    upazilas: dict[str, Upazila] = field(default_factory=dict)


@cache
def district_summary(district: str) -> District:
    """One district's labels and upazilas (schemas/geography/<district>.json), read once per process."""
    raw = district_contract(district)
    return District(
        slug=raw["district"]["slug"],
        bn=raw["district"]["bn"],
        en=raw["district"]["en"],
        upazilas={
            u["slug"]: Upazila(
                slug=u["slug"],
                bn=u["bn"],
                en=u["en"],
                lat=u["town"]["lat"],
                lon=u["town"]["lon"],
                radius_km=u["radius_km"],
                district=district,
            )
            for u in raw["upazilas"]
        },
    )


@cache
def district_places(district: str) -> dict[str, Any]:
    """The places of one district a search or a clerk can name (schemas/geography/<district>.gazetteer.json,
    the format of gazetteer.json plus `level` and `district`): upazilas with every spelling, paurashavas,
    unions, markets."""
    if district not in built_districts():
        district_contract(district)  # raises, naming what to run
    return _load(f"geography/{district}.gazetteer.json")


@cache
def places() -> tuple[dict[str, Any], ...]:
    """The places a query may name in the district this deployment serves (DISTRICT): upazilas,
    paurashavas, unions and markets, each with its level, centre, radius and every spelling."""
    return tuple(district_places(configured_district())["places"])


def district_upazilas(district: str) -> dict[str, Upazila]:
    """One district's upazilas by slug, its sadar first: what events, clerks' files and answers may name."""
    return district_summary(district).upazilas


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
    animal_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a word → the animals it names

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
        animal_words={
            **{word: (a["slug"],) for a in raw["animals"] for word in a.get("words", ())},
            **{word: tuple(g["animals"]) for g in raw.get("animal_groups", ()) for word in g["words"]},
        },
    )


@dataclass(frozen=True)
class Unlisted(Label):
    """Something people ask for that the directory does not list (schemas/not_listed.json): a tailor,
    a school, fertilizer. Named so the search can say so, and offer `related` categories by name."""

    kinds: tuple[str, ...]  # "provider" (a service, a place to go) and/or "product" (goods to buy)
    names: tuple[str, ...]
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)  # by kind: listed category slugs
    script_names: tuple[str, ...] = ()  # matched only as written: their keys are a listed word's (ঘড়ি/গাড়ি)
    modifiers: tuple[str, ...] = ()  # a composition: a modifier before a head ("গরুর" + "ডাক্তার")
    heads: tuple[str, ...] = ()
    emergency: bool = False  # asking for it can be an emergency (a fire): the answer carries the numbers

    def phrases(self) -> tuple[str, ...]:
        """Every way to ask for it: its names, and each modifier before each head."""
        composed = tuple(f"{m} {h}" for m in self.modifiers for h in self.heads)
        return tuple(dict.fromkeys((*self.names, *composed)))


@cache
def not_listed() -> dict[str, Unlisted]:
    """What the directory does not list, by slug: entries and compositions alike."""
    raw = _load("not_listed.json")

    def entry(e: dict[str, Any]) -> Unlisted:
        return Unlisted(
            slug=e["slug"],
            bn=e["bn"],
            en=e["en"],
            kinds=tuple(e["kinds"]),
            names=tuple(e.get("names", ())),
            script_names=tuple(e.get("script_names", ())),
            related={kind: tuple(slugs) for kind, slugs in e.get("related", {}).items()},
            modifiers=tuple(e.get("modifiers", ())),
            heads=tuple(e.get("heads", ())),
            emergency=bool(e.get("emergency", False)),
        )

    return {e["slug"]: entry(e) for e in (*raw["entries"], *raw.get("compositions", ()))}


@cache
def dialect() -> dict[str, Any]:
    """How people write their own speech, mapped to standard Bangla (schemas/dialect.json)."""
    return _load("dialect.json")


@cache
def emergency() -> dict[str, Any]:
    """The emergency numbers every medical search carries (schemas/emergency.json)."""
    return _load("emergency.json")


@cache
def storefront() -> dict[str, Any]:
    """What a storefront offers besides its goods (schemas/storefront.json), with the clerks' aliases."""
    return _load("storefront.json")


@cache
def payment_methods() -> dict[str, Label]:
    """How storefronts take payment (schemas/storefront.json), by slug."""
    return {e["slug"]: Label(e["slug"], e["bn"], e["en"]) for e in storefront()["payment_methods"]}
