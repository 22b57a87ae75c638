"""The map after the list (Leaflet, from the project's own build): useful without a tile server, with
tiles when configured, markers clustered, a tap on a marker shows its card, and results close to the
citizen come apart instead of hiding under the "you" dot."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from e2e.conftest import DemoStack, PhonePage, TileServer
from e2e.web_page import AT_TOWN, NEAR_TOWN, map_points, search_for, settle, show_map, texts
from harness.service_process import free_port

pytestmark = pytest.mark.integration

NEAREST = re.compile(r"/v1/providers/nearest\?")


def nearest(demo_stack: DemoStack, **params: Any) -> dict[str, Any]:
    query = {**NEAR_TOWN, "limit": 20, "radius_km": 20, **params}
    return httpx.get(f"{demo_stack.url}/v1/providers/nearest", params=query).json()


def moved(result: dict[str, Any], metres: float, bearing_deg: float) -> dict[str, Any]:
    """`result` placed `metres` from the town point on `bearing_deg` (flat earth: fine at this scale)."""
    north = metres * math.cos(math.radians(bearing_deg)) / 111_320
    east = metres * math.sin(math.radians(bearing_deg)) / (111_320 * math.cos(math.radians(NEAR_TOWN["lat"])))
    location = {"lat": NEAR_TOWN["lat"] + north, "lon": NEAR_TOWN["lon"] + east}
    return result | {"location": location, "distance_m": metres}


def centre(box: dict[str, float] | None) -> tuple[float, float]:
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_without_tiles_the_map_shows_upazilas_the_citizen_and_every_result(phone: PhonePage) -> None:
    page = phone.page
    body = settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    show_map(page, "providers")
    expect(page.locator("#provider-map .upazila-label")).to_have_count(13)
    expect(page.locator("#provider-map .you-dot")).to_have_count(1)
    expect(page.locator("#provider-map .leaflet-tile")).to_have_count(0)
    expect(page.locator("#provider-map .leaflet-control-attribution")).to_have_count(0)
    assert map_points(page, "providers") == len(body["results"]) + len(body["closed_nearby"])
    # Numbers on markers and clusters are Bangla digits, as on the cards.
    for text in texts(page, "#provider-map .result-marker, #provider-map .result-cluster"):
        assert re.fullmatch(r"[০-৯]+", text), text
    phone.screenshot("map-no-tiles", top="#panel-providers .map-box")

    # Zoomed out: the district, its 13 upazilas by name, readable (13 px, not 9–11).
    for _ in range(3):
        page.locator("#provider-map .leaflet-control-zoom-out").click()
        page.wait_for_timeout(350)  # Leaflet's zoom animation
    labels = page.locator("#provider-map .upazila-label")
    assert labels.first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 13
    visible = [b for b in (label.bounding_box() for label in labels.all()) if b and 0 <= b["y"] <= 740]
    assert len(visible) >= 10, f"most upazila names on the district view, {len(visible)} seen"
    phone.screenshot("map-district", top="#panel-providers .map-box")


def test_a_tap_on_a_marker_shows_its_card(phone: PhonePage) -> None:
    page = phone.page
    body = settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    show_map(page, "providers")
    marker = page.locator('#provider-map .result-marker span[data-n="1"]')
    for _ in range(6):  # the nearest may sit in a cluster: a tap on a cluster zooms into it
        if marker.count():
            break
        page.locator("#provider-map .result-cluster").first.click()
        page.wait_for_timeout(500)
    page.locator("#panel-providers .map-box").evaluate("e => e.scrollIntoView({block: 'start'})")
    marker.click()
    popup = page.locator("#provider-map .leaflet-popup-content")
    expect(popup.locator(".name")).to_have_text(body["results"][0]["name"]["bn"])
    expect(popup.locator(".distance")).to_have_text(
        page.locator("#provider-results .card .distance").first.inner_text()
    )
    # The map pans so the whole card is in view (Leaflet animates the pan and the fade-in: wait for rest).
    page.wait_for_function(
        """() => {
          const p = document.querySelector('#provider-map .leaflet-popup').getBoundingClientRect();
          const m = document.querySelector('#provider-map').getBoundingClientRect();
          const still = window.__lastPopupTop === p.top;
          window.__lastPopupTop = p.top;
          return still && p.top >= m.top && p.bottom <= m.bottom;
        }""",
        polling=300,
    )
    phone.screenshot("map-marker-card")


def test_results_close_to_the_citizen_come_apart_and_piles_cluster(
    phone: PhonePage, demo_stack: DemoStack
) -> None:
    """Six results within 400 m stand apart from each other and from the "you" dot; then eight at
    one market become one cluster that opens on a tap."""
    page = phone.page
    real = nearest(demo_stack)
    near = [moved(r, 150 + 45 * i, 60 * i) for i, r in enumerate(real["results"][:6])]
    pile = [moved(r, 3000 + i, 90) for i, r in enumerate(real["results"][6:14])]
    answers = {"near": real | {"results": near, "closed_nearby": [], "nearest_open_beyond": None}}
    answers["pile"] = answers["near"] | {"results": pile}
    page.route(
        NEAREST, lambda route: route.fulfill(json=answers["pile" if "q=" in route.request.url else "near"])
    )
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    show_map(page, "providers")
    you = centre(page.locator("#provider-map .you-dot").bounding_box())
    singles = page.locator("#provider-map .result-marker")
    expect(singles).to_have_count(6)
    spots = [centre(m.bounding_box()) for m in singles.all()]
    frame, buttons = (
        page.locator("#provider-map").bounding_box(),
        page.locator("#provider-map .leaflet-control-zoom").bounding_box(),
    )
    assert frame and buttons
    for x, y in spots:  # every marker on the map, none under the zoom buttons
        assert frame["x"] < x < frame["x"] + frame["width"] and frame["y"] < y < frame["y"] + frame["height"]
        assert not (x < buttons["x"] + buttons["width"] + 12 and y < buttons["y"] + buttons["height"] + 12), (
            x,
            y,
        )
    for i, a in enumerate(spots):
        assert math.dist(a, you) > 20, "no result hides under the citizen's dot"
        assert all(math.dist(a, b) > 20 for b in spots[i + 1 :]), "no result hides under another"
    phone.screenshot("map-close-results", top="#panel-providers .map-box")

    search_for(page, "#provider-q", "haat", "provider-results", "/v1/providers/nearest")
    cluster = page.locator("#provider-map .result-cluster")
    expect(cluster).to_have_count(1)
    assert cluster.inner_text().strip() == "৮"
    phone.screenshot("map-cluster", top="#panel-providers .map-box")
    for _ in range(4):  # a tap zooms into the pile; at the deepest zoom a tap spreads it around its spot
        if singles.count() == 8:
            break
        cluster.click()
        page.wait_for_timeout(600)  # Leaflet's zoom and spread animations
    expect(singles).to_have_count(8)
    phone.screenshot("map-cluster-opened", top="#panel-providers .map-box")


def test_tiles_come_from_the_configured_server(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack, tile_server: TileServer
) -> None:
    url = demo_stack.servers.url(
        map_tile_url=f"{tile_server.url}/tiles/{{z}}/{{x}}/{{y}}.png", map_tile_attribution="© Test tiles"
    )
    phone = make_phone(url)
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    show_map(page, "providers")
    expect(page.locator("#provider-map .leaflet-tile-loaded").first).to_be_attached()
    expect(page.locator("#provider-map .leaflet-control-attribution")).to_have_text("© Test tiles")
    expect(page.locator("#provider-map .upazila-label")).to_have_count(13)
    assert any(re.fullmatch(r"/tiles/\d+/\d+/\d+\.png", p) for p in tile_server.requests), (
        tile_server.requests
    )
    expect(page.locator("#panel-providers .map-note")).to_be_hidden()
    phone.screenshot("map-tiles", top="#panel-providers .map-box")


def test_with_the_tile_server_out_of_reach_the_map_still_answers(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/tiles/{{z}}/{{x}}/{{y}}.png"  # nothing listens there
    phone = make_phone(demo_stack.servers.url(map_tile_url=nowhere, map_tile_attribution="© Nowhere"))
    page = phone.page
    body = settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    show_map(page, "providers")
    expect(page.locator("#panel-providers .map-note")).to_have_text(
        "রাস্তাঘাটের ছবি আসেনি (নেটওয়ার্ক); উপজেলা ও ফলাফল দেখানো হলো।"
    )
    expect(page.locator("#provider-map .upazila-label")).to_have_count(13)
    assert map_points(page, "providers") == len(body["results"]) + len(body["closed_nearby"])
    phone.screenshot("map-tiles-unreachable", top="#panel-providers .map-box")
    phone.forgive_failed_loads()
