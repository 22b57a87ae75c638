"""Bangladeshi mobile numbers: every way clerks write one, and errors they can act on."""

from __future__ import annotations

import pytest

from portal.phone import normalize_bd_mobile

E164 = "+8801712345678"


@pytest.mark.parametrize(
    "raw",
    [
        "01712345678",
        "01712-345678",
        "০১৭১২-৩৪৫৬৭৮",
        "০১৭১২ ৩৪৫ ৬৭৮",
        "+8801712345678",
        "+880 1712-345678",
        "+88 (017) 1234-5678",
        "8801712345678",
        "008801712345678",
        "1712345678",
        "+881712345678",
        "  01712 345678  ",
    ],
)
def test_accepted_forms(raw: str) -> None:
    assert normalize_bd_mobile(raw) == E164


@pytest.mark.parametrize("operator", "3456789")
def test_every_mobile_operator_code(operator: str) -> None:
    assert normalize_bd_mobile(f"01{operator}12345678") == f"+8801{operator}12345678"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("01212345678", "012, which is not a mobile operator code"),
        ("01012345678", "010, which is not a mobile operator code"),
        ("0171234567", "10 digits"),
        ("017123456789", "12 digits"),
        ("029123456", "9 digits"),
        ("+919812345678", "foreign country code"),
        ("01712-34567x", "characters other than digits"),
        ("", "no phone number given"),
    ],
)
def test_rejected_with_actionable_message(raw: str, reason: str) -> None:
    with pytest.raises(ValueError) as err:
        normalize_bd_mobile(raw)
    message = str(err.value)
    assert reason in message
    assert "expected a Bangladeshi mobile number like 01712-345678" in message
    if raw:
        assert repr(raw) in message
