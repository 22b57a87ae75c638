"""Case and plural endings as written, and a word's stems by them. Pure; shared by the lexicon (how the
not-listed entries write their words) and the reader (how a query writes its own)."""

from __future__ import annotations

from portal.bangla.normalize import is_bangla

BANGLA_NOUN_ENDINGS = (
    "গুলো", "গুলি", "ওয়ালা", "ওয়ালি", "য়ের", "দের", "এর", "ের", "রা", "তে", "টা", "টি", "কে", "র", "য়", "ে", "এ",
)  # fmt: skip
LATIN_NOUN_ENDINGS = (
    "gulo", "guli", "wala", "wali", "yer", "der", "ies", "es", "er", "ra", "te", "ke", "ye", "s", "r", "e", "y",
)  # fmt: skip


def written_stems(word: str, endings: tuple[str, ...] | None = None) -> list[str]:
    """The word as written and without each ending of its script it may carry (or of `endings`), two
    letters left at least ("সারের" → "সার", "phoner" → "phone"). Latin is compared lower-cased: pass it so."""
    if endings is None:
        endings = BANGLA_NOUN_ENDINGS if is_bangla(word) else LATIN_NOUN_ENDINGS
    return [word, *(word[: -len(e)] for e in endings if word.endswith(e) and len(word) - len(e) >= 2)]
