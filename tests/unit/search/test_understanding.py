"""Query understanding by kind of query: scripts, typos, parts of names, endings, fillers, blood groups."""

from __future__ import annotations

import pytest

from search.understanding.lexicon import letters_apart
from search.understanding.understanding import understand


@pytest.mark.parametrize(
    ("query", "kind", "categories"),
    [
        ("মুচি", "provider", {"cobbler"}),  # Bangla name
        ("muchi", "provider", {"cobbler"}),  # Banglish
        ("shoe repair", "provider", {"cobbler"}),  # English alias
        ("carpentar", "provider", {"carpenter"}),  # typo
        ("রাজ মিস্ত্রি", "provider", {"mason"}),  # written apart
        ("rajmistri", "provider", {"mason"}),  # written together
        ("ইজি বাইক", "provider", {"rickshaw_auto"}),  # a one-word alias typed as two
        ("advocate", "provider", {"lawyer"}),
        ("ambulence", "provider", {"ambulance"}),
        ("blood", "provider", {"blood_donor"}),  # a distinctive part of a longer name
        ("ছাগল", "product", {"livestock"}),
        ("chagol", "product", {"livestock"}),
        ("shutki", "product", {"fish"}),
        ("tumeric", "product", {"honey_spices"}),
        ("mustard oil", "product", {"honey_spices"}),
        ("গামছা", "product", {"clothing"}),
    ],
)
def test_names_in_any_script_find_their_category(query, kind, categories):
    assert set(understand(query, kind).categories) == categories


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("ডাক্তারের", "doctor"),  # Bangla case ending
        ("কসাইয়ের দোকান", "butcher"),  # ending + a filler word
        ("ukil lagbe", "lawyer"),  # Banglish filler
        ("doctors", "doctor"),  # English plural
    ],
)
def test_endings_and_fillers_do_not_hide_the_name(query, category):
    u = understand(query, "provider")
    assert u.categories == (category,)


def test_shared_words_never_decide_alone_but_distinctive_ones_do():
    assert set(understand("mistri", "provider").categories) >= {"carpenter", "mason", "painter"}
    assert understand("meat", "provider").categories == ("butcher",)


def test_similar_short_words_stay_apart():
    assert understand("kosai", "provider").categories == ("butcher",)
    assert understand("napit", "provider").categories == ("barber",)
    assert understand("murgi", "product").categories == ("poultry_eggs",)  # not মুড়ি (puffed rice)
    assert understand("dim", "product").categories == ("poultry_eggs",)  # not দই


def test_blood_group_in_the_query_becomes_a_filter():
    u = understand("o+ blood", "provider")
    assert (u.blood_group, u.categories, u.required) == ("O+", ("blood_donor",), ())
    assert understand("বি পজিটিভ রক্ত লাগবে", "provider").blood_group == "B+"
    assert understand("AB-", "provider").categories == ("blood_donor",)


@pytest.mark.parametrize(
    ("query", "group"),
    [
        ("o+ve blood", "O+"), ("A+ve", "A+"), ("বি নেগেটিভ রক্ত লাগবে", "B-"), ("ab pos", "AB+"),
        ("O (-) লাগবে", "O-"), ("0+ve rokto", "O+"), ("a positive donor", "A+"), ("b-ve", "B-"),
        ("ও পজেটিভ", "O+"), ("এবি+ রক্ত", "AB+"), ("ab negative", "AB-"),
    ],
)  # fmt: skip
def test_blood_groups_in_every_written_form(query: str, group: str):
    u = understand(query, "provider")
    assert (u.blood_group, u.categories) == (group, ("blood_donor",))


def test_a_lone_letter_is_no_blood_group():
    assert understand("গাড়ি ও বাড়ি", "provider").blood_group is None
    assert understand("ami o ase", "provider").blood_group is None


def test_on_a_tie_the_last_word_names_the_thing():
    assert understand("mishti doi", "product").categories == ("dairy",)


def test_a_personal_name_names_no_category():
    u = understand("রহিম উদ্দিন", "provider")
    assert u.categories == () and u.required


def test_items_are_reported_for_title_boosts():
    assert understand("ইলিশ", "product").items == ("ilis",)


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("বউয়ের ডেলিভারি করামু, ভালা ক্লিনিকে সিট আছেনি?", "hospital"),  # a bed at the clinic
        ("হাসপাতালে সিট আছে?", "hospital"),
        ("clinic e seat ache?", "hospital"),
        ("মেসে সিট খালি আছে?", "property_rental"),  # a seat in a mess is a room to let
        ("mess e ekta seat lagbe", "property_rental"),
    ],
)
def test_a_seat_is_a_hospital_bed_at_a_hospital_and_a_room_in_a_mess(query, category):
    assert understand(query, "provider").categories == (category,)


@pytest.mark.parametrize(
    ("query", "items", "ignored"),
    [
        ("কই মাছ", ("kai",), ()),  # the fish: a category name follows the item
        ("জেতা কই মাছ", ("kai",), ()),  # জেতা: live, in the haor's words
        ("ইলিশ মাছ কই পাবো", ("ilis",), ("কই", "পাবো")),  # "where": no category name follows it
    ],
)
def test_a_question_word_that_is_also_an_item_is_the_item_before_its_category(query, items, ignored):
    u = understand(query, "product")
    assert (u.categories, u.items, u.ignored) == (("fish",), items, ignored)


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("train er somoy suchi", "provider"),  # a timetable: "suchi" is not a misspelt মুচি
        ("সেগুন কাঠের খাট", "product"),  # a teak bed: সেগুন is not a misspelt বেগুন
    ],
)
def test_a_different_first_consonant_is_a_different_word_not_a_typo(query, kind):
    assert understand(query, kind).categories == ()


def test_a_first_vowel_spelt_another_way_is_still_a_typo():
    assert understand("এলেকট্রিশিয়ান", "provider").categories == ("electrician",)
    assert understand("carpentar", "provider").categories == ("carpenter",)


@pytest.mark.parametrize(
    ("query", "kind", "categories"),
    [
        ("ঈদের আগে বাড়ির দেওয়ালে চুনকাম করাইতাম", "provider", ("painter",)),  # whitewash
        ("bhumi office er AC land er sathe dekha korbo", "provider", ("official",)),
        ("notun ghorer deyal e rong korabo, lok koto nibo", "provider", ("painter",)),  # koto: how much
        ("হাঁসের ডিম পাওয়া যাইবো নি, পিডা বানাইবাম", "product", ("poultry_eggs",)),  # the clause that asks
        ("haldi powder", "product", ("honey_spices",)),  # হলদি, the dialect's turmeric, typed in Banglish
    ],
)
def test_needs_and_sentences_of_the_third_sample(query, kind, categories):
    assert understand(query, kind).categories == categories


def test_a_not_listed_name_never_rests_on_a_question_word_but_keeps_a_shop_word():
    assert understand("kamar dokan dao shan dite", "provider").not_listed is not None  # a blacksmith
    assert understand("কামারের দোকান", "provider").not_listed is not None
    assert understand("lok koto nibo", "provider").not_listed is None  # how much will the man charge


def test_earthwork_and_a_days_wage_ask_for_day_labourers():
    assert understand("matir kam korar lok lagbe tin diner jonno, hajira dimu", "provider").categories == (
        "day_labourer",
    )


@pytest.mark.parametrize(
    "query",
    [
        "পুকুরের মাটি কাটাইতে ৫ জন লোক লাগবো",  # কাটাইতে: the spoken causative of কাটা (মাটি কাটা)
        "ধান কাটাইতে লোক লাগবো",
        "পুকুর কাটাইবো",
        "mati kataite lok lagbo",
        "মাটি কাটানোর লোক",  # কাটানোর: কাটা's verbal noun, no কাঠ (wood, a carpenter's)
        "ধান কাটানোর লোক",
        "মাটি কাটাইবার লোক",  # কাটাইবার: the spoken "for getting cut"
        "ধান কাটাইবার লোক লাগবে",
        "mati kataibar lok",
    ],
)
def test_a_need_said_with_the_spoken_causative_is_the_need(query: str):
    assert understand(query, "provider").categories == ("day_labourer",)


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("সাপে কাটছে", "hospital"),  # কাটছে, has bitten: the need সাপে কাটা
        ("ছেলেরে সাপে কাটছে", "hospital"),
        ("সাপে কাটতেছে", "hospital"),
        ("sape katse", "hospital"),
        ("চুল কাটছি", "barber"),
    ],
)
def test_a_need_said_with_a_finite_verb_is_the_need(query: str, category: str):
    assert understand(query, "provider").categories == (category,)


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("মা অজ্ঞান হয়ে গেছে", "hospital"),  # symptoms and injuries name no trade: the needs do
        ("বাচ্চার খিঁচুনি হইতেছে", "hospital"),
        ("স্ট্রোক করছে", "hospital"),
        ("পানিতে ডুবছে বাচ্চা", "hospital"),
        ("bish khaise", "hospital"),
        ("কুকুরে কামড়াইছে", "hospital"),  # not "we do not list pets"
        ("dog bite", "hospital"),
        ("বুকে ব্যথা", "hospital"),  # not "we do not list books"
        ("শ্বাসকষ্ট হইতেছে", "hospital"),
        ("মাথা ফাটছে", "hospital"),
        ("আগুনে পুড়ছে", "hospital"),  # burnt: a fire is the fire service's
        ("পাতলা পায়খানা হইতেছে", "doctor"),  # not a cleaner (পায়খানা, a latrine)
        ("pet kharap", "doctor"),
        ("হাঁপানি", "doctor"),  # common illnesses by name
        ("jondis", "doctor"),
        ("টাইফয়েড", "doctor"),
        ("চুলকানি", "doctor"),  # itching: no barber's চুল (hair)
        ("মাথা ঘুরে", "doctor"),  # dizziness
        ("matha ghure", "doctor"),
        ("বুক ধড়ফড় করে", "doctor"),  # palpitations: not "we do not list books"
        ("শরীর দুর্বল", "doctor"),
        ("pet betha", "doctor"),
        ("ঘা শুকায় না", "doctor"),  # a wound (ঘা, key "ga": read by its spelling)
        ("কাইটা গেছে রক্ত পড়তাছে", "hospital"),  # bleeding, not a blood donor
        ("গরম পানিতে পুড়ছে", "hospital"),
        ("মোটরসাইকেল এক্সিডেন্ট", "hospital"),  # not "we do not list motorcycles"
    ],
)
def test_a_symptom_or_an_injury_asks_for_medical_help(query: str, category: str):
    assert understand(query, "provider").categories == (category,)


@pytest.mark.parametrize(
    ("query", "kind", "listed_not"),
    [
        ("খাটের পায়া ভাইঙ্গা গেছে", "provider", "hospital"),  # a bed's leg (পায়া), no পা
        ("বউরে সাজাইতে", "product", None),  # বউরে rewritten বুকে has no "book" (stationery) in it
    ],
)
def test_what_sounds_like_an_injury_or_a_book_is_neither(query: str, kind: str, listed_not: str | None):
    understanding = understand(query, kind)
    assert listed_not not in understanding.categories
    assert understanding.not_listed is None or understanding.not_listed.slug != "stationery"


@pytest.mark.parametrize(
    ("query", "kind", "not_asked"),
    [
        ("ধান পাকছে", "provider", "electrician"),  # পাকছে, ripened: পাকা alone is no পাখা (a fan)
        ("dhan pakse", "provider", "electrician"),
        ("ট্যাংকি ভইরা গেছে", "product", "livestock"),  # গেছে, gone: no গো (a cow)
        ("drain jam hoye gese", "product", "dairy"),  # gese: no "gea", ghee's key
    ],
)
def test_a_finite_verb_alone_names_no_category_by_its_noun(query: str, kind: str, not_asked: str):
    assert not_asked not in understand(query, kind).categories


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("দাওয়াত খাইতে যাব", "provider"),  # দাওয়াত, an invitation: "dat", the key of দাঁত (a tooth)
        ("বিয়ের দাওয়াত খাইতে যামু", "provider"),
        ("ট্যাংকি ভইরা গেছে", "provider"),  # ভইরা, filled: one letter from ভৈরব's key
        ("ট্যাংকি ভইরা গেছে", "product"),
    ],
)
def test_a_word_that_only_shares_a_listed_words_key_names_nothing(query: str, kind: str):
    """The Banglish key folds a syllable written apart (a vowel letter, য়) into its neighbours; a word
    that writes more of them than any listed spelling of its key is another word (lexicon.syllables_apart)."""
    understanding = understand(query, kind)
    assert "doctor" not in understanding.categories
    assert understanding.place is None


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("দাঁতের ডাক্তার", "doctor"),
        ("দাত ব্যথা", "doctor"),
        ("দেওয়ালে রং করামু", "painter"),  # দেওয়াল and দেয়াল: one word, spelt both ways
        ("দেয়ালে রং করামু", "painter"),
        ("কুলিয়ারচরের ইলেকট্রিশিয়ান", "electrician"),
    ],
)
def test_listed_words_keep_their_spellings(query: str, category: str):
    assert category in understand(query, "provider").categories


@pytest.mark.parametrize(
    ("query", "categories"),
    [
        ("ছাতা সারাই", ("cobbler",)),  # ছাতা, an umbrella; ছাঁটা (a trim, the barber's) has its key
        ("ছাতার শিক ভাঙছে", ("cobbler",)),
        ("চুল ছাঁটা", ("barber",)),
        ("কাশি হইছে", ("doctor",)),  # কাশি, a cough; খাসি (a goat, the butcher's) has its key
        ("একটা খাসি কিনুম", ("butcher",)),
        ("বিধবা ভাতা", ("official",)),  # ভাতা, an allowance; ব্যথা (a pain, the doctor's) has its key
        ("পেটে ব্যথা", ("doctor",)),
        ("পেটে ব্যাথা", ("doctor",)),  # spelt as no category spells it: still read by its key
        ("ব্যাথা", ("doctor",)),  # ... as the spelling it is nearest: ব্যথা, not ভাতা
        ("মাথা ব্যাথা করে", ("doctor",)),
        ("জর আইছে", ("doctor",)),  # জ্বর misspelt, not যাওয়ার (the ambulance's "jar")
    ],
)
def test_a_word_spelt_as_one_categorys_word_is_not_anothers_of_its_key(
    query: str, categories: tuple[str, ...]
):
    assert understand(query, "provider").categories == categories


def test_a_place_spelt_as_listed_is_still_the_place():
    assert understand("ভৈরবের ইলেকট্রিশিয়ান", "provider").place.slug == "bhairab"
    assert understand("কুলিয়ারচরের ইলেকট্রিশিয়ান", "provider").place.slug == "kuliarchar"


@pytest.mark.parametrize(
    ("query", "kind", "category"),
    [
        ("আয়া লাগবে", "provider", "domestic_worker"),  # key "a", as ও (and) is: read by its spelling
        ("aya lagbe", "provider", "domestic_worker"),
        ("eye", "provider", "doctor"),
        ("মোয়া", "product", "sweets_snacks"),  # key "ma"
        ("ইটের কাজ", "provider", "mason"),  # ইট, bricks: key "it"
    ],
)
def test_a_need_too_short_for_its_key_is_read_by_its_spelling(query: str, kind: str, category: str):
    assert understand(query, kind).categories == (category,)


def test_a_word_only_keyed_like_a_short_need_is_not_it():
    assert understand("আয়ু", "provider").categories == ()  # life span, key "a" too


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("বাল্ব", "product"),  # a bulb (the electrician's word) is no বোয়াল (a fish) by its shortened key
        ("বাসা ভাড়া", "product"),  # ভাড়া (rent) is no misspelt ভেড়া (a sheep)
        ("বিদ্যুৎ মিস্ত্রি", "product"),  # মিস্ত্রি (a tradesman) is no misspelt মিষ্টি (sweets)
        ("কুলিয়ারচরের গাড়ি ভাড়া", "product"),  # গাড়ি (a car) is no গরু (a cow)
    ],
)
def test_a_listed_word_is_itself_not_a_look_alike(query: str, kind: str):
    assert understand(query, kind).categories == ()


def test_a_word_whose_stem_is_listed_keeps_its_key_as_typed():
    """মেডিকেল is listed (a hospital's word); মেডিকেলে is still read as typed, in "মেডিকেলে নেওয়া"
    (taking a patient to the medical college), the ambulance's need."""
    assert understand("মেডিকেলে নিতে হবে", "provider").categories == ("ambulance",)


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("মইষ বেচবাইন?", "provider"),  # a buffalo (dialect) is no misspelt "maid", an English word
        ("ছাদের পানি চুয়ায়", "product"),  # পানি (water) is no misspelt "paddy"
        ("পানির মোটর", "product"),  # পানির (of water, as "পানির জার" writes it) is no পনির (cheese)
    ],
)
def test_a_word_typed_in_bangla_is_misspelt_only_as_a_bangla_word(query: str, kind: str):
    u = understand(query, kind)
    assert not ({"domestic_worker", "rice_grain", "dairy"} & set(u.categories))


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("ফ্যানের মোটর পুড়ে গেছে", "electrician"),  # things burn too: only a body burnt is a hospital's
        ("ঘরের কারেন্টের লাইন পুইড়া গেছে, মিস্তিরি লাগবো", "electrician"),
    ],
)
def test_a_thing_burnt_is_no_injury(query: str, category: str):
    assert understand(query, "provider").categories == (category,)


def test_a_form_of_address_says_nothing_and_is_no_misspelt_place():
    u = understand("UNO স্যারের contact number", "provider")
    assert u.place is None and "স্যারের" in u.ignored  # not সদর (Sadar) one letter off


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("বোরো ধান", "provider"),  # বোরো (the rice season) is four letters off ভাড়া (rent), "bara" both
        ("আটা", "provider"),  # flour, no অটো (an auto-rickshaw)
        ("সর্দি কাশি", "product"),  # a cough, no খাসি (a castrated goat)
    ],
)
def test_a_bangla_word_read_by_its_key_is_spelt_near_the_word_it_is_read_as(query: str, kind: str):
    assert understand(query, kind).categories == ()


@pytest.mark.parametrize(
    ("typed", "listed", "apart"),
    [("শসা", "শসয", 2), ("ব্যাথা", "বযথা", 1), ("জর", "জবর", 1), ("আটা", "অটো", 2), ("শস্য", "সস্য", 1)],
)
def test_a_vowel_sign_for_a_consonant_is_two_letters_apart(typed: str, listed: str, apart: int):
    assert letters_apart(typed.replace("\u09cd", ""), listed.replace("\u09cd", "")) == apart


@pytest.mark.parametrize(
    ("query", "kind", "categories"),
    [
        ("জমির মামলা লইয়া কথা কইতাম", "product", ()),  # কইতাম is বলতে (to say): its stem বল no বোয়াল
        ("উকিল সাবের লগে কথা কইতাম", "provider", ("lawyer",)),
        ("চেরমেন সাবের নাম্বার দেন", "provider", ("official",)),
    ],
)
def test_a_dialect_verb_is_no_noun_and_a_form_of_address_says_nothing(
    query: str, kind: str, categories: tuple
):
    u = understand(query, kind)
    assert u.categories == categories
    assert not {"সাবের", "কথা"} & {w.surface for w in u.required}  # সাহেব's, a word (no কাটা, a cut)


@pytest.mark.parametrize(
    "query", ["pet betha", "electric mistri", "basa vara", "chul katbo", "case er jonno ukil"]
)
def test_a_banglish_word_a_listed_phrase_has_is_no_typo_on_the_other_page(query: str):
    """ "betha" (a pain) is no "bera" (a sheep), "mistri" no "misti" (sweets), "chul" (hair) no "chal"
    (rice): the products page claims nothing for what the providers page reads by name."""
    assert understand(query, "product").categories == ()
    assert understand(query, "provider").categories != ()


@pytest.mark.parametrize(
    ("query", "not_listed"),
    [("buke betha", None), ("book", "stationery"), ("books", "stationery"), ("full time maid", None)],
)
def test_a_banglish_word_is_something_not_listed_only_when_written_so(query: str, not_listed: str | None):
    """ "buke" (বুকে, in the chest) and "book" are both "buk"; "full" and ফুল (flowers) both "ful"."""
    u = understand(query, "product")
    assert (u.not_listed.slug if u.not_listed else None) == not_listed


def test_a_cucumber_is_no_grain():
    """শসা and শস্য (of "চাল ও শস্য") are both "sasa": a vowel sign where a consonant is written."""
    assert understand("শসা", "product").categories == ("vegetables",)


def test_a_listed_bangla_word_is_looked_for_by_its_spelling_only():
    """ধান (paddy) and দান (a gift, in "আল্লাহর দান এন্টারপ্রাইজ") share the key "dan": a word typed as a
    listed word is found as written; a misspelt one (ব্যাথা) still by its key."""
    assert understand("ধান", "provider").required[0].keys == ()
    assert understand("ব্যাথা", "provider").required[0].keys != ()


@pytest.mark.parametrize(
    ("query", "kind", "categories"),
    [
        ("মিস্ত্রী", "product", ()),  # ী folded: a listed word, no misspelt মিষ্টি (sweets)
        ("চাউল", "product", ("rice_grain",)),  # the dialect's চাল
        ("ঝাড়ুদার", "provider", ("cleaner",)),
        ("ইউপি মেম্বারের নম্বর", "provider", ("official",)),
        ("pani line mistri", "provider", ()),  # a plumber: not listed, not four trades' মিস্ত্রি
        ("blood bank", "provider", ("blood_donor",)),  # no bank
        ("gynecologist", "provider", ("doctor",)),
    ],
)
def test_everyday_words_for_what_is_listed_and_what_is_not(query: str, kind: str, categories: tuple):
    assert understand(query, kind).categories == categories
