"""One contract for a field, checked offline: the event schemas (schemas/events/), the index mappings
(schemas/indices/), the documents ingest writes (ingest.to_document), the clerks' CSV columns
(schemas/csv/) and search's answer models and bodies must agree, or a field added in one place and forgotten in another fails here, not in production:
- a field the document has and the mapping lacks: the engine (`dynamic: strict`) refuses every write
  carrying it, and every such event goes to the dead-letter topic;
- a field of the event the document drops: it never reaches search;
- a mapped field no document ever has: a reader would take it for data;
- a field an answer is made from (answers/from_document.py) that the document never has, or a
  `_source` asking for it: the answer is silently empty;
- a field a body filters, sorts, aggregates or highlights on that the mapping lacks: it matches nothing;
- a field of the event no CSV column sets: clerks cannot import it.

The events are the test factories' (tests/factories.py), with a value made from the schema for every
optional field they leave out, so a new optional field is covered without touching this file.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from pydantic import BaseModel

from factories import UPAZILA_CENTRE, livestock_facts, product_event, provider_event, seller_event
from ingest.csv_import.columns import columns_for, match_header
from ingest.csv_import.rows import RowConverter
from ingest.events import ChangeEvent
from ingest.to_document import to_document
from ingest.validate import validate
from portal.clock import DHAKA
from portal.contracts import ENTITIES, event_schema, index_definition
from search.answers.from_document import declaration, document_fields, source_fields
from search.categories.bodies import category_counts_body
from search.products.answer import ProductResult
from search.products.bodies import (
    PRODUCT_SOURCE,
    first_page_bodies,
    product_search_body,
    tier_matches_agg,
    unavailable_items_body,
)
from search.products.request import ProductQuery
from search.providers.answer import ProviderResult
from search.providers.bodies import PROVIDER_SOURCE, emergency_ambulances_body, nearest_providers_body
from search.providers.request import NearestQuery
from search.queries.without_hidden_sellers import SELLER_FIELD, without_hidden_sellers
from search.relaxation.plan import tiers
from search.sellers.answer import NearbyStorefront, SellerCard, Storefront
from search.sellers.bodies import (
    SELLER_SOURCE,
    nearest_sellers_body,
    product_counts_body,
    storefront_body,
    storefront_counts_body,
)
from search.sellers.request import NearestSellersQuery
from search.suggest.bodies import product_suggest_body
from search.understanding.evidence import word_evidence_body
from search.understanding.reading import Word
from search.understanding.understanding import understand

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=DHAKA)
INDEX = {"provider": "providers", "product": "products", "seller": "sellers"}
#: Mapped fields another writer than to_document fills: the hidden-sellers list document
#: (ingest/hide_deleted_sellers.py).
WRITTEN_ELSEWHERE = {"sellers": {"hidden_seller_ids"}}
#: Event fields the importer sets itself, not from a column: when the row was read.
SET_BY_THE_IMPORTER = {"updated_at", "district"}  # district: the service's DISTRICT, filled in by to_document
#: Document fields to_document makes from others, with no event field of their own.
MADE_BY_INGEST = {"union"}  # the union whose polygon holds the point (portal.geography)
#: The answer models made from each index's documents.
ANSWERS: dict[str, tuple[type[BaseModel], ...]] = {
    "providers": (ProviderResult,),
    "products": (ProductResult,),
    "sellers": (SellerCard, Storefront, NearbyStorefront),
}
SOURCES = {"providers": PROVIDER_SOURCE, "products": PRODUCT_SOURCE, "sellers": SELLER_SOURCE}


# ---- the events, complete ---------------------------------------------------------------------------


def _definition(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


def sample(schema: dict[str, Any], node: dict[str, Any], name: str) -> Any:
    """A valid value for a field the factories leave out, made from its schema (the simple kinds)."""
    node = _definition(schema, node)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return node.get("minimum", 1)
    if kind == "string" and node.get("format") == "date":
        return "2026-01-15"
    if kind == "string" and node.get("format") == "date-time":
        return "2026-11-28T10:00:00+06:00"
    if kind == "string" and "pattern" not in node:
        return "নমুনা"
    if kind == "array" and node.get("items"):
        return [sample(schema, node["items"], name)]
    pytest.fail(f"give {name} a value in complete_event(): its schema is not one this test can fill in")


def complete_event(entity: str) -> dict[str, Any]:
    """The factory's event with every field of the event schema's data set."""
    made = {
        "provider": provider_event(
            "contract-provider",
            category="blood_donor",
            hours=[{"day": "sat", "open": "09:00", "close": "17:00"}],
            blood_group="B+",
            last_donation_date="2026-01-15",
            rating=4.5,
        ),
        "product": product_event(
            "contract-product",
            description={"bn": "তাজা", "en": "fresh"},
            attributes={"fresh": True},
            livestock=livestock_facts(),
        ),
        "seller": seller_event(
            "contract-seller", address={"bn": "বড় বাজার", "en": "Boro Bazar"}, description={"bn": "খামার"}
        ),
    }[entity]
    made["data"]["district"] = "kishoreganj"  # a slug by pattern, which sample() cannot make up
    # The factories' point (Kishoreganj Sadar's centre) lies in a union of its upazila, so the document
    # also has the `union` ingest makes from the point (no event field: to_document fills it in).
    assert made["data"]["location"] == UPAZILA_CENTRE
    schema = event_schema(entity)
    properties = schema["definitions"][entity]["properties"]
    for name, node in properties.items():
        if name not in made["data"]:
            made["data"][name] = sample(schema, node, f"{entity}.{name}")
    return made


def document(event: dict[str, Any]) -> dict[str, Any]:
    checked = validate(json.dumps(event, ensure_ascii=False).encode(), event["entity"])
    assert isinstance(checked, ChangeEvent), f"the complete {event['entity']} event is refused: {checked}"
    return to_document(checked, indexed_at=NOW)


def tombstone(entity: str) -> dict[str, Any]:
    event = {"provider": provider_event, "product": product_event, "seller": seller_event}[entity]
    return document(event(f"contract-{entity}", 2, type="delete"))


# ---- the mappings -----------------------------------------------------------------------------------


def mapping(index: str) -> dict[str, Any]:
    properties: dict[str, Any] = index_definition(index)["mappings"]["properties"]
    return properties


def unmapped(doc: dict[str, Any], properties: dict[str, Any], prefix: str = "") -> list[str]:
    """The paths of `doc` a strict mapping refuses."""
    refused = []
    for name, value in doc.items():
        field = properties.get(name)
        if field is None:
            refused.append(prefix + name)
        elif field.get("enabled") is not False and "properties" in field:
            values = value if isinstance(value, list) else [value]
            for inner in values:
                if isinstance(inner, dict):
                    refused += unmapped(inner, field["properties"], f"{prefix}{name}.")
    return refused


def is_mapped(path: str, properties: dict[str, Any]) -> bool:
    """Whether a field a body names (`title.bn.exact`, `livestock.seen_at.kind`) is in the mapping."""
    node: dict[str, Any] = {"properties": properties}
    for part in path.split("."):
        children = {**node.get("properties", {}), **node.get("fields", {})}
        if part not in children:
            return False
        node = children[part]
    return True


# ---- the fields bodies name -------------------------------------------------------------------------

NOT_FIELDS = {"boost", "_name", "minimum_should_match", "format", "relation"}
GEO_OPTIONS = {"distance", "distance_type", "order", "unit", "mode", "validation_method", "ignore_unmapped"}


def named_fields(node: Any) -> set[str]:
    """Every document field a body filters, matches, sorts, aggregates, highlights or fetches."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= named_fields(item)
        return found
    if not isinstance(node, dict):
        return found
    for key, value in node.items():
        if key in ("term", "terms", "match", "range", "exp") and isinstance(value, dict):
            found |= {value["field"]} if "field" in value else set(value) - NOT_FIELDS
        elif key == "exists":
            found.add(value["field"])
        elif key in ("geo_distance", "_geo_distance"):
            found |= set(value) - GEO_OPTIONS
        elif key == "multi_match":
            found |= {f.split("^")[0] for f in value["fields"]}
        elif key == "sort":
            for clause in value:
                if isinstance(clause, str):
                    found |= {clause} - {"_score"}
                else:
                    found |= set(clause) - {"_geo_distance"}
        elif key == "_source" and isinstance(value, list):
            found |= set(value)
        elif key == "highlight":
            found |= set(value["fields"])
        found |= named_fields(value)
    return found


def provider_bodies() -> list[dict[str, Any]]:
    understanding = understand("বি পজিটিভ রক্ত লাগবে ভৈরব", "provider")
    assert understanding is not None
    params = NearestQuery(
        lat=24.43, lon=90.78, q="বি পজিটিভ রক্ত লাগবে ভৈরব", category="blood_donor", blood_group="B+",
        sort="relevance", verified=True,
    )  # fmt: skip
    bodies = [
        nearest_providers_body(params, now=NOW, eligibility_days=120, understanding=understanding, tier=tier)
        for tier in tiers(understanding)
    ]
    bodies.append(
        nearest_providers_body(
            params, now=NOW, eligibility_days=120, understanding=understanding, part="open_beyond"
        )
    )
    bodies.append(emergency_ambulances_body(params, now=NOW, eligibility_days=120))
    return bodies


def product_bodies() -> list[dict[str, Any]]:
    understanding = understand("৩ মণের শাহীওয়াল ষাঁড় ১ লাখ কিশোরগঞ্জ", "product")
    assert understanding is not None
    plan = tiers(understanding)
    every_filter = ProductQuery(
        q="৩ মণের শাহীওয়াল ষাঁড় ১ লাখ কিশোরগঞ্জ", category="livestock", min_price=1, max_price=200_000, lat=24.43,
        lon=90.78, radius_km=20, seller="sel-1", animal="bull", breed="sahiwal", sex="male", seen_at="haat",
        min_weight_kg=100, max_weight_kg=500, min_age_months=12, max_age_months=60,
    )  # fmt: skip
    bodies = [
        product_search_body(
            every_filter.model_copy(update={"sort": sort}), understanding=understanding, tier=tier
        )
        for tier in plan
        for sort in ("relevance", "distance", "price_per_kg_asc", "newest")
    ]
    bodies.append({"aggs": {"tiers": tier_matches_agg(understanding, plan)}})
    for sort in ("relevance", "price_asc", "distance"):  # every tier in one query: each tier's filters
        bodies += first_page_bodies(every_filter.model_copy(update={"sort": sort}), understanding, plan)
    bodies.append(unavailable_items_body(every_filter, understanding, plan[0]))
    suggest = product_suggest_body("gor", limit=8)
    assert suggest is not None
    bodies += [suggest, category_counts_body("product")]
    return bodies


def seller_bodies() -> list[dict[str, Any]]:
    nearest = NearestSellersQuery(lat=24.43, lon=90.78, category="livestock", verified=True)
    return [storefront_body("mayer-doa"), nearest_sellers_body(nearest)]


def counting_products_bodies() -> list[dict[str, Any]]:
    return [storefront_counts_body("sel-1"), product_counts_body(["sel-1", "sel-2"])]


BODIES = {
    "providers": lambda: [
        *provider_bodies(),
        category_counts_body("provider"),
        word_evidence_body(Word("ডাক্তার", "daktar", (("daktar", 0.0),)), "provider"),
    ],
    "products": lambda: [*product_bodies(), *counting_products_bodies()],
    "sellers": seller_bodies,
}


# ---- the checks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_field_ingest_writes_is_mapped(entity: str) -> None:
    index = INDEX[entity]
    for doc in (document(complete_event(entity)), tombstone(entity)):
        assert unmapped(doc, mapping(index)) == [], (
            f"schemas/indices/{index}.json lacks these fields of the document ingest writes: the engine "
            "would refuse every such write and dead-letter the event; map them"
        )


@pytest.mark.parametrize("entity", ENTITIES)
def test_the_fields_ingest_makes_are_mapped_and_no_event_field(entity: str) -> None:
    doc = document(complete_event(entity))
    assert set(doc) >= MADE_BY_INGEST and set(mapping(INDEX[entity])) >= MADE_BY_INGEST
    assert MADE_BY_INGEST & set(event_schema(entity)["definitions"][entity]["properties"]) == set()


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_field_of_the_event_reaches_the_document(entity: str) -> None:
    event = complete_event(entity)
    doc = document(event)
    assert set(event["data"]) - set(doc) == set(), "fields of the event ingest drops (ingest/to_document.py)"


@pytest.mark.parametrize("entity", ENTITIES)
def test_every_mapped_field_is_written(entity: str) -> None:
    index = INDEX[entity]
    written = set(document(complete_event(entity))) | set(tombstone(entity))
    never = set(mapping(index)) - written - WRITTEN_ELSEWHERE.get(index, set())
    assert never == set(), f"schemas/indices/{index}.json maps fields no document has"


@pytest.mark.parametrize("index", list(ANSWERS))
def test_every_answer_field_says_what_it_is_made_from(index: str) -> None:
    for model in ANSWERS[index]:
        undeclared = [name for name, field in model.model_fields.items() if declaration(field) is None]
        assert undeclared == [], f"{model.__name__}: declare made_from(...) or copied() on {undeclared}"


@pytest.mark.parametrize("index", list(ANSWERS))
def test_answers_are_made_from_fields_the_documents_have(index: str) -> None:
    entity = next(e for e, name in INDEX.items() if name == index)
    doc = document(complete_event(entity))
    for model in ANSWERS[index]:
        for name, made in document_fields(model).items():
            missing = [f for f in made if f not in doc or not is_mapped(f, mapping(index))]
            assert missing == [], (
                f"{model.__name__}.{name} is made from {missing}, which no {index} document has"
            )


@pytest.mark.parametrize("index", list(ANSWERS))
def test_each_source_is_what_the_answers_are_made_from(index: str) -> None:
    assert set(SOURCES[index]) == set(source_fields(*ANSWERS[index]))
    assert [f for f in SOURCES[index] if not is_mapped(f, mapping(index))] == []


def test_copied_fields_are_fields_of_the_event() -> None:
    for index, models in ANSWERS.items():
        entity = next(e for e, name in INDEX.items() if name == index)
        data = event_schema(entity)["definitions"][entity]["properties"]
        for model in models:
            copied = [n for n, f in model.model_fields.items() if (d := declaration(f)) and d.copied]
            assert set(copied) - set(data) == set(), f"{model.__name__} copies fields no {entity} event has"


@pytest.mark.parametrize("index", list(BODIES))
def test_bodies_name_only_mapped_fields(index: str) -> None:
    named = set().union(*(named_fields(body) for body in BODIES[index]()))
    assert named, "no fields found: the walk is broken"
    assert sorted(f for f in named if not is_mapped(f, mapping(index))) == []


def test_the_hidden_sellers_wrap_names_mapped_fields() -> None:
    for index, field in SELLER_FIELD.items():
        assert is_mapped(field, mapping(index))
    wrapped = without_hidden_sellers({"query": {"match_all": {}}}, "sellers", "seller_id")
    assert named_fields(wrapped) == {"seller_id"}
    assert is_mapped("hidden_seller_ids", mapping("sellers"))


def test_the_check_bites() -> None:
    """A document field the mapping lacks, at any depth, and a body naming one, are caught."""
    doc = {"id": "p-1", "verified_by": "uno", "name": {"bn": "রহিম", "nickname": "রহি"}, "hours": [{"x": 1}]}
    assert unmapped(doc, mapping("providers")) == ["verified_by", "name.nickname"]  # hours: not indexed
    assert not is_mapped("title.bn.nonsense", mapping("products"))
    assert is_mapped("title.bn.exact", mapping("products"))
    assert named_fields({"query": {"term": {"nonsense": True}}}) == {"nonsense"}


@pytest.mark.parametrize("entity", ENTITIES)
def test_a_clerk_can_set_every_field_of_the_event(entity: str) -> None:
    paths = {c.path[1] for c in columns_for(INDEX[entity]).columns if c.path[0] == "data"}
    fields = set(event_schema(entity)["definitions"][entity]["properties"])
    assert fields - paths - SET_BY_THE_IMPORTER == set(), (
        f"schemas/csv/{INDEX[entity]}.columns.json lacks them"
    )


def test_a_providers_verified_column_reaches_the_event() -> None:
    header = ["id", "name_bn", "category", "phone", "lat", "lon", "upazila", "যাচাইকৃত"]
    row = ["prov-1", "মোঃ রফিকুল ইসলাম", "electrician", "01712-345678", "24.05", "90.985", "bhairab"]
    columns = columns_for("providers")
    convert = RowConverter(columns, match_header(columns, header), started=NOW).convert
    assert convert(2, [*row, "হ্যাঁ"]).event["data"]["verified"] is True
    assert "verified" not in convert(3, [*row, ""]).event["data"]
