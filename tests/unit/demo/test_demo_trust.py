"""The demo tells a citizen nothing untrue: offices keep office hours; only a post answered day and night
is always open.

Read independently of the generator: hours are judged by a clock written again here.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from demo_data import provider_events

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
WEEK = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
URGENT = ("ambulance", "doctor", "hospital", "pharmacy", "blood_donor")
TOWN_KM = 2.5
"""A listing this close to the upazila centre is in the upazila's town."""

Event = dict[str, Any]
Hours = list[dict[str, str]] | None


@cache
def _json(name: str) -> Any:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


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
    centre = next(u for u in _json("taxonomy.json")["upazilas"] if u["slug"] == data["address"]["upazila"])
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
    assert len(land) == len(_json("taxonomy.json")["upazilas"])
    assert not any(
        open_at(d.get("hours"), "sat", "01:40") or open_at(d.get("hours"), "sun", "01:40") for d in land
    )
