"""Abuse rows for keys and the search log (issue 21): what a scoped key cannot do, and what the log keeps.

  scopes     a keys file with one key per scope (import, synonyms, reports, read-imports): every request
             each key makes outside its scope must be refused with 403, and inside it allowed (target:
             all of both).
  searchlog  a phone number typed into search, in ASCII and in Bangla digits, then the stored search log
             read back from the engine and the topic (target: the number nowhere); and a query one client
             repeats 20 times beside one that 3 clients searched once: only the second may reach the
             report (target: the first absent, the second present).

Run by bench/abuse.py (`make abuse`, `--only scopes,searchlog`) on its own service processes and prefix.
"""

from __future__ import annotations

import json
import random
import string
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

import httpx
from kafka import KafkaConsumer
from opensearchpy import OpenSearch

from portal.settings import PortalSettings

SECRETS = {scope: "abuse-" + "".join(random.choices(string.ascii_lowercase, k=24)) for scope in
           ("import", "synonyms", "reports", "read-imports", "import-2")}  # fmt: skip
CSV_ROW = (
    "id,name_bn,category,phone,lat,lon,upazila\r\nabuse-1,মোঃ রফিকুল ইসলাম,electrician,01712-345678,24.44,90.785,bhairab\r\n"
).encode()
TOWN = {"lat": 24.4449, "lon": 90.7766}
PHONES = ("01712345678", "০১৭১২৩৪৫৬৭৮")


class Run(Protocol):
    settings: PortalSettings
    engine: OpenSearch

    def service(self, module: str, label: str, **env: str) -> Any: ...


def keyed_ingest(run: Run, label: str) -> Any:
    """An ingest-service whose keys file holds one key per scope (named after it)."""
    path = Path(tempfile.mkdtemp(prefix="abuse-keys-")) / "api-keys"
    path.write_text(
        "".join(f"{name}-only {name.removesuffix('-2')} {secret}\n" for name, secret in SECRETS.items())
    )
    return run.service("ingest.main", label, IMPORT_API_KEYS="", IMPORT_API_KEYS_FILE=str(path),
                       CONSUMER_ENABLED="false")  # fmt: skip


def _requests(url: str, import_id: str) -> dict[str, Any]:
    """One request per scope; reading imports means reading an import the `import` key started."""
    return {
        "import": lambda h: httpx.post(f"{url}/v1/imports/providers", params={"dry_run": "true"}, content=CSV_ROW,
                                       headers={**h, "Content-Type": "text/csv"}, timeout=60),
        "synonyms": lambda h: httpx.post(f"{url}/v1/synonyms", headers=h, timeout=30,
                                         json={"words": ["অ্যাম্বুলেন্স"], "upazila": "austagram"}),
        "reports": lambda h: httpx.get(f"{url}/v1/reports/searches", headers=h, timeout=30),
        "read-imports": lambda h: httpx.get(f"{url}/v1/imports/{import_id}", headers=h, timeout=30),
    }  # fmt: skip


def measure_scopes(run: Run) -> dict[str, Any]:
    """Every key makes every request: those its scopes allow must pass (the import key reads its own
    import; the ambulance probe answers 409, refused for what it is), every other one must be 403 — the
    second import key reading the first one's import too."""
    ingest = keyed_ingest(run, "ingest-scopes")
    started = _requests(ingest.url, "")["import"]({"Authorization": f"Bearer {SECRETS['import']}"})
    requests = _requests(ingest.url, started.json().get("import_id", "none"))
    allowed_pairs = {(scope, scope) for scope in requests} | {
        ("import", "read-imports"),
        ("import-2", "import"),
    }
    outside: dict[str, int] = {}
    inside: dict[str, int] = {}
    for holder, secret in SECRETS.items():
        headers = {"Authorization": f"Bearer {secret}"}
        for scope, send in requests.items():
            status = send(headers).status_code
            (inside if (holder, scope) in allowed_pairs else outside)[f"{holder} key → {scope}"] = status
    refused = sum(status == 403 for status in outside.values())
    allowed = sum(status in (200, 409) for status in inside.values())
    return {
        "outside_scope": outside,
        "inside_scope": inside,
        "refused": refused,
        "allowed": allowed,
        "not_refused": sorted(name for name, status in outside.items() if status != 403),
        "target_met": refused == len(outside) and allowed == len(inside),
    }


def _letters() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=8))


def _stored(engine: OpenSearch, settings: PortalSettings, marker: str) -> list[dict[str, Any]]:
    index = f"{settings.index_alias('search_log')}-*"
    engine.indices.refresh(index=index, ignore_unavailable=True, allow_no_indices=True)
    body = {"query": {"match": {"q": marker}}, "size": 100}
    answer = engine.search(index=index, body=body, ignore_unavailable=True, allow_no_indices=True)
    return [hit["_source"] for hit in answer["hits"]["hits"]]


def _on_topic(settings: PortalSettings, marker: str) -> list[str]:
    consumer = KafkaConsumer(settings.topic("search_log"), auto_offset_reset="earliest", consumer_timeout_ms=3000,
                             **settings.kafka_client_options())  # fmt: skip
    try:
        return [m.value.decode("utf-8") for m in consumer if marker.encode() in m.value]
    finally:
        consumer.close()


def measure_search_log(run: Run) -> dict[str, Any]:
    """Needs run's ingest with its consumer (the search-log sink) and a keyed ingest for the report."""
    ingest = keyed_ingest(run, "ingest-report")
    search = run.service("search.main", "search-log", TRUSTED_PROXIES="127.0.0.1", RATE_LIMIT_PER_MINUTE="0")
    marker, alone, shared = f"qqphone{_letters()}", f"qqalone{_letters()}", f"qqshared{_letters()}"
    with httpx.Client(base_url=search.url, timeout=30) as client:
        for phone in PHONES:
            client.get("/v1/providers/nearest", params={**TOWN, "q": f"{marker} call {phone}"})
            client.get("/v1/products/search", params={"q": f"{marker} {phone} bkash"})
        for _ in range(20):  # one client, twenty times
            client.get("/v1/providers/nearest", params={**TOWN, "q": f"free blood call {alone} bkash"},
                       headers={"X-Forwarded-For": "203.0.113.66"})  # fmt: skip
        for i in (1, 2, 3):
            client.get(
                "/v1/providers/nearest",
                params={**TOWN, "q": shared},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            )
    started = time.monotonic()
    docs: list[dict[str, Any]] = []
    while time.monotonic() - started < 90:
        docs = _stored(run.engine, run.settings, marker)
        seen = (len(_stored(run.engine, run.settings, alone)), len(_stored(run.engine, run.settings, shared)))
        if len(docs) >= 4 and seen == (20, 3):
            break
        time.sleep(1)
    topic = _on_topic(run.settings, marker)
    stored_text = json.dumps(docs, ensure_ascii=False) + "".join(topic)
    found = [phone for phone in PHONES if phone in stored_text]
    report = httpx.get(
        f"{ingest.url}/v1/reports/searches",
        params={"since": "2d"},
        headers={"Authorization": f"Bearer {SECRETS['reports']}"},
        timeout=30,
    ).json()
    listed = {
        row["q"]
        for name in ("top_queries", "zero_result_queries", "relaxed_queries")
        for row in report.get(name, [])
    }
    one_client_listed = any(alone in q for q in listed)
    three_clients_listed = shared in listed
    return {
        "searches_with_a_phone": 2 * len(PHONES),
        "stored_docs": len(docs),
        "topic_records": len(topic),
        "phones_found": found,
        "stored_q": sorted({d["q"] for d in docs}),
        "stored_at": sorted({d["at"] for d in docs}),
        "one_client_x20_in_report": one_client_listed,
        "three_clients_in_report": three_clients_listed,
        "min_clients": report.get("min_clients"),
        "target_met": len(docs) >= 4 and not found and not one_client_listed and three_clients_listed,
    }


def table_rows(results: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if "scopes" in results:
        s = results["scopes"]
        rows.append(["scoped keys (one per scope)", "out-of-scope requests refused (403)",
                     f"{s['refused']} of {len(s['outside_scope'])}",
                     f"in scope allowed {s['allowed']} of {len(s['inside_scope'])}; not refused: {', '.join(s['not_refused']) or 'none'}; "
                     f"target: {'met' if s['target_met'] else 'MISSED'}"])  # fmt: skip
    if "searchlog" in results:
        g = results["searchlog"]
        rows.append(["phone numbers typed into search", "found in the stored log and topic",
                     f"{len(g['phones_found'])} of {len(PHONES)}",
                     f"{g['stored_docs']} docs, {g['topic_records']} records; stored q {g['stored_q'][:2]}; at {g['stored_at']}"])  # fmt: skip
        rows.append(["", "one client × 20 in the report", "yes" if g["one_client_x20_in_report"] else "no",
                     f"3 clients × 1 listed: {'yes' if g['three_clients_in_report'] else 'no'} (min {g['min_clients']} clients); "
                     f"target: {'met' if g['target_met'] else 'MISSED'}"])  # fmt: skip
    return rows
