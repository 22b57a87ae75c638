"""Opening hours as clerks type them in a spreadsheet cell → the schema's weekly intervals.

"শনি থেকে বৃহস্পতি সকাল ৯টা - সন্ধ্যা ৬টা; শুক্রবার বন্ধ", "sat to thu 9am-6pm", "২৪ ঘণ্টা",
"শুক্রবার ছাড়া সকাল ৯-৫", "শুক্রবার সকাল ১০টা-দুপুর ১টা, বাকি দিন সকাল ৯টা-রাত ৮টা", "সারাদিন",
"রাত ১২টা - সকাল ৬টা". The vocabulary is data (schemas/csv/hours.json); the grammar is a small
tokenizer and a clause builder here. Errors are HoursError: a code and parameters, worded in Bangla and
English by schemas/csv/messages.json, and a suggested fix keeps the clerk's own numbers.
Only imports read hours this way (events carry intervals already), so it lives with the importer;
the hours model itself — intervals, minute-of-week ranges, next opening — is portal.hours.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from portal.bangla.normalize import ascii_digits_to_bangla
from portal.clerk_messages import ClerkError
from portal.contracts import SCHEMAS_DIR
from portal.hours import DAY_MINUTES, DAYS, Interval


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
    for kind in (
        "range",
        "until",
        "list",
        "clause",
        "filler",
        "oclock",
        "noon",
        "midnight",
        "closed",
        "except",
    ):
        for name in raw[kind]:
            words[key(name)] = (kind, None)
    for name, period in raw["periods"].items():
        words[key(name)] = ("period", period)
    for name, meridiem in raw["meridiem"].items():
        words[key(name)] = ("meridiem", meridiem)
    for name, minutes in raw["minutes_offset"].items():
        words[key(name)] = ("offset", minutes)
    phrases = []
    for kind in ("always", "every_day", "noon", "closed", "rest", "except"):
        for phrase in sorted(raw[kind], key=len, reverse=True):
            if " " in phrase or "/" in phrase or kind in ("always", "every_day", "rest"):
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
    rest: bool = False  # "বাকি দিন": the days no other clause names

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
    if start == DAY_MINUTES and opens.hint == "night":
        start = 0  # "রাত ১২টা" opening is the start of the day (midnight), closing the end of it
    if start >= DAY_MINUTES:
        raise HoursError("hours_bad_time", time=opens.text, cell=cell.strip())
    # "সকাল ৯-৫": a morning opening and a bare, smaller closing hour is the afternoon of the same day
    if (
        opens.hint in ("morning", "dawn")
        and closes.twelve_hour
        and end < start
        and 0 < end + 12 * 60 - start <= 15 * 60
    ):
        end += 12 * 60
    if start % DAY_MINUTES == end % DAY_MINUTES:
        raise HoursError("hours_same_time", range=shown, cell=cell.strip())
    # A bare closing hour (no am/pm, no period word) before the opening is a slip when reading it as
    # p.m. gives a same-day range: "9:00-6:00", "সকাল ৯টা-৬টা". "রাত ৮টা-৬টা" and "21:00-6:00" stay
    # overnight, because 18:00 would still be before their opening.
    if end < start and closes.twelve_hour and (opens.twelve_hour or end + 12 * 60 > start):
        evening = end + 12 * 60
        said_open, said_evening = _said(start), _said(evening)
        said_morning = _said(end)
        raise HoursError(
            "hours_twelve_hour_slip",
            range=shown,
            cell=cell.strip(),
            open=_hhmm(start, closing=False),
            close=_hhmm(end, closing=True),
            evening=_hhmm(evening, closing=True),
            suggest_en=f"{_twelve(start)}-{_twelve(evening)}",
            overnight_en=f"{_twelve(start)}-{_twelve(end)}",
            open_bn=said_open,
            evening_bn=said_evening,
            close_bn=f"ভোর {said_morning.split(' ', 1)[1]}" if " " in said_morning else said_morning,
            suggest_bn=f"{said_open}-{said_evening}",
            overnight_bn=f"{said_open}-ভোর {said_morning.split(' ', 1)[1]}",
        )
    return _hhmm(start, closing=False), _hhmm(end, closing=True)


def _said(minutes: int) -> str:
    """A time of day as Bangla says it, with the clerk's own hour: 17:00 → "বিকাল ৫টা", 9:30 → "সকাল ৯:৩০টা"."""
    minutes %= DAY_MINUTES
    hour, minute = divmod(minutes, 60)
    period = (
        "রাত" if hour < 4 or hour >= 20 else
        "ভোর" if hour < 6 else
        "সকাল" if hour < 12 else
        "দুপুর" if hour < 15 else
        "বিকাল" if hour < 18 else
        "সন্ধ্যা"
    )  # fmt: skip
    twelve = hour % 12 or 12
    clock = f"{twelve}:{minute:02d}" if minute else str(twelve)
    return f"{period} {ascii_digits_to_bangla(clock)}টা"


def _twelve(minutes: int) -> str:
    minutes %= DAY_MINUTES
    hour, minute = divmod(minutes, 60)
    suffix = "am" if hour < 12 else "pm"
    twelve = hour % 12 or 12
    return f"{twelve}:{minute:02d}{suffix}" if minute else f"{twelve}{suffix}"


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
        elif kind == "except":
            # "শুক্রবার ছাড়া" names the days before it; "except fri" the days after it
            if clause.days and not clause.stated:
                excluded, clause.days = clause.days, []
                i += 1
            else:
                i += 1
                excluded = []
                while i < len(tokens) and tokens[i][0] in ("day", "list"):
                    if tokens[i][0] == "day":
                        if i + 2 < len(tokens) and tokens[i + 1][0] == "range" and tokens[i + 2][0] == "day":
                            excluded += _day_range(str(tokens[i][1]), str(tokens[i + 2][1]))
                            i += 3
                            continue
                        excluded.append(str(tokens[i][1]))
                    i += 1
            if not excluded:
                raise HoursError("hours_unknown_word", word=piece.strip("\x00"), cell=cell.strip())
            clause.days += [d for d in DAYS if d not in excluded and d not in clause.days]
        elif kind == "rest":
            if clause.stated or clause.days:
                clause = _Clause()
                clauses.append(clause)
            clause.rest = True
            i += 1
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
    return [c for c in clauses if c.days or c.stated or c.rest]


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
    closed_rest = False
    if not any(c.ranges or c.always for c in clauses):
        closed = ", ".join(day for day, state in named.items() if state == "closed")
        raise HoursError("hours_only_closed", days=closed, cell=cell)
    for clause in clauses:
        if clause.closed:
            if clause.rest:
                closed_rest = True
            continue
        days = list(dict.fromkeys(clause.days)) or unnamed
        spans = [("00:00", "24:00")] if clause.always else clause.ranges
        intervals += [{"day": day, "open": o, "close": c} for day in days for o, c in spans]
    if not intervals and not closed_rest:
        raise HoursError("hours_no_time", days="", cell=cell)
    return intervals
