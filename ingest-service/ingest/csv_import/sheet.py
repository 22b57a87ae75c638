"""One uploaded file → one sheet of text cells, whatever it was saved as, with the table found in it.

CSV (any of the encodings reader.py accepts) and workbooks (.xlsx, .xls, .ods via workbook.py) meet
here as the same thing: the header cells, and the data rows with the row numbers and column letters
Excel shows. Offices do not always start their list in A1: a title ("কিশোরগঞ্জ জেলা প্রশাসন —
সেবাদানকারীদের তালিকা") and blank rows may come first, and a workbook's list may be on its second
sheet. The caller says how well a row reads as a header (`header_score`: how many cells name a known
column); the header is the best such row among the first ones, and without `?sheet=` the sheet is
the one that holds a list — or, when several do, the clerk is asked which, by name.
Everything after this — header matching, row checks, the error report — is the same for every
format. A sheet can be opened twice (the shape check, then the import), the second time straight at
what the first found.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ingest.csv_import import reader
from ingest.csv_import.file_kind import WORKBOOKS, sniff
from ingest.csv_import.reader import FileProblem
from ingest.csv_import.workbook import Merge, Workbook, default_limits

#: How many non-empty rows from the top may hold the header (title rows, a subtitle, a date line…).
HEADER_SEARCH_ROWS = 15
#: Rows read after the header to find the column where the table starts.
LOOKAHEAD_ROWS = 49

HeaderScore = Callable[[list[str]], int]


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
    header_row: int = 1  # the sheet's row number of the header
    title_rows: list[int] = field(default_factory=list)  # non-empty rows above the header, skipped
    merges: list[Merge] = field(default_factory=list)  # complete once `rows` is exhausted
    #: A workbook's rows as the first pass read them, kept as CSV (row number first) so the second
    #: pass reads them back with the C csv reader instead of parsing the XML again.
    spill: str | None = None

    def describe(self) -> str:
        if self.kind == "csv":
            return f"CSV ({self.encoding})"
        return f"{self.kind} sheet {self.sheet_name!r}"


def _score(header_score: HeaderScore | None, cells: list[str]) -> int:
    return header_score(cells) if header_score is not None else 0


def find_header(
    raw: Iterator[tuple[int, list[str]]], header_score: HeaderScore | None, *, at: int | None = None
) -> tuple[int, list[str], list[int], Iterator[tuple[int, list[str]]]]:
    """(header row number, header cells, skipped rows above it, the rows after it).

    `at`: the header row an earlier pass found. Otherwise the best-scoring of the first non-empty rows
    (the first of equals; the first non-empty row when none scores).
    """
    seen: list[tuple[int, list[str]]] = []
    if at is not None:
        for number, cells in raw:
            if number == at:
                return number, cells, [], raw
            if number > at:
                return at, [], [], itertools.chain([(number, cells)], raw)
        return at, [], [], raw
    best: tuple[int, int] | None = None  # (score, index in seen)
    try:
        for number, cells in raw:
            if not any(c.strip() for c in cells):
                continue
            seen.append((number, cells))
            score = _score(header_score, cells)
            if score and (best is None or score > best[0]):
                best = (score, len(seen) - 1)
            if len(seen) >= HEADER_SEARCH_ROWS:
                break
    except reader.UnreadableRow as unreadable:
        # the rows before it are still good: the row pass reports the unreadable one at its row
        stop = unreadable
        raw = _raising(stop)
    if not seen:
        return 1, [], [], raw
    index = best[1] if best is not None else 0
    number, cells = seen[index]
    return number, cells, [n for n, _ in seen[:index]], itertools.chain(seen[index + 1 :], raw)


def _spilled(rows: Iterator[tuple[int, list[str]]], writer: Any) -> Iterator[tuple[int, list[str]]]:
    for number, cells in rows:
        writer.writerow([number, *cells])
        yield number, cells


def _raising(error: Exception) -> Iterator[tuple[int, list[str]]]:
    raise error
    yield  # pragma: no cover (a generator that raises when read)


def _first_column(rows: list[list[str]]) -> int:
    """The first column used in any of `rows`: where the sheet's table starts."""
    used = [next((j for j, v in enumerate(row) if v.strip()), None) for row in rows]
    found = [c for c in used if c is not None]
    return min(found) if found else 0


@contextlib.contextmanager
def open_sheet(
    binary: IO[bytes],
    path: str,
    *,
    sheet: str | None = None,
    known: Sheet | None = None,
    header_score: HeaderScore | None = None,
    is_list: Callable[[int], bool] | None = None,
) -> Iterator[Sheet]:
    """The file's sheet, open for reading its rows; closed when the block ends.

    `known`: what an earlier opening of this same file found (the shape check's), so its kind, a
    CSV's encoding, the sheet and the header row are not worked out again. `is_list(score)`: whether
    a header scoring that much is a list of this kind (to choose among a workbook's sheets)."""
    kind = known.kind if known else sniff(binary)
    if kind in WORKBOOKS and known is not None and known.spill and os.path.exists(known.spill):
        with open(known.spill, encoding="utf-8", newline="") as spilled:
            read_back = ((int(record[0]), record[1:]) for record in csv.reader(spilled))
            yield dataclasses.replace(known, rows=read_back, warnings=[])
        return
    if kind in WORKBOOKS:
        book = Workbook(path, kind, default_limits())
        try:
            found = _workbook_sheet(book, kind, sheet, known, header_score, is_list)
            if known is None:
                found.spill = path + ".rows.csv"
                with open(found.spill, "w", encoding="utf-8", newline="") as out:
                    found.rows = _spilled(found.rows, csv.writer(out))
                    yield found
            else:
                yield found
        finally:
            book.close()
        return
    if known and known.encoding:
        encoding, lines = known.encoding, known.lines
    else:
        scanned = reader.scan(binary)
        encoding, lines = scanned.encoding, scanned.lines
    text = reader.open_text(binary, encoding, reader.decode_errors(encoding))
    try:
        raw = reader.records(text)
        at = known.header_row if known else None
        number, header, skipped, rows = find_header(raw, header_score, at=at)
        found = Sheet(
            kind="csv",
            header=header,
            rows=(item for item in rows if "".join(item[1]).strip()),
            encoding=encoding,
            lines=lines,
            header_row=number,
            title_rows=skipped,
        )
        if encoding == reader.WINDOWS_1252:
            found.warnings.append(("read_as_windows_1252", {}))
        elif encoding == reader.MAC_ROMAN:
            found.warnings.append(("read_as_mac_roman", {}))
        yield found
    finally:
        text.detach()
        binary.seek(0)


def _workbook_sheet(
    book: Workbook,
    kind: str,
    sheet: str | None,
    known: Sheet | None,
    header_score: HeaderScore | None,
    is_list: Callable[[int], bool] | None,
) -> Sheet:
    names = book.names
    warnings: list[tuple[str, dict[str, Any]]] = []
    if known is not None and known.sheet_name is not None:
        chosen = known.sheet_name
    elif sheet is not None:
        if sheet not in names:
            raise FileProblem(
                422,
                "sheet_not_found",
                details={"sheets": names},
                sheet=repr(sheet),
                sheets=", ".join(map(repr, names)),
            )
        chosen = sheet
    else:
        chosen = _choose_sheet(book, header_score, is_list, warnings)
    opened = book.sheet(chosen)
    raw = opened.rows
    at = known.header_row if known else None
    number, header, skipped, rest = find_header(raw, header_score, at=at)
    ahead = list(itertools.islice(rest, LOOKAHEAD_ROWS))
    if known is not None:
        first = known.column_offset
    else:
        first = _first_column([header, *(cells for _, cells in ahead)])

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number_, cells in itertools.chain(ahead, rest):
            cut = cells[first:]
            if any(c.strip() for c in cut):
                yield number_, cut

    return Sheet(
        kind=kind,
        header=header[first:],
        rows=rows(),
        column_offset=first,
        strict_width=False,
        sheet_name=chosen,
        sheet_names=names,
        warnings=warnings,
        header_row=number,
        title_rows=skipped,
        merges=opened.merges,
    )


def _choose_sheet(
    book: Workbook,
    header_score: HeaderScore | None,
    is_list: Callable[[int], bool] | None,
    warnings: list[tuple[str, dict[str, Any]]],
) -> str:
    """The visible sheet that holds a list; several → the clerk names one; none → the first."""
    names = book.names
    visible = book.visible or names
    if len(visible) == 1 or header_score is None or is_list is None:
        chosen = visible[0]
        lists = [chosen]
    else:
        lists = []
        for name in visible:
            rows = book.sheet(name).rows
            try:
                _, header, _, _ = find_header(rows, header_score)  # reads only the first rows
            finally:
                close = getattr(rows, "close", None)
                if close is not None:
                    close()
            if header and is_list(header_score(header)):
                lists.append(name)
        if len(lists) > 1:
            raise FileProblem(
                422,
                "several_lists",
                details={"sheets": lists},
                sheets=", ".join(map(repr, lists)),
                first=lists[0],
            )
        chosen = lists[0] if lists else visible[0]
    others = [n for n in names if n != chosen]
    if others:
        if lists and chosen != visible[0]:
            warnings.append(("list_on_other_sheet", {"sheet": repr(chosen), "first": repr(visible[0])}))
        else:
            warnings.append(("other_sheets", {"sheets": ", ".join(map(repr, others)), "sheet": repr(chosen)}))
    return chosen
