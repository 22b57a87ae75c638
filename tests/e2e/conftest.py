"""End-to-end fixtures: the demo data through the real pipe, search-service serving the web client,
and Debian's Chromium driven by Playwright (which never downloads a browser of its own).

The demo events go onto Kafka under an index and topic prefix of this session's own, a real
ingest-service process indexes them, and only then does search-service start, in-process with a fixed
Asia/Dhaka clock so "open now" and blood-donor eligibility are the same on every run.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from kafka import KafkaProducer
from opensearchpy import OpenSearch
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright

from demo_data import REFERENCE_DATE, product_events, provider_events
from integration.conftest import (  # the integration fixtures, re-exported for the tests here
    ARTIFACTS,
    ServiceProcess,
    engine,
    free_port,
    make_ingest,
    prefix,
    producer,
    settings,
    wait_consumed,
    wait_for,
)
from portal.clock import DHAKA
from portal.settings import PortalSettings

__all__ = ["engine", "make_ingest", "prefix", "producer", "settings"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENS = ARTIFACTS / "screens"
PHONE = {"width": 360, "height": 740}
#: The demo's own "today" (a Saturday), mid-morning: shops are open, Friday closures are not in play.
FIXED_NOW = datetime(REFERENCE_DATE.year, REFERENCE_DATE.month, REFERENCE_DATE.day, 10, 30, tzinfo=DHAKA)


@dataclass(frozen=True)
class DemoStack:
    url: str
    settings: PortalSettings
    providers: int
    products: int


@pytest.fixture(scope="session")
def e2e_settings(settings: PortalSettings) -> PortalSettings:
    """A prefix of its own under the session's, so the demo data never meets the integration tests'."""
    own = f"{settings.index_prefix}e2e_"
    return settings.model_copy(update={"index_prefix": own, "topic_prefix": own})


def _publish(producer: KafkaProducer, settings: PortalSettings, events: list[dict]) -> None:
    """Send every event keyed by entity id (as the portal does), then wait for all acknowledgements."""
    topics = {"provider": settings.topic("providers"), "product": settings.topic("products")}
    for event in events:
        producer.send(
            topics[event["entity"]],
            key=event["id"].encode(),
            value=json.dumps(event, ensure_ascii=False).encode("utf-8"),
        )
    producer.flush(timeout=60)


def _live_count(engine: OpenSearch, alias: str) -> int:
    engine.indices.refresh(index=alias)
    return engine.count(index=alias, body={"query": {"term": {"deleted": False}}})["count"]


@pytest.fixture(scope="session")
def demo_stack(
    e2e_settings: PortalSettings,
    make_ingest: Callable[..., ServiceProcess],
    producer: KafkaProducer,
    engine: OpenSearch,
) -> Iterator[DemoStack]:
    """The demo dataset indexed by a real ingest-service from Kafka, and search-service serving /app/."""
    from search.config import SearchSettings
    from search.main import create_app

    s = e2e_settings
    make_ingest(s).start()
    providers, products = list(provider_events()), list(product_events())
    _publish(producer, s, providers + products)
    wait_consumed(s, group=f"{s.topic_prefix}ingest", timeout=120)
    expected = len({e["id"] for e in providers})
    wait_for(
        lambda: _live_count(engine, s.index_alias("providers")) >= expected,
        timeout=30,
        what=f"{expected} demo providers to be searchable",
    )

    app = create_app(
        SearchSettings(index_prefix=s.index_prefix, topic_prefix=s.topic_prefix), clock=lambda: FIXED_NOW
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="search-service", daemon=True)
    thread.start()
    wait_for(lambda: server.started, timeout=30, interval=0.1, what="search-service to start")
    try:
        yield DemoStack(
            url=f"http://127.0.0.1:{port}",
            settings=s,
            providers=expected,
            products=_live_count(engine, s.index_alias("products")),
        )
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium with a fresh profile (Playwright gives each launch a new user-data-dir)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-core")
    with tempfile.TemporaryDirectory(prefix="e2e-chromium-") as downloads, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, downloads_path=downloads
        )
        yield browser
        browser.close()


class PhonePage:
    """A 360×740 page on the web client that refuses every request leaving this machine."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.page: Page = context.new_page()
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        context.route("**/*", self._only_this_machine)

    def _only_this_machine(self, route: Route, request: Request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            route.fallback()
        else:
            self.outside.append(request.url)
            route.abort()

    def open(self, query: str = "") -> Page:
        self.page.goto(f"{self.base_url}/app/{query}")
        return self.page

    def screenshot(self, name: str, *, top: str | None = None, full_page: bool = False) -> Path:
        """Save the phone screen as SCREENS/name.png (360×740), scrolled so `top` is just under the tabs."""
        if top is not None:
            self.page.locator(top).evaluate("e => e.scrollIntoView({block: 'start'})")
        SCREENS.mkdir(parents=True, exist_ok=True)
        path = SCREENS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page, scale="css")
        return path

    def api_requests(self, path: str) -> list[str]:
        return [u for u in self.requests if urlsplit(u).path == path]


@pytest.fixture
def phone(browser: Browser, demo_stack: DemoStack) -> Iterator[PhonePage]:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="bn-BD",
        timezone_id="Asia/Dhaka",
        service_workers="block",
    )
    context.set_default_timeout(15_000)
    phone = PhonePage(context, demo_stack.url)
    try:
        yield phone
        assert phone.outside == [], f"the page tried to reach outside this machine: {phone.outside}"
        assert phone.errors == [], f"errors in the page: {phone.errors}"
    finally:
        context.close()
