"""The API docs of both services render in a real browser on a network without the internet.

Every request leaving 127.0.0.1 is refused, as on a district office's LAN with no uplink: Swagger UI
(/docs) must still list the operations and ReDoc (/redoc) show them, from assets the service serves
itself. Before, both pages loaded their scripts and fonts from public CDNs and stayed blank here.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Request, Route, expect

from e2e.conftest import ARTIFACTS, ServiceProcess, free_port
from integration.conftest import service_env
from portal.settings import PortalSettings

pytestmark = pytest.mark.integration

#: An operation summary each document has, to look for once the page has rendered.
SUMMARIES = {
    "search": "Search products on sale, with facets and cursor paging",
    "ingest": "Import providers from a spreadsheet",
}


@pytest.fixture(scope="module")
def services(settings: PortalSettings, make_ingest) -> Iterator[dict[str, str]]:
    ingest = make_ingest(settings, CONSUMER_ENABLED="false").start()  # first: it creates the indices
    search = ServiceProcess(
        name="search-docs",
        module="search.main",
        env=service_env(settings, LOG_LEVEL="WARNING"),
        port=free_port(),
        log_path=ARTIFACTS / f"{settings.index_prefix}search-docs.log",
    ).start()
    yield {"search": search.url, "ingest": ingest.url}
    search.stop()


@pytest.mark.parametrize("service", ["search", "ingest"])
@pytest.mark.parametrize("page_path", ["/docs", "/redoc"])
def test_api_docs_render_without_the_internet(browser: Browser, services, service, page_path):
    outside: list[str] = []
    errors: list[str] = []

    def only_this_machine(route: Route, request: Request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.fallback()
        else:
            outside.append(request.url)
            route.abort()

    context = browser.new_context(service_workers="block")
    context.set_default_timeout(30_000)
    context.route("**/*", only_this_machine)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{services[service]}{page_path}")
        if page_path == "/docs":
            expect(page.locator(".opblock").first).to_be_visible()
            assert page.locator(".opblock").count() >= 6
        expect(page.locator("h2, .opblock-summary", has_text=SUMMARIES[service]).first).to_be_visible()
        (ARTIFACTS / "screens").mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(ARTIFACTS / "screens" / f"api-docs-{service}{page_path.replace('/', '-')}.png")
        )
    finally:
        context.close()
    assert outside == [], f"the docs page reached outside this machine: {outside}"
    assert errors == [], errors
