"""CSV input that is hostile or huge, and keys that rotate while the service runs."""

from __future__ import annotations

import time

import httpx

from harness.service_process import ServiceProcess

CSV = {"Content-Type": "text/csv; charset=utf-8"}
HEADER = "id,name_bn,category,phone,lat,lon,upazila,address_bn"


def post(service: ServiceProcess, body: bytes, key: str = "test-key-1", **params: str) -> httpx.Response:
    headers = {**CSV, "Authorization": f"Bearer {key}"}
    return httpx.post(
        f"{service.url}/v1/imports/providers", content=body, headers=headers, params=params, timeout=120
    )


def test_a_50_mb_file_gets_an_answer_per_row_without_echoing_it_back(ingest):
    huge_cell = "ক" * 300_000  # ~0.9 MB of UTF-8 per row, far past the 500-letter limit of the field
    rows = [
        f"h50-{i},নাম,electrician,01712345678,24.43,90.78,kishoreganj-sadar,{huge_cell}" for i in range(57)
    ]
    body = (HEADER + "\n" + "\n".join(rows) + "\n").encode()
    assert len(body) > 50_000_000
    response = post(ingest, body, dry_run="true")
    assert response.status_code == 200, response.text[:500]
    report = response.json()
    assert report["rows"] == 57 and report["accepted"] == 0 and report["rejected"] == 57
    assert {e["column"] for e in report["errors"]} == {"address_bn"}
    assert len(response.content) < 200_000, "values are truncated in the report, not echoed whole"


def test_formula_cells_are_refused_and_never_echoed_as_formulas(ingest):
    body = (
        HEADER
        + "\n"
        + 'h-f1,"=HYPERLINK(""http://x.example"",""click"")",electrician,01712345678,24.43,90.78,kishoreganj-sadar,ঠিকানা\n'
    ).encode()
    report = post(ingest, body, dry_run="true").json()
    assert report["rejected"] == 1
    [error] = report["errors"]
    assert error["column"] == "name_bn"
    assert not error["value"].startswith(("=", "+", "-", "@")), "a spreadsheet must not run it if pasted back"


def test_keys_rotate_through_the_key_file_without_a_restart(make_ingest, tmp_path):
    key_file = tmp_path / "import-keys"
    key_file.write_text("old-key\n")
    service = make_ingest(
        IMPORT_API_KEYS="", IMPORT_API_KEYS_FILE=str(key_file), CONSUMER_ENABLED="false"
    ).start()
    body = (HEADER + "\n").encode()
    assert post(service, body, key="old-key", dry_run="true").status_code == 200  # authorized
    time.sleep(0.01)
    key_file.write_text("new-key\n")
    assert post(service, body, key="old-key", dry_run="true").status_code == 401
    assert post(service, body, key="new-key", dry_run="true").status_code == 200
    assert "new-key" not in service.log_path.read_text(), "keys are never logged"
    service.stop()
