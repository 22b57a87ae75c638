"""Bijoy (SutonnyMJ-style ASCII) Bangla → Unicode, from the mapping table in schemas/csv/bijoy.json.

The inputs are what the Bijoy keyboard types for each word (the bytes a Bijoy-typed Excel cell holds);
the expected outputs are the Unicode spellings. Conversion must be exact or refused, never a guess.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from ingest.csv_import.cells import CellError
from ingest.csv_import.legacy_text import judge, lost_encoding
from portal.bangla import bijoy

# (typed with Bijoy, Unicode) — names, places, trades and phrases a Kishoreganj office types.
REAL_BIJOY = [
    ("‡gvt iwdKzj Bmjvg", "মোঃ রফিকুল ইসলাম"),  # the example: ে before its consonant, ঃ
    ("iwng DwÏb", "রহিম উদ্দিন"),  # Ï = দ্দ, ি typed before the conjunct
    ("Avwg evsjvq Mvb MvB", "আমি বাংলায় গান গাই"),
    ("evsjv‡`k", "বাংলাদেশ"),
    ("MYcÖRvZš¿x", "গণপ্রজাতন্ত্রী"),  # Ö = র-ফলা, š¿ = ন্ত্র
    ("wK‡kviMÄ", "কিশোরগঞ্জ"),  # ‡ … v around a consonant = ো, Ä = ঞ্জ
    ("AóMÖvg", "অষ্টগ্রাম"),
    ("cvKzw›`qv", "পাকুন্দিয়া"),
    ("KzwjqviPi", "কুলিয়ারচর"),
    ("wgVvgBb", "মিঠামইন"),
    ("ZvovBj", "তাড়াইল"),  # o = ড়
    ("‡nv‡mbcyi", "হোসেনপুর"),
    ("evwRZcyi", "বাজিতপুর"),
    ("KwUqv`x", "কটিয়াদী"),
    ("B‡jKwUªwkqvb", "ইলেকট্রিশিয়ান"),
    ("Wv³vi", "ডাক্তার"),  # ³ = ক্ত
    ("wgw¯¿", "মিস্ত্রি"),  # ¯ = স্, ¿ = ্ত্র
    ("wiKkv", "রিকশা"),
    ("Kg©KZ©v", "কর্মকর্তা"),  # © = reph, typed after the consonant it sits on
    ("Avš—R©vwZK", "আন্তর্জাতিক"),
    ("m~h©", "সূর্য"),
    ("we`¨yr", "বিদ্যুৎ"),  # ¨ = য-ফলা, r = ৎ
    ("iv¯Ív", "রাস্তা"),
    ("kvwšÍ", "শান্তি"),
    ("K¬vm", "ক্লাস"),
    ("nu¨v", "হ্যাঁ"),  # ঁ typed before the য-ফলা goes after it and its vowel sign
    ("Pvu`", "চাঁদ"),
    ("iƒcvjx", "রূপালী"),
    ("K…wl", "কৃষি"),
    ("cÖwZw`b", "প্রতিদিন"),
    ("ms‡hvM", "সংযোগ"),
    ("wmGbwR", "সিএনজি"),
    ("‰fie", "ভৈরব"),
    ("evmv bs 12, †ivW 5", "বাসা নং ১২, রোড ৫"),  # digits become Bangla digits, † is another ে
]


@pytest.mark.parametrize(("typed", "unicode"), REAL_BIJOY)
def test_real_bijoy_text_converts_exactly(typed, unicode):
    converted = bijoy.convert(typed)
    assert converted == unicodedata.normalize("NFC", unicode)
    assert unicodedata.is_normalized("NFC", converted)


@pytest.mark.parametrize(
    "typed",
    [
        "‡gvt iwdKzj Bmjvg",
        "iwng DwÏb",
        "evsjv‡`k",
        "wK‡kviMÄ",
        "B‡jKwUªwkqvb",
        "wiKkv",
        "Avš—R©vwZK",
        "evmv bs 12, †ivW 5",
    ],
)
def test_bijoy_typing_is_recognized(typed):
    assert bijoy.looks_like_bijoy(typed)


@pytest.mark.parametrize(
    "text",
    [
        "Liza",
        "Jewel",
        "Café Rahim",
        "Rahim Uddin",
        "Md. Karim",
        "House 12, Road 5",
        "electrician",
        "01712-345678",
        "রহিম",
    ],
)
def test_english_names_digits_and_unicode_bangla_are_not_bijoy(text):
    assert not bijoy.looks_like_bijoy(text)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("we`y¨r", "a hasanta (্) does not join two consonants"),  # য-ফলা typed after the vowel sign
        ("w", "the vowel sign ি is not followed by a consonant"),
        ("vK", "the vowel sign া does not follow a consonant"),
        ("Ki{", "the character '{' has no Bangla meaning in Bijoy"),
    ],
)
def test_anything_not_certainly_well_formed_is_refused_with_the_reason(typed, why):
    with pytest.raises(bijoy.NotBijoy, match=re.escape(why)):
        bijoy.convert(typed)


def test_a_bangla_column_converts_bijoy_and_says_so():
    assert judge("‡gvt iwdKzj Bmjvg", "bn", "নাম", "‡gvt iwdKzj Bmjvg") == ("মোঃ রফিকুল ইসলাম", True)
    assert judge("মোঃ রফিকুল ইসলাম", "bn", "নাম", "") == ("মোঃ রফিকুল ইসলাম", False)


def test_a_bangla_column_refuses_bijoy_that_does_not_convert_cleanly():
    with pytest.raises(CellError) as caught:
        judge("we`y¨r evwZ", "bn", "নাম", "we`y¨r evwZ")
    assert caught.value.code == "bijoy_unsafe"
    assert "cannot be converted safely" in str(caught.value)
    assert "বিজয়" in caught.value.bn


def test_a_bangla_column_without_bangla_letters_is_a_row_error():
    with pytest.raises(CellError) as caught:
        judge("Rahim Uddin", "bn", "Name (Bangla)", "Rahim Uddin")
    assert caught.value.code == "not_bangla"
    assert str(caught.value).startswith("Name (Bangla) must be written in Bangla letters")


def test_an_english_column_refuses_bijoy_and_shows_what_it_reads_as():
    with pytest.raises(CellError) as caught:
        judge("‡gvt iwdKzj Bmjvg", "en", "Name (English)", "‡gvt iwdKzj Bmjvg")
    assert caught.value.code == "bijoy_in_english_column"
    assert "reads as মোঃ রফিকুল ইসলাম" in str(caught.value)
    assert judge("Rafiqul Islam", "en", "Name (English)", "") == ("Rafiqul Islam", False)


@pytest.mark.parametrize("text", ["??? ????? ????", "?? ???", "রহিম\ufffd", "à¦°à¦¹à¦¿à¦®"])
def test_lost_encodings_are_named_never_published(text):
    assert lost_encoding(text)
    with pytest.raises(CellError) as caught:
        judge(text, "bn", "নাম", text)
    assert caught.value.code == "lost_encoding"
    assert "CSV UTF-8 (Comma delimited)" in str(caught.value)


def test_a_question_mark_in_real_text_is_not_a_lost_encoding():
    assert not lost_encoding("কেমন আছেন??")
    assert not lost_encoding("Why?")
