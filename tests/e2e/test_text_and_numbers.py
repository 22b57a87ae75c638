"""What the page says and how it behaves between searches: Bangla digits everywhere on a Bangla page
(server text included) with lakh grouping, the query's category chip, a skip link past the chips, a
gentle retry when the server asks to slow down, and no stale results under an error."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Route, expect

from e2e.conftest import DemoStack, PhonePage
from e2e.web_page import AT_TOWN, NEAR_TOWN, lakh, search_for, settle, texts

pytestmark = pytest.mark.integration

NEAREST = re.compile(r"/v1/providers/nearest\?")
PRODUCTS = re.compile(r"/v1/products/search\?")


def ascii_digits_in(page: Any, selector: str) -> list[str]:
    """Lines of visible text under `selector` that still carry ASCII digits."""
    text = page.locator(selector).inner_text()
    return [line for line in text.splitlines() if re.search(r"[0-9]", line)]


def test_server_numbers_read_in_bangla_digits_with_lakh_grouping(
    phone: PhonePage, demo_stack: DemoStack
) -> None:
    """Server text with ASCII digits ("হোল্ডিং নং 24", "ইলিশ — 2 কেজি") and big totals, on a Bangla page."""
    page = phone.page
    real = httpx.get(
        f"{demo_stack.url}/v1/providers/nearest", params={**NEAR_TOWN, "limit": 20, "radius_km": 20}
    ).json()
    first = real["results"][0]
    first = first | {
        "address": {"bn": "হোল্ডিং নং 24, পুরান বাজার", "en": "Holding No. 24, Puran Bazar"},
        "union": None,
    }
    page.route(
        NEAREST,
        lambda route: route.fulfill(json=real | {"results": [first, *real["results"][1:]], "total": 125000}),
    )
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    expect(page.locator("#provider-results .address").first).to_have_text("হোল্ডিং নং ২৪, পুরান বাজার")
    expect(page.locator("#provider-status")).to_contain_text(f"মোট {lakh(125000)}")
    assert ascii_digits_in(page, "#panel-providers") == []
    phone.screenshot("bangla-digits-providers")

    products = httpx.get(f"{demo_stack.url}/v1/products/search", params={"q": "ইলিশ", "limit": 10}).json()
    hilsa = products["results"][0] | {"title": {"bn": "ইলিশ — 2 কেজি", "en": "Hilsa — 2 kg"}, "highlight": {}}
    facets = [f | {"count": 1500} for f in products["facets"]["category"]]
    body = products | {
        "results": [hilsa],
        "total": 12345,
        "facets": products["facets"] | {"category": facets},
    }
    page.route(PRODUCTS, lambda route: route.fulfill(json=body))
    settle(page, lambda: page.locator("#tab-products").click(), "product-results", "/v1/products/search")
    expect(page.locator("#product-results .title")).to_have_text("ইলিশ — ২ কেজি")
    expect(page.locator("#product-status")).to_contain_text(f"মোট {lakh(12345)}টি পণ্য")
    assert all(c.endswith(lakh(1500)) for c in texts(page, "#facets .facet")), texts(page, "#facets .facet")
    assert ascii_digits_in(page, "#panel-products") == []

    page.locator("#lang").click()  # English: ASCII digits, thousands grouping
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#product-status")).to_contain_text("of 12,345 products")
    expect(page.locator("#product-results .title")).to_have_text("Hilsa — 2 kg")


def test_the_query_selects_its_category_chip(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    body = search_for(page, "#provider-q", "ডাক্তার", "provider-results", "/v1/providers/nearest", q="ডাক্তার")
    assert body["query"]["categories"] == ["doctor"]
    doctor = page.locator("#chips .chip[data-slug=doctor]")
    expect(doctor).to_have_attribute("aria-pressed", "true")
    expect(page.locator('#chips .chip[data-slug=""]')).to_have_attribute("aria-pressed", "false")
    box, strip = doctor.bounding_box(), page.locator("#chips").bounding_box()
    assert (
        box and strip and strip["x"] <= box["x"] and box["x"] + box["width"] <= strip["x"] + strip["width"]
    ), "scrolled into view"
    assert all(c.endswith("ডাক্তার") for c in texts(page, "#provider-results .category"))
    phone.screenshot("query-selects-chip")

    search_for(page, "#provider-q", "", "provider-results", "/v1/providers/nearest")
    expect(page.locator('#chips .chip[data-slug=""]')).to_have_attribute("aria-pressed", "true")
    expect(doctor).to_have_attribute("aria-pressed", "false")


def test_a_skip_link_takes_the_keyboard_past_the_chips(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    page.locator("#provider-q").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#provider-form button[type=submit]")).to_be_focused()
    page.keyboard.press("Tab")
    skip = page.locator("#panel-providers .skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("ধরনগুলো পেরিয়ে ফলাফলে যান")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["width"] > 100, "seen when focused"
    phone.screenshot("skip-link")

    # The chips are one stop for Tab (arrows move inside them): Tab, Tab reaches the checkbox.
    page.keyboard.press("Tab")
    expect(page.locator('#chips .chip[data-slug=""]')).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#chips .chip").nth(1)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#available")).to_be_focused()

    page.locator("#provider-form button[type=submit]").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#provider-results")).to_be_focused()


def test_too_many_requests_are_retried_gently(phone: PhonePage) -> None:
    page = phone.page
    answers = ["busy"]

    def busy_once(route: Route) -> None:
        if answers and answers.pop() == "busy":
            route.fulfill(
                status=429,
                headers={"Retry-After": "1"},
                json={"error": "rate_limited", "message": "Too many requests; retry after 1 s."},
            )
        else:
            route.fallback()

    page.route(NEAREST, busy_once)
    phone.open(AT_TOWN)
    expect(page.locator("#provider-status")).to_contain_text(
        "অনেকে একসাথে খুঁজছেন — ১ সেকেন্ড পরে আবার চেষ্টা করা হচ্ছে…"
    )
    expect(page.locator("#provider-results .card").first).to_be_visible()
    expect(page.locator("#provider-status [role=alert]")).to_have_count(0)
    assert len(phone.api_requests("/v1/providers/nearest")) == 2
    phone.forgive_failed_loads()


def test_a_server_that_stays_busy_gets_a_retry_button_not_a_loop(phone: PhonePage) -> None:
    page = phone.page
    page.route(
        NEAREST,
        lambda route: route.fulfill(
            status=429, headers={"Retry-After": "1"}, json={"error": "rate_limited", "message": "slow down"}
        ),
    )
    phone.open(AT_TOWN)
    alert = page.locator("#provider-status [role=alert]")
    expect(alert).to_contain_text("এখন অনেক অনুরোধ আসছে। একটু পরে আবার চেষ্টা করুন।", timeout=20_000)
    expect(alert.get_by_role("button", name="আবার চেষ্টা করুন")).to_be_visible()
    assert len(phone.api_requests("/v1/providers/nearest")) == 3  # the first and two gentle retries
    phone.forgive_failed_loads()


def test_an_error_clears_the_old_results(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    expect(page.locator("#provider-results .card").first).to_be_visible()
    unavailable = {
        "error": "search_unavailable",
        "message": "Search is temporarily unavailable; please retry shortly.",
    }
    page.route(NEAREST, lambda route: route.fulfill(status=503, json=unavailable))
    page.locator("#provider-q").fill("kosai")
    page.locator("#provider-q").press("Enter")
    expect(page.locator("#provider-status [role=alert]")).to_contain_text("এই মুহূর্তে খোঁজা গেল না")
    expect(page.locator("#provider-results .card")).to_have_count(0)
    expect(page.locator("#provider-more > *")).to_have_count(0)
    expect(page.locator("#panel-providers .map-box")).to_be_hidden()

    settle(page, lambda: page.locator("#tab-products").click(), "product-results", "/v1/products/search")
    expect(page.locator("#product-results .card").first).to_be_visible()
    page.route(PRODUCTS, lambda route: route.fulfill(status=503, json=unavailable))
    page.locator("#product-q").fill("গরু")
    page.locator("#product-q").press("Enter")
    expect(page.locator("#product-status [role=alert]")).to_be_visible()
    expect(page.locator("#product-results .card")).to_have_count(0)
    expect(page.locator("#load-more")).to_be_hidden()
    expect(page.locator("#facets .chip")).to_have_count(0)  # the old answer's categories and counts too
    phone.screenshot("error-clears-results")
    phone.forgive_failed_loads()


def test_a_relaxed_product_search_says_how_many_match_all_its_words(phone: PhonePage) -> None:
    """ "ইলিশ" finds 4 hilsa and then other fish: the page says so, and marks where the hilsa end."""
    page = phone.page
    settle(page, lambda: phone.open(f"{AT_TOWN}#products"), "product-results", "/v1/products/search")
    body = search_for(page, "#product-q", "ইলিশ", "product-results", "/v1/products/search", q="ইলিশ")
    exact = body["query"]["exact_matches"]
    assert body["query"]["relaxed"] and 0 < exact < len(body["results"]), body["query"]
    note = page.locator("#product-note")
    expect(note).to_have_text(f"পুরো মিল {lakh(exact)}টি; তারপর একই ধরনের আরও।")
    expect(note).not_to_contain_text("বাদ দিয়ে")
    items = page.locator("#product-results > li")
    expect(items.nth(exact)).to_have_text("একই ধরনের আরও")
    titles = texts(page, "#product-results .title")
    assert all("ইলিশ" in t for t in titles[:exact]) and not any("ইলিশ" in t for t in titles[exact:]), titles
    assert ascii_digits_in(page, "#product-results") == []  # "2 কেজি" from the server reads "২ কেজি"
    phone.screenshot("products-ilish", top="#product-status")


def test_a_product_card_shows_its_seller_when_the_api_sends_one(
    phone: PhonePage, demo_stack: DemoStack
) -> None:
    """Storefronts come later (#15); the card is ready for a `seller` {name, upazila, verified, phone}."""
    page = phone.page
    real = httpx.get(f"{demo_stack.url}/v1/products/search", params={"q": "মধু", "limit": 2}).json()
    seller = {
        "name": {"bn": "মধুমিতা এন্টারপ্রাইজ 2", "en": "Madhumita Enterprise 2"},
        "upazila": {"slug": "bhairab", "bn": "ভৈরব", "en": "Bhairab"},
        "verified": True,
        "phone": "+8801711000000",
    }
    quiet = {"name": "রহিম ভাই", "upazila": None, "verified": False, "phone": None}
    results = [real["results"][0] | {"seller": seller}, real["results"][1] | {"seller": quiet}]
    page.route(
        PRODUCTS,
        lambda route: route.fulfill(json=real | {"results": results, "total": 2, "next_cursor": None}),
    )
    settle(page, lambda: phone.open("#products"), "product-results", "/v1/products/search")
    cards = page.locator("#product-results .card")
    expect(cards.nth(0).locator(".seller")).to_have_text("বিক্রেতা: মধুমিতা এন্টারপ্রাইজ ২✓ যাচাই করা · ভৈরব")
    expect(cards.nth(0).locator("a.call")).to_have_attribute("href", "tel:+8801711000000")
    expect(cards.nth(1).locator(".seller")).to_have_text("বিক্রেতা: রহিম ভাই")
    expect(cards.nth(1).locator("a.call")).to_have_count(0)
    expect(cards.nth(1).locator(".reach.none")).to_have_text("বিক্রেতার সঙ্গে যোগাযোগের কোনো উপায় দেওয়া নেই")
    phone.screenshot("products-seller", top="#product-status")
