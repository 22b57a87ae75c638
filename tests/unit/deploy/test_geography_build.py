"""The geography build (deploy/geography): names paired across sources, place names judged against
what the search reads, and the generated places in the format of schemas/gazetteer.json."""

from __future__ import annotations

import json

import pytest

import check_places
from geo_build import english_label, judge_names, portal_labels, sadar_first, slugify
from geo_matching import name_key, pair_by_name
from geo_names import judge
from portal.bangla.romanize import banglish_key
from portal.contracts import gazetteer
from portal.geography import GEOGRAPHY_DIR, contract


def places(district: str) -> dict:
    return json.loads((GEOGRAPHY_DIR / f"{district}.gazetteer.json").read_text(encoding="utf-8"))


# --- names that may not be places ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "because"),
    [
        ("জাওয়ার", "জ্বর"),  # its key "jar" is fever's: "জ্বর হলে ডাক্তার" would become a place search
        ("বাদলা", "বাঁধলো"),  # a verb form of query_language.json
        ("ডাক্তার", "doctor"),  # a category's own name
        ("Electrician", "electrician"),
    ],
)
def test_a_name_the_search_reads_as_something_else_is_refused(name: str, because: str) -> None:
    verdict = judge(name)
    assert verdict.refusal is not None and because in verdict.refusal


@pytest.mark.parametrize("name", ["মসূয়া", "Masua", "লোহাজুরী", "Lohajuri", "আমতলা", "জয়সিদ্ধি ইউনিয়ন"])
def test_a_union_name_nothing_else_owns_may_be_a_place(name: str) -> None:
    assert judge(name).refusal is None


def test_a_name_one_typo_from_a_listed_name_is_kept_with_a_warning() -> None:
    verdict = judge("মসূয়া")  # one edit from মসলা (spices, not listed)
    assert verdict.refusal is None and any("মসলা" in w for w in verdict.warnings)


def test_place_against_place_the_upazila_keeps_its_name_and_two_unions_alike_both_lose_it() -> None:
    def candidate(slug: str, level: str, names: list[str]) -> dict:
        return {"slug": slug, "level": level, "bn": names[0], "en": names[-1], "names": names}

    kept, excluded = judge_names(
        [
            candidate("itna", "upazila", ["ইটনা", "Itna"]),
            candidate("itna-union", "union", ["ইটনা", "ইটনা ইউনিয়ন", "Itna"]),
            candidate("kailati", "union", ["কৈলাটী", "Kailati"]),
            candidate("sadar-kailati", "union", ["কাইলাটি", "Kailati"]),
        ]
    )
    by_slug = {p["slug"]: p["names"] for p in kept}
    assert by_slug == {"itna": ["ইটনা", "Itna"], "itna-union": ["ইটনা ইউনিয়ন"]}
    reasons = {(e["place"], e["name"]): e["why"] for e in excluded}
    assert "names itna already" in reasons[("itna-union", "ইটনা")]
    assert "cannot be told" in reasons[("kailati", "কৈলাটী")]
    assert reasons[("sadar-kailati", "")] == "no name left: not a place"


# --- pairing names across the sources --------------------------------------------------------------


def test_spellings_of_one_place_pair_and_strangers_do_not() -> None:
    left = ["Karimgonj", "Lohajuree", "Maijchar9", "Roailbari Amtala", "Shormushia"]
    right = ["Karimganj", "Lohajuri", "Maij Char", "Roailbari", "Dhaka"]
    pairs, lone_left, lone_right = pair_by_name(left, right, lambda n: [n], lambda n: [n])
    assert {(a, b) for a, b, _ in pairs} == {
        ("Karimgonj", "Karimganj"),
        ("Lohajuree", "Lohajuri"),
        ("Maijchar9", "Maij Char"),
        ("Roailbari Amtala", "Roailbari"),
    }
    assert (lone_left, lone_right) == (["Shormushia"], ["Dhaka"])
    assert name_key("Nikli Sadar") == name_key("Nikli")


def test_the_cleaner_english_label_wins_unless_it_is_cut_short() -> None:
    assert english_label("Lohajuri", "Lohajuree") == ("Lohajuri", "Lohajuree")
    assert english_label("Barkashia Biramp", "Borokashia Birampur") == (
        "Borokashia Birampur",
        "Barkashia Biramp",
    )
    assert english_label("Austagram", "Austagram Sadar") == ("Austagram Sadar", "Austagram")
    assert slugify("Tarail-Sachail") == "tarail-sachail"


# --- the generated places ---------------------------------------------------------------------------


@pytest.mark.parametrize("district", ["kishoreganj", "netrokona"])
def test_the_places_pass_their_check(district: str) -> None:
    found = check_places.check(district)
    assert found.errors == []
    assert found.places > 100


def test_the_places_keep_every_name_of_the_live_gazetteer() -> None:
    generated = {p["slug"]: p for p in places("kishoreganj")["places"]}
    for live in gazetteer()["places"]:
        assert set(live["names"]) <= set(generated[live["slug"]]["names"]), live["slug"]
        assert generated[live["slug"]]["kind"] == live["kind"] == "upazila"


def test_every_place_has_what_the_search_reads_of_a_place() -> None:
    for district in ("kishoreganj", "netrokona"):
        for place in places(district)["places"]:
            assert place["kind"] in ("upazila", "place")
            assert place["level"] in ("upazila", "paurashava", "union", "market")
            assert (place["kind"] == "upazila") == (place["level"] == "upazila")
            assert isinstance(place["lat"], float) and isinstance(place["lon"], float)
            assert place["radius_km"] > 0 and place["names"] and place["district"] == district


def test_unions_and_markets_people_name_are_places() -> None:
    by_key = {banglish_key(n): p for p in places("kishoreganj")["places"] for n in p["names"]}
    assert by_key[banglish_key("মসূয়া")]["slug"] == "masua"
    assert by_key[banglish_key("লোহাজুরী")]["level"] == "union"
    assert by_key[banglish_key("কুলিয়ারচর বাজার")]["level"] == "market"
    assert by_key[banglish_key("কটিয়াদী পশুর হাট")]["upazila"] == "katiadi"
    assert by_key[banglish_key("ভৈরব বাজার")]["slug"] == "bhairab"  # the upazila keeps its own name


def test_every_exclusion_says_why() -> None:
    for district in ("kishoreganj", "netrokona"):
        excluded = places(district)["excluded"]
        assert excluded and all(e["why"] for e in excluded)
    kishoreganj = {(e["place"], e["name"]) for e in places("kishoreganj")["excluded"]}
    assert ("jawar", "জাওয়ার") in kishoreganj and ("badla", "বাদলা") in kishoreganj


# --- the district's upazilas: the portal's own kept, the sadar first ------------------------------


def test_the_portals_own_upazilas_pair_with_the_polygons_by_name_and_a_new_district_has_none() -> None:
    names = ["Austagram", "Bajitpur", "Bhairab", "Hossainpur", "Itna", "Karimgonj", "Katiadi",
             "Kishoreganj Sadar", "Kuliarchar", "Mithamoin", "Nikli", "Pakundia", "Tarail"]  # fmt: skip
    paired = portal_labels("kishoreganj", names)
    assert paired["Karimgonj"].slug == "karimganj" and paired["Mithamoin"].bn == "মিঠামইন"
    assert (paired["Kishoreganj Sadar"].lat, paired["Kishoreganj Sadar"].lon) == (24.433, 90.78)
    assert portal_labels("netrokona", ["Atpara", "Kendua"]) == {}
    with pytest.raises(SystemExit, match="not paired"):
        portal_labels("kishoreganj", names[:-1])  # a slug the portal has would be lost


def test_the_sadar_comes_first_then_the_others_by_slug() -> None:
    built = [{"slug": s} for s in ("kendua", "atpara", "netrokona-sadar", "madan")]
    assert [u["slug"] for u in sadar_first(built, "netrokona")] == [
        "netrokona-sadar",
        "atpara",
        "kendua",
        "madan",
    ]


def test_a_built_upazila_has_its_town_and_radius_beside_its_centre_and_area() -> None:
    for district in ("kishoreganj", "netrokona"):
        for upazila in contract(district)["upazilas"]:
            keys = list(upazila)
            assert keys.index("town") == keys.index("centre") + 1
            assert keys.index("radius_km") == keys.index("area_km2") + 1
            assert upazila["radius_km"] == round((upazila["area_km2"] / 3.141592653589793) ** 0.5, 1)
