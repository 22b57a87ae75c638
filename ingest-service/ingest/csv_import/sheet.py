"""One uploaded file → one sheet of text cells, whatever it was saved as.

CSV (any of the encodings reader.py accepts) and workbooks (.xlsx, .xls, .ods via workbook.py) meet
here as the same thing: the header cells, and the data rows with the row numbers and column letters
Excel shows. Everything after this — header matching, row checks, the error report — is the same
for every format. A sheet can be opened twice (the shape check, then the import), each time fresh.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ingest.csv_import import reader
from ingest.csv_import.file_kind import WORKBOOKS, sniff
from ingest.csv_import.workbook import open_workbook


@dataclass
class Sheet:
    kind: str  # "csv", "xlsx", "xls" or "ods"
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    column_offset: int = 0
    strict_width: bool = True  # a CSV row must have exactly as many cells as the header
    encoding: str | None = None  # CSV only
    sheet_name: str | None = None  # workbooks only
    sheet_names: list[str] = field(default_factory=list)
    warnings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (message code, params)
    lines: int = 0  # CSV: physical lines, an upper bound on the rows

    def describe(self) -> str:
        if self.kind == "csv":
            return f"CSV ({self.encoding})"
        return f"{self.kind} sheet {self.sheet_name!r}"


@contextlib.contextmanager
def open_sheet(
    binary: IO[bytes], path: str, *, sheet: str | None = None, known: Sheet | None = None
) -> Iterator[Sheet]:
    """The file's sheet, open for reading its rows; closed when the block ends.

    `known`: what an earlier opening of this same file found (the shape check's), so its kind and a
    CSV's encoding are not worked out again by reading the whole file."""
    kind = known.kind if known else sniff(binary)
    if kind in WORKBOOKS:
        book = open_workbook(path, kind, sheet)
        others = [n for n in book.names if n != book.name]
        found = Sheet(
            kind=kind,
            header=book.header,
            rows=book.rows,
            column_offset=book.column_offset,
            strict_width=False,
            sheet_name=book.name,
            sheet_names=book.names,
        )
        if others and sheet is None:
            found.warnings.append(
                ("other_sheets", {"sheets": ", ".join(map(repr, others)), "sheet": repr(book.name)})
            )
        yield found
        return
    if known and known.encoding:
        encoding, lines = known.encoding, known.lines
    else:
        scanned = reader.scan(binary)
        encoding, lines = scanned.encoding, scanned.lines
    text = reader.open_text(binary, encoding, reader.decode_errors(encoding))
    try:
        header, rows = reader.records(text)
        found = Sheet(kind="csv", header=header, rows=rows, encoding=encoding, lines=lines)
        if encoding == reader.WINDOWS_1252:
            found.warnings.append(("read_as_windows_1252", {}))
        yield found
    finally:
        text.detach()
        binary.seek(0)
