"""What the directory does not list is said so: no category claimed, nothing offered in its place —
unless something listed is named beside it. Pure (no engine evidence)."""

from __future__ import annotations

import pytest

from search.understanding.understanding import understand


@pytest.mark.parametrize(
    ("query", "kind", "slug"),
    [
        ("দর্জি", "provider", "tailor"),
        ("dorji", "provider", "tailor"),  # not দরজা (a door) read by its consonants
        ("tailor", "provider", "tailor"),
        ("কাপড় সেলাই", "provider", "tailor"),  # not জুতা সেলাই (a cobbler)
        ("শাড়ি সেলাই", "provider", "tailor"),  # any garment sewn: a composition, not a list of pairs
        ("বউয়ের শাড়ি সেলাই করামু", "provider", "tailor"),
        ("প্যান্ট অল্টার", "provider", "tailor"),
        ("গ্যাসের পাইপ লিক করতেছে", "provider", "fire_service"),  # a gas leak, the pipe or stove named
        ("গ্যাসের চুলা লিক", "provider", "fire_service"),
        ("gas er line leak", "provider", "fire_service"),
        ("gas cylinder leak korse", "provider", "fire_service"),
        ("lungi selai korbo", "provider", "tailor"),
        ("silai machine kinmu", "provider", "sewing_machine"),  # selai's other spelling is no tailor's
        ("পানির কল নষ্ট", "provider", "plumber"),  # a tap or a basin that leaks or is broken
        ("বেসিন লিক", "provider", "plumber"),
        ("kol nosto", "provider", "plumber"),
        ("চাপকল নষ্ট", "provider", "tubewell"),  # a hand pump is the tube-well's
        ("goru er doctor lagbe", "provider", "vet"),  # the genitive written apart: still gorur doctor
        ("গরু এর ডাক্তার", "provider", "vet"),
        ("dhan er oshudh", "product", "pesticide"),
        ("goru er khabar", "product", "animal_feed"),
        ("নারিকেল", "product", "fruits"),  # a coconut, as every other fruit
        ("গরুর ডাক্তার", "provider", "vet"),  # গরুর decides the kind of doctor: never a filler
        ("পশুর ওষুধ লাগবে", "provider", "vet"),
        ("ঘড়ি মেরামত", "provider", "watch_repair"),  # ঘড়ি's key is গাড়ি's ("gari"): the spelling decides
        ("সার", "product", "fertilizer"),  # সার's key is ষাঁড়'s ("sar"): the spelling decides
        ("ইটের ভাটা", "provider", "building_materials"),  # a brick kiln: not a mason, nor ভাতা (an allowance)
        ("iter bhata", "provider", "building_materials"),
        ("পাখি", "product", "pets"),  # not paddy ("padi") misspelt
        ("পানির বোতল", "product", "drinking_water"),  # not পনির (cheese)
        ("কোরআন শরীফ", "product", "stationery"),  # a book: not শাড়ি (a saree) one letter off
    ],
)
def test_a_need_we_do_not_list_claims_no_category(query: str, kind: str, slug: str):
    u = understand(query, kind)
    assert u.not_listed is not None and u.not_listed.slug == slug
    assert u.categories == () and u.required == ()


@pytest.mark.parametrize(
    ("query", "kind", "category"),
    [
        ("জুতা সেলাই", "provider", "cobbler"),
        ("বউ নিয়া যাইতে গাড়ি", "provider", "vehicle_rental"),  # বউ, a wife or a bride, is no beautician
        ("বউ সাজানো", "provider", "beautician"),  # a bride made up is
        ("নারিকেল নাড়ু", "product", "sweets_snacks"),  # a coconut sweet is listed
        ("খই", "product", "rice_grain"),  # popped rice, as মুড়ি and চিড়া: no কই (a fish) of its key
        ("গাড়ি লাগবে", "provider", "vehicle_rental"),
        ("ষাঁড়", "product", "livestock"),
        ("ডাক্তার", "provider", "doctor"),
        ("chul katabo", "provider", "barber"),  # "chul" is hair, not a misspelt "school"
    ],
)
def test_listed_words_are_not_taken_for_what_we_do_not_list(query: str, kind: str, category: str):
    u = understand(query, kind)
    assert u.not_listed is None and category in u.categories


def test_something_listed_named_beside_it_is_still_searched():
    u = understand("স্কুলের জন্য রিকশা", "provider")
    assert u.not_listed is None and u.categories == ("rickshaw_auto",)


@pytest.mark.parametrize(
    ("query", "slug", "categories"),
    [
        ("ছাগলের পেট ফুলেছে, ওষুধ দেব", "vet", ()),  # the medicine is the goat's: the composition's head
        ("গরুর জ্বর, ডাক্তার লাগবে", "vet", ()),
        ("গরুর মাংস খেয়ে পেট খারাপ, ওষুধ লাগবে", None, ("pharmacy",)),  # beef eaten: no animal is ill
        ("ছেলে গরু চরাতে গিয়ে পা কেটেছে, ডাক্তার লাগবে", None, ("doctor",)),  # the boy is hurt
    ],
)
def test_a_compositions_head_said_in_the_request_is_no_rival(query: str, slug: str | None, categories: tuple):
    """A clause that reads as something not listed, then the request naming only that composition's
    head (ওষুধ, ডাক্তার): the need is the same one, not a listed category outweighing it."""
    u = understand(query, "provider")
    assert (u.not_listed.slug if u.not_listed else None) == slug and u.categories == categories


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("মসজিদের কাছে হোটেল", "hotel"),  # a hotel, near a mosque
        ("pagla mosjid er kache hotel", "hotel"),
        ("hotel near school", "hotel"),  # English names the place after its word of nearness
        ("মসজিদের কাছে", "mosque"),  # nothing else asked: the place is what is not listed
    ],
)
def test_what_is_near_is_where_not_what(query: str, slug: str):
    assert understand(query, "provider").not_listed.slug == slug


def test_a_word_of_context_alone_does_not_make_a_category_of_a_need_we_do_not_list():
    assert understand("কোচিং সেন্টার", "provider").not_listed is not None


@pytest.mark.parametrize(
    "query",
    ["ফ্যান সারাই", "ফ্যান নষ্ট", "ফ্যান মেরামত", "ফ্যানের মিস্ত্রি", "ফ্যান সারাইতে মিস্ত্রি লাগবো", "fan repair"],
)
def test_a_fan_is_no_phone_though_their_keys_are_one(query: str):
    """ফ্যান and ফোন are both "fan" by key: a not-listed phrase ("ফোন সারাই", phone repair) is read only
    where the query writes its word as the entry does (lexicon._unlisted_spellings)."""
    u = understand(query, "provider")
    assert u.not_listed is None and u.categories == ("electrician",)


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("ফোন সারাই", {"mobile_repair"}),  # ফোন alone is a phone; the phrase written with it, its repair
        ("ফোনের মিস্ত্রি", {"mobile_repair"}),
        ("মোবাইল মেরামত", {"mobile_repair"}),
        ("মোবাইল", {"mobile_phone"}),
        ("phone repair", {"mobile_repair"}),
        ("fon sarai", {"mobile_repair"}),  # the entry writes "fon" too; "fan sarai" stays a fan's
        ("গাড়ি মেরামত", {"vehicle_mechanic"}),  # a listed word's other spelling keeps the phrase open
        ("গাড়ী মেরামত", {"vehicle_mechanic"}),
    ],
)
def test_what_is_not_listed_is_still_read_as_the_entry_writes_it(query: str, slugs: set[str]):
    u = understand(query, "provider")
    assert u.not_listed is not None and u.not_listed.slug in slugs and u.categories == ()


@pytest.mark.parametrize(
    "query",
    [
        "বুক",  # a chest: the stationery entry's "book" is English only
        "ভাত পুইড়া গেছে",  # rice: no বোট (a boat), though their keys are one
        "ভাইয়ের দোকান",  # a brother's shop: no বইয়ের দোকান (a bookshop), two letters off
    ],
)
def test_a_word_typed_in_bangla_is_not_listed_only_as_the_entry_writes_it(query: str):
    assert understand(query, "provider").not_listed is None


@pytest.mark.parametrize(
    ("query", "kind", "slug", "categories"),
    [
        ("জুতা", "product", "footwear", ()),  # the cobbler's word on the providers page; no goods here
        ("জুতা", "provider", None, ("cobbler",)),
        ("সোফা সেট", "product", "furniture", ()),
        ("আলমারি বানামু", "provider", None, ("carpenter",)),
        ("বেতের চেয়ার", "product", None, ("handicrafts",)),  # cane is a craft
        ("আটার রুটি", "provider", None, ()),  # আটার (of flour) is no আতর (attar) by key
        ("কলেজের কাছে বাসা ভাড়া", "product", None, ()),  # a college is not listed on the providers page only
        ("ফ্যান কিনব", "product", "electrical_goods", ()),
        ("ফ্যান নষ্ট", "provider", None, ("electrician",)),
        ("সুইচ বোর্ডে আগুনের ফুলকি", "product", "fire_service", ()),  # as long as a fan to buy: a fire
    ],
)
def test_a_word_the_other_search_lists_can_be_what_this_one_does_not(
    query: str, kind: str, slug: str | None, categories: tuple
):
    u = understand(query, kind)
    assert (u.not_listed.slug if u.not_listed else None) == slug and u.categories == categories
