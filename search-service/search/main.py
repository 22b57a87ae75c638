"""search-service: nearest providers, product search, suggestions and the taxonomy, for frontends.

Run with `python -m search.main` (what `make run` does) or `uvicorn search.main:app --no-proxy-headers`
(uvicorn's own proxy-header handling would let any X-Forwarded-For pick the client's rate-limit bucket;
search.http.client_address decides who the client is, from TRUSTED_PROXIES).
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from portal.clock import now_dhaka
from portal.geography import configured_geography
from portal.observability import RequestObservability, serve
from portal.service_app import service_app
from portal.synonyms import SynonymBook
from search.api import categories, errors, health, places, products, providers, sellers, suggest
from search.api.route import API_PREFIX
from search.categories.run import CategoryListing
from search.config import SearchSettings
from search.engine import SearchEngine
from search.http.admission import Admission
from search.http.client_address import TrustedProxies
from search.http.compression import Compression
from search.http.direct_routes import DirectRoutes
from search.http.rate_limit import RateLimiter
from search.providers.open_map_cache import OpenMapCache
from search.query_log import QueryLog
from search.understanding.query_reader import LexiconSource, QueryReader
from search.understanding.word_evidence import WordEvidenceBook
from search.web.serve import MapTiles, mount_web_client


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: SearchSettings = app.state.settings
    app.state.engine = SearchEngine(settings)
    app.state.category_counts = CategoryListing(settings.categories_cache_s)
    app.state.open_maps = OpenMapCache(app.state.engine, settings.blood_donation_eligibility_days)
    synonyms = SynonymBook(settings).start()
    app.state.query_reader = QueryReader(LexiconSource(synonyms), WordEvidenceBook(app.state.engine))
    app.state.query_log = QueryLog(settings).start()
    configured_geography().prepare()  # the polygons and their grid, before the first citizen's position
    try:
        yield
    finally:
        app.state.query_log.stop()
        synonyms.stop()
        await app.state.open_maps.close()
        await app.state.engine.close()


def create_app(
    settings: SearchSettings | None = None, *, clock: Callable[[], datetime] = now_dhaka
) -> FastAPI:
    """Build the app. `clock` is injectable so tests can fix "now" in Asia/Dhaka."""
    settings = settings or SearchSettings()
    app = service_app(
        title="Kishoreganj portal — search-service",
        description="Nearest available providers and local products, in Bangla, Banglish and English.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.add_middleware(DirectRoutes, of=app, under=API_PREFIX)  # innermost: the API past the router
    app.add_middleware(Compression)
    if settings.cors_origin_list():  # none allowed: no middleware to pass every request through
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list(),
            allow_methods=["GET"],
            allow_headers=["*"],
            max_age=600,
        )
    trusted = TrustedProxies.parse(settings.trusted_proxies)
    app.add_middleware(
        Admission,
        slots=settings.admission_slots,
        per_client=settings.admission_per_client,
        max_wait_s=settings.admission_wait_s,
        trusted_proxies=trusted,
    )
    app.add_middleware(
        RateLimiter,
        per_minute=settings.rate_limit_per_minute,
        burst=settings.rate_limit_burst,
        trusted_proxies=trusted,
    )
    if settings.rate_limit_trust_forwarded:
        logging.getLogger("search").warning(
            "RATE_LIMIT_TRUST_FORWARDED is no longer read: name your proxies in TRUSTED_PROXIES instead"
        )
    app.add_middleware(RequestObservability)  # outermost: sees every response, even CORS and gzip ones
    errors.install(app)
    app.include_router(health.router)
    app.include_router(providers.router)
    app.include_router(products.router)
    app.include_router(sellers.router)
    app.include_router(suggest.router)
    app.include_router(categories.router)
    app.include_router(places.router)
    # The reference web client (search/web, built by `make web`): only its built files; /app → /app/.
    mount_web_client(app, MapTiles.from_settings(settings))
    return app


app = create_app()


def main() -> None:
    settings: SearchSettings = app.state.settings
    if settings.workers > 1 and not settings.prometheus_multiproc_dir:
        # Each worker counts for itself; /metrics merges them from this shared folder, which the workers
        # (and prometheus_client in them) learn from the environment they inherit.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="search-metrics-")
    serve(
        "search.main:app",
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_json=settings.log_json,
        workers=settings.workers,
    )


if __name__ == "__main__":
    main()
