"""Where the citizen is: the phone's position when they ask for it (refused, outside the district, or
kept for the session), named by its upazila and union as the server's polygons place it, and the
upazila list in Bangla alphabetical order."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from e2e.conftest import DemoStack, PhonePage
from e2e.web_page import is_request, query_of, settle, texts

pytestmark = pytest.mark.integration

BAJITPUR = {"latitude": 24.2151, "longitude": 90.9502}
DHAKA = {"latitude": 23.8103, "longitude": 90.4125}
SADAR = {"lat": "24.433", "lon": "90.78"}
#: The middle of Masua union, in Katiadi.
MASUA = {"latitude": 24.26083, "longitude": 90.74985, "accuracy": 25}
#: South of Bhairab, in the next district: 9 km from Bhairab town (inside the 20 km circles of the
#: upazila towns the page knows), 7 km outside the district's polygon.
ACROSS_THE_BORDER = {"latitude": 23.97, "longitude": 90.96}
#: The 13 upazilas as a Bangla dictionary orders them (vowels, then ক খ …; an inherent vowel first).
BANGLA_ORDER = [
    "অষ্টগ্রাম", "ইটনা", "কটিয়াদী", "করিমগঞ্জ", "কিশোরগঞ্জ সদর", "কুলিয়ারচর", "তাড়াইল",
    "নিকলী", "পাকুন্দিয়া", "বাজিতপুর", "ভৈরব", "মিঠামইন", "হোসেনপুর",
]  # fmt: skip


def nearest_queries(phone: PhonePage) -> list[dict[str, str]]:
    return [query_of(u) for u in phone.api_requests("/v1/providers/nearest")]


def test_a_refused_location_permission_says_so_and_offers_the_list(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    phone = make_phone(demo_stack.url, permissions=[])
    page = phone.page
    settle(page, lambda: phone.open(), "provider-results", "/v1/providers/nearest")
    page.locator("#locate").click()
    status = page.locator("#loc-status")
    expect(status).to_have_text("অবস্থান জানার অনুমতি দেওয়া হয়নি। তালিকা থেকে আপনার উপজেলা বেছে নিন।")
    expect(page.locator("#upazila")).to_be_focused()
    expect(page.locator("#provider-results .card").first).to_be_visible()  # the list stays
    assert [{k: q[k] for k in ("lat", "lon")} for q in nearest_queries(phone)] == [SADAR]
    phone.screenshot("location-denied")


def test_a_position_outside_the_district_is_named_not_searched(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    phone = make_phone(demo_stack.url, permissions=["geolocation"], geolocation=DHAKA)
    page = phone.page
    settle(page, lambda: phone.open(), "provider-results", "/v1/providers/nearest")
    page.locator("#locate").click()
    status = page.locator("#loc-status")
    expect(status).to_contain_text("আপনার অবস্থান কিশোরগঞ্জ জেলার বাইরে")
    expect(status).to_contain_text("কিমি")
    expect(status).not_to_contain_text("কাউকে পাওয়া যায়নি")
    expect(page.locator("#upazila")).to_be_focused()
    expect(page.locator("#upazila option:checked")).to_have_text("কিশোরগঞ্জ সদর")
    assert all(q["lat"] == SADAR["lat"] for q in nearest_queries(phone)), "Dhaka is never searched"
    assert page.evaluate("sessionStorage.getItem('kg.gps')") is None
    phone.screenshot("location-outside-district")


def test_the_phone_position_is_used_at_once_until_forgotten(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """With permission given before, every visit starts at the phone's position, with no tap; "Forget"
    drops it for the session (the district town again, also after a reload)."""
    phone = make_phone(demo_stack.url, permissions=["geolocation"], geolocation=BAJITPUR)
    page = phone.page
    settle(page, lambda: phone.open(), "provider-results", "/v1/providers/nearest", lat=24.2151, lon=90.9502)
    expect(page.locator("#loc-status")).to_contain_text("ফোনের অবস্থান থেকে খোঁজা হলো")
    expect(page.locator("#upazila option:checked")).to_have_text("📍 আমার বর্তমান অবস্থান")
    phone.screenshot("location-gps-at-once")

    # A reload asks at the phone's position straight away (the page's first search), with no new tap.
    settle(page, page.reload, "provider-results", "/v1/providers/nearest", lat=24.2151, lon=90.9502)
    expect(page.locator("#upazila option:checked")).to_have_text("📍 আমার বর্তমান অবস্থান")
    assert [q["lat"] for q in nearest_queries(phone)] == ["24.2151", "24.2151"], "each visit's first search"

    # Another tab: the permission holds there too.
    other = phone.context.new_page()
    with other.expect_response(lambda r: "/v1/providers/nearest" in r.url) as answer:
        other.goto(f"{demo_stack.url}/app/")
    assert query_of(answer.value.url)["lat"] == "24.2151"
    other.close()

    # "Forget" drops it at once, and for the rest of the session.
    settle(
        page,
        lambda: page.locator("#forget-gps").click(),
        "provider-results",
        "/v1/providers/nearest",
        lat=24.433,
    )
    assert page.evaluate("sessionStorage.getItem('kg.gps')") is None
    settle(page, page.reload, "provider-results", "/v1/providers/nearest", lat=24.433)
    expect(page.locator("#loc-status")).to_have_text("অবস্থান ধরে নেওয়া হলো। আপনার উপজেলা বেছে নিন বা 📍 চাপুন।")


def test_a_position_outside_the_district_at_once_falls_back_and_says_why(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """Permission given, but the phone is in Dhaka: the district town is searched, and the page says so."""
    phone = make_phone(demo_stack.url, permissions=["geolocation"], geolocation=DHAKA)
    page = phone.page
    settle(page, lambda: phone.open(), "provider-results", "/v1/providers/nearest", **SADAR)
    expect(page.locator("#loc-status")).to_contain_text("ফোনের অবস্থান কিশোরগঞ্জ জেলার বাইরে")
    assert all(q["lat"] == SADAR["lat"] for q in nearest_queries(phone)), "Dhaka is never searched"


def test_the_upazila_list_is_in_bangla_alphabetical_order(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(), "provider-results", "/v1/providers/nearest")
    assert texts(page, "#upazila option")[1:] == BANGLA_ORDER
    page.locator("#lang").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the English words arrive on request
    english = texts(page, "#upazila option")[1:]
    assert english == sorted(english) and english[0] == "Austagram"
    assert json.dumps(english, ensure_ascii=False).count("Kishoreganj Sadar") == 1


def places_asked(phone: PhonePage) -> list[dict[str, str]]:
    return [query_of(u) for u in phone.api_requests("/v1/places/at")]


def test_the_phone_position_is_named_by_its_upazila_and_union(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """📍 tapped: the server names the position ("আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন") and the search
    moves there; a second tap at the same spot asks the server nothing."""
    phone = make_phone(demo_stack.url)
    page = phone.page
    settle(page, lambda: phone.open(), "provider-results", "/v1/providers/nearest", **SADAR)
    phone.context.grant_permissions(["geolocation"], origin=demo_stack.url)
    phone.context.set_geolocation(MASUA)
    settle(
        page,
        lambda: page.locator("#locate").click(),
        "provider-results",
        "/v1/providers/nearest",
        lat=24.26083,
    )
    status = page.locator("#loc-status")
    expect(status).to_contain_text("আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন।")
    expect(status).to_contain_text("এই সেশনের জন্য মনে রাখা হলো")
    assert places_asked(phone) == [{"lat": "24.26083", "lon": "90.74985"}]
    phone.screenshot("location-named")

    page.locator("#lang").click()
    expect(status).to_contain_text("You are in: Katiadi, Masua union.")
    page.locator("#lang").click()
    expect(status).to_contain_text("আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন।")

    # Another tap, another fix of the same spot (a reload even): the server is not asked again.
    settle(page, page.reload, "provider-results", "/v1/providers/nearest", lat=24.26083)
    settle(
        page,
        lambda: page.locator("#locate").click(),
        "provider-results",
        "/v1/providers/nearest",
        lat=24.26083,
    )
    expect(status).to_contain_text("আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন।")
    assert len(places_asked(phone)) == 1, "the same spot is not asked again"


def test_the_position_used_at_once_is_named_by_the_first_answer(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """Permission given before: the first search goes out from the phone's position without waiting
    for its name, and its answer (query.citizen_at) names it: no request of its own for the name."""
    phone = make_phone(demo_stack.url, permissions=["geolocation"], geolocation=MASUA)
    page = phone.page
    settle(
        page, lambda: phone.open(), "provider-results", "/v1/providers/nearest", lat=24.26083, lon=90.74985
    )
    status = page.locator("#loc-status")
    expect(status).to_contain_text("আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন।")
    expect(status).to_contain_text("ফোনের অবস্থান থেকে খোঁজা হলো")
    assert places_asked(phone) == []
    assert len(phone.api_requests("/v1/providers/nearest")) == 1


def test_outside_the_district_is_decided_by_its_polygon_not_by_circles(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """9 km from Bhairab town but in the next district: the circles the page knows would let it in; the
    server says it is outside, so 📍 does not move the search there."""
    phone = make_phone(demo_stack.url)
    page = phone.page
    settle(page, lambda: phone.open(), "provider-results", "/v1/providers/nearest", **SADAR)
    phone.context.grant_permissions(["geolocation"], origin=demo_stack.url)
    phone.context.set_geolocation(ACROSS_THE_BORDER)
    with page.expect_response(is_request("/v1/places/at", lat=23.97)):
        page.locator("#locate").click()
    status = page.locator("#loc-status")
    expect(status).to_contain_text("আপনার অবস্থান কিশোরগঞ্জ জেলার বাইরে")
    expect(page.locator("#upazila")).to_be_focused()
    assert all(q["lat"] == SADAR["lat"] for q in nearest_queries(phone)), "never searched from outside"
    assert page.evaluate("sessionStorage.getItem('kg.gps')") is None


def test_a_position_used_at_once_that_the_server_places_outside_is_left(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """Permission given before, across the border: the first search goes out from the phone's position
    (the circles let it in, and it must not wait), its answer says the position is outside the district,
    and the page searches from the sadar instead and says why; the answer from outside is never shown."""
    phone = make_phone(demo_stack.url, permissions=["geolocation"], geolocation=ACROSS_THE_BORDER)
    page = phone.page
    with page.expect_response(is_request("/v1/providers/nearest", **SADAR)):
        phone.open()
    page.wait_for_function("() => !document.getElementById('provider-results').hasAttribute('aria-busy')")
    expect(page.locator("#loc-status")).to_contain_text("ফোনের অবস্থান কিশোরগঞ্জ জেলার বাইরে")
    expect(page.locator("#upazila option:checked")).to_have_text("কিশোরগঞ্জ সদর")
    assert [q["lat"] for q in nearest_queries(phone)] == ["23.97", SADAR["lat"]]
    assert places_asked(phone) == []
    assert page.evaluate("sessionStorage.getItem('kg.gps')") is None
    expect(page.locator("#provider-results .card").first).to_be_visible()

    # A reload knows the spot: the first search is the sadar's at once.
    settle(page, page.reload, "provider-results", "/v1/providers/nearest", **SADAR)
    assert [q["lat"] for q in nearest_queries(phone)] == ["23.97", SADAR["lat"], SADAR["lat"]]
    expect(page.locator("#loc-status")).to_contain_text("ফোনের অবস্থান কিশোরগঞ্জ জেলার বাইরে")


def test_without_an_answer_about_the_place_the_circles_decide(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """/v1/places/at unreachable: the position is judged by the upazila towns' circles as before, and
    used unnamed."""
    phone = make_phone(demo_stack.url)
    page = phone.page
    settle(page, lambda: phone.open(), "provider-results", "/v1/providers/nearest", **SADAR)
    page.route("**/v1/places/at?*", lambda route: route.abort())
    phone.context.grant_permissions(["geolocation"], origin=demo_stack.url)
    phone.context.set_geolocation(BAJITPUR)
    settle(
        page,
        lambda: page.locator("#locate").click(),
        "provider-results",
        "/v1/providers/nearest",
        lat=24.2151,
    )
    status = page.locator("#loc-status")
    expect(status).to_contain_text("এই সেশনের জন্য মনে রাখা হলো")
    # The answer from the position names it all the same.
    expect(status).to_contain_text("আপনি আছেন: বাজিতপুর, বাজিতপুর পৌরসভা।")
    phone.forgive_failed_loads()
