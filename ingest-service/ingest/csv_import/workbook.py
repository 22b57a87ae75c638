"""Excel and LibreOffice workbooks (.xlsx, .xls, .ods) → rows of cell text, streamed, with the sheet's numbers.

Why a reader of our own: a workbook is a ZIP of XML (or, for .xls, a compound file) written by whoever
made it, and readers that build the sheet as a dense grid can be made to allocate anything — cells in
A1 and XFD1048576 ask for 17 billion cells, a 1 MB ZIP can hold a gigabyte of XML. Here the work is
bounded by construction:
- before any XML is read, the ZIP's directory is checked: total uncompressed size and each member's
  compression ratio (schemas/csv/cells.json `workbook`); zipfile then never inflates past the sizes
  the directory declared (and checks them), so a lying directory cannot help either;
- .xlsx and .ods are read as streams with expat, one row at a time; only rows and cells that exist
  are materialized, a row is as long as its last value, and a value beyond the column limit refuses
  the file naming its cell; repeated rows and cells (.ods) are counted, not copied, unless they hold
  values;
- documents with a DTD are refused (no entity can expand), and external entities are never fetched;
- .xls (at most 65,536 × 256 cells by its format) is read by xlrd with ragged rows: no padding.

Cells arrive typed and are turned into the text a clerk would have typed, so the same parsers judge
CSV and workbook rows: whole numbers without ".0" (a phone number stored as the number 1712345678
reads "1712345678"), dates as YYYY-MM-DD, times as HH:MM, booleans as yes/no. Merged ranges are
reported with the rows (for .xlsx they are known once the sheet has been read to its end).
"""

from __future__ import annotations

import contextlib
import math
import re
import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from posixpath import join, normpath
from typing import IO, Any

from ingest.csv_import.reader import FileProblem

CHUNK = 1 << 16
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODS_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#: Built-in Excel number formats that show dates, times or both (ECMA-376 18.8.30).
_DATE_FORMAT_IDS = frozenset({14, 15, 16, 17, 22, 27, 30, 36, 50, 57})
_TIME_FORMAT_IDS = frozenset({18, 19, 20, 21, 45, 46, 47})


@dataclass(frozen=True)
class Limits:
    """How much of a workbook an import will read (schemas/csv/cells.json `workbook`)."""

    max_columns: int = 256
    max_uncompressed_bytes: int = 512 << 20
    max_ratio: float = 100.0
    ratio_applies_from_bytes: int = 1 << 20


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based and inclusive: rows as the sheet numbers them minus one, columns from A."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass
class WorkbookSheet:
    name: str
    names: list[str]  # every sheet of the workbook
    rows: Iterator[tuple[int, list[str]]]  # (the sheet's row number, cell texts from column A)
    merges: list[Merge] = field(default_factory=list)  # complete once `rows` is exhausted


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


def _number_text(raw: str) -> str:
    try:
        return cell_text(float(raw))
    except ValueError:
        return raw


def excel_serial_date(serial: float, *, date1904: bool = False) -> datetime:
    """Excel's day number as a date (the 1900 system counts a 29 February 1900 that never was)."""
    if date1904:
        return datetime(1904, 1, 1) + timedelta(days=serial)
    if serial < 60:
        return datetime(1899, 12, 31) + timedelta(days=serial)
    return datetime(1899, 12, 30) + timedelta(days=round(serial * 86400) / 86400)


def _serial_text(serial: float, kind: str, date1904: bool) -> str:
    if kind == "time":
        minutes = round((serial % 1) * 24 * 60)
        return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    moment = excel_serial_date(serial, date1904=date1904)
    moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=round(moment.second / 60))
    return cell_text(moment)


def column_index(letters: str) -> int:
    """0-based index of Excel column letters (A → 0, XFD → 16383)."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_wide(column: int, row: int, limits: Limits) -> FileProblem:
    return FileProblem(
        422,
        "workbook_too_wide",
        details={"cell": f"{_letters(column)}{row}", "max_columns": limits.max_columns},
        cell=f"{_letters(column)}{row}",
        last=_letters(limits.max_columns - 1),
    )


# ---------------------------------------------------------------- the ZIP around .xlsx and .ods


def check_zip(archive: zipfile.ZipFile, kind: str, limits: Limits) -> None:
    """Refuse a ZIP that would inflate past the limits, before anything in it is read."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_applies_from_bytes and ratio > limits.max_ratio:
            raise FileProblem(
                422,
                "workbook_bomb",
                details={"member": info.filename[:200], "ratio": round(ratio), "max_ratio": limits.max_ratio},
                format=kind,
                mb=info.file_size >> 20,
                ratio=round(ratio),
            )
    if total > limits.max_uncompressed_bytes:
        raise FileProblem(
            422,
            "workbook_too_large",
            details={"uncompressed_mb": total >> 20, "max_mb": limits.max_uncompressed_bytes >> 20},
            format=kind,
            mb=total >> 20,
            max_mb=limits.max_uncompressed_bytes >> 20,
        )


class _NoDoctype(Exception):
    pass


def _parser(namespaces: bool = True) -> xml.parsers.expat.XMLParserType:
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" " if namespaces else None)
    parser.buffer_text = True

    def refuse(*_: Any) -> None:
        raise _NoDoctype

    parser.StartDoctypeDeclHandler = refuse  # spreadsheet XML has no DTD: no entity can expand
    parser.EntityDeclHandler = refuse
    return parser


def _feed(parser: xml.parsers.expat.XMLParserType, stream: IO[bytes]) -> Iterator[None]:
    """Parse `stream` a piece at a time; yields after each piece so the caller can hand out rows."""
    while True:
        piece = stream.read(CHUNK)
        parser.Parse(piece, not piece)
        yield
        if not piece:
            return


@contextlib.contextmanager
def _xml_errors(kind: str) -> Iterator[None]:
    try:
        yield
    except FileProblem:
        raise
    except _NoDoctype:
        raise FileProblem(422, "workbook_unreadable", format=kind, detail="a DTD in the XML") from None
    except (xml.parsers.expat.ExpatError, zipfile.BadZipFile, KeyError, EOFError, ValueError) as e:
        raise FileProblem(422, "workbook_unreadable", format=kind, detail=_short(e)) from None


def _parse_member(
    archive: zipfile.ZipFile,
    name: str,
    kind: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> None:
    parser = _parser()
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    with _xml_errors(kind), archive.open(name) as stream:
        for _ in _feed(parser, stream):
            pass


# ---------------------------------------------------------------- .xlsx


class _Xlsx:
    def __init__(self, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.archive = archive
        self.limits = limits
        self.sheets: list[tuple[str, str, bool]] = []  # (name, member, visible)
        self.date1904 = False
        self._read_workbook()
        self.strings = self._shared_strings()
        self.date_kinds = self._styles()

    @property
    def names(self) -> list[str]:
        return [name for name, _, _ in self.sheets]

    @property
    def visible(self) -> list[str]:
        return [name for name, _, shown in self.sheets if shown]

    def _read_workbook(self) -> None:
        names = set(self.archive.namelist())
        rels: dict[str, tuple[str, str]] = {}
        rels_name = "xl/_rels/workbook.xml.rels"
        if rels_name in names:

            def rel(name: str, attrs: dict[str, str]) -> None:
                if name.endswith(" Relationship") or name == "Relationship":
                    target = attrs.get("Target", "")
                    member = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
                    rels[attrs.get("Id", "")] = (member, attrs.get("Type", ""))

            _parse_member(self.archive, rels_name, "xlsx", rel)
        found: list[tuple[str, str, bool]] = []

        def book(name: str, attrs: dict[str, str]) -> None:
            local = name.rsplit(" ", 1)[-1]
            if local == "workbookPr":
                self.date1904 = attrs.get("date1904", "0") in ("1", "true")
            elif local == "sheet":
                rid = next((v for k, v in attrs.items() if k.endswith(" id") or k == "r:id"), "")
                member, typ = rels.get(rid, ("", ""))
                if member and (not typ or typ.endswith("/worksheet")):
                    found.append((attrs.get("name", ""), member, attrs.get("state", "visible") == "visible"))

        _parse_member(self.archive, "xl/workbook.xml", "xlsx", book)
        if not found:
            raise FileProblem(422, "workbook_unreadable", format="xlsx", detail="no worksheet in it")
        self.sheets = found

    def _shared_strings(self) -> list[str]:
        name = "xl/sharedStrings.xml"
        if name not in self.archive.namelist():
            return []
        strings: list[str] = []
        parts: list[str] = []
        state = {"in_t": False, "phonetic": 0}

        def start(tag: str, _: dict[str, str]) -> None:
            local = tag.rsplit(" ", 1)[-1]
            if local == "si":
                parts.clear()
            elif local == "t" and not state["phonetic"]:
                state["in_t"] = True
            elif local == "rPh":
                state["phonetic"] += 1

        def end(tag: str) -> None:
            local = tag.rsplit(" ", 1)[-1]
            if local == "t":
                state["in_t"] = False
            elif local == "rPh":
                state["phonetic"] -= 1
            elif local == "si":
                strings.append("".join(parts))

        def text(data: str) -> None:
            if state["in_t"]:
                parts.append(data)

        _parse_member(self.archive, name, "xlsx", start, end, text)
        return strings

    def _styles(self) -> list[str | None]:
        """Per cell style (xf) index: "date", "time" or None (a plain number)."""
        name = "xl/styles.xml"
        if name not in self.archive.namelist():
            return []
        custom: dict[int, str] = {}
        xfs: list[int] = []
        depth = {"cellXfs": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = tag.rsplit(" ", 1)[-1]
            if local == "numFmt":
                with contextlib.suppress(ValueError):
                    custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                depth["cellXfs"] = True
            elif local == "xf" and depth["cellXfs"]:
                try:
                    xfs.append(int(attrs.get("numFmtId", "0")))
                except ValueError:
                    xfs.append(0)

        def end(tag: str) -> None:
            if tag.endswith("cellXfs"):
                depth["cellXfs"] = False

        _parse_member(self.archive, name, "xlsx", start, end)
        return [_format_kind(fmt, custom.get(fmt)) for fmt in xfs]

    def rows(self, name: str, merges: list[Merge]) -> Iterator[tuple[int, list[str]]]:
        """The sheet's rows as they stream by: only cells with a value, in rows as long as their last one.

        The handlers are kept tight (this runs for every cell of every row, twice per import): no
        namespace processing (a prefix such as `x:c` is cut off), state in closure variables.
        """
        member = next(m for n, m, _ in self.sheets if n == name)
        parser = _parser(namespaces=False)
        ready: list[tuple[int, list[str]]] = []
        strings, kinds, limits, date1904 = self.strings, self.date_kinds, self.limits, self.date1904
        max_columns = limits.max_columns
        row = 0
        col = -1
        typ = "n"
        style = 0
        text: list[str] | None = None
        inline = False
        phonetic = False
        cells: dict[int, str] = {}

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal row, col, typ, style, text, inline, phonetic, cells
            if ":" in tag:
                tag = tag[tag.index(":") + 1 :]
            if tag == "c":
                ref = attrs.get("r")
                if ref:
                    match = _CELL_REF.match(ref)
                    col = column_index(match[1]) if match else col + 1
                else:
                    col += 1
                typ = attrs.get("t", "n")
                s = attrs.get("s")
                style = int(s) if s and s.isdigit() else 0
            elif tag == "v":
                text = []
            elif tag == "is":
                inline = True
                text = []
            elif tag == "row":
                r = attrs.get("r")
                row = int(r) if r and r.isdigit() else row + 1
                col = -1
                cells = {}
            elif tag == "rPh":
                phonetic = True  # a phonetic reading inside an inline string is not the text
            elif tag == "mergeCell":
                merge = _merge(attrs.get("ref", ""))
                if merge is not None:
                    merges.append(merge)

        def data(chunk: str) -> None:
            if text is not None and not phonetic:
                text.append(chunk)

        def end(tag: str) -> None:
            nonlocal text, inline, phonetic, cells
            if ":" in tag:
                tag = tag[tag.index(":") + 1 :]
            if tag == "v":
                if inline or text is None:
                    return
                value = _xlsx_value("".join(text), typ, style, strings, kinds, date1904)
                text = None
            elif tag == "is":
                inline = False
                value = "".join(text or ())
                text = None
            elif tag == "row":
                if cells:
                    found = [""] * (max(cells) + 1)
                    for index, cell in cells.items():
                        found[index] = cell
                    ready.append((row, found))
                cells = {}
                return
            elif tag == "rPh":
                phonetic = False
                return
            else:
                return
            if value:
                if col >= max_columns:
                    raise _too_wide(col, row, limits)
                cells[col] = value

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        with _xml_errors("xlsx"), self.archive.open(member) as stream:
            for _ in _feed(parser, stream):
                if ready:
                    yield from ready
                    ready.clear()


def _xlsx_value(
    raw: str, typ: str, style: int, strings: list[str], kinds: list[str | None], date1904: bool
) -> str:
    if typ == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            return ""
    if typ in ("str", "inlineStr", "e"):
        return raw
    if typ == "b":
        return "yes" if raw.strip() in ("1", "true") else "no"
    if typ == "d":
        return raw[:10] if raw[11:16] in ("", "00:00") else raw[:16].replace("T", " ")
    kind = kinds[style] if style < len(kinds) else None
    if kind is not None and raw:
        try:
            return _serial_text(float(raw), kind, date1904)
        except (ValueError, OverflowError):
            return raw
    return _number_text(raw) if raw else ""


_DATE_TOKENS = re.compile(r"[dmyhs]", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _format_kind(fmt: int, code: str | None) -> str | None:
    if fmt in _DATE_FORMAT_IDS:
        return "date"
    if fmt in _TIME_FORMAT_IDS:
        return "time"
    if not code:
        return None
    bare = _QUOTED.sub("", code.split(";")[0])
    if not _DATE_TOKENS.search(bare):
        return None
    has_date = re.search(r"[dy]", bare, re.IGNORECASE) or re.search(r"m{3,}", bare, re.IGNORECASE)
    return "date" if has_date else "time"


def _merge(ref: str) -> Merge | None:
    first, _, last = ref.partition(":")
    a, b = _CELL_REF.match(first), _CELL_REF.match(last or first)
    if not a or not b:
        return None
    return Merge(int(a[2]) - 1, column_index(a[1]), int(b[2]) - 1, column_index(b[1]))


# ---------------------------------------------------------------- .ods


class _Ods:
    def __init__(self, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.archive = archive
        self.limits = limits
        self.sheets = self._sheet_names()

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.sheets]

    @property
    def visible(self) -> list[str]:
        return [name for name, shown in self.sheets if shown]

    def _sheet_names(self) -> list[tuple[str, bool]]:
        """Sheet names and visibility, from the start of content.xml (stops at the first rows)."""
        hidden_styles: set[str] = set()
        tables: list[tuple[str, str]] = []
        current = {"style": ""}

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == f"{_ODS_STYLE} style":
                current["style"] = attrs.get(f"{_ODS_STYLE} name", "")
            elif tag == f"{_ODS_STYLE} table-properties":
                if attrs.get(f"{_ODS_TABLE} display") == "false":
                    hidden_styles.add(current["style"])
            elif tag == f"{_ODS_TABLE} table":
                tables.append(
                    (attrs.get(f"{_ODS_TABLE} name", ""), attrs.get(f"{_ODS_TABLE} style-name", ""))
                )

        _parse_member(self.archive, "content.xml", "ods", start)
        if not tables:
            raise FileProblem(422, "workbook_unreadable", format="ods", detail="no sheet in it")
        return [(name, style not in hidden_styles) for name, style in tables]

    def rows(self, name: str, merges: list[Merge]) -> Iterator[tuple[int, list[str]]]:
        parser = _parser()
        ready: list[tuple[int, list[str], int]] = []  # (row number, cells, times repeated)
        limits = self.limits
        table_tag, row_tag = f"{_ODS_TABLE} table", f"{_ODS_TABLE} table-row"
        cell_tag, covered_tag = f"{_ODS_TABLE} table-cell", f"{_ODS_TABLE} covered-table-cell"
        p_tag, s_tag, tab_tag, br_tag = (
            f"{_ODS_TEXT} p",
            f"{_ODS_TEXT} s",
            f"{_ODS_TEXT} tab",
            f"{_ODS_TEXT} line-break",
        )
        rep_rows, rep_cols = f"{_ODS_TABLE} number-rows-repeated", f"{_ODS_TABLE} number-columns-repeated"
        span_rows, span_cols = f"{_ODS_TABLE} number-rows-spanned", f"{_ODS_TABLE} number-columns-spanned"
        vtype, value_attr = f"{_ODS_OFFICE} value-type", f"{_ODS_OFFICE} value"
        date_attr, time_attr = f"{_ODS_OFFICE} date-value", f"{_ODS_OFFICE} time-value"
        bool_attr = f"{_ODS_OFFICE} boolean-value"
        state: dict[str, Any] = {
            "in_table": False,
            "row": 0,  # rows before this one (0-based index of the current row)
            "row_repeat": 1,
            "col": 0,
            "cells": {},
            "cell": None,  # (typed value or None, repeat) of the open cell
            "paragraphs": None,
        }

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag in (cell_tag, covered_tag):
                if not state["in_table"]:
                    return
                repeat = _count(attrs.get(rep_cols))
                typed = _ods_value(attrs, vtype, value_attr, date_attr, time_attr, bool_attr)
                state["cell"] = (typed, repeat)
                state["paragraphs"] = [] if tag == cell_tag else None
                rows_spanned, cols_spanned = _count(attrs.get(span_rows)), _count(attrs.get(span_cols))
                if rows_spanned > 1 or cols_spanned > 1:
                    r, c = state["row"], state["col"]
                    merges.append(Merge(r, c, r + rows_spanned - 1, c + cols_spanned - 1))
            elif tag == p_tag and state["paragraphs"] is not None:
                state["paragraphs"].append([])
            elif tag == s_tag and state["paragraphs"]:
                state["paragraphs"][-1].append(" " * _count(attrs.get(f"{_ODS_TEXT} c")))
            elif tag == tab_tag and state["paragraphs"]:
                state["paragraphs"][-1].append("\t")
            elif tag == br_tag and state["paragraphs"]:
                state["paragraphs"][-1].append("\n")
            elif tag == row_tag and state["in_table"]:
                state["row_repeat"] = _count(attrs.get(rep_rows))
                state["col"] = 0
                state["cells"] = {}
            elif tag == table_tag:
                state["in_table"] = attrs.get(f"{_ODS_TABLE} name") == name

        def text(data: str) -> None:
            if state["paragraphs"]:
                state["paragraphs"][-1].append(data)

        def end(tag: str) -> None:
            if not state["in_table"]:
                return
            if tag in (cell_tag, covered_tag):
                typed, repeat = state["cell"] or (None, 1)
                paragraphs = state["paragraphs"]
                value = typed if typed is not None else "\n".join("".join(p) for p in paragraphs or ())
                state["paragraphs"] = None
                state["cell"] = None
                col = state["col"]
                if value:
                    last = col + repeat - 1
                    if last >= limits.max_columns:
                        raise _too_wide(min(last, max(col, limits.max_columns)), state["row"] + 1, limits)
                    for c in range(col, col + repeat):
                        state["cells"][c] = value
                state["col"] = col + repeat
            elif tag == row_tag:
                cells = state["cells"]
                repeat = state["row_repeat"]
                if cells:
                    row = [""] * (max(cells) + 1)
                    for col, value in cells.items():
                        row[col] = value
                    ready.append((state["row"] + 1, row, repeat))
                state["row"] += repeat
                state["cells"] = {}
            elif tag == table_tag:
                state["in_table"] = False

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        with _xml_errors("ods"), self.archive.open("content.xml") as stream:
            for _ in _feed(parser, stream):
                for number, row, repeat in ready:
                    # Repeated rows with values are real rows, handed out one by one: the import's
                    # row limit stops a million of them long before they cost anything.
                    for k in range(repeat):
                        yield number + k, list(row) if k else row
                ready.clear()


def _count(value: str | None) -> int:
    try:
        return max(int(value), 1) if value else 1
    except ValueError:
        return 1


def _ods_value(
    attrs: dict[str, str], vtype: str, value_attr: str, date_attr: str, time_attr: str, bool_attr: str
) -> str | None:
    typ = attrs.get(vtype)
    if typ in ("float", "percentage", "currency"):
        return _number_text(attrs.get(value_attr, ""))
    if typ == "date":
        raw = attrs.get(date_attr, "")
        return raw[:10] if raw[11:16] in ("", "00:00") else raw[:16].replace("T", " ")
    if typ == "time":
        match = re.match(r"^PT(\d+)H(\d+)M", attrs.get(time_attr, ""))
        return f"{int(match[1]) % 24:02d}:{int(match[2]):02d}" if match else None
    if typ == "boolean":
        return "yes" if attrs.get(bool_attr) == "true" else "no"
    return None


# ---------------------------------------------------------------- .xls


class _Xls:
    def __init__(self, path: str, limits: Limits) -> None:
        import xlrd

        self.limits = limits
        try:
            self.book = xlrd.open_workbook(path, on_demand=True, formatting_info=True, ragged_rows=True)
        except xlrd.biffh.XLRDError as e:
            if "encrypt" in str(e).lower():
                raise FileProblem(422, "workbook_encrypted") from None
            raise FileProblem(422, "workbook_unreadable", format="xls", detail=_short(e)) from None
        except Exception as e:  # a damaged compound file raises several types; all mean "cannot read"
            raise FileProblem(422, "workbook_unreadable", format="xls", detail=_short(e)) from None

    @property
    def names(self) -> list[str]:
        return list(self.book.sheet_names())

    @property
    def visible(self) -> list[str]:
        shown = []
        for index, name in enumerate(self.book.sheet_names()):
            sheet = self.book.sheet_by_index(index)
            if not getattr(sheet, "visibility", 0):
                shown.append(name)
            self.book.unload_sheet(index)
        return shown

    def rows(self, name: str, merges: list[Merge]) -> Iterator[tuple[int, list[str]]]:
        import xlrd

        try:
            sheet = self.book.sheet_by_name(name)
        except Exception as e:
            raise FileProblem(422, "workbook_unreadable", format="xls", detail=_short(e)) from None
        merges.extend(Merge(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells)
        datemode = self.book.datemode
        for r in range(sheet.nrows):
            types, values = sheet.row_types(r), sheet.row_values(r)
            row = [""] * len(values)
            for c, (typ, value) in enumerate(zip(types, values, strict=False)):
                if typ in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if typ == xlrd.XL_CELL_DATE:
                    kind = "time" if value < 1 else "date"
                    row[c] = _serial_text(value, kind, datemode == 1)
                elif typ == xlrd.XL_CELL_BOOLEAN:
                    row[c] = "yes" if value else "no"
                elif typ == xlrd.XL_CELL_ERROR:
                    row[c] = xlrd.error_text_from_code.get(value, "#ERR")
                else:
                    row[c] = cell_text(value)
            while row and not row[-1]:
                row.pop()
            if row:
                yield r + 1, row

    def close(self) -> None:
        self.book.release_resources()


# ---------------------------------------------------------------- one workbook, whatever its format


class Workbook:
    """An open workbook: its sheets' names, and each sheet's rows on demand (one pass per call)."""

    def __init__(self, path: str, kind: str, limits: Limits) -> None:
        self.kind = kind
        self._archive: zipfile.ZipFile | None = None
        self._reader: _Xlsx | _Ods | _Xls
        if kind == "xls":
            self._reader = _Xls(path, limits)
            return
        try:
            self._archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise FileProblem(422, "workbook_unreadable", format=kind, detail=_short(e)) from None
        try:
            check_zip(self._archive, kind, limits)
            if any(info.flag_bits & 0x1 for info in self._archive.infolist()):
                raise FileProblem(422, "workbook_encrypted")
            names = set(self._archive.namelist())
            if kind == "xlsx" and "xl/workbook.xml" not in names and "EncryptionInfo" in names:
                raise FileProblem(422, "workbook_encrypted")
            with _xml_errors(kind):
                self._reader = _Xlsx(self._archive, limits) if kind == "xlsx" else _Ods(self._archive, limits)
        except BaseException:
            self._archive.close()
            raise

    @property
    def names(self) -> list[str]:
        return self._reader.names

    @property
    def visible(self) -> list[str]:
        return self._reader.visible

    def sheet(self, name: str) -> WorkbookSheet:
        merges: list[Merge] = []
        return WorkbookSheet(name=name, names=self.names, rows=self._reader.rows(name, merges), merges=merges)

    def close(self) -> None:
        if isinstance(self._reader, _Xls):
            self._reader.close()
        if self._archive is not None:
            self._archive.close()


@cache
def default_limits() -> Limits:
    from ingest.csv_import.cells import cell_rules

    raw = cell_rules().get("workbook", {})
    return Limits(
        max_columns=int(raw.get("max_columns", 256)),
        max_uncompressed_bytes=int(raw.get("max_uncompressed_mb", 512)) << 20,
        max_ratio=float(raw.get("max_compression_ratio", 100)),
        ratio_applies_from_bytes=int(raw.get("ratio_applies_from_kb", 1024)) << 10,
    )


def _short(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return text[:200]


__all__ = ["Limits", "Merge", "Workbook", "WorkbookSheet", "cell_text", "check_zip", "default_limits"]
