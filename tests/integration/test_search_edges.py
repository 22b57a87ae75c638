"""search-service at its edges: request ids, metrics that move, rate limits, CORS."""

from __future__ import annotations

import httpx

from portal.settings import PortalSettings
from search.config import SearchSettings
from search.main import create_app


async def client_for(settings: PortalSettings, **overrides):
    app = create_app(
        SearchSettings(index_prefix=settings.index_prefix, topic_prefix=settings.topic_prefix, **overrides)
    )
    return app, httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://search.test")


async def test_request_id_is_returned_and_kept_when_sane(search_client):
    r = await search_client.get("/healthz", headers={"X-Request-ID": "frontend-42"})
    assert r.headers["x-request-id"] == "frontend-42"
    r = await search_client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert r.headers["x-request-id"] != "bad id\nwith newline" and len(r.headers["x-request-id"]) == 32


async def test_metrics_move_under_load(search_client):
    def count(text: str) -> float:
        for line in text.splitlines():
            if line.startswith('http_requests_total{method="GET",route="/v1/categories",status="200"}'):
                return float(line.split()[-1])
        return 0.0

    before = count((await search_client.get("/metrics")).text)
    for _ in range(5):
        assert (await search_client.get("/v1/categories")).status_code == 200
    after = (await search_client.get("/metrics")).text
    assert count(after) == before + 5
    assert 'http_request_duration_seconds_bucket{le="0.5",method="GET",route="/v1/categories"}' in after


async def test_rate_limit_answers_429_with_retry_after(settings):
    app, client = await client_for(settings, rate_limit_per_minute=60, rate_limit_burst=3)
    async with app.router.lifespan_context(app), client:
        statuses = [(await client.get("/v1/categories")).status_code for _ in range(4)]
        assert statuses[:3] == [200, 200, 200]
        limited = await client.get("/v1/categories")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"] == "rate_limited"
        assert (await client.get("/healthz")).status_code == 200  # operations are never limited


async def test_cors_denies_by_default_and_allows_configured_origins(settings, search_client):
    r = await search_client.get("/v1/categories", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    app, client = await client_for(settings, cors_origins="https://portal.kishoreganj.gov.bd")
    async with app.router.lifespan_context(app), client:
        r = await client.get("/v1/categories", headers={"Origin": "https://portal.kishoreganj.gov.bd"})
        assert r.headers["access-control-allow-origin"] == "https://portal.kishoreganj.gov.bd"
        r = await client.get("/v1/categories", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers
