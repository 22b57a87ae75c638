"""Local time for the portal: everything that decides "open now" works in Asia/Dhaka.

Bangladesh is UTC+6 with no DST today, but we still go through zoneinfo rather than a fixed
offset so that historical timestamps (DST was tried in 2009) convert correctly.  The portal's
week starts on Saturday, so minute-of-week 0 is Saturday 00:00 local time.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

DHAKA = ZoneInfo("Asia/Dhaka")

#: datetime.weekday() of Saturday; the portal's week starts there.
_SATURDAY = 5


def now_dhaka() -> datetime:
    """The current aware time in Asia/Dhaka; the one place that reads the wall clock."""
    return datetime.now(DHAKA)


def to_dhaka(dt: datetime) -> datetime:
    """Convert an aware datetime to Asia/Dhaka.

    Naive datetimes are rejected because guessing their zone is how "open now" goes wrong by
    six hours on a server running in UTC.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt.isoformat()} has no time zone; pass an aware datetime")
    return dt.astimezone(DHAKA)


def minute_of_week(at: datetime) -> int:
    """Whole minutes since Saturday 00:00 Asia/Dhaka (0..10079); seconds are dropped.

    This is the value the search engine matches against a provider's opening ranges.
    """
    local = to_dhaka(at)
    day = (local.weekday() - _SATURDAY) % 7
    return day * 24 * 60 + local.hour * 60 + local.minute
