"""Small text helpers the demo generator needs for Bangla: NFC and Bangla digits.

Every Bangla string the generator emits is built from pieces that were NFC-normalised once, at import,
so generating a million events never pays for normalisation again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

Name = tuple[str, str]
"""A (bn, en) pair: the Bangla text and its English transliteration or translation."""

_BANGLA_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def nfc(text: str) -> str:
    """Canonical composition, so য় and ড় compare equal however the source typed them."""
    return unicodedata.normalize("NFC", text)


def nfc_names(pairs: Iterable[Name]) -> tuple[Name, ...]:
    """Normalise a hand-written table of (bn, en) pairs once, at import time."""
    return tuple((nfc(bn), en) for bn, en in pairs)


def bangla_digits(text: str) -> str:
    """Write ASCII digits as Bangla digits (৩৫০), the way sellers often type prices and weights."""
    return text.translate(_BANGLA_DIGITS)
