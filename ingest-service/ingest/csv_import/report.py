"""What an import tells the clerk: counts; rejected rows by row, column letter and the clerk's header, in
Bangla and English; the Bijoy cells that were converted; and a downloadable error report.

Counts cover every row; the lists stop at limits (schemas/csv/cells.json) so a 100k-row file full of
mistakes still answers in bounded memory. Cell values echoed back are cut short and defused: a value
that a spreadsheet would run as a formula gets a leading apostrophe.

The error report is a CSV (UTF-8 with BOM, so Excel shows Bangla) of the failed rows with the clerk's
own header and cells and two reason columns at the end: fixed in Excel, it can be uploaded again as
it is — the header matcher ignores the reason columns, and column letters stay where they were.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from typing import IO, Any

from ingest.csv_import.cells import cell_rules, formula_like_start
from portal.clerk_messages import bilingual

REASON_HEADERS = ("ত্রুটি", "error", "row")


def echo(value: str, limit: int | None = None) -> str:
    """A cell value fit to show back: at most `limit` characters, never starting like a formula."""
    limit = limit or cell_rules()["echo_max_chars"]
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return "'" + shown if formula_like_start(shown) else shown


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str | None  # our column name; None when the problem is the row's shape
    value: str
    message: str  # English
    header: str | None = None  # the clerk's own header text
    letter: str | None = None  # Excel's column letter
    code: str = "row"
    message_bn: str = ""

    def public(self) -> dict[str, Any]:
        return asdict(self) | {"value": echo(self.value)}

    def reason(self) -> tuple[str, str]:
        """(Bangla, English) for the error report's reason columns, prefixed by where it is."""
        where = f"{self.letter}{self.row} ({self.header}): " if self.letter else ""
        return where + self.message_bn, where + self.message


@dataclass(frozen=True)
class Conversion:
    """A cell the import converted — Bijoy to Unicode, a unit to kg, months or taka, a date in words or
    an Excel day number — listed so the clerk can check it."""

    row: int
    column: str
    header: str
    letter: str
    original: str
    converted: str
    kind: str = "bijoy"  # "bijoy", "unit" (maunds → kg, years → months, lakh → taka) or "date"

    def public(self) -> dict[str, Any]:
        return asdict(self) | {"original": echo(self.original)}


class ErrorReport:
    """The failed rows as a CSV on disk (bounded), written as the import goes."""

    def __init__(
        self,
        headers: list[str],
        *,
        max_bytes: int,
        path: str | None = None,
        resume_at: tuple[int, int, int] | None = None,
    ) -> None:
        """`path`: a file that outlives the process (an import that may resume); `resume_at`: (bytes,
        rows, omitted) of a checkpoint, to go on from."""
        if path is not None and resume_at is not None:
            self.file: IO[bytes] = open(path, "r+b")  # noqa: SIM115 (owned)
            self.file.truncate(resume_at[0])
            self.file.seek(resume_at[0])
            self.text = io.TextIOWrapper(self.file, encoding="utf-8", newline="")
            self.writer = csv.writer(self.text, lineterminator="\r\n")
            self.rows, self.omitted = resume_at[1], resume_at[2]
        else:
            self.file = open(path, "w+b") if path else tempfile.SpooledTemporaryFile(max_size=1 << 20)  # noqa: SIM115
            self.text = io.TextIOWrapper(self.file, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
            self.writer = csv.writer(self.text, lineterminator="\r\n")
            self.writer.writerow([*(_defused(h) for h in headers), *REASON_HEADERS])
            self.rows = 0
            self.omitted = 0
        self.max_bytes = max_bytes

    def position(self) -> tuple[int, int, int]:
        """(bytes, rows, omitted) so far: where a resumed import goes on from."""
        self.text.flush()
        return self.file.tell(), self.rows, self.omitted

    def add(self, row: int, cells: list[str], errors: list[RowError]) -> None:
        if self.text.tell() > self.max_bytes:
            self.omitted += 1
            return
        reasons = [e.reason() for e in errors]
        bangla = " | ".join(bn for bn, _ in reasons)
        english = " | ".join(en for _, en in reasons)
        self.writer.writerow([*(_defused(c) for c in cells), bangla, english, row])
        self.rows += 1

    def content(self) -> bytes:
        self.text.flush()
        self.file.seek(0)
        return self.file.read()

    def close(self) -> None:
        self.text.close()


def _defused(cell: str) -> str:
    """A cell written back for Excel to open: a formula-like value gets the apostrophe Excel itself uses."""
    return echo(cell, limit=max(len(cell), 1))


@dataclass
class ImportReport:
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    published: int = 0
    deleted: int = 0  # accepted rows that delete a listing
    replaced: int = 0  # earlier rows of a duplicated id, replaced by the later one on request
    converted: int = 0  # Bijoy cells converted to Unicode
    errors: list[RowError] = field(default_factory=list)
    errors_omitted: int = 0  # errors counted but not listed, past the limit
    warnings: list[dict[str, Any]] = field(default_factory=list)
    conversions: list[Conversion] = field(default_factory=list)
    max_errors: int = 1000
    blank_hours: int = 0
    first_blank_hours: int | None = None
    units_converted: int = 0  # cells read with a unit or as a date in words, converted (listed too)
    first_unit: Conversion | None = None
    never_donated: int = 0  # donors with an empty last donation date: never given
    first_never_donated: int | None = None
    merged_filled: int = 0
    first_merged: str | None = None

    def snapshot(self) -> ImportReport:
        """The report as it stands, kept after every step until its checkpoint can be written.

        Cheap enough for every step: only the lists are copied (their items are frozen or never
        changed once added); `state()` of the chosen snapshot is built when it is written."""
        return replace(
            self, errors=list(self.errors), warnings=list(self.warnings), conversions=list(self.conversions)
        )

    def state(self) -> dict[str, Any]:
        """Everything counted and listed so far, as JSON: an import's checkpoint."""
        found = {f.name: getattr(self, f.name) for f in fields(self)}
        found["errors"] = [dict(vars(e)) for e in self.errors]
        found["conversions"] = [dict(vars(c)) for c in self.conversions]
        found["warnings"] = [dict(w) for w in self.warnings]
        found["first_unit"] = dict(vars(self.first_unit)) if self.first_unit else None
        return found

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ImportReport:
        fields = dict(state)
        fields["errors"] = [RowError(**e) for e in state.get("errors", [])]
        fields["conversions"] = [Conversion(**c) for c in state.get("conversions", [])]
        fields["first_unit"] = Conversion(**state["first_unit"]) if state.get("first_unit") else None
        return cls(**fields)

    def reject(self, problems: list[RowError]) -> None:
        self.rejected += 1
        room = max(self.max_errors - len(self.errors), 0)
        self.errors.extend(problems[:room])
        self.errors_omitted += len(problems) - min(room, len(problems))

    def converted_cells(self, found: list[Conversion]) -> None:
        for conversion in found:
            if conversion.kind == "bijoy":
                self.converted += 1
            else:
                self.units_converted += 1
                self.first_unit = self.first_unit or conversion
        room = max(self.max_errors - len(self.conversions), 0)
        self.conversions.extend(found[:room])

    def warn(self, code: str, **params: Any) -> None:
        self.warnings.append(bilingual(code, **params))

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "published": self.published,
            "deleted": self.deleted,
            "replaced": self.replaced,
            "converted": self.converted,
        }

    def public(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "errors": [e.public() for e in self.errors],
            "errors_omitted": self.errors_omitted,
            "warnings": self.warnings,
            "conversions": [c.public() for c in self.conversions],
        }
