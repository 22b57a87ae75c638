"""The demo tells a citizen nothing untrue: offices keep office hours, every upazila has someone to call
at night for an ambulance, a medicine or a hospital, health institutions are invented, not real ones with
made-up phones, and urgent listings include some without a public phone for search to rank after.

Read independently of the generator: hours are judged by a clock written again here, kinds of health
institution by their names, words against schemas/taxonomy.json and schemas/needs.json.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pytest
from test_demo_data import demo_upazilas, mentions, schema_json

from demo_data import provider_events, scaled_provider_events

WEEK = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
URGENT = ("ambulance", "doctor", "hospital", "pharmacy", "blood_donor")
TOWN_KM = 2.5
"""A listing this close to the upazila centre is in the upazila's town."""

Event = dict[str, Any]
Hours = list[dict[str, str]] | None


@pytest.fixture(scope="module")
def providers() -> list[dict[str, Any]]:
    return [e["data"] for e in provider_events()]


@pytest.fixture(scope="module")
def many() -> list[dict[str, Any]]:
    """A bigger demo under another seed: every kind and name shows up, including union chairmen."""
    return [e["data"] for e in provider_events(per_category_per_upazila=20, seed=99)]


def open_at(hours: Hours, day: str, hhmm: str) -> bool:
    """Whether weekly `hours` are open on `day` at `hhmm`: absent hours are always open, and an interval
    closing earlier than it opens runs past midnight into the next day."""
    if hours is None:
        return True
    yesterday = WEEK[WEEK.index(day) - 1]
    for interval in hours:
        start, end = interval["open"], interval["close"]
        if end > start:
            if interval["day"] == day and start <= hhmm < end:
                return True
        elif (interval["day"] == day and hhmm >= start) or (interval["day"] == yesterday and hhmm < end):
            return True
    return False


def test_the_clock_written_here() -> None:
    night = [{"day": "fri", "open": "22:00", "close": "02:00"}]
    assert open_at(night, "sat", "01:40") and open_at(night, "fri", "23:00")
    assert not open_at(night, "fri", "01:40") and not open_at(night, "sat", "03:00")
    assert open_at([{"day": "sun", "open": "09:00", "close": "24:00"}], "sun", "23:59")
    assert open_at(None, "tue", "03:00")


def _km(data: dict[str, Any]) -> float:
    centre = next(u for u in demo_upazilas() if u["slug"] == data["address"]["upazila"])
    dlat = (data["location"]["lat"] - centre["lat"]) * 111.32
    dlon = (data["location"]["lon"] - centre["lon"]) * 111.32 * math.cos(math.radians(centre["lat"]))
    return math.hypot(dlat, dlon)


def _callable_all_night(data: dict[str, Any]) -> bool:
    return data["phone_public"] and data["available"] and "hours" not in data


# --- officials ------------------------------------------------------------------------------------------

ROUND_THE_CLOCK_POSTS = ("Police Station", "Fire Service")


def test_officials_keep_office_hours_sunday_to_thursday(many: list[dict[str, Any]]) -> None:
    officials = [d for d in many if d["category"] == "official"]
    offices = [d for d in officials if not any(post in d["name"]["en"] for post in ROUND_THE_CLOCK_POSTS)]
    assert any("Union Parishad" in d["name"]["en"] for d in offices)
    for data in offices:
        hours = data.get("hours")
        assert hours, data["name"]["en"]
        assert {i["day"] for i in hours} == {"sun", "mon", "tue", "wed", "thu"}, data["name"]["en"]
        assert all("08:00" <= i["open"] <= "10:00" and "16:00" <= i["close"] <= "18:00" for i in hours)
        for day in WEEK:
            assert not open_at(hours, day, "01:40") and not open_at(hours, day, "22:00")
        assert not open_at(hours, "fri", "11:00") and not open_at(hours, "sat", "11:00")
        assert open_at(hours, "sun", "11:00")


def test_only_round_the_clock_posts_are_always_open(many: list[dict[str, Any]]) -> None:
    always = [d for d in many if d["category"] == "official" and "hours" not in d]
    assert always
    for data in always:
        assert any(post in data["name"]["en"] for post in ROUND_THE_CLOCK_POSTS), data["name"]["en"]
        assert data["phone_public"] and data["available"], "a police station at night can be called"


def test_the_land_office_is_closed_at_night(providers: list[dict[str, Any]]) -> None:
    land = [d for d in providers if "Assistant Commissioner (Land)" in d["name"]["en"]]
    assert len(land) == len(demo_upazilas())
    assert not any(
        open_at(d.get("hours"), "sat", "01:40") or open_at(d.get("hours"), "sun", "01:40") for d in land
    )


# --- what a citizen can call at night, in every upazila -------------------------------------------------


def _per_upazila(providers: list[dict[str, Any]], category: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for data in providers:
        if data["category"] == category:
            found[data["address"]["upazila"]].append(data)
    return found


def test_every_upazila_has_callable_round_the_clock_ambulances(providers: list[dict[str, Any]]) -> None:
    ambulances = _per_upazila(providers, "ambulance")
    for upazila in demo_upazilas():
        callable_now = [d for d in ambulances[upazila["slug"]] if _callable_all_night(d)]
        assert len(callable_now) >= 2, upazila["slug"]


@pytest.mark.parametrize("category", ["pharmacy", "hospital"])
def test_every_upazila_town_has_a_callable_24_hour_pharmacy_and_hospital(
    providers: list[dict[str, Any]], category: str
) -> None:
    listed = _per_upazila(providers, category)
    for upazila in demo_upazilas():
        in_town = [d for d in listed[upazila["slug"]] if _callable_all_night(d) and _km(d) <= TOWN_KM]
        assert in_town, (category, upazila["slug"])


def test_the_guarantees_hold_in_benchmark_data_too() -> None:
    """Scaled events (benchmarks) are built by the same rules: the first round of every upazila is callable."""
    data = [
        e["data"]
        for e in scaled_provider_events(len(schema_json("taxonomy.json")["provider_categories"]) * 13, 1)
    ]
    for category in ("ambulance", "pharmacy", "hospital"):
        listed = [d for d in data if d["category"] == category]
        assert len(listed) == 13 and all(_callable_all_night(d) for d in listed), category


@pytest.mark.parametrize("category", URGENT)
def test_urgent_categories_keep_some_listings_without_a_public_phone(
    providers: list[dict[str, Any]], category: str
) -> None:
    """What search must rank after the reachable ones; most listings stay reachable."""
    listed = [d for d in providers if d["category"] == category]
    private = sum(not d["phone_public"] for d in listed)
    assert 1 <= private <= len(listed) * 0.2, (category, private)


# --- pharmacies and hospitals ---------------------------------------------------------------------------

PHARMACY_WORDS = ("ফার্মেসি", "ফার্মেসী", "মেডিকেল হল", "ড্রাগ হাউস", "মেডিসিন কর্নার")
HOSPITAL_WORDS = ("হাসপাতাল", "হসপিটাল", "মেডিকেল সেন্টার")
CLINIC_WORDS = ("ক্লিনিক", "নার্সিং হোম")
DIAGNOSTIC_WORDS = ("ডায়াগনস্টিক",)
REAL_INSTITUTION_MARKERS = (
    "general", "জেনারেল", "sadar", "সদর", "medical college", "মেডিকেল কলেজ", "health complex", "স্বাস্থ্য কমপ্লেক্স",
    "nazrul", "নজরুল", "shahid", "শহীদ", "syed", "সৈয়দ", "bangabandhu", "বঙ্গবন্ধু", "government", "সরকারি",
    "upazila", "উপজেলা", "district", "জেলা", "kishoreganj", "কিশোরগঞ্জ", "ibn sina", "ইবনে সিনা", "popular",
    "পপুলার", "labaid", "ল্যাবএইড", "square", "স্কয়ার", "dr.", "ডাঃ", "md.", "মোঃ",
)  # fmt: skip
"""Words that would make a listing look like (or be) a real, named institution: the public hospitals,
the medical college, well-known chains, a person's full name. The demo must never give them a phone."""


def _kind(name_bn: str) -> str:
    for kind, words in (
        ("clinic", CLINIC_WORDS),
        ("hospital", HOSPITAL_WORDS),
        ("diagnostic", DIAGNOSTIC_WORDS),
    ):
        if any(word in name_bn for word in words):
            return kind
    return "unnamed"


def test_pharmacies_and_hospitals_say_what_they_are_and_have_a_phone(many: list[dict[str, Any]]) -> None:
    pharmacies = [d for d in many if d["category"] == "pharmacy"]
    hospitals = [d for d in many if d["category"] == "hospital"]
    assert pharmacies and hospitals
    for data in pharmacies:
        assert any(word in data["name"]["bn"] for word in PHARMACY_WORDS), data["name"]
    kinds = {_kind(d["name"]["bn"]) for d in hospitals}
    assert kinds == {"hospital", "clinic", "diagnostic"}
    for data in pharmacies + hospitals:
        assert data["phone"].startswith("+8801") and data["name"]["en"].isascii()


def test_no_real_institution_names(many: list[dict[str, Any]]) -> None:
    upazilas = [name for u in demo_upazilas() for name in (u["bn"], u["en"])]
    for data in many:
        if data["category"] in ("pharmacy", "hospital"):
            for name in data["name"].values():
                found = [m for m in (*REAL_INSTITUTION_MARKERS, *upazilas) if m.casefold() in name.casefold()]
                assert not found, (name, found)


def test_hospital_emergencies_never_close(many: list[dict[str, Any]]) -> None:
    hospitals = [d for d in many if d["category"] == "hospital" and _kind(d["name"]["bn"]) == "hospital"]
    assert hospitals
    for data in hospitals:
        assert "hours" not in data, data["name"]
        assert any("জরুরি বিভাগ" in service for service in data["services"]), data["services"]


def _long_day(hours: Hours, opens_by: str, closes_from: str) -> bool:
    """Open every day, from `opens_by` or earlier to `closes_from` or later (Friday: after the prayer)."""
    if hours is None:
        return False
    days = {i["day"] for i in hours}
    return days == set(WEEK) and all(
        (i["open"] <= opens_by or (i["day"] == "fri" and i["open"] <= "15:00")) and i["close"] >= closes_from
        for i in hours
    )


def test_clinics_admit_round_the_clock_or_through_long_days(many: list[dict[str, Any]]) -> None:
    clinics = [d for d in many if d["category"] == "hospital" and _kind(d["name"]["bn"]) == "clinic"]
    assert any("hours" not in d for d in clinics) and any("hours" in d for d in clinics)
    assert all("hours" not in d or _long_day(d["hours"], "08:00", "22:00") for d in clinics)


def test_diagnostic_centres_work_about_eight_to_ten_every_day(many: list[dict[str, Any]]) -> None:
    centres = [d for d in many if d["category"] == "hospital" and _kind(d["name"]["bn"]) == "diagnostic"]
    assert centres and all(_long_day(d.get("hours"), "08:30", "21:00") for d in centres)
    assert all(i["close"] <= "22:00" for d in centres for i in d["hours"])
    assert any(i["day"] == "fri" and i["open"] >= "14:00" for d in centres for i in d["hours"]), (
        "Friday variant"
    )


def test_pharmacies_keep_long_days_and_some_never_close(many: list[dict[str, Any]]) -> None:
    pharmacies = [d for d in many if d["category"] == "pharmacy"]
    always = [d for d in pharmacies if "hours" not in d]
    assert 0.1 * len(pharmacies) <= len(always) <= 0.4 * len(pharmacies)
    keeping_hours = [d["hours"] for d in pharmacies if "hours" in d]
    assert all(_long_day(hours, "09:00", "22:00") for hours in keeping_hours)
    assert all(not open_at(hours, "sat", "01:40") for hours in keeping_hours)
    assert any(i["day"] == "fri" and i["open"] >= "14:00" for h in keeping_hours for i in h), "Friday variant"
    # Those open all night are the ones by the hospitals, in town.
    assert sum(_km(d) <= TOWN_KM for d in always) > 0.8 * len(always)


def test_health_listings_stay_clear_of_other_categories_words(many: list[dict[str, Any]]) -> None:
    """No pharmacy or hospital name or service names another category, or a need that decides one
    (রক্ত is a blood donor's, শিশু a doctor's, বাসা a house to rent's). The category's own words are set
    aside first: ফার্মেসি is not a মেস (a mess to rent) for holding its letters."""
    taxonomy = {
        c["slug"]: [c["bn"], c["en"], *c["aliases"]]
        for c in schema_json("taxonomy.json")["provider_categories"]
    }
    needs = schema_json("needs.json")["provider"]
    for data in many:
        category = data["category"]
        if category not in ("pharmacy", "hospital"):
            continue
        own = sorted((*taxonomy[category], *needs.get(category, ())), key=len, reverse=True)
        for text in (*data["name"].values(), *data["services"]):
            rest = text.casefold()
            for word in own:
                rest = rest.replace(word.casefold(), " ")
            for other, terms in taxonomy.items():
                if other != category:
                    hits = [t for t in (*terms, *needs.get(other, ())) if mentions(rest, t)]
                    assert not hits, (category, text, other, hits)
