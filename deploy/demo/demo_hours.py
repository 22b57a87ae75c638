"""Weekly opening hours in the shapes Kishoreganj providers actually keep.

The week starts on Saturday and Friday is the holiday for most shops (some open after Jumma prayers);
government offices work Sunday to Thursday. Pharmacies, clinics and diagnostic centres keep long days every
day of the week, some opening on Friday only after the Jumma prayer. A night interval is written with
`close` earlier than `open`, which the event schema reads as crossing midnight, so search can be tested on
"open at 01:00 on Saturday". Each pattern returns None for "always open", which the schema spells as an
absent `hours`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from random import Random

Interval = dict[str, str]
Hours = list[Interval] | None

WEEK = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
SAT_TO_THU = WEEK[:6]
SUN_TO_THU = WEEK[1:6]


def _span(days: Iterable[str], open_: str, close: str) -> list[Interval]:
    return [{"day": day, "open": open_, "close": close} for day in days]


def always_open(rng: Random) -> Hours:
    return None


def shop_friday_off(rng: Random) -> Hours:
    return _span(
        SAT_TO_THU, rng.choice(("08:00", "09:00", "09:00", "10:00")), rng.choice(("18:00", "19:00", "20:00"))
    )


def _friday_after_prayer(rng: Random, open_: str, close: str) -> list[Interval]:
    """Saturday to Thursday from `open_`, Friday only after the midday (Jumma) prayer; all to `close`."""
    return _span(SAT_TO_THU, open_, close) + _span(("fri",), rng.choice(("14:30", "15:00")), close)


def shop_friday_afternoon(rng: Random) -> Hours:
    """Open all week, but on Friday only after the midday prayer."""
    open_, close = rng.choice(("09:00", "09:00", "10:00")), rng.choice(("18:00", "20:00", "21:00"))
    return _friday_after_prayer(rng, open_, close)


def split_shift(rng: Random) -> Hours:
    """A morning and an evening sitting with a long midday break (doctors' chambers, lawyers, salons)."""
    morning = _span(
        SAT_TO_THU, rng.choice(("08:00", "09:00", "09:30")), rng.choice(("12:30", "13:00", "14:00"))
    )
    evening = _span(SAT_TO_THU, rng.choice(("16:00", "17:00")), rng.choice(("21:00", "22:00")))
    return morning + evening


def night_shift(rng: Random) -> Hours:
    """Evening to small hours, crossing midnight; on Friday night it runs into Saturday."""
    close = rng.choice(("02:00", "03:00"))
    return _span(SAT_TO_THU, rng.choice(("20:00", "21:00")), close) + _span(("fri",), "22:00", close)


def every_day(rng: Random) -> Hours:
    return _span(WEEK, rng.choice(("06:00", "07:00", "08:00")), rng.choice(("17:00", "19:00", "20:00")))


def late_shop(rng: Random) -> Hours:
    """Open every day into the evening, Friday included (salons are busiest then)."""
    return _span(WEEK, rng.choice(("09:00", "10:00")), rng.choice(("21:00", "22:00", "23:00")))


def government_office(rng: Random) -> Hours:
    return _span(SUN_TO_THU, "09:00", "17:00")


def pharmacy(rng: Random) -> Hours:
    """A neighbourhood pharmacy: early morning to late evening, every day of the week."""
    return _span(
        WEEK, rng.choice(("08:00", "08:00", "08:30", "09:00")), rng.choice(("22:00", "22:30", "23:00"))
    )


def pharmacy_friday_afternoon(rng: Random) -> Hours:
    """A pharmacy whose owner keeps Friday morning for the mosque and opens after the Jumma prayer."""
    return _friday_after_prayer(rng, rng.choice(("08:00", "08:30", "09:00")), rng.choice(("22:00", "23:00")))


def long_day(rng: Random) -> Hours:
    """A private clinic that admits from early morning until late at night, every day."""
    return _span(WEEK, rng.choice(("07:00", "08:00")), rng.choice(("22:00", "23:00")))


def diagnostic_centre(rng: Random) -> Hours:
    """X-ray and laboratory from the morning's first samples to the evening's last reports, every day."""
    return _span(WEEK, rng.choice(("08:00", "08:00", "08:30")), rng.choice(("21:00", "21:30", "22:00")))


def diagnostic_friday_afternoon(rng: Random) -> Hours:
    return _friday_after_prayer(rng, rng.choice(("08:00", "08:30")), rng.choice(("21:00", "22:00")))


HOURS_PATTERNS: dict[str, Callable[[Random], Hours]] = {
    "always": always_open,
    "shop": shop_friday_off,
    "shop_fri_pm": shop_friday_afternoon,
    "split": split_shift,
    "night": night_shift,
    "every_day": every_day,
    "late_shop": late_shop,
    "office": government_office,
    "pharmacy": pharmacy,
    "pharmacy_fri_pm": pharmacy_friday_afternoon,
    "long_day": long_day,
    "diagnostic": diagnostic_centre,
    "diagnostic_fri_pm": diagnostic_friday_afternoon,
}
