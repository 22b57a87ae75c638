"""The search log: what citizens searched for and what came back, as events on Kafka topic `search_log`.

search-service publishes one event per provider or product search (search/query_log.py); ingest-service
indexes them into daily `search_log-*` indices (ingest/search_log_sink.py), and the report (`make
report`, GET /v1/reports/searches) lists top, zero-result and relaxed queries.

It keeps what the report needs and nothing that points at a person:
- digits people type are redacted: a run of 4 or more digits (Bangla or ASCII, with the spaces, dashes
  and dots people put inside phone numbers) becomes `#`, in the query and its ignored words — a phone
  number, a bKash or NID number never reaches the log, while "2 bag", "৫ কেজি" and "A+" stay;
- the time is the hour (Asia/Dhaka), not the millisecond: no report window can isolate one search, and
  the report's windows are hours and days anyway;
- no point, no area, no address: the report never groups by place;
- `client_token` is a keyed hash of the client *and the query*, with a key that changes every week: the
  report counts how many distinct clients asked a query (one client repeating it twenty times is one),
  but no two different queries can be linked to one client, and nothing maps back to an address.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from portal.bangla.normalize import normalize_text
from portal.clock import to_dhaka

SEARCH_LOG_TOPIC = "search_log"
#: A run of digits (any script: Python's \d is Unicode) with what people type between groups of a phone
#: number — "017-1234-5678", "০১৭১২ ৩৪৫৬৭৮", "+880 1712…" — redacted when it holds this many digits.
REDACT_DIGITS = 4
DIGIT_RUN = re.compile(r"\+?\d(?:[\s.\-()]{0,2}\d)*")
REDACTED = "#"
#: The client token's key changes at the start of each week (Saturday 00:00 Asia/Dhaka, the local week).
TOKEN_PERIOD = timedelta(days=7)
SATURDAY = 5  # datetime.weekday()


def redact(text: str) -> str:
    """The text with every run of REDACT_DIGITS or more digits replaced by `#`."""
    return DIGIT_RUN.sub(
        lambda m: REDACTED if sum(c.isdigit() for c in m.group()) >= REDACT_DIGITS else m.group(), text
    )


def q_norm(q: str) -> str:
    """The query as the report groups it: NFC, lower case, single spaces."""
    return " ".join(normalize_text(q).lower().split())[:200]


def logged_hour(at: datetime) -> datetime:
    """The time a search is stored with: its hour in Asia/Dhaka."""
    return to_dhaka(at).replace(minute=0, second=0, microsecond=0)


def token_period(at: datetime) -> datetime:
    """The start of the week (Saturday 00:00 Asia/Dhaka) whose key hashes a search made at `at`."""
    local = to_dhaka(at).replace(hour=0, minute=0, second=0, microsecond=0)
    return local - timedelta(days=(local.weekday() - SATURDAY) % 7)


def client_token(key: bytes, client: str, q: str) -> str:
    """A client's token for one query under this week's key: equal for the same client and query, and
    unrelated across queries or weeks."""
    message = f"{client}\n{q_norm(redact(q))}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def search_log_event(
    *,
    endpoint: str,
    q: str | None,
    category: str | None,
    understood: Mapping[str, Any],
    results: int,
    returned: int,
    closed_nearby: int = 0,
    latency_ms: float,
    at: datetime,
    available_now: bool | None = None,
    client_token: str | None = None,
) -> dict[str, Any]:
    """The event for one answered search: `understood` is the answer's `query` part, `results` its
    total, `returned` and `closed_nearby` how many providers or products the client was shown."""
    place = understood.get("place")
    ignored = dict.fromkeys(redact(w)[:200] for w in understood.get("ignored_words", []))
    event = {
        "event_id": str(uuid.uuid4()),
        "at": logged_hour(at).isoformat(),
        "endpoint": endpoint,
        "q": redact(normalize_text(q or ""))[:200],
        "category": category,
        "understood": {
            "categories": list(understood.get("categories", []))[:30],
            "place": place.get("slug") if isinstance(place, Mapping) else None,
            "blood_group": understood.get("blood_group"),
            "ignored_words": list(ignored)[:60],
            "relaxed": bool(understood.get("relaxed", False)),
        },
        "results": results,
        "returned": returned,
        "closed_nearby": closed_nearby,
        "available_now": available_now,
        "latency_ms": round(latency_ms, 2),
    }
    if client_token:
        event["client_token"] = client_token
    return event
