"""Issue 22 (and issue 21's import items) end to end: files made the way LibreOffice, old Excel, Excel
for Mac and European-locale Excel save them, through a real ingest-service, Kafka and OpenSearch.
Each file either imports what the clerk meant — checked by searching the engine for its rows and
comparing weight, age, price, dates and names — or is refused with a Bangla and English error;
nothing implausible is published. And an import killed half-way resumes to the same counts.
"""

from __future__ import annotations

import datetime as dt
import io
import socket
import time
import uuid

import httpx
import pytest
from kafka import KafkaConsumer, TopicPartition

from integration import clerk_files as files
from integration.conftest import ServiceProcess, wait_for
from integration.test_csv_import import KEY, codes, finished, found, searchable, upload

HEADER = ["id", "name_bn", "category", "phone", "lat", "lon", "upazila"]
SADAR = [24.412, 90.795, "kishoreganj-sadar"]
NIKLI = [24.325, 90.94, "nikli"]


def tag() -> str:
    return f"r2{uuid.uuid4().hex[:8]}"


def imported(
    service: ServiceProcess, body: bytes, name: str, *, kind: str = "providers", **params: str
) -> dict:
    response = upload(service, body, name, kind=kind, **params)
    assert response.status_code == 202, response.text
    done = finished(service, response.json()["import_id"])
    return searchable(service, done["id"]) if done["accepted"] else done


def bangla_and_english(error: dict) -> None:
    assert error["message"] and error["message_bn"]
    assert any("\u0980" <= ch <= "\u09ff" for ch in error["message_bn"])
    assert "e.g." not in error["message_bn"] and "must be" not in error["message_bn"]


# --- the cattle market's sheet -------------------------------------------------------------------------


def cattle_workbook(t: str) -> bytes:
    """A haat's list as an office types it in Excel: a title row, units in cells and headers, Indian
    grouping, merged upazila cells, a totals row and a signature — and one cow whose weight lost its unit."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "গরুর হাট"
    sheet.append(["কিশোরগঞ্জ পশুর হাট — বিক্রয়যোগ্য পশুর তালিকা"])
    sheet.merge_cells("A1:K1")
    sheet.append([])
    sheet.append(
        [
            "আইডি",
            "বিক্রেতা আইডি",
            "পণ্যের নাম",
            "ধরন",
            "দাম",
            "অক্ষাংশ",
            "দ্রাঘিমাংশ",
            "উপজেলা",
            "পশু",
            "ওজন",
            "বয়স (বছর)",
        ]
    )
    sheet.append([f"{t}-1", "sel-haat", "ফ্রিজিয়ান গাভী", "livestock", "১,২৫,০০০", *NIKLI, "cow", "৮ মণ", 3])
    sheet.append(
        [
            f"{t}-2",
            "sel-haat",
            "দেশি ষাঁড়",
            "livestock",
            "১.৫ লাখ",
            NIKLI[0],
            NIKLI[1],
            None,
            "bull",
            "৩৫০ কেজি",
            "দেড়",
        ]
    )
    sheet.append([f"{t}-3", "sel-haat", "ছাগল", "livestock", 12000, NIKLI[0], NIKLI[1], None, "goat", 25, 1])
    sheet.append([f"{t}-4", "sel-haat", "গাভী", "livestock", 185000, *NIKLI, "cow", 7.5, 4])
    sheet.merge_cells("H4:H6")
    sheet.append(["মোট", None, None, None, "৪,৭২,০০০"])
    sheet.append([None, None, None, None, None, None, None, None, "স্বাক্ষর: হাট ইজারাদার"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_cattle_sheet_with_units_title_merges_and_footer_imports_what_the_clerk_meant(
    ingest, settings, engine
):
    t = tag()
    result = imported(ingest, cattle_workbook(t), "হাট.xlsx", kind="products")
    assert (result["rows_total"], result["accepted"], result["rejected"]) == (4, 3, 1), result["errors"]
    (error,) = result["errors"]
    assert (error["row"], error["letter"], error["code"]) == (7, "J", "implausible_weight")
    assert "7.5 maund" in error["message"] and "৭.৫ মণ" in error["message_bn"]
    bangla_and_english(error)
    warnings = {w["code"] for w in result["warnings"]}
    assert {"title_rows_skipped", "trailer_rows_skipped", "units_converted", "merged_filled"} <= warnings
    units = {(c["row"], c["column"]) for c in result["conversions"] if c["kind"] == "unit"}
    assert {(4, "live_weight_kg"), (4, "age_months"), (5, "price_bdt"), (5, "age_months")} <= units
    docs = found(engine, settings, "products", [f"{t}-{i}" for i in range(1, 5)])
    assert set(docs) == {f"{t}-1", f"{t}-2", f"{t}-3"}  # nothing implausible is published
    cow, bull, goat = docs[f"{t}-1"], docs[f"{t}-2"], docs[f"{t}-3"]
    assert (cow["price_bdt"], cow["livestock"]["live_weight_kg"], cow["livestock"]["age_months"]) == (
        125000,
        298.6,
        36,
    )
    assert (bull["price_bdt"], bull["livestock"]["live_weight_kg"], bull["livestock"]["age_months"]) == (
        150000,
        350,
        18,
    )
    assert bull["upazila"] == "nikli"  # from the merged cell above it
    assert (goat["livestock"]["live_weight_kg"], goat["livestock"]["age_months"]) == (25, 12)
    assert cow["title"]["bn"] == "ফ্রিজিয়ান গাভী"


def test_prices_in_lakh_headers_never_become_a_bull_at_one_taka(ingest, settings, engine):
    t = tag()
    rows = [
        [
            "id",
            "seller_id",
            "title_bn",
            "category",
            "price_bdt",
            "lat",
            "lon",
            "upazila",
            "animal",
            "live_weight_kg",
        ],
        [f"{t}-1", "sel-haat", "ষাঁড়", "livestock", "1.25", *NIKLI, "bull", "8"],
    ]
    result = imported(ingest, files.csv_utf8(rows), "bull.csv", kind="products")
    assert {e["code"] for e in result["errors"]} == {"implausible_price", "implausible_weight"}
    assert not found(engine, settings, "products", [f"{t}-1"])
    rows[0][4] = "দাম (লাখ টাকা)"
    rows[1][9] = "৮ মণ"
    result = imported(ingest, files.csv_utf8(rows), "bull.csv", kind="products")
    assert result["accepted"] == 1, result["errors"]
    doc = found(engine, settings, "products", [f"{t}-1"])[f"{t}-1"]
    assert (doc["price_bdt"], doc["livestock"]["live_weight_kg"]) == (125000, 298.6)


# --- blood donors, in LibreOffice and old Excel workbooks ----------------------------------------------


@pytest.mark.parametrize(("save", "name"), [(files.ods, "রক্তদাতা.ods"), (files.xls, "donors.xls")])
def test_donor_dates_from_date_cells_and_words_and_impossible_ones_refused(
    ingest, settings, engine, save, name
):
    t = tag()
    today = dt.date.today()
    rows = [
        [*HEADER, "রক্তের গ্রুপ", "শেষ রক্তদানের তারিখ"],
        [f"{t}-1", "রহিম উদ্দিন", "রক্তদাতা", "01712345671", *SADAR, "O+", dt.date(2026, 9, 15)],
        [f"{t}-2", "করিম মিয়া", "রক্তদাতা", "01712345672", *SADAR, "বি+", "১২ নভেম্বর ২০২৬"],
        [f"{t}-3", "সালমা", "রক্তদাতা", "01712345673", *SADAR, "A+", None],
        [f"{t}-4", "জামাল", "রক্তদাতা", "01712345674", *SADAR, "AB-", today + dt.timedelta(days=13)],
    ]
    result = imported(ingest, save(rows), name)
    assert codes(result) == [(5, "I", "date_future")]
    bangla_and_english(result["errors"][0])
    assert "donors_never_given" in {w["code"] for w in result["warnings"]}
    docs = found(engine, settings, "providers", [f"{t}-{i}" for i in range(1, 5)])
    assert set(docs) == {f"{t}-1", f"{t}-2", f"{t}-3"}
    assert docs[f"{t}-1"]["last_donation_date"] == "2026-09-15"
    assert docs[f"{t}-2"]["last_donation_date"] == "2026-11-12" and docs[f"{t}-2"]["blood_group"] == "B+"
    assert "last_donation_date" not in docs[f"{t}-3"]
    assert docs[f"{t}-1"]["name"]["bn"] == "রহিম উদ্দিন"


def test_donors_without_a_recognised_last_donation_column_are_refused_even_for_real(ingest, settings, engine):
    t = tag()
    rows = [
        [*HEADER, "রক্ত দিয়েছেন কবে"],
        [f"{t}-1", "রহিম", "রক্তদাতা", "01712345671", *SADAR, "গত মাসে"],
    ]
    response = upload(ingest, files.csv_utf8(rows), "donors.csv")
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "donor_dates_missing" and "H" in body["details"]["unrecognised"]
    assert "শেষ রক্তদানের তারিখ" in body["message_bn"] and "last donation" in body["message"]
    assert not found(engine, settings, "providers", [f"{t}-1"])


# --- encodings and shapes --------------------------------------------------------------------------------


def test_a_mac_roman_semicolon_csv_keeps_its_punctuation(ingest, settings, engine):
    t = tag()
    rows = [
        [*HEADER, "name_en", "Opening Hours"],
        [
            f"{t}-1",
            "????",
            "electrician",
            "01712345671",
            *SADAR,
            "Rafiq’s Electric Works",
            "শুক্রবার ছাড়া সকাল ৯-৫",
        ],
        [f"{t}-2", "Rvwgjv LvZzb", "barber", "01712345672", *SADAR, "“Pink Plaza” – Bhairab", "9am-5pm"],
    ]
    text = files._csv_text(rows, ";").replace("শুক্রবার ছাড়া সকাল ৯-৫", "sat-thu 9am-5pm")
    result = imported(ingest, text.encode("mac_roman"), "mac.csv")
    assert "read_as_mac_roman" in {w["code"] for w in result["warnings"]}
    assert codes(result) == [(2, "B", "lost_encoding")]
    doc = found(engine, settings, "providers", [f"{t}-2"])[f"{t}-2"]
    assert doc["name"]["en"] == "“Pink Plaza” – Bhairab" and doc["name"]["bn"] == "জামিলা খাতুন"


def test_hours_phrases_and_two_time_columns(ingest, settings, engine):
    t = tag()
    rows = [
        [*HEADER, "খোলার সময়", "বন্ধের সময়", "সাপ্তাহিক ছুটি"],
        [f"{t}-1", "ক", "barber", "01712345671", *SADAR, "সকাল ৯টা", "বিকাল ৫টা", "শুক্রবার"],
        [f"{t}-2", "খ", "barber", "01712345672", *SADAR, "রাত ১২টা", "সকাল ৬টা", ""],
    ]
    result = imported(ingest, files.csv_utf8(rows), "times.csv")
    assert result["errors"] == [] and result["accepted"] == 2
    docs = found(engine, settings, "providers", [f"{t}-1", f"{t}-2"])
    assert {(h["day"], h["open"], h["close"]) for h in docs[f"{t}-1"]["hours"]} == {
        (d, "09:00", "17:00") for d in ("sat", "sun", "mon", "tue", "wed", "thu")
    }
    assert {(h["open"], h["close"]) for h in docs[f"{t}-2"]["hours"]} == {("00:00", "06:00")}


def test_a_report_id_is_not_an_import(ingest):
    t = tag()
    result = imported(
        ingest, files.csv_utf8([HEADER, [f"{t}-1", "রহিম", "barber", "01712345671", *SADAR]]), "a.csv"
    )
    response = httpx.get(f"{ingest.url}/v1/imports/{result['id']}.report", headers=KEY, timeout=10)
    assert response.status_code == 404 and response.json()["error"] == "unknown_import"


# --- bounded requests ------------------------------------------------------------------------------------


def test_a_ten_megabyte_header_and_a_chunked_oversize_body_are_refused_as_they_arrive(
    make_ingest, isolated_settings
):
    ingest = make_ingest(isolated_settings, CONSUMER_ENABLED="false", IMPORT_MAX_BYTES=str(4 << 20)).start()
    before = ingest.memory_kb()["VmRSS"]
    with socket.create_connection(("127.0.0.1", ingest.port), timeout=10) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
        answer = b""
        try:
            for _ in range(160):
                s.sendall(b"a" * 65536)
        except OSError:
            pass  # the server closed the connection
        try:
            answer = s.recv(200)
        except OSError:
            answer = b""
    assert answer == b"" or answer.startswith(b"HTTP/1.1 431")

    def chunks():
        for _ in range(300):
            yield b"x" * (1 << 20)

    refused = False
    try:
        response = httpx.post(
            f"{ingest.url}/v1/imports/providers",
            content=chunks(),
            headers={**KEY, "Content-Type": "text/csv"},
            timeout=60,
        )
        refused = response.status_code == 413
    except httpx.HTTPError:
        refused = True  # closed before the body was all sent
    assert refused
    assert ingest.memory_kb()["VmRSS"] - before < 100_000  # KB: neither the header nor the body was kept
    assert httpx.get(f"{ingest.url}/healthz", timeout=5).status_code == 200
    ingest.stop()


# --- resume after a restart --------------------------------------------------------------------------------


def records_of(settings, topic: str, import_id: str) -> list[int]:
    """Rows of the import on the topic, one entry per record (a row sent twice shows twice)."""
    consumer = KafkaConsumer(enable_auto_commit=False, **settings.kafka_client_options())
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        rows: list[int] = []
        deadline = time.monotonic() + 120
        while any(consumer.position(tp) < ends[tp] for tp in partitions) and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500, max_records=10000).values():
                for record in batch:
                    headers = dict(record.headers or ())
                    if headers.get("import_id") == import_id.encode():
                        rows.append(int(headers["import_row"]))
        return rows
    finally:
        consumer.close()


def test_an_import_killed_half_way_resumes_to_the_same_counts_without_duplicates(
    make_ingest, isolated_settings, engine, tmp_path
):
    s = isolated_settings
    env = {"IMPORT_DIR": str(tmp_path / "imports")}
    first = make_ingest(s, **env).start()
    t = tag()
    rows = [HEADER] + [[f"{t}-{i}", "রহিম", "barber", f"017{i:08d}", *SADAR] for i in range(50_000)]
    response = upload(first, files.csv_utf8(rows), "50k.csv")
    assert response.status_code == 202, response.text
    import_id = response.json()["import_id"]
    samples = []

    def under_way():
        body = httpx.get(f"{first.url}/v1/imports/{import_id}", headers=KEY, timeout=10).json()
        samples.append(body)
        return body if body["published"] >= 5_000 else None

    wait_for(under_way, timeout=120, interval=0.2, what="the import to be under way")
    first.kill()  # SIGKILL by its pid: a crash in the middle
    assert samples[-1]["published"] < 50_000
    second = make_ingest(s, **env).start()

    def done():
        body = httpx.get(f"{second.url}/v1/imports/{import_id}", headers=KEY, timeout=10).json()
        samples.append(body)
        return body if body.get("searchable") else None

    final = wait_for(done, timeout=300, interval=0.5, what="the resumed import to become searchable")
    assert (final["status"], final["rows"], final["accepted"], final["rejected"]) == (
        "published",
        50_000,
        50_000,
        0,
    )
    assert (final["published"], final["indexed"], final["stale"], final["failed"]) == (50_000, 50_000, 0, 0)
    assert final["resumed"] == 1
    assert all(b["published"] >= b["indexed"] for b in samples)  # never behind
    sent = records_of(s, s.topic("providers"), import_id)
    assert len(sent) == 50_000 and len(set(sent)) == 50_000  # each row once: none sent twice
    count = engine.count(index=s.index_alias("providers"), body={"query": {"prefix": {"id": f"{t}-"}}})[
        "count"
    ]
    assert count == 50_000
    listed = httpx.get(f"{second.url}/v1/imports/{import_id}", headers=KEY, timeout=10)
    assert listed.json()["id"] == import_id  # one import, not two
    assert not list((tmp_path / "imports").rglob("*.upload"))  # the file is kept only until the end
    second.stop()
