"""Bytes of an uploaded file → decoded CSV records, streamed, with Excel's row numbers.

The upload sits in a spooled temporary file (on disk past 1 MB), and is read twice in fixed-size
pieces: a scan that proves the whole file decodes and bounds its row count before anything is
published — so a Windows-1252 byte on row 90,000 cannot leave half a file imported — then the real
pass with `csv.reader` over a text wrapper. Memory stays flat whatever the file size.

Encodings: UTF-8 with or without BOM, UTF-16 and UTF-32 by their BOM (Excel's "Unicode Text"), and
UTF-16 without a BOM when the NUL bytes give it away. Anything else that is not UTF-8 is refused with
instructions to re-save as "CSV UTF-8". The delimiter is read off the header row: comma, semicolon
(Excel in some locales) or tab ("Unicode Text").
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

CHUNK = 1 << 20
DELIMITERS = (",", ";", "\t")
SAVE_AS = 'In Excel choose File → Save As → "CSV UTF-8 (Comma delimited) (*.csv)" and upload that file.'

_BOMS = (  # longest first: the UTF-32 LE BOM begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

csv.field_size_limit(1 << 20)  # a 1 MB cell is already absurd; the default 128 KB is fine too


class FileProblem(Exception):
    """The file as a whole cannot be imported; nothing was published. `status` is the HTTP answer."""

    def __init__(self, status: int, code: str, message: str, **details: object) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class UnreadableRow(Exception):
    """csv.reader gave up at `row` (only a cell past the field size limit does that): reading stops."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


@dataclass(frozen=True)
class Scan:
    encoding: str
    lines: int  # physical lines: an upper bound on the number of records
    blank: bool  # nothing but whitespace


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
    binary.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines = 0
    blank = True
    ends_open = False
    while True:
        chunk = binary.read(CHUNK)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as e:
            raise _not_decodable(encoding, e, chunk, lines) from None
        if text:
            lines += text.count("\n")
            blank = blank and not text.strip()
            ends_open = not text.endswith("\n")
        if not chunk:
            break
    binary.seek(0)
    return Scan(encoding=encoding, lines=lines + int(ends_open), blank=blank)


def _not_decodable(encoding: str, e: UnicodeDecodeError, chunk: bytes, lines_before: int) -> FileProblem:
    line = lines_before + chunk[: e.start].decode(encoding, errors="replace").count("\n") + 1
    byte = chunk[e.start : e.start + 1].hex().upper() or "end of file"
    if encoding.startswith("utf-8"):
        message = (
            f"The file is not UTF-8 text: byte 0x{byte} on line {line} cannot be read. It was probably "
            'saved as "CSV (Comma delimited)", which uses the Windows code page and turns Bangla into '
            f"question marks. {SAVE_AS}"
        )
        return FileProblem(422, "not_utf8", message, line=line)
    message = (
        f"The file starts like {encoding.upper()} text but cannot be read as such on line {line}. {SAVE_AS}"
    )
    return FileProblem(422, "bad_encoding", message, line=line)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter used most in the header row (header names never contain them); comma by default."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_text(binary: IO[bytes], encoding: str) -> io.TextIOWrapper:
    """A text view of the upload, decoded as it is read; newline="" as the csv module requires."""
    binary.seek(0)
    return io.TextIOWrapper(binary, encoding=encoding, errors="strict", newline="")  # type: ignore[type-var]


def records(text: io.TextIOWrapper) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header cells, and every later record with its Excel row number (header = row 1).

    A cell with line breaks inside quotes is one Excel row however many lines it spans, so rows are
    counted by record, not by line. Empty rows keep their number but are not yielded.
    """
    first = text.readline()
    reader = csv.reader(itertools.chain([first], text), delimiter=sniff_delimiter(first))
    header = next(reader, [])
    if header:
        header[0] = header[0].lstrip("\ufeff")

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for number, cells in enumerate(reader, start=2):
                if "".join(cells).strip():
                    yield number, cells
        except csv.Error as e:
            raise UnreadableRow(
                number + 1,
                f'the file cannot be read from this row on ({e}): a quote (") probably opens a cell '
                "that is never closed",
            ) from None

    return header, rows()


def count_records(binary: IO[bytes], encoding: str) -> int:
    """Non-empty records after the header: the exact row count, for when lines overestimate it."""
    text = open_text(binary, encoding)
    try:
        _, rows = records(text)
        return sum(1 for _ in rows)
    finally:
        text.detach()
        binary.seek(0)
