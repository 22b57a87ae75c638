"""One way to build the async OpenSearch client from settings, so both services pool connections alike."""

from __future__ import annotations

from opensearchpy import AsyncOpenSearch

from portal.settings import PortalSettings


def make_client(settings: PortalSettings, *, maxsize: int = 32) -> AsyncOpenSearch:
    auth = (settings.opensearch_user, settings.opensearch_password) if settings.opensearch_user else None
    return AsyncOpenSearch(
        hosts=[url.strip() for url in settings.opensearch_url.split(",") if url.strip()],
        http_auth=auth,
        verify_certs=settings.opensearch_verify_certs,
        ca_certs=settings.opensearch_ca_certs,
        timeout=settings.opensearch_timeout_s,
        maxsize=maxsize,
        http_compress=False,
    )
