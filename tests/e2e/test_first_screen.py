"""The first screen: the answer without a scroll, a readable page before the scripts run and without
them, and a first result quickly on a slow link.

The slow-link test emulates a 400 kbps / 400 ms connection in Chromium, prints how long the first
result card took and what crossed the wire, and writes them to tests/artifacts/web-slow-link.json.
It asserts on bytes and on the order of requests (no waterfall), never on the time itself.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Route, expect

from e2e.conftest import ARTIFACTS, DemoStack, PhonePage
from e2e.web_page import AT_TOWN, is_request, phone_problems, settle, show_map, wait_until_kept_for_offline

pytestmark = pytest.mark.integration

SLOW_LINK = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
TRANSFER_BUDGET = 100_000  # bytes for the first result, the map library included

VISIBLE_PROBLEMS = r"""() => {
  const visible = (e) => e.offsetParent !== null && e.getBoundingClientRect().right > 0;
  const problems = [];
  for (const b of document.querySelectorAll('button, a[href], select')) {
    if (visible(b) && !(b.textContent.trim() || b.getAttribute('aria-label'))) problems.push(`empty ${b.tagName} ${b.id}`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const whole = n.parentElement.textContent.trim();  // a separator inside a line is fine; alone it is not
    if (text && n.parentElement.offsetParent !== null && /^[:·.…\s]+$/.test(whole)) problems.push(`stray "${whole}"`);
  }
  return problems;
}"""


def test_the_first_screen_shows_the_query_box_and_the_first_results(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    first = page.locator("#provider-results .card").first
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 740, f"the first card ends at {box}"
    query = page.locator("#provider-q").bounding_box()
    assert query is not None and query["y"] + query["height"] < box["y"]
    # The map comes after the list.
    last = page.locator("#provider-results .card").last.bounding_box()
    map_box = page.locator("#panel-providers .map-box").bounding_box()
    assert last is not None and map_box is not None and map_box["y"] > last["y"]
    assert page.evaluate(VISIBLE_PROBLEMS) == []
    phone.screenshot("first-screen")


def test_held_sideways_a_result_is_on_the_first_screen(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """Landscape (740×360): the controls sit beside the answers, so the first card is whole on screen."""
    phone = make_phone(demo_stack.url, viewport={"width": 740, "height": 360})
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    box = page.locator("#provider-results .card").first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 360, f"the first card ends at {box}"
    query = page.locator("#provider-q").bounding_box()
    assert query is not None and query["y"] + query["height"] <= 360
    assert phone_problems(page) == []
    assert page.evaluate(VISIBLE_PROBLEMS) == []
    phone.screenshot("landscape-first-screen")


def test_the_emergency_numbers_are_one_tap_away_before_any_script(phone: PhonePage) -> None:
    """The header's emergency numbers are the page's own markup: there with the app script held back."""
    page = phone.page
    page.route(re.compile(r"/app/app-[0-9a-f]+\.js$"), lambda route: route.abort())
    phone.open(AT_TOWN)
    page.locator("#sos summary").click()
    panel = page.locator("#sos .sos-panel")
    expect(panel.locator("a[href='tel:999']")).to_contain_text("৯৯৯")
    expect(panel.locator("a[href='tel:16263']")).to_contain_text("১৬২৬৩")
    phone.screenshot("emergency-numbers")
    phone.forgive_failed_loads()


def test_before_the_scripts_arrive_the_page_reads_well(phone: PhonePage) -> None:
    """The app script held back: the page shows its labels, placeholders and a loading line, nothing stray."""
    page = phone.page
    page.route(re.compile(r"/app/app-[0-9a-f]+\.js$"), lambda route: route.abort())
    phone.open(AT_TOWN)
    expect(page.locator("#provider-status .loading")).to_have_text("খোঁজা হচ্ছে…")
    expect(page.locator("label[for=provider-q]")).to_have_text("কী বা কাকে খুঁজছেন?")
    expect(page.locator("#provider-results .ghost-card").first).to_be_visible()
    expect(page.locator("#locate")).to_contain_text("আমার অবস্থান")
    expect(page.locator("#upazila option:checked")).to_have_text("কিশোরগঞ্জ সদর")
    assert page.evaluate(VISIBLE_PROBLEMS) == []
    phone.screenshot("before-scripts")
    phone.forgive_failed_loads()


def test_without_javascript_a_message_and_the_emergency_number(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    phone = make_phone(demo_stack.url, java_script_enabled=False)
    page = phone.open()
    note = page.locator(".noscript")
    expect(note).to_be_visible()
    expect(note).to_contain_text("জাভাস্ক্রিপ্ট চালু করুন")
    expect(note.locator("a[href='tel:999']")).to_be_visible()
    # Nothing that needs a script is shown: no inert buttons, boxes or lists.
    controls = page.locator("button, input, select, [role=tab]")
    assert [c.is_visible() for c in controls.all()] == [False] * controls.count()
    phone.screenshot("no-javascript")


def test_the_first_search_starts_with_the_page_not_after_the_script(phone: PhonePage) -> None:
    """No waterfall: the page, its one app script and the first results are all the first screen
    needs, and the first search is asked by the page itself, while the app script is still coming."""
    page = phone.page
    cdp = phone.context.new_cdp_session(page)
    cdp.send("Network.enable")
    initiators: dict[str, list[str]] = {}

    def record(event: dict[str, Any]) -> None:
        frames = (event.get("initiator", {}).get("stack") or {}).get("callFrames") or [{"url": ""}]
        initiators.setdefault(urlsplit(event["request"]["url"]).path, []).append(
            urlsplit(frames[-1]["url"]).path
        )

    cdp.on("Network.requestWillBeSent", record)
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    paths = [urlsplit(u).path for u in phone.requests]
    assert paths[0] == "/app/"
    # The categories come with the page (serve.py writes the taxonomy's list, the one /v1/categories
    # serves, into it): no request for them before the first answer.
    assert "/v1/categories" not in paths and not any(p.endswith(".json") for p in paths), paths
    assert len([p for p in paths if re.fullmatch(r"/app/app-[0-9a-f]+\.js", p)]) == 1, paths
    assert initiators["/v1/providers/nearest"] == ["/app/"], "asked once, by the page's inline script"


def _transfer_table(rows: list[dict[str, Any]]) -> str:
    lines = [f"  {'file':<34} {'bytes':>8}"]
    lines += [f"  {r['path'][:34]:<34} {r['bytes']:>8}" for r in rows]
    lines.append(f"  {'total':<34} {sum(r['bytes'] for r in rows):>8}")
    return "\n".join(lines)


def test_on_a_400_kbps_link_the_first_result_comes_fast_and_small(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """A first visit (empty cache) on an emulated 400 kbps / 400 ms link, as a cheap phone on 2G/3G."""
    phone = make_phone(demo_stack.url, intercept=False)
    page = phone.page
    cdp = phone.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    urls: dict[str, str] = {}
    finished: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.setdefault(e["requestId"], e["request"]["url"]))
    cdp.on(
        "Network.loadingFinished", lambda e: finished.__setitem__(e["requestId"], int(e["encodedDataLength"]))
    )

    def wire() -> list[dict[str, Any]]:
        return [{"path": urlsplit(urls[r]).path, "bytes": n} for r, n in finished.items() if r in urls]

    with page.expect_response(is_request("/v1/providers/nearest")):
        page.goto(f"{demo_stack.url}/app/", wait_until="commit")
    expect(page.locator("#provider-results .card").first).to_be_visible(timeout=30_000)
    first_result_ms = page.evaluate("performance.getEntriesByName('first-result')[0].startTime")
    # What the first result needed: the page and what was asked before it showed (the other tabs' code
    # is asked right after, when the page is idle).
    before = page.evaluate(
        "t => performance.getEntriesByType('resource').filter(e => e.startTime < t).map(e => new URL(e.name).pathname)",
        first_result_ms,
    )
    at_first_result = [r for r in wire() if r["path"] == "/app/" or r["path"] in before]

    show_map(page, "providers")
    page.wait_for_function("() => document.querySelectorAll('#provider-map .upazila-label').length === 13")
    page.wait_for_load_state("networkidle")
    with_map = wire()

    first_bytes = sum(r["bytes"] for r in at_first_result)
    total_bytes = sum(r["bytes"] for r in with_map)
    print("\nweb client on an emulated 400 kbps / 400 ms link (first visit, empty cache):")
    print(f"  first result card after {first_result_ms:.0f} ms (target ≤ 1500 ms)")
    print(f"  transfer up to the first result: {first_bytes} bytes")
    print(_transfer_table(at_first_result))
    print(f"  transfer with the map drawn: {total_bytes} bytes (budget {TRANSFER_BUDGET})")
    print(_transfer_table(with_map))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "web-slow-link.json").write_text(
        json.dumps(
            {
                "link": SLOW_LINK,
                "first_result_ms": round(first_result_ms),
                "first_result_bytes": first_bytes,
                "with_map_bytes": total_bytes,
                "files_at_first_result": at_first_result,
                "files_with_map": with_map,
            },
            indent=2,
        )
    )
    paths = [r["path"] for r in at_first_result]
    scripts = [p for p in paths if re.fullmatch(r"/app/app-[0-9a-f]+\.js", p)]
    assert len(scripts) == 1 and set(paths) - set(scripts) <= {"/app/", "/v1/providers/nearest"}, paths
    assert first_bytes < TRANSFER_BUDGET
    assert total_bytes < TRANSFER_BUDGET, "the page, its script, the first results and the whole map library"
    assert any(p.startswith("/app/map-") and p.endswith(".js") for p in (r["path"] for r in with_map))
    phone.screenshot("slow-link-first-result")


def test_a_refused_map_script_leaves_the_list(phone: PhonePage) -> None:
    """Offline for a moment when the map is wanted: the list stays the answer, and nothing breaks."""
    page = phone.page

    def refuse(route: Route) -> None:
        route.abort("internetdisconnected")

    map_script = re.compile(r"/app/map-[0-9a-f]+\.js$")
    page.route(map_script, refuse)
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    with page.expect_event("requestfailed", lambda r: bool(map_script.search(r.url))):
        page.locator("#panel-providers .map-box").scroll_into_view_if_needed()
    expect(page.locator("#provider-results .card").first).to_be_attached()
    expect(page.locator("#provider-status [role=alert]")).to_have_count(0)
    phone.forgive_failed_loads()


def test_the_service_worker_adds_little_to_a_first_visit(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack, caplog: pytest.LogCaptureFixture
) -> None:
    """A first visit that lets the service worker in: it comes after the first answer, and keeping the
    page for offline use takes what the browser already holds — the scripts from its cache, the page
    as it arrived plus a HEAD request for its headers. What the server answered, from its access log."""
    caplog.set_level(logging.INFO, logger="access")

    def served() -> list[tuple[str, str, int]]:
        return [
            (r.fields["method"], r.fields["path"], r.fields["status"])  # type: ignore[attr-defined]
            for r in caplog.records
            if r.name == "access" and hasattr(r, "fields")
        ]

    phone = make_phone(demo_stack.url, intercept=False, service_workers="allow")
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    wait_until_kept_for_offline(page)
    page.wait_for_load_state("networkidle")
    everything = served()
    after = everything[everything.index(("GET", "/v1/providers/nearest", 200)) + 1 :]
    print("\nwhat the server answered from the first answer on, as each finished (method, path, status):")
    for method, path, status in after:
        print(f"  {method:<5} {path:<36} {status}")
    assert ("GET", "/app/sw.js", 200) in after and ("HEAD", "/app/", 200) in after, after
    assert [p for m, p, _ in everything if m == "GET" and p == "/app/"] == ["/app/"], "the page, once"
    scripts = [p for m, p, _ in everything if m == "GET" and p.startswith(("/app/app-", "/app/later-"))]
    assert len(scripts) == len(set(scripts)) == 1, (
        f"the app, once (the other tabs only when wanted): {scripts}"
    )
