"""CSV imports end to end: a real ingest-service process, real Kafka and OpenSearch.

Each test uses its own ids, so tests share the session's service and topics without seeing each other.
"""

from __future__ import annotations

import codecs
import socket
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from kafka import KafkaConsumer, TopicPartition

from harness.service_process import ServiceProcess
from integration.conftest import wait_for
from portal.contracts import taxonomy
from portal.settings import PortalSettings

KEY = {"Authorization": "Bearer test-key-2"}
CSV = {"Content-Type": "text/csv; charset=utf-8"}


def tag() -> str:
    return f"csv{uuid.uuid4().hex[:8]}"


def post(
    service: ServiceProcess,
    kind: str,
    body: bytes,
    *,
    headers: dict[str, str] | None = None,
    dry_run: bool = False,
) -> httpx.Response:
    return httpx.post(
        f"{service.url}/v1/imports/{kind}",
        content=body,
        headers={**KEY, **CSV} if headers is None else headers,
        params={"dry_run": "true"} if dry_run else None,
        timeout=60,
    )


def upload(
    service: ServiceProcess, body: bytes, name: str, *, kind: str = "providers", **params: str
) -> httpx.Response:
    """A file sent as a browser form sends it (multipart), the way a clerk uploads one."""
    return httpx.post(
        f"{service.url}/v1/imports/{kind}",
        files={"file": (name, body, "application/octet-stream")},
        headers=KEY,
        params=params,
        timeout=120,
    )


def found(engine, settings: PortalSettings, index: str, ids: list[str]) -> dict[str, dict]:
    """What a search of the engine shows for these ids (no refresh of ours)."""
    hits = engine.search(
        index=settings.index_alias(index),
        body={
            "query": {"bool": {"filter": [{"terms": {"id": ids}}, {"term": {"deleted": False}}]}},
            "size": 100,
        },
    )["hits"]["hits"]
    return {hit["_source"]["id"]: hit["_source"] for hit in hits}


def codes(result: dict) -> list[tuple[int, str | None, str]]:
    """An import's row errors as (row, column letter, code)."""
    return [(e["row"], e["letter"], e["code"]) for e in result["errors"]]


def published_keys(settings: PortalSettings, kind: str) -> set[str]:
    """Every key on the entity topic so far (the topic is the session's own)."""
    consumer = KafkaConsumer(**settings.kafka_client_options(), enable_auto_commit=False)
    try:
        topic = settings.topic(kind)
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        keys: set[str] = set()
        deadline = time.monotonic() + 30
        while any(consumer.position(tp) < end[tp] for tp in partitions) and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                keys.update(record.key.decode() for record in batch if record.key)
        return keys
    finally:
        consumer.close()


def indexed(engine, settings: PortalSettings, index: str, ids: list[str]) -> list[dict]:
    """Wait until every id is in the index; returns their sources in order."""

    def all_there():
        found = engine.mget(index=settings.index_alias(index), body={"ids": ids})["docs"]
        return [d["_source"] for d in found] if all(d.get("found") for d in found) else None

    return wait_for(all_there, timeout=60, what=f"{ids} to be indexed")


def finished(service: ServiceProcess, import_id: str) -> dict:
    """Poll the import until its rows are all validated and published (or it failed)."""

    def progress():
        body = httpx.get(f"{service.url}/v1/imports/{import_id}", headers=KEY, timeout=10).json()
        return body if body.get("status") in ("published", "failed", "validated") else None

    return wait_for(progress, timeout=120, what=f"import {import_id} to finish publishing")


def searchable(service: ServiceProcess, import_id: str) -> dict:
    def progress():
        body = httpx.get(f"{service.url}/v1/imports/{import_id}", headers=KEY, timeout=10).json()
        return body if body.get("searchable") else None

    return wait_for(progress, timeout=60, what=f"import {import_id} to become searchable")


def test_row_errors_are_exact_and_the_valid_rows_become_searchable(ingest, settings, engine):
    t = tag()
    body = (
        "id,name_bn,category,phone,lat,lon,upazila,hours,services\r\n"
        f"{t}-1,মোঃ রফিকুল ইসলাম,ইলেকট্রিশিয়ান,০১৭১২-৩৪৫৬৭৮,২৪.০৫,৯০.৯৮৫,ভৈরব,sat-thu 09:00-18:00,ওয়্যারিং; ফ্যান মেরামত\r\n"
        f"{t}-2,রহিমা,plumber,01712345679,24.44,90.78,bhairab,,\r\n"
        f'{t}-3,"=HYPERLINK(""http://evil.example"",""click"")",barber,01812345678,24.44,90.78,bhairab,,\r\n'
        f"{t}-4,করিম,barber,01912345678,2.44,90.78,bhairab,,\r\n"
        f"{t}-5,সালমা,beautician,01612345678,24.30,90.90,nikli,daily 10:00-20:00,\r\n"
    ).encode()
    response = post(ingest, "providers", body)
    assert response.status_code == 202, response.text
    result = finished(ingest, response.json()["import_id"])
    assert (result["rows"], result["accepted"], result["rejected"], result["published"]) == (5, 2, 3, 2)
    slugs = ", ".join(sorted(taxonomy().provider_categories))
    assert [
        {k: e[k] for k in ("row", "column", "header", "letter", "value", "message")} for e in result["errors"]
    ] == [
        {
            "row": 3,
            "column": "category",
            "header": "category",
            "letter": "C",
            "value": "plumber",
            "message": f"'plumber' is not a provider category; expected a category such as {slugs} "
            "(or its Bangla name)",
        },
        {
            "row": 4,
            "column": "name_bn",
            "header": "name_bn",
            "letter": "B",
            "value": '\'=HYPERLINK("http://evil.example","click")',
            "message": "the cell starts with '=', so spreadsheet programs would run it as a formula; "
            "formulas are not accepted in text columns: type the text itself",
        },
        {
            "row": 5,
            "column": "lat",
            "header": "lat",
            "letter": "E",
            "value": "2.44",
            "message": "latitude 2.44 is outside Bangladesh: expected 20.5 to 26.7 "
            "(Kishoreganj is about lat 24.4, lon 90.8)",
        },
    ]
    assert all(e["message_bn"] for e in result["errors"])
    assert result["warnings"] == []

    first, fifth = indexed(engine, settings, "providers", [f"{t}-1", f"{t}-5"])
    assert first["name"]["bn"] == "মোঃ রফিকুল ইসলাম"
    assert first["phone"] == "+8801712345678"
    assert first["category"] == "electrician"
    assert first["upazila"] == "bhairab"
    assert first["location"] == {"lat": 24.05, "lon": 90.985}
    assert first["services"] == ["ওয়্যারিং", "ফ্যান মেরামত"]
    assert len(first["hours"]) == 6
    assert fifth["available"] is True

    progress = searchable(ingest, result["import_id"])
    assert progress["status"] == "published"
    assert (progress["rows"], progress["accepted"], progress["rejected"]) == (5, 2, 3)
    assert progress["indexed"] + progress["stale"] + progress["failed"] >= 2
    assert progress["entity"] == "provider" and progress["dry_run"] is False
    for rejected in (2, 3, 4):
        assert not engine.exists(index=settings.index_alias("providers"), id=f"{t}-{rejected}")


def test_a_multipart_upload_with_reordered_bangla_headers(ingest, settings, engine):
    t = tag()
    body = (
        " Price_BDT ,পণ্যের নাম,ID,seller_id,ক্যাটাগরি,LAT,Lon,উপজেলা,attributes,notes\r\n"
        f'"১,২০,০০০",দেশি ষাঁড়,{t}-1,sel-1,গরু,24.33,90.93,নিকলী,weight_kg=250; color=লাল,call after 5\r\n'
    ).encode()
    response = httpx.post(
        f"{ingest.url}/v1/imports/products",
        files={"file": ("হাট-নভেম্বর.csv", body, "text/csv")},
        headers=KEY,
        timeout=60,
    )
    assert response.status_code == 202, response.text
    result = finished(ingest, response.json()["import_id"])
    assert (result["accepted"], result["rejected"]) == (1, 0)
    assert [w["message"] for w in result["warnings"]] == [
        "column J 'notes' is not a products column and was ignored"
    ]
    (product,) = indexed(engine, settings, "products", [f"{t}-1"])
    assert product["price_bdt"] == 120000
    assert product["category"] == "livestock"
    assert product["upazila"] == "nikli"
    assert product["attributes"] == {"weight_kg": 250, "color": "লাল"}
    assert product["status"] == "active" and product["in_stock"] is True
    progress = searchable(ingest, result["import_id"])
    assert progress["filename"] == "হাট-নভেম্বর.csv"


def test_a_wrong_or_missing_key_gets_401_and_publishes_nothing(ingest, settings):
    t = tag()
    body = f"id,name_bn,category,phone,lat,lon,upazila\r\n{t}-1,রহিম,barber,01712345678,24.53,91.08,itna\r\n"
    for headers in (
        {**CSV},
        {**CSV, "Authorization": "Bearer test-key-3"},
        {**CSV, "Authorization": "test-key-1"},
    ):
        response = post(ingest, "providers", body.encode(), headers=headers)
        assert response.status_code == 401, response.text
        assert response.json()["error"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"
    assert httpx.get(f"{ingest.url}/v1/imports/anything", timeout=10).status_code == 401
    assert f"{t}-1" not in published_keys(settings, "providers")


def test_dry_run_validates_and_publishes_nothing(ingest, settings):
    t = tag()
    body = (
        "id,name_bn,category,phone,lat,lon,upazila\r\n"
        f"{t}-1,রহিম,barber,01712345678,24.53,91.08,itna\r\n"
        f"{t}-2,করিম,barber,017,24.53,91.08,itna\r\n"
    ).encode()
    response = post(ingest, "providers", body, dry_run=True)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["dry_run"] is True and result["status"] == "validated"
    assert (result["rows"], result["accepted"], result["rejected"], result["published"]) == (2, 1, 1, 0)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(3, "phone")]
    assert not {f"{t}-1", f"{t}-2"} & published_keys(settings, "providers")
    progress = httpx.get(f"{ingest.url}/v1/imports/{result['import_id']}", headers=KEY, timeout=10).json()
    assert progress["dry_run"] is True and progress["searchable"] is False


def test_the_template_downloads_and_imports_cleanly(ingest):
    for kind, first in (("providers", "id,name_bn,name_en,category"), ("products", "id,seller_id,title_bn")):
        response = httpx.get(f"{ingest.url}/v1/imports/templates/{kind}.csv", timeout=10)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert f'filename="{kind}-template.csv"' in response.headers["content-disposition"]
        assert response.content.startswith(codecs.BOM_UTF8)
        assert response.content.decode("utf-8-sig").startswith(first)
        result = post(ingest, kind, response.content, dry_run=True).json()
        assert (result["rows"], result["accepted"], result["rejected"]) == (2, 2, 0), result
    assert httpx.get(f"{ingest.url}/v1/imports/templates/cattle.csv", timeout=10).status_code == 404


def test_utf8_with_bom_and_a_quoted_cell_spanning_lines(ingest, settings, engine):
    t = tag()
    body = (
        codecs.BOM_UTF8
        + (
            "id,name_bn,category,phone,lat,lon,upazila,address_bn\r\n"
            f'{t}-1,রহিম,barber,01712345678,24.53,91.08,itna,"বাড়ি ১২\r\nবড় বাজার\r\nইটনা"\r\n'
            f"{t}-2,করিম,barber,12345,24.53,91.08,itna,\r\n"
        ).encode()
    )
    result = finished(ingest, post(ingest, "providers", body).json()["import_id"])
    assert (result["accepted"], result["rejected"]) == (1, 1), result
    assert [(e["row"], e["column"], e["value"]) for e in result["errors"]] == [(3, "phone", "12345")]
    (doc,) = indexed(engine, settings, "providers", [f"{t}-1"])
    assert doc["address"]["bn"] == "বাড়ি 12 বড় বাজার ইটনা"


def test_a_utf16_unicode_text_export_is_read(ingest, settings, engine):
    t = tag()
    text = f"id\tname_bn\tcategory\tphone\tlat\tlon\tupazila\r\n{t}-1\tসালমা বেগম\tনাপিত\t০১৮১২৩৪৫৬৭৮\t২৪.২৫\t৯০.৭৯\tকটিয়াদী\r\n"
    result = finished(ingest, post(ingest, "providers", text.encode("utf-16")).json()["import_id"])
    assert (result["accepted"], result["rejected"]) == (1, 0), result
    (doc,) = indexed(engine, settings, "providers", [f"{t}-1"])
    assert doc["name"]["bn"] == "সালমা বেগম"
    assert (doc["category"], doc["upazila"], doc["phone"]) == ("barber", "katiadi", "+8801812345678")


def test_a_windows_1252_file_is_read_with_a_warning(ingest, settings, engine):
    t = tag()
    body = f"id,name_bn,name_en,category,phone,lat,lon,upazila\r\n{t}-1,রহিম,Café Rahim,barber,01712345678,24.53,91.08,itna\r\n"
    response = post(ingest, "providers", body.encode("cp1252", errors="replace"))
    assert response.status_code == 202, response.text
    result = finished(ingest, response.json()["import_id"])
    assert [w["code"] for w in result["warnings"]][:1] == ["read_as_windows_1252"]
    assert len(result["errors"]) == 1, result["errors"]
    [error] = result["errors"]
    assert (error["row"], error["letter"], error["code"]) == (2, "B", "lost_encoding")
    assert f"{t}-1" not in published_keys(settings, "providers")


def test_utf8_broken_part_way_is_refused(ingest, settings):
    t = tag()
    body = f"id,name_bn,category,phone,lat,lon,upazila\r\n{t}-1,রহিম,barber,01712345678,24.53,91.08,itna\r\n".encode()
    response = post(ingest, "providers", body + b"\xe9x\r\n")
    assert response.status_code == 422
    problem = response.json()
    assert problem["error"] == "not_utf8"
    assert "byte 0xE9 on line 3" in problem["message"] and problem["message_bn"]
    assert f"{t}-1" not in published_keys(settings, "providers")


def test_missing_required_columns_refuse_the_whole_file(ingest, settings):
    t = tag()
    body = f"id,name_bn,phone,upazila\r\n{t}-1,রহিম,01712345678,itna\r\n".encode()
    response = post(ingest, "providers", body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["error"] == "bad_header"
    assert problem["details"]["missing"] == ["category", "lat", "lon"]
    assert problem["message"].startswith(
        "The first row must name the columns. required columns missing: category, lat, lon."
    )
    assert "দরকারি কলাম নেই: পেশা, অক্ষাংশ, দ্রাঘিমাংশ" in problem["message_bn"]
    assert f"{t}-1" not in published_keys(settings, "providers")


def test_empty_files(ingest):
    for body in (b"", codecs.BOM_UTF8, b"\r\n  \r\n"):
        response = post(ingest, "providers", body)
        assert response.status_code == 422, body
        assert response.json()["error"] == "empty_file"
        assert "/v1/imports/templates/providers.csv" in response.json()["message"], body
    response = post(ingest, "providers", b"id,name_bn,category,phone,lat,lon,upazila\r\n")
    assert response.status_code == 202
    result = finished(ingest, response.json()["import_id"])
    assert (result["rows"], result["accepted"]) == (0, 0)
    assert [w["code"] for w in result["warnings"]] == ["no_hours_column", "no_data_rows"]
    assert searchable(ingest, result["import_id"])["accepted"] == 0


def test_unknown_imports_and_unsupported_bodies(ingest):
    response = httpx.get(f"{ingest.url}/v1/imports/nope", headers=KEY, timeout=10)
    assert response.status_code == 404
    response = post(ingest, "providers", b'{"id": 1}', headers={**KEY, "Content-Type": "application/json"})
    assert response.status_code == 415
    response = httpx.post(
        f"{ingest.url}/v1/imports/providers", files={"upload": ("a.csv", b"id\r\n")}, headers=KEY, timeout=10
    )
    assert response.status_code == 422
    assert response.json()["error"] == "no_file"


@pytest.fixture(scope="module")
def small_limits(make_ingest) -> Iterator[ServiceProcess]:
    service = make_ingest(IMPORT_MAX_ROWS="3", IMPORT_MAX_BYTES="2000", CONSUMER_ENABLED="false").start()
    yield service
    service.stop()


def test_row_and_size_limits_answer_413_before_publishing(small_limits, settings):
    t = tag()
    header = "id,name_bn,category,phone,lat,lon,upazila\r\n"
    rows = "".join(f"{t}-{i},রহিম,barber,01712345678,24.53,91.08,itna\r\n" for i in range(4))
    response = post(small_limits, "providers", (header + rows).encode())
    assert response.status_code == 413
    assert response.json()["error"] == "too_many_rows"
    multiline = "".join(f'{t}-{i},"রহিম\r\nমিয়া",barber,01712345678,24.53,91.08,itna\r\n' for i in range(3))
    assert post(small_limits, "providers", (header + multiline).encode(), dry_run=True).status_code == 200
    response = post(small_limits, "providers", (header + "x" * 3000).encode())
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert not {f"{t}-{i}" for i in range(4)} & published_keys(settings, "providers")


def test_kafka_down_answers_503_and_dry_runs_still_work(make_ingest):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nowhere = f"127.0.0.1:{closed.getsockname()[1]}"
    service = make_ingest(KAFKA_BOOTSTRAP_SERVERS=nowhere, CONSUMER_ENABLED="false")
    service.start(wait_ready=False)
    try:
        wait_for(lambda: _healthy(service), what="the service to answer /healthz")
        body = b"id,name_bn,category,phone,lat,lon,upazila\r\np-1,x,barber,01712345678,24.53,91.08,itna\r\n"
        response = post(service, "providers", body)
        assert response.status_code == 503
        assert response.json()["error"] == "kafka_unavailable"
        assert "nothing was imported" in response.json()["message"]
        assert post(service, "providers", body, dry_run=True).status_code == 200
    finally:
        service.kill()  # its bootstrap keeps retrying Kafka and would hold a graceful stop for 30 s


def _healthy(service: ServiceProcess) -> bool:
    try:
        return httpx.get(f"{service.url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
