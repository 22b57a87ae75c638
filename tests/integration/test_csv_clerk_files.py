"""Issue 12 end to end: spreadsheets saved the way clerks' Excel and LibreOffice save them, through a real
ingest-service, Kafka and OpenSearch. Every case either imports correctly — checked by searching for
the rows once the import says `searchable` — or is refused with a Bangla and English message; nothing
wrong is published.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import httpx
import pytest
from kafka.admin import KafkaAdminClient

from integration import clerk_files as files
from integration.conftest import ServiceProcess, wait_for
from integration.test_csv_import import KEY, codes, finished, found, published_keys, searchable, upload

HEADER = ["id", "name_bn", "category", "phone", "lat", "lon", "upazila"]
#: Inside Kishoreganj Sadar but ~3 km from its centre, so these rows never crowd other tests' searches
#: for the providers nearest the centre (the session's index is shared).
SADAR = ("24.4120", "90.7950", "kishoreganj-sadar")


def tag() -> str:
    return f"clk{uuid.uuid4().hex[:8]}"


def imported(service: ServiceProcess, body: bytes, name: str, **params: str) -> dict:
    response = upload(service, body, name, **params)
    assert response.status_code == 202, response.text
    first = response.json()
    assert first["status"] == "accepted" and first["rows"] == 0  # answered before the rows were checked
    done = finished(service, first["import_id"])
    if done["accepted"]:
        done = searchable(service, first["import_id"])
    return done


def test_excel_ansi_csv_with_lost_bangla_is_refused_row_by_row(ingest, settings):
    t = tag()
    rows = [
        HEADER,
        [f"{t}-1", "মোঃ রফিকুল ইসলাম", "barber", "01712345678", *SADAR],
        [f"{t}-2", "রহিমা বেগম", "barber", "01812345678", *SADAR],
    ]
    result = imported(ingest, files.ansi_csv(rows), "providers.csv")
    assert (result["accepted"], result["rejected"]) == (0, 2)
    assert codes(result) == [(2, "B", "lost_encoding"), (3, "B", "lost_encoding")]
    error = result["errors"][0]
    assert "CSV UTF-8" in error["message"] and "প্রশ্নবোধক" in error["message_bn"]
    assert not {f"{t}-1", f"{t}-2"} & published_keys(settings, "providers")


@pytest.mark.parametrize("save", [files.ansi_csv, files.csv_utf8])
def test_bijoy_typed_names_are_converted_listed_and_searchable(ingest, settings, engine, save):
    t = tag()
    rows = [
        [*HEADER, "address_bn"],
        [f"{t}-1", "‡gvt iwdKzj Bmjvg", "barber", "01712345678", *SADAR, "eo evRvi"],
        [f"{t}-2", "Rvwgjv LvZzb", "barber", "01812345678", *SADAR, ""],
        [f"{t}-3", "Rahim", "barber", "01912345678", *SADAR, ""],  # English in a Bangla column
    ]
    result = imported(ingest, save(rows), "bijoy.csv")
    assert (result["accepted"], result["rejected"], result["converted"]) == (2, 1, 3)
    assert codes(result) == [(4, "B", "not_bangla")]
    assert {(c["row"], c["letter"], c["converted"]) for c in result["conversions"]} == {
        (2, "B", "মোঃ রফিকুল ইসলাম"),
        (2, "H", "বড় বাজার"),
        (3, "B", "জামিলা খাতুন"),
    }
    docs = found(engine, settings, "providers", [f"{t}-1", f"{t}-2", f"{t}-3"])
    assert set(docs) == {f"{t}-1", f"{t}-2"}
    assert docs[f"{t}-1"]["name"]["bn"] == "মোঃ রফিকুল ইসলাম"
    hits = engine.search(
        index=settings.index_alias("providers"), body={"query": {"match": {"name.bn": "রফিকুল"}}}
    )
    assert f"{t}-1" in {h["_source"]["id"] for h in hits["hits"]["hits"]}


@pytest.mark.parametrize(
    ("save", "name"), [(files.xlsx, "তালিকা.xlsx"), (files.ods, "list.ods"), (files.xls, "old.xls")]
)
def test_workbooks_import_with_typed_cells(ingest, settings, engine, save, name):
    t = tag()
    rows = [
        [
            "ID",
            "নাম",
            "Category",
            "Mobile No.",
            "Latitude",
            "Longitude",
            "Upazila",
            "Blood Group",
            "Last Donation",
        ],
        [
            f"{t}-1",
            "রহিম উদ্দিন",
            "রক্তদাতা",
            1712345678,
            24.412,
            90.795,
            "কিশোরগঞ্জ সদর",
            "O+",
            dt.date(2026, 9, 15),
        ],
        [f"{t}-2", "করিম মিয়া", "barber", 8801812345678, 24.4449, 90.7801, "kishoreganj-sadar", None, None],
    ]
    result = imported(ingest, save(rows), name)
    assert (result["accepted"], result["rejected"]) == (2, 0), result["errors"]
    assert result["file_kind"] == name.rsplit(".", 1)[1]
    docs = found(engine, settings, "providers", [f"{t}-1", f"{t}-2"])
    assert docs[f"{t}-1"]["phone"] == "+8801712345678" and docs[f"{t}-2"]["phone"] == "+8801812345678"
    assert docs[f"{t}-1"]["last_donation_date"] == "2026-09-15"
    assert docs[f"{t}-2"]["location"] == {"lat": 24.4449, "lon": 90.7801}


def test_not_a_spreadsheet_is_named_and_a_named_sheet_is_used(ingest, settings, engine):
    import zipfile

    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    response = upload(ingest, docx.getvalue(), "providers.xlsx")
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_file" and "Word document" in response.json()["message"]
    response = upload(ingest, b"PK\x03\x04broken", "providers.xlsx")
    assert response.status_code == 422 and response.json()["error"] == "workbook_unreadable"
    t = tag()
    rows = [HEADER, [f"{t}-1", "সালমা", "barber", "01712345678", *SADAR]]
    book = files.xlsx(rows, sheet="Sheet1", extra_sheets=["সেবাদাতা"])
    response = upload(ingest, book, "p.xlsx", sheet="নেই")
    assert response.status_code == 422 and response.json()["error"] == "sheet_not_found"
    result = imported(ingest, book, "p.xlsx")
    assert result["accepted"] == 1 and result["warnings"][0]["code"] == "other_sheets"


def test_hours_as_clerks_type_them(ingest, settings, engine):
    t = tag()
    rows = [
        [*HEADER, "Opening Hours"],
        [f"{t}-1", "ক", "barber", "01712345671", *SADAR, "sat-thu 9:00-6:00"],
        [f"{t}-2", "খ", "barber", "01712345672", *SADAR, "সকাল ৯টা - সন্ধ্যা ৬টা"],
        [f"{t}-3", "গ", "barber", "01712345673", *SADAR, "sat to thu 9am-6pm; fri closed"],
        [f"{t}-4", "ঘ", "barber", "01712345674", *SADAR, "২৪ ঘণ্টা"],
        [f"{t}-5", "ঙ", "barber", "01712345675", *SADAR, "শুক্রবার বন্ধ"],
        [f"{t}-6", "চ", "barber", "01712345676", *SADAR, "শনি থেকে বৃহস্পতি সকাল ৯টা থেকে রাত ৮টা, শুক্রবার বন্ধ"],
    ]
    result = imported(ingest, files.csv_utf8(rows), "hours.csv")
    assert codes(result) == [(2, "H", "hours_twelve_hour_slip"), (6, "H", "hours_only_closed")]
    slip = result["errors"][0]
    assert "did you mean 09:00 to 18:00" in slip["message"] and "সন্ধ্যা" in slip["message_bn"]
    assert slip["header"] == "Opening Hours"
    docs = found(engine, settings, "providers", [f"{t}-{i}" for i in range(1, 7)])
    assert set(docs) == {f"{t}-2", f"{t}-3", f"{t}-4", f"{t}-6"}
    assert {(h["day"], h["open"], h["close"]) for h in docs[f"{t}-2"]["hours"]} == {
        (d, "09:00", "18:00") for d in ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
    }
    assert [h["day"] for h in docs[f"{t}-3"]["hours"]] == ["sat", "sun", "mon", "tue", "wed", "thu"]
    assert docs[f"{t}-4"]["hours"] is None  # always open, as stated
    assert {(h["open"], h["close"]) for h in docs[f"{t}-6"]["hours"]} == {("09:00", "20:00")}


def test_human_headers_are_recognized_and_near_misses_named(ingest, settings, engine):
    t = tag()
    rows = [
        files.HUMAN_HEADER,
        [f"{t}-1", "রহিম", "Rahim", "barber", "01712345678", *SADAR, "বড় বাজার", "sat-thu 10:00-20:00"],
    ]
    result = imported(ingest, files.csv_utf8(rows), "h.csv")
    assert (result["accepted"], result["warnings"]) == (1, [])
    doc = found(engine, settings, "providers", [f"{t}-1"])[f"{t}-1"]
    assert (doc["name"]["en"], doc["address"]["bn"], len(doc["hours"])) == ("Rahim", "বড় বাজার", 6)
    near = [
        [*HEADER, "Opning Hours"],
        [f"{t}-2", "করিম", "barber", "01712345679", *SADAR, "sat-thu 10:00-20:00"],
    ]
    response = upload(ingest, files.csv_utf8(near), "n.csv", dry_run="true")
    assert response.status_code == 422 and response.json()["error"] == "unclear_columns"
    assert response.json()["details"]["columns"] == [
        {"letter": "H", "header": "Opning Hours", "did_you_mean": "hours"}
    ]
    result = imported(ingest, files.csv_utf8(near), "n.csv")
    warning, no_hours = result["warnings"]
    assert no_hours["code"] == "no_hours_column"
    assert warning["code"] == "unknown_column_suggest" and warning["letter"] == "H"
    assert "did you mean hours" in warning["message"] and warning["message_bn"]


def test_cell_checks_formula_place_decimal_comma_and_notepad_commas(ingest, settings, engine):
    t = tag()
    body = (
        "\ufeffid,name_bn,category,phone,lat,lon,upazila,address_bn\r\n"
        f"{t}-1,\u200b=1+2,barber,01712345671,24.412,90.795,kishoreganj-sadar,\r\n"
        f"{t}-2,ঢাকার দোকান,barber,01712345672,23.8103,90.4125,kishoreganj-sadar,\r\n"
        f'{t}-3,দশমিক কমা,barber,01712345673,"24,4449","90,7801",kishoreganj-sadar,\r\n'
        f"{t}-4,নোটপ্যাড,barber,01712345674,24.412,90.795,kishoreganj-sadar,বড় বাজার, কিশোরগঞ্জ\r\n"
    ).encode()
    result = imported(ingest, body, "c.csv")
    assert codes(result) == [
        (2, "B", "formula"),
        (3, "E", "coordinate_outside_district"),
        (5, None, "more_cells"),
    ]
    assert not result["errors"][0]["value"].lstrip("\u200b").startswith("=")
    docs = found(engine, settings, "providers", [f"{t}-{i}" for i in range(1, 5)])
    assert set(docs) == {f"{t}-3"} and docs[f"{t}-3"]["location"] == {"lat": 24.4449, "lon": 90.7801}


def test_duplicate_ids_are_refused_unless_the_clerk_asks_for_the_last(ingest, settings, engine):
    t = tag()
    rows = [
        HEADER,
        [f"{t}-1", "প্রথম", "barber", "01712345671", *SADAR],
        [f"{t}-1", "দ্বিতীয়", "barber", "01712345672", *SADAR],
    ]
    result = finished(ingest, upload(ingest, files.csv_utf8(rows), "d.csv").json()["import_id"])
    assert codes(result) == [(2, "A", "duplicate_id"), (3, "A", "duplicate_id")]
    assert "rows 2, 3" in result["errors"][0]["message"]
    assert f"{t}-1" not in published_keys(settings, "providers")
    result = imported(ingest, files.csv_utf8(rows), "d.csv", on_duplicate="last")
    assert (result["accepted"], result["replaced"]) == (1, 1)
    assert found(engine, settings, "providers", [f"{t}-1"])[f"{t}-1"]["name"]["bn"] == "দ্বিতীয়"


def test_a_listing_is_removed_with_a_delete_row(ingest, settings, engine):
    t = tag()
    rows = [HEADER, [f"{t}-1", "মুছে যাবে", "barber", "01712345671", *SADAR]]
    imported(ingest, files.csv_utf8(rows), "a.csv")
    assert f"{t}-1" in found(engine, settings, "providers", [f"{t}-1"])
    result = imported(ingest, files.csv_utf8([["id", "action"], [f"{t}-1", "মুছুন"]]), "del.csv")
    assert (result["accepted"], result["deleted"]) == (1, 1)
    assert found(engine, settings, "providers", [f"{t}-1"]) == {}


def test_unicode_text_export_and_the_error_report_round_trip(ingest, settings, engine):
    t = tag()
    rows = [
        HEADER,
        [f"{t}-1", "সালমা বেগম", "নাপিত", "০১৮১২৩৪৫৬৭৮", "২৪.৪৩৩", "৯০.৭৮", "কিশোরগঞ্জ সদর"],
        [f"{t}-2", "রিনা", "barber", "017", *SADAR],
    ]
    result = imported(ingest, files.unicode_text(rows), "unicode.txt")
    assert (result["accepted"], codes(result)) == (1, [(3, "D", "phone_not_mobile")])
    report = httpx.get(f"{ingest.url}{result['error_report_url']}", headers=KEY, timeout=10)
    assert report.status_code == 200 and report.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert table[0] == [*HEADER, "ত্রুটি", "error", "row"]
    assert table[1][:7] == rows[2] and table[1][9] == "3" and "D3 (phone)" in table[1][8]
    fixed = [row[:7] for row in table]
    fixed[1][3] = "01712345670"
    again = imported(ingest, files.csv_utf8(fixed), "fixed.csv")
    assert (again["accepted"], again["rejected"]) == (1, 0)
    assert [w["code"] for w in again["warnings"]] == [
        "no_hours_column"
    ]  # the report's own columns are not named
    assert set(found(engine, settings, "providers", [f"{t}-1", f"{t}-2"])) == {f"{t}-1", f"{t}-2"}


def test_progress_counts_each_row_once_across_redelivery(make_ingest, isolated_settings, engine):
    """A second consumer group replays the topic from the start: the import's counts must not move."""
    first = make_ingest(isolated_settings).start()
    t = tag()
    rows = [HEADER] + [[f"{t}-{i}", "রহিম", "barber", f"0171234{i:04d}", *SADAR] for i in range(29)]
    result = imported(first, files.csv_utf8(rows), "29.csv")
    assert (result["indexed"], result["stale"], result["failed"]) == (29, 0, 0)
    import_id = result["id"]
    replay = make_ingest(
        isolated_settings, group=f"{isolated_settings.topic_prefix}replay", CONSUMER_ENABLED="true"
    ).start()
    first.stop()
    admin = KafkaAdminClient(**isolated_settings.kafka_client_options())
    try:

        def caught_up() -> bool:
            offsets = admin.list_consumer_group_offsets(f"{isolated_settings.topic_prefix}replay")
            return (
                sum(o.offset for tp, o in offsets.items() if tp.topic == isolated_settings.topic("providers"))
                >= 29
            )

        wait_for(caught_up, timeout=90, what="the replay group to consume the import again")
    finally:
        admin.close()
    record = httpx.get(f"{replay.url}/v1/imports/{import_id}", headers=KEY, timeout=10).json()
    assert (record["indexed"], record["stale"], record["failed"]) == (29, 0, 0)
    assert record["searchable"] is True
    replay.stop()


def test_progress_is_not_lost_while_the_engine_refuses_to_record_it(make_ingest, isolated_settings, engine):
    """The consumer indexes an import's rows while the imports index refuses writes (read-only, as when
    the disk is full: 429). It must keep the batch uncommitted and retry, so once the index takes
    writes again every row is counted and the import becomes searchable."""
    s = isolated_settings
    api = make_ingest(s, CONSUMER_ENABLED="false").start()  # uploads only: nothing consumes yet
    t = tag()
    rows = [HEADER] + [[f"{t}-{i}", "রহিম", "barber", f"0171234{i:04d}", *SADAR] for i in range(12)]
    response = upload(api, files.csv_utf8(rows), "12.csv")
    assert response.status_code == 202, response.text
    import_id = response.json()["import_id"]
    assert finished(api, import_id)["published"] == 12
    imports = s.index_alias("imports")
    engine.indices.put_settings(index=imports, body={"index.blocks.read_only_allow_delete": True})
    consumer = None
    try:
        consumer = make_ingest(s).start()
        ids = [f"{t}-{i}" for i in range(12)]

        def all_indexed() -> bool:
            found = engine.mget(index=s.index_alias("providers"), body={"ids": ids})["docs"]
            return all(d.get("found") for d in found)

        wait_for(all_indexed, timeout=90, what="the rows to be indexed while progress cannot be recorded")
        record = engine.get(index=imports, id=import_id)["_source"]
        assert int(record.get("indexed") or 0) == 0  # refused so far: the counts are still owed
    finally:
        engine.indices.put_settings(index=imports, body={"index.blocks.read_only_allow_delete": None})
    done = searchable(consumer, import_id)
    assert (done["indexed"], done["stale"], done["failed"]) == (12, 0, 0)
    log = consumer.log_path.read_text(encoding="utf-8", errors="replace")
    assert "retrying before the commit" in log  # it waited for the index, in place,
    assert "consumer cycle failed" not in log  # rather than failing the batch and rejoining the group
    consumer.stop()
    api.stop()
