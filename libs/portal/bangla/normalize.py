"""Unicode clean-up and number parsing for Bangla text typed by people and data clerks.

The same word reaches us in several byte forms: precomposed or decomposed য় ড় ঢ়, with stray
zero-width joiners from phone keyboards, with Bangla or ASCII digits.  Everything that compares
or indexes text goes through :func:`normalize_text` first so those spellings meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Zero-width space, non-joiner, joiner and BOM: invisible, but they split or change matches.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))
_BN_DIGITS = "০১২৩৪৫৬৭৮৯"
_TO_ASCII = str.maketrans(_BN_DIGITS, "0123456789")
_TO_BANGLA = str.maketrans("0123456789", _BN_DIGITS)
_WHITESPACE = re.compile(r"\s+")

#: Currency marks a price may carry, longest first so "BDT" is not read as a stray "B".
_CURRENCY = re.compile(r"^(?:৳|tk\.?|bdt|টাকা)\s*|\s*(?:৳|tk\.?|bdt|টাকা)$", re.IGNORECASE)
#: Plain digits, Western grouping (1,200,000) or Bangladeshi lakh grouping (12,00,000).
_NUMBER = re.compile(r"^-?(?:\d+|\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})*,\d{3})(?:\.\d+)?$")


def bangla_digits_to_ascii(s: str) -> str:
    """Replace Bangla digits ০-৯ with 0-9; everything else is left alone."""
    return s.translate(_TO_ASCII)


def ascii_digits_to_bangla(s: str) -> str:
    """Replace 0-9 with Bangla digits ০-৯, for showing numbers back to Bangla readers."""
    return s.translate(_TO_BANGLA)


def normalize_text(s: str) -> str:
    """One canonical form for comparing and indexing: NFC, no zero-width marks, ASCII digits.

    Invisible marks are removed *before* NFC so that a joiner sitting between a letter and its
    sign cannot block composition.  NFC turns ড় ঢ় য় into base + nukta (they are composition
    exclusions), which is fine: both input spellings end up identical.  Case is kept.
    """
    if s.isascii() and s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s  # already canonical: most ids, dates, slugs and English words take this path
    return _normalize(s) if len(s) <= 200 else _normalize.__wrapped__(s)


@lru_cache(maxsize=20_000)  # ~200 B an entry: a bounded few MB, whatever text arrives
def _normalize(s: str) -> str:
    """The slow path, cached: the same names, services and places arrive again and again."""
    s = unicodedata.normalize("NFC", s.translate(_INVISIBLE))
    return _WHITESPACE.sub(" ", bangla_digits_to_ascii(s)).strip()


def parse_number(s: str) -> float:
    """Read a price or quantity as typed in Bangladesh: "১,২০,০০০", "৳ 1,200", "Tk 50.5".

    Separators must sit where Western or lakh grouping puts them, so a typo like "1,20" is an
    error rather than silently 120.
    """
    text = _CURRENCY.sub("", normalize_text(s)).strip()
    if not _NUMBER.match(text):
        raise ValueError(
            f"{s!r} is not a number: expected digits with optional , grouping and a . decimal, "
            "optionally marked ৳, Tk or BDT (e.g. '১,২০,০০০' or 'Tk 1,200.50')"
        )
    return float(text.replace(",", ""))


def is_bangla(s: str) -> bool:
    """True if ``s`` has at least one letter from the Bengali block (digits alone do not count)."""
    return any("\u0980" <= ch <= "\u09ff" and unicodedata.category(ch).startswith("L") for ch in s)
