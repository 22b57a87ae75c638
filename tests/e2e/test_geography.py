"""Places smaller than an upazila, and the district as configuration: a search that names a union, a
paurashava or a market says where it looked in the words people use, cards say which union a listing
lies in, and a search-service serving another district (DISTRICT=netrokona) serves that district's page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import expect

from e2e.conftest import ARTIFACTS, DemoStack, PhonePage
from e2e.web_page import AT_TOWN, NEAR_TOWN, query_of, search_for, settle
from harness.service_process import ServiceProcess, free_port, service_env
from portal.settings import PortalSettings

pytestmark = pytest.mark.integration

NEAREST = re.compile(r"/v1/providers/nearest\?")
PRODUCTS = re.compile(r"/v1/products/search\?")
MASUA = {"slug": "masua", "bn": "মসূয়া", "en": "Masua"}
BHAIRAB_TOWN = {"slug": "bhairab-paurashava", "bn": "ভৈরব পৌরসভা", "en": "Bhairab Paurashava"}


@pytest.mark.parametrize(
    ("words", "bangla", "english"),
    [
        ("মসূয়া ইউনিয়নের ইলেকট্রিশিয়ান", "মসূয়া ইউনিয়নে খোঁজা হলো।", "Searched in Masua union."),
        ("masua unioner electrician", "মসূয়া ইউনিয়নে খোঁজা হলো।", "Searched in Masua union."),
        ("ভৈরব পৌরসভায় কসাই", "ভৈরব পৌরসভায় খোঁজা হলো।", "Searched in Bhairab Paurashava."),
        ("কুলিয়ারচর বাজারের ডাক্তার", "কুলিয়ারচর বাজারের কাছে খোঁজা হলো।", "Searched near Kuliarchar Bazar."),
        ("কটিয়াদীর কাঠ মিস্ত্রি", "“কটিয়াদী” এলাকায় খোঁজা হলো।", "Searched around “Katiadi”."),
    ],
)
def test_a_place_named_in_the_query_is_said_in_its_own_words(
    phone: PhonePage, words: str, bangla: str, english: str
) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    answer = search_for(page, "#provider-q", words, "provider-results", "/v1/providers/nearest")
    assert answer["query"]["place"], answer["query"]
    note = page.locator("#provider-note .searched-in")
    expect(note).to_have_text(bangla)
    page.locator("#lang").click()
    expect(note).to_have_text(english)


def test_cards_say_the_union_a_listing_lies_in(phone: PhonePage, demo_stack: DemoStack) -> None:
    """An answer whose results carry `union` (the union or paurashava of the listing): the card says it
    beside the upazila — "কটিয়াদী · মসূয়া ইউনিয়ন" — and a paurashava by its own name."""
    page = phone.page
    real = httpx.get(f"{demo_stack.url}/v1/providers/nearest", params={**NEAR_TOWN, "limit": 20}).json()
    first, second, *rest = real["results"]
    # A private person's card (no address to visit) says the upazila; a shop's says its address.
    private = first | {"reach": ["call"], "upazila": {"slug": "katiadi", "bn": "কটিয়াদী", "en": "Katiadi"}}
    shop = second | {"address": {"bn": "স্টেশন রোড", "en": "Station Road"}}
    unknown = [r | {"union": None} for r in rest]  # a point between the polygons
    answer = real | {"results": [private | {"union": MASUA}, shop | {"union": BHAIRAB_TOWN}, *unknown]}
    page.route(NEAREST, lambda route: route.fulfill(json=answer))
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    cards = page.locator("#provider-results .card")
    expect(cards.nth(0).locator(".address")).to_have_text("কটিয়াদী · মসূয়া ইউনিয়ন")
    expect(cards.nth(1).locator(".address, .visit").first).to_contain_text("স্টেশন রোড · ভৈরব পৌরসভা")
    assert cards.nth(2).locator(".union").count() == 0, "a result without a union shows none"
    page.locator("#lang").click()
    expect(cards.nth(0).locator(".address")).to_have_text("Katiadi · Masua union")

    products = httpx.get(f"{demo_stack.url}/v1/products/search", params={"q": "দই", "limit": 5}).json()
    goods = [products["results"][0] | {"union": MASUA}, *products["results"][1:]]
    page.route(PRODUCTS, lambda route: route.fulfill(json=products | {"results": goods}))
    page.locator("#lang").click()
    settle(page, lambda: page.locator("#tab-products").click(), "product-results", "/v1/products/search")
    meta = page.locator("#product-results .card").first.locator(".meta")
    expect(meta).to_contain_text("মসূয়া ইউনিয়ন")


@pytest.fixture(scope="module")
def netrokona_search(demo_stack: DemoStack) -> Iterator[str]:
    """A search-service process serving Netrokona (DISTRICT is read once per process, so a process of
    its own) over the session's demo indices: Kishoreganj's demo, so its searches find nobody."""
    settings: PortalSettings = demo_stack.settings
    process = ServiceProcess(
        name="search-netrokona",
        module="search.main",
        env=service_env(settings, DISTRICT="netrokona", RATE_LIMIT_PER_MINUTE="0", LOG_LEVEL="WARNING"),
        port=free_port(),
        log_path=ARTIFACTS / f"{settings.index_prefix}e2e-search-netrokona.log",
    ).start()
    try:
        yield process.url
    finally:
        process.stop()


def test_a_search_service_serving_netrokona_serves_netrokona_s_page(
    make_phone: Callable[..., PhonePage], netrokona_search: str
) -> None:
    """Its title and heading, its sadar where the first search starts, its hospitals only, and the
    server's word that Kishoreganj town is outside it."""
    phone = make_phone(netrokona_search)
    page = phone.page
    with page.expect_response(lambda r: "/v1/providers/nearest" in r.url) as first:
        phone.open()
    assert {k: query_of(first.value.url)[k] for k in ("lat", "lon")} == {"lat": "24.88385", "lon": "90.73384"}
    expect(page).to_have_title("হাতের মুঠোয় নেত্রকোণা")
    expect(page.locator("h1")).to_have_text("হাতের মুঠোয় নেত্রকোণা")
    expect(page.locator("#upazila option:checked")).to_have_text("নেত্রকোণা সদর")
    html = page.content()
    assert "কিশোরগঞ্জ" not in html and "kishoreganj" not in html.lower(), "nothing of Kishoreganj"
    phone.screenshot("netrokona-page")

    phone.context.grant_permissions(["geolocation"], origin=netrokona_search)
    phone.context.set_geolocation({"latitude": NEAR_TOWN["lat"], "longitude": NEAR_TOWN["lon"]})
    page.locator("#locate").click()
    expect(page.locator("#loc-status")).to_contain_text("আপনার অবস্থান নেত্রকোণা জেলার বাইরে")
    expect(page.locator("#loc-status")).to_contain_text("এই সেবা নেত্রকোণা জেলার জন্য")

    page.locator("#lang").click()
    expect(page).to_have_title("Netrokona in the palm of your hand")
    expect(page.locator("#upazila option:checked")).to_have_text("Netrokona Sadar")
