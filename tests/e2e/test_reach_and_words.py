"""Answers a citizen can trust, as the page shows them: every card says how to reach the listing (a call
button only where a phone is public, WhatsApp where the answer has a number, else the address to visit;
a listing with none is shown as such, never as available), places in shops' words and people in
people's words, a need the directory does not list said plainly with the related categories offered by
name, a night medical answer's emergency block first, and categories or fields the page does not know
yet shown sensibly or ignored.

The answers with these fields are real answers of the demo stack, changed where the API does not send
such a case today (as other browser tests here do), so the page is ready when it does.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Route, expect

from e2e.conftest import DemoStack, PhonePage
from e2e.web_page import AT_TOWN, NEAR_TOWN, is_request, lakh, phone_problems, search_for, settle, texts

pytestmark = pytest.mark.integration

NEAREST = "/v1/providers/nearest"
NEAREST_ROUTE = re.compile(r"/v1/providers/nearest\?")
NOWHERE = {"bn": None, "en": None}


def real_nearest(demo_stack: DemoStack, **params: Any) -> dict[str, Any]:
    query = {**NEAR_TOWN, "limit": 20, "radius_km": 20, **params}
    return httpx.get(f"{demo_stack.url}{NEAREST}", params=query).json()


def listing(base: dict[str, Any], n: int, slug: str, bn: str, en: str, **fields: Any) -> dict[str, Any]:
    """A result of the real answer as another listing: its category, its ways to be reached (`reach`, as
    the API says it: "call" a public phone, "visit" a place's address), its hours."""
    changed = {
        "id": f"trust-{n}",
        "name": {"bn": f"পরীক্ষা {bn} {n}", "en": f"Test {en} {n}"},
        "category": {"slug": slug, "bn": bn, "en": en},
        "phone": None,
        "reach": [],
        "address": NOWHERE,
        "open_now": True,
        "next_open": None,
        "available": True,
        "hours_today": [{"open": "09:00", "close": "18:00"}],
        "distance_m": 300.0 * n,
    }
    return base | changed | fields


def test_every_card_says_how_to_reach_the_listing_in_its_own_words(
    phone: PhonePage, demo_stack: DemoStack
) -> None:
    page = phone.page
    real = real_nearest(demo_stack)
    base = real["results"][0] | {"union": None}  # the words of reaching alone, no union after them
    at = real["query"]["at"]
    later_today = f"{at[:10]}T17:00:00+06:00"
    results = [
        listing(base, 1, "butcher", "কসাই", "Butcher", phone="+8801711000001", reach=["call"]),
        listing(base, 2, "electrician", "ইলেকট্রিশিয়ান", "Electrician", whatsapp="+8801711000002"),
        listing(
            base, 3, "barber", "নাপিত", "Barber", reach=["visit"],
            address={"bn": "হোল্ডিং নং 12, স্টেশন রোড", "en": "Holding 12, Station Road"},
            open_now=False, next_open=later_today,
        ),
        # A private person's address is never one to visit: with no public phone, nobody can reach her.
        listing(
            base, 4, "domestic_worker", "গৃহকর্মী", "Domestic worker",
            address={"bn": "হোল্ডিং নং 7, নতুন বাজার", "en": "Holding 7, Notun Bazar"},
        ),
        listing(
            base, 5, "pharmacy", "ফার্মেসি", "Pharmacy", phone="+8801711000005", reach=["call", "visit"],
            hours_today=None, a_field_of_tomorrow={"anything": [1, 2, 3]},
        ),
        listing(
            base, 6, "doctor", "ডাক্তার", "Doctor", phone="+8801711000006", reach=["call"],
            open_now=False, next_open=later_today,
        ),
    ]  # fmt: skip
    body = real | {
        "results": results,
        "total": len(results),
        "closed_nearby": [],
        "nearest_open_beyond": None,
    }

    def answer(route: Route) -> None:
        if "q=mixed" in route.request.url:
            route.fulfill(json=body)
        else:
            route.fallback()

    page.route(NEAREST_ROUTE, answer)
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", NEAREST)
    search_for(page, "#provider-q", "mixed", "provider-results", NEAREST, q="mixed")
    cards = page.locator("#provider-results .card")
    expect(cards).to_have_count(len(results))
    shop, electrician, barber, worker, pharmacy, doctor = cards.all()

    # A call button only where a phone is public; WhatsApp where the answer has a number.
    expect(shop.locator("a.call")).to_have_attribute("href", "tel:+8801711000001")
    expect(electrician.locator("a.call")).to_have_count(0)
    expect(electrician.locator("a.whatsapp")).to_have_attribute("href", "whatsapp://send?phone=8801711000002")
    # No number: the address to visit, not a dead button.
    expect(barber.locator("a.call, a.whatsapp")).to_have_count(0)
    expect(barber.locator(".reach.visit")).to_have_text("📍 ঠিকানায় যান: হোল্ডিং নং ১২, স্টেশন রোড")
    # No way at all: said so, never called available, and her address never shown.
    expect(worker.locator("a")).to_have_count(0)
    expect(worker).not_to_contain_text("হোল্ডিং নং ৭")
    expect(worker.locator("p.open")).to_contain_text("যোগাযোগের কোনো উপায় দেওয়া নেই")
    expect(worker.locator(".is-open")).to_have_count(0)

    # Places in shops' words, people in people's words.
    expect(shop.locator("p.open .is-open")).to_have_text("এখন খোলা")
    expect(electrician.locator("p.open .is-open")).to_have_text("এখন পাওয়া যাবে")
    expect(barber.locator("p.open .is-later")).to_have_text("খুলবে আজ বিকাল ৫টায়")
    expect(doctor.locator("p.open .is-later")).to_have_text("পাওয়া যাবে আজ বিকাল ৫টা থেকে")
    expect(pharmacy.locator(".hours")).to_have_text("২৪ ঘণ্টা খোলা")

    # A category the page's taxonomy may not know yet: the answer's own words, a neutral icon.
    expect(pharmacy.locator(".category")).to_contain_text("ফার্মেসি")
    assert phone_problems(page) == []
    phone.screenshot("reach-and-words", top="#provider-status")

    page.locator("#lang").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(doctor.locator("p.open .is-later")).to_have_text("Available from today at 5 PM")
    expect(barber.locator("p.open .is-later")).to_have_text("Opens today at 5 PM")
    expect(worker.locator("p.open")).to_contain_text("No way to reach them is given")


def test_a_need_the_directory_does_not_list_is_said_plainly_with_related_categories(
    phone: PhonePage, demo_stack: DemoStack
) -> None:
    page = phone.page
    real = real_nearest(demo_stack, q="dorji")
    query = real["query"] | {
        "not_listed": {"slug": "tailor", "bn": "দর্জি", "en": "tailor"},
        "suggested_categories": [
            {"slug": "carpenter", "bn": "কাঠ মিস্ত্রি", "en": "Carpenter", "kind": "provider"},
            {"slug": "clothing", "bn": "পোশাক", "en": "Clothing", "kind": "product"},
        ],
        "exact_matches": 0,
        "a_field_of_tomorrow": True,
    }
    body = real | {
        "results": [],
        "total": 0,
        "closed_nearby": [],
        "nearest_open_beyond": None,
        "query": query,
    }

    def answer(route: Route) -> None:
        if "q=dorji" in route.request.url:
            route.fulfill(json=body)
        else:
            route.fallback()

    page.route(NEAREST_ROUTE, answer)
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", NEAREST)
    search_for(page, "#provider-q", "dorji", "provider-results", NEAREST, q="dorji")
    note = page.locator("#provider-note")
    expect(note.locator(".not-listed")).to_have_text("আমাদের তালিকায় দর্জি নেই।")
    expect(page.locator("#provider-status")).not_to_contain_text("বন্ধ করে")  # unticking lists no tailor
    related = note.locator("button.related-category")
    expect(related).to_have_text(["🪚 কাঠ মিস্ত্রি", "👕 পোশাক"])
    phone.screenshot("not-listed", top="#provider-status")

    page.locator("#lang").click()
    expect(note.locator(".not-listed")).to_have_text("We have no tailor listed.")
    expect(related).to_have_text(["🪚 Carpenter", "👕 Clothing"])
    page.locator("#lang").click()
    expect(page.locator("html")).to_have_attribute("lang", "bn")

    # A related category, by name: its own search, in the tab that lists it.
    settle(page, related.first.click, "provider-results", NEAREST, category="carpenter")
    expect(page.locator("#chips .chip[data-slug=carpenter]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#provider-q")).to_have_value("")
    categories = texts(page, "#provider-results .category")
    assert categories and all(c.endswith("কাঠ মিস্ত্রি") for c in categories)

    page.go_back()  # the honest answer again (this visit's), then the product category it offers
    expect(note.locator(".not-listed")).to_have_text("আমাদের তালিকায় দর্জি নেই।")
    with page.expect_response(is_request("/v1/products/search", category="clothing")):
        related.last.click()
    expect(page.locator("#panel-products")).to_be_visible()
    page.wait_for_function("() => document.querySelectorAll('#product-results .card').length > 0")
    assert all(c.endswith("পোশাক") for c in texts(page, "#product-results .category"))


def test_a_medical_answer_leads_with_its_emergency_block(phone: PhonePage, demo_stack: DemoStack) -> None:
    """The answer's `emergency` (numbers, and ambulances someone can call now) comes before the list."""
    page = phone.page
    real = real_nearest(demo_stack, q="daktar")
    ambulances = [
        r | {"reach": ["call"]}
        for r in real_nearest(demo_stack, category="ambulance")["results"][:2]
        if r["phone"]
    ]
    assert ambulances, "the demo has ambulances with a public phone near the town"
    emergency = {
        "numbers": [
            {"id": "national-emergency", "phone": "999",
             "name": {"bn": "জাতীয় জরুরি সেবা ৯৯৯", "en": "National emergency service 999"},
             "note": {"bn": "পুলিশ, ফায়ার সার্ভিস, অ্যাম্বুলেন্স", "en": "Police, fire service, ambulance"}},
            {"id": "health-helpline", "phone": "16263",
             "name": {"bn": "স্বাস্থ্য বাতায়ন ১৬২৬৩", "en": "Health helpline 16263"},
             "note": {"bn": "২৪ ঘণ্টা", "en": "24 hours"}},
        ],
        "ambulances": ambulances,
        "a_field_of_tomorrow": [],
    }  # fmt: skip
    page.route(
        NEAREST_ROUTE,
        lambda route: (
            route.fulfill(json=real | {"emergency": emergency})
            if "q=daktar" in route.request.url
            else route.fallback()
        ),
    )
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", NEAREST)
    search_for(page, "#provider-q", "daktar", "provider-results", NEAREST, q="daktar")
    block = page.locator("#provider-urgent .emergency")
    expect(block.locator("> h3")).to_have_text("জরুরি প্রয়োজনে")
    expect(block.locator(".emergency-entry a[href='tel:999']")).to_contain_text("৯৯৯")
    expect(block.locator(".emergency-entry a[href='tel:16263']")).to_contain_text("১৬২৬৩")
    ambulance_list = block.locator("details.ambulances")
    expect(ambulance_list.locator("summary")).to_have_text(
        f"এখনই কল করা যায়, কাছের অ্যাম্বুলেন্স ({lakh(len(ambulances))})"
    )
    # Doctors can help now, so the ambulances are folded under their count; a tap opens them.
    assert real["results"], "doctors open by day in the demo"
    expect(ambulance_list).not_to_have_attribute("open", "")
    phone.screenshot("medical-emergency-folded", top="#provider-status")
    ambulance_list.locator("summary").click()
    cards = block.locator(".card")
    expect(cards).to_have_count(len(ambulances))
    expect(cards.locator("a.call")).to_have_count(len(ambulances))
    assert texts(page, "#provider-urgent .card .name") == [r["name"]["bn"] for r in ambulances]
    # It comes before the list.
    urgent, results = block.bounding_box(), page.locator("#provider-results").bounding_box()
    assert urgent and results and urgent["y"] < results["y"]
    assert phone_problems(page) == []
    phone.screenshot("medical-emergency-block", top="#provider-status")

    # At night nobody asked for can help now: the ambulances come open, first.
    night = real | {"results": [], "total": 0, "emergency": emergency}
    page.route(
        NEAREST_ROUTE,
        lambda route: route.fulfill(json=night) if "q=rogi" in route.request.url else route.fallback(),
    )
    search_for(page, "#provider-q", "rogi", "provider-results", NEAREST, q="rogi")
    expect(page.locator("#provider-urgent details.ambulances")).to_have_attribute("open", "")
    expect(page.locator("#provider-urgent .card a.call")).to_have_count(len(ambulances))
    phone.screenshot("medical-emergency-nothing-open", top="#provider-status")

    # Without an emergency block in the answer, nothing is added.
    search_for(page, "#provider-q", "kosai", "provider-results", NEAREST, q="kosai")
    expect(page.locator("#provider-urgent > *")).to_have_count(0)


def test_a_product_seller_without_a_number_is_shown_as_such(phone: PhonePage, demo_stack: DemoStack) -> None:
    page = phone.page
    real = httpx.get(f"{demo_stack.url}/v1/products/search", params={"q": "দই", "limit": 2}).json()
    first = real["results"][0]
    quiet = first | {"id": "trust-quiet", "seller": first["seller"] | {"phone": None, "whatsapp": None}}
    body = real | {"results": [quiet], "total": 1, "next_cursor": None}
    page.route(re.compile(r"/v1/products/search\?"), lambda route: route.fulfill(json=body))
    settle(page, lambda: phone.open("#products"), "product-results", "/v1/products/search")
    card = page.locator("#product-results .card").first
    expect(card.locator("a.call, a.whatsapp")).to_have_count(0)
    expect(card.locator(".reach.none")).to_have_text("বিক্রেতা ফোন নম্বর দেননি — দোকানের পাতায় ঠিকানা দেখুন")
    expect(card.locator("a.shop-link")).to_be_visible()
