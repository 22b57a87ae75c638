"""Merged cells in a workbook: fill the value down where that is what the merge means, else say so.

Offices merge a column's cells over the rows they share — one upazila, one category, one seller for
a block of rows. The file stores the value only in the merge's top cell, so read naively every other
row is "required, cell empty". A vertical merge in a column of shared facts (upazila, category,
hours, a seller's id …) is filled down: each row takes the merged value, and the import says how many
were. In a column that names one listing (its id, name or phone) a merge cannot mean "the same for
every row", so those rows get a plain "merged cells" error instead of a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.csv_import.columns import Column, HeaderMatch, column_letter
from ingest.csv_import.sheet import Sheet

#: Columns whose value is one listing's own: a merge over them is refused, never filled.
_OWN = frozenset({"id", "name_bn", "name_en", "title_bn", "title_en", "phone", "whatsapp", "slug"})


@dataclass(frozen=True)
class _Span:
    top: int  # the sheet's row number of the merge's top cell
    bottom: int
    column: int  # index into the row's cells (after the sheet's column offset)
    label: str  # "D3:D6"


class MergedCells:
    """The vertical merges of one sheet, applied row by row in order."""

    def __init__(self, sheet: Sheet, header: HeaderMatch) -> None:
        self.header = header
        self.columns: dict[int, Column] = dict(header.positions)
        self.spans: dict[int, list[_Span]] = {}
        for merge in sheet.merges:
            if merge.last_row == merge.first_row or merge.first_row + 1 <= sheet.header_row:
                continue  # one row only, or a title/header merge above the data
            column = merge.first_col - sheet.column_offset
            if column < 0:
                continue
            first, last = merge.first_row + 1, merge.last_row + 1
            label = f"{column_letter(merge.first_col)}{first}:{column_letter(merge.first_col)}{last}"
            for row in range(first + 1, last + 1):
                self.spans.setdefault(row, []).append(_Span(first, last, column, label))
        self.top_values: dict[tuple[int, int], str] = {}  # (top row, column) → its value
        self.tops = {(span.top, span.column) for spans in self.spans.values() for span in spans}
        self.filled = 0
        self.filled_first: str | None = None

    def fill(self, number: int, cells: list[str]) -> tuple[list[str], list[tuple[int, Column | None, str]]]:
        """The row with merged values filled in, and the cells a merge leaves without a value of their own."""
        if not self.tops:
            return cells, []
        for column in range(len(cells)):
            if (number, column) in self.tops:
                self.top_values[(number, column)] = cells[column]
        refused: list[tuple[int, Column | None, str]] = []
        for span in self.spans.get(number, ()):
            if span.column < len(cells) and cells[span.column].strip():
                continue
            value = self.top_values.get((span.top, span.column), "")
            if not value.strip():
                continue
            owner = self.columns.get(span.column)
            if owner is None:
                continue  # a column the import does not read
            if owner.name in _OWN or owner.type == "phone":
                refused.append((span.column, owner, span.label))
                continue
            if span.column >= len(cells):
                cells = [*cells, *([""] * (span.column + 1 - len(cells)))]
            else:
                cells = list(cells)
            cells[span.column] = value
            self.filled += 1
            self.filled_first = self.filled_first or span.label
        return cells, refused
