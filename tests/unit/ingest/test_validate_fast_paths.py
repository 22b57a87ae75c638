"""The shortcuts that make validation cheap must judge exactly as the long way does.

The event schemas are compiled with their references inlined (validate.inlined): every message a
broken event gets must be the one the schema with references gives.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import fastjsonschema
import pytest

from factories import livestock_facts, product_event, provider_event, seller_event
from ingest.validate import inlined
from portal.contracts import event_schema

_DELETE = object()
#: Values that break a field in different ways: wrong type, empty, too long, out of pattern.
_BREAKERS: tuple[Any, ...] = (_DELETE, 12345, "", "x" * 600, None, [], {}, -1, "zz", 99.5)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if prefix:
        yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _paths(child, (*prefix, key))


def _broken(event: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The event with one field at a time removed or replaced by each breaker."""
    for path in _paths(event):
        for breaker in _BREAKERS:
            changed = copy.deepcopy(event)
            parent = changed
            for key in path[:-1]:
                parent = parent[key]
            if breaker is _DELETE:
                del parent[path[-1]]
            else:
                parent[path[-1]] = breaker
            yield changed


def _verdict(validator: Any, event: dict[str, Any]) -> tuple[str, str] | None:
    try:
        validator(event)
    except fastjsonschema.JsonSchemaValueException as e:
        return e.message, str(e.name)
    return None


EVENTS = {
    "provider": provider_event(
        "p-1",
        services=["হাউস ওয়্যারিং"],
        hours=[{"day": "sat", "open": "09:00", "close": "18:00"}],
        blood_group="O+",
        rating=4.5,
    ),
    "product": product_event("pr-1", category="livestock", livestock=livestock_facts()),
    "seller": seller_event("s-1"),
}


@pytest.mark.parametrize("entity", sorted(EVENTS))
def test_inlined_schema_gives_every_broken_event_the_same_message(entity):
    with_references = fastjsonschema.compile(copy.deepcopy(event_schema(entity)))
    inlined_schema = fastjsonschema.compile(inlined(event_schema(entity)))
    cases = 0
    for event in _broken(EVENTS[entity]):
        assert _verdict(inlined_schema, event) == _verdict(with_references, event)
        cases += 1
    assert cases > 100
    assert _verdict(inlined_schema, EVENTS[entity]) is None


def test_inlining_leaves_the_shared_schema_as_it_was():
    before = copy.deepcopy(event_schema("provider"))
    fastjsonschema.compile(inlined(event_schema("provider")))
    assert event_schema("provider") == before
    assert "$ref" not in repr(inlined(event_schema("provider")))


def test_a_definition_that_refers_to_itself_is_refused():
    schema = {
        "definitions": {"node": {"items": {"$ref": "#/definitions/node"}}},
        "properties": {"tree": {"$ref": "#/definitions/node"}},
    }
    with pytest.raises(ValueError, match="refers to itself"):
        inlined(schema)
