"""Bytes of an uploaded CSV → decoded records, streamed, with Excel's row numbers.

The upload sits in a temporary file on disk, and is read in fixed-size pieces: a scan that proves the
whole file decodes before anything is published — so a bad byte on row 90,000 cannot leave half a
file imported — then the passes with `csv.reader` over a text wrapper. Memory stays flat whatever
the file size.

Encodings: UTF-8 with or without BOM, UTF-16 and UTF-32 by their BOM (Excel's "Unicode Text"), and
UTF-16 without a BOM when the NUL bytes give it away. A file that is not UTF-8 and shows no sign of
ever having been UTF-8 is what Excel's plain "CSV (Comma delimited)" writes: Windows-1252. It is read
as such (Bijoy-typed Bangla survives it; real Bangla has already become `?`, which the row checks
name), with a warning. UTF-8 that breaks part-way is refused. The delimiter is read off the header
row: comma, semicolon (Excel in some locales) or tab ("Unicode Text").
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from portal.clerk_messages import render

CHUNK = 1 << 20
DELIMITERS = (",", ";", "\t")
WINDOWS_1252 = "windows-1252"
MAC_ROMAN = "mac-roman"
#: How much of a single-byte file is looked at to tell Windows-1252 from Mac Roman.
SAMPLE_BYTES = 1 << 20


def _c1_controls(error: UnicodeError) -> tuple[str, int]:
    """The five bytes Windows-1252 leaves undefined decode as C1 controls, as Windows itself does
    (Bijoy fonts use 0x81 for a ল-ফলা)."""
    assert isinstance(error, UnicodeDecodeError)
    return chr(error.object[error.start]), error.start + 1


codecs.register_error("c1-controls", _c1_controls)

_BOMS = (  # longest first: the UTF-32 LE BOM begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

csv.field_size_limit(1 << 20)  # a 1 MB cell is already absurd; the default 128 KB is fine too


class FileProblem(Exception):
    """The file as a whole cannot be imported; nothing was published. `status` is the HTTP answer.

    `code` names a message in schemas/csv/messages.json, filled from `params`; `details` go back to
    the client as they are.
    """

    def __init__(
        self, status: int, code: str, *, details: dict[str, Any] | None = None, **params: Any
    ) -> None:
        self.status = status
        self.code = code
        self.message = render(code, "en", params)
        self.message_bn = render(code, "bn", params)
        self.details = details or {}
        super().__init__(self.message)


class UnreadableRow(Exception):
    """csv.reader gave up at `row` (only a cell past the field size limit does that): reading stops."""

    def __init__(self, row: int, detail: str) -> None:
        super().__init__(detail)
        self.row = row
        self.detail = detail


@dataclass(frozen=True)
class Scan:
    encoding: str
    lines: int  # physical lines: an upper bound on the number of records
    blank: bool  # nothing but whitespace

    @property
    def errors(self) -> str:
        return decode_errors(self.encoding)


def decode_errors(encoding: str) -> str:
    """How a scanned file is decoded: Windows-1252 files keep their C1 controls visible, others strictly."""
    return "c1-controls" if encoding == WINDOWS_1252 else "strict"  # Mac Roman decodes every byte


def detect_encoding(head: bytes) -> str:
    """The codec to read a file starting with `head` (its first few KB)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    sample = head[:4096]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0) / len(sample[0::2])
        odd_nuls = sample[1::2].count(0) / len(sample[1::2])
        if odd_nuls > 0.3 and even_nuls < 0.05:
            return "utf-16-le"
        if even_nuls > 0.3 and odd_nuls < 0.05:
            return "utf-16-be"
    return "utf-8"


def scan(binary: IO[bytes]) -> Scan:
    """Decode the whole file once, piece by piece: its encoding, line count, and whether it is empty."""
    binary.seek(0)
    encoding = detect_encoding(binary.read(4096))
    try:
        return _scan_as(binary, encoding, "strict")
    except _Undecodable as undecodable:
        if encoding != "utf-8" or undecodable.saw_utf8:
            raise undecodable.problem from None
    binary.seek(0)
    single_byte = single_byte_encoding(binary.read(SAMPLE_BYTES))
    return _scan_as(binary, single_byte, decode_errors(single_byte))


_APOSTROPHE = re.compile("[A-Za-z][\u2019][A-Za-z]")
_OPENING = re.compile("(?:^|[\\s,;(])[\u201c\u2018][\\w]")
_CLOSING = re.compile("[\\w.!?][\u201d\u2019](?:$|[\\s,;.)])")
_DASH = re.compile("(?:\\s[\u2013\u2014]\\s)|(?:\\d[\u2013]\\d)")
_C1 = re.compile("[\\x80-\\x9f]")


def _plausibility(text: str, *, bijoy_credit: bool) -> int:
    """How much `text` reads like what offices type: typographic punctuation where it belongs counts
    for, accented letters (rare in Bangladeshi Latin text) and control characters against; for the
    Windows reading, cells typed with Bijoy count for it."""
    from portal.bangla import bijoy

    score = 3 * len(_APOSTROPHE.findall(text)) + 2 * len(_OPENING.findall(text))
    score += 2 * len(_CLOSING.findall(text)) + 2 * len(_DASH.findall(text))
    score -= 2 * sum(1 for ch in text if not ch.isascii() and ch.isalpha())
    score -= 5 * len(_C1.findall(text))
    if bijoy_credit:
        cells = re.split("[,;\\t\\r\\n]", text)
        score += 6 * sum(1 for cell in cells if not cell.isascii() and bijoy.looks_like_bijoy(cell))
    return score


def single_byte_encoding(sample: bytes) -> str:
    """Windows-1252 (Excel for Windows' "CSV (Comma delimited)") or Mac Roman (Excel for Mac's
    "CSV (Macintosh)"), whichever reads `sample` more plausibly; Windows-1252 on a tie.

    The two differ where it shows: Mac Roman's ’ “ ” – — are Õ Ò Ó Ñ Ð in Windows-1252 ("RafiqÕs"),
    and Windows-1252's are accented letters in Mac Roman. Bijoy text is Windows-1252 by nature.
    """
    windows = sample.decode(WINDOWS_1252, errors="c1-controls")
    mac = sample.decode("mac_roman")
    if _plausibility(mac, bijoy_credit=False) > max(_plausibility(windows, bijoy_credit=True), 0):
        return MAC_ROMAN
    return WINDOWS_1252


class _Undecodable(Exception):
    def __init__(self, problem: FileProblem, saw_utf8: bool) -> None:
        self.problem = problem
        self.saw_utf8 = saw_utf8


def _scan_as(binary: IO[bytes], encoding: str, errors: str) -> Scan:
    binary.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    lines = 0
    blank = True
    ends_open = False
    saw_non_ascii = False
    while True:
        chunk = binary.read(CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as e:
            saw_utf8 = saw_non_ascii or not chunk[: e.start].isascii()
            raise _Undecodable(_not_decodable(encoding, e, chunk, lines), saw_utf8) from None
        if text:
            lines += text.count("\n")
            blank = blank and not text.strip()
            ends_open = not text.endswith("\n")
            saw_non_ascii = saw_non_ascii or not text.isascii()
        if not chunk:
            break
    binary.seek(0)
    return Scan(encoding=encoding, lines=lines + int(ends_open), blank=blank)


def _not_decodable(encoding: str, e: UnicodeDecodeError, chunk: bytes, lines_before: int) -> FileProblem:
    line = lines_before + chunk[: e.start].decode(encoding, errors="replace").count("\n") + 1
    byte = chunk[e.start : e.start + 1].hex().upper() or "end of file"
    if encoding.startswith("utf-8"):
        return FileProblem(422, "not_utf8", details={"line": line}, byte=byte, line=line)
    return FileProblem(422, "bad_encoding", details={"line": line}, encoding=encoding.upper(), line=line)


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter used most in the first lines (header names never contain them); comma by default.

    Several lines, not only the first: a title row above the header may have none."""
    counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_text(binary: IO[bytes], encoding: str, errors: str = "strict") -> io.TextIOWrapper:
    """A text view of the upload, decoded as it is read; newline="" as the csv module requires."""
    binary.seek(0)
    return io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline="")


SNIFF_LINES = 20


def records(text: io.TextIOWrapper) -> Iterator[tuple[int, list[str]]]:
    """Every record with its Excel row number (the first line is row 1), empty ones included.

    A cell with line breaks inside quotes is one Excel row however many lines it spans, so rows are
    counted by record, not by line. The delimiter is read off the first lines.
    """
    first: list[str] = []
    for _ in range(SNIFF_LINES):
        line = text.readline()
        if not line:
            break
        first.append(line)
    reader = csv.reader(itertools.chain(first, text), delimiter=sniff_delimiter(first))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if number == 1 and cells:
                cells[0] = cells[0].lstrip("\ufeff")
            yield number, cells
    except csv.Error as e:
        raise UnreadableRow(number + 1, str(e)) from None
