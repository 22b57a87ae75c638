"""Weekly opening hours: is a place open at a given moment, and when does that change.

Hours arrive as intervals ``{"day": "sat", "open": "09:00", "close": "18:00"}`` in Asia/Dhaka
local time (see ``interval`` in ``schemas/events/provider.schema.json``).  The rules:

* ``close`` later than ``open`` is a same-day interval; ``close`` ``"24:00"`` means end of day.
* ``close`` earlier than ``open`` crosses midnight into the next day; Friday night crosses into
  Saturday, i.e. wraps the week (the portal's week starts on Saturday).
* ``close`` equal to ``open`` means 24 hours starting at ``open`` (``"mon 09:00-09:00"`` is open
  Monday 09:00 until Tuesday 09:00).  The schema accepts it, so computations honour it, but
  ``validate_hours`` and ``parse_hours_text`` flag it because in a spreadsheet it is usually a typo.
* ``hours`` absent (``None``) means always open -- the schema says so, and most listings
  (pharmacies on call, hotlines) have no hours at all.  An empty list means never open: someone
  stated the hours and listed none, which is different from not stating them.

For the search engine the intervals become minute-of-week ranges (see ``week_minute_ranges``), so
"open now" is a single ``term`` query on the current minute.  The functions here answer the same
question in Python and are tested to agree with those ranges.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from portal.clock import minute_of_week, to_dhaka

DAYS = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES

Interval = dict[str, str]
Hours = list[Interval] | None
Range = tuple[int, int]

_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def _minute_of_day(value: object, *, allow_24: bool) -> int | None:
    """Minutes since midnight for a strict ``HH:MM`` string, or None if it is not one."""
    if allow_24 and value == "24:00":
        return DAY_MINUTES
    match = _TIME.match(value) if isinstance(value, str) else None
    return int(match[1]) * 60 + int(match[2]) if match else None


def _interval_problems(interval: object) -> list[str]:
    """What is structurally wrong with one interval (day and times), in plain words."""
    if not isinstance(interval, dict):
        return ["expected an object with day, open and close"]
    problems = []
    day = interval.get("day")
    if day not in DAYS:
        problems.append(f"unknown day {day!r}; expected one of {', '.join(DAYS)}")
    for key, allow_24, latest in (("open", False, "23:59"), ("close", True, "24:00")):
        if key not in interval:
            problems.append(f"missing {key} time")
        elif _minute_of_day(interval[key], allow_24=allow_24) is None:
            problems.append(f"{key} time {interval[key]!r} is not HH:MM between 00:00 and {latest}")
    return problems


def _span(interval: Interval) -> tuple[int, int]:
    """(start minute-of-week, length in minutes) of one interval; length is 1..1440."""
    problems = _interval_problems(interval)
    if problems:
        raise ValueError(f"bad opening interval {interval!r}: {'; '.join(problems)}")
    opens = _minute_of_day(interval["open"], allow_24=False)
    closes = _minute_of_day(interval["close"], allow_24=True)
    assert opens is not None and closes is not None  # checked by _interval_problems
    length = closes - opens if closes > opens else closes + DAY_MINUTES - opens
    return DAYS.index(interval["day"]) * DAY_MINUTES + opens, length


def _merge(ranges: list[Range]) -> list[Range]:
    """Sort and join ranges that overlap or touch, so the index stores as few as possible."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def week_minute_ranges(hours: Hours) -> list[Range]:
    """Opening hours as sorted, merged, half-open minute-of-week ranges ``[gte, lt)``.

    Minute 0 is Saturday 00:00 Asia/Dhaka and every range satisfies ``0 <= gte < lt <= 10080``;
    a place is open at minute ``m`` iff ``gte <= m < lt`` for some range.  They map one-to-one onto
    an OpenSearch ``integer_range`` field as ``{"gte": gte, "lt": lt}`` so the engine can filter
    "open now" with a ``term`` query on the current ``minute_of_week``.

    An interval crossing midnight stays one range (the week is continuous), except when it crosses
    the end of the week (Friday into Saturday): then it wraps into ``(start, 10080)`` and
    ``(0, end)``.  Those two are never joined, because a range cannot run past the week's end.
    None (always open) gives ``[(0, 10080)]``; an empty list (never open) gives ``[]``.
    Raises ValueError for an interval with an unknown day or a malformed time.
    """
    if hours is None:
        return [(0, WEEK_MINUTES)]
    pieces: list[Range] = []
    for interval in hours:
        start, length = _span(interval)
        end = start + length
        if end <= WEEK_MINUTES:
            pieces.append((start, end))
        else:
            pieces += [(start, WEEK_MINUTES), (0, end - WEEK_MINUTES)]
    return _merge(pieces)


def _containing(ranges: list[Range], minute: int) -> Range | None:
    return next(((gte, lt) for gte, lt in ranges if gte <= minute < lt), None)


def _minutes_after(at: datetime, minutes: int) -> datetime:
    """``at`` in Dhaka, truncated to its minute, plus ``minutes``: a whole-minute local time."""
    return to_dhaka(at).replace(second=0, microsecond=0) + timedelta(minutes=minutes)


def open_now(hours: Hours, at: datetime) -> bool:
    """Whether the place is open at ``at`` (aware; compared in Asia/Dhaka, to the minute).

    Computed straight from the intervals rather than from ``week_minute_ranges`` so that the tests
    can check the two against each other; the engine's answer is only as good as the ranges.
    """
    minute = minute_of_week(at)  # also rejects naive datetimes, even when always open
    if hours is None:
        return True
    return any((minute - start) % WEEK_MINUTES < length for start, length in map(_span, hours))


def next_open(hours: Hours, at: datetime) -> datetime | None:
    """The next moment (aware, Asia/Dhaka, whole minute) the place opens after ``at``.

    None if it is open at ``at`` (there is no "next" opening to wait for) or never opens.
    Looks across days and across the week's end: Friday evening's answer may be Saturday.
    """
    ranges = week_minute_ranges(hours)
    minute = minute_of_week(at)
    if not ranges or _containing(ranges, minute):
        return None
    start = next((gte for gte, _ in ranges if gte > minute), ranges[0][0] + WEEK_MINUTES)
    return _minutes_after(at, start - minute)


def closes_at(hours: Hours, at: datetime) -> datetime | None:
    """When the place, open at ``at``, next closes (aware, Asia/Dhaka, whole minute).

    None if it never closes (always open, including a week of 00:00-24:00), and also None if it is
    closed at ``at`` -- ask ``next_open`` then.  Follows a Friday-night opening past the week's end.
    """
    ranges = week_minute_ranges(hours)
    minute = minute_of_week(at)
    hit = _containing(ranges, minute)
    if hit is None or hit == (0, WEEK_MINUTES):
        return None
    end = hit[1]
    if end == WEEK_MINUTES and ranges[0][0] == 0:
        end += ranges[0][1]  # Friday night runs on into Saturday morning
    return _minutes_after(at, end - minute)


def validate_hours(hours: object) -> list[str]:
    """Problems with ``hours`` in plain words, one per line of a CSV error report; [] if fine.

    The JSON schema already checks the shape of events; this is for people fixing a spreadsheet,
    so each message names the interval (1-based) and what was expected.  ``open == close`` is
    reported because, although it means 24 hours, it is almost always a typo.
    """
    if hours is None:
        return []
    if not isinstance(hours, list):
        return ["hours must be a list of {day, open, close} intervals, or absent for always open"]
    problems = []
    for number, interval in enumerate(hours, start=1):
        found = _interval_problems(interval)
        if not found and isinstance(interval, dict) and interval["open"] == interval["close"]:
            found = [
                f"open and close are both {interval['open']}; write 00:00-24:00 for a whole day "
                "(equal times would mean 24 hours from the opening time)"
            ]
        problems += [f"interval {number}: {problem}" for problem in found]
    return problems


# --- Spreadsheet cells ---------------------------------------------------------------------------

_BANGLA_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


def _day_words() -> dict[str, tuple[str, ...]]:
    """Every accepted spelling of a day (casefolded, NFC) -> the day codes it stands for."""
    words: dict[str, tuple[str, ...]] = {}
    english = ("saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday")
    bangla = ("শনি", "রবি", "সোম", "মঙ্গল", "বুধ", "বৃহস্পতি", "শুক্র")
    for code, full, bn in zip(DAYS, english, bangla, strict=True):
        for word in (code, full, bn, bn + "বার"):
            words[unicodedata.normalize("NFC", word)] = (code,)
    for word in ("daily", "everyday", "every day", "প্রতিদিন"):
        words[unicodedata.normalize("NFC", word)] = DAYS
    return words


_DAY_WORDS = _day_words()
_ALWAYS = "24/7"
_NEVER = ("closed", "বন্ধ")
_DASH = re.compile(r"\s*[-–—]\s*")
_TIME_RANGE = re.compile(r"^([0-9]{1,2})[:.]([0-9]{2})-([0-9]{1,2})[:.]([0-9]{2})$")
_DAYS_HINT = "sat…fri, saturday…friday, শনি…শুক্র (optionally with বার), or daily"


def _day_word(word: str, clause: str) -> tuple[str, ...]:
    days = _DAY_WORDS.get(word.casefold())
    if days is None:
        raise ValueError(f'unknown day "{word}" in "{clause}"; expected {_DAYS_HINT}')
    return days


def _parse_days(text: str, clause: str) -> list[str]:
    """Day codes for the days part of a clause: names, ``a-b`` ranges (may wrap), comma lists."""
    whole = _DAY_WORDS.get(text.casefold())
    if whole is not None:  # "every day" has a space in it
        return list(whole)
    days: list[str] = []
    for token in filter(None, re.split(r"[,\s]+", text)):
        first, dash, last = token.partition("-")
        if not dash:
            days += _day_word(first, clause)
            continue
        (begin,), (end,) = _single_day(first, clause), _single_day(last, clause)
        index = DAYS.index(begin)
        while True:  # walk forward through the week, so "thu-sat" is thu, fri, sat
            days.append(DAYS[index])
            if DAYS[index] == end:
                break
            index = (index + 1) % 7
    return list(dict.fromkeys(days))


def _single_day(word: str, clause: str) -> tuple[str, ...]:
    days = _day_word(word, clause)
    if len(days) != 1:
        raise ValueError(f'"{word}" cannot be one end of a day range in "{clause}"')
    return days


def _parse_time_range(text: str, clause: str) -> tuple[str, str]:
    """``("HH:MM", "HH:MM")`` for one ``H:MM-H:MM`` piece, ASCII or Bangla digits."""
    match = _TIME_RANGE.match(text.translate(_BANGLA_DIGITS))
    opens, closes = ("", "")
    if match:
        opens, closes = f"{int(match[1]):02d}:{match[2]}", f"{int(match[3]):02d}:{match[4]}"
    if _minute_of_day(opens, allow_24=False) is None or _minute_of_day(closes, allow_24=True) is None:
        hint = '; separate day groups with ";"' if re.search(r"[^\W\d_]", text) else ""
        raise ValueError(
            f'bad time range "{text}" in "{clause}"; expected HH:MM-HH:MM such as 09:00-18:00 '
            f"(close may be 24:00){hint}"
        )
    if opens == closes:
        raise ValueError(
            f'"{text}" in "{clause}" opens and closes at the same time; '
            "write 00:00-24:00 for a whole day or 24/7 for always open"
        )
    return opens, closes


def parse_hours_text(text: str) -> list[Interval] | None:
    """Parse a spreadsheet cell of opening hours into schema intervals.

    Format -- clauses separated by ``;`` or new lines, each ``<days> <time range>[, <time range>…]``::

        sat-thu 09:00-18:00; fri 15:00-22:00
        daily 20:00-02:00                      (crosses midnight every night)
        sun, tue, thu 9:00-13:00, 14:00-17:00  (day list; two ranges with a lunch break)
        শনি-বৃহস্পতি ০৯:০০-১৭:০০; শুক্রবার ১৫:০০-২২:০০
        24/7                                   -> None (always open)
        closed / বন্ধ                          -> [] (never open)

    Days: ``sat``…``fri``, English full names, Bangla ``শনি রবি সোম মঙ্গল বুধ বৃহস্পতি শুক্র``
    (with or without ``বার``), ``daily`` / ``every day`` / ``প্রতিদিন``; case does not matter.
    ``a-b`` is a range walking forward through the week (``thu-sat`` = thu, fri, sat); commas or
    spaces list days.  Times: ``H:MM`` or ``HH:MM`` (``.`` also accepted), ASCII or Bangla digits,
    close may be ``24:00``; a close earlier than the open crosses midnight.  Dashes may be ``-``,
    ``–`` or ``—`` with optional spaces.  Returned times are zero-padded ``HH:MM``.

    Raises ValueError naming the offending part; an empty cell is an error too, because what a
    blank means (usually "not stated", i.e. absent) is for the caller to decide.
    """
    cell = unicodedata.normalize("NFC", text).strip()
    if not cell:
        raise ValueError('empty hours cell; write e.g. "sat-thu 09:00-18:00", "24/7" or "closed"')
    if cell.translate(_BANGLA_DIGITS).replace(" ", "") == _ALWAYS:
        return None
    if cell.casefold() in _NEVER:
        return []
    intervals: list[Interval] = []
    for clause in filter(None, (part.strip() for part in re.split(r"[;\n]", cell))):
        dashed = _DASH.sub("-", clause)
        first_digit = re.search(r"[0-9০-৯]", dashed)
        if first_digit is None:
            raise ValueError(f'no opening time in "{clause}"; expected e.g. "sat-thu 09:00-18:00"')
        days_text, times_text = dashed[: first_digit.start()], dashed[first_digit.start() :]
        if not days_text.strip():
            raise ValueError(f'no days before the time in "{clause}"; expected e.g. "sat-thu 09:00-18:00"')
        days = _parse_days(days_text.strip(), clause)
        times = [_parse_time_range(piece.strip(), clause) for piece in times_text.split(",")]
        intervals += [{"day": day, "open": opens, "close": closes} for day in days for opens, closes in times]
    return intervals
