"""Banglish matching: romanize Bangla the way people type it, then fold both sides to one key.

Users search "daktar", "kosai", "shutki" for ডাক্তার, কসাই, শুঁটকি.  A scholarly transliteration
writes every inherent vowel ("daktara") and keeps distinctions nobody types, so this romanizer
follows spoken Bangla instead (inherent vowel "o", dropped where speech drops it), and
:func:`fold_latin` then erases the spelling freedoms of Banglish (o/a, sh/s, kh/k, v/b, ...) on
both the indexed text and the query.  Keys are compared with a length-scaled edit distance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from portal.bangla.normalize import normalize_text

_VIRAMA = "\u09cd"  # হসন্ত
_NUKTA = "\u09bc"
_CONSONANTS = {
    "ক": "k", "খ": "kh", "গ": "g", "ঘ": "gh", "ঙ": "ng", "চ": "ch", "ছ": "chh", "জ": "j",
    "ঝ": "jh", "ঞ": "n", "ট": "t", "ঠ": "th", "ড": "d", "ঢ": "dh", "ণ": "n", "ত": "t",
    "থ": "th", "দ": "d", "ধ": "dh", "ন": "n", "প": "p", "ফ": "ph", "ব": "b", "ভ": "bh",
    "ম": "m", "য": "j", "র": "r", "ল": "l", "শ": "sh", "ষ": "sh", "স": "s", "হ": "h",
    "ড়": "r", "ঢ়": "rh", "য়": "y", "ৰ": "r", "ৱ": "w",
}  # fmt: skip
#: NFC splits ড় ঢ় য় into base + nukta; read the pair as the letter it stands for.
_WITH_NUKTA = {"ড": "r", "ঢ": "rh", "য": "y"}
_VOWELS = {
    "অ": "o", "আ": "a", "ই": "i", "ঈ": "i", "উ": "u", "ঊ": "u", "ঋ": "ri", "ৠ": "ri",
    "ঌ": "li", "এ": "e", "ঐ": "oi", "ও": "o", "ঔ": "ou",
}  # fmt: skip
_SIGNS = {
    "া": "a", "ি": "i", "ী": "i", "ু": "u", "ূ": "u", "ৃ": "ri", "ৄ": "ri", "ে": "e",
    "ৈ": "oi", "ো": "o", "ৌ": "ou", "ৗ": "",
}  # fmt: skip
_SILENT = set("ঁঃঽ৺")  # chandrabindu and visarga are rarely typed in Banglish
_DIGITS = dict(zip("০১২৩৪৫৬৭৮৯", "0123456789", strict=True))
_PUNCT = {"।": ".", "॥": "."}
#: Word-final clusters said without a final vowel: loanwords (ambulance, point, fund, box, test)
#: and the -ganj of place names.  Other final clusters keep it: রক্ত "rokto", শব্দ "shobdo".
_BARE_FINAL_CLUSTERS = {"নস", "নট", "নড", "সট", "কস", "লড", "লট", "রড", "রট", "মপ", "ঞজ"}
_STOPS = set("কখগঘচছজঝটঠডঢতথদধপফবভ")


@dataclass(slots=True)
class _Unit:
    """One romanized piece: a consonant with its vowel slot, an independent vowel, or a coda."""

    text: str
    kind: str  # "cons", "vowel", "coda" (ং ৎ) or "other" (space, Latin, punctuation)
    letter: str = ""  # the Bangla base letter, for cluster rules
    vowel: str | None = ""  # for consonants: None = inherent vowel not decided yet
    closes: bool = False  # first half of a conjunct: no vowel of its own
    geminate: bool = False  # carries য-ফলা / ব-ফলা or is ক্ষ / জ্ঞ: sounds doubled

    def ends_in_vowel(self) -> bool:
        return self.kind == "vowel" or (self.kind == "cons" and self.vowel != "")


def _read_consonant(s: str, i: int) -> tuple[_Unit, int]:
    ch = s[i]
    unit = _Unit(_CONSONANTS[ch], "cons", letter=ch, vowel=None)
    j = i + 1
    if j < len(s) and s[j] == _NUKTA:
        unit.text = _WITH_NUKTA.get(ch, unit.text)
        j += 1
    if ch == "ক" and s[j : j + 2] == _VIRAMA + "ষ":  # ক্ষ: "kh" first, "kkh" inside a word
        unit.text, unit.geminate, j = "kkh", True, j + 2
    elif ch == "জ" and s[j : j + 2] == _VIRAMA + "ঞ":  # জ্ঞ: said "gg" (বিজ্ঞান "biggan")
        unit.text, unit.geminate, j = "gg", True, j + 2
    while s[j : j + 1] == _VIRAMA and j + 1 < len(s):
        nxt, after = s[j + 1], s[j + 2 : j + 3]
        # য-ফলা (silent; ্যা says "a").  র্য is ambiguous once ZWJ is gone: র‍্যাব "rab" vs
        # কার্য "karjo"; before া it is almost always the ra + ya-phala of a loanword.
        ya_phala = nxt == "য" and after != _NUKTA and (ch != "র" or after == "া")
        # ব-ফলা only doubles the consonant (বিশ্ব "bisso"), except ম্ব which says "mb".
        ba_phala = nxt == "ব" and ch != "ম"
        if not (ya_phala or ba_phala):
            break
        # ্যা is a plain "a" (চেয়ারম্যান "cheyarman"); other phalas double the sound.
        unit.geminate, j = unit.geminate or s[j + 2 : j + 3] != "া", j + 2
    if j < len(s) and s[j] in _SIGNS:
        unit.vowel, j = _SIGNS[s[j]], j + 1
    elif j < len(s) and s[j] == _VIRAMA:
        unit.vowel, j = "", j + 1
        unit.closes = j < len(s) and s[j] in _CONSONANTS
    return unit, j


def _read_vowel(s: str, i: int) -> tuple[_Unit, int]:
    text, j = _VOWELS[s[i]], i + 1
    if s[i] in "অএ" and s[j : j + 2] == _VIRAMA + "য":  # অ্যা / এ্যা: the "a" of "ambulance"
        j += 2
        if s[j : j + 1] == "া":
            text, j = "a", j + 1
    return _Unit(text, "vowel"), j


def _tokenize(s: str) -> list[_Unit]:
    units: list[_Unit] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch in _CONSONANTS:
            unit, i = _read_consonant(s, i)
            if unit.letter == "ঙ" and unit.closes and s[i] in "কখগঘ":
                unit.text = "n"  # লুঙ্গি "lungi", অঙ্ক "onko": the "g" is in the ng already
        elif ch in _VOWELS:
            unit, i = _read_vowel(s, i)
        else:
            i += 1
            if ch in _SIGNS:  # a sign with no consonant (typo, or left by a stripped joiner)
                unit = _Unit(_SIGNS[ch], "vowel")
            elif ch == "ং":
                unit = _Unit("ng", "coda")
            elif ch == "ৎ":
                unit = _Unit("t", "coda")
            elif ch in _SILENT or ch in (_VIRAMA, _NUKTA):
                continue
            else:
                unit = _Unit(_DIGITS.get(ch) or _PUNCT.get(ch) or ch, "other")
        units.append(unit)
    return units


def _settle_inherent_vowels(word: list[_Unit]) -> None:
    """Decide which consonants keep the inherent "o", the way Bangla speech does.

    Word-final: dropped (নাপিত "napit"), except after a conjunct or doubled consonant (রক্ত
    "rokto", পণ্য "ponno") or ং (মাংস "mangsho").  Inside a word, right to left, dropped between
    a vowel and a consonant+vowel (রসমালাই "rosmalai", চমচম "chomchom"), and before a
    stop+র/ল cluster in loanwords (ইলেকট্রিক "ilektrik").  The first letter always keeps it.
    """
    last = word[-1]
    if len(word) > 1 and last.kind == "cons" and last.vowel is None and not last.geminate:
        prev = word[-2]
        bare = prev.letter + last.letter in _BARE_FINAL_CLUSTERS
        if not (prev.closes and not bare) and not (prev.kind == "coda" and prev.text == "ng"):
            last.vowel = ""
    for k in range(len(word) - 2, 0, -1):
        unit, prev, nxt = word[k], word[k - 1], word[k + 1]
        if unit.kind != "cons" or unit.vowel is not None or unit.geminate:
            continue
        if not prev.ends_in_vowel() or nxt.kind != "cons" or nxt.geminate:
            continue
        loan_cluster = (
            nxt.closes and nxt.letter in _STOPS and k + 2 < len(word) and word[k + 2].letter in ("র", "ল")
        )
        if nxt.vowel != "" or loan_cluster:
            unit.vowel = ""
    for unit in word:
        if unit.kind == "cons" and unit.vowel is None:
            unit.vowel = "o"
    if word[0].text in ("kkh", "gg"):  # ক্ষমা "khoma", জ্ঞান "gan"
        word[0].text = word[0].text[1:]


def romanize(text: str) -> str:
    """Bangla script to lowercase ASCII as Bangladeshis type it; Latin text passes through.

    কসাই → "kosai", ডাক্তার → "daktar", রং → "rong", অ্যাম্বুলেন্স → "ambulens".  Chandrabindu is
    dropped (most people omit it), য-ফলা is silent, ক্ষ is "kkh" ("kh" word-initially).
    Input goes through :func:`normalize_text`, so joiners and precomposed ড় ঢ় য় are handled.
    """
    units = _tokenize(normalize_text(text))
    word: list[_Unit] = []
    for unit in [*units, _Unit(" ", "other")]:
        if unit.kind != "other":
            word.append(unit)
        elif word:
            _settle_inherent_vowels(word)
            word = []
    out = "".join(u.text + (u.vowel or "") for u in units)
    out = unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode("ascii")
    return out.lower()


#: Ordered rewrites that erase Banglish spelling freedom.  Applied to index text and query alike.
_FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"ea", "i"),  # cleaner, beauty
        (r"ei", "ai"),  # পেইন্ট = paint, এই = ai
        (r"(?<=[a-z]{3})er\b", "ar"),  # driver, painter: Bangla script writes the English -er as -ার
        (r"tion\b", "shon"),  # station = স্টেশন, union = ইউনিয়ন is untouched
        (r"ee", "i"),  # ghee
        (r"oo", "u"),  # blood
        (r"x", "ks"),
        (r"q", "k"),
        (r"ph", "f"),
        (r"(?:c+h+)+", "ch"),  # chh (ছ), cch, chch (চ্চ): one "ch"
        (r"c(?=[eiy])", "s"),  # electrician, ambulance
        (r"c(?!h)", "k"),  # doctor, rickshaw
        (r"s+h", "s"),  # shutki = sutki, ssh
        (r"z", "j"),
        (r"v", "b"),  # vera = bhera
        (r"w", "u"),  # godown = godaun
        (r"(?<=[bdfgjklmnprst])h", ""),  # kh gh th dh bh jh rh: aspiration is rarely typed
        (r"(?<=[a-z])y(?=[aeiou])", ""),  # buya = bua, kotiyadi = katiadi, byakti = bakti
        (r"y(?![aeiou])", "i"),  # doy = doi, beauty = biuti
        (r"o", "a"),  # the inherent vowel is typed both ways: kosai / kasai
        (r"([a-z])\1+", r"\1"),  # gorru, lunggi, kkh
    ]
]
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold_latin(text: str) -> str:
    """Fold Latin text so Banglish spelling variants meet: "Ghee" and "ghi" both give "gi".

    Lowercases, drops accents and apostrophes, turns other punctuation into spaces, then applies
    the rewrites in ``_FOLDS``.  "ch" survives as a digraph so মুচি and মুড়ি stay two edits apart.
    """
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    text = _NOT_ALNUM.sub(" ", text.replace("'", "")).strip()
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    return text


def banglish_key(text: str) -> str:
    """The matching key of Bangla or Latin text; spaces between words are kept.

    Keyed word by word through a cache: names, services and titles reuse a small vocabulary, and
    this runs for every indexed document and every query.
    """
    return " ".join(key for key in map(_word_key, normalize_text(text).split()) if key)


@lru_cache(maxsize=50_000)  # a district's vocabulary and then some; bounded against hostile text
def _word_key(word: str) -> str:
    return fold_latin(romanize(word))


def edit_distance(a: str, b: str, substitution: Callable[[str, str], int] | None = None) -> int:
    """Damerau-Levenshtein distance, optimal string alignment variant (a swap costs 1); `substitution`
    prices writing one letter for another (1 when not given)."""
    if len(a) < len(b):
        a, b = b, a
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            written = (ca != cb) if substitution is None or ca == cb else substitution(ca, cb)
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + written)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], before[j - 2] + 1)
        before, prev = prev, cur
    return prev[-1]


def max_typos(term: str) -> int:
    """Edits allowed when matching ``term`` (count its letters and digits, not spaces).

    0 up to 3, 1 for 4-7, 2 from 8.  Two edits on 3-4 letter words match unrelated words
    (muchi ↔ মুড়ি, doi ↔ দুধ), so short keys get less; compare Typesense (1 from 4, 2 from 7).
    """
    n = sum(ch.isalnum() for ch in term)
    return 0 if n <= 3 else 1 if n <= 7 else 2
