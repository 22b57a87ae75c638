"""Excel and LibreOffice workbooks (.xlsx, .xls, .ods) → header and rows of cell text, with Excel's numbers.

Read by python-calamine (Rust's calamine): a well-kept reader of all three formats, with no formula
engine — a formula cell gives the value Excel last computed and saved. Rows become Python values one
at a time (`iter_rows`), so memory holds calamine's compact cell range, not a Python copy of the sheet. Cells arrive typed, and are
turned into the text a clerk would have typed, so the same parsers judge CSV and workbook rows:
whole numbers without ".0" (a phone number Excel stored as the number 1712345678 reads as
"1712345678"), dates as YYYY-MM-DD, times as HH:MM, booleans as yes/no. Row numbers and column
letters are the sheet's own, even when the table does not start in A1.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import python_calamine as calamine

from ingest.csv_import.reader import FileProblem


@dataclass
class WorkbookSheet:
    name: str
    names: list[str]  # every sheet of the workbook
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    column_offset: int


def cell_text(value: Any) -> str:
    """A typed cell as the text a clerk would type."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        minutes = round(value.total_seconds() / 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value)


def open_workbook(path: str, kind: str, sheet: str | None) -> WorkbookSheet:
    """The chosen sheet (by name), or the first visible worksheet; FileProblem when unreadable."""
    try:
        book = calamine.CalamineWorkbook.from_path(path)
    except calamine.PasswordError:
        raise FileProblem(422, "workbook_encrypted") from None
    except Exception as e:  # calamine raises several types for damaged files; all mean "cannot read"
        raise FileProblem(422, "workbook_unreadable", format=kind, detail=_short(e)) from None
    names = list(book.sheet_names)
    try:
        if sheet is not None:
            if sheet not in names:
                raise FileProblem(
                    422,
                    "sheet_not_found",
                    details={"sheets": names},
                    sheet=repr(sheet),
                    sheets=", ".join(map(repr, names)),
                )
            chosen = book.get_sheet_by_name(sheet)
        else:
            visible = [
                m.name
                for m in book.sheets_metadata
                if str(m.visible).endswith("Visible") and "WorkSheet" in str(m.typ)
            ]
            chosen = book.get_sheet_by_name(visible[0] if visible else names[0])
        table = chosen.iter_rows()  # rows from the sheet's row 1, columns from its first used one
        base_column = chosen.start[1] if chosen.start else 0
        first_row, header_row = next(
            ((i, row) for i, row in enumerate(table) if any(cell_text(v).strip() for v in row)), (0, [])
        )
        lookahead = list(itertools.islice(table, 49))  # where the table starts: from its first 50 rows
    except FileProblem:
        raise
    except Exception as e:
        raise FileProblem(422, "workbook_unreadable", format=kind, detail=_short(e)) from None
    first_column = _first_column([header_row, *lookahead])

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, raw in enumerate(itertools.chain(lookahead, table), start=first_row + 2):
            cells = [cell_text(v) for v in raw[first_column:]]
            if any(c.strip() for c in cells):
                yield number, cells

    return WorkbookSheet(
        name=chosen.name,
        names=names,
        header=[cell_text(v) for v in header_row[first_column:]],
        rows=rows(),
        column_offset=base_column + first_column,
    )


def _first_column(rows: list[list[Any]]) -> int:
    """The first column used in any of `rows`: where the sheet's table starts."""
    used = [next((j for j, v in enumerate(row) if cell_text(v).strip()), None) for row in rows]
    found = [c for c in used if c is not None]
    return min(found) if found else 0


def _short(e: Exception) -> str:
    text = str(e).strip() or type(e).__name__
    return text[:200]
