"""Bangladeshi mobile numbers in one form, so a provider listed twice is found as one.

Clerks and providers write the same number as "০১৭১২-৩৪৫৬৭৮", "+880 1712 345678" or
"8801712345678"; we store E.164 (+8801XXXXXXXXX) and reject anything that cannot be a mobile.
"""

from __future__ import annotations

import re

from portal.bangla.normalize import bangla_digits_to_ascii

_EXAMPLE = "expected a Bangladeshi mobile number like 01712-345678 or +8801712-345678"
_SEPARATORS = re.compile(r"[\s\-()./]+")
_COUNTRY_PREFIXES = ("+88", "0088", "88")


def normalize_bd_mobile(raw: str) -> str:
    """Return ``raw`` as E.164 ``+8801XXXXXXXXX``, or raise ValueError saying what is wrong.

    Accepts Bangla digits, spaces, dashes and parentheses, an optional +88 / 88 / 0088 country
    prefix, and the national form with or without its leading 0.  The digit after 01 is the
    operator and must be 3-9: 010-012 are not issued to mobile operators.
    """
    text = _SEPARATORS.sub("", bangla_digits_to_ascii(raw).strip())
    national = text
    for prefix in _COUNTRY_PREFIXES:
        if text.startswith(prefix) and len(text) - len(prefix) in (10, 11):
            national = text[len(prefix) :]
            break
    if not national:
        raise ValueError(f"no phone number given: {_EXAMPLE}")
    if national.startswith("+"):
        raise ValueError(f"{raw!r} has a foreign country code (Bangladesh is +88): {_EXAMPLE}")
    if not national.isdigit() or not national.isascii():
        raise ValueError(f"{raw!r} has characters other than digits, spaces and dashes: {_EXAMPLE}")
    if len(national) == 10 and national.startswith("1"):
        national = "0" + national
    if len(national) != 11 or not national.startswith("01"):
        raise ValueError(
            f"{raw!r} is not a mobile number ({len(national)} digits, starting {national[:2]!r}): {_EXAMPLE}"
        )
    if national[2] not in "3456789":
        raise ValueError(
            f"{raw!r} starts with {national[:3]}, which is not a mobile operator code (013-019): {_EXAMPLE}"
        )
    return "+88" + national
