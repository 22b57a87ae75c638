"""What an import tells the clerk: counts, and for rejected rows which row, which column and why.

Counts cover every row; the error list stops at a limit (schemas/csv/cells.json) so a 100k-row file
full of mistakes still answers in bounded memory. Cell values echoed back are cut short and
defused: a value that a spreadsheet would run as a formula gets a leading apostrophe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.csv_import.cells import cell_rules

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def echo(value: str, limit: int | None = None) -> str:
    """A cell value fit to show back: at most `limit` characters, never starting like a formula."""
    limit = limit or cell_rules()["echo_max_chars"]
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return "'" + shown if shown.lstrip(" ").startswith(_FORMULA_STARTS) else shown


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str | None  # the CSV column name; None when the problem is the row's shape
    value: str
    message: str

    def public(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": echo(self.value), "message": self.message}


@dataclass
class ImportReport:
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    published: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_omitted: int = 0  # errors counted but not listed, past the limit
    warnings: list[str] = field(default_factory=list)
    max_errors: int = 1000

    def reject(self, problems: list[RowError]) -> None:
        self.rejected += 1
        room = max(self.max_errors - len(self.errors), 0)
        self.errors.extend(problems[:room])
        self.errors_omitted += len(problems) - min(room, len(problems))

    def public(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "published": self.published,
            "errors": [e.public() for e in self.errors],
            "errors_omitted": self.errors_omitted,
            "warnings": self.warnings,
        }
