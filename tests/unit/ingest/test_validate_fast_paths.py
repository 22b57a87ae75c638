"""The shortcuts that make validation cheap must judge exactly as the long way does.

The event schemas are compiled with their references inlined (validate.inlined): every message a
broken event gets must be the one the schema with references gives. Decoding normalizes strings in
place and leaves canonical ones alone: the result must be normalize_text on every string value.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import fastjsonschema
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import livestock_facts, product_event, provider_event, seller_event
from ingest.validate import MAX_DEPTH, Decoded, decode, inlined
from portal.bangla.normalize import normalize_text
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


#: Letters that normalize_text changes or keeps: Bangla (with a decomposed য় and two-part vowel
#: signs), Bangla digits, zero-width marks, spaces of several kinds, ASCII.
_LETTERS = "ab Z9 \u09af\u09bc\u09c7\u09be\u0995\u09e6\u09e7\u200c\u200d\ufeff\u00a0\t  -"
_TEXT = st.text(alphabet=_LETTERS, max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)


def _every_string_normalized(value: Any) -> Any:
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, list):
        return [_every_string_normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: _every_string_normalized(v) for k, v in value.items()}  # keys stay as sent
    return value


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_decoding_normalizes_every_string_value_and_only_those(value):
    decoded = decode(orjson.dumps(value))
    assert isinstance(decoded, Decoded)
    assert decoded.body == _every_string_normalized(value)


def test_nesting_beyond_the_limit_is_refused_and_at_the_limit_accepted():
    def nested(levels: int) -> bytes:
        return b"[" * levels + b"]" * levels

    assert isinstance(decode(nested(MAX_DEPTH)), Decoded)
    assert decode(nested(MAX_DEPTH + 1))[0] == "too_deep"
