"""The reference web client in a real browser, against the real stack with the demo data.

Each test opens the page on a 360×740 phone screen, acts as a person would (types, taps, toggles) and
reads what is rendered: Bangla labels, Bangla digits, order by distance. Screenshots are kept under
tests/artifacts/screens/ for a person to look at. Nothing here asserts on timings.
"""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import Request, Route, expect

from e2e.conftest import WEB_DIST, DemoStack, PhonePage
from e2e.web_page import (
    AT_TOWN,
    is_request,
    lakh,
    map_points,
    metres,
    number,
    phone_problems,
    search_for,
    settle,
    show_map,
    texts,
)

pytestmark = pytest.mark.integration


def test_kosai_lists_butchers_nearest_first(phone: PhonePage, demo_stack: DemoStack) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    # The chips are the API's categories, in its order: "all" and every provider category it lists.
    listed = httpx.get(f"{demo_stack.url}/v1/categories").json()["provider_categories"]
    expect(page.locator("#chips .chip")).to_have_count(1 + len(listed))
    chips = [c.get_attribute("data-slug") for c in page.locator("#chips .chip").all()]
    assert chips == ["", *(c["slug"] for c in listed)]
    expect(page.locator("#chips")).to_contain_text("🔪 কসাই")

    page.locator("#provider-q").press_sequentially("kosai", delay=40)
    body = settle(
        page,
        lambda: page.locator("#provider-q").press("Enter"),
        "provider-results",
        "/v1/providers/nearest",
        q="kosai",
    )
    cards = page.locator("#provider-results .card")
    assert body["results"], "the demo has butchers near the town"
    expect(cards).to_have_count(len(body["results"]))
    categories = texts(page, "#provider-results .category")
    assert all(c.endswith("কসাই") for c in categories), categories
    distances = [metres(d) for d in texts(page, "#provider-results .distance")]
    assert distances == sorted(distances), distances
    assert all(re.fullmatch(r"[০-৯.]+ (কিমি|মিটার)", d) for d in texts(page, "#provider-results .distance"))
    assert texts(page, "#provider-results .name") == [r["name"]["bn"] for r in body["results"]]
    # A call button exactly where the provider made a phone number public.
    calls = [card.locator("a.call").count() for card in cards.all()]
    assert calls == [1 if r["phone"] else 0 for r in body["results"]]
    for link in page.locator("#provider-results a.call").all():
        assert re.fullmatch(r"tel:\+8801[3-9]\d{8}", link.get_attribute("href") or "")
    assert set(texts(page, "#provider-results .open .is-open")) == {"এখন খোলা"}  # only those open now
    expect(page.locator("#provider-results .open .is-open")).to_have_count(len(body["results"]))
    phone.screenshot("providers-kosai", top="#provider-status")
    # The map after the list: 13 upazila centres with names, every result, the user's position.
    show_map(page, "providers")
    expect(page.locator("#provider-map .upazila-label")).to_have_count(13)
    expect(page.locator("#provider-map .you-dot")).to_have_count(1)
    assert map_points(page, "providers") == len(body["results"]) + len(body.get("closed_nearby", []))

    # "Available now only" is on by default; turning it off can only widen the list.
    expect(page.locator("#available")).to_be_checked()
    wider = settle(
        page,
        lambda: page.locator("#available").uncheck(),
        "provider-results",
        "/v1/providers/nearest",
        q="kosai",
        available_now="false",
    )
    assert wider["total"] >= body["total"]
    wider_distances = [metres(d) for d in texts(page, "#provider-results .distance")]
    assert wider_distances == sorted(wider_distances)


def test_a_blood_group_shows_only_its_donors(phone: PhonePage) -> None:
    page = phone.page
    phone.open(f"{AT_TOWN}#blood")
    expect(page.locator("#panel-blood")).to_be_visible()
    expect(page.locator("#blood-groups input")).to_have_count(8)

    for group in ("B+", "A+"):
        body = settle(
            page,
            lambda group=group: page.get_by_role("radio", name=group, exact=True).check(),
            "blood-results",
            "/v1/providers/nearest",
            category="blood_donor",
            blood_group=group,
            radius_km=50,
        )
        assert body["results"], f"the demo has {group} donors within 50 km of the town"
        badges = texts(page, "#blood-results .blood-group")
        assert badges == [group] * len(body["results"]), badges
        distances = [metres(d) for d in texts(page, "#blood-results .distance")]
        assert distances == sorted(distances)
        assert all(c.endswith("রক্তদাতা") for c in texts(page, "#blood-results .category"))
        expect(page.locator("#panel-blood .map-box")).to_be_visible()
    phone.screenshot("blood-a-positive", top="#blood-status")


def test_products_suggest_facet_and_load_more(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(f"{AT_TOWN}#products"), "product-results", "/v1/products/search")
    box = page.locator("#product-q")

    # Suggestions from the first character.
    with page.expect_response(is_request("/v1/suggest", q="g")):
        box.press_sequentially("g")
    options = page.locator("#suggest-list [role=option]")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    with page.expect_response(is_request("/v1/suggest", q="goru")) as answer:
        box.press_sequentially("oru", delay=40)
    suggestions = answer.value.json()["suggestions"]
    expect(options).to_have_count(len(suggestions))
    expect(options.first).to_contain_text("গরু")
    phone.screenshot("products-suggest")

    first = settle(page, lambda: box.press("Enter"), "product-results", "/v1/products/search", q="goru")
    expect(page.locator("#suggest-list")).to_be_hidden()
    # Facets with counts, as the API counted them, in Bangla digits.
    facets = page.locator("#facets .facet")
    expect(facets).to_have_count(len(first["facets"]["category"]))
    livestock = page.locator('#facets .facet[data-slug="livestock"]')
    expect(livestock).to_contain_text("গবাদি পশু")
    count = next(f["count"] for f in first["facets"]["category"] if f["slug"] == "livestock")
    assert number(livestock.locator(".count").inner_text()) == count
    # Prices as "৳১,২৫,০০০": Bangla digits, lakh grouping.
    prices = texts(page, "#product-results .price")
    assert prices == ["৳" + lakh(round(r["price_bdt"])) for r in first["results"]]

    # "Load more" appends the next page: more items, none twice, the first page kept in place.
    cards = page.locator("#product-results .card")
    shown = [c.get_attribute("data-id") for c in cards.all()]
    assert first["next_cursor"] and len(shown) == len(first["results"])
    more = settle(
        page,
        lambda: page.locator("#load-more").click(),
        "product-results",
        "/v1/products/search",
        cursor=first["next_cursor"],
    )
    after = [c.get_attribute("data-id") for c in cards.all()]
    assert len(after) > len(shown)
    assert len(after) == len(set(after)), "no product twice"
    assert after[: len(shown)] == shown
    assert after[len(shown) :] == [r["id"] for r in more["results"] if r["id"] not in shown]
    expect(page.locator("#load-more")).to_be_visible(visible=bool(more["next_cursor"]))
    phone.screenshot("products-goru", top="#facets")

    # A minimum price typed in Bangla digits, and sorting by price.
    page.locator("#min-price").fill("১০০০০০")
    settle(
        page,
        lambda: page.locator("#min-price").press("Tab"),
        "product-results",
        "/v1/products/search",
        min_price=100000,
    )
    settle(
        page,
        lambda: page.locator("#sort").select_option("price_asc"),
        "product-results",
        "/v1/products/search",
        sort="price_asc",
        min_price=100000,
    )
    sorted_prices = [number(p) for p in texts(page, "#product-results .price")]
    assert sorted_prices and sorted_prices == sorted(sorted_prices)
    assert min(sorted_prices) >= 100000

    # A Bangla query: the server's <mark> highlights survive, and only they.
    page.locator("#min-price").fill("")
    search_for(page, "#product-q", "গরু", "product-results", "/v1/products/search", q="গরু")
    marks = texts(page, "#product-results .title mark")
    assert marks and set(marks) == {"গরু"}, marks


def test_the_english_toggle_switches_labels_and_is_remembered(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    expect(page.locator("#tab-providers")).to_have_text(re.compile("সেবাদাতা"))
    expect(page.locator("html")).to_have_attribute("lang", "bn")

    with page.expect_response(re.compile(r"/app/english-[0-9a-f]+\.js$")):  # the English words, on request
        page.locator("#lang").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#tab-providers")).to_have_text(re.compile("Providers"))
    expect(page.locator("#tab-products")).to_have_text(re.compile("Products"))
    expect(page.locator("label[for=provider-q]")).to_have_text("What or whom are you looking for?")
    expect(page.locator("#chips")).to_contain_text("Butcher")
    distances = texts(page, "#provider-results .distance")
    assert distances and all(re.fullmatch(r"[0-9.]+ (km|m)", d) for d in distances), distances
    expect(page.locator("#lang")).to_have_text("বাংলা")
    phone.screenshot("providers-english")

    settle(page, page.reload, "provider-results", "/v1/providers/nearest")
    expect(page.locator("#tab-blood")).to_have_text(re.compile("Blood donors"))

    page.locator("#lang").click()
    expect(page.locator("#tab-blood")).to_have_text(re.compile("রক্তদাতা"))
    expect(page.locator("html")).to_have_attribute("lang", "bn")


def test_fits_a_phone_with_labelled_controls_and_big_tap_targets(phone: PhonePage) -> None:
    """Every tappable thing at least 44 px and named, its text at least 14 px, on every tab."""
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    for tab in ("providers", "blood", "products"):
        page.locator(f"#tab-{tab}").click()
        if tab == "blood":
            settle(
                page,
                lambda: page.get_by_role("radio", name="O+", exact=True).check(),
                "blood-results",
                "/v1/providers/nearest",
            )
        if tab == "products":
            page.wait_for_function("() => document.querySelectorAll('#product-results .card').length > 0")
        problems = phone_problems(page)
        assert problems == [], f"{tab}: {problems}"
    # The emergency numbers' panel and a list of suggestions, open.
    page.locator("#sos summary").click()
    assert phone_problems(page) == [], "emergency numbers"
    page.locator("#sos summary").click()
    page.locator("#tab-providers").click()
    with page.expect_response(is_request("/v1/suggest", q="daktar")):
        page.locator("#provider-q").press_sequentially("daktar")
    expect(page.locator("#provider-suggest [role=option]").first).to_be_visible()
    assert phone_problems(page) == [], "suggestions"


def test_location_from_the_phone_at_once_or_the_upazila_picker(
    phone: PhonePage, demo_stack: DemoStack
) -> None:
    """Permission already granted: the phone's position is used without a tap, and the page says how
    precise it is; an upazila chosen from the list wins for the session; 📍 takes the phone's again."""
    page = phone.page
    phone.context.grant_permissions(["geolocation"], origin=demo_stack.url)
    phone.context.set_geolocation({"latitude": 24.2151, "longitude": 90.9502, "accuracy": 35})  # Bajitpur
    settle(page, lambda: phone.open(), "provider-results", "/v1/providers/nearest", lat=24.2151, lon=90.9502)
    chosen = page.locator("#upazila option:checked")
    expect(chosen).to_have_text("📍 আমার বর্তমান অবস্থান")
    expect(page.locator("#loc-status")).to_contain_text("ফোনের অবস্থান থেকে খোঁজা হলো (প্রায় ৪০ মিটার পর্যন্ত নির্ভুল)।")
    expect(page.locator("#upazila option")).to_have_count(1 + 13)
    assert len(phone.api_requests("/v1/providers/nearest")) == 1, "the first search is already the phone's"

    settle(
        page,
        lambda: page.locator("#upazila").select_option("bhairab"),
        "provider-results",
        "/v1/providers/nearest",
        lat=24.052,
        lon=90.978,
    )
    expect(chosen).to_have_text("ভৈরব")
    settle(page, page.reload, "provider-results", "/v1/providers/nearest", lat=24.052, lon=90.978)
    expect(chosen).to_have_text("ভৈরব")

    settle(
        page,
        lambda: page.locator("#locate").click(),
        "provider-results",
        "/v1/providers/nearest",
        lat=24.2151,
        lon=90.9502,
    )
    expect(chosen).to_have_text("📍 আমার বর্তমান অবস্থান")
    expect(page.locator("#loc-status")).to_contain_text("এই সেশনের জন্য মনে রাখা হলো")
    expect(page.locator('#sort option[value="distance"]')).to_be_enabled()


def test_on_a_slow_network_typing_asks_suggestions_and_drops_the_stale_one(phone: PhonePage) -> None:
    """Slow 3G-like latency: typing never runs a search; the suggestion still on its way when more is
    typed is cancelled; Enter runs one search, with a loading state."""
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    cdp = phone.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 20_000},
    )
    failed: list[Request] = []
    page.on("requestfailed", lambda r: failed.append(r))
    box = page.locator("#provider-q")
    with page.expect_request(is_request("/v1/suggest", q="k")):
        box.press_sequentially("k")  # then a pause: a suggestion is asked
    with page.expect_response(is_request("/v1/suggest", q="kosai")):
        box.press_sequentially("osai")
    stale = [r for r in failed if is_request("/v1/suggest", q="k")(r)]
    assert [r.failure for r in stale] == ["net::ERR_ABORTED"], [(r.url, r.failure) for r in failed]
    expect(page.locator("#provider-suggest [role=option]").first).to_contain_text("কসাই")
    assert len(phone.api_requests("/v1/providers/nearest")) == 1, "typing ran no search"

    with page.expect_request(is_request("/v1/providers/nearest", q="kosai")):
        box.press("Enter")
    expect(page.locator("#provider-status .loading")).to_be_visible()
    expect(page.locator("#provider-results")).to_have_attribute("aria-busy", "true")
    page.wait_for_function("() => !document.getElementById('provider-results').hasAttribute('aria-busy')")
    categories = texts(page, "#provider-results .category")
    assert categories and all(c.endswith("কসাই") for c in categories)
    assert len(phone.api_requests("/v1/providers/nearest")) == 2


def test_network_and_api_errors_offer_a_retry(phone: PhonePage) -> None:
    page = phone.page
    failures = ["network", "unavailable"]  # what the next answers do; then the real API answers
    message = "Search is temporarily unavailable; please retry shortly."

    def flaky(route: Route) -> None:
        failure = failures.pop(0) if failures else None
        if failure == "network":
            route.abort("internetdisconnected")
        elif failure == "unavailable":
            route.fulfill(status=503, json={"error": "search_unavailable", "message": message})
        else:
            route.fallback()

    page.route(re.compile(r"/v1/providers/nearest\?"), flaky)
    phone.open(AT_TOWN)
    alert = page.locator("#provider-status [role=alert]")
    expect(alert).to_contain_text("নেটওয়ার্কে সমস্যা")
    retry = alert.get_by_role("button", name="আবার চেষ্টা করুন")
    retry.click()
    expect(alert).to_contain_text("এই মুহূর্তে খোঁজা গেল না")
    expect(alert).to_contain_text(message)  # the API's own words, for whoever reports it
    phone.screenshot("providers-error")

    settle(page, retry.click, "provider-results", "/v1/providers/nearest")
    expect(alert).to_have_count(0)
    expect(page.locator("#provider-results .card").first).to_be_visible()
    phone.forgive_failed_loads()


def test_api_text_never_becomes_markup(phone: PhonePage, demo_stack: DemoStack) -> None:
    """Titles and snippets are text; of the server's highlight markup only <mark> is kept."""
    page = phone.page
    hostile = '<img src=x onerror="window.pwned=true">গরু'
    real = httpx.get(f"{demo_stack.url}/v1/products/search", params={"q": "গরু", "limit": 1}).json()
    product = real["results"][0] | {
        "title": {"bn": hostile, "en": hostile},
        "description": {"bn": "<b>বিবরণ</b>", "en": None},
        "highlight": {
            "title": "&lt;img src=x onerror=&quot;window.pwned=true&quot;&gt;<mark>গরু</mark>",
            "description": "&lt;b&gt;বিবরণ&lt;&#x2F;b&gt;",
        },
    }
    body = real | {"total": 1, "results": [product], "next_cursor": None}
    page.route(re.compile(r"/v1/products/search\?"), lambda route: route.fulfill(json=body))

    settle(page, lambda: phone.open("#products"), "product-results", "/v1/products/search")
    title = page.locator("#product-results .title")
    expect(title).to_have_text(hostile)
    expect(title.locator("mark")).to_have_text("গরু")
    expect(page.locator("#product-results .desc")).to_have_text("<b>বিবরণ</b>")
    expect(page.locator("#product-results img, #product-results b")).to_have_count(0)
    assert page.evaluate("window.pwned") is None


def test_app_serves_the_built_client_and_nothing_else(demo_stack: DemoStack) -> None:
    """What the real search-service answers under /app/: the page and the build's files, each with its
    cache rule (hashed names kept for a year, the service worker and the page asked again, the page
    with an ETag); the sources, build scripts and package files beside them are never served."""
    manifest = json.loads((WEB_DIST / "manifest.json").read_text(encoding="utf-8"))
    with httpx.Client(base_url=demo_stack.url) as http:
        page = http.get("/app/")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
        assert "default-src 'self'" in page.headers["content-security-policy"]
        again = http.get("/app/", headers={"If-None-Match": page.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert manifest["fixed"] == ["sw.js"]
        for name in manifest["files"]:
            answer = http.get(f"/app/{name}")
            assert answer.status_code == 200, name
            expected = "no-cache" if name in manifest["fixed"] else "immutable"
            assert expected in answer.headers["cache-control"], name
        assert http.get("/app/sw.js").headers["content-type"].startswith("text/javascript")
        for path in (
            "/app/build_upazilas.py", "/app/build.mjs", "/app/serve.py", "/app/__init__.py", "/app/package.json",
            "/app/package-lock.json", "/app/manifest.json", "/app/src/app.js", "/app/src/emergency.json",
            "/app/node_modules/leaflet/package.json", "/app/dist/index.html", "/app/%2e%2e/serve.py",
        ):  # fmt: skip
            assert http.get(path).status_code == 404, path
