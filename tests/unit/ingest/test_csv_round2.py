"""Issue 22 and issue 21 (item 1) without servers: bounded workbooks, the shapes offices save, units,
plausibility, dates, donors, Mac Roman, and Bangla all the way in the messages."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from ingest.csv_import.cells import CellError, date
from ingest.csv_import.columns import columns_for, match_header
from ingest.csv_import.importer import ImportOptions, ImportRun, check_shape
from ingest.csv_import.reader import FileProblem, scan, single_byte_encoding
from ingest.csv_import.rows import RowConverter
from ingest.csv_import.units import read, unit_word
from integration import clerk_files as files
from one_sheet_xlsx import SHEET, add_workbook
from portal.clerk_messages import catalog, render
from portal.clock import DHAKA

STARTED = dt.datetime(2026, 11, 28, 10, 0, tzinfo=DHAKA)
HEADER = ["id", "name_bn", "category", "phone", "lat", "lon", "upazila"]
SADAR = [24.412, 90.795, "kishoreganj-sadar"]
PRODUCT_HEADER = ["id", "seller_id", "title_bn", "category", "price_bdt", "lat", "lon", "upazila", "animal"]
NIKLI = ["24.3250", "90.9400", "nikli"]


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def shape(tmp_path: Path, name: str, data: bytes, kind: str = "providers", **options):
    path = write(tmp_path, name, data)
    with open(path, "rb") as binary:
        return check_shape(binary, path, ImportOptions(kind=kind, **options), max_rows=1000)


def run(tmp_path: Path, name: str, data: bytes, kind: str = "providers", **options):
    found = shape(tmp_path, name, data, kind, **options)
    path = str(tmp_path / name)
    with open(path, "rb") as binary:
        rows = ImportRun(binary, path, found, started=STARTED, publisher=None)
        try:
            while rows.step(budget=3):
                pass
            rows.finish()
            return found, rows.report
        finally:
            rows.close()


def raw_xlsx(
    cells: dict[str, str], *, extra: dict[str, bytes] | None = None, compress: int = zipfile.ZIP_DEFLATED
) -> bytes:
    """A minimal .xlsx with inline-string cells at the given references, as any writer may make it."""
    rows: dict[int, list[str]] = {}
    for ref, value in cells.items():
        rows.setdefault(int(re.sub(r"[A-Z]", "", ref)), []).append(
            f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
        + "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as z:
        add_workbook(z)
        z.writestr(SHEET, sheet)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


# --- bounded work ---------------------------------------------------------------------------------


def test_a_far_cell_refuses_the_file_without_allocating_a_grid(tmp_path):
    """Issue 21: cells A1 and XFD1048576 made the old reader ask for 512 GiB."""
    data = raw_xlsx({"A1": "id", "XFD1048576": "x"})
    tracemalloc.start()
    with pytest.raises(FileProblem) as caught:
        shape(tmp_path, "bomb.xlsx", data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert caught.value.code == "workbook_too_wide" and "XFD1048576" in caught.value.message
    assert "XFD1048576" in caught.value.message_bn
    assert peak < 20 << 20


def test_a_sparse_sheet_is_read_row_by_row(tmp_path):
    cells = {f"{col}1": name for col, name in zip("ABCDEFG", HEADER, strict=True)}
    cells |= {"A2": "sp-1", "B2": "রহিম", "C2": "barber", "D2": "01712345678", "E2": "24.412", "F2": "90.795"}
    cells |= {"G2": "kishoreganj-sadar", "Z1000000": "stray"}
    tracemalloc.start()
    found, report = run(tmp_path, "sparse.xlsx", raw_xlsx(cells))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert found.rows_total == 2 and report.accepted == 1
    assert [(e.row, e.code) for e in report.errors] == [(1000000, "value_without_header")]
    assert peak < 30 << 20


def test_a_zip_bomb_disguised_as_a_workbook_is_refused_before_it_is_inflated(tmp_path):
    data = raw_xlsx({"A1": "id"}, extra={"xl/worksheets/padding.xml": b" " * (40 << 20)})
    assert len(data) < 1 << 20
    with pytest.raises(FileProblem) as caught:
        shape(tmp_path, "zipbomb.xlsx", data)
    assert caught.value.code == "workbook_bomb" and caught.value.status == 422
    assert "বার" not in caught.value.message and "গুণ" in caught.value.message_bn


def test_a_document_type_declaration_is_refused(tmp_path):
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><workbook/>'
    data = raw_xlsx({"A1": "id"})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["xl/workbook.xml"] = laughs
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    with pytest.raises(FileProblem) as caught:
        shape(tmp_path, "dtd.xlsx", out.getvalue())
    assert caught.value.code == "workbook_unreadable"


# --- the shapes offices save -------------------------------------------------------------------------


def titled_rows() -> list[list]:
    return [
        ["কিশোরগঞ্জ জেলা প্রশাসন — সেবাদানকারীদের তালিকা"],
        [],
        HEADER,
        ["t-1", "রহিম", "barber", "01712345671", *SADAR],
        ["t-2", "করিম", "barber", "01712345672", *SADAR],
        ["মোট", "", "", "২ জন"],
        ["", "", "", "", "স্বাক্ষর: ..........."],
        ["", "", "", "", "(মোঃ আব্দুল করিম)"],
    ]


@pytest.mark.parametrize(
    ("save", "name"),
    [(files.xlsx, "t.xlsx"), (files.ods, "t.ods"), (files.xls, "t.xls"), (files.csv_utf8, "t.csv")],
)
def test_a_title_above_and_totals_and_signatures_below_the_list_are_skipped(tmp_path, save, name):
    found, report = run(tmp_path, name, save(titled_rows()))
    assert found.rows_total == 2 and (report.accepted, report.rejected) == (2, 0), report.errors
    codes = [w["code"] for w in report.warnings]
    assert "title_rows_skipped" in codes and "trailer_rows_skipped" in codes


def test_the_sheet_holding_the_list_is_chosen_and_several_are_asked_about(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "নির্দেশনা"
    book.active.append(["এই ফাইলে সেবাদাতাদের তালিকা আছে"])
    listed = book.create_sheet("তালিকা")
    for row in [HEADER, ["s-1", "রহিম", "barber", "01712345671", *SADAR]]:
        listed.append(row)
    out = io.BytesIO()
    book.save(out)
    found, report = run(tmp_path, "two.xlsx", out.getvalue())
    assert found.sheet.sheet_name == "তালিকা" and report.accepted == 1
    assert "list_on_other_sheet" in [w["code"] for w in report.warnings]
    again = book.create_sheet("পুরনো তালিকা")
    again.append(HEADER)
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(FileProblem) as caught:
        shape(tmp_path, "three.xlsx", out.getvalue())
    assert caught.value.code == "several_lists" and "?sheet=" in caught.value.message
    assert caught.value.details["sheets"] == ["তালিকা", "পুরনো তালিকা"]


def test_merged_upazila_cells_are_filled_down_and_a_merged_id_is_named(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["m-1", "রহিম", "barber", "01712345671", 24.412, 90.795, "kishoreganj-sadar"])
    sheet.append(["m-2", "করিম", "barber", "01712345672", 24.412, 90.795, None])
    sheet.append(["m-3", "সালমা", "barber", "01712345673", 24.412, 90.795, None])
    sheet.append(["m-4", "জামাল", "barber", "01712345674", 24.412, 90.795, "kishoreganj-sadar"])
    sheet.append([None, "কামাল", "barber", "01712345675", 24.412, 90.795, "kishoreganj-sadar"])
    sheet.merge_cells("G2:G4")
    sheet.merge_cells("A5:A6")
    out = io.BytesIO()
    book.save(out)
    _, report = run(tmp_path, "merged.xlsx", out.getvalue())
    assert report.accepted == 4
    assert [(e.row, e.letter, e.code) for e in report.errors] == [(6, "A", "merged_cells")]
    assert "মার্জ" in report.errors[0].message_bn and "A5:A6" in report.errors[0].message
    assert "merged_filled" in [w["code"] for w in report.warnings]


def test_opening_and_closing_time_columns_make_the_hours(tmp_path):
    rows = [
        [*HEADER, "খোলার সময়", "বন্ধের সময়", "সাপ্তাহিক ছুটি"],
        ["h-1", "রহিম", "barber", "01712345671", *SADAR, "সকাল ৯টা", "সন্ধ্যা ৬টা", "শুক্রবার"],
        ["h-2", "করিম", "barber", "01712345672", *SADAR, "সকাল ৯টা", "", ""],
    ]
    columns = columns_for("providers")
    match = match_header(columns, rows[0])
    converter = RowConverter(columns, match, started=STARTED, strict_width=False)
    done = converter.convert(2, [str(c) for c in rows[1]])
    assert done.errors == []
    assert [h["day"] for h in done.event["data"]["hours"]] == ["sat", "sun", "mon", "tue", "wed", "thu"]
    assert {(h["open"], h["close"]) for h in done.event["data"]["hours"]} == {("09:00", "18:00")}
    (error,) = converter.convert(3, [str(c) for c in rows[2]]).errors
    assert error.code == "time_part_empty"
    alone = match_header(columns, [*HEADER, "খোলার সময়"])
    assert [c.name for _, c in alone.positions][-1] == "hours"  # one column of whole ranges is the hours


# --- units and plausibility -----------------------------------------------------------------------


def product(header_extra: list[str], cells: list[str], price: str = "95000", animal: str = "cow"):
    columns = columns_for("products")
    header = [*PRODUCT_HEADER, *header_extra]
    converter = RowConverter(columns, match_header(columns, header), started=STARTED, strict_width=False)
    row = ["lv-1", "sel-1", "গাভী", "livestock", price, *NIKLI, animal, *cells]
    return converter.convert(2, row)


@pytest.mark.parametrize(
    ("header", "cell", "kg"),
    [
        ("ওজন", "৮ মণ", 298.6),
        ("ওজন", "সাড়ে ৭ মণ", 279.9),
        ("ওজন", "৩৫০ কেজি", 350),
        ("ওজন (মণ)", "7.5", 279.9),
    ],
)
def test_weights_are_read_with_their_units_and_listed(header, cell, kg):
    done = product([header], [cell])
    assert done.errors == [] and done.event["data"]["livestock"]["live_weight_kg"] == kg
    if "কেজি" not in cell:
        (conversion,) = done.conversions
        assert (conversion.kind, conversion.original) == ("unit", cell) and "kg" in conversion.converted


@pytest.mark.parametrize(
    ("header", "cell", "months"),
    [("বয়স", "৩ বছর", 36), ("বয়স", "দেড় বছর", 18), ("বয়স (বছর)", "2", 24), ("age", "২ বছর ৬ মাস", 30)],
)
def test_ages_are_read_in_months(header, cell, months):
    done = product(["ওজন", header], ["300", cell])
    assert done.errors == [] and done.event["data"]["livestock"]["age_months"] == months


def test_prices_in_lakh_and_indian_grouping():
    assert product([], [], price="১.২৫ লাখ").event["data"]["price_bdt"] == 125000
    assert product([], [], price="১,২৫,০০০/-").event["data"]["price_bdt"] == 125000
    columns = columns_for("products")
    header = [*PRODUCT_HEADER[:4], "দাম (লাখ টাকা)", *PRODUCT_HEADER[5:]]
    converter = RowConverter(columns, match_header(columns, header), started=STARTED, strict_width=False)
    done = converter.convert(2, ["lv-2", "sel-1", "ষাঁড়", "livestock", "1.25", *NIKLI, "bull"])
    assert done.errors == [] and done.event["data"]["price_bdt"] == 125000


def test_the_issue_s_implausible_listings_are_refused_with_the_likely_unit():
    cow = product(["ওজন"], ["7.5"], price="185000")
    (error,) = cow.errors
    assert error.code == "implausible_weight" and "৭.৫ মণ" in error.message_bn and "279.9 kg" in error.message
    bull = product(["ওজন", "বয়স"], ["300", "2"], animal="bull")
    assert [e.code for e in bull.errors] == ["implausible_age"]
    assert "২ বছর" in bull.errors[0].message_bn
    cheap = product(["ওজন"], ["8"], price="1.25", animal="bull")
    assert {e.code for e in cheap.errors} == {"implausible_weight", "implausible_price"}
    price = next(e for e in cheap.errors if e.code == "implausible_price")
    assert "1.25 lakh" in price.message and "১.২৫ লাখ" in price.message_bn
    assert product(["ওজন"], ["১৫০ মণ"]).errors[0].code == "implausible_weight"


def test_an_unknown_unit_word_is_named():
    (error,) = product(["ওজন"], ["৮ মন্ড"]).errors
    assert error.code == "weight_unit_unknown" and "মন্ড" in error.message_bn


def test_units_module_reads_compound_terms():
    assert read("১ লাখ ২০ হাজার", "price").value == 120000
    assert read("7.5", "weight", unit_word("মণ")).value == pytest.approx(279.93, abs=0.01)
    with pytest.raises(CellError):
        read("৩ বছর", "weight")


# --- dates and donors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "iso"),
    [
        ("১২ নভেম্বর ২০২৬", "2026-11-12"),
        ("12 Nov 2026", "2026-11-12"),
        ("46003", "2025-12-12"),
        ("15/09/26", "2026-09-15"),
    ],
)
def test_dates_in_words_serials_and_short_years(cell, iso):
    found = date(cell)
    assert (found if isinstance(found, str) else found.value) == iso


def donors(extra_header: list[str], cells: list[list[str]]) -> bytes:
    rows = [[*HEADER, "blood_group", *extra_header]]
    for i, extra in enumerate(cells):
        rows.append([f"d-{i}", "রহিম", "রক্তদাতা", f"0171234567{i}", *SADAR, "O+", *extra])
    return files.csv_utf8(rows)


def test_donors_without_a_last_donation_column_are_refused_in_a_real_import_too(tmp_path):
    for dry in (False, True):
        with pytest.raises(FileProblem) as caught:
            shape(tmp_path, "d.csv", donors(["শেষবার রক্ত দিলেন কবে"], [["2026-10-01"]]), dry_run=dry)
        assert caught.value.code == "donor_dates_missing"
        assert "শেষ রক্তদানের তারিখ" in caught.value.message_bn and "I কলাম" in caught.value.message_bn


def test_donation_dates_in_the_future_or_impossibly_old_are_row_errors_and_empty_means_never(tmp_path):
    _, report = run(
        tmp_path,
        "d.csv",
        donors(["শেষ রক্তদানের তারিখ"], [["2026-12-11"], ["1960-01-01"], [""], ["১২ নভেম্বর ২০২৬"]]),
    )
    assert [(e.row, e.code) for e in report.errors] == [(2, "date_future"), (3, "date_too_old")]
    assert report.accepted == 2 and report.never_donated == 1
    assert "donors_never_given" in [w["code"] for w in report.warnings]


# --- encodings -------------------------------------------------------------------------------------


def test_a_mac_roman_csv_keeps_its_quotes_and_dashes(tmp_path):
    rows = [
        [*HEADER, "name_en"],
        [
            "mc-1",
            "রহিম",
            "electrician",
            "01712345671",
            *SADAR,
            "Rafiq’s Electric Works — “Pink Plaza” – Bhairab",
        ],
    ]
    text = files._csv_text(rows).replace("রহিম", "????")
    data = text.encode("mac_roman")
    assert single_byte_encoding(data) == "mac-roman"
    assert scan(io.BytesIO(data)).encoding == "mac-roman"
    _, report = run(tmp_path, "mac.csv", data)
    assert "read_as_mac_roman" in [w["code"] for w in report.warnings]
    assert [e.code for e in report.errors] == ["lost_encoding"]  # the Bangla was gone; the English is intact


# --- Bangla all the way --------------------------------------------------------------------------------

#: What a Bangla message may still say in Latin letters: Excel's own menus and formats, which the clerk
#: sees in English, and literal things to type (file options, examples of syntax).
ALLOWED_LATIN = re.compile(
    r"Excel|LibreOffice|CSV|UTF-8|UTF|Comma|delimited|Macintosh|Mac|Roman|File|Save|As|Format|\.csv|\*|"
    r"xlsx|xls|ods|Text|Info|Protect|Workbook|Home|Merge|Center|Unmerge|Cells|Windows|Kafka|ASCII|"
    r"on_duplicate|last|sheet|NAME|formula|conversions|weight_kg|color|prov|detail|E|B|PDF|Word|HTML|RTF|ZIP|PowerPoint|XML|"
    r"Unicode|Ox|x|0x|kg|am|pm|COD|MB|ID|OK|upsert|delete|csv|file|"
    # the keys and synonyms API speaks to whoever integrates it: its field names, header and settings
    r"Authorization|Bearer|key|override|true|kind|note|words|category|upazila|id|synonyms|GET|DELETE|"
    r"IMPORT_API_KEYS_FILE|SYNONYM_MAX_SETS|SYNONYM_MAX_WORDS|SYNONYM_MAX_WORD_CHARS"
)


def test_no_bangla_template_says_anything_in_english_but_excel_s_own_words():
    leaks = {}
    for code, texts in catalog().items():
        words = re.findall(r"[A-Za-z_]{2,}(?![^{]*})", re.sub(r"\{[^}]*\}", "", texts["bn"]))
        bad = [w for w in words if not ALLOWED_LATIN.fullmatch(w)]
        if bad:
            leaks[code] = bad
    assert leaks == {}
    for phrase in ("e.g.", "must be", "name_bn", "required"):
        assert not [c for c, t in catalog().items() if phrase in t["bn"]], phrase


def test_allowed_values_are_listed_in_bangla():
    columns = columns_for("products")
    converter = RowConverter(
        columns, match_header(columns, [*PRODUCT_HEADER, "লিঙ্গ"]), started=STARTED, strict_width=False
    )
    done = converter.convert(2, ["lv-3", "sel-1", "গাভী", "livestock", "95000", *NIKLI, "cow", "অজানা"])
    (error,) = done.errors
    assert "মাদি" in error.message_bn and "female" not in error.message_bn
    rendered = render(
        "schema_other", "bn", {"detail": "x must be integer", "detail_bn": "বয়স: দশমিক ছাড়া পূর্ণ সংখ্যা লিখুন"}
    )
    assert "integer" not in rendered


def test_the_plausibility_bounds_are_data():
    bounds = json.loads((Path(__file__).resolve().parents[3] / "schemas" / "plausibility.json").read_text())
    assert set(bounds["livestock"]) == {"cow", "bull", "goat", "buffalo", "sheep"}


# --- progress a clerk can believe ----------------------------------------------------------------------


def test_progress_is_recorded_every_few_hundred_rows():
    from ingest.csv_import import importer

    assert importer.STEP_ROWS <= 500


def test_no_count_is_shown_behind_one_that_follows_from_it():
    from ingest.imports_store import progress_view

    record = {
        "status": "accepted",
        "rows": 500,
        "accepted": 480,
        "rejected": 20,
        "published": 250,
        "indexed": 400,
    }
    view = progress_view(record, now=STARTED)
    assert view["published"] >= view["indexed"] == 400
    assert view["accepted"] >= view["published"] and view["rows"] >= view["accepted"] + view["rejected"]


def test_the_eta_comes_from_the_measured_rates_and_falls_steadily():
    from ingest.imports_store import progress_view

    start = STARTED.timestamp()
    etas = []
    for second in range(1, 25):  # 2,000 rows/s checked, 1,800/s indexed, of 50,000
        checked = min(2000 * second, 50_000)
        record = {
            "status": "accepted",
            "started_s": start,
            "checked_s": start + second,
            "rows_total": 50_000,
            "rows": checked,
            "accepted": checked,
            "published": checked,
            "indexed": 1800 * second,
        }
        etas.append(progress_view(record, now=dt.datetime.fromtimestamp(start + second, tz=DHAKA))["eta_s"])
    assert all(later < earlier for earlier, later in itertools.pairwise(etas))
    truth = 50_000 / 1800 - 1  # seconds left after the first second at the indexing rate
    assert abs(etas[0] - truth) < 3  # not 2-3x too pessimistic
