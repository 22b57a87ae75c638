"""The web client's words and numbers, run by Node on the client's own modules: Bangla digits in any
text, lakh grouping, times as people say them, today's hours, Bangla collation, what counts as inside
Kishoreganj district without the server, what the server said of a position (kept per rounded position),
and the district's name in the page's words."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from portal.contracts import taxonomy

CASES = Path(__file__).with_name("formatting_cases.mjs")
UPAZILAS = [{"slug": u.slug, "lat": u.lat, "lon": u.lon} for u in taxonomy().upazilas.values()]
#: /v1/places/at for the middle of Masua union (search/places/at.py).
MASUA = {
    "inside_district": True,
    "district": {"slug": "kishoreganj", "level": "district", "bn": "কিশোরগঞ্জ", "en": "Kishoreganj"},
    "upazila": {"slug": "katiadi", "level": "upazila", "bn": "কটিয়াদী", "en": "Katiadi"},
    "union": {"slug": "masua", "level": "union", "bn": "মসূয়া", "en": "Masua"},
    "union_inside": True,
    "bn": "কটিয়াদী, মসূয়া ইউনিয়ন",
    "en": "Katiadi, Masua union",
}
NETROKONA = {"slug": "netrokona", "bn": "নেত্রকোণা", "en": "Netrokona"}

EXPECTED: list[tuple[str, str, list[Any], Any]] = [
    ("bn", "digits", ["হোল্ডিং নং 24"], "হোল্ডিং নং ২৪"),
    ("bn", "pick", [{"bn": "ইলিশ — 2 কেজি", "en": "Hilsa — 2 kg"}], "ইলিশ — ২ কেজি"),
    ("en", "pick", [{"bn": "ইলিশ — 2 কেজি", "en": "Hilsa — 2 kg"}], "Hilsa — 2 kg"),
    ("en", "pick", [{"bn": "শুধু বাংলা", "en": None}], "শুধু বাংলা"),
    ("bn", "formatCount", [999], "৯৯৯"),
    ("bn", "formatCount", [125000], "১,২৫,০০০"),
    ("bn", "formatCount", [12345678], "১,২৩,৪৫,৬৭৮"),
    ("en", "formatCount", [125000], "125,000"),
    ("bn", "formatPrice", [85000], "৳৮৫,০০০"),
    ("bn", "formatDistance", [846], "৮৫০ মিটার"),
    ("bn", "formatDistance", [3640], "৩.৬ কিমি"),
    ("bn", "formatDistance", [24321], "২৪ কিমি"),
    ("en", "formatDistance", [3640], "3.6 km"),
    ("bn", "formatClock", ["09:00"], "সকাল ৯টা"),
    ("bn", "formatClock", ["09:00", {"at": True}], "সকাল ৯টায়"),
    ("bn", "formatClock", ["21:30", {"at": True}], "রাত ৯:৩০-এ"),
    ("bn", "formatClock", ["00:00"], "রাত ১২টা"),
    ("bn", "formatClock", ["12:30"], "দুপুর ১২:৩০"),
    ("bn", "formatClock", ["05:00"], "ভোর ৫টা"),
    ("bn", "formatClock", ["16:00"], "বিকাল ৪টা"),
    ("bn", "formatClock", ["18:00"], "সন্ধ্যা ৬টা"),
    ("en", "formatClock", ["21:30"], "9:30 PM"),
    ("en", "formatClock", ["09:00"], "9 AM"),
    ("bn", "formatOpensAt", ["2026-11-28T09:00:00+06:00", "2026-11-28T02:00:00+06:00"], "আজ সকাল ৯টায়"),
    ("bn", "formatOpensAt", ["2026-11-29T08:30:00+06:00", "2026-11-28T22:00:00+06:00"], "আগামীকাল সকাল ৮:৩০-এ"),
    ("bn", "formatOpensAt", ["2026-12-01T09:00:00+06:00", "2026-11-28T22:00:00+06:00"], "মঙ্গলবার সকাল ৯টায়"),
    ("en", "formatOpensAt", ["2026-11-28T09:00:00+06:00", "2026-11-28T02:00:00+06:00"], "today at 9 AM"),
    ("bn", "formatHoursToday", [None], "২৪ ঘণ্টা খোলা"),
    ("bn", "formatHoursToday", [[]], "আজ বন্ধ"),
    ("bn", "formatHoursToday", [[{"open": "09:00", "close": "18:00"}]], "আজ সকাল ৯টা–সন্ধ্যা ৬টা"),
    ("bn", "formatHoursToday", [[{"open": "22:00", "close": "04:00"}]], "আজ রাত ১০টা–ভোর ৪টা"),
    (
        "en",
        "formatHoursToday",
        [[{"open": "09:00", "close": "12:30"}, {"open": "17:00", "close": "21:00"}]],
        "Today 9 AM–12:30 PM, 5 PM–9 PM",
    ),
    ("bn", "formatDate", ["2026-12-05"], "৫ ডিসেম্বর ২০২৬"),
    ("bn", "parseNumber", ["১,২৫,০০০"], 125000),
    ("bn", "parseNumber", ["৫০০ টাকা"], "NaN"),
    ("bn", "parseNumber", [""], None),
    (
        "bn",
        "collate",
        [["হোসেনপুর", "কুলিয়ারচর", "অষ্টগ্রাম", "কটিয়াদী", "ইটনা"]],
        ["অষ্টগ্রাম", "ইটনা", "কটিয়াদী", "কুলিয়ারচর", "হোসেনপুর"],
    ),
    ("en", "collate", [["tarail", "Austagram", "bhairab"]], ["Austagram", "bhairab", "tarail"]),
    ("bn", "insideDistrict", [{"lat": 24.4449, "lon": 90.7766}, UPAZILAS], True),
    (
        "bn",
        "insideDistrict",
        [{"lat": 24.58, "lon": 91.2}, UPAZILAS],
        True,
    ),  # the Itna haor, far from a centre
    ("bn", "insideDistrict", [{"lat": 23.8103, "lon": 90.4125}, UPAZILAS], False),  # Dhaka
    ("bn", "insideDistrict", [{"lat": 24.7471, "lon": 90.4203}, UPAZILAS], False),  # Mymensingh town
    ("bn", "kmToNearestUpazila", [{"lat": 23.8103, "lon": 90.4125}, UPAZILAS], 62),
    # What the server said of a position is kept under the position rounded to about 100 m.
    ("bn", "positionKey", [{"lat": 24.26083, "lon": 90.74985}], "24.261,90.750"),
    (
        "bn",
        "verdictOf",
        [MASUA],
        {"inside": True, "words": {"bn": "কটিয়াদী, মসূয়া ইউনিয়ন", "en": "Katiadi, Masua union"}},
    ),
    ("bn", "verdictOf", [{"inside_district": "yes", "bn": "x"}], None),  # not an answer the page knows
    ("bn", "verdictOf", [None], None),
    (
        "bn",
        "keptVerdict",
        [{"lat": 24.26083, "lon": 90.74985}, MASUA, {"lat": 24.2612, "lon": 90.7502}],
        {"inside": True, "words": {"bn": "কটিয়াদী, মসূয়া ইউনিয়ন", "en": "Katiadi, Masua union"}},
    ),
    (
        "bn",
        "keptVerdict",
        [{"lat": 24.26083, "lon": 90.74985}, MASUA, {"lat": 24.2625, "lon": 90.7498}],
        None,
    ),
    # Where a search looked, in Bangla's case endings: "in" a town, "near" (of) a market.
    ("bn", "locative", ["ভৈরব পৌরসভা"], "ভৈরব পৌরসভায়"),
    ("bn", "locative", ["কুলিয়ারচর"], "কুলিয়ারচরে"),
    ("bn", "locative", ["নিকলী"], "নিকলীতে"),
    ("bn", "locative", ["আটপাড়া"], "আটপাড়ায়"),
    ("bn", "genitive", ["কটিয়াদী বাজার"], "কটিয়াদী বাজারের"),
    ("bn", "genitive", ["ইটনা পশুর হাট"], "ইটনা পশুর হাটের"),
    ("bn", "genitive", ["নিকলী"], "নিকলীর"),
    ("bn", "t", [NETROKONA, "searchedInUnion", "মসূয়া"], "মসূয়া ইউনিয়নে খোঁজা হলো।"),
    ("en", "t", [NETROKONA, "searchedInUnion", "Masua"], "Searched in Masua union."),
    ("bn", "t", [NETROKONA, "searchedInTown", "ভৈরব পৌরসভা"], "ভৈরব পৌরসভায় খোঁজা হলো।"),
    ("bn", "t", [NETROKONA, "searchedNearMarket", "কুলিয়ারচর বাজার"], "কুলিয়ারচর বাজারের কাছে খোঁজা হলো।"),
    ("en", "t", [NETROKONA, "searchedNearMarket", "Kuliarchar Bazar"], "Searched near Kuliarchar Bazar."),
    (
        "bn",
        "t",
        [NETROKONA, "compatibleGroups", "B-", "O-"],
        "B- দাতাদের পরে O- দাতারাও আছেন: তাঁরা B- রোগীকে রক্ত দিতে পারেন (হাসপাতালে ক্রসম্যাচ করে নিন)।",
    ),
    (
        "en",
        "t",
        [NETROKONA, "compatibleGroups", "B-", "O-"],
        "After B- donors come O- donors: they can give to a B- patient (the hospital cross-matches every bag).",
    ),
    # The district's name is configuration: the words say {district}, filled with the page's district.
    ("bn", "t", [NETROKONA, "title"], "হাতের মুঠোয় নেত্রকোণা"),
    ("en", "t", [NETROKONA, "title"], "Netrokona in the palm of your hand"),
    ("bn", "t", [NETROKONA, "outsideOf"], "নেত্রকোণা জেলার বাইরে"),
    ("bn", "t", [NETROKONA, "youAreIn", "কটিয়াদী, মসূয়া ইউনিয়ন"], "আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন।"),
    ("en", "t", [NETROKONA, "youAreIn", "Katiadi, Masua union"], "You are in: Katiadi, Masua union."),
]


def test_the_client_formats_as_a_reader_expects() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run the web client's modules: `make web` installs it")
    cases = [[lang, fn, args] for lang, fn, args, _ in EXPECTED]
    run = subprocess.run([node, str(CASES), json.dumps(cases)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    wrong = [
        (fn, args, want, have)
        for (_, fn, args, want), have in zip(EXPECTED, got, strict=True)
        if want != have
    ]
    assert wrong == [], wrong
