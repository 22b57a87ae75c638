"""Opaque pagination cursors: the engine's `search_after` values, bound to the query that made them. Pure.

Deep `from`/`size` paging costs the engine more on every page and skips or repeats results when the
index changes; `search_after` does neither. The cursor carries a fingerprint of the query parameters,
so a cursor from one search cannot silently page through another (other filters, another sort).
It is not a secret: a client that forges one only gets a page of its own query, or a 422.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

MAX_CURSOR_CHARS = 1000
NOT_A_CURSOR = "cursor is not valid; pass back the next_cursor of the previous page unchanged"


class InvalidCursor(ValueError):
    """The cursor is malformed, or it was made by a different query."""


def query_fingerprint(params: Mapping[str, Any]) -> str:
    """A short, stable hash of the parameters that decide *which* results and in what order."""
    canonical = json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


MAX_TIER = 9


def encode_cursor(search_after: list[Any], fingerprint: str, tier: int = 0) -> str:
    """`tier`: the relaxation tier (relaxation/plan.py) that answered the first page; later pages use it."""
    payload: dict[str, Any] = {"a": search_after, "h": fingerprint}
    if tier:
        payload["t"] = tier
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def _payload(cursor: str) -> dict[str, Any]:
    if len(cursor) > MAX_CURSOR_CHARS:
        raise InvalidCursor("cursor is too long; pass back the next_cursor of the previous page unchanged")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as e:
        raise InvalidCursor(NOT_A_CURSOR) from e
    if not isinstance(data, dict) or not isinstance(data.get("a"), list) or "h" not in data:
        raise InvalidCursor(NOT_A_CURSOR)
    return data


def cursor_tier(cursor: str) -> int:
    """The relaxation tier a cursor pages through (0 = the strict query)."""
    tier = _payload(cursor).get("t", 0)
    if not isinstance(tier, int) or isinstance(tier, bool) or not 0 <= tier <= MAX_TIER:
        raise InvalidCursor(NOT_A_CURSOR)
    return tier


#: The widest integer a sort value can be: the engine's long. A forged cursor's 400-digit integer is
#: refused here (math.isfinite raised OverflowError on it: a 500).
MAX_SORT_INT = 2**63


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_SORT_INT <= value < MAX_SORT_INT
    return isinstance(value, float) and math.isfinite(value)


def decode_cursor(cursor: str, fingerprint: str, *, length: int) -> list[Any]:
    """The `search_after` values of `cursor`, which must have `length` of them and match `fingerprint`.

    Every sort we build is numbers (score, price, distance, time) and then the `id`, a string; a
    cursor holding anything else would only make the engine fail, so it is refused here.
    """
    data = _payload(cursor)
    if data["h"] != fingerprint:
        raise InvalidCursor(
            "cursor does not belong to this query; keep q, filters and sort unchanged while paging"
        )
    values: list[Any] = data["a"]
    well_formed = (
        len(values) == length and all(_is_number(v) for v in values[:-1]) and isinstance(values[-1], str)
    )
    if not well_formed:
        raise InvalidCursor(NOT_A_CURSOR)
    return values
