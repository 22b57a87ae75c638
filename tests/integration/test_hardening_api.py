"""Hardening of both APIs against hostile and careless clients, on real service processes (issue 13).

- the rate limit holds whatever forwarding headers a client sends, and behind a proxy named in
  TRUSTED_PROXIES each client behind it gets its own bucket;
- a forged cursor the engine refuses is a 422 naming `cursor`, not an outage;
- every error of both services has one body, and the OpenAPI documents say so;
- the import key is matched exactly;
- /docs and /redoc load nothing from outside the service.

Services run as real processes (uvicorn included: its own proxy-header handling is part of what is
tested) on free ports, under the session's prefix, against the real Kafka and OpenSearch.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from harness.service_process import ServiceProcess, free_port, service_env
from integration.conftest import ARTIFACTS
from portal.settings import PortalSettings
from search.products.cursor import encode_cursor
from search.products.request import ProductQuery, fingerprint

pytestmark = pytest.mark.integration

BURST = 5
IMPORT_KEY = "test-key-1"  # one of the keys make_ingest configures
CSV_ROW = (
    "id,name_bn,category,phone,lat,lon,upazila\r\n"
    "auth-1,মোঃ রফিকুল ইসলাম,electrician,01712-345678,24.44,90.785,bhairab\r\n"
).encode()


@pytest.fixture
def make_search(settings: PortalSettings, ingest: ServiceProcess) -> Iterator[Callable[..., ServiceProcess]]:
    """Real search-service processes; `ingest` first, so the session's indices exist."""
    started: list[ServiceProcess] = []

    def make(**env: str) -> ServiceProcess:
        proc = ServiceProcess(
            name=f"search-hardening-{uuid.uuid4().hex[:4]}",
            module="search.main",
            env=service_env(settings, LOG_LEVEL="WARNING", **env),
            port=free_port(),
            log_path=ARTIFACTS / f"{settings.index_prefix}search-hardening.log",
        )
        started.append(proc.start())
        return proc

    yield make
    for proc in started:
        proc.stop()


def limited(search: ServiceProcess, headers: list[dict[str, str]]) -> tuple[int, int, float]:
    """Send one request per header set; returns (allowed, refused with 429, seconds it took)."""
    started = time.monotonic()
    statuses = [httpx.get(f"{search.url}/v1/categories", headers=h, timeout=30).status_code for h in headers]
    assert set(statuses) <= {200, 429}, statuses
    return statuses.count(200), statuses.count(429), time.monotonic() - started


def most_allowed(seconds: float, per_minute: int) -> int:
    """The burst, plus what the bucket refilled meanwhile (a token a minute here: almost never one)."""
    return BURST + int(seconds * per_minute / 60) + 1


def forged(i: int) -> dict[str, str]:
    return {
        "X-Forwarded-For": f"203.0.113.{i % 250}",
        "X-Real-IP": f"198.51.100.{i % 250}",
        "Forwarded": f"for=192.0.2.{i % 250}",
    }


# ---------------------------------------------------------------- rate limit and forwarded headers


def test_forged_forwarding_headers_never_open_a_fresh_bucket(make_search):
    search = make_search(RATE_LIMIT_PER_MINUTE="1", RATE_LIMIT_BURST=str(BURST))
    allowed, refused, seconds = limited(search, [forged(i) for i in range(30)])
    assert allowed <= most_allowed(seconds, 1), "every forged header got a bucket of its own"
    assert refused >= 30 - most_allowed(seconds, 1)


def test_behind_a_trusted_proxy_each_client_has_its_own_bucket_and_forged_hops_are_ignored(make_search):
    search = make_search(
        RATE_LIMIT_PER_MINUTE="1", RATE_LIMIT_BURST=str(BURST), TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8"
    )
    # We are the proxy (127.0.0.1): the client forged the left entries, we appended what we saw.
    one_client = [{"X-Forwarded-For": f"203.0.113.{i}, 198.51.100.1, 10.9.9.9"} for i in range(20)]
    allowed, refused, seconds = limited(search, one_client)
    assert allowed <= most_allowed(seconds, 1)
    assert refused >= 20 - most_allowed(seconds, 1)
    # Another citizen behind the same proxy is not punished for the first one.
    assert limited(search, [{"X-Forwarded-For": "198.51.100.2"}])[:2] == (1, 0)
    # Addresses of one IPv6 /64 are one client: rotating within it opens no fresh bucket.
    v6 = [{"X-Forwarded-For": f"2001:db8:5:6::{i:x}"} for i in range(1, 20)]
    allowed, _, seconds = limited(search, v6)
    assert allowed <= most_allowed(seconds, 1)


def test_a_429_has_the_one_error_body_and_retry_after(make_search):
    search = make_search(RATE_LIMIT_PER_MINUTE="1", RATE_LIMIT_BURST="1")
    httpx.get(f"{search.url}/v1/categories", timeout=30)
    refused = httpx.get(f"{search.url}/v1/categories", timeout=30)
    assert refused.status_code == 429
    assert set(refused.json()) == {"error", "message", "details"}
    assert int(refused.headers["retry-after"]) >= 1


# ---------------------------------------------------------------- engine refusals caused by input


@pytest.mark.parametrize("sort", ["newest", "relevance"])  # relevance without q: newest first
async def test_a_forged_cursor_the_engine_refuses_is_422_naming_the_cursor(search_client, ingest, sort):
    """Well-formed and bound to this query, but its time is beyond any date: the engine answers 400."""
    params = ProductQuery(sort=sort, limit=5)
    cursor = encode_cursor([18446744073709551616, "x"], fingerprint(params, None))
    r = await search_client.get("/v1/products/search", params={"sort": sort, "limit": 5, "cursor": cursor})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "invalid_parameters"
    assert [d["parameter"] for d in body["details"]] == ["cursor"]
    assert "retry-after" not in r.headers
    assert "exception" not in r.text and "parse" not in r.text  # nothing of the engine's own words


# ---------------------------------------------------------------- one error body everywhere


def one_body(response: httpx.Response, status: int, error: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) - {"message_bn"} == {"error", "message", "details"}, body  # ingest: Bangla beside
    assert isinstance(body.get("message_bn", ""), str)
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["message"], str) and body["message"]
    if error:
        assert body["error"] == error
    return body


def test_every_error_of_search_has_one_body(make_search):
    url = make_search(RATE_LIMIT_PER_MINUTE="0").url
    one_body(httpx.get(f"{url}/v1/nowhere", timeout=30), 404, "not_found")
    one_body(httpx.get(f"{url}/app/nowhere.js", timeout=30), 404, "not_found")
    wrong = httpx.post(f"{url}/v1/categories", timeout=30)
    one_body(wrong, 405, "method_not_allowed")
    assert wrong.headers["allow"] == "GET"
    bad = one_body(httpx.get(f"{url}/v1/providers/nearest", params={"lat": "x"}, timeout=30), 422)
    assert {"lat", "lon"} <= {d["parameter"] for d in bad["details"]}


def test_every_error_of_ingest_has_one_body(ingest):
    url, key = ingest.url, {"Authorization": f"Bearer {IMPORT_KEY}"}
    one_body(httpx.get(f"{url}/v1/nowhere", timeout=30), 404, "not_found")
    one_body(httpx.delete(f"{url}/healthz", timeout=30), 405, "method_not_allowed")
    # A path with a GET route and a POST route: the Allow header names both (Starlette's named only the first).
    wrong = one_body(httpx.request("PUT", f"{url}/v1/synonyms", timeout=30), 405, "method_not_allowed")
    assert "GET, POST" in wrong["message"]
    bad = one_body(
        httpx.post(f"{url}/v1/imports/providers", params={"dry_run": "maybe"}, headers=key, timeout=30), 422
    )
    assert [d["parameter"] for d in bad["details"]] == ["dry_run"]
    one_body(httpx.post(f"{url}/v1/imports/providers", content=CSV_ROW, timeout=30), 401, "unauthorized")


@pytest.mark.parametrize("service", ["search", "ingest"])
def test_the_openapi_documents_name_the_one_error_body(service, make_search, ingest):
    url = make_search(RATE_LIMIT_PER_MINUTE="0").url if service == "search" else ingest.url
    doc = httpx.get(f"{url}/openapi.json", timeout=30).json()
    text = str(doc)
    # FastAPI's own {"detail": ...} error bodies are nowhere (an import's `problem.detail` is ours)
    assert "HTTPValidationError" not in text and "ValidationError" not in doc["components"]["schemas"]
    error_ref = "#/components/schemas/ErrorBody"
    assert set(doc["components"]["schemas"]["ErrorBody"]["required"]) == {"error", "message"}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400 and path not in ("/readyz",):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": error_ref}, (method, path, status)
            assert "500" in operation["responses"], (method, path)
    for name in ("NotFound", "MethodNotAllowed"):
        assert doc["components"]["responses"][name]["content"]["application/json"]["schema"]["$ref"] == (
            error_ref
        )
    assert '{"error", "message", "details"}' in doc["info"]["description"]


# ---------------------------------------------------------------- the import key, exactly


@pytest.mark.parametrize(
    "authorization",
    [
        f"Bearer {IMPORT_KEY}\xa0".encode("latin-1"),  # a non-breaking space pasted along with the key
        f"Bearer {IMPORT_KEY}\xa0x".encode("latin-1"),
        f"Bearer\t{IMPORT_KEY}".encode(),
        f"Bearer  {IMPORT_KEY}".encode(),
        f"Bearer {IMPORT_KEY} {IMPORT_KEY}".encode(),
        f"bearer {IMPORT_KEY}".encode(),
        f"BEARER {IMPORT_KEY}".encode(),
    ],
)
@pytest.mark.parametrize("dry_run", [True, False])
def test_an_import_key_that_is_only_nearly_right_is_refused(ingest, authorization, dry_run):
    """(Whitespace at the very end of a header is not part of its value in HTTP: no server sees it.)"""
    r = httpx.post(
        f"{ingest.url}/v1/imports/providers",
        params={"dry_run": str(dry_run).lower()},
        content=CSV_ROW,
        headers={"Authorization": authorization, "Content-Type": "text/csv"},
        timeout=30,
    )
    body = one_body(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    assert "Bearer <key>" in body["message"]


def test_the_exact_import_key_is_accepted(ingest):
    r = httpx.post(
        f"{ingest.url}/v1/imports/providers",
        params={"dry_run": "true"},
        content=CSV_ROW,
        headers={"Authorization": f"Bearer {IMPORT_KEY}", "Content-Type": "text/csv"},
        timeout=30,
    )
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------- API docs without the internet

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("service", ["search", "ingest"])
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_only_assets_the_service_serves_itself(service, page, make_search, ingest):
    url = make_search(RATE_LIMIT_PER_MINUTE="0").url if service == "search" else ingest.url
    html = httpx.get(f"{url}{page}", timeout=30)
    assert html.status_code == 200
    assert "default-src 'self'" in html.headers["content-security-policy"]
    assets = ASSET.findall(html.text)
    assert assets, html.text
    assert not re.search(r"https?://", html.text.replace("http://127.0.0.1", "")), "a CDN or font host"
    for asset in assets:
        assert asset.startswith("/"), asset
        r = httpx.get(f"{url}{asset}", timeout=30)
        assert r.status_code == 200, asset
        assert len(r.content) > 1000, asset
    assert html.text.count("/openapi.json") == 1
