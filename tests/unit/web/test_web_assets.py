"""Static checks of the web client: small, self-contained, and no API data through innerHTML."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[3] / "search-service" / "search" / "web"
SHIPPED = ("*.html", "*.js", "*.css", "*.json")
HTML_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")
MAX_PAYLOAD_BYTES = 60_000  # uncompressed; about a third of that gzipped


def shipped_files() -> list[Path]:
    return sorted(p for pattern in SHIPPED for p in WEB.glob(pattern))


def test_the_whole_client_stays_small() -> None:
    total = sum(p.stat().st_size for p in shipped_files())
    assert total < MAX_PAYLOAD_BYTES, f"{total} bytes uncompressed"


def test_nothing_is_fetched_from_outside_the_machine() -> None:
    """No CDN, web font or analytics: the only absolute URL allowed is the SVG namespace."""
    allowed = {"http://www.w3.org/2000/svg"}
    for path in shipped_files():
        urls = set(re.findall(r"https?://[^\s\"'`)]+", path.read_text(encoding="utf-8"))) - allowed
        assert not urls, f"{path.name}: {urls}"
        assert "@import" not in path.read_text(encoding="utf-8"), path.name


def test_no_markup_from_strings() -> None:
    """Text reaches the DOM through textContent; the only markup from the API is <mark>, rebuilt by hand."""
    for path in WEB.glob("*.js"):
        source = path.read_text(encoding="utf-8")
        for sink in HTML_SINKS:
            assert sink not in source, f"{path.name} uses {sink}"


def test_the_page_uses_only_the_public_api_by_relative_urls() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in WEB.glob("*.js"))
    endpoints = set(re.findall(r"\"(/v1/[a-z/]+)\"", source))
    assert endpoints == {"/v1/providers/nearest", "/v1/products/search", "/v1/suggest", "/v1/categories"}
