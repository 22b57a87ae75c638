"""validate: raw Kafka bytes → a ChangeEvent, or a Rejection that says what is wrong.

Schemas come from `schemas/events/` and are compiled once into Python code (fastjsonschema), because
this runs for every event. Rules the schema cannot express (taxonomy membership, the livestock and
storefront vocabularies, NaN, nesting depth, message size) live here too, so CSV rows and Kafka events are judged by one set of rules.

Upazilas are judged within the event's district: the one it names (`data.district`, any district whose
geography is built), else the one this process serves (DISTRICT). So one cluster, fed by one topic, can
hold several districts, and an event naming an upazila of another district without saying so is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import fastjsonschema
import orjson

from ingest.events import ChangeEvent, Rejection, SourcePosition
from portal.bangla.normalize import normalize_text
from portal.contracts import (
    District,
    built_districts,
    configured_district,
    district_summary,
    event_schema,
    livestock,
    payment_methods,
    taxonomy,
)

MAX_DEPTH = 12


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str) -> float:
    raise _NonFinite(f"{name} is not a valid JSON number")


@cache
def _compiled(entity: str) -> Callable[[Any], Any]:
    return fastjsonschema.compile(inlined(event_schema(entity)))


def inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of the schema with every `#/definitions/…` reference replaced by the definition it names.

    fastjsonschema compiles a reference into a function call that formats the value's path on every
    call, valid values included (half the time of validating an event); inlined, the same checks run as
    straight code, with the same messages. A copy also keeps the compiler from rewriting the shared
    schema's references in place.
    """
    definitions = schema.get("definitions", {})

    def resolve(node: Any, chain: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [resolve(item, chain) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if not (isinstance(ref, str) and "#/definitions/" in ref):
            return {k: resolve(v, chain) for k, v in node.items()}
        name = ref.rsplit("/", 1)[-1]
        if name in chain:
            raise ValueError(f"definition {name!r} refers to itself; it cannot be inlined")
        target = resolve(definitions[name], (*chain, name))
        return {**target, **{k: resolve(v, chain) for k, v in node.items() if k != "$ref"}}

    return {k: resolve(v, ()) for k, v in schema.items() if k != "definitions"}


def _too_deep(value: Any, limit: int) -> bool:
    """True if containers nest deeper than `limit`; visits only containers, stopping at the first too deep."""
    if limit <= 0:
        return True
    children = value.values() if isinstance(value, dict) else value
    return any(_too_deep(child, limit - 1) for child in children if isinstance(child, (dict, list)))


class _TooDeep(ValueError):
    pass


def _normalize_in_place(container: dict[str, Any] | list[Any], depth_left: int) -> None:
    """NFC, joiners out, Bangla digits in, for every string of an event, before anything reads it.

    Changed strings are replaced where they sit (the parser's containers are ours alone), so an event
    whose strings are canonical — most of them — is visited, not rebuilt. The same walk enforces the
    nesting limit, so a hostile document is refused before the schema validator recurses into it.
    """
    if depth_left <= 0:
        raise _TooDeep
    items = container.items() if type(container) is dict else enumerate(container)
    for key, value in items:  # replacing a value (never a key) is safe while iterating
        kind = type(value)
        if kind is str:
            # Inlined fast path of normalize_text: ids, dates, slugs and times are most strings of an event.
            if (
                value.isascii()
                and value.isprintable()
                and "  " not in value
                and value[:1] != " "
                and value[-1:] != " "
            ):
                continue
            normal = normalize_text(value)
            if normal != value:
                container[key] = normal  # type: ignore[index]
        elif kind is dict or kind is list:
            _normalize_in_place(value, depth_left - 1)


def check_event(body: Any, entity: str, *, check_depth: bool = True) -> tuple[str, str] | None:
    """Judge an already-parsed event. Returns (reason, message) when it must be rejected.

    `check_depth=False` is for events whose shape we built ourselves (CSV rows) or already walked.
    """
    if not isinstance(body, dict):
        return "schema", "an event must be a JSON object"
    if check_depth and _too_deep(body, MAX_DEPTH):
        return "too_deep", f"the event nests deeper than {MAX_DEPTH} levels"
    try:
        _compiled(entity)(body)
    except fastjsonschema.JsonSchemaValueException as e:
        where = e.name.replace("data.", "", 1) if e.name else "event"
        return "schema", f"{where}: {e.message.replace('data.', '', 1)}"
    if body["type"] == "upsert":
        return _domain_problem(body["data"], entity)
    return None


def _unknown(what: str, value: Any, known: Any) -> str:
    return f"{what} {value!r} is unknown; expected one of {', '.join(known)}"


def _not_in(district: District, upazila: str, served: bool) -> str:
    """Why an upazila is refused, and where it is when it is another built district's."""
    message = f"upazila {upazila!r} is not in {district.en}; expected one of {', '.join(district.upazilas)}"
    elsewhere = next((d for d in built_districts() if upazila in district_summary(d).upazilas), None)
    if elsewhere is not None and elsewhere != district.slug:
        say = "this ingest serves" if served else "the event names"
        message += (
            f" ({say} {district.slug}; {upazila} is in {elsewhere}: set data.district to {elsewhere!r})"
        )
    return message


def _domain_problem(data: dict[str, Any], entity: str) -> tuple[str, str] | None:
    """Rules of an upsert's data that the JSON Schema cannot hold: membership in the taxonomy and the
    vocabularies of schemas/ (categories, upazilas, breeds, payment methods)."""
    named = data.get("district")
    if named is not None and named not in built_districts():
        return "unknown_district", (
            f"data.district {named!r} has no geography here; expected one of {', '.join(built_districts())}"
        )
    district = district_summary(named or configured_district())
    upazilas = district.upazilas
    categories = taxonomy().categories("product" if entity == "seller" else entity)
    wanted = data["categories"] if entity == "seller" else [data["category"]]
    for category in wanted:
        if category not in categories:
            where = "data.categories" if entity == "seller" else "data.category"
            return "unknown_category", (
                f"{where} {category!r} is not a {'product' if entity == 'seller' else entity} category; "
                f"expected one of {', '.join(sorted(categories))}"
            )
    upazila = data["address"]["upazila"] if entity == "provider" else data["upazila"]
    if upazila not in upazilas:
        return "unknown_upazila", _not_in(district, upazila, named is None)
    if entity == "seller":
        for slug in data.get("delivery_upazilas", ()):
            if slug not in upazilas:
                return "unknown_upazila", "data.delivery_upazilas: " + _unknown("upazila", slug, upazilas)
        for method in data.get("payment_methods", ()):
            if method not in payment_methods():
                return "unknown_payment_method", "data.payment_methods: " + _unknown(
                    "payment method", method, payment_methods()
                )
    if entity == "product" and "livestock" in data:
        return _livestock_problem(data["livestock"], data["category"])
    return None


def _livestock_problem(facts: dict[str, Any], category: str) -> tuple[str, str] | None:
    """A livestock product's typed facts must use schemas/livestock.json's words, consistently."""
    market = livestock()
    if category != "livestock":
        return "livestock_outside_category", (
            f"data.livestock is only for category 'livestock', not {category!r}; "
            "put other facts in data.attributes"
        )
    animal = facts["animal"]
    if animal not in market.animals:
        return "unknown_livestock", "data.livestock.animal: " + _unknown("animal", animal, market.animals)
    breed = facts.get("breed")
    if breed is not None:
        if breed not in market.breeds:
            return "unknown_livestock", "data.livestock.breed: " + _unknown("breed", breed, market.breeds)
        if animal not in market.breeds[breed].animals:
            fits = [b for b, known in market.breeds.items() if animal in known.animals]
            return "unknown_livestock", (
                f"data.livestock.breed {breed!r} is not a breed of {animal}; expected one of {', '.join(fits)}"
            )
    sex = facts.get("sex")
    if sex is not None and sex not in market.sexes:
        return "unknown_livestock", "data.livestock.sex: " + _unknown("sex", sex, market.sexes)
    seen_at = facts.get("seen_at")
    if seen_at is not None and seen_at["kind"] not in market.seen_at_kinds:
        return "unknown_livestock", "data.livestock.seen_at.kind: " + _unknown(
            "place kind", seen_at["kind"], market.seen_at_kinds
        )
    return None


@dataclass(frozen=True)
class Decoded:
    """A message's bytes read as a JSON value with every string normalized: what the rules judge."""

    body: Any


def decode(raw: bytes | None, *, max_bytes: int = 1_000_000) -> Decoded | tuple[str, str]:
    """Bytes → a normalized JSON value, or (reason, message) when the bytes cannot be one."""
    if raw is None:
        return "empty", "the message has no value (a tombstone record); send a delete event instead"
    if len(raw) > max_bytes:
        return "too_large", f"the message is {len(raw)} bytes; the limit is {max_bytes}"
    try:
        body = orjson.loads(raw)  # C speed for the common case, and it checks the UTF-8 itself
    except orjson.JSONDecodeError:
        # Anything orjson refuses is read again by the standard library, for the exact reason to report
        # (not UTF-8, NaN, broken syntax, nesting) — or accepted, for the few documents only it reads
        # (huge ints).
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            return "invalid_utf8", f"the message is not UTF-8 text: {e.reason} at byte {e.start}"
        try:
            body = json.loads(text, parse_constant=_reject_constant)
        except _NonFinite as e:
            return "invalid_json", str(e)
        except (ValueError, RecursionError) as e:
            return "invalid_json", f"the message is not valid JSON: {e}"
    try:
        if isinstance(body, dict | list):
            _normalize_in_place(body, MAX_DEPTH)
        elif isinstance(body, str):
            body = normalize_text(body)
        return Decoded(body)
    except _TooDeep:
        return "too_deep", f"the event nests deeper than {MAX_DEPTH} levels"


def judge(
    decoded: Decoded,
    raw: bytes,
    entity: str,
    *,
    position: SourcePosition | None = None,
    key: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> ChangeEvent | Rejection:
    """A decoded message against the event schema and the domain's rules: the event, or why not."""
    body = decoded.body
    problem = check_event(body, entity, check_depth=False)
    if problem is None and key is not None and key.decode("utf-8", "replace") != body["id"]:
        # Partitioning by key is what keeps one entity's events in order; a mismatch breaks that silently.
        problem = "key_mismatch", f"the message key {key!r} differs from the event id {body['id']!r}"
    if problem:
        return Rejection(reason=problem[0], message=problem[1], raw=raw, position=position, key=key)
    return ChangeEvent(
        entity=entity,
        type=body["type"],
        id=body["id"],
        version=body["version"],
        body=body,
        position=position,
        headers=headers or {},
        raw=raw,
        key=key,
    )


def validate(
    raw: bytes | None,
    entity: str,
    *,
    position: SourcePosition | None = None,
    key: bytes | None = None,
    headers: dict[str, str] | None = None,
    max_bytes: int = 1_000_000,
) -> ChangeEvent | Rejection:
    """decode → judge, for one message."""
    decoded = decode(raw, max_bytes=max_bytes)
    if not isinstance(decoded, Decoded):
        reason, message = decoded
        return Rejection(reason=reason, message=message, raw=raw or b"", position=position, key=key)
    return judge(decoded, raw or b"", entity, position=position, key=key, headers=headers)
