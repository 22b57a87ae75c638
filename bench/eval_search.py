"""Search quality on an eval query set, against the running stack, beside a plain-OpenSearch baseline.

    .venv/bin/python bench/eval_search.py [--queries PATH ...] [--search-url URL] [--opensearch-url URL]
                                          [--index-prefix P] [--json-out PATH]

By default both shared dev files (category names; places, needs, spellings, mixed script, products),
each judged on its own. Each line of a query file runs against our API (`providers` → /v1/providers/nearest, `products` →
/v1/products/search) and against a baseline: the same live documents copied into indices that know
only the `standard` analyzer, searched with one `multi_match`. Prints a per-query table and the
summary of both, writes the figures to bench/results/eval-<UTC time>.json. Exit 2 if the stack is
not reachable (run `make run` first), otherwise 0 whatever the scores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from eval_metrics import (
    Attributes,
    K,
    Score,
    Summary,
    run_lengths,
    score,
    summarize,
    summarize_by_class,
    targets,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_QUERIES = [
    REPO.parent / "shared" / "eval" / f
    for f in ("dev-queries.jsonl", "dev-queries-2.jsonl", "dev-queries-trust.jsonl")
]
RESULTS_DIR = REPO / "bench" / "results"
RADIUS_KM = 50  # unless a line sets radius_km
ENDPOINTS = {"providers": "/v1/providers/nearest", "products": "/v1/products/search"}


class StackUnreachable(Exception):
    """The search API or the engine does not answer: nothing to evaluate."""


# --- queries -------------------------------------------------------------------------------------


def load_queries(path: Path) -> list[dict[str, Any]]:
    """One JSON object a line; blank lines skipped; a bad line is named by its number."""
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            query = json.loads(line)
        except json.JSONDecodeError as e:
            raise SystemExit(f"{path}:{number}: not JSON ({e.msg})") from e
        missing = {"id", "endpoint", "q", "class", "expect"} - set(query)
        if query.get("endpoint") == "providers":
            missing |= {"lat", "lon"} - set(query)
        if missing or query["endpoint"] not in ENDPOINTS:
            raise SystemExit(f"{path}:{number}: needs {sorted(missing) or 'endpoint providers|products'}")
        queries.append(query)
    return queries


# --- ours: the search API ------------------------------------------------------------------------


def our_results(api: httpx.Client, query: dict[str, Any]) -> tuple[list[Attributes], dict[str, Any]]:
    """Top K of our endpoint, reduced to the attributes `expect` can name, and how it read the query."""
    if query["endpoint"] == "providers":
        params = {
            "lat": query["lat"], "lon": query["lon"], "q": query["q"],
            "radius_km": query.get("radius_km", RADIUS_KM), "available_now": "false", "limit": K,
        }  # fmt: skip
    else:
        params = {"q": query["q"], "limit": K}
    response = api.get(ENDPOINTS[query["endpoint"]], params=params)
    for _ in range(5):  # the service's per-client rate limit: wait as told, like a well-behaved client
        if response.status_code != 429:
            break
        time.sleep(float(response.headers.get("retry-after", "1")))
        response = api.get(ENDPOINTS[query["endpoint"]], params=params)
    if response.status_code == 503:
        raise StackUnreachable(f"search API answered 503: {response.text[:200]}")
    response.raise_for_status()
    answer = response.json()
    return [attributes(r) for r in answer["results"][:K]], answer.get("query") or {}


def attributes(result: dict[str, Any]) -> Attributes:
    """What `expect` can name, from an API result or a raw engine document (slugs either way)."""

    def slug(value: Any) -> str | None:
        return value.get("slug") if isinstance(value, dict) else value

    title = result.get("title")
    return {
        "category": slug(result.get("category")),
        "upazila": slug(result.get("upazila")),
        "blood_group": result.get("blood_group"),
        "title": " ".join(str(t) for t in title.values() if t) if isinstance(title, dict) else None,
    }


# --- baseline: standard analyzer, one multi_match ------------------------------------------------

STANDARD_TEXT = {"type": "text", "analyzer": "standard"}
BILINGUAL = {"properties": {"bn": STANDARD_TEXT, "en": STANDARD_TEXT}}
KEYWORD = {"type": "keyword"}
# What both endpoints' documents carry besides their text: the id, the filters and the point.
PLACED = {"id": KEYWORD, "category": KEYWORD, "upazila": KEYWORD, "location": {"type": "geo_point"}}
BASELINE: dict[str, dict[str, Any]] = {
    "providers": {
        "properties": {**PLACED, "name": BILINGUAL, "services": STANDARD_TEXT, "blood_group": KEYWORD},
        "live": [{"term": {"deleted": False}}],
        "fields": ["name.bn", "name.en", "services"],
    },
    "products": {
        # in_stock: our endpoint lists only products in stock by default
        "properties": {
            **PLACED,
            "title": BILINGUAL,
            "description": BILINGUAL,
            "in_stock": {"type": "boolean"},
        },
        "live": [{"term": {"deleted": False}}, {"term": {"status": "active"}}],
        "fields": ["title.bn", "title.en", "description.bn", "description.en"],
    },
}


def baseline_index(prefix: str, endpoint: str) -> str:
    return f"{prefix}eval_baseline_{endpoint}"


def prepare_baseline(engine: httpx.Client, prefix: str) -> dict[str, int]:
    """Create the baseline indices afresh and fill them with the live documents. Safe to rerun."""
    counts = {}
    for endpoint, spec in BASELINE.items():
        index = baseline_index(prefix, endpoint)
        engine.delete(f"/{index}", params={"ignore_unavailable": "true"})
        body = {
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": {"dynamic": "strict", "properties": spec["properties"]},
        }
        engine.put(f"/{index}", json=body).raise_for_status()
        copy = {
            "source": {
                "index": f"{prefix}{endpoint}",
                "query": {"bool": {"filter": spec["live"]}},
                "_source": list(spec["properties"]),
            },
            "dest": {"index": index},
        }
        engine.post("/_reindex", params={"refresh": "true"}, json=copy, timeout=120).raise_for_status()
        counts[endpoint] = engine.get(f"/{index}/_count").json()["count"]
    return counts


def baseline_body(query: dict[str, Any]) -> dict[str, Any]:
    """The baseline's request: q over the document text; providers nearest first, products by score."""
    spec = BASELINE[query["endpoint"]]
    text = {"multi_match": {"query": query["q"], "fields": spec["fields"]}}
    if query["endpoint"] == "providers":
        point = {"lat": query["lat"], "lon": query["lon"]}
        radius = query.get("radius_km", RADIUS_KM)
        filters: list[dict[str, Any]] = [{"geo_distance": {"distance": f"{radius}km", "location": point}}]
        sort: list[Any] = [{"_geo_distance": {"location": point, "order": "asc"}}, {"id": "asc"}]
    else:
        filters = [{"term": {"in_stock": True}}]
        sort = ["_score", {"id": "asc"}]
    return {
        "size": K,
        "query": {"bool": {"must": [text], "filter": filters}},
        "sort": sort,
        "_source": ["category", "upazila", "blood_group", "title"],
    }


def baseline_results(engine: httpx.Client, prefix: str, query: dict[str, Any]) -> list[Attributes]:
    index = baseline_index(prefix, query["endpoint"])
    response = engine.post(f"/{index}/_search", json=baseline_body(query))
    response.raise_for_status()
    return [attributes(hit["_source"]) for hit in response.json()["hits"]["hits"]]


# --- reachability --------------------------------------------------------------------------------


def check_stack(api: httpx.Client, engine: httpx.Client, prefix: str) -> None:
    try:
        api.get("/healthz").raise_for_status()
    except httpx.HTTPError as e:
        raise StackUnreachable(f"search API at {api.base_url} does not answer ({e})") from e
    try:
        engine.get("/").raise_for_status()
    except httpx.HTTPError as e:
        raise StackUnreachable(f"OpenSearch at {engine.base_url} does not answer ({e})") from e
    for alias in ("providers", "products"):
        if engine.head(f"/_alias/{prefix}{alias}").status_code != 200:
            raise StackUnreachable(f"OpenSearch has no {prefix}{alias} alias (demo data not loaded)")


# --- report --------------------------------------------------------------------------------------


def width(text: str) -> int:
    """Terminal columns, roughly: Bangla vowel signs and virama take none."""
    return sum(0 if unicodedata.category(c) in ("Mn", "Cf") else 1 for c in text)


def cell(text: str, columns: int) -> str:
    if width(text) > columns:
        while width(text) > columns - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (columns - width(text))


def print_table(rows: Sequence[dict[str, Any]]) -> None:
    header = f"{'id':<7}{'class':<10}{cell('query', 18)} {'P@5':>5} {'h@1':>4}  {'top-5 categories':<44}"
    print(f"{header}{'pass':<6}| base P@5 h@1")
    for row in rows:
        ours, base = row["ours"], row["baseline"]
        print(
            f"{row['id']:<7}{row['class']:<10}{cell(row['q'], 18)} {ours['p_at_5']:>5.2f} "
            f"{'✓' if ours['hit_at_1'] else '✗':>4}  {cell(run_lengths(ours['top5']), 44)}"
            f"{'PASS' if ours['pass'] else 'FAIL':<6}| {base['p_at_5']:>8.2f} {'✓' if base['hit_at_1'] else '✗':>4}"
        )


def print_summary(ours: dict[str, Any], base: dict[str, Any]) -> None:
    print(f"\n{'':<16}{'ours':>16}{'baseline':>18}{'gain':>18}")
    print(f"{'':<16}{'P@5':>8}{'hit@1':>8}{'P@5':>10}{'hit@1':>8}{'P@5':>10}{'hit@1':>8}")
    groups = [("overall", ours["overall"], base["overall"])]
    groups += [(c, s, base["by_class"][c]) for c, s in ours["by_class"].items()]
    for name, o, b in groups:
        label = f"{name} ({o['n']})"
        print(
            f"{label:<16}{o['mean_p_at_5']:>8.3f}{o['hit_at_1']:>8.3f}{b['mean_p_at_5']:>10.3f}"
            f"{b['hit_at_1']:>8.3f}{o['mean_p_at_5'] - b['mean_p_at_5']:>+10.3f}{o['hit_at_1'] - b['hit_at_1']:>+8.3f}"
        )
    print(f"{'passed (P@5=1)':<16}{ours['overall']['passed']:>8}{'':8}{base['overall']['passed']:>10}")
    print("\ntargets")
    for o, b in zip(ours["targets"], base["targets"], strict=True):
        mark = "met" if o["met"] else "MISSED"
        detail = f" ({o['detail']})" if o["detail"] else ""
        base_detail = f" ({b['detail']})" if b["detail"] else ""
        print(
            f"  {o['name']:<20} ≥ {o['threshold']:.2f}  ours {o['value']:.3f} {mark:<7}{detail:<18}"
            f"baseline {b['value']:.3f} {'met' if b['met'] else 'missed'}{base_detail}"
        )


def side(scores: Sequence[Score]) -> dict[str, Any]:
    overall: Summary = summarize(scores)
    by_class = summarize_by_class(scores)
    return {
        "overall": overall.as_dict(),
        "by_class": {c: s.as_dict() for c, s in by_class.items()},
        "targets": [
            {"name": t.name, "value": t.value, "threshold": t.threshold, "met": t.met, "detail": t.detail}
            for t in targets(overall, by_class)
        ],
    }


def figures(s: Score, results: Sequence[Attributes], expect: dict[str, Any]) -> dict[str, Any]:
    """The figures of one side; top5 names each result by the fields `expect` names (a title for
    `title~`, the category for `none`)."""
    fields = ["title" if f == "title~" else "category" if f == "none" else f for f in expect]
    return {
        "p_at_5": s.p_at_k,
        "hit_at_1": s.hit_at_1,
        "pass": s.passed,
        "top5": ["/".join(str(r.get(f)) for f in fields) for r in results],
    }


# --- main ----------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    from_env = os.environ.get("EVAL_QUERIES")
    default_queries = [Path(p) for p in from_env.split(",")] if from_env else DEFAULT_QUERIES
    parser.add_argument(
        "--queries",
        type=Path,
        action="append",
        help="a query file; repeat for several (default: both dev files)",
    )
    parser.add_argument("--search-url", default="http://127.0.0.1:8080")
    parser.add_argument("--opensearch-url", default="http://127.0.0.1:9200")
    parser.add_argument("--index-prefix", default="", help="prefix of the live aliases and baseline indices")
    parser.add_argument("--json-out", type=Path, help="default bench/results/eval-<UTC time>.json")
    args = parser.parse_args(argv)
    args.queries = args.queries or default_queries
    return args


def evaluate(
    args: argparse.Namespace, queries: list[dict[str, Any]], copied: dict[str, int]
) -> dict[str, Any]:
    with (
        httpx.Client(base_url=args.search_url, timeout=10) as api,
        httpx.Client(base_url=args.opensearch_url, timeout=30) as engine,
    ):
        rows, ours_scores, base_scores = [], [], []
        for query in queries:
            mine, understood = our_results(api, query)
            theirs = baseline_results(engine, args.index_prefix, query)
            cap = query.get("cap")
            o = score(query["class"], mine, query["expect"], cap=cap, understood=understood)
            b = score(query["class"], theirs, query["expect"], cap=cap)
            ours_scores.append(o)
            base_scores.append(b)
            rows.append(
                {
                    **{key: query[key] for key in ("id", "endpoint", "class", "q", "expect")},
                    "ours": figures(o, mine, query["expect"]),
                    "baseline": figures(b, theirs, query["expect"]),
                }
            )
    return {
        "baseline_documents": copied,
        "queries": rows,
        "ours": side(ours_scores),
        "baseline": side(base_scores),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.now(UTC)
    reports = {}
    try:
        with (
            httpx.Client(base_url=args.search_url, timeout=10) as api,
            httpx.Client(base_url=args.opensearch_url, timeout=30) as engine,
        ):
            check_stack(api, engine, args.index_prefix)
            copied = prepare_baseline(engine, args.index_prefix)
    except (StackUnreachable, httpx.TransportError) as e:
        print(f"error: the stack is not reachable: {e}\nRun `make run` first.", file=sys.stderr)
        return 2
    for path in args.queries:
        queries = load_queries(path)
        try:
            report = evaluate(args, queries, copied)
        except (StackUnreachable, httpx.TransportError) as e:
            print(f"error: the stack is not reachable: {e}\nRun `make run` first.", file=sys.stderr)
            return 2
        print(f"{len(queries)} queries from {path}\n")
        print_table(report["queries"])
        print_summary(report["ours"], report["baseline"])
        print()
        reports[str(path)] = report
    print("all files")
    for path, report in reports.items():
        verdict = "targets met" if all(t["met"] for t in report["ours"]["targets"]) else "targets MISSED"
        overall = report["ours"]["overall"]
        print(
            f"  {Path(path).name:<28} P@5 {overall['mean_p_at_5']:.3f}  hit@1 {overall['hit_at_1']:.3f}  {verdict}"
        )
    out = args.json_out or RESULTS_DIR / f"eval-{started:%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "generated_at": started.isoformat(),
        "search_url": args.search_url,
        "opensearch_url": args.opensearch_url,
        "index_prefix": args.index_prefix,
    }
    out.write_text(
        json.dumps({**meta, "files": reports}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
