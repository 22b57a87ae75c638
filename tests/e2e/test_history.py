"""The address is the state: a storefront opens inside the page, Back and Forward return to exactly the
list, filter and scroll position that were on screen, tabs are history entries, and a shared link opens
the same view."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import PhonePage
from e2e.web_page import AT_TOWN, is_request, number, settle

pytestmark = pytest.mark.integration

PRODUCTS = "/v1/products/search"
NEAREST = "/v1/providers/nearest"


def scrolled_to(page: Page, y: int) -> None:
    page.wait_for_function(f"() => Math.abs(window.scrollY - {y}) <= 2")


def test_back_and_forward_across_a_storefront_and_a_filter_change(phone: PhonePage) -> None:
    page = phone.page
    first = settle(page, lambda: phone.open(f"{AT_TOWN}#products"), "product-results", PRODUCTS)
    settle(
        page,
        lambda: page.locator("#load-more").click(),
        "product-results",
        PRODUCTS,
        cursor=first["next_cursor"],
    )
    cards = page.locator("#product-results .card")
    count = cards.count()
    assert count > len(first["results"]), "two pages on screen"

    # Far down the list, open a seller's storefront from its card.
    card = cards.nth(count - 4)
    card.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(400)  # the position is written into the history entry as it settles
    y = page.evaluate("Math.round(window.scrollY)")
    assert y > 740
    link = card.locator("a.shop-link")
    slug = unquote(urlsplit(link.get_attribute("href") or "").path).rsplit("/", 1)[-1]
    page.evaluate("window.__samePage = true")
    with page.expect_response(is_request(f"/v1/sellers/{slug}")):
        link.click()
    page.wait_for_function("() => !document.getElementById('storefront-results').hasAttribute('aria-busy')")
    expect(page.locator("#storefront")).to_be_visible()
    assert unquote(urlsplit(page.url).path) == f"/app/s/{slug}"
    assert page.evaluate("window.__samePage") is True, "opened inside the page, not a new page load"
    assert not [u for u in phone.requests if urlsplit(u).path.startswith("/app/s/")]
    phone.screenshot("history-storefront")

    # Back: the same two pages of products, scrolled where they were, without asking the network.
    asked = len(phone.api_requests(PRODUCTS))
    page.go_back()
    expect(page.locator("#panel-products")).to_be_visible()
    expect(page.locator("#storefront")).to_be_hidden()
    expect(cards).to_have_count(count)
    scrolled_to(page, y)
    assert len(phone.api_requests(PRODUCTS)) == asked
    assert urlsplit(page.url).fragment == "products"
    phone.screenshot("history-back-to-the-list")

    # Forward: the storefront again; Back once more.
    page.go_forward()
    expect(page.locator("#storefront")).to_be_visible()
    page.go_back()
    expect(cards).to_have_count(count)
    scrolled_to(page, y)

    # A filter change is an entry of its own; the list's entry keeps where it was left (at the facets).
    facet = page.locator("#facets .facet").nth(1)
    category = facet.get_attribute("data-slug")
    facet.scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    y = page.evaluate("Math.round(window.scrollY)")
    filtered = settle(page, facet.click, "product-results", PRODUCTS, category=category)
    assert f"pcat={category}" in page.url
    expect(cards).to_have_count(len(filtered["results"]))
    page.evaluate("window.scrollTo(0, 300)")
    page.wait_for_timeout(400)
    filtered_y = page.evaluate("Math.round(window.scrollY)")

    page.go_back()
    expect(cards).to_have_count(count)  # the unfiltered list, both pages
    expect(page.locator('#facets .chip[data-slug=""]')).to_have_attribute("aria-pressed", "true")
    scrolled_to(page, y)
    page.go_forward()
    expect(page.locator(f'#facets .facet[data-slug="{category}"]')).to_have_attribute("aria-pressed", "true")
    expect(cards).to_have_count(len(filtered["results"]))
    scrolled_to(page, filtered_y)
    assert len(phone.api_requests(PRODUCTS)) == asked + 1, "only the filter itself was asked"
    phone.screenshot("history-forward-filter")

    # Switching tabs is an entry too: Back returns to the products tab, not out of the site.
    page.locator("#tab-providers").click()
    expect(page.locator("#panel-providers")).to_be_visible()
    page.go_back()
    expect(page.locator("#panel-products")).to_be_visible()
    assert page.evaluate("window.__samePage") is True


def test_a_shared_link_opens_the_same_view(phone: PhonePage) -> None:
    page = phone.page
    body = settle(
        page,
        lambda: phone.open(f"{AT_TOWN}&pq=মধু&sort=price_asc#products"),
        "product-results",
        PRODUCTS,
        q="মধু",
        sort="price_asc",
    )
    expect(page.locator("#product-q")).to_have_value("মধু")
    expect(page.locator("#sort")).to_have_value("price_asc")
    prices = [number(p) for p in page.locator("#product-results .price").all_inner_texts()]
    assert body["results"] and prices == sorted(prices)

    settle(
        page,
        lambda: phone.open(f"{AT_TOWN}&q=kosai&avail=0"),
        "provider-results",
        NEAREST,
        q="kosai",
        available_now="false",
    )
    expect(page.locator("#provider-q")).to_have_value("kosai")
    expect(page.locator("#available")).not_to_be_checked()
    # The page's own first search asked it (no second search once the app arrived).
    assert len([u for u in phone.api_requests(NEAREST) if "q=kosai" in u]) == 1

    settle(
        page, lambda: phone.open(f"{AT_TOWN}&group=O%2B#blood"), "blood-results", NEAREST, blood_group="O+"
    )
    expect(page.get_by_role("radio", name="O+", exact=True)).to_be_checked()
