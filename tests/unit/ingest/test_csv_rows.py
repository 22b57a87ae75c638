"""CSV import without servers: cells, header matching, row → event, error messages, decoding."""

from __future__ import annotations

import codecs
import csv
import io
import json
from datetime import datetime

import pytest
from kafka.errors import KafkaTimeoutError

from ingest.csv_import import cells
from ingest.csv_import.cells import CellError
from ingest.csv_import.columns import column_letter, columns_for, match_header, template_csv
from ingest.csv_import.importer import prepare, process_rows
from ingest.csv_import.publish import ImportPublisher, PublishFailed
from ingest.csv_import.reader import FileProblem, detect_encoding, open_text, records, scan
from ingest.csv_import.report import ImportReport, RowError, echo
from ingest.csv_import.rows import RowConverter, epoch_microseconds
from ingest.imports_store import progress_view
from ingest.validate import check_event
from portal.clock import DHAKA

STARTED = datetime(2026, 11, 28, 10, 0, 0, 123456, tzinfo=DHAKA)
PROVIDER_HEADER = ["id", "name_bn", "category", "phone", "lat", "lon", "upazila"]
GOOD_PROVIDER = ["prov-1", "মোঃ রফিকুল ইসলাম", "electrician", "01712-345678", "24.44", "90.785", "bhairab"]


def converter(kind: str, header: list[str]) -> RowConverter:
    columns = columns_for(kind)
    return RowConverter(columns, match_header(columns, header), started=STARTED)


def convert(kind: str, header: list[str], row: list[str], number: int = 2):
    return converter(kind, header).convert(number, row)


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
    with pytest.raises(CellError, match="is not a number"):
        cells.number("1,20")


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
    with pytest.raises(CellError, match="unknown day"):
        cells.hours("someday 09:00-10:00")


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


@pytest.mark.parametrize("cell", ["bhairab", "Bhairab", "ভৈরব", " BHAIRAB "])
def test_upazilas_by_slug_or_name(cell):
    assert cells.upazila()(cell) == "bhairab"


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
    assert match.unknown == ("column I 'notes' is not a providers column and was ignored",)
    assert not match.missing


def test_missing_and_doubled_columns():
    match = match_header(columns_for("providers"), ["id", "phone", "mobile", "lat"])
    assert [c.name for c in match.missing] == ["name_bn", "category", "lon", "upazila"]
    assert match.duplicates == ("columns B and C both mean 'phone'; keep one of them",)


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
    assert data["location"] == {"lat": 24.44, "lon": 90.785}
    assert data["address"] == {"upazila": "bhairab"}
    assert data["available"] is True and data["phone_public"] is True  # defaults of absent columns


def test_versions_grow_with_the_start_time_and_the_row():
    earlier = converter("providers", PROVIDER_HEADER).convert(90_000, GOOD_PROVIDER)[0]
    later = RowConverter(
        columns_for("providers"),
        match_header(columns_for("providers"), PROVIDER_HEADER),
        started=STARTED.replace(second=1),
    ).convert(2, GOOD_PROVIDER)[0]
    assert later["version"] > earlier["version"]
    assert earlier["version"] < 2**53


def test_event_ids_are_unique_uuid4():
    conv = converter("providers", PROVIDER_HEADER)
    ids = {conv.convert(2, GOOD_PROVIDER)[0]["event_id"] for _ in range(1000)}
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
    assert problems[6].message.startswith("'dhaka' is not a Kishoreganj upazila; expected one of")


def test_exact_message_for_a_bad_phone():
    error = provider_with("phone", "12345")
    assert error == RowError(
        2,
        "phone",
        "12345",
        "'12345' is not a mobile number (5 digits, starting '12'): "
        "expected a Bangladeshi mobile number like 01712-345678 or +8801712-345678",
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


def test_short_rows_are_padded_and_long_rows_with_content_refused():
    event, problems = convert("providers", [*PROVIDER_HEADER, "name_en"], GOOD_PROVIDER)
    assert problems == [] and event is not None
    error = only_error("providers", PROVIDER_HEADER, [*GOOD_PROVIDER, " Bhairab"])
    assert error.column is None
    assert error.message == (
        "this row has 8 cells but the header has 7 columns; a cell containing a comma probably lost its quotes"
    )
    event, problems = convert("providers", PROVIDER_HEADER, [*GOOD_PROVIDER, "", ""])
    assert problems == []


def test_products_row():
    header = ["title_bn", "id", "seller_id", "category", "price_bdt", "lat", "lon", "upazila", "attributes"]
    row = ["দেশি ষাঁড়", "prod-1", "sel-1", "গবাদি পশু", "১,২০,০০০", "24.43", "90.78", "নিকলী", "weight_kg=250"]
    event, problems = convert("products", header, row)
    assert problems == []
    assert check_event(event, "product") is None
    data = event["data"]
    assert (data["category"], data["price_bdt"], data["upazila"]) == ("livestock", 120000, "nikli")
    assert data["in_stock"] is True and data["status"] == "active"
    assert data["attributes"] == {"weight_kg": 250}


def test_product_status_in_bangla():
    header = ["id", "seller_id", "title_bn", "category", "price_bdt", "lat", "lon", "upazila", "status"]
    row = ["prod-1", "sel-1", "গরু", "livestock", "500", "24.43", "90.78", "nikli", "বিক্রি হয়েছে"]
    event, problems = convert("products", header, row)
    assert problems == [] and event["data"]["status"] == "sold"


@pytest.mark.parametrize("kind", ["providers", "products"])
def test_the_template_imports_without_errors(kind):
    body = template_csv(columns_for(kind))
    assert body.startswith(codecs.BOM_UTF8)
    header, rows = records(open_text(io.BytesIO(body), detect_encoding(body)))
    columns = columns_for(kind)
    assert header == [c.name for c in columns.columns]
    conv = RowConverter(columns, match_header(columns, header), started=STARTED)
    results = [conv.convert(number, cells_) for number, cells_ in rows]
    assert len(results) == 2
    assert all(problems == [] for _, problems in results), results


# --- report --------------------------------------------------------------------------------------


def test_echo_truncates_and_defuses():
    assert echo("x" * 100, limit=10) == "xxxxxxxxx…"
    assert echo("+8801712") == "'+8801712"
    assert echo("@x") == "'@x"
    assert echo("রহিম") == "রহিম"


def test_the_report_counts_every_rejection_but_lists_only_the_first_errors():
    report = ImportReport(max_errors=3)
    for row in range(2, 7):
        report.reject([RowError(row, "phone", "x", "bad"), RowError(row, "lat", "y", "bad")])
    assert report.rejected == 5
    assert [(e.row, e.column) for e in report.errors] == [(2, "phone"), (2, "lat"), (3, "phone")]
    assert report.errors_omitted == 7


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


def test_windows_1252_is_refused_with_save_as_instructions():
    data = "id,name_en\r\np1,Cafe\r\np2,Café\r\n".encode("cp1252")
    with pytest.raises(FileProblem) as caught:
        scan(io.BytesIO(data))
    assert (caught.value.status, caught.value.code) == (422, "not_utf8")
    assert "byte 0xE9 on line 3" in caught.value.message
    assert "CSV UTF-8 (Comma delimited) (*.csv)" in caught.value.message


def test_scan_counts_lines_and_spots_empty_files():
    assert scan(io.BytesIO(b"a\nb\nc")).lines == 3
    assert scan(io.BytesIO(b"a\nb\n")).lines == 2
    assert scan(io.BytesIO(codecs.BOM_UTF8 + b" \r\n ")).blank
    assert scan(io.BytesIO(b"")).blank


def test_rows_are_numbered_as_excel_shows_them():
    data = b'id,address_bn\r\np1,"line one\r\nline two\r\nline three"\r\n\r\n,\r\np2,x\r\n'
    header, rows = records(open_text(io.BytesIO(data), "utf-8"))
    assert header == ["id", "address_bn"]
    assert list(rows) == [(2, ["p1", "line one\r\nline two\r\nline three"]), (5, ["p2", "x"])]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters_are_sniffed_from_the_header(delimiter):
    data = f"id{delimiter}name_bn{delimiter}services\np1{delimiter}রহিম{delimiter}a, b; c\n".encode()
    header, rows = records(open_text(io.BytesIO(data), "utf-8"))
    assert header == ["id", "name_bn", "services"]
    assert next(rows) == (2, ["p1", "রহিম", "a, b; c"] if delimiter == "\t" else ["p1", "রহিম", "a, b", " c"])


# --- the key check and progress ------------------------------------------------------------------


def test_searchable_once_every_accepted_row_has_an_outcome():
    record = {"status": "published", "accepted": 5, "indexed": 3, "stale": 1, "failed": 0}
    assert not progress_view(record)["searchable"]
    assert progress_view(record | {"failed": 1})["searchable"]
    assert not progress_view(record | {"status": "accepted", "indexed": 9})["searchable"]
    assert progress_view({"status": "published", "accepted": 0, "indexed": 0, "stale": 0, "failed": 0})[
        "searchable"
    ]


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
    prepared = prepare(io.BytesIO(data), "providers", max_rows=10)
    report = ImportReport()
    process_rows(prepared, converter("providers", PROVIDER_HEADER), report, None)
    assert (report.rows, report.accepted, report.rejected) == (2, 1, 1)
    (error,) = report.errors
    assert (error.row, error.column) == (4, None)
    assert 'a quote (") probably opens a cell that is never closed' in error.message
    assert report.warnings == ["reading stopped at row 4; the rows after it were not imported"]
