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

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from portal.clerk_messages import ClerkError
from portal.clock import minute_of_week, to_dhaka
from portal.contracts import SCHEMAS_DIR

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
#
# Clerks write hours the way they say them: "শনি থেকে বৃহস্পতি সকাল ৯টা - সন্ধ্যা ৬টা; শুক্রবার বন্ধ",
# "sat to thu 9am-6pm", "২৪ ঘণ্টা". The vocabulary is data (schemas/csv/hours.json); the grammar is a
# small tokenizer and a clause builder below. Errors are HoursError: a code and parameters, worded
# in Bangla and English by schemas/csv/messages.json.


class HoursError(ClerkError):
    """An hours cell that cannot be read; `code` names the problem, str() says it in English."""


@dataclass(frozen=True)
class _Vocabulary:
    words: dict[str, tuple[str, object]]  # one word -> (kind, value)
    phrases: list[tuple[re.Pattern[str], str]]  # multi-word phrase -> placeholder token


@cache
def _vocabulary() -> _Vocabulary:
    with open(SCHEMAS_DIR / "csv" / "hours.json", encoding="utf-8") as f:
        raw = json.load(f)

    def key(word: str) -> str:
        return unicodedata.normalize("NFC", word).translate(_BANGLA_DIGITS).casefold()

    words: dict[str, tuple[str, object]] = {}
    for code, names in raw["days"].items():
        for name in names:
            words[key(name)] = ("day", code)
    for kind in ("range", "until", "list", "clause", "filler", "oclock", "noon", "midnight", "closed"):
        for name in raw[kind]:
            words[key(name)] = (kind, None)
    for name, period in raw["periods"].items():
        words[key(name)] = ("period", period)
    for name, meridiem in raw["meridiem"].items():
        words[key(name)] = ("meridiem", meridiem)
    for name, minutes in raw["minutes_offset"].items():
        words[key(name)] = ("offset", minutes)
    phrases = []
    for kind in ("always", "every_day", "noon", "closed"):
        for phrase in sorted(raw[kind], key=len, reverse=True):
            if " " in phrase or "/" in phrase or kind in ("always", "every_day"):
                placeholder = f"\x00{kind}\x00"
                words[placeholder] = (kind, None)
                pattern = re.compile(rf"(?<![\w\u0980-\u09ff]){re.escape(key(phrase))}(?![\w\u0980-\u09ff])")
                phrases.append((pattern, f" {placeholder} "))
    phrases.sort(key=lambda item: len(item[0].pattern), reverse=True)
    return _Vocabulary(words=words, phrases=phrases)


_BANGLA_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_TOKEN = re.compile(
    r"(?P<num>\d{1,2}(?:[:.]\d{2}(?![\d]))?)"
    r"|(?P<word>\x00\w+\x00|[a-z]\.[a-z]\.?|[a-z\u0980-\u09ff'’]+[.:]?)"
    r"|(?P<sym>[-;,|।&\n()])"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)"
)
_DAYS_HINT = "sat…fri, saturday…friday, শনি…শুক্র (optionally with বার), or daily / প্রতিদিন"


@dataclass
class _Time:
    hour: int
    minute: int
    text: str
    hint: str | None = None  # "am", "pm" or a period of the day (সকাল → "morning")

    def resolved(self) -> int:
        """Minutes since midnight this time means, 0..1440, given its am/pm or period word."""
        h, hint = self.hour, self.hint
        if hint == "am":
            h = 0 if h == 12 else h
        elif hint == "pm" or (hint in ("afternoon", "evening") and h < 12):
            h = h if h == 12 else h + 12
        elif hint == "noon" and h < 6:
            h += 12
        elif hint == "night":
            h = 24 if h == 12 else h + 12 if h >= 6 else h
        return h * 60 + self.minute

    @property
    def twelve_hour(self) -> bool:
        """Without am/pm or a period word, could this be a 12-hour clock reading (1..12)?"""
        return self.hint is None and 1 <= self.hour <= 12


@dataclass
class _Clause:
    days: list[str] = field(default_factory=list)
    ranges: list[tuple[str, str]] = field(default_factory=list)
    closed: bool = False
    always: bool = False

    @property
    def stated(self) -> bool:
        return bool(self.ranges) or self.closed or self.always


def _hhmm(minutes: int, *, closing: bool) -> str:
    if minutes == 0 and closing:
        minutes = DAY_MINUTES
    if minutes == DAY_MINUTES and not closing:
        minutes = 0
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _tokens(cell: str) -> list[tuple[str, object, str]]:
    """(kind, value, text) for each meaningful piece of the cell."""
    vocabulary = _vocabulary()
    text = unicodedata.normalize("NFC", cell).translate(_BANGLA_DIGITS).casefold()
    text = text.replace("–", "-").replace("—", "-").replace("\r", "\n")
    text = re.sub(r"24\s*[/x×]\s*7", "24/7", text)
    for pattern, placeholder in vocabulary.phrases:
        text = pattern.sub(placeholder, text)
    found: list[tuple[str, object, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        piece = match.group()
        if kind == "space":
            if "\n" in piece:
                found.append(("clause", None, "\n"))
            continue
        if kind == "num":
            found.append(("num", piece, piece))
            continue
        if piece in "()":
            found.append(("clause", None, piece))
            continue
        known = vocabulary.words.get(piece) or vocabulary.words.get(piece.rstrip(".:"))
        if known is None and kind == "word" and piece.endswith(("টা", "টায়", "টার")):
            stem = piece[: -len("টা")] if piece.endswith("টা") else piece[: -len("টায়")]
            known = vocabulary.words.get(stem)
        if known is None:
            raise HoursError("hours_unknown_word", word=piece.strip("\x00"), cell=cell.strip())
        found.append((known[0], known[1], piece))
    return found


def _read_time(tokens: list[tuple[str, object, str]], i: int, cell: str) -> tuple[_Time, int]:
    """A time starting at tokens[i] (offset and period words, number, am/pm, o'clock)."""
    hint: str | None = None
    offset = 0
    text_parts: list[str] = []
    while i < len(tokens) and tokens[i][0] in ("period", "offset"):
        kind, value, piece = tokens[i]
        if kind == "period":
            hint = str(value)
        else:
            offset = int(value)  # type: ignore[call-overload]
        text_parts.append(piece)
        i += 1
    if i >= len(tokens) or tokens[i][0] not in ("num", "noon", "midnight"):
        shown = " ".join(text_parts) or (tokens[i][2] if i < len(tokens) else "")
        raise HoursError("hours_bad_time", time=shown, cell=cell.strip())
    kind, value, piece = tokens[i]
    text_parts.append(piece)
    i += 1
    if kind == "noon":
        return _Time(12, 0, " ".join(text_parts), "noon"), i
    if kind == "midnight":
        return _Time(12, 0, " ".join(text_parts), "am"), i
    hour_text, _, minute_text = str(value).replace(".", ":").partition(":")
    hour, minute = int(hour_text), int(minute_text or 0)
    while i < len(tokens) and tokens[i][0] in ("meridiem", "oclock"):
        if tokens[i][0] == "meridiem":
            hint = str(tokens[i][1])
        text_parts.append(tokens[i][2])
        i += 1
    shown = " ".join(text_parts)
    if minute > 59 or hour > 24 or (hour == 24 and minute) or (hint in ("am", "pm") and not 1 <= hour <= 12):
        raise HoursError("hours_bad_time", time=shown, cell=cell.strip())
    total = hour * 60 + minute + offset
    if offset:
        hour, minute = divmod(total, 60)
        hour %= 24
    return _Time(hour, minute, shown, hint), i


def _resolve_range(opens: _Time, closes: _Time, cell: str) -> tuple[str, str]:
    """Both ends in 24-hour HH:MM; refuses a likely 12-hour slip instead of guessing overnight."""
    if opens.hint is None and closes.hint in ("am", "pm") and opens.twelve_hour:
        same = _Time(opens.hour, opens.minute, opens.text, closes.hint)
        other = _Time(opens.hour, opens.minute, opens.text, "am" if closes.hint == "pm" else "pm")
        fits = 0 < closes.resolved() - same.resolved() <= 12 * 60
        opens = same if fits else other  # "9-6pm" is 9am-6pm, "2-6pm" is 2pm-6pm
    start, end = opens.resolved(), closes.resolved()
    shown = f"{opens.text}-{closes.text}"
    if start >= DAY_MINUTES:
        raise HoursError("hours_bad_time", time=opens.text, cell=cell.strip())
    if start % DAY_MINUTES == end % DAY_MINUTES:
        raise HoursError("hours_same_time", range=shown, cell=cell.strip())
    # A bare closing hour (no am/pm, no period word) before the opening is a slip when reading it as
    # p.m. gives a same-day range: "9:00-6:00", "সকাল ৯টা-৬টা". "রাত ৮টা-৬টা" and "21:00-6:00" stay
    # overnight, because 18:00 would still be before their opening.
    if end < start and closes.twelve_hour and (opens.twelve_hour or end + 12 * 60 > start):
        evening = end + 12 * 60
        raise HoursError(
            "hours_twelve_hour_slip",
            range=shown,
            cell=cell.strip(),
            open=_hhmm(start, closing=False),
            close=_hhmm(end, closing=True),
            evening=_hhmm(evening, closing=True),
        )
    return _hhmm(start, closing=False), _hhmm(end, closing=True)


def _day_range(first: str, last: str) -> list[str]:
    index = DAYS.index(first)
    days = []
    while True:  # walk forward through the week, so "thu-sat" is thu, fri, sat
        days.append(DAYS[index])
        if DAYS[index] == last:
            return days
        index = (index + 1) % 7


def _clauses(tokens: list[tuple[str, object, str]], cell: str) -> list[_Clause]:
    clauses = [_Clause()]
    i = 0
    while i < len(tokens):
        kind, value, piece = tokens[i]
        clause = clauses[-1]
        if kind in ("clause",):
            clauses.append(_Clause())
            i += 1
        elif kind in ("day", "every_day"):
            if clause.stated:
                clause = _Clause()
                clauses.append(clause)
            if kind == "every_day":
                clause.days += DAYS
                i += 1
                if (
                    i < len(tokens)
                    and tokens[i][0] == "range"
                    and i + 1 < len(tokens)
                    and tokens[i + 1][0] == "day"
                ):
                    raise HoursError("hours_day_range_end", word="daily", cell=cell.strip())
                continue
            first = str(value)
            i += 1
            if i + 1 < len(tokens) and tokens[i][0] == "range" and tokens[i + 1][0] in ("day", "every_day"):
                if tokens[i + 1][0] != "day":
                    raise HoursError(
                        "hours_day_range_end", word=tokens[i + 1][2].strip("\x00"), cell=cell.strip()
                    )
                clause.days += _day_range(first, str(tokens[i + 1][1]))
                i += 2
            else:
                clause.days.append(first)
        elif kind in ("num", "period", "offset", "noon", "midnight"):
            opens, i = _read_time(tokens, i, cell)
            while i < len(tokens) and tokens[i][0] == "filler":
                i += 1
            if i >= len(tokens) or tokens[i][0] != "range":
                raise HoursError("hours_time_without_end", time=opens.text, cell=cell.strip())
            i += 1
            closes, i = _read_time(tokens, i, cell)
            clause.ranges.append(_resolve_range(opens, closes, cell))
        elif kind == "closed":
            clause.closed = True
            i += 1
        elif kind == "always":
            clause.always = True
            i += 1
        elif kind in ("list", "until", "filler", "oclock"):
            i += 1
        else:  # a dash or meridiem with nothing before it
            raise HoursError("hours_unknown_word", word=piece.strip("\x00"), cell=cell.strip())
    return [c for c in clauses if c.days or c.stated]


def parse_hours_text(text: str) -> list[Interval] | None:
    """Parse a spreadsheet cell of opening hours, as clerks type them, into schema intervals.

    Examples (clauses separated by ``;``, ``।``, new lines, or a comma before the next days)::

        sat-thu 09:00-18:00; fri 15:00-22:00
        শনি থেকে বৃহস্পতি সকাল ৯টা - সন্ধ্যা ৬টা, শুক্রবার বন্ধ
        sat to thu 9am-6pm; fri closed
        সকাল ৯টা - রাত ৯টা                      (no days: every day)
        daily 20:00-02:00                       (crosses midnight every night)
        sun, tue 9:00-13:00, 14:00-17:00        (day list; a lunch break)
        24/7, ২৪ ঘণ্টা, সার্বক্ষণিক              -> None (always open)
        closed / বন্ধ                            -> [] (never open)

    Times are 24-hour ``H:MM``/``H.MM``/``H``, or 12-hour with am/pm or a Bangla period word
    (ভোর সকাল দুপুর বিকাল সন্ধ্যা রাত) and ``টা``; সাড়ে/সোয়া/পৌনে add 30/15/-15 minutes.
    A close earlier than the open crosses midnight, except that a bare closing hour of 12 or less
    (no am/pm or period word) that would be later than the opening read as p.m. (``9:00-6:00``,
    ``সকাল ৯টা-৬টা``) raises ``hours_twelve_hour_slip``: it is far more often 9 a.m. to 6 p.m.
    typed on a 12-hour clock than a night shift.
    Days named as closed get no intervals; days never named get the times of a clause that
    names no days. Raises HoursError naming the offending part; an empty cell is an error too,
    because what a blank means is for the caller to decide.
    """
    cell = unicodedata.normalize("NFC", text).strip()
    if not cell:
        raise HoursError("hours_empty")
    clauses = _clauses(_tokens(cell), cell)
    if not clauses:
        raise HoursError("hours_no_time", days="", cell=cell)
    if len(clauses) == 1 and not clauses[0].days and clauses[0].always:
        return None
    if len(clauses) == 1 and not clauses[0].days and clauses[0].closed and not clauses[0].ranges:
        return []
    if all(c.days and c.always and not c.ranges for c in clauses) and {
        d for c in clauses for d in c.days
    } == set(DAYS):
        return None
    named: dict[str, str] = {}  # day -> "open" | "closed"
    for clause in clauses:
        if clause.days and not clause.stated:
            raise HoursError("hours_no_time", days=", ".join(clause.days), cell=cell)
        if clause.closed and clause.ranges:
            raise HoursError("hours_closed_and_open", days=", ".join(clause.days) or "—", cell=cell)
        for day in clause.days:
            state = "closed" if clause.closed else "open"
            if named.get(day, state) != state:
                raise HoursError("hours_closed_and_open", days=day, cell=cell)
            named[day] = state
    intervals: list[Interval] = []
    unnamed = [day for day in DAYS if day not in named]
    if not any(c.ranges or c.always for c in clauses):
        closed = ", ".join(day for day, state in named.items() if state == "closed")
        raise HoursError("hours_only_closed", days=closed, cell=cell)
    for clause in clauses:
        if clause.closed:
            continue
        days = list(dict.fromkeys(clause.days)) or unnamed
        spans = [("00:00", "24:00")] if clause.always else clause.ranges
        intervals += [{"day": day, "open": o, "close": c} for day in days for o, c in spans]
    if not intervals:
        raise HoursError("hours_no_time", days="", cell=cell)
    return intervals
