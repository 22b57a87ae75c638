"""Storefronts and the cattle market from clerks' spreadsheets: sellers, and livestock facts on products,
through the real ingest-service, Kafka and OpenSearch, checked by searching once the import is searchable."""

from __future__ import annotations

from integration import clerk_files as files
from integration.test_csv_clerk_files import imported, tag
from integration.test_csv_import import upload

SELLER_HEADER = [
    "id", "slug", "দোকানের নাম", "মালিক", "মোবাইল", "ফোন প্রকাশ্য", "উপজেলা", "lat", "lon",
    "পণ্যের ধরন", "ডেলিভারি এলাকা", "পেমেন্ট", "যাচাইকৃত", "শুরুর তারিখ",
]  # fmt: skip
PRODUCT_HEADER = [
    "id", "seller_id", "title_bn", "category", "price_bdt", "lat", "lon", "upazila",
    "পশু", "জাত", "ওজন (কেজি)", "বয়স (মাস)", "লিঙ্গ", "হাট না খামার", "হাটের নাম",
]  # fmt: skip
TARAIL = ("tarail", "24.5500", "90.8800")


def sellers(engine, settings, ids: list[str]) -> dict[str, dict]:
    hits = engine.search(
        index=settings.index_alias("sellers"), body={"query": {"terms": {"id": ids}}, "size": 20}
    )["hits"]["hits"]
    return {h["_source"]["id"]: h["_source"] for h in hits}


def products(engine, settings, ids: list[str]) -> dict[str, dict]:
    hits = engine.search(
        index=settings.index_alias("products"), body={"query": {"terms": {"id": ids}}, "size": 20}
    )["hits"]["hits"]
    return {h["_source"]["id"]: h["_source"] for h in hits}


def test_a_sellers_sheet_with_bangla_headers_and_lists_becomes_storefronts(ingest, settings, engine):
    t = tag()
    rows = [
        SELLER_HEADER,
        [f"{t}-1", f"{t}-mayer-doa", "মায়ের দোয়া ডেইরি", "রহিমা খাতুন", "01712345678", "হ্যাঁ",
         "তাড়াইল", "24.5500", "90.8800", "দই; দুধ | ঘি", "tarail; করিমগঞ্জ", "বিকাশ; COD", "হ্যাঁ", "01/03/2024"],
        [f"{t}-2", f"{t}-haor-fish", "হাওর ফিশ কর্নার", "", "01812345678", "না",
         "ইটনা", "24.5300", "91.0850", "মাছ", "", "nagad", "", ""],
    ]  # fmt: skip
    result = imported(ingest, files.csv_utf8(rows), "sellers.csv", kind="sellers")
    assert (result["accepted"], result["rejected"]) == (2, 0), result
    found = sellers(engine, settings, [f"{t}-1", f"{t}-2"])
    first = found[f"{t}-1"]
    assert first["categories"] == ["dairy"] and first["delivery_upazilas"] == ["tarail", "karimganj"]
    assert first["payment_methods"] == ["bkash", "cash_on_delivery"] and first["verified"] is True
    assert first["created_at"].startswith("2024-03-01")
    second = found[f"{t}-2"]
    assert (
        second["phone_public"] is False and second["verified"] is False and second["categories"] == ["fish"]
    )


def test_a_seller_cell_that_cannot_be_read_is_a_bilingual_row_error(ingest, settings, engine):
    t = tag()
    rows = [
        SELLER_HEADER,
        [f"{t}-1", f"{t}-shop", "দোকান", "", "01712345678", "", *("ইটনা", "24.5300", "91.0850"),
         "মাছ", "", "paypal", "", ""],
    ]  # fmt: skip
    response = upload(ingest, files.csv_utf8(rows), "sellers.csv", kind="sellers", dry_run="true")
    assert response.status_code == 200, response.text
    (error,) = response.json()["errors"]
    assert error["code"] == "payment_method_unknown" and error["letter"] == "L"
    assert "paypal" in error["message"] and error["message_bn"]
    assert sellers(engine, settings, [f"{t}-1"]) == {}


def test_livestock_facts_come_from_their_own_columns_in_bangla(ingest, settings, engine):
    t = tag()
    rows = [
        PRODUCT_HEADER,
        [f"{t}-1", f"{t}-seller", "শাহীওয়াল ষাঁড়", "livestock", "১,৮০,০০০", *TARAIL[1:], TARAIL[0],
         "ষাঁড়", "শাহীওয়াল", "৩২০", "৩০", "এঁড়ে", "হাট", "তাড়াইল পশুর হাট"],
        [f"{t}-2", f"{t}-seller", "খাঁটি মধু", "honey_spices", "800", *TARAIL[1:], TARAIL[0],
         "", "", "", "", "", "", ""],
    ]  # fmt: skip
    result = imported(ingest, files.csv_utf8(rows), "products.csv", kind="products")
    assert (result["accepted"], result["rejected"]) == (2, 0), result
    found = products(engine, settings, [f"{t}-1", f"{t}-2"])
    assert found[f"{t}-1"]["livestock"] == {
        "animal": "bull", "breed": "sahiwal", "live_weight_kg": 320, "age_months": 30, "sex": "male",
        "seen_at": {"kind": "haat", "name": {"bn": "তাড়াইল পশুর হাট"}},
    }  # fmt: skip
    assert "livestock" not in found[f"{t}-2"]
