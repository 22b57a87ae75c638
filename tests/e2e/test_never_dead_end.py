"""Never a dead end: at 2 a.m. (a search-service whose clock is fixed there) a search still answers —
who is closed nearby and when they open, the nearest open one further away, and for blood a wider
search and the district's emergency numbers. By day, cards show today's hours. Places take shops' words
("open", "closed"), people take people's words ("available from 9"), donors are never "open", and a
listing nobody can reach is never called available.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import NIGHT, DemoStack, PhonePage
from e2e.web_page import AT_TOWN, TO_BANGLA, is_request, map_points, search_for, settle, show_map, texts

pytestmark = pytest.mark.integration

EMERGENCY = (
    Path(__file__).resolve().parents[2] / "search-service" / "search" / "web" / "src" / "emergency.json"
)
ITNA = "?lat=24.53&lon=91.085"
MONTHS_BN = [
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
]


def bangla_clock(hhmm: str, *, at: bool = False) -> str:
    """How the page should say a time, written again here from the rule: "সকাল ৯টা", "রাত ১০:৩০-এ"."""
    hour, minute = int(hhmm[:2]) % 24, int(hhmm[3:5])
    bounds = [(4, "রাত"), (6, "ভোর"), (12, "সকাল"), (15, "দুপুর"), (18, "বিকাল"), (20, "সন্ধ্যা"), (24, "রাত")]
    period = next(name for end, name in bounds if hour < end)
    h12 = 12 if hour % 12 == 0 else hour % 12
    spoken = f"{h12}:{minute:02d}" + ("-এ" if at else "") if minute else f"{h12}" + ("টায়" if at else "টা")
    return f"{period} {spoken.translate(TO_BANGLA)}"


#: Provider categories that are places with opening hours (the web client's wording.js); the rest are people.
PLACES = {"butcher", "barber", "beautician", "pharmacy", "hospital"}


def is_place(result: dict[str, Any]) -> bool:
    return result["category"]["slug"] in PLACES


def reachable(result: dict[str, Any]) -> bool:
    """As the card decides it: the API's `reach` when the answer has it, else a phone or an address."""
    if "reach" in result:
        return bool(result["reach"] or result.get("whatsapp"))
    address = result.get("address") or {}
    return bool(result.get("phone") or result.get("whatsapp") or address.get("bn") or address.get("en"))


def bangla_hours(result: dict[str, Any]) -> str:
    hours_today = result["hours_today"]
    if hours_today is None:
        return "২৪ ঘণ্টা খোলা" if is_place(result) else "২৪ ঘণ্টা পাওয়া যায়"
    if not hours_today:
        return "আজ বন্ধ" if is_place(result) else "আজ ছুটি"
    return "আজ " + ", ".join(f"{bangla_clock(s['open'])}–{bangla_clock(s['close'])}" for s in hours_today)


def bangla_date(iso: str, this_year: int) -> str:
    """ "৫ ডিসেম্বর" this year, "৫ ডিসেম্বর ২০২৭" another."""
    d = date.fromisoformat(iso)
    year = "" if d.year == this_year else f" {d.year}"
    return f"{d.day} {MONTHS_BN[d.month - 1]}{year}".translate(TO_BANGLA)


def expected_state(result: dict[str, Any], at: str) -> str:
    """The first part of a provider card's status line, in a place's or a person's words."""
    place = is_place(result)
    if not reachable(result):
        return "যোগাযোগের কোনো উপায় দেওয়া নেই"
    if result["open_now"]:
        return "এখন খোলা" if place else "এখন পাওয়া যাবে"
    if result["next_open"]:
        day = "আজ" if result["next_open"][:10] == at[:10] else "আগামীকাল"
        clock = result["next_open"][11:16]
        return (
            f"খুলবে {day} {bangla_clock(clock, at=True)}"
            if place
            else f"পাওয়া যাবে {day} {bangla_clock(clock)} থেকে"
        )
    if not result["available"]:
        return "এখন পাওয়া যাচ্ছে না"
    return "এখন বন্ধ" if place else "এখন পাওয়া যাবে না"


def later_heading(results: list[dict[str, Any]]) -> str:
    places = {is_place(r) for r in results}
    if places == {True}:
        return "কাছেই আছে, এখন বন্ধ"
    return "কাছেই আছেন, এখন পাওয়া যাবে না" if places == {False} else "কাছেই আছেন, তবে এখন নয়"


@pytest.mark.parametrize(
    ("words", "screen"), [("kosai", "night-kosai"), ("উকিল", "night-lawyer"), ("ডাক্তার", None)]
)
def test_at_night_the_closed_ones_nearby_say_when_they_open(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack, words: str, screen: str | None
) -> None:
    phone = make_phone(demo_stack.servers.url(at=NIGHT))
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    body = search_for(page, "#provider-q", words, "provider-results", "/v1/providers/nearest", q=words)
    closed = body["closed_nearby"]
    assert not body["results"] and closed, (
        f"at 2 a.m. nobody near the town is open for {words!r}, some are closed"
    )

    status = page.locator("#provider-status")
    expect(status).to_contain_text("২০ কিমির মধ্যে এখন কাউকে পাওয়া যায়নি।")
    expect(status).not_to_contain_text("বন্ধ করে")  # no "untick the box" hint: there is something to show
    cards = page.locator("#provider-more .closed-nearby .card")
    expect(cards).to_have_count(len(closed))
    expect(page.locator("#provider-more .closed-nearby .section-heading")).to_have_text(later_heading(closed))
    at = body["query"]["at"]
    for card, result in zip(cards.all(), closed, strict=True):
        line = card.locator(".open").inner_text()
        assert line.startswith(expected_state(result, at)), (line, result)
        assert card.locator(".hours").inner_text() == bangla_hours(result)
        assert not re.search(r"[0-9]", card.inner_text()), "Bangla digits only"
    if screen:
        phone.screenshot(screen, top="#provider-status")
    show_map(page, "providers")
    assert map_points(page, "providers") == len(closed)
    assert page.locator("#provider-map .result-marker.open").count() == 0


def test_at_night_the_nearest_open_one_beyond_the_radius(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    """In Itna at 2 a.m. no day labourer within 20 km is open; one further away is."""
    phone = make_phone(demo_stack.servers.url(at=NIGHT))
    page = phone.page
    settle(page, lambda: phone.open(ITNA), "provider-results", "/v1/providers/nearest")
    body = settle(
        page,
        lambda: page.locator("#chips .chip[data-slug=day_labourer]").click(),
        "provider-results",
        "/v1/providers/nearest",
        category="day_labourer",
    )
    beyond = body["nearest_open_beyond"]
    assert not body["results"] and beyond and beyond["distance_m"] > 20_000
    section = page.locator("#provider-more .open-beyond")
    # A day labourer is a person: "available now", not "open".
    expect(section.locator(".section-heading")).to_have_text("২০ কিমির বাইরে সবচেয়ে কাছের, এখন পাওয়া যাবে")
    expect(section.locator(".card")).to_have_count(1)
    expect(section.locator(".name")).to_have_text(beyond["name"]["bn"])
    expect(section.locator(".open .is-open")).to_have_text("এখন পাওয়া যাবে")
    expect(section.locator(".distance")).to_have_text(
        f"{round(beyond['distance_m'] / 1000)} কিমি".translate(TO_BANGLA)
    )
    phone.screenshot("night-beyond", top="#provider-more")


def test_o_negative_at_night_searches_wider_and_gives_the_emergency_numbers(
    make_phone: Callable[..., PhonePage], demo_stack: DemoStack
) -> None:
    phone = make_phone(demo_stack.servers.url(at=NIGHT))
    page = phone.page
    phone.open(f"{AT_TOWN}#blood")
    with page.expect_response(is_request("/v1/providers/nearest", blood_group="O-", radius_km=50)):
        body = settle(
            page,
            lambda: page.get_by_role("radio", name="O-", exact=True).check(),
            "blood-results",
            "/v1/providers/nearest",
            blood_group="O-",
            radius_km=100,
        )
    assert not body["results"], "no O− donor can give blood at 2 a.m. near the town in the demo"
    status = page.locator("#blood-status")
    expect(status).to_contain_text("৫০ কিমির মধ্যে কাউকে পাওয়া যায়নি, তাই ১০০ কিমির মধ্যে খোঁজা হলো।")
    expect(status).to_contain_text("১০০ কিমির মধ্যে এই গ্রুপের কেউ এখন রক্ত দিতে পারবেন না।")

    entries = json.loads(EMERGENCY.read_text(encoding="utf-8"))["entries"]
    box = page.locator("#blood-more .emergency")
    expect(box.locator("h3")).to_have_text("জরুরি প্রয়োজনে")
    expect(box.locator(".emergency-entry")).to_have_count(len(entries))
    expect(box.locator("a[href='tel:999']")).to_be_visible()
    expect(box.locator("a[href='tel:999']")).to_contain_text("৯৯৯")
    calls = [e["phone"] for e in entries if e["phone"]]
    expect(box.locator("a.call")).to_have_count(len(calls))

    later = page.locator("#blood-more .closed-nearby .card")
    expect(later).to_have_count(len(body["closed_nearby"]))
    expect(page.locator("#blood-more .closed-nearby .section-heading")).to_have_text("শিগগির রক্ত দিতে পারবেন")
    this_year = int(body["query"]["at"][:4])
    for card, donor in zip(later.all(), body["closed_nearby"], strict=True):
        line = card.locator(".open").inner_text()
        assert "খোলা" not in line and "খুলবে" not in line and "বন্ধ" not in line, line  # a donor is not a shop
        if donor["can_donate_from"] and reachable(donor):
            assert line == f"আবার রক্ত দিতে পারবেন {bangla_date(donor['can_donate_from'], this_year)} থেকে", line
    phone.screenshot("blood-o-negative-night", top="#blood-status")


def test_by_day_cards_show_todays_hours_and_donors_whether_they_can_give(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    body = search_for(page, "#provider-q", "kosai", "provider-results", "/v1/providers/nearest", q="kosai")
    assert body["results"]
    hours = texts(page, "#provider-results .hours")
    assert hours == [bangla_hours(r) for r in body["results"]]
    assert all(h == "২৪ ঘণ্টা খোলা" or re.fullmatch(r"আজ .*[০-৯]টা.*", h) or h == "আজ বন্ধ" for h in hours), hours

    page.locator("#tab-blood").click()
    donors = settle(
        page,
        lambda: page.get_by_role("radio", name="B+", exact=True).check(),
        "blood-results",
        "/v1/providers/nearest",
        blood_group="B+",
    )
    assert donors["results"]
    lines = texts(page, "#blood-results .open .is-open")
    assert lines == ["রক্ত দিতে পারবেন"] * len(donors["results"])
    assert not any("খোলা" in t for t in texts(page, "#panel-blood .open")), "donors are never 'open'"
    phone.screenshot("blood-b-positive-day", top="#blood-status")


def test_the_untick_hint_shows_only_while_the_box_is_ticked(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    body = search_for(page, "#provider-q", "zzqxv", "provider-results", "/v1/providers/nearest", q="zzqxv")
    assert not body["results"] and not body["closed_nearby"] and not body["nearest_open_beyond"]
    status = page.locator("#provider-status")
    expect(status).to_have_text("কাছাকাছি কাউকে পাওয়া যায়নি। “শুধু এখন খোলা” বন্ধ করে বা অন্য শব্দে খুঁজুন।")
    settle(
        page,
        lambda: page.locator("#available").uncheck(),
        "provider-results",
        "/v1/providers/nearest",
        available_now="false",
    )
    expect(status).to_have_text("কাছাকাছি কাউকে পাওয়া যায়নি। অন্য শব্দে বা অন্য উপজেলায় খুঁজুন।")


def test_a_blood_group_in_words_says_which_other_groups_can_give(phone: PhonePage) -> None:
    page = phone.page
    settle(page, lambda: phone.open(AT_TOWN), "provider-results", "/v1/providers/nearest")
    words = "বি নেগেটিভ রক্ত লাগবে"
    body = search_for(page, "#provider-q", words, "provider-results", "/v1/providers/nearest", q=words)
    assert body["query"]["blood_group"] == "B-" and body["query"]["compatible_blood_groups"] == ["O-"]
    expect(page.locator("#provider-note .compatible-groups")).to_have_text(
        "B- দাতাদের পরে O- দাতারাও আছেন: তাঁরা B- রোগীকে রক্ত দিতে পারেন (হাসপাতালে ক্রসম্যাচ করে নিন)।"
    )
    groups = [r["blood_group"] for r in body["results"]]
    assert groups == sorted(groups, key=lambda g: g != "B-") and set(groups) <= {"B-", "O-"}, groups
