"""Spreadsheets made the way Excel and LibreOffice save them, for the import tests.

- "CSV UTF-8 (Comma delimited)": UTF-8 with a BOM, CRLF line ends, quotes only where needed;
- "Unicode Text": UTF-16 LE with a BOM, tab-separated;
- "CSV (Comma delimited)": the Windows code page (1252); every character it lacks — all Bangla —
  is written as "?", exactly as Excel does;
- Bijoy: Bangla typed with the Bijoy keyboard in a SutonnyMJ font is ASCII/Windows-1252 text;
- .xlsx written by openpyxl with typed cells (numbers, dates), as Excel stores them;
- .ods written by odfpy with typed cells, as LibreOffice stores them; .xls by xlwt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

Row = Sequence[Any]

#: A provider header as clerks type it, in English words with units and punctuation (issue 12 found
#: such headers dropped): the unit test reads it, the end-to-end test imports it.
HUMAN_HEADER = [
    "ID",
    "Name (Bangla)",
    "Name (English)",
    "Category",
    "Mobile No.",
    "Latitude",
    "Longitude",
    "Upazila",
    "Address (Bangla)",
    "Opening Hours",
]


def _csv_text(rows: Sequence[Row], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else str(v) for v in row] for row in rows]
    )
    return out.getvalue()


def csv_utf8(rows: Sequence[Row]) -> bytes:
    """Excel's "CSV UTF-8 (Comma delimited)"."""
    return ("\ufeff" + _csv_text(rows)).encode("utf-8")


def unicode_text(rows: Sequence[Row]) -> bytes:
    """Excel's "Unicode Text": UTF-16 LE with a BOM, tab-separated."""
    return "\ufeff".encode("utf-16-le") + _csv_text(rows, "\t").encode("utf-16-le")


def ansi_csv(rows: Sequence[Row]) -> bytes:
    """Excel's plain "CSV (Comma delimited)": Windows-1252, every other character becomes "?"."""
    return _csv_text(rows).encode("cp1252", errors="replace")


def xlsx(rows: Sequence[Row], *, sheet: str = "Sheet1", extra_sheets: Sequence[str] = ()) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for name in extra_sheets:
        book.create_sheet(name).append(["notes"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods(rows: Sequence[Row], *, sheet: str = "Sheet1") -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for row in rows:
        tr = TableRow()
        for value in row:
            if value is None or value == "":
                tr.addElement(TableCell())
            elif isinstance(value, bool):
                cell = TableCell(valuetype="boolean", booleanvalue="true" if value else "false")
                cell.addElement(P(text="TRUE" if value else "FALSE"))
                tr.addElement(cell)
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            elif isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.isoformat()))
                tr.addElement(cell)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def xls(rows: Sequence[Row], *, sheet: str = "Sheet1") -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write(r, c, value, date_style)
            elif value is not None:
                ws.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
