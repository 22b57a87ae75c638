"""Storefronts and the cattle market in a real browser, against the real stack with the demo data.

A buyer finds a product, sees who sells it (call and WhatsApp where the seller made the number public),
opens the seller's storefront from the card, searches inside it, and shares its address; at the
cattle market they choose goats by breed, weight and price. Screenshots go to tests/artifacts/screens/.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from e2e.conftest import DemoStack, PhonePage
from e2e.web_page import AT_TOWN, is_request, number, phone_problems, search_for, settle, texts

pytestmark = pytest.mark.integration


def fits_a_phone(phone: PhonePage) -> None:
    assert phone_problems(phone.page) == []


def test_a_product_card_opens_its_sellers_storefront(phone: PhonePage, demo_stack: DemoStack) -> None:
    page = phone.page
    settle(page, lambda: phone.open(f"{AT_TOWN}#products"), "product-results", "/v1/products/search")
    body = search_for(page, "#product-q", "দই", "product-results", "/v1/products/search", q="দই")
    cards = page.locator("#product-results .card")
    expect(cards).to_have_count(len(body["results"]))
    # Every card names its seller; call and WhatsApp only where the seller made the number public.
    for card, result in zip(cards.all(), body["results"], strict=True):
        seller = result["seller"]
        assert seller, f"every demo product has a seller: {result['id']}"
        expect(card.locator(".seller .seller-name")).to_have_text(seller["name"]["bn"])
        expect(card.locator("a.call")).to_have_count(1 if seller["phone"] else 0)
        expect(card.locator("a.whatsapp")).to_have_count(1 if seller["whatsapp"] else 0)
    fits_a_phone(phone)
    phone.screenshot("products-with-sellers", top="#product-status")

    first = body["results"][0]
    link = cards.first.locator("a.shop-link")
    expect(link).to_have_attribute("href", f"/app/s/{first['seller']['slug']}")
    shop_path, seller_id = f"/v1/sellers/{first['seller']['slug']}", first["seller_id"]
    with (
        page.expect_response(is_request(shop_path)) as shop_answer,
        page.expect_response(is_request("/v1/products/search", seller=seller_id)) as answer,
    ):
        link.click()
    shop = shop_answer.value.json()
    products = answer.value.json()
    page.wait_for_function("() => !document.getElementById('storefront-results').hasAttribute('aria-busy')")
    assert unquote(urlsplit(page.url).path) == f"/app/s/{first['seller']['slug']}", "a shareable address"

    expect(page.locator("#storefront")).to_be_visible()
    expect(page.locator(".tabs")).to_be_hidden()
    expect(page.locator(".shop-name")).to_contain_text(shop["name"]["bn"])
    assert first["id"] in {r["id"] for r in products["results"]} or products["total"] > len(
        products["results"]
    )
    assert all(r["seller_id"] == shop["id"] for r in products["results"])
    expect(page.locator("#storefront-results .card")).to_have_count(len(products["results"]))
    expect(page.locator("#storefront-results .seller")).to_have_count(0)  # the page is the seller's own
    counts = {c["slug"]: c["count"] for c in shop["categories"] if c["count"]}
    for slug, count in counts.items():
        chip = page.locator(f'#storefront-categories .facet[data-slug="{slug}"]')
        assert number(chip.locator(".count").inner_text()) == count
    expect(page.locator("#storefront-head a.call")).to_have_count(1 if shop["phone"] else 0)
    fits_a_phone(phone)
    phone.screenshot("storefront", full_page=True)

    # Search inside the shop: only its products, with the words asked for.
    word = first["title"]["bn"].split()[0]
    inside = search_for(
        page, "#storefront-q", word, "storefront-results", "/v1/products/search", seller=shop["id"], q=word
    )
    assert inside["results"] and all(r["seller_id"] == shop["id"] for r in inside["results"])
    assert first["id"] in {r["id"] for r in inside["results"]}
    expect(page.locator("#storefront-results .card")).to_have_count(len(inside["results"]))

    # The address alone opens the same storefront (what a shared link does).
    with page.expect_response(is_request(f"/v1/sellers/{first['seller']['slug']}")):
        page.reload()
    expect(page.locator(".shop-name")).to_contain_text(shop["name"]["bn"])


def test_a_closed_or_unknown_storefront_says_so(phone: PhonePage) -> None:
    page = phone.page
    with page.expect_response(is_request("/v1/sellers/no-such-shop")) as answer:
        phone.open("s/no-such-shop")
    assert answer.value.status == 404
    expect(page.locator("#storefront-head [role=alert]")).to_contain_text("দোকানটি পাওয়া যায়নি")
    expect(page.locator("#storefront-back")).to_have_attribute("href", "/app/#products")
    phone.forgive_failed_loads()


def test_the_cattle_market_chooses_by_animal_breed_weight_and_price(
    phone: PhonePage, demo_stack: DemoStack
) -> None:
    page = phone.page
    settle(page, lambda: phone.open("#cattle"), "cattle-results", "/v1/products/search", category="livestock")
    expect(page.locator("#animals .chip")).to_have_count(1 + 5)
    settle(
        page,
        lambda: page.locator('#animals .chip[data-slug="goat"]').click(),
        "cattle-results",
        "/v1/products/search",
        animal="goat",
    )
    breeds = [o.get_attribute("value") for o in page.locator("#breed option").all()]
    assert "black_bengal" in breeds and "sahiwal" not in breeds, "a goat's breeds only"
    settle(
        page,
        lambda: page.locator("#breed").select_option("black_bengal"),
        "cattle-results",
        "/v1/products/search",
        breed="black_bengal",
    )
    page.locator("#min-weight").fill("১৫")  # Bangla digits, as a buyer types them
    settle(
        page,
        lambda: page.locator("#min-weight").press("Tab"),
        "cattle-results",
        "/v1/products/search",
        min_weight_kg=15,
    )
    page.locator("#cattle-max-price").fill("৩০০০০")
    settle(
        page,
        lambda: page.locator("#cattle-max-price").press("Tab"),
        "cattle-results",
        "/v1/products/search",
        max_price=30000,
    )
    body = settle(
        page,
        lambda: page.locator("#cattle-sort").select_option("price_per_kg_asc"),
        "cattle-results",
        "/v1/products/search",
        sort="price_per_kg_asc",
        animal="goat",
        breed="black_bengal",
    )
    assert body["results"], "the demo market has Black Bengal goats of 15 kg and more under ৳30,000"
    for result in body["results"]:
        facts = result["livestock"]
        assert facts["animal"]["slug"] == "goat" and facts["breed"]["slug"] == "black_bengal"
        assert facts["live_weight_kg"] >= 15 and result["price_bdt"] <= 30000
    per_kg = [r["livestock"]["price_per_kg"] for r in body["results"]]
    assert per_kg == sorted(per_kg)
    lines = texts(page, "#cattle-results .livestock")
    assert len(lines) == len(body["results"]) and all(
        "ব্ল্যাক বেঙ্গল" in line and "কেজি" in line for line in lines
    )
    fits_a_phone(phone)
    phone.screenshot("cattle-market", top="#animals")


def test_cattle_market_breeds_typed_in_banglish_are_understood(demo_stack: DemoStack) -> None:
    body = httpx.get(
        f"{demo_stack.url}/v1/products/search", params={"q": "shahiwal", "sort": "price_asc"}
    ).json()
    assert body["query"]["breed"]["slug"] == "sahiwal"
    assert body["results"] and all(
        r["livestock"]["breed"]["slug"] in ("sahiwal", "sahiwal_cross") for r in body["results"]
    )
