"""Weekly opening hours: is a place open at a given moment, and when does that change.

Hours arrive as intervals ``{"day": "sat", "open": "09:00", "close": "18:00"}`` in Asia/Dhaka
local time (see ``interval`` in ``schemas/events/provider.schema.json``).  The rules:

* ``close`` later than ``open`` is a same-day interval; ``close`` ``"24:00"`` means end of day.
* ``close`` earlier than ``open`` crosses midnight into the next day; Friday night crosses into
  Saturday, i.e. wraps the week (the portal's week starts on Saturday).
* ``close`` equal to ``open`` means 24 hours starting at ``open`` (``"mon 09:00-09:00"`` is open
  Monday 09:00 until Tuesday 09:00).  The schema accepts it, so computations honour it (the clerks'
  hours cells, read in ingest's csv_import, refuse it because in a spreadsheet it is usually a typo).
* ``hours`` absent (``None``) means always open -- the schema says so, and most listings
  (pharmacies on call, hotlines) have no hours at all.  An empty list means never open: someone
  stated the hours and listed none, which is different from not stating them.

For the search engine the intervals become minute-of-week ranges (see ``week_minute_ranges``), so
"open now" is a single ``term`` query on the current minute; ``next_open`` answers "when does it
open" from the same ranges.
"""

from __future__ import annotations

import re
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


def next_open(hours: Hours, at: datetime) -> datetime | None:
    """The next moment (aware, Asia/Dhaka, whole minute) the place opens after ``at``.

    None if it is open at ``at`` (there is no "next" opening to wait for) or never opens.
    Looks across days and across the week's end: Friday evening's answer may be Saturday.
    """
    return next_open_in(week_minute_ranges(hours), at)


def next_open_in(ranges: list[Range], at: datetime) -> datetime | None:
    """``next_open`` of hours already turned into ``week_minute_ranges`` (as the index stores them in
    ``open_minutes``): search answers from the stored ranges instead of reading the hours again."""
    minute = minute_of_week(at)
    if not ranges or _containing(ranges, minute):
        return None
    start = next((gte for gte, _ in ranges if gte > minute), ranges[0][0] + WEEK_MINUTES)
    return _minutes_after(at, start - minute)
