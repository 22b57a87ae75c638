"""One way to build the async OpenSearch client from settings, so both services pool connections alike."""

from __future__ import annotations

from opensearchpy import AsyncOpenSearch

from portal.settings import PortalSettings


def make_client(settings: PortalSettings, *, maxsize: int = 32) -> AsyncOpenSearch:
    auth = (settings.opensearch_user, settings.opensearch_password) if settings.opensearch_user else None
    return AsyncOpenSearch(
        hosts=[settings.opensearch_url],
        http_auth=auth,
        verify_certs=settings.opensearch_verify_certs,
        timeout=settings.opensearch_timeout_s,
        maxsize=maxsize,
        http_compress=False,
    )
