"""The search report: what citizens searched for, what came back empty, and what needed relaxing.

    .venv/bin/python -m ingest.search_report [--since 7d] [--until ISO] [--endpoint providers] [--limit 20]

(what `make report` runs), and GET /v1/reports/searches on ingest-service with a key that has the
`reports` scope. Both read the `search_log` indices through the same pure body and shaping below, and
list only queries at least SEARCH_REPORT_MIN_CLIENTS distinct clients searched in the window. The loop it serves: a
zero-result query shows up here → a clerk adds a synonym (POST /v1/synonyms) → the query finds people.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from ingest.config import IngestSettings
from ingest.engine import IngestEngine
from portal.clock import now_dhaka, to_dhaka

SINCE = re.compile(r"^(\d{1,4})([hd])$")
MAX_LIMIT = 200


class InvalidWindow(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def window(since: str, until: str | None, *, now: datetime) -> tuple[datetime, datetime]:
    """`since` is "24h", "7d" or an ISO time; `until` an ISO time or now."""
    end = _instant(until, "until") if until else now
    match = SINCE.match(since)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        start = end - (timedelta(hours=amount) if unit == "h" else timedelta(days=amount))
    else:
        start = _instant(since, "since")
    if start >= end:
        raise InvalidWindow("since", "since must be before until")
    return start, end


def _instant(text: str, parameter: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as e:
        raise InvalidWindow(
            parameter, f"{parameter} must be like 24h, 7d or an ISO time (2026-12-01T00:00+06:00)"
        ) from e
    if value.tzinfo is None:
        raise InvalidWindow(parameter, f"{parameter} needs a time zone, e.g. +06:00")
    return value


#: Queries the engine ranks (by distinct clients) before those seen from too few are dropped: enough that
#: a flood of one client's queries cannot push everyone else's out of the candidates.
CANDIDATES = 1000


def report_body(
    start: datetime, end: datetime, *, endpoint: str | None = None, limit: int = 20, min_clients: int = 3
) -> dict[str, Any]:
    """The aggregation behind the report. Every list of queries (and the ignored words, taken from the
    queries listed) holds only queries that at least `min_clients` distinct clients searched in the
    window (`client_token`, portal/search_log.py): one client repeating a query cannot put it in front
    of clerks, and no lone search is shown. Queries logged before tokens existed count no client."""
    filters: list[dict[str, Any]] = [{"range": {"at": {"gte": start.isoformat(), "lt": end.isoformat()}}}]
    if endpoint:
        filters.append({"term": {"endpoint": endpoint}})
    worded = {"bool": {"must_not": [{"term": {"q_norm": ""}}]}}  # browsing by category has no words

    def queries(extra: dict[str, Any] | None = None, *, size: int = limit) -> dict[str, Any]:
        aggs: dict[str, Any] = {
            "clients": {"cardinality": {"field": "client_token"}},
            "last": {"max": {"field": "at"}},
            "results": {"avg": {"field": "results"}},
        }
        aggs |= extra or {}
        aggs["seen_by_enough"] = {
            "bucket_selector": {
                "buckets_path": {"clients": "clients"},
                "script": {
                    "source": "params.clients >= params.min_clients",
                    "params": {"min_clients": min_clients},
                },
            }
        }
        aggs["page"] = {"bucket_sort": {"sort": [{"_count": {"order": "desc"}}], "size": size}}
        order = [{"clients": "desc"}, {"_count": "desc"}, {"_key": "asc"}]
        return {"terms": {"field": "q_norm", "size": max(size, CANDIDATES), "order": order}, "aggs": aggs}

    ignored = {"ignored": {"terms": {"field": "understood.ignored_words", "size": 5}}}
    return {
        "size": 0,
        "track_total_hits": True,
        "query": {"bool": {"filter": filters}},
        "aggs": {
            "by_endpoint": {"terms": {"field": "endpoint", "size": 5}},
            "zero_total": {"filter": {"term": {"zero": True}}},
            "relaxed_total": {"filter": {"term": {"understood.relaxed": True}}},
            "latency": {"percentiles": {"field": "latency_ms", "percents": [50, 95, 99]}},
            "worded": {
                "filter": worded,
                "aggs": {
                    "top": queries({"zero": {"filter": {"term": {"zero": True}}}}),
                    "zero": {"filter": {"term": {"zero": True}}, "aggs": {"queries": queries()}},
                    "relaxed": {
                        "filter": {"term": {"understood.relaxed": True}},
                        "aggs": {"queries": queries(ignored)},
                    },
                    "ignored_words": queries(
                        {"ignored": {"terms": {"field": "understood.ignored_words", "size": limit}}},
                        size=CANDIDATES,
                    ),
                },
            },
        },
    }


def _rows(buckets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for b in buckets:
        row: dict[str, Any] = {
            "q": b["key"],
            "count": b["doc_count"],
            "clients": b["clients"]["value"],
            "avg_results": round(b["results"]["value"] or 0, 1),
            "last": b["last"].get("value_as_string"),
        }
        if "zero" in b:
            row["zero"] = b["zero"]["doc_count"]
        if "ignored" in b:
            row["ignored_words"] = [i["key"] for i in b["ignored"]["buckets"]]
        rows.append(row)
    return rows


def _ignored_words(buckets: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The words most often ignored, counted over the queries that may be shown."""
    counts: dict[str, int] = {}
    for b in buckets:
        for word in b["ignored"]["buckets"]:
            counts[word["key"]] = counts.get(word["key"], 0) + word["doc_count"]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [{"word": word, "count": count} for word, count in ranked]


def shape_report(
    answer: dict[str, Any], start: datetime, end: datetime, *, limit: int = 20, min_clients: int = 3
) -> dict[str, Any]:
    aggs = answer.get("aggregations")
    total = answer["hits"]["total"]["value"]
    if not aggs:  # no search_log index yet
        return {"since": start.isoformat(), "until": end.isoformat(), "min_clients": min_clients, "searches": 0, "by_endpoint": {},
                "zero_results": 0, "relaxed": 0, "latency_ms": {}, "top_queries": [], "zero_result_queries": [],
                "relaxed_queries": [], "ignored_words": []}  # fmt: skip
    worded = aggs["worded"]
    latency = {
        f"p{float(k):g}": round(v, 1) for k, v in (aggs["latency"]["values"] or {}).items() if v is not None
    }
    return {
        "since": start.isoformat(),
        "until": end.isoformat(),
        "min_clients": min_clients,
        "searches": total,
        "by_endpoint": {b["key"]: b["doc_count"] for b in aggs["by_endpoint"]["buckets"]},
        "zero_results": aggs["zero_total"]["doc_count"],
        "relaxed": aggs["relaxed_total"]["doc_count"],
        "latency_ms": latency,
        "top_queries": _rows(worded["top"]["buckets"]),
        "zero_result_queries": _rows(worded["zero"]["queries"]["buckets"]),
        "relaxed_queries": _rows(worded["relaxed"]["queries"]["buckets"]),
        "ignored_words": _ignored_words(worded["ignored_words"]["buckets"], limit),
    }


async def search_report(
    engine: IngestEngine,
    start: datetime,
    end: datetime,
    *,
    endpoint: str | None = None,
    limit: int = 20,
    min_clients: int = 3,
) -> dict[str, Any]:
    index = f"{engine.settings.index_alias('search_log')}-*"
    body = report_body(start, end, endpoint=endpoint, limit=limit, min_clients=min_clients)
    return shape_report(await engine.search(index, body), start, end, limit=limit, min_clients=min_clients)


# ---------------------------------------------------------------- the command line (`make report`)


def _width(text: str) -> int:
    return sum(0 if unicodedata.category(c) in ("Mn", "Cf") else 1 for c in text)


def _cell(text: str, columns: int) -> str:
    return text + " " * max(columns - _width(text), 0)


def print_report(report: dict[str, Any]) -> None:
    searches = report["searches"] or 1
    print(f"searches {to_dhaka(datetime.fromisoformat(report['since'])):%Y-%m-%d %H:%M} .. "
          f"{to_dhaka(datetime.fromisoformat(report['until'])):%Y-%m-%d %H:%M} (Asia/Dhaka)")  # fmt: skip
    print(f"  total {report['searches']}  {report['by_endpoint']}")
    print(f"  queries below are those at least {report['min_clients']} distinct clients searched")
    print(f"  zero results {report['zero_results']} ({100 * report['zero_results'] / searches:.1f} %)"
          f"   relaxed {report['relaxed']} ({100 * report['relaxed'] / searches:.1f} %)   latency {report['latency_ms']}")  # fmt: skip
    sections = [
        ("top queries", report["top_queries"], "zero"),
        ("zero-result queries", report["zero_result_queries"], None),
        ("queries that needed relaxation", report["relaxed_queries"], "ignored_words"),
    ]
    for title, rows, extra in sections:
        print(f"\n{title}")
        if not rows:
            print("  (none)")
        for row in rows:
            more = f"  {extra} {row.get(extra)}" if extra else ""
            print(
                f"  {row['count']:>6}  {_cell(row['q'][:40], 42)} clients {row['clients']:>4}"
                f"  avg results {row['avg_results']:>6}{more}"
            )
    print("\nwords most often ignored")
    print("  " + (", ".join(f"{w['word']} ({w['count']})" for w in report["ignored_words"]) or "(none)"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="What citizens searched for, and what came back empty.")
    parser.add_argument("--since", default="7d", help="24h, 7d or an ISO time (default 7d)")
    parser.add_argument("--until", default=None, help="an ISO time (default now)")
    parser.add_argument("--endpoint", choices=("providers", "products"), default=None)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args(argv)
    try:
        start, end = window(args.since, args.until, now=now_dhaka())
    except InvalidWindow as e:
        print(f"error: {e.message}", file=sys.stderr)
        return 2

    async def run() -> dict[str, Any]:
        settings = IngestSettings()
        engine = IngestEngine(settings)
        try:
            return await search_report(
                engine,
                start,
                end,
                endpoint=args.endpoint,
                limit=min(args.limit, MAX_LIMIT),
                min_clients=settings.search_report_min_clients,
            )
        finally:
            await engine.close()

    print_report(asyncio.run(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
