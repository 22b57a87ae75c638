"""Static checks of the web client's sources: self-contained, no API data through innerHTML, and only
the public API by relative URLs. The built bundle's size is checked by the browser test on the wire."""

from __future__ import annotations

import json
import re
from pathlib import Path

from portal.contracts import built_districts

WEB = Path(__file__).resolve().parents[3] / "search-service" / "search" / "web"
SRC = WEB / "src"
SHIPPED = ("*.html", "*.js", "*.css", "*.json")
HTML_SINKS = ("innerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")
#: outerHTML may be read (the service worker keeps the page as served), never written.
OUTER_HTML_WRITE = re.compile(r"outerHTML\s*\+?=(?!=)")


def sources() -> list[Path]:
    return sorted(p for pattern in SHIPPED for p in SRC.glob(pattern))


def test_nothing_is_fetched_from_outside_the_machine() -> None:
    """No CDN, web font or analytics in our sources; map tiles come only from configuration."""
    for path in sources():
        text = path.read_text(encoding="utf-8")
        urls = set(re.findall(r"https?://[^\s\"'`)]+", text))
        assert not urls, f"{path.name}: {urls}"
        assert "@import" not in text, path.name


def test_no_markup_from_strings() -> None:
    """Text reaches the DOM through textContent; the only markup from the API is <mark>, rebuilt by hand.
    Leaflet gets elements, never HTML strings (divIcon html, tooltip and popup content)."""
    for path in SRC.glob("*.js"):
        source = path.read_text(encoding="utf-8")
        for sink in HTML_SINKS:
            assert sink not in source, f"{path.name} uses {sink}"
        assert not OUTER_HTML_WRITE.search(source), f"{path.name} writes outerHTML"
    map_source = (SRC / "map.js").read_text(encoding="utf-8")
    assert not re.search(r"html:\s*[`\"']", map_source) and not re.search(r"setContent\([`\"']", map_source)


def test_the_page_uses_only_the_public_api_by_relative_urls() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in SRC.glob("*.js"))
    endpoints = set(re.findall(r"\"(/v1/[a-z/]+)\"", source))
    assert endpoints == {
        "/v1/providers/nearest",
        "/v1/products/search",
        "/v1/suggest",
        "/v1/sellers/",
        "/v1/places/at",
    }


def test_the_page_template_has_every_marker_the_build_and_server_fill() -> None:
    page = (SRC / "index.html").read_text(encoding="utf-8")
    for marker in (
        "<!--build:style-->",
        "<!--build:assets-->",
        "<!--build:boot-->",
        "build:app.js",
        "<!--serve:boot-data-->",
        "{{serve:start}}",
        *(f"<!--build:answers {tab}-->" for tab in ("provider", "blood", "product", "cattle", "storefront")),
    ):
        assert page.count(marker) == 1, marker
    assert page.count("{{serve:district}}") == 2, "the title and the heading"


def test_leaflet_is_pinned_and_installed_by_the_makefile() -> None:
    package = json.loads((WEB / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((WEB / "package-lock.json").read_text(encoding="utf-8"))
    for name in ("leaflet", "leaflet.markercluster", "esbuild"):
        pinned = package.get("dependencies", {}).get(name) or package["devDependencies"][name]
        assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), f"{name} pinned exactly, not {pinned}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == pinned
    makefile = (WEB.parents[2] / "Makefile").read_text(encoding="utf-8")
    assert "npm ci" in makefile and "node build.mjs" in makefile


def test_the_emergency_numbers_are_data_with_a_name_in_both_languages() -> None:
    entries = json.loads((SRC / "emergency.json").read_text(encoding="utf-8"))["entries"]
    assert entries[0]["phone"] == "999"
    assert len({e["id"] for e in entries}) == len(entries)
    for entry in entries:
        assert entry["name"]["bn"] and entry["name"]["en"], entry
        assert entry["phone"] is None or re.fullmatch(r"\d{3,11}", entry["phone"]), entry
        # A district's own entry names a district the portal has places for (DISTRICT).
        assert entry.get("district") in (None, *built_districts()), entry


def test_no_words_of_the_page_name_a_district() -> None:
    """The district is configuration: the page's words say {district}, search-service writes its name
    into the page. Kishoreganj's name stays only where it is Kishoreganj's data (its hospitals)."""
    for path in sources():
        if path.name == "emergency.json":
            continue
        text = path.read_text(encoding="utf-8")
        for name in ("কিশোরগঞ্জ", "Kishoreganj", "kishoreganj"):
            assert name not in text, f"{path.name} names {name}"
