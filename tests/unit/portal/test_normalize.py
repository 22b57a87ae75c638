"""Unicode clean-up and number parsing: the spellings that must meet, and the inputs to refuse."""

from __future__ import annotations

import pytest

from portal.bangla.normalize import (
    ascii_digits_to_bangla,
    bangla_digits_to_ascii,
    is_bangla,
    normalize_text,
    parse_number,
)

ZWJ, ZWNJ, ZWSP, BOM = "\u200d", "\u200c", "\u200b", "\ufeff"


@pytest.mark.parametrize(
    ("composed", "decomposed"),
    [
        ("\u09df", "\u09af\u09bc"),  # য়
        ("\u09dc", "\u09a1\u09bc"),  # ড়
        ("\u09dd", "\u09a2\u09bc"),  # ঢ়
        ("বু\u09dfা", "বু\u09af\u09bcা"),  # বুয়া
        ("মু\u09dcি", "মু\u09a1\u09bcি"),  # মুড়ি
        ("আষা\u09dd", "আষা\u09a2\u09bc"),  # আষাঢ়
    ],
)
def test_composed_and_decomposed_nukta_letters_are_equal(composed: str, decomposed: str) -> None:
    assert composed != decomposed
    assert normalize_text(composed) == normalize_text(decomposed)


def test_nfc_form_is_base_plus_nukta() -> None:
    # Composition exclusions: NFC decomposes them, so the canonical form is the two-code-point one.
    assert normalize_text("\u09dc") == "\u09a1\u09bc"


@pytest.mark.parametrize("mark", [ZWJ, ZWNJ, ZWSP, BOM])
def test_zero_width_marks_are_removed(mark: str) -> None:
    assert normalize_text(f"র{mark}্যাব") == normalize_text("র্যাব")
    assert normalize_text(f"{mark}কসাই{mark}") == "কসাই"


def test_rab_with_and_without_zwj() -> None:
    assert normalize_text("র\u200d্যাব") == normalize_text("র্যাব") == "র্যাব"


def test_joiner_between_letter_and_sign_does_not_block_composition() -> None:
    assert normalize_text("ে\u200dা") == normalize_text("ো")


def test_bangla_digits_equal_ascii_digits() -> None:
    assert normalize_text("০১৭১২ ৩৪৫৬৭৮") == normalize_text("01712 345678") == "01712 345678"
    assert bangla_digits_to_ascii("০১২৩৪৫৬৭৮৯") == "0123456789"
    assert ascii_digits_to_bangla("0123456789") == "০১২৩৪৫৬৭৮৯"
    assert ascii_digits_to_bangla(bangla_digits_to_ascii("দাম ৳১২০")) == "দাম ৳১২০"


def test_whitespace_collapsed_and_case_kept() -> None:
    assert normalize_text("  Kath \t মিস্ত্রি\n\n ") == "Kath মিস্ত্রি"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("১২০", 120.0),
        ("১,২০,০০০", 120000.0),
        ("1,20,000", 120000.0),
        ("120,000", 120000.0),
        ("1,200,000", 1200000.0),
        ("  ৳ ১,২০০  ", 1200.0),
        ("৳500", 500.0),
        ("Tk 50.50", 50.5),
        ("tk.75", 75.0),
        ("BDT 1,20,000.75", 120000.75),
        ("500 BDT", 500.0),
        ("৫০০ টাকা", 500.0),
        ("০.৫", 0.5),
        ("-12", -12.0),
    ],
)
def test_parse_number_accepts(raw: str, expected: float) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "abc", "1,20", "12,0000", "1.2.3", "৳", "১২ ৩৪", "$5", "1e5"])
def test_parse_number_rejects_with_plain_message(raw: str) -> None:
    with pytest.raises(ValueError, match="is not a number: expected digits"):
        parse_number(raw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("কসাই", True), ("kosai", False), ("Tk ১২০", False), ("doctor ডাক্তার", True), ("", False)],
)
def test_is_bangla(text: str, expected: bool) -> None:
    assert is_bangla(text) is expected
