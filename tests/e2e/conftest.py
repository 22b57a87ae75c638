"""End-to-end fixtures: the demo data through the real pipe, search-service serving the web client,
and Debian's Chromium driven by Playwright (which never downloads a browser of its own).

The demo events go onto Kafka under an index and topic prefix of this session's own, a real
ingest-service process indexes them, and only then does search-service start, in-process with a fixed
Asia/Dhaka clock so "open now" and blood-donor eligibility are the same on every run. More instances
over the same indices answer at other fixed times (the night) or with other settings (map tiles).
"""

from __future__ import annotations

import json
import struct
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from kafka import KafkaProducer
from opensearchpy import OpenSearch
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright

from demo_data import REFERENCE_DATE, demo_events
from harness.service_process import ServiceProcess, free_port
from integration.conftest import (  # the integration fixtures, re-exported for the tests here
    ARTIFACTS,
    engine,
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
#: The same day at 2 a.m.: butchers, lawyers and most doctors are closed.
NIGHT = FIXED_NOW.replace(hour=2, minute=0)
WEB_DIST = Path(__file__).resolve().parents[2] / "search-service" / "search" / "web" / "dist"


@dataclass(frozen=True)
class DemoStack:
    url: str
    settings: PortalSettings
    providers: int
    products: int
    servers: SearchServers


@pytest.fixture(scope="session")
def e2e_settings(settings: PortalSettings) -> PortalSettings:
    """A prefix of its own under the session's, so the demo data never meets the integration tests'."""
    own = f"{settings.index_prefix}e2e_"
    return settings.model_copy(update={"index_prefix": own, "topic_prefix": own})


def _publish(producer: KafkaProducer, settings: PortalSettings, events: list[dict]) -> None:
    """Send every event keyed by entity id (as the portal does), then wait for all acknowledgements."""
    topics = {
        "provider": settings.topic("providers"),
        "product": settings.topic("products"),
        "seller": settings.topic("sellers"),
    }
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
    if not (WEB_DIST / "manifest.json").is_file():
        pytest.fail(f"{WEB_DIST} is not built: run `make web` (make test does)")
    s = e2e_settings
    make_ingest(s).start()
    demo = demo_events()  # sellers first, so product cards have their seller from the start
    providers = demo["provider"]
    _publish(producer, s, demo["seller"] + providers + demo["product"])
    wait_consumed(s, group=f"{s.topic_prefix}ingest", timeout=120)
    expected = len({e["id"] for e in providers})
    wait_for(
        lambda: _live_count(engine, s.index_alias("providers")) >= expected,
        timeout=30,
        what=f"{expected} demo providers to be searchable",
    )

    servers = SearchServers(s)
    try:
        yield DemoStack(
            url=servers.url(),
            settings=s,
            providers=expected,
            products=_live_count(engine, s.index_alias("products")),
            servers=servers,
        )
    finally:
        servers.stop()


class SearchServers:
    """search-service instances over the demo indices, each in-process with its own fixed clock and
    settings, started on first use and kept for the session."""

    def __init__(self, settings: PortalSettings) -> None:
        self.settings = settings
        self.running: dict[tuple[Any, ...], tuple[str, Any, threading.Thread]] = {}

    def url(self, *, at: datetime = FIXED_NOW, **overrides: Any) -> str:
        from search.config import SearchSettings
        from search.main import create_app

        key = (at, *sorted(overrides.items()))
        if key not in self.running:
            s = SearchSettings(
                index_prefix=self.settings.index_prefix, topic_prefix=self.settings.topic_prefix, **overrides
            )
            app = create_app(s, clock=lambda: at)
            port = free_port()
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
            thread = threading.Thread(target=server.run, name=f"search-service-{port}", daemon=True)
            thread.start()
            wait_for(lambda: server.started, timeout=30, interval=0.1, what="search-service to start")
            self.running[key] = (f"http://127.0.0.1:{port}", server, thread)
        return self.running[key][0]

    def stop(self) -> None:
        for _, server, _ in self.running.values():
            server.should_exit = True
        for _, _, thread in self.running.values():
            thread.join(timeout=15)


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG of one colour, written by hand (zlib and a CRC are all a PNG needs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


@dataclass
class TileServer:
    """A real HTTP tile server on this machine: every /tiles/z/x/y.png is a pale green square."""

    url: str
    requests: list[str]


@pytest.fixture(scope="session")
def tile_server() -> Iterator[TileServer]:
    tile = solid_png(256, 256, (214, 232, 220))
    seen: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the standard library names it so
            seen.append(self.path)
            if not self.path.startswith("/tiles/"):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Tiles)
    thread = threading.Thread(target=server.serve_forever, name="tile-server", daemon=True)
    thread.start()
    try:
        yield TileServer(url=f"http://127.0.0.1:{server.server_port}", requests=seen)
    finally:
        server.shutdown()
        thread.join(timeout=10)


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


def _on_this_machine(url: str) -> bool:
    return url.startswith("data:") or urlsplit(url).hostname in ("127.0.0.1", "localhost")


class PhonePage:
    """A 360×740 page on the web client that refuses every request leaving this machine.

    `intercept=False` only records such requests (the test fails on them all the same) without routing
    every request through Playwright, which would add its own delay to a timed page load.
    """

    def __init__(self, context: BrowserContext, base_url: str, *, intercept: bool = True) -> None:
        self.context = context
        self.base_url = base_url
        self.page: Page = context.new_page()
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._record)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        if intercept:
            context.route("**/*", self._only_this_machine)

    def _record(self, request: Request) -> None:
        self.requests.append(request.url)
        if not _on_this_machine(request.url) and request.url not in self.outside:
            self.outside.append(request.url)

    def forgive_failed_loads(self) -> None:
        """Chromium logs each failed load (an aborted file, a 429 or 503) as a console error; a test
        that causes them on purpose drops those and keeps any other error."""
        self.errors[:] = [e for e in self.errors if "Failed to load resource" not in e]

    def _only_this_machine(self, route: Route, request: Request) -> None:
        if _on_this_machine(request.url):
            route.fallback()
        else:
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


PHONE_CONTEXT: dict[str, Any] = {
    "viewport": PHONE,
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "bn-BD",
    "timezone_id": "Asia/Dhaka",
    "service_workers": "block",
}


@pytest.fixture
def make_phone(browser: Browser) -> Iterator[Callable[..., PhonePage]]:
    """Phones on any of the session's servers (`base_url`), each a fresh browser profile; extra
    context options (geolocation, permissions, JavaScript off) as Playwright names them."""
    phones: list[PhonePage] = []

    def make(base_url: str, *, intercept: bool = True, **options: Any) -> PhonePage:
        context = browser.new_context(**(PHONE_CONTEXT | options))
        context.set_default_timeout(15_000)
        phone = PhonePage(context, base_url, intercept=intercept)
        phones.append(phone)
        return phone

    try:
        yield make
        for phone in phones:
            assert phone.outside == [], f"the page tried to reach outside this machine: {phone.outside}"
            assert phone.errors == [], f"errors in the page: {phone.errors}"
    finally:
        for phone in phones:
            phone.context.close()


@pytest.fixture
def phone(make_phone: Callable[..., PhonePage], demo_stack: DemoStack) -> PhonePage:
    return make_phone(demo_stack.url)
