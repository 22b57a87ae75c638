"""Opening hours against fixed clocks in Asia/Dhaka (week starts Saturday; 2024-06-01 is one)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from ingest.csv_import.hours_text import parse_hours_text
from portal.clock import DHAKA, minute_of_week, now_dhaka, to_dhaka
from portal.hours import DAY_MINUTES, DAYS, WEEK_MINUTES, Hours, next_open, week_minute_ranges

SATURDAY = datetime(2024, 6, 1, tzinfo=DHAKA)


def open_now(hours: Hours, when: datetime) -> bool:
    """Open at `when`, worked out from the intervals directly (not from the ranges), so the property
    test below checks the engine's ranges against an independent answer."""
    minute_now = minute_of_week(when)
    if hours is None:
        return True
    for item in hours:
        oh, om = map(int, item["open"].split(":"))
        ch, cm = map(int, item["close"].split(":"))
        opens, closes = oh * 60 + om, ch * 60 + cm
        length = closes - opens if closes > opens else closes + DAY_MINUTES - opens
        if (minute_now - (DAYS.index(item["day"]) * DAY_MINUTES + opens)) % WEEK_MINUTES < length:
            return True
    return False


ALWAYS = [(0, WEEK_MINUTES)]


def at(day: str, hhmm: str, *, week: int = 0, second: int = 0) -> datetime:
    """Aware Dhaka time on ``day`` of the week starting Saturday 2024-06-01 (+``week`` weeks)."""
    hour, minute = map(int, hhmm.split(":"))
    date = SATURDAY + timedelta(days=DAYS.index(day) + 7 * week)
    return date.replace(hour=hour, minute=minute, second=second)


def interval(day: str, opens: str, closes: str) -> dict[str, str]:
    return {"day": day, "open": opens, "close": closes}


def minute(day: str, hhmm: str) -> int:
    hour, mins = map(int, hhmm.split(":"))
    return DAYS.index(day) * 1440 + hour * 60 + mins


# --- clock ---------------------------------------------------------------------------------------


def test_minute_of_week_starts_saturday_midnight_and_ends_friday_night() -> None:
    assert minute_of_week(at("sat", "00:00")) == 0
    assert minute_of_week(at("sun", "00:00")) == 1440
    assert minute_of_week(at("fri", "23:59", second=59)) == WEEK_MINUTES - 1


def test_utc_input_is_converted_to_dhaka() -> None:
    thursday_1930_utc = datetime(2024, 6, 6, 19, 30, tzinfo=UTC)  # Friday 01:30 in Dhaka
    assert to_dhaka(thursday_1930_utc) == at("fri", "01:30")
    assert to_dhaka(thursday_1930_utc).tzinfo is DHAKA
    assert minute_of_week(thursday_1930_utc) == minute("fri", "01:30")


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2024, 6, 1, 12, 0)
    with pytest.raises(ValueError, match="naive"):
        to_dhaka(naive)
    with pytest.raises(ValueError, match="naive"):
        open_now(None, naive)
    with pytest.raises(ValueError, match="naive"):
        next_open([interval("sat", "09:00", "18:00")], naive)


def test_now_dhaka_is_aware_in_dhaka() -> None:
    assert now_dhaka().utcoffset() == timedelta(hours=6)


# --- open_now and ranges -------------------------------------------------------------------------


def test_day_interval_is_open_from_open_time_until_just_before_close() -> None:
    hours = [interval("sat", "09:00", "18:00")]
    assert week_minute_ranges(hours) == [(540, 1080)]
    assert not open_now(hours, at("sat", "08:59", second=59))
    assert open_now(hours, at("sat", "09:00"))
    assert open_now(hours, at("sat", "17:59", second=59))
    assert not open_now(hours, at("sat", "18:00"))
    assert not open_now(hours, at("sun", "12:00"))


def test_interval_crossing_midnight_runs_into_the_next_day() -> None:
    hours = [interval("thu", "20:00", "02:00")]
    assert week_minute_ranges(hours) == [(minute("thu", "20:00"), minute("fri", "02:00"))]
    assert not open_now(hours, at("thu", "19:59"))
    assert open_now(hours, at("thu", "23:59"))
    assert open_now(hours, at("fri", "01:30"))
    assert not open_now(hours, at("fri", "02:00"))


def test_friday_night_wraps_into_saturday_as_two_ranges() -> None:
    hours = [interval("fri", "22:00", "03:00")]
    assert week_minute_ranges(hours) == [(0, 180), (minute("fri", "22:00"), WEEK_MINUTES)]
    assert open_now(hours, at("fri", "23:00"))
    assert open_now(hours, at("sat", "00:00", week=1))
    assert open_now(hours, at("sat", "02:59"))  # same weekly schedule, this week's Saturday
    assert not open_now(hours, at("sat", "03:00", week=1))
    assert not open_now(hours, at("fri", "21:59"))


def test_close_at_24_00_means_end_of_day() -> None:
    hours = [interval("wed", "18:00", "24:00")]
    assert week_minute_ranges(hours) == [(minute("wed", "18:00"), minute("thu", "00:00"))]
    assert open_now(hours, at("wed", "23:59", second=59))
    assert not open_now(hours, at("thu", "00:00"))


def test_whole_days_every_day_merge_to_the_whole_week() -> None:
    hours = [interval(day, "00:00", "24:00") for day in DAYS]
    assert week_minute_ranges(hours) == ALWAYS


def test_open_equal_to_close_means_24_hours_from_opening() -> None:
    hours = [interval("mon", "09:00", "09:00")]
    assert week_minute_ranges(hours) == [(minute("mon", "09:00"), minute("tue", "09:00"))]
    assert open_now(hours, at("tue", "08:59"))
    assert not open_now(hours, at("tue", "09:00"))


def test_no_hours_means_always_open() -> None:
    assert week_minute_ranges(None) == ALWAYS
    assert open_now(None, at("fri", "03:17"))
    assert next_open(None, at("fri", "03:17")) is None


def test_empty_list_means_never_open() -> None:
    assert week_minute_ranges([]) == []
    assert not open_now([], at("sat", "12:00"))
    assert next_open([], at("sat", "12:00")) is None


def test_overlapping_and_adjacent_ranges_are_merged_and_sorted() -> None:
    hours = [
        interval("sun", "08:00", "09:00"),
        interval("sat", "11:00", "14:00"),
        interval("sat", "09:00", "12:00"),
        interval("sat", "14:00", "16:00"),  # touches the previous one
        interval("sat", "20:00", "02:00"),  # crosses midnight and meets sun 02:00
        interval("sun", "02:00", "05:00"),
    ]
    assert week_minute_ranges(hours) == [
        (minute("sat", "09:00"), minute("sat", "16:00")),
        (minute("sat", "20:00"), minute("sun", "05:00")),
        (minute("sun", "08:00"), minute("sun", "09:00")),
    ]


def test_bad_interval_raises_naming_the_problem() -> None:
    with pytest.raises(ValueError, match="unknown day 'friday'"):
        week_minute_ranges([interval("friday", "09:00", "10:00")])


# --- next_open ------------------------------------------------------------------------------------

OFFICE = [interval(day, "09:00", "18:00") for day in DAYS[:6]]  # sat-thu, Friday off


def test_next_open_later_the_same_day_is_a_whole_minute_in_dhaka() -> None:
    opens = next_open(OFFICE, at("sat", "08:59", second=30))
    assert opens == at("sat", "09:00")
    assert opens is not None and opens.tzinfo is DHAKA and opens.second == 0


def test_next_open_across_days() -> None:
    assert next_open(OFFICE, at("sat", "18:00")) == at("sun", "09:00")
    assert next_open(OFFICE, at("sun", "03:00")) == at("sun", "09:00")


def test_next_open_across_the_week_wrap() -> None:
    assert next_open(OFFICE, at("thu", "18:00")) == at("sat", "09:00", week=1)
    assert next_open(OFFICE, at("fri", "23:59")) == at("sat", "09:00", week=1)


def test_next_open_from_utc_answers_in_dhaka() -> None:
    thursday_1230_utc = datetime(2024, 6, 6, 12, 30, tzinfo=UTC)  # Thursday 18:30 in Dhaka
    opens = next_open(OFFICE, thursday_1230_utc)
    assert opens == at("sat", "09:00", week=1)
    assert opens is not None and opens.tzinfo is DHAKA


def test_next_open_is_none_while_open() -> None:
    assert next_open(OFFICE, at("mon", "09:00")) is None


# --- parse_hours_text ----------------------------------------------------------------------------


def days_with(intervals: Hours, opens: str, closes: str) -> list[str]:
    assert intervals is not None
    return [i["day"] for i in intervals if (i["open"], i["close"]) == (opens, closes)]


def test_parse_day_range_and_single_day() -> None:
    parsed = parse_hours_text("sat-thu 09:00-18:00; fri 15:00-22:00")
    assert days_with(parsed, "09:00", "18:00") == list(DAYS[:6])
    assert days_with(parsed, "15:00", "22:00") == ["fri"]
    assert parsed is not None and len(parsed) == 7


def test_parse_daily_crossing_midnight() -> None:
    parsed = parse_hours_text("daily 20:00-02:00")
    assert parsed == [interval(day, "20:00", "02:00") for day in DAYS]
    assert open_now(parsed, at("sat", "01:00"))  # Friday night's hours, wrapped


@pytest.mark.parametrize("cell", ["24/7", "২৪/৭", " 24 / 7 "])
def test_parse_always_open_is_none(cell: str) -> None:
    assert parse_hours_text(cell) is None


@pytest.mark.parametrize("cell", ["closed", "Closed", "বন্ধ"])
def test_parse_closed_is_never_open(cell: str) -> None:
    assert parse_hours_text(cell) == []


def test_parse_bangla_digits_and_day_names() -> None:
    parsed = parse_hours_text("শনি-বৃহস্পতি ০৯:০০-১৭:৩০; শুক্রবার ১৫:০০-২২:০০")
    assert days_with(parsed, "09:00", "17:30") == list(DAYS[:6])
    assert days_with(parsed, "15:00", "22:00") == ["fri"]
    assert parse_hours_text("প্রতিদিন ১০:০০-২৪:০০") == [interval(d, "10:00", "24:00") for d in DAYS]


def test_parse_english_full_names_lists_wrapping_ranges_and_split_shifts() -> None:
    assert parse_hours_text("Sunday, Tuesday 9:00-13:00, 14:00-17:00") == [
        interval("sun", "09:00", "13:00"),
        interval("sun", "14:00", "17:00"),
        interval("tue", "09:00", "13:00"),
        interval("tue", "14:00", "17:00"),
    ]
    assert parse_hours_text("thu – sat 9.30 — 23.00") == [
        interval(day, "09:30", "23:00") for day in ("thu", "fri", "sat")
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("", "empty hours cell"),
        ("sat-thu", 'no opening time for sat, sun, mon, tue, wed, thu in "sat-thu"'),
        (
            "sat-thu 09:00-18:00; frii 15:00-22:00",
            '"frii" in "sat-thu 09:00-18:00; frii 15:00-22:00" is not a day',
        ),
        ("সোমবর ১০:০০-১২:০০", '"সোমবর" in "সোমবর ১০:০০-১২:০০" is not a day'),
        ("sat 25:00-26:00", '"25:00" in "sat 25:00-26:00" is not a time'),
        ("শনি ০৯:৬০-১০:০০", '"09:60" in "শনি ০৯:৬০-১০:০০" is not a time'),
        ("sat 09:00-24:30", '"24:30" in "sat 09:00-24:30" is not a time'),
        ("sat 09:00-09:00", "opens and closes at the same time"),
        ("daily-fri 09:00-10:00", '"daily" cannot be one end of a day range'),
        ("sat-thu 9:00-6:00", "did you mean 09:00 to 18:00 (in the evening)?"),
        ("শুক্রবার বন্ধ", "but not when it is open on the other days"),
        ("sat 09:00", '"09:00" in "sat 09:00" has no closing time'),
    ],
)
def test_parse_errors_name_the_bad_part(cell: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_hours_text(cell)
    assert message in str(raised.value)


def test_parsed_cells_become_ranges() -> None:
    parsed = parse_hours_text("sat-thu 9:00-18:00; fri 15:00-02:00")
    assert week_minute_ranges(parsed)  # every interval is one the engine can store


# --- property: Python's answer equals the engine's ----------------------------------------------


def random_schedule(rng: random.Random) -> Hours:
    if rng.random() < 0.1:
        return None
    schedule = []
    for _ in range(rng.randint(0, 6)):
        opens = rng.randrange(1440)
        closes = "24:00" if rng.random() < 0.15 else f"{(c := rng.randrange(1440)) // 60:02d}:{c % 60:02d}"
        schedule.append(interval(rng.choice(DAYS), f"{opens // 60:02d}:{opens % 60:02d}", closes))
    return schedule


@pytest.mark.parametrize("seed", range(12))
def test_open_now_agrees_with_ranges_every_7th_minute(seed: int) -> None:
    rng = random.Random(seed)
    hours = random_schedule(rng)
    ranges = week_minute_ranges(hours)
    one_minute = timedelta(minutes=1)
    for offset in range(0, WEEK_MINUTES, 7):
        when = SATURDAY + timedelta(minutes=offset, seconds=rng.randrange(60))
        if offset % 2:
            when = when.astimezone(UTC)  # same instant, other zone
        is_open = open_now(hours, when)
        assert is_open == any(gte <= minute_of_week(when) < lt for gte, lt in ranges), (hours, when)
        opens = next_open(hours, when)
        if opens is not None:
            assert not is_open and when < opens <= when + timedelta(days=7)
            assert open_now(hours, opens) and not open_now(hours, opens - one_minute)
