"""Opening hours as clerks type them into a spreadsheet cell (ingest.csv_import.hours_text).

Bangla and English day names and ranges, সকাল/দুপুর/বিকাল/সন্ধ্যা/রাত and am/pm, "২৪ ঘণ্টা", closed days,
and the 12-hour slip (9:00-6:00) that must be asked about rather than read as a night shift.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from ingest.csv_import.hours_text import HoursError, parse_hours_text
from portal.clock import DHAKA, minute_of_week
from portal.hours import DAYS, week_minute_ranges

SAT_THU = DAYS[:6]


def open_now(hours, at: datetime) -> bool:
    minute = minute_of_week(at)
    return any(gte <= minute < lt for gte, lt in week_minute_ranges(hours))


def every(days, opens: str, closes: str) -> list[dict[str, str]]:
    return [{"day": d, "open": opens, "close": closes} for d in days]


@pytest.mark.parametrize(
    "cell",
    [
        "শনি থেকে বৃহস্পতি সকাল ৯টা - সন্ধ্যা ৬টা, শুক্রবার বন্ধ",
        "শনি-বৃহস্পতি সকাল ৯টা-সন্ধ্যা ৬টা; শুক্রবার বন্ধ",
        "শনিবার থেকে বৃহস্পতিবার সকাল ৯টা থেকে সন্ধ্যা ৬টা পর্যন্ত। শুক্রবার ছুটি",
        "sat to thu 9am-6pm; fri closed",
        "Saturday to Thursday 9 AM - 6 PM, Friday closed",
        "sat-thu 9:00-6:00pm; fri off",
        "sat-thu 09:00-18:00",
        "SAT-THU 9-6PM",
        "শনি-বৃহঃ ০৯:০০-১৮:০০",
    ],
)
def test_saturday_to_thursday_nine_to_six_in_every_spelling(cell):
    assert parse_hours_text(cell) == every(SAT_THU, "09:00", "18:00")


@pytest.mark.parametrize(
    ("cell", "opens", "closes"),
    [
        ("সকাল ৯টা - সন্ধ্যা ৬টা", "09:00", "18:00"),
        ("সকাল ১০টা থেকে রাত ১০টা", "10:00", "22:00"),
        ("দুপুর ২টা - রাত ১১টা", "14:00", "23:00"),
        ("দুপুর ১২টা - বিকাল ৪টা", "12:00", "16:00"),
        ("বিকাল ৩টা-রাত ২টা", "15:00", "02:00"),  # crosses midnight, said so with রাত
        ("বিকেল ৪টা - সন্ধ্যা ৭টা", "16:00", "19:00"),
        ("রাত ৮টা - ভোর ৬টা", "20:00", "06:00"),
        ("সন্ধ্যা ৭টা - রাত ১২টা", "19:00", "24:00"),
        ("সকাল সাড়ে ৯টা - বিকেল সাড়ে ৫টা", "09:30", "17:30"),
        ("সকাল পৌনে ৯টা - বিকাল সোয়া ৫টা", "08:45", "17:15"),
        ("প্রতিদিন সকাল ৮টা - রাত ১০টা", "08:00", "22:00"),
        ("9am-6pm", "09:00", "18:00"),
        ("9-6pm", "09:00", "18:00"),  # the pm of the close says which 9
        ("2-6pm", "14:00", "18:00"),
        ("9.30am - 5.30pm", "09:30", "17:30"),
        ("9pm-6am", "21:00", "06:00"),
        ("12pm-12am", "12:00", "24:00"),
        ("noon-midnight", "12:00", "24:00"),
        ("daily 20:00-02:00", "20:00", "02:00"),
        ("21:00-6:00", "21:00", "06:00"),  # a 24-hour opening: overnight is what it says
        ("10-14", "10:00", "14:00"),
    ],
)
def test_period_words_and_am_pm_every_day(cell, opens, closes):
    assert parse_hours_text(cell) == every(DAYS, opens, closes)


@pytest.mark.parametrize("cell", ["২৪ ঘণ্টা", "২৪ ঘন্টা", "24/7", "24 x 7", "open 24 hours", "সার্বক্ষণিক", "সবসময়"])
def test_always_open_is_no_hours_at_all(cell):
    assert parse_hours_text(cell) is None


def test_twenty_four_hours_on_some_days_and_closed_on_friday():
    assert parse_hours_text("শনি-বৃহস্পতি ২৪ ঘণ্টা; শুক্রবার বন্ধ") == every(SAT_THU, "00:00", "24:00")


@pytest.mark.parametrize("cell", ["বন্ধ", "closed"])
def test_closed_alone_is_never_open(cell):
    assert parse_hours_text(cell) == []


def test_friday_closed_alone_asks_for_the_other_days():
    with pytest.raises(HoursError) as caught:
        parse_hours_text("শুক্রবার বন্ধ")
    assert caught.value.code == "hours_only_closed"
    assert "says when it is closed (fri) but not when it is open on the other days" in str(caught.value)
    assert "অন্য দিনগুলোতে কখন খোলা তা নেই" in caught.value.bn


def test_a_closed_day_keeps_the_times_of_a_clause_without_days_off_that_day():
    assert parse_hours_text("সকাল ৯টা-রাত ৯টা, শুক্রবার বন্ধ") == every(SAT_THU, "09:00", "21:00")


def test_day_lists_wrapping_ranges_and_a_lunch_break():
    assert parse_hours_text("শনি, সোম, বুধ ১০:০০-১৪:০০") == every(("sat", "mon", "wed"), "10:00", "14:00")
    assert parse_hours_text("বৃহস্পতি থেকে শনি সকাল ১০টা-দুপুর ২টা") == every(
        ("thu", "fri", "sat"), "10:00", "14:00"
    )
    assert parse_hours_text("sat-thu 9am-1pm, 2pm-5pm") == [
        interval
        for day in SAT_THU
        for interval in every((day,), "09:00", "13:00") + every((day,), "14:00", "17:00")
    ]


@pytest.mark.parametrize(
    ("cell", "meant"),
    [
        ("sat-thu 9:00-6:00", "09:00-18:00"),
        ("শনি-বৃহঃ ৯:০০-৬:০০", "09:00-18:00"),
        ("৯টা-৫টা", "09:00-17:00"),
        ("9am-6", "09:00-18:00"),
        ("10:30-1:30", "10:30-13:30"),
    ],
)
def test_a_twelve_hour_slip_is_asked_about_not_read_as_overnight(cell, meant):
    with pytest.raises(HoursError) as caught:
        parse_hours_text(cell)
    error = caught.value
    assert error.code == "hours_twelve_hour_slip"
    assert f"did you mean {meant.replace('-', ' to ')} (in the evening)?" in str(error)
    assert f"Then write {meant}" in str(error)
    assert "আপনি কি" in error.bn and "বোঝাতে চেয়েছেন" in error.bn


def test_the_suggested_fix_keeps_the_clerks_own_hours():
    """Issue 22: the fix for a 9-to-5 slip said সন্ধ্যা ৬টা; it must say the clerk's 5."""
    with pytest.raises(HoursError) as caught:
        parse_hours_text("৯-৫")
    error = caught.value
    assert "সকাল ৯টা-বিকাল ৫টা" in error.bn and "৬টা" not in error.bn
    assert "9am-5pm" in str(error) and "6" not in str(error).split("(e.g.")[0].replace("06", "")


@pytest.mark.parametrize(
    ("cell", "days", "opens", "closes"),
    [
        ("সকাল ৯টা-৬টা", DAYS, "09:00", "18:00"),  # a morning opening: the bare 6 is the evening
        ("শুক্রবার ছাড়া সকাল ৯-৫", SAT_THU, "09:00", "17:00"),
        ("except fri 9am-5pm", SAT_THU, "09:00", "17:00"),
        ("শুক্র বাদে সকাল ৯টা - বিকাল ৫টা", SAT_THU, "09:00", "17:00"),
        ("রাত ১২টা - সকাল ৬টা", DAYS, "00:00", "06:00"),
    ],
)
def test_phrases_offices_write(cell, days, opens, closes):
    assert parse_hours_text(cell) == every(days, opens, closes)


def test_the_rest_of_the_days_and_all_day():
    assert parse_hours_text("শুক্রবার সকাল ১০টা-দুপুর ১টা, বাকি দিন সকাল ৯টা-রাত ৮টা") == every(
        ("fri",), "10:00", "13:00"
    ) + every(SAT_THU, "09:00", "20:00")
    assert parse_hours_text("সারাদিন") is None
    assert parse_hours_text("শুক্রবার বন্ধ, বাকি দিন সারাদিন") == every(SAT_THU, "00:00", "24:00")
    assert parse_hours_text("শনি-বৃহস্পতি ৯am-৫pm, বাকি দিন বন্ধ") == every(SAT_THU, "09:00", "17:00")


def test_the_slip_the_issue_found_is_never_open_at_two_in_the_morning():
    """`sat-thu 9:00-6:00` was stored as overnight and showed "open now" at 2 a.m.; now it is refused."""
    with pytest.raises(HoursError):
        parse_hours_text("sat-thu 9:00-6:00")
    corrected = parse_hours_text("sat-thu 9:00-18:00")
    assert not open_now(corrected, datetime(2026, 11, 29, 2, 0, tzinfo=DHAKA))  # a Sunday, 2 a.m.
    assert open_now(corrected, datetime(2026, 11, 29, 17, 59, tzinfo=DHAKA))


@pytest.mark.parametrize(
    ("cell", "code", "english", "bangla"),
    [
        (
            "শনি-বৃহস্পতি",
            "hours_no_time",
            "no opening time for sat, sun, mon, tue, wed, thu",
            "কখন খোলা তা লেখা নেই",
        ),
        (
            "sat 09:00",
            "hours_time_without_end",
            '"09:00" in "sat 09:00" has no closing time',
            "বন্ধের সময় নেই",
        ),
        (
            "sat 25:00-26:00",
            "hours_bad_time",
            '"25:00" in "sat 25:00-26:00" is not a time',
            "সময় হিসেবে পড়া যায় না",
        ),
        ("sat 13pm-5pm", "hours_bad_time", '"13 pm" in "sat 13pm-5pm" is not a time', "সময় হিসেবে পড়া যায় না"),
        (
            "frii 9am-5pm",
            "hours_unknown_word",
            '"frii" in "frii 9am-5pm" is not a day',
            "দিন, সময় বা বোঝার মতো শব্দ নয়",
        ),
        ("sat 9am-9am", "hours_same_time", "opens and closes at the same time", "একই সময়ে খোলে ও বন্ধ হয়"),
        (
            "fri 9am-5pm; fri closed",
            "hours_closed_and_open",
            "fri is both closed and open",
            "একই সাথে বন্ধ ও খোলা",
        ),
        (
            "daily-fri 9am-5pm",
            "hours_day_range_end",
            '"daily" cannot be one end of a day range',
            "দিনের পরিসর হয় না",
        ),
        ("", "hours_empty", "empty hours cell", "সময়ের ঘর খালি"),
    ],
)
def test_every_refusal_is_said_in_both_languages_naming_the_part(cell, code, english, bangla):
    with pytest.raises(HoursError) as caught:
        parse_hours_text(cell)
    assert caught.value.code == code
    assert english in str(caught.value)
    assert bangla in caught.value.bn
