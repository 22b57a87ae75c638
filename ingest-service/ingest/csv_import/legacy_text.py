"""Text that is not Bangla: lost encodings, Bijoy-typed cells, and Bangla columns without Bangla.

Three ways a spreadsheet delivers something other than the Bangla the clerk sees on screen:
- saved as "CSV (Comma delimited)", Excel writes every Bangla letter as `?` — the letters are gone;
- typed with Bijoy, the cell holds ASCII that only a Bijoy font shows as Bangla ("‡gvt iwdKzj");
- UTF-8 read as Windows-1252 somewhere on the way ("à¦°...").
A cell is judged by its column's `script` (schemas/csv/*.columns.json): `bn` cells must end up with
Bangla letters, Bijoy is converted (and listed for the clerk to check) only when the conversion is
certain, and nothing that is still garble is ever published.
"""

from __future__ import annotations

import re

from ingest.csv_import.cells import CellError
from ingest.csv_import.report import echo
from portal.bangla import bijoy

#: Runs of ? (Excel's replacement for characters the code page lacks), the Unicode replacement
#: character, and UTF-8 Bangla read as Windows-1252.
_LOST = re.compile(r"\?\?|\ufffd|à¦|à§")
_BANGLA_LETTER = re.compile("[\u0985-\u09b9\u09bd\u09ce\u09dc-\u09e1\u09f0\u09f1]")


def has_bangla(text: str) -> bool:
    return _BANGLA_LETTER.search(text) is not None


def lost_encoding(text: str) -> bool:
    """Bangla that was destroyed before it reached us: ?? runs without any Bangla left, � or mojibake."""
    if "\ufffd" in text or "à¦" in text or "à§" in text:
        return True
    return "??" in text and not has_bangla(text)


def judge(text: str, script: str | None, header: str, shown: str | None = None) -> tuple[str, bool]:
    """(the text to use, whether it was converted from Bijoy), or CellError.

    `header` is the clerk's header text and `shown` the cell as it may be echoed back (by default
    the cell itself, cut short and defused; worked out only when there is something to say).
    """
    if script is None and text.isascii() and "??" not in text:
        return text, False  # the common case of a free-text column, decided without a scan
    if lost_encoding(text):
        raise CellError("lost_encoding", value=shown or echo(text))
    if script is None or (not text.isascii() and has_bangla(text)):
        return text, False
    if script == "en":
        if bijoy.looks_like_bijoy(text):
            try:
                converted = bijoy.convert(text)
            except bijoy.NotBijoy:
                return text, False
            raise CellError(
                "bijoy_in_english_column", header=header, value=shown or echo(text), converted=converted
            )
        return text, False
    if bijoy.looks_like_bijoy(text):
        try:
            return bijoy.convert(text), True
        except bijoy.NotBijoy as e:
            raise CellError("bijoy_unsafe", reason=str(e)) from None
    if script == "bn" and any(ch.isalpha() for ch in text):
        raise CellError("not_bangla", header=header, value=shown or echo(text))
    return text, False
