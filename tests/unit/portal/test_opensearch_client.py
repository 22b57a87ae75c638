"""The engine's request writer: orjson for speed, never a 500 for what orjson refuses."""

from __future__ import annotations

import json

from portal.opensearch_client import FastJSONSerializer


def test_bangla_text_is_written_as_utf8_json() -> None:
    body = {"query": {"match": {"name.bn": "কসাই"}}, "size": 5}
    assert json.loads(FastJSONSerializer().dumps(body)) == body


def test_an_integer_beyond_64_bits_is_still_written_for_the_engine_to_refuse() -> None:
    # A forged cursor can carry one; the engine answers 400 (our 422), not we a serialization 500.
    body = {"search_after": [18446744073709551616, "x"]}
    assert json.loads(FastJSONSerializer().dumps(body)) == body


def test_text_already_written_passes_through() -> None:
    assert FastJSONSerializer().dumps('{"size": 1}') == '{"size": 1}'
