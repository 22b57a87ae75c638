"""Bijoy (ASCII-font) Bangla → Unicode, only when the result is certain to be real Bangla.

Many offices still type Bangla with the Bijoy keyboard and a SutonnyMJ-style font: the file holds
ASCII and Windows-1252 characters ("‡gvt iwdKzj Bmjvg") that merely *look* like Bangla in that font
("মোঃ রফিকুল ইসলাম"). Shown anywhere else they are garble. The mapping is data
(`schemas/csv/bijoy.json`); this module adds the two things a table cannot say: Bijoy types the
pre-base vowel signs ি ে ৈ before their consonant cluster and the reph (র্) after it, so both are
moved; and a conversion is only trusted when every character is known and the output is
well-formed Bangla (no vowel sign without a consonant, no dangling hasanta). Otherwise `convert`
raises, and the caller refuses the cell rather than publish a guess.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from portal.contracts import SCHEMAS_DIR

HASANTA = "\u09cd"
NUKTA = "\u09bc"
PRE_KARS = frozenset("িেৈ")
VOWEL_SIGNS = frozenset("ািীুূৃেৈোৌৗ")
MODIFIERS = frozenset("ংঃঁ")
CONSONANTS = frozenset("কখগঘঙচছজঝঞটঠডঢণতথদধনপফবভমযরলশষসহড়ঢ়য়ৎ")
INDEPENDENT_VOWELS = frozenset("অআইঈউঊঋএঐওঔ")
BANGLA_DIGITS = frozenset("০১২৩৪৫৬৭৮৯")
_REPH = "\ue000"  # a private-use stand-in while the reph is moved; never left in the output


_CHANDRABINDU_EARLY = re.compile("ঁ(্[যরব])([ািীুূৃেৈোৌ]?)")


class NotBijoy(ValueError):
    """The text is not Bijoy that converts cleanly; str() says why, for the clerk."""


@dataclass(frozen=True)
class Table:
    glyphs: dict[str, str]
    longest: int
    passthrough: frozenset[str]
    strong_evidence: frozenset[str]
    kar_letters: frozenset[str]


@cache
def table() -> Table:
    """schemas/csv/bijoy.json, loaded once."""
    with open(SCHEMAS_DIR / "csv" / "bijoy.json", encoding="utf-8") as f:
        raw = json.load(f)
    glyphs = {key: unicodedata.normalize("NFC", value) for key, value in raw["glyphs"].items()}
    glyphs["©"] = _REPH
    weak = set(raw["weak_evidence"])
    strong = {ch for key in glyphs for ch in key if not ch.isascii() and ch not in weak and ch != "\u00a0"}
    return Table(
        glyphs=glyphs,
        longest=max(map(len, glyphs)),
        passthrough=frozenset(raw["passthrough"]),
        strong_evidence=frozenset(strong),
        kar_letters=frozenset(raw["kar_letters"]),
    )


_BANGLA_LETTER = re.compile("[\u0980-\u09e5\u09f0-\u09ff]")  # the Bengali block without its digits
_ASCII_LETTER = re.compile("[A-Za-z]")


def has_bangla_letters(text: str) -> bool:
    return _BANGLA_LETTER.search(text) is not None


def looks_like_bijoy(text: str) -> bool:
    """Whether `text` shows the marks of Bijoy typing rather than English or digits.

    Two signs together: a letter that types a vowel sign (v w x y z: Bijoy text is full of them) and
    either a character English text seldom contains but Bijoy uses for Bangla glyphs (‡ † ˆ ¯ ¨ ©
    …), or, for plain ASCII, enough vowel-sign letters: at least two, a quarter of the letters.
    "iwdKzj Bmjvg" and "‡gvt" are Bijoy; "Liza", "Jewel" and "Café Rahim" are not. Deciding is
    cheap; `convert` then proves the text really converts.
    """
    t = table()
    kars = sum(text.count(ch) for ch in t.kar_letters)  # str.count: this runs on every text cell
    if not kars:
        return False
    if not text.isascii():
        if has_bangla_letters(text):
            return False
        if any(ch in t.strong_evidence for ch in text):
            return True
    return kars >= 2 and kars * 4 >= len(_ASCII_LETTER.findall(text))


def convert(text: str) -> str:
    """Unicode Bangla (NFC) for Bijoy `text`, or NotBijoy saying why it cannot be trusted."""
    units = _map(text)
    units = _move_pre_kars(units)
    units = _move_reph(units)
    out = "".join(units)
    # Bijoy types ঁ before a য-ফলা (`u¨v`); Unicode wants it after the fola and its vowel sign.
    out = _CHANDRABINDU_EARLY.sub(r"\1\2ঁ", out)
    out = unicodedata.normalize("NFC", out)  # ে + া → ো and ে + ৗ → ৌ
    problem = _malformed(out)
    if problem:
        raise NotBijoy(problem)
    return out


def _map(text: str) -> list[str]:
    """Glyph by glyph (longest match first) into Unicode pieces, still in Bijoy's typing order."""
    t = table()
    units: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(t.longest, len(text) - i), 0, -1):
            piece = t.glyphs.get(text[i : i + size])
            if piece is not None:
                units.extend(_split(piece))
                i += size
                break
        else:
            ch = text[i]
            if ch in t.passthrough or ch.isspace():
                units.append(ch)
                i += 1
                continue
            raise NotBijoy(f"the character {ch!r} has no Bangla meaning in Bijoy")
    # A half form (consonant + hasanta) meeting a fola (hasanta + consonant) shares one hasanta.
    return [u for k, u in enumerate(units) if not (u == HASANTA and k and units[k - 1] == HASANTA)]


def _split(piece: str) -> list[str]:
    """One list item per code point, except the reph stand-in which is already one."""
    return list(piece)


def _is_consonant(ch: str) -> bool:
    return ch in CONSONANTS


def _cluster_end(units: list[str], start: int) -> int:
    """End (exclusive) of the consonant cluster starting at `start`: C (়)? (্ C (়)?)*."""
    if start >= len(units) or not _is_consonant(units[start]):
        return start
    end = start + 1
    if end < len(units) and units[end] == NUKTA:
        end += 1
    while end + 1 < len(units) and units[end] == HASANTA and _is_consonant(units[end + 1]):
        end += 2
        if end < len(units) and units[end] == NUKTA:
            end += 1
    return end


def _move_pre_kars(units: list[str]) -> list[str]:
    """ি ে ৈ typed before a cluster go after it: `w`b` (ি দ ন) → দিন."""
    out: list[str] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if unit in PRE_KARS:
            end = _cluster_end(units, i + 1)
            if end == i + 1:
                raise NotBijoy(f"the vowel sign {unit} is not followed by a consonant")
            out.extend(units[i + 1 : end])
            out.append(unit)
            i = end
            continue
        out.append(unit)
        i += 1
    return out


def _move_reph(units: list[str]) -> list[str]:
    """The reph (র্, typed © after its cluster and vowel signs) goes before that cluster."""
    out: list[str] = []
    for unit in units:
        if unit != _REPH:
            out.append(unit)
            continue
        k = len(out)
        while k and out[k - 1] in VOWEL_SIGNS:
            k -= 1
        k = _consonant_before(out, k)
        if k is None:
            raise NotBijoy("a reph (র্) does not follow a consonant")
        while k >= 2 and out[k - 1] == HASANTA and (start := _consonant_before(out, k - 1)) is not None:
            k = start
        out[k:k] = ["র", HASANTA]
    return out


def _consonant_before(units: list[str], end: int) -> int | None:
    """Index of the consonant (with its nukta) ending just before `end`, or None."""
    k = end
    if k and units[k - 1] == NUKTA:
        k -= 1
    if k and _is_consonant(units[k - 1]):
        return k - 1
    return None


def _malformed(text: str) -> str | None:
    """Why `text` is not well-formed Bangla, or None. Bangla letters, digits, spaces and punctuation only."""
    allowed = table().passthrough | {"।", "‘", "’", "“", "”"}
    previous = " "
    for index, ch in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else " "
        if ch in VOWEL_SIGNS:
            if not (_is_consonant(previous) or previous == NUKTA):
                return f"the vowel sign {ch} does not follow a consonant"
        elif ch == HASANTA:
            joins = _is_consonant(previous) or previous == NUKTA or (previous in "অএ" and following == "য")
            if not joins or not _is_consonant(following):
                return "a hasanta (্) does not join two consonants"
        elif ch in MODIFIERS:
            if not (_is_consonant(previous) or previous in VOWEL_SIGNS or previous in INDEPENDENT_VOWELS):
                return f"{ch} does not follow a letter"
        elif ch == NUKTA:
            if not _is_consonant(previous):
                return "a nukta does not follow a consonant"
        elif not (
            ch in CONSONANTS
            or ch in INDEPENDENT_VOWELS
            or ch in BANGLA_DIGITS
            or ch in allowed
            or ch.isspace()
        ):
            return f"{ch!r} is left over, which no Bangla text contains"
        previous = ch
    return None
