"""Header rows as clerks type them: human headers in Bangla and English, "did you mean", column letters."""

from __future__ import annotations

import codecs
import csv
import io

import pytest

from ingest.csv_import.columns import column_letter, columns_for, header_key, match_header
from ingest.csv_import.importer import ImportOptions, check_shape
from ingest.csv_import.reader import FileProblem
from integration import clerk_files as files

PROVIDERS = columns_for("providers")
PROVIDER_HEADER = ["id", "name_bn", "category", "phone", "lat", "lon", "upazila"]
GOOD_PROVIDER = ["prov-1", "রহিম", "electrician", "01712-345678", "24.05", "90.985", "bhairab"]


def names(header: list[str]) -> dict[str, int]:
    """Column name → the index of the header cell that feeds it."""
    return {column.name: index for index, column in match_header(PROVIDERS, header).positions}


def shape(header: list[str], *, dry_run: bool = False):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, GOOD_PROVIDER + [""] * (len(header) - 7)])
    data = codecs.BOM_UTF8 + out.getvalue().encode()
    options = ImportOptions(kind="providers", dry_run=dry_run)
    return check_shape(io.BytesIO(data), "upload.csv", options, max_rows=100)


def test_the_headers_the_issue_found_dropped_are_recognized():
    assert names(files.HUMAN_HEADER) == {
        "id": 0,
        "name_bn": 1,
        "name_en": 2,
        "category": 3,
        "phone": 4,
        "lat": 5,
        "lon": 6,
        "upazila": 7,
        "address_bn": 8,
        "hours": 9,
    }


def test_bangla_headers_as_an_upazila_office_types_them():
    header = [
        "আইডি",
        "নাম",
        "ইংরেজি নাম",
        "পেশা",
        "মোবাইল নম্বর",
        "অক্ষাংশ",
        "দ্রাঘিমাংশ",
        "থানা",
        "ঠিকানা (বাংলা)",
        "খোলার সময়",
    ]
    assert list(names(header)) == [
        "id",
        "name_bn",
        "name_en",
        "category",
        "phone",
        "lat",
        "lon",
        "upazila",
        "address_bn",
        "hours",
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Name (English)", "english name"),
        ("Name (English)", "NAME_EN"),
        ("Mobile No.", "mobile"),
        ("Mobile No.", "MOBILE NUMBER"),
        ("Upazilla", "upazila"),
    ],
)
def test_header_keys_forgive_case_punctuation_order_and_language_words(a, b):
    assert header_key(a) == header_key(b)


def test_a_bare_name_means_the_bangla_name_and_two_headers_for_it_are_an_error():
    assert names(["id", "Name", "category", "phone", "lat", "lon", "upazila"])["name_bn"] == 1
    match = match_header(
        PROVIDERS, ["id", "name", "Name (Bangla)", "category", "phone", "lat", "lon", "upazila"]
    )
    assert [(first, second, column.name) for first, second, column in match.duplicates] == [(1, 2, "name_bn")]


def test_near_misses_get_a_did_you_mean_with_the_column_letter():
    header = [*PROVIDER_HEADER, "Opening Hour", "adress", "blod group", "notes", "Name Englsh"]
    match = match_header(PROVIDERS, header)
    assert names(header)["hours"] == 7  # "Opening Hour" is a known header, singular or not
    unknown = [
        (u.header, match.letter(u.index), u.suggestion.name if u.suggestion else None) for u in match.unknown
    ]
    assert unknown == [
        ("adress", "I", "address_bn"),
        ("blod group", "J", "blood_group"),
        ("notes", "K", None),
        ("Name Englsh", "L", "name_en"),
    ]


def test_a_near_miss_is_a_warning_naming_letter_header_and_suggestion_in_both_languages():
    found = shape([*PROVIDER_HEADER, "hours", "adress"])
    (warning,) = [w for w in found.warnings if w["code"] == "unknown_column_suggest"]
    assert warning["letter"] == "I" and warning["header"] == "adress"
    assert warning["message"] == (
        "column I 'adress' is not a providers column and was ignored; did you mean address_bn? "
        "Rename the header to address_bn and upload again, or its data is lost"
    )
    assert warning["message_bn"].startswith("I কলাম 'adress' চেনা কোনো কলাম নয়")
    assert "ঠিকানা (বাংলা)" in warning["message_bn"] and "address_bn" not in warning["message_bn"]


def test_in_a_dry_run_a_column_that_looks_like_a_known_one_is_an_error():
    with pytest.raises(FileProblem) as caught:
        shape([*PROVIDER_HEADER, "hours", "adress", "notes"], dry_run=True)
    problem = caught.value
    assert (problem.status, problem.code) == (422, "unclear_columns")
    assert problem.details == {"columns": [{"letter": "I", "header": "adress", "did_you_mean": "address_bn"}]}
    assert "I 'adress' → address_bn?" in problem.message and "I 'adress' → ঠিকানা (বাংলা)?" in problem.message_bn
    # a column that looks like nothing we know ("notes") stays a warning even in a dry run
    shape([*PROVIDER_HEADER, "hours", "notes"], dry_run=True)


def test_a_missing_required_column_suggests_the_unrecognized_header_that_probably_is_it():
    with pytest.raises(FileProblem) as caught:
        shape(["id", "name_bn", "category", "phone", "lat", "lon", "upazzila"])
    problem = caught.value
    assert problem.code == "bad_header"
    assert "required columns missing: upazila" in problem.message
    assert "column G 'upazzila' may be upazila" in problem.message
    assert "G কলাম 'upazzila' সম্ভবত উপজেলা" in problem.message_bn


def test_a_missing_optional_hours_column_is_never_silently_always_open():
    found = shape(PROVIDER_HEADER)
    (warning,) = [w for w in found.warnings if w["code"] == "no_hours_column"]
    assert "listed as open at all hours (24/7)" in warning["message"]
    assert "সবসময় (২৪ ঘণ্টা) খোলা" in warning["message_bn"]
    assert not [w for w in shape([*PROVIDER_HEADER, "hours"]).warnings if w["code"] == "no_hours_column"]


def test_the_error_report_reason_columns_are_not_unknown_columns():
    match = match_header(PROVIDERS, [*PROVIDER_HEADER, "ত্রুটি", "error", "row"])
    assert not match.unknown


@pytest.mark.parametrize(
    ("index", "letter"),
    [(0, "A"), (7, "H"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")],
)
def test_column_letters_as_excel_shows_them(index, letter):
    assert column_letter(index) == letter


def test_letters_follow_a_table_that_does_not_start_in_column_a():
    match = match_header(PROVIDERS, [*PROVIDER_HEADER, "notes"], column_offset=3)
    assert [match.letter(i) for i, _ in match.positions] == ["D", "E", "F", "G", "H", "I", "J"]
    assert match.letter(match.unknown[0].index) == "K"
