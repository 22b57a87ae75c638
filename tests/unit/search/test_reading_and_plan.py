"""Reading queries by kind, and the relaxation tiers built from them. Pure: no engine; the engine's
evidence about words is passed in as it would come back."""

from __future__ import annotations

import pytest

from search.relaxation.plan import MAX_TIERS, tiers
from search.understanding.lexicon import Lexicon, skeleton
from search.understanding.reading import MAX_WORDS, read_query
from search.understanding.understanding import WordEvidence, decide, understand

LEXICON = Lexicon()


def reading(q: str, kind: str = "provider"):
    return read_query(q, kind, LEXICON)


@pytest.mark.parametrize(
    ("q", "place"),
    [
        ("করিমগঞ্জের ডাক্তার", "karimganj"),  # Bangla case ending
        ("austagram lawyer", "austagram"),
        ("doctor near tarail", "tarail"),  # a preposition
        ("bhairab e electrician", "bhairab"),  # a Banglish locative typed apart
        ("কটিয়াদী lawyer", "katiadi"),  # mixed script
        ("ভৈরব বাজারে কসাই", "bhairab"),  # a market name of the gazetteer
    ],
)
def test_places_are_read_in_any_script_with_their_endings_and_markers(q, place):
    u = understand(q, "provider")
    assert u.place is not None and u.place.slug == place
    assert all(w.surface.lower() not in ("near", "e") for w in u.required)


def test_a_place_read_through_a_typo_gives_way_to_a_real_word_of_our_data():
    r = reading("garol vera", "product")  # গাড়ল, a sheep breed — one letter from "Taral"
    assert r.place is None and r.place_guess is None  # a different first consonant is no typo
    assert decide(r, {"garol": WordEvidence(3, {"livestock": 3})}).place is None
    assert decide(r, {"garol": WordEvidence(0)}).place is None  # a word of the lexicon is never a place typo
    typo = reading("taraill doctor")  # nobody has the word: a misspelt place
    assert decide(typo, {"taraill": WordEvidence(0)}).place.slug == "tarail"


@pytest.mark.parametrize(
    ("q", "place", "level"),
    [
        ("মসূয়া ইউনিয়নের ডাক্তার", "masua", "union"),  # the marker with its case ending goes with it
        ("mosua te doctor", "masua", "union"),  # a Banglish vowel of its own
        ("lohajuri union er doctor", "lohajuri", "union"),
        ("ভৈরব পৌরসভার ইলেকট্রিশিয়ান", "bhairab-paurashava", "paurashava"),
        ("কুলিয়ারচর বাজারে কসাই", "kuliarchar-bazar", "market"),  # the longest name, not the upazila
        ("kuliarchar bazar e kosai", "kuliarchar-bazar", "market"),
        ("কুলিয়ারচরের কসাই", "kuliarchar", "upazila"),
    ],
)
def test_unions_paurashavas_and_markets_are_places_of_their_level(q, place, level):
    u = understand(q, "provider")
    assert u.place is not None and (u.place.slug, u.place.level) == (place, level)
    assert u.categories and not u.required  # the place's words, markers included, are not text to match


def test_a_misspelt_trade_is_not_taken_for_a_misspelt_place():
    r = reading("salun")  # one typo from salon and from the union Salua
    assert r.place is None
    assert decide(r, {"salun": WordEvidence(0)}).place is None


@pytest.mark.parametrize(
    "q",
    [
        "wall paint korbo",  # one typo from the union Kargaon
        "driver dorkar long route",  # Rauti
        "shukna morich",  # Sukhia
        "dhaka jawar bus counter",  # the union Jawar is named with its marker only
    ],
)
def test_everyday_words_near_a_unions_name_are_not_places(q):
    r = reading(q)
    assert r.place is None and r.place_guess is None


@pytest.mark.parametrize(
    ("q", "fillers"),
    [
        ("দোকান ভাড়া নিতে চাই", {"নিতে", "চাই"}),
        ("khat banabo", {"banabo"}),
        ("ডাক্তার লাগবে প্লিজ", {"লাগবে", "প্লিজ"}),
        ("ফ্যান ঘুরতেছে না", {"ঘুরতেছে", "না"}),  # any inflection of a listed verb root, and negation
        ("A+ blood lgbe 2 bag", {"lgbe", "2", "bag"}),  # vowel-less Banglish and a quantity
        ("ডিম ৩০টা", {"30টা"}),  # a number with its unit glued on (digits are normalized)
    ],
)
def test_fillers_verbs_and_quantities_name_nothing(q, fillers):
    r = reading(q)
    assert {r.words[i].surface for i in r.fillers} == fillers


def test_a_filler_that_is_also_a_whole_name_stays_a_name():
    r = reading("khat")  # খাট (a bed) before কত (how much)
    assert not r.fillers and any(s.phrase.target == "carpenter" for s in r.spans)


@pytest.mark.parametrize(
    ("q", "category"),
    [
        ("এম্বুলেন্চ", "ambulance"),  # a loanword said without its final vowel, এ- for অ্যা-
        ("রংমিস্ত্রী", "painter"),  # joined, long vowel
        ("দিন মজূর", "day_labourer"),  # written apart, each half close to its part of দিনমজুর
        ("পেইন্টার", "painter"),  # English -er written -ার
        ("শু রিপেয়ার", "cobbler"),  # consonants alone, where nothing else reads
        ("muci", "cobbler"),  # phone Banglish: c for চ
        ("ICU অ্যাম্বুলেন্স", "ambulance"),
    ],
)
def test_spelling_classes_reach_the_trade(q, category):
    assert understand(q, "provider").categories == (category,)


def test_two_words_are_not_read_as_one_name_when_one_of_them_is_another_word():
    r = reading("বাসা বদল")  # not বাসাভাড়া with two typos
    assert not any(s.end - s.start == 2 and s.typos for s in r.spans)


def test_a_word_our_providers_use_is_evidence_for_their_category_and_vetoes_a_typo_reading():
    r = reading("দাড়ি শেভ করাবো")  # দাড়ি is one letter from বাড়ি (property rental)
    evidence = {"দাড়ি": WordEvidence(40, {"barber": 40}), "শেভ": WordEvidence(40, {"barber": 40})}
    assert decide(r, evidence).categories == ("barber",)


def test_evidence_from_one_services_phrase_never_outweighs_a_named_trade():
    r = reading("masik chuktite ekta auto")
    evidence = {w: WordEvidence(30, {"driver": 30}) for w in ("masik", "chuktite")}
    assert decide(r, evidence).categories == ("rickshaw_auto",)


def test_a_word_of_context_weighs_as_little_as_evidence_as_it_does_read():
    """ঘরের (of the house) is in many painters' services ("ঘরের রং"); the need beside it decides."""
    r = reading("ঘরের কারেন্টের লাইন পুইড়া গেছে, মিস্তিরি লাগবো")
    evidence = {"ঘরের": WordEvidence(40, {"painter": 38, "mason": 2}), "লাইন": WordEvidence(0)}
    assert decide(r, evidence).categories == ("electrician",)


def test_a_blood_group_asks_for_a_donor():
    u = understand("A+ blood lgbe 2 bag", "provider")
    assert (u.categories, u.blood_group) == (("blood_donor",), "A+")


def test_reading_is_bounded():
    long = " ".join(f"w{i}ord" for i in range(60))
    r = reading(long)
    assert len(r.words) == MAX_WORDS and len(r.overflow) == 60 - MAX_WORDS


def test_skeleton_keeps_consonants_only():
    assert skeleton("ripear") == skeleton("repair") == "rpr"


# ---------------------------------------------------------------- relaxation tiers


def test_a_query_fully_explained_by_names_has_one_tier():
    assert len(tiers(understand("ডাক্তার", "provider"))) == 1


def test_unmatchable_words_go_first_then_all_words_when_a_category_narrows():
    r = reading("ডাক্তার qzxwv ফৌজদারি")
    u = decide(r, {"qzxwv": WordEvidence(0), "ফৌজদারি": WordEvidence(20, {"lawyer": 20})})
    plan = tiers(u)
    # every word exactly, then with typos (a guess), then without the word the engine has nowhere
    assert [t.dropped_words for t in plan][:3] == [(), (), ("qzxwv",)]
    assert [t.fuzzy for t in plan][:2] == [False, True]
    assert plan[-1].required == ()


def test_the_item_asked_for_is_kept_before_every_word_is_dropped():
    """ "সাদা পাঞ্জাবি" (a white panjabi) with no white one: panjabis, not "ignored: পাঞ্জাবি"."""
    u = understand("সাদা পাঞ্জাবি", "product")
    plan = tiers(u)
    assert [w.surface for w in plan[-2].required] == ["পাঞ্জাবি"]
    assert plan[-1].required == ()


def test_without_category_or_place_the_most_frequent_word_is_dropped_first_and_one_always_stays():
    r = reading("রহিম উদ্দিন")
    u = decide(r, {"রহিম": WordEvidence(90), "উদ্দিন": WordEvidence(12)})
    plan = tiers(u)
    assert [t.dropped_words for t in plan] == [(), (), ("রহিম",)]
    assert [t.fuzzy for t in plan] == [False, True, True]
    assert all(t.required for t in plan)


def test_a_long_query_matches_at_most_six_words_the_rarest_first_and_says_the_rest_were_ignored():
    words = "আলফা বেটা গামা ডেল্টা এপসাইলন জেটা কাপ্পা থেটা"
    r = reading(words)
    evidence = {w: WordEvidence(n) for w, n in zip(words.split(), (50, 0, 3, 7, 0, 1, 90, 2), strict=True)}
    plan = tiers(decide(r, evidence))
    assert {w.surface for w in plan[0].required} == {"গামা", "ডেল্টা", "জেটা", "থেটা", "আলফা", "কাপ্পা"}
    assert set(plan[0].dropped_words) == {"বেটা", "এপসাইলন"}  # never matched, reported as ignored
    assert len(plan) <= MAX_TIERS


def test_a_named_upazila_is_relaxed_last_and_stays_the_centre():
    plan = tiers(understand("মিঠামইনের ডাক্তার", "provider"))
    assert plan[0].in_place and not plan[-1].in_place


def test_a_product_category_inferred_from_one_title_does_not_replace_the_word():
    r = reading("meghna", "product")
    weak = decide(r, {"meghna": WordEvidence(4, {"fish": 2, "dairy": 2})})
    assert all(t.required for t in tiers(weak))
    strong = decide(r, {"meghna": WordEvidence(3, {"fish": 3})})
    assert tiers(strong)[-1].required == ()  # only fish use it: other fish may follow


def test_evidence_alone_decides_only_where_known_words_outnumber_unknown_ones():
    # "cat" is কাঠ's key: five wooden crafts have it, and nothing has the other two words
    kitten = reading("persian cat er baccha", "product")
    found = {
        "persian": WordEvidence(0),
        "cat": WordEvidence(5, {"handicrafts": 5}),
        "baccha": WordEvidence(0),
    }
    assert decide(kitten, found).categories == ()
    # care for an old mother: three words the directory knows, two it does not
    care = reading("বুড়া মায়েরে দেহাশোনা করনের লাইগা ঘরে থাকার মানুষ চাই")
    evidence = {
        "বুড়া": WordEvidence(0),
        "মায়েরে": WordEvidence(26, {"hospital": 7, "vehicle_rental": 6, "property_rental": 4}),
        "দেহাশোনা": WordEvidence(35, {"domestic_worker": 35}),
        "করনের": WordEvidence(49, {"barber": 27, "beautician": 11, "pharmacy": 11}),
        "থাকার": WordEvidence(0),
    }
    assert decide(care, evidence).categories == ("domestic_worker",)
    # one known word and fillers still decide
    assert decide(reading("rahim er dokan"), {"rahim": WordEvidence(4, {"butcher": 4})}).categories == (
        "butcher",
    )


def test_the_engine_is_asked_about_a_listed_bangla_word_as_written():
    """ধান (paddy) shares "dan" with দান (a gift, "রক্তদান"): its evidence is asked by spelling only."""
    import json

    from search.understanding.evidence import word_evidence_body

    (paddy,) = reading("ধান").words
    (misspelt,) = reading("ব্যাথা").words

    def asked(word) -> str:
        return json.dumps(word_evidence_body(word, "provider")["query"]["bool"]["should"])

    assert "terms" not in asked(paddy) and "terms" in asked(misspelt)
