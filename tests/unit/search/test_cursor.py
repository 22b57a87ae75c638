"""Cursors round-trip the engine's sort values and refuse to serve another query."""

from __future__ import annotations

import base64
import json

import pytest

from search.products.cursor import InvalidCursor, decode_cursor, encode_cursor, query_fingerprint

PARAMS = {"q": "ইলিশ", "category": "fish", "sort": "price_asc", "min_price": 100.0}


def test_round_trip_keeps_values_and_types():
    fp = query_fingerprint(PARAMS)
    values = [1234.5, 1732770000000, "ps-ইলিশ-01"]
    cursor = encode_cursor(values, fp)
    assert decode_cursor(cursor, fp, length=3) == values


def test_non_finite_numbers_are_refused():
    fp = query_fingerprint(PARAMS)
    forged = base64.urlsafe_b64encode(b'{"a": [NaN, "x"], "h": "%s"}' % fp.encode()).decode()
    with pytest.raises(InvalidCursor):
        decode_cursor(forged, fp, length=2)


def test_cursor_is_url_safe_and_unpadded():
    cursor = encode_cursor([0.1, "a/b+c?>>>"], query_fingerprint(PARAMS))
    assert "=" not in cursor and "+" not in cursor and "/" not in cursor


def test_fingerprint_ignores_key_order_but_not_values():
    assert query_fingerprint(dict(reversed(PARAMS.items()))) == query_fingerprint(PARAMS)
    assert query_fingerprint({**PARAMS, "min_price": 101.0}) != query_fingerprint(PARAMS)


def test_cursor_from_other_filters_is_refused():
    cursor = encode_cursor([10.0, "x"], query_fingerprint(PARAMS))
    other = query_fingerprint({**PARAMS, "category": "dairy"})
    with pytest.raises(InvalidCursor, match="cursor does not belong to this query"):
        decode_cursor(cursor, other, length=2)


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        "",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b'{"a": "x"}').decode(),
        "A" * 5000,
    ],
)
def test_garbage_is_refused(cursor):
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, query_fingerprint(PARAMS), length=2)


def test_tampered_values_are_refused():
    fp = query_fingerprint(PARAMS)
    bad = ([1.0], [1.0, "x", "y"], [{"script": "boom"}, "x"], [None, "x"], [True, "x"], ["1", "x"], [1.0, 2])
    for values in bad:
        forged = base64.urlsafe_b64encode(json.dumps({"a": values, "h": fp}).encode()).decode()
        with pytest.raises(InvalidCursor):
            decode_cursor(forged, fp, length=2)


def test_tampered_hash_is_refused():
    cursor = encode_cursor([1.0, "x"], query_fingerprint(PARAMS))
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    data["h"] = data["h"][::-1]
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
    with pytest.raises(InvalidCursor, match="does not belong"):
        decode_cursor(forged, query_fingerprint(PARAMS), length=2)


def test_an_integer_beyond_the_engines_long_is_refused_not_a_crash():
    fingerprint = "f" * 16
    for huge in (int("9" * 400), 2**63, -(2**63) - 1):
        cursor = encode_cursor([huge, "id-1"], fingerprint)
        with pytest.raises(InvalidCursor):
            decode_cursor(cursor, fingerprint, length=2)
    assert (
        decode_cursor(encode_cursor([2**63 - 1, "id-1"], fingerprint), fingerprint, length=2)[0] == 2**63 - 1
    )
