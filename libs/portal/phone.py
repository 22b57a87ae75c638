"""Bangladeshi mobile numbers in one form, so a provider listed twice is found as one.

Clerks and providers write the same number as "০১৭১২-৩৪৫৬৭৮", "+880 1712 345678" or
"8801712345678"; we store E.164 (+8801XXXXXXXXX) and reject anything that cannot be a mobile.
"""

from __future__ import annotations

import re

from portal.bangla.normalize import bangla_digits_to_ascii
from portal.clerk_messages import ClerkError


class PhoneError(ClerkError):
    """Not a Bangladeshi mobile number; `code` says why (messages in schemas/csv/messages.json)."""


_SEPARATORS = re.compile(r"[\s\-()./]+")
_COUNTRY_PREFIXES = ("+88", "0088", "88")


def normalize_bd_mobile(raw: str) -> str:
    """Return ``raw`` as E.164 ``+8801XXXXXXXXX``, or raise PhoneError (a ValueError) saying what is wrong.

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
        raise PhoneError("phone_empty")
    if national.startswith("+"):
        raise PhoneError("phone_foreign", value=repr(raw))
    if not national.isdigit() or not national.isascii():
        raise PhoneError("phone_characters", value=repr(raw))
    if len(national) == 10 and national.startswith("1"):
        national = "0" + national
    if len(national) != 11 or not national.startswith("01"):
        raise PhoneError("phone_not_mobile", value=repr(raw), digits=len(national), start=repr(national[:2]))
    if national[2] not in "3456789":
        raise PhoneError("phone_operator", value=repr(raw), prefix=national[:3])
    return "+88" + national
